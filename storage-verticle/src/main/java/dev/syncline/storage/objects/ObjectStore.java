package dev.syncline.storage.objects;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The SQL behind objects, timestamps and access-control entries; every method runs on the caller's transaction. */
public final class ObjectStore {
  private static final String FIND = """
      SELECT id, last_modified, deleted, data FROM objects
      WHERE parent_id = $1 AND resource_name = $2 AND id = $3""";
  private static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";
  private static final String UPSERT = """
      INSERT INTO objects (parent_id, resource_name, id, last_modified, deleted, data)
      VALUES ($1, $2, $3, $4, FALSE, $5)
      ON CONFLICT (parent_id, resource_name, id)
      DO UPDATE SET last_modified = EXCLUDED.last_modified, deleted = FALSE, data = EXCLUDED.data""";
  private static final String TOMBSTONE = """
      UPDATE objects SET deleted = TRUE, data = '{}'::jsonb, last_modified = $4
      WHERE parent_id = $1 AND resource_name = $2 AND id = $3""";
  // Each write takes the list's timestamp row lock until commit, so timestamps of one list strictly increase
  // and commits of one list happen in timestamp order.
  private static final String BUMP = """
      INSERT INTO timestamps (parent_id, resource_name, last_modified) VALUES ($1, $2, $3)
      ON CONFLICT (parent_id, resource_name)
      DO UPDATE SET last_modified = GREATEST(timestamps.last_modified + 1, EXCLUDED.last_modified)
      RETURNING last_modified""";
  // BUMP and UPSERT in one statement, for a write that needs the new timestamp only to store it.
  private static final String BUMP_AND_UPSERT = """
      WITH bumped AS (
        INSERT INTO timestamps (parent_id, resource_name, last_modified) VALUES ($1, $2, $4::bigint)
        ON CONFLICT (parent_id, resource_name)
        DO UPDATE SET last_modified = GREATEST(timestamps.last_modified + 1, EXCLUDED.last_modified)
        RETURNING last_modified)
      INSERT INTO objects (parent_id, resource_name, id, last_modified, deleted, data)
      SELECT $1, $2, $3, last_modified, FALSE, $5::jsonb FROM bumped
      ON CONFLICT (parent_id, resource_name, id)
      DO UPDATE SET last_modified = EXCLUDED.last_modified, deleted = FALSE, data = EXCLUDED.data
      RETURNING last_modified""";
  // Taken first by every write to a list, before any object row: writers of one list then queue in one place, and
  // two of them can never hold each other's rows (a creation racing an update of the same id would otherwise
  // deadlock). The no-op update is what takes the row lock.
  private static final String LOCK_LIST = """
      INSERT INTO timestamps (parent_id, resource_name, last_modified) VALUES ($1, $2, $3)
      ON CONFLICT (parent_id, resource_name) DO UPDATE SET last_modified = timestamps.last_modified
      RETURNING last_modified""";
  // An empty list gets a timestamp once, the first time it is read, and keeps it until something changes.
  private static final String LIST_TIMESTAMP = """
      WITH created AS (
        INSERT INTO timestamps (parent_id, resource_name, last_modified) VALUES ($1, $2, $3)
        ON CONFLICT (parent_id, resource_name) DO NOTHING
        RETURNING last_modified)
      SELECT last_modified FROM created
      UNION ALL
      SELECT last_modified FROM timestamps WHERE parent_id = $1 AND resource_name = $2""";
  // One round trip for both questions a request starts with: which groups the principals belong to (rows without a
  // permission), and what the principals, groups included, are granted on the object and its ancestors.
  private static final String GRANTS = """
      WITH member_of AS (
        SELECT parent_id || '/groups/' || id AS uri FROM objects
        WHERE resource_name = 'group' AND NOT deleted AND data -> 'members' ?| $2::text[])
      SELECT uri AS object_id, NULL AS permission FROM member_of
      UNION ALL
      SELECT object_id, permission FROM access_control_entries
      WHERE object_id = ANY($1::text[])
        AND (principal = ANY($2::text[]) OR principal IN (SELECT uri FROM member_of))""";
  // One primary-key probe per ancestor: the LIMIT keeps the planner from turning the lookups into a join, which with
  // a prepared statement's generic plan became a scan of the whole table.
  private static final String ALIVE = """
      SELECT wanted.parent_id || '/' || wanted.resource_name || '/' || wanted.id AS key
      FROM unnest($1::text[], $2::text[], $3::text[]) AS wanted(parent_id, resource_name, id)
      CROSS JOIN LATERAL (
        SELECT FROM objects
        WHERE objects.parent_id = wanted.parent_id AND objects.resource_name = wanted.resource_name
          AND objects.id = wanted.id AND NOT objects.deleted
        LIMIT 1) AS found""";
  private static final String PERMISSIONS_OF = """
      SELECT permission, principal FROM access_control_entries WHERE object_id = $1
      ORDER BY permission, principal""";
  // Removes only the entries the new lists drop: both parts see the same snapshot, so deleting an entry that the
  // insert keeps would lose it.
  private static final String SET_PERMISSIONS = """
      WITH granted AS (
        SELECT permission, principal FROM unnest($3::text[], $4::text[]) AS granted(permission, principal)),
      dropped AS (
        DELETE FROM access_control_entries
        WHERE object_id = $1 AND permission = ANY($2::text[])
          AND (permission, principal) NOT IN (SELECT permission, principal FROM granted))
      INSERT INTO access_control_entries (object_id, permission, principal)
      SELECT $1, permission, principal FROM granted
      ON CONFLICT DO NOTHING""";
  private static final String DROP_PERMISSIONS_UNDER = """
      DELETE FROM access_control_entries WHERE object_id = $1 OR starts_with(object_id, $1 || '/')""";
  private static final String PURGE_CHILDREN = """
      DELETE FROM objects WHERE parent_id = $1 OR starts_with(parent_id, $1 || '/')""";
  private static final String PURGE_CHILD_TIMESTAMPS = """
      DELETE FROM timestamps WHERE parent_id = $1 OR starts_with(parent_id, $1 || '/')""";

  private ObjectStore() {
  }

  public static Future<StoredObject> find(SqlConnection conn, ObjectRef ref, boolean forUpdate) {
    return conn.preparedQuery(forUpdate ? FIND_FOR_UPDATE : FIND)
        .execute(Tuple.of(ref.parentId(), ref.kind().resourceName(), ref.id()))
        .map(rows -> rows.size() == 0 ? null : StoredObject.of(rows.iterator().next()));
  }

  /** Locks the list's timestamp row for the transaction and returns the list's timestamp before the write. */
  public static Future<Long> lockList(SqlConnection conn, String parentId, Kind kind) {
    return conn.preparedQuery(LOCK_LIST)
        .execute(Tuple.of(parentId, kind.resourceName(), System.currentTimeMillis()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Moves the list's timestamp past its current value and at least to {@code atLeast}; returns the new one. */
  public static Future<Long> bump(SqlConnection conn, String parentId, Kind kind, long atLeast) {
    return conn.preparedQuery(BUMP)
        .execute(Tuple.of(parentId, kind.resourceName(), atLeast))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** {@link #bump} then {@link #upsert} at the new timestamp, in one round trip; returns the timestamp. */
  public static Future<Long> bumpAndUpsert(SqlConnection conn, ObjectRef ref, long atLeast, JsonObject data) {
    return conn.preparedQuery(BUMP_AND_UPSERT)
        .execute(Tuple.of(ref.parentId(), ref.kind().resourceName(), ref.id(), atLeast, data))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public static Future<Long> listTimestamp(SqlConnection conn, String parentId, Kind kind, long now) {
    Tuple list = Tuple.of(parentId, kind.resourceName(), now);
    return conn.preparedQuery(LIST_TIMESTAMP).execute(list)
        // No row: a concurrent first read inserted it after this statement's snapshot, so the insert did nothing
        // and the select could not see it. It has committed by now; a second statement sees it.
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture(rows)
            : conn.preparedQuery(LIST_TIMESTAMP).execute(list))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public static Future<Void> upsert(SqlConnection conn, ObjectRef ref, long timestamp, JsonObject data) {
    return conn.preparedQuery(UPSERT)
        .execute(Tuple.of(ref.parentId(), ref.kind().resourceName(), ref.id(), timestamp, data))
        .mapEmpty();
  }

  public static Future<Void> tombstone(SqlConnection conn, ObjectRef ref, long timestamp) {
    return conn.preparedQuery(TOMBSTONE)
        .execute(Tuple.of(ref.parentId(), ref.kind().resourceName(), ref.id(), timestamp))
        .mapEmpty();
  }

  /** Groups of the principals, and what the principals and those groups hold on the given URIs. */
  public record Grants(List<String> groups, Set<String> entries) {
  }

  public static Future<Grants> grants(SqlConnection conn, List<String> uris, List<String> principals) {
    return conn.preparedQuery(GRANTS)
        .execute(Tuple.tuple().addArrayOfString(uris.toArray(String[]::new))
            .addArrayOfString(principals.toArray(String[]::new)))
        .map(rows -> {
          List<String> groups = new ArrayList<>();
          Set<String> entries = new HashSet<>();
          for (Row row : rows) {
            String permission = row.getString("permission");
            if (permission == null) {
              groups.add(row.getString("object_id"));
            } else {
              entries.add(row.getString("object_id") + " " + permission);
            }
          }
          return new Grants(groups, entries);
        });
  }

  /** Which of the objects exist and are not deleted, as {@code parentId/resource/id} keys. */
  public static Future<Set<String>> alive(SqlConnection conn, List<ObjectRef> refs) {
    Tuple keys = Tuple.tuple()
        .addArrayOfString(refs.stream().map(ObjectRef::parentId).toArray(String[]::new))
        .addArrayOfString(refs.stream().map(ref -> ref.kind().resourceName()).toArray(String[]::new))
        .addArrayOfString(refs.stream().map(ObjectRef::id).toArray(String[]::new));
    return conn.preparedQuery(ALIVE).execute(keys).map(rows -> {
      Set<String> found = new HashSet<>();
      rows.forEach(row -> found.add(row.getString("key")));
      return found;
    });
  }

  public static String aliveKey(ObjectRef ref) {
    return ref.parentId() + "/" + ref.kind().resourceName() + "/" + ref.id();
  }

  public static Future<JsonObject> permissionsOf(SqlConnection conn, String uri) {
    return conn.preparedQuery(PERMISSIONS_OF).execute(Tuple.of(uri)).map(rows -> {
      JsonObject permissions = new JsonObject();
      for (Row row : rows) {
        JsonArray principals = permissions.getJsonArray(row.getString("permission"));
        if (principals == null) {
          principals = new JsonArray();
          permissions.put(row.getString("permission"), principals);
        }
        principals.add(row.getString("principal"));
      }
      return permissions;
    });
  }

  /** Replaces the principals of every permission named in {@code permissions}; others are left as they are. */
  public static Future<Void> setPermissions(SqlConnection conn, String uri, JsonObject permissions) {
    List<String> names = new ArrayList<>();
    List<String> grantedPermissions = new ArrayList<>();
    List<String> grantedPrincipals = new ArrayList<>();
    permissions.forEach(entry -> {
      names.add(entry.getKey());
      for (Object principal : (JsonArray) entry.getValue()) {
        grantedPermissions.add(entry.getKey());
        grantedPrincipals.add((String) principal);
      }
    });
    return conn.preparedQuery(SET_PERMISSIONS)
        .execute(Tuple.tuple().addString(uri)
            .addArrayOfString(names.toArray(String[]::new))
            .addArrayOfString(grantedPermissions.toArray(String[]::new))
            .addArrayOfString(grantedPrincipals.toArray(String[]::new)))
        .mapEmpty();
  }

  /** Removes an object's children, their lists' timestamps and every permission on it or below it. */
  public static Future<Void> purgeBelow(SqlConnection conn, String uri) {
    return conn.preparedQuery(PURGE_CHILDREN).execute(Tuple.of(uri))
        .compose(done -> conn.preparedQuery(PURGE_CHILD_TIMESTAMPS).execute(Tuple.of(uri)))
        .compose(done -> conn.preparedQuery(DROP_PERMISSIONS_UNDER).execute(Tuple.of(uri)))
        .mapEmpty();
  }
}
