package dev.syncline.contracts.errors;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Kinto errno catalogue, each with the HTTP status it travels with.
 *
 * <p>The errno doubles as the event-bus failure code: a consumer answers {@code msg.fail(code.errno(), text)}
 * and the gateway turns it into the Kinto error body, so no handler ever builds error JSON itself.
 */
public enum ErrorCode {
  MISSING_AUTH(104, 401, "Unauthorized"),
  INVALID_AUTH(105, 401, "Unauthorized"),
  INVALID_JSON(106, 400, "Bad Request"),
  INVALID_PARAMETERS(107, 400, "Bad Request"),
  MISSING_PARAMETER(108, 400, "Bad Request"),
  INVALID_POSTED_DATA(109, 400, "Bad Request"),
  INVALID_ID(110, 404, "Not Found"),
  MISSING_RESOURCE(111, 404, "Not Found"),
  MISSING_CONTENT_LENGTH(112, 411, "Length Required"),
  BODY_TOO_LARGE(113, 413, "Request Entity Too Large"),
  MODIFIED_MEANWHILE(114, 412, "Precondition Failed"),
  METHOD_NOT_ALLOWED(115, 405, "Method Not Allowed"),
  VERSION_NOT_AVAILABLE(116, 404, "Not Found"),
  TOO_MANY_REQUESTS(117, 429, "Too Many Requests"),
  FORBIDDEN(121, 403, "Forbidden"),
  CONSTRAINT_VIOLATED(122, 409, "Conflict"),
  BACKEND_UNAVAILABLE(201, 503, "Service Unavailable"),
  BACKEND_TIMEOUT(201, 504, "Gateway Timeout"),
  SERVICE_DEPRECATED(202, 410, "Gone"),
  INSUFFICIENT_STORAGE(507, 507, "Insufficient Storage"),
  UNDEFINED(999, 500, "Internal Server Error");

  private static final Map<Integer, ErrorCode> BY_ERRNO = Arrays.stream(values())
      .filter(code -> code != BACKEND_TIMEOUT)
      .collect(Collectors.toUnmodifiableMap(ErrorCode::errno, Function.identity()));

  private final int errno;
  private final int status;
  private final String reason;

  ErrorCode(int errno, int status, String reason) {
    this.errno = errno;
    this.status = status;
    this.reason = reason;
  }

  public int errno() {
    return errno;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  /** The code a bus failure carries; anything we do not know is an internal error, never a guess. */
  public static ErrorCode ofErrno(int errno) {
    return BY_ERRNO.getOrDefault(errno, UNDEFINED);
  }
}
