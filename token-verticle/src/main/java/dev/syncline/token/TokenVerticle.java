package dev.syncline.token;

import dev.syncline.contracts.bus.AccountBus;
import dev.syncline.contracts.bus.Health;
import dev.syncline.contracts.bus.TokenBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.FailureMessages;
import dev.syncline.token.accounts.AccountCredentials;
import dev.syncline.token.accounts.BasicAuthenticator;
import dev.syncline.token.auth.AuthFailure;
import dev.syncline.token.auth.Identity;
import dev.syncline.token.cache.VerificationCache;
import dev.syncline.token.jwt.HsJwtVerifier;
import dev.syncline.token.jwt.JwksSource;
import dev.syncline.token.jwt.OidcVerifier;
import dev.syncline.token.push.EndpointKey;
import dev.syncline.token.push.EndpointTokens;
import dev.syncline.token.push.VapidKey;
import dev.syncline.token.push.VapidVerifier;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Verifies credentials and seals push endpoints; keys never leave it. Reached over the local event bus only. */
public final class TokenVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TokenVerticle.class);

  private final Clock clock;
  private TokenSettings settings;
  private WebClient webClient;
  private OidcVerifier oidc;
  private BearerAuthenticator authenticator;
  private EndpointTokens endpoints;
  private VapidVerifier vapid;
  private AccountCredentials accounts;
  private long refreshTimer = -1;

  public TokenVerticle() {
    this(Clock.systemUTC());
  }

  /** With the clock every expiry is judged by; tests pass a fixed one. */
  public TokenVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    settings = TokenSettings.from(config());
    LOG.debug("token verticle starting with {}", settings);
    Duration leeway = Duration.ofSeconds(settings.leewaySeconds());
    Optional<HsJwtVerifier> hs = settings.jwtSecret().map(secret -> new HsJwtVerifier(secret,
        settings.jwtPrincipalPrefix(), settings.jwtIssuer(), settings.jwtAudience(), clock, leeway));
    oidc = settings.oidcProviders().isEmpty() ? null : new OidcVerifier(jwksSources(), clock, leeway);
    var cache = new VerificationCache(settings.cacheMaxEntries(), Duration.ofSeconds(settings.cacheTtlSeconds()),
        clock);
    authenticator = new BearerAuthenticator(hs, Optional.ofNullable(oidc), cache, settings.maxTokenBytes());
    endpoints = new EndpointTokens(endpointKeys());
    vapid = new VapidVerifier(clock, leeway, settings.maxTokenBytes());
    if (!settings.bearerEnabled() && !settings.accounts()) {
      LOG.info("No authentication scheme configured (SYNCLINE_JWT_SECRET, SYNCLINE_OIDC_PROVIDERS, "
          + "SYNCLINE_ACCOUNTS): every request is anonymous");
    }
    var bus = vertx.eventBus();
    return startOidc()
        .compose(v -> startAccounts(cache))
        .compose(v -> Future.all(
            bus.localConsumer(TokenBus.HEALTH, this::health).completion(),
            bus.localConsumer(TokenBus.AUTHENTICATE, this::authenticate).completion(),
            bus.localConsumer(TokenBus.ENDPOINT_SEAL, this::sealEndpoint).completion(),
            bus.localConsumer(TokenBus.ENDPOINT_OPEN, this::openEndpoint).completion(),
            bus.localConsumer(TokenBus.VAPID_VERIFY, this::verifyVapid).completion(),
            accounts == null ? Future.succeededFuture() : Future.all(
                bus.<JsonObject>localConsumer(AccountBus.HASH_PASSWORD, this::hashPassword).completion(),
                // Clustered on purpose: a password changed through any node must stop working on every node.
                bus.<JsonObject>consumer(AccountBus.CHANGED, msg -> accounts.changed(msg.body())).completion())));
  }

  private Future<Void> startAccounts(VerificationCache cache) {
    if (!settings.accounts()) {
      return Future.succeededFuture();
    }
    return AccountCredentials.start(vertx, settings, cache, clock).onSuccess(started -> accounts = started)
        .mapEmpty();
  }

  @Override
  public Future<?> stop() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    if (webClient != null) {
      webClient.close();
    }
    return accounts == null ? Future.succeededFuture() : accounts.close();
  }

  /** For tests: requests the cache answered. */
  BearerAuthenticator authenticator() {
    return authenticator;
  }

  /** For tests: the Basic scheme, null when accounts are off. */
  BasicAuthenticator basic() {
    return accounts == null ? null : accounts.basic();
  }

  private List<JwksSource> jwksSources() {
    webClient = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000)
        .setUserAgent("syncline-token"));
    Duration minRefresh = Duration.ofSeconds(settings.jwksMinRefreshSeconds());
    return settings.oidcProviders().stream()
        .map(provider -> new JwksSource(webClient, provider, clock, minRefresh))
        .toList();
  }

  private Future<Void> startOidc() {
    if (oidc == null) {
      return Future.succeededFuture();
    }
    refreshTimer = vertx.setPeriodic(settings.jwksRefreshSeconds() * 1000L, id -> oidc.refreshAll());
    return oidc.start();
  }

  private List<EndpointKey> endpointKeys() {
    if (!settings.endpointKeys().isEmpty()) {
      return settings.endpointKeys();
    }
    LOG.warn("SYNCLINE_PUSH_ENDPOINT_KEYS is not set: push endpoints use a random key and stop working when this "
        + "node restarts; in a cluster every node needs the same keys, so set it there");
    return List.of(EndpointTokens.randomKey());
  }

  private void health(Message<JsonObject> msg) {
    msg.reply(new JsonObject().put(Health.OK, true));
  }

  private void authenticate(Message<JsonObject> msg) {
    JsonObject request = body(msg);
    String authorization = request.getString(TokenBus.AUTHORIZATION);
    Future<Identity> identity = accounts != null && BasicAuthenticator.isBasic(authorization)
        ? accounts.basic().authenticate(authorization, request.getString(TokenBus.CLIENT_ADDRESS))
        : authenticator.authenticate(authorization);
    identity.map(Identity::toReply)
        .onSuccess(msg::reply)
        .onFailure(failure -> fail(msg, failure));
  }

  private void hashPassword(Message<JsonObject> msg) {
    accounts.hashPassword(body(msg)).onSuccess(msg::reply).onFailure(failure -> fail(msg, failure));
  }

  private void sealEndpoint(Message<JsonObject> msg) {
    JsonObject request = body(msg);
    try {
      Optional<VapidKey> key = Optional.ofNullable(request.getString(TokenBus.VAPID_KEY)).map(this::vapidKey);
      String token = endpoints.seal(request.getString(TokenBus.UAID), request.getString(TokenBus.CHANNEL_ID),
          key.map(VapidKey::hash));
      JsonObject reply = new JsonObject().put(TokenBus.TOKEN, token);
      key.ifPresent(k -> reply.put(TokenBus.VAPID_KEY_HASH, k.hashText()));
      msg.reply(reply);
    } catch (RuntimeException failure) {
      fail(msg, failure);
    }
  }

  private void openEndpoint(Message<JsonObject> msg) {
    try {
      EndpointTokens.Subscription subscription = endpoints.open(body(msg).getString(TokenBus.TOKEN));
      JsonObject reply = new JsonObject()
          .put(TokenBus.UAID, subscription.uaid())
          .put(TokenBus.CHANNEL_ID, subscription.channelId());
      subscription.vapidKeyHash().ifPresent(hash -> reply.put(TokenBus.VAPID_KEY_HASH, base64Url(hash)));
      msg.reply(reply);
    } catch (RuntimeException failure) {
      fail(msg, failure);
    }
  }

  private void verifyVapid(Message<JsonObject> msg) {
    JsonObject request = body(msg);
    try {
      String audience = request.getString(TokenBus.AUDIENCE);
      if (audience == null || audience.isBlank()) {
        throw AuthFailure.of(ErrorCode.INVALID_PARAMETERS, "audience is required");
      }
      Optional<byte[]> expected = Optional.ofNullable(request.getString(TokenBus.VAPID_KEY_HASH))
          .map(TokenVerticle::keyHash);
      VapidVerifier.Verified verified = vapid.verify(request.getString(TokenBus.AUTHORIZATION),
          request.getString(TokenBus.CRYPTO_KEY), audience, expected);
      JsonObject reply = new JsonObject().put(TokenBus.VAPID_KEY_HASH, verified.key().hashText());
      verified.subject().ifPresent(sub -> reply.put(TokenBus.SUBJECT, sub));
      msg.reply(reply);
    } catch (RuntimeException failure) {
      fail(msg, failure);
    }
  }

  private VapidKey vapidKey(String text) {
    try {
      return VapidKey.parse(text);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw AuthFailure.of(ErrorCode.INVALID_PARAMETERS, "vapid_key must be a P-256 public key in base64url");
    }
  }

  private static byte[] keyHash(String text) {
    try {
      return Base64.getUrlDecoder().decode(text.replaceAll("=+$", ""));
    } catch (IllegalArgumentException e) {
      throw AuthFailure.of(ErrorCode.INVALID_PARAMETERS, "vapid_key_hash must be base64url");
    }
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static JsonObject body(Message<JsonObject> msg) {
    return msg.body() == null ? new JsonObject() : msg.body();
  }

  private static void fail(Message<JsonObject> msg, Throwable failure) {
    if (failure instanceof AuthFailure refusal && refusal.retryAfterSeconds() > 0) {
      msg.fail(refusal.code().errno(), FailureMessages.write(refusal.getMessage(),
          new JsonObject().put(TokenBus.RETRY_AFTER, refusal.retryAfterSeconds())));
      return;
    }
    if (failure instanceof AuthFailure refusal) {
      msg.fail(refusal.code().errno(), refusal.getMessage());
      return;
    }
    // Unexpected: logged with its type only, since a library's message may quote the input it choked on.
    LOG.error("token request failed unexpectedly: {}", failure.getClass().getName());
    msg.fail(ErrorCode.UNDEFINED.errno(), "internal error");
  }
}
