package dev.syncline.token.jwt;

import dev.syncline.token.JwksServer;
import dev.syncline.token.Keys;
import dev.syncline.token.TestConfig;
import dev.syncline.token.TokenVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class JwksScheduleTest {
  @Test
  void keysAreFetchedAgainOnSchedule(Vertx vertx, VertxTestContext ctx) {
    JwksServer jwks = new JwksServer();
    jwks.start(vertx).await();
    jwks.publish(Keys.EC);
    JsonObject config = TestConfig.base()
        .put("oidc_providers", new JsonArray().add(new JsonObject().put("name", "alpha")
            .put("issuer", "https://alpha.test").put("audience", "a").put("jwks_url", jwks.url())))
        .put("oidc_jwks_refresh_seconds", 1);
    vertx.deployVerticle(new TokenVerticle(), new DeploymentOptions().setConfig(config))
        .compose(id -> jwks.fetched(3))
        .onComplete(ctx.succeedingThenComplete());
  }
}
