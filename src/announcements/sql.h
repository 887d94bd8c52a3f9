/* SQL owned by the announcements: announcements, announcement_reads. */
#ifndef CHANGAI_ANNOUNCEMENTS_SQL_H
#define CHANGAI_ANNOUNCEMENTS_SQL_H

/* the accounts a notice reaches: a business grant on the sender's unit or
 * below it (go is the grant's org, a the notice) */
#define ANN_READER_ROLES "g.role IN ('admin', 'operator', 'viewer', 'department')"
#define ANN_REACHES "substr(go.path, 1, length(a.org_path)) = a.org_path"

#define ANN_COLS "a.id, a.org_id, o.name, a.org_path, a.title, a.author, a.created, " \
	"a.withdrawn, coalesce((SELECT r.read_at FROM announcement_reads r " \
	"WHERE r.announcement_id = a.id AND r.user_id = $1), 0), " \
	"(SELECT count(*) FROM announcement_reads r WHERE r.announcement_id = a.id)"

#define ANNOUNCEMENTS_SQL(X) \
	X(ANN_INSERT, SQL("INSERT INTO announcements (org_id, org_path, title, body, " \
		"created_by, author, created) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")) \
	X(ANN_MINE, SQL("SELECT " ANN_COLS " FROM announcements a JOIN orgs o ON o.id = a.org_id " \
		"WHERE a.withdrawn = 0 AND a.id < $2 AND EXISTS (SELECT 1 FROM grants g " \
		"JOIN orgs go ON go.id = g.org_id WHERE g.user_id = $1 AND " ANN_READER_ROLES \
		" AND " ANN_REACHES ") AND ($3 = 0 OR NOT EXISTS (SELECT 1 FROM " \
		"announcement_reads r WHERE r.announcement_id = a.id AND r.user_id = $1)) " \
		"ORDER BY a.id DESC LIMIT $4")) \
	X(ANN_UNREAD, SQL("SELECT count(*) FROM announcements a WHERE a.withdrawn = 0 " \
		"AND EXISTS (SELECT 1 FROM grants g JOIN orgs go ON go.id = g.org_id " \
		"WHERE g.user_id = $1 AND " ANN_READER_ROLES " AND " ANN_REACHES ") " \
		"AND NOT EXISTS (SELECT 1 FROM announcement_reads r " \
		"WHERE r.announcement_id = a.id AND r.user_id = $1)")) \
	X(ANN_SENT, SQL("SELECT " ANN_COLS " FROM announcements a JOIN orgs o ON o.id = a.org_id " \
		"WHERE a.org_path >= $2 AND a.org_path < $3 AND a.id < $4 " \
		"ORDER BY a.id DESC LIMIT $5")) \
	X(ANN_GET, SQL("SELECT " ANN_COLS ", a.body, a.created_by FROM announcements a " \
		"JOIN orgs o ON o.id = a.org_id WHERE a.id = $2")) \
	X(ANN_ADDRESSED, SQL("SELECT count(*) FROM announcements a WHERE a.id = $2 " \
		"AND EXISTS (SELECT 1 FROM grants g JOIN orgs go ON go.id = g.org_id " \
		"WHERE g.user_id = $1 AND " ANN_READER_ROLES " AND " ANN_REACHES ")")) \
	X(ANN_READ, SQL("INSERT INTO announcement_reads (announcement_id, user_id, read_at) " \
		"VALUES ($1, $2, $3) ON CONFLICT (announcement_id, user_id) DO NOTHING")) \
	X(ANN_WITHDRAW, SQL("UPDATE announcements SET withdrawn = $1 WHERE id = $2 " \
		"AND withdrawn = 0")) \
	X(ANN_RECEIPTS, SQL("SELECT go.id, go.name, go.kind, count(DISTINCT g.user_id), " \
		"count(DISTINCT r.user_id), coalesce(min(r.read_at), 0) FROM grants g " \
		"JOIN orgs go ON go.id = g.org_id LEFT JOIN announcement_reads r " \
		"ON r.announcement_id = $1 AND r.user_id = g.user_id " \
		"WHERE go.path >= $2 AND go.path < $3 AND " ANN_READER_ROLES " " \
		"GROUP BY go.id, go.name, go.kind, go.path ORDER BY go.path"))

#endif
