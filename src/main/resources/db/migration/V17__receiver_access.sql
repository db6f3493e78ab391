-- How Herald reaches a webhook's receiver beyond its URL (JSON, null for none): tls, the client
-- certificate it presents (mutual TLS), its key sealed like a secret; auth, the OAuth2 client
-- credentials it fetches a token with, the client secret sealed. The API bounds both.
ALTER TABLE webhook ADD COLUMN tls VARCHAR(60000);
ALTER TABLE webhook ADD COLUMN auth VARCHAR(8000);
