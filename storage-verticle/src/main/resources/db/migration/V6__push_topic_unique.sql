-- A message with a Topic replaces the undelivered message of the same channel and topic. Done as a delete and an
-- insert, two posts of one topic arriving together could both find nothing to delete and both insert; a unique
-- index lets a single INSERT ... ON CONFLICT DO UPDATE replace the stored message atomically instead.
--
-- Every stored message is undelivered (an acknowledged one is deleted), so the index covers all rows with a topic.
-- Rows that race already doubled are reduced to the newest of each topic first, as replacement would have left them.
DELETE FROM push_messages older
USING push_messages newer
WHERE older.topic IS NOT NULL
  AND newer.uaid = older.uaid
  AND newer.channel_id = older.channel_id
  AND newer.topic = older.topic
  AND newer.seq > older.seq;

DROP INDEX push_messages_by_topic;
CREATE UNIQUE INDEX push_messages_topic_unique ON push_messages (uaid, channel_id, topic) WHERE topic IS NOT NULL;
