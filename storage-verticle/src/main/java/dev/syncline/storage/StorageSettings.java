package dev.syncline.storage;

import dev.syncline.contracts.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the storage verticle needs.
 *
 * @param external the server from {@code SYNCLINE_PG_URL}, or empty to run the embedded one
 * @param dataDir where the embedded server keeps its files
 * @param embeddedPort loopback port of the embedded server; a second local node finds it there
 * @param poolSize most connections this node opens
 * @param retryMaxSeconds longest wait between two attempts to reach an unavailable database
 * @param probeIntervalSeconds how often the database is probed so that outages and recoveries are logged
 * @param bucketCreators principals allowed to create buckets
 * @param defaultBucketSecret mixed into the ids of users' default buckets; the same on every node
 * @param maxFetchSize most objects one list page returns
 * @param pageSize objects per page when the client sets no {@code _limit} (0: up to {@code maxFetchSize})
 * @param maxRecordBytes largest record data, in bytes of JSON
 * @param maxCollectionRecords most records one collection may hold (0: no limit)
 * @param maxBucketBytes most bytes of record data one bucket may hold (0: no limit)
 * @param tombstoneRetentionSeconds how long deletions stay listable before they are purged (0: forever)
 * @param purgeIntervalSeconds how often expired tombstones are looked for
 * @param writeGroupSize most writes to one list that share a transaction and its commit (1: one each)
 */
public record StorageSettings(
    Optional<PgConnectOptions> external,
    Path dataDir,
    int embeddedPort,
    int poolSize,
    int retryMaxSeconds,
    int probeIntervalSeconds,
    List<String> bucketCreators,
    String defaultBucketSecret,
    int maxFetchSize,
    int pageSize,
    int maxRecordBytes,
    long maxCollectionRecords,
    long maxBucketBytes,
    long tombstoneRetentionSeconds,
    int purgeIntervalSeconds,
    int writeGroupSize) {

  static final String PG_URL = "pg_url";
  static final String DATA_DIR = "data_dir";
  static final String EMBEDDED_PG_PORT = "embedded_pg_port";
  static final String PG_POOL_SIZE = "pg_pool_size";
  static final String PG_RETRY_MAX_SECONDS = "pg_retry_max_seconds";
  static final String PG_PROBE_INTERVAL_SECONDS = "pg_probe_interval_seconds";
  static final String BUCKET_CREATE_PRINCIPALS = "bucket_create_principals";
  static final String DEFAULT_BUCKET_SECRET = "default_bucket_secret";
  static final String MAX_FETCH_SIZE = "max_fetch_size";
  static final String PAGE_SIZE = "page_size";
  static final String MAX_RECORD_BYTES = "max_record_bytes";
  static final String QUOTA_COLLECTION_RECORDS = "quota_collection_records";
  static final String QUOTA_BUCKET_BYTES = "quota_bucket_bytes";
  static final String TOMBSTONE_RETENTION_SECONDS = "tombstone_retention_seconds";
  static final String PURGE_INTERVAL_SECONDS = "purge_interval_seconds";
  static final String WRITE_GROUP_SIZE = "write_group_size";

  public static StorageSettings from(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    return new StorageSettings(
        reader.optionalString(PG_URL).map(StorageSettings::parseUrl),
        Path.of(reader.string(DATA_DIR, "./syncline-data")),
        reader.integer(EMBEDDED_PG_PORT, 5433, 1, 65535),
        reader.integer(PG_POOL_SIZE, 8, 1, 200),
        reader.integer(PG_RETRY_MAX_SECONDS, 30, 1, 3600),
        reader.integer(PG_PROBE_INTERVAL_SECONDS, 2, 1, 3600),
        reader.list(BUCKET_CREATE_PRINCIPALS, List.of("system.Authenticated")),
        reader.string(DEFAULT_BUCKET_SECRET, "syncline-default-bucket"),
        reader.integer(MAX_FETCH_SIZE, 10_000, 1, 1_000_000),
        reader.integer(PAGE_SIZE, 0, 0, 1_000_000),
        reader.integer(MAX_RECORD_BYTES, 524_288, 64, 1_073_741_824),
        reader.longValue(QUOTA_COLLECTION_RECORDS, 0, 0, Long.MAX_VALUE),
        reader.longValue(QUOTA_BUCKET_BYTES, 0, 0, Long.MAX_VALUE),
        reader.longValue(TOMBSTONE_RETENTION_SECONDS, 0, 0, Long.MAX_VALUE / 1000),
        reader.integer(PURGE_INTERVAL_SECONDS, 3600, 1, 86_400),
        // Each write of a group runs in a subtransaction; PostgreSQL tracks up to 64 per transaction cheaply.
        reader.integer(WRITE_GROUP_SIZE, 32, 1, 64));
  }

  private static PgConnectOptions parseUrl(String url) {
    // The URL carries a password: the refusal describes the expected form and never echoes the value.
    String expected = "a URL like postgresql://user:password@host:5432/database";
    if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      throw ConfigReader.invalidSecret(PG_URL, expected);
    }
    try {
      return PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      throw ConfigReader.invalidSecret(PG_URL, expected);
    }
  }

  /** host:port/database, safe to log. */
  public static String describe(PgConnectOptions options) {
    return options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
  }

  @Override
  public String toString() {
    return "StorageSettings[database=" + external.map(StorageSettings::describe).orElse("embedded") + ", dataDir="
        + dataDir + ", embeddedPort=" + embeddedPort + ", poolSize=" + poolSize + "]";
  }
}
