package dev.syncline.it.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.Jwt;
import dev.syncline.it.support.LiveClient;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.SharedNode;
import dev.syncline.it.support.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A history channel published on from two nodes at once: offsets come from one cluster-wide counter, but each node
 * sends its own messages, so they reach a subscriber out of order. Every subscriber must still see each offset
 * once, in order.
 */
class LiveChannelOrderTest {
  private static final String KEY = "backend-key-0123456789abcdef";
  private static final String CHANNELS = "[{\"pattern\": \"stream.*\", \"subscribe\": \"everyone\", \"publish\": "
      + "\"authenticated\", \"history\": 1000, \"history_seconds\": 300}]";
  private static final int PER_NODE = 200;
  /** Publishing threads per node: half through the backend API, half as clients with pubsub.publish. */
  private static final int THREADS_PER_NODE = 4;

  private static Node first;
  private static Node second;

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
    return config.put("jwt_secret", SharedNode.JWT_SECRET).put("backend_key", KEY).put("live_channels", CHANNELS);
  }

  @AfterAll
  static void stopCluster() {
    TestCluster.stop(first);
    TestCluster.stop(second);
  }

  @Test
  void everySubscriberGetsEveryOffsetOnceInOrderWhenBothNodesPublishAtOnce() throws Exception {
    String channel = "stream.s" + UUID.randomUUID().toString().substring(0, 8);
    try (LiveClient onFirst = LiveClient.connect(first.httpPort());
        LiveClient onSecond = LiveClient.connect(second.httpPort())) {
      onFirst.ok("pubsub", "subscribe", new JsonObject().put("channel", channel));
      onSecond.ok("pubsub", "subscribe", new JsonObject().put("channel", channel));

      Map<Long, JsonObject> published = publishFromBothNodes(channel);
      int total = 2 * PER_NODE;
      assertThat(published).hasSize(total);
      assertThat(published.keySet()).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed()
          .toList());

      assertReceivedInOrder("subscriber on the first node", onFirst, channel, published);
      assertReceivedInOrder("subscriber on the second node", onSecond, channel, published);
    }
  }

  /** Publishes {@link #PER_NODE} messages on each node, all threads at once; answers each offset's message. */
  private static Map<Long, JsonObject> publishFromBothNodes(String channel) throws Exception {
    Map<Long, JsonObject> published = new ConcurrentHashMap<>();
    List<LiveClient> publishers = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);
    CountDownLatch start = new CountDownLatch(1);
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    try {
      for (Node node : List.of(first, second)) {
        for (int thread = 0; thread < THREADS_PER_NODE; thread++) {
          String name = (node == first ? "first" : "second") + "-" + thread;
          int count = PER_NODE / THREADS_PER_NODE;
          Callable<Void> publisher;
          if (thread % 2 == 0) {
            publisher = () -> {
              start.await();
              for (int i = 0; i < count; i++) {
                JsonObject message = new JsonObject().put("from", name).put("n", i);
                var answer = Http.send("POST", "http://127.0.0.1:" + node.backendPort() + "/v1/channels/" + channel
                    + "/messages", new JsonObject().put("message", message).encode(), "X-Backend-Key", KEY,
                    "Content-Type", "application/json");
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
                published.put(Http.json(answer).getLong("offset"), message);
              }
              return null;
            };
          } else {
            LiveClient client = LiveClient.as(node.httpPort(), Jwt.forUser(SharedNode.JWT_SECRET, name));
            publishers.add(client);
            publisher = () -> {
              start.await();
              for (int i = 0; i < count; i++) {
                JsonObject message = new JsonObject().put("from", name).put("n", i);
                JsonObject answer = client.ok("pubsub", "publish", new JsonObject().put("channel", channel)
                    .put("message", message));
                published.put(answer.getLong("offset"), message);
              }
              return null;
            };
          }
          done.add(threads.submit(publisher));
        }
      }
      start.countDown();
      for (var each : done) {
        each.get(120, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
      publishers.forEach(LiveClient::close);
    }
    return published;
  }

  private static void assertReceivedInOrder(String who, LiveClient subscriber, String channel,
      Map<Long, JsonObject> published) throws InterruptedException {
    List<Long> offsets = new ArrayList<>();
    List<JsonObject> messages = new ArrayList<>();
    while (offsets.size() < published.size()) {
      JsonObject notification = subscriber.poll(Duration.ofSeconds(10));
      if (notification == null) {
        break;
      }
      assertThat(notification.getString("type")).as(who).isEqualTo("message");
      assertThat(notification.getString("channel")).as(who).isEqualTo(channel);
      assertThat(notification.getBoolean("recovered", true)).as(who + ": nothing is lost").isTrue();
      offsets.add(notification.getLong("offset"));
      messages.add(notification.getJsonObject("message"));
    }
    assertThat(offsets).as(who + ": offsets received")
        .containsExactlyElementsOf(LongStream.rangeClosed(1, published.size()).boxed().toList());
    for (int i = 0; i < offsets.size(); i++) {
      assertThat(messages.get(i)).as(who + ": message at offset " + offsets.get(i))
          .isEqualTo(published.get(offsets.get(i)));
    }
    assertThat(subscriber.poll(Duration.ofMillis(300))).as(who + ": nothing more").isNull();
  }
}
