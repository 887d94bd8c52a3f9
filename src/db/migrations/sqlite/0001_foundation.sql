-- Foundation: organisation tree, accounts, sessions, audit trail, settings.
-- Booleans are INTEGER 0/1, times UTC epoch seconds, dates 'YYYY-MM-DD'.

CREATE TABLE orgs (
	id INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES orgs(id),
	kind TEXT NOT NULL CHECK (kind IN ('city','district','street','park','enterprise','department')),
	name TEXT NOT NULL,
	code TEXT,
	path TEXT NOT NULL,
	depth INTEGER NOT NULL,
	uscc TEXT,
	uscc_note TEXT,
	industry TEXT,
	above_scale INTEGER NOT NULL DEFAULT 0 CHECK (above_scale IN (0,1)),
	ownership TEXT CHECK (ownership IN ('state','private','foreign','collective','other')),
	has_union INTEGER NOT NULL DEFAULT 0 CHECK (has_union IN (0,1)),
	employees INTEGER NOT NULL DEFAULT 0 CHECK (employees >= 0),
	created INTEGER NOT NULL,
	updated INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX orgs_path ON orgs(path);
CREATE INDEX orgs_parent ON orgs(parent_id, id);
CREATE UNIQUE INDEX orgs_uscc ON orgs(uscc) WHERE uscc IS NOT NULL;
CREATE UNIQUE INDEX orgs_sibling_name ON orgs(parent_id, name);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	pw_hash TEXT NOT NULL,
	pw_changed INTEGER NOT NULL,
	must_change INTEGER NOT NULL DEFAULT 1 CHECK (must_change IN (0,1)),
	failed INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
	created INTEGER NOT NULL,
	updated INTEGER NOT NULL,
	last_login INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX users_org ON users(org_id);

CREATE TABLE grants (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	role TEXT NOT NULL CHECK (role IN ('admin','operator','viewer','department','expert','security_admin','auditor')),
	pii INTEGER NOT NULL DEFAULT 0 CHECK (pii IN (0,1)),
	created INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX grants_unique ON grants(user_id, org_id, role);
CREATE INDEX grants_org ON grants(org_id);

CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	token_hash TEXT NOT NULL UNIQUE,
	created INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	expires INTEGER NOT NULL,
	ip TEXT NOT NULL,
	user_agent TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created INTEGER NOT NULL,
	last_used INTEGER NOT NULL DEFAULT 0,
	revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0,1))
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE login_throttle (
	ip TEXT PRIMARY KEY,
	window_start INTEGER NOT NULL,
	attempts INTEGER NOT NULL
) STRICT;

-- The audit trail: each row carries the SHA-256 of the previous row's hash
-- and its own content. audit_head serialises appends (its UPDATE takes the
-- row lock on PostgreSQL; SQLite has one writer).
CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	actor_id INTEGER,
	actor TEXT NOT NULL,
	ip TEXT NOT NULL,
	org_id INTEGER,
	org_path TEXT,
	action TEXT NOT NULL,
	target TEXT NOT NULL,
	result TEXT NOT NULL,
	summary TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_actor ON audit(actor_id, id);
CREATE INDEX audit_action ON audit(action, id);
CREATE INDEX audit_org_path ON audit(org_path, id);
CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL,
	hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated INTEGER NOT NULL,
	updated_by INTEGER
) STRICT;

CREATE TABLE codes (
	list TEXT NOT NULL,
	code TEXT NOT NULL,
	label_zh TEXT NOT NULL,
	label_en TEXT NOT NULL,
	sort INTEGER NOT NULL DEFAULT 0,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
	PRIMARY KEY (list, code)
) STRICT;
