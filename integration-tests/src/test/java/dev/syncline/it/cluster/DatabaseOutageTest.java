package dev.syncline.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.FreePorts;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.TestCluster;
import dev.syncline.storage.embedded.EmbeddedDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose database goes away keeps serving, answers 503 where storage is needed, and recovers by itself.
 *
 * <p>These tests stop and restart PostgreSQL, so they run their own embedded server instead of the shared one.
 */
class DatabaseOutageTest {
  @TempDir
  Path pgDir;

  private EmbeddedDatabase database;
  private Node node;

  @AfterEach
  void cleanUp() {
    TestCluster.stop(node);
    if (database != null) {
      database.close();
    }
  }

  @Test
  void nodeRecoversWhenItsDatabaseReturns() {
    int pgPort = FreePorts.next();
    database = EmbeddedDatabase.startOwned(pgDir, pgPort);
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, database.url()).put("pg_probe_interval_seconds", 1));
    assertThat(heartbeat().statusCode()).isEqualTo(200);

    database.close();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> response = heartbeat();
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      JsonObject body = Http.json(response);
      assertThat(body.getBoolean("storage")).isFalse();
      assertThat(body.getBoolean("token")).isTrue();
      assertThat(body.getBoolean("cluster")).isTrue();
    });
    assertThat(Http.get(api("/__lbheartbeat__")).statusCode()).isEqualTo(200);

    database = EmbeddedDatabase.startOwned(pgDir, pgPort);

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(heartbeat().statusCode()).isEqualTo(200));
  }

  @Test
  void nodeStartsWithoutItsDatabaseAndMigratesOnceItAppears() {
    int pgPort = FreePorts.next();
    String url = "postgresql://postgres@127.0.0.1:" + pgPort + "/postgres";
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, url).put("pg_retry_max_seconds", 1));

    HttpResponse<String> down = heartbeat();
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(Http.json(down).getBoolean("storage")).isFalse();

    database = EmbeddedDatabase.startOwned(pgDir, pgPort);

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(heartbeat().statusCode()).isEqualTo(200));
  }

  private HttpResponse<String> heartbeat() {
    return Http.get(api("/__heartbeat__"));
  }

  private String api(String path) {
    return "http://127.0.0.1:" + node.httpPort() + path;
  }
}
