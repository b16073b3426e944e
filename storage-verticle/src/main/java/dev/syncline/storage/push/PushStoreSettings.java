package dev.syncline.storage.push;

import dev.syncline.contracts.config.ConfigReader;
import io.vertx.core.json.JsonObject;

/**
 * How the storage side of Web Push keeps house.
 *
 * @param purgeIntervalSeconds how often expired messages are deleted ({@code SYNCLINE_PUSH_PURGE_INTERVAL_SECONDS})
 */
public record PushStoreSettings(int purgeIntervalSeconds) {
  static final String PURGE_INTERVAL_SECONDS = "push_purge_interval_seconds";

  public static PushStoreSettings from(JsonObject config) {
    return new PushStoreSettings(new ConfigReader(config).integer(PURGE_INTERVAL_SECONDS, 60, 1, 86_400));
  }
}
