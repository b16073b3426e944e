package dev.syncline.gateway.node;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import dev.syncline.contracts.bus.PushStoreBus;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the push routes of a member that left the cluster, so that nothing is routed to a node that is gone.
 * Vert.x keeps the cluster manager's own node listener for itself, so this listens on Hazelcast's membership
 * directly; the member's UUID is the Vert.x node id. Every survivor does it: the removal is idempotent.
 */
final class PushRoutesJanitor implements MembershipListener {
  private static final Logger LOG = LoggerFactory.getLogger(PushRoutesJanitor.class);

  private final Vertx vertx;

  private PushRoutesJanitor(Vertx vertx) {
    this.vertx = vertx;
  }

  static void watch(Vertx vertx, HazelcastClusterManager clusterManager) {
    clusterManager.getHazelcastInstance().getCluster().addMembershipListener(new PushRoutesJanitor(vertx));
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    // A new member has no connections yet.
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    String departed = event.getMember().getUuid().toString();
    vertx.eventBus().request(PushStoreBus.FORGET_NODE, new JsonObject().put(PushStoreBus.NODE, departed),
            new DeliveryOptions().setLocalOnly(true))
        .onSuccess(done -> LOG.info("Removed the push routes of departed node {}", departed))
        // Left behind, a route only sends messages to an address nobody consumes: they stay stored.
        .onFailure(failure -> LOG.warn("Could not remove the push routes of departed node {}: {}", departed,
            failure.getMessage()));
  }
}
