package dev.syncline.it.kinto;

import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static dev.syncline.it.support.KintoClient.data;
import static dev.syncline.it.support.KintoClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.SharedNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Partial updates in the three PATCH formats, and batches. */
class PatchAndBatchTest {
  private final String aliceId = SharedNode.unique("alice");
  private final KintoClient alice = SharedNode.client(aliceId);
  private String bucket;
  private String records;

  @BeforeEach
  void record() {
    bucket = SharedNode.unique("b");
    alice.collection(bucket, "c");
    records = "/buckets/" + bucket + "/collections/c/records";
    expect(alice.put(records + "/r", new JsonObject().put("data", new JsonObject().put("a", 1)
        .put("nested", new JsonObject().put("x", 1).put("y", 2)))), 201);
  }

  @Test
  void jsonMergeKeepsNullsAndMergesObjects() {
    JsonObject patched = data(expect(alice.patch(records + "/r",
        "{\"data\": {\"b\": null, \"nested\": {\"y\": 3}}}", "application/json"), 200));
    assertThat(patched.containsKey("b")).isTrue();
    assertThat(patched.getValue("b")).isNull();
    assertThat(patched.getJsonObject("nested")).isEqualTo(new JsonObject().put("x", 1).put("y", 3));
    assertThat(patched.getInteger("a")).isEqualTo(1);
  }

  @Test
  void mergePatchRemovesNulls() {
    JsonObject patched = data(expect(alice.patch(records + "/r", "{\"data\": {\"a\": null}}",
        "application/merge-patch+json"), 200));
    assertThat(patched.containsKey("a")).isFalse();
  }

  @Test
  void jsonPatchChangesDataAndPermissions() {
    String ops = new JsonArray()
        .add(new JsonObject().put("op", "replace").put("path", "/data/a").put("value", 10))
        .add(new JsonObject().put("op", "add").put("path", "/permissions/read").put("value",
            new JsonArray().add("system.Authenticated")))
        .encode();
    var response = expect(alice.patch(records + "/r", ops, "application/json-patch+json"), 200);
    assertThat(data(response).getInteger("a")).isEqualTo(10);
    assertThat(new JsonObject(response.body()).getJsonObject("permissions").getJsonArray("read"))
        .containsExactly("system.Authenticated");
    assertKintoError(alice.patch(records + "/r", "[{\"op\": \"remove\", \"path\": \"/data/nope\"}]",
        "application/json-patch+json"), 400, 107, "Bad Request");
  }

  @Test
  void jsonPatchAddsAndRemovesSinglePrincipalsAsKintoHttpSends() {
    var added = expect(alice.patch(records + "/r", "[{\"op\": \"add\", \"path\": \"/permissions/read/jwt:bob\"}]",
        "application/json-patch+json"), 200);
    assertThat(new JsonObject(added.body()).getJsonObject("permissions").getJsonArray("read")).containsExactly("jwt:bob");
    var removed = expect(alice.patch(records + "/r",
        "[{\"op\": \"remove\", \"path\": \"/permissions/read/jwt:bob\"}]", "application/json-patch+json"), 200);
    assertThat(new JsonObject(removed.body()).getJsonObject("permissions").containsKey("read")).isFalse();
    assertThat(new JsonObject(removed.body()).getJsonObject("permissions").getJsonArray("write"))
        .contains("jwt:" + aliceId);
  }

  @Test
  void patchOfAMissingRecordIs404() {
    assertKintoError(alice.patch(records + "/missing", "{\"data\": {}}", "application/json"), 404, 110,
        "Not Found");
  }

  @Test
  void batchMergesDefaultsAndAnswersInOrder() {
    JsonObject batch = new JsonObject()
        .put("defaults", new JsonObject().put("method", "PUT").put("headers", new JsonObject().put("If-None-Match", "*")))
        .put("requests", new JsonArray()
            .add(new JsonObject().put("path", records + "/one").put("body", new JsonObject().put("data",
                new JsonObject().put("n", 1))))
            .add(new JsonObject().put("path", "/v1" + records + "/r"))
            .add(new JsonObject().put("method", "GET").put("path", records + "?_sort=id")
                .put("headers", new JsonObject())));
    JsonArray responses = new JsonObject(expect(alice.post("/batch", batch), 200).body()).getJsonArray("responses");
    assertThat(responses).hasSize(3);
    assertThat(responses.getJsonObject(0).getInteger("status")).isEqualTo(201);
    assertThat(responses.getJsonObject(0).getString("path")).isEqualTo("/v1" + records + "/one");
    assertThat(responses.getJsonObject(1).getInteger("status")).isEqualTo(412);
    assertThat(responses.getJsonObject(1).getJsonObject("body").getJsonObject("details").getJsonObject("existing")
        .getInteger("a")).isEqualTo(1);
    JsonArray listed = responses.getJsonObject(2).getJsonObject("body").getJsonArray("data");
    assertThat(listed.stream().map(item -> ((JsonObject) item).getString("id"))).containsExactly("one", "r");
    assertThat(responses.getJsonObject(2).getJsonObject("headers").getString("ETag")).isNotBlank();
  }

  @Test
  void batchLimitsAreEnforcedAtTheEdge() {
    JsonArray ten = new JsonArray();
    for (int i = 0; i < 10; i++) {
      ten.add(new JsonObject().put("method", "PUT").put("path", records + "/n" + i));
    }
    expect(alice.post("/batch", new JsonObject().put("requests", ten)), 200);
    assertThat(new JsonObject(expect(alice.get(records), 200).body()).getJsonArray("data")).hasSize(11);
    JsonArray eleven = ten.copy().add(new JsonObject().put("path", records));
    assertKintoError(alice.post("/batch", new JsonObject().put("requests", eleven)), 400, 107, "Bad Request");
  }

  @Test
  void malformedBatchesAreRefused() {
    assertKintoError(alice.post("/batch", new JsonObject()), 400, 107, "Bad Request");
    assertKintoError(alice.post("/batch", new JsonObject().put("requests", new JsonArray()
        .add(new JsonObject().put("path", "/batch")))), 400, 107, "Bad Request");
    assertKintoError(alice.post("/batch", new JsonObject().put("requests", new JsonArray()
        .add(new JsonObject().put("path", records).put("verb", "GET")))), 400, 107, "Bad Request");
    assertKintoError(alice.send("POST", "/batch", "{\"requests\": ["), 400, 106, "Bad Request");
  }

  @Test
  void batchSubRequestsAreAuthenticatedLikeAnyOther() {
    JsonObject batch = new JsonObject().put("requests", new JsonArray()
        .add(new JsonObject().put("path", records + "/r")
            .put("headers", new JsonObject().put("Authorization", "Bearer forged"))));
    JsonObject response = new JsonObject(expect(alice.post("/batch", batch), 200).body())
        .getJsonArray("responses").getJsonObject(0);
    assertThat(response.getInteger("status")).isEqualTo(401);
  }
}
