package dev.syncline.push;

import dev.syncline.contracts.bus.Health;
import dev.syncline.contracts.bus.PushBus;
import dev.syncline.contracts.config.NodeIdentity;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.push.connection.Connections;
import dev.syncline.push.connection.PushConnection;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds this node's client connections and takes deliveries for them.
 *
 * <p>The node's delivery address is the one clustered consumer of the push service: every connection on the node
 * shares it, so the cluster's subscription table grows with nodes, not with connections. Which node holds a uaid
 * is recorded with the uaid in PostgreSQL, and the store of each message answers it.
 */
public final class PushVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PushVerticle.class);

  private final Connections connections = new Connections();
  private NodeIdentity node;
  private volatile PushConnection.Services services;

  @Override
  public Future<?> start() {
    node = NodeIdentity.from(config());
    PushSettings settings = PushSettings.from(config());
    // One timer for the node's connections: a timer each would be a tenth of an idle connection's memory.
    vertx.setPeriodic(settings.pingIntervalSeconds() * 1000L,
        id -> connections.all().forEach(PushConnection::keepAlive));
    services = new PushConnection.Services(vertx, settings, node.nodeId(), connections);
    return Future.all(
        vertx.eventBus().localConsumer(PushBus.HEALTH, this::health).completion(),
        vertx.eventBus().localConsumer(PushBus.ROUTE, this::route).completion(),
        vertx.eventBus().consumer(PushBus.node(node.nodeId()), this::deliver).completion());
  }

  /** Where the gateway hands the WebSockets it accepts at {@code /push}. */
  public PushSockets sockets() {
    return this::accept;
  }

  private void accept(ServerWebSocket socket, String publicUrl) {
    PushConnection.Services ready = services;
    if (ready == null) {
      socket.close((short) 1013, "push service starting");
      return;
    }
    PushConnection.open(ready, socket, publicUrl);
  }

  private void health(Message<JsonObject> msg) {
    msg.reply(new JsonObject().put(Health.OK, true));
  }

  /** A message just accepted on this node: to the local connection, or to the node the router names. */
  private void route(Message<JsonObject> msg) {
    String uaid = msg.body().getString(PushBus.UAID);
    JsonObject message = msg.body().getJsonObject(PushBus.MESSAGE);
    PushConnection local = connections.get(uaid);
    if (local != null) {
      local.deliver(message);
      return;
    }
    // The holder as the store saw it. A client that moved since gets a stored message from its new node's backlog
    // read; only a TTL 0 one is lost, as it may be.
    String holder = msg.body().getString(PushBus.NODE);
    if (holder != null && !holder.equals(node.nodeId())) {
      vertx.eventBus().send(PushBus.node(holder), new JsonObject().put(PushBus.ACTION, PushBus.ACTION_NOTIFY)
          .put(PushBus.UAID, uaid).put(PushBus.MESSAGE, message));
    }
  }

  private void deliver(Message<JsonObject> msg) {
    JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
    String action = body.getString(PushBus.ACTION);
    if (PushBus.ACTION_PING.equals(action)) {
      msg.reply(new JsonObject().put(PushBus.NODE, node.nodeId()));
    } else if (PushBus.ACTION_NOTIFY.equals(action)) {
      PushConnection connection = connections.get(body.getString(PushBus.UAID, ""));
      if (connection != null) {
        connection.deliver(body.getJsonObject(PushBus.MESSAGE));
      }
    } else if (PushBus.ACTION_DROP.equals(action)) {
      PushConnection connection = connections.get(body.getString(PushBus.UAID, ""));
      if (connection != null) {
        connection.replacedBy(body.getLong(PushBus.CONNECTED_AT, 0L));
      }
    } else {
      msg.fail(ErrorCode.INVALID_PARAMETERS.errno(), "unknown action: " + action);
    }
  }
}
