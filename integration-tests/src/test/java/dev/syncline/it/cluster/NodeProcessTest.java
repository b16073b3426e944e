package dev.syncline.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.it.support.FreePorts;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.NodeProcess;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.TestCluster;
import dev.syncline.it.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes run from the built jar as separate processes, the way users run them: they share one database, survive
 * the loss of a member, log JSON lines without secrets, and stop gracefully on SIGTERM.
 */
class NodeProcessTest {
  private NodeProcess first;
  private NodeProcess second;

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
  }

  @Test
  void survivorStaysHealthyWhenAMemberIsKilled() throws InterruptedException {
    TestDatabase database = PostgresFixture.shared().newDatabase();
    TestCluster cluster = new TestCluster(2);
    int firstPort = FreePorts.next();
    int secondPort = FreePorts.next();
    first = start("first", cluster.nodeEnv(0, database.url(), firstPort, FreePorts.next()));
    second = start("second", cluster.nodeEnv(1, database.url(), secondPort, FreePorts.next()));

    awaitMembers(first, firstPort, 2);
    awaitMembers(second, secondPort, 2);

    second.kill();

    awaitMembers(first, firstPort, 1);
    var heartbeat = Http.get(url(firstPort, "/__heartbeat__"));
    assertThat(heartbeat.statusCode()).isEqualTo(200);

    int exit = first.terminate(Duration.ofSeconds(30));
    assertThat(exit).as("exit code after SIGTERM").isEqualTo(143);
    String log = first.log();
    assertThat(log).contains("Stopped: left the cluster and closed the database pool");
    assertThat(log).doesNotContain(database.password());
    log.lines().forEach(line -> assertThat(new JsonObject(line).getString("message")).as(line).isNotNull());
  }

  private static NodeProcess start(String name, Map<String, String> env) {
    var withJsonLogs = new HashMap<>(env);
    withJsonLogs.put("SYNCLINE_LOG_FORMAT", "json");
    return NodeProcess.start(name, withJsonLogs);
  }

  private static void awaitMembers(NodeProcess node, int port, int members) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .untilAsserted(() -> {
          assertThat(node.alive()).as("node on port %d is running; its log:%n%s", port, node.log()).isTrue();
          JsonObject body = Http.json(Http.get(url(port, "/__heartbeat__")));
          assertThat(body.getInteger("cluster_members")).isEqualTo(members);
        });
  }

  private static String url(int port, String path) {
    return "http://127.0.0.1:" + port + path;
  }
}
