package dev.syncline.token.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.syncline.contracts.bus.TokenBus;
import dev.syncline.token.Bus;
import dev.syncline.token.Keys;
import dev.syncline.token.MutableClock;
import dev.syncline.token.TestConfig;
import dev.syncline.token.TokenVerticle;
import dev.syncline.token.Tokens;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Endpoint sealing and VAPID verification through the token verticle's bus addresses. */
@ExtendWith(VertxExtension.class)
class PushBusTest {
  static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  static final String ORIGIN = "https://push.example.com";
  static final String UAID = "5f0c3a1e9b7d4c2a8e6f1b3d5a7c9e0f";
  static final String CHANNEL = "3c2a6f0e-9d4b-4b1a-8e7f-0a1b2c3d4e5f";
  static final ECKey APP = Tokens.ecKey("app");
  static final ECKey OTHER = Tokens.ecKey("other");

  private final MutableClock clock = new MutableClock(NOW);

  @BeforeEach
  void deploy(Vertx vertx) {
    JsonObject config = TestConfig.base().put("push_endpoint_keys", TestConfig.ENDPOINT_KEY_2 + ","
        + TestConfig.ENDPOINT_KEY_1);
    vertx.deployVerticle(new TokenVerticle(clock), new DeploymentOptions().setConfig(config)).await();
  }

  static String publicKey(ECKey key) {
    byte[] point = new byte[65];
    point[0] = 0x04;
    System.arraycopy(key.getX().decode(), 0, point, 1, 32);
    System.arraycopy(key.getY().decode(), 0, point, 33, 32);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(point);
  }

  static String hash(ECKey key) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(Base64.getUrlDecoder().decode(publicKey(key))));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static JWTClaimsSet.Builder vapidClaims() {
    return new JWTClaimsSet.Builder().audience(ORIGIN).expirationTime(Date.from(NOW.plusSeconds(12 * 3600)))
        .subject("mailto:ops@example.com");
  }

  static String jwt(ECKey signer, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(com.nimbusds.jose.JOSEObjectType.JWT)
          .build(), claims);
      jwt.sign(new ECDSASigner(signer));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String vapid(ECKey signer, ECKey presented, JWTClaimsSet claims) {
    return "vapid t=" + jwt(signer, claims) + ", k=" + publicKey(presented);
  }

  static JsonObject vapidRequest(String authorization) {
    return new JsonObject().put(TokenBus.AUTHORIZATION, authorization).put(TokenBus.AUDIENCE, ORIGIN);
  }

  static Future<JsonObject> verify(Vertx vertx, JsonObject request) {
    return Bus.request(vertx, TokenBus.VAPID_VERIFY, request);
  }

  @Test
  void sealsAndOpensAnEndpointPinnedToAVapidKey(Vertx vertx, VertxTestContext ctx) {
    JsonObject seal = new JsonObject().put(TokenBus.UAID, UAID).put(TokenBus.CHANNEL_ID, CHANNEL)
        .put(TokenBus.VAPID_KEY, publicKey(APP) + "=");
    Future<JsonObject> opened = Bus.request(vertx, TokenBus.ENDPOINT_SEAL, seal)
        .compose(sealed -> {
          ctx.verify(() -> {
            assertThat(sealed.getString(TokenBus.VAPID_KEY_HASH)).isEqualTo(hash(APP));
            assertThat(Base64.getUrlDecoder().decode(sealed.getString(TokenBus.TOKEN))[0]).isEqualTo((byte) 2);
          });
          return Bus.request(vertx, TokenBus.ENDPOINT_OPEN,
              new JsonObject().put(TokenBus.TOKEN, sealed.getString(TokenBus.TOKEN)));
        });
    Bus.expectReply(opened, ctx, reply -> {
      assertThat(reply.getString(TokenBus.UAID)).isEqualTo(UAID);
      assertThat(reply.getString(TokenBus.CHANNEL_ID)).isEqualTo(CHANNEL);
      assertThat(reply.getString(TokenBus.VAPID_KEY_HASH)).isEqualTo(hash(APP));
    });
  }

  @Test
  void anEndpointWithoutKeyHasNoHash(Vertx vertx, VertxTestContext ctx) {
    Future<JsonObject> opened = Bus.request(vertx, TokenBus.ENDPOINT_SEAL,
            new JsonObject().put(TokenBus.UAID, UAID).put(TokenBus.CHANNEL_ID, CHANNEL))
        .compose(sealed -> Bus.request(vertx, TokenBus.ENDPOINT_OPEN,
            new JsonObject().put(TokenBus.TOKEN, sealed.getString(TokenBus.TOKEN))));
    Bus.expectReply(opened, ctx, reply -> assertThat(reply.containsKey(TokenBus.VAPID_KEY_HASH)).isFalse());
  }

  @Test
  void anUnknownEndpointIs111(Vertx vertx, VertxTestContext ctx) {
    String foreign = new EndpointTokens(List.of(EndpointTokens.randomKey()))
        .seal(UAID, CHANNEL, java.util.Optional.empty());
    Bus.expectFailure(Bus.request(vertx, TokenBus.ENDPOINT_OPEN, new JsonObject().put(TokenBus.TOKEN, foreign)),
        ctx, 111);
  }

  @Test
  void sealingABadKeyIs107(Vertx vertx, VertxTestContext ctx) {
    JsonObject seal = new JsonObject().put(TokenBus.UAID, UAID).put(TokenBus.CHANNEL_ID, CHANNEL)
        .put(TokenBus.VAPID_KEY, "BAAA");
    Bus.expectFailure(Bus.request(vertx, TokenBus.ENDPOINT_SEAL, seal), ctx, 107);
  }

  @Test
  void acceptsTheVapidScheme(Vertx vertx, VertxTestContext ctx) {
    Bus.expectReply(verify(vertx, vapidRequest(vapid(APP, APP, vapidClaims().build()))), ctx, reply -> {
      assertThat(reply.getString(TokenBus.VAPID_KEY_HASH)).isEqualTo(hash(APP));
      assertThat(reply.getString(TokenBus.SUBJECT)).isEqualTo("mailto:ops@example.com");
    });
  }

  @Test
  void acceptsTheWebPushSchemeWithCryptoKey(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = vapidRequest("WebPush " + jwt(APP, vapidClaims().build()))
        .put(TokenBus.CRYPTO_KEY, "dh=BDd3_hVL9fZi9Ybo2UUzA284WG5FZR30_95YeZJsiApwXKpNcF1rRPF3foIiBHXRdJI2Qhumhf6_LFTeZaNndIo;"
            + "p256ecdsa=" + publicKey(APP));
    Bus.expectReply(verify(vertx, request), ctx,
        reply -> assertThat(reply.getString(TokenBus.VAPID_KEY_HASH)).isEqualTo(hash(APP)));
  }

  @Test
  void acceptsAMatchingPinnedKeyAnHttpsSubjectAndNoSubject(Vertx vertx, VertxTestContext ctx) {
    JsonObject pinned = vapidRequest(vapid(APP, APP, vapidClaims().subject("https://app.example.com").build()))
        .put(TokenBus.VAPID_KEY_HASH, hash(APP));
    Future<JsonObject> both = verify(vertx, pinned)
        .compose(first -> verify(vertx, vapidRequest(vapid(APP, APP, vapidClaims().subject(null).build()))));
    Bus.expectReply(both, ctx, reply -> assertThat(reply.containsKey(TokenBus.SUBJECT)).isFalse());
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("another audience", vapidRequest(vapid(APP, APP, vapidClaims().audience("https://x.test").build()))),
        Arguments.of("audience with a path", vapidRequest(vapid(APP, APP, vapidClaims().audience(ORIGIN + "/").build()))),
        Arguments.of("two audiences", vapidRequest(vapid(APP, APP,
            vapidClaims().audience(List.of(ORIGIN, "https://x.test")).build()))),
        Arguments.of("no expiry", vapidRequest(vapid(APP, APP, vapidClaims().expirationTime(null).build()))),
        Arguments.of("expired", vapidRequest(vapid(APP, APP,
            vapidClaims().expirationTime(Date.from(NOW.minusSeconds(61))).build()))),
        Arguments.of("expires more than 24 h ahead", vapidRequest(vapid(APP, APP,
            vapidClaims().expirationTime(Date.from(NOW.plusSeconds(25 * 3600))).build()))),
        Arguments.of("subject not a URI we take", vapidRequest(vapid(APP, APP,
            vapidClaims().subject("ops@example.com").build()))),
        Arguments.of("signed by another key", vapidRequest(vapid(OTHER, APP, vapidClaims().build()))),
        Arguments.of("pinned to another key", vapidRequest(vapid(APP, APP, vapidClaims().build()))
            .put(TokenBus.VAPID_KEY_HASH, hash(OTHER))),
        Arguments.of("HS256", vapidRequest("vapid t=" + Tokens.hs256(vapidClaims().build()) + ", k=" + publicKey(APP))),
        Arguments.of("RS256", vapidRequest("vapid t=" + Tokens.rs256(Keys.RSA, vapidClaims().build()) + ", k="
            + publicKey(APP))),
        Arguments.of("alg none", vapidRequest("vapid t=" + Tokens.b64("{\"alg\":\"none\"}") + "."
            + Tokens.b64(vapidClaims().build().toString()) + "., k=" + publicKey(APP))),
        Arguments.of("malformed token", vapidRequest("vapid t=abc.def, k=" + publicKey(APP))),
        Arguments.of("key not on the curve", vapidRequest("vapid t=" + jwt(APP, vapidClaims().build()) + ", k="
            + Base64.getUrlEncoder().withoutPadding().encodeToString(offCurvePoint()))),
        Arguments.of("key too short", vapidRequest("vapid t=" + jwt(APP, vapidClaims().build()) + ", k=BAAA")),
        Arguments.of("no k", vapidRequest("vapid t=" + jwt(APP, vapidClaims().build()))),
        Arguments.of("no t", vapidRequest("vapid k=" + publicKey(APP))),
        Arguments.of("WebPush without Crypto-Key", vapidRequest("WebPush " + jwt(APP, vapidClaims().build()))),
        Arguments.of("too long", vapidRequest(vapid(APP, APP, vapidClaims().claim("pad", "x".repeat(9000)).build()))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWith105(String name, JsonObject request, Vertx vertx, VertxTestContext ctx) {
    Bus.expectFailure(verify(vertx, request), ctx, 105);
  }

  @Test
  void noVapidAuthorizationIs104(Vertx vertx, VertxTestContext ctx) {
    Bus.expectFailure(verify(vertx, new JsonObject().put(TokenBus.AUDIENCE, ORIGIN))
        .recover(missing -> verify(vertx, vapidRequest("Bearer abc"))), ctx, 104);
  }

  @Test
  void aRequestWithoutAudienceIs107(Vertx vertx, VertxTestContext ctx) {
    Bus.expectFailure(verify(vertx, new JsonObject().put(TokenBus.AUTHORIZATION, vapid(APP, APP,
        vapidClaims().build()))), ctx, 107);
  }

  static Stream<Arguments> webPushVectors() throws IOException {
    JsonObject vectors = webPushFile();
    return vectors.getJsonArray("cases").stream()
        .map(JsonObject.class::cast)
        .map(c -> Arguments.of(c.getString("name"), c, vectors));
  }

  @ParameterizedTest(name = "web-push: {0}")
  @MethodSource("webPushVectors")
  void agreesWithTheWebPushPackage(String name, JsonObject vector, JsonObject vectors, Vertx vertx,
      VertxTestContext ctx) {
    // web-push will not sign more than 24 h ahead, so the vectors are judged at the time they were made.
    clock.set(Instant.ofEpochSecond(vectors.getLong("now")));
    JsonObject request = new JsonObject()
        .put(TokenBus.AUTHORIZATION, vector.getString("authorization"))
        .put(TokenBus.AUDIENCE, vector.getString("audience"))
        .put(TokenBus.VAPID_KEY_HASH, vectors.getString("public_key_sha256"));
    if (vector.containsKey("crypto_key")) {
      request.put(TokenBus.CRYPTO_KEY, vector.getString("crypto_key"));
    }
    if ("accept".equals(vector.getString("expect"))) {
      Bus.expectReply(verify(vertx, request), ctx, reply -> {
        assertThat(reply.getString(TokenBus.VAPID_KEY_HASH)).isEqualTo(vectors.getString("public_key_sha256"));
        assertThat(reply.getString(TokenBus.SUBJECT)).isEqualTo(vectors.getString("subject"));
      });
    } else {
      Bus.expectFailure(verify(vertx, request), ctx, 105);
    }
  }

  @Test
  void webPushTokensAreRefusedOnceExpired(Vertx vertx, VertxTestContext ctx) throws IOException {
    JsonObject vectors = webPushFile();
    clock.set(Instant.ofEpochSecond(vectors.getLong("exp")).plusSeconds(61));
    JsonObject accepted = vectors.getJsonArray("cases").getJsonObject(0);
    Bus.expectFailure(verify(vertx, new JsonObject().put(TokenBus.AUTHORIZATION, accepted.getString("authorization"))
        .put(TokenBus.AUDIENCE, accepted.getString("audience"))), ctx, 105);
  }

  private static JsonObject webPushFile() throws IOException {
    try (InputStream in = PushBusTest.class.getResourceAsStream("/vapid/web-push-vectors.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** 0x04 | x | y with y = x: (almost surely) not a point of P-256. */
  private static byte[] offCurvePoint() {
    byte[] point = new byte[65];
    point[0] = 0x04;
    for (int i = 1; i < 65; i++) {
      point[i] = (byte) (i % 32 + 1);
    }
    return point;
  }
}
