package dev.syncline.push.live;

import io.vertx.core.http.ServerWebSocket;

/** Takes over a WebSocket the gateway accepted at {@code /v1/live}. */
@FunctionalInterface
public interface LiveSockets {
  void accept(ServerWebSocket socket);
}
