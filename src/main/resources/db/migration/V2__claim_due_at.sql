-- The scheduler's claim looks only at due_at: when a pending row should next be looked at,
-- its next attempt time or, while an instance holds it, its lease expiry. Rows queued
-- or waiting in memory are then not scanned by every claim (they were, with
-- next_attempt_at plus a lease filter, which grew with the queue and the backlog).
ALTER TABLE delivery ADD COLUMN due_at BIGINT;
UPDATE delivery SET due_at = CASE WHEN lease_until IS NOT NULL AND lease_until > next_attempt_at
    THEN lease_until ELSE next_attempt_at END WHERE status = 'pending';
CREATE INDEX delivery_claim ON delivery (status, due_at);
DROP INDEX delivery_due;
