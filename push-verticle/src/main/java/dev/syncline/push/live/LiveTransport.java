package dev.syncline.push.live;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * What a live connection needs from the socket under it, so that the WebSocket and its SockJS fallback speak the
 * same protocol through the same code.
 */
public interface LiveTransport {
  /** Where the transport reports what the client did; called on the transport's context. */
  interface Listener {
    void text(String frame);

    /** A frame that is not text (WebSocket binary frames); SockJS never reports one. */
    void binary();

    void pong();

    void closed();
  }

  void listen(Listener listener);

  void send(String text);

  /** More is waiting to be written than the transport was told to hold ({@link #setQueueLimit}). */
  boolean writeQueueFull();

  void setQueueLimit(int bytes);

  void close(short code, String reason);

  /**
   * Sends a ping the client must answer with a pong, if the transport has such frames. SockJS keeps its own
   * heartbeat frames and has no pong, so it answers false and is never closed for a missing one.
   */
  boolean ping();

  String remoteHost();

  /** The WebSocket at {@code /v1/live}. */
  static LiveTransport of(ServerWebSocket socket) {
    // Kept by the socket for life and never read after the upgrade (authentication is in-band).
    socket.headers().clear();
    return new LiveTransport() {
      @Override
      public void listen(Listener listener) {
        socket.textMessageHandler(listener::text);
        socket.binaryMessageHandler(frame -> listener.binary());
        socket.pongHandler(pong -> listener.pong());
        socket.closeHandler(v -> listener.closed());
        // The server stops a message over its size limit (set from SYNCLINE_LIVE_MAX_FRAME_BYTES) with an
        // IllegalStateException: the client is told as for any frame too large.
        socket.exceptionHandler(failure -> {
          if (failure instanceof IllegalStateException) {
            socket.close(LiveConnection.FRAME_TOO_LARGE, "frame too large");
          } else {
            socket.close();
          }
        });
      }

      @Override
      public void send(String text) {
        socket.writeTextMessage(text);
      }

      @Override
      public boolean writeQueueFull() {
        return socket.writeQueueFull();
      }

      @Override
      public void setQueueLimit(int bytes) {
        socket.setWriteQueueMaxSize(bytes);
      }

      @Override
      public void close(short code, String reason) {
        socket.close(code, reason);
      }

      @Override
      public boolean ping() {
        socket.writePing(Buffer.buffer("syncline"));
        return true;
      }

      @Override
      public String remoteHost() {
        return socket.remoteAddress() == null ? null : socket.remoteAddress().host();
      }
    };
  }
}
