package dev.syncline.token.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider's public signing keys, fetched from its JWKS URL and kept in memory.
 *
 * <p>A failed fetch keeps the keys we had: a provider's brief outage must not log every user out. Fetches caused by
 * tokens naming an unknown key are rate-limited, since anyone can send such a token and each would otherwise cost
 * an outbound request. Runs on one verticle's context only.
 */
public final class JwksSource {
  private static final Logger LOG = LoggerFactory.getLogger(JwksSource.class);
  private static final int TIMEOUT_MS = 5_000;

  private final WebClient client;
  private final OidcProvider provider;
  private final Clock clock;
  private final Duration minRefresh;
  private List<JWK> keys = List.of();
  private Instant lastAttempt;
  private Future<Void> inFlight;
  private long fetches;

  public JwksSource(WebClient client, OidcProvider provider, Clock clock, Duration minRefresh) {
    this.client = client;
    this.provider = provider;
    this.clock = clock;
    this.minRefresh = minRefresh;
  }

  public OidcProvider provider() {
    return provider;
  }

  public List<JWK> keys() {
    return keys;
  }

  /** How many fetches were started, successful or not. */
  public long fetches() {
    return fetches;
  }

  /** Fetches the key set now (at start and on schedule); never fails, a failure is logged and the old keys kept. */
  public Future<Void> refresh() {
    if (inFlight != null) {
      return inFlight;
    }
    fetches++;
    lastAttempt = clock.instant();
    inFlight = client.getAbs(provider.jwksUrl())
        .timeout(TIMEOUT_MS)
        .putHeader("Accept", "application/json")
        .send()
        .map(this::parse)
        .onSuccess(this::replace)
        .<Void>mapEmpty()
        .recover(this::keepOld)
        .onComplete(done -> inFlight = null);
    return inFlight;
  }

  /**
   * Fetches again because a token named a key we lack, unless the last fetch is more recent than the rate limit.
   *
   * @return whether the keys may have changed
   */
  public Future<Boolean> refreshForUnknownKey() {
    if (inFlight != null) {
      return inFlight.map(true);
    }
    if (lastAttempt != null && clock.instant().isBefore(lastAttempt.plus(minRefresh))) {
      return Future.succeededFuture(false);
    }
    return refresh().map(true);
  }

  private List<JWK> parse(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
    try {
      return JWKSet.parse(response.bodyAsString()).toPublicJWKSet().getKeys();
    } catch (ParseException e) {
      throw new IllegalStateException("not a JWK set (" + e.getMessage() + ")");
    }
  }

  private void replace(List<JWK> fetched) {
    keys = List.copyOf(fetched);
    LOG.debug("OIDC provider {}: {} signing keys", provider.name(), keys.size());
  }

  private Future<Void> keepOld(Throwable failure) {
    LOG.warn("OIDC provider {}: cannot fetch its signing keys from {}, keeping {} known keys: {}", provider.name(),
        provider.jwksUrl(), keys.size(), failure.getMessage());
    return Future.succeededFuture();
  }
}
