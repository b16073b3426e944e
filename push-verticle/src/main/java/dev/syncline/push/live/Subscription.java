package dev.syncline.push.live;

import dev.syncline.contracts.bus.StorageBus;
import io.vertx.core.Context;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * One client's subscription to a collection. Changes come from every node; each names the collection timestamp it
 * followed, so they are applied in that chain's order whatever order they arrive in. Before going live the
 * subscription buffers; a link that does not arrive within the gap wait is fetched from storage instead.
 * Confined to the connection's context.
 */
final class Subscription {
  private final String id;
  private final String bucketId;
  private final String collectionId;
  private final LiveFilter filter;
  private final LiveConnection connection;
  private final Context context;
  private final TreeMap<Long, JsonObject> pending = new TreeMap<>();
  private long last = -1;
  private boolean live;
  private boolean closed;
  private long gapTimer = -1;

  Subscription(String id, String bucketId, String collectionId, LiveFilter filter, LiveConnection connection,
      Context context) {
    this.id = id;
    this.bucketId = bucketId;
    this.collectionId = collectionId;
    this.filter = filter;
    this.connection = connection;
    this.context = context;
  }

  String id() {
    return id;
  }

  String bucketId() {
    return bucketId;
  }

  String collectionId() {
    return collectionId;
  }

  /** From the feed, on any context. */
  void offer(JsonObject transaction) {
    context.runOnContext(v -> receive(transaction));
  }

  /** From the feed, on any context: the bucket's permissions changed. */
  void recheck() {
    context.runOnContext(v -> {
      if (!closed) {
        connection.recheck(this);
      }
    });
  }

  /** The storage state the client now has (after replay) is at {@code snapshot}: deliver what follows it. */
  void goLive(long snapshot) {
    last = snapshot;
    live = true;
    drain();
  }

  void close() {
    closed = true;
    connection.vertx().cancelTimer(gapTimer);
    pending.clear();
  }

  private void receive(JsonObject transaction) {
    if (closed) {
      return;
    }
    long timestamp = transaction.getLong(StorageBus.TIMESTAMP);
    if (live && timestamp <= last) {
      return;
    }
    pending.put(transaction.getLong(StorageBus.PREVIOUS), transaction);
    if (live) {
      drain();
    }
  }

  private void drain() {
    JsonObject next;
    while ((next = pending.remove(last)) != null) {
      deliver(next);
      last = next.getLong(StorageBus.TIMESTAMP);
    }
    for (Iterator<JsonObject> stale = pending.values().iterator(); stale.hasNext(); ) {
      if (stale.next().getLong(StorageBus.TIMESTAMP) <= last) {
        stale.remove();
      }
    }
    connection.vertx().cancelTimer(gapTimer);
    gapTimer = -1;
    if (!pending.isEmpty()) {
      gapTimer = connection.vertx().setTimer(connection.settings().gapWaitMillis(), t -> catchUp());
    }
  }

  /** A link is missing (lost with a node, or sent before this node's interest reached the writer): ask storage. */
  void catchUp() {
    if (closed || !live) {
      return;
    }
    long from = last;
    connection.changesSince(bucketId, collectionId, from).onComplete(result -> context.runOnContext(v -> {
      if (closed || result.failed() || last != from) {
        if (!closed && result.failed()) {
          gapTimer = connection.vertx().setTimer(connection.settings().gapWaitMillis(), t -> catchUp());
        }
        return;
      }
      JsonObject replay = result.result();
      replay.getJsonArray(StorageBus.DATA).forEach(record -> deliverCurrent((JsonObject) record));
      last = Math.max(last, replay.getLong(StorageBus.TIMESTAMP));
      drain();
    }));
  }

  /** A record as storage has it now, for a replay: an upsert if it matches, otherwise a removal. */
  void deliverCurrent(JsonObject record) {
    boolean deleted = record.getBoolean("deleted", false);
    if (!deleted && filter.matches(record)) {
      connection.delta(id, "update", new JsonObject().put("newData", record).putNull("oldData"),
          record.getLong("last_modified"));
    } else {
      connection.delta(id, "delete", new JsonObject().put("data", record), record.getLong("last_modified"));
    }
  }

  private void deliver(JsonObject transaction) {
    JsonArray changes = transaction.getJsonArray(StorageBus.CHANGES_FIELD);
    for (Object item : changes) {
      JsonObject change = (JsonObject) item;
      JsonObject before = change.getJsonObject(StorageBus.OLD);
      JsonObject after = change.getJsonObject(StorageBus.NEW);
      long timestamp = change.getLong(StorageBus.TIMESTAMP);
      switch (Delta.of(filter, before, after)) {
        case INSERT -> connection.delta(id, "insert", new JsonObject().put("data", after), timestamp);
        case UPDATE -> connection.delta(id, "update", new JsonObject().put("newData", after).put("oldData", before),
            timestamp);
        case DELETE -> connection.delta(id, "delete", new JsonObject().put("data", after == null
            ? new JsonObject().put("id", change.getString(StorageBus.ID)).put("last_modified", timestamp)
                .put("deleted", true)
            : after), timestamp);
        case NONE -> {
          // Outside the filter before and after: nothing this subscriber needs to know.
        }
      }
    }
  }
}
