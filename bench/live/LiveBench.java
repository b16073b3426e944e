import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Live fan-out benchmark (JDK only), run by run.sh, which starts two Syncline nodes and an nginx with nchan:
 *
 * <pre>
 * java LiveBench.java HTTP1 HTTP2 BACKEND1 JWT_SECRET BACKEND_KEY NCHAN_PORT SECONDS N:RATE [N:RATE ...]
 * </pre>
 *
 * <p>For each N (subscribers) and RATE (changes per second): N WebSocket subscribers, alternately on node 2 and
 * node 1 (the first on node 2, so one subscriber already crosses nodes), at most 200 being set up at a time, then
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
 * Eight writer threads, each with a keep-alive connection on a plain socket, keep to RATE while requests return in
 * time; when they do not, fewer changes are sent, and sent/s shows the rate actually offered. Subscribers run in this JVM, on the same cores as the servers, but all of
 * them on one thread: a hand-written WebSocket client on raw non-blocking sockets and one selector (masked frames
 * out, frames of any length and fragmented messages in, pings answered), so they take little of those cores.
 *
 * <p>Each case also prints the CPU used from the window's start to the end of the drain (cores busy, and ms per
 * delivered message) by the processes whose ids run.sh passes: LIVEBENCH_NODE_PIDS (the nodes),
 * LIVEBENCH_POSTMASTER (PostgreSQL and its children), LIVEBENCH_NGINX (the nginx master and its workers), and by
 * this client (and, of that, its subscriber thread).
 */
public final class LiveBench {
  private static final String CHANNEL = "bench.fanout";
  private static final int WRITERS = 8;
  private static final int WARMUP_MS = 1000;
  /** Subscribers being set up (connect, upgrade, authenticate, subscribe) at a time. */
  private static final int IN_FLIGHT = 200;
  private static final long SETUP_TIMEOUT = TimeUnit.SECONDS.toNanos(60);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private static int http1;
  private static int http2;
  private static int backend1;
  private static String token;
  private static String backendKey;
  private static int nchanPort;

  // Per case: deliveries of messages sent in the window, and their latencies. Written only by the thread pumping
  // the subscribers' selector (the main thread while they are set up, then the subscriber thread, which the main
  // thread joins before reading them), so plain fields; deliveredSeen is the count the main thread polls meanwhile.
  private static long delivered;
  private static long otherFrames;
  private static long lastReceipt;
  private static int closed;
  private static long[] latencies = new long[1];
  private static int latencyCount;
  private static volatile long deliveredSeen;
  private static volatile boolean stopSubscribers;
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
    delivered = 0;
    otherFrames = 0;
    lastReceipt = 0;
    closed = 0;
    latencyCount = 0;
    deliveredSeen = 0;
    stopSubscribers = false;
    latencies = new long[(int) Math.min(20_000_000L, (long) n * rate * (seconds + 2) + 1000)];
    windowStart = Long.MAX_VALUE;
    windowEnd = Long.MAX_VALUE;

    Selector selector = Selector.open();
    List<Sub> subscribers = new ArrayList<>();
    long t0 = System.nanoTime();
    String failure = setUp(selector, kind, n, subscribers);
    int opened = subscribers.size();
    if (failure != null) {
      System.out.printf(Locale.ROOT, "# [%s %d] only %d subscribers could connect (%s); measuring with those%n",
          kind, n, opened, failure);
    }
    System.out.printf(Locale.ROOT, "# [%s %d] %d subscribers ready in %.1f s%n", kind, n, opened,
        (System.nanoTime() - t0) / 1e9);

    // From here on one thread reads every subscriber.
    Thread reader = new Thread(() -> {
      try {
        while (!stopSubscribers) {
          pump(selector, 100);
          deliveredSeen = delivered;
        }
      } catch (Throwable e) {
        System.out.println("# subscriber thread failed: " + e);
      }
      deliveredSeen = delivered;
    }, "subscribers");
    reader.start();
    CpuWatch cpu = new CpuWatch(reader.getId());

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
        Writer writer = new Writer(kind);
        while (true) {
          long due = begin + next.getAndIncrement() * interval;
          if (due >= windowEnd) {
            writer.close();
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
            if (writer.publish(sent) && sent >= windowStart && sent < windowEnd) {
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
    long toWindow = windowStart - System.nanoTime();
    if (toWindow > 0) {
      TimeUnit.NANOSECONDS.sleep(toWindow);
    }
    cpu.start();
    for (Thread thread : writers) {
      thread.join();
    }
    long expected = sentInWindow.sum() * opened;
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (deliveredSeen < expected && System.nanoTime() < drainDeadline) {
      Thread.sleep(20);
    }
    cpu.stop();
    Thread.sleep(200);
    stopSubscribers = true;
    selector.wakeup();
    reader.join();
    long deliveredNow = delivered;
    long end = Math.max(windowEnd, lastReceipt);
    int count = Math.min(latencyCount, latencies.length);
    long[] sorted = Arrays.copyOf(latencies, count);
    Arrays.sort(sorted);
    String[] loadavg = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    String load = loadavg[0] + " " + loadavg[1] + " " + loadavg[2];
    if (failed.sum() > 0) {
      System.out.printf(Locale.ROOT, "# [%s %d] %d writes/publishes failed%n", kind, n, failed.sum());
    }
    if (otherFrames > 0) {
      System.out.printf(Locale.ROOT, "# [%s %d] %d frames without a send time%n", kind, n, otherFrames);
    }
    cpu.print(kind, n, deliveredNow);
    int closedNow = closed;
    for (Sub subscriber : subscribers) {
      subscriber.close();
    }
    selector.close();
    Thread.sleep(1500);
    return new Result(kind, opened, rate, sentInWindow.sum(), seconds, deliveredNow, (end - windowStart) / 1e9,
        percentile(sorted, 0.50), percentile(sorted, 0.99), closedNow, load);
  }

  /**
   * Opens n subscribers, at most IN_FLIGHT being set up at a time, into ready. After the first failure no more are
   * started; those already under way finish. Returns the first failure, or null.
   */
  private static String setUp(Selector selector, String kind, int n, List<Sub> ready) throws IOException {
    InetSocketAddress nchan = new InetSocketAddress("127.0.0.1", nchanPort);
    InetSocketAddress node1 = new InetSocketAddress("127.0.0.1", http1);
    InetSocketAddress node2 = new InetSocketAddress("127.0.0.1", http2);
    byte[] nchanRequest = upgradeRequest(nchan, "/sub");
    byte[] node1Request = upgradeRequest(node1, "/v1/live");
    byte[] node2Request = upgradeRequest(node2, "/v1/live");
    boolean isNchan = kind.equals("nchan");
    List<Sub> underWay = new ArrayList<>();
    String failure = null;
    int started = 0;
    while (true) {
      while (failure == null && started < n && underWay.size() < IN_FLIGHT) {
        int index = started++;
        Sub sub = new Sub(kind, isNchan ? nchanRequest : index % 2 == 0 ? node2Request : node1Request);
        underWay.add(sub);
        sub.open(selector, isNchan ? nchan : index % 2 == 0 ? node2 : node1);
      }
      if (underWay.isEmpty()) {
        return failure;
      }
      pump(selector, 20);
      long now = System.nanoTime();
      for (Iterator<Sub> it = underWay.iterator(); it.hasNext(); ) {
        Sub sub = it.next();
        if (sub.failure == null && !sub.ready && now - sub.startedAt > SETUP_TIMEOUT) {
          sub.fail("not subscribed after 60 s");
        }
        if (sub.failure != null) {
          failure = failure == null ? sub.failure : failure;
          it.remove();
        } else if (sub.ready) {
          ready.add(sub);
          it.remove();
        }
      }
    }
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  /**
   * One writer's keep-alive HTTP/1.1 connection, on a plain blocking socket: a request, its whole response, the next.
   * Each change is a new record, a backend publish or an nchan publish, carrying its send time. (The JDK's HTTP
   * client took about a millisecond of CPU per request, as much as a node spends on a publish.) A failed request
   * closes the connection; the next one opens a new connection.
   */
  private static final class Writer {
    private final String kind;
    private final int port;
    private final String head;
    private Socket socket;
    private java.io.BufferedInputStream in;
    private java.io.OutputStream out;

    Writer(String kind) {
      this.kind = kind;
      String target = switch (kind) {
        case "datasync" -> "PUT /v1/buckets/bench/collections/live/records/%s HTTP/1.1\r\n"
            + "Authorization: Bearer " + token + "\r\n";
        case "pubsub" -> "POST /v1/channels/" + CHANNEL + "/messages HTTP/1.1\r\nX-Backend-Key: " + backendKey
            + "\r\n";
        default -> "POST /pub HTTP/1.1\r\n";
      };
      port = switch (kind) {
        case "datasync" -> http1;
        case "pubsub" -> backend1;
        default -> nchanPort;
      };
      head = target + "Host: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n";
    }

    boolean publish(long sent) throws IOException {
      String payload = "{\"sent_ns\":" + sent + ",\"text\":\"fan-out benchmark payload\"}";
      String body = switch (kind) {
        case "datasync" -> "{\"data\":" + payload + "}";
        case "pubsub" -> "{\"message\":" + payload + "}";
        default -> payload;
      };
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      String request = (kind.equals("datasync") ? String.format(Locale.ROOT, head, UUID.randomUUID()) : head)
          + "Content-Length: " + bytes.length + "\r\n\r\n";
      try {
        if (socket == null) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.setSoTimeout(30_000);
          socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
          in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
          out = socket.getOutputStream();
        }
        byte[] headBytes = request.getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + bytes.length);
        System.arraycopy(bytes, 0, all, headBytes.length, bytes.length);
        out.write(all);
        out.flush();
        int status = readResponse();
        return status >= 200 && status < 300;
      } catch (IOException e) {
        close();
        throw e;
      }
    }

    /** Reads one response (Content-Length or chunked body) and returns its status. */
    private int readResponse() throws IOException {
      String statusLine = line();
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      long length = 0;
      boolean chunked = false;
      boolean closeAfter = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          closeAfter = true;
        }
      }
      if (chunked) {
        for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
            size = Long.parseLong(line().split(";")[0].trim(), 16)) {
          skip(size);
          line();
        }
        line();
      } else {
        skip(length);
      }
      if (closeAfter) {
        close();
      }
      return status;
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed by the server");
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    private void skip(long n) throws IOException {
      for (long left = n; left > 0; ) {
        long skipped = in.skip(left);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new IOException("connection closed by the server");
          }
          skipped = 1;
        }
        left -= skipped;
      }
    }

    void close() {
      try {
        if (socket != null) {
          socket.close();
        }
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }

  // ------------------------------------------------------------------- CPU

  /** CPU ticks of the servers' processes and this client between start() and stop(). */
  private static final class CpuWatch {
    private final long[] nodes;
    private final long postmaster;
    private final long nginx;
    private final long readerThread;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long[] before;
    private long[] after;
    private long wallBefore;
    private long wallAfter;
    private long readerBefore;
    private long readerAfter;
    private String failure;

    CpuWatch(long readerThread) {
      this.readerThread = readerThread;
      String pids = System.getenv().getOrDefault("LIVEBENCH_NODE_PIDS", "").trim();
      nodes = pids.isEmpty() ? new long[0] : Arrays.stream(pids.split("\\s+")).mapToLong(Long::parseLong).toArray();
      postmaster = Long.parseLong(System.getenv().getOrDefault("LIVEBENCH_POSTMASTER", "0").trim());
      nginx = Long.parseLong(System.getenv().getOrDefault("LIVEBENCH_NGINX", "0").trim());
    }

    void start() {
      try {
        wallBefore = System.nanoTime();
        before = sample();
        readerBefore = threads.getThreadCpuTime(readerThread);
      } catch (Exception e) {
        failure = String.valueOf(e);
      }
    }

    void stop() {
      try {
        wallAfter = System.nanoTime();
        after = sample();
        readerAfter = threads.getThreadCpuTime(readerThread);
      } catch (Exception e) {
        failure = String.valueOf(e);
      }
    }

    /** Ticks of: each node, PostgreSQL (with its children), nginx (with its workers), this client. */
    private long[] sample() throws IOException {
      long[] ticks = new long[nodes.length + 3];
      for (int i = 0; i < nodes.length; i++) {
        ticks[i] = ticks(nodes[i]);
      }
      ticks[nodes.length] = postmaster > 0 ? withChildren(postmaster) : 0;
      ticks[nodes.length + 1] = nginx > 0 ? withChildren(nginx) : 0;
      ticks[nodes.length + 2] = ticks(ProcessHandle.current().pid());
      return ticks;
    }

    private static long withChildren(long pid) throws IOException {
      long sum = ticks(pid);
      try (var children = ProcessHandle.of(pid).map(ProcessHandle::children)
          .orElse(java.util.stream.Stream.empty())) {
        sum += children.mapToLong(child -> {
          try {
            return ticks(child.pid());
          } catch (IOException e) {
            return 0; // gone meanwhile
          }
        }).sum();
      }
      return sum;
    }

    private static long ticks(long pid) throws IOException {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    void print(String kind, int n, long messages) {
      if (failure != null || before == null || after == null) {
        System.out.printf(Locale.ROOT, "# [%s %d] no CPU figures: %s%n", kind, n, failure);
        return;
      }
      double wall = (wallAfter - wallBefore) / 1e9;
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "# [%s %d] CPU over %.1f s from the window's"
          + " start to the end of the drain (cores busy; ms per delivered message):", kind, n, wall));
      for (int i = 0; i < before.length; i++) {
        if ((i == nodes.length && postmaster == 0) || (i == nodes.length + 1 && nginx == 0)) {
          continue;
        }
        String who = i < nodes.length ? "node " + (i + 1) : i == nodes.length ? "PostgreSQL"
            : i == nodes.length + 1 ? "nginx" : "client";
        cpu(line, who, (after[i] - before[i]) / 100.0, wall, messages);
      }
      if (readerBefore >= 0 && readerAfter >= 0) {
        line.append(',');
        cpu(line, "of which subscriber thread", (readerAfter - readerBefore) / 1e9, wall, messages);
      }
      System.out.println(line);
    }

    private static void cpu(StringBuilder line, String who, double seconds, double wall, long messages) {
      line.append(String.format(Locale.ROOT, " %s %.2f (%.4f ms)", who, seconds / wall,
          messages == 0 ? 0 : seconds * 1000 / messages));
    }
  }

  // ---------------------------------------------- subscribers (one selector)

  private static final int OP_CONTINUATION = 0x0;
  private static final int OP_TEXT = 0x1;
  private static final int OP_BINARY = 0x2;
  private static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;
  private static final int OP_PONG = 0xA;
  private static final int MAX_FRAME = 16 << 20;
  private static final int MAX_HEAD = 16 << 10;
  /** A fixed key; the server must answer with its accept value (RFC 6455's own example). */
  private static final String WS_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String WS_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
  private static final byte[] HEAD_END = ascii("\r\n\r\n");
  private static final byte[] SENT_NS = ascii("\"sent_ns\"");
  private static final byte[] CALL_ID = ascii("\"callId\"");
  private static final byte[] RESPONSE = ascii("\"response\"");

  /** Every subscriber reads into this one buffer (one thread at a time); what is left of a frame is kept aside. */
  private static ByteBuffer readBuffer = ByteBuffer.allocate(256 << 10);

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] upgradeRequest(InetSocketAddress server, String path) {
    return ascii("GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + WS_KEY
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
  }

  /** Runs what is ready on the selector, waiting up to millis for something to be. */
  private static void pump(Selector selector, long millis) throws IOException {
    selector.select(key -> {
      Sub sub = (Sub) key.attachment();
      try {
        if (key.isConnectable()) {
          sub.channel.finishConnect();
          key.interestOps(SelectionKey.OP_READ);
          sub.connected();
        } else {
          if (key.isWritable()) {
            sub.flush();
          }
          if (key.isValid() && key.isReadable()) {
            sub.readable();
          }
        }
      } catch (IOException | RuntimeException e) {
        sub.lost(e);
      }
    }, Math.max(1, millis));
  }

  /** The first index of what in a[from, to), or -1. */
  private static int indexOf(byte[] a, int from, int to, byte[] what) {
    byte first = what[0];
    int last = to - what.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (a[i] != first) {
        continue;
      }
      for (int j = 1; j < what.length; j++) {
        if (a[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean space(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0b;
  }

  /** The number in the first {@code "sent_ns" : digits} of a[from, to), or -1. */
  private static long sentNanos(byte[] a, int from, int to) {
    for (int i = indexOf(a, from, to, SENT_NS); i >= 0; i = indexOf(a, i + 1, to, SENT_NS)) {
      int p = i + SENT_NS.length;
      while (p < to && space(a[p])) {
        p++;
      }
      if (p == to || a[p] != ':') {
        continue;
      }
      p++;
      while (p < to && space(a[p])) {
        p++;
      }
      int digits = p;
      long value = 0;
      while (p < to && a[p] >= '0' && a[p] <= '9') {
        value = value * 10 + (a[p++] - '0');
      }
      if (p > digits) {
        return value;
      }
    }
    return -1;
  }

  /**
   * One subscriber: a client WebSocket connection (RFC 6455) that sends the upgrade request, then reads frames of
   * any length, split across reads or several to a read, reassembles fragmented messages, answers pings and takes
   * a close frame as the server closing it; the frames it sends are masked, and what the socket does not take at
   * once is queued until it is writable. On Syncline it authenticates and subscribes (datasync) or subscribes
   * (pubsub) first, and is ready once the last reply is a response; on nchan it is ready once upgraded.
   */
  private static final class Sub {
    final String kind;
    final byte[] request;
    final long startedAt = System.nanoTime();
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer out = ByteBuffer.allocate(512);
    boolean writeInterest;
    /** The start of a frame (or of the upgrade response) read but not whole yet. */
    byte[] partial;
    int partialLength;
    /** A fragmented message being reassembled. */
    byte[] fragments;
    int fragmentsLength;
    int fragmentsOpcode = -1;
    boolean upgraded;
    boolean ready;
    boolean dead;
    String failure;
    int step;

    Sub(String kind, byte[] request) {
      this.kind = kind;
      this.request = request;
    }

    void open(Selector selector, InetSocketAddress server) {
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (channel.connect(server)) {
          key = channel.register(selector, SelectionKey.OP_READ, this);
          connected();
        } else {
          key = channel.register(selector, SelectionKey.OP_CONNECT, this);
        }
      } catch (IOException e) {
        lost(e);
      }
    }

    void connected() throws IOException {
      room(request.length).put(request);
      flush();
    }

    private void upgraded() throws IOException {
      upgraded = true;
      switch (kind) {
        case "datasync" -> call(1, "auth", "authenticate", "{\"authorization\":\"Bearer " + token + "\"}");
        case "pubsub" -> call(2, "pubsub", "subscribe", "{\"channel\":\"" + CHANNEL + "\"}");
        default -> ready = true;
      }
    }

    private void call(int callId, String service, String command, String params) {
      byte[] text = ("{\"service\":\"" + service + "\",\"message\":{\"command\":\"" + command + "\",\"params\":"
          + params + ",\"callId\":" + callId + "}}").getBytes(StandardCharsets.UTF_8);
      send(OP_TEXT, text, 0, text.length);
    }

    /** A whole text message in a[from, to), read at now. */
    private void message(byte[] a, int from, int to, long now) {
      long sent = sentNanos(a, from, to);
      if (sent >= 0) {
        if (sent >= windowStart && sent < windowEnd) {
          delivered++;
          if (now > lastReceipt) {
            lastReceipt = now;
          }
          int slot = latencyCount++;
          if (slot < latencies.length) {
            latencies[slot] = now - sent;
          }
        }
      } else if (!ready && failure == null && indexOf(a, from, to, CALL_ID) >= 0) {
        if (indexOf(a, from, to, RESPONSE) < 0) {
          fail("refused: " + new String(a, from, to - from, StandardCharsets.UTF_8));
        } else if (kind.equals("datasync") && step++ == 0) {
          call(2, "datasync", "subscribe", "{\"bucket\":\"bench\",\"collection\":\"live\"}");
        } else {
          ready = true;
        }
      } else {
        otherFrames++;
      }
    }

    void readable() throws IOException {
      ByteBuffer in = readBuffer;
      in.clear();
      if (partialLength > 0) {
        if (partialLength > in.capacity() / 2) {
          in = readBuffer = ByteBuffer.allocate(Integer.highestOneBit(partialLength) * 4);
        }
        in.put(partial, 0, partialLength);
        partialLength = 0;
      }
      while (true) {
        int read = channel.read(in);
        if (read < 0) {
          throw new IOException("closed by the server");
        }
        long now = System.nanoTime();
        in.flip();
        int need = frames(in, now);
        if (dead) {
          return;
        }
        if (read == 0 || in.limit() < in.capacity()) {
          break;
        }
        // The read filled the buffer: there may be more to read.
        in.compact();
        if (need > in.capacity() || !in.hasRemaining()) {
          ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, in.capacity() * 2));
          in.flip();
          bigger.put(in);
          in = readBuffer = bigger;
        }
      }
      int left = in.remaining();
      if (left > 0) {
        if (partial == null || partial.length < left) {
          partial = new byte[Math.max(left, 512)];
        }
        in.get(partial, 0, left);
        partialLength = left;
      }
      flush();
    }

    /**
     * Handles the upgrade response and every whole frame in the buffer, leaving it at the first byte not handled;
     * returns the size of the incomplete frame there if known, else 0.
     */
    private int frames(ByteBuffer in, long now) throws IOException {
      byte[] a = in.array();
      if (!upgraded) {
        int end = indexOf(a, in.position(), in.limit(), HEAD_END);
        if (end < 0) {
          if (in.remaining() > MAX_HEAD) {
            throw new IOException("no upgrade: response head over " + MAX_HEAD + " bytes");
          }
          return 0;
        }
        checkUpgrade(new String(a, in.position(), end - in.position(), StandardCharsets.ISO_8859_1));
        in.position(end + HEAD_END.length);
        upgraded();
      }
      while (in.remaining() >= 2 && !dead) {
        int p = in.position();
        int available = in.remaining();
        int first = a[p] & 0xff;
        int second = a[p + 1] & 0xff;
        int header = 2;
        long length = second & 0x7f;
        if (length == 126) {
          header = 4;
          if (available < header) {
            return 0;
          }
          length = (a[p + 2] & 0xff) << 8 | (a[p + 3] & 0xff);
        } else if (length == 127) {
          header = 10;
          if (available < header) {
            return 0;
          }
          length = in.getLong(p + 2);
        }
        boolean masked = (second & 0x80) != 0;
        if (masked) {
          header += 4;
        }
        if (length < 0 || length > MAX_FRAME) {
          throw new IOException("frame of " + length + " bytes");
        }
        if (available < header + length) {
          return header + (int) length;
        }
        int from = p + header;
        int to = from + (int) length;
        if (masked) {
          for (int i = from; i < to; i++) {
            a[i] ^= a[from - 4 + ((i - from) & 3)];
          }
        }
        in.position(to);
        frame(first, a, from, to, now);
      }
      return 0;
    }

    private void checkUpgrade(String head) throws IOException {
      String[] lines = head.split("\r\n");
      if (!lines[0].startsWith("HTTP/1.1 101")) {
        throw new IOException("no upgrade: " + lines[0]);
      }
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Accept")) {
          if (line.substring(colon + 1).trim().equals(WS_ACCEPT)) {
            return;
          }
          throw new IOException("upgrade with a wrong accept value: " + line);
        }
      }
      throw new IOException("upgrade without Sec-WebSocket-Accept");
    }

    private void frame(int first, byte[] a, int from, int to, long now) throws IOException {
      int opcode = first & 0x0f;
      boolean fin = (first & 0x80) != 0;
      switch (opcode) {
        case OP_CLOSE -> throw new IOException("closed by the server, code "
            + (to - from >= 2 ? ((a[from] & 0xff) << 8 | (a[from + 1] & 0xff)) : 1005));
        case OP_PING -> send(OP_PONG, a, from, to - from);
        case OP_PONG -> {
        }
        case OP_TEXT, OP_BINARY -> {
          if (fragmentsOpcode >= 0) {
            throw new IOException("new message inside a fragmented one");
          }
          if (fin) {
            if (opcode == OP_TEXT) {
              message(a, from, to, now);
            }
          } else {
            fragmentsOpcode = opcode;
            fragmentsLength = 0;
            append(a, from, to);
          }
        }
        case OP_CONTINUATION -> {
          if (fragmentsOpcode < 0) {
            throw new IOException("continuation frame without a start");
          }
          append(a, from, to);
          if (fin) {
            int opcodeOfWhole = fragmentsOpcode;
            fragmentsOpcode = -1;
            if (opcodeOfWhole == OP_TEXT) {
              message(fragments, 0, fragmentsLength, now);
            }
          }
        }
        default -> throw new IOException("unknown opcode " + opcode);
      }
    }

    private void append(byte[] a, int from, int to) throws IOException {
      int length = to - from;
      if (fragmentsLength + length > MAX_FRAME) {
        throw new IOException("message over " + MAX_FRAME + " bytes");
      }
      if (fragments == null || fragments.length < fragmentsLength + length) {
        fragments = Arrays.copyOf(fragments == null ? new byte[0] : fragments,
            Math.max(fragmentsLength + length, fragments == null ? 1024 : fragments.length * 2));
      }
      System.arraycopy(a, from, fragments, fragmentsLength, length);
      fragmentsLength += length;
    }

    /** Queues a masked frame; flushed at the end of readable() or by the caller. */
    private void send(int opcode, byte[] payload, int off, int len) {
      ByteBuffer o = room(14 + len);
      o.put((byte) (0x80 | opcode));
      if (len < 126) {
        o.put((byte) (0x80 | len));
      } else if (len < 65536) {
        o.put((byte) (0x80 | 126)).putShort((short) len);
      } else {
        o.put((byte) (0x80 | 127)).putLong(len);
      }
      int mask = ThreadLocalRandom.current().nextInt();
      o.putInt(mask);
      byte[] bytes = o.array();
      int at = o.position();
      for (int i = 0; i < len; i++) {
        bytes[at + i] = (byte) (payload[off + i] ^ (mask >>> (24 - (i & 3) * 8)));
      }
      o.position(at + len);
    }

    /** The output queue (write mode), with room for n more bytes. */
    private ByteBuffer room(int n) {
      if (out.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + n));
        out.flip();
        bigger.put(out);
        out = bigger;
      }
      return out;
    }

    void flush() throws IOException {
      if (dead) {
        return;
      }
      if (out.position() > 0) {
        out.flip();
        channel.write(out);
        out.compact();
      }
      boolean pending = out.position() > 0;
      if (pending != writeInterest) {
        writeInterest = pending;
        key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
      }
    }

    /** Not subscribed after all (refused, or too slow): closed, not counted as closed by the server. */
    void fail(String why) {
      if (dead) {
        return;
      }
      dead = true;
      failure = why;
      close();
    }

    /** The connection failed or the server closed it. */
    void lost(Exception e) {
      if (dead) {
        return;
      }
      dead = true;
      close();
      if (upgraded) {
        closed++;
      }
      if (!ready && failure == null) {
        failure = String.valueOf(e);
      }
    }

    void close() {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException e) {
        // closing anyway
      }
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
