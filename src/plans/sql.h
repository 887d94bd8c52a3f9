/* SQL owned by plans: plans, nodes, owners, reports, evidence, sealed
 * statements, the inbox. Scope is always a path range over orgs joined in,
 * never a path copied into these tables. */
#ifndef CHANGAI_PLANS_SQL_H
#define CHANGAI_PLANS_SQL_H

#define PLAN_COLS "p.id, p.org_id, p.year, p.title, p.parent_plan_id, " \
	"p.due_soon_days, p.created_by, p.created, p.updated, o.name, o.path, o.kind, " \
	"(SELECT count(*) FROM plans k WHERE k.parent_plan_id = p.id)"
#define PLAN_FROM " FROM plans p JOIN orgs o ON o.id = p.org_id "

#define PLAN_NODE_COLS "n.id, n.plan_id, n.parent_id, n.kind, n.seq, n.title, " \
	"n.deadline, n.milestone, n.target_e4, n.unit, n.weight_e4, n.metric, " \
	"n.lead_org_id, n.source_node_id, n.created, n.updated"

#define PLAN_REPORT_COLS "r.id, r.plan_id, r.node_id, r.org_id, r.value_e4, " \
	"r.done, r.note, r.as_of, r.state, r.reason, r.reviewed_by, r.reviewer, " \
	"r.reviewed_at, r.created_by, r.reporter, r.created, o.name, u.name, v.name, " \
	"CASE WHEN " PLAN_REPORT_SUPERSEDED " THEN 1 ELSE 0 END"
/* A report is superseded once the same unit has reported the same sub-item
 * as of a later day (or later the same day) and that report was not
 * returned: its reviewer need not look at the older one. */
#define PLAN_REPORT_SUPERSEDED "EXISTS (SELECT 1 FROM plan_reports s " \
	"WHERE s.plan_id = r.plan_id AND s.node_id = r.node_id AND " \
	"s.org_id = r.org_id AND s.state <> 'returned' AND (s.as_of > r.as_of OR " \
	"(s.as_of = r.as_of AND s.id > r.id)))"
/* Names, not usernames, of who reported and who reviewed. */
#define PLAN_REPORT_FROM " FROM plan_reports r JOIN orgs o ON o.id = r.org_id " \
	"LEFT JOIN users u ON u.id = r.created_by " \
	"LEFT JOIN users v ON v.id = r.reviewed_by "

/* Owner orgs a plan may name: inside the plan org's subtree ($2..$3), or a
 * department hanging off the plan org or one of its ancestors ($4 is the
 * plan org's path, which starts with that ancestor's path). */
#define PLAN_OWNER_ALLOWED "((o.path >= $2 AND o.path < $3) OR " \
	"(o.kind = 'department' AND par.path IS NOT NULL AND " \
	"substr(CAST($4 AS TEXT), 1, length(par.path)) = par.path))"

/* The sub-items of node $1 and below (a plan is three levels deep). */
#define PLAN_SUBTREE_IDS "SELECT s.id FROM plan_nodes s WHERE s.id = $1 OR " \
	"s.parent_id = $1 OR s.parent_id IN (SELECT t.id FROM plan_nodes t " \
	"WHERE t.parent_id = $1)"

/* The latest report of sub-item $1 in plan $2, any state or counting. */
#define PLAN_LATEST_OF(node, plan, extra) "(SELECT r.id FROM plan_reports r " \
	"WHERE r.plan_id = " plan " AND r.node_id = " node " " extra \
	"ORDER BY r.as_of DESC, r.id DESC LIMIT 1)"

#define PLANS_SQL(X) \
	/* accepted reports (the fact plans.report_accepted), for the points ledger */ \
	X(PLAN_REPORT_FACTS, SQL("SELECT r.id, r.org_id, r.as_of, n.title FROM plan_reports r " \
		"JOIN plan_nodes n ON n.id = r.node_id JOIN orgs o ON o.id = r.org_id " \
		"WHERE r.id > $1 AND r.state = 'accepted' AND o.path >= $2 AND o.path < $3 " \
		"AND r.as_of >= $4 AND (CAST($5 AS TEXT) = '' OR r.as_of <= $5) " \
		"ORDER BY r.id LIMIT $6")) \
	/* the reports that may still become facts hold the cursor back */ \
	X(PLAN_REPORTS_SETTLED, SQL("SELECT coalesce((SELECT min(id) FROM plan_reports " \
		"WHERE state = 'submitted'), 0), coalesce((SELECT id FROM plan_reports " \
		"WHERE created < $1 ORDER BY id DESC LIMIT 1), 0)")) \
	X(PLAN_GET, SQL("SELECT " PLAN_COLS PLAN_FROM "WHERE p.id = $1")) \
	/* an org's own plan of a year (the first, should it have several) */ \
	X(PLAN_OF_ORG_YEAR, SQL("SELECT " PLAN_COLS PLAN_FROM "WHERE p.org_id = $1 " \
		"AND p.year = $2 ORDER BY p.id LIMIT 1")) \
	/* as ORG_LOCK: an edit's starting row, locked on PostgreSQL */ \
	X(PLAN_LOCK, "SELECT id FROM plans WHERE id = $1", \
		"SELECT id FROM plans WHERE id = $1 FOR UPDATE") \
	X(PLAN_NODE_LOCK, "SELECT id FROM plan_nodes WHERE id = $1", \
		"SELECT id FROM plan_nodes WHERE id = $1 FOR UPDATE") \
	X(PLAN_GET_IN, SQL("SELECT " PLAN_COLS PLAN_FROM "WHERE p.id = $1 " \
		"AND o.path >= $2 AND o.path < $3")) \
	X(PLAN_OWNED_IN, SQL("SELECT " PLAN_COLS PLAN_FROM "WHERE p.id = $1 " \
		"AND EXISTS (SELECT 1 FROM plan_owners po JOIN orgs oo ON oo.id = po.org_id " \
		"WHERE po.plan_id = p.id AND oo.path >= $2 AND oo.path < $3)")) \
	X(PLAN_IDS_IN, SQL("SELECT p.id" PLAN_FROM "WHERE o.path >= $1 AND o.path < $2 " \
		"AND (CAST($3 AS BIGINT) IS NULL OR p.year = $3) " \
		"AND o.path >= $4 AND o.path < $5")) \
	X(PLAN_IDS_OWNED_IN, SQL("SELECT DISTINCT po.plan_id FROM plan_owners po " \
		"JOIN orgs oo ON oo.id = po.org_id JOIN plans p ON p.id = po.plan_id " \
		"JOIN orgs o ON o.id = p.org_id WHERE oo.path >= $1 AND oo.path < $2 " \
		"AND (CAST($3 AS BIGINT) IS NULL OR p.year = $3) " \
		"AND o.path >= $4 AND o.path < $5")) \
	X(PLAN_CHILDREN, SQL("SELECT " PLAN_COLS PLAN_FROM \
		"WHERE p.parent_plan_id = $1 ORDER BY p.id")) \
	X(PLAN_INSERT, SQL("INSERT INTO plans (org_id, year, title, parent_plan_id, " \
		"due_soon_days, created_by, created, updated) VALUES ($1, $2, $3, $4, $5, " \
		"$6, $7, $7) RETURNING id")) \
	X(PLAN_UPDATE, SQL("UPDATE plans SET title = $1, year = $2, due_soon_days = $3, " \
		"updated = $4 WHERE id = $5")) \
	X(PLAN_DEPENDENTS, SQL("SELECT (SELECT count(*) FROM plan_reports r " \
		"WHERE r.plan_id = $1), (SELECT count(*) FROM plan_statements s " \
		"WHERE s.plan_id = $1), (SELECT count(*) FROM plans k " \
		"WHERE k.parent_plan_id = $1)")) \
	X(PLAN_NODE_IDS_OF_PLAN, SQL("SELECT id FROM plan_nodes WHERE plan_id = $1")) \
	X(PLAN_DELETE_OWNERS, SQL("DELETE FROM plan_owners WHERE plan_id = $1")) \
	X(PLAN_DELETE_NODES, SQL("DELETE FROM plan_nodes WHERE plan_id = $1")) \
	X(PLAN_DELETE, SQL("DELETE FROM plans WHERE id = $1")) \
	X(PLAN_NODE_COUNTS, SQL("SELECT kind, count(*) FROM plan_nodes " \
		"WHERE plan_id = $1 GROUP BY kind")) \
	X(PLAN_DEADLINES_OUTSIDE, SQL("SELECT count(*) FROM plan_nodes " \
		"WHERE plan_id = $1 AND kind = 'subitem' AND (deadline < $2 OR deadline > $3)")) \
	X(PLAN_NODE_GET, SQL("SELECT " PLAN_NODE_COLS " FROM plan_nodes n " \
		"WHERE n.id = $1 AND n.plan_id = $2")) \
	X(PLAN_NODES, SQL("SELECT " PLAN_NODE_COLS " FROM plan_nodes n " \
		"WHERE n.plan_id = $1 ORDER BY n.id")) \
	X(PLAN_NODE_NEXT_SEQ, SQL("SELECT COALESCE(max(seq), 0) + 1 FROM plan_nodes " \
		"WHERE plan_id = $1 AND (parent_id = $2 OR (CAST($2 AS BIGINT) IS NULL " \
		"AND parent_id IS NULL))")) \
	X(PLAN_NODE_INSERT, SQL("INSERT INTO plan_nodes (plan_id, parent_id, kind, seq, " \
		"title, deadline, milestone, target_e4, unit, weight_e4, metric, lead_org_id, " \
		"source_node_id, created, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, " \
		"$9, $10, $11, $12, $13, $14, $14) RETURNING id")) \
	X(PLAN_NODE_UPDATE, SQL("UPDATE plan_nodes SET parent_id = $1, seq = $2, " \
		"title = $3, deadline = $4, milestone = $5, target_e4 = $6, unit = $7, " \
		"weight_e4 = $8, metric = $9, lead_org_id = $10, updated = $11 WHERE id = $12")) \
	X(PLAN_NODE_FIND, SQL("SELECT id FROM plan_nodes WHERE plan_id = $1 AND kind = $2 " \
		"AND title = $3 AND (parent_id = $4 OR (CAST($4 AS BIGINT) IS NULL " \
		"AND parent_id IS NULL)) ORDER BY id LIMIT 1")) \
	X(PLAN_NODE_SUBTREE_USED, SQL("SELECT (SELECT count(*) FROM plan_reports r " \
		"WHERE r.node_id IN (" PLAN_SUBTREE_IDS ")), (SELECT count(*) FROM " \
		"plan_nodes c WHERE c.source_node_id IN (" PLAN_SUBTREE_IDS "))")) \
	X(PLAN_NODE_DELETE_OWNERS, SQL("DELETE FROM plan_owners WHERE node_id IN (" \
		PLAN_SUBTREE_IDS ")")) \
	X(PLAN_NODE_SUBTREE, SQL(PLAN_SUBTREE_IDS)) \
	X(PLAN_NODE_DELETE, SQL("DELETE FROM plan_nodes WHERE id IN (" \
		PLAN_SUBTREE_IDS ")")) \
	X(PLAN_OWNER_INSERT, SQL("INSERT INTO plan_owners (node_id, plan_id, org_id, lead) " \
		"VALUES ($1, $2, $3, $4)")) \
	X(PLAN_OWNERS_DELETE, SQL("DELETE FROM plan_owners WHERE node_id = $1")) \
	X(PLAN_NODE_OWNERS, SQL("SELECT po.org_id, po.lead, o.name FROM plan_owners po " \
		"JOIN orgs o ON o.id = po.org_id WHERE po.node_id = $1 " \
		"ORDER BY po.lead DESC, po.org_id")) \
	X(PLAN_OWNERS, SQL("SELECT po.node_id, po.org_id, po.lead, o.name, o.kind " \
		"FROM plan_owners po JOIN orgs o ON o.id = po.org_id WHERE po.plan_id = $1 " \
		"ORDER BY po.node_id, po.lead DESC, po.org_id")) \
	X(PLAN_NODE_IDS_OWNED_IN, SQL("SELECT DISTINCT po.node_id FROM plan_owners po " \
		"JOIN orgs o ON o.id = po.org_id WHERE po.plan_id = $1 AND o.path >= $2 " \
		"AND o.path < $3")) \
	X(PLAN_NODE_OWNER_IN, SQL("SELECT po.org_id FROM plan_owners po " \
		"JOIN orgs o ON o.id = po.org_id WHERE po.node_id = $1 AND o.path >= $2 " \
		"AND o.path < $3 ORDER BY po.lead DESC, po.org_id LIMIT 1")) \
	X(PLAN_NODE_REPORTER_IN, SQL("SELECT po.org_id FROM plan_owners po " \
		"JOIN orgs o ON o.id = po.org_id WHERE po.node_id = $1 AND o.path >= $2 " \
		"AND o.path < $3 AND (o.kind <> 'department' OR o.path = $2) " \
		"ORDER BY po.lead DESC, po.org_id LIMIT 1")) \
	X(PLAN_OWNER_ORG, SQL("SELECT o.id, o.kind, o.name FROM orgs o " \
		"LEFT JOIN orgs par ON par.id = o.parent_id WHERE o.id = $1 AND " \
		PLAN_OWNER_ALLOWED)) \
	X(PLAN_OWNER_BY_NAME, SQL("SELECT o.id, o.kind, o.name FROM orgs o " \
		"LEFT JOIN orgs par ON par.id = o.parent_id WHERE (o.name = $1 OR o.code = $1) " \
		"AND " PLAN_OWNER_ALLOWED " ORDER BY o.id LIMIT 2")) \
	X(PLAN_ORG_BY_NAME, SQL("SELECT id FROM orgs WHERE name = $1 ORDER BY id LIMIT 1")) \
	X(PLAN_REPORT_INSERT, SQL("INSERT INTO plan_reports (plan_id, node_id, org_id, " \
		"value_e4, done, note, as_of, state, created_by, reporter, created) VALUES " \
		"($1, $2, $3, $4, $5, $6, $7, 'submitted', $8, $9, $10) RETURNING id")) \
	X(PLAN_REPORT_GET, SQL("SELECT " PLAN_REPORT_COLS PLAN_REPORT_FROM \
		"WHERE r.id = $1 AND r.plan_id = $2")) \
	X(PLAN_REPORT_REVIEW, SQL("UPDATE plan_reports SET state = $1, reason = $2, " \
		"reviewed_by = $3, reviewer = $4, reviewed_at = $5 " \
		"WHERE id = $6 AND state = 'submitted'")) \
	X(PLAN_REPORTS_LIST, SQL("SELECT " PLAN_REPORT_COLS PLAN_REPORT_FROM \
		"WHERE r.plan_id = $1 AND r.id < $2 " \
		"AND (CAST($3 AS BIGINT) IS NULL OR r.node_id = $3) " \
		"AND (CAST($4 AS TEXT) IS NULL OR r.state = $4) " \
		"AND (CAST($5 AS BIGINT) IS NULL OR r.org_id = $5) " \
		"AND (CAST($6 AS BIGINT) IS NULL OR NOT " PLAN_REPORT_SUPERSEDED ") " \
		"ORDER BY r.id DESC")) \
	X(PLAN_REPORTS_COUNT, SQL("SELECT count(*) FROM plan_reports r " \
		"WHERE r.plan_id = $1 " \
		"AND (CAST($2 AS BIGINT) IS NULL OR r.node_id = $2) " \
		"AND (CAST($3 AS TEXT) IS NULL OR r.state = $3) " \
		"AND (CAST($4 AS BIGINT) IS NULL OR r.org_id = $4) " \
		"AND (CAST($5 AS BIGINT) IS NULL OR NOT " PLAN_REPORT_SUPERSEDED ")")) \
	X(PLAN_REPORTS_STREAM, SQL("SELECT r.node_id, r.id, r.value_e4, r.done, r.as_of, " \
		"r.state, r.note, r.reporter FROM plan_reports r WHERE r.plan_id = $1 " \
		"AND r.as_of <= $2 ORDER BY r.node_id, r.as_of, r.id")) \
	X(PLAN_REPORT_LATEST, SQL("SELECT r.value_e4, r.done FROM plan_reports r " \
		"WHERE r.plan_id = $1 AND r.node_id = $2 AND r.state <> 'returned' " \
		"AND r.as_of <= $3 ORDER BY r.as_of DESC, r.id DESC LIMIT 1")) \
	X(PLAN_PROGRESS_UPDATE, SQL("INSERT INTO plan_node_progress (node_id, plan_id, " \
		"reports, last_id, counted_id) SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT), " \
		"(SELECT count(*) FROM plan_reports r WHERE r.plan_id = $2 AND r.node_id = $1), " \
		PLAN_LATEST_OF("$1", "$2", "") ", " \
		PLAN_LATEST_OF("$1", "$2", "AND r.state <> 'returned'") " WHERE true " \
		"ON CONFLICT (node_id) DO UPDATE SET reports = excluded.reports, " \
		"last_id = excluded.last_id, counted_id = excluded.counted_id")) \
	X(PLAN_PROGRESS_LATEST, SQL("SELECT g.node_id, g.reports, l.id, l.value_e4, " \
		"l.done, l.as_of, l.state, l.note, l.reporter, k.id, k.value_e4, k.done, " \
		"k.as_of, k.state FROM plan_node_progress g LEFT JOIN plan_reports l ON l.id = g.last_id " \
		"LEFT JOIN plan_reports k ON k.id = g.counted_id WHERE g.plan_id = $1")) \
	X(PLAN_PROGRESS_CHECK, SQL("SELECT x.node_id, x.n, COALESCE(g.reports, -1) FROM " \
		"(SELECT r.node_id AS node_id, r.plan_id AS plan_id, count(*) AS n " \
		"FROM plan_reports r GROUP BY r.node_id, r.plan_id) x " \
		"LEFT JOIN plan_node_progress g ON g.node_id = x.node_id " \
		"WHERE g.node_id IS NULL OR g.reports <> x.n OR g.plan_id <> x.plan_id " \
		"OR COALESCE(g.last_id, 0) <> COALESCE(" \
		PLAN_LATEST_OF("x.node_id", "x.plan_id", "") ", 0) " \
		"OR COALESCE(g.counted_id, 0) <> COALESCE(" \
		PLAN_LATEST_OF("x.node_id", "x.plan_id", "AND r.state <> 'returned'") ", 0) " \
		"UNION ALL SELECT g.node_id, 0, g.reports FROM plan_node_progress g " \
		"WHERE NOT EXISTS (SELECT 1 FROM plan_reports r WHERE r.node_id = g.node_id) " \
		"ORDER BY 1")) \
	X(PLAN_EVIDENCE_INSERT, SQL("INSERT INTO plan_evidence (report_id, plan_id, " \
		"node_id, filename, mime, size, sha256, created_by, created) VALUES ($1, $2, " \
		"$3, $4, $5, $6, $7, $8, $9) RETURNING id")) \
	X(PLAN_EVIDENCE_CHUNK_INSERT, SQL("INSERT INTO plan_evidence_chunks " \
		"(evidence_id, seq, data) VALUES ($1, $2, $3)")) \
	X(PLAN_EVIDENCE_GET, SQL("SELECT id, report_id, plan_id, node_id, filename, mime, " \
		"size, sha256, created FROM plan_evidence WHERE id = $1 AND plan_id = $2")) \
	X(PLAN_EVIDENCE_OF_PLAN, SQL("SELECT id, report_id, plan_id, node_id, filename, " \
		"mime, size, sha256, created FROM plan_evidence WHERE plan_id = $1 " \
		"ORDER BY report_id, id")) \
	X(PLAN_EVIDENCE_CHUNKS, SQL("SELECT data FROM plan_evidence_chunks " \
		"WHERE evidence_id = $1 ORDER BY seq")) \
	X(PLAN_SEAL_INSERT, SQL("INSERT INTO plan_statements (plan_id, as_of, title, " \
		"content, hash, created_by, sealer, created) VALUES ($1, $2, $3, $4, $5, $6, " \
		"$7, $8) RETURNING id")) \
	X(PLAN_SEALS, SQL("SELECT id, as_of, title, hash, sealer, created " \
		"FROM plan_statements WHERE plan_id = $1 ORDER BY id")) \
	X(PLAN_SEALS_ALL, SQL("SELECT id, plan_id, hash, content FROM plan_statements ORDER BY id")) \
	X(PLAN_SEAL_GET, SQL("SELECT id, as_of, title, hash, sealer, created, content " \
		"FROM plan_statements WHERE id = $1 AND plan_id = $2")) \
	/* every owner of a task past its deadline: plans_red_candidates keeps
	 * those the inbox has not been told about */ \
	X(PLAN_SWEEP_CANDIDATES, SQL("SELECT n.id, n.plan_id, n.milestone, n.target_e4, " \
		"n.metric, n.lead_org_id, lo.kind, p.org_id, n.title, po.org_id, n.unit, " \
		"n.deadline, p.year, p.title " \
		"FROM plan_owners po JOIN plan_nodes n ON n.id = po.node_id " \
		"JOIN plans p ON p.id = n.plan_id JOIN orgs lo ON lo.id = n.lead_org_id " \
		"WHERE n.deadline < $1 ORDER BY n.id, po.org_id")) \
	X(PLAN_REMINDER_TASKS, SQL("SELECT n.id, n.plan_id, p.title, n.title, " \
		"n.deadline, n.milestone, n.target_e4, n.unit, n.metric, n.lead_org_id, " \
		"lo.kind, p.org_id, p.year, p.due_soon_days, po.org_id, oo.name " \
		"FROM plan_owners po JOIN orgs oo ON oo.id = po.org_id " \
		"JOIN plan_nodes n ON n.id = po.node_id JOIN plans p ON p.id = n.plan_id " \
		"JOIN orgs lo ON lo.id = n.lead_org_id WHERE oo.path >= $1 " \
		"AND oo.path < $2 AND n.deadline <= $3 ORDER BY n.deadline, n.id, po.lead DESC"))

#endif
