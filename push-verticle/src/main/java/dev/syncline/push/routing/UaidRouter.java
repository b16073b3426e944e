package dev.syncline.push.routing;

import dev.syncline.contracts.bus.PushBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

/**
 * The cluster-wide table uaid -> node holding its connection, a Hazelcast map behind Vert.x clustered shared
 * data. Entries of a node that leaves the cluster are removed by the launcher's membership listener; a node that
 * loses a connection removes its own entry, but only while the entry still names it.
 */
public final class UaidRouter {
  private final AsyncMap<String, String> map;

  private UaidRouter(AsyncMap<String, String> map) {
    this.map = map;
  }

  public static Future<UaidRouter> open(Vertx vertx) {
    return vertx.sharedData().<String, String>getAsyncMap(PushBus.ROUTER_MAP).map(UaidRouter::new);
  }

  /** The node holding the uaid, or null. */
  public Future<String> nodeOf(String uaid) {
    return map.get(uaid);
  }

  public Future<Void> claim(String uaid, String nodeId) {
    return map.put(uaid, nodeId);
  }

  public Future<Boolean> release(String uaid, String nodeId) {
    return map.removeIfPresent(uaid, nodeId);
  }
}
