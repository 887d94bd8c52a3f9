/* SQL owned by the evaluation module: eval_indexes, eval_nodes,
 * eval_classes, eval_members, eval_periods, eval_values, eval_scores,
 * eval_explains, eval_robust_runs, eval_robust, eval_proposals,
 * eval_proposal_units, eval_named. */
#ifndef CHANGAI_EVALUATION_SQL_H
#define CHANGAI_EVALUATION_SQL_H

#define EVAL_INDEX_COLS "x.id, x.org_id, x.title, x.unit_kind, x.stars, x.created_by, " \
	"x.created, x.updated, o.name, o.path FROM eval_indexes x JOIN orgs o ON o.id = x.org_id "
#define EVAL_NODE_COLS "id, coalesce(parent_id, 0), kind, seq, code, title, unit, weight, " \
	"coalesce(metric, ''), reported, method, cap FROM eval_nodes "
#define EVAL_PERIOD_COLS "id, index_id, label, starts, ends, state, coalesce(job_id, 0), " \
	"coalesce(computed, 0), units, coalesce(sealed, 0), coalesce(sealed_by, 0), " \
	"coalesce(hash, ''), computations, coalesce(report_due, '') FROM eval_periods "
#define EVAL_VALUE_COLS "v.id, v.period_id, v.org_id, v.node_id, v.value, v.note, v.state, " \
	"coalesce(v.entered_by, 0), v.entered_name, v.entered, coalesce(v.reviewed_by, 0), " \
	"v.reviewed_name, coalesce(v.reviewed, 0), v.reason, n.code, o.name, o.path " \
	"FROM eval_values v JOIN eval_nodes n ON n.id = v.node_id JOIN orgs o ON o.id = v.org_id "
#define EVAL_SCORE_COLS "s.period_id, s.org_id, s.class_id, s.total, s.place, s.stars, " \
	"s.vetoed, s.scores, o.name, o.path, s.pos "

#define EVALUATION_SQL(X) \
	X(EVAL_INDEX_INSERT, "INSERT INTO eval_indexes (org_id, title, unit_kind, stars, " \
		"created_by, created, updated) VALUES ($1, $2, $3, $4, $5, $6, $6)", \
		"INSERT INTO eval_indexes (org_id, title, unit_kind, stars, " \
		"created_by, created, updated) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id") \
	X(EVAL_INDEX_GET, SQL("SELECT " EVAL_INDEX_COLS "WHERE x.id = $1")) \
	X(EVAL_INDEX_ALL, SQL("SELECT " EVAL_INDEX_COLS "ORDER BY x.id")) \
	X(EVAL_INDEX_TOUCH, SQL("UPDATE eval_indexes SET updated = $2 WHERE id = $1")) \
	X(EVAL_NODES, SQL("SELECT " EVAL_NODE_COLS "WHERE index_id = $1")) \
	X(EVAL_NODE_GET, SQL("SELECT " EVAL_NODE_COLS "WHERE id = $1 AND index_id = $2")) \
	X(EVAL_NODE_INSERT, "INSERT INTO eval_nodes (index_id, parent_id, kind, seq, code, " \
		"title, unit, weight, metric, reported, method, cap) VALUES ($1, $2, $3, " \
		"(SELECT coalesce(max(seq), 0) + 1 FROM eval_nodes WHERE index_id = $1 AND " \
		"coalesce(parent_id, 0) = coalesce($2, 0)), $4, $5, $6, $7, $8, $9, $10, $11)", \
		"INSERT INTO eval_nodes (index_id, parent_id, kind, seq, code, " \
		"title, unit, weight, metric, reported, method, cap) VALUES ($1, $2, $3, " \
		"(SELECT coalesce(max(seq), 0) + 1 FROM eval_nodes WHERE index_id = $1 AND " \
		"coalesce(parent_id, 0) = coalesce(CAST($2 AS BIGINT), 0)), $4, $5, $6, $7, $8, $9, " \
		"$10, $11) RETURNING id") \
	X(EVAL_NODE_UPDATE, SQL("UPDATE eval_nodes SET parent_id = $2, title = $3, unit = $4, " \
		"weight = $5, metric = $6, reported = $7, method = $8, cap = $9 " \
		"WHERE id = $1 AND index_id = $10")) \
	X(EVAL_NODE_USES, SQL("SELECT (SELECT count(*) FROM eval_nodes WHERE parent_id = $1), " \
		"(SELECT count(*) FROM eval_values WHERE node_id = $1)")) \
	X(EVAL_NODE_DELETE, SQL("DELETE FROM eval_nodes WHERE id = $1 AND index_id = $2")) \
	X(EVAL_CLASS_INSERT, "INSERT INTO eval_classes (index_id, name, weights, methods) " \
		"VALUES ($1, $2, $3, $4)", "INSERT INTO eval_classes (index_id, name, weights, " \
		"methods) VALUES ($1, $2, $3, $4) RETURNING id") \
	X(EVAL_CLASS_UPDATE, SQL("UPDATE eval_classes SET name = $3, weights = $4, methods = $5 " \
		"WHERE index_id = $1 AND id = $2")) \
	X(EVAL_CLASS_SEALED_USE, SQL("SELECT count(*) FROM eval_scores s JOIN eval_periods p " \
		"ON p.id = s.period_id WHERE p.index_id = $1 AND p.state = 'sealed' " \
		"AND s.class_id = $2")) \
	X(EVAL_CLASS_DELETE, SQL("DELETE FROM eval_classes WHERE index_id = $1 AND id = $2")) \
	X(EVAL_CLASS_NAMED, SQL("SELECT id FROM eval_classes WHERE index_id = $1 AND name = $2")) \
	X(EVAL_CLASS_GET, SQL("SELECT k.id, k.index_id, k.name, k.weights, k.methods, " \
		"(SELECT count(*) FROM eval_members m WHERE m.class_id = k.id) " \
		"FROM eval_classes k WHERE k.index_id = $1 AND k.id = $2")) \
	X(EVAL_CLASSES, SQL("SELECT k.id, k.index_id, k.name, k.weights, k.methods, " \
		"(SELECT count(*) FROM eval_members m WHERE m.class_id = k.id) " \
		"FROM eval_classes k WHERE k.index_id = $1 ORDER BY k.id")) \
	X(EVAL_MEMBERS_CLEAR, SQL("DELETE FROM eval_members WHERE class_id = $1")) \
	X(EVAL_MEMBER_PUT, SQL("INSERT INTO eval_members (index_id, org_id, class_id) " \
		"VALUES ($1, $2, $3) ON CONFLICT (index_id, org_id) DO UPDATE SET " \
		"class_id = excluded.class_id")) \
	X(EVAL_MEMBERS, SQL("SELECT org_id, class_id FROM eval_members WHERE index_id = $1 " \
		"ORDER BY org_id")) \
	/* the units of an index: orgs of its kind strictly below its org */ \
	X(EVAL_UNIT_IN, SQL("SELECT o.id FROM orgs o WHERE o.id = $1 AND o.kind = $2 " \
		"AND o.path > $3 AND o.path < $4")) \
	X(EVAL_UNITS, SQL("SELECT o.id, o.path, o.name, o.above_scale, " \
		"coalesce(o.ownership, ''), coalesce(o.industry, '') FROM orgs o WHERE o.kind = $1 " \
		"AND o.path > $2 AND o.path < $3 ORDER BY o.id")) \
	X(EVAL_PERIOD_INSERT, "INSERT INTO eval_periods (index_id, label, starts, ends, " \
		"report_due) VALUES ($1, $2, $3, $4, $5)", "INSERT INTO eval_periods (index_id, " \
		"label, starts, ends, report_due) VALUES ($1, $2, $3, $4, $5) RETURNING id") \
	X(EVAL_PERIOD_DUE, SQL("UPDATE eval_periods SET report_due = $2 WHERE id = $1 " \
		"AND state = 'open'")) \
	/* open periods whose reporting deadline has passed, for the reminders */ \
	X(EVAL_PERIODS_OVERDUE, SQL("SELECT id FROM eval_periods WHERE state = 'open' " \
		"AND report_due IS NOT NULL AND report_due < $1 ORDER BY id")) \
	/* per unit, the reported nodes that have a value standing (not returned) */ \
	X(EVAL_REPORTED_BY_UNIT, SQL("SELECT v.org_id, count(DISTINCT v.node_id) FROM eval_values v " \
		"JOIN eval_nodes n ON n.id = v.node_id WHERE v.period_id = $1 AND n.reported = 1 " \
		"AND v.state <> 'returned' GROUP BY v.org_id ORDER BY v.org_id")) \
	X(EVAL_REPORTED_NODES, SQL("SELECT count(*) FROM eval_nodes WHERE index_id = $1 " \
		"AND reported = 1")) \
	X(EVAL_PERIOD_LABELLED, SQL("SELECT id FROM eval_periods WHERE index_id = $1 " \
		"AND label = $2")) \
	X(EVAL_PERIOD_GET, SQL("SELECT " EVAL_PERIOD_COLS "WHERE id = $1")) \
	/* a seal or a computation's write reads the state it changes after \
	 * this, in its transaction (a row lock on PostgreSQL) */ \
	X(EVAL_PERIOD_LOCK, "SELECT id FROM eval_periods WHERE id = $1", \
		"SELECT id FROM eval_periods WHERE id = $1 FOR UPDATE") \
	X(EVAL_PERIODS, SQL("SELECT " EVAL_PERIOD_COLS "WHERE index_id = $1 ORDER BY starts, id")) \
	X(EVAL_PERIOD_QUEUED, SQL("UPDATE eval_periods SET job_id = $2 WHERE id = $1 " \
		"AND state = 'open'")) \
	X(EVAL_PERIOD_COMPUTED, SQL("UPDATE eval_periods SET computed = $2, units = $3, " \
		"computations = computations + 1 " \
		"WHERE id = $1 AND state = 'open'")) \
	X(EVAL_PERIOD_SEAL, SQL("UPDATE eval_periods SET state = 'sealed', sealed = $2, " \
		"sealed_by = $3, hash = $4 WHERE id = $1 AND state = 'open'")) \
	X(EVAL_PERIODS_SEALED, SQL("SELECT id, index_id, label, hash FROM eval_periods " \
		"WHERE state = 'sealed' ORDER BY id")) \
	/* one text for both stores: the row is read back by its key, since
	 * SQLite's last rowid is the upsert's only when it inserted */ \
	X(EVAL_VALUE_PUT, SQL("INSERT INTO eval_values (period_id, org_id, node_id, value, note, " \
		"state, entered_by, entered_name, entered) VALUES ($1, $2, $3, $4, $5, $6, $7, " \
		"$8, $9) ON CONFLICT (period_id, org_id, node_id) DO UPDATE SET " \
		"value = excluded.value, note = excluded.note, state = excluded.state, " \
		"entered_by = excluded.entered_by, entered_name = excluded.entered_name, " \
		"entered = excluded.entered, reviewed_by = NULL, reviewed_name = '', " \
		"reviewed = NULL, reason = ''")) \
	X(EVAL_VALUE_AT, SQL("SELECT " EVAL_VALUE_COLS "WHERE v.period_id = $1 AND v.org_id = $2 " \
		"AND v.node_id = $3")) \
	X(EVAL_VALUE_GET, SQL("SELECT " EVAL_VALUE_COLS "WHERE v.period_id = $1 AND v.id = $2")) \
	X(EVAL_VALUE_REVIEW, SQL("UPDATE eval_values SET state = $2, reviewed_by = $3, " \
		"reviewed_name = $4, reviewed = $5, reason = $6 WHERE id = $1 " \
		"AND state = 'submitted'")) \
	X(EVAL_VALUES_PAGE, SQL("SELECT " EVAL_VALUE_COLS "WHERE v.period_id = $1 " \
		"AND o.path >= $2 AND o.path < $3 AND (CAST($4 AS TEXT) IS NULL OR v.state = $4) " \
		"AND v.id > $5 ORDER BY v.id LIMIT $6")) \
	X(EVAL_VALUES_COUNT, SQL("SELECT count(*) FROM eval_values v JOIN orgs o " \
		"ON o.id = v.org_id WHERE v.period_id = $1 AND o.path >= $2 AND o.path < $3 " \
		"AND (CAST($4 AS TEXT) IS NULL OR v.state = $4)")) \
	/* what a computation reads: every accepted value of the period */ \
	/* the collection template: the units of a kind in [lo, hi), their values */ \
	X(EVAL_UNITS_IN, SQL("SELECT o.id, o.name FROM orgs o WHERE o.kind = $1 AND o.path >= $2 " \
		"AND o.path < $3 ORDER BY o.path")) \
	X(EVAL_VALUES_IN, SQL("SELECT v.org_id, v.node_id, v.value, v.note, v.state, v.reason " \
		"FROM eval_values v JOIN orgs o ON o.id = v.org_id WHERE v.period_id = $1 " \
		"AND o.path >= $2 AND o.path < $3")) \
	X(EVAL_VALUES_ACCEPTED, SQL("SELECT " EVAL_VALUE_COLS "WHERE v.period_id = $1 " \
		"AND v.state = 'accepted' ORDER BY v.org_id, v.node_id")) \
	X(EVAL_SCORES_CLEAR, SQL("DELETE FROM eval_scores WHERE period_id = $1")) \
	X(EVAL_EXPLAINS_CLEAR, SQL("DELETE FROM eval_explains WHERE period_id = $1")) \
	X(EVAL_SCORE_INSERT, SQL("INSERT INTO eval_scores (period_id, org_id, class_id, total, " \
		"place, stars, vetoed, scores, pos) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")) \
	X(EVAL_EXPLAIN_INSERT, SQL("INSERT INTO eval_explains (period_id, org_id, detail) " \
		"VALUES ($1, $2, $3)")) \
	/* $7: a period to compare with (0: none), its row joined by unit */ \
	X(EVAL_SCORES_PAGE, SQL("SELECT " EVAL_SCORE_COLS ", b.place, b.total, b.class_id, " \
		"b.vetoed FROM eval_scores s JOIN orgs o ON o.id = s.org_id LEFT JOIN eval_scores b " \
		"ON b.period_id = $7 AND b.org_id = s.org_id WHERE s.period_id = $1 " \
		"AND ($2 = 0 OR s.class_id = $2) AND o.path >= $3 AND o.path < $4 AND s.pos > $5 " \
		"ORDER BY s.pos LIMIT $6")) \
	X(EVAL_SCORES_COUNT, SQL("SELECT count(*) FROM eval_scores s JOIN orgs o " \
		"ON o.id = s.org_id WHERE s.period_id = $1 AND ($2 = 0 OR s.class_id = $2) " \
		"AND o.path >= $3 AND o.path < $4")) \
	/* every unit of the index is in its subtree: no join to count them */ \
	X(EVAL_SCORES_COUNT_ALL, SQL("SELECT count(*) FROM eval_scores s WHERE s.period_id = $1 " \
		"AND ($2 = 0 OR s.class_id = $2)")) \
	X(EVAL_SCORE_GET, SQL("SELECT " EVAL_SCORE_COLS ", e.detail FROM eval_scores s " \
		"JOIN orgs o ON o.id = s.org_id JOIN eval_explains e ON e.period_id = s.period_id " \
		"AND e.org_id = s.org_id WHERE s.period_id = $1 AND s.org_id = $2")) \
	/* the sealed hash reads the rows in one order, every column as text */ \
	X(EVAL_SCORES_HASHED, SQL("SELECT s.org_id, s.class_id, s.total, s.place, s.stars, " \
		"s.vetoed, s.scores, coalesce(e.detail, ''), s.pos FROM eval_scores s LEFT JOIN eval_explains e " \
		"ON e.period_id = s.period_id AND e.org_id = s.org_id WHERE s.period_id = $1 " \
		"ORDER BY s.org_id")) \
	/* robustness: what a run reads, its run row, its units */ \
	X(EVAL_ROBUST_INPUT, SQL("SELECT s.org_id, s.class_id, e.detail FROM eval_scores s " \
		"JOIN eval_explains e ON e.period_id = s.period_id AND e.org_id = s.org_id " \
		"WHERE s.period_id = $1 ORDER BY s.pos")) \
	X(EVAL_WHATIF_INPUT, SQL("SELECT s.org_id, s.class_id, e.detail, s.total, s.place, " \
		"s.vetoed, o.name FROM eval_scores s JOIN orgs o ON o.id = s.org_id " \
		"JOIN eval_explains e ON e.period_id = s.period_id AND e.org_id = s.org_id " \
		"WHERE s.period_id = $1 ORDER BY s.pos")) \
	X(EVAL_ROBUST_RUN_PUT, SQL("INSERT INTO eval_robust_runs (period_id, job_id, " \
		"replications, spread, seed, top_n, methods, requested, requested_by) " \
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (period_id) DO UPDATE SET " \
		"job_id = excluded.job_id, replications = excluded.replications, " \
		"spread = excluded.spread, seed = excluded.seed, top_n = excluded.top_n, " \
		"methods = excluded.methods, requested = excluded.requested, " \
		"requested_by = excluded.requested_by, computation = NULL, done = NULL, unstable = 0")) \
	X(EVAL_ROBUST_RUN_GET, SQL("SELECT period_id, coalesce(job_id, 0), replications, spread, " \
		"seed, top_n, methods, requested, coalesce(requested_by, 0), coalesce(computation, 0), " \
		"coalesce(done, 0), unstable FROM eval_robust_runs WHERE period_id = $1")) \
	X(EVAL_ROBUST_CLEAR, SQL("DELETE FROM eval_robust WHERE period_id = $1")) \
	X(EVAL_ROBUST_INSERT, SQL("INSERT INTO eval_robust (period_id, org_id, place, best, p05, " \
		"median, p95, worst, top_share, verdict) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, " \
		"$9, $10)")) \
	X(EVAL_ROBUST_DONE, SQL("UPDATE eval_robust_runs SET done = $3, computation = $4, " \
		"unstable = $5 WHERE period_id = $1 AND job_id = $2")) \
	X(EVAL_ROBUST_PAGE, SQL("SELECT r.org_id, o.name, s.class_id, r.place, r.best, r.p05, " \
		"r.median, r.p95, r.worst, r.top_share, r.verdict, s.pos FROM eval_robust r " \
		"JOIN eval_scores s ON s.period_id = r.period_id AND s.org_id = r.org_id " \
		"JOIN orgs o ON o.id = r.org_id WHERE r.period_id = $1 AND ($2 = 0 OR s.class_id = $2) " \
		"AND o.path >= $3 AND o.path < $4 AND (CAST($5 AS TEXT) IS NULL OR r.verdict = $5) " \
		"AND s.pos > $6 ORDER BY s.pos LIMIT $7")) \
	X(EVAL_ROBUST_COUNT, SQL("SELECT count(*) FROM eval_robust r JOIN eval_scores s " \
		"ON s.period_id = r.period_id AND s.org_id = r.org_id JOIN orgs o ON o.id = r.org_id " \
		"WHERE r.period_id = $1 AND ($2 = 0 OR s.class_id = $2) AND o.path >= $3 " \
		"AND o.path < $4 AND (CAST($5 AS TEXT) IS NULL OR r.verdict = $5)")) \
	/* 典型式引领: the units not vetoed, by class and place, with the latest \
	 * robustness verdict */ \
	X(EVAL_CANDIDATE_SCAN, SQL("SELECT s.org_id, s.class_id, s.total, s.pos, o.name, o.path, " \
		"r.verdict, r.top_share FROM eval_scores s JOIN orgs o ON o.id = s.org_id " \
		"LEFT JOIN eval_robust r ON r.period_id = s.period_id AND r.org_id = s.org_id " \
		"WHERE s.period_id = $1 AND s.vetoed = 0 ORDER BY s.class_id, s.pos")) \
	X(EVAL_PROPOSAL_INSERT, "INSERT INTO eval_proposals (period_id, honour, year, top_n, " \
		"min_total, state, proposed_by, proposed_name, proposed) VALUES ($1, $2, $3, $4, $5, " \
		"'submitted', $6, $7, $8)", "INSERT INTO eval_proposals (period_id, honour, year, " \
		"top_n, min_total, state, proposed_by, proposed_name, proposed) VALUES ($1, $2, $3, " \
		"$4, $5, 'submitted', $6, $7, $8) RETURNING id") \
	X(EVAL_PROPOSAL_RESUBMIT, SQL("UPDATE eval_proposals SET top_n = $2, min_total = $3, " \
		"state = 'submitted', proposed_by = $4, proposed_name = $5, proposed = $6 " \
		"WHERE id = $1 AND state = 'returned'")) \
	X(EVAL_PROPOSAL_GET, SQL("SELECT id, period_id, honour, year, coalesce(top_n, 0), " \
		"coalesce(min_total, 0), min_total IS NOT NULL, state, coalesce(proposed_by, 0), " \
		"proposed_name, proposed, coalesce(reviewed_by, 0), reviewed_name, " \
		"coalesce(reviewed, 0), review_reason, coalesce(notice_id, 0), coalesce(named, 0), " \
		"(SELECT count(*) FROM eval_proposal_units u WHERE u.proposal_id = eval_proposals.id " \
		"AND u.state = 'listed') FROM eval_proposals WHERE id = $1")) \
	X(EVAL_PROPOSALS, SQL("SELECT id FROM eval_proposals WHERE period_id = $1 ORDER BY id")) \
	X(EVAL_PROPOSAL_REVIEW, SQL("UPDATE eval_proposals SET state = $2, reviewed_by = $3, " \
		"reviewed_name = $4, reviewed = $5, review_reason = $6 WHERE id = $1 " \
		"AND state = 'submitted'")) \
	X(EVAL_PROPOSAL_NOTICED, SQL("UPDATE eval_proposals SET state = 'noticed', notice_id = $2 " \
		"WHERE id = $1 AND state = 'approved'")) \
	X(EVAL_PROPOSAL_NAMED, SQL("UPDATE eval_proposals SET state = 'named', named = $2 " \
		"WHERE id = $1 AND state = 'noticed'")) \
	X(EVAL_PROPOSAL_UNITS_CLEAR, SQL("DELETE FROM eval_proposal_units WHERE proposal_id = $1")) \
	X(EVAL_PROPOSAL_UNIT_PUT, SQL("INSERT INTO eval_proposal_units (proposal_id, org_id, " \
		"class_id, place, total, state, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)")) \
	X(EVAL_PROPOSAL_UNITS, SQL("SELECT u.org_id, u.class_id, u.place, u.total, u.state, " \
		"u.reason, o.name FROM eval_proposal_units u JOIN orgs o ON o.id = u.org_id " \
		"WHERE u.proposal_id = $1 ORDER BY u.state <> 'left_out' DESC, u.class_id, u.place, " \
		"u.org_id")) \
	X(EVAL_PROPOSAL_UNIT_WITHDRAW, SQL("UPDATE eval_proposal_units SET state = 'withdrawn' " \
		"WHERE proposal_id = $1 AND org_id = $2 AND state = 'listed'")) \
	X(EVAL_NAMED_PUT, SQL("INSERT INTO eval_named (org_id, year, honour, proposal_id, named) " \
		"SELECT u.org_id, p.year, p.honour, p.id, $2 FROM eval_proposal_units u " \
		"JOIN eval_proposals p ON p.id = u.proposal_id WHERE u.proposal_id = $1 " \
		"AND u.state = 'listed' ON CONFLICT (org_id, year, honour) DO NOTHING")) \
	X(EVAL_NAMED_PAGE, SQL("SELECT n.org_id, o.name, n.year, n.honour, n.proposal_id, n.named " \
		"FROM eval_named n JOIN orgs o ON o.id = n.org_id WHERE o.path >= $1 AND o.path < $2 " \
		"AND ($3 = 0 OR n.year = $3) ORDER BY n.year DESC, n.honour, o.path LIMIT $4"))

#endif
