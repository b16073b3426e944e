package dev.syncline.token.auth;

import dev.syncline.contracts.errors.ErrorCode;

/**
 * A refusal with the errno the bus reply carries. The message is short and safe to show a client: it says which
 * rule failed, never the credential or a key.
 */
public final class AuthFailure extends RuntimeException {
  private final ErrorCode code;

  private AuthFailure(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
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
}
