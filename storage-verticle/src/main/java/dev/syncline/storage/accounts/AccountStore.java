package dev.syncline.storage.accounts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** The SQL behind accounts. Each statement is one round trip and atomic on its own, so none needs a transaction. */
final class AccountStore {
  private static final String COLUMNS = "id, data, last_modified";
  private static final String INSERT = """
      INSERT INTO accounts (id, password_hash, data, last_modified) VALUES ($1, $2, $3, $4)
      ON CONFLICT (id) DO NOTHING
      RETURNING\s""" + COLUMNS;
  // xmax is 0 only on a freshly inserted row version: tells a creation from a replacement in the same statement.
  private static final String UPSERT = """
      INSERT INTO accounts (id, password_hash, data, last_modified) VALUES ($1, $2, $3, $4)
      ON CONFLICT (id) DO UPDATE SET password_hash = EXCLUDED.password_hash, data = EXCLUDED.data,
        last_modified = GREATEST(EXCLUDED.last_modified, accounts.last_modified + 1)
      RETURNING\s""" + COLUMNS + ", (xmax = 0) AS created";
  private static final String PATCH = """
      UPDATE accounts SET password_hash = COALESCE($2, password_hash), data = data || $3,
        last_modified = GREATEST($4, last_modified + 1)
      WHERE id = $1
      RETURNING\s""" + COLUMNS;
  private static final String FIND = "SELECT " + COLUMNS + " FROM accounts WHERE id = $1";
  private static final String DELETE = "DELETE FROM accounts WHERE id = $1 RETURNING id";
  // Admin listing; a bound keeps one request from reading an unbounded table into memory.
  private static final String LIST = "SELECT " + COLUMNS + " FROM accounts ORDER BY id LIMIT $1";
  private static final String CREDENTIALS = "SELECT password_hash FROM accounts WHERE id = $1";

  /** An account as the API shows it, and whether the write that produced it created it. */
  record Account(JsonObject data, boolean created) {
  }

  private final Pool pool;

  AccountStore(Pool pool) {
    this.pool = pool;
  }

  /** Empty when the id is taken. */
  Future<Optional<Account>> insert(String id, String hash, JsonObject data, long now) {
    return pool.preparedQuery(INSERT).execute(write(id, hash, data, now))
        .map(rows -> first(rows).map(row -> new Account(toData(row), true)));
  }

  Future<Account> upsert(String id, String hash, JsonObject data, long now) {
    return pool.preparedQuery(UPSERT).execute(write(id, hash, data, now))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Account(toData(row), row.getBoolean("created"));
        });
  }

  /** A null hash keeps the password; empty when there is no such account. */
  Future<Optional<JsonObject>> patch(String id, String hash, JsonObject data, long now) {
    return pool.preparedQuery(PATCH).execute(write(id, hash, data, now))
        .map(rows -> first(rows).map(AccountStore::toData));
  }

  Future<Optional<JsonObject>> find(String id) {
    return pool.preparedQuery(FIND).execute(Tuple.tuple().addString(id))
        .map(rows -> first(rows).map(AccountStore::toData));
  }

  Future<Boolean> delete(String id) {
    return pool.preparedQuery(DELETE).execute(Tuple.tuple().addString(id)).map(rows -> rows.size() > 0);
  }

  Future<JsonArray> list(int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.tuple().addInteger(limit))
        .map(rows -> {
          JsonArray accounts = new JsonArray();
          rows.forEach(row -> accounts.add(toData(row)));
          return accounts;
        });
  }

  Future<Optional<String>> passwordHash(String id) {
    return pool.preparedQuery(CREDENTIALS).execute(Tuple.tuple().addString(id))
        .map(rows -> first(rows).map(row -> row.getString(0)));
  }

  private static Tuple write(String id, String hash, JsonObject data, long now) {
    return Tuple.tuple().addString(id).addString(hash).addJsonObject(data).addLong(now);
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
  }

  private static JsonObject toData(Row row) {
    JsonObject data = row.getJsonObject("data") == null ? new JsonObject() : row.getJsonObject("data").copy();
    return data.put("id", row.getString("id")).put("last_modified", row.getLong("last_modified"));
  }
}
