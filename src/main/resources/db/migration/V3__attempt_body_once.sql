-- An attempt's request body is the event rendered in the webhook's payload format, the
-- same bytes on every attempt: store the format and render it when the log is read,
-- instead of a copy of the body per attempt (half of each attempt row).
ALTER TABLE delivery_attempt ADD COLUMN payload_format VARCHAR(40);
ALTER TABLE delivery_attempt ALTER COLUMN request_body DROP NOT NULL;
