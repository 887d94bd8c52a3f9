-- The evaluation index (指数式定标 · 分类式管理): an index of an org for one
-- kind of unit in its subtree, its tree of dimensions, indicators, bonus
-- and veto nodes, its classes (each overriding weights and methods, a unit
-- in at most one), its periods, the values units report for a period and
-- the scores a computation stores. A sealed period's score rows are hashed
-- into the period; `changai check` recomputes the hash.
CREATE TABLE eval_indexes (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	title TEXT NOT NULL,
	unit_kind TEXT NOT NULL CHECK (unit_kind IN ('enterprise', 'street', 'park', 'district')),
	stars TEXT NOT NULL DEFAULT '[90,80,70,60]',
	created_by {{INT}},
	created {{INT}} NOT NULL,
	updated {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX eval_indexes_org ON eval_indexes (org_id, id);

CREATE TABLE eval_nodes (
	id {{ID}},
	index_id {{INT}} NOT NULL REFERENCES eval_indexes(id),
	parent_id {{INT}} REFERENCES eval_nodes(id),
	kind TEXT NOT NULL CHECK (kind IN ('dimension', 'indicator', 'bonus', 'veto')),
	seq {{INT}} NOT NULL,
	code TEXT NOT NULL,
	title TEXT NOT NULL,
	unit TEXT NOT NULL DEFAULT '',
	weight {{REAL}} NOT NULL DEFAULT 0 CHECK (weight >= 0),
	metric TEXT,
	reported {{BOOL}} NOT NULL DEFAULT 0 CHECK (reported IN (0, 1)),
	method TEXT NOT NULL DEFAULT '',
	cap {{REAL}},
	UNIQUE (index_id, code)
) {{STRICT}};
CREATE INDEX eval_nodes_parent ON eval_nodes (index_id, parent_id, seq);

CREATE TABLE eval_classes (
	id {{ID}},
	index_id {{INT}} NOT NULL REFERENCES eval_indexes(id),
	name TEXT NOT NULL,
	weights TEXT NOT NULL DEFAULT '{}',
	methods TEXT NOT NULL DEFAULT '{}',
	UNIQUE (index_id, name)
) {{STRICT}};

CREATE TABLE eval_members (
	index_id {{INT}} NOT NULL REFERENCES eval_indexes(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	class_id {{INT}} NOT NULL REFERENCES eval_classes(id),
	PRIMARY KEY (index_id, org_id)
) {{STRICT}};
CREATE INDEX eval_members_class ON eval_members (class_id, org_id);

CREATE TABLE eval_periods (
	id {{ID}},
	index_id {{INT}} NOT NULL REFERENCES eval_indexes(id),
	label TEXT NOT NULL,
	starts TEXT NOT NULL,
	ends TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'sealed')),
	job_id {{INT}},
	computed {{INT}},
	units {{INT}} NOT NULL DEFAULT 0,
	computations {{INT}} NOT NULL DEFAULT 0,
	sealed {{INT}},
	sealed_by {{INT}},
	hash TEXT,
	UNIQUE (index_id, label),
	CHECK (starts <= ends)
) {{STRICT}};

-- One value per unit and node and period: entered again, it replaces the
-- earlier one (the audit trail keeps what it was).
CREATE TABLE eval_values (
	id {{ID}},
	period_id {{INT}} NOT NULL REFERENCES eval_periods(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	node_id {{INT}} NOT NULL REFERENCES eval_nodes(id),
	value {{REAL}} NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL CHECK (state IN ('accepted', 'submitted', 'returned')),
	entered_by {{INT}},
	entered_name TEXT NOT NULL DEFAULT '',
	entered {{INT}} NOT NULL,
	reviewed_by {{INT}},
	reviewed_name TEXT NOT NULL DEFAULT '',
	reviewed {{INT}},
	reason TEXT NOT NULL DEFAULT '',
	UNIQUE (period_id, org_id, node_id)
) {{STRICT}};

CREATE TABLE eval_scores (
	period_id {{INT}} NOT NULL REFERENCES eval_periods(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	class_id {{INT}} NOT NULL DEFAULT 0,
	total {{REAL}} NOT NULL,
	place {{INT}} NOT NULL,
	pos {{INT}} NOT NULL,
	stars {{INT}} NOT NULL,
	vetoed {{BOOL}} NOT NULL CHECK (vetoed IN (0, 1)),
	scores TEXT NOT NULL,
	PRIMARY KEY (period_id, org_id)
) {{STRICT}};
-- the explanation of each score, apart, so that
-- ranking pages read small rows
CREATE TABLE eval_explains (
	period_id {{INT}} NOT NULL REFERENCES eval_periods(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	detail TEXT NOT NULL,
	PRIMARY KEY (period_id, org_id)
) {{STRICT}};
-- pos: the unit's place among all units of the period, best first (ties by
-- org id); ranking pages walk it, in a class or across classes
CREATE UNIQUE INDEX eval_scores_pos ON eval_scores (period_id, pos);
CREATE INDEX eval_scores_class_pos ON eval_scores (period_id, class_id, pos);

-- Robustness before naming: the latest run of a period (a new request
-- replaces it) and each unit's rank interval from it. `computation` is
-- the period's count of computations when the run read its scores, so a
-- later computation shows the run stale.
CREATE TABLE eval_robust_runs (
	period_id {{INT}} PRIMARY KEY REFERENCES eval_periods(id),
	job_id {{INT}},
	replications {{INT}} NOT NULL CHECK (replications > 0),
	spread {{REAL}} NOT NULL CHECK (spread >= 0 AND spread < 1),
	seed {{INT}} NOT NULL,
	top_n {{INT}} NOT NULL CHECK (top_n > 0),
	methods {{BOOL}} NOT NULL CHECK (methods IN (0, 1)),
	requested {{INT}} NOT NULL,
	requested_by {{INT}},
	computation {{INT}},
	done {{INT}},
	unstable {{INT}} NOT NULL DEFAULT 0
) {{STRICT}};
CREATE TABLE eval_robust (
	period_id {{INT}} NOT NULL REFERENCES eval_periods(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	place {{INT}} NOT NULL,
	best {{INT}} NOT NULL,
	p05 {{INT}} NOT NULL,
	median {{INT}} NOT NULL,
	p95 {{INT}} NOT NULL,
	worst {{INT}} NOT NULL,
	top_share {{REAL}} NOT NULL,
	verdict TEXT NOT NULL CHECK (verdict IN ('in', 'out', 'unstable')),
	PRIMARY KEY (period_id, org_id)
) {{STRICT}};

-- 典型式引领: an owner proposes demonstration units from a sealed period's
-- candidates (the top N of each class, or every unit at or above a score,
-- never a vetoed one), giving a reason for each candidate left out; a
-- second owner reviews; the list goes to a 公示 notice; when the notice
-- closes, the units still listed are named for the year.
CREATE TABLE eval_proposals (
	id {{ID}},
	period_id {{INT}} NOT NULL REFERENCES eval_periods(id),
	honour TEXT NOT NULL,
	year {{INT}} NOT NULL,
	top_n {{INT}},
	min_total {{REAL}},
	state TEXT NOT NULL CHECK (state IN ('submitted', 'returned', 'approved', 'noticed', 'named')),
	proposed_by {{INT}},
	proposed_name TEXT NOT NULL DEFAULT '',
	proposed {{INT}} NOT NULL,
	reviewed_by {{INT}},
	reviewed_name TEXT NOT NULL DEFAULT '',
	reviewed {{INT}},
	review_reason TEXT NOT NULL DEFAULT '',
	notice_id {{INT}},
	named {{INT}},
	UNIQUE (period_id, honour),
	CHECK ((top_n IS NULL) <> (min_total IS NULL))
) {{STRICT}};
CREATE TABLE eval_proposal_units (
	proposal_id {{INT}} NOT NULL REFERENCES eval_proposals(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	class_id {{INT}} NOT NULL DEFAULT 0,
	place {{INT}} NOT NULL,
	total {{REAL}} NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('listed', 'left_out', 'withdrawn')),
	reason TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (proposal_id, org_id)
) {{STRICT}};
-- The honour itself: an org named, for a year, by a proposal.
CREATE TABLE eval_named (
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	year {{INT}} NOT NULL,
	honour TEXT NOT NULL,
	proposal_id {{INT}} NOT NULL REFERENCES eval_proposals(id),
	named {{INT}} NOT NULL,
	PRIMARY KEY (org_id, year, honour)
) {{STRICT}};
CREATE INDEX eval_named_year ON eval_named (year, org_id);
