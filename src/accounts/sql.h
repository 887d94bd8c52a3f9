/* SQL owned by the accounts module: users, grants, sessions, API tokens,
 * the login throttle. */
#ifndef CHANGAI_ACCOUNTS_SQL_H
#define CHANGAI_ACCOUNTS_SQL_H

/* locked_until and failed are the worst over the addresses the user was
 * tried from (a lock holds per account and address) */
#define USER_COLS "u.id, u.username, u.name, u.org_id, u.must_change, u.disabled, " \
	"COALESCE((SELECT max(f.locked_until) FROM login_failures f WHERE f.user_id = u.id), 0), " \
	"COALESCE((SELECT max(f.failed) FROM login_failures f WHERE f.user_id = u.id), 0), " \
	"u.created, u.last_login, u.pw_changed, o.path, o.name"

#define APPROVAL_COLS "a.id, a.action, a.user_id, t.username, t.name, a.org_path, " \
	"a.payload, a.proposed_by, pb.username, a.proposed, a.expires, a.state, " \
	"a.decided_by, db.username, a.decided, a.reason, a.secret"

#define ACCOUNTS_SQL(X) \
	X(SESSION_BY_TOKEN, SQL("SELECT s.id, s.user_id, s.last_seen, s.expires, " \
		"u.username, u.name, u.org_id, u.must_change, u.disabled, u.pw_changed, " \
		"s.stepped_up " \
		"FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1")) \
	X(SESSION_TOUCH, SQL("UPDATE sessions SET last_seen = $1 WHERE id = $2")) \
	X(SESSION_INSERT, SQL("INSERT INTO sessions (user_id, token_hash, created, " \
		"last_seen, expires, ip, user_agent) VALUES ($1, $2, $3, $3, $4, $5, $6) " \
		"RETURNING id")) \
	X(SESSION_DELETE, SQL("DELETE FROM sessions WHERE id = $1")) \
	X(SESSION_DELETE_USER, SQL("DELETE FROM sessions WHERE user_id = $1")) \
	X(SESSION_PURGE, SQL("DELETE FROM sessions WHERE expires < $1 OR last_seen < $2")) \
	X(SESSION_COUNT_OPEN, SQL("SELECT count(*) FROM sessions WHERE last_seen >= $1 " \
		"AND expires > $2")) \
	X(SESSION_LIST, SQL("SELECT s.id, s.user_id, u.username, u.name, s.created, " \
		"s.last_seen, s.expires, s.ip, s.user_agent FROM sessions s " \
		"JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id " \
		"WHERE o.path >= $1 AND o.path < $2 AND s.last_seen >= $3 AND s.expires > $4 " \
		"AND (CAST($5 AS BIGINT) IS NULL OR s.user_id = $5) " \
		"ORDER BY s.last_seen DESC, s.id LIMIT 500")) \
	X(SESSION_GET_OWN, SQL("SELECT o.id, o.path FROM sessions s " \
		"JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id " \
		"WHERE s.id = $1 AND s.user_id = $2")) \
	X(SESSION_GET_SCOPED, SQL("SELECT s.id, s.user_id, u.username, o.id, o.path " \
		"FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id " \
		"WHERE s.id = $1 AND o.path >= $2 AND o.path < $3")) \
	X(TOKEN_BY_HASH, SQL("SELECT t.id, t.user_id, t.last_used, u.username, u.name, " \
		"u.org_id, u.disabled, u.must_change, u.pw_changed FROM api_tokens t " \
		"JOIN users u ON u.id = t.user_id " \
		"WHERE t.token_hash = $1 AND t.revoked = 0 AND t.expires > $2")) \
	X(TOKEN_TOUCH, SQL("UPDATE api_tokens SET last_used = $1 WHERE id = $2")) \
	X(TOKEN_INSERT, SQL("INSERT INTO api_tokens (user_id, name, token_hash, created, " \
		"expires) VALUES ($1, $2, $3, $4, $5) RETURNING id")) \
	X(TOKEN_LIST, SQL("SELECT id, name, created, last_used, revoked, expires FROM api_tokens " \
		"WHERE user_id = $1 ORDER BY id")) \
	X(TOKEN_REVOKE, SQL("UPDATE api_tokens SET revoked = 1 WHERE id = $1 AND user_id = $2 " \
		"AND revoked = 0")) \
	X(TOKEN_REVOKE_USER, SQL("UPDATE api_tokens SET revoked = 1 WHERE user_id = $1")) \
	X(GRANTS_OF_USER, SQL("SELECT g.id, g.org_id, g.role, g.pii, o.path, o.name, o.kind " \
		"FROM grants g JOIN orgs o ON o.id = g.org_id WHERE g.user_id = $1 ORDER BY g.id")) \
	X(GRANT_INSERT, SQL("INSERT INTO grants (user_id, org_id, role, pii, created) " \
		"VALUES ($1, $2, $3, $4, $5) RETURNING id")) \
	X(GRANT_GET, SQL("SELECT g.id, g.org_id, g.role, g.pii, o.path FROM grants g " \
		"JOIN orgs o ON o.id = g.org_id WHERE g.id = $1 AND g.user_id = $2")) \
	X(GRANT_DELETE, SQL("DELETE FROM grants WHERE id = $1")) \
	X(USER_BY_NAME_LOGIN, SQL("SELECT u.id, u.pw_hash, u.failed, u.locked_until, " \
		"u.disabled, u.org_id, o.path FROM users u JOIN orgs o ON o.id = u.org_id " \
		"WHERE u.username = $1")) \
	/* one statement counts the failure, so concurrent wrong passwords all \
	 * count; a count left quiet for a day starts again ($3 now, $4 a day \
	 * ago) */ \
	X(PAIR_FAILED, SQL("INSERT INTO login_failures (user_id, ip, failed, last) " \
		"VALUES ($1, $2, 1, $3) ON CONFLICT (user_id, ip) DO UPDATE SET " \
		"failed = CASE WHEN login_failures.last < $4 THEN 1 " \
		"ELSE login_failures.failed + 1 END, last = $3 " \
		"RETURNING failed, locks")) \
	X(PAIR_LOCK, SQL("UPDATE login_failures SET failed = 0, locks = locks + 1, " \
		"locked_until = $1 WHERE user_id = $2 AND ip = $3")) \
	X(PAIR_LOCKED_UNTIL, SQL("SELECT locked_until FROM login_failures " \
		"WHERE user_id = $1 AND ip = $2")) \
	X(PAIR_CLEAR, SQL("DELETE FROM login_failures WHERE user_id = $1 AND ip = $2")) \
	X(PAIR_CLEAR_USER, SQL("DELETE FROM login_failures WHERE user_id = $1")) \
	X(PW_HISTORY, SQL("SELECT pw_hash FROM password_history WHERE user_id = $1 " \
		"ORDER BY id DESC LIMIT $2")) \
	X(PW_HISTORY_ADD, SQL("INSERT INTO password_history (user_id, pw_hash, changed) " \
		"VALUES ($1, $2, $3)")) \
	X(PW_HISTORY_TRIM, SQL("DELETE FROM password_history WHERE user_id = $1 AND id NOT IN " \
		"(SELECT id FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2)")) \
	X(SESSION_KEEP_NEWEST, SQL("DELETE FROM sessions WHERE user_id = $1 AND id NOT IN " \
		"(SELECT id FROM sessions WHERE user_id = $1 ORDER BY id DESC LIMIT $2)")) \
	X(USER_LOGIN_OK, SQL("UPDATE users SET failed = 0, locked_until = 0, last_login = $1 " \
		"WHERE id = $2")) \
	X(USER_PW_HASH, SQL("SELECT pw_hash FROM users WHERE id = $1")) \
	X(USER_SET_PASSWORD, SQL("UPDATE users SET pw_hash = $1, pw_changed = $2, " \
		"must_change = $3, updated = $2 WHERE id = $4")) \
	X(USER_INSERT, SQL("INSERT INTO users (username, name, org_id, pw_hash, pw_changed, " \
		"must_change, created, updated) VALUES ($1, $2, $3, $4, $5, 1, $5, $5) RETURNING id")) \
	X(USER_GET_SCOPED, SQL("SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id " \
		"WHERE u.id = $1 AND o.path >= $2 AND o.path < $3")) \
	X(USER_LOCK, "SELECT id FROM users WHERE id = $1", \
		"SELECT id FROM users WHERE id = $1 FOR UPDATE") \
	X(USER_GET, SQL("SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id " \
		"WHERE u.id = $1")) \
	X(USER_ID_BY_NAME, SQL("SELECT id FROM users WHERE username = $1")) \
	X(USER_LIST, SQL("SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id " \
		"WHERE o.path >= $1 AND o.path < $2 AND u.id > $3 " \
		"AND (CAST($4 AS TEXT) IS NULL OR lower(u.username) LIKE lower($4) ESCAPE '!' OR lower(u.name) LIKE lower($4) ESCAPE '!') " \
		"ORDER BY u.id LIMIT $5")) \
	X(USER_COUNT, SQL("SELECT count(*) FROM users u JOIN orgs o ON o.id = u.org_id " \
		"WHERE o.path >= $1 AND o.path < $2 " \
		"AND (CAST($3 AS TEXT) IS NULL OR lower(u.username) LIKE lower($3) ESCAPE '!' OR lower(u.name) LIKE lower($3) ESCAPE '!')")) \
	X(USER_UPDATE, SQL("UPDATE users SET name = $1, disabled = $2, org_id = $3, " \
		"updated = $4 WHERE id = $5")) \
	X(USER_SET_DISABLED, SQL("UPDATE users SET disabled = $1, updated = $2 WHERE id = $3")) \
	X(USER_COUNT_ALL, SQL("SELECT count(*) FROM users")) \
	X(THROTTLE_HIT, SQL("INSERT INTO login_throttle (ip, window_start, attempts) " \
		"VALUES ($1, $2, 1) ON CONFLICT (ip) DO UPDATE SET " \
		"attempts = CASE WHEN login_throttle.window_start < $3 THEN 1 " \
		"ELSE login_throttle.attempts + 1 END, " \
		"window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 " \
		"ELSE login_throttle.window_start END RETURNING attempts")) \
	X(GRANT_SET_PII, SQL("UPDATE grants SET pii = $1 WHERE user_id = " \
		"(SELECT id FROM users WHERE username = $2) " \
		"AND role NOT IN ('security_admin', 'auditor')")) \
	X(APPROVAL_INSERT, SQL("INSERT INTO approvals (action, user_id, org_path, payload, " \
		"proposed_by, proposed, expires, state) VALUES ($1, $2, $3, $4, $5, $6, $7, " \
		"'pending') RETURNING id")) \
	X(APPROVAL_GET, SQL("SELECT " APPROVAL_COLS " FROM approvals a " \
		"JOIN users t ON t.id = a.user_id JOIN users pb ON pb.id = a.proposed_by " \
		"LEFT JOIN users db ON db.id = a.decided_by WHERE a.id = $1")) \
	/* newest first; $1 'pending' or NULL for every state */ \
	X(APPROVAL_LIST, SQL("SELECT " APPROVAL_COLS " FROM approvals a " \
		"JOIN users t ON t.id = a.user_id JOIN users pb ON pb.id = a.proposed_by " \
		"LEFT JOIN users db ON db.id = a.decided_by " \
		"WHERE (CAST($1 AS TEXT) IS NULL OR (a.state = $1 AND a.expires > $2)) " \
		"ORDER BY a.id DESC LIMIT 500")) \
	/* the decision, once: a pending, unexpired approval only */ \
	X(APPROVAL_DECIDE, SQL("UPDATE approvals SET state = $1, decided_by = $2, decided = $3, " \
		"reason = $4, secret = $5 WHERE id = $6 AND state = 'pending' AND expires > $3 " \
		"RETURNING id")) \
	X(APPROVAL_TAKE_SECRET, SQL("UPDATE approvals SET secret = '' WHERE id = $1 " \
		"AND proposed_by = $2 AND secret <> '' RETURNING id")) \
	X(SESSION_STEP_UP, SQL("UPDATE sessions SET stepped_up = $1 WHERE id = $2")) \
	X(UNMASK_USED, SQL("SELECT rows_shown FROM unmask_ledger WHERE user_id = $1 AND day = $2")) \
	X(UNMASK_ADD, SQL("INSERT INTO unmask_ledger (user_id, day, rows_shown) VALUES ($1, $2, $3) " \
		"ON CONFLICT (user_id, day) DO UPDATE SET " \
		"rows_shown = unmask_ledger.rows_shown + $3")) \
	X(TOTP_GET, SQL("SELECT secret, confirmed, last_step FROM user_totp WHERE user_id = $1")) \
	X(TOTP_BEGIN, SQL("INSERT INTO user_totp (user_id, secret, confirmed, last_step, created) " \
		"VALUES ($1, $2, 0, 0, $3) ON CONFLICT (user_id) DO UPDATE SET secret = $2, " \
		"confirmed = 0, last_step = 0, created = $3 WHERE user_totp.confirmed = 0 " \
		"RETURNING user_id")) \
	/* a step is taken once: the row moves only forward */ \
	X(TOTP_USE, SQL("UPDATE user_totp SET last_step = $2, confirmed = 1 " \
		"WHERE user_id = $1 AND last_step < $2 RETURNING user_id")) \
	X(TOTP_DELETE, SQL("DELETE FROM user_totp WHERE user_id = $1")) \
	X(THROTTLE_PURGE, SQL("DELETE FROM login_throttle WHERE window_start < $1"))

#endif
