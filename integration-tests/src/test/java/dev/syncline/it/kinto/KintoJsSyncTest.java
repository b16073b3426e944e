package dev.syncline.it.kinto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.syncline.gateway.node.Node;
import dev.syncline.it.support.Jwt;
import dev.syncline.it.support.PostgresFixture;
import dev.syncline.it.support.SharedNode;
import dev.syncline.it.support.TestCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real npm clients, unmodified, against a node: kinto-http 5.3.0 for the plain API and two Kinto.js 17.1.1
 * devices syncing one collection. The checks are in {@code src/test/js/kinto-proof.mjs}, which also runs by hand
 * against any node; this test gives it a node of its own and two users.
 */
class KintoJsSyncTest {
  private static final Logger LOG = LoggerFactory.getLogger(KintoJsSyncTest.class);
  private static final Path PROJECT = Path.of("src", "test", "js").toAbsolutePath();
  private static final String SECRET = "kinto-js-proof-hs256-secret-0123456789";
  private static final Duration NPM_LIMIT = Duration.ofMinutes(5);
  private static final Duration PROOF_LIMIT = Duration.ofMinutes(3);

  private static Node node;

  @BeforeAll
  static void nodeAndClients() throws Exception {
    assumeTrue(nodeOnPath(), "node is not on PATH: the npm clients cannot run");
    if (!Files.isDirectory(PROJECT.resolve("node_modules"))) {
      assertThat(run(NPM_LIMIT, "npm", "ci", "--no-audit", "--no-fund").exitCode())
          .as("npm ci in %s", PROJECT).isZero();
    }
    // 60 records against 25 per batch make Kinto.js split its push; 20 per page make its pull follow Next-Page.
    node = TestCluster.start(new TestCluster(1).nodeConfig(0, PostgresFixture.shared().newDatabase().url())
        .put("jwt_secret", SECRET)
        .put("batch_max_requests", 25)
        .put("page_size", 20));
  }

  @AfterAll
  static void stopNode() {
    TestCluster.stop(node);
  }

  @Test
  void kintoHttpAndTwoKintoJsDevicesWorkUnchanged() throws Exception {
    String remote = "http://127.0.0.1:" + node.httpPort() + "/v1";
    String alice = Jwt.forUser(SECRET, SharedNode.unique("alice"));
    String bob = Jwt.forUser(SECRET, SharedNode.unique("bob"));

    Run proof = run(PROOF_LIMIT, "node", "kinto-proof.mjs", remote, alice, bob);

    assertThat(proof.exitCode()).as("kinto-proof.mjs ended with: %s", proof.lastLine()).isZero();
    assertThat(proof.lastLine()).startsWith("kinto-proof: all ");
  }

  private record Run(int exitCode, List<String> output) {
    String lastLine() {
      return output.isEmpty() ? "(no output)" : output.get(output.size() - 1);
    }
  }

  /** Runs a command in the npm project, its output line by line into the test log; -1 when it outlived the limit. */
  private static Run run(Duration limit, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
    List<String> output = Collections.synchronizedList(new ArrayList<>());
    Thread pump = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        lines.lines().forEach(line -> {
          output.add(line);
          LOG.info("[{}] {}", command[0], line);
        });
      } catch (IOException e) {
        // the process is gone; what it printed so far is all there is
      }
    }, "kinto-proof-output");
    pump.setDaemon(true);
    pump.start();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      output.add(String.join(" ", command[0], command[1]) + " did not finish within " + limit);
      return new Run(-1, List.copyOf(output));
    }
    pump.join(10_000);
    return new Run(process.exitValue(), List.copyOf(output));
  }

  private static boolean nodeOnPath() {
    try {
      return new ProcessBuilder("node", "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
