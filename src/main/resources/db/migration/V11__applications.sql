-- Applications: the sender's customers. A webhook, an event and a delivery belong to one
-- application, or to none (the operator's own, as before applications existed).
CREATE TABLE application (
    id          VARCHAR(40)   NOT NULL PRIMARY KEY,
    uid         VARCHAR(64),            -- the sender's own id for the customer; unique when given
    name        VARCHAR(200)  NOT NULL,
    metadata    VARCHAR(8000),          -- JSON object of strings
    created_at  BIGINT        NOT NULL,
    updated_at  BIGINT        NOT NULL
);
CREATE UNIQUE INDEX application_uid ON application (uid);

ALTER TABLE webhook ADD COLUMN application_id VARCHAR(40);
CREATE INDEX webhook_application ON webhook (application_id, id);
ALTER TABLE event ADD COLUMN application_id VARCHAR(40);
ALTER TABLE delivery ADD COLUMN application_id VARCHAR(40);
CREATE INDEX delivery_application ON delivery (application_id, id);
