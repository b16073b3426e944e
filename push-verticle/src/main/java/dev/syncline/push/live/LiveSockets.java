package dev.syncline.push.live;

import io.vertx.core.http.ServerWebSocket;

/** Takes over a connection the gateway accepted at {@code /v1/live}, as a WebSocket or through SockJS. */
@FunctionalInterface
public interface LiveSockets {
  void accept(LiveTransport transport);

  default void accept(ServerWebSocket socket) {
    accept(LiveTransport.of(socket));
  }
}
