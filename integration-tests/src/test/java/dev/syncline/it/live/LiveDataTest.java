package dev.syncline.it.live;

import static dev.syncline.it.support.KintoClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.Jwt;
import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.LiveClient;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.SharedNode;
import dev.syncline.it.support.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscriptions to record changes over the live WebSocket, with clients and writers on two clustered nodes. */
class LiveDataTest {
  private static Node first;
  private static Node second;

  private final String user = "alice-" + UUID.randomUUID().toString().substring(0, 8);
  private final String token = Jwt.forUser(SharedNode.JWT_SECRET, user);
  private KintoClient onFirst;
  private KintoClient onSecond;
  private String bucket;

  @BeforeAll
  static void startCluster() throws Exception {
    String pgUrl = PostgresFixture.shared().newDatabase().url();
    TestCluster cluster = new TestCluster(2);
    List<Node> nodes = TestCluster.startTogether(
        settings(cluster.nodeConfig(0, pgUrl)),
        settings(cluster.nodeConfig(1, pgUrl)));
    first = nodes.get(0);
    second = nodes.get(1);
  }

  private static JsonObject settings(JsonObject config) {
    return config.put("jwt_secret", SharedNode.JWT_SECRET).put("live_max_subscriptions", 3)
        .put("live_token_grace_seconds", 1).put("live_gap_wait_millis", 200);
  }

  @AfterAll
  static void stopCluster() {
    TestCluster.stop(first);
    TestCluster.stop(second);
  }

  @BeforeEach
  void collection() {
    onFirst = new KintoClient("http://127.0.0.1:" + first.httpPort(), token);
    onSecond = new KintoClient("http://127.0.0.1:" + second.httpPort(), token);
    bucket = SharedNode.unique("live");
    onFirst.collection(bucket, "tasks");
  }

  private String records() {
    return "/buckets/" + bucket + "/collections/tasks/records";
  }

  private JsonObject subscribe(LiveClient client, JsonObject extra) {
    return client.ok("datasync", "subscribe", new JsonObject().put("bucket", bucket).put("collection", "tasks")
        .mergeIn(extra));
  }

  @Test
  void twoDevicesOnDifferentNodesSeeEachOthersChanges() {
    try (LiveClient phone = LiveClient.as(first.httpPort(), token);
        LiveClient laptop = LiveClient.as(second.httpPort(), token)) {
      String phoneSubscription = subscribe(phone, new JsonObject()).getString("subscription");
      subscribe(laptop, new JsonObject());

      expect(onFirst.put(records() + "/t1", new JsonObject().put("data", new JsonObject().put("title", "milk"))), 201);
      JsonObject seenByLaptop = laptop.next();
      assertThat(seenByLaptop.getString("type")).isEqualTo("delta");
      assertThat(seenByLaptop.getString("delta")).isEqualTo("insert");
      assertThat(seenByLaptop.getJsonObject("data").getString("title")).isEqualTo("milk");

      expect(onSecond.patch(records() + "/t1", "{\"data\": {\"title\": \"oat milk\"}}", "application/json"), 200);
      JsonObject seenByPhone = nextDelta(phone, "insert");
      assertThat(seenByPhone.getString("subscription")).isEqualTo(phoneSubscription);
      assertThat(seenByPhone.getString("delta")).isEqualTo("update");
      assertThat(seenByPhone.getJsonObject("newData").getString("title")).isEqualTo("oat milk");
      assertThat(seenByPhone.getJsonObject("oldData").getString("title")).isEqualTo("milk");

      expect(onSecond.delete(records() + "/t1"), 200);
      assertThat(nextDelta(laptop, "update").getString("delta")).isEqualTo("delete");
    }
  }

  /** The next delta, skipping the ones of the given kind already expected before it. */
  private static JsonObject nextDelta(LiveClient client, String skip) {
    JsonObject delta = client.next();
    while (skip.equals(delta.getString("delta"))) {
      delta = client.next();
    }
    return delta;
  }

  @Test
  void updatesCrossingTheFilterArriveAsInsertsAndDeletes() throws Exception {
    try (LiveClient client = LiveClient.as(first.httpPort(), token)) {
      subscribe(client, new JsonObject().put("filter", new JsonArray("[\"and\", [\"==\", \"status\", \"open\"], "
          + "[\">=\", \"priority\", 3]]")));
      expect(onSecond.put(records() + "/a", data("open", 5)), 201);
      assertThat(client.next().getString("delta")).isEqualTo("insert");
      expect(onSecond.put(records() + "/a", data("closed", 5)), 200);
      JsonObject left = client.next();
      assertThat(left.getString("delta")).isEqualTo("delete");
      assertThat(left.getJsonObject("data").getString("status")).isEqualTo("closed");
      expect(onSecond.put(records() + "/b", data("open", 1)), 201);
      expect(onSecond.put(records() + "/a", data("open", 4)), 200);
      JsonObject back = client.next();
      assertThat(back.getString("delta")).isEqualTo("insert");
      assertThat(back.getJsonObject("data").getString("id")).isEqualTo("a");
      expect(onSecond.put(records() + "/a", data("open", 3)), 200);
      assertThat(client.next().getString("delta")).isEqualTo("update");
      assertThat(client.poll(Duration.ofMillis(500))).isNull();
    }
  }

  private static JsonObject data(String status, int priority) {
    return new JsonObject().put("data", new JsonObject().put("status", status).put("priority", priority));
  }

  @Test
  void aDeviceThatWasAwayCatchesUpWithSinceThenGoesLive() {
    long before = KintoClient.etag(expect(onFirst.get(records()), 200));
    expect(onFirst.put(records() + "/kept", new JsonObject()), 201);
    expect(onFirst.put(records() + "/gone", new JsonObject()), 201);
    expect(onFirst.delete(records() + "/gone"), 200);
    try (LiveClient client = LiveClient.as(second.httpPort(), token)) {
      JsonObject answer = subscribe(client, new JsonObject().put("since", before));
      // The replay was sent before the answer: the answer means live delivery is on.
      JsonObject kept = client.next();
      assertThat(kept.getString("delta")).isEqualTo("update");
      assertThat(kept.getJsonObject("newData").getString("id")).isEqualTo("kept");
      JsonObject gone = client.next();
      assertThat(gone.getString("delta")).isEqualTo("delete");
      assertThat(gone.getJsonObject("data").getString("id")).isEqualTo("gone");
      assertThat(answer.getLong("timestamp")).isEqualTo(gone.getLong("last_modified"));
      expect(onFirst.put(records() + "/after", new JsonObject()), 201);
      JsonObject live = client.next();
      assertThat(live.getString("delta")).isEqualTo("insert");
      assertThat(live.getJsonObject("data").getString("id")).isEqualTo("after");
    }
  }

  @Test
  void changesFromBothNodesArriveOnceEachInTimestampOrder() throws Exception {
    try (LiveClient client = LiveClient.as(first.httpPort(), token)) {
      subscribe(client, new JsonObject());
      int writes = 40;
      ExecutorService writers = Executors.newFixedThreadPool(4);
      for (int i = 0; i < writes; i++) {
        KintoClient via = i % 2 == 0 ? onFirst : onSecond;
        String id = "w" + i;
        writers.submit(() -> expect(via.put(records() + "/" + id, new JsonObject()), 201));
      }
      writers.shutdown();
      assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      List<Long> stamps = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < writes; i++) {
        JsonObject delta = client.next();
        stamps.add(delta.getLong("last_modified"));
        ids.add(delta.getJsonObject("data").getString("id"));
      }
      assertThat(stamps).isSorted().doesNotHaveDuplicates();
      assertThat(ids).doesNotHaveDuplicates().hasSize(writes);
      assertThat(client.poll(Duration.ofMillis(500))).isNull();
    }
  }

  @Test
  void badCallsAreAnsweredAndTheConnectionStays() {
    try (LiveClient client = LiveClient.connect(first.httpPort())) {
      JsonObject early = client.call("datasync", "subscribe", new JsonObject().put("bucket", bucket)
          .put("collection", "tasks"));
      assertThat(early.getString("type")).isEqualTo("error");
      assertThat(early.getInteger("errno")).isEqualTo(104);
      assertThat(client.call("auth", "authenticate", new JsonObject().put("authorization", "Bearer forged"))
          .getInteger("errno")).isEqualTo(105);
      client.ok("auth", "authenticate", new JsonObject().put("authorization", "Bearer " + token));
      assertThat(client.call("weather", "forecast", new JsonObject()).getInteger("errno")).isEqualTo(111);
      assertThat(client.call("datasync", "subscribe", new JsonObject().put("bucket", bucket).put("collection", "tasks")
          .put("filter", new JsonArray("[\"~\", \"a\", 1]"))).getInteger("errno")).isEqualTo(107);
      assertThat(client.call("datasync", "subscribe", new JsonObject().put("bucket", "someone-else")
          .put("collection", "tasks")).getInteger("errno")).isEqualTo(121);
      client.sendText("not json");
      assertThat(client.next().getInteger("errno")).isEqualTo(106);
      String first = subscribe(client, new JsonObject()).getString("subscription");
      subscribe(client, new JsonObject());
      subscribe(client, new JsonObject());
      assertThat(client.call("datasync", "subscribe", new JsonObject().put("bucket", bucket).put("collection", "tasks"))
          .getInteger("errno")).isEqualTo(117);
      client.ok("datasync", "unsubscribe", new JsonObject().put("subscription", first));
      assertThat(subscribe(client, new JsonObject().put("since", 0)).getString("subscription")).isNotBlank();
      assertThat(client.call("datasync", "unsubscribe", new JsonObject().put("subscription", first))
          .getInteger("errno")).isEqualTo(107);
    }
  }

  @Test
  void subscribeCallsSentTogetherCannotGoPastTheLimit() {
    try (LiveClient client = LiveClient.as(first.httpPort(), token)) {
      List<CompletableFuture<JsonObject>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(client.send("datasync", "subscribe", new JsonObject().put("bucket", bucket)
            .put("collection", "tasks")));
      }
      List<JsonObject> settled = answers.stream().map(CompletableFuture::join).toList();
      assertThat(settled).as(settled.toString())
          .filteredOn(answer -> "response".equals(answer.getString("type"))).hasSize(3);
      assertThat(settled).filteredOn(answer -> "error".equals(answer.getString("type")))
          .singleElement().matches(answer -> answer.getInteger("errno") == 117);
    }
  }

  @Test
  void anExpiredTokenIsAnnouncedThenTheConnectionClosedAfterTheGrace() {
    String shortLived = Jwt.hs256(SharedNode.JWT_SECRET, new JsonObject().put("sub", user)
        .put("exp", System.currentTimeMillis() / 1000 + 2));
    try (LiveClient client = LiveClient.as(first.httpPort(), shortLived)) {
      JsonObject notice = client.next();
      long announced = System.nanoTime();
      assertThat(notice.getString("type")).isEqualTo("token_expired");
      assertThat(notice.getString("message")).contains("within 1 s");
      assertThat(client.closeCode()).isEqualTo(4001);
      // SYNCLINE_LIVE_TOKEN_GRACE_SECONDS is 1 on these nodes.
      assertThat(Duration.ofNanos(System.nanoTime() - announced)).isGreaterThan(Duration.ofMillis(800));
    }
  }

  @Test
  void aTokenRefreshedWithinTheGraceKeepsTheConnection() throws Exception {
    String shortLived = Jwt.hs256(SharedNode.JWT_SECRET, new JsonObject().put("sub", user)
        .put("exp", System.currentTimeMillis() / 1000 + 2));
    try (LiveClient client = LiveClient.as(first.httpPort(), shortLived)) {
      assertThat(client.next().getString("type")).isEqualTo("token_expired");
      client.ok("auth", "refresh", new JsonObject().put("authorization", "Bearer " + token));
      assertThat(client.poll(Duration.ofSeconds(2))).isNull();
      subscribe(client, new JsonObject());
    }
  }

  @Test
  void aRefreshedTokenKeepsTheConnection() throws Exception {
    String shortLived = Jwt.hs256(SharedNode.JWT_SECRET, new JsonObject().put("sub", user)
        .put("exp", System.currentTimeMillis() / 1000 + 2));
    try (LiveClient client = LiveClient.as(first.httpPort(), shortLived)) {
      client.ok("auth", "refresh", new JsonObject().put("authorization", "Bearer " + token));
      assertThat(client.poll(Duration.ofSeconds(4))).isNull();
      subscribe(client, new JsonObject());
      assertThat(client.call("auth", "refresh", new JsonObject().put("authorization", "Bearer "
          + Jwt.forUser(SharedNode.JWT_SECRET, "mallory"))).getInteger("errno")).isEqualTo(121);
    }
  }

  @Test
  void aSubscriptionIsRevokedWhenItsReadPermissionIsWithdrawn() throws Exception {
    String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
    String collection = "/buckets/" + bucket + "/collections/tasks";
    expect(onFirst.put(collection, new JsonObject().put("permissions",
        new JsonObject().put("read", new JsonArray().add("jwt:" + bob)))), 200);
    try (LiveClient bobs = LiveClient.as(second.httpPort(), Jwt.forUser(SharedNode.JWT_SECRET, bob))) {
      String subscription = subscribe(bobs, new JsonObject()).getString("subscription");
      expect(onFirst.put(records() + "/seen", new JsonObject()), 201);
      assertThat(bobs.next().getString("delta")).isEqualTo("insert");

      expect(onFirst.put(collection, new JsonObject().put("permissions",
          new JsonObject().put("read", new JsonArray()))), 200);
      JsonObject revoked = bobs.next();
      assertThat(revoked.getString("type")).isEqualTo("subscription_revoked");
      assertThat(revoked.getString("subscription")).isEqualTo(subscription);
      assertThat(revoked.getInteger("errno")).isEqualTo(121);
      expect(onFirst.put(records() + "/unseen", new JsonObject()), 201);
      assertThat(bobs.poll(Duration.ofSeconds(1))).isNull();
    }
  }

  /** The SockJS fallback's polling transport, as a browser without WebSockets uses it: same calls, same answers. */
  @Test
  void theSockJsPollingFallbackCarriesTheSameProtocol() throws Exception {
    // Plain HTTP/1.1 requests, as a browser's XMLHttpRequest makes them.
    HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String session = "http://127.0.0.1:" + first.httpPort() + "/v1/live/sockjs/000/" + UUID.randomUUID();
    assertThat(post(browser, session + "/xhr", "").body()).startsWith("o");
    JsonObject call = new JsonObject().put("service", "auth").put("message", new JsonObject()
        .put("command", "authenticate").put("callId", 7)
        .put("params", new JsonObject().put("authorization", "Bearer " + token)));
    assertThat(post(browser, session + "/xhr_send", new JsonArray().add(call.encode()).encode()).statusCode())
        .isEqualTo(204);
    JsonObject answer = null;
    for (int poll = 0; poll < 5 && answer == null; poll++) {
      String frames = post(browser, session + "/xhr", "").body();
      if (frames.startsWith("a")) {
        answer = new JsonObject(new JsonArray(frames.substring(1).trim()).getString(0));
      }
    }
    assertThat(answer).isNotNull();
    assertThat(answer.getString("type")).isEqualTo("response");
    assertThat(answer.getInteger("callId")).isEqualTo(7);
    assertThat(answer.getJsonObject("data").getString("user_id")).isEqualTo("jwt:" + user);
  }

  private static HttpResponse<String> post(HttpClient client, String url, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theLiveEndpointIsAWebSocket() {
    assertThat(Http.get("http://127.0.0.1:" + first.httpPort() + "/v1/live").statusCode()).isEqualTo(400);
  }
}
