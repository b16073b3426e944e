package dev.syncline.push;

import dev.syncline.contracts.config.ConfigReader;
import io.vertx.core.json.JsonObject;

/**
 * The limits of the push WebSocket, each a {@code SYNCLINE_PUSH_*} setting.
 *
 * @param maxFrameBytes largest text message a client may send; larger ones close the connection (1009)
 * @param maxChannels most channels one uaid may register; one more closes the connection (1008)
 * @param minPingIntervalSeconds least time between two client pings; a closer one closes with 4774
 * @param helloTimeoutSeconds how long a new connection has to send hello
 * @param pingIntervalSeconds how often the server sends a WebSocket ping to an idle connection
 * @param pongTimeoutSeconds how long the client has to answer that ping
 * @param maxQueue most messages a connection may hold unacknowledged or waiting to be written; a client that
 *     falls further behind is disconnected (its messages stay stored)
 */
public record PushSettings(
    int maxFrameBytes,
    int maxChannels,
    int minPingIntervalSeconds,
    int helloTimeoutSeconds,
    int pingIntervalSeconds,
    int pongTimeoutSeconds,
    int maxQueue) {

  static final String MAX_FRAME_BYTES = "push_max_frame_bytes";
  static final String MAX_CHANNELS = "push_max_channels";
  static final String MIN_PING_INTERVAL_SECONDS = "push_min_ping_interval_seconds";
  static final String HELLO_TIMEOUT_SECONDS = "push_hello_timeout_seconds";
  static final String PING_INTERVAL_SECONDS = "push_ping_interval_seconds";
  static final String PONG_TIMEOUT_SECONDS = "push_pong_timeout_seconds";
  static final String MAX_QUEUE = "push_max_queue";

  public static PushSettings from(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    return new PushSettings(
        reader.integer(MAX_FRAME_BYTES, 4_096, 256, 65_536),
        reader.integer(MAX_CHANNELS, 200, 1, 10_000),
        reader.integer(MIN_PING_INTERVAL_SECONDS, 45, 0, 3_600),
        reader.integer(HELLO_TIMEOUT_SECONDS, 10, 1, 300),
        reader.integer(PING_INTERVAL_SECONDS, 300, 1, 3_600),
        reader.integer(PONG_TIMEOUT_SECONDS, 10, 1, 300),
        reader.integer(MAX_QUEUE, 200, 2, 100_000));
  }

  /** Stored messages read per batch: half the queue, so messages arriving meanwhile still fit. */
  public int fetchBatch() {
    return Math.max(1, maxQueue / 2);
  }
}
