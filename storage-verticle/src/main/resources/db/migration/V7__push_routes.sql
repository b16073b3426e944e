-- Where each user agent is connected: the node holding its WebSocket and when that connection opened. The node
-- that accepts a message learns the holder from the same statement that stores the message, so routing needs no
-- lookup of its own; a connection that closes clears its row only if it is still the one recorded, and the
-- survivors clear the rows of a node that leaves the cluster.
ALTER TABLE push_users ADD COLUMN node TEXT, ADD COLUMN connected_at BIGINT;
CREATE INDEX push_users_by_node ON push_users (node) WHERE node IS NOT NULL;
