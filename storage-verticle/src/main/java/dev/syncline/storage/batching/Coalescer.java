package dev.syncline.storage.batching;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns many small writes into few statements. Each {@link #submit} waits for a slot; at most {@code maxInFlight}
 * batches run at once, and whatever arrives while they run goes out together in the next one (up to
 * {@code maxBatch} items). A lone write therefore leaves at once, and under load a batch grows with the time a
 * statement takes, with no timer adding latency.
 *
 * <p>The write answers one result per item, in order; if it fails, every item of that batch fails with it. Not
 * thread-safe: submit from one context (the verticle's), which is where the write's future completes.
 *
 * @param <T> what one caller writes
 * @param <R> what that caller gets back
 */
public final class Coalescer<T, R> {
  private final int maxBatch;
  private final int maxInFlight;
  private final Function<List<T>, Future<List<R>>> write;
  private final ArrayDeque<Pending<T, R>> waiting = new ArrayDeque<>();
  private int inFlight;

  public Coalescer(int maxBatch, int maxInFlight, Function<List<T>, Future<List<R>>> write) {
    if (maxBatch < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("maxBatch and maxInFlight must be at least 1");
    }
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.write = write;
  }

  public Future<R> submit(T item) {
    Pending<T, R> pending = new Pending<>(item, Promise.promise());
    waiting.add(pending);
    drain();
    return pending.result().future();
  }

  /** Items waiting for a slot (not those in a running batch). */
  public int waiting() {
    return waiting.size();
  }

  private void drain() {
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      List<Pending<T, R>> batch = new ArrayList<>(Math.min(maxBatch, waiting.size()));
      while (batch.size() < maxBatch && !waiting.isEmpty()) {
        batch.add(waiting.poll());
      }
      inFlight++;
      run(batch).onComplete(done -> {
        inFlight--;
        drain();
      });
    }
  }

  private Future<Void> run(List<Pending<T, R>> batch) {
    Future<List<R>> results;
    try {
      results = write.apply(batch.stream().map(Pending::item).toList());
    } catch (RuntimeException e) {
      results = Future.failedFuture(e);
    }
    return results.transform(outcome -> {
      if (outcome.succeeded() && outcome.result().size() != batch.size()) {
        IllegalStateException mismatch = new IllegalStateException(
            "batch write answered " + outcome.result().size() + " results for " + batch.size() + " items");
        batch.forEach(pending -> pending.result().fail(mismatch));
      } else if (outcome.succeeded()) {
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).result().complete(outcome.result().get(i));
        }
      } else {
        batch.forEach(pending -> pending.result().fail(outcome.cause()));
      }
      return Future.succeededFuture();
    });
  }

  private record Pending<T, R>(T item, Promise<R> result) {
  }
}
