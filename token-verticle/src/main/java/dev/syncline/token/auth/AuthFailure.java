package dev.syncline.token.auth;

import dev.syncline.contracts.errors.ErrorCode;

/**
 * A refusal with the errno the bus reply carries. The message is short and safe to show a client: it says which
 * rule failed, never the credential or a key.
 */
public final class AuthFailure extends RuntimeException {
  private final ErrorCode code;
  private final long retryAfterSeconds;

  private AuthFailure(ErrorCode code, String message) {
    this(code, message, 0);
  }

  private AuthFailure(ErrorCode code, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Errno 117: too many password failures; the client may try again after the given seconds. */
  public static AuthFailure tooManyAttempts(long retryAfterSeconds) {
    return new AuthFailure(ErrorCode.TOO_MANY_REQUESTS, "too many failed attempts, try again later",
        retryAfterSeconds);
  }

  public static AuthFailure missing(String message) {
    return new AuthFailure(ErrorCode.MISSING_AUTH, message);
  }

  public static AuthFailure invalid(String message) {
    return new AuthFailure(ErrorCode.INVALID_AUTH, message);
  }

  public static AuthFailure of(ErrorCode code, String message) {
    return new AuthFailure(code, message);
  }

  public ErrorCode code() {
    return code;
  }

  /** Seconds a 117 refusal lasts; 0 for other refusals. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
