package dev.syncline.push.live;

import dev.syncline.contracts.bus.LiveBus;
import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.contracts.bus.TokenBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.FailureMessages;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One client on {@code /v1/live}. Frames are calls in Snorky's envelope,
 * {@code {"service", "message": {"command", "params", "callId"}}}, answered with {@code {"type": "response",
 * "callId", "data"}} or {@code {"type": "error", "callId", "message", "errno"}}; notifications carry any other
 * type. A bad call is answered with an error and the connection stays. Confined to the socket's context.
 *
 * <p>The same protocol runs over a WebSocket or SockJS ({@link LiveTransport}). PubSub calls and
 * {@code datasync.acquire} need no authentication of their own: the channel's rule, or the backend's token, decides.
 */
final class LiveConnection implements LiveTransport.Listener {
  /** Close codes, each telling the client why. */
  static final short TOKEN_EXPIRED = 4001;
  static final short NO_PONG = 4002;
  static final short SLOW_CONSUMER = 4009;
  static final short FRAME_TOO_LARGE = 1009;

  private static final long STORAGE_TIMEOUT_MS = 30_000;
  private static final int REPLAY_PAGE = 500;

  /** Calls a connection may make before authenticating. */
  private static final Set<String> ANONYMOUS = Set.of("auth.authenticate", "auth.refresh", "pubsub.subscribe",
      "pubsub.unsubscribe", "pubsub.publish", "datasync.acquire", "datasync.unsubscribe");

  record Services(Vertx vertx, LiveSettings settings, Feeds feeds, Channels channels, Authorizations authorizations,
      LiveUsers users) {
  }

  private final Services services;
  private final LiveTransport socket;
  private final Context context;
  private final Map<String, Subscription> subscriptions = new HashMap<>();
  private final Map<String, ChannelSubscription> channels = new HashMap<>();
  private final Map<String, AcquiredSubscription> acquired = new HashMap<>();
  private JsonObject identity;
  /** Subscriptions on their way (waiting for storage or a token): they count against the limit already. */
  private int starting;
  private long pingTimer = -1;
  private long expiryTimer = -1;
  private boolean awaitingPong;
  private boolean closed;

  private LiveConnection(Services services, LiveTransport socket) {
    this.services = services;
    this.socket = socket;
    this.context = services.vertx().getOrCreateContext();
  }

  static void open(Services services, LiveTransport socket) {
    LiveConnection connection = new LiveConnection(services, socket);
    socket.setQueueLimit(services.settings().maxQueueBytes());
    socket.listen(connection);
    services.users().opened(connection);
    connection.pingTimer = services.vertx().setPeriodic(services.settings().pingSeconds() * 1000L,
        t -> connection.ping());
  }

  Vertx vertx() {
    return services.vertx();
  }

  LiveSettings settings() {
    return services.settings();
  }

  // ------------------------------------------------------------------ calls

  @Override
  public void binary() {
    error(null, ErrorCode.INVALID_PARAMETERS, "Frames are JSON text");
  }

  @Override
  public void pong() {
    awaitingPong = false;
  }

  @Override
  public void text(String text) {
    if (tooLarge(text)) {
      socket.close(FRAME_TOO_LARGE, "frame too large");
      return;
    }
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      error(null, ErrorCode.INVALID_JSON, "Frames are JSON objects");
      return;
    }
    Object callId = frame.getValue("message") instanceof JsonObject message ? message.getValue("callId") : null;
    if (!(frame.getValue("service") instanceof String service) || !(frame.getValue("message") instanceof JsonObject m)
        || !(m.getValue("command") instanceof String command)) {
      error(callId, ErrorCode.INVALID_PARAMETERS, "Expected {\"service\", \"message\": {\"command\", \"params\", "
          + "\"callId\"}}");
      return;
    }
    JsonObject params = m.getValue("params") instanceof JsonObject given ? given : new JsonObject();
    Future<JsonObject> answer;
    try {
      answer = call(service + "." + command, params);
    } catch (IllegalArgumentException e) {
      answer = Future.failedFuture(new Refusal(ErrorCode.INVALID_PARAMETERS, e.getMessage()));
    } catch (Refusal refusal) {
      answer = Future.failedFuture(refusal);
    }
    answer.onComplete(result -> context.runOnContext(v -> {
      if (result.succeeded()) {
        send(new JsonObject().put("type", "response").put("callId", callId).put("data", result.result()));
      } else {
        fail(callId, result.cause());
      }
    }));
  }

  /** Over the limit in UTF-8 bytes, as the client sent it; counted only when the characters leave it in doubt. */
  private boolean tooLarge(String text) {
    int max = services.settings().maxFrameBytes();
    return text.length() > max || (text.length() * 3L > max && text.getBytes(StandardCharsets.UTF_8).length > max);
  }

  private Future<JsonObject> call(String name, JsonObject params) {
    if (!ANONYMOUS.contains(name) && identity == null) {
      return Future.failedFuture(new Refusal(ErrorCode.MISSING_AUTH, "Authenticate first: auth.authenticate"));
    }
    return switch (name) {
      case "auth.authenticate" -> authenticate(params, false);
      case "auth.refresh" -> authenticate(params, true);
      case "datasync.subscribe" -> subscribe(params);
      case "datasync.unsubscribe" -> unsubscribe(params);
      case "datasync.acquire" -> acquire(params);
      case "pubsub.subscribe" -> subscribeChannel(params);
      case "pubsub.unsubscribe" -> unsubscribeChannel(params);
      case "pubsub.publish" -> publish(params);
      default -> Future.failedFuture(new Refusal(ErrorCode.MISSING_RESOURCE, "Unknown call " + name));
    };
  }

  private Future<JsonObject> authenticate(JsonObject params, boolean refresh) {
    if (!(params.getValue("authorization") instanceof String authorization) || authorization.isBlank()) {
      return Future.failedFuture(new Refusal(ErrorCode.INVALID_PARAMETERS, "params.authorization is required"));
    }
    if (refresh && identity == null) {
      return Future.failedFuture(new Refusal(ErrorCode.MISSING_AUTH, "Nothing to refresh: authenticate first"));
    }
    return request(TokenBus.AUTHENTICATE, new JsonObject().put(TokenBus.AUTHORIZATION, authorization)
            .put(TokenBus.CLIENT_ADDRESS, socket.remoteHost()))
        .compose(who -> {
          if (refresh && !identity.getString(TokenBus.USER_ID).equals(who.getString(TokenBus.USER_ID))) {
            return Future.failedFuture(new Refusal(ErrorCode.FORBIDDEN, "A refresh keeps the same user"));
          }
          context.runOnContext(v -> accept(who));
          return Future.succeededFuture(new JsonObject().put("user_id", who.getString(TokenBus.USER_ID))
              .put("principals", who.getJsonArray(TokenBus.PRINCIPALS)));
        });
  }

  private void accept(JsonObject who) {
    identity = who;
    services.users().identified(this, who.getString(TokenBus.USER_ID));
    services.vertx().cancelTimer(expiryTimer);
    Long expiresAt = who.getLong(TokenBus.EXPIRES_AT);
    if (expiresAt != null) {
      long delay = Math.max(1, expiresAt * 1000 - System.currentTimeMillis());
      expiryTimer = services.vertx().setTimer(delay, t -> expired());
    }
  }

  private void expired() {
    send(new JsonObject().put("type", "token_expired")
        .put("message", "The token has expired: call auth.refresh within "
            + services.settings().tokenGraceSeconds() + " s"));
    expiryTimer = services.vertx().setTimer(Math.max(1, services.settings().tokenGraceSeconds() * 1000L),
        t -> socket.close(TOKEN_EXPIRED, "token expired"));
  }

  private Future<JsonObject> subscribe(JsonObject params) {
    if (!(params.getValue("bucket") instanceof String bucket) || !(params.getValue("collection") instanceof String
        collection)) {
      return Future.failedFuture(new Refusal(ErrorCode.INVALID_PARAMETERS, "params.bucket and params.collection "
          + "are required"));
    }
    if (full()) {
      return tooMany();
    }
    LiveFilter filter = LiveFilter.parse(params.getValue("filter"));
    Object since = params.getValue("since");
    if (since != null && !(since instanceof Number)) {
      return Future.failedFuture(new Refusal(ErrorCode.INVALID_PARAMETERS, "params.since is a timestamp"));
    }
    // The collection must be readable as a whole; reading it also resolves the default bucket to the user's own.
    starting++;
    return bucketId(bucket)
        .compose(bucketId -> request(StorageBus.GET, caller(new JsonObject().put(StorageBus.RESOURCE, "collection")
                .put(StorageBus.BUCKET, bucketId).put(StorageBus.COLLECTION, collection)))
            .map(readable -> bucketId))
        // The slot passes to the subscription start() adds next, on this context, or is freed by a refusal.
        .andThen(checked -> starting--)
        .compose(bucketId -> start(bucketId, collection, filter, since == null ? -1 : ((Number) since).longValue()));
  }

  private Future<JsonObject> start(String bucketId, String collection, LiveFilter filter, long since) {
    if (closed) {
      // Closed while the collection was being checked: closing has already let go of every subscription, and
      // nothing would let go of one added now.
      return Future.failedFuture(new Refusal(ErrorCode.BACKEND_UNAVAILABLE, "The connection is closed"));
    }
    Subscription subscription = new Subscription(UUID.randomUUID().toString(), bucketId, collection, filter, this,
        context);
    subscriptions.put(subscription.id(), subscription);
    // Interest first, then the snapshot: a change committed in between is buffered, not lost.
    return services.feeds().add(subscription)
        .compose(ready -> since < 0 ? changesSince(bucketId, collection, Long.MAX_VALUE - 1)
            : changesSince(bucketId, collection, since))
        .map(replay -> {
          context.runOnContext(v -> {
            replay.getJsonArray(StorageBus.DATA).forEach(record -> subscription.deliverCurrent((JsonObject) record));
            subscription.goLive(replay.getLong(StorageBus.TIMESTAMP));
            // A writer whose view of this node's interest lagged may not have sent us its change: check once.
            services.vertx().setTimer(services.settings().gapWaitMillis(), t -> subscription.catchUp());
          });
          return new JsonObject().put("subscription", subscription.id())
              .put("bucket", bucketId).put("collection", collection)
              .put("timestamp", replay.getLong(StorageBus.TIMESTAMP));
        })
        .onFailure(failure -> context.runOnContext(v -> drop(subscription)));
  }

  private boolean full() {
    return subscriptions.size() + channels.size() + acquired.size() + starting
        >= services.settings().maxSubscriptions();
  }

  private Future<JsonObject> tooMany() {
    return Future.failedFuture(new Refusal(ErrorCode.TOO_MANY_REQUESTS, "At most "
        + services.settings().maxSubscriptions() + " subscriptions per connection"));
  }

  private Future<JsonObject> unsubscribe(JsonObject params) {
    Subscription subscription = params.getValue("subscription") instanceof String id ? subscriptions.get(id) : null;
    AcquiredSubscription models = params.getValue("subscription") instanceof String id ? acquired.get(id) : null;
    if (models != null) {
      drop(models);
      return Future.succeededFuture(new JsonObject().put("subscription", models.id()));
    }
    if (subscription == null) {
      return Future.failedFuture(new Refusal(ErrorCode.INVALID_PARAMETERS, "No such subscription"));
    }
    drop(subscription);
    return Future.succeededFuture(new JsonObject().put("subscription", subscription.id()));
  }

  /**
   * The subscription's bucket changed permissions: reads the collection again as this user. A refusal revokes the
   * subscription (and says so); a storage outage leaves it as it is.
   */
  void recheck(Subscription subscription) {
    if (identity == null || !subscriptions.containsKey(subscription.id())) {
      return;
    }
    request(StorageBus.GET, caller(new JsonObject().put(StorageBus.RESOURCE, "collection")
            .put(StorageBus.BUCKET, subscription.bucketId()).put(StorageBus.COLLECTION, subscription.collectionId())))
        .onFailure(failure -> context.runOnContext(v -> {
          if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
              && ErrorCode.ofErrno(reply.failureCode()).status() / 100 == 4
              && subscriptions.containsKey(subscription.id())) {
            drop(subscription);
            send(new JsonObject().put("type", "subscription_revoked").put("subscription", subscription.id())
                .put("errno", reply.failureCode()).put("message", "This user may no longer read the collection"));
          }
        }));
  }

  private void drop(Subscription subscription) {
    subscriptions.remove(subscription.id());
    subscription.close();
    services.feeds().remove(subscription);
  }

  private Future<String> bucketId(String bucket) {
    if (!"default".equals(bucket)) {
      return Future.succeededFuture(bucket);
    }
    return request(StorageBus.GET, caller(new JsonObject().put(StorageBus.RESOURCE, "bucket")
            .put(StorageBus.BUCKET, bucket)))
        .map(reply -> reply.getJsonObject(StorageBus.DATA).getString("id"));
  }

  /**
   * Every change of the collection after {@code since} as storage has it now (tombstones included), sorted by
   * timestamp, with the collection timestamp it brings the client to.
   */
  Future<JsonObject> changesSince(String bucketId, String collection, long since) {
    return page(bucketId, collection, since, null, new JsonArray(), -1);
  }

  private Future<JsonObject> page(String bucketId, String collection, long since, String token, JsonArray into,
      long snapshot) {
    JsonObject query = new JsonObject()
        .put(StorageBus.FILTERS, new JsonArray().add(new JsonObject().put("op", "gt").put("field", "last_modified")
            .put("value", since)))
        .put(StorageBus.SORT, new JsonArray().add("last_modified"))
        .put(StorageBus.LIMIT, REPLAY_PAGE);
    if (token != null) {
      query.put(StorageBus.TOKEN, token);
    }
    return request(StorageBus.LIST, caller(new JsonObject().put(StorageBus.RESOURCE, "record")
            .put(StorageBus.BUCKET, bucketId).put(StorageBus.COLLECTION, collection).put(StorageBus.QUERY, query)))
        .compose(reply -> {
          into.addAll(reply.getJsonArray(StorageBus.DATA));
          long timestamp = snapshot < 0 ? reply.getLong(StorageBus.TIMESTAMP) : snapshot;
          String next = reply.getString(StorageBus.NEXT_TOKEN);
          return next == null
              ? Future.succeededFuture(new JsonObject().put(StorageBus.DATA, into).put(StorageBus.TIMESTAMP, timestamp))
              : page(bucketId, collection, since, next, into, timestamp);
        });
  }

  private JsonObject caller(JsonObject storageRequest) {
    return storageRequest.put(StorageBus.USER_ID, identity.getString(TokenBus.USER_ID))
        .put(StorageBus.PRINCIPALS, identity.getJsonArray(TokenBus.PRINCIPALS));
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return services.vertx().eventBus().<JsonObject>request(address, body,
            new DeliveryOptions().setSendTimeout(STORAGE_TIMEOUT_MS).setLocalOnly(true))
        .map(reply -> reply.body());
  }

  // ---------------------------------------------------------------- pubsub

  private Future<JsonObject> subscribeChannel(JsonObject params) {
    String channel = channelParam(params);
    ChannelRules.Rule rule = allowed(channel, true);
    Object offset = params.getValue("offset");
    if (offset != null && !(offset instanceof Number)) {
      return Future.failedFuture(new Refusal(ErrorCode.INVALID_PARAMETERS, "params.offset is a number"));
    }
    Object epoch = params.getValue("epoch");
    if (epoch != null && !(epoch instanceof String)) {
      return Future.failedFuture(new Refusal(ErrorCode.INVALID_PARAMETERS, "params.epoch is a string"));
    }
    if (channels.containsKey(channel)) {
      return Future.failedFuture(new Refusal(ErrorCode.INVALID_PARAMETERS, "Already subscribed to " + channel));
    }
    if (full()) {
      return tooMany();
    }
    ChannelSubscription subscription = new ChannelSubscription(channel, rule, services.channels(), context,
        services.settings().gapWaitMillis(), this::channelMessage);
    channels.put(channel, subscription);
    // Interest first, then the history (or the latest offset): a message published in between is buffered, not lost.
    return services.channels().topics().add(LiveBus.channel(channel), subscription)
        .compose(ready -> replay(channel, rule, (Number) offset, (String) epoch))
        .map(replay -> {
          context.runOnContext(v -> subscription.goLive(replay.getJsonArray("messages"), replay.getLong("offset")));
          JsonObject answer = new JsonObject().put("channel", channel).put("history", rule.history() > 0);
          if (offset != null) {
            answer.put("recovered", replay.getBoolean("recovered"));
          }
          if (replay.getLong("offset") != null) {
            answer.put("offset", replay.getLong("offset"));
          }
          if (replay.getString("epoch") != null) {
            answer.put("epoch", replay.getString("epoch"));
          }
          return answer;
        })
        .onFailure(failure -> context.runOnContext(v -> drop(subscription)));
  }

  /**
   * What a new subscriber gets before going live, as {@link Channels#since} answers it: the history after its
   * offset, or nothing but the latest offset (the one live delivery follows) when it gave none.
   */
  private Future<JsonObject> replay(String channel, ChannelRules.Rule rule, Number offset, String epoch) {
    if (offset != null) {
      return services.channels().since(channel, rule, offset.longValue(), epoch);
    }
    JsonObject nothing = new JsonObject().put("messages", new JsonArray());
    if (rule.history() == 0) {
      return Future.succeededFuture(nothing);
    }
    Future<String> current = services.channels().epoch(channel);
    return current.compose(known -> services.channels().latest(channel))
        .map(latest -> nothing.put("offset", latest).put("epoch", current.result()));
  }

  private Future<JsonObject> unsubscribeChannel(JsonObject params) {
    String channel = channelParam(params);
    ChannelSubscription subscription = channels.get(channel);
    if (subscription == null) {
      return Future.failedFuture(new Refusal(ErrorCode.INVALID_PARAMETERS, "Not subscribed to " + channel));
    }
    drop(subscription);
    return Future.succeededFuture(new JsonObject().put("channel", channel));
  }

  private Future<JsonObject> publish(JsonObject params) {
    String channel = channelParam(params);
    if (!params.containsKey("message")) {
      return Future.failedFuture(new Refusal(ErrorCode.INVALID_PARAMETERS, "params.message is required"));
    }
    return services.channels().publish(channel, allowed(channel, false), params.getValue("message"));
  }

  private static String channelParam(JsonObject params) {
    if (!(params.getValue("channel") instanceof String channel) || !ChannelRules.wellFormed(channel)) {
      throw new IllegalArgumentException("params.channel is a dotted name of letters, digits and _:@=+- of at most "
          + ChannelRules.MAX_CHANNEL_LENGTH + " characters");
    }
    return channel;
  }

  /** The channel's rule if it lets this connection subscribe (or publish); a refusal otherwise. */
  private ChannelRules.Rule allowed(String channel, boolean subscribe) {
    ChannelRules.Rule rule = services.settings().channels().ruleFor(channel)
        .orElseThrow(() -> new Refusal(ErrorCode.FORBIDDEN, "No channel rule allows " + channel));
    String userId = identity == null ? null : identity.getString(TokenBus.USER_ID);
    if (!rule.allows(subscribe ? rule.subscribe() : rule.publish(), channel, userId)) {
      throw new Refusal(identity == null ? ErrorCode.MISSING_AUTH : ErrorCode.FORBIDDEN,
          (subscribe ? "Subscribing to " : "Publishing on ") + channel + " is not allowed"
              + (identity == null ? ": authenticate first" : ""));
    }
    return rule;
  }

  private void drop(ChannelSubscription subscription) {
    channels.remove(subscription.channel());
    subscription.close();
    services.channels().topics().remove(LiveBus.channel(subscription.channel()), subscription);
  }

  // ------------------------------------------------------- acquired models

  private Future<JsonObject> acquire(JsonObject params) {
    if (!(params.getValue("token") instanceof String token) || token.isBlank()) {
      return Future.failedFuture(new Refusal(ErrorCode.INVALID_PARAMETERS, "params.token is required"));
    }
    if (full()) {
      return tooMany();
    }
    starting++;
    return services.authorizations().redeem(token)
        .onFailure(refused -> context.runOnContext(v -> starting--))
        .compose(this::acquired);
  }

  /** A redeemed token's items become a subscription of this connection, listening to their models. */
  private Future<JsonObject> acquired(List<AcquiredSubscription.Item> items) {
    AcquiredSubscription subscription = new AcquiredSubscription(UUID.randomUUID().toString(), items, this, context);
    context.runOnContext(v -> {
      starting--;
      acquired.put(subscription.id(), subscription);
      if (closed) {
        // Closed while the token was being redeemed: nothing will drop it later.
        drop(subscription);
      }
    });
    return Future.all(subscription.models().stream()
            .map(model -> services.channels().topics().add(LiveBus.model(model), subscription)).toList())
        .map(ready -> new JsonObject().put("subscription", subscription.id())
            .put("dealers", new JsonArray(items.stream().map(item -> item.dealer().name()).toList())))
        .onFailure(failure -> context.runOnContext(v -> drop(subscription)));
  }

  private void drop(AcquiredSubscription subscription) {
    acquired.remove(subscription.id());
    subscription.close();
    subscription.models().forEach(model -> services.channels().topics().remove(LiveBus.model(model), subscription));
  }

  // ---------------------------------------------------------------- frames

  /** {@code complete} is false when offsets before this one were lost to this client: it is told with recovered. */
  void channelMessage(String channel, Object message, Long offset, boolean complete) {
    JsonObject frame = new JsonObject().put("type", "message").put("channel", channel).put("message", message);
    if (offset != null) {
      frame.put("offset", offset);
    }
    if (!complete) {
      frame.put("recovered", false);
    }
    send(frame);
  }

  void modelDelta(String subscription, String type, JsonObject payload) {
    send(payload.put("type", "delta").put("subscription", subscription).put("delta", type));
  }

  /** From the live verticle's context: an event the backend sent to this connection's user. */
  void userEvent(Object event) {
    context.runOnContext(v -> send(new JsonObject().put("type", "event").put("event", event)));
  }

  void delta(String subscription, String type, JsonObject payload, long lastModified) {
    send(payload.put("type", "delta").put("subscription", subscription).put("delta", type)
        .put("last_modified", lastModified));
  }

  private void fail(Object callId, Throwable failure) {
    if (failure instanceof Refusal refusal) {
      error(callId, refusal.code, refusal.getMessage());
    } else if (failure instanceof SynclineException refusal) {
      error(callId, refusal.code(), refusal.getMessage());
    } else if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      ErrorCode code = ErrorCode.ofErrno(reply.failureCode());
      error(callId, code, FailureMessages.read(code, reply.getMessage()).getMessage());
    } else {
      error(callId, ErrorCode.BACKEND_UNAVAILABLE, "A service of this node did not answer");
    }
  }

  private void error(Object callId, ErrorCode code, String message) {
    send(new JsonObject().put("type", "error").put("callId", callId).put("message", message)
        .put("errno", code.errno()));
  }

  private void send(JsonObject frame) {
    if (closed) {
      return;
    }
    if (socket.writeQueueFull()) {
      // The client cannot keep up; it resumes with "since" after reconnecting, so nothing is lost to it.
      socket.close(SLOW_CONSUMER, "slow consumer: reconnect and subscribe with since");
      closed();
      return;
    }
    socket.send(frame.encode());
  }

  private void ping() {
    if (awaitingPong) {
      socket.close(NO_PONG, "no answer to ping");
      return;
    }
    awaitingPong = socket.ping();
  }

  @Override
  public void closed() {
    if (closed) {
      return;
    }
    closed = true;
    services.users().closed(this);
    services.vertx().cancelTimer(pingTimer);
    services.vertx().cancelTimer(expiryTimer);
    subscriptions.values().forEach(subscription -> {
      subscription.close();
      services.feeds().remove(subscription);
    });
    subscriptions.clear();
    List.copyOf(channels.values()).forEach(this::drop);
    List.copyOf(acquired.values()).forEach(this::drop);
  }

  /** A call refused with a Kinto errno. */
  private static final class Refusal extends RuntimeException {
    private final ErrorCode code;

    Refusal(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
