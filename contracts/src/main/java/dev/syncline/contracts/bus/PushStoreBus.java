package dev.syncline.contracts.bus;

/**
 * The storage verticle's local addresses for Web Push: who the user agents are (uaid), which channels each has
 * registered, and the messages kept for them until acknowledged or expired.
 *
 * <p>Failures carry Kinto errnos: 201 (HTTP 503) when the database is unavailable, 202 (HTTP 410) when a message
 * is sent to a channel that is not registered, 111 (HTTP 404) when a message to delete does not exist.
 */
public final class PushStoreBus {
  /**
   * A user agent says hello. Request {@code {"uaid"?, "new_uaid", "node", "connected_at"}}: when {@code uaid} is a
   * known user agent it is kept (and its last contact noted), otherwise {@code new_uaid} is recorded; either way it
   * is now routed to {@code node}, for the connection opened at {@code connected_at}. Reply {@code {"uaid",
   * "known", "previous_node"?}}, the last naming the node that held the uaid's connection until now.
   */
  public static final String HELLO = "syncline.storage.push.hello";

  /**
   * Registers a channel. Request {@code {"uaid", "channel_id", "max_channels"}}. Reply {@code {"registered": true}},
   * or {@code {"registered": false}} when the uaid already has {@code max_channels} other channels. Registering a
   * channel twice is not an error.
   */
  public static final String REGISTER = "syncline.storage.push.register";

  /**
   * A connection closed: its route is removed unless a newer connection took it. Request {@code {"uaid", "node",
   * "connected_at"}}. Reply {@code {}}.
   */
  public static final String RELEASE = "syncline.storage.push.release";

  /** A node left the cluster: the routes naming it are removed. Request {@code {"node"}}. Reply {@code {}}. */
  public static final String FORGET_NODE = "syncline.storage.push.forget-node";

  /** Drops a channel and its stored messages. Request {@code {"uaid", "channel_id"}}. Reply {@code {}}. */
  public static final String UNREGISTER = "syncline.storage.push.unregister";

  /**
   * Keeps a message for a registered channel. Request {@code {"id", "uaid", "channel_id", "ttl", "topic"?,
   * "data"?, "headers"?}}; a {@code ttl} of 0 only checks that the channel is registered and stores nothing. A
   * {@code topic} replaces a stored message of the same channel and topic. Reply {@code {"seq"?, "timestamp",
   * "node"?}}, {@code node} being where the uaid is connected, if anywhere.
   * Fails with errno 202 when the channel is not registered.
   */
  public static final String STORE = "syncline.storage.push.store";

  /**
   * Unexpired messages of a uaid with {@code seq} above {@code after}, oldest first. Request {@code {"uaid",
   * "after", "limit"}}. Reply {@code {"messages": [message...]}}.
   */
  public static final String FETCH = "syncline.storage.push.fetch";

  /** Deletes acknowledged messages. Request {@code {"uaid", "ids": [...]}}. Reply {@code {"deleted": n}}. */
  public static final String ACK = "syncline.storage.push.ack";

  /** Deletes one undelivered message by id. Request {@code {"id"}}. Reply {@code {}}; fails with errno 111. */
  public static final String DELETE = "syncline.storage.push.delete";

  public static final String UAID = "uaid";
  public static final String NEW_UAID = "new_uaid";
  public static final String KNOWN = "known";
  public static final String NODE = "node";
  public static final String CONNECTED_AT = "connected_at";
  public static final String PREVIOUS_NODE = "previous_node";
  public static final String CHANNEL_ID = "channel_id";
  public static final String MAX_CHANNELS = "max_channels";
  public static final String REGISTERED = "registered";
  public static final String ID = "id";
  public static final String IDS = "ids";
  public static final String TTL = "ttl";
  public static final String TOPIC = "topic";
  /** The message body, base64url without padding, exactly as the user agent gets it. */
  public static final String DATA = "data";
  /** {@code {"encoding", "encryption"?, "crypto_key"?}}, present when there is data. */
  public static final String HEADERS = "headers";
  public static final String SEQ = "seq";
  public static final String TIMESTAMP = "timestamp";
  public static final String AFTER = "after";
  public static final String LIMIT = "limit";
  public static final String MESSAGES = "messages";
  public static final String DELETED = "deleted";

  private PushStoreBus() {
  }
}
