package dev.syncline.gateway.logging;

import dev.syncline.contracts.config.ConfigReader;
import io.vertx.core.json.JsonObject;

/**
 * Chooses the logback configuration before the first logger exists: readable lines by default, one JSON object
 * per line with {@code SYNCLINE_LOG_FORMAT=json}.
 */
public enum LogFormat {
  TEXT("logback.xml"),
  JSON("logback-json.xml");

  static final String LOG_FORMAT = "log_format";

  private final String resource;

  LogFormat(String resource) {
    this.resource = resource;
  }

  public static LogFormat from(JsonObject config) {
    return new ConfigReader(config).choice(LOG_FORMAT, TEXT);
  }

  /** Must run before any class asks for a logger. */
  public void install() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", resource);
    }
    System.setProperty("hazelcast.logging.type", "slf4j");
  }
}
