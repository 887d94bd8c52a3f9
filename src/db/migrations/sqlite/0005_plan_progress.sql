-- Where each sub-item's progress stands: its report count, its latest
-- report and its latest report that counts (not returned). Kept in the
-- same transaction as the reports and their reviews, so a statement as of
-- today reads one row per sub-item instead of every report; `changai
-- check` recomputes it from the reports.
CREATE TABLE plan_node_progress (
	node_id INTEGER PRIMARY KEY REFERENCES plan_nodes(id),
	plan_id INTEGER NOT NULL REFERENCES plans(id),
	reports INTEGER NOT NULL,
	last_id INTEGER REFERENCES plan_reports(id),
	counted_id INTEGER REFERENCES plan_reports(id)
) STRICT;
CREATE INDEX plan_node_progress_plan ON plan_node_progress(plan_id, node_id);

INSERT INTO plan_node_progress (node_id, plan_id, reports, last_id, counted_id)
SELECT x.node_id, x.plan_id, x.n,
	(SELECT r.id FROM plan_reports r WHERE r.plan_id = x.plan_id AND r.node_id = x.node_id
		ORDER BY r.as_of DESC, r.id DESC LIMIT 1),
	(SELECT r.id FROM plan_reports r WHERE r.plan_id = x.plan_id AND r.node_id = x.node_id
		AND r.state <> 'returned' ORDER BY r.as_of DESC, r.id DESC LIMIT 1)
FROM (SELECT node_id, plan_id, count(*) AS n FROM plan_reports GROUP BY node_id, plan_id) x;
