package dev.syncline.token;

import dev.syncline.contracts.bus.Health;
import dev.syncline.contracts.bus.TokenBus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Verifies credentials and signs tokens; keys never leave it. Reached over the local event bus only. */
public final class TokenVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TokenVerticle.class);

  private TokenSettings settings;

  @Override
  public Future<?> start() {
    settings = TokenSettings.from(config());
    LOG.debug("token verticle starting with {}", settings);
    return vertx.eventBus().localConsumer(TokenBus.HEALTH, this::health).completion();
  }

  private void health(Message<JsonObject> msg) {
    msg.reply(new JsonObject().put(Health.OK, true));
  }
}
