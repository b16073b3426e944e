package dev.syncline.gateway.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer of the API before it is written: batch sub-requests collect these, plain requests write them. Every
 * JSON answer is {@code no-cache}; a HEAD answer keeps its headers and drops its body.
 */
public record ApiResponse(int status, Map<String, String> headers, JsonObject body) {

  public static ApiResponse json(int status, JsonObject body) {
    return new ApiResponse(status, new LinkedHashMap<>(), body);
  }

  public ApiResponse header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public void write(RoutingContext ctx) {
    var response = ctx.response();
    if (response.headWritten()) {
      ctx.request().connection().close();
      return;
    }
    response.setStatusCode(status);
    headers.forEach(response::putHeader);
    response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    if (body == null || ctx.request().method() == HttpMethod.HEAD) {
      if (body != null) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
      }
      response.end();
    } else {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }
  }

  /** The object a batch puts in its {@code responses} array. */
  public JsonObject toBatchEntry(String path) {
    JsonObject headerObject = new JsonObject();
    headers.forEach(headerObject::put);
    return new JsonObject().put("status", status).put("path", path).put("headers", headerObject)
        .put("body", body);
  }
}
