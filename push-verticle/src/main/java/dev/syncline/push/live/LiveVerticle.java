package dev.syncline.push.live;

import dev.syncline.contracts.bus.LiveBus;
import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.contracts.config.NodeIdentity;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.FailureMessages;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Live data on this node: forwards every change committed here to the collection's clustered address, so that
 * the nodes with subscribers to it receive it, and holds this node's subscribers' interest in collections,
 * channels and models. Serves the backend API's requests (publish, authorize, deltas) and the cluster's requests
 * about this node's connections.
 */
public final class LiveVerticle extends VerticleBase {
  private static final Set<String> DELTA_TYPES = Set.of("insert", "update", "delete");

  private volatile LiveConnection.Services services;

  @Override
  public Future<?> start() {
    LiveSettings settings = LiveSettings.from(config());
    String nodeId = NodeIdentity.from(config()).nodeId();
    Topics topics = new Topics(vertx, context);
    LiveConnection.Services ready = new LiveConnection.Services(vertx, settings, new Feeds(vertx, context),
        new Channels(vertx, context, topics), new Authorizations(vertx, settings), new LiveUsers(context));
    var bus = vertx.eventBus();
    return Future.all(List.of(
            bus.<JsonObject>localConsumer(StorageBus.CHANGES, this::forward).completion(),
            bus.<JsonObject>localConsumer(StorageBus.ACCESS_CHANGED,
                msg -> bus.publish(LiveBus.ACCESS, msg.body())).completion(),
            bus.<JsonObject>consumer(LiveBus.ACCESS,
                msg -> ready.feeds().recheck(msg.body().getString(StorageBus.BUCKET))).completion(),
            bus.<JsonObject>localConsumer(LiveBus.PUBLISH, msg -> answer(msg, publish(ready, msg.body())))
                .completion(),
            bus.<JsonObject>localConsumer(LiveBus.AUTHORIZE, msg -> answer(msg,
                ready.authorizations().issue(msg.body()))).completion(),
            bus.<JsonObject>localConsumer(LiveBus.DELTAS, msg -> answer(msg, deltas(msg.body()))).completion(),
            bus.<JsonObject>consumer(LiveBus.node(nodeId), msg -> answer(msg, node(ready, nodeId, msg.body())))
                .completion()))
        .onSuccess(all -> services = ready);
  }

  /** Where the gateway hands the connections it accepts at {@code /v1/live}. */
  public LiveSockets sockets() {
    return this::accept;
  }

  private void accept(LiveTransport transport) {
    LiveConnection.Services ready = services;
    if (ready == null) {
      transport.close((short) 1013, "live service starting");
      return;
    }
    LiveConnection.open(ready, transport);
  }

  private void forward(Message<JsonObject> change) {
    JsonObject transaction = change.body();
    vertx.eventBus().publish(LiveBus.collection(transaction.getString(StorageBus.BUCKET),
        transaction.getString(StorageBus.COLLECTION)), transaction);
  }

  private static Future<JsonObject> publish(LiveConnection.Services services, JsonObject request) {
    if (!(request.getValue(LiveBus.CHANNEL) instanceof String channel) || !ChannelRules.wellFormed(channel)
        || !request.containsKey(LiveBus.MESSAGE)) {
      return invalid("channel (dotted name of letters, digits and _:@=+-) and message are required");
    }
    return services.settings().channels().ruleFor(channel)
        .map(rule -> services.channels().publish(channel, rule, request.getValue(LiveBus.MESSAGE)))
        .orElseGet(() -> Future.failedFuture(new SynclineException(ErrorCode.FORBIDDEN,
            "No rule of SYNCLINE_LIVE_CHANNELS covers channel " + channel)));
  }

  private Future<JsonObject> deltas(JsonObject request) {
    String model = request.getString(LiveBus.MODEL);
    Object given = request.getValue(LiveBus.DELTAS_FIELD);
    JsonArray deltas = given instanceof JsonObject one ? new JsonArray().add(one)
        : given instanceof JsonArray many ? many : null;
    if (model == null || !Dealers.validModel(model) || deltas == null || deltas.isEmpty()) {
      return invalid("a model name and one or more deltas are required");
    }
    for (Object item : deltas) {
      if (!(item instanceof JsonObject delta) || !DELTA_TYPES.contains(delta.getValue("type"))
          || ("update".equals(delta.getValue("type"))
              ? !(delta.getValue("newData") instanceof JsonObject) || !(delta.getValue("oldData") instanceof JsonObject)
              : !(delta.getValue("data") instanceof JsonObject))) {
        return invalid("each delta is {\"type\": \"insert\"|\"delete\", \"data\"} or {\"type\": \"update\", "
            + "\"newData\", \"oldData\"}, with objects as data");
      }
    }
    vertx.eventBus().publish(LiveBus.model(model), new JsonObject().put(LiveBus.MODEL, model)
        .put(LiveBus.DELTAS_FIELD, deltas));
    return Future.succeededFuture(new JsonObject().put(LiveBus.MODEL, model).put(LiveBus.DELTAS_FIELD,
        deltas.size()));
  }

  private static Future<JsonObject> node(LiveConnection.Services services, String nodeId, JsonObject request) {
    LiveUsers users = services.users();
    return switch (request.getString(LiveBus.ACTION, "")) {
      case LiveBus.SEND -> request.getValue(LiveBus.USER_ID) instanceof String userId
          ? Future.succeededFuture(new JsonObject().put("connections", users.send(userId,
              request.getValue(LiveBus.EVENT))))
          : invalid("user_id is required");
      case LiveBus.USERS -> Future.succeededFuture(users.stats().put("node", nodeId));
      default -> invalid("unknown action");
    };
  }

  private static <T> Future<T> invalid(String message) {
    return Future.failedFuture(new SynclineException(ErrorCode.INVALID_PARAMETERS, message));
  }

  private static void answer(Message<JsonObject> msg, Future<JsonObject> result) {
    result.onSuccess(msg::reply).onFailure(failure -> {
      if (failure instanceof SynclineException refusal) {
        msg.fail(refusal.code().errno(), FailureMessages.write(refusal));
      } else {
        msg.fail(ErrorCode.BACKEND_UNAVAILABLE.errno(), "The cluster did not answer: " + failure.getMessage());
      }
    });
  }
}
