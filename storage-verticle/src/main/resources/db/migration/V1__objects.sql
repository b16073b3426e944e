-- Every Kinto object (bucket, group, collection, record) is one row beside its parent.
--
-- parent_id is the object's parent path ('' for buckets, '/buckets/b' for collections and groups,
-- '/buckets/b/collections/c' for records). Keeping the parent in the key makes every listing a range scan of one
-- parent, and gives a distributed PostgreSQL a natural shard key later. Deleted objects stay as tombstones
-- (deleted = true, data = '{}') so that _since listings can report deletions; they may be purged after a
-- retention period.
CREATE TABLE objects (
    parent_id     TEXT    NOT NULL,
    resource_name TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    last_modified BIGINT  NOT NULL,
    deleted       BOOLEAN NOT NULL DEFAULT FALSE,
    data          JSONB   NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (parent_id, resource_name, id)
);

-- _since / _before listings and keyset pages ordered by last_modified stay index scans of one parent.
CREATE INDEX objects_by_timestamp ON objects (parent_id, resource_name, last_modified DESC);

-- The timestamp of each list, kept apart from its objects so that an empty list has a stable timestamp and every
-- write bumps it in the same transaction, strictly increasing.
CREATE TABLE timestamps (
    parent_id     TEXT   NOT NULL,
    resource_name TEXT   NOT NULL,
    last_modified BIGINT NOT NULL,
    PRIMARY KEY (parent_id, resource_name)
);

-- Who may do what: one row per (object, permission, principal). object_id is the full object path.
CREATE TABLE access_control_entries (
    object_id  TEXT NOT NULL,
    permission TEXT NOT NULL,
    principal  TEXT NOT NULL,
    PRIMARY KEY (object_id, permission, principal)
);

-- "Which objects may this principal read?" is answered from the principal's side.
CREATE INDEX access_control_entries_by_principal ON access_control_entries (principal, permission, object_id);
