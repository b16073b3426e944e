package dev.syncline.contracts.bus;

/**
 * Live data's cluster traffic: each node that has subscribers to a collection consumes that collection's clustered
 * address, and the node where a change commits publishes the storage change message there (see
 * {@link StorageBus#CHANGES} for its fields). One consumer per node and collection, never one per connection.
 *
 * <p>The same holds for PubSub channels ({@link #channel}) and application models ({@link #model}); every node also
 * consumes its own {@link #node} address for requests about its connections. The local addresses are the live
 * verticle's service to the gateway's backend API; their failures carry {@code ErrorCode} errnos.
 */
public final class LiveBus {
  private static final String COLLECTION_PREFIX = "syncline.live.collection.";
  private static final String CHANNEL_PREFIX = "syncline.live.channel.";
  private static final String MODEL_PREFIX = "syncline.live.model.";
  private static final String NODE_PREFIX = "syncline.live.node.";

  /** Local. Request {@code {"channel", "message"}}; reply {@code {"channel", "offset"?}} (offset with history). */
  public static final String PUBLISH = "syncline.live.publish";

  /**
   * Local. Request {@code {"items": [{"dealer", "query"}], "ttl_seconds"?}}; reply {@code {"token", "expires_at"}}
   * (epoch seconds), a single-use token a client redeems with {@code datasync.acquire}.
   */
  public static final String AUTHORIZE = "syncline.live.authorize";

  /**
   * Local. Request {@code {"model", "deltas": [{"type", "data" | "newData", "oldData"}]}}; reply
   * {@code {"model", "deltas": n}} once they are on their way to every node.
   */
  public static final String DELTAS = "syncline.live.deltas";

  /** Request field of {@link #node}: what is asked, {@link #SEND} or {@link #USERS}. */
  public static final String ACTION = "action";
  /** {@code {"action": "send", "user_id", "event"}}, reply {@code {"connections": n}} reached on that node. */
  public static final String SEND = "send";
  /** {@code {"action": "users"}}, reply {@code {"node", "connections", "users": {"<user id>": n}}}. */
  public static final String USERS = "users";

  public static final String CHANNEL = "channel";
  public static final String MESSAGE = "message";
  public static final String OFFSET = "offset";
  public static final String USER_ID = "user_id";
  public static final String EVENT = "event";
  public static final String MODEL = "model";
  public static final String DELTAS_FIELD = "deltas";

  /** Clustered: every node's live verticle hears which buckets' permissions changed, to re-check subscriptions. */
  public static final String ACCESS = "syncline.live.access";

  private LiveBus() {
  }

  public static String collection(String bucketId, String collectionId) {
    return COLLECTION_PREFIX + bucketId + "/" + collectionId;
  }

  /** Clustered: {@code {"channel", "message", "offset"?}} for the nodes with subscribers to the channel. */
  public static String channel(String channel) {
    return CHANNEL_PREFIX + channel;
  }

  /** Clustered: {@code {"model", "deltas"}} posted by the application, for the nodes with acquired dealers. */
  public static String model(String model) {
    return MODEL_PREFIX + model;
  }

  /** Clustered, one consumer on each node: requests about that node's live connections ({@link #ACTION}). */
  public static String node(String nodeId) {
    return NODE_PREFIX + nodeId;
  }
}
