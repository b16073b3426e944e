package dev.syncline.push.live;

import dev.syncline.contracts.config.ConfigReader;
import io.vertx.core.json.JsonObject;

/**
 * Limits and rules of live data.
 *
 * @param maxSubscriptions most subscriptions (data, acquired and channel) one connection may hold
 * @param maxFrameBytes largest frame a client may send
 * @param maxQueueBytes most bytes waiting to be written to one client; a client further behind is closed (4009)
 * @param pingSeconds interval of server pings; a client that has not answered the previous one is closed (4002)
 * @param tokenGraceSeconds time between the {@code token_expired} notification and closing the connection (4001)
 * @param gapWaitMillis how long a missing change (or channel offset) may take to arrive from another node before
 *     the subscription catches up from storage (or the channel's history)
 * @param authorizationSeconds default and longest life of a subscription token issued to the backend
 * @param channels who may use which PubSub channels, and their history
 * @param dealers the dealers of the application's models
 */
public record LiveSettings(
    int maxSubscriptions,
    int maxFrameBytes,
    int maxQueueBytes,
    int pingSeconds,
    int tokenGraceSeconds,
    int gapWaitMillis,
    int authorizationSeconds,
    ChannelRules channels,
    Dealers dealers) {

  public static LiveSettings from(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    return new LiveSettings(
        reader.integer("live_max_subscriptions", 100, 1, 100_000),
        reader.integer("live_max_frame_bytes", 65_536, 1_024, 16_777_216),
        reader.integer("live_max_queue_bytes", 1_048_576, 4_096, 1_073_741_824),
        reader.integer("live_ping_seconds", 90, 1, 3_600),
        reader.integer("live_token_grace_seconds", 30, 0, 3_600),
        reader.integer("live_gap_wait_millis", 500, 10, 60_000),
        reader.integer("live_authorization_seconds", 300, 1, 86_400),
        ChannelRules.from(config),
        Dealers.from(config));
  }
}
