package dev.syncline.gateway.http;

import dev.syncline.contracts.errors.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes the Kinto error body, {@code {code, errno, error, message, details}}, with the headers each status needs. */
final class ErrorResponses {
  private final int retryAfterSeconds;

  ErrorResponses(int retryAfterSeconds) {
    this.retryAfterSeconds = retryAfterSeconds;
  }

  void send(RoutingContext ctx, ErrorCode code, String message, Object details) {
    var response = ctx.response();
    if (response.headWritten()) {
      ctx.request().connection().close();
      return;
    }
    JsonObject body = new JsonObject()
        .put("code", code.status())
        .put("errno", code.errno())
        .put("error", code.reason())
        .put("message", message);
    if (details != null) {
      body.put("details", details);
    }
    response.setStatusCode(code.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    if (code.status() == 503 || code.status() == 429) {
      response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
    }
    if (code.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"syncline\"");
    }
    if (ctx.request().method() == io.vertx.core.http.HttpMethod.HEAD) {
      response.end();
    } else {
      response.end(body.encode());
    }
  }
}
