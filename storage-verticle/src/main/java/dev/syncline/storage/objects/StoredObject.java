package dev.syncline.storage.objects;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** One row of {@code objects}: what a client sees is {@link #toJson()}. */
public record StoredObject(String id, long lastModified, boolean deleted, JsonObject data) {

  public static StoredObject of(Row row) {
    JsonObject data = row.getJsonObject("data");
    return new StoredObject(row.getString("id"), row.getLong("last_modified"), row.getBoolean("deleted"),
        data == null ? new JsonObject() : data);
  }

  /** The object as the API shows it: its data with {@code id} and {@code last_modified}; a tombstone's three keys. */
  public JsonObject toJson() {
    if (deleted) {
      return new JsonObject().put("id", id).put("last_modified", lastModified).put("deleted", true);
    }
    return data.copy().put("id", id).put("last_modified", lastModified);
  }
}
