package dev.syncline.it.kinto;

import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static dev.syncline.it.support.KintoClient.data;
import static dev.syncline.it.support.KintoClient.etag;
import static dev.syncline.it.support.KintoClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.it.support.Http;
import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.SharedNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Creating, reading, replacing and deleting objects, as the Kinto clients do it. */
class ObjectsTest {
  private final KintoClient alice = SharedNode.client(SharedNode.unique("alice"));
  private String bucket;
  private String records;

  @BeforeEach
  void collection() {
    bucket = SharedNode.unique("b");
    alice.collection(bucket, "tasks");
    records = "/buckets/" + bucket + "/collections/tasks/records";
  }

  @Test
  void putCreatesThenReplaces() {
    var created = expect(alice.put(records + "/r1", new JsonObject().put("data", new JsonObject().put("t", 1))), 201);
    assertThat(data(created).getString("id")).isEqualTo("r1");
    assertThat(data(created).getLong("last_modified")).isEqualTo(etag(created));
    var replaced = expect(alice.put(records + "/r1", new JsonObject().put("data", new JsonObject().put("u", 2))), 200);
    assertThat(data(replaced).containsKey("t")).isFalse();
    assertThat(data(replaced).getInteger("u")).isEqualTo(2);
    assertThat(etag(replaced)).isGreaterThan(etag(created));
    var read = expect(alice.get(records + "/r1"), 200);
    assertThat(data(read)).isEqualTo(data(replaced));
    assertThat(etag(read)).isEqualTo(etag(replaced));
    assertThat(read.headers().firstValue("Last-Modified")).isPresent();
  }

  @Test
  void postWithoutIdCreatesAndPostOfAnExistingIdAnswersIt() {
    var created = expect(alice.post(records, new JsonObject().put("data", new JsonObject().put("t", "x"))), 201);
    String id = data(created).getString("id");
    assertThat(id).matches("[0-9a-f-]{36}");
    var again = expect(alice.post(records, new JsonObject().put("data", new JsonObject().put("id", id).put("t", "y"))),
        200);
    assertThat(data(again).getString("t")).isEqualTo("x");
  }

  @Test
  void deleteAnswersTheTombstoneAndThenNotFound() {
    expect(alice.put(records + "/gone", new JsonObject()), 201);
    var deleted = expect(alice.delete(records + "/gone"), 200);
    assertThat(data(deleted).fieldNames()).containsExactlyInAnyOrder("id", "last_modified", "deleted");
    assertThat(data(deleted).getBoolean("deleted")).isTrue();
    var again = alice.delete(records + "/gone");
    assertKintoError(again, 404, 110, "Not Found");
    assertThat(new JsonObject(again.body()).getJsonObject("details").getString("id")).isEqualTo("gone");
    assertKintoError(alice.get(records + "/gone"), 404, 110, "Not Found");
    expect(alice.put(records + "/gone", new JsonObject()), 201);
  }

  @Test
  void deletingACollectionRemovesItsRecords() {
    expect(alice.put(records + "/r", new JsonObject()), 201);
    expect(alice.delete("/buckets/" + bucket + "/collections/tasks"), 200);
    assertKintoError(alice.get(records), 404, 110, "Not Found");
    expect(alice.put("/buckets/" + bucket + "/collections/tasks", new JsonObject()), 201);
    assertThat(new JsonObject(expect(alice.get(records), 200).body()).getJsonArray("data")).isEmpty();
  }

  @Test
  void idsAreChecked() {
    assertKintoError(alice.put(records + "/-bad", new JsonObject()), 400, 107, "Bad Request");
    assertKintoError(alice.put("/buckets/b%20c", new JsonObject()), 400, 107, "Bad Request");
    var mismatch = alice.put(records + "/a", new JsonObject().put("data", new JsonObject().put("id", "b")));
    assertKintoError(mismatch, 400, 107, "Bad Request");
  }

  @Test
  void badBodiesAreRefusedClearly() {
    assertKintoError(alice.send("PUT", records + "/a", "{\"data\": "), 400, 106, "Bad Request");
    assertKintoError(alice.send("PUT", records + "/a", "[1]"), 400, 107, "Bad Request");
    assertKintoError(alice.send("PUT", records + "/a", "{\"data\": 3}"), 400, 107, "Bad Request");
    assertKintoError(alice.send("PUT", records + "/a", "{\"permissions\": {\"fly\": [\"x\"]}}"), 400, 107,
        "Bad Request");
  }

  @Test
  void unknownPathsAndMethodsAreKintoErrors() {
    assertKintoError(alice.get("/buckets/" + bucket + "/nothing"), 404, 111, "Not Found");
    assertKintoError(alice.post(records + "/r1", new JsonObject()), 405, 115, "Method Not Allowed");
    assertKintoError(alice.send("PATCH", records, "{}"), 405, 115, "Method Not Allowed");
  }

  @Test
  void everyAnswerIsNoCacheAndCorsReadable() {
    var response = Http.get(alice.url(records), "Origin", "https://app.example");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
    assertThat(response.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .contains("ETag").contains("Next-Page").contains("Total-Records").contains("Backoff");
  }

  @Test
  void preflightAllowsWhatClientsSend() {
    var response = Http.send("OPTIONS", alice.url(records), null, "Origin", "https://app.example",
        "Access-Control-Request-Method", "PATCH",
        "Access-Control-Request-Headers", "authorization,content-type,if-match");
    assertThat(response.statusCode()).isBetween(200, 204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("PATCH");
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
        .contains("if-match").contains("authorization");
  }
}
