package dev.syncline.storage;

import dev.syncline.contracts.bus.Health;
import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.storage.embedded.EmbeddedDatabase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the node's PostgreSQL pool (and, without an external server, the embedded one) and answers storage
 * requests on local event-bus addresses.
 */
public final class StorageVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StorageVerticle.class);
  private static final int CONNECT_TIMEOUT_MS = 5_000;

  private StorageSettings settings;
  private EmbeddedDatabase embedded;
  private Database database;

  @Override
  public Future<?> start() {
    settings = StorageSettings.from(config());
    LOG.debug("storage verticle starting with {}", settings);
    return connectOptions()
        .map(this::open)
        .compose(db -> vertx.eventBus().localConsumer(StorageBus.HEALTH, this::health).completion())
        .compose(v -> database.start());
  }

  @Override
  public Future<?> stop() {
    if (database == null) {
      return closeEmbedded();
    }
    database.stop();
    return database.pool().close().eventually(this::closeEmbedded);
  }

  private Future<PgConnectOptions> connectOptions() {
    if (settings.external().isPresent()) {
      return Future.succeededFuture(settings.external().get());
    }
    return vertx.executeBlocking(() -> EmbeddedDatabase.startOrJoin(settings.dataDir(), settings.embeddedPort()))
        .map(started -> {
          embedded = started;
          return started.connectOptions();
        });
  }

  private Database open(PgConnectOptions options) {
    var pool = PgBuilder.pool()
        .with(new PoolOptions()
            .setMaxSize(settings.poolSize())
            .setName("syncline-pg")
            .setConnectionTimeout(CONNECT_TIMEOUT_MS)
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
        .connectingTo(options)
        .using(vertx)
        .build();
    database = new Database(vertx, pool, options, settings);
    return database;
  }

  private Future<Void> closeEmbedded() {
    if (embedded == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      embedded.close();
      return null;
    });
  }

  private void health(Message<JsonObject> msg) {
    database.probe()
        .onSuccess(v -> msg.reply(new JsonObject().put(Health.OK, true)))
        .onFailure(failure -> msg.fail(ErrorCode.BACKEND_UNAVAILABLE.errno(), failure.getMessage()));
  }
}
