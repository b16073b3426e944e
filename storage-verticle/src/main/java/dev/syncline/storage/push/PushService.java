package dev.syncline.storage.push;

import dev.syncline.contracts.bus.PushStoreBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.storage.batching.Coalescer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Push operations of the storage verticle, one per {@link PushStoreBus} address, and the background purge
 * of expired messages. Every node purges; the deletes are idempotent, so no node needs to be elected for it.
 */
public final class PushService {
  private static final Logger LOG = LoggerFactory.getLogger(PushService.class);

  private final Vertx vertx;
  private final PushStore store;
  private final PushStoreSettings settings;
  private final Coalescer<JsonObject, PushStore.Stored> stores;
  private final Coalescer<PushStore.Acknowledgement, Integer> acks;
  private long purgeTimer = -1;

  public PushService(Vertx vertx, Pool pool, PushStoreSettings settings) {
    this.vertx = vertx;
    this.store = new PushStore(pool);
    this.settings = settings;
    // Every durable message is one insert and, once acknowledged, one delete: the two statements of the push
    // path that run per message, so they are the ones sent in batches.
    this.stores = new Coalescer<>(settings.writeBatch(), settings.writeConcurrency(), store::storeMany);
    this.acks = new Coalescer<>(settings.writeBatch(), settings.writeConcurrency(), store::ackMany);
  }

  public void startPurge() {
    purgeTimer = vertx.setPeriodic(TimeUnit.SECONDS.toMillis(settings.purgeIntervalSeconds()), id -> purge());
  }

  public void stopPurge() {
    vertx.cancelTimer(purgeTimer);
  }

  public Future<JsonObject> hello(JsonObject request) {
    return store.hello(request.getString(PushStoreBus.UAID), required(request, PushStoreBus.NEW_UAID), now(),
        required(request, PushStoreBus.NODE), request.getLong(PushStoreBus.CONNECTED_AT, 0L));
  }

  public Future<JsonObject> release(JsonObject request) {
    return store.release(required(request, PushStoreBus.UAID), required(request, PushStoreBus.NODE),
        request.getLong(PushStoreBus.CONNECTED_AT, 0L)).map(done -> new JsonObject());
  }

  public Future<JsonObject> forgetNode(JsonObject request) {
    return store.forgetNode(required(request, PushStoreBus.NODE)).map(count -> new JsonObject());
  }

  public Future<JsonObject> register(JsonObject request) {
    return store.register(required(request, PushStoreBus.UAID), required(request, PushStoreBus.CHANNEL_ID),
            request.getInteger(PushStoreBus.MAX_CHANNELS, Integer.MAX_VALUE), now())
        .map(registered -> new JsonObject().put(PushStoreBus.REGISTERED, registered));
  }

  public Future<JsonObject> unregister(JsonObject request) {
    return store.unregister(required(request, PushStoreBus.UAID), required(request, PushStoreBus.CHANNEL_ID))
        .map(done -> new JsonObject());
  }

  public Future<JsonObject> store(JsonObject request) {
    String uaid = required(request, PushStoreBus.UAID);
    String channelId = required(request, PushStoreBus.CHANNEL_ID);
    int ttl = request.getInteger(PushStoreBus.TTL, 0);
    long now = now();
    if (ttl <= 0) {
      // TTL 0 is never stored: it goes to a connected client or nowhere, but only for a live subscription.
      return store.channelExists(uaid, channelId).map(stored -> stored(stored, now));
    }
    long expiresAt = now + TimeUnit.SECONDS.toMillis(ttl);
    if (request.getString(PushStoreBus.TOPIC) != null) {
      // A topic replaces a stored message, which a multi-row insert cannot do for two rows of one topic.
      return store.store(request, now, expiresAt).map(stored -> stored(stored, now));
    }
    request.put(PushStore.CREATED_AT, now).put(PushStore.EXPIRES_AT, expiresAt);
    return stores.submit(request).map(stored -> stored(stored, now));
  }

  public Future<JsonObject> fetch(JsonObject request) {
    return store.fetch(required(request, PushStoreBus.UAID), request.getLong(PushStoreBus.AFTER, 0L),
            request.getInteger(PushStoreBus.LIMIT, 100), now())
        .map(messages -> new JsonObject().put(PushStoreBus.MESSAGES, messages));
  }

  public Future<JsonObject> ack(JsonObject request) {
    JsonArray ids = request.getJsonArray(PushStoreBus.IDS, new JsonArray());
    String[] values = ids.stream().map(String::valueOf).toArray(String[]::new);
    if (values.length == 0) {
      return Future.succeededFuture(new JsonObject().put(PushStoreBus.DELETED, 0));
    }
    return acks.submit(new PushStore.Acknowledgement(required(request, PushStoreBus.UAID), values))
        .map(deleted -> new JsonObject().put(PushStoreBus.DELETED, deleted));
  }

  public Future<JsonObject> delete(JsonObject request) {
    return store.delete(required(request, PushStoreBus.ID)).compose(deleted -> deleted
        ? Future.succeededFuture(new JsonObject())
        : Future.failedFuture(new SynclineException(ErrorCode.MISSING_RESOURCE, "No such message")));
  }

  private static JsonObject stored(PushStore.Stored stored, long now) {
    if (stored == null) {
      throw new SynclineException(ErrorCode.SERVICE_DEPRECATED, "This subscription is no longer valid");
    }
    JsonObject reply = new JsonObject().put(PushStoreBus.TIMESTAMP, now);
    if (stored.node() != null) {
      reply.put(PushStoreBus.NODE, stored.node());
    }
    return stored.seq() < 0 ? reply : reply.put(PushStoreBus.SEQ, stored.seq());
  }

  private void purge() {
    store.purge(now())
        .onSuccess(count -> {
          if (count > 0) {
            LOG.debug("Purged {} expired push message(s)", count);
          }
        })
        // An outage is already logged once by the database probe; a purge that fails now runs again later.
        .onFailure(failure -> LOG.debug("Purge of expired push messages failed: {}", failure.getMessage()));
  }

  private static String required(JsonObject request, String field) {
    String value = request.getString(field);
    if (value == null || value.isEmpty()) {
      throw new SynclineException(ErrorCode.INVALID_PARAMETERS, field + " is required");
    }
    return value;
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
