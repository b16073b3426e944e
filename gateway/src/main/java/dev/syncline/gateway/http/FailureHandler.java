package dev.syncline.gateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Every {@code ctx.fail(...)} and every unmatched route ends here and leaves as a Kinto error body. */
public final class FailureHandler implements Handler<RoutingContext> {
  private final ErrorMapper errors;

  public FailureHandler(ErrorMapper errors) {
    this.errors = errors;
  }

  @Override
  public void handle(RoutingContext ctx) {
    errors.toResponse(ctx.failure(), ctx.statusCode(), ctx.request().method() + " " + ctx.request().path())
        .write(ctx);
  }
}
