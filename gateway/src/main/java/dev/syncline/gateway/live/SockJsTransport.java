package dev.syncline.gateway.live;

import dev.syncline.push.live.LiveTransport;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** A SockJS session carrying the live protocol, for clients whose network does not let a WebSocket through. */
final class SockJsTransport implements LiveTransport {
  private final SockJSSocket socket;

  SockJsTransport(SockJSSocket socket) {
    this.socket = socket;
  }

  @Override
  public void listen(Listener listener) {
    socket.handler(frame -> listener.text(frame.toString()));
    socket.closeHandler(v -> listener.closed());
    socket.exceptionHandler(failure -> socket.close());
  }

  @Override
  public void send(String text) {
    socket.write(text);
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
    // SockJS sends its own heartbeat frames and has no pong to wait for.
    return false;
  }

  @Override
  public String remoteHost() {
    return socket.remoteAddress() == null ? null : socket.remoteAddress().host();
  }
}
