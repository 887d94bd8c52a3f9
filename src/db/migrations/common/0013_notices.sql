-- 公示 notices: one shared capability for every result that must be shown
-- to the public for a window of days before it takes effect (certification
-- results, competition results and promotions, honours, demonstration
-- units, studios). A notice lists subjects, each pointing at the record of
-- the module that owns it; the public reads the subjects' public text and
-- may object under their real name; the issuing org answers each objection
-- (upheld withdraws the subject); the sweep closes the notice once its
-- window has ended and every objection is answered, and tells the owner.
CREATE TABLE notices (
	id {{ID}},
	public_id TEXT NOT NULL UNIQUE,
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	contact TEXT NOT NULL DEFAULT '',
	days {{INT}} NOT NULL CHECK (days BETWEEN 1 AND 60),
	day_kind TEXT NOT NULL CHECK (day_kind IN ('work', 'calendar')),
	starts TEXT,
	ends TEXT,
	state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
	owner_ref TEXT NOT NULL DEFAULT '',
	listed {{INT}} NOT NULL DEFAULT 0,
	withdrawn {{INT}} NOT NULL DEFAULT 0,
	created_by {{INT}},
	created {{INT}} NOT NULL,
	opened {{INT}},
	closed {{INT}},
	CHECK (state = 'draft' OR (starts IS NOT NULL AND ends IS NOT NULL AND starts <= ends))
) {{STRICT}};
CREATE INDEX notices_org ON notices (org_id, id);
CREATE INDEX notices_open ON notices (state, ends);

CREATE TABLE notice_subjects (
	id {{ID}},
	notice_id {{INT}} NOT NULL REFERENCES notices(id),
	no {{INT}} NOT NULL,
	ref_kind TEXT NOT NULL,
	ref_id {{INT}} NOT NULL,
	name TEXT NOT NULL,
	unit TEXT NOT NULL DEFAULT '',
	text TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'listed' CHECK (state IN ('listed', 'withdrawn')),
	UNIQUE (notice_id, no)
) {{STRICT}};

-- Objections carry the objector's real name and phone sealed with the
-- personal-data key (as the registry keeps ID numbers); the address is kept
-- only as a keyed hash, for the per-address limit.
CREATE TABLE notice_objections (
	id {{ID}},
	notice_id {{INT}} NOT NULL REFERENCES notices(id),
	subject_id {{INT}} REFERENCES notice_subjects(id),
	name_enc TEXT NOT NULL,
	phone_enc TEXT NOT NULL,
	unit TEXT NOT NULL DEFAULT '',
	text TEXT NOT NULL,
	ip_hash TEXT NOT NULL,
	created {{INT}} NOT NULL,
	decision TEXT CHECK (decision IN ('upheld', 'dismissed')),
	reason TEXT,
	decided_by {{INT}},
	decided {{INT}}
) {{STRICT}};
CREATE INDEX notice_objections_notice ON notice_objections (notice_id, id);
CREATE INDEX notice_objections_ip ON notice_objections (ip_hash, created);
