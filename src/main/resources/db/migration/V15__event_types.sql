-- The event-type catalog: the types senders may send, with an optional JSON Schema for their data.
-- A deleted type is archived (archived_at set), not removed: webhooks that subscribe to it keep
-- working, and the list hides it. revision grows on every write: instances compare SUM(revision)
-- to see that their in-memory copy is stale, whatever their clocks say.
CREATE TABLE event_type (
    name         VARCHAR(200)  NOT NULL PRIMARY KEY,
    description  VARCHAR(2000),
    schema_json  VARCHAR,                 -- JSON Schema 2020-12, as given; null: any data object
    archived_at  BIGINT,                  -- null: active
    revision     BIGINT        NOT NULL,
    created_at   BIGINT        NOT NULL,
    updated_at   BIGINT        NOT NULL
);
