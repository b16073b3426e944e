package dev.syncline.storage.push;

import dev.syncline.contracts.bus.PushStoreBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The SQL behind Web Push: user agents, channels, and the messages kept for them. */
final class PushStore {
  // A known uaid is routed to the connection saying hello; the route it replaces is read under the row's lock, so
  // of two hellos racing on two nodes the second learns of the first and closes it.
  private static final String TOUCH_USER = """
      UPDATE push_users u SET last_seen = $2, node = $3, connected_at = $4
      FROM (SELECT uaid, node FROM push_users WHERE uaid = $1 FOR UPDATE) previous
      WHERE u.uaid = previous.uaid
      RETURNING previous.node AS previous_node""";
  private static final String ADD_USER = """
      INSERT INTO push_users (uaid, created_at, last_seen, node, connected_at) VALUES ($1, $2, $2, $3, $4)
      ON CONFLICT DO NOTHING""";
  private static final String RELEASE = """
      UPDATE push_users SET node = NULL, connected_at = NULL
      WHERE uaid = $1 AND node = $2 AND connected_at = $3""";
  private static final String FORGET_NODE = """
      UPDATE push_users SET node = NULL, connected_at = NULL WHERE node = $1""";
  // One statement: the channel is added unless the uaid already has max_channels others; registering a channel
  // again is a no-op that still counts as registered. The count runs under the user's row lock, so two concurrent
  // registrations of one uaid cannot both pass the limit.
  private static final String REGISTER = """
      WITH owner AS (SELECT uaid FROM push_users WHERE uaid = $1 FOR UPDATE),
      existing AS (SELECT 1 FROM push_channels WHERE uaid = $1 AND channel_id = $2),
      added AS (
        INSERT INTO push_channels (uaid, channel_id, created_at)
        SELECT uaid, $2, $4 FROM owner
        WHERE NOT EXISTS (SELECT 1 FROM existing)
          AND (SELECT count(*) FROM push_channels WHERE uaid = $1) < $3
        ON CONFLICT DO NOTHING
        RETURNING 1)
      SELECT EXISTS (SELECT 1 FROM existing) OR EXISTS (SELECT 1 FROM added) AS registered""";
  private static final String UNREGISTER_MESSAGES = """
      DELETE FROM push_messages WHERE uaid = $1 AND channel_id = $2""";
  private static final String UNREGISTER = """
      DELETE FROM push_channels WHERE uaid = $1 AND channel_id = $2""";
  private static final String CHANNEL_EXISTS = """
      SELECT u.node FROM push_channels c JOIN push_users u ON u.uaid = c.uaid
      WHERE c.uaid = $1 AND c.channel_id = $2""";
  // Stores only for a registered channel; no row back means the channel is gone. A message with a topic takes the
  // place of the undelivered one of the same channel and topic in this one statement (the unique index of
  // V6__push_topic_unique.sql), so concurrent posts of a topic leave exactly one. The replacement gets the new id
  // and a new seq: it is a new message, delivered after those stored before it.
  private static final String STORE = """
      INSERT INTO push_messages (id, uaid, channel_id, topic, created_at, expires_at, ttl, data, headers)
      SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
      WHERE EXISTS (SELECT 1 FROM push_channels WHERE uaid = $2 AND channel_id = $3)
      ON CONFLICT (uaid, channel_id, topic) WHERE topic IS NOT NULL DO UPDATE
      SET id = EXCLUDED.id, seq = EXCLUDED.seq, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
          ttl = EXCLUDED.ttl, data = EXCLUDED.data, headers = EXCLUDED.headers
      RETURNING seq, (SELECT node FROM push_users u WHERE u.uaid = push_messages.uaid) AS node""";
  // The many-message form of STORE, for messages without a topic (the common case): one statement, one commit
  // and one round trip for every message posted while the previous statement ran. Rows for channels that are
  // gone are skipped; the ids returned tell which were stored. Ordered by position, so seq follows arrival.
  private static final String STORE_MANY = """
      INSERT INTO push_messages (id, uaid, channel_id, created_at, expires_at, ttl, data, headers)
      SELECT m.id, m.uaid, m.channel_id, m.created_at, m.expires_at, m.ttl, m.data, m.headers::jsonb
      FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::int[], $7::text[], $8::text[])
          WITH ORDINALITY AS m(id, uaid, channel_id, created_at, expires_at, ttl, data, headers, position)
      WHERE EXISTS (SELECT 1 FROM push_channels c WHERE c.uaid = m.uaid AND c.channel_id = m.channel_id)
      ORDER BY m.position
      RETURNING id, seq, (SELECT node FROM push_users u WHERE u.uaid = push_messages.uaid) AS node""";
  private static final String FETCH = """
      SELECT id, seq, channel_id, created_at, ttl, data, headers FROM push_messages
      WHERE uaid = $1 AND seq > $2 AND expires_at > $3
      ORDER BY seq LIMIT $4""";
  // The acks of many connections in one statement; each pair names its uaid, so a client deletes only its own.
  private static final String ACK_MANY = """
      DELETE FROM push_messages m USING unnest($1::text[], $2::text[]) AS a(uaid, id)
      WHERE m.id = a.id AND m.uaid = a.uaid
      RETURNING m.id""";
  private static final String DELETE = """
      DELETE FROM push_messages WHERE id = $1""";
  private static final String PURGE = """
      DELETE FROM push_messages WHERE expires_at <= $1""";

  /** Fields {@link #storeMany} reads besides the request's: when the message was taken and when it expires. */
  static final String CREATED_AT = "created_at";
  static final String EXPIRES_AT = "expires_at";

  private final Pool pool;

  PushStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * The uaid to keep (the given one if known, else the new one, recorded), now routed to {@code node}; with the
   * node that held the known one until now.
   */
  Future<JsonObject> hello(String uaid, String newUaid, long now, String node, long connectedAt) {
    Future<JsonObject> known = uaid == null
        ? Future.succeededFuture()
        : pool.preparedQuery(TOUCH_USER).execute(Tuple.of(uaid, now, node, connectedAt))
            .map(rows -> rows.size() == 0 ? null : new JsonObject().put(PushStoreBus.UAID, uaid)
                .put(PushStoreBus.KNOWN, true)
                .put(PushStoreBus.PREVIOUS_NODE, rows.iterator().next().getString("previous_node")));
    return known.compose(found -> found != null
        ? Future.succeededFuture(found)
        : pool.preparedQuery(ADD_USER).execute(Tuple.of(newUaid, now, node, connectedAt))
            .map(rows -> new JsonObject().put(PushStoreBus.UAID, newUaid).put(PushStoreBus.KNOWN, false)));
  }

  Future<Void> release(String uaid, String node, long connectedAt) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(uaid, node, connectedAt)).mapEmpty();
  }

  Future<Integer> forgetNode(String node) {
    return pool.preparedQuery(FORGET_NODE).execute(Tuple.of(node)).map(rows -> rows.rowCount());
  }

  Future<Boolean> register(String uaid, String channelId, int maxChannels, long now) {
    return pool.withTransaction(conn -> conn.preparedQuery(REGISTER)
        .execute(Tuple.of(uaid, channelId, maxChannels, now))
        .map(rows -> rows.iterator().next().getBoolean("registered")));
  }

  Future<Void> unregister(String uaid, String channelId) {
    return pool.withTransaction(conn -> conn.preparedQuery(UNREGISTER_MESSAGES).execute(Tuple.of(uaid, channelId))
        .compose(done -> conn.preparedQuery(UNREGISTER).execute(Tuple.of(uaid, channelId)))
        .mapEmpty());
  }

  /** Where the uaid is connected (seq -1: nothing stored), or null when the channel is not registered. */
  Future<Stored> channelExists(String uaid, String channelId) {
    return pool.preparedQuery(CHANNEL_EXISTS).execute(Tuple.of(uaid, channelId))
        .map(rows -> rows.size() == 0 ? null : new Stored(-1, rows.iterator().next().getString("node")));
  }

  /** The new message's seq and where its uaid is connected, or null when the channel is not registered. */
  Future<Stored> store(JsonObject message, long now, long expiresAt) {
    JsonObject headers = message.getJsonObject(PushStoreBus.HEADERS);
    Tuple tuple = Tuple.tuple()
        .addString(message.getString(PushStoreBus.ID))
        .addString(message.getString(PushStoreBus.UAID))
        .addString(message.getString(PushStoreBus.CHANNEL_ID))
        .addString(message.getString(PushStoreBus.TOPIC))
        .addLong(now)
        .addLong(expiresAt)
        .addInteger(message.getInteger(PushStoreBus.TTL))
        .addString(message.getString(PushStoreBus.DATA))
        .addValue(headers);
    return pool.preparedQuery(STORE).execute(tuple)
        .map(rows -> rows.size() == 0 ? null : stored(rows.iterator().next()));
  }

  /**
   * Stores topic-less messages ({@code created_at} and {@code expires_at} already set on each) in one statement;
   * answers each one's seq and route, in order, null where its channel is not registered.
   */
  Future<List<Stored>> storeMany(List<JsonObject> messages) {
    int size = messages.size();
    String[] ids = new String[size];
    String[] uaids = new String[size];
    String[] channels = new String[size];
    Long[] created = new Long[size];
    Long[] expires = new Long[size];
    Integer[] ttls = new Integer[size];
    String[] data = new String[size];
    String[] headers = new String[size];
    for (int i = 0; i < size; i++) {
      JsonObject message = messages.get(i);
      ids[i] = message.getString(PushStoreBus.ID);
      uaids[i] = message.getString(PushStoreBus.UAID);
      channels[i] = message.getString(PushStoreBus.CHANNEL_ID);
      created[i] = message.getLong(CREATED_AT);
      expires[i] = message.getLong(EXPIRES_AT);
      ttls[i] = message.getInteger(PushStoreBus.TTL);
      data[i] = message.getString(PushStoreBus.DATA);
      JsonObject header = message.getJsonObject(PushStoreBus.HEADERS);
      headers[i] = header == null ? null : header.encode();
    }
    Tuple tuple = Tuple.tuple().addArrayOfString(ids).addArrayOfString(uaids).addArrayOfString(channels)
        .addArrayOfLong(created).addArrayOfLong(expires).addArrayOfInteger(ttls).addArrayOfString(data)
        .addArrayOfString(headers);
    return pool.preparedQuery(STORE_MANY).execute(tuple).map(rows -> {
      Map<String, Stored> seqs = new HashMap<>(rows.size() * 2);
      for (Row row : rows) {
        seqs.put(row.getString("id"), stored(row));
      }
      List<Stored> answers = new ArrayList<>(size);
      for (String id : ids) {
        answers.add(seqs.get(id));
      }
      return answers;
    });
  }

  Future<JsonArray> fetch(String uaid, long after, int limit, long now) {
    return pool.preparedQuery(FETCH).execute(Tuple.of(uaid, after, now, limit)).map(rows -> {
      JsonArray messages = new JsonArray();
      for (Row row : rows) {
        JsonObject message = new JsonObject()
            .put(PushStoreBus.ID, row.getString("id"))
            .put(PushStoreBus.SEQ, row.getLong("seq"))
            .put(PushStoreBus.CHANNEL_ID, row.getString("channel_id"))
            .put(PushStoreBus.TIMESTAMP, row.getLong("created_at"))
            .put(PushStoreBus.TTL, row.getInteger("ttl"));
        if (row.getString("data") != null) {
          message.put(PushStoreBus.DATA, row.getString("data"));
        }
        Object headers = row.getValue("headers");
        if (headers instanceof JsonObject object) {
          message.put(PushStoreBus.HEADERS, object);
        }
        messages.add(message);
      }
      return messages;
    });
  }

  /** Deletes the acknowledged messages of many uaids at once; answers how many of each request's ids went. */
  Future<List<Integer>> ackMany(List<Acknowledgement> acks) {
    List<String> uaids = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Acknowledgement ack : acks) {
      for (String id : ack.ids()) {
        uaids.add(ack.uaid());
        ids.add(id);
      }
    }
    Tuple tuple = Tuple.tuple().addArrayOfString(uaids.toArray(String[]::new))
        .addArrayOfString(ids.toArray(String[]::new));
    return pool.preparedQuery(ACK_MANY).execute(tuple).map(rows -> {
      Set<String> deleted = new HashSet<>(rows.size() * 2);
      for (Row row : rows) {
        deleted.add(row.getString("id"));
      }
      List<Integer> counts = new ArrayList<>(acks.size());
      for (Acknowledgement ack : acks) {
        counts.add((int) Arrays.stream(ack.ids()).filter(deleted::contains).count());
      }
      return counts;
    });
  }

  private static Stored stored(Row row) {
    return new Stored(row.getLong("seq"), row.getString("node"));
  }

  /** A message kept ({@code seq}, or -1 when only checked), and the node holding its uaid's connection, if any. */
  record Stored(long seq, String node) {
  }

  /** One connection's acknowledgement: message ids of one uaid. */
  record Acknowledgement(String uaid, String[] ids) {
  }

  Future<Boolean> delete(String id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
  }

  Future<Integer> purge(long now) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(now)).map(rows -> rows.rowCount());
  }
}
