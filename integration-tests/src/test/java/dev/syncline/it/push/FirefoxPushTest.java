package dev.syncline.it.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.FreePorts;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.TestCluster;
import dev.syncline.it.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The proof with a real browser: a headless Firefox on a fresh profile subscribes from a service worker through a
 * Syncline node, receives a message an application server posts with the npm web-push library, and after a restart
 * receives the message that was stored while it was closed.
 *
 * <p>No WebDriver: this test serves the page and the service worker (src/test/resources/firefox) on 127.0.0.1, and
 * they report the subscription and every decrypted message back to it over HTTP. Skipped only when Firefox or
 * Node.js is not installed.
 */
class FirefoxPushTest {
  private static final Path SCRIPTS = Path.of("src", "test", "node");
  private static final List<String> PUSH_LOGGERS = List.of("dev.syncline.push", "dev.syncline.gateway.webpush",
      "dev.syncline.storage.push");
  // A cold Firefox start on a busy two-core machine takes tens of seconds, and its first push request is dropped
  // while its push service starts (the page retries).
  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Duration DELIVERY = Duration.ofSeconds(60);

  private static Path firefoxBinary;
  private static TestDatabase database;
  private static Node node;
  private static int nodePort;
  private static Vertx vertx;
  private static ProofServer proof;
  private static final ListAppender<ILoggingEvent> NODE_LOG = new ListAppender<>();
  private static final List<Level> LEVELS_BEFORE = new ArrayList<>();

  /** Why the proof cannot run here, or null; the test reports it as its skip reason. */
  private static String missing;

  @BeforeAll
  static void setUp() throws Exception {
    Optional<Path> binary = HeadlessFirefox.find();
    if (binary.isEmpty()) {
      missing = "neither firefox-esr nor firefox is on the PATH (apt-get install firefox-esr)";
      return;
    }
    firefoxBinary = binary.get();
    if (run(List.of("node", "--version")).exit != 0) {
      missing = "Node.js is not installed: the application server is the npm web-push library";
      return;
    }
    if (!Files.isDirectory(SCRIPTS.resolve("node_modules"))) {
      Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"));
      assertThat(install.exit).as(install.output).isZero();
    }
    capturePushLogs();
    database = PostgresFixture.shared().newDatabase();
    nodePort = FreePorts.next();
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, database.url())
        .put("http_port", nodePort)
        .put("public_url", "http://127.0.0.1:" + nodePort));
    vertx = Vertx.vertx();
    proof = ProofServer.start(vertx);
  }

  @BeforeEach
  void needsFirefoxAndNode() {
    Assumptions.assumeTrue(missing == null, missing);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (proof != null) {
      proof.server.close().await(10, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    TestCluster.stop(node);
    if (missing == null) {
      releasePushLogs();
    }
  }

  @Test
  void firefoxReceivesLiveAndStoredMessages(@TempDir Path home) throws Exception {
    Path keys = home.resolve("vapid.json");
    Result generated = run(List.of("node", "send.js", "keys"));
    assertThat(generated.exit).as(generated.output).isZero();
    Files.writeString(keys, generated.output.strip());
    String publicKey = new JsonObject(generated.output.strip()).getString("publicKey");
    String page = proof.base() + "/push.html?key=" + publicKey;

    try (HeadlessFirefox firefox = HeadlessFirefox.withFreshProfile(firefoxBinary, home,
        "ws://127.0.0.1:" + nodePort + "/push")) {
      try {
        firefox.start(page);
        JsonObject subscription = proof.next(proof.subscriptions, STARTUP, "the page's subscription");
        String endpoint = subscription.getString("endpoint");
        assertThat(endpoint).startsWith("http://127.0.0.1:" + nodePort + "/wpush/v2/");
        Path subscriptionFile = Files.writeString(home.resolve("subscription.json"), subscription.encode());

        String live = "live message " + System.nanoTime();
        assertThat(post(subscriptionFile, keys, live)).startsWith("201");
        assertThat(proof.next(proof.received, DELIVERY, "the live message")).isEqualTo(live);

        firefox.stop();
        String stored = "stored while closed " + System.nanoTime();
        assertThat(post(subscriptionFile, keys, stored)).startsWith("201");
        // Kept until acknowledged: the live message goes once Firefox's ack is in, the new one stays.
        await().atMost(Duration.ofSeconds(30))
            .until(() -> database.queryLong("SELECT count(*) FROM push_messages") == 1);

        // The same profile: Firefox says hello with its uaid, and the node sends what it kept.
        firefox.start(page);
        assertThat(proof.next(proof.received, STARTUP, "the stored message")).isEqualTo(stored);
        JsonObject again = proof.next(proof.subscriptions, DELIVERY, "the subscription after the restart");
        assertThat(again.getString("endpoint")).as("the subscription survives the restart").isEqualTo(endpoint);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> database.queryLong("SELECT count(*) FROM push_messages") == 0);
        assertThat(proof.received).as("no message twice").isEmpty();
      } catch (Exception | AssertionError e) {
        System.out.println(diagnostics(firefox));
        throw e;
      }
      firefox.stop();
    }
  }

  /** Encrypts {@code text} for the subscription and posts it as the application server; the status and body. */
  private static String post(Path subscription, Path keys, String text) throws InterruptedException {
    Result result = run(List.of("node", "send.js", "post", subscription.toAbsolutePath().toString(),
        keys.toAbsolutePath().toString(), text));
    assertThat(result.exit).as(result.output).isZero();
    return result.output.strip();
  }

  private static String diagnostics(HeadlessFirefox firefox) {
    String pushLog = NODE_LOG.list.stream()
        .map(event -> event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage())
        .collect(Collectors.joining("\n"));
    return "=== Firefox (" + (firefox.running() ? "running" : "stopped") + "), latest run ===\n" + firefox.output()
        + "\n=== what the page reported ===\n" + String.join("\n", proof.reports)
        + "\n=== the node's push log ===\n" + pushLog;
  }

  /** The node's push loggers at DEBUG, into a list printed only when the test fails, so passing runs stay quiet. */
  private static void capturePushLogs() {
    NODE_LOG.start();
    for (String name : PUSH_LOGGERS) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      LEVELS_BEFORE.add(logger.getLevel());
      logger.setLevel(Level.DEBUG);
      logger.setAdditive(false);
      logger.addAppender(NODE_LOG);
    }
  }

  private static void releasePushLogs() {
    for (int i = 0; i < LEVELS_BEFORE.size(); i++) {
      Logger logger = (Logger) LoggerFactory.getLogger(PUSH_LOGGERS.get(i));
      logger.detachAppender(NODE_LOG);
      logger.setAdditive(true);
      logger.setLevel(LEVELS_BEFORE.get(i));
    }
    NODE_LOG.stop();
  }

  /**
   * The web server of the proof: serves the page and its service worker, and collects what they report. It runs
   * on another port than the node, as a site of its own would.
   */
  private static final class ProofServer {
    final BlockingQueue<JsonObject> subscriptions = new LinkedBlockingQueue<>();
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final List<String> reports = new CopyOnWriteArrayList<>();
    private HttpServer server;

    static ProofServer start(Vertx vertx) throws Exception {
      ProofServer proof = new ProofServer();
      proof.server = vertx.createHttpServer().requestHandler(proof::handle).listen(0, "127.0.0.1")
          .await(10, TimeUnit.SECONDS);
      return proof;
    }

    String base() {
      return "http://127.0.0.1:" + server.actualPort();
    }

    <T> T next(BlockingQueue<T> queue, Duration wait, String what) throws InterruptedException {
      T item = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (item == null) {
        throw new AssertionError("Firefox did not report " + what + " within " + wait);
      }
      return item;
    }

    private void handle(HttpServerRequest request) {
      String path = request.path();
      if ("GET".equals(request.method().name())) {
        switch (path) {
          case "/push.html" -> serve(request, "push.html", "text/html; charset=utf-8");
          // A service worker script must come with a JavaScript type, or Firefox refuses to register it.
          case "/push-sw.js" -> serve(request, "push-sw.js", "text/javascript; charset=utf-8");
          default -> request.response().setStatusCode(404).end();
        }
        return;
      }
      request.body().onSuccess(body -> {
        switch (path) {
          case "/subscription" -> record("subscription " + body, () -> subscriptions.add(body.toJsonObject()));
          case "/received" -> record("received " + body, () -> received.add(body.toString(StandardCharsets.UTF_8)));
          case "/report" -> record("report " + body, () -> { });
          default -> {
          }
        }
        request.response().setStatusCode(204).end();
      });
    }

    private void record(String line, Runnable then) {
      reports.add(line);
      then.run();
    }

    private static void serve(HttpServerRequest request, String resource, String type) {
      try (InputStream in = FirefoxPushTest.class.getResourceAsStream("/firefox/" + resource)) {
        request.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-store")
            .end(Buffer.buffer(in.readAllBytes()));
      } catch (IOException e) {
        request.response().setStatusCode(500).end(e.getMessage());
      }
    }
  }

  private record Result(int exit, String output) {
  }

  private static Result run(List<String> command) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(command).directory(SCRIPTS.toFile()).redirectErrorStream(true).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + command);
      }
      return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    }
  }
}
