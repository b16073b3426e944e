-- Point lookups by (parent_id, resource_name, id) must use the primary key. While a list grows faster than
-- autovacuum analyzes the table, the statistics say its parent holds about one row, and objects_by_timestamp then
-- costs the same as the primary key for such a lookup; PostgreSQL settles that tie in favour of the index created
-- last, which was objects_by_timestamp, and every write to the list scanned all of its rows. Rebuilding the key
-- makes it the newer index. KeyLookupPlanTest writes to a grown, unanalyzed list and counts the scans.
ALTER TABLE objects DROP CONSTRAINT objects_pkey, ADD PRIMARY KEY (parent_id, resource_name, id);
