package dev.syncline.gateway.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Successful JSON answers, written the same way everywhere. */
final class Responses {
  private Responses() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(body.encode());
  }

  static void redirect(RoutingContext ctx, String location) {
    ctx.response()
        .setStatusCode(307)
        .putHeader(HttpHeaders.LOCATION, location)
        .end();
  }
}
