package dev.syncline.it.push;

import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.FreePorts;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.PushClient;
import dev.syncline.it.support.RawWebSocket;
import dev.syncline.it.support.TestCluster;
import dev.syncline.it.support.TestDatabase;
import dev.syncline.it.support.WebPushSender;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The push WebSocket and the Web Push endpoint on one node, through the wire only: a Java user agent, an
 * application server posting with VAPID, and real PostgreSQL underneath.
 */
class PushWebSocketTest {
  private static final int MAX_FRAME = 1024;
  private static final int MAX_CHANNELS = 3;
  private static final int MAX_QUEUE = 10;
  private static final int MAX_TTL = 86_400;

  private static TestDatabase database;
  private static Node node;
  private static int port;
  private static String base;

  @BeforeAll
  static void startNode() {
    database = PostgresFixture.shared().newDatabase();
    port = FreePorts.next();
    base = "http://127.0.0.1:" + port;
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, database.url())
        .put("http_port", port)
        .put("public_url", base)
        .put("push_max_frame_bytes", MAX_FRAME)
        .put("push_max_channels", MAX_CHANNELS)
        .put("push_max_queue", MAX_QUEUE)
        .put("push_min_ping_interval_seconds", 1)
        .put("push_hello_timeout_seconds", 2)
        .put("push_ping_interval_seconds", 1)
        .put("push_pong_timeout_seconds", 2)
        .put("push_max_ttl_seconds", MAX_TTL)
        .put("push_purge_interval_seconds", 1));
  }

  @AfterAll
  static void stopNode() {
    TestCluster.stop(node);
  }

  @Test
  void helloRegisterDeliverAck() {
    try (PushClient client = PushClient.hello(port, null)) {
      assertThat(client.uaid()).matches("[0-9a-f]{32}");
      assertThat(client.subprotocol()).isEqualTo("push-notification");
      String channel = UUID.randomUUID().toString();
      String endpoint = client.register(channel, null);
      assertThat(endpoint).startsWith(base + "/wpush/v1/");

      byte[] payload = bytes(3000);
      HttpResponse<String> response = WebPushSender.post(endpoint, 60, payload);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      assertThat(response.headers().firstValue("TTL")).hasValue("60");
      String location = response.headers().firstValue("Location").orElseThrow();
      assertThat(location).startsWith(base + "/m/");

      JsonObject notification = client.next();
      assertThat(notification.getString("messageType")).isEqualTo("notification");
      assertThat(notification.getString("channelID")).isEqualTo(channel);
      assertThat(location).endsWith("/m/" + notification.getString("version"));
      assertThat(Base64.getUrlDecoder().decode(notification.getString("data"))).isEqualTo(payload);
      assertThat(notification.getString("data")).doesNotContain("=");
      assertThat(notification.getJsonObject("headers").getString("encoding")).isEqualTo("aes128gcm");
      assertThat(stored(client.uaid())).isEqualTo(1);

      client.ack(notification);
      await().atMost(Duration.ofSeconds(10)).until(() -> stored(client.uaid()) == 0);
    }
  }

  @Test
  void messageWithoutBodyHasNoData() {
    try (PushClient client = PushClient.hello(port, null)) {
      String endpoint = client.register();
      assertThat(WebPushSender.post(endpoint, 0, null).statusCode()).isEqualTo(201);
      JsonObject notification = client.next();
      assertThat(notification.containsKey("data")).isFalse();
      assertThat(notification.containsKey("headers")).isFalse();
    }
  }

  @Test
  void aesgcmKeepsItsHeaders() {
    try (PushClient client = PushClient.hello(port, null)) {
      String endpoint = client.register();
      HttpResponse<String> response = WebPushSender.post(endpoint, bytes(100), "TTL", "60",
          "Content-Encoding", "aesgcm", "Encryption", "salt=abc", "Crypto-Key", "dh=xyz");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      JsonObject headers = client.next().getJsonObject("headers");
      assertThat(headers).isEqualTo(new JsonObject().put("encoding", "aesgcm").put("encryption", "salt=abc")
          .put("crypto_key", "dh=xyz"));
    }
  }

  @Test
  void knownUaidIsKeptAndUnknownReplaced() {
    String uaid;
    String endpoint;
    try (PushClient client = PushClient.hello(port, null)) {
      uaid = client.uaid();
      endpoint = client.register();
    }
    try (PushClient again = PushClient.hello(port, uaid)) {
      assertThat(again.uaid()).isEqualTo(uaid);
      assertThat(WebPushSender.post(endpoint, 60, bytes(10)).statusCode()).isEqualTo(201);
      assertThat(again.next().getString("messageType")).isEqualTo("notification");
    }
    String stranger = UUID.randomUUID().toString().replace("-", "");
    try (PushClient other = PushClient.hello(port, stranger)) {
      assertThat(other.uaid()).isNotEqualTo(stranger).matches("[0-9a-f]{32}");
    }
    try (PushClient invalid = PushClient.hello(port, "not-a-uaid")) {
      assertThat(invalid.uaid()).matches("[0-9a-f]{32}");
    }
  }

  @Test
  void offlineMessagesAreRedeliveredOldestFirstUntilAcked() {
    String uaid;
    String endpoint;
    try (PushClient client = PushClient.hello(port, null)) {
      uaid = client.uaid();
      endpoint = client.register();
    }
    for (int i = 0; i < 7; i++) {
      assertThat(WebPushSender.post(endpoint, 600, ("m" + i).getBytes(StandardCharsets.UTF_8)).statusCode())
          .isEqualTo(201);
    }
    List<String> firstVersions = new ArrayList<>();
    try (PushClient client = PushClient.hello(port, uaid)) {
      // Batches of MAX_QUEUE / 2: the first five, not acknowledged, then nothing more.
      for (int i = 0; i < 5; i++) {
        JsonObject notification = client.next();
        assertThat(text(notification)).isEqualTo("m" + i);
        firstVersions.add(notification.getString("version"));
      }
      assertThat(client.poll(Duration.ofMillis(700))).isNull();
    }
    try (PushClient client = PushClient.hello(port, uaid)) {
      for (int i = 0; i < 7; i++) {
        JsonObject notification = client.next();
        assertThat(text(notification)).isEqualTo("m" + i);
        if (i < 5) {
          assertThat(notification.getString("version")).isEqualTo(firstVersions.get(i));
        }
        client.ack(notification);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> stored(uaid) == 0);
    }
    try (PushClient client = PushClient.hello(port, uaid)) {
      assertThat(client.poll(Duration.ofMillis(700))).isNull();
    }
  }

  @Test
  void ttlZeroReachesOnlyAConnectedClient() {
    String uaid;
    String endpoint;
    try (PushClient client = PushClient.hello(port, null)) {
      uaid = client.uaid();
      endpoint = client.register();
    }
    HttpResponse<String> offline = WebPushSender.post(endpoint, 0, bytes(10));
    assertThat(offline.statusCode()).isEqualTo(201);
    assertThat(offline.headers().firstValue("TTL")).hasValue("0");
    assertThat(stored(uaid)).isZero();
    try (PushClient client = PushClient.hello(port, uaid)) {
      assertThat(client.poll(Duration.ofMillis(700))).isNull();
      assertThat(WebPushSender.post(endpoint, 0, "now".getBytes(StandardCharsets.UTF_8)).statusCode())
          .isEqualTo(201);
      assertThat(text(client.next())).isEqualTo("now");
    }
  }

  @Test
  void expiredMessagesAreNotDeliveredAndArePurged() throws InterruptedException {
    String uaid;
    String endpoint;
    try (PushClient client = PushClient.hello(port, null)) {
      uaid = client.uaid();
      endpoint = client.register();
    }
    assertThat(WebPushSender.post(endpoint, 1, "short".getBytes(StandardCharsets.UTF_8)).statusCode())
        .isEqualTo(201);
    assertThat(WebPushSender.post(endpoint, 600, "long".getBytes(StandardCharsets.UTF_8)).statusCode())
        .isEqualTo(201);
    Thread.sleep(1_500);
    try (PushClient client = PushClient.hello(port, uaid)) {
      assertThat(text(client.next())).isEqualTo("long");
      assertThat(client.poll(Duration.ofMillis(500))).isNull();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> stored(uaid) == 1);
  }

  @Test
  void aTopicReplacesTheUndeliveredMessage() {
    String uaid;
    String endpoint;
    try (PushClient client = PushClient.hello(port, null)) {
      uaid = client.uaid();
      endpoint = client.register();
    }
    WebPushSender.post(endpoint, 600, "first".getBytes(StandardCharsets.UTF_8), "Topic", "weather");
    WebPushSender.post(endpoint, 600, "other".getBytes(StandardCharsets.UTF_8), "Topic", "news");
    WebPushSender.post(endpoint, 600, "second".getBytes(StandardCharsets.UTF_8), "Topic", "weather");
    assertThat(stored(uaid)).isEqualTo(2);
    try (PushClient client = PushClient.hello(port, uaid)) {
      assertThat(text(client.next())).isEqualTo("other");
      assertThat(text(client.next())).isEqualTo("second");
      assertThat(client.poll(Duration.ofMillis(500))).isNull();
    }
  }

  @Test
  void concurrentPostsOfOneTopicLeaveOneMessage() throws Exception {
    String uaid;
    String endpoint;
    try (PushClient client = PushClient.hello(port, null)) {
      uaid = client.uaid();
      endpoint = client.register();
    }
    assertThat(WebPushSender.post(endpoint, 600, "first".getBytes(StandardCharsets.UTF_8), "Topic", "score")
        .statusCode()).isEqualTo(201);
    // Posts sent "at once" over HTTP still reach PostgreSQL a little apart, and a racy statement would mostly get
    // away with it. So the test locks the stored message: each post's statement, having taken its snapshot, waits
    // to replace it. Once as many wait as the node's pool has connections (8 by default), the lock goes and they
    // all replace the same message together.
    int posts = 8;
    ExecutorService senders = Executors.newFixedThreadPool(posts);
    try (Connection lock = database.connect()) {
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("SELECT 1 FROM push_messages WHERE uaid = '" + uaid + "' FOR UPDATE");
      }
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < posts; i++) {
        byte[] body = ("update " + i).getBytes(StandardCharsets.UTF_8);
        statuses.add(senders.submit(
            () -> WebPushSender.post(endpoint, 600, body, "Topic", "score").statusCode()));
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> database.queryLong("SELECT count(*) FROM pg_stat_activity"
          + " WHERE datname = current_database() AND wait_event_type = 'Lock'") == posts);
      lock.commit();
      for (Future<Integer> status : statuses) {
        assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(201);
      }
    } finally {
      senders.shutdownNow();
    }
    assertThat(stored(uaid)).isEqualTo(1);
    try (PushClient client = PushClient.hello(port, uaid)) {
      assertThat(text(client.next())).startsWith("update ");
      assertThat(client.poll(Duration.ofMillis(500))).isNull();
    }
  }

  @Test
  void postsStoredTogetherKeepTheirOwnOutcomes() throws Exception {
    List<PushClient> clients = new ArrayList<>();
    List<String> endpoints = new ArrayList<>();
    String gone;
    ExecutorService senders = Executors.newFixedThreadPool(20);
    try (PushClient leaving = PushClient.hello(port, null)) {
      String channel = UUID.randomUUID().toString();
      gone = leaving.register(channel, null);
      leaving.send(new JsonObject().put("messageType", "unregister").put("channelID", channel).put("code", 200));
      assertThat(leaving.next().getInteger("status")).isEqualTo(200);
    }
    try (Connection lock = database.connect()) {
      for (int i = 0; i < 4; i++) {
        PushClient client = PushClient.hello(port, null);
        clients.add(client);
        endpoints.add(client.register());
      }
      // While inserts are blocked, the first post takes the node's one write slot (SYNCLINE_PUSH_WRITE_CONCURRENCY)
      // and the rest wait in line, to be stored by one statement together.
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("LOCK TABLE push_messages IN SHARE MODE");
      }
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String endpoint = i % 5 == 4 ? gone : endpoints.get(i % 5);
        byte[] body = ("batch " + i).getBytes(StandardCharsets.UTF_8);
        statuses.add(senders.submit(() -> WebPushSender.post(endpoint, 600, body).statusCode()));
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> waitingInserts() == 1);
      Thread.sleep(300);
      assertThat(waitingInserts()).as("inserts waiting for the lock").isEqualTo(1);
      lock.commit();
      for (int i = 0; i < 20; i++) {
        assertThat(statuses.get(i).get(30, TimeUnit.SECONDS)).as("post " + i).isEqualTo(i % 5 == 4 ? 410 : 201);
      }
      for (int c = 0; c < 4; c++) {
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          JsonObject notification = clients.get(c).next();
          received.add(text(notification));
          clients.get(c).ack(notification);
        }
        int client = c;
        assertThat(received).containsExactlyInAnyOrder("batch " + c, "batch " + (c + 5), "batch " + (c + 10),
            "batch " + (c + 15));
        assertThat(clients.get(c).poll(Duration.ofMillis(300))).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> stored(clients.get(client).uaid()) == 0);
      }
    } finally {
      senders.shutdownNow();
      clients.forEach(PushClient::close);
    }
  }

  @Test
  void unregisteredEndpointIsGone() {
    try (PushClient client = PushClient.hello(port, null)) {
      String channel = UUID.randomUUID().toString();
      String endpoint = client.register(channel, null);
      client.send(new JsonObject().put("messageType", "unregister").put("channelID", channel).put("code", 200));
      JsonObject answer = client.next();
      assertThat(answer.getString("messageType")).isEqualTo("unregister");
      assertThat(answer.getInteger("status")).isEqualTo(200);
      assertKintoError(WebPushSender.post(endpoint, 60, bytes(10)), 410, 202, "Gone");
    }
  }

  @Test
  void deletingAnUndeliveredMessage() {
    String uaid;
    String endpoint;
    try (PushClient client = PushClient.hello(port, null)) {
      uaid = client.uaid();
      endpoint = client.register();
    }
    String location = WebPushSender.post(endpoint, 600, bytes(10)).headers().firstValue("Location").orElseThrow();
    assertThat(WebPushSender.send("DELETE", location, null).statusCode()).isEqualTo(204);
    assertKintoError(WebPushSender.send("DELETE", location, null), 404, 111, "Not Found");
    try (PushClient client = PushClient.hello(port, uaid)) {
      assertThat(client.poll(Duration.ofMillis(500))).isNull();
    }
  }

  @Test
  void vapidEndpoints() {
    WebPushSender sender = new WebPushSender();
    try (PushClient client = PushClient.hello(port, null)) {
      String endpoint = client.register(UUID.randomUUID().toString(), sender.publicKey());
      assertThat(endpoint).startsWith(base + "/wpush/v2/");

      HttpResponse<String> unsigned = WebPushSender.post(endpoint, 60, bytes(10));
      assertKintoError(unsigned, 401, 104, "Unauthorized");
      // Push refusals challenge for VAPID and link to an explanation, as push libraries expect.
      assertThat(unsigned.headers().firstValue("WWW-Authenticate")).hasValue("vapid");
      assertThat(Http.json(unsigned).getString("more_info")).startsWith("https://");
      assertKintoError(WebPushSender.post(endpoint, 60, bytes(10), "Authorization",
          new WebPushSender().vapid(base)), 401, 105, "Unauthorized");
      assertKintoError(WebPushSender.post(endpoint, 60, bytes(10), "Authorization",
          sender.vapid("https://elsewhere.example")), 401, 105, "Unauthorized");

      HttpResponse<String> response = WebPushSender.post(endpoint, 60, bytes(10), "Authorization",
          sender.vapid(base));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      assertThat(client.next().getString("messageType")).isEqualTo("notification");

      // The same token on the v1 path still needs the proof: the token, not the path, pins the key.
      String v1 = endpoint.replace("/wpush/v2/", "/wpush/v1/");
      assertKintoError(WebPushSender.post(v1, 60, bytes(10)), 401, 104, "Unauthorized");
    }
    try (PushClient client = PushClient.hello(port, null)) {
      client.send(new JsonObject().put("messageType", "register").put("channelID", UUID.randomUUID().toString())
          .put("key", "not a key"));
      assertThat(client.next().getInteger("status")).isEqualTo(400);
    }
  }

  @Test
  void endpointRefusals() {
    String endpoint;
    try (PushClient client = PushClient.hello(port, null)) {
      endpoint = client.register();
    }
    HttpResponse<String> noTtl = WebPushSender.post(endpoint, bytes(10), "Content-Encoding", "aes128gcm");
    assertKintoError(noTtl, 400, 108, "Bad Request");
    assertThat(Http.json(noTtl).getString("more_info")).startsWith("https://");
    assertKintoError(WebPushSender.post(endpoint, -1, bytes(10)), 400, 107, "Bad Request");
    assertKintoError(WebPushSender.post(endpoint, bytes(10), "TTL", "soon", "Content-Encoding", "aes128gcm"), 400,
        107, "Bad Request");
    assertKintoError(WebPushSender.post(endpoint, 60, bytes(10), "Topic", "has spaces"), 400, 107, "Bad Request");
    assertKintoError(WebPushSender.post(endpoint, 60, bytes(10), "Topic", "a".repeat(33)), 400, 107,
        "Bad Request");
    assertThat(WebPushSender.post(endpoint, 60, bytes(10), "Topic", "a".repeat(32)).statusCode()).isEqualTo(201);
    assertKintoError(WebPushSender.post(endpoint, 60, bytes(10), "Urgency", "whenever"), 400, 107, "Bad Request");
    assertKintoError(WebPushSender.post(endpoint, bytes(10), "TTL", "60"), 400, 107, "Bad Request");
    assertKintoError(WebPushSender.post(endpoint, bytes(10), "TTL", "60", "Content-Encoding", "gzip"), 400, 107,
        "Bad Request");
    assertKintoError(WebPushSender.post(endpoint, bytes(10), "TTL", "60", "Content-Encoding", "aesgcm"), 400, 107,
        "Bad Request");

    assertThat(WebPushSender.post(endpoint, 60, bytes(4096)).statusCode()).isEqualTo(201);
    assertKintoError(WebPushSender.post(endpoint, 60, bytes(4097)), 413, 113, "Request Entity Too Large");

    HttpResponse<String> capped = WebPushSender.post(endpoint, MAX_TTL + 1, bytes(10));
    assertThat(capped.statusCode()).isEqualTo(201);
    assertThat(capped.headers().firstValue("TTL")).hasValue(String.valueOf(MAX_TTL));

    String token = endpoint.substring(endpoint.lastIndexOf('/') + 1);
    char flipped = token.charAt(20) == 'A' ? 'B' : 'A';
    String tampered = base + "/wpush/v1/" + token.substring(0, 20) + flipped + token.substring(21);
    assertKintoError(WebPushSender.post(tampered, 60, bytes(10)), 404, 111, "Not Found");
    assertKintoError(WebPushSender.post(base + "/wpush/v1/nonsense", 60, bytes(10)), 404, 111, "Not Found");
    assertKintoError(WebPushSender.post(base + "/wpush/v3/" + token, 60, bytes(10)), 404, 111, "Not Found");
    assertKintoError(WebPushSender.post(endpoint.replace("/wpush/v1/", "/wpush/v2/"), 60, bytes(10)), 404, 111,
        "Not Found");
    assertKintoError(Http.get(base + "/push"), 400, 107, "Bad Request");
  }

  // ---- refusals that close the socket

  @Test
  void binaryFrameCloses() {
    try (PushClient client = PushClient.hello(port, null)) {
      client.sendBinary(new byte[] {1, 2, 3});
      assertThat(client.closeCode()).isEqualTo(1003);
    }
  }

  @Test
  void nonJsonCloses() {
    try (PushClient client = PushClient.hello(port, null)) {
      client.sendText("hello?");
      assertThat(client.closeCode()).isEqualTo(1007);
    }
    try (PushClient client = PushClient.hello(port, null)) {
      client.sendText("[1, 2]");
      assertThat(client.closeCode()).isEqualTo(1007);
    }
  }

  @Test
  void protocolErrorsClose() {
    try (PushClient client = PushClient.hello(port, null)) {
      client.send(new JsonObject().put("messageType", "subscribe"));
      assertThat(client.closeCode()).isEqualTo(1002);
    }
    try (PushClient client = PushClient.connect(port)) {
      client.send(new JsonObject().put("messageType", "register").put("channelID", UUID.randomUUID().toString()));
      assertThat(client.closeCode()).isEqualTo(1002);
    }
    try (PushClient client = PushClient.connect(port)) {
      client.sendText("{}");
      assertThat(client.closeCode()).isEqualTo(1002);
    }
    try (PushClient client = PushClient.hello(port, null)) {
      client.send(new JsonObject().put("messageType", "hello").put("use_webpush", true));
      assertThat(client.closeCode()).isEqualTo(1002);
    }
    for (String channel : List.of("not-a-uuid", UUID.randomUUID().toString().toUpperCase())) {
      try (PushClient client = PushClient.hello(port, null)) {
        client.send(new JsonObject().put("messageType", "register").put("channelID", channel));
        assertThat(client.closeCode()).isEqualTo(1002);
      }
    }
    try (PushClient client = PushClient.hello(port, null)) {
      client.send(new JsonObject().put("messageType", "unregister").put("channelID", 42));
      assertThat(client.closeCode()).isEqualTo(1002);
    }
  }

  @Test
  void oversizedMessageCloses() {
    try (PushClient client = PushClient.hello(port, null)) {
      String padding = "x".repeat(MAX_FRAME - "{\"messageType\":\"nack\",\"version\":\"\"}".length());
      String atLimit = "{\"messageType\":\"nack\",\"version\":\"" + padding + "\"}";
      assertThat(atLimit).hasSize(MAX_FRAME);
      client.sendText(atLimit);
      client.sendText("{}");
      assertThat(client.next()).isEqualTo(new JsonObject());
      client.sendText("{\"messageType\":\"nack\",\"version\":\"" + padding + "x\"}");
      assertThat(client.closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void tooManyChannelsCloses() {
    try (PushClient client = PushClient.hello(port, null)) {
      for (int i = 0; i < MAX_CHANNELS; i++) {
        client.register();
      }
      client.send(new JsonObject().put("messageType", "register").put("channelID", UUID.randomUUID().toString()));
      assertThat(client.closeCode()).isEqualTo(1008);
    }
  }

  @Test
  void pingingTooOftenCloses() throws InterruptedException {
    try (PushClient client = PushClient.hello(port, null)) {
      client.sendText("{}");
      assertThat(client.next()).isEqualTo(new JsonObject());
      Thread.sleep(1_100);
      client.send(new JsonObject().put("messageType", "ping"));
      assertThat(client.next()).isEqualTo(new JsonObject());
      client.sendText("{}");
      assertThat(client.closeCode()).isEqualTo(4774);
    }
  }

  @Test
  void helloMustComeInTime() throws InterruptedException {
    try (PushClient late = PushClient.connect(port)) {
      assertThat(late.closed().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join()).isEqualTo(4008);
    }
    try (PushClient early = PushClient.connect(port)) {
      Thread.sleep(1_000);
      early.send(new JsonObject().put("messageType", "hello").put("use_webpush", true));
      assertThat(early.next().getInteger("status")).isEqualTo(200);
      // Answering pings keeps it open well past the hello timeout and the pong timeout.
      assertThat(early.poll(Duration.ofSeconds(4))).isNull();
      assertThat(early.closed()).isNotDone();
    }
  }

  @Test
  void aClientThatDoesNotAnswerPingsIsClosed() throws Exception {
    try (RawWebSocket raw = new RawWebSocket(port, "/push", "push-notification")) {
      raw.sendText("{\"messageType\":\"hello\",\"use_webpush\":true}");
      long start = System.nanoTime();
      assertThat(raw.awaitClose()).isEqualTo(1001);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aClientThatFallsBehindIsDisconnectedAndKeepsItsMessages() {
    try (PushClient client = PushClient.hello(port, null)) {
      String endpoint = client.register();
      for (int i = 0; i <= MAX_QUEUE; i++) {
        assertThat(WebPushSender.post(endpoint, 600, bytes(10)).statusCode()).isEqualTo(201);
      }
      assertThat(client.closeCode()).isEqualTo(1008);
      assertThat(stored(client.uaid())).isEqualTo(MAX_QUEUE + 1);
    }
  }

  private static long waitingInserts() {
    return database.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        + " AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO push_messages%'");
  }

  private static long stored(String uaid) {
    return database.queryLong("SELECT count(*) FROM push_messages WHERE uaid = '" + uaid + "'");
  }

  private static String text(JsonObject notification) {
    return new String(Base64.getUrlDecoder().decode(notification.getString("data")), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(int size) {
    byte[] bytes = new byte[size];
    new java.util.Random(size).nextBytes(bytes);
    return bytes;
  }
}
