package dev.syncline.contracts.config;

import io.vertx.core.json.JsonObject;

/**
 * The id of the cluster member a verticle runs on. The launcher writes it into every verticle's config after the
 * node has joined; it is the cluster manager's own id, so it matches what membership events report.
 */
public record NodeIdentity(String nodeId) {
  public static final String KEY = "node_id";

  public static NodeIdentity from(JsonObject config) {
    String id = config.getString(KEY);
    if (id == null || id.isBlank()) {
      throw new IllegalStateException("config has no " + KEY + ": verticles are deployed by the node launcher");
    }
    return new NodeIdentity(id);
  }
}
