package dev.syncline.contracts.bus;

/**
 * The push verticle's addresses: a local health probe, and one clustered delivery address per node that every
 * connection on that node shares.
 */
public final class PushBus {
  public static final String HEALTH = "syncline.push.health";

  /** Field naming what a message to a node's delivery address asks for. */
  public static final String ACTION = "action";
  /** Action: answer with this node's id; proves a route to the node over the cluster. */
  public static final String ACTION_PING = "ping";
  /** Reply field: the id of the node that answered. */
  public static final String NODE = "node";

  private static final String NODE_PREFIX = "syncline.push.node.";

  private PushBus() {
  }

  public static String node(String nodeId) {
    return NODE_PREFIX + nodeId;
  }
}
