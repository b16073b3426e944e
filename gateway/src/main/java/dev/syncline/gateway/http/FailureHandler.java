package dev.syncline.gateway.http;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an HTTP answer: every {@code ctx.fail(...)}, every failed bus request and
 * every unmatched route ends here and leaves as a Kinto error body. A failure we cannot name is a bug: it is
 * logged with its stack trace and answered 500 errno 999.
 */
final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  private final ErrorResponses responses;

  FailureHandler(ErrorResponses responses) {
    this.responses = responses;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof SynclineException refusal) {
      responses.send(ctx, refusal.code(), refusal.getMessage(), refusal.details());
    } else if (failure instanceof ReplyException reply) {
      replyFailure(ctx, reply);
    } else if (failure instanceof DecodeException) {
      responses.send(ctx, ErrorCode.INVALID_JSON, "Invalid JSON in the request body", null);
    } else if (failure instanceof HttpException http) {
      byStatus(ctx, http.getStatusCode(), failure);
    } else {
      byStatus(ctx, ctx.statusCode(), failure);
    }
  }

  private void replyFailure(RoutingContext ctx, ReplyException reply) {
    switch (reply.failureType()) {
      case RECIPIENT_FAILURE -> {
        ErrorCode code = ErrorCode.ofErrno(reply.failureCode());
        if (code == ErrorCode.UNDEFINED) {
          LOG.error("Unexpected failure code {} from a bus consumer: {}", reply.failureCode(), reply.getMessage());
          responses.send(ctx, code, "Internal error", null);
        } else {
          responses.send(ctx, code, reply.getMessage(), null);
        }
      }
      case NO_HANDLERS -> responses.send(ctx, ErrorCode.BACKEND_UNAVAILABLE, "A service of this node is not running",
          null);
      case TIMEOUT -> responses.send(ctx, ErrorCode.BACKEND_TIMEOUT, "A service of this node did not answer in time",
          null);
      default -> internal(ctx, reply);
    }
  }

  private void byStatus(RoutingContext ctx, int status, Throwable failure) {
    switch (status) {
      case 400 -> responses.send(ctx, ErrorCode.INVALID_PARAMETERS, "Invalid request", null);
      case 404 -> responses.send(ctx, ErrorCode.MISSING_RESOURCE, "The resource you are looking for could not be found.",
          null);
      case 405 -> responses.send(ctx, ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed on this endpoint.", null);
      case 413 -> responses.send(ctx, ErrorCode.BODY_TOO_LARGE, "Request body too large", null);
      case 503 -> responses.send(ctx, ErrorCode.BACKEND_UNAVAILABLE, "Service unavailable", null);
      default -> internal(ctx, failure);
    }
  }

  private void internal(RoutingContext ctx, Throwable failure) {
    LOG.error("Unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
    responses.send(ctx, ErrorCode.UNDEFINED, "Internal error", null);
  }
}
