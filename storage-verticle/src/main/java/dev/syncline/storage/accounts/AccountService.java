package dev.syncline.storage.accounts;

import dev.syncline.contracts.bus.AccountBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Answers the {@link AccountBus} storage addresses. Who may do what is the gateway's call; this side guards only
 * what must hold for every caller: well-formed ids, no password or hash in {@code data}, and creation that never
 * overwrites an existing account.
 */
public final class AccountService {
  private static final Pattern ID = Pattern.compile(AccountBus.ID_PATTERN);
  private static final int MAX_LISTED = 10_000;

  private final AccountStore store;
  private final EventBus bus;

  private AccountService(Pool pool, EventBus bus) {
    this.store = new AccountStore(pool);
    this.bus = bus;
  }

  /** Each address with the operation that answers it. */
  public static Map<String, Function<JsonObject, Future<JsonObject>>> operations(Pool pool, EventBus bus) {
    AccountService service = new AccountService(pool, bus);
    Map<String, Function<JsonObject, Future<JsonObject>>> operations = new LinkedHashMap<>();
    operations.put(AccountBus.PUT, service::put);
    operations.put(AccountBus.PATCH, service::patch);
    operations.put(AccountBus.GET, service::get);
    operations.put(AccountBus.DELETE, service::delete);
    operations.put(AccountBus.LIST, service::list);
    operations.put(AccountBus.CREDENTIALS, service::credentials);
    return operations;
  }

  private Future<JsonObject> put(JsonObject request) {
    String id = id(request);
    String hash = hash(request, true);
    JsonObject data = extraFields(request);
    long now = System.currentTimeMillis();
    if (AccountBus.MODE_CREATE.equals(request.getString(AccountBus.MODE))) {
      return store.insert(id, hash, data, now)
          .map(created -> created.orElseThrow(() -> new SynclineException(ErrorCode.FORBIDDEN,
              "Account " + id + " already exists")))
          .map(account -> reply(account.data()).put(AccountBus.CREATED, true));
    }
    return store.upsert(id, hash, data, now)
        .onSuccess(account -> {
          if (!account.created()) {
            changed(id);
          }
        })
        .map(account -> reply(account.data()).put(AccountBus.CREATED, account.created()));
  }

  private Future<JsonObject> patch(JsonObject request) {
    String id = id(request);
    String hash = hash(request, false);
    return store.patch(id, hash, extraFields(request), System.currentTimeMillis())
        .map(found -> found.orElseThrow(() -> notFound(id)))
        .onSuccess(data -> {
          if (hash != null) {
            changed(id);
          }
        })
        .map(AccountService::reply);
  }

  private Future<JsonObject> get(JsonObject request) {
    String id = id(request);
    return store.find(id).map(found -> reply(found.orElseThrow(() -> notFound(id))));
  }

  private Future<JsonObject> delete(JsonObject request) {
    String id = id(request);
    return store.delete(id)
        .map(deleted -> {
          if (!deleted) {
            throw notFound(id);
          }
          changed(id);
          return reply(new JsonObject().put("id", id).put("last_modified", System.currentTimeMillis())
              .put("deleted", true));
        });
  }

  private Future<JsonObject> list(JsonObject request) {
    return store.list(MAX_LISTED).map(accounts -> new JsonObject().put(AccountBus.DATA, accounts));
  }

  private Future<JsonObject> credentials(JsonObject request) {
    String id = id(request);
    return store.passwordHash(id)
        .map(hash -> new JsonObject().put(AccountBus.PASSWORD_HASH, hash.orElseThrow(() -> notFound(id))));
  }

  /** Tells every node's token verticle to forget verifications of this account; the clustered bus carries it. */
  private void changed(String id) {
    bus.publish(AccountBus.CHANGED, new JsonObject().put(AccountBus.ID, id));
  }

  private static JsonObject reply(JsonObject data) {
    return new JsonObject().put(AccountBus.DATA, data);
  }

  private static String id(JsonObject request) {
    String id = request.getString(AccountBus.ID);
    if (id == null || !ID.matcher(id).matches()) {
      throw new SynclineException(ErrorCode.INVALID_PARAMETERS, "Invalid account id");
    }
    return id;
  }

  private static String hash(JsonObject request, boolean required) {
    Object hash = request.getValue(AccountBus.PASSWORD_HASH);
    if (hash == null && !required) {
      return null;
    }
    // Only ever a PHC string from the token verticle; anything else would lock the account or worse.
    if (!(hash instanceof String text) || !text.startsWith("$argon2id$")) {
      throw new SynclineException(ErrorCode.INVALID_PARAMETERS, "password_hash must be an Argon2id PHC string");
    }
    return text;
  }

  private static JsonObject extraFields(JsonObject request) {
    Object value = request.getValue(AccountBus.DATA);
    JsonObject data = value instanceof JsonObject json ? json.copy() : new JsonObject();
    data.remove("id");
    data.remove("last_modified");
    data.remove(AccountBus.PASSWORD);
    data.remove(AccountBus.PASSWORD_HASH);
    return data;
  }

  private static SynclineException notFound(String id) {
    return new SynclineException(ErrorCode.INVALID_ID, "Account not found",
        new JsonObject().put("id", id).put("resource_name", "account"));
  }
}
