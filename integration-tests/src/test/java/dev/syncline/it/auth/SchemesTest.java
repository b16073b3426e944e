package dev.syncline.it.auth;

import static dev.syncline.it.support.KintoClient.expect;
import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.it.support.Http;
import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.SharedNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The root names the user of every scheme; account lockout through HTTP. */
class SchemesTest {
  private static final String PASSWORD = "schemes password";

  private static JsonObject user(KintoClient client) {
    JsonObject root = Http.json(expect(client.get("/"), 200));
    assertThat(root.getJsonObject("capabilities").containsKey("accounts")).isTrue();
    return root.getJsonObject("user");
  }

  @Test
  void theRootShowsTheHs256User() {
    String sub = SharedNode.unique("hs");
    JsonObject user = user(AuthNode.hs256(sub));
    assertThat(user.getString("id")).isEqualTo("jwt:" + sub);
    assertThat(user.getJsonArray("principals")).contains("jwt:" + sub, "system.Authenticated", "system.Everyone");
  }

  @Test
  void theRootShowsTheOidcUser() {
    String sub = SharedNode.unique("oidc");
    JsonObject user = user(AuthNode.oidc(sub));
    assertThat(user.getString("id")).isEqualTo("idp:" + sub);
    assertThat(user.getJsonArray("principals")).contains("idp:" + sub, "system.Authenticated", "system.Everyone");
  }

  @Test
  void theRootShowsTheAccountUser() {
    String id = SharedNode.unique("acct");
    JsonObject user = user(AuthNode.account(id, PASSWORD));
    assertThat(user.getString("id")).isEqualTo("account:" + id);
    assertThat(user.getJsonArray("principals")).contains("account:" + id, "system.Authenticated",
        "system.Everyone");
  }

  @Test
  void failuresUnderTheLimitLeaveTheAccountUsable() {
    String id = SharedNode.unique("edge");
    KintoClient right = AuthNode.account(id, PASSWORD);
    KintoClient wrong = KintoClient.basic(AuthNode.base(), id, "not the password");
    for (int i = 1; i < AuthNode.LOCKOUT_FAILURES; i++) {
      assertKintoError(wrong.get("/accounts/" + id), 401, 105, "Unauthorized");
    }
    expect(right.get("/accounts/" + id), 200);
  }

  @Test
  void theNthFailureLocksTheAccountOutWithRetryAfter() {
    String id = SharedNode.unique("locked");
    KintoClient right = AuthNode.account(id, PASSWORD);
    KintoClient wrong = KintoClient.basic(AuthNode.base(), id, "not the password");
    for (int i = 1; i < AuthNode.LOCKOUT_FAILURES; i++) {
      assertKintoError(wrong.get("/accounts/" + id), 401, 105, "Unauthorized");
    }
    HttpResponse<String> nth = wrong.get("/accounts/" + id);
    assertKintoError(nth, 429, 117, "Too Many Requests");
    long retryAfter = Long.parseLong(nth.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, (long) AuthNode.LOCKOUT_SECONDS);
    // Locked means locked: the right password waits too, and so do batch sub-requests.
    assertKintoError(right.get("/accounts/" + id), 429, 117, "Too Many Requests");
    assertKintoError(right.get("/buckets/default/collections/c/records"), 429, 117, "Too Many Requests");
    // Another account is not affected.
    expect(AuthNode.account(SharedNode.unique("other"), PASSWORD).get("/"), 200);
  }
}
