package dev.syncline.token;

import static dev.syncline.token.Tokens.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import dev.syncline.contracts.bus.TokenBus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Both bearer schemes on at once; the environment's JSON text form of the provider list. */
@ExtendWith(VertxExtension.class)
class MixedSchemesTest {
  static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  static final String ISS = "https://alpha.test";

  private final JwksServer jwks = new JwksServer();

  @BeforeEach
  void deploy(Vertx vertx) {
    jwks.start(vertx).await();
    jwks.publish(Keys.RSA);
    String providers = "[{\"name\":\"alpha\",\"issuer\":\"" + ISS + "\",\"audience\":\"client-a\",\"jwks_url\":\""
        + jwks.url() + "\"}]";
    JsonObject config = TestConfig.base()
        .put("jwt_secret", Tokens.SECRET)
        .put("jwt_principal_prefix", "dev")
        .put("oidc_providers", providers);
    vertx.deployVerticle(new TokenVerticle(new MutableClock(NOW)), new DeploymentOptions().setConfig(config))
        .await();
  }

  static Future<JsonObject> authenticate(Vertx vertx, String token) {
    return Bus.request(vertx, TokenBus.AUTHENTICATE, new JsonObject().put(TokenBus.AUTHORIZATION, "Bearer " + token));
  }

  @Test
  void hsTokensGetTheConfiguredPrefix(Vertx vertx, VertxTestContext ctx) {
    Bus.expectReply(authenticate(vertx, Tokens.hs256(claims("anyone", "any", "alice", NOW).build())), ctx,
        reply -> assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("dev:alice"));
  }

  @Test
  void providerTokensGetTheProviderName(Vertx vertx, VertxTestContext ctx) {
    Bus.expectReply(authenticate(vertx, Tokens.rs256(Keys.RSA, claims(ISS, "client-a", "bob", NOW).build())), ctx,
        reply -> assertThat(reply.getString(TokenBus.USER_ID)).isEqualTo("alpha:bob"));
  }

  @Test
  void refusesAnHsTokenKeyedWithTheProvidersPublicKey(Vertx vertx, VertxTestContext ctx) throws JOSEException {
    byte[] publicKey = Keys.RSA.toRSAPublicKey().getEncoded();
    String forged = Tokens.hs(JWSAlgorithm.HS256, publicKey, claims(ISS, "client-a", "bob", NOW).build());
    Bus.expectFailure(authenticate(vertx, forged), ctx, 105);
  }
}
