package dev.syncline.it.node;

import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.TestCluster;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a single node answers on its public and backend listeners, errors included. */
class HttpSurfaceTest {
  private static final String BACKEND_KEY = "backend-key-for-tests-0123456789";

  private static Node node;
  private static String api;
  private static String backend;

  @BeforeAll
  static void startNode() {
    String pgUrl = PostgresFixture.shared().newDatabase().url();
    JsonObject config = new TestCluster(1).nodeConfig(0, pgUrl)
        .put("backend_key", "older-key-still-accepted-0000," + BACKEND_KEY)
        .put("max_body_bytes", 4096)
        .put("public_url", "https://sync.example.test");
    node = TestCluster.start(config);
    api = "http://127.0.0.1:" + node.httpPort();
    backend = "http://127.0.0.1:" + node.backendPort();
  }

  @AfterAll
  static void stopNode() {
    TestCluster.stop(node);
  }

  @Test
  void lbHeartbeatAnswersWhileTheProcessServes() {
    HttpResponse<String> response = Http.get(api + "/__lbheartbeat__");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.json(response)).isEqualTo(new JsonObject());
  }

  @Test
  void heartbeatReportsEveryComponent() {
    HttpResponse<String> response = Http.get(api + "/__heartbeat__");
    JsonObject body = Http.json(response);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body.getBoolean("storage")).isTrue();
    assertThat(body.getBoolean("cluster")).isTrue();
    assertThat(body.getBoolean("token")).isTrue();
    assertThat(body.getBoolean("push")).isTrue();
    assertThat(body.getString("node")).isEqualTo(node.nodeId());
    assertThat(body.getInteger("cluster_members")).isEqualTo(1);
  }

  @Test
  void versionNamesTheBuild() {
    JsonObject body = Http.json(Http.get(api + "/__version__"));
    assertThat(body.getString("name")).isEqualTo("syncline");
    assertThat(body.getString("version")).isNotBlank().doesNotContain("${");
    assertThat(body.getString("commit")).isNotBlank().doesNotContain("${");
  }

  @Test
  void rootRedirectsToTheVersionedApi() {
    for (String path : new String[] {"/", "/v1"}) {
      HttpResponse<String> response = Http.get(api + path);
      assertThat(response.statusCode()).as(path).isEqualTo(307);
      assertThat(response.headers().firstValue("Location")).as(path).hasValue("/v1/");
    }
  }

  @Test
  void versionedRootIsWhatKintoClientsRead() {
    HttpResponse<String> response = Http.get(api + "/v1/", "Content-Type", "application/json");
    JsonObject body = Http.json(response);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body.getValue("http_api_version")).isEqualTo("1.23");
    assertThat(body.getString("project_name")).isEqualTo("syncline");
    assertThat(body.getString("project_version")).isNotBlank();
    assertThat(body.getString("url")).isEqualTo("https://sync.example.test/v1/");
    assertThat(body.getJsonObject("settings").getInteger("batch_max_requests")).isEqualTo(25);
    assertThat(body.getJsonObject("settings").getBoolean("readonly")).isFalse();
    assertThat(body.getJsonObject("capabilities")).isNotNull();
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
  }

  @Test
  void unknownUrlIsAKinto404() {
    assertKintoError(Http.get(api + "/v1/nothing/here"), 404, 111, "Not Found");
  }

  @Test
  void wrongMethodIsAKinto405() {
    assertKintoError(Http.send("DELETE", api + "/v1/", null), 405, 115, "Method Not Allowed");
    assertKintoError(Http.send("POST", api + "/__heartbeat__", "{}"), 405, 115, "Method Not Allowed");
  }

  @Test
  void bodyOverTheConfiguredLimitIsAKinto413() {
    assertKintoError(Http.send("POST", api + "/v1/", "x".repeat(4097)), 413, 113, "Request Entity Too Large");
  }

  @Test
  void bodyAtTheLimitIsNotRefusedForItsSize() {
    // The route refuses the method; what matters is that the size check let exactly 4096 bytes through.
    assertKintoError(Http.send("POST", api + "/v1/", "x".repeat(4096)), 405, 115, "Method Not Allowed");
  }

  @Test
  void backendServesMetricsWithoutAKey() {
    Http.get(api + "/__heartbeat__");
    HttpResponse<String> response = Http.get(backend + "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("vertx_http_server_requests_total")
        .contains("vertx_pool_in_use{pool_name=\"syncline-pg\",pool_type=\"sql\"}")
        .contains("vertx_eventbus_")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void backendServesHealthWithoutAKey() {
    assertThat(Http.get(backend + "/__heartbeat__").statusCode()).isEqualTo(200);
    assertThat(Http.get(backend + "/__lbheartbeat__").statusCode()).isEqualTo(200);
    assertThat(Http.get(backend + "/__version__").statusCode()).isEqualTo(200);
  }

  @Test
  void backendApiNeedsTheKey() {
    HttpResponse<String> missing = Http.get(backend + "/v1/anything");
    assertKintoError(missing, 401, 104, "Unauthorized");
    assertThat(missing.headers().firstValue("WWW-Authenticate")).isPresent();
    assertKintoError(Http.get(backend + "/v1/anything", "X-Backend-Key", BACKEND_KEY + "x"), 401, 105,
        "Unauthorized");
  }

  @Test
  void everyConfiguredBackendKeyIsAccepted() {
    // Past the key check, an unknown path is a plain 404: the key was accepted.
    assertKintoError(Http.get(backend + "/v1/anything", "X-Backend-Key", BACKEND_KEY), 404, 111, "Not Found");
    assertKintoError(Http.get(backend + "/v1/anything", "X-Backend-Key", "older-key-still-accepted-0000"), 404,
        111, "Not Found");
  }

  @Test
  void backendListenerIsNotThePublicOne() {
    assertKintoError(Http.get(api + "/metrics"), 404, 111, "Not Found");
  }

}
