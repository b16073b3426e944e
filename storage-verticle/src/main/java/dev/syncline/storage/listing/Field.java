package dev.syncline.storage.listing;

import io.vertx.core.json.Json;

/**
 * A field a list can be filtered or sorted on: the {@code id} and {@code last_modified} columns, or a (dotted) path
 * into the object's JSON data.
 */
record Field(String name) {
  boolean isId() {
    return name.equals("id");
  }

  boolean isTimestamp() {
    return name.equals("last_modified");
  }

  /** The path as a PostgreSQL text array literal bound as a parameter. */
  String[] path() {
    return name.split("\\.");
  }

  /** An expression that sorts and compares like the field: a column, or the JSON value with missing as null. */
  String sortable(SqlText sql) {
    if (isId()) {
      return "o.id";
    }
    if (isTimestamp()) {
      return "o.last_modified";
    }
    return "COALESCE(o.data #> " + sql.bind(path()) + "::text[], 'null'::jsonb)";
  }

  /** Binds a value of this field for comparison with {@link #sortable}. */
  String value(SqlText sql, Object value) {
    if (isId()) {
      return sql.bind(String.valueOf(value)) + "::text";
    }
    if (isTimestamp()) {
      return sql.bind(((Number) value).longValue()) + "::bigint";
    }
    return "(" + sql.bind(Json.encode(value)) + "::text)::jsonb";
  }
}
