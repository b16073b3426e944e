package dev.syncline.it.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.FreePorts;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.TestCluster;
import dev.syncline.it.support.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with the npm web-push sender (aes128gcm, aesgcm, VAPID) and http_ece decryption, through one node
 * and across two. Skipped only when Node.js is not installed; installs its npm packages from the lock file itself.
 */
class PushInteropTest {
  private static final Path SCRIPTS = Path.of("src", "test", "node");

  private static Node first;
  private static Node second;
  private static int firstPort;
  private static int secondPort;

  @BeforeAll
  static void setUp() throws Exception {
    Assumptions.assumeTrue(run(List.of("node", "--version"), Path.of(".")).exit == 0, "Node.js is not installed");
    if (!Files.isDirectory(SCRIPTS.resolve("node_modules"))) {
      Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), SCRIPTS);
      assertThat(install.exit).as(install.output).isZero();
    }
    TestDatabase database = PostgresFixture.shared().newDatabase();
    TestCluster cluster = new TestCluster(2);
    firstPort = FreePorts.next();
    secondPort = FreePorts.next();
    List<Node> nodes = TestCluster.startTogether(
        cluster.nodeConfig(0, database.url()).put("http_port", firstPort)
            .put("public_url", "http://127.0.0.1:" + firstPort)
            .put("push_endpoint_keys", PushClusterTest.ENDPOINT_KEYS),
        cluster.nodeConfig(1, database.url()).put("http_port", secondPort)
            .put("public_url", "http://127.0.0.1:" + secondPort)
            .put("push_endpoint_keys", PushClusterTest.ENDPOINT_KEYS));
    first = nodes.get(0);
    second = nodes.get(1);
  }

  @AfterAll
  static void tearDown() {
    TestCluster.stop(first);
    TestCluster.stop(second);
  }

  @Test
  void webPushThroughOneNode() throws Exception {
    Result result = interop(firstPort, firstPort);
    assertThat(result.exit).as(result.output).isZero();
    assertThat(result.output).contains("OK aes128gcm", "OK aesgcm");
  }

  @Test
  void webPushAcrossTwoNodes() throws Exception {
    Result result = interop(secondPort, firstPort);
    assertThat(result.exit).as(result.output).isZero();
    assertThat(result.output).contains("OK aes128gcm", "OK aesgcm");
  }

  private static Result interop(int socketPort, int postPort) throws Exception {
    return run(List.of("node", "interop.js", "ws://127.0.0.1:" + socketPort + "/push",
        "http://127.0.0.1:" + postPort), SCRIPTS);
  }

  private record Result(int exit, String output) {
  }

  private static Result run(List<String> command, Path dir) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + command);
      }
      return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    }
  }
}
