package dev.syncline.it.kinto;

import static dev.syncline.it.support.KintoClient.expect;
import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Jwt;
import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.SharedNode;
import dev.syncline.it.support.TestCluster;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Record size, records per collection and bytes per bucket, each refused just past its setting. */
class LimitsTest {
  private static final int MAX_RECORD = 1100;
  private static final int MAX_RECORDS = 3;
  private static final int MAX_BUCKET_BYTES = 4096;
  private static Node node;
  private static KintoClient alice;

  @BeforeAll
  static void start() {
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, PostgresFixture.shared().newDatabase().url())
        .put("jwt_secret", SharedNode.JWT_SECRET)
        .put("max_record_bytes", MAX_RECORD)
        .put("quota_collection_records", MAX_RECORDS)
        .put("quota_bucket_bytes", MAX_BUCKET_BYTES)
        .put("tombstone_retention_seconds", 1)
        .put("purge_interval_seconds", 1));
    alice = new KintoClient("http://127.0.0.1:" + node.httpPort(), Jwt.forUser(SharedNode.JWT_SECRET, "alice"));
  }

  @AfterAll
  static void stop() {
    TestCluster.stop(node);
  }

  /** A record whose data encodes to exactly {@code bytes} bytes of JSON. */
  private static JsonObject dataOfSize(int bytes) {
    int filler = bytes - "{\"x\":\"\"}".length();
    return new JsonObject().put("x", "a".repeat(filler));
  }

  @Test
  void aRecordAtTheSizeLimitIsTakenAndOneByteMoreIsNot() {
    alice.collection("sizes", "c");
    expect(alice.put("/buckets/sizes/collections/c/records/ok", new JsonObject().put("data", dataOfSize(MAX_RECORD))),
        201);
    var refused = alice.put("/buckets/sizes/collections/c/records/big",
        new JsonObject().put("data", dataOfSize(MAX_RECORD + 1)));
    assertKintoError(refused, 507, 507, "Insufficient Storage");
    assertKintoError(alice.get("/buckets/sizes/collections/c/records/big"), 404, 110, "Not Found");
  }

  @Test
  void aCollectionTakesItsQuotaOfRecordsAndNoMore() {
    alice.collection("counts", "c");
    for (int i = 0; i < MAX_RECORDS; i++) {
      expect(alice.put("/buckets/counts/collections/c/records/r" + i, new JsonObject()), 201);
    }
    assertKintoError(alice.put("/buckets/counts/collections/c/records/one-more", new JsonObject()), 507, 507,
        "Insufficient Storage");
    expect(alice.put("/buckets/counts/collections/c/records/r0", new JsonObject().put("data",
        new JsonObject().put("updates", "still fine"))), 200);
    expect(alice.delete("/buckets/counts/collections/c/records/r0"), 200);
    expect(alice.put("/buckets/counts/collections/c/records/after-delete", new JsonObject()), 201);
  }

  @Test
  void aBucketTakesItsQuotaOfBytesAndSaysWhatIsLeft() {
    alice.collection("bytes", "c");
    expect(alice.put("/buckets/bytes/collections/d", new JsonObject()), 201);
    String[] paths = {"c/records/a", "c/records/b", "d/records/c", "d/records/d"};
    long previous = Long.MAX_VALUE;
    for (String path : paths) {
      var taken = expect(alice.put("/buckets/bytes/collections/" + path,
          new JsonObject().put("data", dataOfSize(1000))), 201);
      long remainingKb = Long.parseLong(taken.headers().firstValue("Quota-Remaining").orElseThrow());
      assertThat(remainingKb).isLessThanOrEqualTo(previous);
      previous = remainingKb;
    }
    assertThat(previous).isZero();
    // Four records of 1000 bytes fit in 4096; a fifth does not, in whichever collection.
    assertKintoError(alice.put("/buckets/bytes/collections/d/records/e",
        new JsonObject().put("data", dataOfSize(1000))), 507, 507, "Insufficient Storage");
    expect(alice.put("/buckets/bytes/collections/d/records/small", new JsonObject().put("data", dataOfSize(40))), 201);
    expect(alice.delete("/buckets/bytes/collections/c/records/a"), 200);
    expect(alice.put("/buckets/bytes/collections/c/records/e", new JsonObject().put("data", dataOfSize(1000))), 201);
  }

  @Test
  void tombstonesArePurgedAfterTheirRetention() {
    alice.collection("purge", "c");
    expect(alice.put("/buckets/purge/collections/c/records/r", new JsonObject()), 201);
    expect(alice.delete("/buckets/purge/collections/c/records/r"), 200);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
        new JsonObject(expect(alice.get("/buckets/purge/collections/c/records?_since=0"), 200).body())
            .getJsonArray("data")).isEmpty());
  }
}
