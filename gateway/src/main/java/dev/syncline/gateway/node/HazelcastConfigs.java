package dev.syncline.gateway.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/** Turns {@link ClusterSettings} into a Hazelcast member configuration. */
final class HazelcastConfigs {
  private HazelcastConfigs() {
  }

  static Config of(ClusterSettings settings) {
    // Vert.x's defaults declare the maps its cluster manager relies on; we replace only the network part.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // The node leaves the cluster itself as part of its graceful shutdown.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(settings.failureSeconds()));
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.local.localAddress", settings.host());

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(false);

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    switch (settings.join()) {
      case TCP -> join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
      case KUBERNETES -> join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", settings.kubernetesServiceDns().orElseThrow())
          .setProperty("service-port", String.valueOf(settings.port()));
    }
    return config;
  }
}
