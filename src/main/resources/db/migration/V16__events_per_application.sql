-- Events of an application are stored under the key <application id>/<event id> (event.EventKey):
-- ids are idempotent per application. The key is longer than an event id: 40 + 1 + 100.
ALTER TABLE event ALTER COLUMN id SET DATA TYPE VARCHAR(141);
ALTER TABLE delivery ALTER COLUMN event_id SET DATA TYPE VARCHAR(141);
-- GET /v1/events?application= (and an application key's event list) walks one application's events.
CREATE INDEX event_application ON event (application_id, received_at, id);
