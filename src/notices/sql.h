/* SQL owned by the notices module: notices, notice_subjects and
 * notice_objections. */
#ifndef CHANGAI_NOTICES_SQL_H
#define CHANGAI_NOTICES_SQL_H

#define NOTICE_COLS "n.id, n.public_id, n.org_id, n.kind, n.title, n.body, n.contact, " \
	"n.days, n.day_kind, coalesce(n.starts, ''), coalesce(n.ends, ''), n.state, " \
	"n.owner_ref, n.listed, n.withdrawn, n.created_by, n.created, n.opened, n.closed, " \
	"o.name, o.path FROM notices n JOIN orgs o ON o.id = n.org_id "

#define NOTICES_SQL(X) \
	X(NOTICE_INSERT, "INSERT INTO notices (public_id, org_id, kind, title, body, contact, " \
		"days, day_kind, state, owner_ref, created_by, created) VALUES ($1, $2, $3, $4, " \
		"$5, $6, $7, $8, 'draft', $9, $10, $11)", \
		"INSERT INTO notices (public_id, org_id, kind, title, body, contact, " \
		"days, day_kind, state, owner_ref, created_by, created) VALUES ($1, $2, $3, $4, " \
		"$5, $6, $7, $8, 'draft', $9, $10, $11) RETURNING id") \
	X(NOTICE_SUBJECT_INSERT, SQL("INSERT INTO notice_subjects (notice_id, no, ref_kind, " \
		"ref_id, name, unit, text) VALUES ($1, $2, $3, $4, $5, $6, $7)")) \
	X(NOTICE_GET, SQL("SELECT " NOTICE_COLS "WHERE n.id = $1")) \
	X(NOTICE_GET_PUBLIC, SQL("SELECT " NOTICE_COLS \
		"WHERE n.public_id = $1 AND n.state <> 'draft'")) \
	X(NOTICE_UPDATE, SQL("UPDATE notices SET title = $2, body = $3, contact = $4, " \
		"days = $5, day_kind = $6 WHERE id = $1 AND state = 'draft'")) \
	X(NOTICE_OPEN, SQL("UPDATE notices SET state = 'open', starts = $2, ends = $3, " \
		"opened = $4 WHERE id = $1 AND state = 'draft'")) \
	X(NOTICE_RECOUNT, SQL("UPDATE notices SET " \
		"listed = (SELECT count(*) FROM notice_subjects s WHERE s.notice_id = $1 " \
		"AND s.state = 'listed'), " \
		"withdrawn = (SELECT count(*) FROM notice_subjects s WHERE s.notice_id = $1 " \
		"AND s.state = 'withdrawn') WHERE id = $1")) \
	X(NOTICE_SUBJECTS, SQL("SELECT id, no, ref_kind, ref_id, name, unit, text, state " \
		"FROM notice_subjects WHERE notice_id = $1 ORDER BY no")) \
	X(NOTICE_SUBJECTS_AFTER, SQL("SELECT id, no, ref_kind, ref_id, name, unit, text, state " \
		"FROM notice_subjects WHERE notice_id = $1 AND no > $2 ORDER BY no LIMIT $3")) \
	X(NOTICE_SUBJECT_BY_NO, SQL("SELECT id, state FROM notice_subjects " \
		"WHERE notice_id = $1 AND no = $2")) \
	X(NOTICE_SUBJECT_WITHDRAW, SQL("UPDATE notice_subjects SET state = 'withdrawn' " \
		"WHERE id = $1 AND state = 'listed'")) \
	X(NOTICE_RATE, SQL("SELECT count(*) FROM notice_objections " \
		"WHERE ip_hash = $1 AND created > $2")) \
	X(NOTICE_OBJECTION_INSERT, "INSERT INTO notice_objections (notice_id, subject_id, " \
		"name_enc, phone_enc, unit, text, ip_hash, created) VALUES ($1, $2, $3, $4, $5, " \
		"$6, $7, $8)", \
		"INSERT INTO notice_objections (notice_id, subject_id, " \
		"name_enc, phone_enc, unit, text, ip_hash, created) VALUES ($1, $2, $3, $4, $5, " \
		"$6, $7, $8) RETURNING id") \
	X(NOTICE_OBJECTION_GET, SQL("SELECT id, subject_id, decision FROM notice_objections " \
		"WHERE id = $1 AND notice_id = $2")) \
	X(NOTICE_OBJECTION_DECIDE, SQL("UPDATE notice_objections SET decision = $2, " \
		"reason = $3, decided_by = $4, decided = $5 WHERE id = $1 AND decision IS NULL")) \
	X(NOTICE_OBJECTIONS, SQL("SELECT x.id, coalesce(s.no, 0), x.name_enc, x.phone_enc, " \
		"x.unit, x.text, x.created, coalesce(x.decision, ''), coalesce(x.reason, ''), " \
		"x.decided FROM notice_objections x LEFT JOIN notice_subjects s " \
		"ON s.id = x.subject_id WHERE x.notice_id = $1 ORDER BY x.id")) \
	X(NOTICE_PENDING, SQL("SELECT count(*), sum(CASE WHEN decision IS NULL THEN 1 " \
		"ELSE 0 END) FROM notice_objections WHERE notice_id = $1")) \
	X(NOTICE_DUE, SQL("SELECT id FROM notices WHERE state = 'open' AND ends < $1 " \
		"ORDER BY id")) \
	X(NOTICE_CLOSE, SQL("UPDATE notices SET state = 'closed', closed = $2 " \
		"WHERE id = $1 AND state = 'open'")) \
	X(NOTICE_LIST, SQL("SELECT n.id, n.public_id, n.org_id, o.name, n.kind, n.title, " \
		"n.days, n.day_kind, coalesce(n.starts, ''), coalesce(n.ends, ''), n.state, " \
		"n.listed, n.withdrawn, n.created, " \
		"(SELECT count(*) FROM notice_objections x WHERE x.notice_id = n.id), " \
		"(SELECT count(*) FROM notice_objections x WHERE x.notice_id = n.id " \
		"AND x.decision IS NULL), " \
		"(SELECT count(*) FROM notice_subjects s WHERE s.notice_id = n.id) " \
		"FROM notices n JOIN orgs o ON o.id = n.org_id " \
		"WHERE o.path >= $1 AND o.path < $2 AND ($3 = '' OR n.state = $3) " \
		"AND ($4 = '' OR n.kind = $4) AND n.id < $5 ORDER BY n.id DESC LIMIT $6")) \
	X(NOTICE_COUNT, SQL("SELECT count(*) FROM notices n JOIN orgs o ON o.id = n.org_id " \
		"WHERE o.path >= $1 AND o.path < $2 AND ($3 = '' OR n.state = $3) " \
		"AND ($4 = '' OR n.kind = $4)"))

#endif
