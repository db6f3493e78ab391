-- Rate limit per webhook: at most rate_limit deliveries per second (null: no limit).
ALTER TABLE webhook ADD COLUMN rate_limit INTEGER;
-- The pace of each rate-limited webhook, shared by all instances: the next free send time (epoch
-- microseconds). An instance reserves a block of send times (about 100 ms worth) with one update and
-- hands them out itself, so no instance's sends overlap another's. The row goes with its webhook.
CREATE TABLE webhook_pace (
    webhook_id VARCHAR(40) NOT NULL PRIMARY KEY REFERENCES webhook (id) ON DELETE CASCADE,
    next_free  BIGINT      NOT NULL
);
