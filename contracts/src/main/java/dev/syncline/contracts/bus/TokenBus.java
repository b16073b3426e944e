package dev.syncline.contracts.bus;

/** The token verticle's local addresses, and the fields of their requests and replies. */
public final class TokenBus {
  public static final String HEALTH = "syncline.token.health";

  /**
   * Who sent a request. Request: {@code {"authorization": "<Authorization header value>"}}. Reply:
   * {@code {"user_id": "<principal of the user>", "principals": ["system.Everyone", "system.Authenticated",
   * "<user_id>", ...]}}. Fails with errno 104 (no usable credentials) or 105 (credentials present but invalid:
   * bad signature, expired, unknown key, malformed), never anything that leaks why beyond a short message.
   */
  public static final String AUTHENTICATE = "syncline.token.authenticate";

  public static final String AUTHORIZATION = "authorization";
  public static final String USER_ID = "user_id";
  public static final String PRINCIPALS = "principals";

  /** Principals every request carries, and every authenticated one. */
  public static final String EVERYONE = "system.Everyone";
  public static final String AUTHENTICATED = "system.Authenticated";

  private TokenBus() {
  }
}
