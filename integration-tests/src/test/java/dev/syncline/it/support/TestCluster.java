package dev.syncline.it.support;

import dev.syncline.gateway.node.Node;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * The settings of a cluster of test nodes: a cluster name no other run uses, and a free Hazelcast port per
 * member, all on 127.0.0.1 with TCP-IP join. HTTP and event-bus ports are left to the operating system.
 */
public final class TestCluster {
  private final String name = "it-" + UUID.randomUUID();
  private final List<Integer> memberPorts = new ArrayList<>();

  public TestCluster(int size) {
    for (int i = 0; i < size; i++) {
      memberPorts.add(FreePorts.next());
    }
  }

  /** The config of member {@code index}, as a config file would give it. */
  public JsonObject nodeConfig(int index, String pgUrl) {
    String members = memberPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    return new JsonObject()
        .put("http_host", "127.0.0.1")
        .put("http_port", 0)
        .put("backend_port", 0)
        .put("pg_url", pgUrl)
        .put("cluster_name", name)
        .put("cluster_host", "127.0.0.1")
        .put("cluster_port", memberPorts.get(index))
        .put("cluster_members", members)
        .put("cluster_failure_seconds", 5)
        .put("shutdown_seconds", 2);
  }

  /** The same settings as {@code SYNCLINE_*} environment variables, for a node run as its own process. */
  public Map<String, String> nodeEnv(int index, String pgUrl, int httpPort, int backendPort) {
    JsonObject config = nodeConfig(index, pgUrl).put("http_port", httpPort).put("backend_port", backendPort);
    Map<String, String> env = new HashMap<>();
    config.forEach(entry -> env.put("SYNCLINE_" + entry.getKey().toUpperCase(Locale.ROOT),
        String.valueOf(entry.getValue())));
    return env;
  }

  public static Node start(JsonObject config) {
    try {
      return Node.start(config).await(120, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("node did not start within 120s", e);
    }
  }

  /** Starts nodes together (each waits to join the others) and returns once every one sees them all. */
  public static List<Node> startTogether(JsonObject... configs) {
    List<Future<Node>> starting = Arrays.stream(configs).map(Node::start).toList();
    try {
      Future.all(starting).await(120, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("nodes did not start within 120s", e);
    }
    List<Node> nodes = starting.stream().map(Future::result).toList();
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> nodes.stream().allMatch(node -> node.members() == configs.length));
    return nodes;
  }

  public static void stop(Node node) {
    if (node == null) {
      return;
    }
    try {
      node.close().await(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("node did not stop within 60s", e);
    }
  }
}
