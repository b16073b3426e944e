package dev.syncline.token;

import dev.syncline.contracts.bus.Health;
import dev.syncline.contracts.bus.TokenBus;
import dev.syncline.contracts.errors.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Verifies credentials and signs tokens; keys never leave it. Reached over the local event bus only. */
public final class TokenVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TokenVerticle.class);
  private static final String BEARER = "Bearer ";

  private TokenSettings settings;
  private JWTAuth hs256;

  @Override
  public Future<?> start() {
    settings = TokenSettings.from(config());
    LOG.debug("token verticle starting with {}", settings);
    hs256 = settings.jwtSecret()
        .map(secret -> JWTAuth.create(vertx, new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))))
        .orElse(null);
    return Future.all(
        vertx.eventBus().localConsumer(TokenBus.HEALTH, this::health).completion(),
        vertx.eventBus().localConsumer(TokenBus.AUTHENTICATE, this::authenticate).completion());
  }

  private void health(Message<JsonObject> msg) {
    msg.reply(new JsonObject().put(Health.OK, true));
  }

  private void authenticate(Message<JsonObject> msg) {
    String header = msg.body().getString(TokenBus.AUTHORIZATION, "");
    if (hs256 == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      msg.fail(ErrorCode.MISSING_AUTH.errno(), "Please authenticate yourself to use this endpoint.");
      return;
    }
    hs256.authenticate(new TokenCredentials(header.substring(BEARER.length()).trim()))
        .onSuccess(user -> {
          String subject = user.principal().getString("sub");
          if (subject == null || subject.isBlank()) {
            msg.fail(ErrorCode.INVALID_AUTH.errno(), "The token has no subject");
            return;
          }
          String userId = "jwt:" + subject;
          msg.reply(new JsonObject().put(TokenBus.USER_ID, userId)
              .put(TokenBus.PRINCIPALS, new JsonArray().add(TokenBus.EVERYONE).add(TokenBus.AUTHENTICATED).add(userId)));
        })
        .onFailure(failure -> msg.fail(ErrorCode.INVALID_AUTH.errno(), "The token is not valid"));
  }
}
