package dev.syncline.push.live;

import dev.syncline.contracts.bus.LiveBus;
import dev.syncline.contracts.bus.StorageBus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * Live data on this node: forwards every change committed here to the collection's clustered address, so that
 * the nodes with subscribers to it receive it, and holds this node's subscribers' interest in collections.
 */
public final class LiveVerticle extends VerticleBase {
  private volatile LiveConnection.Services services;

  @Override
  public Future<?> start() {
    services = new LiveConnection.Services(vertx, LiveSettings.from(config()), new Feeds(vertx, context));
    return vertx.eventBus().<JsonObject>localConsumer(StorageBus.CHANGES, this::forward).completion();
  }

  /** Where the gateway hands the WebSockets it accepts at {@code /v1/live}. */
  public LiveSockets sockets() {
    return this::accept;
  }

  private void accept(ServerWebSocket socket) {
    LiveConnection.Services ready = services;
    if (ready == null) {
      socket.close((short) 1013, "live service starting");
      return;
    }
    LiveConnection.open(ready, socket);
  }

  private void forward(Message<JsonObject> change) {
    JsonObject transaction = change.body();
    vertx.eventBus().publish(LiveBus.collection(transaction.getString(StorageBus.BUCKET),
        transaction.getString(StorageBus.COLLECTION)), transaction);
  }
}
