package dev.syncline.push.live;

import dev.syncline.contracts.bus.LiveBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts one subscriber's messages of a history channel back in offset order. Offsets come from a cluster-wide
 * counter, but each node sends the messages it numbered itself, so a subscriber may receive 6 before 5. A message
 * beyond the next offset is held until the ones before it arrive or the channel's history supplies them
 * ({@link #fill}); an offset found in neither is skipped, and the next message delivered says so. Confined to the
 * connection's context.
 */
final class OffsetOrder {
  /**
   * Most messages held while an offset is missing. Beyond it the newest are dropped rather than held: the history
   * has them (a message is stored before it is sent), and the fill reads them from there.
   */
  static final int MAX_HELD = 1_000;

  /** Where the messages go, in offset order. */
  interface Receiver {
    /** {@code complete} is false when offsets before this one were lost to this subscriber. */
    void deliver(long offset, Object message, boolean complete);
  }

  private final TreeMap<Long, Object> held = new TreeMap<>();
  private final Receiver receiver;
  private long delivered;
  private long seen;
  private boolean lost;

  /** {@code delivered}: the offset the subscriber has, so the next one is expected. */
  OffsetOrder(long delivered, Receiver receiver) {
    this.delivered = delivered;
    this.seen = delivered;
    this.receiver = receiver;
  }

  /** The last offset given to the subscriber. */
  long delivered() {
    return delivered;
  }

  /** The highest offset known to exist: received, or found in the history. */
  long seen() {
    return seen;
  }

  /** Whether an offset before one already seen has yet to be delivered. */
  boolean waiting() {
    return seen > delivered;
  }

  int held() {
    return held.size();
  }

  /** A message from the channel: delivered with whatever it unblocks, held, or dropped if already there. */
  void offer(long offset, Object message) {
    if (offset <= delivered || held.containsKey(offset)) {
      return;
    }
    seen = Math.max(seen, offset);
    if (offset == delivered + 1) {
      deliver(offset, message);
      drain();
      return;
    }
    if (held.size() >= MAX_HELD) {
      if (offset > held.lastKey()) {
        return;
      }
      held.pollLastEntry();
    }
    held.put(offset, message);
  }

  /**
   * What the history holds after {@link #delivered()}, as {@code [{"offset", "message"}]}: fills the gaps it can.
   * A missing offset up to {@code lostUpTo} is given up as lost; the first one after it that is still missing
   * stops the fill, since it may be on its way, and what the history holds beyond it is held.
   */
  void fill(JsonArray history, long lostUpTo) {
    Map<Long, Object> stored = new HashMap<>();
    for (Object item : history) {
      JsonObject entry = (JsonObject) item;
      long offset = entry.getLong(LiveBus.OFFSET);
      if (offset > delivered) {
        stored.put(offset, entry.getValue(LiveBus.MESSAGE));
        seen = Math.max(seen, offset);
      }
    }
    while (delivered < seen) {
      long next = delivered + 1;
      if (held.containsKey(next)) {
        deliver(next, held.remove(next));
      } else if (stored.containsKey(next)) {
        deliver(next, stored.get(next));
      } else if (next <= lostUpTo) {
        lost = true;
        delivered = next;
      } else {
        break;
      }
    }
    // What follows a missing offset that may still arrive: held, so that it needs no second read.
    stored.forEach((offset, message) -> {
      if (offset > delivered && held.size() < MAX_HELD) {
        held.putIfAbsent(offset, message);
      }
    });
    drain();
  }

  private void drain() {
    while (!held.isEmpty() && held.firstKey() == delivered + 1) {
      var next = held.pollFirstEntry();
      deliver(next.getKey(), next.getValue());
    }
  }

  private void deliver(long offset, Object message) {
    delivered = offset;
    boolean complete = !lost;
    lost = false;
    receiver.deliver(offset, message, complete);
  }
}
