package dev.syncline.gateway.kinto;

import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The query string of a list request turned into the storage query: {@code _since}, {@code _before},
 * {@code _sort}, {@code _limit}, {@code _token}, {@code _fields} and the {@code [op_]field=value} filters. Unknown
 * parameters that start with {@code _} are ignored, as Kinto does (clients send cache-busters such as
 * {@code _expected}).
 */
final class ListParams {
  private static final Pattern FIELD = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9_.\\-]*");
  // Longest prefixes first, so that "contains_any_" wins over "contains_".
  private static final List<String> OPERATORS = List.of("contains_any", "contains", "exclude", "not", "in", "lt",
      "gt", "min", "max", "like", "has", "eq");

  private ListParams() {
  }

  static JsonObject parse(MultiMap params) {
    JsonArray filters = new JsonArray();
    JsonObject query = new JsonObject().put(StorageBus.FILTERS, filters);
    for (Map.Entry<String, String> param : params) {
      String name = param.getKey();
      String value = param.getValue();
      switch (name) {
        case "_since" -> timestampFilter(filters, "gt", name, value);
        case "_before", "_to" -> timestampFilter(filters, "lt", name, value);
        case "_sort" -> query.put(StorageBus.SORT, fieldList(name, value, true));
        case "_fields" -> query.put(StorageBus.FIELDS, fieldList(name, value, false));
        case "_limit" -> query.put(StorageBus.LIMIT, positive(name, value));
        case "_token" -> query.put(StorageBus.TOKEN, value);
        default -> {
          if (!name.startsWith("_")) {
            filters.add(filter(name, value));
          }
        }
      }
    }
    return query;
  }

  private static void timestampFilter(JsonArray filters, String op, String name, String value) {
    String unquoted = value.replace("\"", "");
    if (unquoted.isEmpty() || unquoted.equals("null")) {
      return;
    }
    filters.add(new JsonObject().put("op", op).put("field", "last_modified")
        .put("value", integer(name, unquoted)));
  }

  private static JsonObject filter(String name, String value) {
    String op = "eq";
    String field = name;
    for (String candidate : OPERATORS) {
      if (name.startsWith(candidate + "_") && name.length() > candidate.length() + 1) {
        op = candidate;
        field = name.substring(candidate.length() + 1);
        break;
      }
    }
    if (!FIELD.matcher(field).matches()) {
      throw invalid(name, "not a valid field name");
    }
    Object parsed;
    if (op.equals("in") || op.equals("exclude") || op.equals("contains_any")) {
      JsonArray values = new JsonArray();
      Object whole = parseValue(value);
      if (whole instanceof JsonArray array) {
        values = array;
      } else {
        for (String item : value.split(",")) {
          values.add(parseValue(item));
        }
      }
      parsed = values;
    } else {
      parsed = parseValue(value);
    }
    if (field.equals("last_modified")) {
      checkTimestamps(name, parsed);
    }
    return new JsonObject().put("op", op).put("field", field).put("value", parsed);
  }

  private static void checkTimestamps(String name, Object value) {
    if (value instanceof JsonArray array) {
      array.forEach(item -> checkTimestamps(name, item));
    } else if (!(value instanceof Number number) || number.longValue() != number.doubleValue()) {
      throw invalid(name, "last_modified is an integer timestamp");
    }
  }

  /** Kinto's rule: a value that parses as JSON is that JSON value, anything else is a string. */
  private static Object parseValue(String text) {
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      return text;
    }
  }

  private static JsonArray fieldList(String name, String value, boolean signed) {
    JsonArray fields = new JsonArray();
    for (String item : value.split(",")) {
      String field = item.trim();
      String bare = signed ? field.replaceFirst("^[-+]", "") : field;
      if (!FIELD.matcher(bare).matches()) {
        throw invalid(name, "'" + field + "' is not a valid field name");
      }
      fields.add(field);
    }
    return fields;
  }

  private static int positive(String name, String value) {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw invalid(name, "a positive integer is expected");
  }

  private static long integer(String name, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(name, "an integer timestamp is expected");
    }
  }

  static SynclineException invalid(String name, String description) {
    return new SynclineException(ErrorCode.INVALID_PARAMETERS, name + " in querystring: " + description,
        new JsonArray().add(new JsonObject().put("location", "querystring").put("name", name)
            .put("description", description)));
  }
}
