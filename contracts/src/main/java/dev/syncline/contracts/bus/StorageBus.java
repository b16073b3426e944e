package dev.syncline.contracts.bus;

/**
 * The storage verticle's local addresses and the fields of their requests and replies.
 *
 * <p>Object requests name the object by {@link #RESOURCE} and the ids of it and its ancestors ({@link #BUCKET},
 * {@link #COLLECTION}, {@link #GROUP}, {@link #ID}), and carry who asks ({@link #USER_ID}, {@link #PRINCIPALS}).
 * Replies carry {@link #DATA}, {@link #PERMISSIONS}, {@link #TIMESTAMP} and, for writes, {@link #CREATED}. List
 * requests carry a {@link #QUERY}; their replies a {@link #DATA} array, the list {@link #TIMESTAMP}, an optional
 * {@link #NEXT_TOKEN} and, when asked, {@link #TOTAL}. Refusals fail with the Kinto errno as failure code; those
 * that carry details use {@link dev.syncline.contracts.errors.FailureMessages}.
 */
public final class StorageBus {
  public static final String HEALTH = "syncline.storage.health";

  public static final String GET = "syncline.storage.object.get";
  public static final String PUT = "syncline.storage.object.put";
  public static final String PATCH = "syncline.storage.object.patch";
  public static final String DELETE = "syncline.storage.object.delete";
  public static final String CREATE = "syncline.storage.list.create";
  public static final String LIST = "syncline.storage.list.get";
  public static final String DELETE_LIST = "syncline.storage.list.delete";

  /**
   * Published (local) after each transaction that changed records of a collection, in timestamp order per
   * collection: {@code {bucket, collection, previous, timestamp, changes: [{id, type, old, new, timestamp}]}}, with
   * {@code type} insert, update or delete and {@code previous} the collection's timestamp before the transaction.
   */
  public static final String CHANGES = "syncline.storage.changes";

  /**
   * Published (local) after a committed write to a bucket, collection or group — their permissions or a group's
   * members may have changed who can read what in the bucket: {@code {bucket}}.
   */
  public static final String ACCESS_CHANGED = "syncline.storage.access.changed";

  public static final String RESOURCE = "resource";
  public static final String BUCKET = "bucket";
  public static final String COLLECTION = "collection";
  public static final String GROUP = "group";
  public static final String ID = "id";
  public static final String USER_ID = "user_id";
  public static final String PRINCIPALS = "principals";

  public static final String DATA = "data";
  public static final String PERMISSIONS = "permissions";
  /** For PATCH: "merge" (application/json), "merge-patch" or "json-patch"; the patch document is in DATA. */
  public static final String PATCH_TYPE = "patch_type";
  /** Precondition: a timestamp the object (or list) must have, or "*" for "must exist". */
  public static final String IF_MATCH = "if_match";
  /** Precondition: "*" for "must not exist", or a timestamp the object must not have. */
  public static final String IF_NONE_MATCH = "if_none_match";
  /** DELETE ?last_modified=N: the tombstone's timestamp if it is newer. */
  public static final String LAST_MODIFIED = "last_modified";

  public static final String QUERY = "query";
  public static final String FILTERS = "filters";
  public static final String SORT = "sort";
  public static final String LIMIT = "limit";
  public static final String TOKEN = "token";
  public static final String FIELDS = "fields";
  public static final String COUNT = "count";

  public static final String TIMESTAMP = "timestamp";
  public static final String CREATED = "created";
  /** Reply flag: the object still has the timestamp the client sent in If-None-Match. */
  public static final String NOT_MODIFIED = "not_modified";
  public static final String NEXT_TOKEN = "next_token";
  public static final String TOTAL = "total";
  /** Reply field on record writes while a bucket byte quota applies: bytes the bucket may still take. */
  public static final String QUOTA_REMAINING = "quota_remaining";

  /** Change event fields. */
  public static final String CHANGES_FIELD = "changes";
  public static final String PREVIOUS = "previous";
  public static final String TYPE = "type";
  public static final String OLD = "old";
  public static final String NEW = "new";

  private StorageBus() {
  }
}
