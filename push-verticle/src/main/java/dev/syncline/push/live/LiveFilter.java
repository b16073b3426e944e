package dev.syncline.push.live;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A subscription filter in prefix notation, evaluated on the server against each record:
 * {@code ["and", ["==", "status", "open"], [">=", "priority", 3]]}. Operators: {@code == != < <= > >= in} on a
 * (dotted) field and a value, {@code and or} on any number of filters, {@code not} on one. Ordering compares
 * numbers with numbers and strings with strings; anything else, a missing field included, does not match.
 */
public final class LiveFilter {
  private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=", "in");
  private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*");
  private static final int MAX_DEPTH = 16;
  private static final LiveFilter ALL = new LiveFilter(null);

  private final JsonArray expression;

  private LiveFilter(JsonArray expression) {
    this.expression = expression;
  }

  /** The filter that matches every record. */
  public static LiveFilter all() {
    return ALL;
  }

  /** Whether a (dotted) field name can be compared: letters, digits and {@code _$-} in each part. */
  static boolean validField(String field) {
    return FIELD.matcher(field).matches();
  }

  /** Checks the whole expression once, so that evaluating it later cannot fail. */
  public static LiveFilter parse(Object expression) {
    if (expression == null) {
      return ALL;
    }
    if (!(expression instanceof JsonArray array)) {
      throw new IllegalArgumentException("a filter is a JSON array such as [\"==\", \"field\", value]");
    }
    check(array, 0);
    return new LiveFilter(array.copy());
  }

  private static void check(JsonArray expression, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("filter nested deeper than " + MAX_DEPTH);
    }
    if (expression.isEmpty() || !(expression.getValue(0) instanceof String op)) {
      throw new IllegalArgumentException("a filter starts with its operator: " + expression.encode());
    }
    switch (op) {
      case "and", "or" -> {
        if (expression.size() < 2) {
          throw new IllegalArgumentException("'" + op + "' needs at least one filter");
        }
        for (int i = 1; i < expression.size(); i++) {
          check(nested(expression, i), depth + 1);
        }
      }
      case "not" -> {
        if (expression.size() != 2) {
          throw new IllegalArgumentException("'not' takes exactly one filter");
        }
        check(nested(expression, 1), depth + 1);
      }
      default -> {
        if (!COMPARISONS.contains(op)) {
          throw new IllegalArgumentException("unknown filter operator '" + op + "'");
        }
        if (expression.size() != 3 || !(expression.getValue(1) instanceof String field)
            || !FIELD.matcher(field).matches()) {
          throw new IllegalArgumentException("'" + op + "' takes a field name and a value: " + expression.encode());
        }
        if (op.equals("in") && !(expression.getValue(2) instanceof JsonArray)) {
          throw new IllegalArgumentException("'in' takes a list of values");
        }
      }
    }
  }

  private static JsonArray nested(JsonArray expression, int index) {
    if (!(expression.getValue(index) instanceof JsonArray nested)) {
      throw new IllegalArgumentException("expected a filter, got " + expression.getValue(index));
    }
    return nested;
  }

  public boolean matches(JsonObject record) {
    return record != null && (expression == null || evaluate(expression, record));
  }

  private static boolean evaluate(JsonArray expression, JsonObject record) {
    String op = expression.getString(0);
    switch (op) {
      case "and" -> {
        for (int i = 1; i < expression.size(); i++) {
          if (!evaluate(expression.getJsonArray(i), record)) {
            return false;
          }
        }
        return true;
      }
      case "or" -> {
        for (int i = 1; i < expression.size(); i++) {
          if (evaluate(expression.getJsonArray(i), record)) {
            return true;
          }
        }
        return false;
      }
      case "not" -> {
        return !evaluate(expression.getJsonArray(1), record);
      }
      default -> {
        Object actual = field(record, expression.getString(1));
        Object expected = expression.getValue(2);
        return switch (op) {
          case "==" -> equal(actual, expected);
          case "!=" -> !equal(actual, expected);
          case "in" -> ((JsonArray) expected).stream().anyMatch(candidate -> equal(actual, candidate));
          default -> ordered(op, actual, expected);
        };
      }
    }
  }

  private static Object field(JsonObject record, String path) {
    Object value = record;
    for (String part : path.split("\\.")) {
      if (!(value instanceof JsonObject object)) {
        return null;
      }
      value = object.getValue(part);
    }
    return value;
  }

  private static boolean equal(Object actual, Object expected) {
    if (actual instanceof Number a && expected instanceof Number b) {
      return Double.compare(a.doubleValue(), b.doubleValue()) == 0;
    }
    return actual == null ? expected == null : actual.equals(expected);
  }

  private static boolean ordered(String op, Object actual, Object expected) {
    int comparison;
    if (actual instanceof Number a && expected instanceof Number b) {
      comparison = Double.compare(a.doubleValue(), b.doubleValue());
    } else if (actual instanceof String a && expected instanceof String b) {
      comparison = a.compareTo(b);
    } else {
      return false;
    }
    return switch (op) {
      case "<" -> comparison < 0;
      case "<=" -> comparison <= 0;
      case ">" -> comparison > 0;
      default -> comparison >= 0;
    };
  }

  /** The fields the filter reads, for documentation and diagnostics. */
  public List<String> fields() {
    List<String> fields = new ArrayList<>();
    if (expression != null) {
      collect(expression, fields);
    }
    return fields;
  }

  private static void collect(JsonArray expression, List<String> fields) {
    String op = expression.getString(0);
    if (COMPARISONS.contains(op)) {
      fields.add(expression.getString(1));
    } else {
      for (int i = 1; i < expression.size(); i++) {
        collect(expression.getJsonArray(i), fields);
      }
    }
  }
}
