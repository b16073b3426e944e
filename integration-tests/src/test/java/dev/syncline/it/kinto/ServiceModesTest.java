package dev.syncline.it.kinto;

import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static dev.syncline.it.support.KintoClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.Jwt;
import dev.syncline.it.support.KintoClient;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.SharedNode;
import dev.syncline.it.support.TestCluster;
import dev.syncline.it.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Read-only mode, Backoff and the end-of-service Alert, each from its setting. */
class ServiceModesTest {
  private Node node;

  @AfterEach
  void stop() {
    TestCluster.stop(node);
  }

  private KintoClient start(TestDatabase database, JsonObject settings) {
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, database.url())
        .put("jwt_secret", SharedNode.JWT_SECRET).mergeIn(settings));
    return new KintoClient("http://127.0.0.1:" + node.httpPort(), Jwt.forUser(SharedNode.JWT_SECRET, "alice"));
  }

  @Test
  void readOnlyRefusesWritesAndKeepsReads() {
    TestDatabase database = PostgresFixture.shared().newDatabase();
    KintoClient writer = start(database, new JsonObject());
    writer.collection("b", "c");
    expect(writer.put("/buckets/b/collections/c/records/r", new JsonObject()), 201);
    TestCluster.stop(node);

    KintoClient reader = start(database, new JsonObject().put("readonly", true));
    assertThat(new JsonObject(expect(reader.get("/"), 200).body()).getJsonObject("settings").getBoolean("readonly"))
        .isTrue();
    expect(reader.get("/buckets/b/collections/c/records/r"), 200);
    expect(reader.get("/buckets/b/collections/c/records"), 200);
    assertKintoError(reader.put("/buckets/b/collections/c/records/s", new JsonObject()), 405, 115,
        "Method Not Allowed");
    assertKintoError(reader.delete("/buckets/b/collections/c/records/r"), 405, 115, "Method Not Allowed");
    assertKintoError(reader.patch("/buckets/b/collections/c/records/r", "{}", "application/json"), 405, 115,
        "Method Not Allowed");
  }

  @Test
  void backoffAndSoftEndOfLifeAreAnnounced() {
    LocalDate eos = LocalDate.now().plusDays(30);
    KintoClient client = start(PostgresFixture.shared().newDatabase(), new JsonObject()
        .put("backoff_seconds", 7).put("backoff_in_flight", 0)
        .put("eos", eos.toString()).put("eos_message", "Moving house").put("eos_url", "https://example.test/eol"));
    var response = expect(client.get("/"), 200);
    assertThat(new JsonObject(response.body()).getString("eos")).isEqualTo(eos.toString());
    assertThat(response.headers().firstValue("Backoff")).hasValue("7");
    JsonObject alert = new JsonObject(response.headers().firstValue("Alert").orElseThrow());
    assertThat(alert).isEqualTo(new JsonObject().put("code", "soft-eol").put("message", "Moving house")
        .put("url", "https://example.test/eol"));
    expect(client.put("/buckets/b", new JsonObject()), 201);
  }

  @Test
  void noBackoffUnlessLoaded() {
    KintoClient client = start(PostgresFixture.shared().newDatabase(), new JsonObject().put("backoff_seconds", 7));
    assertThat(expect(client.get("/"), 200).headers().firstValue("Backoff")).isEmpty();
  }

  @Test
  void afterTheEndOfServiceEveryRequestIsGone() {
    KintoClient client = start(PostgresFixture.shared().newDatabase(),
        new JsonObject().put("eos", LocalDate.now().minusDays(1).toString()));
    var gone = client.get("/buckets");
    assertKintoError(gone, 410, 202, "Gone");
    assertThat(new JsonObject(gone.headers().firstValue("Alert").orElseThrow()).getString("code"))
        .isEqualTo("hard-eol");
    assertThat(Http.get("http://127.0.0.1:" + node.httpPort() + "/__heartbeat__").statusCode()).isEqualTo(200);
  }
}
