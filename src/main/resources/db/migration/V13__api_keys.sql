-- An application's API keys (docs/api.md "API keys"). The key itself is shown once, when made, and
-- only its SHA-256 (hex) is kept: keys are 32 random bytes, so a plain digest cannot be reversed, and
-- a lookup by digest needs no per-key salt. Revoking a key deletes its row; deleting the application
-- deletes its keys. A key works while its row exists and expires_at (if any) is in the future.
CREATE TABLE api_key (
    id             VARCHAR(40)  NOT NULL PRIMARY KEY,
    application_id VARCHAR(40)  NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    name           VARCHAR(200),
    key_hash       VARCHAR(64)  NOT NULL,
    key_hint       VARCHAR(10)  NOT NULL,  -- the key's last 4 characters, so a list can tell keys apart
    read_only      BOOLEAN      NOT NULL,
    created_at     BIGINT       NOT NULL,
    expires_at     BIGINT
);
CREATE UNIQUE INDEX api_key_hash ON api_key (key_hash);
CREATE INDEX api_key_application ON api_key (application_id, id);
