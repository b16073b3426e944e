package dev.syncline.it.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A user agent on the push WebSocket, as Firefox speaks it: JSON text frames, subprotocol push-notification. Every
 * message the server sends is queued for {@link #next}; the close code the server sent completes {@link #closed}.
 */
public final class PushClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;
  private String uaid;

  private PushClient(URI uri) {
    this.socket = HTTP.newWebSocketBuilder()
        .subprotocols("push-notification")
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(uri, new Listener())
        .orTimeout(15, TimeUnit.SECONDS)
        .join();
  }

  public static PushClient connect(int port) {
    return new PushClient(URI.create("ws://127.0.0.1:" + port + "/push"));
  }

  /** Connects and says hello (with {@code uaid} when not null); returns once the server answered. */
  public static PushClient hello(int port, String uaid) {
    PushClient client = connect(port);
    JsonObject hello = new JsonObject().put("messageType", "hello").put("broadcasts", new JsonObject())
        .put("use_webpush", true);
    if (uaid != null) {
      hello.put("uaid", uaid);
    }
    client.send(hello);
    JsonObject answer = client.next();
    if (!"hello".equals(answer.getString("messageType")) || answer.getInteger("status") != 200) {
      throw new AssertionError("unexpected hello answer: " + answer);
    }
    client.uaid = answer.getString("uaid");
    return client;
  }

  public String uaid() {
    return uaid;
  }

  public String subprotocol() {
    return socket.getSubprotocol();
  }

  /** Registers a new channel (with a VAPID key when not null); returns the push endpoint. */
  public String register(String channelId, String vapidKey) {
    JsonObject register = new JsonObject().put("messageType", "register").put("channelID", channelId);
    if (vapidKey != null) {
      register.put("key", vapidKey);
    }
    send(register);
    JsonObject answer = next();
    if (!"register".equals(answer.getString("messageType")) || answer.getInteger("status") != 200) {
      throw new AssertionError("unexpected register answer: " + answer);
    }
    return answer.getString("pushEndpoint");
  }

  public String register() {
    return register(UUID.randomUUID().toString(), null);
  }

  public void ack(JsonObject notification) {
    send(new JsonObject().put("messageType", "ack").put("updates", new JsonArray().add(new JsonObject()
        .put("channelID", notification.getString("channelID")).put("version", notification.getString("version"))
        .put("code", 100))));
  }

  public void send(JsonObject message) {
    sendText(message.encode());
  }

  public void sendText(String text) {
    socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  public void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** The next message from the server; fails the test after 15 s. */
  public JsonObject next() {
    return next(WAIT);
  }

  public JsonObject next(Duration wait) {
    JsonObject message = poll(wait);
    if (message == null) {
      throw new AssertionError("no message from the server within " + wait);
    }
    return message;
  }

  /** The next message, or null after {@code wait}. */
  public JsonObject poll(Duration wait) {
    try {
      return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The close code the server sent; fails the test if it did not close within 15 s. */
  public int closeCode() {
    return closed.orTimeout(15, TimeUnit.SECONDS).join();
  }

  public CompletableFuture<Integer> closed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        received.add(new JsonObject(text.toString()));
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }
}
