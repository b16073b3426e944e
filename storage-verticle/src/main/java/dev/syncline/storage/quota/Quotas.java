package dev.syncline.storage.quota;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import dev.syncline.storage.objects.ObjectRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;

/**
 * Storage limits on records: the size of one record, the records of one collection and the bytes of record data in
 * one bucket. Exceeding one is a 507 that rolls the write back; the remaining bucket bytes travel back to the client.
 */
public final class Quotas {
  private static final String COUNT_COLLECTION = """
      INSERT INTO usage (object_id, records, bytes)
      SELECT $1, count(*), COALESCE(sum(octet_length(data::text)), 0) FROM objects
      WHERE parent_id = $1 AND resource_name = 'record' AND NOT deleted
      ON CONFLICT (object_id) DO NOTHING""";
  private static final String COUNT_BUCKET = """
      INSERT INTO usage (object_id, records, bytes)
      SELECT $1, count(*), COALESCE(sum(octet_length(data::text)), 0) FROM objects
      WHERE starts_with(parent_id, $1 || '/collections/') AND resource_name = 'record' AND NOT deleted
      ON CONFLICT (object_id) DO NOTHING""";
  private static final String ADD = """
      UPDATE usage SET records = records + $2,
        bytes = bytes + COALESCE(octet_length($3::jsonb::text), 0) - COALESCE(octet_length($4::jsonb::text), 0)
      WHERE object_id = $1
      RETURNING records, bytes""";
  private static final String FORGET_UNDER = """
      DELETE FROM usage WHERE object_id = $1 OR starts_with(object_id, $1 || '/')""";

  private final long maxRecordBytes;
  private final long maxCollectionRecords;
  private final long maxBucketBytes;

  /** Each limit 0 means none. */
  public Quotas(long maxRecordBytes, long maxCollectionRecords, long maxBucketBytes) {
    this.maxRecordBytes = maxRecordBytes;
    this.maxCollectionRecords = maxCollectionRecords;
    this.maxBucketBytes = maxBucketBytes;
  }

  public boolean counting() {
    return maxCollectionRecords > 0 || maxBucketBytes > 0;
  }

  /** Refuses a record whose data alone is over the size limit, before anything is written. */
  public void checkSize(JsonObject data) {
    if (maxRecordBytes > 0) {
      long size = data.encode().getBytes(StandardCharsets.UTF_8).length;
      if (size > maxRecordBytes) {
        throw exceeded("Record too large: " + size + " bytes of data, the limit is " + maxRecordBytes);
      }
    }
  }

  /**
   * Counts a record write: {@code records} is +1 for a creation, -1 for a deletion, 0 for an update. Returns the
   * bucket bytes left, or -1 when no bucket limit applies.
   */
  public Future<Long> count(SqlConnection conn, ObjectRef record, int records, JsonObject newData,
      JsonObject oldData) {
    if (!counting()) {
      return Future.succeededFuture(-1L);
    }
    String collection = record.parentId();
    String bucket = record.parent().parentId();
    Tuple collectionDelta = delta(collection, records, newData, oldData);
    Tuple bucketDelta = delta(bucket, records, newData, oldData);
    return conn.preparedQuery(COUNT_COLLECTION).execute(Tuple.of(collection))
        .compose(done -> conn.preparedQuery(ADD).execute(collectionDelta))
        .compose(rows -> {
          long held = rows.iterator().next().getLong("records");
          if (maxCollectionRecords > 0 && records > 0 && held > maxCollectionRecords) {
            return Future.failedFuture(exceeded("Collection full: it may hold at most " + maxCollectionRecords
                + " records"));
          }
          return conn.preparedQuery(COUNT_BUCKET).execute(Tuple.of(bucket));
        })
        .compose(done -> conn.preparedQuery(ADD).execute(bucketDelta))
        .compose(rows -> {
          long bytes = rows.iterator().next().getLong("bytes");
          if (maxBucketBytes <= 0) {
            return Future.succeededFuture(-1L);
          }
          boolean growing = newData != null && (oldData == null || size(newData) > size(oldData));
          if (growing && bytes > maxBucketBytes) {
            return Future.failedFuture(exceeded("Bucket full: it may hold at most " + maxBucketBytes
                + " bytes of records"));
          }
          return Future.succeededFuture(Math.max(0, maxBucketBytes - bytes));
        });
  }

  /** Drops the counts of a deleted bucket or collection and everything below it. */
  public Future<Void> forget(SqlConnection conn, String uri) {
    if (!counting()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(FORGET_UNDER).execute(Tuple.of(uri)).mapEmpty();
  }

  private static Tuple delta(String objectId, int records, JsonObject newData, JsonObject oldData) {
    return Tuple.tuple().addString(objectId).addInteger(records)
        .addString(newData == null ? null : newData.encode())
        .addString(oldData == null ? null : oldData.encode());
  }

  private static int size(JsonObject data) {
    return data.encode().length();
  }

  private static SynclineException exceeded(String message) {
    return new SynclineException(ErrorCode.INSUFFICIENT_STORAGE, message);
  }
}
