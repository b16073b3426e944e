-- Web Push: user agents, their channels, and the messages kept for them until acknowledged or expired.
--
-- A uaid the server has never recorded is answered with a new one, so a client whose data was lost resubscribes
-- instead of holding endpoints that can never deliver.
CREATE TABLE push_users (
    uaid       TEXT   PRIMARY KEY,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL
);

-- A channel exists while registered; sending to one that does not is answered 410 Gone.
CREATE TABLE push_channels (
    uaid       TEXT   NOT NULL REFERENCES push_users (uaid) ON DELETE CASCADE,
    channel_id TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (uaid, channel_id)
);

-- A message is written before the sender gets 201 and deleted when the user agent acknowledges it, so it survives
-- the loss of any node. seq orders delivery (oldest first) and lets a connection page through a backlog; id is
-- the message's public name (the notification's version and the /m/{id} of its Location).
CREATE TABLE push_messages (
    id         TEXT      PRIMARY KEY,
    seq        BIGSERIAL NOT NULL,
    uaid       TEXT      NOT NULL,
    channel_id TEXT      NOT NULL,
    topic      TEXT,
    created_at BIGINT    NOT NULL,
    expires_at BIGINT    NOT NULL,
    ttl        INTEGER   NOT NULL,
    data       TEXT,
    headers    JSONB
);

-- A connecting user agent reads its backlog in seq order.
CREATE INDEX push_messages_by_uaid ON push_messages (uaid, seq);
-- A message with a Topic replaces the stored one of the same channel and topic.
CREATE INDEX push_messages_by_topic ON push_messages (uaid, channel_id, topic) WHERE topic IS NOT NULL;
-- The background purge removes expired messages by range.
CREATE INDEX push_messages_by_expiry ON push_messages (expires_at);
