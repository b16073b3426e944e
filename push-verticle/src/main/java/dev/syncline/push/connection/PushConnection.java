package dev.syncline.push.connection;

import dev.syncline.contracts.bus.PushBus;
import dev.syncline.contracts.bus.PushStoreBus;
import dev.syncline.contracts.bus.TokenBus;
import dev.syncline.push.PushSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user agent's WebSocket, speaking the Mozilla Push protocol.
 *
 * <p>Every field is touched on the socket's context only; deliveries from the node's address are handed over with
 * {@link #deliver}. Stored messages are read oldest first in batches; the next batch is read once the client has
 * acknowledged the previous one. A message that arrives while a batch is being read or acknowledged waits in
 * {@code held} so that delivery stays oldest first; it is also in the database, so nothing is lost if the
 * connection drops. Duplicates (a message both read and routed) are sent once per connection.
 */
public final class PushConnection {
  private static final Logger LOG = LoggerFactory.getLogger(PushConnection.class);
  private static final Pattern UAID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern CHANNEL_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long BUS_TIMEOUT_MS = 10_000;
  private static final long RETRY_FETCH_MS = 5_000;

  private enum State { AWAITING_HELLO, GREETING, READY, CLOSED }

  /** What every connection of a node shares. */
  public record Services(Vertx vertx, PushSettings settings, String nodeId, Connections connections) {
  }

  private final Services services;
  private final ServerWebSocket socket;
  private final Context context;
  private final String publicUrl;
  private final EventBus bus;
  private final long connectedAt = System.currentTimeMillis();

  private State state = State.AWAITING_HELLO;
  private String uaid;
  private long helloTimer = -1;
  private long pongTimer = -1;
  private long lastClientPing;

  /** Sent and not yet acknowledged: message id -> whether it is stored (an ack deletes it). */
  // Made on the first message: most connections sit idle, and an empty map is memory each of them would hold.
  private Map<String, Boolean> unacked = Collections.emptyMap();
  /** Routed messages waiting for a batch read to finish, or for the socket to drain. */
  // Made when first needed, like unacked.
  private ArrayDeque<JsonObject> held;
  private boolean fetching;
  private boolean backlog;
  private boolean writePaused;
  private long cursor;

  private PushConnection(Services services, ServerWebSocket socket, Context context, String publicUrl) {
    this.services = services;
    this.socket = socket;
    this.context = context;
    this.publicUrl = publicUrl;
    this.bus = services.vertx().eventBus();
  }

  /** Takes over an accepted socket; must run on the socket's context. */
  public static void open(Services services, ServerWebSocket socket, String publicUrl) {
    // The socket keeps the upgrade request's headers for its whole life and nothing reads them after the upgrade;
    // on a node holding tens of thousands of idle connections they are a sizeable part of each one's memory.
    socket.headers().clear();
    PushConnection connection = new PushConnection(services, socket, Vertx.currentContext(), publicUrl);
    connection.start();
  }

  private void start() {
    Vertx vertx = services.vertx();
    PushSettings settings = services.settings();
    socket.textMessageHandler(this::onText);
    socket.binaryMessageHandler(data -> close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported"));
    socket.pongHandler(pong -> {
      vertx.cancelTimer(pongTimer);
      pongTimer = -1;
    });
    socket.exceptionHandler(failure -> LOG.debug("Push socket failed: {}", failure.getMessage()));
    socket.closeHandler(v -> closed());
    helloTimer = vertx.setTimer(settings.helloTimeoutSeconds() * 1000L,
        id -> close(CloseCodes.HELLO_TIMEOUT, "no hello"));
  }

  /** Hands a routed message to this connection; safe from any thread. */
  public void deliver(JsonObject message) {
    context.runOnContext(v -> routed(message));
  }

  /**
   * Pings the client, which must answer within the pong timeout; safe from any thread. The push verticle calls it
   * for every greeted connection at the ping interval, rather than each connection keeping a timer of its own.
   */
  public void keepAlive() {
    context.runOnContext(v -> ping());
  }

  /** Closes this connection if it opened before {@code newer}; safe from any thread. */
  public void replacedBy(long newer) {
    context.runOnContext(v -> {
      if (connectedAt <= newer) {
        close(CloseCodes.REPLACED, "replaced by a newer connection");
      }
    });
  }

  public long connectedAt() {
    return connectedAt;
  }

  // ---- inbound

  private void onText(String text) {
    if (state == State.CLOSED) {
      return;
    }
    if (text.length() > services.settings().maxFrameBytes()
        || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > services.settings().maxFrameBytes()) {
      close(CloseCodes.TOO_BIG, "message too big");
      return;
    }
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      close(CloseCodes.INVALID_PAYLOAD, "not a JSON object");
      return;
    }
    Object type = message.getValue("messageType");
    if (type != null && !(type instanceof String)) {
      close(CloseCodes.PROTOCOL_ERROR, "messageType must be a string");
      return;
    }
    String kind = type == null ? (message.isEmpty() ? "ping" : null) : ((String) type).toLowerCase(Locale.ROOT);
    if (kind == null) {
      close(CloseCodes.PROTOCOL_ERROR, "no messageType");
      return;
    }
    if (state == State.AWAITING_HELLO && !"hello".equals(kind)) {
      close(CloseCodes.PROTOCOL_ERROR, "hello first");
      return;
    }
    switch (kind) {
      case "hello" -> hello(message);
      case "ping" -> clientPing();
      case "register" -> register(message);
      case "unregister" -> unregister(message);
      case "ack" -> ack(message);
      case "nack" -> nack(message);
      case "broadcast_subscribe" -> {
        // No broadcasts are published yet, so there is nothing to send back.
      }
      default -> close(CloseCodes.PROTOCOL_ERROR, "unknown messageType");
    }
  }

  private void hello(JsonObject message) {
    if (state != State.AWAITING_HELLO) {
      close(CloseCodes.PROTOCOL_ERROR, "a second hello");
      return;
    }
    state = State.GREETING;
    services.vertx().cancelTimer(helloTimer);
    // The route is recorded with the hello, before the backlog is read: a message stored after the read started
    // is then routed here, and one stored before is in the read.
    JsonObject request = new JsonObject().put(PushStoreBus.NEW_UAID, newUaid())
        .put(PushStoreBus.NODE, services.nodeId()).put(PushStoreBus.CONNECTED_AT, connectedAt);
    String offered = normalUaid(message.getValue("uaid"));
    if (offered != null) {
      request.put(PushStoreBus.UAID, offered);
    }
    this.<JsonObject>request(PushStoreBus.HELLO, request)
        .onSuccess(reply -> greeted(reply.getString(PushStoreBus.UAID), reply.getString(PushStoreBus.PREVIOUS_NODE)))
        .onFailure(failure -> failed("hello", failure));
  }

  private void greeted(String uaid, String previousNode) {
    if (state == State.CLOSED) {
      return;
    }
    this.uaid = uaid;
    PushConnection previous = services.connections().claim(uaid, this);
    if (previous != null) {
      previous.replacedBy(connectedAt);
    }
    state = State.READY;
    send(new JsonObject().put("messageType", "hello").put("uaid", uaid).put("status", 200)
        .put("use_webpush", true).put("broadcasts", new JsonObject()));
    if (previousNode != null && !previousNode.equals(services.nodeId())) {
      bus.send(PushBus.node(previousNode), new JsonObject().put(PushBus.ACTION, PushBus.ACTION_DROP)
          .put(PushBus.UAID, uaid).put(PushBus.CONNECTED_AT, connectedAt));
    }
    fetch();
  }

  private void clientPing() {
    long now = System.currentTimeMillis();
    long min = services.settings().minPingIntervalSeconds() * 1000L;
    if (lastClientPing != 0 && now - lastClientPing < min) {
      close(CloseCodes.PING_TOO_OFTEN, "you ping too often");
      return;
    }
    lastClientPing = now;
    socket.writeTextMessage("{}");
  }

  private void register(JsonObject message) {
    String channelId = channelId(message);
    if (channelId == null) {
      return;
    }
    JsonObject seal = new JsonObject().put(TokenBus.UAID, uaid).put(TokenBus.CHANNEL_ID, channelId);
    Object key = message.getValue("key");
    if (key instanceof String text && !text.isBlank()) {
      seal.put(TokenBus.VAPID_KEY, text.trim());
    } else if (key != null && !(key instanceof String)) {
      registered(channelId, 400, null);
      return;
    }
    // The token is sealed first: an unusable key is refused before the channel is recorded.
    this.<JsonObject>request(TokenBus.ENDPOINT_SEAL, seal)
        .onFailure(failure -> registered(channelId, statusOf(failure), null))
        .onSuccess(sealed -> this.<JsonObject>request(PushStoreBus.REGISTER, new JsonObject()
                .put(PushStoreBus.UAID, uaid).put(PushStoreBus.CHANNEL_ID, channelId)
                .put(PushStoreBus.MAX_CHANNELS, services.settings().maxChannels()))
            .onFailure(failure -> registered(channelId, statusOf(failure), null))
            .onSuccess(reply -> {
              if (!reply.getBoolean(PushStoreBus.REGISTERED, false)) {
                close(CloseCodes.POLICY_VIOLATION, "too many channels");
                return;
              }
              String version = sealed.containsKey(TokenBus.VAPID_KEY_HASH) ? "v2" : "v1";
              registered(channelId, 200, publicUrl + "/wpush/" + version + "/" + sealed.getString(TokenBus.TOKEN));
            }));
  }

  private void registered(String channelId, int status, String endpoint) {
    JsonObject reply = new JsonObject().put("messageType", "register").put("channelID", channelId)
        .put("status", status);
    if (endpoint != null) {
      reply.put("pushEndpoint", endpoint);
    }
    send(reply);
  }

  private void unregister(JsonObject message) {
    String channelId = channelId(message);
    if (channelId == null) {
      return;
    }
    this.<JsonObject>request(PushStoreBus.UNREGISTER, new JsonObject().put(PushStoreBus.UAID, uaid)
            .put(PushStoreBus.CHANNEL_ID, channelId))
        .onSuccess(reply -> send(new JsonObject().put("messageType", "unregister").put("channelID", channelId)
            .put("status", 200)))
        .onFailure(failure -> send(new JsonObject().put("messageType", "unregister").put("channelID", channelId)
            .put("status", statusOf(failure))));
  }

  private void ack(JsonObject message) {
    Object updates = message.getValue("updates");
    if (!(updates instanceof JsonArray list)) {
      close(CloseCodes.PROTOCOL_ERROR, "ack without updates");
      return;
    }
    JsonArray stored = new JsonArray();
    for (Object update : list) {
      if (update instanceof JsonObject entry && entry.getValue("version") instanceof String version) {
        Boolean wasStored = unacked.remove(version);
        if (Boolean.TRUE.equals(wasStored)) {
          stored.add(version);
        }
      }
    }
    if (!stored.isEmpty()) {
      this.<JsonObject>request(PushStoreBus.ACK, new JsonObject().put(PushStoreBus.UAID, uaid)
              .put(PushStoreBus.IDS, stored))
          // Not deleted now means delivered again on the next connection, which the client tolerates.
          .onFailure(failure -> LOG.debug("Acknowledged push messages not deleted: {}", failure.getMessage()));
    }
    settled();
  }

  private void nack(JsonObject message) {
    if (message.getValue("version") instanceof String version) {
      // Left stored: the client gets it again when it next connects.
      unacked.remove(version);
    }
    settled();
  }

  // ---- outbound

  private void settled() {
    if (backlog && unacked.isEmpty()) {
      fetch();
    }
  }

  private void fetch() {
    if (state != State.READY || fetching) {
      return;
    }
    fetching = true;
    int limit = services.settings().fetchBatch();
    this.<JsonObject>request(PushStoreBus.FETCH, new JsonObject().put(PushStoreBus.UAID, uaid)
            .put(PushStoreBus.AFTER, cursor).put(PushStoreBus.LIMIT, limit))
        .onSuccess(reply -> {
          fetching = false;
          JsonArray messages = reply.getJsonArray(PushStoreBus.MESSAGES);
          for (Object item : messages) {
            JsonObject stored = (JsonObject) item;
            cursor = Math.max(cursor, stored.getLong(PushStoreBus.SEQ));
            write(stored);
          }
          backlog = messages.size() >= limit;
          if (backlog && unacked.isEmpty()) {
            fetch();
          } else if (!backlog) {
            flushHeld();
          }
        })
        .onFailure(failure -> {
          fetching = false;
          // The database is away: what is stored stays there; try again while the client stays connected.
          backlog = true;
          services.vertx().setTimer(RETRY_FETCH_MS, id -> fetch());
        });
  }

  private void routed(JsonObject message) {
    if (state != State.READY) {
      // Before hello completes, the backlog read that follows will find a stored message; TTL 0 ones are dropped.
      return;
    }
    if (fetching || backlog || writePaused) {
      if (held == null) {
        held = new ArrayDeque<>(4);
      }
      held.add(message);
      checkQueue();
      return;
    }
    write(message);
  }

  private void flushHeld() {
    while (held != null && !held.isEmpty() && !writePaused && state == State.READY) {
      write(held.poll());
    }
  }

  private void write(JsonObject message) {
    if (state != State.READY) {
      return;
    }
    String id = message.getString(PushStoreBus.ID);
    if (unacked.containsKey(id)) {
      return;
    }
    boolean stored = message.getInteger(PushStoreBus.TTL, 0) > 0;
    if (unacked.isEmpty() && !(unacked instanceof LinkedHashMap)) {
      unacked = new LinkedHashMap<>();
    }
    unacked.put(id, stored);
    JsonObject notification = new JsonObject().put("messageType", "notification")
        .put("channelID", message.getString(PushStoreBus.CHANNEL_ID))
        .put("version", id)
        .put("ttl", message.getInteger(PushStoreBus.TTL, 0));
    if (message.containsKey(PushStoreBus.DATA)) {
      notification.put("data", message.getString(PushStoreBus.DATA));
      JsonObject headers = message.getJsonObject(PushStoreBus.HEADERS);
      if (headers != null) {
        notification.put("headers", headers);
      }
    }
    send(notification);
    if (socket.writeQueueFull() && !writePaused) {
      writePaused = true;
      socket.drainHandler(v -> {
        writePaused = false;
        if (!fetching && !backlog) {
          flushHeld();
        }
      });
    }
    checkQueue();
  }

  private void checkQueue() {
    if (unacked.size() + (held == null ? 0 : held.size()) > services.settings().maxQueue()) {
      close(CloseCodes.POLICY_VIOLATION, "too many unacknowledged messages");
    }
  }

  private void send(JsonObject message) {
    if (state != State.CLOSED) {
      socket.writeTextMessage(message.encode());
    }
  }

  private void ping() {
    if (state == State.CLOSED || pongTimer != -1) {
      return;
    }
    socket.writePing(Buffer.buffer());
    pongTimer = services.vertx().setTimer(services.settings().pongTimeoutSeconds() * 1000L, id -> {
      pongTimer = -1;
      close(CloseCodes.GOING_AWAY, "no pong");
    });
  }

  // ---- closing

  private void close(short code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    LOG.debug("Closing push connection {}: {} {}", uaid, code, reason);
    state = State.CLOSED;
    socket.close(code, reason).onFailure(failure -> LOG.debug("Close failed: {}", failure.getMessage()));
    release();
  }

  private void closed() {
    state = State.CLOSED;
    release();
  }

  private void release() {
    Vertx vertx = services.vertx();
    vertx.cancelTimer(helloTimer);
    vertx.cancelTimer(pongTimer);
    held = null;
    if (uaid != null && services.connections().release(uaid, this)) {
      this.<JsonObject>request(PushStoreBus.RELEASE, new JsonObject().put(PushStoreBus.UAID, uaid)
              .put(PushStoreBus.NODE, services.nodeId()).put(PushStoreBus.CONNECTED_AT, connectedAt))
          // A route left behind only sends a message to this node, which drops it: it stays stored.
          .onFailure(failure -> LOG.debug("Route of {} not released: {}", uaid, failure.getMessage()));
    }
  }

  private void failed(String what, Throwable failure) {
    LOG.debug("Push {} failed: {}", what, failure.getMessage());
    close(CloseCodes.TRY_AGAIN_LATER, "service unavailable, try again later");
  }

  // ---- helpers

  private String channelId(JsonObject message) {
    Object value = message.getValue("channelID");
    if (value instanceof String text && CHANNEL_ID.matcher(text).matches()) {
      return text;
    }
    close(CloseCodes.PROTOCOL_ERROR, "malformed channelID");
    return null;
  }

  private <T> Future<T> request(String address, JsonObject body) {
    return bus.<T>request(address, body, new DeliveryOptions().setSendTimeout(BUS_TIMEOUT_MS).setLocalOnly(true))
        .map(reply -> reply.body());
  }

  private static int statusOf(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureCode() >= 104 && reply.failureCode() <= 110) {
      return 400;
    }
    return 503;
  }

  private static String normalUaid(Object value) {
    if (!(value instanceof String text)) {
      return null;
    }
    String uaid = text.replace("-", "").toLowerCase(Locale.ROOT);
    return UAID.matcher(uaid).matches() ? uaid : null;
  }

  private static String newUaid() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
