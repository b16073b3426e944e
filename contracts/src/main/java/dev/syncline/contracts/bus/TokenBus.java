package dev.syncline.contracts.bus;

/** The token verticle's local addresses. */
public final class TokenBus {
  public static final String HEALTH = "syncline.token.health";

  private TokenBus() {
  }
}
