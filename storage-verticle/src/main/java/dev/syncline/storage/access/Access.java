package dev.syncline.storage.access;

import dev.syncline.storage.objects.Kind;
import dev.syncline.storage.objects.ObjectRef;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one set of principals may do around one object, decided from the access-control entries of that object
 * and its ancestors. Permissions flow downwards: {@code write} on a bucket is {@code write} on everything in it,
 * {@code read} on a collection is {@code read} on its records.
 */
public final class Access {
  private final Set<String> granted;
  private final boolean mayCreateBuckets;

  /** @param entries "uri permission" pairs granted to any of the principals */
  public Access(Set<String> entries, boolean mayCreateBuckets) {
    this.granted = new HashSet<>(entries);
    this.mayCreateBuckets = mayCreateBuckets;
  }

  public static String entry(String uri, String permission) {
    return uri + " " + permission;
  }

  /** The URIs whose entries decide about {@code ref}: the object itself and its ancestors. */
  public static List<String> relevantUris(ObjectRef ref) {
    List<String> uris = new java.util.ArrayList<>();
    if (ref.id() != null) {
      uris.add(ref.uri());
    }
    ref.ancestors().forEach(up -> uris.add(up.uri()));
    return uris;
  }

  public boolean canRead(ObjectRef ref) {
    return has(ref, "read") || has(ref, "write") || canReadAncestors(ref);
  }

  public boolean canWrite(ObjectRef ref) {
    return has(ref, "write") || ref.ancestors().stream().anyMatch(up -> has(up, "write"));
  }

  /** Whether the principals may read every object of {@code kind} listed under {@code parent} (null: top). */
  public boolean canReadAll(ObjectRef parent) {
    return parent != null && canRead(parent);
  }

  /** Whether the principals may create {@code ref} (a new object) in its parent. */
  public boolean canCreate(ObjectRef ref) {
    ObjectRef parent = ref.parent();
    if (parent == null) {
      return mayCreateBuckets;
    }
    return has(parent, ref.kind().createPermission()) || canWrite(parent);
  }

  /** Whether the principals may create some object of {@code kind} in {@code parent}. */
  public boolean canCreateIn(ObjectRef parent, Kind kind) {
    if (parent == null) {
      return mayCreateBuckets;
    }
    return has(parent, kind.createPermission()) || canWrite(parent);
  }

  private boolean canReadAncestors(ObjectRef ref) {
    return ref.ancestors().stream().anyMatch(up -> has(up, "read") || has(up, "write"));
  }

  private boolean has(ObjectRef ref, String permission) {
    return ref.id() != null && granted.contains(entry(ref.uri(), permission));
  }
}
