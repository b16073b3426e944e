package dev.syncline.it.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.FreePorts;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.PushClient;
import dev.syncline.it.support.TestCluster;
import dev.syncline.it.support.TestDatabase;
import dev.syncline.it.support.WebPushSender;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two clustered nodes in one JVM: a message posted to either node reaches the client wherever it is connected. */
class PushClusterTest {
  /** Every node must open every other node's endpoints: one key for the cluster. */
  static final String ENDPOINT_KEYS = "1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
      31, 32});

  private static TestDatabase database;
  private static Node first;
  private static Node second;
  private static int firstPort;
  private static int secondPort;

  @BeforeAll
  static void startNodes() throws Exception {
    database = PostgresFixture.shared().newDatabase();
    TestCluster cluster = new TestCluster(2);
    firstPort = FreePorts.next();
    secondPort = FreePorts.next();
    List<Node> nodes = TestCluster.startTogether(
        config(cluster, 0, database, firstPort),
        config(cluster, 1, database, secondPort));
    first = nodes.get(0);
    second = nodes.get(1);
  }

  private static JsonObject config(TestCluster cluster, int index, TestDatabase database, int port) {
    return cluster.nodeConfig(index, database.url()).put("http_port", port)
        .put("public_url", "http://127.0.0.1:" + port).put("push_endpoint_keys", ENDPOINT_KEYS);
  }

  @AfterAll
  static void stopNodes() {
    TestCluster.stop(first);
    TestCluster.stop(second);
  }

  @Test
  void aMessagePostedToOneNodeReachesAClientOnTheOther() {
    try (PushClient client = PushClient.hello(secondPort, null)) {
      String endpoint = client.register();
      awaitRoute(client.uaid(), second.nodeId());
      for (int i = 0; i < 20; i++) {
        byte[] payload = ("cross " + i).getBytes(StandardCharsets.UTF_8);
        assertThat(WebPushSender.post(WebPushSender.via(endpoint, firstPort), 60, payload).statusCode())
            .isEqualTo(201);
        JsonObject notification = client.next();
        assertThat(Base64.getUrlDecoder().decode(notification.getString("data"))).isEqualTo(payload);
        client.ack(notification);
      }
      // TTL 0 crosses too, since the client is connected right now.
      assertThat(WebPushSender.post(WebPushSender.via(endpoint, firstPort), 0, new byte[] {7}).statusCode())
          .isEqualTo(201);
      assertThat(client.next().getString("data")).isEqualTo("Bw");
    }
  }

  @Test
  void aHelloOnAnotherNodeReplacesTheOldConnection() {
    PushClient old = PushClient.hello(secondPort, null);
    String endpoint = old.register();
    awaitRoute(old.uaid(), second.nodeId());
    try (PushClient moved = PushClient.hello(firstPort, old.uaid())) {
      assertThat(moved.uaid()).isEqualTo(old.uaid());
      assertThat(old.closeCode()).isEqualTo(4000);
      awaitRoute(old.uaid(), first.nodeId());
      assertThat(WebPushSender.post(WebPushSender.via(endpoint, secondPort), 60, new byte[] {1}).statusCode())
          .isEqualTo(201);
      assertThat(moved.next().getString("data")).isEqualTo("AQ");
    } finally {
      old.close();
    }
  }

  @Test
  void aStoredMessageFollowsTheClientToAnotherNode() {
    String uaid;
    String endpoint;
    try (PushClient client = PushClient.hello(firstPort, null)) {
      uaid = client.uaid();
      endpoint = client.register();
    }
    assertThat(WebPushSender.post(endpoint, 600, new byte[] {2}).statusCode()).isEqualTo(201);
    try (PushClient client = PushClient.hello(secondPort, uaid)) {
      assertThat(client.next().getString("data")).isEqualTo("Ag");
    }
  }

  private static void awaitRoute(String uaid, String nodeId) {
    await().atMost(Duration.ofSeconds(10)).until(() -> nodeId.equals(
        database.queryString("SELECT node FROM push_users WHERE uaid = '" + uaid + "'")));
  }
}
