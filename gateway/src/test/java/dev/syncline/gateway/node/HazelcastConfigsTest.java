package dev.syncline.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import dev.syncline.contracts.config.SettingException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class HazelcastConfigsTest {

  @Test
  void defaultsJoinTheLocalTrioOverTcpWithoutMulticast() {
    Config config = HazelcastConfigs.of(ClusterSettings.from(new JsonObject()));
    var join = config.getNetworkConfig().getJoin();
    assertThat(config.getClusterName()).isEqualTo("syncline");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(config.getProperty("hazelcast.local.localAddress")).isEqualTo("127.0.0.1");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
  }

  @Test
  void vertxMapsStayDeclared() {
    Config config = HazelcastConfigs.of(ClusterSettings.from(new JsonObject()));
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
  }

  @Test
  void settingsReachTheMemberConfig() {
    Config config = HazelcastConfigs.of(ClusterSettings.from(new JsonObject()
        .put("cluster_name", "prod").put("cluster_host", "10.0.0.5").put("cluster_port", "6000")
        .put("cluster_members", "10.0.0.5:6000,10.0.0.6:6000").put("cluster_failure_seconds", "30")));
    assertThat(config.getClusterName()).isEqualTo("prod");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(6000);
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("10.0.0.5:6000", "10.0.0.6:6000");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("30");
  }

  @Test
  void kubernetesJoinUsesTheHeadlessServiceDns() {
    Config config = HazelcastConfigs.of(ClusterSettings.from(new JsonObject()
        .put("cluster_join", "kubernetes")
        .put("cluster_kubernetes_service_dns", "syncline-hz.sync.svc.cluster.local")));
    var join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("syncline-hz.sync.svc.cluster.local");
  }

  @Test
  void kubernetesJoinNeedsAService() {
    assertThatThrownBy(() -> ClusterSettings.from(new JsonObject().put("cluster_join", "kubernetes")))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("SYNCLINE_CLUSTER_KUBERNETES_SERVICE_DNS: required");
  }
}
