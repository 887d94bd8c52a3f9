/* SQL owned by the worker registry: workers, their events, rollups, jobs. */
#ifndef CHANGAI_WORKERS_SQL_H
#define CHANGAI_WORKERS_SQL_H

#define WORKER_COLS "w.id, w.org_id, w.org_path, w.name, w.id_enc, w.id_mask, " \
	"w.gender, w.birth_date, w.phone_enc, w.phone_mask, w.occupation, " \
	"w.occupation_code, w.skill_level, w.union_member, w.union_joined, " \
	"w.political_status, w.education, w.hired, w.status, w.created, w.updated, " \
	"o.name"

/* Filters shared by the list statements: $3.. level range, union, status. */
#define WORKER_FILTER \
	"w.skill_level >= $3 AND w.skill_level <= $4 " \
	"AND (CAST($5 AS BIGINT) IS NULL OR w.union_member = $5) " \
	"AND (CAST($6 AS TEXT) IS NULL OR w.status = $6) "

/* The list's row image, the "card": every field a list row shows but the
 * id and the org, as one JSON object in the row, so a page reads one
 * column per row instead of seventeen and writes it as it is. workers.c
 * writes it with each insert and update (workers_card_members, the fields
 * of the API's own worker object); migration 0010 gave existing rows
 * theirs; `changai check` holds every card to its row (WORKER_CARD_DRIFT).
 * This is its form in PostgreSQL, for that check (as jsonb, so escapes
 * and spacing do not count): optional text that is empty is null, as the
 * writer has it. */
#define WORKER_CARD_PG "json_build_object('name', w.name, 'id_no', w.id_mask, " \
	"'gender', w.gender, 'birth_date', w.birth_date, " \
	"'phone', NULLIF(w.phone_mask, ''), 'occupation', NULLIF(w.occupation, ''), " \
	"'occupation_code', NULLIF(w.occupation_code, ''), 'skill_level', w.skill_level, " \
	"'union_member', w.union_member = 1, 'union_joined', NULLIF(w.union_joined, ''), " \
	"'political_status', NULLIF(w.political_status, ''), " \
	"'education', NULLIF(w.education, ''), 'hired', NULLIF(w.hired, ''), " \
	"'status', w.status)"

/* WORKER_COLS' order for lists that show every column (exports, and
 * lists asked to unmask): the sealed ID number and phone only when $11 is
 * 1, no record times (lists do not show them). */
#define WORKER_LIST_COLS "w.id, w.org_id, w.org_path, w.name, " \
	"CASE WHEN CAST($11 AS BIGINT) = 1 THEN w.id_enc END, w.id_mask, " \
	"w.gender, w.birth_date, " \
	"CASE WHEN CAST($11 AS BIGINT) = 1 THEN w.phone_enc END, w.phone_mask, " \
	"w.occupation, w.occupation_code, w.skill_level, w.union_member, " \
	"w.union_joined, w.political_status, w.education, w.hired, w.status, " \
	"0, 0, o.name"
/* A masked list's columns: what the cursor and the org need, and the
 * card (workers_view_card knows this order); $11 is not used. */
#define WORKER_CARD_LIST_COLS "w.id, w.org_id, w.org_path, w.name, " \
	"w.skill_level, w.hired, o.name, w.card"

#define WORKER_LIST_SQL(cols, order_cols, after) \
	"SELECT " cols " FROM workers w JOIN orgs o ON o.id = w.org_id " \
	"WHERE w.org_path >= $1 AND w.org_path < $2 AND " WORKER_FILTER \
	"AND " after " ORDER BY " order_cols " LIMIT $10"
/* Each list order and search comes twice: WORKER_LIST_x reads every
 * column, WORKER_CARDS_x the card. (One statement serving both read the
 * mode on every row, seventeen times.) WORKER_LISTS2 is for a search
 * whose condition differs by engine. */
#define WORKER_CARDS_SQL(order_cols, after) \
	WORKER_LIST_SQL(WORKER_CARD_LIST_COLS, order_cols, \
	after " AND (CAST($11 AS BIGINT) IS NULL OR 1 = 1)")
#define WORKER_LISTS2(X, name, order_cols, after_lite, after_pg) \
	X(WORKER_LIST_##name, WORKER_LIST_SQL(WORKER_LIST_COLS, order_cols, after_lite), \
		WORKER_LIST_SQL(WORKER_LIST_COLS, order_cols, after_pg)) \
	X(WORKER_CARDS_##name, WORKER_CARDS_SQL(order_cols, after_lite), \
		WORKER_CARDS_SQL(order_cols, after_pg))
#define WORKER_LISTS(X, name, order_cols, after) \
	WORKER_LISTS2(X, name, order_cols, after, after)

/* $24 and $16: the card, which workers.c writes with the API's own
 * writer: built by SQL's JSON functions it added 12% to the instructions
 * an imported row costs, by the writer 3.5% */
#define WORKER_INSERT_SQL "INSERT INTO workers (org_id, org_path, name, id_hash, " \
	"id_enc, id_mask, id_p6, id_p10, id_p14, gender, birth_date, phone_enc, " \
	"phone_mask, occupation, occupation_code, skill_level, union_member, " \
	"union_joined, political_status, education, hired, status, created, updated, " \
	"card) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, " \
	"$16, $17, $18, $19, $20, $21, $22, $23, $23, $24) ON CONFLICT (id_hash) DO NOTHING"

#define WORKERS_SQL(X) \
	/* level ups (the fact workers.level_up), for the points ledger */ \
	X(WORKER_LEVEL_FACTS, SQL("SELECT e.id, e.worker_id, w.org_id, e.on_date, " \
		"CAST(coalesce(e.from_value, '0') AS INTEGER), CAST(e.to_value AS INTEGER) " \
		"FROM worker_events e JOIN workers w ON w.id = e.worker_id " \
		"JOIN orgs o ON o.id = w.org_id WHERE e.id > $1 AND e.kind = 'level' " \
		"AND CAST(e.to_value AS INTEGER) > CAST(coalesce(e.from_value, '0') AS INTEGER) " \
		"AND o.path >= $2 AND o.path < $3 AND e.on_date >= $4 " \
		"AND (CAST($5 AS TEXT) = '' OR e.on_date <= $5) ORDER BY e.id LIMIT $6")) \
	X(WORKER_EVENTS_SETTLED, SQL("SELECT id FROM worker_events WHERE created < $1 " \
		"ORDER BY id DESC LIMIT 1")) \
	X(WORKER_GET_SCOPED, SQL("SELECT " WORKER_COLS " FROM workers w " \
		"JOIN orgs o ON o.id = w.org_id WHERE w.id = $1 AND w.org_path >= $2 " \
		"AND w.org_path < $3")) \
	/* the row a change starts from, read inside its write transaction and, \
	 * on PostgreSQL, locked, so two edits of one worker apply one after the \
	 * other (SQLite's single writer already orders them) */ \
	X(WORKER_GET_SCOPED_LOCK, "SELECT " WORKER_COLS " FROM workers w " \
		"JOIN orgs o ON o.id = w.org_id WHERE w.id = $1 AND w.org_path >= $2 " \
		"AND w.org_path < $3", \
		"SELECT " WORKER_COLS " FROM workers w " \
		"JOIN orgs o ON o.id = w.org_id WHERE w.id = $1 AND w.org_path >= $2 " \
		"AND w.org_path < $3 FOR UPDATE OF w") \
	X(WORKER_BY_HASH, SQL("SELECT " WORKER_COLS " FROM workers w " \
		"JOIN orgs o ON o.id = w.org_id WHERE w.id_hash = $1")) \
	/* read with db_insert: RETURNING only where the engine needs it */ \
	X(WORKER_INSERT, WORKER_INSERT_SQL, WORKER_INSERT_SQL " RETURNING id") \
	/* the ID number and what derives from it never change */ \
	X(WORKER_UPDATE, SQL("UPDATE workers SET org_id = $1, org_path = $2, name = $3, " \
		"phone_enc = $4, phone_mask = $5, occupation = $6, occupation_code = $7, " \
		"skill_level = $8, union_member = $9, union_joined = $10, " \
		"political_status = $11, education = $12, hired = $13, status = $14, " \
		"updated = $15, card = $16 WHERE id = $17")) \
	X(WORKER_EVENT_INSERT, SQL("INSERT INTO worker_events (worker_id, on_date, kind, " \
		"from_value, to_value, source, job_id, actor_id, created) VALUES " \
		"($1, $2, $3, $4, $5, $6, $7, $8, $9)")) \
	/* the workers a transaction inserted ($1: a JSON array of their ids), \
	 * one statement for all of them */ \
	X(WORKER_REGISTERED_EVENTS, \
		"INSERT INTO worker_events (worker_id, on_date, kind, to_value, source, " \
		"job_id, actor_id, created) SELECT id, COALESCE($2, hired, $3), " \
		"'registered', org_path, $4, $5, $6, created FROM workers " \
		"WHERE id IN (SELECT value FROM json_each($1)) ORDER BY id", \
		"INSERT INTO worker_events (worker_id, on_date, kind, to_value, source, " \
		"job_id, actor_id, created) SELECT id, COALESCE(CAST($2 AS TEXT), hired, " \
		"CAST($3 AS TEXT)), 'registered', org_path, $4, $5, $6, created FROM workers " \
		"WHERE id IN (SELECT CAST(value AS BIGINT) FROM " \
		"json_array_elements_text(CAST($1 AS json))) ORDER BY id") \
	/* PostgreSQL's name index (pg_trgm) is an ordinary index */ \
	X(WORKER_NAMES_INDEX, \
		"INSERT INTO workers_fts (rowid, name) SELECT id, name FROM workers " \
		"WHERE id IN (SELECT value FROM json_each($1))", \
		"SELECT 1 WHERE CAST($1 AS TEXT) IS NULL") \
	/* an event whose values are org paths (registered, transfer) names \
	 * the orgs too: people read names, not paths */ \
	X(WORKER_EVENTS, SQL("SELECT e.id, e.on_date, e.kind, e.from_value, e.to_value, " \
		"e.source, e.job_id, e.created, fo.name, tob.name FROM worker_events e " \
		"LEFT JOIN orgs fo ON e.kind IN ('registered', 'transfer') AND fo.path = e.from_value " \
		"LEFT JOIN orgs tob ON e.kind IN ('registered', 'transfer') AND tob.path = e.to_value " \
		"WHERE e.worker_id = $1 ORDER BY e.on_date, e.id")) \
	/* $1 is the cursor's path when paging (never before the scope's \
	 * start): the index range then begins at the cursor */ \
	WORKER_LISTS(X, DEFAULT, "w.org_path, w.id", \
		"(w.org_path > $1 OR w.id > $8) AND (CAST($7 AS TEXT) IS NULL OR 1 = 1) " \
		"AND (CAST($9 AS TEXT) IS NULL OR 1 = 1)") \
	WORKER_LISTS(X, NAME, "w.name, w.id", \
		"(w.name > $7 OR (w.name = $7 AND w.id > $8)) AND (CAST($9 AS TEXT) IS NULL OR 1 = 1)") \
	WORKER_LISTS(X, LEVEL, "w.skill_level DESC, w.id", \
		"(w.skill_level < $9 OR (w.skill_level = $9 AND w.id > $8)) AND (CAST($7 AS TEXT) IS NULL OR 1 = 1)") \
	WORKER_LISTS(X, HIRED, "w.hired, w.id", \
		"(COALESCE(w.hired, '') > $7 OR (COALESCE(w.hired, '') = $7 AND w.id > $8)) " \
		"AND (CAST($9 AS TEXT) IS NULL OR 1 = 1)") \
	/* PostgreSQL's name index (pg_trgm) serves LIKE itself */ \
	WORKER_LISTS2(X, Q_NAME, "w.id", "w.id IN (SELECT rowid FROM workers_fts " \
		"WHERE workers_fts.name LIKE $7 ESCAPE '!') AND w.id > $8 AND (CAST($9 AS TEXT) IS NULL OR 1 = 1)", \
		"w.name LIKE $7 ESCAPE '!' AND w.id > $8 AND (CAST($9 AS TEXT) IS NULL OR 1 = 1)") \
	WORKER_LISTS(X, Q_SHORT, "w.id", \
		"w.name LIKE $7 ESCAPE '!' AND w.id > $8 AND (CAST($9 AS TEXT) IS NULL OR 1 = 1)") \
	WORKER_LISTS(X, Q_ID, "w.id", \
		"w.id_hash = $7 AND w.id > $8 AND (CAST($9 AS TEXT) IS NULL OR 1 = 1)") \
	WORKER_LISTS(X, Q_P6, "w.id", \
		"w.id_p6 = $7 AND w.id > $8 AND (CAST($9 AS TEXT) IS NULL OR 1 = 1)") \
	WORKER_LISTS(X, Q_P10, "w.id", \
		"w.id_p10 = $7 AND w.id > $8 AND (CAST($9 AS TEXT) IS NULL OR 1 = 1)") \
	WORKER_LISTS(X, Q_P14, "w.id", \
		"w.id_p14 = $7 AND w.id > $8 AND (CAST($9 AS TEXT) IS NULL OR 1 = 1)") \
	X(ROLLUP_ADD, SQL("INSERT INTO worker_rollup (org_id, skill_level, union_member, " \
		"status, n) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, skill_level, " \
		"union_member, status) DO UPDATE SET n = worker_rollup.n + excluded.n")) \
	X(ROLLUP_OF_ORG, SQL("SELECT skill_level, union_member, status, n FROM worker_rollup " \
		"WHERE org_id = $1 AND n <> 0")) \
	/* a list's total: the level range is a range of the key */ \
	X(ROLLUP_COUNT, SQL("SELECT CAST(COALESCE(sum(n), 0) AS BIGINT) FROM worker_rollup " \
		"WHERE org_id = $1 AND skill_level >= $2 AND skill_level <= $3 " \
		"AND (CAST($4 AS BIGINT) IS NULL OR union_member = $4) " \
		"AND (CAST($5 AS TEXT) IS NULL OR status = $5)")) \
	/* rows whose card is missing or no longer says what their columns say, \
	 * field by field (the bytes may differ: the writer and SQL escape \
	 * alike only in what input validation lets through) */ \
	X(WORKER_CARD_DRIFT, \
		"SELECT w.id, w.card IS NULL FROM workers w WHERE w.card IS NULL " \
		"OR json_valid(w.card) = 0 " \
		"OR json_extract(w.card, '$.name') IS NOT w.name " \
		"OR json_extract(w.card, '$.id_no') IS NOT w.id_mask " \
		"OR json_extract(w.card, '$.gender') IS NOT w.gender " \
		"OR json_extract(w.card, '$.birth_date') IS NOT w.birth_date " \
		"OR json_extract(w.card, '$.phone') IS NOT NULLIF(w.phone_mask, '') " \
		"OR json_extract(w.card, '$.occupation') IS NOT NULLIF(w.occupation, '') " \
		"OR json_extract(w.card, '$.occupation_code') IS NOT NULLIF(w.occupation_code, '') " \
		"OR json_extract(w.card, '$.skill_level') IS NOT w.skill_level " \
		"OR json_extract(w.card, '$.union_member') IS NOT w.union_member " \
		"OR json_extract(w.card, '$.union_joined') IS NOT NULLIF(w.union_joined, '') " \
		"OR json_extract(w.card, '$.political_status') IS NOT NULLIF(w.political_status, '') " \
		"OR json_extract(w.card, '$.education') IS NOT NULLIF(w.education, '') " \
		"OR json_extract(w.card, '$.hired') IS NOT NULLIF(w.hired, '') " \
		"OR json_extract(w.card, '$.status') IS NOT w.status ORDER BY w.id", \
		"SELECT w.id, CASE WHEN w.card IS NULL THEN 1 ELSE 0 END FROM workers w " \
		"WHERE w.card IS NULL OR CAST(w.card AS jsonb) <> " \
		"CAST(" WORKER_CARD_PG " AS jsonb) ORDER BY w.id") \
	X(ROLLUP_ALL, SQL("SELECT org_id, skill_level, union_member, status, n " \
		"FROM worker_rollup WHERE n <> 0 ORDER BY org_id, skill_level, union_member, status")) \
	X(WORKER_COUNT_BY_ORG, SQL("SELECT w.org_id, w.org_path, w.skill_level, " \
		"w.union_member, w.status, count(*) FROM workers w " \
		"GROUP BY w.org_id, w.org_path, w.skill_level, w.union_member, w.status")) \
	X(WORKER_REPATH, SQL("UPDATE workers SET org_path = CAST($1 AS TEXT) || " \
		"substr(org_path, $2) WHERE org_path >= $3 AND org_path < $4")) \
	X(ORG_IDS_IN_RANGE, SQL("SELECT id, path, kind, name, code, uscc, disabled FROM orgs " \
		"WHERE path >= $1 AND path < $2 ORDER BY path"))

#endif
