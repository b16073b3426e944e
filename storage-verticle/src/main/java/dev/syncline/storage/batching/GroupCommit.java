package dev.syncline.storage.batching;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs writes that contend for one lock in shared transactions, so that one durable commit serves several of them.
 *
 * <p>Writes to one list hold its timestamp row from their first statement to their commit, so they run one at a time
 * and the list's write rate is bounded by one transaction's round trips and commit per write. Here, at most one transaction per key runs
 * on this node; whatever arrives for that key meanwhile waits, and then runs together in the next transaction (up to
 * {@code maxGroup} writes), each inside its own savepoint. A write that fails is rolled back to its savepoint and
 * answered at once, leaving the others in the group untouched; the rest are answered when the group commits, or all
 * fail if it does not. A lone write runs in a plain transaction of its own, with no savepoint and no waiting.
 *
 * <p>Each write gets the connection and must use only it. Not thread-safe: submit from one context (the verticle's),
 * which is where the returned futures complete.
 */
public final class GroupCommit {
  private static final String BEGIN = "BEGIN";
  private static final String COMMIT = "COMMIT";
  private static final String ROLLBACK = "ROLLBACK";
  private static final String SAVEPOINT = "SAVEPOINT grouped_write";
  private static final String RELEASE = "RELEASE SAVEPOINT grouped_write";
  private static final String ROLLBACK_TO = "ROLLBACK TO SAVEPOINT grouped_write";

  private final Pool pool;
  private final int maxGroup;
  // A key is present while a transaction for it runs; its queue holds the writes that arrived since.
  private final Map<String, ArrayDeque<Pending<?>>> waiting = new HashMap<>();

  public GroupCommit(Pool pool, int maxGroup) {
    if (maxGroup < 1) {
      throw new IllegalArgumentException("maxGroup must be at least 1");
    }
    this.pool = pool;
    this.maxGroup = maxGroup;
  }

  /** Runs {@code write} in a transaction shared with other writes of the same key; completes after the commit. */
  public <T> Future<T> submit(String key, Function<SqlConnection, Future<T>> write) {
    Pending<T> pending = new Pending<>(write);
    ArrayDeque<Pending<?>> queue = waiting.get(key);
    if (queue != null) {
      queue.add(pending);
    } else {
      waiting.put(key, new ArrayDeque<>());
      run(key, List.of(pending));
    }
    return pending.result.future();
  }

  /** Writes waiting for a running transaction of their key to end. */
  public int waiting() {
    return waiting.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  private void run(String key, List<Pending<?>> group) {
    Future<?> done = group.size() == 1 ? alone(group.get(0)) : together(group);
    done.onComplete(ended -> next(key));
  }

  private void next(String key) {
    ArrayDeque<Pending<?>> queue = waiting.get(key);
    if (queue.isEmpty()) {
      waiting.remove(key);
      return;
    }
    List<Pending<?>> group = new ArrayList<>(Math.min(maxGroup, queue.size()));
    while (group.size() < maxGroup && !queue.isEmpty()) {
      group.add(queue.poll());
    }
    run(key, group);
  }

  private <T> Future<T> alone(Pending<T> pending) {
    return pool.withTransaction(pending::apply).onComplete(pending.result);
  }

  private Future<Void> together(List<Pending<?>> group) {
    // Not Vert.x's own transaction: that one rolls back at commit once any statement has failed, even one that a
    // savepoint has since undone.
    return pool.withConnection(conn -> conn.query(BEGIN).execute()
            .compose(begun -> {
              List<Future<?>> released = new ArrayList<>(group.size());
              Future<Void> chain = Future.succeededFuture();
              for (Pending<?> pending : group) {
                chain = chain.compose(done -> inSavepoint(conn, pending, released));
              }
              return chain.compose(done -> Future.all(released));
            })
            .compose(written -> conn.query(COMMIT).execute().<Void>mapEmpty(),
                failure -> conn.query(ROLLBACK).execute().transform(rolledBack -> Future.failedFuture(failure))))
        .transform(commit -> {
          for (Pending<?> pending : group) {
            pending.settle(commit.failed() ? commit.cause() : null);
          }
          return Future.succeededFuture();
        });
  }

  /**
   * Runs one write of a group; fails only if the transaction can no longer go on. The savepoint goes out with the
   * write's first statements and its release with the next write's, so a write costs no round trip of its own.
   */
  private static <T> Future<Void> inSavepoint(SqlConnection conn, Pending<T> pending, List<Future<?>> released) {
    Future<?> savepoint = conn.query(SAVEPOINT).execute();
    Future<T> written = pending.apply(conn);
    return Future.join(savepoint, written).transform(joined -> {
      if (savepoint.failed()) {
        return Future.failedFuture(savepoint.cause());
      }
      if (written.succeeded()) {
        pending.value = written.result();
        released.add(conn.query(RELEASE).execute());
        return Future.succeededFuture();
      }
      pending.result.fail(written.cause());
      return conn.query(ROLLBACK_TO).execute().mapEmpty();
    });
  }

  private static final class Pending<T> {
    private final Function<SqlConnection, Future<T>> write;
    private final Promise<T> result = Promise.promise();
    private T value;

    private Pending(Function<SqlConnection, Future<T>> write) {
      this.write = write;
    }

    private Future<T> apply(SqlConnection conn) {
      try {
        return write.apply(conn);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }

    /** Answers a write whose group has ended: its value if the group committed, else why it did not. */
    private void settle(Throwable commitFailure) {
      if (commitFailure != null) {
        result.tryFail(commitFailure);
      } else {
        result.tryComplete(value);
      }
    }
  }
}
