-- Deliveries finished per minute, for the dashboard's chart. Each instance adds what it counted
-- every few seconds as new rows (summed when read), so several instances and restarts add up
-- without two writers ever updating one row.
CREATE TABLE delivery_minute (
    epoch_minute BIGINT NOT NULL,
    succeeded    BIGINT NOT NULL,
    failed       BIGINT NOT NULL
);
CREATE INDEX delivery_minute_at ON delivery_minute (epoch_minute);
