package dev.syncline.storage.listing;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** One {@code [op_]field=value} condition of a list request, as SQL. */
record Filter(String op, Field field, Object value) {
  static Filter of(JsonObject json) {
    return new Filter(json.getString("op"), new Field(json.getString("field")), json.getValue("value"));
  }

  void appendTo(SqlText sql) {
    // Every bound parameter must appear in the statement, so each case binds only what it uses.
    switch (op) {
      case "eq" -> compare(sql, " = ");
      case "not" -> compare(sql, " <> ");
      case "lt" -> compare(sql, " < ");
      case "gt" -> compare(sql, " > ");
      case "min" -> compare(sql, " >= ");
      case "max" -> compare(sql, " <= ");
      case "in" -> sql.append(field.sortable(sql) + " = ANY(" + values(sql) + ")");
      case "exclude" -> sql.append("NOT (" + field.sortable(sql) + " = ANY(" + values(sql) + "))");
      case "like" -> sql.append(text(sql) + " ILIKE " + sql.bind(likePattern(String.valueOf(value))));
      case "has" -> sql.append(hasExpr(sql));
      case "contains" -> sql.append(jsonb(sql) + " @> " + field.value(sql, value));
      case "contains_any" -> sql.append("EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof("
          + jsonb(sql) + ") = 'array' THEN " + jsonb(sql) + " ELSE '[]'::jsonb END) AS element"
          + " WHERE element = ANY(" + jsonValues(sql) + "))");
      default -> throw new IllegalArgumentException("unknown filter operator " + op);
    }
  }

  private void compare(SqlText sql, String operator) {
    String expr = field.sortable(sql);
    sql.append(expr + operator + field.value(sql, value));
  }

  private String values(SqlText sql) {
    List<Object> items = list();
    if (field.isId()) {
      return sql.bind(items.stream().map(String::valueOf).toArray(String[]::new)) + "::text[]";
    }
    if (field.isTimestamp()) {
      return sql.bind(items.stream().map(item -> ((Number) item).longValue()).toArray(Long[]::new)) + "::bigint[]";
    }
    return jsonValues(sql);
  }

  private String jsonValues(SqlText sql) {
    return sql.bind(list().stream().map(Json::encode).toArray(String[]::new)) + "::text[]::jsonb[]";
  }

  private List<Object> list() {
    if (value instanceof JsonArray array) {
      return array.getList();
    }
    List<Object> single = new ArrayList<>();
    single.add(value);
    return single;
  }

  private String jsonb(SqlText sql) {
    return field.isId() ? "to_jsonb(o.id)" : field.isTimestamp() ? "to_jsonb(o.last_modified)"
        : "(o.data #> " + sql.bind(field.path()) + "::text[])";
  }

  private String text(SqlText sql) {
    return field.isId() ? "o.id" : field.isTimestamp() ? "o.last_modified::text"
        : "(o.data #>> " + sql.bind(field.path()) + "::text[])";
  }

  private String hasExpr(SqlText sql) {
    boolean wanted = !(Boolean.FALSE.equals(value) || "false".equals(value) || Integer.valueOf(0).equals(value));
    if (field.isId() || field.isTimestamp()) {
      return wanted ? "TRUE" : "FALSE";
    }
    return jsonb(sql) + (wanted ? " IS NOT NULL" : " IS NULL");
  }

  /** Kinto's like_: '*' is a wildcard, and a pattern without one matches anywhere in the value. */
  static String likePattern(String pattern) {
    String escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return escaped.contains("*") ? escaped.replace('*', '%') : "%" + escaped + "%";
  }
}
