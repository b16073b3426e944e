package dev.syncline.storage.objects;

import java.util.List;
import java.util.Locale;

/** The kinds of Kinto objects, with the permissions each can carry and the one that lets a user create it. */
public enum Kind {
  BUCKET("buckets", List.of("read", "write", "collection:create", "group:create"), "bucket:create"),
  COLLECTION("collections", List.of("read", "write", "record:create"), "collection:create"),
  GROUP("groups", List.of("read", "write"), "group:create"),
  RECORD("records", List.of("read", "write"), "record:create");

  private final String plural;
  private final List<String> permissions;
  private final String createPermission;

  Kind(String plural, List<String> permissions, String createPermission) {
    this.plural = plural;
    this.permissions = permissions;
    this.createPermission = createPermission;
  }

  public String resourceName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String plural() {
    return plural;
  }

  public List<String> permissions() {
    return permissions;
  }

  /** The permission on the parent that allows creating an object of this kind in it. */
  public String createPermission() {
    return createPermission;
  }

  public static Kind of(String resourceName) {
    return valueOf(resourceName.toUpperCase(Locale.ROOT));
  }
}
