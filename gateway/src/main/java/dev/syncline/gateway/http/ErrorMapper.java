package dev.syncline.gateway.http;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.FailureMessages;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes a Kinto error answer {@code {code, errno, error, message, details}}: bus
 * failures carry their errno as failure code, a refusal knows its code, an unmatched route has a status. A failure
 * we cannot name is a bug: it is logged with its stack trace and answered 500 errno 999.
 */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  private final int retryAfterSeconds;
  private final String challenge;

  public ErrorMapper(int retryAfterSeconds) {
    this(retryAfterSeconds, false);
  }

  /** With {@code basic}, a 401 also offers HTTP Basic (accounts), as Kinto does. */
  public ErrorMapper(int retryAfterSeconds, boolean basic) {
    this.retryAfterSeconds = retryAfterSeconds;
    this.challenge = basic ? "Bearer realm=\"syncline\", Basic realm=\"syncline\"" : "Bearer realm=\"syncline\"";
  }

  public ApiResponse toResponse(Throwable failure, int status, String where) {
    if (failure instanceof SynclineException refusal) {
      return error(refusal.code(), refusal.getMessage(), refusal.details());
    }
    if (failure instanceof ReplyException reply) {
      return replyFailure(reply);
    }
    if (failure instanceof DecodeException) {
      return error(ErrorCode.INVALID_JSON, "Invalid JSON in the request body", null);
    }
    if (failure instanceof HttpException http) {
      return byStatus(http.getStatusCode(), failure, where);
    }
    return byStatus(status, failure, where);
  }

  public ApiResponse error(ErrorCode code, String message, Object details) {
    JsonObject body = new JsonObject()
        .put("code", code.status())
        .put("errno", code.errno())
        .put("error", code.reason())
        .put("message", message);
    if (details != null) {
      body.put("details", details);
    }
    ApiResponse response = ApiResponse.json(code.status(), body);
    if (code.status() == 503 || code.status() == 429) {
      // A lockout knows when it ends; everything else gets the configured hint.
      long retryAfter = details instanceof JsonObject json && json.getValue("retry_after") instanceof Number seconds
          ? seconds.longValue() : retryAfterSeconds;
      response.header("Retry-After", String.valueOf(retryAfter));
    }
    if (code.status() == 401) {
      response.header("WWW-Authenticate", challenge);
    }
    return response;
  }

  private ApiResponse replyFailure(ReplyException reply) {
    return switch (reply.failureType()) {
      case RECIPIENT_FAILURE -> {
        ErrorCode code = ErrorCode.ofErrno(reply.failureCode());
        if (code == ErrorCode.UNDEFINED) {
          // 999 was logged where it happened; any other unknown code is a contract mismatch worth a line here.
          if (reply.failureCode() != ErrorCode.UNDEFINED.errno()) {
            LOG.error("Unexpected failure code {} from a bus consumer: {}", reply.failureCode(), reply.getMessage());
          }
          yield error(code, "Internal error", null);
        }
        SynclineException refusal = FailureMessages.read(code, reply.getMessage());
        yield error(code, refusal.getMessage(), refusal.details());
      }
      case NO_HANDLERS -> error(ErrorCode.BACKEND_UNAVAILABLE, "A service of this node is not running", null);
      case TIMEOUT -> error(ErrorCode.BACKEND_TIMEOUT, "A service of this node did not answer in time", null);
      default -> internal(reply, "bus");
    };
  }

  private ApiResponse byStatus(int status, Throwable failure, String where) {
    return switch (status) {
      case 400 -> error(ErrorCode.INVALID_PARAMETERS, "Invalid request", null);
      case 404 -> error(ErrorCode.MISSING_RESOURCE, "The resource you are looking for could not be found.", null);
      case 405 -> error(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed on this endpoint.", null);
      case 413 -> error(ErrorCode.BODY_TOO_LARGE, "Request body too large", null);
      case 503 -> error(ErrorCode.BACKEND_UNAVAILABLE, "Service unavailable", null);
      default -> internal(failure, where);
    };
  }

  private ApiResponse internal(Throwable failure, String where) {
    LOG.error("Unhandled failure on {}", where, failure);
    return error(ErrorCode.UNDEFINED, "Internal error", null);
  }
}
