package dev.syncline.token;

import static dev.syncline.token.Tokens.b64;
import static dev.syncline.token.Tokens.claims;
import static dev.syncline.token.Tokens.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.syncline.contracts.bus.TokenBus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(VertxExtension.class)
class HsBearerTest {
  static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  static final String ISS = "https://issuer.test";
  static final String AUD = "syncline";

  private final MutableClock clock = new MutableClock(NOW);
  private TokenVerticle verticle;

  @BeforeEach
  void deploy(Vertx vertx) {
    verticle = new TokenVerticle(clock);
    JsonObject config = TestConfig.base()
        .put("jwt_secret", Tokens.SECRET)
        .put("jwt_issuer", ISS)
        .put("jwt_audience", AUD)
        .put("max_token_bytes", 1024)
        .put("accounts", false);
    vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await();
  }

  static JWTClaimsSet.Builder valid() {
    return claims(ISS, AUD, "alice", NOW);
  }

  static Future<JsonObject> authenticate(Vertx vertx, String authorization) {
    JsonObject request = new JsonObject();
    if (authorization != null) {
      request.put(TokenBus.AUTHORIZATION, authorization);
    }
    return Bus.request(vertx, TokenBus.AUTHENTICATE, request);
  }

  @Test
  void acceptsAValidTokenWithThePrefixedPrincipal(Vertx vertx, VertxTestContext ctx) {
    Bus.expectReply(authenticate(vertx, "Bearer " + hs256(valid().build())), ctx, reply -> {
      assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("jwt:alice");
      assertThat(reply.getJsonArray(TokenBus.PRINCIPALS).getList())
          .containsExactly(TokenBus.EVERYONE, TokenBus.AUTHENTICATED, "jwt:alice");
    });
  }

  @Test
  void schemeNameIsCaseInsensitive(Vertx vertx, VertxTestContext ctx) {
    Bus.expectReply(authenticate(vertx, "bearer " + hs256(valid().build())), ctx,
        reply -> assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("jwt:alice"));
  }

  @Test
  void acceptsATokenExpiredWithinTheLeeway(Vertx vertx, VertxTestContext ctx) {
    String token = hs256(valid().expirationTime(Date.from(NOW.minusSeconds(30))).build());
    Bus.expectReply(authenticate(vertx, "Bearer " + token), ctx,
        reply -> assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("jwt:alice"));
  }

  @Test
  void aCachedTokenIsStillRefusedOnceItExpires(Vertx vertx, VertxTestContext ctx) {
    String header = "Bearer " + hs256(valid().expirationTime(Date.from(NOW.plusSeconds(30))).build());
    authenticate(vertx, header)
        .compose(first -> authenticate(vertx, header))
        .onComplete(ctx.succeeding(second -> ctx.verify(() ->
            assertThat(verticle.authenticator().cacheHits()).isEqualTo(1))))
        .onSuccess(second -> {
          clock.advance(Duration.ofSeconds(30 + 61));
          Bus.expectFailure(authenticate(vertx, header), ctx, 105);
        });
  }

  static Stream<Arguments> missing() {
    return Stream.of(
        Arguments.of("no header", null),
        Arguments.of("blank header", "  "),
        Arguments.of("basic scheme", "Basic YWxpY2U6c2VjcmV0"),
        Arguments.of("bearer without token", "Bearer "),
        Arguments.of("unknown scheme", "Token abc"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("missing")
  void refusesAbsentCredentialsWith104(String name, String header, Vertx vertx, VertxTestContext ctx) {
    Bus.expectFailure(authenticate(vertx, header), ctx, 104);
  }

  static Stream<Arguments> invalid() {
    byte[] otherSecret = "another-secret-that-is-also-32-bytes-long!".getBytes(StandardCharsets.UTF_8);
    byte[] secret = Tokens.SECRET.getBytes(StandardCharsets.UTF_8);
    String payload = b64(valid().build().toString());
    return Stream.of(
        Arguments.of("alg none", b64("{\"alg\":\"none\"}") + "." + payload + "."),
        Arguments.of("alg none, signature kept", b64("{\"alg\":\"none\"}") + "." + payload + "."
            + hs256(valid().build()).split("\\.")[2]),
        Arguments.of("HS384", Tokens.hs(JWSAlgorithm.HS384, (Tokens.SECRET + "0123456789abcdef")
            .getBytes(StandardCharsets.UTF_8), valid().build())),
        Arguments.of("wrong secret", Tokens.hs(JWSAlgorithm.HS256, otherSecret, valid().build())),
        Arguments.of("tampered payload", swapPayload(hs256(valid().build()),
            b64(valid().subject("mallory").build().toString()))),
        Arguments.of("wrong issuer", hs256(valid().issuer("https://other.test").build())),
        Arguments.of("no issuer", hs256(valid().issuer(null).build())),
        Arguments.of("wrong audience", hs256(valid().audience("other").build())),
        Arguments.of("expired", hs256(valid().expirationTime(Date.from(NOW.minusSeconds(61))).build())),
        Arguments.of("no expiry", hs256(valid().expirationTime(null).build())),
        Arguments.of("not valid yet", hs256(valid().notBeforeTime(Date.from(NOW.plusSeconds(120))).build())),
        Arguments.of("issued in the future", hs256(valid().issueTime(Date.from(NOW.plusSeconds(120))).build())),
        Arguments.of("no subject", hs256(valid().subject(null).build())),
        Arguments.of("RS256 while only HS256 is on", Tokens.rs256(Keys.RSA, valid().build())),
        Arguments.of("header not base64", "%%%." + payload + ".sig"),
        Arguments.of("header not JSON", b64("not json") + "." + payload + ".sig"),
        Arguments.of("header without alg", b64("{\"typ\":\"JWT\"}") + "." + payload + ".sig"),
        Arguments.of("payload not JSON", signedRaw(secret, b64("{\"alg\":\"HS256\"}"), b64("[1,2"))),
        Arguments.of("two parts", b64("{\"alg\":\"HS256\"}") + "." + payload),
        Arguments.of("garbage", "not-a-token"),
        Arguments.of("too long", hs256(valid().claim("pad", "x".repeat(1100)).build())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesInvalidTokensWith105(String name, String token, Vertx vertx, VertxTestContext ctx) {
    Bus.expectFailure(authenticate(vertx, "Bearer " + token), ctx, 105);
  }

  private static String swapPayload(String token, String payload) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + payload + "." + parts[2];
  }

  /** A correctly MACed token over arbitrary header and payload text, to reach the claims parser. */
  private static String signedRaw(byte[] secret, String header, String payload) {
    try {
      var mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
      byte[] sig = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + "." + payload + "." + com.nimbusds.jose.util.Base64URL.encode(sig);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

}
