package dev.syncline.contracts.bus;

/**
 * The token verticle's local addresses, and the fields of their requests and replies. Every failure code is an
 * {@code ErrorCode} errno; messages are short, never carry a credential, and say no more than which rule failed.
 */
public final class TokenBus {
  public static final String HEALTH = "syncline.token.health";

  /**
   * Who sent a request. Request: {@code {"authorization": "<Authorization header value>"}}. Reply:
   * {@code {"user_id": "<principal of the user>", "principals": ["system.Everyone", "system.Authenticated",
   * "<user_id>", ...]}}. Fails with errno 104 (no usable credentials: no header, or a scheme no enabled verifier
   * takes) or 105 (credentials present but invalid: bad signature, expired, unknown key, malformed, too long),
   * never anything that leaks why beyond a short message.
   */
  public static final String AUTHENTICATE = "syncline.token.authenticate";

  public static final String AUTHORIZATION = "authorization";
  /**
   * Optional field of an {@link #AUTHENTICATE} request: the client's IP address, which password failures are
   * counted against besides the account. Fails with errno 117 while either is locked out, the failure text then
   * being a {@code FailureMessages} object whose details carry {@code retry_after} (seconds).
   */
  public static final String CLIENT_ADDRESS = "client_address";
  public static final String RETRY_AFTER = "retry_after";
  public static final String USER_ID = "user_id";
  public static final String PRINCIPALS = "principals";
  /** Reply field: when the credentials stop being valid, epoch seconds; absent when they do not expire. */
  public static final String EXPIRES_AT = "expires_at";

  /** Principals every request carries, and every authenticated one. */
  public static final String EVERYONE = "system.Everyone";
  public static final String AUTHENTICATED = "system.Authenticated";

  /**
   * Seals a push subscription into the token of its endpoint URL. Request: {@code {"uaid": "<32 lower-case hex>",
   * "channel_id": "<lower-case dashed UUID>", "vapid_key": "<application server's P-256 key, base64url>"?}}.
   * Reply: {@code {"token": "<base64url>", "vapid_key_hash": "<base64url SHA-256 of the key>"?}}; the hash is
   * there when a key was given, and the push service then hands out a {@code /wpush/v2/} endpoint. Fails with
   * errno 107 (invalid parameters) for a malformed uaid, channel id or key.
   */
  public static final String ENDPOINT_SEAL = "syncline.token.endpoint.seal";

  /**
   * Opens an endpoint token. Request: {@code {"token": "<base64url>"}}. Reply: {@code {"uaid", "channel_id",
   * "vapid_key_hash"?}}. A tampered, truncated or foreign token, or one sealed with a key no longer configured,
   * fails with errno 111 ({@code MISSING_RESOURCE}, HTTP 404): for the sender such an endpoint simply does not
   * exist, which is what the Web Push protocol answers; 110 would suggest a well-formed id of a missing record.
   */
  public static final String ENDPOINT_OPEN = "syncline.token.endpoint.open";

  /**
   * Verifies a VAPID proof (RFC 8292) sent to a push endpoint. Request: {@code {"authorization": "<Authorization
   * header>", "crypto_key": "<Crypto-Key header>"?, "audience": "<origin of the endpoint, e.g.
   * https://push.example.com>", "vapid_key_hash": "<base64url, from ENDPOINT_OPEN>"?}}. Takes {@code vapid t=..,
   * k=..} and the older {@code WebPush <jwt>} with {@code Crypto-Key: p256ecdsa=..}. Reply:
   * {@code {"vapid_key_hash": "<base64url SHA-256 of the presented key>", "subject": "<sub claim>"?}}. Fails with
   * errno 104 when there is no VAPID authorization at all, 105 when it is present but wrong (signature, ES256,
   * audience, expiry missing, past or more than 24 h ahead, subject not mailto:/https:, key not matching the given
   * hash), 107 when the request lacks {@code audience}.
   */
  public static final String VAPID_VERIFY = "syncline.token.vapid.verify";

  public static final String UAID = "uaid";
  public static final String CHANNEL_ID = "channel_id";
  public static final String VAPID_KEY = "vapid_key";
  public static final String VAPID_KEY_HASH = "vapid_key_hash";
  public static final String TOKEN = "token";
  public static final String CRYPTO_KEY = "crypto_key";
  public static final String AUDIENCE = "audience";
  public static final String SUBJECT = "subject";

  private TokenBus() {
  }
}
