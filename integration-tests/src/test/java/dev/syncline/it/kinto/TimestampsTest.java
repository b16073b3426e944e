package dev.syncline.it.kinto;

import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static dev.syncline.it.support.KintoClient.data;
import static dev.syncline.it.support.KintoClient.etag;
import static dev.syncline.it.support.KintoClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.SharedNode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Timestamps, ETags and preconditions: what Kinto.js relies on to sync without losing anything. */
class TimestampsTest {
  private final KintoClient alice = SharedNode.client(SharedNode.unique("alice"));
  private String records;

  @BeforeEach
  void collection() {
    String bucket = SharedNode.unique("b");
    alice.collection(bucket, "c");
    records = "/buckets/" + bucket + "/collections/c/records";
  }

  @Test
  void timestampsStrictlyIncreaseWithinAList() {
    List<Long> stamps = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      stamps.add(etag(expect(alice.put(records + "/r" + i, new JsonObject()), 201)));
    }
    assertThat(stamps).isSorted().doesNotHaveDuplicates();
    assertThat(etag(alice.get(records))).isEqualTo(stamps.get(stamps.size() - 1));
  }

  @Test
  void anEmptyListKeepsItsTimestamp() {
    long first = etag(expect(alice.get(records), 200));
    long second = etag(expect(alice.get(records), 200));
    assertThat(second).isEqualTo(first);
  }

  @Test
  void collectionMetadataEditsDoNotMoveTheRecordsTimestamp() {
    expect(alice.put(records + "/r", new JsonObject()), 201);
    long before = etag(alice.get(records));
    String collection = records.substring(0, records.length() - "/records".length());
    expect(alice.put(collection, new JsonObject().put("data", new JsonObject().put("title", "renamed"))), 200);
    assertThat(etag(alice.get(records))).isEqualTo(before);
  }

  @Test
  void anEchoedOldLastModifiedIsIgnored() {
    var created = expect(alice.put(records + "/r", new JsonObject()), 201);
    long stamp = etag(created);
    var updated = expect(alice.put(records + "/r",
        new JsonObject().put("data", new JsonObject().put("last_modified", stamp).put("v", 2))), 200);
    assertThat(etag(updated)).isGreaterThan(stamp);
    long future = etag(updated) + 100_000;
    var forced = expect(alice.put(records + "/r",
        new JsonObject().put("data", new JsonObject().put("last_modified", future))), 200);
    assertThat(etag(forced)).isEqualTo(future);
  }

  @Test
  void ifNoneMatchStarRefusesAnExistingObjectWithTheCurrentOne() {
    expect(alice.put(records + "/r", new JsonObject().put("data", new JsonObject().put("v", 1))), 201);
    var refused = alice.put(records + "/r", new JsonObject(), "If-None-Match", "*");
    assertKintoError(refused, 412, 114, "Precondition Failed");
    JsonObject existing = new JsonObject(refused.body()).getJsonObject("details").getJsonObject("existing");
    assertThat(existing.getInteger("v")).isEqualTo(1);
    assertThat(etag(refused)).isEqualTo(existing.getLong("last_modified"));
  }

  @Test
  void ifMatchNeedsTheCurrentTimestamp() {
    long stamp = etag(expect(alice.put(records + "/r", new JsonObject()), 201));
    assertKintoError(alice.put(records + "/r", new JsonObject(), "If-Match", "\"" + (stamp - 1) + "\""), 412, 114,
        "Precondition Failed");
    expect(alice.put(records + "/r", new JsonObject(), "If-Match", "\"" + stamp + "\""), 200);
    var missing = alice.put(records + "/nope", new JsonObject(), "If-Match", "\"1\"");
    assertKintoError(missing, 412, 114, "Precondition Failed");
    assertThat(new JsonObject(missing.body()).getJsonObject("details")).isEqualTo(new JsonObject());
  }

  @Test
  void malformedPreconditionsAreBadRequests() {
    assertKintoError(alice.put(records + "/r", new JsonObject(), "If-Match", "1234"), 400, 107, "Bad Request");
    assertKintoError(alice.put(records + "/r", new JsonObject(), "If-None-Match", "W/\"1\""), 400, 107,
        "Bad Request");
  }

  @Test
  void deleteOfAMissingRecordIs404BeforeItsPrecondition() {
    assertKintoError(alice.delete(records + "/never", "If-Match", "\"123\""), 404, 110, "Not Found");
  }

  @Test
  void deleteWithAStalePreconditionKeepsTheRecord() {
    long stamp = etag(expect(alice.put(records + "/r", new JsonObject()), 201));
    assertKintoError(alice.delete(records + "/r", "If-Match", "\"" + (stamp + 5) + "\""), 412, 114,
        "Precondition Failed");
    expect(alice.get(records + "/r"), 200);
    expect(alice.delete(records + "/r", "If-Match", "\"" + stamp + "\""), 200);
  }

  @Test
  void notModifiedOnlyWhenAskedFor() {
    var created = expect(alice.put(records + "/r", new JsonObject()), 201);
    var unchanged = alice.get(records + "/r", "If-None-Match", "\"" + etag(created) + "\"");
    assertThat(unchanged.statusCode()).isEqualTo(304);
    assertThat(unchanged.body()).isEmpty();
    expect(alice.get(records + "/r", "If-None-Match", "\"" + (etag(created) - 1) + "\""), 200);
  }

  @Test
  void deleteMayForceANewerTombstoneTimestamp() {
    long stamp = etag(expect(alice.put(records + "/r", new JsonObject()), 201));
    var deleted = expect(alice.delete(records + "/r?last_modified=" + (stamp + 50_000)), 200);
    assertThat(data(deleted).getLong("last_modified")).isEqualTo(stamp + 50_000);
  }
}
