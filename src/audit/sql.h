/* SQL owned by the audit module. */
#ifndef CHANGAI_AUDIT_SQL_H
#define CHANGAI_AUDIT_SQL_H

#define AUDIT_FILTER \
	"WHERE ((org_path >= $1 AND org_path < $2) OR ($3 = 1 AND org_path IS NULL)) " \
	"AND (CAST($4 AS TEXT) IS NULL OR actor = $4) " \
	"AND (CAST($5 AS TEXT) IS NULL OR (action >= $5 AND action < $6)) " \
	"AND (CAST($7 AS BIGINT) IS NULL OR at >= $7) " \
	"AND (CAST($8 AS BIGINT) IS NULL OR at < $8) "

#define AUDIT_SQL(X) \
	X(AUDIT_HEAD_BUMP, SQL("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 " \
		"RETURNING seq, hash")) \
	X(AUDIT_HEAD_SET, SQL("UPDATE audit_head SET hash = $1 WHERE id = 1")) \
	X(AUDIT_HEAD_GET, SQL("SELECT seq, hash FROM audit_head WHERE id = 1")) \
	X(AUDIT_BY_TARGET, SQL("SELECT summary FROM audit WHERE action = $1 AND target = $2 " \
		"ORDER BY id LIMIT 1")) \
	X(AUDIT_ANY_KEYED, SQL("SELECT id FROM audit WHERE hash LIKE 'k:%' LIMIT 1")) \
	X(AUDIT_ARCHIVE_GET, SQL("SELECT upto_hash, mac FROM audit_archive WHERE upto_seq = $1")) \
	X(AUDIT_ARCHIVE_RECORD, SQL("SELECT upto_hash, mac, rows_archived, file_sha256 " \
		"FROM audit_archive WHERE upto_seq = $1")) \
	X(AUDIT_ARCHIVE_INSERT, SQL("INSERT INTO audit_archive (upto_seq, upto_hash, " \
		"rows_archived, file_sha256, at, mac) VALUES ($1, $2, $3, $4, $5, $6)")) \
	X(AUDIT_OLDEST, SQL("SELECT id, prev_hash FROM audit ORDER BY id LIMIT 1")) \
	X(AUDIT_FIRST_SINCE, SQL("SELECT min(id) FROM audit WHERE at >= $1")) \
	X(AUDIT_UPTO, SQL("SELECT id, at, actor_id, actor, ip, org_id, org_path, " \
		"action, target, result, summary, prev_hash, hash FROM audit " \
		"WHERE id <= $1 ORDER BY id")) \
	X(AUDIT_DELETE_UPTO, SQL("DELETE FROM audit WHERE id <= $1")) \
	X(AUDIT_INSERT, SQL("INSERT INTO audit (id, at, actor_id, actor, ip, org_id, " \
		"org_path, action, target, result, summary, prev_hash, hash) VALUES " \
		"($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")) \
	X(AUDIT_ALL, SQL("SELECT id, at, actor_id, actor, ip, org_id, org_path, " \
		"action, target, result, summary, prev_hash, hash FROM audit ORDER BY id")) \
	X(AUDIT_LIST, SQL("SELECT id, at, actor_id, actor, ip, org_id, org_path, " \
		"action, target, result, summary, hash FROM audit " AUDIT_FILTER \
		"AND id < $9 ORDER BY id DESC LIMIT $10")) \
	X(AUDIT_COUNT, SQL("SELECT count(*) FROM audit " AUDIT_FILTER \
		"AND (CAST($9 AS TEXT) IS NULL OR 1 = 1) AND (CAST($10 AS TEXT) IS NULL OR 1 = 1)"))

#endif
