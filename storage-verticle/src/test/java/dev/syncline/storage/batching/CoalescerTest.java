package dev.syncline.storage.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescerTest {
  /** A write whose batches are held until the test completes them. */
  private static final class HeldWrite {
    final List<List<Integer>> batches = new ArrayList<>();
    final List<Promise<List<String>>> results = new ArrayList<>();

    Future<List<String>> write(List<Integer> items) {
      batches.add(items);
      Promise<List<String>> result = Promise.promise();
      results.add(result);
      return result.future();
    }

    void answer(int batch) {
      results.get(batch).complete(batches.get(batch).stream().map(i -> "r" + i).toList());
    }
  }

  @Test
  void aLoneItemLeavesAtOnce() {
    HeldWrite write = new HeldWrite();
    Coalescer<Integer, String> coalescer = new Coalescer<>(10, 1, write::write);
    Future<String> result = coalescer.submit(1);
    assertEquals(List.of(List.of(1)), write.batches);
    write.answer(0);
    assertEquals("r1", result.result());
  }

  @Test
  void whatArrivesWhileABatchRunsLeavesTogetherInOrder() {
    HeldWrite write = new HeldWrite();
    Coalescer<Integer, String> coalescer = new Coalescer<>(10, 1, write::write);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      results.add(coalescer.submit(i));
    }
    assertEquals(List.of(List.of(0)), write.batches);
    assertEquals(4, coalescer.waiting());
    write.answer(0);
    assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4)), write.batches);
    write.answer(1);
    for (int i = 0; i < 5; i++) {
      assertEquals("r" + i, results.get(i).result());
    }
    assertEquals(0, coalescer.waiting());
  }

  @Test
  void batchesStopAtTheLimitAndRunUpToTheConcurrency() {
    HeldWrite write = new HeldWrite();
    Coalescer<Integer, String> coalescer = new Coalescer<>(3, 2, write::write);
    for (int i = 0; i < 9; i++) {
      coalescer.submit(i);
    }
    // Two slots: the first two items leave alone, the other seven wait.
    assertEquals(List.of(List.of(0), List.of(1)), write.batches);
    write.answer(1);
    assertEquals(List.of(2, 3, 4), write.batches.get(2));
    write.answer(0);
    assertEquals(List.of(5, 6, 7), write.batches.get(3));
    write.answer(2);
    assertEquals(List.of(8), write.batches.get(4));
    assertEquals(5, write.batches.size());
  }

  @Test
  void aFailedWriteFailsEveryItemOfItsBatchOnly() {
    HeldWrite write = new HeldWrite();
    Coalescer<Integer, String> coalescer = new Coalescer<>(10, 1, write::write);
    Future<String> first = coalescer.submit(1);
    Future<String> second = coalescer.submit(2);
    Future<String> third = coalescer.submit(3);
    write.results.get(0).fail("database away");
    assertTrue(first.failed());
    assertEquals("database away", first.cause().getMessage());
    write.results.get(1).fail("still away");
    assertTrue(second.failed());
    assertTrue(third.failed());
    Future<String> later = coalescer.submit(4);
    write.answer(2);
    assertEquals("r4", later.result());
  }

  @Test
  void aWriteThatThrowsOrMiscountsFailsItsItems() {
    Coalescer<Integer, String> throwing = new Coalescer<>(10, 1, items -> {
      throw new IllegalStateException("bad statement");
    });
    assertEquals("bad statement", throwing.submit(1).cause().getMessage());
    Coalescer<Integer, String> short1 = new Coalescer<>(10, 1, items -> Future.succeededFuture(List.of()));
    assertTrue(short1.submit(1).cause().getMessage().contains("0 results for 1 items"));
  }

  @Test
  void limitsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new Coalescer<Integer, String>(0, 1, items -> null));
    assertThrows(IllegalArgumentException.class, () -> new Coalescer<Integer, String>(1, 0, items -> null));
  }
}
