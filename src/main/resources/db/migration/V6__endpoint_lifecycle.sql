-- Endpoint lifecycle. Why and when Herald disabled a webhook ('gone': a 410; 'failing': every
-- attempt failed for herald.webhook.disable-after), and since when its attempts have all failed
-- (null after a success).
ALTER TABLE webhook ADD COLUMN disabled_reason VARCHAR(40);
ALTER TABLE webhook ADD COLUMN disabled_at BIGINT;
ALTER TABLE webhook ADD COLUMN failing_since BIGINT;
-- due_at is when a row is next looked at: for a pending row its next attempt (or its lease's end);
-- null while it is held (its webhook paused); for a finished row the time it finished, when
-- retention looks at it. Retention then finds old finished rows by the claim index (status, due_at)
-- and no delivery needs another index entry on every insert and update.
UPDATE delivery SET due_at = updated_at WHERE status <> 'pending';
-- The event log newest first; retention's oldest first.
CREATE INDEX event_received ON event (received_at, id);
