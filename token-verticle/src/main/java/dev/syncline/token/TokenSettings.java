package dev.syncline.token;

import dev.syncline.contracts.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the token verticle needs: the HS256 secret for development bearer tokens (none disables the scheme).
 *
 * @param jwtSecret shared HS256 key, at least 32 bytes so the MAC is as strong as its hash
 */
public record TokenSettings(Optional<String> jwtSecret) {
  static final String JWT_SECRET = "jwt_secret";
  private static final int MIN_SECRET_BYTES = 32;

  public static TokenSettings from(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    Optional<String> secret = reader.optionalString(JWT_SECRET);
    if (secret.isPresent() && secret.get().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw ConfigReader.invalidSecret(JWT_SECRET, "at least " + MIN_SECRET_BYTES + " bytes");
    }
    return new TokenSettings(secret);
  }

  @Override
  public String toString() {
    return "TokenSettings[jwtSecret=" + (jwtSecret.isPresent() ? "(set)" : "(none)") + "]";
  }
}
