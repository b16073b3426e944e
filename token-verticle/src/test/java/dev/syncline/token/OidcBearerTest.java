package dev.syncline.token;

import static dev.syncline.token.Tokens.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.syncline.contracts.bus.TokenBus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(VertxExtension.class)
class OidcBearerTest {
  static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  static final String ALPHA = "https://alpha.test";
  static final String BETA = "https://beta.test/tenant";
  static final ECKey BETA_KEY = Tokens.ecKey("beta-ec");

  private final MutableClock clock = new MutableClock(NOW);
  private final JwksServer alpha = new JwksServer();
  private final JwksServer beta = new JwksServer();
  private TokenVerticle verticle;

  @BeforeEach
  void deploy(Vertx vertx) {
    alpha.start(vertx).await();
    beta.start(vertx).await();
    alpha.publish(Keys.RSA, Keys.EC, Keys.ED.jwk());
    beta.publish(BETA_KEY);
    JsonArray providers = new JsonArray()
        .add(new JsonObject().put("name", "alpha").put("issuer", ALPHA).put("audience", "client-a")
            .put("jwks_url", alpha.url()))
        .add(new JsonObject().put("name", "beta").put("issuer", BETA).put("audience", "client-b")
            .put("jwks_url", beta.url()));
    verticle = new TokenVerticle(clock);
    JsonObject config = TestConfig.base()
        .put("oidc_providers", providers)
        .put("oidc_jwks_min_refresh_seconds", 30);
    vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await();
  }

  static JWTClaimsSet.Builder alphaClaims() {
    return claims(ALPHA, "client-a", "bob", NOW);
  }

  static Future<JsonObject> authenticate(Vertx vertx, String token) {
    return Bus.request(vertx, TokenBus.AUTHENTICATE, new JsonObject().put(TokenBus.AUTHORIZATION, "Bearer " + token));
  }

  @Test
  void loadsEveryProvidersKeysAtStart() {
    assertThat(alpha.fetches()).isEqualTo(1);
    assertThat(beta.fetches()).isEqualTo(1);
  }

  @Test
  void acceptsRs256(Vertx vertx, VertxTestContext ctx) {
    Bus.expectReply(authenticate(vertx, Tokens.rs256(Keys.RSA, alphaClaims().build())), ctx, reply -> {
      assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("alpha:bob");
      assertThat(reply.getJsonArray(TokenBus.PRINCIPALS).getList())
          .containsExactly(TokenBus.EVERYONE, TokenBus.AUTHENTICATED, "alpha:bob");
    });
  }

  @Test
  void acceptsEs256(Vertx vertx, VertxTestContext ctx) {
    Bus.expectReply(authenticate(vertx, Tokens.es256(Keys.EC, alphaClaims().build())), ctx,
        reply -> assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("alpha:bob"));
  }

  @Test
  void acceptsEdDsa(Vertx vertx, VertxTestContext ctx) {
    Bus.expectReply(authenticate(vertx, Tokens.edDsa(Keys.ED, alphaClaims().build())), ctx,
        reply -> assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("alpha:bob"));
  }

  @Test
  void acceptsAnAudienceListThatNamesUs(Vertx vertx, VertxTestContext ctx) {
    JWTClaimsSet claims = alphaClaims().audience(java.util.List.of("other", "client-a")).build();
    Bus.expectReply(authenticate(vertx, Tokens.rs256(Keys.RSA, claims)), ctx,
        reply -> assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("alpha:bob"));
  }

  @Test
  void picksTheProviderByIssuer(Vertx vertx, VertxTestContext ctx) {
    JWTClaimsSet claims = claims(BETA, "client-b", "carol", NOW).build();
    Bus.expectReply(authenticate(vertx, Tokens.es256(BETA_KEY, claims)), ctx,
        reply -> assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("beta:carol"));
  }

  @Test
  void aSecondRequestWithTheSameTokenIsACacheHit(Vertx vertx, VertxTestContext ctx) {
    String token = Tokens.rs256(Keys.RSA, alphaClaims().build());
    Bus.expectReply(authenticate(vertx, token).compose(first -> authenticate(vertx, token)), ctx, reply -> {
      assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("alpha:bob");
      assertThat(verticle.authenticator().cacheHits()).isEqualTo(1);
    });
  }

  @Test
  void anUnknownKeyIdFetchesTheKeysAgain(Vertx vertx, VertxTestContext ctx) {
    alpha.publish(Keys.RSA_ROTATED);
    clock.advance(Duration.ofSeconds(31));
    Bus.expectReply(authenticate(vertx, Tokens.rs256(Keys.RSA_ROTATED, alphaClaims().build())), ctx, reply -> {
      assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("alpha:bob");
      assertThat(alpha.fetches()).isEqualTo(2);
    });
  }

  @Test
  void fetchesForUnknownKeyIdsAreRateLimited(Vertx vertx, VertxTestContext ctx) {
    String rotated = Tokens.rs256(Keys.RSA_ROTATED, alphaClaims().build());
    clock.advance(Duration.ofSeconds(31));
    authenticate(vertx, rotated)
        .transform(first -> {
          ctx.verify(() -> {
            assertThat(first.failed()).as("refused: the key is not published yet").isTrue();
            assertThat(alpha.fetches()).as("one refresh for the unknown kid").isEqualTo(2);
          });
          alpha.publish(Keys.RSA_ROTATED);
          return authenticate(vertx, rotated);
        })
        .transform(second -> {
          ctx.verify(() -> {
            assertThat(second.failed()).as("refused: no refresh within the limit").isTrue();
            assertThat(alpha.fetches()).isEqualTo(2);
          });
          clock.advance(Duration.ofSeconds(31));
          return authenticate(vertx, rotated);
        })
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("alpha:bob");
          assertThat(alpha.fetches()).isEqualTo(3);
          ctx.completeNow();
        })));
  }

  @Test
  void refusesAnUnknownKeyIdAfterTheRefresh(Vertx vertx, VertxTestContext ctx) {
    clock.advance(Duration.ofSeconds(31));
    authenticate(vertx, Tokens.rs256(Keys.RSA_ROTATED, alphaClaims().build()))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> assertThat(alpha.fetches()).isEqualTo(2))));
    Bus.expectFailure(authenticate(vertx, Tokens.rs256(Keys.RSA_ROTATED, alphaClaims().build())), ctx, 105);
  }

  static Stream<Arguments> invalid() {
    byte[] rsaPublicDer;
    try {
      rsaPublicDer = Keys.RSA.toRSAPublicKey().getEncoded();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return Stream.of(
        Arguments.of("wrong audience", Tokens.rs256(Keys.RSA, alphaClaims().audience("client-b").build())),
        Arguments.of("no audience", Tokens.rs256(Keys.RSA, alphaClaims().audience((String) null).build())),
        Arguments.of("unknown issuer", Tokens.rs256(Keys.RSA, alphaClaims().issuer("https://evil.test").build())),
        Arguments.of("no issuer", Tokens.rs256(Keys.RSA, alphaClaims().issuer(null).build())),
        Arguments.of("alpha's key under beta's issuer",
            Tokens.rs256(Keys.RSA, alphaClaims().issuer(BETA).audience("client-b").build())),
        Arguments.of("expired", Tokens.rs256(Keys.RSA,
            alphaClaims().expirationTime(Date.from(NOW.minusSeconds(61))).build())),
        Arguments.of("no expiry", Tokens.rs256(Keys.RSA, alphaClaims().expirationTime(null).build())),
        Arguments.of("not valid yet", Tokens.es256(Keys.EC,
            alphaClaims().notBeforeTime(Date.from(NOW.plusSeconds(61))).build())),
        Arguments.of("issued in the future", Tokens.edDsa(Keys.ED,
            alphaClaims().issueTime(Date.from(NOW.plusSeconds(61))).build())),
        Arguments.of("no subject", Tokens.rs256(Keys.RSA, alphaClaims().subject(null).build())),
        Arguments.of("HS256 while no secret is set", Tokens.hs256(alphaClaims().build())),
        Arguments.of("HS256 keyed with the provider's RSA public key",
            Tokens.hs(JWSAlgorithm.HS256, rsaPublicDer, alphaClaims().build())),
        Arguments.of("HS256 keyed with the provider's JWK text",
            Tokens.hs(JWSAlgorithm.HS256, Keys.RSA.toPublicJWK().toJSONString().getBytes(), alphaClaims().build())),
        Arguments.of("ES256 naming the RSA key", Tokens.es256(Keys.EC, "rsa-1", alphaClaims().build())),
        Arguments.of("RS256 signed by a stranger under a known kid",
            Tokens.rs256(new com.nimbusds.jose.jwk.RSAKey.Builder(Keys.RSA_ROTATED).keyID("rsa-1").build(),
                alphaClaims().build())),
        Arguments.of("EdDSA signed by a stranger", Tokens.edDsa(
            new Tokens.EdKey(Tokens.edKey("x").pair(), Keys.ED.jwk()), alphaClaims().build())),
        Arguments.of("PS256", signed(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").build(),
            alphaClaims().build())),
        Arguments.of("unknown critical header", signed(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
            .customParam("exp-ext", 1).criticalParams(Set.of("exp-ext")).build(), alphaClaims().build())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesWith105(String name, String token, Vertx vertx, VertxTestContext ctx) {
    Bus.expectFailure(authenticate(vertx, token), ctx, 105);
  }

  private static String signed(JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new RSASSASigner(Keys.RSA));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
