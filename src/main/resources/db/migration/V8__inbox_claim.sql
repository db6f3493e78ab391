-- Files of the inbox being read (routes/file-source.yaml, readLock=idempotent, ingest.InboxClaims).
-- Several instances on one inbox folder: the instance whose row this is reads the file; the others
-- skip it until held_until (epoch ms) has passed. The owner pushes held_until forward while it
-- reads, so the row of a killed instance expires and a peer takes the file over. A finished file's
-- row is kept for one more claim timeout (a peer that listed the file just before it moved then
-- still skips it) and deleted after that.
CREATE TABLE inbox_claim (
    file_key   VARCHAR(1024) NOT NULL PRIMARY KEY,
    owner      VARCHAR(100)  NOT NULL,
    held_until BIGINT        NOT NULL
);
