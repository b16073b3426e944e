package dev.syncline.contracts.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Typed access to a verticle's {@code config()}.
 *
 * <p>Keys are the lower-case names of the {@code SYNCLINE_*} environment variables without the prefix
 * ({@code SYNCLINE_HTTP_PORT} is {@code http_port}); values may be JSON numbers and booleans from a config file or
 * strings from the environment, so every getter accepts both. Every refusal names the environment variable.
 */
public final class ConfigReader {
  public static final String ENV_PREFIX = "SYNCLINE_";

  private final JsonObject config;

  public ConfigReader(JsonObject config) {
    this.config = config == null ? new JsonObject() : config;
  }

  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT);
  }

  public static String keyOf(String envName) {
    return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
  }

  public Optional<String> optionalString(String key) {
    Object value = config.getValue(key);
    if (value == null) {
      return Optional.empty();
    }
    String text = value.toString().trim();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  public String string(String key, String defaultValue) {
    return optionalString(key).orElse(defaultValue);
  }

  public int integer(String key, int defaultValue, int min, int max) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text.get());
      if (value < min || value > max) {
        throw invalid(key, text.get(), "a whole number from " + min + " to " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid(key, text.get(), "a whole number from " + min + " to " + max);
    }
  }

  public long longValue(String key, long defaultValue, long min, long max) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      long value = Long.parseLong(text.get());
      if (value < min || value > max) {
        throw invalid(key, text.get(), "a whole number from " + min + " to " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid(key, text.get(), "a whole number from " + min + " to " + max);
    }
  }

  /** A TCP port; 0 asks the operating system for a free one, which tests rely on. */
  public int port(String key, int defaultValue) {
    return integer(key, defaultValue, 0, 65535);
  }

  public boolean bool(String key, boolean defaultValue) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    return switch (text.get().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw invalid(key, text.get(), "true or false");
    };
  }

  /** A comma-separated list in the environment, or a JSON array in a config file. */
  public List<String> list(String key, List<String> defaultValue) {
    Object value = config.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    List<String> items = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(item -> items.add(String.valueOf(item).trim()));
    } else {
      for (String item : value.toString().split(",")) {
        items.add(item.trim());
      }
    }
    items.removeIf(String::isEmpty);
    return items.isEmpty() ? defaultValue : List.copyOf(items);
  }

  public <E extends Enum<E>> E choice(String key, E defaultValue) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(defaultValue.getDeclaringClass(), text.get().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E constant : defaultValue.getDeclaringClass().getEnumConstants()) {
        names.add(constant.name().toLowerCase(Locale.ROOT));
      }
      throw invalid(key, text.get(), "one of " + String.join(", ", names));
    }
  }

  /** An absolute http(s) URL without a trailing slash. */
  public Optional<String> httpUrl(String key) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return text;
    }
    try {
      URI uri = new URI(text.get());
      if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw invalid(key, text.get(), "an absolute http:// or https:// URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw invalid(key, text.get(), "an absolute http:// or https:// URL");
    }
    return Optional.of(text.get().replaceAll("/+$", ""));
  }

  /** A refusal for a value that must not be echoed, such as a password or key. */
  public static SettingException invalidSecret(String key, String expected) {
    return new SettingException(envName(key) + ": expected " + expected);
  }

  public static SettingException invalid(String key, String value, String expected) {
    return new SettingException(envName(key) + ": expected " + expected + ", got '" + value + "'");
  }
}
