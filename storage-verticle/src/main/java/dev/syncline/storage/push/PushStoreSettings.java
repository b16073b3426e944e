package dev.syncline.storage.push;

import dev.syncline.contracts.config.ConfigReader;
import io.vertx.core.json.JsonObject;

/**
 * How the storage side of Web Push keeps house.
 *
 * @param purgeIntervalSeconds how often expired messages are deleted ({@code SYNCLINE_PUSH_PURGE_INTERVAL_SECONDS})
 * @param writeBatch most messages stored, or acknowledgements deleted, by one statement
 *     ({@code SYNCLINE_PUSH_WRITE_BATCH}; 1 sends each on its own)
 * @param writeConcurrency most such statements running at once, per kind ({@code SYNCLINE_PUSH_WRITE_CONCURRENCY});
 *     what arrives while they run waits and goes out in the next batch
 */
public record PushStoreSettings(int purgeIntervalSeconds, int writeBatch, int writeConcurrency) {
  static final String PURGE_INTERVAL_SECONDS = "push_purge_interval_seconds";
  static final String WRITE_BATCH = "push_write_batch";
  static final String WRITE_CONCURRENCY = "push_write_concurrency";

  public static PushStoreSettings from(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    return new PushStoreSettings(reader.integer(PURGE_INTERVAL_SECONDS, 60, 1, 86_400),
        reader.integer(WRITE_BATCH, 128, 1, 1_000), reader.integer(WRITE_CONCURRENCY, 1, 1, 64));
  }
}
