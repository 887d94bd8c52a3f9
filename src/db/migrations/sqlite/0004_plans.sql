-- Reform plans (实施方案) and reconciliation statements (对账单).
-- A plan is a three-level tree: aspect (方面) → item (大项) → sub-item (分项).
-- Numbers are kept as integers in ten-thousandths (value_e4 = value × 10^4),
-- so targets and reported values are exact on both engines. Booleans are
-- INTEGER 0/1, times UTC epoch seconds, dates 'YYYY-MM-DD'. Scope always
-- comes from orgs.path through a join, never a copied path, so a moved org
-- takes its plans and tasks with it.

CREATE TABLE plans (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	title TEXT NOT NULL,
	-- 分解: the plan this one was handed down from
	parent_plan_id INTEGER REFERENCES plans(id),
	-- NULL: the due_soon_days setting
	due_soon_days INTEGER CHECK (due_soon_days BETWEEN 1 AND 365),
	created_by INTEGER,
	created INTEGER NOT NULL,
	updated INTEGER NOT NULL
) STRICT;
CREATE INDEX plans_org ON plans(org_id, id);
-- one handed-down copy per child org
CREATE UNIQUE INDEX plans_cascade ON plans(parent_plan_id, org_id);

CREATE TABLE plan_nodes (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES plans(id),
	parent_id INTEGER REFERENCES plan_nodes(id),
	kind TEXT NOT NULL CHECK (kind IN ('aspect','item','subitem')),
	seq INTEGER NOT NULL,
	title TEXT NOT NULL,
	deadline TEXT,
	milestone INTEGER NOT NULL DEFAULT 0 CHECK (milestone IN (0,1)),
	target_e4 INTEGER CHECK (target_e4 >= 0),
	unit TEXT,
	weight_e4 INTEGER NOT NULL DEFAULT 10000 CHECK (weight_e4 >= 0),
	metric TEXT NOT NULL DEFAULT 'manual' CHECK (metric IN ('manual','workers',
		'union_members','union_rate','high_skilled','high_skill_ratio')),
	lead_org_id INTEGER REFERENCES orgs(id),
	-- the node of the parent plan this one was copied from (分解)
	source_node_id INTEGER REFERENCES plan_nodes(id),
	created INTEGER NOT NULL,
	updated INTEGER NOT NULL,
	CHECK ((kind = 'aspect') = (parent_id IS NULL)),
	CHECK (kind <> 'subitem' OR (deadline IS NOT NULL AND lead_org_id IS NOT NULL
		AND (milestone = 1 OR target_e4 IS NOT NULL)))
) STRICT;
CREATE INDEX plan_nodes_plan ON plan_nodes(plan_id, parent_id, seq, id);
CREATE INDEX plan_nodes_parent ON plan_nodes(parent_id);
CREATE INDEX plan_nodes_source ON plan_nodes(source_node_id);
CREATE INDEX plan_nodes_deadline ON plan_nodes(deadline) WHERE kind = 'subitem';

-- Owners of a sub-item: one lead, any co-owners.
CREATE TABLE plan_owners (
	node_id INTEGER NOT NULL REFERENCES plan_nodes(id),
	plan_id INTEGER NOT NULL REFERENCES plans(id),
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	lead INTEGER NOT NULL CHECK (lead IN (0,1)),
	PRIMARY KEY (node_id, org_id)
) STRICT;
CREATE INDEX plan_owners_org ON plan_owners(org_id, plan_id);
CREATE INDEX plan_owners_plan ON plan_owners(plan_id, node_id);

-- Progress reports: each states the cumulative actual as of its date.
-- Never updated except for the review (state, reason, reviewer), so the
-- history is the rows themselves.
CREATE TABLE plan_reports (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES plans(id),
	node_id INTEGER NOT NULL REFERENCES plan_nodes(id),
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	value_e4 INTEGER CHECK (value_e4 >= 0),
	done INTEGER CHECK (done IN (0,1)),
	note TEXT,
	as_of TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted','accepted','returned')),
	reason TEXT,
	reviewed_by INTEGER,
	reviewer TEXT,
	reviewed_at INTEGER NOT NULL DEFAULT 0,
	created_by INTEGER,
	reporter TEXT NOT NULL,
	created INTEGER NOT NULL,
	CHECK ((value_e4 IS NULL) <> (done IS NULL))
) STRICT;
CREATE INDEX plan_reports_node ON plan_reports(plan_id, node_id, as_of, id);
CREATE INDEX plan_reports_node_id ON plan_reports(node_id, id);

-- Evidence files of a report, as base64url text chunks.
CREATE TABLE plan_evidence (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES plan_reports(id),
	plan_id INTEGER NOT NULL REFERENCES plans(id),
	node_id INTEGER NOT NULL REFERENCES plan_nodes(id),
	filename TEXT NOT NULL,
	mime TEXT NOT NULL,
	size INTEGER NOT NULL CHECK (size >= 0),
	sha256 TEXT NOT NULL,
	created_by INTEGER,
	created INTEGER NOT NULL
) STRICT;
CREATE INDEX plan_evidence_report ON plan_evidence(report_id, id);
CREATE TABLE plan_evidence_chunks (
	evidence_id INTEGER NOT NULL REFERENCES plan_evidence(id),
	seq INTEGER NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (evidence_id, seq)
) STRICT;

-- Sealed statements: the canonical JSON as written, and its SHA-256.
-- Immutable: the triggers refuse any change.
CREATE TABLE plan_statements (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES plans(id),
	as_of TEXT NOT NULL,
	title TEXT NOT NULL,
	content TEXT NOT NULL,
	hash TEXT NOT NULL,
	created_by INTEGER,
	sealer TEXT NOT NULL,
	created INTEGER NOT NULL
) STRICT;
CREATE INDEX plan_statements_plan ON plan_statements(plan_id, id);
CREATE TRIGGER plan_statements_no_update BEFORE UPDATE ON plan_statements
BEGIN SELECT RAISE(ABORT, 'a sealed statement cannot change'); END;
CREATE TRIGGER plan_statements_no_delete BEFORE DELETE ON plan_statements
BEGIN SELECT RAISE(ABORT, 'a sealed statement cannot change'); END;

-- The in-app inbox: a returned report (to its reporter and its org), a task
-- that turned red (to each owner). dedupe makes each event arrive once.
CREATE TABLE plan_inbox (
	id INTEGER PRIMARY KEY,
	dedupe TEXT NOT NULL UNIQUE,
	org_id INTEGER NOT NULL REFERENCES orgs(id),
	user_id INTEGER,
	plan_id INTEGER NOT NULL REFERENCES plans(id),
	node_id INTEGER NOT NULL REFERENCES plan_nodes(id),
	report_id INTEGER REFERENCES plan_reports(id),
	kind TEXT NOT NULL CHECK (kind IN ('returned','red')),
	message TEXT NOT NULL,
	message_en TEXT NOT NULL,
	created INTEGER NOT NULL,
	read_at INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX plan_inbox_org ON plan_inbox(org_id, id);
CREATE INDEX plan_inbox_user ON plan_inbox(user_id, id);
CREATE INDEX plan_inbox_node ON plan_inbox(node_id);
