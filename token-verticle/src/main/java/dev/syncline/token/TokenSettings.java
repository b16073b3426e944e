package dev.syncline.token;

import dev.syncline.contracts.config.ConfigReader;
import dev.syncline.contracts.config.SettingException;
import dev.syncline.token.jwt.OidcProvider;
import dev.syncline.token.push.EndpointKey;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the token verticle needs. A scheme is on when its keys are configured: HS256 bearer tokens with a secret,
 * OpenID Connect bearer tokens with at least one provider.
 *
 * @param jwtSecret shared HS256 key, at least 32 bytes so the MAC is as strong as its hash
 * @param jwtPrincipalPrefix what HS256 users' principals start with ({@code jwt:alice})
 * @param jwtIssuer when set, HS256 tokens must carry this {@code iss}
 * @param jwtAudience when set, HS256 tokens must name this audience
 * @param oidcProviders trusted OpenID Connect issuers, each with its JWKS location
 * @param jwksRefreshSeconds how often every provider's key set is fetched again
 * @param jwksMinRefreshSeconds least time between two fetches caused by an unknown key id, per provider
 * @param leewaySeconds clock skew allowed on {@code exp}, {@code nbf} and {@code iat}
 * @param maxTokenBytes longest credential looked at; longer ones are refused unparsed
 * @param cacheMaxEntries most remembered verifications (0 turns the cache off)
 * @param cacheTtlSeconds how long a verification is remembered, never past the token's expiry (0: off)
 * @param endpointKeys push endpoint keys, the first one seals; empty means a random key for this process only
 * @param accounts whether accounts (HTTP Basic) are on
 * @param accountLockoutFailures password failures per account within a window before it is locked out
 * @param accountLockoutAddressFailures password failures per client address within a window before it is locked out
 * @param accountLockoutSeconds the failure window, which is also how long a lockout lasts at most
 * @param argon2MemoryKib Argon2id memory cost of new password hashes
 * @param argon2Iterations Argon2id time cost of new password hashes
 */
public record TokenSettings(
    Optional<String> jwtSecret,
    String jwtPrincipalPrefix,
    Optional<String> jwtIssuer,
    Optional<String> jwtAudience,
    List<OidcProvider> oidcProviders,
    int jwksRefreshSeconds,
    int jwksMinRefreshSeconds,
    int leewaySeconds,
    int maxTokenBytes,
    int cacheMaxEntries,
    int cacheTtlSeconds,
    List<EndpointKey> endpointKeys,
    boolean accounts,
    int accountLockoutFailures,
    int accountLockoutAddressFailures,
    int accountLockoutSeconds,
    int argon2MemoryKib,
    int argon2Iterations) {

  static final String JWT_SECRET = "jwt_secret";
  static final String JWT_PRINCIPAL_PREFIX = "jwt_principal_prefix";
  static final String JWT_ISSUER = "jwt_issuer";
  static final String JWT_AUDIENCE = "jwt_audience";
  static final String OIDC_PROVIDERS = "oidc_providers";
  static final String OIDC_JWKS_REFRESH_SECONDS = "oidc_jwks_refresh_seconds";
  static final String OIDC_JWKS_MIN_REFRESH_SECONDS = "oidc_jwks_min_refresh_seconds";
  static final String JWT_LEEWAY_SECONDS = "jwt_leeway_seconds";
  static final String MAX_TOKEN_BYTES = "max_token_bytes";
  static final String AUTH_CACHE_MAX_ENTRIES = "auth_cache_max_entries";
  static final String AUTH_CACHE_TTL_SECONDS = "auth_cache_ttl_seconds";
  static final String PUSH_ENDPOINT_KEYS = "push_endpoint_keys";
  static final String ACCOUNTS = "accounts";
  static final String ACCOUNT_LOCKOUT_FAILURES = "account_lockout_failures";
  static final String ACCOUNT_LOCKOUT_ADDRESS_FAILURES = "account_lockout_address_failures";
  static final String ACCOUNT_LOCKOUT_SECONDS = "account_lockout_seconds";
  static final String ACCOUNT_ARGON2_MEMORY_KIB = "account_argon2_memory_kib";
  static final String ACCOUNT_ARGON2_ITERATIONS = "account_argon2_iterations";

  private static final int MIN_SECRET_BYTES = 32;
  // Principals end up in permission rows; a prefix with ':' or spaces would make them ambiguous.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final String PROVIDERS_EXPECTED =
      "a JSON array of {\"name\", \"issuer\", \"audience\", \"jwks_url\"} objects";
  private static final String KEYS_EXPECTED =
      "a comma-separated list of id:key, id a number from 0 to 255 and key 32 bytes in base64url";

  public TokenSettings {
    oidcProviders = List.copyOf(oidcProviders);
    endpointKeys = List.copyOf(endpointKeys);
  }

  public static TokenSettings from(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    Optional<String> secret = reader.optionalString(JWT_SECRET);
    if (secret.isPresent() && secret.get().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw ConfigReader.invalidSecret(JWT_SECRET, "at least " + MIN_SECRET_BYTES + " bytes");
    }
    String prefix = reader.string(JWT_PRINCIPAL_PREFIX, "jwt");
    if (!NAME.matcher(prefix).matches()) {
      throw ConfigReader.invalid(JWT_PRINCIPAL_PREFIX, prefix, "letters, digits, '_', '.' or '-'");
    }
    return new TokenSettings(
        secret,
        prefix,
        reader.optionalString(JWT_ISSUER),
        reader.optionalString(JWT_AUDIENCE),
        providers(config == null ? null : config.getValue(OIDC_PROVIDERS)),
        reader.integer(OIDC_JWKS_REFRESH_SECONDS, 3600, 1, 86_400),
        reader.integer(OIDC_JWKS_MIN_REFRESH_SECONDS, 30, 0, 3600),
        reader.integer(JWT_LEEWAY_SECONDS, 60, 0, 600),
        reader.integer(MAX_TOKEN_BYTES, 8192, 256, 65_536),
        reader.integer(AUTH_CACHE_MAX_ENTRIES, 10_000, 0, 1_000_000),
        reader.integer(AUTH_CACHE_TTL_SECONDS, 60, 0, 3600),
        endpointKeys(reader.optionalString(PUSH_ENDPOINT_KEYS)),
        reader.bool(ACCOUNTS, true),
        reader.integer(ACCOUNT_LOCKOUT_FAILURES, 10, 1, 10_000),
        reader.integer(ACCOUNT_LOCKOUT_ADDRESS_FAILURES, 100, 1, 1_000_000),
        reader.integer(ACCOUNT_LOCKOUT_SECONDS, 300, 1, 86_400),
        // OWASP's floor for Argon2id is 19 MiB with 2 passes; below 8 MiB is refused as too weak.
        reader.integer(ACCOUNT_ARGON2_MEMORY_KIB, 19_456, 8_192, 1_048_576),
        reader.integer(ACCOUNT_ARGON2_ITERATIONS, 2, 1, 10));
  }

  /** Whether any bearer scheme is on. */
  public boolean bearerEnabled() {
    return jwtSecret.isPresent() || !oidcProviders.isEmpty();
  }

  private static List<OidcProvider> providers(Object value) {
    if (value == null || (value instanceof String text && text.isBlank())) {
      return List.of();
    }
    JsonArray array;
    try {
      array = value instanceof JsonArray json ? json : new JsonArray(value.toString());
    } catch (DecodeException e) {
      throw providersInvalid("not JSON");
    }
    List<OidcProvider> providers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> issuers = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject entry)) {
        throw providersInvalid("entry " + i + " is not an object");
      }
      OidcProvider provider = provider(i, entry);
      if (!names.add(provider.name())) {
        throw providersInvalid("name '" + provider.name() + "' appears twice");
      }
      if (!issuers.add(provider.issuer())) {
        throw providersInvalid("issuer '" + provider.issuer() + "' appears twice; tokens pick a provider by issuer");
      }
      providers.add(provider);
    }
    return providers;
  }

  private static OidcProvider provider(int index, JsonObject entry) {
    String name = text(index, entry, "name");
    if (!NAME.matcher(name).matches()) {
      throw providersInvalid("entry " + index + ": name must be letters, digits, '_', '.' or '-'");
    }
    String jwksUrl = text(index, entry, "jwks_url");
    try {
      new ConfigReader(new JsonObject().put(OIDC_PROVIDERS, jwksUrl)).httpUrl(OIDC_PROVIDERS);
    } catch (SettingException e) {
      throw providersInvalid("entry " + index + ": jwks_url must be an absolute http:// or https:// URL");
    }
    return new OidcProvider(name, text(index, entry, "issuer"), text(index, entry, "audience"), jwksUrl);
  }

  private static String text(int index, JsonObject entry, String field) {
    Object value = entry.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw providersInvalid("entry " + index + " needs a non-empty \"" + field + "\"");
    }
    return text.trim();
  }

  private static SettingException providersInvalid(String why) {
    return new SettingException(ConfigReader.envName(OIDC_PROVIDERS) + ": expected " + PROVIDERS_EXPECTED + " ("
        + why + ")");
  }

  private static List<EndpointKey> endpointKeys(Optional<String> value) {
    if (value.isEmpty()) {
      return List.of();
    }
    List<EndpointKey> keys = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (String item : value.get().split(",")) {
      String entry = item.trim();
      int colon = entry.indexOf(':');
      if (colon < 1) {
        throw ConfigReader.invalidSecret(PUSH_ENDPOINT_KEYS, KEYS_EXPECTED);
      }
      int id;
      byte[] key;
      try {
        id = Integer.parseInt(entry.substring(0, colon));
        key = Base64.getUrlDecoder().decode(stripPadding(entry.substring(colon + 1)));
      } catch (IllegalArgumentException e) {
        throw ConfigReader.invalidSecret(PUSH_ENDPOINT_KEYS, KEYS_EXPECTED);
      }
      if (id < 0 || id > 255 || key.length != EndpointKey.KEY_BYTES) {
        throw ConfigReader.invalidSecret(PUSH_ENDPOINT_KEYS, KEYS_EXPECTED);
      }
      if (!ids.add(id)) {
        throw ConfigReader.invalidSecret(PUSH_ENDPOINT_KEYS, "each key id once (id " + id + " appears twice)");
      }
      keys.add(new EndpointKey(id, key));
    }
    return keys;
  }

  private static String stripPadding(String text) {
    return text.replaceAll("=+$", "");
  }

  @Override
  public String toString() {
    return "TokenSettings[jwtSecret=" + (jwtSecret.isPresent() ? "(set)" : "(none)")
        + ", jwtPrincipalPrefix=" + jwtPrincipalPrefix
        + ", jwtIssuer=" + jwtIssuer.orElse("(any)")
        + ", jwtAudience=" + jwtAudience.orElse("(any)")
        + ", oidcProviders=" + oidcProviders.stream().map(OidcProvider::name).toList()
        + ", jwksRefreshSeconds=" + jwksRefreshSeconds
        + ", jwksMinRefreshSeconds=" + jwksMinRefreshSeconds
        + ", leewaySeconds=" + leewaySeconds
        + ", maxTokenBytes=" + maxTokenBytes
        + ", cacheMaxEntries=" + cacheMaxEntries
        + ", cacheTtlSeconds=" + cacheTtlSeconds
        + ", endpointKeys=" + (endpointKeys.isEmpty() ? "(random)" : endpointKeys.size() + " (ids "
        + endpointKeys.stream().map(k -> String.valueOf(k.id())).toList() + ")")
        + ", accounts=" + accounts
        + ", accountLockout=" + accountLockoutFailures + "/" + accountLockoutAddressFailures + " per "
        + accountLockoutSeconds + "s"
        + ", argon2=m" + argon2MemoryKib + ",t" + argon2Iterations
        + "]";
  }
}
