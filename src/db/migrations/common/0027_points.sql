-- The points ledger (积分化评估). Rules turn facts that other capabilities
-- record (a worker's level up, an accepted plan report) into points for a
-- holder (an org or a worker); permitted users award points by hand with
-- evidence. Entries are never updated or deleted: a reversal, an upheld
-- appeal and an expiry are entries of their own. The totals are rollups
-- of the entries, written in the same transaction; `changai check`
-- recomputes them.
CREATE TABLE points_rules (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	code TEXT NOT NULL,
	title TEXT NOT NULL,
	holder_kind TEXT NOT NULL CHECK (holder_kind IN ('org', 'worker')),
	source TEXT NOT NULL,
	points {{INT}} NOT NULL CHECK (points <> 0),
	min_amount {{REAL}},
	cap_day {{INT}} CHECK (cap_day > 0),
	cap_period {{INT}} CHECK (cap_period > 0),
	cap_lifetime {{INT}} CHECK (cap_lifetime > 0),
	period TEXT NOT NULL DEFAULT 'year' CHECK (period IN ('year', 'half', 'quarter', 'month')),
	expiry_days {{INT}} CHECK (expiry_days > 0),
	starts TEXT NOT NULL,
	ends TEXT,
	state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'retired')),
	applied {{INT}} NOT NULL DEFAULT 0,
	created_by {{INT}},
	created {{INT}} NOT NULL,
	UNIQUE (org_id, code)
) {{STRICT}};

CREATE TABLE points_entries (
	id {{ID}},
	holder_kind TEXT NOT NULL CHECK (holder_kind IN ('org', 'worker')),
	holder_id {{INT}} NOT NULL,
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	kind TEXT NOT NULL CHECK (kind IN ('rule', 'manual', 'reversal', 'appeal', 'expiry')),
	source_key TEXT NOT NULL UNIQUE,
	rule_id {{INT}} REFERENCES points_rules(id),
	points {{INT}} NOT NULL,
	asked {{INT}} NOT NULL,
	on_date TEXT NOT NULL,
	expires TEXT,
	refers_to {{INT}} REFERENCES points_entries(id),
	text TEXT NOT NULL DEFAULT '',
	evidence TEXT NOT NULL DEFAULT '',
	actor_id {{INT}},
	actor_name TEXT NOT NULL DEFAULT '',
	created {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX points_entries_holder ON points_entries (holder_kind, holder_id, id);
CREATE INDEX points_entries_cap ON points_entries (rule_id, holder_kind, holder_id, on_date);
CREATE INDEX points_entries_expires ON points_entries (expires);
CREATE INDEX points_entries_refers ON points_entries (refers_to);
CREATE INDEX points_entries_org ON points_entries (org_id, on_date);

-- One row per holder and period ('all', '2026', '2026-H2', '2026-Q4',
-- '2026-12'): the period rows hold what was earned in it (expiry left
-- out); the 'all' row holds the balance, expiry included.
CREATE TABLE points_totals (
	holder_kind TEXT NOT NULL,
	holder_id {{INT}} NOT NULL,
	period TEXT NOT NULL,
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	points {{INT}} NOT NULL,
	expired {{INT}} NOT NULL DEFAULT 0,
	entries {{INT}} NOT NULL,
	reached TEXT NOT NULL,
	PRIMARY KEY (holder_kind, holder_id, period)
) {{STRICT}};
CREATE INDEX points_totals_board ON points_totals (holder_kind, period, points DESC, reached, holder_id);

CREATE TABLE points_appeals (
	id {{ID}},
	entry_id {{INT}} NOT NULL REFERENCES points_entries(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	reason TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'upheld', 'dismissed')),
	by_id {{INT}},
	by_name TEXT NOT NULL DEFAULT '',
	created {{INT}} NOT NULL,
	decision_reason TEXT,
	reviewed_by {{INT}},
	reviewer TEXT,
	reviewed {{INT}},
	correction_id {{INT}} REFERENCES points_entries(id)
) {{STRICT}};
CREATE INDEX points_appeals_entry ON points_appeals (entry_id, id);
CREATE INDEX points_appeals_state ON points_appeals (state, id);

-- How far the expiry sweep has written expiry entries (a business date).
CREATE TABLE points_sweep (
	id {{INT}} PRIMARY KEY CHECK (id = 1),
	expired_through TEXT NOT NULL
) {{STRICT}};
