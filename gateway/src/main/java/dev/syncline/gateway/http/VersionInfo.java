package dev.syncline.gateway.http;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's name, version and commit, as Maven wrote them into the jar. */
public record VersionInfo(String name, String version, String commit) {
  private static final String RESOURCE = "/syncline-version.properties";

  public static VersionInfo load() {
    Properties properties = new Properties();
    try (InputStream in = VersionInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // An unreadable resource leaves "unknown" values; the node still serves.
    }
    return new VersionInfo("syncline", value(properties, "version"), value(properties, "commit"));
  }

  private static String value(Properties properties, String key) {
    String value = properties.getProperty(key, "");
    // A build without git metadata leaves the placeholder unexpanded.
    return value.isBlank() || value.startsWith("${") ? "unknown" : value;
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("version", version).put("commit", commit);
  }
}
