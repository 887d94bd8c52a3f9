-- The worker registry (花名册). ID numbers and phones are stored encrypted
-- (XChaCha20-Poly1305, key file outside the store) with keyed hashes beside
-- them: id_hash for uniqueness and exact lookup, id_p6/p10/p14 for prefix
-- search (region / + birth year / + birth date); id_mask and phone_mask are
-- what callers without the pii permission see, kept so lists never decrypt.
CREATE TABLE workers (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	org_path TEXT NOT NULL,
	name TEXT NOT NULL,
	id_hash TEXT NOT NULL,
	id_enc TEXT NOT NULL,
	id_mask TEXT NOT NULL,
	id_p6 TEXT NOT NULL,
	id_p10 TEXT NOT NULL,
	id_p14 TEXT NOT NULL,
	gender TEXT NOT NULL CHECK (gender IN ('M','F')),
	birth_date TEXT NOT NULL,
	phone_enc TEXT,
	phone_mask TEXT,
	occupation TEXT,
	occupation_code TEXT,
	skill_level INTEGER NOT NULL DEFAULT 0 CHECK (skill_level BETWEEN 0 AND 8),
	union_member INTEGER NOT NULL DEFAULT 0 CHECK (union_member IN (0,1)),
	union_joined TEXT,
	political_status TEXT,
	education TEXT,
	hired TEXT,
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','left')),
	created INTEGER NOT NULL,
	updated INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX workers_id_hash ON workers(id_hash);
CREATE INDEX workers_org ON workers(org_id, id);
CREATE INDEX workers_path ON workers(org_path, id);
CREATE INDEX workers_name ON workers(name);
CREATE INDEX workers_p6 ON workers(id_p6);
CREATE INDEX workers_p10 ON workers(id_p10);
CREATE INDEX workers_p14 ON workers(id_p14);

-- Name substrings: trigrams (SQLite FTS5; PostgreSQL pg_trgm).
CREATE VIRTUAL TABLE workers_fts USING fts5(name, content='workers',
	content_rowid='id', tokenize='trigram');
CREATE TRIGGER workers_fts_ins AFTER INSERT ON workers BEGIN
	INSERT INTO workers_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER workers_fts_del AFTER DELETE ON workers BEGIN
	INSERT INTO workers_fts(workers_fts, rowid, name) VALUES ('delete', old.id, old.name);
END;
CREATE TRIGGER workers_fts_upd AFTER UPDATE OF name ON workers BEGIN
	INSERT INTO workers_fts(workers_fts, rowid, name) VALUES ('delete', old.id, old.name);
	INSERT INTO workers_fts(rowid, name) VALUES (new.id, new.name);
END;

-- History: dated events with their source.
CREATE TABLE worker_events (
	id INTEGER PRIMARY KEY,
	worker_id INTEGER NOT NULL REFERENCES workers(id),
	on_date TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('registered','level','transfer','status','union','edit')),
	from_value TEXT,
	to_value TEXT,
	source TEXT NOT NULL CHECK (source IN ('import','manual','certificate','system')),
	job_id INTEGER,
	actor_id INTEGER,
	created INTEGER NOT NULL
) STRICT;
CREATE INDEX worker_events_worker ON worker_events(worker_id, id);

-- Counts per org and key, for the org's whole subtree (each worker counts
-- at its org and every ancestor), updated in the same transaction as the
-- rows; `changai check` recomputes them.
CREATE TABLE worker_rollup (
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	skill_level INTEGER NOT NULL,
	union_member INTEGER NOT NULL,
	status TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (org_id, skill_level, union_member, status)
) STRICT;

-- Long work: imports and exports. The uploaded file is kept, encrypted, in
-- job_chunks until the job ends, so any node can resume it.
CREATE TABLE jobs (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('queued','running','done','failed')),
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	org_path TEXT NOT NULL,
	actor_id INTEGER,
	actor TEXT NOT NULL,
	params TEXT NOT NULL,
	created INTEGER NOT NULL,
	started INTEGER NOT NULL DEFAULT 0,
	finished INTEGER NOT NULL DEFAULT 0,
	heartbeat INTEGER NOT NULL DEFAULT 0,
	total INTEGER NOT NULL DEFAULT 0,
	done INTEGER NOT NULL DEFAULT 0,
	inserted INTEGER NOT NULL DEFAULT 0,
	updated INTEGER NOT NULL DEFAULT 0,
	rejected INTEGER NOT NULL DEFAULT 0,
	error TEXT
) STRICT;
CREATE INDEX jobs_state ON jobs(state, id);
CREATE TABLE job_chunks (
	job_id INTEGER NOT NULL REFERENCES jobs(id),
	seq INTEGER NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (job_id, seq)
) STRICT;
CREATE TABLE job_errors (
	id INTEGER PRIMARY KEY,
	job_id INTEGER NOT NULL REFERENCES jobs(id),
	row_no INTEGER NOT NULL,
	col TEXT NOT NULL,
	reason TEXT NOT NULL,
	reason_zh TEXT NOT NULL,
	value_enc TEXT
) STRICT;
CREATE INDEX job_errors_job ON job_errors(job_id, row_no, id);
