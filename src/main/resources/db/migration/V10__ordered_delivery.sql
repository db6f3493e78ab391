-- Ordered delivery (docs/operations.md "Ordered delivery"). A webhook's ordering, as JSON
-- {"mode":"fifo","key":"data.account_id"|null,"on_exhausted":"skip"|"block"}; null for none.
ALTER TABLE webhook ADD COLUMN ordering VARCHAR(300);
-- One row per line of an ordered webhook: the deliveries of one key. Ingest locks it (UPDATE) to
-- number its new deliveries, so ingests of one key take turns and commit in numbering order; the
-- head's final outcome locks it to make the next one due. blocked_delivery: the head that failed
-- for good under on_exhausted "block", holding the line until it is retried or skipped.
CREATE TABLE order_lane (
    webhook_id       VARCHAR(40)  NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    order_key        VARCHAR(200) NOT NULL,
    last_seq         BIGINT       NOT NULL,
    blocked_delivery VARCHAR(40),
    PRIMARY KEY (webhook_id, order_key)
);
-- The deliveries of a line not yet finished, by number: the lowest is the head, the only one with
-- a due time; the others wait with due_at at the largest BIGINT, where no claim reaches them. Only
-- ordered deliveries have a row here, so the delivery table and its indexes are as before.
CREATE TABLE order_queue (
    webhook_id  VARCHAR(40)  NOT NULL,
    order_key   VARCHAR(200) NOT NULL,
    order_seq   BIGINT       NOT NULL,
    delivery_id VARCHAR(40)  NOT NULL,
    PRIMARY KEY (webhook_id, order_key, order_seq),
    FOREIGN KEY (webhook_id, order_key) REFERENCES order_lane (webhook_id, order_key) ON DELETE CASCADE
);
CREATE UNIQUE INDEX order_queue_delivery ON order_queue (delivery_id);
