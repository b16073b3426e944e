package dev.syncline.push.live;

import dev.syncline.contracts.config.ConfigReader;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dealers of the application's own models, as in Snorky: a subscription names a dealer and a query, and the
 * dealer decides which of the model's deltas it receives. A {@code broadcast} dealer takes every delta (no query),
 * a {@code key} dealer those whose {@code field} equals the query, a {@code filter} dealer those matching the
 * query, a filter expression. A key dealer is the filter {@code ["==", field, query]}, so both share
 * {@link Delta}'s rule: an update that moves a record in or out of what a subscriber sees is an insert or delete.
 */
public final class Dealers {
  static final String KEY = "live_dealers";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  enum Kind { BROADCAST, KEY, FILTER }

  record Dealer(String name, String model, Kind kind, String field) {
    /** The filter a subscription's query means to this dealer; IllegalArgumentException if it means nothing. */
    LiveFilter filter(Object query) {
      return switch (kind) {
        case BROADCAST -> LiveFilter.all();
        case KEY -> {
          if (query == null || query instanceof JsonObject || query instanceof JsonArray) {
            throw new IllegalArgumentException("dealer " + name + " takes a key (string, number or boolean) as query");
          }
          yield LiveFilter.parse(new JsonArray().add("==").add(field).add(query));
        }
        case FILTER -> {
          if (query == null) {
            throw new IllegalArgumentException("dealer " + name + " takes a filter expression as query");
          }
          yield LiveFilter.parse(query);
        }
      };
    }
  }

  private final Map<String, Dealer> byName;

  private Dealers(Map<String, Dealer> byName) {
    this.byName = byName;
  }

  public static Dealers from(JsonObject config) {
    Object value = config.getValue(KEY);
    if (value == null) {
      return new Dealers(Map.of());
    }
    String text = value instanceof JsonArray array ? array.encode() : value.toString();
    String expected = "a JSON list of {\"name\", \"model\", \"kind\": \"broadcast|key|filter\", \"field\"?}";
    JsonArray list;
    try {
      list = new JsonArray(text);
    } catch (DecodeException e) {
      throw ConfigReader.invalid(KEY, text, expected);
    }
    Map<String, Dealer> dealers = new HashMap<>();
    for (Object item : list) {
      if (!(item instanceof JsonObject entry) || !(entry.getValue("name") instanceof String name)
          || !NAME.matcher(name).matches() || !(entry.getValue("model") instanceof String model)
          || !NAME.matcher(model).matches() || !(entry.getValue("kind") instanceof String kindName)) {
        throw ConfigReader.invalid(KEY, text, expected);
      }
      Kind kind;
      try {
        kind = Kind.valueOf(kindName.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ConfigReader.invalid(KEY, text, expected);
      }
      Object field = entry.getValue("field");
      if (kind == Kind.KEY && !(field instanceof String given && LiveFilter.validField(given))) {
        throw ConfigReader.invalid(KEY, text, "a \"field\" for the key dealer " + name + " (a dotted field name)");
      }
      if (dealers.put(name, new Dealer(name, model, kind, kind == Kind.KEY ? (String) field : null)) != null) {
        throw ConfigReader.invalid(KEY, text, "dealer names used once: " + name);
      }
    }
    return new Dealers(Map.copyOf(dealers));
  }

  Optional<Dealer> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  static boolean validModel(String model) {
    return NAME.matcher(model).matches();
  }
}
