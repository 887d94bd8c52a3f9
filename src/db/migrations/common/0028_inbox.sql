-- The inbox becomes every capability's (it was the plans'): an entry is
-- about one thing (ref_kind, ref_id: a returned report, a red task, a
-- period a unit has not reported for), carries the titles it is shown
-- with and a link into the console, and arrives once (dedupe). The plans'
-- entries come across, read or not. Evaluation periods gain a deadline
-- for reported values, after which units that have not reported are
-- reminded.
CREATE TABLE inbox (
	id {{ID}},
	dedupe TEXT NOT NULL UNIQUE,
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	user_id {{INT}},
	source TEXT NOT NULL,
	kind TEXT NOT NULL,
	ref_kind TEXT NOT NULL,
	ref_id {{INT}} NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	subject TEXT NOT NULL DEFAULT '',
	link TEXT NOT NULL DEFAULT '',
	message TEXT NOT NULL,
	message_en TEXT NOT NULL,
	created {{INT}} NOT NULL,
	read_at {{INT}} NOT NULL DEFAULT 0
) {{STRICT}};
CREATE INDEX inbox_org ON inbox (org_id, id);
CREATE INDEX inbox_user ON inbox (user_id, id);
CREATE INDEX inbox_ref ON inbox (ref_kind, ref_id);

INSERT INTO inbox (dedupe, org_id, user_id, source, kind, ref_kind, ref_id, title, subject, link,
		message, message_en, created, read_at)
	SELECT e.dedupe, e.org_id, e.user_id, 'plans', e.kind,
		CASE WHEN e.kind = 'returned' THEN 'plan_report' ELSE 'plan_node' END,
		CASE WHEN e.kind = 'returned' THEN e.report_id ELSE e.node_id END,
		p.title, n.title, '/plans?plan=' || CAST(e.plan_id AS TEXT), e.message, e.message_en,
		e.created, e.read_at
	FROM plan_inbox e JOIN plans p ON p.id = e.plan_id JOIN plan_nodes n ON n.id = e.node_id
	ORDER BY e.id;
DROP TABLE plan_inbox;

ALTER TABLE eval_periods ADD COLUMN report_due TEXT;
