package dev.syncline.it.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.KintoErrors;
import dev.syncline.it.support.LiveClient;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live limits at their edges, on one node: the last value allowed passes, one more is refused as README says.
 * The frame limit is set above the WebSocket server's own defaults (64 KiB frames, 256 KiB messages), so that it
 * is the setting that decides.
 */
class LiveLimitsTest {
  private static final String KEY = "backend-key-0123456789abcdef";
  private static final int MAX_FRAME_BYTES = 300_000;
  private static final int MAX_SUBSCRIPTIONS = 3;
  private static final int AUTHORIZATION_SECONDS = 60;

  private static Node node;

  @BeforeAll
  static void startNode() {
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, PostgresFixture.shared().newDatabase().url())
        .put("backend_key", KEY)
        .put("live_max_frame_bytes", MAX_FRAME_BYTES)
        .put("live_max_subscriptions", MAX_SUBSCRIPTIONS)
        .put("live_authorization_seconds", AUTHORIZATION_SECONDS)
        .put("live_dealers", "[{\"name\": \"All\", \"model\": \"task\", \"kind\": \"broadcast\"}]"));
  }

  @AfterAll
  static void stopNode() {
    TestCluster.stop(node);
  }

  private static HttpResponse<String> authorize(JsonObject request) {
    return Http.send("POST", "http://127.0.0.1:" + node.backendPort() + "/v1/authorizations", request.encode(),
        "X-Backend-Key", KEY, "Content-Type", "application/json");
  }

  private static String token() {
    return Http.json(authorize(new JsonObject().put("items", items(1)))).getString("token");
  }

  private static JsonArray items(int count) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < count; i++) {
      items.add(new JsonObject().put("dealer", "All"));
    }
    return items;
  }

  /**
   * A call of {@code bytes} UTF-8 bytes with more bytes than characters, as a limit counted in characters would
   * not see it. It is no call an anonymous client may make, so its answer is an error (errno 104) without a callId.
   */
  static String frameOf(int bytes) {
    String head = "{\"service\": \"limits\", \"message\": {\"command\": \"probe\", \"params\": {\"pad\": \"";
    String tail = "\"}}}";
    int padding = bytes - head.length() - tail.length();
    String frame = head + "é".repeat(padding / 4) + "x".repeat(padding - 2 * (padding / 4)) + tail;
    assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    assertThat(frame.length()).isLessThan(bytes);
    return frame;
  }

  @Test
  void aFrameOfTheLargestSizeIsReadAndOneByteMoreClosesWith1009() {
    try (LiveClient client = LiveClient.connect(node.httpPort())) {
      client.sendText(frameOf(MAX_FRAME_BYTES));
      JsonObject answer = client.next();
      assertThat(answer.getString("type")).isEqualTo("error");
      assertThat(answer.getInteger("errno")).isEqualTo(104);
      client.sendText(frameOf(MAX_FRAME_BYTES + 1));
      assertThat(client.closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void channelAndAcquiredSubscriptionsShareTheLimitAndARefusedTokenIsNotUsedUp() {
    try (LiveClient client = LiveClient.connect(node.httpPort())) {
      client.ok("pubsub", "subscribe", new JsonObject().put("channel", "public.a"));
      client.ok("pubsub", "subscribe", new JsonObject().put("channel", "public.b"));
      client.ok("datasync", "acquire", new JsonObject().put("token", token()));
      JsonObject channel = client.call("pubsub", "subscribe", new JsonObject().put("channel", "public.c"));
      assertThat(channel.getInteger("errno")).isEqualTo(117);
      assertThat(channel.getString("message")).isEqualTo("At most 3 subscriptions per connection");
      String refused = token();
      assertThat(client.call("datasync", "acquire", new JsonObject().put("token", refused)).getInteger("errno"))
          .isEqualTo(117);
      client.ok("pubsub", "unsubscribe", new JsonObject().put("channel", "public.a"));
      client.ok("datasync", "acquire", new JsonObject().put("token", refused));
    }
  }

  @Test
  void callsSentTogetherCannotGoPastTheSubscriptionLimit() {
    List<String> tokens = List.of(token(), token(), token(), token());
    try (LiveClient client = LiveClient.connect(node.httpPort())) {
      List<CompletableFuture<JsonObject>> answers = new ArrayList<>();
      for (String token : tokens) {
        answers.add(client.send("datasync", "acquire", new JsonObject().put("token", token)));
      }
      answers.add(client.send("pubsub", "subscribe", new JsonObject().put("channel", "public.d")));
      List<JsonObject> settled = answers.stream().map(CompletableFuture::join).toList();
      assertThat(settled.stream().filter(answer -> "response".equals(answer.getString("type")))).hasSize(3);
      assertThat(settled.stream().filter(answer -> "error".equals(answer.getString("type"))))
          .allMatch(answer -> answer.getInteger("errno") == 117).hasSize(2);
    }
  }

  @Test
  void anAuthorizationLivesAtMostTheSettingAndHoldsAtMostTheSubscriptionLimit() {
    long now = System.currentTimeMillis() / 1000;
    JsonObject longest = Http.json(authorize(new JsonObject().put("items", items(MAX_SUBSCRIPTIONS))
        .put("ttl_seconds", AUTHORIZATION_SECONDS)));
    assertThat(longest.getLong("expires_at")).isBetween(now + AUTHORIZATION_SECONDS, now + AUTHORIZATION_SECONDS + 2);
    JsonObject byDefault = Http.json(authorize(new JsonObject().put("items", items(1))));
    assertThat(byDefault.getLong("expires_at")).isBetween(now + AUTHORIZATION_SECONDS,
        now + AUTHORIZATION_SECONDS + 2);
    assertThat(Http.json(authorize(new JsonObject().put("items", items(1)).put("ttl_seconds", 1)))
        .getLong("expires_at")).isBetween(now + 1, now + 3);
    KintoErrors.assertKintoError(authorize(new JsonObject().put("items", items(1))
        .put("ttl_seconds", AUTHORIZATION_SECONDS + 1)), 400, 107, "Bad Request");
    KintoErrors.assertKintoError(authorize(new JsonObject().put("items", items(1)).put("ttl_seconds", 0)),
        400, 107, "Bad Request");
    KintoErrors.assertKintoError(authorize(new JsonObject().put("items", items(MAX_SUBSCRIPTIONS + 1))),
        400, 107, "Bad Request");
    KintoErrors.assertKintoError(authorize(new JsonObject().put("items", items(0))), 400, 107, "Bad Request");
  }

  @Test
  void aChannelNameHasAtMost200Characters() {
    try (LiveClient client = LiveClient.connect(node.httpPort())) {
      String longest = "public." + "x".repeat(193);
      assertThat(longest).hasSize(200);
      JsonObject answer = client.ok("pubsub", "subscribe", new JsonObject().put("channel", longest));
      assertThat(answer.getString("channel")).isEqualTo(longest);
      JsonObject refused = client.call("pubsub", "subscribe", new JsonObject().put("channel", longest + "x"));
      assertThat(refused.getInteger("errno")).isEqualTo(107);
      assertThat(refused.getString("message")).contains("at most 200 characters");
    }
  }
}
