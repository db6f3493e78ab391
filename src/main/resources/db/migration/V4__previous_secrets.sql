-- Rotating twice within a grace period keeps every previous secret until its own expiry:
-- previous_secrets is a JSON list [{"secret":"...","until":<epoch ms>}], newest first, each
-- secret sealed when herald.secrets.key is set. The one previous secret of the old columns
-- moves into it (secrets are printable ASCII: only " and \ need escaping in JSON).
ALTER TABLE webhook ADD COLUMN previous_secrets VARCHAR;
UPDATE webhook SET previous_secrets = '[{"secret":"'
        || REPLACE(REPLACE(previous_secret, '\', '\\'), '"', '\"')
        || '","until":' || CAST(previous_secret_until AS VARCHAR(20)) || '}]'
    WHERE previous_secret IS NOT NULL AND previous_secret_until IS NOT NULL;
ALTER TABLE webhook DROP COLUMN previous_secret;
ALTER TABLE webhook DROP COLUMN previous_secret_until;
-- A sealed value is longer than its plain text (marker, nonce, tag, base64): a 256-character
-- secret takes 390. Header values are up to 4096 characters, 50 of them.
ALTER TABLE webhook ALTER COLUMN secret SET DATA TYPE VARCHAR(1000);
ALTER TABLE webhook ALTER COLUMN headers SET DATA TYPE VARCHAR;
