/* SQL owned by the points ledger: points_rules, points_entries,
 * points_totals, points_appeals, points_sweep. */
#ifndef CHANGAI_POINTS_SQL_H
#define CHANGAI_POINTS_SQL_H

#define POINTS_RULE_COLS "r.id, r.org_id, r.code, r.title, r.holder_kind, r.source, " \
	"r.points, r.min_amount, coalesce(r.cap_day, 0), coalesce(r.cap_period, 0), " \
	"coalesce(r.cap_lifetime, 0), r.period, coalesce(r.expiry_days, 0), r.starts, " \
	"coalesce(r.ends, ''), r.state, r.applied, coalesce(r.created_by, 0), r.created, " \
	"o.name, o.path FROM points_rules r JOIN orgs o ON o.id = r.org_id "
#define POINTS_ENTRY_COLS "e.id, e.holder_kind, e.holder_id, e.org_id, e.kind, " \
	"e.source_key, coalesce(e.rule_id, 0), e.points, e.asked, e.on_date, " \
	"coalesce(e.expires, ''), coalesce(e.refers_to, 0), e.text, e.evidence, " \
	"coalesce(e.actor_id, 0), e.actor_name, e.created, " \
	"(SELECT coalesce(sum(x.points), 0) FROM points_entries x WHERE x.refers_to = e.id), " \
	"coalesce(r.code, ''), coalesce(r.title, ''), o.path, " \
	"coalesce((SELECT a.state FROM points_appeals a WHERE a.entry_id = e.id " \
	"ORDER BY a.id DESC LIMIT 1), '') FROM points_entries e " \
	"LEFT JOIN points_rules r ON r.id = e.rule_id JOIN orgs o ON o.id = e.org_id "
#define POINTS_APPEAL_COLS "a.id, a.entry_id, a.org_id, a.reason, a.state, " \
	"coalesce(a.by_id, 0), a.by_name, a.created, coalesce(a.decision_reason, ''), " \
	"coalesce(a.reviewed_by, 0), coalesce(a.reviewer, ''), coalesce(a.reviewed, 0), " \
	"coalesce(a.correction_id, 0), e.holder_kind, e.holder_id, e.points, e.text, " \
	"o.name, o.path FROM points_appeals a JOIN points_entries e ON e.id = a.entry_id " \
	"JOIN orgs o ON o.id = a.org_id "
#define POINTS_SQL(X) \
	X(POINTS_RULE_INSERT, "INSERT INTO points_rules (org_id, code, title, holder_kind, " \
		"source, points, min_amount, cap_day, cap_period, cap_lifetime, period, " \
		"expiry_days, starts, ends, created_by, created) VALUES ($1, $2, $3, $4, $5, $6, " \
		"$7, $8, $9, $10, $11, $12, $13, $14, $15, $16)", \
		"INSERT INTO points_rules (org_id, code, title, holder_kind, " \
		"source, points, min_amount, cap_day, cap_period, cap_lifetime, period, " \
		"expiry_days, starts, ends, created_by, created) VALUES ($1, $2, $3, $4, $5, $6, " \
		"$7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id") \
	X(POINTS_RULE_GET, SQL("SELECT " POINTS_RULE_COLS "WHERE r.id = $1")) \
	/* the rules of a subtree and of the orgs above it (whose rules reach it) */ \
	X(POINTS_RULES_IN, SQL("SELECT " POINTS_RULE_COLS "WHERE (o.path >= $1 AND o.path < $2) " \
		"OR substr($3, 1, length(o.path)) = o.path ORDER BY r.id DESC")) \
	/* a retired rule still takes the facts dated within its window */ \
	X(POINTS_RULES_TO_APPLY, SQL("SELECT id FROM points_rules WHERE source <> 'manual' " \
		"AND ($1 = 0 OR id = $1) ORDER BY id")) \
	X(POINTS_RULE_APPLIED, SQL("UPDATE points_rules SET applied = $2 WHERE id = $1")) \
	X(POINTS_RULE_RETIRE, SQL("UPDATE points_rules SET state = 'retired', ends = $2 " \
		"WHERE id = $1 AND state = 'active'")) \
	X(POINTS_ENTRY_INSERT, "INSERT INTO points_entries (holder_kind, holder_id, org_id, " \
		"kind, source_key, rule_id, points, asked, on_date, expires, refers_to, text, " \
		"evidence, actor_id, actor_name, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, " \
		"$9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (source_key) DO NOTHING", \
		"INSERT INTO points_entries (holder_kind, holder_id, org_id, " \
		"kind, source_key, rule_id, points, asked, on_date, expires, refers_to, text, " \
		"evidence, actor_id, actor_name, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, " \
		"$9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (source_key) DO NOTHING " \
		"RETURNING id") \
	X(POINTS_KEY_USED, SQL("SELECT count(*) FROM points_entries WHERE source_key = $1")) \
	X(POINTS_ENTRY_GET, SQL("SELECT " POINTS_ENTRY_COLS "WHERE e.id = $1")) \
	X(POINTS_ENTRY_BY_KEY, SQL("SELECT " POINTS_ENTRY_COLS "WHERE e.source_key = $1")) \
	X(POINTS_ENTRIES_OF, SQL("SELECT " POINTS_ENTRY_COLS "WHERE e.holder_kind = $1 " \
		"AND e.holder_id = $2 AND e.id < $3 ORDER BY e.id DESC LIMIT $4")) \
	X(POINTS_CORRECTED, SQL("SELECT coalesce(sum(points), 0) FROM points_entries " \
		"WHERE refers_to = $1")) \
	X(POINTS_RULE_SUM, SQL("SELECT coalesce(sum(points), 0) FROM points_entries " \
		"WHERE rule_id = $1 AND holder_kind = $2 AND holder_id = $3 AND on_date >= $4 " \
		"AND on_date <= $5 AND kind <> 'expiry'")) \
	X(POINTS_TOTAL_ADD, SQL("INSERT INTO points_totals (holder_kind, holder_id, period, " \
		"org_id, points, expired, entries, reached) VALUES ($1, $2, $3, $4, $5, $6, 1, $7) " \
		"ON CONFLICT (holder_kind, holder_id, period) DO UPDATE SET " \
		"points = points_totals.points + excluded.points, " \
		"expired = points_totals.expired + excluded.expired, " \
		"entries = points_totals.entries + 1, org_id = excluded.org_id, " \
		"reached = CASE WHEN excluded.reached > points_totals.reached " \
		"THEN excluded.reached ELSE points_totals.reached END")) \
	X(POINTS_TOTALS_OF, SQL("SELECT period, points, expired, entries, reached " \
		"FROM points_totals WHERE holder_kind = $1 AND holder_id = $2 " \
		"ORDER BY CASE WHEN period = 'all' THEN 0 ELSE 1 END, period DESC")) \
	/* keyset paging in the published order; the redundant points <= $5
	 * lets the index seek to the page */ \
	X(POINTS_BOARD, SQL("SELECT t.holder_id, t.org_id, t.points, t.reached, o.name, " \
		"coalesce(pa.name, '') FROM points_totals t JOIN orgs o ON o.id = t.org_id " \
		"LEFT JOIN orgs pa ON pa.id = o.parent_id WHERE t.holder_kind = $1 " \
		"AND t.period = $2 AND o.path >= $3 AND o.path < $4 AND t.points <= $5 " \
		"AND (t.points < $5 OR t.reached > $6 OR (t.reached = $6 AND t.holder_id > $7)) " \
		"ORDER BY t.points DESC, t.reached, t.holder_id LIMIT $8")) \
	/* every org holder of a subtree in a period, in the published order */ \
	X(POINTS_BOARD_ORGS, SQL("SELECT t.holder_id, t.points, t.reached FROM points_totals t " \
		"JOIN orgs o ON o.id = t.holder_id WHERE t.holder_kind = 'org' AND t.period = $1 " \
		"AND o.path >= $2 AND o.path < $3 ORDER BY t.points DESC, t.reached, t.holder_id")) \
	X(POINTS_APPEAL_INSERT, "INSERT INTO points_appeals (entry_id, org_id, reason, by_id, " \
		"by_name, created) VALUES ($1, $2, $3, $4, $5, $6)", \
		"INSERT INTO points_appeals (entry_id, org_id, reason, by_id, " \
		"by_name, created) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id") \
	X(POINTS_APPEAL_OPEN_FOR, SQL("SELECT count(*) FROM points_appeals WHERE entry_id = $1 " \
		"AND state = 'open'")) \
	X(POINTS_APPEAL_GET, SQL("SELECT " POINTS_APPEAL_COLS "WHERE a.id = $1")) \
	X(POINTS_APPEAL_DECIDE, SQL("UPDATE points_appeals SET state = $2, decision_reason = $3, " \
		"reviewed_by = $4, reviewer = $5, reviewed = $6, correction_id = $7 " \
		"WHERE id = $1 AND state = 'open'")) \
	X(POINTS_APPEALS_IN, SQL("SELECT " POINTS_APPEAL_COLS "WHERE o.path >= $1 " \
		"AND o.path < $2 AND (CAST($3 AS TEXT) = '' OR a.state = $3) AND a.id < $4 " \
		"ORDER BY a.id DESC LIMIT $5")) \
	/* due entries after the sweep's last day, in (expires, id) order from
	 * the last one this run looked at */ \
	X(POINTS_EXPIRING, SQL("SELECT e.id, e.expires FROM points_entries e " \
		"WHERE e.expires IS NOT NULL AND e.expires <= $1 AND e.expires > $2 " \
		"AND (e.expires > $3 OR (e.expires = $3 AND e.id > $4)) " \
		"AND e.kind IN ('rule', 'manual') AND NOT EXISTS (SELECT 1 FROM points_entries x " \
		"WHERE x.source_key = 'expiry:' || CAST(e.id AS TEXT)) " \
		"ORDER BY e.expires, e.id LIMIT $5")) \
	X(POINTS_SWEEP_GET, SQL("SELECT expired_through FROM points_sweep WHERE id = 1")) \
	X(POINTS_SWEEP_PUT, SQL("INSERT INTO points_sweep (id, expired_through) VALUES (1, $1) " \
		"ON CONFLICT (id) DO UPDATE SET expired_through = excluded.expired_through")) \
	/* the check, a range of holders at a time (points_check) */ \
	X(POINTS_CHECK_NEXT, SQL("SELECT coalesce((SELECT min(holder_id) FROM points_entries " \
		"WHERE holder_kind = $1 AND holder_id >= $2), 0), coalesce((SELECT min(holder_id) " \
		"FROM points_totals WHERE holder_kind = $1 AND holder_id >= $2), 0)")) \
	X(POINTS_CHECK_ENTRIES, SQL("SELECT holder_id, kind, points, on_date FROM points_entries " \
		"WHERE holder_kind = $1 AND holder_id >= $2 AND holder_id < $3 ORDER BY holder_id")) \
	X(POINTS_CHECK_TOTALS, SQL("SELECT holder_id, period, points, expired, entries, reached " \
		"FROM points_totals WHERE holder_kind = $1 AND holder_id >= $2 AND holder_id < $3")) \
	X(POINTS_HOLDERS, SQL("SELECT count(*) FROM points_totals WHERE period = 'all'")) \
	X(POINTS_METRIC_ORG, SQL("SELECT coalesce(sum(points), 0), count(*) FROM points_entries " \
		"WHERE holder_kind = 'org' AND holder_id = $1 AND on_date >= $2 AND on_date <= $3 " \
		"AND kind <> 'expiry'")) \
	X(POINTS_METRIC_WORKERS, SQL("SELECT coalesce(sum(e.points), 0), count(*) " \
		"FROM points_entries e JOIN orgs o ON o.id = e.org_id WHERE e.holder_kind = 'worker' " \
		"AND o.path >= $1 AND o.path < $2 AND e.on_date >= $3 AND e.on_date <= $4 " \
		"AND e.kind <> 'expiry'"))

#endif
