package dev.syncline.it.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.FreePorts;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.Jwt;
import dev.syncline.it.support.KintoErrors;
import dev.syncline.it.support.LiveClient;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.RawWebSocket;
import dev.syncline.it.support.SharedNode;
import dev.syncline.it.support.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PubSub channels, the backend API and the connection's keepalive and backpressure, with clients and the backend on
 * two clustered nodes. The first node pings every second; the second keeps a small outbound queue.
 */
class LivePubSubTest {
  private static final String KEY = "backend-key-0123456789abcdef";
  private static final String CHANNELS = "[{\"pattern\": \"user.{id}.*\", \"subscribe\": \"owner\", \"publish\": "
      + "\"owner\"}, {\"pattern\": \"public.*\", \"subscribe\": \"everyone\", \"publish\": \"none\", \"history\": 3, "
      + "\"history_seconds\": 60}, {\"pattern\": \"room.*\", \"subscribe\": \"authenticated\", \"publish\": "
      + "\"authenticated\", \"history\": 100, \"history_seconds\": 1}]";
  private static final String DEALERS = "[{\"name\": \"AllTasks\", \"model\": \"task\", \"kind\": \"broadcast\"}, "
      + "{\"name\": \"TasksByOwner\", \"model\": \"task\", \"kind\": \"key\", \"field\": \"owner\"}, "
      + "{\"name\": \"FilteredTasks\", \"model\": \"task\", \"kind\": \"filter\"}]";

  private static Node first;
  private static Node second;
  private static JsonObject clusterSettings;

  @BeforeAll
  static void startCluster() throws Exception {
    String pgUrl = PostgresFixture.shared().newDatabase().url();
    TestCluster cluster = new TestCluster(2);
    clusterSettings = cluster.nodeConfig(0, pgUrl);
    List<Node> nodes = TestCluster.startTogether(
        settings(cluster.nodeConfig(0, pgUrl)).put("live_ping_seconds", 1),
        settings(cluster.nodeConfig(1, pgUrl)).put("live_max_queue_bytes", 4096));
    first = nodes.get(0);
    second = nodes.get(1);
  }

  private static JsonObject settings(JsonObject config) {
    return config.put("jwt_secret", SharedNode.JWT_SECRET).put("backend_key", KEY).put("live_channels", CHANNELS)
        .put("live_dealers", DEALERS).put("live_max_subscriptions", 5).put("live_authorization_seconds", 60);
  }

  @AfterAll
  static void stopCluster() {
    TestCluster.stop(first);
    TestCluster.stop(second);
  }

  /** A connection authenticated as a new user, and that user's id. */
  private record User(LiveClient client, String id) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }

  private static User user(Node node) {
    String token = Jwt.forUser(SharedNode.JWT_SECRET, "u" + UUID.randomUUID().toString().substring(0, 8));
    LiveClient client = LiveClient.connect(node.httpPort());
    String id = client.ok("auth", "authenticate", new JsonObject().put("authorization", "Bearer " + token))
        .getString("user_id");
    return new User(client, id);
  }

  private static HttpResponse<String> backend(Node node, String method, String path, Object body) {
    return Http.send(method, "http://127.0.0.1:" + node.backendPort() + path, body == null ? null
        : body instanceof JsonObject object ? object.encode() : ((JsonArray) body).encode(),
        "X-Backend-Key", KEY, "Content-Type", "application/json");
  }

  private static JsonObject subscribe(LiveClient client, String channel, Long offset) {
    return client.ok("pubsub", "subscribe", new JsonObject().put("channel", channel).put("offset", offset));
  }

  @Test
  void messagesOnAUsersChannelCrossNodesAndOnlyTheOwnerMaySubscribe() throws Exception {
    try (User alice = user(first); User aliceElsewhere = user(second); User mallory = user(second)) {
      String channel = "user." + alice.id() + ".inbox";
      // aliceElsewhere is another user id: a second device of alice is a second connection with her token.
      subscribe(alice.client(), channel, null);
      JsonObject refused = mallory.client().call("pubsub", "subscribe", new JsonObject().put("channel", channel));
      assertThat(refused.getString("type")).isEqualTo("error");
      assertThat(refused.getInteger("errno")).isEqualTo(121);
      JsonObject publishRefused = mallory.client().call("pubsub", "publish", new JsonObject()
          .put("channel", channel).put("message", "hi"));
      assertThat(publishRefused.getInteger("errno")).isEqualTo(121);

      assertThat(backend(second, "POST", "/v1/channels/" + channel + "/messages", new JsonObject()
          .put("message", new JsonObject().put("text", "from the app"))).statusCode()).isEqualTo(201);
      JsonObject received = alice.client().next();
      assertThat(received.getString("type")).isEqualTo("message");
      assertThat(received.getString("channel")).isEqualTo(channel);
      assertThat(received.getJsonObject("message").getString("text")).isEqualTo("from the app");

      alice.client().ok("pubsub", "publish", new JsonObject().put("channel", channel).put("message", "note to self"));
      assertThat(alice.client().next().getString("message")).isEqualTo("note to self");
      alice.client().ok("pubsub", "unsubscribe", new JsonObject().put("channel", channel));
      backend(second, "POST", "/v1/channels/" + channel + "/messages", new JsonObject().put("message", 1));
      assertThat(alice.client().poll(Duration.ofMillis(500))).isNull();
      assertThat(aliceElsewhere.client().poll(Duration.ofMillis(10))).isNull();
    }
  }

  @Test
  void publicChannelsAreReadOnlyForClientsAndUnknownChannelsAreRefused() throws Exception {
    String channel = "public.news" + UUID.randomUUID().toString().substring(0, 8);
    try (LiveClient anonymous = LiveClient.connect(second.httpPort()); User bob = user(first)) {
      subscribe(anonymous, channel, null);
      assertThat(bob.client().call("pubsub", "publish", new JsonObject().put("channel", channel)
          .put("message", "x")).getInteger("errno")).isEqualTo(121);
      assertThat(anonymous.call("pubsub", "publish", new JsonObject().put("channel", channel)
          .put("message", "x")).getInteger("errno")).isEqualTo(104);
      assertThat(anonymous.call("pubsub", "subscribe", new JsonObject().put("channel", "room.a"))
          .getInteger("errno")).isEqualTo(104);
      assertThat(bob.client().call("pubsub", "subscribe", new JsonObject().put("channel", "secret.things"))
          .getInteger("errno")).isEqualTo(121);
      assertThat(bob.client().call("pubsub", "subscribe", new JsonObject().put("channel", "bad channel!"))
          .getInteger("errno")).isEqualTo(107);
      KintoErrors.assertKintoError(backend(first, "POST", "/v1/channels/secret.things/messages",
          new JsonObject().put("message", 1)), 403, 121, "Forbidden");
      assertThat(backend(first, "POST", "/v1/channels/" + channel + "/messages", new JsonObject()
          .put("message", "extra!")).statusCode()).isEqualTo(201);
      assertThat(anonymous.next().getString("message")).isEqualTo("extra!");
    }
  }

  @Test
  void aClientResumesFromItsOffsetAndIsToldWhetherTheHistoryCoveredIt() {
    String channel = "public.scores" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 1; i <= 5; i++) {
      JsonObject published = Http.json(backend(i % 2 == 0 ? first : second, "POST", "/v1/channels/" + channel
          + "/messages", new JsonObject().put("message", i)));
      assertThat(published.getLong("offset")).isEqualTo(i);
    }
    try (LiveClient recent = LiveClient.connect(first.httpPort()); LiveClient old = LiveClient.connect(second.httpPort())) {
      JsonObject complete = subscribe(recent, channel, 3L);
      assertThat(complete.getBoolean("recovered")).isTrue();
      assertThat(complete.getLong("offset")).isEqualTo(5);
      assertThat(recent.next().getInteger("offset")).isEqualTo(4);
      assertThat(recent.next().getInteger("message")).isEqualTo(5);

      // The history keeps 3 messages: from offset 2 it holds all that followed, from offset 1 message 2 is gone.
      try (LiveClient longest = LiveClient.connect(second.httpPort())) {
        JsonObject exactly = subscribe(longest, channel, 2L);
        assertThat(exactly.getBoolean("recovered")).isTrue();
        assertThat(longest.next().getInteger("offset")).isEqualTo(3);
        assertThat(longest.next().getInteger("offset")).isEqualTo(4);
        assertThat(longest.next().getInteger("offset")).isEqualTo(5);
      }
      JsonObject incomplete = subscribe(old, channel, 1L);
      assertThat(incomplete.getBoolean("recovered")).isFalse();
      assertThat(old.next().getInteger("offset")).isEqualTo(3);
      assertThat(old.next().getInteger("offset")).isEqualTo(4);
      assertThat(old.next().getInteger("offset")).isEqualTo(5);

      backend(second, "POST", "/v1/channels/" + channel + "/messages", new JsonObject().put("message", 6));
      assertThat(recent.next().getInteger("offset")).isEqualTo(6);
      assertThat(old.next().getInteger("offset")).isEqualTo(6);
    }
  }

  /**
   * Offsets and history live in the cluster's memory and start again from 1 when every node restarts; the epoch a
   * client got with its offset tells it apart from the same number in the new run.
   */
  @Test
  void anOffsetFromAnotherEpochGetsTheWholeHistoryAndIsNotRecovered() {
    String channel = "public.epochs" + UUID.randomUUID().toString().substring(0, 8);
    try (LiveClient client = LiveClient.connect(first.httpPort())) {
      JsonObject fresh = subscribe(client, channel, null);
      String epoch = fresh.getString("epoch");
      assertThat(epoch).isNotBlank();
      assertThat(fresh.getLong("offset")).isZero();
    }
    for (int i = 1; i <= 3; i++) {
      backend(i % 2 == 0 ? first : second, "POST", "/v1/channels/" + channel + "/messages",
          new JsonObject().put("message", i));
    }
    try (LiveClient same = LiveClient.connect(second.httpPort());
        LiveClient other = LiveClient.connect(first.httpPort())) {
      JsonObject resumed = same.ok("pubsub", "subscribe", new JsonObject().put("channel", channel).put("offset", 2L)
          .put("epoch", subscribe(other, channel, null).getString("epoch")));
      other.ok("pubsub", "unsubscribe", new JsonObject().put("channel", channel));
      assertThat(resumed.getBoolean("recovered")).isTrue();
      assertThat(same.next().getInteger("offset")).isEqualTo(3);

      // An epoch the cluster no longer has, as after a full restart: offset 2 then named another message.
      try (LiveClient returning = LiveClient.connect(first.httpPort())) {
        JsonObject stale = returning.ok("pubsub", "subscribe", new JsonObject().put("channel", channel)
            .put("offset", 2L).put("epoch", "an-epoch-from-before-the-restart"));
        assertThat(stale.getBoolean("recovered")).isFalse();
        assertThat(stale.getString("epoch")).isEqualTo(resumed.getString("epoch"));
        assertThat(returning.next().getInteger("offset")).isEqualTo(1);
        assertThat(returning.next().getInteger("offset")).isEqualTo(2);
        assertThat(returning.next().getInteger("offset")).isEqualTo(3);
      }
      JsonObject wrongType = same.call("pubsub", "subscribe", new JsonObject().put("channel", channel + "x")
          .put("epoch", 7));
      assertThat(wrongType.getString("type")).isEqualTo("error");
      assertThat(wrongType.getInteger("errno")).isEqualTo(107);
    }
  }

  @Test
  void historyIsRecoveredWithinItsTtlAndNotAfter() throws Exception {
    String channel = "room.r" + UUID.randomUUID().toString().substring(0, 8);
    try (User carol = user(first); User dan = user(second)) {
      carol.client().ok("pubsub", "publish", new JsonObject().put("channel", channel).put("message", "early"));
      // The rule keeps room history for 1 s.
      JsonObject soon = subscribe(dan.client(), channel, 0L);
      assertThat(soon.getBoolean("recovered")).isTrue();
      assertThat(dan.client().next().getString("message")).isEqualTo("early");
      Thread.sleep(2_500);
      JsonObject late = subscribe(carol.client(), channel, 0L);
      assertThat(late.getBoolean("recovered")).isFalse();
      assertThat(carol.client().poll(Duration.ofMillis(300))).isNull();
    }
  }

  @Test
  void theBackendSendsToEveryConnectionOfAUserAndListsWhoIsConnected() {
    try (User dave = user(first)) {
      String token = dave.id();
      try (LiveClient daveAgain = LiveClient.connect(second.httpPort())) {
        // A second device of the same user on the other node.
        daveAgain.ok("auth", "authenticate", new JsonObject().put("authorization", "Bearer "
            + Jwt.forUser(SharedNode.JWT_SECRET, token.substring(token.indexOf(':') + 1))));
        JsonObject sent = Http.json(backend(second, "POST", "/v1/users/" + dave.id() + "/events",
            new JsonObject().put("event", new JsonObject().put("kind", "logout"))));
        assertThat(sent.getInteger("connections")).isEqualTo(2);
        assertThat(dave.client().next().getJsonObject("event").getString("kind")).isEqualTo("logout");
        JsonObject again = daveAgain.next();
        assertThat(again.getString("type")).isEqualTo("event");

        JsonObject users = Http.json(backend(first, "GET", "/v1/users", null));
        assertThat(users.getJsonArray("nodes")).hasSize(2);
        assertThat(users.getJsonObject("users").getInteger(dave.id())).isEqualTo(2);
        for (Object node : users.getJsonArray("nodes")) {
          assertThat(((JsonObject) node).getJsonObject("users").getInteger(dave.id())).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void aMemberThatDoesNotAnswerIsNamedAndNotCountedAsReached() throws Exception {
    // A cluster member without a live verticle: asked about its connections, it cannot answer.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterSettings.getString("cluster_name"));
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
    config.getNetworkConfig().setPort(FreePorts.next()).setPortAutoIncrement(false);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true)
        .setMembers(List.of(clusterSettings.getString("cluster_members").split(",")));
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    Vertx silent = Vertx.builder().withClusterManager(manager).buildClustered().await(60, TimeUnit.SECONDS);
    try (User erin = user(first)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> first.members() == 3);
      JsonObject sent = Http.json(backend(first, "POST", "/v1/users/" + erin.id() + "/events",
          new JsonObject().put("event", "hello")));
      assertThat(sent.getInteger("connections")).isEqualTo(1);
      assertThat(sent.getJsonArray("unanswered_nodes")).containsExactly(manager.getNodeId());
      assertThat(erin.client().next().getValue("event")).isEqualTo("hello");

      JsonObject users = Http.json(backend(first, "GET", "/v1/users", null));
      assertThat(users.getJsonArray("nodes")).hasSize(2);
      assertThat(users.getJsonArray("unanswered_nodes")).containsExactly(manager.getNodeId());
    } finally {
      silent.close().await(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30)).until(() -> first.members() == 2);
    }
    assertThat(Http.json(backend(first, "GET", "/v1/users", null)).getJsonArray("unanswered_nodes")).isEmpty();
  }

  @Test
  void appModelDeltasReachSubscriptionsAuthorizedByTheBackendThroughEachDealer() throws Exception {
    JsonObject authorization = Http.json(backend(first, "POST", "/v1/authorizations", new JsonObject()
        .put("items", new JsonArray().add(new JsonObject().put("dealer", "AllTasks")))));
    JsonObject byOwner = Http.json(backend(first, "POST", "/v1/authorizations", new JsonObject()
        .put("items", new JsonArray().add(new JsonObject().put("dealer", "TasksByOwner").put("query", "erin")))));
    JsonObject filtered = Http.json(backend(second, "POST", "/v1/authorizations", new JsonObject()
        .put("items", new JsonArray().add(new JsonObject().put("dealer", "FilteredTasks")
            .put("query", new JsonArray("[\">=\", \"priority\", 3]"))))));
    assertThat(authorization.getLong("expires_at")).isGreaterThan(System.currentTimeMillis() / 1000);
    try (LiveClient all = LiveClient.connect(second.httpPort()); LiveClient erin = LiveClient.connect(first.httpPort());
        LiveClient urgent = LiveClient.connect(first.httpPort())) {
      all.ok("datasync", "acquire", new JsonObject().put("token", authorization.getString("token")));
      erin.ok("datasync", "acquire", new JsonObject().put("token", byOwner.getString("token")));
      urgent.ok("datasync", "acquire", new JsonObject().put("token", filtered.getString("token")));
      // Single use: a second redemption is refused, on any node.
      assertThat(all.call("datasync", "acquire", new JsonObject().put("token", byOwner.getString("token")))
          .getInteger("errno")).isEqualTo(121);

      JsonObject task = new JsonObject().put("id", 1).put("owner", "erin").put("priority", 1);
      assertThat(backend(first, "POST", "/v1/models/task/deltas", new JsonObject().put("type", "insert")
          .put("data", task)).statusCode()).isEqualTo(202);
      JsonObject inserted = all.next();
      assertThat(inserted.getString("delta")).isEqualTo("insert");
      assertThat(inserted.getString("model")).isEqualTo("task");
      assertThat(erin.next().getJsonObject("data").getString("owner")).isEqualTo("erin");
      assertThat(urgent.poll(Duration.ofMillis(500))).isNull();

      JsonObject raised = task.copy().put("priority", 5).put("owner", "frank");
      backend(second, "POST", "/v1/models/task/deltas", new JsonArray().add(new JsonObject().put("type", "update")
          .put("oldData", task).put("newData", raised)));
      assertThat(all.next().getString("delta")).isEqualTo("update");
      assertThat(erin.next().getString("delta")).isEqualTo("delete");
      assertThat(urgent.next().getString("delta")).isEqualTo("insert");

      KintoErrors.assertKintoError(backend(first, "POST", "/v1/models/task/deltas", new JsonObject()
          .put("type", "upsert").put("data", task)), 400, 107, "Bad Request");
      KintoErrors.assertKintoError(backend(first, "POST", "/v1/authorizations", new JsonObject()
          .put("items", new JsonArray().add(new JsonObject().put("dealer", "Nope")))), 400, 107, "Bad Request");
      KintoErrors.assertKintoError(backend(first, "POST", "/v1/authorizations", new JsonObject()
          .put("items", new JsonArray().add(new JsonObject().put("dealer", "AllTasks"))).put("ttl_seconds", 61)),
          400, 107, "Bad Request");
    }
  }

  @Test
  void anExpiredSubscriptionTokenIsRefused() throws Exception {
    JsonObject authorization = Http.json(backend(first, "POST", "/v1/authorizations", new JsonObject()
        .put("items", new JsonArray().add(new JsonObject().put("dealer", "AllTasks"))).put("ttl_seconds", 1)));
    Thread.sleep(2_100);
    try (LiveClient late = LiveClient.connect(second.httpPort())) {
      assertThat(late.call("datasync", "acquire", new JsonObject().put("token", authorization.getString("token")))
          .getInteger("errno")).isEqualTo(121);
    }
  }

  @Test
  void theBackendApiNeedsTheKeyAndIsAbsentFromThePublicListener() {
    String path = "/v1/channels/public.x/messages";
    String body = new JsonObject().put("message", 1).encode();
    KintoErrors.assertKintoError(Http.send("POST", "http://127.0.0.1:" + first.backendPort() + path, body,
        "X-Backend-Key", "wrong-key-0123456789abcdef"), 401, 105, "Unauthorized");
    KintoErrors.assertKintoError(Http.send("POST", "http://127.0.0.1:" + first.backendPort() + path, body),
        401, 104, "Unauthorized");
    for (String publicPath : new String[] {path, "/v1/authorizations", "/v1/models/task/deltas",
        "/v1/users/x/events"}) {
      HttpResponse<String> onPublic = Http.send("POST", "http://127.0.0.1:" + first.httpPort() + publicPath, body,
          "X-Backend-Key", KEY, "Content-Type", "application/json");
      assertThat(onPublic.statusCode()).as(publicPath).isIn(404, 405);
    }
    assertThat(Http.get("http://127.0.0.1:" + first.httpPort() + "/v1/users", "X-Backend-Key", KEY).statusCode())
        .isIn(401, 404);
  }

  @Test
  void aClientThatStopsReadingIsClosedAsASlowConsumer() {
    try (User slow = user(second)) {
      String channel = "user." + slow.id() + ".firehose";
      subscribe(slow.client(), channel, null);
      slow.client().pause();
      JsonObject big = new JsonObject().put("message", "x".repeat(60_000));
      for (int i = 0; i < 1_000 && connectionsOf(slow.id()) > 0; i++) {
        for (int burst = 0; burst < 10; burst++) {
          backend(first, "POST", "/v1/channels/" + channel + "/messages", big);
        }
      }
      slow.client().resume();
      assertThat(slow.client().closeCode()).isEqualTo(4009);
    }
  }

  private static int connectionsOf(String userId) {
    return Http.json(backend(first, "GET", "/v1/users", null)).getJsonObject("users").getInteger(userId, 0);
  }

  @Test
  void aClientThatNeverAnswersPingsIsClosedAndOneThatDoesStays() throws Exception {
    // The first node pings every second.
    try (RawWebSocket silent = new RawWebSocket(first.httpPort(), "/v1/live", null);
        LiveClient answering = LiveClient.connect(first.httpPort())) {
      long opened = System.nanoTime();
      assertThat(silent.awaitClose()).isEqualTo(4002);
      // Closed at the second ping, the first one being unanswered.
      assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThan(Duration.ofMillis(1_500));
      Thread.sleep(1_500);
      subscribe(answering, "public.p" + UUID.randomUUID().toString().substring(0, 8), null);
    }
  }

  @Test
  void aFrameOverTheDefaultLimitClosesWith1009() {
    try (LiveClient client = LiveClient.connect(first.httpPort())) {
      client.sendText(LiveLimitsTest.frameOf(65_536));
      assertThat(client.next().getInteger("errno")).isEqualTo(104);
      client.sendText(LiveLimitsTest.frameOf(65_537));
      assertThat(client.closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void sockJsCarriesTheSameProtocolThroughItsWebSocketTransport() throws Exception {
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
        + first.httpPort() + "/v1/live/sockjs/000/" + UUID.randomUUID().toString().substring(0, 8) + "/websocket"),
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frames.add(data.toString());
            webSocket.request(1);
            return null;
          }
        }).get(15, TimeUnit.SECONDS);
    try {
      assertThat(frames.poll(15, TimeUnit.SECONDS)).isEqualTo("o");
      String token = Jwt.forUser(SharedNode.JWT_SECRET, "sockjs-user");
      String call = new JsonObject().put("service", "auth").put("message", new JsonObject().put("command",
          "authenticate").put("params", new JsonObject().put("authorization", "Bearer " + token)).put("callId", 1))
          .encode();
      socket.sendText(new JsonArray().add(call).encode(), true).get(15, TimeUnit.SECONDS);
      String framed = frames.poll(15, TimeUnit.SECONDS);
      assertThat(framed).startsWith("a");
      JsonObject answer = new JsonObject(new JsonArray(framed.substring(1)).getString(0));
      assertThat(answer.getString("type")).isEqualTo("response");
      assertThat(answer.getInteger("callId")).isEqualTo(1);
      assertThat(answer.getJsonObject("data").getString("user_id")).endsWith("sockjs-user");
    } finally {
      socket.abort();
    }
  }
}
