-- Lockout by account and address: a stranger's wrong passwords lock the
-- account only for the stranger's address, so nobody can lock the city
-- admin out from elsewhere; each further lock of a pair lasts twice as long
-- (locks counts them; a success clears the pair). The users table's own
-- failed/locked_until stop being used for logins.
CREATE TABLE login_failures (
	user_id {{INT}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	ip TEXT NOT NULL,
	failed {{INT}} NOT NULL DEFAULT 0,
	locks {{INT}} NOT NULL DEFAULT 0,
	locked_until {{INT}} NOT NULL DEFAULT 0,
	last {{INT}} NOT NULL,
	PRIMARY KEY (user_id, ip)
) {{STRICT}};

-- The hashes of a user's earlier passwords (setting password_history), so
-- a password change cannot go back to one of them.
CREATE TABLE password_history (
	id {{ID}},
	user_id {{INT}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	pw_hash TEXT NOT NULL,
	changed {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX password_history_user ON password_history(user_id, id);
