import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Live fan-out benchmark (JDK only), run by run.sh, which starts two Syncline nodes and an nginx with nchan:
 *
 * <pre>
 * java LiveBench.java HTTP1 HTTP2 BACKEND1 JWT_SECRET BACKEND_KEY NCHAN_PORT SECONDS N:RATE [N:RATE ...]
 * </pre>
 *
 * <p>For each N (subscribers) and RATE (changes per second): N java.net.http WebSocket subscribers, alternately on
 * node 2 and node 1 (the first on node 2, so one subscriber already crosses nodes), opened 100 at a time, then
 * <ul>
 *   <li>datasync: each authenticates with an HS256 token and subscribes to one collection; writers on node 1 PUT a
 *   new record every 1/RATE s, its data carrying the send time; every subscriber gets one insert delta per record;
 *   <li>pubsub: each subscribes to channel {@code bench.fanout}; the same messages are published through node 1's
 *   backend API;
 *   <li>nchan: N WebSocket subscribers of nginx/nchan's sub location; the same messages POSTed to its pub location.
 * </ul>
 * A case sends for SECONDS after a 1 s warm-up, then waits (at most 10 s) for the rest to arrive. Delivered/s is the
 * deliveries of the messages sent in the window divided by the time from the window's start to the later of its end
 * and the last such delivery; latency runs from just before the write/publish request to the frame's arrival.
 * Eight writer threads keep to RATE while requests return in time; when they do not, fewer changes are sent, and
 * sent/s shows the rate actually offered. Subscribers run in this JVM, on the same cores as the servers.
 */
public final class LiveBench {
  private static final Pattern SENT = Pattern.compile("\"sent_ns\"\\s*:\\s*(\\d+)");
  private static final String CHANNEL = "bench.fanout";
  private static final int WRITERS = 8;
  private static final int WARMUP_MS = 1000;
  private static final HttpClient[] WS_CLIENTS = new HttpClient[4];
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private static int http1;
  private static int http2;
  private static int backend1;
  private static String token;
  private static String backendKey;
  private static int nchanPort;

  // Per case: deliveries of messages sent in the window, and their latencies.
  private static final LongAdder DELIVERED = new LongAdder();
  private static final LongAdder OTHER_FRAMES = new LongAdder();
  private static final AtomicLong LAST_RECEIPT = new AtomicLong();
  private static final AtomicInteger CLOSED = new AtomicInteger();
  private static long[] latencies = new long[1];
  private static final AtomicInteger LATENCY_COUNT = new AtomicInteger();
  private static volatile long windowStart = Long.MAX_VALUE;
  private static volatile long windowEnd = Long.MAX_VALUE;

  record Result(String kind, int subscribers, int rate, long sent, double window, long delivered, double seconds,
      double p50Ms, double p99Ms, int closed, String load) {
    double perSecond() {
      return delivered / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    http1 = Integer.parseInt(args[0]);
    http2 = Integer.parseInt(args[1]);
    backend1 = Integer.parseInt(args[2]);
    token = jwt(args[3], "bench");
    backendKey = args[4];
    nchanPort = Integer.parseInt(args[5]);
    int seconds = Integer.parseInt(args[6]);
    for (int i = 0; i < WS_CLIENTS.length; i++) {
      WS_CLIENTS[i] = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
    }
    expect(send("PUT", "/v1/buckets/bench", "{}"), 200, 201);
    expect(send("PUT", "/v1/buckets/bench/collections/live", "{}"), 200, 201);

    List<Result> results = new ArrayList<>();
    for (int i = 7; i < args.length; i++) {
      String[] spec = args[i].split(":");
      int n = Integer.parseInt(spec[0]);
      int rate = Integer.parseInt(spec[1]);
      for (String kind : List.of("nchan", "datasync", "pubsub")) {
        Result result = runCase(kind, n, rate, seconds);
        results.add(result);
        print(result, null);
      }
    }
    System.out.println();
    System.out.println("# Syncline's delivery rate as a ratio of nchan's (target >= 1.0)");
    header();
    Map<Integer, Result> nchan = new LinkedHashMap<>();
    for (Result result : results) {
      if (result.kind().equals("nchan")) {
        nchan.put(result.subscribers(), result);
      }
    }
    for (Result result : results) {
      print(result, nchan.get(result.subscribers()));
    }
  }

  private static boolean headerPrinted;

  private static void header() {
    System.out.printf(Locale.ROOT, "%-9s %5s %6s %7s %7s %10s %12s %12s %8s %8s %6s %7s  %s%n", "case", "subs",
        "rate/s", "sent", "sent/s", "expected", "delivered", "delivered/s", "p50 ms", "p99 ms", "closed", "ratio", "load avg after");
  }

  private static void print(Result r, Result nchan) {
    if (!headerPrinted) {
      header();
      headerPrinted = true;
    }
    String ratio = nchan == null ? "-" : String.format(Locale.ROOT, "%.2f", r.perSecond() / nchan.perSecond());
    System.out.printf(Locale.ROOT, "%-9s %5d %6d %7d %7.1f %10d %12d %12.1f %8.2f %8.2f %6d %7s  %s%n",
        r.kind(), r.subscribers(), r.rate(), r.sent(), r.sent() / r.window(), r.sent() * r.subscribers(), r.delivered(), r.perSecond(), r.p50Ms(),
        r.p99Ms(), r.closed(), ratio, r.load());
  }

  // ------------------------------------------------------------------ a case

  private static Result runCase(String kind, int n, int rate, int seconds) throws Exception {
    DELIVERED.reset();
    OTHER_FRAMES.reset();
    LAST_RECEIPT.set(0);
    CLOSED.set(0);
    LATENCY_COUNT.set(0);
    latencies = new long[(int) Math.min(20_000_000L, (long) n * rate * (seconds + 2) + 1000)];
    windowStart = Long.MAX_VALUE;
    windowEnd = Long.MAX_VALUE;

    List<Subscriber> subscribers = new ArrayList<>();
    long t0 = System.nanoTime();
    int opened = 0;
    String failure = null;
    for (int start = 0; start < n && failure == null; start += 100) {
      List<Subscriber> batch = new ArrayList<>();
      for (int i = start; i < Math.min(n, start + 100); i++) {
        Subscriber subscriber = new Subscriber(kind);
        batch.add(subscriber);
        subscriber.connect(i);
      }
      for (Subscriber subscriber : batch) {
        try {
          subscriber.ready.get(60, TimeUnit.SECONDS);
          subscribers.add(subscriber);
          opened++;
        } catch (Exception e) {
          failure = String.valueOf(e.getCause() == null ? e : e.getCause());
          subscriber.abort();
        }
      }
    }
    if (failure != null) {
      System.out.printf(Locale.ROOT, "# [%s %d] only %d subscribers could connect (%s); measuring with those%n",
          kind, n, opened, failure);
    }
    System.out.printf(Locale.ROOT, "# [%s %d] %d subscribers ready in %.1f s%n", kind, n, opened,
        (System.nanoTime() - t0) / 1e9);

    long begin = System.nanoTime();
    windowStart = begin + TimeUnit.MILLISECONDS.toNanos(WARMUP_MS);
    windowEnd = windowStart + TimeUnit.SECONDS.toNanos(seconds);
    long interval = 1_000_000_000L / rate;
    AtomicLong next = new AtomicLong();
    LongAdder sentInWindow = new LongAdder();
    LongAdder failed = new LongAdder();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      Thread thread = new Thread(() -> {
        while (true) {
          long due = begin + next.getAndIncrement() * interval;
          if (due >= windowEnd) {
            return;
          }
          long wait = due - System.nanoTime();
          if (wait > 0) {
            try {
              TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
              return;
            }
          }
          long sent = System.nanoTime();
          try {
            if (publish(kind, sent) && sent >= windowStart && sent < windowEnd) {
              sentInWindow.increment();
            } else if (sent >= windowStart && sent < windowEnd) {
              failed.increment();
            }
          } catch (Exception e) {
            failed.increment();
          }
        }
      }, "writer-" + w);
      thread.start();
      writers.add(thread);
    }
    for (Thread thread : writers) {
      thread.join();
    }
    long expected = sentInWindow.sum() * opened;
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (DELIVERED.sum() < expected && System.nanoTime() < drainDeadline) {
      Thread.sleep(20);
    }
    Thread.sleep(200);
    long delivered = DELIVERED.sum();
    long end = Math.max(windowEnd, LAST_RECEIPT.get());
    int count = Math.min(LATENCY_COUNT.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, count);
    Arrays.sort(sorted);
    String[] loadavg = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    String load = loadavg[0] + " " + loadavg[1] + " " + loadavg[2];
    if (failed.sum() > 0) {
      System.out.printf(Locale.ROOT, "# [%s %d] %d writes/publishes failed%n", kind, n, failed.sum());
    }
    if (OTHER_FRAMES.sum() > 0) {
      System.out.printf(Locale.ROOT, "# [%s %d] %d frames without a send time%n", kind, n, OTHER_FRAMES.sum());
    }
    int closed = CLOSED.get();
    for (Subscriber subscriber : subscribers) {
      subscriber.abort();
    }
    Thread.sleep(1500);
    return new Result(kind, opened, rate, sentInWindow.sum(), seconds, delivered, (end - windowStart) / 1e9,
        percentile(sorted, 0.50), percentile(sorted, 0.99), closed, load);
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  /** One change: a new record, a backend publish or an nchan publish, each carrying its send time. */
  private static boolean publish(String kind, long sent) throws Exception {
    String payload = "{\"sent_ns\":" + sent + ",\"text\":\"fan-out benchmark payload\"}";
    HttpRequest.Builder request;
    switch (kind) {
      case "datasync" -> request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http1
              + "/v1/buckets/bench/collections/live/records/" + UUID.randomUUID()))
          .header("Authorization", "Bearer " + token)
          .PUT(HttpRequest.BodyPublishers.ofString("{\"data\":" + payload + "}"));
      case "pubsub" -> request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend1 + "/v1/channels/"
              + CHANNEL + "/messages"))
          .header("X-Backend-Key", backendKey)
          .POST(HttpRequest.BodyPublishers.ofString("{\"message\":" + payload + "}"));
      default -> request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nchanPort + "/pub"))
          .POST(HttpRequest.BodyPublishers.ofString(payload));
    }
    HttpResponse<Void> response = HTTP.send(request.timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.discarding());
    return response.statusCode() >= 200 && response.statusCode() < 300;
  }

  // ------------------------------------------------------------ subscribers

  private static final class Subscriber implements WebSocket.Listener {
    private final String kind;
    private final StringBuilder text = new StringBuilder();
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile WebSocket socket;
    private int step;

    Subscriber(String kind) {
      this.kind = kind;
    }

    void connect(int index) {
      URI uri = kind.equals("nchan") ? URI.create("ws://127.0.0.1:" + nchanPort + "/sub")
          : URI.create("ws://127.0.0.1:" + (index % 2 == 0 ? http2 : http1) + "/v1/live");
      WS_CLIENTS[index % WS_CLIENTS.length].newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
          .buildAsync(uri, this)
          .whenComplete((ws, error) -> {
            if (error != null) {
              ready.completeExceptionally(error);
            }
          });
    }

    void abort() {
      WebSocket ws = socket;
      if (ws != null) {
        ws.abort();
      }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      webSocket.request(1);
      switch (kind) {
        case "datasync" -> call(webSocket, 1, "auth", "authenticate",
            "{\"authorization\":\"Bearer " + token + "\"}");
        case "pubsub" -> call(webSocket, 2, "pubsub", "subscribe", "{\"channel\":\"" + CHANNEL + "\"}");
        default -> ready.complete(null);
      }
    }

    private void call(WebSocket webSocket, int callId, String service, String command, String params) {
      webSocket.sendText("{\"service\":\"" + service + "\",\"message\":{\"command\":\"" + command + "\",\"params\":"
          + params + ",\"callId\":" + callId + "}}", true);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      long now = System.nanoTime();
      text.append(data);
      if (last) {
        String frame = text.toString();
        text.setLength(0);
        Matcher matcher = SENT.matcher(frame);
        if (matcher.find()) {
          long sent = Long.parseLong(matcher.group(1));
          if (sent >= windowStart && sent < windowEnd) {
            DELIVERED.increment();
            LAST_RECEIPT.accumulateAndGet(now, Math::max);
            int slot = LATENCY_COUNT.getAndIncrement();
            long[] into = latencies;
            if (slot < into.length) {
              into[slot] = now - sent;
            }
          }
        } else if (!ready.isDone() && frame.contains("\"callId\"")) {
          if (!frame.contains("\"response\"")) {
            ready.completeExceptionally(new IllegalStateException("refused: " + frame));
          } else if (kind.equals("datasync") && step++ == 0) {
            call(webSocket, 2, "datasync", "subscribe", "{\"bucket\":\"bench\",\"collection\":\"live\"}");
          } else {
            ready.complete(null);
          }
        } else {
          OTHER_FRAMES.increment();
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      CLOSED.incrementAndGet();
      ready.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      CLOSED.incrementAndGet();
      ready.completeExceptionally(error);
    }
  }

  // ------------------------------------------------------------------- HTTP

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http1 + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> response, int... statuses) {
    for (int status : statuses) {
      if (response.statusCode() == status) {
        return;
      }
    }
    throw new IllegalStateException("setup failed: " + response.statusCode() + " " + response.body());
  }

  private static String jwt(String secret, String subject) throws Exception {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header = url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    long exp = System.currentTimeMillis() / 1000 + 86_400;
    String payload = url.encodeToString(("{\"sub\":\"" + subject + "\",\"exp\":" + exp + "}")
        .getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return header + "." + payload + "." + url.encodeToString(mac.doFinal((header + "." + payload)
        .getBytes(StandardCharsets.UTF_8)));
  }
}
