-- What buckets and collections hold, for quotas: records per collection, bytes of record data per bucket.
-- Rows are created the first time a quota is checked for an object (counted from what is stored then) and kept
-- up to date in the same transaction as every record write while quotas are enabled.
CREATE TABLE usage (
    object_id TEXT   PRIMARY KEY,
    records   BIGINT NOT NULL,
    bytes     BIGINT NOT NULL
);
