package dev.syncline.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.it.support.FreePorts;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.NodeProcess;
import dev.syncline.it.support.TestCluster;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default a user gets with no database configured: the node runs its own PostgreSQL in its data directory, a
 * second local node shares it, and the data directory is reused across restarts.
 */
class EmbeddedDatabaseNodeTest {
  @TempDir
  Path dataDir;

  private NodeProcess first;
  private NodeProcess second;

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (NodeProcess node : new NodeProcess[] {second, first}) {
      if (node != null) {
        node.terminate(Duration.ofSeconds(30));
        node.close();
      }
    }
  }

  @Test
  void nodesShareTheEmbeddedServerAndItsDataOutlivesThem() throws Exception {
    int pgPort = FreePorts.next();
    TestCluster cluster = new TestCluster(2);
    int firstPort = FreePorts.next();
    int secondPort = FreePorts.next();
    Map<String, String> firstEnv = embeddedEnv(cluster.nodeEnv(0, "", firstPort, FreePorts.next()), pgPort);

    first = NodeProcess.start("embedded-first", firstEnv);
    awaitHealthy(first, firstPort, 1);
    assertThat(setting(pgPort, "fsync")).as("a node's own database flushes its commits").isEqualTo("on");
    assertThat(setting(pgPort, "synchronous_commit")).isEqualTo("on");
    Path pgConf = dataDir.resolve("pg").resolve("postgresql.conf");
    FileTime initialised = Files.getLastModifiedTime(pgConf);

    second = NodeProcess.start("embedded-second",
        embeddedEnv(cluster.nodeEnv(1, "", secondPort, FreePorts.next()), pgPort));
    awaitHealthy(second, secondPort, 2);
    assertThat(second.log()).contains("using the PostgreSQL server already running there");

    assertThat(second.terminate(Duration.ofSeconds(30))).isEqualTo(143);
    assertThat(first.terminate(Duration.ofSeconds(30))).isEqualTo(143);
    assertThat(listening(pgPort)).as("the node that started PostgreSQL stops it").isFalse();

    first = NodeProcess.start("embedded-restart", firstEnv);
    awaitHealthy(first, firstPort, 1);
    assertThat(Files.getLastModifiedTime(pgConf)).as("the data directory was reused, not initialised again")
        .isEqualTo(initialised);
  }

  private Map<String, String> embeddedEnv(Map<String, String> env, int pgPort) {
    Map<String, String> embedded = new HashMap<>(env);
    embedded.remove("SYNCLINE_PG_URL");
    embedded.put("SYNCLINE_DATA_DIR", dataDir.toString());
    embedded.put("SYNCLINE_EMBEDDED_PG_PORT", String.valueOf(pgPort));
    return embedded;
  }

  private static void awaitHealthy(NodeProcess node, int port, int members) {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .untilAsserted(() -> {
          assertThat(node.alive()).as("node on port %d is running; its log:%n%s", port, node.log()).isTrue();
          var response = Http.get("http://127.0.0.1:" + port + "/__heartbeat__");
          JsonObject body = Http.json(response);
          assertThat(response.statusCode()).as(body.encode()).isEqualTo(200);
          assertThat(body.getInteger("cluster_members")).isEqualTo(members);
        });
  }

  private static String setting(int pgPort, String name) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
        "postgres", ""); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
