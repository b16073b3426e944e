package dev.syncline.storage.objects;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonStructure;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

/** The three ways Kinto lets a client change part of an object. */
public final class Patches {
  private Patches() {
  }

  /**
   * {@code application/json}: fields of {@code changes} replace those of {@code target}, objects merge
   * recursively, and a null is kept as a value.
   */
  public static JsonObject merge(JsonObject target, JsonObject changes) {
    return mergeInto(target.copy(), changes, false);
  }

  /** {@code application/merge-patch+json} (RFC 7386): like {@link #merge}, but a null removes the field. */
  public static JsonObject mergePatch(JsonObject target, JsonObject changes) {
    return mergeInto(target.copy(), changes, true);
  }

  private static JsonObject mergeInto(JsonObject target, JsonObject changes, boolean nullRemoves) {
    for (Map.Entry<String, Object> change : changes) {
      Object value = change.getValue();
      if (value == null && nullRemoves) {
        target.remove(change.getKey());
      } else if (value instanceof JsonObject nested && target.getValue(change.getKey()) instanceof JsonObject current) {
        target.put(change.getKey(), mergeInto(current, nested, nullRemoves));
      } else {
        target.put(change.getKey(), value);
      }
    }
    return target;
  }

  /**
   * {@code application/json-patch+json} (RFC 6902) applied to {@code {"data": ..., "permissions": ...}}, so that one
   * patch can change both. As in Kinto, each permission is a set keyed by principal while the patch applies:
   * {@code {"op": "add", "path": "/permissions/read/account:bob"}} grants (the value may be left out) and
   * {@code remove} on the same path revokes; a whole list may also be replaced at {@code /permissions/read}.
   * Returns the new data and the new permissions as lists, every permission of the kind present.
   */
  public static JsonObject jsonPatch(JsonObject data, JsonObject permissions, List<String> kindPermissions,
      JsonArray operations) {
    JsonObject sets = new JsonObject();
    for (String permission : kindPermissions) {
      JsonObject set = new JsonObject();
      permissions.getJsonArray(permission, new JsonArray()).forEach(principal -> set.put((String) principal,
          principal));
      sets.put(permission, set);
    }
    JsonArray completed = new JsonArray();
    for (Object item : operations) {
      if (item instanceof JsonObject op && !op.containsKey("value") && op.getValue("path") instanceof String path
          && path.startsWith("/permissions/") && path.split("/", -1).length == 4) {
        completed.add(op.copy().put("value", path.split("/", -1)[3]));
      } else {
        completed.add(item);
      }
    }
    JsonObject patched = apply(new JsonObject().put("data", data.copy()).put("permissions", sets), completed);
    JsonObject lists = new JsonObject();
    if (patched.getValue("permissions") instanceof JsonObject patchedSets) {
      for (String permission : patchedSets.fieldNames()) {
        Object value = patchedSets.getValue(permission);
        lists.put(permission, value instanceof JsonObject set ? new JsonArray(List.copyOf(set.fieldNames())) : value);
      }
    }
    for (String permission : kindPermissions) {
      lists.getMap().putIfAbsent(permission, new JsonArray());
    }
    return patched.put("permissions", lists);
  }

  private static JsonObject apply(JsonObject document, JsonArray operations) {
    try {
      JsonStructure source = Json.createReader(new StringReader(document.encode())).read();
      var patch = Json.createPatch(Json.createReader(new StringReader(operations.encode())).readArray());
      return new JsonObject(patch.apply(source).toString());
    } catch (JsonException | ClassCastException | IllegalArgumentException e) {
      throw new SynclineException(ErrorCode.INVALID_PARAMETERS, "Invalid JSON Patch: " + e.getMessage(),
          new JsonArray().add(new JsonObject().put("location", "body").put("name", "body")
              .put("description", String.valueOf(e.getMessage()))));
    }
  }
}
