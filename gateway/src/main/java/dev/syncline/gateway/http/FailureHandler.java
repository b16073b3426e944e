package dev.syncline.gateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;

/**
 * Every {@code ctx.fail(...)} and every unmatched route ends here and leaves as a Kinto error body, which a
 * protocol with its own conventions may then add to (the Web Push endpoint does, by path).
 */
public final class FailureHandler implements Handler<RoutingContext> {
  private final ErrorMapper errors;
  private final BiFunction<String, ApiResponse, ApiResponse> byPath;

  public FailureHandler(ErrorMapper errors, BiFunction<String, ApiResponse, ApiResponse> byPath) {
    this.errors = errors;
    this.byPath = byPath;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    ApiResponse response = errors.toResponse(ctx.failure(), ctx.statusCode(), ctx.request().method() + " " + path);
    byPath.apply(path, response).write(ctx);
  }
}
