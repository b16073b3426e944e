package dev.syncline.storage.objects;

import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.storage.StorageSettings;
import dev.syncline.storage.access.Access;
import dev.syncline.storage.batching.GroupCommit;
import dev.syncline.storage.changes.ChangeSequencer;
import dev.syncline.storage.listing.ListQuery;
import dev.syncline.storage.listing.PageToken;
import dev.syncline.storage.quota.Quotas;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The Kinto semantics of every object and list request: who may do what, preconditions, timestamps, the default
 * bucket. Each request is one transaction; record changes are published on {@link StorageBus#CHANGES} after it
 * commits.
 */
public final class ObjectService {
  private final Pool pool;
  private final EventBus bus;
  private final ChangeSequencer sequencer;
  private final StorageSettings settings;
  private final Quotas quotas;
  private final GroupCommit listWrites;

  public ObjectService(Pool pool, EventBus bus, StorageSettings settings) {
    this.pool = pool;
    this.bus = bus;
    this.sequencer = new ChangeSequencer(bus);
    this.settings = settings;
    this.quotas = new Quotas(settings.maxRecordBytes(), settings.maxCollectionRecords(), settings.maxBucketBytes());
    this.listWrites = new GroupCommit(pool, settings.writeGroupSize());
  }

  /** What a request resolved to: the object (default bucket replaced), the caller with groups, and access. */
  private record Scope(ObjectRef ref, Caller caller, Access access) {
  }

  // ---------------------------------------------------------------- objects

  public Future<JsonObject> get(JsonObject request) {
    return pool.withTransaction(conn -> scope(conn, request, ObjectRef.from(request), true)
        .compose(scope -> ObjectStore.find(conn, scope.ref(), false)
            .compose(found -> {
              StoredObject object = alive(found, scope);
              if (!scope.access().canRead(scope.ref())) {
                throw forbidden(scope.caller());
              }
              if (notModified(request, object)) {
                return Future.succeededFuture(new JsonObject().put(StorageBus.TIMESTAMP, object.lastModified())
                    .put(StorageBus.NOT_MODIFIED, true));
              }
              checkPreconditions(request, object);
              return reply(conn, scope, object, false);
            })));
  }

  public Future<JsonObject> put(JsonObject request) {
    return write(request, ObjectRef.from(request), false);
  }

  public Future<JsonObject> create(JsonObject request) {
    JsonObject data = request.getValue(StorageBus.DATA) instanceof JsonObject given ? given : new JsonObject();
    String id = data.getValue("id") instanceof String given ? given : UUID.randomUUID().toString();
    ObjectRef ref = listRef(request).withId(id);
    return write(request, ref, true);
  }

  public Future<JsonObject> patch(JsonObject request) {
    ChangeSequencer.Batch changes = sequencer.batch();
    return listWrites.submit(listKey(request, ObjectRef.from(request)), conn -> existingToWrite(conn, request, changes)
        .compose(target -> ObjectStore.permissionsOf(conn, target.scope().ref().uri())
            .compose(permissions -> applyPatch(conn, target.scope(), request, target.object(), permissions,
                changes))))
        .onComplete(done -> settle(changes, done.succeeded()))
        .onSuccess(done -> accessMayHaveChanged(request, ObjectRef.from(request)));
  }

  public Future<JsonObject> delete(JsonObject request) {
    ChangeSequencer.Batch changes = sequencer.batch();
    return listWrites.submit(listKey(request, ObjectRef.from(request)), conn -> existingToWrite(conn, request, changes)
        .compose(target -> {
          ObjectRef ref = target.scope().ref();
          StoredObject existing = target.object();
          long atLeast = Math.max(System.currentTimeMillis(), request.getLong(StorageBus.LAST_MODIFIED, 0L));
          return ObjectStore.bump(conn, ref.parentId(), ref.kind(), atLeast)
              .compose(timestamp -> forgetOrCount(conn, ref, existing)
                  .compose(done -> ObjectStore.tombstone(conn, ref, timestamp))
                  .compose(done -> ObjectStore.purgeBelow(conn, ref.uri()))
                  .map(done -> {
                    StoredObject tombstone = new StoredObject(existing.id(), timestamp, true, new JsonObject());
                    record(changes, ref, "delete", existing, tombstone);
                    return new JsonObject().put(StorageBus.DATA, tombstone.toJson())
                        .put(StorageBus.TIMESTAMP, timestamp);
                  }));
        }))
        .onComplete(done -> settle(changes, done.succeeded()))
        .onSuccess(done -> accessMayHaveChanged(request, ObjectRef.from(request)));
  }

  /** An object that exists, locked for this transaction, which the caller may write and whose preconditions hold. */
  private record Target(Scope scope, StoredObject object) {
  }

  private Future<Target> existingToWrite(SqlConnection conn, JsonObject request, ChangeSequencer.Batch changes) {
    return lockedInScope(conn, request, ObjectRef.from(request), changes).map(target -> {
      StoredObject existing = alive(target.object(), target.scope());
      if (!target.scope().access().canWrite(target.scope().ref())) {
        throw forbidden(target.scope().caller());
      }
      checkPreconditions(request, existing);
      return new Target(target.scope(), existing);
    });
  }

  private Future<JsonObject> write(JsonObject request, ObjectRef target, boolean postSemantics) {
    ChangeSequencer.Batch changes = sequencer.batch();
    return listWrites.submit(listKey(request, target), conn -> lockedInScope(conn, request, target, changes)
            .compose(locked -> {
              Scope scope = locked.scope();
              StoredObject existing = locked.object() == null || locked.object().deleted() ? null : locked.object();
              if (existing == null ? !scope.access().canCreate(scope.ref())
                  : !scope.access().canWrite(scope.ref()) && !(postSemantics && scope.access().canRead(scope.ref()))) {
                throw forbidden(scope.caller());
              }
              checkPreconditions(request, existing);
              if (postSemantics && existing != null) {
                return reply(conn, scope, existing, false);
              }
              JsonObject data = dataOf(request, scope.ref());
              long atLeast = echoedTimestamp(data, existing);
              stripMeta(data);
              checkSize(scope.ref(), data);
              // Usage is counted before the write, so that a first count sees the state it changes.
              return count(conn, scope.ref(), existing == null ? 1 : 0, data, existing)
                  .compose(remaining -> {
                    // Pipelined, in one round trip: the timestamp and the object, the permissions, and what the
                    // reply shows of them.
                    Future<Long> written = ObjectStore.bumpAndUpsert(conn, scope.ref(), atLeast, data);
                    Future<JsonObject> saved = savePermissions(conn, scope, request, existing == null);
                    Future<JsonObject> shown = existing == null ? saved : shownPermissions(conn, scope);
                    return Future.all(written, saved, shown).map(done -> {
                      StoredObject stored = new StoredObject(scope.ref().id(), written.result(), false, data);
                      record(changes, scope.ref(), existing == null ? "insert" : "update", existing, stored);
                      JsonObject reply = existing == null
                          ? created(stored, saved.result())
                          : answer(stored, shown.result(), false);
                      return withQuota(reply, remaining);
                    });
                  });
            }))
        .onComplete(done -> settle(changes, done.succeeded()))
        .onSuccess(done -> accessMayHaveChanged(request, target));
  }

  private Future<JsonObject> applyPatch(SqlConnection conn, Scope scope, JsonObject request, StoredObject existing,
      JsonObject permissions, ChangeSequencer.Batch changes) {
    String type = request.getString(StorageBus.PATCH_TYPE, "merge");
    JsonObject newData;
    JsonObject newPermissions = null;
    if (type.equals("json-patch")) {
      if (!(request.getValue(StorageBus.DATA) instanceof JsonArray operations)) {
        throw invalidBody("body", "A JSON Patch is an array of operations");
      }
      JsonObject patched = Patches.jsonPatch(existing.data(), permissions, scope.ref().kind().permissions(),
          operations);
      newData = patched.getValue("data") instanceof JsonObject object ? object : null;
      if (newData == null) {
        throw invalidBody("data", "data must stay an object");
      }
      newPermissions = validPermissions(patched.getValue("permissions"), scope.ref().kind());
    } else {
      JsonObject changesToData = request.getValue(StorageBus.DATA) instanceof JsonObject object
          ? object : new JsonObject();
      newData = type.equals("merge-patch")
          ? Patches.mergePatch(existing.data(), changesToData)
          : Patches.merge(existing.data(), changesToData);
      if (request.getValue(StorageBus.PERMISSIONS) != null) {
        newPermissions = validPermissions(request.getValue(StorageBus.PERMISSIONS), scope.ref().kind());
      }
    }
    if (newData.getValue("id") != null && !scope.ref().id().equals(newData.getValue("id"))) {
      throw invalidBody("data.id", "The id cannot be changed");
    }
    long atLeast = echoedTimestamp(newData, existing);
    stripMeta(newData);
    checkSize(scope.ref(), newData);
    JsonObject permissionsToSave = newPermissions == null ? null : withCreator(newPermissions, scope.caller());
    return ObjectStore.bump(conn, scope.ref().parentId(), scope.ref().kind(), atLeast)
        .compose(timestamp -> {
          StoredObject stored = new StoredObject(existing.id(), timestamp, false, newData);
          record(changes, scope.ref(), "update", existing, stored);
          return count(conn, scope.ref(), 0, newData, existing).compose(remaining -> {
            Future<Void> saved = ObjectStore.upsert(conn, scope.ref(), timestamp, newData);
            if (permissionsToSave != null) {
              saved = saved.compose(done -> ObjectStore.setPermissions(conn, scope.ref().uri(), permissionsToSave));
            }
            return saved.compose(done -> reply(conn, scope, stored, false)).map(reply -> withQuota(reply, remaining));
          });
        });
  }

  // ------------------------------------------------------------------ lists

  public Future<JsonObject> list(JsonObject request) {
    JsonObject query = request.getJsonObject(StorageBus.QUERY, new JsonObject());
    ListQuery listQuery = new ListQuery(query);
    String token = query.getString(StorageBus.TOKEN);
    PageToken after = token == null ? null : PageToken.decode(token, listQuery.queryHash());
    int limit = pageLimit(query);
    return pool.withTransaction(conn -> scope(conn, request, listRef(request), true)
        .compose(scope -> {
          ObjectRef parent = scope.ref().parent();
          List<String> readableBy = scope.access().canReadAll(parent) ? null : scope.caller().principals();
          if (readableBy != null && scope.caller().anonymous()) {
            throw forbidden(scope.caller());
          }
          String parentId = scope.ref().parentId();
          Future<Long> snapshot = after != null
              ? Future.succeededFuture(after.snapshot())
              : ObjectStore.listTimestamp(conn, parentId, scope.ref().kind(), System.currentTimeMillis());
          return snapshot.compose(timestamp -> page(conn, scope, listQuery, after, readableBy, limit, timestamp)
              .compose(reply -> !query.getBoolean(StorageBus.COUNT, false)
                  ? Future.succeededFuture(reply)
                  : count(conn, scope, listQuery, readableBy, timestamp).map(total -> reply.put(StorageBus.TOTAL,
                      total))));
        }));
  }

  public Future<JsonObject> deleteList(JsonObject request) {
    ListQuery listQuery = new ListQuery(request.getJsonObject(StorageBus.QUERY, new JsonObject()));
    ChangeSequencer.Batch changes = sequencer.batch();
    return pool.withTransaction(conn -> scope(conn, request, listRef(request), false)
        .compose(scope -> {
          ObjectRef parent = scope.ref().parent();
          List<String> writableBy = parent != null && scope.access().canWrite(parent)
              ? null : scope.caller().principals();
          if (writableBy != null && scope.caller().anonymous()) {
            throw forbidden(scope.caller());
          }
          var select = listQuery.ids(scope.ref().parentId(), scope.ref().kind(), Long.MAX_VALUE, writableBy);
          return ObjectStore.lockList(conn, scope.ref().parentId(), scope.ref().kind())
              .compose(previous -> {
                changes.follows(previous);
                return conn.preparedQuery(select.sql()).execute(select.tuple());
              })
              .compose(rows -> {
                List<StoredObject> doomed = new ArrayList<>();
                rows.forEach(row -> doomed.add(StoredObject.of(row)));
                if (doomed.isEmpty()) {
                  return ObjectStore.listTimestamp(conn, scope.ref().parentId(), scope.ref().kind(),
                      System.currentTimeMillis()).map(timestamp -> new JsonObject()
                      .put(StorageBus.DATA, new JsonArray()).put(StorageBus.TIMESTAMP, timestamp));
                }
                return ObjectStore.bump(conn, scope.ref().parentId(), scope.ref().kind(), System.currentTimeMillis())
                    .compose(timestamp -> tombstoneAll(conn, scope, doomed, timestamp, changes));
              });
        }))
        .onComplete(done -> settle(changes, done.succeeded()))
        .onSuccess(done -> {
          ObjectRef list = listRef(request);
          if (list.bucketId() != null) {
            accessMayHaveChanged(request, list);
          }
        });
  }

  private Future<JsonObject> tombstoneAll(SqlConnection conn, Scope scope, List<StoredObject> doomed, long timestamp,
      ChangeSequencer.Batch changes) {
    JsonArray tombstones = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (StoredObject object : doomed) {
      ObjectRef ref = scope.ref().withId(object.id());
      StoredObject tombstone = new StoredObject(object.id(), timestamp, true, new JsonObject());
      tombstones.add(tombstone.toJson());
      record(changes, ref, "delete", object, tombstone);
      chain = chain.compose(done -> forgetOrCount(conn, ref, object))
          .compose(done -> ObjectStore.tombstone(conn, ref, timestamp))
          .compose(done -> ObjectStore.purgeBelow(conn, ref.uri()));
    }
    return chain.map(done -> new JsonObject().put(StorageBus.DATA, tombstones).put(StorageBus.TIMESTAMP, timestamp));
  }

  private Future<JsonObject> page(SqlConnection conn, Scope scope, ListQuery query, PageToken after,
      List<String> readableBy, int limit, long snapshot) {
    var select = query.page(scope.ref().parentId(), scope.ref().kind(), snapshot, after, readableBy, limit);
    return conn.preparedQuery(select.sql()).execute(select.tuple()).map(rows -> {
      JsonArray data = new JsonArray();
      StoredObject last = null;
      int seen = 0;
      for (var row : rows) {
        if (++seen > limit) {
          break;
        }
        last = StoredObject.of(row);
        data.add(query.project(last));
      }
      JsonObject reply = new JsonObject().put(StorageBus.DATA, data).put(StorageBus.TIMESTAMP, snapshot);
      if (rows.size() > limit && last != null) {
        reply.put(StorageBus.NEXT_TOKEN, new PageToken(snapshot, query.keysOf(last), query.queryHash()).encode());
      }
      return reply;
    });
  }

  private Future<Long> count(SqlConnection conn, Scope scope, ListQuery query, List<String> readableBy,
      long snapshot) {
    var select = query.count(scope.ref().parentId(), scope.ref().kind(), snapshot, readableBy);
    return conn.preparedQuery(select.sql()).execute(select.tuple()).map(rows -> rows.iterator().next().getLong(0));
  }

  private int pageLimit(JsonObject query) {
    int limit = query.getInteger(StorageBus.LIMIT, settings.pageSize() > 0 ? settings.pageSize() : Integer.MAX_VALUE);
    return Math.max(1, Math.min(limit, settings.maxFetchSize()));
  }

  // ---------------------------------------------------------------- scoping

  /**
   * Which list a write locks: writes with the same key share transactions ({@link GroupCommit}), so the key names
   * exactly one list, with a user's default bucket resolved as {@link #scope} will resolve it.
   */
  private String listKey(JsonObject request, ObjectRef ref) {
    Caller caller = Caller.from(request);
    ObjectRef resolved = caller.anonymous() ? ref : inOwnBucket(ref, caller);
    return resolved.kind().resourceName() + " " + resolved.parentId();
  }

  /** The reference with the default bucket replaced by the caller's own; as it is if it names another bucket. */
  private ObjectRef inOwnBucket(ObjectRef ref, Caller caller) {
    return DefaultBucket.NAME.equals(ref.bucketId())
        ? ref.withBucket(DefaultBucket.idFor(caller.userId(), settings.defaultBucketSecret()))
        : ref;
  }

  /** Locks the object's list, then reads the object for update: the one lock order every write follows. */
  private static Future<StoredObject> locked(SqlConnection conn, ObjectRef ref, ChangeSequencer.Batch changes) {
    // Sent together and run in order by the server: the list lock is taken before the row lock either way.
    Future<Long> previous = ObjectStore.lockList(conn, ref.parentId(), ref.kind());
    Future<StoredObject> found = ObjectStore.find(conn, ref, true);
    return Future.all(previous, found).map(done -> {
      changes.follows(previous.result());
      return found.result();
    });
  }

  /**
   * Resolves the default bucket (creating it, and the collection addressed in it, on first use), adds the caller's
   * groups to its principals, checks that every ancestor exists, and loads the access-control entries that decide.
   */
  private Future<Scope> scope(SqlConnection conn, JsonObject request, ObjectRef requested, boolean createSelf) {
    return resolve(conn, request, requested, createSelf).compose(ref -> authorize(conn, request, ref));
  }

  /** The object a request names, with the default bucket resolved, and created on first use with its collection. */
  private Future<ObjectRef> resolve(SqlConnection conn, JsonObject request, ObjectRef requested, boolean createSelf) {
    if (!DefaultBucket.NAME.equals(requested.bucketId())) {
      return Future.succeededFuture(requested);
    }
    Caller caller = Caller.from(request);
    if (caller.anonymous()) {
      return Future.failedFuture(forbidden(caller));
    }
    ObjectRef ref = inOwnBucket(requested, caller);
    Future<ObjectRef> resolved = ensureExists(conn, ObjectRef.bucket(ref.bucketId()), caller);
    if (ref.kind() == Kind.RECORD || (ref.kind() == Kind.COLLECTION && createSelf && ref.id() != null)) {
      ObjectRef collection = ObjectRef.collection(ref.bucketId(),
          ref.kind() == Kind.RECORD ? ref.collection() : ref.id());
      resolved = resolved.compose(done -> ensureExists(conn, collection, caller));
    }
    return resolved.map(ref);
  }

  /** Adds the caller's groups to its principals, checks that every ancestor exists, and loads what decides access. */
  private Future<Scope> authorize(SqlConnection conn, JsonObject request, ObjectRef ref) {
    Caller caller = Caller.from(request);
    // Both queries go out together: the client pipelines them on the connection, saving a round trip.
    Future<ObjectStore.Grants> grants = ObjectStore.grants(conn, Access.relevantUris(ref), caller.principals());
    List<ObjectRef> ancestors = ref.ancestors();
    Future<Set<String>> alive = ancestors.isEmpty()
        ? Future.succeededFuture(Set.of())
        : ObjectStore.alive(conn, ancestors);
    return Future.all(grants, alive).compose(done -> {
      Caller withGroups = caller.withGroups(grants.result().groups());
      Scope scope = new Scope(ref, withGroups, new Access(grants.result().entries(),
          withGroups.principals().stream().anyMatch(settings.bucketCreators()::contains)));
      return ancestorsExist(scope, alive.result()).map(scope);
    });
  }

  /**
   * What a write starts with, in one round trip: the access queries, then the list lock and the object, locked. The
   * lock follows any parent that {@link #resolve} created, so locks are still taken from the top down.
   */
  private Future<Target> lockedInScope(SqlConnection conn, JsonObject request, ObjectRef requested,
      ChangeSequencer.Batch changes) {
    return resolve(conn, request, requested, false).compose(ref -> {
      Future<Scope> scope = authorize(conn, request, ref);
      Future<StoredObject> found = locked(conn, ref, changes);
      return Future.all(scope, found).map(done -> new Target(scope.result(), found.result()));
    });
  }

  /** Unlocked check: racing first uses both create, and the upsert makes that harmless. */
  private Future<ObjectRef> ensureExists(SqlConnection conn, ObjectRef ref, Caller caller) {
    return ObjectStore.find(conn, ref, false).compose(found -> {
      if (found != null && !found.deleted()) {
        return Future.succeededFuture(ref);
      }
      return ObjectStore.bump(conn, ref.parentId(), ref.kind(), System.currentTimeMillis())
          .compose(timestamp -> ObjectStore.upsert(conn, ref, timestamp, new JsonObject()))
          .compose(done -> ObjectStore.setPermissions(conn, ref.uri(),
              new JsonObject().put("write", new JsonArray().add(caller.userId()))))
          .map(ref);
    });
  }

  /** The first missing ancestor, from the bucket down, is what a 404 names. */
  private static Future<Void> ancestorsExist(Scope scope, Set<String> alive) {
    List<ObjectRef> ancestors = scope.ref().ancestors();
    for (int i = ancestors.size() - 1; i >= 0; i--) {
      if (!alive.contains(ObjectStore.aliveKey(ancestors.get(i)))) {
        return Future.failedFuture(notFound(ancestors.get(i), scope));
      }
    }
    return Future.succeededFuture();
  }

  // --------------------------------------------------------------- replies

  private Future<JsonObject> reply(SqlConnection conn, Scope scope, StoredObject object, boolean created) {
    Future<JsonObject> permissions = created
        ? ObjectStore.permissionsOf(conn, scope.ref().uri())
        : shownPermissions(conn, scope);
    return permissions.map(granted -> answer(object, granted, created));
  }

  /** Only those who may write an object see its permissions. */
  private static Future<JsonObject> shownPermissions(SqlConnection conn, Scope scope) {
    return scope.access().canWrite(scope.ref())
        ? ObjectStore.permissionsOf(conn, scope.ref().uri())
        : Future.succeededFuture(new JsonObject());
  }

  private static JsonObject answer(StoredObject object, JsonObject permissions, boolean created) {
    return new JsonObject()
        .put(StorageBus.DATA, object.toJson())
        .put(StorageBus.PERMISSIONS, permissions)
        .put(StorageBus.TIMESTAMP, object.lastModified())
        .put(StorageBus.CREATED, created);
  }

  /** Saves the permissions a write carries (the creator always keeps write); returns them, or null if none. */
  private Future<JsonObject> savePermissions(SqlConnection conn, Scope scope, JsonObject request, boolean created) {
    Object given = request.getValue(StorageBus.PERMISSIONS);
    if (given == null && !created) {
      return Future.succeededFuture();
    }
    JsonObject permissions = given == null ? new JsonObject() : validPermissions(given, scope.ref().kind());
    JsonObject saved = withCreator(permissions, scope.caller());
    return ObjectStore.setPermissions(conn, scope.ref().uri(), saved).map(saved);
  }

  /** A new object's permissions are exactly those just saved: nothing else can hold entries on it. */
  private static JsonObject created(StoredObject object, JsonObject permissions) {
    JsonObject shown = new JsonObject();
    permissions.forEach(entry -> {
      if (!((JsonArray) entry.getValue()).isEmpty()) {
        shown.put(entry.getKey(), entry.getValue());
      }
    });
    return new JsonObject()
        .put(StorageBus.DATA, object.toJson())
        .put(StorageBus.PERMISSIONS, shown)
        .put(StorageBus.TIMESTAMP, object.lastModified())
        .put(StorageBus.CREATED, true);
  }

  /** Whoever creates or re-permissions an object keeps {@code write} on it. */
  private static JsonObject withCreator(JsonObject permissions, Caller caller) {
    if (caller.anonymous()) {
      return permissions;
    }
    JsonArray writers = permissions.getJsonArray("write", new JsonArray()).copy();
    if (!writers.contains(caller.userId())) {
      writers.add(caller.userId());
    }
    return permissions.copy().put("write", writers);
  }

  private static JsonObject validPermissions(Object given, Kind kind) {
    if (!(given instanceof JsonObject permissions)) {
      throw invalidBody("permissions", "permissions must be an object");
    }
    for (var entry : permissions) {
      if (!kind.permissions().contains(entry.getKey())) {
        throw invalidBody("permissions", "'" + entry.getKey() + "' is not a permission of a " + kind.resourceName()
            + " (allowed: " + String.join(", ", kind.permissions()) + ")");
      }
      if (!(entry.getValue() instanceof JsonArray principals)
          || principals.stream().anyMatch(principal -> !(principal instanceof String))) {
        throw invalidBody("permissions." + entry.getKey(), "a permission is a list of principals");
      }
    }
    return permissions;
  }

  private static JsonObject dataOf(JsonObject request, ObjectRef ref) {
    Object given = request.getValue(StorageBus.DATA);
    if (given != null && !(given instanceof JsonObject)) {
      throw invalidBody("data", "data must be an object");
    }
    JsonObject data = given == null ? new JsonObject() : ((JsonObject) given).copy();
    if (data.getValue("id") != null && !ref.id().equals(data.getValue("id"))) {
      throw invalidBody("data.id", "The id in the body does not match the one in the URL");
    }
    return data;
  }

  /**
   * Kinto's echo rule: a client-sent {@code last_modified} becomes the new timestamp only if it is an integer newer
   * than the stored one; otherwise the server's clock decides.
   */
  private static long echoedTimestamp(JsonObject data, StoredObject existing) {
    long now = System.currentTimeMillis();
    if (data.getValue("last_modified") instanceof Number given && given.longValue() == given.doubleValue()
        && (existing == null || given.longValue() > existing.lastModified())) {
      return given.longValue();
    }
    return now;
  }

  private static void stripMeta(JsonObject data) {
    data.remove("id");
    data.remove("last_modified");
  }

  // ----------------------------------------------------------------- quotas

  private void checkSize(ObjectRef ref, JsonObject data) {
    if (ref.kind() == Kind.RECORD) {
      quotas.checkSize(data);
    }
  }

  private Future<Long> count(SqlConnection conn, ObjectRef ref, int records, JsonObject data, StoredObject before) {
    if (ref.kind() != Kind.RECORD) {
      return Future.succeededFuture(-1L);
    }
    return quotas.count(conn, ref, records, data, before == null ? null : before.data());
  }

  /** A deleted record leaves its collection's and bucket's counts; a deleted container takes its counts along. */
  private Future<Void> forgetOrCount(SqlConnection conn, ObjectRef ref, StoredObject deleted) {
    if (ref.kind() == Kind.RECORD) {
      return quotas.count(conn, ref, -1, null, deleted.data()).mapEmpty();
    }
    return quotas.forget(conn, ref.uri());
  }

  private static JsonObject withQuota(JsonObject reply, long remaining) {
    return remaining < 0 ? reply : reply.put(StorageBus.QUOTA_REMAINING, remaining);
  }

  // ---------------------------------------------------------- preconditions

  private static boolean notModified(JsonObject request, StoredObject object) {
    Object condition = request.getValue(StorageBus.IF_NONE_MATCH);
    return condition instanceof Number timestamp && timestamp.longValue() == object.lastModified();
  }

  /** If-Match / If-None-Match against the current object (null when absent); a 412 carries the current object. */
  private static void checkPreconditions(JsonObject request, StoredObject current) {
    Object ifMatch = request.getValue(StorageBus.IF_MATCH);
    Object ifNoneMatch = request.getValue(StorageBus.IF_NONE_MATCH);
    boolean failed = false;
    if (ifMatch != null) {
      failed = current == null || ifMatch instanceof Number ts && ts.longValue() != current.lastModified();
    }
    if (ifNoneMatch != null && current != null) {
      failed |= "*".equals(ifNoneMatch) || ifNoneMatch instanceof Number ts && ts.longValue() == current.lastModified();
    }
    if (failed) {
      JsonObject details = current == null ? new JsonObject()
          : new JsonObject().put("existing", current.toJson());
      throw new SynclineException(ErrorCode.MODIFIED_MEANWHILE, "Resource was modified meanwhile", details);
    }
  }

  // --------------------------------------------------------------- refusals

  private static StoredObject alive(StoredObject found, Scope scope) {
    if (found == null || found.deleted()) {
      throw notFound(scope.ref(), scope);
    }
    return found;
  }

  /** 404 when the caller may know whether the object exists (it can read the parent), otherwise 401/403. */
  private static SynclineException notFound(ObjectRef ref, Scope scope) {
    ObjectRef parent = ref.parent();
    if (parent != null && scope.access().canRead(parent)) {
      return new SynclineException(ErrorCode.INVALID_ID, "The resource you are looking for could not be found.",
          new JsonObject().put("id", ref.id()).put("resource_name", ref.kind().resourceName()));
    }
    return forbidden(scope.caller());
  }

  private static SynclineException forbidden(Caller caller) {
    return caller.anonymous()
        ? new SynclineException(ErrorCode.MISSING_AUTH, "Please authenticate yourself to use this endpoint.")
        : new SynclineException(ErrorCode.FORBIDDEN, "This user cannot access this resource.");
  }

  private static SynclineException invalidBody(String name, String description) {
    return new SynclineException(ErrorCode.INVALID_PARAMETERS, name + " in body: " + description,
        new JsonArray().add(new JsonObject().put("location", "body").put("name", name)
            .put("description", description)));
  }

  private static ObjectRef listRef(JsonObject request) {
    Kind kind = Kind.of(request.getString(StorageBus.RESOURCE));
    return new ObjectRef(kind, kind == Kind.BUCKET ? null : request.getString(StorageBus.BUCKET),
        kind == Kind.RECORD ? request.getString(StorageBus.COLLECTION) : null, null);
  }

  // ---------------------------------------------------------------- changes

  /** Record changes are published, in order, once their transaction has committed; other kinds have none. */
  private static void record(ChangeSequencer.Batch changes, ObjectRef ref, String type, StoredObject before,
      StoredObject after) {
    if (ref.kind() != Kind.RECORD) {
      return;
    }
    changes.add(ref.parentId(), after.lastModified(), new JsonObject()
        .put(StorageBus.BUCKET, ref.bucket())
        .put(StorageBus.COLLECTION, ref.collection())
        .put(StorageBus.ID, ref.id())
        .put(StorageBus.TYPE, type)
        .put(StorageBus.OLD, before == null ? null : before.toJson())
        .put(StorageBus.NEW, after.deleted() ? null : after.toJson())
        .put(StorageBus.TIMESTAMP, after.lastModified()));
  }

  /** Buckets, collections and groups carry permissions (and members): live subscribers there are re-checked. */
  private void accessMayHaveChanged(JsonObject request, ObjectRef ref) {
    if (ref.kind() == Kind.RECORD) {
      return;
    }
    Caller caller = Caller.from(request);
    String bucket = DefaultBucket.NAME.equals(ref.bucketId()) && !caller.anonymous()
        ? DefaultBucket.idFor(caller.userId(), settings.defaultBucketSecret())
        : ref.bucketId();
    bus.publish(StorageBus.ACCESS_CHANGED, new JsonObject().put(StorageBus.BUCKET, bucket));
  }

  private static void settle(ChangeSequencer.Batch changes, boolean committed) {
    if (committed) {
      changes.committed();
    } else {
      changes.abandoned();
    }
  }
}
