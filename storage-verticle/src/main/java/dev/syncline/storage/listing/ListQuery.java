package dev.syncline.storage.listing;

import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.storage.objects.Kind;
import dev.syncline.storage.objects.StoredObject;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A list request turned into SQL: filters, sort order with {@code last_modified} and {@code id} as tie-breakers,
 * keyset pagination (no OFFSET), and the optional restriction to objects the principals may read one by one.
 */
public final class ListQuery {
  private final List<Filter> filters = new ArrayList<>();
  private final List<Field> sortFields = new ArrayList<>();
  private final List<Boolean> descending = new ArrayList<>();
  private final boolean tombstones;
  private final JsonArray fields;
  private final int queryHash;

  public ListQuery(JsonObject query) {
    JsonArray filterList = query.getJsonArray(StorageBus.FILTERS, new JsonArray());
    boolean onTimestamp = false;
    for (int i = 0; i < filterList.size(); i++) {
      Filter filter = Filter.of(filterList.getJsonObject(i));
      filters.add(filter);
      onTimestamp |= filter.field().isTimestamp();
    }
    // Kinto shows deletions exactly when a client asks for changes by timestamp.
    tombstones = onTimestamp;
    for (Object key : query.getJsonArray(StorageBus.SORT, new JsonArray())) {
      String text = (String) key;
      boolean desc = text.startsWith("-");
      addSort(new Field(desc ? text.substring(1) : text.replaceFirst("^\\+", "")), desc);
    }
    addSort(new Field("last_modified"), true);
    addSort(new Field("id"), true);
    fields = query.getJsonArray(StorageBus.FIELDS);
    queryHash = (filterList.encode() + "|" + query.getJsonArray(StorageBus.SORT, new JsonArray()).encode()).hashCode();
  }

  private void addSort(Field field, boolean desc) {
    if (sortFields.stream().noneMatch(existing -> existing.name().equals(field.name()))) {
      sortFields.add(field);
      descending.add(desc);
    }
  }

  public int queryHash() {
    return queryHash;
  }

  /**
   * One page: at most {@code limit + 1} rows (the extra one tells whether another page follows).
   *
   * @param readableBy principals whose object-level read or write entries restrict the list, or null for all
   */
  public SqlText page(String parentId, Kind kind, long snapshot, PageToken after, List<String> readableBy, int limit) {
    SqlText sql = new SqlText().append("SELECT o.id, o.last_modified, o.deleted, o.data FROM objects o");
    where(sql, parentId, kind, snapshot, readableBy);
    if (after != null) {
      keyset(sql, after.lastKeys());
    }
    sql.append(" ORDER BY ");
    for (int i = 0; i < sortFields.size(); i++) {
      sql.append((i > 0 ? ", " : "") + sortFields.get(i).sortable(sql) + (descending.get(i) ? " DESC" : " ASC"));
    }
    sql.append(" LIMIT " + sql.bind(limit + 1));
    return sql;
  }

  public SqlText count(String parentId, Kind kind, long snapshot, List<String> readableBy) {
    SqlText sql = new SqlText().append("SELECT count(*) FROM objects o");
    where(sql, parentId, kind, snapshot, readableBy);
    return sql;
  }

  /** The ids of the objects a bulk delete removes: the same conditions, without pagination. */
  public SqlText ids(String parentId, Kind kind, long snapshot, List<String> writableBy) {
    SqlText sql = new SqlText().append("SELECT o.id, o.last_modified, o.deleted, o.data FROM objects o");
    where(sql, parentId, kind, snapshot, writableBy, "'write'");
    sql.append(" AND NOT o.deleted FOR UPDATE");
    return sql;
  }

  private void where(SqlText sql, String parentId, Kind kind, long snapshot, List<String> readableBy) {
    where(sql, parentId, kind, snapshot, readableBy, "'read', 'write'");
  }

  private void where(SqlText sql, String parentId, Kind kind, long snapshot, List<String> principals,
      String permissions) {
    sql.append(" WHERE o.parent_id = " + sql.bind(parentId) + " AND o.resource_name = " + sql.bind(kind.resourceName())
        + " AND o.last_modified <= " + sql.bind(snapshot));
    if (!tombstones) {
      sql.append(" AND NOT o.deleted");
    }
    for (Filter filter : filters) {
      sql.append(" AND ");
      filter.appendTo(sql);
    }
    if (principals != null) {
      sql.append(" AND EXISTS (SELECT 1 FROM access_control_entries a WHERE a.object_id = "
          + sql.bind(parentId + "/" + kind.plural() + "/") + " || o.id AND a.permission IN (" + permissions + ")"
          + " AND a.principal = ANY(" + sql.bind(principals.toArray(String[]::new)) + "::text[]))");
    }
  }

  private void keyset(SqlText sql, JsonArray lastKeys) {
    sql.append(" AND (");
    for (int i = 0; i < sortFields.size(); i++) {
      sql.append(i > 0 ? " OR (" : "(");
      for (int j = 0; j < i; j++) {
        Field field = sortFields.get(j);
        sql.append(field.sortable(sql) + " = " + field.value(sql, lastKeys.getValue(j)) + " AND ");
      }
      Field field = sortFields.get(i);
      sql.append(field.sortable(sql) + (descending.get(i) ? " < " : " > ") + field.value(sql, lastKeys.getValue(i)));
      sql.append(")");
    }
    sql.append(")");
  }

  /** The sort-key values of an object, for the token of the page after it. */
  public JsonArray keysOf(StoredObject object) {
    JsonArray keys = new JsonArray();
    for (Field field : sortFields) {
      if (field.isId()) {
        keys.add(object.id());
      } else if (field.isTimestamp()) {
        keys.add(object.lastModified());
      } else {
        Object value = object.data();
        for (String part : field.path()) {
          value = value instanceof JsonObject json ? json.getValue(part) : null;
        }
        keys.add(value);
      }
    }
    return keys;
  }

  /** The object as listed: all of it, or only the requested fields with id and last_modified. */
  public JsonObject project(StoredObject object) {
    JsonObject full = object.toJson();
    if (fields == null || object.deleted()) {
      return full;
    }
    JsonObject projected = new JsonObject().put("id", object.id()).put("last_modified", object.lastModified());
    for (Object name : fields) {
      String field = (String) name;
      String root = field.split("\\.")[0];
      if (full.containsKey(root)) {
        projected.put(root, full.getValue(root));
      }
    }
    return projected;
  }
}
