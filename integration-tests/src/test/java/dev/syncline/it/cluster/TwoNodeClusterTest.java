package dev.syncline.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.contracts.bus.PushBus;
import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.TestCluster;
import dev.syncline.it.support.TestDatabase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two nodes in one JVM, started at the same moment against one fresh database. */
class TwoNodeClusterTest {
  private static TestDatabase database;
  private static Node first;
  private static Node second;

  @BeforeAll
  static void startBothAtOnce() throws Exception {
    database = PostgresFixture.shared().newDatabase();
    TestCluster cluster = new TestCluster(2);
    List<Node> nodes = TestCluster.startTogether(
        cluster.nodeConfig(0, database.url()),
        cluster.nodeConfig(1, database.url()));
    first = nodes.get(0);
    second = nodes.get(1);
  }

  @AfterAll
  static void stopNodes() {
    TestCluster.stop(first);
    TestCluster.stop(second);
  }

  @Test
  void bothNodesSeeTheOther() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (Node node : new Node[] {first, second}) {
        JsonObject heartbeat = Http.json(Http.get("http://127.0.0.1:" + node.httpPort() + "/__heartbeat__"));
        assertThat(heartbeat.getInteger("cluster_members")).isEqualTo(2);
        assertThat(heartbeat.getBoolean("storage")).isTrue();
      }
    });
  }

  @Test
  void concurrentStartsApplyEachMigrationOnce() {
    assertThat(database.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success"))
        .isEqualTo(1);
    assertThat(database.queryLong("SELECT count(*) FROM information_schema.tables WHERE table_name = 'objects'"))
        .isEqualTo(1);
  }

  @Test
  void aMessageToTheOtherNodeCrossesTheCluster() throws Exception {
    Message<JsonObject> reply = first.vertx().eventBus()
        .<JsonObject>request(PushBus.node(second.nodeId()), new JsonObject().put(PushBus.ACTION, PushBus.ACTION_PING))
        .await(10, TimeUnit.SECONDS);
    assertThat(reply.body().getString(PushBus.NODE)).isEqualTo(second.nodeId()).isNotEqualTo(first.nodeId());
  }
}
