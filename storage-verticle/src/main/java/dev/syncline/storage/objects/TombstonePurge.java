package dev.syncline.storage.objects;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes tombstones older than the retention period. A client whose last sync is older than that will not hear
 * of those deletions, which is why the retention is off unless an operator sets it.
 */
public final class TombstonePurge {
  private static final Logger LOG = LoggerFactory.getLogger(TombstonePurge.class);
  private static final String PURGE = "DELETE FROM objects WHERE deleted AND last_modified < $1";

  private final Vertx vertx;
  private final Pool pool;
  private final long retentionMs;
  private long timer = -1;

  public TombstonePurge(Vertx vertx, Pool pool, long retentionSeconds) {
    this.vertx = vertx;
    this.pool = pool;
    this.retentionMs = TimeUnit.SECONDS.toMillis(retentionSeconds);
  }

  public void start(long intervalSeconds) {
    if (retentionMs > 0) {
      timer = vertx.setPeriodic(TimeUnit.SECONDS.toMillis(intervalSeconds), id -> purge());
    }
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void purge() {
    pool.preparedQuery(PURGE).execute(Tuple.of(System.currentTimeMillis() - retentionMs))
        .onSuccess(rows -> {
          if (rows.rowCount() > 0) {
            LOG.info("Purged {} tombstones older than {} s", rows.rowCount(), retentionMs / 1000);
          }
        })
        .onFailure(failure -> LOG.debug("Tombstone purge skipped: {}", failure.getMessage()));
  }
}
