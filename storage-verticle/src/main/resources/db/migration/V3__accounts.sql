-- Accounts of the built-in identity provider (HTTP Basic). One row per account; the principal is 'account:' || id.
--
-- password_hash is a PHC string ($argon2id$v=19$m=..,t=..,p=..$salt$hash) made by the token verticle; the
-- parameters travel with each hash, so stronger settings apply to new passwords without a migration. data holds
-- the client's extra fields (never id, password or last_modified). Accounts are few and always fetched by id, so
-- the primary key is the only index; deleted accounts go away at once, with no tombstone, so that an id can be
-- taken again.
CREATE TABLE accounts (
    id            TEXT   NOT NULL PRIMARY KEY,
    password_hash TEXT   NOT NULL,
    data          JSONB  NOT NULL DEFAULT '{}'::jsonb,
    last_modified BIGINT NOT NULL
);
