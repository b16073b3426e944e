import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load client for Web Push (JDK only). Two modes, both run by run.sh, which starts the node(s):
 *
 * <pre>
 * java PushBench.java throughput WS_URL POST_BASE PG_PORT CLIENTS POSTERS SECONDS LABEL
 * java PushBench.java idle HOST PORT BACKEND_PORT NODE_PID CONNECTIONS ADDRESSES
 * </pre>
 *
 * <p>throughput: CLIENTS user agents (java.net.http WebSocket) say hello and register one channel each on WS_URL;
 * POSTERS threads then post durable messages (TTL 60, a 128-byte aes128gcm-looking body carrying the send time) to
 * their endpoints, re-based on POST_BASE, for SECONDS after a warm-up; every client acks what it receives. Prints
 * delivered messages/s and post-to-receipt p50/p99, then the ceiling: pgbench running the SQL the server runs per
 * message (the store, then the delete on ack) on the same database with POSTERS clients, and the ratio.
 *
 * <p>idle: opens CONNECTIONS push connections that say hello and then stay idle, from source addresses
 * 127.0.0.2 .. 127.0.0.(1+ADDRESSES), with a raw non-blocking WebSocket client (the JDK one cannot bind a source
 * address). Measures the node's heap after a full GC (backend /metrics) and its RSS (/proc), after a first batch
 * of connections has warmed the node and again once all are open, and prints the difference per connection.
 */
public final class PushBench {
  private static final int BODY_BYTES = 128;
  private static final int TTL = 60;
  private static final int WARMUP_SECONDS = 3;
  private static final Pattern FIELD = Pattern.compile("\"(messageType|uaid|channelID|version|data|pushEndpoint)\""
      + "\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*(\\d+)");

  public static void main(String[] args) throws Exception {
    switch (args.length == 0 ? "" : args[0]) {
      case "throughput" -> throughput(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Integer.parseInt(args[5]), Integer.parseInt(args[6]), args[7]);
      case "idle" -> idle(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]),
          Integer.parseInt(args[5]), Integer.parseInt(args[6]));
      default -> {
        System.err.println("usage: see the class comment");
        System.exit(2);
      }
    }
  }

  // =============================================================== throughput

  /** Receipts counted from the start of the measured window; latencies of messages sent in it. */
  private static final LongAdder RECEIVED = new LongAdder();
  private static final LongAdder RECEIVED_IN_WINDOW = new LongAdder();
  private static final LongAdder BAD_FRAMES = new LongAdder();
  private static final List<Long> LATENCIES = Collections.synchronizedList(new ArrayList<>(1 << 20));
  private static volatile long windowStart = Long.MAX_VALUE;
  private static volatile long windowEnd = Long.MAX_VALUE;

  private static void throughput(String wsUrl, String postBase, int pgPort, int clients, int posters, int seconds,
      String label) throws Exception {
    HttpClient wsClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    List<Agent> agents = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int start = 0; start < clients; start += 100) {
      List<Agent> batch = new ArrayList<>();
      for (int i = start; i < Math.min(clients, start + 100); i++) {
        Agent agent = new Agent();
        batch.add(agent);
        agent.connect(wsClient, wsUrl);
      }
      for (Agent agent : batch) {
        agent.ready.get(60, TimeUnit.SECONDS);
      }
      agents.addAll(batch);
    }
    System.out.printf(Locale.ROOT, "[%s] %d clients connected and registered in %.1f s%n", label, clients,
        (System.nanoTime() - t0) / 1e9);

    List<String> endpoints = new ArrayList<>();
    for (Agent agent : agents) {
      String path = URI.create(agent.endpoint).getRawPath();
      endpoints.add(postBase + path);
    }
    HttpClient postClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    AtomicLong next = new AtomicLong();
    LongAdder posted = new LongAdder();
    LongAdder postedInWindow = new LongAdder();
    LongAdder failed = new LongAdder();
    List<Long> postLatencies = Collections.synchronizedList(new ArrayList<>(1 << 20));
    long begin = System.nanoTime();
    windowStart = begin + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
    windowEnd = windowStart + TimeUnit.SECONDS.toNanos(seconds);
    CpuWatch cpu = new CpuWatch();
    Thread sampler = new Thread(() -> {
      try {
        Thread.sleep(Math.max(0, (windowStart - System.nanoTime()) / 1_000_000));
        cpu.start();
        Thread.sleep(Math.max(0, (windowEnd - System.nanoTime()) / 1_000_000));
        cpu.stop();
      } catch (Exception e) {
        System.out.println("no CPU figures: " + e);
      }
    }, "cpu-sampler");
    sampler.start();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < posters; p++) {
      Thread thread = new Thread(() -> {
        byte[] body = new byte[BODY_BYTES];
        while (true) {
          long sent = System.nanoTime();
          if (sent >= windowEnd) {
            return;
          }
          int target = (int) (next.getAndIncrement() % endpoints.size());
          fakeCiphertext(body, sent);
          HttpRequest request = HttpRequest.newBuilder(URI.create(endpoints.get(target)))
              .timeout(Duration.ofSeconds(30))
              .header("TTL", String.valueOf(TTL))
              .header("Content-Encoding", "aes128gcm")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
          try {
            HttpResponse<Void> response = postClient.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 201) {
              posted.increment();
              if (sent >= windowStart) {
                postedInWindow.increment();
                postLatencies.add(System.nanoTime() - sent);
              }
            } else {
              failed.increment();
            }
          } catch (IOException e) {
            failed.increment();
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "poster-" + p);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    sampler.join();
    // Everything answered 201 is stored; wait for what is still on its way to the clients.
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (RECEIVED.sum() < posted.sum() && System.nanoTime() < drainDeadline) {
      Thread.sleep(100);
    }
    double window = seconds;
    long inWindow = RECEIVED_IN_WINDOW.sum();
    List<Long> latencies;
    synchronized (LATENCIES) {
      latencies = new ArrayList<>(LATENCIES);
    }
    Collections.sort(latencies);
    List<Long> postSorted;
    synchronized (postLatencies) {
      postSorted = new ArrayList<>(postLatencies);
    }
    Collections.sort(postSorted);
    long closedByServer = agents.stream().filter(a -> a.closeCode != 0).count();
    for (Agent agent : agents) {
      agent.close();
    }

    double ceiling = pgbench(pgPort, posters, seconds, clients);
    double delivered = inWindow / window;
    System.out.printf(Locale.ROOT, "[%s] posts: %d answered 201 (%.1f/s in the window, POST p50 %.2f ms, p99 %.2f "
            + "ms), %d failed; delivered: %d of %d, %d not received after 15 s, %d clients closed by the server, "
            + "%d unreadable notifications%n", label, posted.sum(), postedInWindow.sum() / window,
        percentile(postSorted, 0.50), percentile(postSorted, 0.99), failed.sum(), RECEIVED.sum(), posted.sum(),
        Math.max(0, posted.sum() - RECEIVED.sum()), closedByServer, BAD_FRAMES.sum());
    cpu.print(label, inWindow);
    System.out.printf(Locale.ROOT, "%-28s %8s %8s %9s %9s %9s %12s %7s%n", "case", "clients", "posters", "msgs/s",
        "p50 ms", "p99 ms", "pgbench tps", "ratio");
    System.out.printf(Locale.ROOT, "%-28s %8d %8d %9.1f %9.2f %9.2f %12.1f %7.2f%n", label, clients, posters,
        delivered, percentile(latencies, 0.50), percentile(latencies, 0.99), ceiling, delivered / ceiling);
  }

  /**
   * CPU time spent during the measured window by the node(s) (PUSHBENCH_NODE_PIDS), PostgreSQL (the postmaster
   * PUSHBENCH_POSTMASTER and its children) and this client, so a reader sees who used the two cores.
   */
  private static final class CpuWatch {
    private final long[] nodes;
    private final long postmaster;
    private long[] before;
    private long[] after;
    private long wallBefore;
    private long wallAfter;

    CpuWatch() {
      String pids = System.getenv().getOrDefault("PUSHBENCH_NODE_PIDS", "").trim();
      nodes = pids.isEmpty() ? new long[0] : java.util.Arrays.stream(pids.split("\\s+"))
          .mapToLong(Long::parseLong).toArray();
      postmaster = Long.parseLong(System.getenv().getOrDefault("PUSHBENCH_POSTMASTER", "0").trim());
    }

    void start() throws IOException {
      wallBefore = System.nanoTime();
      before = sample();
    }

    void stop() throws IOException {
      wallAfter = System.nanoTime();
      after = sample();
    }

    /** Ticks of: each node, PostgreSQL, this client. */
    private long[] sample() throws IOException {
      long[] ticks = new long[nodes.length + 2];
      for (int i = 0; i < nodes.length; i++) {
        ticks[i] = ticks(nodes[i]);
      }
      if (postmaster > 0) {
        ticks[nodes.length] = ticks(postmaster);
        try (var children = ProcessHandle.of(postmaster).map(ProcessHandle::children)
            .orElse(java.util.stream.Stream.empty())) {
          ticks[nodes.length] += children.mapToLong(child -> {
            try {
              return ticks(child.pid());
            } catch (IOException e) {
              return 0;
            }
          }).sum();
        }
      }
      ticks[nodes.length + 1] = ticks(ProcessHandle.current().pid());
      return ticks;
    }

    private static long ticks(long pid) throws IOException {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    void print(String label, long messages) {
      if (before == null || after == null) {
        return;
      }
      double wall = (wallAfter - wallBefore) / 1e9;
      StringBuilder line = new StringBuilder("[" + label + "] CPU in the window (cores busy; ms per delivered "
          + "message):");
      for (int i = 0; i < before.length; i++) {
        String who = i < nodes.length ? "node " + (i + 1) : i == nodes.length ? "PostgreSQL" : "load client";
        if (i == nodes.length && postmaster == 0) {
          continue;
        }
        double seconds = (after[i] - before[i]) / 100.0;
        line.append(String.format(Locale.ROOT, " %s %.2f (%.3f ms)", who, seconds / wall,
            messages == 0 ? 0 : seconds * 1000 / messages));
      }
      System.out.println(line);
    }
  }

  /** An aes128gcm-looking body (RFC 8188 header: salt, rs, idlen, keyid; then "ciphertext"), with the send time
   * in the first 8 bytes of the salt so the receiver can time it. */
  private static void fakeCiphertext(byte[] body, long sentNanos) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    random.nextBytes(body);
    ByteBuffer header = ByteBuffer.wrap(body);
    header.putLong(0, sentNanos);
    header.putInt(16, 4096);
    body[20] = 65;
    body[21] = 0x04;
  }

  /** One user agent: hello, one channel, then acks every notification. */
  private static final class Agent implements WebSocket.Listener {
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final String channel = UUID.randomUUID().toString();
    final StringBuilder text = new StringBuilder();
    volatile WebSocket socket;
    volatile String endpoint;
    volatile int closeCode;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    void connect(HttpClient client, String url) {
      client.newWebSocketBuilder().subprotocols("push-notification").connectTimeout(Duration.ofSeconds(10))
          .buildAsync(URI.create(url), this)
          .whenComplete((ws, failure) -> {
            if (failure != null) {
              ready.completeExceptionally(failure);
            } else {
              socket = ws;
              send("{\"messageType\":\"hello\",\"broadcasts\":{},\"use_webpush\":true}");
            }
          });
    }

    /** The JDK WebSocket allows one outstanding send: chain them. */
    synchronized void send(String message) {
      sending = sending.handle((v, e) -> null).thenCompose(v -> socket.sendText(message, true));
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        handle(message);
      }
      ws.request(1);
      return null;
    }

    private void handle(String message) {
      String type = null;
      String version = null;
      String data = null;
      String pushEndpoint = null;
      Matcher field = FIELD.matcher(message);
      while (field.find()) {
        switch (field.group(1)) {
          case "messageType" -> type = field.group(2);
          case "version" -> version = field.group(2);
          case "data" -> data = field.group(2);
          case "pushEndpoint" -> pushEndpoint = field.group(2);
          default -> {
          }
        }
      }
      if ("notification".equals(type) && version != null && data != null) {
        long now = System.nanoTime();
        long sent = ByteBuffer.wrap(Base64.getUrlDecoder().decode(data)).getLong(0);
        RECEIVED.increment();
        if (now >= windowStart && now < windowEnd) {
          RECEIVED_IN_WINDOW.increment();
        }
        if (sent >= windowStart && sent < windowEnd) {
          LATENCIES.add(now - sent);
        }
        send("{\"messageType\":\"ack\",\"updates\":[{\"channelID\":\"" + channel + "\",\"version\":\"" + version
            + "\",\"code\":100}]}");
      } else if ("hello".equals(type)) {
        send("{\"messageType\":\"register\",\"channelID\":\"" + channel + "\"}");
      } else if ("register".equals(type)) {
        Matcher status = STATUS.matcher(message);
        if (pushEndpoint != null && status.find() && "200".equals(status.group(1))) {
          endpoint = pushEndpoint;
          ready.complete(null);
        } else {
          ready.completeExceptionally(new IllegalStateException("register failed: " + message));
        }
      } else {
        BAD_FRAMES.increment();
      }
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closeCode = statusCode;
      ready.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closeCode = -1;
      ready.completeExceptionally(error);
    }

    void close() {
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        socket.abort();
      }
    }
  }

  // ------------------------------------------------- the ceiling: pgbench

  /**
   * What the server writes per durable message, statement for statement (PushStore STORE and ACK): the insert,
   * which checks the channel and would replace a message of the same topic, and the delete when the client acks.
   * Each is its own transaction, as on the server. Users and channels are the shapes the server uses (32 hex
   * uaid, UUID channel id), made beforehand for pgbench alone.
   */
  private static final String UAID = "lpad(:u::text, 32, '0')";
  private static final String CHANNEL = "('00000000-0000-0000-0000-' || lpad(:u::text, 12, '0'))";
  private static final String MESSAGE_ID = "(lpad(:client_id::text, 8, '0') || lpad(:r::text, 24, '0'))";

  private static String setupSql(int users) {
    return """
        INSERT INTO push_users (uaid, created_at, last_seen)
          SELECT lpad(g::text, 32, '0'), 0, 0 FROM generate_series(1, %1$d) g ON CONFLICT DO NOTHING;
        INSERT INTO push_channels (uaid, channel_id, created_at)
          SELECT lpad(g::text, 32, '0'), '00000000-0000-0000-0000-' || lpad(g::text, 12, '0'), 0
          FROM generate_series(1, %1$d) g ON CONFLICT DO NOTHING;
        """.formatted(users);
  }

  private static String messageSql(int users) {
    String data = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[BODY_BYTES]);
    return ("""
        \\set u random(1, %4$d)
        \\set r random(1, 999999999999999999)
        WITH channel AS (SELECT 1 FROM push_channels WHERE uaid = %1$s AND channel_id = %2$s),
        replaced AS (
          DELETE FROM push_messages
          WHERE NULL::text IS NOT NULL AND uaid = %1$s AND channel_id = %2$s AND topic = NULL
            AND EXISTS (SELECT 1 FROM channel))
        INSERT INTO push_messages (id, uaid, channel_id, topic, created_at, expires_at, ttl, data, headers)
        SELECT %3$s, %1$s, %2$s, NULL, 1700000000000, 1700000060000, 60, '%5$s', '{"encoding":"aes128gcm"}'::jsonb
        FROM channel
        RETURNING seq;
        DELETE FROM push_messages WHERE uaid = %1$s AND id = ANY(ARRAY[%3$s]::text[]);
        """).formatted(UAID, CHANNEL, MESSAGE_ID, users, data);
  }

  private static double pgbench(int pgPort, int clients, int seconds, int users) throws Exception {
    runPgbench(pgPort, setupSql(users), "-t", "1", "-c", "1");
    String output = runPgbench(pgPort, messageSql(users), "-T", String.valueOf(seconds), "-c",
        String.valueOf(clients), "-j", String.valueOf(Math.min(clients, 2)));
    Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
    if (!tps.find()) {
      throw new IllegalStateException("pgbench failed:\n" + output);
    }
    return Double.parseDouble(tps.group(1));
  }

  private static String runPgbench(int pgPort, String script, String... options) throws Exception {
    Path file = Files.createTempFile("syncline-pushbench", ".sql");
    Files.writeString(file, script);
    List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared", "-h", "127.0.0.1", "-p",
        String.valueOf(pgPort), "-U", "postgres", "-f", file.toString()));
    command.addAll(List.of(options));
    command.add("postgres");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    Files.deleteIfExists(file);
    if (exit != 0) {
      throw new IllegalStateException("pgbench failed:\n" + output);
    }
    return output;
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }

  // ===================================================================== idle

  private static final byte[] HELLO = frame("{\"messageType\":\"hello\",\"broadcasts\":{},\"use_webpush\":true}",
      0x1);
  private static final int IN_FLIGHT = 200;

  /** One raw connection: handshake, hello, then idle (answering pings). */
  private static final class Raw {
    final SocketChannel channel;
    ByteBuffer in = ByteBuffer.allocate(2048);
    boolean upgraded;
    boolean greeted;

    Raw(SocketChannel channel) {
      this.channel = channel;
    }
  }

  private static void idle(String host, int port, int backendPort, long pid, int connections, int addresses)
      throws Exception {
    int warm = Math.min(1000, connections / 10);
    System.out.printf(Locale.ROOT, "node pid %d, %d connections from %d source addresses (127.0.0.2..127.0.0.%d)%n",
        pid, connections, addresses, addresses + 1);
    Memory fresh = memory(backendPort, pid);
    System.out.printf(Locale.ROOT, "%-34s %12s %12s%n", "state", "heap MiB", "RSS MiB");
    fresh.print("fresh node, 0 connections");
    Selector selector = Selector.open();
    Opener opener = new Opener(selector, new InetSocketAddress(host, port), addresses);
    opener.openUntil(warm);
    Memory warmed = memory(backendPort, pid);
    java.util.Map<String, long[]> warmClasses = histogram(pid);
    warmed.print("warm-up, " + warm + " connections");
    long t0 = System.nanoTime();
    opener.openUntil(connections);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(3000);
    opener.pump(500);
    Memory loaded = memory(backendPort, pid);
    java.util.Map<String, long[]> loadedClasses = histogram(pid);
    loaded.print("all " + connections + " connections");
    int added = connections - warm;
    System.out.println("largest heap growth by class, per added connection (GC.class_histogram): bytes, instances");
    long[] none = {0, 0};
    loadedClasses.entrySet().stream()
        .map(e -> java.util.Map.entry(e.getKey(), new long[] {
            e.getValue()[0] - warmClasses.getOrDefault(e.getKey(), none)[0],
            e.getValue()[1] - warmClasses.getOrDefault(e.getKey(), none)[1]}))
        .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(15)
        .forEach(e -> System.out.printf(Locale.ROOT, "  %8.0f %6.2f  %s%n", e.getValue()[1] / (double) added,
            e.getValue()[0] / (double) added, e.getKey()));
    System.out.printf(Locale.ROOT, "opened %d more in %.1f s (%d failed to open); per idle connection, from the "
            + "warm-up to all: heap %.0f bytes, RSS %.0f bytes; from the fresh node: heap %.0f, RSS %.0f bytes%n",
        added, seconds, opener.failures, (loaded.heap - warmed.heap) / (double) added,
        (loaded.rss - warmed.rss) / (double) added, (loaded.heap - fresh.heap) / (double) connections,
        (loaded.rss - fresh.rss) / (double) connections);
    int open = 0;
    for (SelectionKey key : selector.keys()) {
      if (key.isValid() && ((Raw) key.attachment()).greeted && key.channel().isOpen()) {
        open++;
      }
    }
    System.out.printf(Locale.ROOT, "still open and greeted at the end: %d%n", open);
    for (SelectionKey key : selector.keys()) {
      key.channel().close();
    }
    selector.close();
  }

  /** Opens connections through one selector, at most IN_FLIGHT handshakes at a time. */
  private static final class Opener {
    final Selector selector;
    final InetSocketAddress server;
    final int addresses;
    final String request;
    int started;
    int greeted;
    int failures;

    Opener(Selector selector, InetSocketAddress server, int addresses) {
      this.selector = selector;
      this.server = server;
      this.addresses = addresses;
      this.request = "GET /push HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: push-notification\r\n\r\n";
    }

    void openUntil(int target) throws IOException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (greeted + failures < target && System.nanoTime() < deadline) {
        while (started - greeted - failures < IN_FLIGHT && started < target) {
          open(started++);
        }
        pump(50);
      }
      if (greeted + failures < target) {
        throw new IllegalStateException("only " + greeted + " of " + target + " connections greeted in 5 min");
      }
    }

    private void open(int index) throws IOException {
      SocketChannel channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.bind(new InetSocketAddress("127.0.0." + (2 + index % addresses), 0));
      Raw raw = new Raw(channel);
      if (channel.connect(server)) {
        channel.register(selector, SelectionKey.OP_READ, raw);
        write(raw, request.getBytes(StandardCharsets.US_ASCII));
      } else {
        channel.register(selector, SelectionKey.OP_CONNECT, raw);
      }
    }

    void pump(long millis) throws IOException {
      selector.select(millis);
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        Raw raw = (Raw) key.attachment();
        try {
          if (key.isConnectable()) {
            raw.channel.finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            write(raw, request.getBytes(StandardCharsets.US_ASCII));
          } else if (key.isReadable()) {
            read(key, raw);
          }
        } catch (IOException e) {
          if (!raw.greeted) {
            failures++;
            if (failures <= 3) {
              System.out.println("connection failed: " + e);
            }
          } else {
            System.out.println("an idle connection dropped: " + e);
          }
          key.cancel();
          raw.channel.close();
        }
      }
    }

    private void read(SelectionKey key, Raw raw) throws IOException {
      if (raw.channel.read(raw.in) < 0) {
        throw new IOException("closed by the server");
      }
      raw.in.flip();
      if (!raw.upgraded) {
        String head = StandardCharsets.US_ASCII.decode(raw.in.duplicate()).toString();
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
          raw.in.compact();
          return;
        }
        if (!head.startsWith("HTTP/1.1 101")) {
          throw new IOException("no upgrade: " + head.lines().findFirst().orElse(""));
        }
        raw.upgraded = true;
        raw.in.position(end + 4);
        write(raw, HELLO);
      }
      while (raw.in.remaining() >= 2) {
        raw.in.mark();
        int first = raw.in.get() & 0xff;
        long length = raw.in.get() & 0x7f;
        if (length == 126) {
          if (raw.in.remaining() < 2) {
            raw.in.reset();
            break;
          }
          length = raw.in.getShort() & 0xffff;
        } else if (length == 127) {
          throw new IOException("unexpected long frame");
        }
        if (raw.in.remaining() < length) {
          raw.in.reset();
          break;
        }
        byte[] payload = new byte[(int) length];
        raw.in.get(payload);
        int opcode = first & 0x0f;
        if (opcode == 0x8) {
          throw new IOException("closed by the server, code "
              + (payload.length >= 2 ? ((payload[0] & 0xff) << 8 | (payload[1] & 0xff)) : 1005));
        } else if (opcode == 0x9) {
          write(raw, frame(payload, 0xA));
        } else if (opcode == 0x1 && !raw.greeted) {
          String text = new String(payload, StandardCharsets.UTF_8);
          if (!text.contains("\"messageType\":\"hello\"") || !text.contains("\"status\":200")) {
            throw new IOException("unexpected answer to hello: " + text);
          }
          raw.greeted = true;
          greeted++;
        }
      }
      raw.in.compact();
      if (raw.greeted && raw.in.position() == 0 && raw.in.capacity() > 256) {
        raw.in = ByteBuffer.allocate(256);
      }
    }

    private static void write(Raw raw, byte[] bytes) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      raw.channel.write(buffer);
      if (buffer.hasRemaining()) {
        throw new IOException("socket buffer full on a fresh connection");
      }
    }
  }

  private static byte[] frame(String text, int opcode) {
    return frame(text.getBytes(StandardCharsets.UTF_8), opcode);
  }

  /** A masked client frame (payload under 126 bytes). */
  private static byte[] frame(byte[] payload, int opcode) {
    byte[] mask = {0x37, 0x5a, 0x11, 0x6e};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80 | opcode);
    out.write(0x80 | payload.length);
    out.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    return out.toByteArray();
  }

  /** Live instances and bytes per class (the histogram forces a full GC first). */
  private static java.util.Map<String, long[]> histogram(long pid) throws Exception {
    Process process = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.class_histogram")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    java.util.Map<String, long[]> classes = new java.util.HashMap<>();
    Matcher row = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)").matcher(output);
    while (row.find()) {
      classes.merge(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))},
          (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    }
    return classes;
  }

  record Memory(long heap, long rss) {
    void print(String state) {
      System.out.printf(Locale.ROOT, "%-34s %12.1f %12.1f%n", state, heap / 1048576.0, rss / 1048576.0);
    }
  }

  /** The node's heap after a full GC (from its own metrics) and its resident set. */
  private static Memory memory(int backendPort, long pid) throws Exception {
    for (int i = 0; i < 2; i++) {
      Process gc = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true).start();
      gc.getInputStream().readAllBytes();
      gc.waitFor();
    }
    Thread.sleep(500);
    HttpClient http = HttpClient.newHttpClient();
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backendPort + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    double heap = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return new Memory((long) heap, rss);
  }
}
