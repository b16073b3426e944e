package dev.syncline.gateway.config;

import dev.syncline.contracts.config.ConfigReader;
import dev.syncline.contracts.config.SettingException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a node's configuration: an optional JSON file given with {@code --conf FILE}, overlaid by every
 * {@code SYNCLINE_*} environment variable.
 *
 * <p>The result is one flat object whose keys are the settings' names without the prefix, in lower case
 * ({@code SYNCLINE_HTTP_PORT} becomes {@code http_port}); each verticle's settings record reads the keys it owns.
 * A file may spell a key either way.
 */
public final class NodeConfig {
  public static final String USAGE = "usage: java -jar syncline.jar [--conf FILE]";

  private NodeConfig() {
  }

  public static JsonObject load(List<String> args, Map<String, String> env) {
    JsonObject config = new JsonObject();
    Path file = confFile(args);
    if (file != null) {
      readFile(file).forEach(entry -> config.put(normalise(entry.getKey()), entry.getValue()));
    }
    env.forEach((name, value) -> {
      if (name.startsWith(ConfigReader.ENV_PREFIX) && name.length() > ConfigReader.ENV_PREFIX.length()) {
        config.put(ConfigReader.keyOf(name), value);
      }
    });
    return config;
  }

  private static Path confFile(List<String> args) {
    Path file = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--conf") && i + 1 < args.size()) {
        file = Path.of(args.get(++i));
      } else if (arg.startsWith("--conf=")) {
        file = Path.of(arg.substring("--conf=".length()));
      } else {
        throw new SettingException("unexpected argument '" + arg + "'; " + USAGE);
      }
    }
    return file;
  }

  private static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new SettingException("--conf " + file + ": cannot read the file (" + e.getMessage() + ")");
    } catch (DecodeException e) {
      throw new SettingException("--conf " + file + ": not a JSON object (" + e.getMessage() + ")");
    }
  }

  private static String normalise(String key) {
    String upper = key.toUpperCase(Locale.ROOT);
    return upper.startsWith(ConfigReader.ENV_PREFIX) ? ConfigReader.keyOf(upper) : key.toLowerCase(Locale.ROOT);
  }
}
