package dev.syncline.it.live;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A hand-written WebSocket client of {@code /v1/live} that never answers pings, to prove the server notices. */
final class RawLiveSocket implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  RawLiveSocket(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    in = socket.getInputStream();
    socket.getOutputStream().write(("GET /v1/live HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      head.write(in.read());
    }
    if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
      throw new IOException("no upgrade: " + head);
    }
  }

  /** Reads frames (pings read and never answered) until a close frame; returns its code, -1 at end of stream. */
  int awaitClose() throws IOException {
    try {
      while (true) {
        int first = in.read();
        if (first < 0) {
          return -1;
        }
        int length = in.read() & 0x7f;
        if (length == 126) {
          length = (in.read() << 8) | in.read();
        } else if (length == 127) {
          throw new IOException("unexpected long frame");
        }
        byte[] payload = in.readNBytes(length);
        if ((first & 0x0f) == 0x8) {
          return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
      }
    } catch (SocketTimeoutException e) {
      return -2;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
