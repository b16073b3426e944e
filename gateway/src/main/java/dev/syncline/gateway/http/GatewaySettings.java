package dev.syncline.gateway.http;

import dev.syncline.contracts.config.ConfigReader;
import dev.syncline.contracts.config.SettingException;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway needs: its two listeners, the links it hands out, and the limits it enforces at the edge.
 *
 * @param httpHost public listener address
 * @param httpPort public listener port, 0 for any free one
 * @param httpInstances how many gateway verticles share the two listeners, each on its own event loop
 * @param eventLoops the node's event-loop threads; one per core, not Vert.x's two, since a node runs few verticles
 *     and none of them blocks (measured: about a tenth more push messages per second on two cores)
 * @param publicUrl base URL put in returned links; empty means {@code http://localhost:{actual port}}
 * @param backendHost trusted backend listener address
 * @param backendPort trusted backend listener port, 0 for any free one
 * @param backendKeys accepted {@code X-Backend-Key} values (several, so keys can rotate); none disables the API
 * @param maxBodyBytes largest request body accepted
 * @param retryAfterSeconds {@code Retry-After} sent with 503 answers
 * @param batchMaxRequests most sub-requests in one batch, advertised to clients
 * @param readonly refuse every write
 * @param shutdownSeconds how long in-flight requests get to finish when the node stops
 * @param backoffSeconds value of the {@code Backoff} header when the node is loaded; 0 never sends it
 * @param backoffInFlight storage requests in flight on this node from which it counts as loaded (0: always)
 * @param eos end-of-service date: {@code Alert} before it, 410 errno 202 from that day on
 * @param eosMessage text of the end-of-service alert
 * @param eosUrl link in the end-of-service alert
 * @param accounts whether {@code /v1/accounts} and HTTP Basic are on
 * @param accountSignup whether anyone may create an account (otherwise only admins)
 * @param accountAdmins principals that may read, change and delete every account
 * @param accountPasswordMinLength fewest characters a new password may have
 */
public record GatewaySettings(
    String httpHost,
    int httpPort,
    int httpInstances,
    int eventLoops,
    Optional<String> publicUrl,
    String backendHost,
    int backendPort,
    List<String> backendKeys,
    int maxBodyBytes,
    int retryAfterSeconds,
    int batchMaxRequests,
    boolean readonly,
    int shutdownSeconds,
    int backoffSeconds,
    int backoffInFlight,
    Optional<LocalDate> eos,
    Optional<String> eosMessage,
    Optional<String> eosUrl,

    boolean accounts,
    boolean accountSignup,
    List<String> accountAdmins,
    int accountPasswordMinLength) {

  static final String HTTP_HOST = "http_host";
  static final String HTTP_PORT = "http_port";
  static final String HTTP_INSTANCES = "http_instances";
  static final String EVENT_LOOPS = "event_loops";
  static final String PUBLIC_URL = "public_url";
  static final String BACKEND_HOST = "backend_host";
  static final String BACKEND_PORT = "backend_port";
  static final String BACKEND_KEY = "backend_key";
  static final String MAX_BODY_BYTES = "max_body_bytes";
  static final String RETRY_AFTER_SECONDS = "retry_after_seconds";
  static final String BATCH_MAX_REQUESTS = "batch_max_requests";
  static final String READONLY = "readonly";
  static final String SHUTDOWN_SECONDS = "shutdown_seconds";
  static final String BACKOFF_SECONDS = "backoff_seconds";
  static final String BACKOFF_IN_FLIGHT = "backoff_in_flight";
  static final String EOS = "eos";
  static final String EOS_MESSAGE = "eos_message";
  static final String EOS_URL = "eos_url";
  static final String ACCOUNTS = "accounts";
  static final String ACCOUNT_SIGNUP = "account_signup";
  static final String ACCOUNT_ADMINS = "account_admins";
  static final String ACCOUNT_PASSWORD_MIN_LENGTH = "account_password_min_length";
  private static final int MIN_BACKEND_KEY_LENGTH = 16;

  public static GatewaySettings from(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    List<String> keys = reader.list(BACKEND_KEY, List.of());
    if (keys.stream().anyMatch(key -> key.length() < MIN_BACKEND_KEY_LENGTH)) {
      throw ConfigReader.invalidSecret(BACKEND_KEY, "keys of at least " + MIN_BACKEND_KEY_LENGTH + " characters");
    }
    GatewaySettings settings = new GatewaySettings(
        reader.string(HTTP_HOST, "0.0.0.0"),
        reader.port(HTTP_PORT, 8080),
        reader.integer(HTTP_INSTANCES, Runtime.getRuntime().availableProcessors(), 1, 256),
        reader.integer(EVENT_LOOPS, Runtime.getRuntime().availableProcessors(), 1, 1024),
        reader.httpUrl(PUBLIC_URL),
        reader.string(BACKEND_HOST, "127.0.0.1"),
        reader.port(BACKEND_PORT, 8081),
        keys,
        reader.integer(MAX_BODY_BYTES, 1_048_576, 1_024, 1_073_741_824),
        reader.integer(RETRY_AFTER_SECONDS, 5, 1, 3_600),
        reader.integer(BATCH_MAX_REQUESTS, 25, 1, 1_000),
        reader.bool(READONLY, false),
        reader.integer(SHUTDOWN_SECONDS, 10, 0, 600),
        reader.integer(BACKOFF_SECONDS, 0, 0, 86_400),
        reader.integer(BACKOFF_IN_FLIGHT, 256, 0, 1_000_000),
        reader.optionalString(EOS).map(GatewaySettings::date),
        reader.optionalString(EOS_MESSAGE),
        reader.httpUrl(EOS_URL),

        reader.bool(ACCOUNTS, true),
        reader.bool(ACCOUNT_SIGNUP, true),
        reader.list(ACCOUNT_ADMINS, List.of()),
        reader.integer(ACCOUNT_PASSWORD_MIN_LENGTH, 8, 1, 256));
    for (String admin : settings.accountAdmins) {
      // A principal is "kind:name" or a system one; a bare word is most likely a forgotten "account:" prefix.
      if (!admin.contains(":") || admin.chars().anyMatch(Character::isWhitespace)) {
        throw ConfigReader.invalid(ACCOUNT_ADMINS, admin, "principals such as account:alice or jwt:ops");
      }
    }
    if (settings.httpPort != 0 && settings.httpPort == settings.backendPort
        && settings.httpHost.equals(settings.backendHost)) {
      throw new SettingException(ConfigReader.envName(BACKEND_PORT) + ": must differ from "
          + ConfigReader.envName(HTTP_PORT) + " (" + settings.httpPort + ")");
    }
    return settings;
  }

  private static LocalDate date(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw ConfigReader.invalid(EOS, text, "a date such as 2027-06-30");
    }
  }

  public boolean backendEnabled() {
    return !backendKeys.isEmpty();
  }

  @Override
  public String toString() {
    return "GatewaySettings[http=" + httpHost + ":" + httpPort + ", backend=" + backendHost + ":" + backendPort
        + ", backendKeys=" + backendKeys.size() + ", maxBodyBytes=" + maxBodyBytes + ", readonly=" + readonly + ", accounts=" + accounts + (accounts ? " (signup " + accountSignup + ", "
        + accountAdmins.size() + " admins)" : "") + "]";
  }
}
