-- A webhook's payload filter (JSON, compact, as given; null: every event of its types). Events the
-- filter refuses get no delivery to the webhook. Checked and bounded to 8000 characters by the API.
ALTER TABLE webhook ADD COLUMN filter VARCHAR(8000);
