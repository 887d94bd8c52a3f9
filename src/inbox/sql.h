/* SQL owned by the inbox: inbox. */
#ifndef CHANGAI_INBOX_SQL_H
#define CHANGAI_INBOX_SQL_H

/* an entry is the user's own, or its org's where the user holds a grant
 * that reads (a unit's account sees what its unit is told) */
#define INBOX_MINE "(e.user_id = $1 OR e.org_id IN (SELECT g.org_id " \
	"FROM grants g WHERE g.user_id = $1 AND g.role IN ('admin', 'operator', " \
	"'viewer', 'department')))"

#define INBOX_SQL(X) \
	X(INBOX_INSERT, "INSERT INTO inbox (dedupe, org_id, user_id, source, kind, ref_kind, " \
		"ref_id, title, subject, link, message, message_en, created) VALUES ($1, $2, $3, " \
		"$4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (dedupe) DO NOTHING", \
		"INSERT INTO inbox (dedupe, org_id, user_id, source, kind, ref_kind, " \
		"ref_id, title, subject, link, message, message_en, created) VALUES ($1, $2, $3, " \
		"$4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (dedupe) DO NOTHING " \
		"RETURNING id") \
	X(INBOX_FORGET, SQL("DELETE FROM inbox WHERE ref_kind = $1 AND ref_id = $2")) \
	X(INBOX_HAS, SQL("SELECT count(*) FROM inbox WHERE dedupe = $1")) \
	X(INBOX_LIST, SQL("SELECT e.id, e.org_id, o.name, coalesce(e.user_id, 0), e.source, " \
		"e.kind, e.ref_kind, e.ref_id, e.title, e.subject, e.link, e.message, e.message_en, " \
		"e.created, e.read_at FROM inbox e JOIN orgs o ON o.id = e.org_id " \
		"WHERE " INBOX_MINE " AND e.id < $2 AND ($3 = 0 OR e.read_at = 0) " \
		"AND (CAST($4 AS TEXT) = '' OR e.source = $4) ORDER BY e.id DESC LIMIT $5")) \
	X(INBOX_UNREAD, SQL("SELECT count(*) FROM inbox e WHERE " INBOX_MINE " AND e.read_at = 0")) \
	X(INBOX_VISIBLE, SQL("SELECT e.id FROM inbox e WHERE e.id = $2 AND " INBOX_MINE)) \
	X(INBOX_READ, SQL("UPDATE inbox SET read_at = $1 WHERE id = $2 AND read_at = 0"))

#endif
