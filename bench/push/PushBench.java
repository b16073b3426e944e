import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * <p>Both modes drive raw non-blocking sockets from one thread and one selector (a hand-written WebSocket client,
 * masked frames out, any frame length in), so the load client takes little of the cores the node(s) under test
 * need.
 *
 * <p>throughput: CLIENTS user agents (raw WebSocket connections, at most 200 handshakes at a time) say hello and
 * register one channel each on WS_URL; POSTERS keep-alive HTTP/1.1 connections, each a closed loop of one request
 * at a time, then post durable messages (TTL 60, a 128-byte aes128gcm-looking body carrying the send time) to their
 * endpoints, re-based on POST_BASE and taken in turn, for SECONDS after a warm-up; every client acks what it
 * receives. Prints delivered messages/s and post-to-receipt p50/p99 (both measured on this one thread), the CPU
 * used by the node(s), PostgreSQL and this client, then the ceiling: pgbench running the SQL the server runs per
 * message (the store, then the delete on ack) on the same database with POSTERS clients, and the ratio.
 *
 * <p>idle: opens CONNECTIONS push connections that say hello and then stay idle, from source addresses
 * 127.0.0.2 .. 127.0.0.(1+ADDRESSES). Measures the node's heap after a full GC (backend /metrics) and its RSS
 * (/proc), after a first batch of connections has warmed the node and again once all are open, and prints the
 * difference per connection.
 */
public final class PushBench {
  private static final int BODY_BYTES = 128;
  private static final int TTL = 60;
  private static final int WARMUP_SECONDS = 3;
  private static final long POST_TIMEOUT = TimeUnit.SECONDS.toNanos(30);
  private static final long RECONNECT_PAUSE = TimeUnit.MILLISECONDS.toNanos(100);

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

  // All of throughput runs on the main thread, so plain fields.
  /** Every notification received; those received in the measured window; frames that were not understood. */
  private static long received;
  private static long receivedInWindow;
  private static long badFrames;
  /** Post-to-receipt times of the messages sent in the measured window. */
  private static final Longs LATENCIES = new Longs();
  private static long windowStart = Long.MAX_VALUE;
  private static long windowEnd = Long.MAX_VALUE;

  private static void throughput(String wsUrl, String postBase, int pgPort, int clients, int posters, int seconds,
      String label) throws Exception {
    URI ws = URI.create(wsUrl);
    Selector selector = Selector.open();
    List<Agent> agents = new ArrayList<>(clients);
    Opener opener = new Opener(selector, new InetSocketAddress(ws.getHost(), port(ws)), ws.getRawPath(), 0, () -> {
      Agent agent = new Agent();
      agents.add(agent);
      return agent;
    });
    long t0 = System.nanoTime();
    opener.openUntil(clients);
    if (opener.failures > 0) {
      throw new IllegalStateException(opener.failures + " of " + clients + " clients failed to connect and register");
    }
    System.out.printf(Locale.ROOT, "[%s] %d clients connected and registered in %.1f s%n", label, clients,
        (System.nanoTime() - t0) / 1e9);

    // One ready request head per endpoint, re-based on POST_BASE.
    URI post = URI.create(postBase);
    String basePath = post.getRawPath() == null ? "" : post.getRawPath();
    byte[][] requests = new byte[agents.size()][];
    for (int i = 0; i < requests.length; i++) {
      String path = URI.create(agents.get(i).endpoint).getRawPath();
      requests[i] = ("POST " + basePath + path + " HTTP/1.1\r\nHost: " + post.getHost() + ":" + port(post)
          + "\r\nTTL: " + TTL + "\r\nContent-Encoding: aes128gcm\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
    }
    Posting posting = new Posting(selector, new InetSocketAddress(post.getHost(), port(post)), requests);
    long begin = System.nanoTime();
    windowStart = begin + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
    windowEnd = windowStart + TimeUnit.SECONDS.toNanos(seconds);
    CpuWatch cpu = new CpuWatch();
    List<Poster> posterList = new ArrayList<>();
    for (int p = 0; p < posters; p++) {
      Poster poster = new Poster(posting);
      posterList.add(poster);
      poster.post();
    }
    // 0: warm-up, 1: measured window, 2: letting the last posts finish.
    int phase = 0;
    boolean cpuFailed = false;
    while (true) {
      long now = System.nanoTime();
      if (phase == 0 && now >= windowStart) {
        phase = 1;
        try {
          cpu.start();
        } catch (Exception e) {
          cpuFailed = true;
          System.out.println("no CPU figures: " + e);
        }
      }
      if (phase == 1 && now >= windowEnd) {
        phase = 2;
        try {
          if (!cpuFailed) {
            cpu.stop();
          }
        } catch (Exception e) {
          System.out.println("no CPU figures: " + e);
        }
      }
      boolean active = false;
      for (Poster poster : posterList) {
        poster.check(now);
        active |= !poster.done;
      }
      if (phase == 2 && !active) {
        break;
      }
      long until = phase == 0 ? windowStart : phase == 1 ? windowEnd : now + TimeUnit.MILLISECONDS.toNanos(50);
      pump(selector, Math.min(50, (until - now) / 1_000_000 + 1));
    }
    // Everything answered 201 is stored; wait for what is still on its way to the clients.
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (received < posting.posted && System.nanoTime() < drainDeadline) {
      pump(selector, 100);
    }
    double window = seconds;
    long inWindow = receivedInWindow;
    long closedByServer = agents.stream().filter(a -> a.closedByServer).count();
    for (Agent agent : agents) {
      agent.bye();
    }
    for (Poster poster : posterList) {
      poster.close();
    }
    selector.close();

    double ceiling = pgbench(pgPort, posters, seconds, clients);
    double delivered = inWindow / window;
    System.out.printf(Locale.ROOT, "[%s] posts: %d answered 201 (%.1f/s in the window, POST p50 %.2f ms, p99 %.2f "
            + "ms), %d failed; delivered: %d of %d, %d not received after 15 s, %d clients closed by the server, "
            + "%d unreadable notifications%n", label, posting.posted, posting.postedInWindow / window,
        posting.latencies.percentile(0.50), posting.latencies.percentile(0.99), posting.failed, received,
        posting.posted, Math.max(0, posting.posted - received), closedByServer, badFrames);
    cpu.print(label, inWindow);
    System.out.printf(Locale.ROOT, "%-28s %8s %8s %9s %9s %9s %12s %7s%n", "case", "clients", "posters", "msgs/s",
        "p50 ms", "p99 ms", "pgbench tps", "ratio");
    System.out.printf(Locale.ROOT, "%-28s %8d %8d %9.1f %9.2f %9.2f %12.1f %7.2f%n", label, clients, posters,
        delivered, LATENCIES.percentile(0.50), LATENCIES.percentile(0.99), ceiling, delivered / ceiling);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) || "wss".equals(uri.getScheme())
        ? 443 : 80;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static final byte[] HELLO = ascii("{\"messageType\":\"hello\",\"broadcasts\":{},\"use_webpush\":true}");
  private static final byte[] MESSAGE_TYPE = ascii("\"messageType\"");
  private static final byte[] VERSION = ascii("\"version\"");
  private static final byte[] DATA = ascii("\"data\"");
  private static final byte[] STATUS = ascii("\"status\"");
  private static final byte[] PUSH_ENDPOINT = ascii("\"pushEndpoint\"");
  private static final byte[] NOTIFICATION = ascii("notification");
  private static final byte[] HELLO_TYPE = ascii("hello");
  private static final byte[] REGISTER_TYPE = ascii("register");
  private static final byte[] ACK_END = ascii("\",\"code\":100}]}");

  /** One user agent: hello, one channel, then acks every notification. */
  private static final class Agent extends WsConn {
    final String channelId = UUID.randomUUID().toString();
    /** The ack up to the version: {"messageType":"ack","updates":[{"channelID":"...","version":" */
    final byte[] ackStart = ascii("{\"messageType\":\"ack\",\"updates\":[{\"channelID\":\"" + channelId
        + "\",\"version\":\"");
    String endpoint;
    boolean closedByServer;

    @Override
    void upgraded() {
      send(OP_TEXT, HELLO, 0, HELLO.length);
    }

    @Override
    void message(int opcode, byte[] a, int from, int to) throws IOException {
      if (opcode == OP_TEXT) {
        long type = stringField(a, from, to, MESSAGE_TYPE);
        if (same(a, type, NOTIFICATION)) {
          long version = stringField(a, from, to, VERSION);
          long data = stringField(a, from, to, DATA);
          if (version >= 0 && data >= 0) {
            notification(a, version, data);
            return;
          }
        } else if (same(a, type, HELLO_TYPE)) {
          byte[] register = ascii("{\"messageType\":\"register\",\"channelID\":\"" + channelId + "\"}");
          send(OP_TEXT, register, 0, register.length);
          return;
        } else if (same(a, type, REGISTER_TYPE)) {
          if (endpoint == null) {
            long pushEndpoint = stringField(a, from, to, PUSH_ENDPOINT);
            if (pushEndpoint < 0 || intField(a, from, to, STATUS) != 200) {
              throw new IOException("register failed: " + new String(a, from, to - from, StandardCharsets.UTF_8));
            }
            endpoint = new String(a, start(pushEndpoint), end(pushEndpoint) - start(pushEndpoint),
                StandardCharsets.UTF_8).replace("\\/", "/");
            markReady();
          }
          return;
        }
      }
      badFrames++;
    }

    private void notification(byte[] a, long version, long data) {
      long now = System.nanoTime();
      long sent = sentNanos(a, start(data), end(data));
      received++;
      if (now >= windowStart && now < windowEnd) {
        receivedInWindow++;
      }
      if (sent == Long.MIN_VALUE) {
        badFrames++;
      } else if (sent >= windowStart && sent < windowEnd) {
        LATENCIES.add(now - sent);
      }
      send(OP_TEXT, ackStart, a, start(version), end(version) - start(version), ACK_END);
    }

    @Override
    void lost(IOException e) {
      closedByServer = true;
    }
  }

  /** What the posters share: where to post, in turn, and what came back. */
  private static final class Posting {
    final Selector selector;
    final InetSocketAddress server;
    final byte[][] requests;
    final byte[] body = new byte[BODY_BYTES];
    final Longs latencies = new Longs();
    long next;
    long posted;
    long postedInWindow;
    long failed;

    Posting(Selector selector, InetSocketAddress server, byte[][] requests) {
      this.selector = selector;
      this.server = server;
      this.requests = requests;
    }
  }

  /**
   * One keep-alive HTTP/1.1 connection posting in a closed loop: a message, its whole response, the next. A post
   * that gets no response (the server closed the connection, or 30 s passed) counts as failed, and the next goes
   * out on a new connection.
   */
  private static final class Poster extends Conn {
    final Posting posting;
    ByteBuffer in = ByteBuffer.allocate(1024);
    boolean connected;
    boolean outstanding;
    boolean done;
    long sent;
    long retryAt;
    /** Set by response(): the server will close the connection after this response. */
    boolean closeAfter;

    Poster(Posting posting) {
      this.posting = posting;
    }

    /** Sends the next message, or stops once the window is over. */
    void post() {
      sent = System.nanoTime();
      if (sent >= windowEnd) {
        done = true;
        return;
      }
      byte[] request = posting.requests[(int) (posting.next++ % posting.requests.length)];
      fakeCiphertext(posting.body, sent);
      out.clear();
      room(request.length + BODY_BYTES).put(request).put(posting.body);
      outstanding = true;
      try {
        if (channel == null) {
          open(posting.selector, null, posting.server);
        } else if (connected) {
          flush();
        }
      } catch (IOException e) {
        fail(e);
      }
    }

    /** Time-outs and delayed reconnections. */
    void check(long now) {
      if (outstanding && now - sent > POST_TIMEOUT) {
        fail(new IOException("no response in 30 s"));
      } else if (retryAt != 0 && now >= retryAt) {
        retryAt = 0;
        post();
      }
    }

    private void fail(IOException e) {
      close();
      failed(e);
    }

    @Override
    void connected() throws IOException {
      connected = true;
      flush();
    }

    @Override
    void failed(IOException e) {
      boolean wasConnected = connected;
      channel = null;
      connected = false;
      in.clear();
      out.clear();
      if (outstanding) {
        outstanding = false;
        posting.failed++;
      }
      if (done) {
        return;
      }
      if (wasConnected) {
        post();
      } else {
        // Could not connect: try again a little later rather than spin.
        retryAt = System.nanoTime() + RECONNECT_PAUSE;
      }
    }

    @Override
    void readable() throws IOException {
      boolean eof = channel.read(in) < 0;
      if (!outstanding) {
        // Nothing asked: a server closing an idle connection, or saying why before it does.
        in.clear();
        if (eof) {
          close();
          channel = null;
          connected = false;
        }
        return;
      }
      int status = response(eof);
      if (status < 0) {
        if (eof) {
          throw new IOException("closed by the server");
        }
        if (!in.hasRemaining()) {
          in = grow(in, in.capacity() * 2);
        }
        return;
      }
      long now = System.nanoTime();
      outstanding = false;
      if (status == 201) {
        posting.posted++;
        if (sent >= windowStart) {
          posting.postedInWindow++;
          posting.latencies.add(now - sent);
        }
      } else {
        posting.failed++;
      }
      in.clear();
      if (closeAfter || eof) {
        close();
        channel = null;
        connected = false;
      }
      post();
    }

    /**
     * The status of the complete response in the input, or -1 while it is incomplete (1xx interim responses are
     * skipped; the body is delimited by Content-Length, chunked encoding, or the end of the connection).
     */
    private int response(boolean eof) {
      byte[] a = in.array();
      int n = in.position();
      int from = 0;
      while (true) {
        int head = indexOf(a, from, n, CRLFCRLF);
        if (head < 0) {
          return -1;
        }
        int body = head + 4;
        int line = indexOf(a, from, head + 2, CRLF);
        int space = indexOf(a, from, line, SPACE);
        int status = space < 0 ? -1 : digits(a, space + 1, line);
        if (status >= 100 && status < 200 && status != 101) {
          from = body;
          continue;
        }
        long length = -1;
        boolean chunked = false;
        closeAfter = false;
        for (int i = line + 2; i < head; ) {
          int end = indexOf(a, i, head + 2, CRLF);
          int colon = indexOf(a, i, end, COLON);
          if (colon > 0) {
            int value = colon + 1;
            while (value < end && (a[value] == ' ' || a[value] == '\t')) {
              value++;
            }
            if (nameIs(a, i, colon, "content-length")) {
              length = digits(a, value, end);
            } else if (nameIs(a, i, colon, "transfer-encoding")) {
              chunked = containsIgnoreCase(a, value, end, "chunked");
            } else if (nameIs(a, i, colon, "connection")) {
              closeAfter = containsIgnoreCase(a, value, end, "close");
            }
          }
          i = end + 2;
        }
        if (status == 204 || status == 304) {
          return status;
        } else if (chunked) {
          return chunkedEnd(a, body, n) < 0 ? -1 : status;
        } else if (length >= 0) {
          return n - body >= length ? status : -1;
        }
        closeAfter = true;
        return eof ? status : -1;
      }
    }

    /** The end of a chunked body starting at i, or -1 if not all there yet. */
    private static int chunkedEnd(byte[] a, int i, int n) {
      while (true) {
        int line = indexOf(a, i, n, CRLF);
        if (line < 0) {
          return -1;
        }
        long size = 0;
        int j = i;
        for (; j < line && Character.digit(a[j], 16) >= 0; j++) {
          size = size * 16 + Character.digit(a[j], 16);
        }
        if (j == i) {
          return -1;
        }
        i = line + 2;
        if (size == 0) {
          if (i + 2 <= n && a[i] == '\r' && a[i + 1] == '\n') {
            return i + 2;
          }
          int trailers = indexOf(a, i, n, CRLFCRLF);
          return trailers < 0 ? -1 : trailers + 4;
        }
        if (n - i < size + 2) {
          return -1;
        }
        i += (int) size + 2;
      }
    }
  }

  private static final byte[] CRLF = ascii("\r\n");
  private static final byte[] CRLFCRLF = ascii("\r\n\r\n");
  private static final byte[] SPACE = ascii(" ");
  private static final byte[] COLON = ascii(":");

  /** The non-negative decimal number starting at a[i] (after spaces), or -1. */
  private static int digits(byte[] a, int i, int to) {
    while (i < to && a[i] == ' ') {
      i++;
    }
    int value = -1;
    for (; i < to && a[i] >= '0' && a[i] <= '9'; i++) {
      value = Math.max(value, 0) * 10 + (a[i] - '0');
    }
    return value;
  }

  private static boolean nameIs(byte[] a, int from, int to, String name) {
    while (to > from && (a[to - 1] == ' ' || a[to - 1] == '\t')) {
      to--;
    }
    return to - from == name.length() && containsIgnoreCase(a, from, to, name);
  }

  /** Whether a[from, to) contains the lower-case ASCII text, ignoring case. */
  private static boolean containsIgnoreCase(byte[] a, int from, int to, String text) {
    outer:
    for (int i = from; i + text.length() <= to; i++) {
      for (int j = 0; j < text.length(); j++) {
        if (Character.toLowerCase(a[i + j]) != text.charAt(j)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** The first index of what in a[from, to), or -1. */
  private static int indexOf(byte[] a, int from, int to, byte[] what) {
    byte first = what[0];
    outer:
    for (int i = from; i <= to - what.length; i++) {
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

  /**
   * Where the string value of key (given with its quotes) lies in the JSON text a[from, to), as start << 32 | end,
   * or -1. For the server's flat messages, whose keys do not repeat: no full parse, no escapes decoded.
   */
  private static long stringField(byte[] a, int from, int to, byte[] key) {
    for (int k = indexOf(a, from, to, key); k >= 0; k = indexOf(a, k + 1, to, key)) {
      int i = skipSpace(a, k + key.length, to);
      if (i >= to || a[i] != ':') {
        continue;
      }
      i = skipSpace(a, i + 1, to);
      if (i >= to || a[i] != '"') {
        return -1;
      }
      int start = ++i;
      while (i < to && a[i] != '"') {
        i += a[i] == '\\' ? 2 : 1;
      }
      return i >= to ? -1 : (long) start << 32 | i;
    }
    return -1;
  }

  /** The number value of key (given with its quotes) in the JSON text a[from, to), or -1. */
  private static int intField(byte[] a, int from, int to, byte[] key) {
    for (int k = indexOf(a, from, to, key); k >= 0; k = indexOf(a, k + 1, to, key)) {
      int i = skipSpace(a, k + key.length, to);
      if (i < to && a[i] == ':') {
        return digits(a, skipSpace(a, i + 1, to), to);
      }
    }
    return -1;
  }

  private static int skipSpace(byte[] a, int i, int to) {
    while (i < to && (a[i] == ' ' || a[i] == '\t' || a[i] == '\r' || a[i] == '\n')) {
      i++;
    }
    return i;
  }

  private static int start(long field) {
    return (int) (field >>> 32);
  }

  private static int end(long field) {
    return (int) field;
  }

  private static boolean same(byte[] a, long field, byte[] text) {
    return field >= 0 && end(field) - start(field) == text.length
        && Arrays.equals(a, start(field), end(field), text, 0, text.length);
  }

  private static final int[] BASE64 = new int[256];

  static {
    Arrays.fill(BASE64, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < alphabet.length(); i++) {
      BASE64[alphabet.charAt(i)] = i;
    }
    BASE64['-'] = BASE64['+'] = 62;
    BASE64['_'] = BASE64['/'] = 63;
  }

  /** The first 8 bytes (big-endian) of the base64 (url or not) text a[from, to): the send time, see
   * fakeCiphertext. Long.MIN_VALUE if unreadable. */
  private static long sentNanos(byte[] a, int from, int to) {
    if (to - from < 11) {
      return Long.MIN_VALUE;
    }
    long bits = 0;
    for (int i = 0; i < 11; i++) {
      int value = BASE64[a[from + i] & 0xff];
      if (value < 0) {
        return Long.MIN_VALUE;
      }
      // 10 characters carry 60 bits; the 11th the last 4.
      bits = i < 10 ? bits << 6 | value : bits << 4 | value >>> 2;
    }
    return bits;
  }

  /** A growable list of longs, sorted once when first asked for a percentile. */
  private static final class Longs {
    long[] values = new long[1 << 16];
    int size;
    boolean sorted;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
      sorted = false;
    }

    /** In milliseconds. */
    double percentile(double p) {
      if (size == 0) {
        return 0;
      }
      if (!sorted) {
        Arrays.sort(values, 0, size);
        sorted = true;
      }
      return values[Math.min(size - 1, (int) Math.ceil(p * size) - 1)] / 1e6;
    }
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

  // ===================================================================== idle

  private static final int IN_FLIGHT = 200;

  /** One idle connection: handshake, hello, then nothing but answering pings. */
  private static final class Idle extends WsConn {
    @Override
    void upgraded() {
      send(OP_TEXT, HELLO, 0, HELLO.length);
    }

    @Override
    void message(int opcode, byte[] a, int from, int to) throws IOException {
      if (opcode == OP_TEXT && !ready) {
        String text = new String(a, from, to - from, StandardCharsets.UTF_8);
        if (!text.contains("\"messageType\":\"hello\"") || !text.contains("\"status\":200")) {
          throw new IOException("unexpected answer to hello: " + text);
        }
        markReady();
        shrinkTo = 256;
      }
    }

    @Override
    void lost(IOException e) {
      System.out.println("an idle connection dropped: " + e);
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
    Opener opener = new Opener(selector, new InetSocketAddress(host, port), "/push", addresses, Idle::new);
    opener.openUntil(warm);
    Memory warmed = memory(backendPort, pid);
    java.util.Map<String, long[]> warmClasses = histogram(pid);
    warmed.print("warm-up, " + warm + " connections");
    long t0 = System.nanoTime();
    opener.openUntil(connections);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(3000);
    pump(selector, 500);
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
      if (key.isValid() && ((Idle) key.attachment()).ready && key.channel().isOpen()) {
        open++;
      }
    }
    System.out.printf(Locale.ROOT, "still open and greeted at the end: %d%n", open);
    for (SelectionKey key : selector.keys()) {
      key.channel().close();
    }
    selector.close();
  }

  // ============================================ the raw client (both modes)

  /** Runs what is ready on the selector, waiting up to millis (at least 1) for something to be. */
  private static void pump(Selector selector, long millis) throws IOException {
    selector.select(key -> {
      Conn conn = (Conn) key.attachment();
      try {
        if (key.isConnectable()) {
          conn.channel.finishConnect();
          key.interestOps(SelectionKey.OP_READ);
          conn.connected();
        } else {
          if (key.isWritable()) {
            conn.flush();
          }
          if (key.isReadable()) {
            conn.readable();
          }
        }
      } catch (IOException e) {
        conn.close();
        conn.failed(e);
      }
    }, Math.max(1, millis));
  }

  private static ByteBuffer grow(ByteBuffer buffer, int capacity) {
    ByteBuffer bigger = ByteBuffer.allocate(capacity);
    buffer.flip();
    bigger.put(buffer);
    return bigger;
  }

  /**
   * A non-blocking connection on a selector. What is to be sent is queued in out (write mode) and written by
   * flush(); what the socket does not take at once is written when it becomes writable.
   */
  private abstract static class Conn {
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer out = ByteBuffer.allocate(256);
    private boolean writeInterest;

    void open(Selector selector, InetSocketAddress local, InetSocketAddress server) throws IOException {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      writeInterest = false;
      if (local != null) {
        channel.bind(local);
      }
      if (channel.connect(server)) {
        key = channel.register(selector, SelectionKey.OP_READ, this);
        connected();
      } else {
        key = channel.register(selector, SelectionKey.OP_CONNECT, this);
      }
    }

    /** The queue, with room for n more bytes. */
    ByteBuffer room(int n) {
      if (out.remaining() < n) {
        out = grow(out, Math.max(out.capacity() * 2, out.position() + n));
      }
      return out;
    }

    void flush() throws IOException {
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

    void close() {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException e) {
        // closing anyway
      }
    }

    /** The connection is up. */
    abstract void connected() throws IOException;

    abstract void readable() throws IOException;

    /** The connection failed or the server closed it; it is closed by now. */
    abstract void failed(IOException e);
  }

  private static final int OP_CONTINUATION = 0x0;
  private static final int OP_TEXT = 0x1;
  private static final int OP_BINARY = 0x2;
  private static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;
  private static final int OP_PONG = 0xA;
  private static final int MAX_FRAME = 16 << 20;

  /**
   * A client WebSocket connection (RFC 6455) opened by an Opener: sends the upgrade request, then reads frames of
   * any length, split across reads or several to a read, answers pings, and takes a close frame from the server
   * as the server closing the connection. Frames it sends are masked.
   */
  private abstract static class WsConn extends Conn {
    Opener opener;
    ByteBuffer in = ByteBuffer.allocate(2048);
    boolean upgraded;
    /** Counted by the opener as open (idle: greeted; throughput: registered). */
    boolean ready;
    /** Once set, the input buffer is cut back to this size whenever it is empty (idle: to spare memory). */
    int shrinkTo;
    private ByteArrayOutputStream fragments;
    private int fragmentsOpcode;

    /** The upgrade was accepted. */
    abstract void upgraded() throws IOException;

    /** A whole text or binary message, in a[from, to) (valid during the call only). */
    abstract void message(int opcode, byte[] a, int from, int to) throws IOException;

    /** The connection was lost after it was ready (failed before that, the opener counts it). */
    abstract void lost(IOException e);

    void markReady() {
      ready = true;
      opener.ready++;
    }

    @Override
    void connected() throws IOException {
      room(opener.request.length).put(opener.request);
      flush();
    }

    @Override
    void failed(IOException e) {
      if (ready) {
        lost(e);
      } else {
        opener.failed(e);
      }
    }

    /** Sends a frame and closes the connection (throughput: at the end). */
    void bye() {
      if (channel == null || !channel.isOpen()) {
        return;
      }
      byte[] reason = {0x03, (byte) 0xe8, 'b', 'y', 'e'};
      send(OP_CLOSE, reason, 0, reason.length);
      try {
        flush();
      } catch (IOException e) {
        // closing anyway
      }
      close();
    }

    @Override
    void readable() throws IOException {
      if (channel.read(in) < 0) {
        throw new IOException("closed by the server");
      }
      in.flip();
      if (!upgraded) {
        String head = StandardCharsets.US_ASCII.decode(in.duplicate()).toString();
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
          in.position(in.limit()).limit(in.capacity());
          if (!in.hasRemaining()) {
            in = grow(in, in.capacity() * 2);
          }
          return;
        }
        if (!head.startsWith("HTTP/1.1 101")) {
          throw new IOException("no upgrade: " + head.lines().findFirst().orElse(""));
        }
        upgraded = true;
        in.position(end + 4);
        upgraded();
      }
      byte[] a = in.array();
      int need = 0;
      while (in.remaining() >= 2) {
        int p = in.position();
        int available = in.remaining();
        int first = a[p] & 0xff;
        int second = a[p + 1] & 0xff;
        int header = 2;
        long length = second & 0x7f;
        if (length == 126) {
          header = 4;
          if (available < header) {
            break;
          }
          length = (a[p + 2] & 0xff) << 8 | (a[p + 3] & 0xff);
        } else if (length == 127) {
          header = 10;
          if (available < header) {
            break;
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
          need = header + (int) length;
          break;
        }
        int from = p + header;
        int to = from + (int) length;
        if (masked) {
          for (int i = from; i < to; i++) {
            a[i] ^= a[from - 4 + ((i - from) & 3)];
          }
        }
        in.position(to);
        frame(first, a, from, to);
      }
      in.compact();
      if (need > in.capacity()) {
        in = grow(in, Math.max(need, in.capacity() * 2));
      } else if (shrinkTo > 0 && in.position() == 0 && in.capacity() > shrinkTo) {
        in = ByteBuffer.allocate(shrinkTo);
      }
      flush();
    }

    private void frame(int first, byte[] a, int from, int to) throws IOException {
      int opcode = first & 0x0f;
      boolean fin = (first & 0x80) != 0;
      switch (opcode) {
        case OP_CLOSE -> throw new IOException("closed by the server, code "
            + (to - from >= 2 ? ((a[from] & 0xff) << 8 | (a[from + 1] & 0xff)) : 1005));
        case OP_PING -> send(OP_PONG, a, from, to - from);
        case OP_PONG -> {
        }
        case OP_TEXT, OP_BINARY -> {
          if (fin) {
            message(opcode, a, from, to);
          } else {
            fragments = new ByteArrayOutputStream();
            fragmentsOpcode = opcode;
            fragments.write(a, from, to - from);
          }
        }
        case OP_CONTINUATION -> {
          if (fragments == null) {
            throw new IOException("continuation frame without a start");
          }
          fragments.write(a, from, to - from);
          if (fin) {
            byte[] whole = fragments.toByteArray();
            fragments = null;
            message(fragmentsOpcode, whole, 0, whole.length);
          }
        }
        default -> throw new IOException("unknown opcode " + opcode);
      }
    }

    /** Queues a frame; flushed at the end of readable() or by the caller. */
    void send(int opcode, byte[] payload, int off, int len) {
      int mask = header(opcode, len);
      masked(mask, 0, payload, off, len);
    }

    /** Queues a frame whose payload is head + a[off, off + len) + tail. */
    void send(int opcode, byte[] head, byte[] a, int off, int len, byte[] tail) {
      int mask = header(opcode, head.length + len + tail.length);
      int pos = masked(mask, 0, head, 0, head.length);
      pos = masked(mask, pos, a, off, len);
      masked(mask, pos, tail, 0, tail.length);
    }

    /** Queues a frame header, with room for its payload; returns the mask. */
    private int header(int opcode, int length) {
      ByteBuffer o = room(14 + length);
      o.put((byte) (0x80 | opcode));
      if (length < 126) {
        o.put((byte) (0x80 | length));
      } else if (length < 65536) {
        o.put((byte) (0x80 | 126)).putShort((short) length);
      } else {
        o.put((byte) (0x80 | 127)).putLong(length);
      }
      int mask = ThreadLocalRandom.current().nextInt();
      o.putInt(mask);
      return mask;
    }

    /** Queues src[off, off + len) masked, as bytes pos.. of the payload; returns the position after them. */
    private int masked(int mask, int pos, byte[] src, int off, int len) {
      byte[] o = out.array();
      int at = out.position();
      for (int i = 0; i < len; i++) {
        o[at + i] = (byte) (src[off + i] ^ (mask >>> (24 - ((pos + i) & 3) * 8)));
      }
      out.position(at + len);
      return pos + len;
    }
  }

  /** Opens WebSocket connections through one selector, at most IN_FLIGHT handshakes at a time. */
  private static final class Opener {
    final Selector selector;
    final InetSocketAddress server;
    /** Source addresses 127.0.0.2.. to spread the connections over; 0: the system's choice. */
    final int addresses;
    final byte[] request;
    final Supplier<? extends WsConn> factory;
    int started;
    int ready;
    int failures;

    Opener(Selector selector, InetSocketAddress server, String path, int addresses,
        Supplier<? extends WsConn> factory) {
      this.selector = selector;
      this.server = server;
      this.addresses = addresses;
      this.factory = factory;
      this.request = ascii("GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: push-notification\r\n\r\n");
    }

    void openUntil(int target) throws IOException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (ready + failures < target && System.nanoTime() < deadline) {
        while (started - ready - failures < IN_FLIGHT && started < target) {
          open(started++);
        }
        pump(selector, 50);
      }
      if (ready + failures < target) {
        throw new IllegalStateException("only " + ready + " of " + target + " connections ready in 5 min");
      }
    }

    private void open(int index) throws IOException {
      WsConn conn = factory.get();
      conn.opener = this;
      conn.open(selector, addresses == 0 ? null : new InetSocketAddress("127.0.0." + (2 + index % addresses), 0),
          server);
    }

    void failed(IOException e) {
      failures++;
      if (failures <= 3) {
        System.out.println("connection failed: " + e);
      }
    }
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
