/* SQL owned by the organisation tree. */
#ifndef CHANGAI_ORGS_SQL_H
#define CHANGAI_ORGS_SQL_H

#define ORG_COLS "o.id, o.parent_id, o.kind, o.name, o.code, o.path, o.depth, " \
	"o.uscc, o.uscc_note, o.industry, o.above_scale, o.ownership, o.has_union, " \
	"o.employees, o.created, o.updated, " \
	"(SELECT count(*) FROM orgs c WHERE c.parent_id = o.id), o.disabled"

#define ORGS_SQL(X) \
	X(ORG_PATH_BY_ID, SQL("SELECT path, kind, depth FROM orgs WHERE id = $1")) \
	X(ORG_GET_SCOPED, SQL("SELECT " ORG_COLS " FROM orgs o WHERE o.id = $1 " \
		"AND o.path >= $2 AND o.path < $3")) \
	X(ORG_GET, SQL("SELECT " ORG_COLS " FROM orgs o WHERE o.id = $1")) \
	/* an edit reads its starting row after this, in its transaction: on \
	 * PostgreSQL the row is locked until commit (SQLite's one writer \
	 * already orders edits) */ \
	X(ORG_LOCK, "SELECT id FROM orgs WHERE id = $1", \
		"SELECT id FROM orgs WHERE id = $1 FOR UPDATE") \
	X(ORG_CHILDREN, SQL("SELECT " ORG_COLS " FROM orgs o WHERE o.parent_id = $1 " \
		"AND o.id > $2 AND (CAST($3 AS TEXT) IS NULL OR o.kind = $3) " \
		"ORDER BY o.id LIMIT $4")) \
	X(ORG_CHILDREN_COUNT, SQL("SELECT count(*) FROM orgs o WHERE o.parent_id = $1 " \
		"AND (CAST($2 AS TEXT) IS NULL OR o.kind = $2)")) \
	X(ORG_SUBTREE, SQL("SELECT " ORG_COLS " FROM orgs o WHERE o.path >= $1 " \
		"AND o.path < $2 AND o.id > $3 AND (CAST($4 AS TEXT) IS NULL OR o.kind = $4) " \
		"AND (CAST($5 AS TEXT) IS NULL OR lower(o.name) LIKE lower($5) ESCAPE '!' " \
		"OR o.uscc = $6 OR o.code = $6) ORDER BY o.id LIMIT $7")) \
	X(ORG_SUBTREE_COUNT, SQL("SELECT count(*) FROM orgs o WHERE o.path >= $1 " \
		"AND o.path < $2 AND (CAST($3 AS TEXT) IS NULL OR o.kind = $3) " \
		"AND (CAST($4 AS TEXT) IS NULL OR lower(o.name) LIKE lower($4) ESCAPE '!' " \
		"OR o.uscc = $5 OR o.code = $5)")) \
	X(ORG_INSERT, SQL("INSERT INTO orgs (parent_id, kind, name, code, path, depth, " \
		"uscc, uscc_note, industry, above_scale, ownership, has_union, employees, " \
		"created, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, " \
		"$12, $13, $14, $14) RETURNING id")) \
	X(ORG_SET_PATH, SQL("UPDATE orgs SET path = $1 WHERE id = $2")) \
	X(ORG_UPDATE, SQL("UPDATE orgs SET name = $1, code = $2, uscc = $3, " \
		"uscc_note = $4, industry = $5, above_scale = $6, ownership = $7, " \
		"has_union = $8, employees = $9, updated = $10 WHERE id = $11")) \
	X(ORG_MOVE_SUBTREE, SQL("UPDATE orgs SET path = CAST($1 AS TEXT) || " \
		"substr(path, $2), depth = depth + $3, updated = $4 " \
		"WHERE path >= $5 AND path < $6")) \
	X(ORG_SET_PARENT, SQL("UPDATE orgs SET parent_id = $1 WHERE id = $2")) \
	X(ORG_MAX_DEPTH_UNDER, SQL("SELECT max(depth) FROM orgs WHERE path >= $1 " \
		"AND path < $2")) \
	X(ORG_CHECK_ALL, SQL("SELECT c.id, c.path, c.depth, p.id, p.path, p.depth " \
		"FROM orgs c LEFT JOIN orgs p ON p.id = c.parent_id ORDER BY c.id")) \
	X(ORG_COUNT, SQL("SELECT count(*) FROM orgs")) \
	X(ORG_ACTIVE_CHILDREN, SQL("SELECT count(*) FROM orgs WHERE parent_id = $1 " \
		"AND disabled = 0")) \
	X(ORG_SET_DISABLED, SQL("UPDATE orgs SET disabled = $1, updated = $2 WHERE id = $3"))

#endif
