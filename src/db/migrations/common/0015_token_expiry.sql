-- API tokens expire: a token made before this migration lasts 90 days from
-- its creation, as a new one does by default (setting token_max_days).
ALTER TABLE api_tokens ADD COLUMN expires {{INT}} NOT NULL DEFAULT 0;
UPDATE api_tokens SET expires = created + 90 * 86400;
