package dev.syncline.it.auth;

import static dev.syncline.it.support.KintoClient.data;
import static dev.syncline.it.support.KintoClient.expect;
import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.it.support.Http;
import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.SharedNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The accounts API and HTTP Basic, through HTTP on the shared node (sign-up on, one HS256 admin). */
class AccountsTest {
  private static final String PASSWORD = "correct horse battery";

  private final String aliceId = SharedNode.unique("alice");
  private final KintoClient anonymous = SharedNode.client(null);
  private final KintoClient admin = SharedNode.client(SharedNode.ACCOUNT_ADMIN);

  private static JsonObject password(String password) {
    return new JsonObject().put("data", new JsonObject().put("password", password));
  }

  private static KintoClient basic(String id, String password) {
    return KintoClient.basic(SharedNode.base(), id, password);
  }

  private static KintoClient raw(String authorization) {
    return KintoClient.withAuthorization(SharedNode.base(), authorization);
  }

  private HttpResponse<String> signUp(String id) {
    return expect(anonymous.put("/accounts/" + id, password(PASSWORD)), 201);
  }

  @Test
  void signUpAnswersTheAccountWithoutItsPassword() {
    var created = signUp(aliceId);
    JsonObject body = Http.json(created);
    assertThat(body.getJsonObject("data").getString("id")).isEqualTo(aliceId);
    assertThat(body.getJsonObject("data").getLong("last_modified")).isPositive();
    assertThat(body.getJsonObject("data").fieldNames()).doesNotContain("password", "password_hash");
    assertThat(body.getJsonObject("permissions").getJsonArray("write")).containsExactly("account:" + aliceId);
    assertThat(created.body()).doesNotContain(PASSWORD).doesNotContain("argon2");
  }

  @Test
  void theOwnerReadsChangesAndDeletesTheAccount() {
    signUp(aliceId);
    KintoClient alice = basic(aliceId, PASSWORD);
    var read = expect(alice.get("/accounts/" + aliceId), 200);
    assertThat(data(read).getString("id")).isEqualTo(aliceId);
    assertThat(read.body()).doesNotContain("password");

    expect(alice.patch("/accounts/" + aliceId, password("a new password!").encode(), "application/json"), 200);
    assertKintoError(alice.get("/accounts/" + aliceId), 401, 105, "Unauthorized");
    KintoClient renewed = basic(aliceId, "a new password!");
    expect(renewed.put("/accounts/" + aliceId, password("third password")), 200);
    KintoClient third = basic(aliceId, "third password");
    JsonArray listed = Http.json(expect(third.get("/accounts"), 200)).getJsonArray("data");
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getString("id")).isEqualTo(aliceId);

    var deleted = expect(third.delete("/accounts/" + aliceId), 200);
    assertThat(data(deleted).getBoolean("deleted")).isTrue();
    assertKintoError(third.get("/accounts/" + aliceId), 401, 105, "Unauthorized");
  }

  @Test
  void nobodyElseReadsChangesOrDeletesIt() {
    signUp(aliceId);
    String bobId = SharedNode.unique("bob");
    signUp(bobId);
    KintoClient bob = basic(bobId, PASSWORD);
    KintoClient jwtUser = SharedNode.client(SharedNode.unique("carol"));
    for (KintoClient other : new KintoClient[] {bob, jwtUser}) {
      assertKintoError(other.get("/accounts/" + aliceId), 403, 121, "Forbidden");
      assertKintoError(other.patch("/accounts/" + aliceId, password("hijacked!!").encode(), "application/json"),
          403, 121, "Forbidden");
      assertKintoError(other.delete("/accounts/" + aliceId), 403, 121, "Forbidden");
      assertKintoError(other.put("/accounts/" + aliceId, password("hijacked!!")), 403, 121, "Forbidden");
    }
    assertKintoError(anonymous.put("/accounts/" + aliceId, password("hijacked!!")), 403, 121, "Forbidden");
    var refused = anonymous.get("/accounts/" + aliceId);
    assertKintoError(refused, 401, 104, "Unauthorized");
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("Basic");
    assertKintoError(anonymous.get("/accounts"), 401, 104, "Unauthorized");
    assertThat(Http.json(expect(jwtUser.get("/accounts"), 200)).getJsonArray("data")).isEmpty();
    expect(basic(aliceId, PASSWORD).get("/accounts/" + aliceId), 200);
  }

  @Test
  void anAdminManagesEveryAccount() {
    signUp(aliceId);
    JsonArray all = Http.json(expect(admin.get("/accounts"), 200)).getJsonArray("data");
    assertThat(all.stream().map(a -> ((JsonObject) a).getString("id"))).contains(aliceId);
    assertThat(all.encode()).doesNotContain("password");
    expect(admin.get("/accounts/" + aliceId), 200);
    expect(admin.put("/accounts/" + aliceId, password("reset by admin")), 200);
    expect(basic(aliceId, "reset by admin").get("/accounts/" + aliceId), 200);
    String made = SharedNode.unique("made");
    expect(admin.put("/accounts/" + made, password(PASSWORD)), 201);
    expect(admin.delete("/accounts/" + made), 200);
    assertKintoError(admin.get("/accounts/" + made), 404, 110, "Not Found");
    assertKintoError(admin.delete("/accounts/" + made), 404, 110, "Not Found");
  }

  @Test
  void postCreatesWithTheIdFromTheBody() {
    var created = expect(anonymous.post("/accounts", new JsonObject().put("data",
        new JsonObject().put("id", aliceId).put("password", PASSWORD))), 201);
    assertThat(data(created).getString("id")).isEqualTo(aliceId);
    expect(basic(aliceId, PASSWORD).get("/accounts/" + aliceId), 200);
  }

  @Test
  void refusesBadPasswordsIdsAndBodies() {
    assertKintoError(anonymous.put("/accounts/" + aliceId, password("short")), 400, 107, "Bad Request");
    assertKintoError(anonymous.put("/accounts/" + aliceId, new JsonObject().put("data", new JsonObject())), 400,
        107, "Bad Request");
    assertKintoError(anonymous.put("/accounts/" + aliceId, new JsonObject().put("data",
        new JsonObject().put("password", 12345678))), 400, 107, "Bad Request");
    assertKintoError(anonymous.send("PUT", "/accounts/" + aliceId, "{not json", "Content-Type",
        "application/json"), 400, 106, "Bad Request");
    assertKintoError(anonymous.put("/accounts/" + aliceId, new JsonObject().put("data", new JsonObject()
        .put("id", "someone-else").put("password", PASSWORD))), 400, 107, "Bad Request");
    assertKintoError(anonymous.put("/accounts/bad:id", password(PASSWORD)), 400, 107, "Bad Request");
    assertKintoError(anonymous.send("PATCH", "/accounts", null), 405, 115, "Method Not Allowed");
    assertKintoError(basic(aliceId, PASSWORD).get("/accounts/" + aliceId), 401, 105, "Unauthorized");
  }

  @Test
  void basicCredentialsAreAcceptedOrRefused() {
    signUp(aliceId);
    String records = "/buckets/default/collections/notes/records";
    expect(basic(aliceId, PASSWORD).put(records + "/n1", new JsonObject().put("data",
        new JsonObject().put("x", 1))), 201);
    assertThat(data(expect(basic(aliceId, PASSWORD).get(records + "/n1"), 200)).getInteger("x")).isEqualTo(1);

    var wrong = basic(aliceId, "wrong password").get(records);
    assertKintoError(wrong, 401, 105, "Unauthorized");
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).isPresent();
    assertKintoError(basic(SharedNode.unique("nobody"), PASSWORD).get(records), 401, 105, "Unauthorized");
    assertKintoError(raw("Basic %%%not-base64%%%").get(records), 401, 105, "Unauthorized");
    assertKintoError(raw("Basic " + b64(aliceId + PASSWORD)).get(records), 401, 105, "Unauthorized");
    assertKintoError(raw("Basic " + b64(":" + PASSWORD)).get(records), 401, 105, "Unauthorized");
    assertKintoError(raw("Basic").get(records), 401, 104, "Unauthorized");
    assertThat(wrong.body()).doesNotContain("wrong password");
  }

  @Test
  void theRootShowsTheAccountUserAndTheCapability() {
    signUp(aliceId);
    JsonObject root = Http.json(expect(basic(aliceId, PASSWORD).get("/"), 200));
    assertThat(root.getJsonObject("capabilities").containsKey("accounts")).isTrue();
    JsonObject user = root.getJsonObject("user");
    assertThat(user.getString("id")).isEqualTo("account:" + aliceId);
    assertThat(user.getJsonArray("principals")).contains("account:" + aliceId, "system.Authenticated",
        "system.Everyone");
    assertThat(Http.json(expect(anonymous.get("/"), 200)).containsKey("user")).isFalse();
    assertKintoError(basic(aliceId, "wrong password").get("/"), 401, 105, "Unauthorized");
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
