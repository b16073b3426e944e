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

  /**
   * Local address of this node's push verticle: routes a message that was just accepted (and, with a TTL, stored)
   * to the node holding its uaid, as the store answered it. Request {@code {"uaid", "node"?, "message": {...}}};
   * fire and forget.
   */
  public static final String ROUTE = "syncline.push.route";
  /** Action on a node's delivery address: hand {@link #MESSAGE} to the connection of {@link #UAID}, if here. */
  public static final String ACTION_NOTIFY = "notify";
  /** Action: close this node's connection of {@link #UAID} if it opened before {@link #CONNECTED_AT}. */
  public static final String ACTION_DROP = "drop";
  public static final String UAID = "uaid";
  public static final String MESSAGE = "message";
  public static final String CONNECTED_AT = "connected_at";
}
