package dev.syncline.contracts.bus;

/** The storage verticle's local addresses. */
public final class StorageBus {
  public static final String HEALTH = "syncline.storage.health";

  private StorageBus() {
  }
}
