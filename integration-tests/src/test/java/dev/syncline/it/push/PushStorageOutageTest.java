package dev.syncline.it.push;

import static dev.syncline.it.support.KintoErrors.assertKintoError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.FreePorts;
import dev.syncline.it.support.PushClient;
import dev.syncline.it.support.TestCluster;
import dev.syncline.it.support.WebPushSender;
import dev.syncline.storage.embedded.EmbeddedDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without its database a node refuses messages with 503 and Retry-After, never a 201 it could not keep. */
class PushStorageOutageTest {
  @TempDir
  Path pgDir;

  private EmbeddedDatabase database;
  private Node node;

  @AfterEach
  void cleanUp() {
    TestCluster.stop(node);
    if (database != null) {
      database.close();
    }
  }

  @Test
  void messagesAreRefusedWhileStorageIsDown() {
    int pgPort = FreePorts.next();
    int port = FreePorts.next();
    database = EmbeddedDatabase.startOwned(pgDir, pgPort);
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, database.url()).put("http_port", port)
        .put("public_url", "http://127.0.0.1:" + port));
    String endpoint;
    try (PushClient client = PushClient.hello(port, null)) {
      endpoint = client.register();
    }

    database.close();
    database = null;

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> response = WebPushSender.post(endpoint, 60, new byte[] {1});
      assertKintoError(response, 503, 201, "Service Unavailable");
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
    });
    try (PushClient client = PushClient.connect(port)) {
      client.sendText("{\"messageType\":\"hello\",\"use_webpush\":true}");
      assertThat(client.closeCode()).isEqualTo(1013);
    }
  }
}
