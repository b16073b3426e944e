package dev.syncline.gateway.kinto;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.gateway.http.ApiResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/batch}: sub-requests run one after the other through {@link KintoApi}, each on its own, so a
 * refused one does not undo the others; the answers come back in order.
 */
public final class BatchApi {
  private static final Set<String> TOP_LEVEL = Set.of("defaults", "requests");
  private static final Set<String> REQUEST_KEYS = Set.of("method", "path", "headers", "body");

  private final KintoApi api;
  private final int maxRequests;

  public BatchApi(KintoApi api, int maxRequests) {
    this.api = api;
    this.maxRequests = maxRequests;
  }

  public Future<ApiResponse> handle(ApiRequest outer) {
    List<JsonObject> requests;
    try {
      requests = parse(outer.body());
    } catch (SynclineException e) {
      return Future.failedFuture(e);
    }
    JsonArray responses = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (JsonObject request : requests) {
      chain = chain.compose(done -> run(outer, request).map(entry -> {
        responses.add(entry);
        return null;
      }));
    }
    return chain.map(done -> ApiResponse.json(200, new JsonObject().put("responses", responses)));
  }

  private Future<JsonObject> run(ApiRequest outer, JsonObject request) {
    String path = request.getString("path");
    String relative = path.startsWith("/v1/") || path.equals("/v1") ? path.substring(3) : path;
    QueryStringDecoder decoder = new QueryStringDecoder(relative);
    MultiMap query = MultiMap.caseInsensitiveMultiMap();
    decoder.parameters().forEach(query::add);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(outer.headers());
    headers.remove("Content-Length");
    JsonObject subHeaders = request.getJsonObject("headers", new JsonObject());
    subHeaders.forEach(header -> headers.set(header.getKey(), String.valueOf(header.getValue())));
    Object body = request.getValue("body");
    Buffer buffer = body == null ? null : Buffer.buffer(Json.encode(body));
    HttpMethod method = HttpMethod.valueOf(request.getString("method", "GET").toUpperCase());
    ApiRequest sub = new ApiRequest(method, decoder.path(), query, headers, buffer, outer.clientAddress());
    return api.handle(sub).map(response -> response.toBatchEntry("/v1" + relative));
  }

  private List<JsonObject> parse(Buffer body) {
    JsonObject batch;
    try {
      batch = body == null || body.length() == 0 ? null : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new SynclineException(ErrorCode.INVALID_JSON, "Invalid JSON in the request body");
    }
    if (batch == null || !(batch.getValue("requests") instanceof JsonArray requests)) {
      throw invalid("requests", "requests is a required list of requests");
    }
    for (String key : batch.fieldNames()) {
      if (!TOP_LEVEL.contains(key)) {
        throw invalid(key, "unknown field");
      }
    }
    if (requests.size() > maxRequests) {
      throw invalid("requests", "Number of requests is limited to " + maxRequests);
    }
    JsonObject defaults = batch.getValue("defaults") instanceof JsonObject given ? given : new JsonObject();
    List<JsonObject> merged = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      if (!(requests.getValue(i) instanceof JsonObject request)) {
        throw invalid("requests." + i, "a request is an object");
      }
      merged.add(merge(defaults, request, i));
    }
    return merged;
  }

  private JsonObject merge(JsonObject defaults, JsonObject request, int index) {
    JsonObject merged = defaults.copy();
    request.forEach(entry -> merged.put(entry.getKey(), entry.getValue()));
    if (defaults.getValue("headers") instanceof JsonObject defaultHeaders
        && request.getValue("headers") instanceof JsonObject headers) {
      merged.put("headers", defaultHeaders.copy().mergeIn(headers));
    }
    for (String key : merged.fieldNames()) {
      if (!REQUEST_KEYS.contains(key)) {
        throw invalid("requests." + index + "." + key, "unknown field");
      }
    }
    if (!(merged.getValue("path") instanceof String path) || !path.startsWith("/")) {
      throw invalid("requests." + index + ".path", "path is required and starts with /");
    }
    if (path.startsWith("/batch") || path.startsWith("/v1/batch")) {
      throw invalid("requests." + index + ".path", "Recursive calls to /batch are not allowed");
    }
    String method = String.valueOf(merged.getValue("method", "GET")).toUpperCase();
    if (!Set.of("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE").contains(method)) {
      throw invalid("requests." + index + ".method", "unknown method " + method);
    }
    if (merged.getValue("headers") != null && !(merged.getValue("headers") instanceof JsonObject)) {
      throw invalid("requests." + index + ".headers", "headers is an object");
    }
    return merged;
  }

  private static SynclineException invalid(String name, String description) {
    return new SynclineException(ErrorCode.INVALID_PARAMETERS, name + " in body: " + description,
        new JsonArray().add(new JsonObject().put("location", "body").put("name", name)
            .put("description", description)));
  }
}
