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

/** Who may see and change what: the owner, another user, a group member and an anonymous client. */
class PermissionsTest {
  private final String aliceId = SharedNode.unique("alice");
  private final String bobId = SharedNode.unique("bob");
  private final KintoClient alice = SharedNode.client(aliceId);
  private final KintoClient bob = SharedNode.client(bobId);
  private final KintoClient anonymous = SharedNode.client(null);
  private String bucket;
  private String records;

  @BeforeEach
  void alicesCollection() {
    bucket = SharedNode.unique("b");
    alice.collection(bucket, "c");
    records = "/buckets/" + bucket + "/collections/c/records";
    expect(alice.put(records + "/secret", new JsonObject().put("data", new JsonObject().put("pin", 1234))), 201);
  }

  @Test
  void theCreatorGetsWrite() {
    JsonObject permissions = new JsonObject(expect(alice.get(records + "/secret"), 200).body())
        .getJsonObject("permissions");
    assertThat(permissions.getJsonArray("write")).contains("jwt:" + aliceId);
  }

  @Test
  void anotherUserCannotReadListCountOrWrite() {
    assertKintoError(bob.get(records + "/secret"), 403, 121, "Forbidden");
    assertThat(new JsonObject(expect(bob.get(records), 200).body()).getJsonArray("data")).isEmpty();
    assertThat(expect(bob.head(records), 200).headers().firstValue("Total-Records")).hasValue("0");
    assertKintoError(bob.put(records + "/secret", new JsonObject()), 403, 121, "Forbidden");
    assertKintoError(bob.delete(records + "/secret"), 403, 121, "Forbidden");
    assertKintoError(bob.put(records + "/mine", new JsonObject()), 403, 121, "Forbidden");
    assertKintoError(bob.get("/buckets/" + bucket), 403, 121, "Forbidden");
  }

  @Test
  void anotherUserCannotTellAMissingObjectFromAForbiddenOne() {
    assertKintoError(bob.get(records + "/does-not-exist"), 403, 121, "Forbidden");
    assertKintoError(bob.get("/buckets/" + SharedNode.unique("nobody")), 403, 121, "Forbidden");
  }

  @Test
  void anonymousClientsAreAskedToAuthenticate() {
    var refused = anonymous.get(records + "/secret");
    assertKintoError(refused, 401, 104, "Unauthorized");
    assertThat(refused.headers().firstValue("WWW-Authenticate")).isPresent();
    assertKintoError(anonymous.get(records), 401, 104, "Unauthorized");
    assertKintoError(anonymous.put("/buckets/" + SharedNode.unique("anon"), new JsonObject()), 401, 104,
        "Unauthorized");
  }

  @Test
  void aBadTokenIsRefusedNotTreatedAsAnonymous() {
    var forged = new KintoClient(alice.url("").replace("/v1", ""), "not.a.token");
    assertKintoError(forged.get(records), 401, 105, "Unauthorized");
  }

  @Test
  void readPermissionOnARecordShowsOnlyThatRecord() {
    expect(alice.put(records + "/shared", new JsonObject().put("data", new JsonObject().put("x", 1))
        .put("permissions", new JsonObject().put("read", new JsonArray().add("jwt:" + bobId)))), 201);
    assertThat(data(expect(bob.get(records + "/shared"), 200)).getInteger("x")).isEqualTo(1);
    JsonArray listed = new JsonObject(expect(bob.get(records), 200).body()).getJsonArray("data");
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getString("id")).isEqualTo("shared");
    assertKintoError(bob.put(records + "/shared", new JsonObject()), 403, 121, "Forbidden");
    assertKintoError(bob.get(records + "/gone-or-never"), 403, 121, "Forbidden");
  }

  @Test
  void readOnTheCollectionInheritsAndLets404Through() {
    String collection = "/buckets/" + bucket + "/collections/c";
    expect(alice.put(collection, new JsonObject().put("permissions",
        new JsonObject().put("read", new JsonArray().add("system.Authenticated")))), 200);
    assertThat(data(expect(bob.get(records + "/secret"), 200)).getInteger("pin")).isEqualTo(1234);
    assertKintoError(bob.get(records + "/does-not-exist"), 404, 110, "Not Found");
    assertKintoError(bob.put(records + "/secret", new JsonObject()), 403, 121, "Forbidden");
    assertKintoError(anonymous.get(records + "/secret"), 401, 104, "Unauthorized");
  }

  @Test
  void recordCreateLetsOthersAddTheirOwnRecords() {
    String collection = "/buckets/" + bucket + "/collections/c";
    expect(alice.put(collection, new JsonObject().put("permissions",
        new JsonObject().put("record:create", new JsonArray().add("system.Authenticated")))), 200);
    expect(bob.put(records + "/bobs", new JsonObject().put("data", new JsonObject().put("mine", true))), 201);
    JsonArray bobSees = new JsonObject(expect(bob.get(records), 200).body()).getJsonArray("data");
    assertThat(bobSees).hasSize(1);
    assertThat(new JsonObject(expect(alice.get(records), 200).body()).getJsonArray("data")).hasSize(2);
  }

  @Test
  void groupMembersGetWhatTheGroupIsGranted() {
    expect(alice.put("/buckets/" + bucket + "/groups/friends", new JsonObject().put("data",
        new JsonObject().put("members", new JsonArray().add("jwt:" + bobId)))), 201);
    assertKintoError(bob.get(records + "/secret"), 403, 121, "Forbidden");
    expect(alice.put("/buckets/" + bucket + "/collections/c", new JsonObject().put("permissions",
        new JsonObject().put("write", new JsonArray().add("/buckets/" + bucket + "/groups/friends")))), 200);
    expect(bob.put(records + "/secret", new JsonObject().put("data", new JsonObject().put("pin", 0))), 200);
    assertThat(data(expect(alice.get(records + "/secret"), 200)).getInteger("pin")).isEqualTo(0);
  }

  @Test
  void theDefaultBucketIsPrivateToEachUser() {
    expect(alice.put("/buckets/default/collections/notes/records/n1",
        new JsonObject().put("data", new JsonObject().put("text", "alice's"))), 201);
    var bobsList = expect(bob.get("/buckets/default/collections/notes/records"), 200);
    assertThat(new JsonObject(bobsList.body()).getJsonArray("data")).isEmpty();
    JsonObject alicesBucket = data(expect(alice.get("/buckets/default"), 200));
    JsonObject bobsBucket = data(expect(bob.get("/buckets/default"), 200));
    assertThat(alicesBucket.getString("id")).isNotEqualTo(bobsBucket.getString("id")).isNotEqualTo("default");
    assertKintoError(bob.get("/buckets/" + alicesBucket.getString("id") + "/collections/notes/records/n1"), 403,
        121, "Forbidden");
    assertKintoError(anonymous.get("/buckets/default/collections/notes/records"), 401, 104, "Unauthorized");
  }

  @Test
  void theBucketListShowsOnlyReadableBuckets() {
    String bobsBucket = SharedNode.unique("bobs");
    expect(bob.put("/buckets/" + bobsBucket, new JsonObject()), 201);
    JsonArray listed = new JsonObject(expect(bob.get("/buckets"), 200).body()).getJsonArray("data");
    assertThat(listed.stream().map(item -> ((JsonObject) item).getString("id")))
        .contains(bobsBucket).doesNotContain(bucket);
  }
}
