package dev.syncline.storage.changes;

import dev.syncline.contracts.bus.StorageBus;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Publishes record changes after their transactions commit, in timestamp order per collection: one message per
 * transaction, {@code {bucket, collection, previous, timestamp, changes: [...]}}, where {@code previous} is the
 * collection's timestamp before the transaction. Each message thus links to the one before it, so a receiver that
 * gets them from several nodes can put them back in order and notice one it has not received.
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
    private long previous;
    private boolean settled;
  }

  public ChangeSequencer(EventBus bus) {
    this.bus = bus;
  }

  /** A request's changes: reserve with the first event, then commit or abandon once the transaction ends. */
  public final class Batch {
    private String collection;
    private long timestamp;
    private long previous = -1;
    private Slot slot;

    /** The collection's timestamp before this transaction, read when its lock was taken. */
    public void follows(long previousTimestamp) {
      previous = previousTimestamp;
    }

    public void add(String collectionUri, long changeTimestamp, JsonObject event) {
      if (slot == null) {
        collection = collectionUri;
        timestamp = changeTimestamp;
        slot = new Slot();
        slot.previous = previous;
        // A write rolled back to its savepoint in a shared transaction hands its timestamp on to the next write
        // of the group, whose slot then takes this key; the abandoned one is only ever removed by identity.
        pending.computeIfAbsent(collection, key -> new TreeMap<>()).put(timestamp, slot);
      }
      slot.events.add(event);
    }

    public void committed() {
      if (slot != null) {
        slot.settled = true;
        drain(collection);
      }
    }

    public void abandoned() {
      if (slot != null) {
        TreeMap<Long, Slot> slots = pending.get(collection);
        if (slots != null) {
          slots.remove(timestamp, slot);
        }
        drain(collection);
      }
    }
  }

  private void drain(String collection) {
    TreeMap<Long, Slot> slots = pending.get(collection);
    if (slots == null) {
      return;
    }
    while (!slots.isEmpty() && slots.firstEntry().getValue().settled) {
      var first = slots.pollFirstEntry();
      publish(first.getKey(), first.getValue());
    }
    if (slots.isEmpty()) {
      pending.remove(collection);
    }
  }

  private void publish(long timestamp, Slot slot) {
    JsonObject first = slot.events.get(0);
    JsonArray changes = new JsonArray();
    for (JsonObject event : slot.events) {
      JsonObject change = event.copy();
      change.remove(StorageBus.BUCKET);
      change.remove(StorageBus.COLLECTION);
      changes.add(change);
    }
    bus.publish(StorageBus.CHANGES, new JsonObject()
        .put(StorageBus.BUCKET, first.getString(StorageBus.BUCKET))
        .put(StorageBus.COLLECTION, first.getString(StorageBus.COLLECTION))
        .put(StorageBus.PREVIOUS, slot.previous)
        .put(StorageBus.TIMESTAMP, timestamp)
        .put(StorageBus.CHANGES_FIELD, changes));
  }

  public Batch batch() {
    return new Batch();
  }
}
