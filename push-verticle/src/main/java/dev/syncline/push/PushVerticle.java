package dev.syncline.push;

import dev.syncline.contracts.bus.Health;
import dev.syncline.contracts.bus.PushBus;
import dev.syncline.contracts.config.NodeIdentity;
import dev.syncline.contracts.errors.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Holds this node's client connections and takes deliveries for them.
 *
 * <p>The node's delivery address is the one clustered consumer of the push service: every connection on the node
 * shares it, so the cluster's subscription table grows with nodes, not with connections.
 */
public final class PushVerticle extends VerticleBase {
  private NodeIdentity node;

  @Override
  public Future<?> start() {
    node = NodeIdentity.from(config());
    return Future.all(
        vertx.eventBus().localConsumer(PushBus.HEALTH, this::health).completion(),
        vertx.eventBus().consumer(PushBus.node(node.nodeId()), this::deliver).completion());
  }

  private void health(Message<JsonObject> msg) {
    msg.reply(new JsonObject().put(Health.OK, true));
  }

  private void deliver(Message<JsonObject> msg) {
    String action = msg.body() == null ? null : msg.body().getString(PushBus.ACTION);
    if (PushBus.ACTION_PING.equals(action)) {
      msg.reply(new JsonObject().put(PushBus.NODE, node.nodeId()));
    } else {
      msg.fail(ErrorCode.INVALID_PARAMETERS.errno(), "unknown action: " + action);
    }
  }
}
