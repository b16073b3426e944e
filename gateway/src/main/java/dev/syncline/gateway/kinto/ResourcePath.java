package dev.syncline.gateway.kinto;

import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * A Kinto URL split into what it names: an object ({@code /buckets/b/collections/c}) or a list
 * ({@code /buckets/b/collections}), with the ids of the object and its ancestors.
 */
record ResourcePath(String resource, boolean list, JsonObject ids) {
  private static final Pattern ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]*");
  private static final int MAX_ID_LENGTH = 256;

  /** Null when the path names nothing the API serves. */
  static ResourcePath parse(String path) {
    String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    String[] parts = trimmed.split("/", -1);
    if (parts.length < 2 || !parts[0].isEmpty() || !parts[1].equals("buckets")) {
      return null;
    }
    JsonObject ids = new JsonObject();
    return switch (parts.length) {
      case 2 -> new ResourcePath("bucket", true, ids);
      case 3 -> new ResourcePath("bucket", false, ids.put(StorageBus.BUCKET, id(parts[2])));
      case 4 -> child(parts[3], true, ids.put(StorageBus.BUCKET, id(parts[2])), null);
      case 5 -> child(parts[3], false, ids.put(StorageBus.BUCKET, id(parts[2])), id(parts[4]));
      case 6 -> parts[3].equals("collections") && parts[5].equals("records")
          ? new ResourcePath("record", true, ids.put(StorageBus.BUCKET, id(parts[2]))
              .put(StorageBus.COLLECTION, id(parts[4])))
          : null;
      case 7 -> parts[3].equals("collections") && parts[5].equals("records")
          ? new ResourcePath("record", false, ids.put(StorageBus.BUCKET, id(parts[2]))
              .put(StorageBus.COLLECTION, id(parts[4])).put(StorageBus.ID, id(parts[6])))
          : null;
      default -> null;
    };
  }

  private static ResourcePath child(String plural, boolean list, JsonObject ids, String id) {
    return switch (plural) {
      case "collections" -> new ResourcePath("collection", list,
          id == null ? ids : ids.put(StorageBus.COLLECTION, id));
      case "groups" -> new ResourcePath("group", list, id == null ? ids : ids.put(StorageBus.GROUP, id));
      default -> null;
    };
  }

  private static String id(String segment) {
    if (segment.length() > MAX_ID_LENGTH || !ID.matcher(segment).matches()) {
      throw new SynclineException(ErrorCode.INVALID_PARAMETERS, "Invalid id '" + segment + "'",
          new JsonArray().add(new JsonObject().put("location", "path").put("name", "id")
              .put("description", "ids match " + ID.pattern() + " and have at most " + MAX_ID_LENGTH
                  + " characters")));
    }
    return segment;
  }

  /** The storage request naming this object or list. */
  JsonObject storageRequest() {
    return ids.copy().put(StorageBus.RESOURCE, resource);
  }
}
