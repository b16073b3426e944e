package dev.syncline.push;

import io.vertx.core.http.ServerWebSocket;

/** Takes over a WebSocket the gateway accepted at {@code /push}. */
@FunctionalInterface
public interface PushSockets {
  /**
   * @param socket an open WebSocket, on the accepting verticle's context
   * @param publicUrl base URL of push endpoints handed out on this connection
   */
  void accept(ServerWebSocket socket, String publicUrl);
}
