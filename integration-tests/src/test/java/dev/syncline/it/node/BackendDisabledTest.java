package dev.syncline.it.node;

import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Http;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Without SYNCLINE_BACKEND_KEY the backend listener serves metrics and health, and nothing else to anyone. */
class BackendDisabledTest {
  private static Node node;
  private static String backend;

  @BeforeAll
  static void startNode() {
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, PostgresFixture.shared().newDatabase().url()));
    backend = "http://127.0.0.1:" + node.backendPort();
  }

  @AfterAll
  static void stopNode() {
    TestCluster.stop(node);
  }

  @Test
  void metricsAndHealthStillAnswer() {
    assertThat(Http.get(backend + "/metrics").statusCode()).isEqualTo(200);
    assertThat(Http.get(backend + "/__heartbeat__").statusCode()).isEqualTo(200);
  }

  @Test
  void theBackendApiIsAbsentWhateverKeyIsSent() {
    assertKintoError(Http.get(backend + "/v1/anything"), 404, 111, "Not Found");
    assertKintoError(Http.get(backend + "/v1/anything", "X-Backend-Key", "guess-guess-guess-guess"), 404, 111,
        "Not Found");
  }
}
