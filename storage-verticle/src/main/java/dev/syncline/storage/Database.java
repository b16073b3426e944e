package dev.syncline.storage;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.storage.schema.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's view of its PostgreSQL server: whether the schema is migrated and whether the server answers.
 *
 * <p>An unreachable database never stops the node. Migration is retried with a doubling delay until it succeeds;
 * a periodic probe notices outages and recoveries and logs each transition once. All state is confined to the
 * storage verticle's context.
 */
final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final long PROBE_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final Pool pool;
  private final PgConnectOptions options;
  private final StorageSettings settings;
  private final String where;

  private boolean migrated;
  private boolean reachable = true;
  private long retryDelayMs = 1_000;
  private String lastMigrationError;
  private long probeTimer = -1;
  private long retryTimer = -1;
  private boolean stopped;

  Database(Vertx vertx, Pool pool, PgConnectOptions options, StorageSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.options = options;
    this.settings = settings;
    this.where = StorageSettings.describe(options);
  }

  Pool pool() {
    return pool;
  }

  boolean migrated() {
    return migrated;
  }

  /** Makes the first migration attempt; later attempts and probes continue in the background. */
  Future<Void> start() {
    probeTimer = vertx.setPeriodic(TimeUnit.SECONDS.toMillis(settings.probeIntervalSeconds()), id -> probe());
    return migrate();
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(probeTimer);
    vertx.cancelTimer(retryTimer);
  }

  /** Succeeds when the schema is current and the server answers; fails with errno 201 otherwise. */
  Future<Void> probe() {
    if (!migrated) {
      return Future.failedFuture(unavailable("the database schema is not ready yet"));
    }
    return pool.query("SELECT 1").execute()
        .timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .onSuccess(v -> markReachable())
        .recover(this::markUnreachable);
  }

  private Future<Void> migrate() {
    return vertx.executeBlocking(() -> Migrations.migrate(options))
        .onSuccess(this::migrated)
        .onFailure(this::migrationFailed)
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void migrated(String version) {
    migrated = true;
    reachable = true;
    LOG.info("PostgreSQL at {} is ready, schema version {}", where, version);
  }

  private void migrationFailed(Throwable failure) {
    String message = rootMessage(failure);
    if (!message.equals(lastMigrationError)) {
      LOG.warn("PostgreSQL at {} is not usable yet ({}); retrying with backoff up to {}s", where, message,
          settings.retryMaxSeconds());
      lastMigrationError = message;
    }
    if (stopped) {
      return;
    }
    long delay = retryDelayMs;
    retryDelayMs = Math.min(retryDelayMs * 2, TimeUnit.SECONDS.toMillis(settings.retryMaxSeconds()));
    retryTimer = vertx.setTimer(delay, id -> migrate());
  }

  private void markReachable() {
    if (!reachable) {
      reachable = true;
      LOG.info("PostgreSQL at {} is reachable again", where);
    }
  }

  private Future<Void> markUnreachable(Throwable failure) {
    if (reachable) {
      reachable = false;
      LOG.warn("PostgreSQL at {} is unreachable ({}); requests that need storage answer 503 until it returns",
          where, rootMessage(failure));
    }
    return Future.failedFuture(unavailable("the database is unreachable"));
  }

  static SynclineException unavailable(String message) {
    return new SynclineException(ErrorCode.BACKEND_UNAVAILABLE, message);
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return text.lines().findFirst().orElse(text);
  }
}
