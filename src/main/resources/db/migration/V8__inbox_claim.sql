-- Files of the inbox being read (routes/file-source.yaml, readLock=idempotent, ingest.InboxClaims).
-- Several instances on one inbox folder: the instance whose row this is reads the file; the others
-- skip it. While reading (done false) the owner pushes held_until (epoch ms) forward; the row of a
-- killed instance stops moving and a peer takes the file over. A finished file's row (done true) is
-- kept until held_until, so a peer that listed the file just before it moved still skips it.
CREATE TABLE inbox_claim (
    file_key   VARCHAR(1024) NOT NULL PRIMARY KEY,
    owner      VARCHAR(100)  NOT NULL,
    held_until BIGINT        NOT NULL,
    done       BOOLEAN       NOT NULL
);
