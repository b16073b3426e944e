package dev.syncline.gateway.webpush;

import dev.syncline.contracts.config.ConfigReader;
import io.vertx.core.json.JsonObject;

/**
 * Limits of the Web Push endpoint.
 *
 * @param maxMessageBytes largest message body ({@code SYNCLINE_PUSH_MAX_MESSAGE_BYTES}); RFC 8030 senders may
 *     count on 4096
 * @param maxTtlSeconds longest time a message is kept ({@code SYNCLINE_PUSH_MAX_TTL_SECONDS}); a larger TTL is
 *     lowered to it and the 201's {@code TTL} header says so
 */
public record WebPushSettings(int maxMessageBytes, int maxTtlSeconds) {
  static final String MAX_MESSAGE_BYTES = "push_max_message_bytes";
  static final String MAX_TTL_SECONDS = "push_max_ttl_seconds";

  public static WebPushSettings from(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    return new WebPushSettings(
        reader.integer(MAX_MESSAGE_BYTES, 4_096, 4_096, 1_048_576),
        reader.integer(MAX_TTL_SECONDS, 2_592_000, 0, 31_536_000));
  }
}
