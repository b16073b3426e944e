package dev.syncline.storage.changes;

import dev.syncline.contracts.bus.StorageBus;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Publishes record changes after their transactions commit, in timestamp order per collection.
 *
 * <p>Writes to one collection commit in timestamp order (each holds the list's timestamp row until it commits), but
 * their commit acknowledgements arrive on different connections and may be read in another order. A change is
 * therefore reserved when its timestamp is taken, and published only once every earlier reservation of the same
 * collection has committed or been abandoned. Confined to the storage verticle's context.
 */
public final class ChangeSequencer {
  private final EventBus bus;
  private final Map<String, TreeMap<Long, Slot>> pending = new HashMap<>();

  private static final class Slot {
    private final List<JsonObject> events = new ArrayList<>();
    private boolean settled;
  }

  public ChangeSequencer(EventBus bus) {
    this.bus = bus;
  }

  /** A request's changes: reserve with the first event, then commit or abandon once the transaction ends. */
  public final class Batch {
    private String collection;
    private long timestamp;

    public void add(String collectionUri, long changeTimestamp, JsonObject event) {
      if (collection == null) {
        collection = collectionUri;
        timestamp = changeTimestamp;
        pending.computeIfAbsent(collection, key -> new TreeMap<>()).put(timestamp, new Slot());
      }
      pending.get(collection).get(timestamp).events.add(event);
    }

    public void committed() {
      settle(true);
    }

    public void abandoned() {
      settle(false);
    }

    private void settle(boolean publish) {
      if (collection == null) {
        return;
      }
      TreeMap<Long, Slot> slots = pending.get(collection);
      Slot slot = slots.get(timestamp);
      slot.settled = true;
      if (!publish) {
        slot.events.clear();
      }
      while (!slots.isEmpty() && slots.firstEntry().getValue().settled) {
        slots.pollFirstEntry().getValue().events.forEach(event -> bus.publish(StorageBus.CHANGES, event));
      }
      if (slots.isEmpty()) {
        pending.remove(collection);
      }
    }
  }

  public Batch batch() {
    return new Batch();
  }
}
