package dev.syncline.storage;

import dev.syncline.contracts.bus.Health;
import dev.syncline.contracts.bus.PushStoreBus;
import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.FailureMessages;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.storage.accounts.AccountService;
import dev.syncline.storage.embedded.EmbeddedDatabase;
import dev.syncline.storage.objects.ObjectService;
import dev.syncline.storage.objects.TombstonePurge;
import dev.syncline.storage.push.PushService;
import dev.syncline.storage.push.PushStoreSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
  private ObjectService objects;
  private TombstonePurge purge;
  private PushService push;

  @Override
  public Future<?> start() {
    settings = StorageSettings.from(config());
    LOG.debug("storage verticle starting with {}", settings);
    return connectOptions()
        .map(this::open)
        .compose(db -> Future.all(List.of(
            vertx.eventBus().localConsumer(StorageBus.HEALTH, this::health).completion(),
            serve(StorageBus.GET, objects::get),
            serve(StorageBus.PUT, objects::put),
            serve(StorageBus.PATCH, objects::patch),
            serve(StorageBus.DELETE, objects::delete),
            serve(StorageBus.CREATE, objects::create),
            serve(StorageBus.LIST, objects::list),
            serve(StorageBus.DELETE_LIST, objects::deleteList),
            serve(PushStoreBus.HELLO, push::hello),
            serve(PushStoreBus.RELEASE, push::release),
            serve(PushStoreBus.FORGET_NODE, push::forgetNode),
            serve(PushStoreBus.REGISTER, push::register),
            serve(PushStoreBus.UNREGISTER, push::unregister),
            serve(PushStoreBus.STORE, push::store),
            serve(PushStoreBus.FETCH, push::fetch),
            serve(PushStoreBus.ACK, push::ack),
            serve(PushStoreBus.DELETE, push::delete))))
        .compose(v -> Future.all(AccountService.operations(database.pool(), vertx.eventBus()).entrySet().stream()
            .map(operation -> serve(operation.getKey(), operation.getValue())).toList()))
        .compose(v -> database.start())
        .onSuccess(v -> {
          purge.start(settings.purgeIntervalSeconds());
          push.startPurge();
        });
  }

  @Override
  public Future<?> stop() {
    if (database == null) {
      return closeEmbedded();
    }
    database.stop();
    purge.stop();
    push.stopPurge();
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
    // Every statement is a constant (listings vary only with their filters), so parsing and planning once per
    // connection pays off on each request.
    options.setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(512);
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
    objects = new ObjectService(pool, vertx.eventBus(), settings);
    purge = new TombstonePurge(vertx, pool, settings.tombstoneRetentionSeconds());
    push = new PushService(vertx, pool, PushStoreSettings.from(config()));
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

  private Future<Void> serve(String address, Function<JsonObject, Future<JsonObject>> operation) {
    return vertx.eventBus().<JsonObject>localConsumer(address, msg -> answer(msg, operation)).completion();
  }

  private void answer(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> operation) {
    if (!database.migrated()) {
      msg.fail(ErrorCode.BACKEND_UNAVAILABLE.errno(), "The database is not ready yet");
      return;
    }
    Future<JsonObject> result;
    try {
      result = operation.apply(msg.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(msg::reply).onFailure(failure -> fail(msg, failure));
  }

  private void fail(Message<JsonObject> msg, Throwable failure) {
    if (failure instanceof SynclineException refusal) {
      msg.fail(refusal.code().errno(), FailureMessages.write(refusal));
    } else if (failure instanceof PgException pg && "40P01".equals(pg.getSqlState())) {
      msg.fail(ErrorCode.CONSTRAINT_VIOLATED.errno(), "Concurrent write conflict, please retry");
    } else if (failure instanceof PgException pg) {
      LOG.error("Storage request to {} failed in PostgreSQL ({}): {}", msg.address(), pg.getSqlState(),
          pg.getErrorMessage());
      msg.fail(ErrorCode.UNDEFINED.errno(), "Internal storage error");
    } else if (failure instanceof IOException || failure.getClass().getName().contains("Closed")
        || failure instanceof io.vertx.core.impl.NoStackTraceTimeoutException) {
      msg.fail(ErrorCode.BACKEND_UNAVAILABLE.errno(), "The database is unreachable");
    } else {
      LOG.error("Storage request to {} failed", msg.address(), failure);
      msg.fail(ErrorCode.UNDEFINED.errno(), "Internal storage error");
    }
  }

  private void health(Message<JsonObject> msg) {
    database.probe()
        .onSuccess(v -> msg.reply(new JsonObject().put(Health.OK, true)))
        .onFailure(failure -> msg.fail(ErrorCode.BACKEND_UNAVAILABLE.errno(), failure.getMessage()));
  }
}
