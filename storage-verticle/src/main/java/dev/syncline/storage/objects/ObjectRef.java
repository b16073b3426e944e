package dev.syncline.storage.objects;

import dev.syncline.contracts.bus.StorageBus;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an object lives: its kind, its id (null when the reference names a list) and its ancestors' ids.
 *
 * <p>An object's URI is {@code /buckets/b}, {@code /buckets/b/collections/c}, {@code /buckets/b/groups/g} or
 * {@code /buckets/b/collections/c/records/r}; its parent id, the key its list is stored under, is the parent's
 * URI ({@code ""} for buckets).
 */
public record ObjectRef(Kind kind, String bucket, String collection, String id) {

  public static ObjectRef from(JsonObject request) {
    Kind kind = Kind.of(request.getString(StorageBus.RESOURCE));
    String id = switch (kind) {
      case BUCKET -> request.getString(StorageBus.BUCKET);
      case COLLECTION -> request.getString(StorageBus.COLLECTION);
      case GROUP -> request.getString(StorageBus.GROUP);
      case RECORD -> request.getString(StorageBus.ID);
    };
    return new ObjectRef(kind, kind == Kind.BUCKET ? null : request.getString(StorageBus.BUCKET),
        kind == Kind.RECORD ? request.getString(StorageBus.COLLECTION) : null, id);
  }

  public static ObjectRef bucket(String id) {
    return new ObjectRef(Kind.BUCKET, null, null, id);
  }

  public static ObjectRef collection(String bucket, String id) {
    return new ObjectRef(Kind.COLLECTION, bucket, null, id);
  }

  public ObjectRef withId(String newId) {
    return new ObjectRef(kind, bucket, collection, newId);
  }

  public ObjectRef withBucket(String newBucket) {
    return new ObjectRef(kind, kind == Kind.BUCKET ? null : newBucket, collection, kind == Kind.BUCKET ? newBucket : id);
  }

  /** The parent object, or null for a bucket. */
  public ObjectRef parent() {
    return switch (kind) {
      case BUCKET -> null;
      case COLLECTION, GROUP -> bucket(bucket);
      case RECORD -> collection(bucket, collection);
    };
  }

  public String parentId() {
    // Built directly rather than through parent(): every statement of a write names it.
    return switch (kind) {
      case BUCKET -> "";
      case COLLECTION, GROUP -> "/buckets/" + bucket;
      case RECORD -> "/buckets/" + bucket + "/collections/" + collection;
    };
  }

  public String uri() {
    return parentId() + "/" + kind.plural() + "/" + id;
  }

  /** The parent first, then its ancestors up to the bucket. */
  public List<ObjectRef> ancestors() {
    List<ObjectRef> ancestors = new ArrayList<>();
    for (ObjectRef up = parent(); up != null; up = up.parent()) {
      ancestors.add(up);
    }
    return ancestors;
  }

  public String bucketId() {
    return kind == Kind.BUCKET ? id : bucket;
  }
}
