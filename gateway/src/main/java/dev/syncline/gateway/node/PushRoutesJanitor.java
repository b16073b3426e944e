package dev.syncline.gateway.node;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.query.Predicates;
import dev.syncline.contracts.bus.PushBus;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the push router's entries of a member that left the cluster, so that nothing is routed to a node that
 * is gone. Vert.x keeps the cluster manager's own node listener for itself, so this listens on Hazelcast's
 * membership directly; the member's UUID is the Vert.x node id. Every survivor does it: the removal is idempotent.
 */
final class PushRoutesJanitor implements MembershipListener {
  private static final Logger LOG = LoggerFactory.getLogger(PushRoutesJanitor.class);

  private final Vertx vertx;
  private final HazelcastClusterManager clusterManager;

  private PushRoutesJanitor(Vertx vertx, HazelcastClusterManager clusterManager) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
  }

  static void watch(Vertx vertx, HazelcastClusterManager clusterManager) {
    clusterManager.getHazelcastInstance().getCluster()
        .addMembershipListener(new PushRoutesJanitor(vertx, clusterManager));
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    // A new member has no connections yet.
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    String departed = event.getMember().getUuid().toString();
    // Hazelcast calls listeners on its event threads; the map operation blocks, so it runs on a worker.
    vertx.executeBlocking(() -> {
      if (clusterManager.isActive()) {
        clusterManager.getHazelcastInstance().<String, String>getMap(PushBus.ROUTER_MAP)
            .removeAll(Predicates.equal("this", departed));
      }
      return null;
    }, false)
        .onSuccess(done -> LOG.info("Removed the push routes of departed node {}", departed))
        .onFailure(failure -> LOG.warn("Could not remove the push routes of departed node {}: {}", departed,
            failure.getMessage()));
  }
}
