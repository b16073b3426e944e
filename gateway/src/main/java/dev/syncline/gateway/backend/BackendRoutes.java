package dev.syncline.gateway.backend;

import dev.syncline.contracts.bus.LiveBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.gateway.node.ClusterView;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * The trusted backend's live API, on the backend listener behind the {@code X-Backend-Key} check: publish to a
 * channel, send an event to a user's connections on every node, issue subscription tokens, post deltas of the
 * application's own models, list who is connected where. The live verticle does the work; requests that concern
 * every node go to each node's clustered address.
 */
public final class BackendRoutes {
  private static final long TIMEOUT_MS = 10_000;
  private static final String UNANSWERED = "unanswered_nodes";

  private final EventBus bus;
  private final ClusterView cluster;
  private final int maxBodyBytes;

  public BackendRoutes(EventBus bus, ClusterView cluster, int maxBodyBytes) {
    this.bus = bus;
    this.cluster = cluster;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** After the backend key check. */
  public void mount(Router router) {
    router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
    router.post("/v1/channels/:channel/messages").handler(this::publish);
    router.post("/v1/users/:user/events").handler(this::sendToUser);
    router.get("/v1/users").handler(this::users);
    router.post("/v1/authorizations").handler(this::authorize);
    router.post("/v1/models/:model/deltas").handler(this::deltas);
  }

  private void publish(RoutingContext ctx) {
    JsonObject body = object(ctx);
    if (!body.containsKey("message")) {
      ctx.fail(new SynclineException(ErrorCode.INVALID_PARAMETERS, "The body is {\"message\": <any JSON>}"));
      return;
    }
    local(LiveBus.PUBLISH, new JsonObject().put(LiveBus.CHANNEL, ctx.pathParam("channel"))
            .put(LiveBus.MESSAGE, body.getValue("message")))
        .onSuccess(answer -> json(ctx, 201, answer))
        .onFailure(ctx::fail);
  }

  private void sendToUser(RoutingContext ctx) {
    JsonObject body = object(ctx);
    if (!body.containsKey("event")) {
      ctx.fail(new SynclineException(ErrorCode.INVALID_PARAMETERS, "The body is {\"event\": <any JSON>}"));
      return;
    }
    String userId = ctx.pathParam("user");
    everyNode(new JsonObject().put(LiveBus.ACTION, LiveBus.SEND).put(LiveBus.USER_ID, userId)
            .put(LiveBus.EVENT, body.getValue("event")))
        .onSuccess(asked -> json(ctx, 200, new JsonObject().put("user_id", userId)
            .put("connections", asked.answers().stream().mapToInt(answer -> answer.getInteger("connections")).sum())
            .put(UNANSWERED, asked.unanswered())))
        .onFailure(ctx::fail);
  }

  private void users(RoutingContext ctx) {
    everyNode(new JsonObject().put(LiveBus.ACTION, LiveBus.USERS))
        .onSuccess(asked -> {
          JsonObject totals = new JsonObject();
          asked.answers().forEach(node -> node.getJsonObject("users").forEach(entry -> totals.put(entry.getKey(),
              totals.getInteger(entry.getKey(), 0) + (Integer) entry.getValue())));
          json(ctx, 200, new JsonObject().put("nodes", new JsonArray(List.copyOf(asked.answers())))
              .put("connections", asked.answers().stream().mapToInt(answer -> answer.getInteger("connections")).sum())
              .put("users", totals)
              .put(UNANSWERED, asked.unanswered()));
        })
        .onFailure(ctx::fail);
  }

  private void authorize(RoutingContext ctx) {
    local(LiveBus.AUTHORIZE, object(ctx))
        .onSuccess(answer -> json(ctx, 201, answer))
        .onFailure(ctx::fail);
  }

  private void deltas(RoutingContext ctx) {
    // Snorky's shapes: one delta, a list of them, or {"deltas": [...]}; the model comes from the path.
    Object body = ctx.body().buffer() == null ? null : Json.decodeValue(ctx.body().buffer());
    Object deltas = body instanceof JsonObject object && object.containsKey("deltas") ? object.getValue("deltas")
        : body;
    local(LiveBus.DELTAS, new JsonObject().put(LiveBus.MODEL, ctx.pathParam("model"))
            .put(LiveBus.DELTAS_FIELD, deltas))
        .onSuccess(answer -> json(ctx, 202, answer))
        .onFailure(ctx::fail);
  }

  /** The body as a JSON object; a DecodeException (400 errno 106) or an empty object when there is none. */
  private static JsonObject object(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    return body == null ? new JsonObject() : body;
  }

  private Future<JsonObject> local(String address, JsonObject request) {
    return bus.<JsonObject>request(address, request, new DeliveryOptions().setLocalOnly(true)
        .setSendTimeout(TIMEOUT_MS)).map(reply -> reply.body());
  }

  /**
   * The answers of every member's live verticle. A member that does not answer (still starting, or leaving) is
   * left out rather than failing the whole request: its connections are as good as gone.
   */
  /** What the nodes answered, and the ids of those that did not (gone, or too slow) and may have missed it. */
  private record Asked(List<JsonObject> answers, JsonArray unanswered) {
  }

  private Future<Asked> everyNode(JsonObject request) {
    List<String> nodeIds = cluster.nodeIds();
    List<Future<JsonObject>> asked = nodeIds.stream()
        .map(nodeId -> bus.<JsonObject>request(LiveBus.node(nodeId), request,
                new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
            .map(reply -> reply.body()))
        .toList();
    return Future.join(asked).otherwiseEmpty().map(all -> {
      List<JsonObject> answers = new ArrayList<>();
      JsonArray unanswered = new JsonArray();
      for (int i = 0; i < asked.size(); i++) {
        if (asked.get(i).succeeded()) {
          answers.add(asked.get(i).result());
        } else {
          unanswered.add(nodeIds.get(i));
        }
      }
      return new Asked(answers, unanswered);
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(body.encode());
  }
}
