package dev.syncline.gateway.node;

import dev.syncline.contracts.config.ConfigReader;
import dev.syncline.contracts.config.SettingException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * How a node finds and talks to the other members.
 *
 * @param name Hazelcast cluster name; only members with the same name join each other
 * @param host address this member binds to and advertises, for Hazelcast and the event bus
 * @param port Hazelcast member port
 * @param busPort event-bus port, 0 for any free one
 * @param join how members are discovered
 * @param members TCP-IP join list, {@code host:port} each
 * @param kubernetesServiceDns headless service name resolved for members when joining on Kubernetes
 * @param failureSeconds how long a silent member is kept before it is declared gone
 */
public record ClusterSettings(
    String name,
    String host,
    int port,
    int busPort,
    Join join,
    List<String> members,
    Optional<String> kubernetesServiceDns,
    int failureSeconds) {

  public enum Join { TCP, KUBERNETES }

  static final String CLUSTER_NAME = "cluster_name";
  static final String CLUSTER_HOST = "cluster_host";
  static final String CLUSTER_PORT = "cluster_port";
  static final String CLUSTER_BUS_PORT = "cluster_bus_port";
  static final String CLUSTER_JOIN = "cluster_join";
  static final String CLUSTER_MEMBERS = "cluster_members";
  static final String CLUSTER_KUBERNETES_SERVICE_DNS = "cluster_kubernetes_service_dns";
  static final String CLUSTER_FAILURE_SECONDS = "cluster_failure_seconds";

  public static ClusterSettings from(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    ClusterSettings settings = new ClusterSettings(
        reader.string(CLUSTER_NAME, "syncline"),
        reader.string(CLUSTER_HOST, "127.0.0.1"),
        reader.integer(CLUSTER_PORT, 5701, 1, 65535),
        reader.port(CLUSTER_BUS_PORT, 0),
        reader.choice(CLUSTER_JOIN, Join.TCP),
        reader.list(CLUSTER_MEMBERS, List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703")),
        reader.optionalString(CLUSTER_KUBERNETES_SERVICE_DNS),
        reader.integer(CLUSTER_FAILURE_SECONDS, 10, 2, 600));
    if (settings.join == Join.KUBERNETES && settings.kubernetesServiceDns.isEmpty()) {
      throw new SettingException(ConfigReader.envName(CLUSTER_KUBERNETES_SERVICE_DNS)
          + ": required when " + ConfigReader.envName(CLUSTER_JOIN) + " is kubernetes");
    }
    for (String member : settings.members) {
      if (!member.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
        throw ConfigReader.invalid(CLUSTER_MEMBERS, member, "host or host:port entries separated by commas");
      }
    }
    return settings;
  }
}
