package dev.syncline.it.kinto;

import static dev.syncline.it.support.KintoClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Jwt;
import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.TestCluster;
import dev.syncline.it.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A write looks its object and the object's ancestors up by key. Those lookups must stay primary-key probes when a
 * list has grown since the table was last analyzed, with the generic plans that prepared statements end up using;
 * otherwise every write scans the whole list, or the whole table.
 */
class KeyLookupPlanTest {
  private static final String SECRET = "key-lookup-plan-tests-hs256-secret-0123456789";
  private static TestDatabase database;
  private static Node node;

  @BeforeAll
  static void start() {
    database = PostgresFixture.shared().newDatabase();
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, database.url()).put("jwt_secret", SECRET));
  }

  @AfterAll
  static void stop() {
    TestCluster.stop(node);
  }

  @Test
  void writesToAGrownUnanalyzedListNeverScanIt() throws Exception {
    KintoClient alice = new KintoClient("http://127.0.0.1:" + node.httpPort(), Jwt.forUser(SECRET, "alice"));
    alice.collection("b", "c");
    String records = "/buckets/b/collections/c/records/";
    expect(alice.put(records + "first", new JsonObject()), 201);
    try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
      // The statistics are taken while the list is small; then it grows by far more than they know of.
      statement.execute("ANALYZE objects");
      statement.execute("INSERT INTO objects (parent_id, resource_name, id, last_modified, data)"
          + " SELECT '/buckets/b/collections/c', 'record', 'r' || n, 1000 + n, '{}' FROM generate_series(1, 5000) n");
      statement.execute("UPDATE timestamps SET last_modified = 10000 WHERE parent_id = '/buckets/b/collections/c'");
    }
    // Past the five executions after which a prepared statement may switch to its generic plan, on every pooled
    // connection the writes happen to use.
    int writes = 60;
    for (int i = 0; i < writes; i++) {
      expect(alice.put(records + "r" + (i * 70 + 1), new JsonObject().put("data", new JsonObject().put("i", i))),
          200);
    }
    Scans before = Scans.read();
    for (int i = 0; i < writes; i++) {
      expect(alice.put(records + "r" + (i * 70 + 2), new JsonObject().put("data", new JsonObject().put("i", i))),
          200);
    }
    // Each write looks up at least three objects (the record and its two ancestors). Counters reach the statistics
    // views a little after each transaction; wait until all of these have.
    await().atMost(Duration.ofSeconds(30)).until(() -> Scans.read().total() - before.total() >= 3L * writes);
    Scans after = Scans.read();
    assertThat(after.byKey() - before.byKey()).as("probes of the primary key").isGreaterThanOrEqualTo(3L * writes);
    assertThat(after.byTimestamp() - before.byTimestamp()).as("scans of objects_by_timestamp").isZero();
    assertThat(after.sequential() - before.sequential()).as("sequential scans of objects").isZero();
  }

  /** Cumulative scans of the objects table, by how they read it. */
  private record Scans(long byKey, long byTimestamp, long sequential) {
    long total() {
      return byKey + byTimestamp + sequential;
    }

    static Scans read() {
      return new Scans(
          database.queryLong("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'objects_pkey'"),
          database.queryLong("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'objects_by_timestamp'"),
          database.queryLong("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'objects'"));
    }
  }

}
