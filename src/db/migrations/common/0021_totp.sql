-- The second factor (RFC 6238): one authenticator secret per user, sealed
-- with the personal-data key; unconfirmed until the user typed a code from
-- it; last_step is the newest step accepted, so no code is used twice.
CREATE TABLE user_totp (
	user_id {{INT}} PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	secret TEXT NOT NULL,
	confirmed {{INT}} NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
	last_step {{INT}} NOT NULL DEFAULT 0,
	created {{INT}} NOT NULL
) {{STRICT}};
