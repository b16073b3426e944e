package dev.syncline.it.support;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of the live WebSocket: calls in Snorky's envelope, answers matched by callId, and every notification
 * (deltas, token_expired) queued for {@link #next}.
 */
public final class LiveClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final Map<Integer, CompletableFuture<JsonObject>> calls = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<JsonObject> notifications = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final AtomicInteger callIds = new AtomicInteger();
  private final WebSocket socket;
  private volatile boolean paused;

  private LiveClient(URI uri) {
    socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, new Listener())
        .orTimeout(15, TimeUnit.SECONDS).join();
  }

  public static LiveClient connect(int port) {
    return new LiveClient(URI.create("ws://127.0.0.1:" + port + "/v1/live"));
  }

  /** Connects and authenticates with a bearer token, failing the test if refused. */
  public static LiveClient as(int port, String token) {
    LiveClient client = connect(port);
    JsonObject answer = client.call("auth", "authenticate", new JsonObject().put("authorization", "Bearer " + token));
    if (!"response".equals(answer.getString("type"))) {
      throw new AssertionError("authentication refused: " + answer);
    }
    return client;
  }

  /** Sends one call and waits for its answer: {@code {"type": "response" | "error", ...}}. */
  public JsonObject call(String service, String command, JsonObject params) {
    return send(service, command, params).join();
  }

  /** Sends one call without waiting for its answer, so that several are on their way at once. */
  public CompletableFuture<JsonObject> send(String service, String command, JsonObject params) {
    int callId = callIds.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    calls.put(callId, answer);
    sendText(new JsonObject().put("service", service).put("message", new JsonObject().put("command", command)
        .put("params", params).put("callId", callId)).encode());
    return answer.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The data of a successful call; fails the test on an error answer. */
  public JsonObject ok(String service, String command, JsonObject params) {
    JsonObject answer = call(service, command, params);
    if (!"response".equals(answer.getString("type"))) {
      throw new AssertionError(service + "." + command + " refused: " + answer);
    }
    return answer.getJsonObject("data");
  }

  public void sendText(String text) {
    socket.sendText(text, true).join();
  }

  /** The next notification, waiting at most 15 s. */
  public JsonObject next() {
    try {
      JsonObject notification = notifications.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (notification == null) {
        throw new AssertionError("no notification within " + WAIT);
      }
      return notification;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A notification if one arrives within {@code wait}, else null. */
  public JsonObject poll(Duration wait) throws InterruptedException {
    return notifications.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops reading from the socket, as a client that cannot keep up would; the server's writes back up. */
  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
    socket.request(Long.MAX_VALUE);
  }

  public int closeCode() {
    return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonObject frame = new JsonObject(text.toString());
        text.setLength(0);
        Object callId = frame.getValue("callId");
        String type = frame.getString("type");
        if (callId instanceof Number id && ("response".equals(type) || "error".equals(type))) {
          CompletableFuture<JsonObject> waiting = calls.remove(id.intValue());
          if (waiting != null) {
            waiting.complete(frame);
          }
        } else {
          notifications.add(frame);
        }
      }
      if (!paused) {
        webSocket.request(1);
      }
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
