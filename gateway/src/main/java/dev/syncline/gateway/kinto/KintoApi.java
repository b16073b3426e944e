package dev.syncline.gateway.kinto;

import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.contracts.bus.TokenBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.gateway.http.ApiResponse;
import dev.syncline.gateway.http.ErrorMapper;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The Kinto resources ({@code /buckets/...}) as a function from request to answer, so that plain requests and
 * batch sub-requests take exactly the same path. It never fails: every refusal comes back as an error answer.
 */
public final class KintoApi {
  private static final long STORAGE_TIMEOUT_MS = 30_000;
  private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.POST,
      HttpMethod.DELETE);
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final EventBus bus;
  private final Authenticator authenticator;
  private final ErrorMapper errors;
  private final Supplier<String> publicUrl;
  private final boolean readonly;
  private final AtomicInteger inFlight;

  /** {@code inFlight} is shared by the node's gateway instances, so that it measures the node's load. */
  public KintoApi(EventBus bus, Authenticator authenticator, ErrorMapper errors, Supplier<String> publicUrl,
      boolean readonly, AtomicInteger inFlight) {
    this.bus = bus;
    this.inFlight = inFlight;
    this.authenticator = authenticator;
    this.errors = errors;
    this.publicUrl = publicUrl;
    this.readonly = readonly;
  }

  public Future<ApiResponse> handle(ApiRequest request) {
    Future<ApiResponse> answer;
    try {
      answer = dispatch(request);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer.recover(failure -> Future.succeededFuture(
        withExistingTag(errors.toResponse(failure, 500, request.method() + " /v1" + request.path()))));
  }

  /** A 412 tells the client the current object's timestamp, as Kinto does. */
  private static ApiResponse withExistingTag(ApiResponse response) {
    if (response.status() == 412 && response.body() != null
        && response.body().getValue("details") instanceof JsonObject details
        && details.getValue("existing") instanceof JsonObject existing
        && existing.getValue("last_modified") instanceof Number timestamp) {
      response.header("ETag", etag(timestamp.longValue()));
    }
    return response;
  }

  private Future<ApiResponse> dispatch(ApiRequest request) {
    ResourcePath path = ResourcePath.parse(request.path());
    if (path == null) {
      throw new SynclineException(ErrorCode.MISSING_RESOURCE, "The resource you are looking for could not be found.");
    }
    HttpMethod method = request.method();
    boolean allowed = path.list()
        ? Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.DELETE).contains(method)
        : Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE).contains(method);
    if (!allowed) {
      throw new SynclineException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed on this endpoint.");
    }
    if (readonly && WRITES.contains(method)) {
      throw new SynclineException(ErrorCode.METHOD_NOT_ALLOWED, "The server is in read-only mode.");
    }
    return authenticator.caller(request.header("Authorization"), request.clientAddress())
        .compose(caller -> path.list() ? list(request, path, caller) : object(request, path, caller));
  }

  private Future<ApiResponse> object(ApiRequest request, ResourcePath path, JsonObject caller) {
    JsonObject storage = withCaller(path.storageRequest(), caller);
    Preconditions.addTo(storage, request);
    HttpMethod method = request.method();
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      return call(StorageBus.GET, storage).map(this::objectAnswer);
    }
    if (method == HttpMethod.PUT) {
      JsonObject body = bodyObject(request);
      storage.put(StorageBus.DATA, body.getValue("data")).put(StorageBus.PERMISSIONS, body.getValue("permissions"));
      return call(StorageBus.PUT, storage).map(this::objectAnswer);
    }
    if (method == HttpMethod.PATCH) {
      return call(StorageBus.PATCH, patchRequest(storage, request)).map(this::objectAnswer);
    }
    String lastModified = request.query().get("last_modified");
    if (lastModified != null) {
      storage.put(StorageBus.LAST_MODIFIED, timestampParam("last_modified", lastModified));
    }
    return call(StorageBus.DELETE, storage).map(this::objectAnswer);
  }

  private Future<ApiResponse> list(ApiRequest request, ResourcePath path, JsonObject caller) {
    JsonObject storage = withCaller(path.storageRequest(), caller);
    HttpMethod method = request.method();
    if (method == HttpMethod.POST) {
      JsonObject body = bodyObject(request);
      Preconditions.addTo(storage, request);
      storage.put(StorageBus.DATA, body.getValue("data")).put(StorageBus.PERMISSIONS, body.getValue("permissions"));
      return call(StorageBus.CREATE, storage).map(this::objectAnswer);
    }
    JsonObject query = ListParams.parse(request.query());
    storage.put(StorageBus.QUERY, query.put(StorageBus.COUNT, method == HttpMethod.HEAD));
    if (method == HttpMethod.DELETE) {
      return call(StorageBus.DELETE_LIST, storage).map(reply -> listAnswer(request, reply));
    }
    return call(StorageBus.LIST, storage).map(reply -> listAnswer(request, reply));
  }

  private JsonObject patchRequest(JsonObject storage, ApiRequest request) {
    String contentType = request.header("Content-Type") == null ? "" : request.header("Content-Type").toLowerCase();
    if (contentType.startsWith("application/json-patch+json")) {
      Object operations = bodyValue(request);
      if (!(operations instanceof JsonArray)) {
        throw bodyInvalid("A JSON Patch is an array of operations");
      }
      return storage.put(StorageBus.PATCH_TYPE, "json-patch").put(StorageBus.DATA, operations);
    }
    JsonObject body = bodyObject(request);
    return storage.put(StorageBus.PATCH_TYPE,
            contentType.startsWith("application/merge-patch+json") ? "merge-patch" : "merge")
        .put(StorageBus.DATA, body.getValue("data"))
        .put(StorageBus.PERMISSIONS, body.getValue("permissions"));
  }

  private ApiResponse objectAnswer(JsonObject reply) {
    long timestamp = reply.getLong(StorageBus.TIMESTAMP);
    if (reply.getBoolean(StorageBus.NOT_MODIFIED, false)) {
      return new ApiResponse(304, new java.util.LinkedHashMap<>(), null).header("ETag", etag(timestamp));
    }
    JsonObject body = new JsonObject().put("data", reply.getJsonObject(StorageBus.DATA));
    if (reply.containsKey(StorageBus.PERMISSIONS)) {
      body.put("permissions", reply.getJsonObject(StorageBus.PERMISSIONS));
    }
    ApiResponse answer = ApiResponse.json(reply.getBoolean(StorageBus.CREATED, false) ? 201 : 200, body)
        .header("ETag", etag(timestamp))
        .header("Last-Modified", HTTP_DATE.format(Instant.ofEpochMilli(timestamp)));
    if (reply.containsKey(StorageBus.QUOTA_REMAINING)) {
      // In kilobytes, as Syncto sent it.
      answer.header("Quota-Remaining", String.valueOf(reply.getLong(StorageBus.QUOTA_REMAINING) / 1024));
    }
    return answer;
  }

  private ApiResponse listAnswer(ApiRequest request, JsonObject reply) {
    long timestamp = reply.getLong(StorageBus.TIMESTAMP);
    ApiResponse answer = ApiResponse.json(200, new JsonObject().put("data", reply.getJsonArray(StorageBus.DATA)))
        .header("ETag", etag(timestamp))
        .header("Last-Modified", HTTP_DATE.format(Instant.ofEpochMilli(timestamp)));
    String token = reply.getString(StorageBus.NEXT_TOKEN);
    if (token != null) {
      answer.header("Next-Page", nextPage(request, reply.getJsonArray(StorageBus.DATA).size(), token));
    }
    if (reply.containsKey(StorageBus.TOTAL)) {
      String total = String.valueOf(reply.getLong(StorageBus.TOTAL));
      answer.header("Total-Objects", total).header("Total-Records", total);
    }
    return answer;
  }

  /** The absolute URL of the next page: the request's own parameters, its page size and the opaque token. */
  private String nextPage(ApiRequest request, int pageSize, String token) {
    StringBuilder url = new StringBuilder(publicUrl.get()).append("/v1").append(request.path()).append('?');
    for (Map.Entry<String, String> param : request.query()) {
      if (!param.getKey().equals("_token") && !param.getKey().equals("_limit")) {
        url.append(encode(param.getKey())).append('=').append(encode(param.getValue())).append('&');
      }
    }
    String limit = request.query().get("_limit");
    url.append("_limit=").append(limit != null ? encode(limit) : pageSize).append("&_token=").append(token);
    return url.toString();
  }

  /** Storage requests this API has sent and not yet seen answered: the node's load, for {@code Backoff}. */
  public int inFlight() {
    return inFlight.get();
  }

  private Future<JsonObject> call(String address, JsonObject storageRequest) {
    inFlight.incrementAndGet();
    return bus.<JsonObject>request(address, storageRequest,
            new DeliveryOptions().setSendTimeout(STORAGE_TIMEOUT_MS).setLocalOnly(true))
        .onComplete(done -> inFlight.decrementAndGet())
        .map(reply -> reply.body());
  }

  private static JsonObject withCaller(JsonObject storageRequest, JsonObject caller) {
    return storageRequest.put(StorageBus.USER_ID, caller.getString(TokenBus.USER_ID))
        .put(StorageBus.PRINCIPALS, caller.getJsonArray(TokenBus.PRINCIPALS));
  }

  private static JsonObject bodyObject(ApiRequest request) {
    Object value = bodyValue(request);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw bodyInvalid("The body must be a JSON object");
    }
    return object;
  }

  private static Object bodyValue(ApiRequest request) {
    if (request.body() == null || request.body().length() == 0) {
      return null;
    }
    try {
      return Json.decodeValue(request.body());
    } catch (DecodeException e) {
      throw new SynclineException(ErrorCode.INVALID_JSON, "Invalid JSON in the request body");
    }
  }

  private static SynclineException bodyInvalid(String description) {
    return new SynclineException(ErrorCode.INVALID_PARAMETERS, "body: " + description,
        new JsonArray().add(new JsonObject().put("location", "body").put("name", "body")
            .put("description", description)));
  }

  private static long timestampParam(String name, String value) {
    try {
      return Long.parseLong(value.replace("\"", "").trim());
    } catch (NumberFormatException e) {
      throw ListParams.invalid(name, "an integer timestamp is expected");
    }
  }

  static String etag(long timestamp) {
    return "\"" + timestamp + "\"";
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
