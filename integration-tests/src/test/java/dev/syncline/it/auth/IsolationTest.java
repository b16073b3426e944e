package dev.syncline.it.auth;

import static dev.syncline.it.support.KintoClient.data;
import static dev.syncline.it.support.KintoClient.expect;
import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.it.support.Http;
import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.SharedNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * User B cannot read, write, list or count user A's records, in A's own bucket or A's default bucket, whichever
 * scheme each of them signs in with; and the same name under two schemes is two users.
 */
class IsolationTest {
  private static final String PASSWORD = "isolation password";

  static Stream<Arguments> pairs() {
    Function<String, KintoClient> hs = AuthNode::hs256;
    Function<String, KintoClient> oidc = AuthNode::oidc;
    Function<String, KintoClient> account = id -> AuthNode.account(id, PASSWORD);
    return Stream.of(
        Arguments.of("HS256", hs, "HS256", hs),
        Arguments.of("OIDC", oidc, "OIDC", oidc),
        Arguments.of("account", account, "account", account),
        Arguments.of("account", account, "HS256", hs),
        Arguments.of("HS256", hs, "OIDC", oidc),
        Arguments.of("OIDC", oidc, "account", account));
  }

  @ParameterizedTest(name = "A by {0}, B by {2}")
  @MethodSource("pairs")
  void bCannotTouchAsRecords(String aScheme, Function<String, KintoClient> aSignIn, String bScheme,
      Function<String, KintoClient> bSignIn) {
    KintoClient a = aSignIn.apply(SharedNode.unique("a"));
    KintoClient b = bSignIn.apply(SharedNode.unique("b"));

    String bucket = SharedNode.unique("bucket");
    a.collection(bucket, "c");
    assertIsolated(a, b, "/buckets/" + bucket + "/collections/c/records");

    expect(a.put("/buckets/default/collections/c", new JsonObject()), 201);
    String aDefault = data(expect(a.get("/buckets/default"), 200)).getString("id");
    assertIsolated(a, b, "/buckets/" + aDefault + "/collections/c/records");
    // B's own default bucket is another bucket: A's records do not show there either.
    assertThat(Http.json(expect(b.get("/buckets/default/collections/c/records"), 200)).getJsonArray("data"))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} and {2} with the same name")
  @MethodSource("pairs")
  void theSameNameUnderTwoSchemesIsTwoUsers(String aScheme, Function<String, KintoClient> aSignIn, String bScheme,
      Function<String, KintoClient> bSignIn) {
    if (aScheme.equals(bScheme)) {
      return;
    }
    String name = SharedNode.unique("same");
    KintoClient a = aSignIn.apply(name);
    KintoClient b = bSignIn.apply(name);
    String bucket = SharedNode.unique("bucket");
    a.collection(bucket, "c");
    assertIsolated(a, b, "/buckets/" + bucket + "/collections/c/records");
  }

  private static void assertIsolated(KintoClient a, KintoClient b, String records) {
    expect(a.put(records + "/secret", new JsonObject().put("data", new JsonObject().put("pin", 1234))), 201);
    assertForbidden(b.get(records + "/secret"));
    assertForbidden(b.put(records + "/secret", new JsonObject().put("data", new JsonObject().put("pin", 0))));
    assertForbidden(b.patch(records + "/secret", "{\"data\": {\"pin\": 0}}", "application/json"));
    assertForbidden(b.delete(records + "/secret"));
    assertForbidden(b.put(records + "/planted", new JsonObject()));
    HttpResponse<String> listed = b.get(records);
    if (listed.statusCode() == 200) {
      assertThat(Http.json(listed).getJsonArray("data")).isEmpty();
    } else {
      assertForbidden(listed);
    }
    HttpResponse<String> counted = b.head(records);
    assertThat(counted.statusCode()).isIn(200, 403);
    if (counted.statusCode() == 200) {
      assertThat(counted.headers().firstValue("Total-Records")).hasValue("0");
    }
    // Deleting the list removes what B may write, which is nothing: Kinto answers 200 with an empty list.
    HttpResponse<String> cleared = b.delete(records);
    if (cleared.statusCode() == 200) {
      assertThat(Http.json(cleared).getJsonArray("data")).isEmpty();
    } else {
      assertForbidden(cleared);
    }
    assertThat(data(expect(a.get(records + "/secret"), 200)).getInteger("pin")).isEqualTo(1234);
    assertThat(Http.json(expect(a.get(records), 200)).getJsonArray("data")).hasSize(1);
  }

  private static void assertForbidden(HttpResponse<String> response) {
    assertKintoError(response, 403, 121, "Forbidden");
  }
}
