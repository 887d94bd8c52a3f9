#include "audit/audit.h"

#include <string.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/util.h"
#include "db/db.h"

static const char genesis[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void
put_field(struct buf *b, const char *s)
{
	if (!s)
		s = "";
	/* length-prefixed, so no choice of field contents can make two
	 * different rows serialise to the same bytes */
	buf_printf(b, "%zu:", strlen(s));
	buf_puts(b, s);
	buf_putc(b, '|');
}

void
audit_row_hash(const char *prev_hash, int64_t id, int64_t at, int64_t actor_id,
    const char *actor, const char *ip, int64_t org_id, const char *org_path,
    const char *action, const char *target, const char *result,
    const char *summary, char out[65])
{
	struct buf b;

	buf_init(&b, 1u << 22);
	buf_printf(&b, "changai-audit-v1|%s|%lld|%lld|%lld|%lld|", prev_hash,
	    (long long)id, (long long)at, (long long)actor_id, (long long)org_id);
	put_field(&b, actor);
	put_field(&b, ip);
	put_field(&b, org_path);
	put_field(&b, action);
	put_field(&b, target);
	put_field(&b, result);
	put_field(&b, summary);
	crypto_sha256_hex(b.data ? b.data : "", b.len, out);
	buf_free(&b);
}

int
audit_append(struct db_conn *c, const struct audit_entry *e)
{
	char prev[65], hash[65];
	int64_t seq, at = clock_real();
	int rc;

	rc = db_prep(c, AUDIT_HEAD_BUMP);
	if (rc)
		return rc;
	rc = db_one(c);
	if (rc) {
		db_done(c);
		return rc == ERR_NOTFOUND ? ERR_DB : rc;
	}
	seq = db_col_int(c, 0);
	str_copy(prev, sizeof(prev), db_col_text(c, 1) ? db_col_text(c, 1) : "");
	db_done(c);
	/* hash exactly what is stored, defaults included */
	audit_row_hash(prev, seq, at, e->actor_id, e->actor ? e->actor : "-",
	    e->ip ? e->ip : "-", e->org_id, e->org_path, e->action,
	    e->target ? e->target : "", e->result ? e->result : "ok",
	    e->summary ? e->summary : "{}", hash);
	rc = db_prep(c, AUDIT_INSERT);
	if (rc)
		return rc;
	db_bind_int(c, 1, seq);
	db_bind_int(c, 2, at);
	if (e->actor_id)
		db_bind_int(c, 3, e->actor_id);
	else
		db_bind_null(c, 3);
	db_bind_text(c, 4, e->actor ? e->actor : "-");
	db_bind_text(c, 5, e->ip ? e->ip : "-");
	if (e->org_id)
		db_bind_int(c, 6, e->org_id);
	else
		db_bind_null(c, 6);
	db_bind_text(c, 7, e->org_path && *e->org_path ? e->org_path : NULL);
	db_bind_text(c, 8, e->action);
	db_bind_text(c, 9, e->target ? e->target : "");
	db_bind_text(c, 10, e->result ? e->result : "ok");
	db_bind_text(c, 11, e->summary ? e->summary : "{}");
	db_bind_text(c, 12, prev);
	db_bind_text(c, 13, hash);
	rc = db_run(c);
	if (rc)
		return rc;
	rc = db_prep(c, AUDIT_HEAD_SET);
	if (rc)
		return rc;
	db_bind_text(c, 1, hash);
	return db_run(c);
}

int
audit_append_tx(struct db *db, const struct audit_entry *e)
{
	struct db_conn *c;
	int rc;

	rc = db_acquire(db, DB_WRITE, &c);
	if (rc)
		return rc;
	rc = db_begin(c);
	if (rc)
		goto out;
	rc = audit_append(c, e);
	if (!rc)
		rc = db_commit(c);
	if (rc)
		db_rollback(c);
out:
	db_release(c);
	return rc;
}

/* NULL-safe text column with the empty string for NULL; org_path is the
 * only nullable text and is hashed as "" when absent. */
static const char *
col(struct db_conn *c, int i)
{
	const char *s = db_col_text(c, i);
	return s ? s : "";
}

int
audit_verify(struct db_conn *c, int64_t *rows, int64_t *broken_id,
    struct buf *why)
{
	char expect_prev[65], hash[65];
	int64_t last_id = 0, n = 0, head_seq;
	int rc, first = 1;

	*rows = 0;
	*broken_id = 0;
	str_copy(expect_prev, sizeof(expect_prev), genesis);
	rc = db_prep(c, AUDIT_ALL);
	if (rc)
		return rc;
	while ((rc = db_step(c)) == DB_ROW) {
		int64_t id = db_col_int(c, 0);

		/* the first retained row anchors the chain (older rows may have
		 * been archived under the retention policy) */
		if (first && id != 1)
			str_copy(expect_prev, sizeof(expect_prev), col(c, 11));
		if (!first && id != last_id + 1) {
			*broken_id = last_id + 1;
			buf_printf(why, "row %lld is missing", (long long)(last_id + 1));
			break;
		}
		if (strcmp(col(c, 11), expect_prev)) {
			*broken_id = id;
			buf_printf(why, "row %lld does not follow row %lld "
			    "(previous hash differs)", (long long)id, (long long)last_id);
			break;
		}
		audit_row_hash(expect_prev, id, db_col_int(c, 1), db_col_int(c, 2),
		    col(c, 3), col(c, 4), db_col_int(c, 5), col(c, 6), col(c, 7),
		    col(c, 8), col(c, 9), col(c, 10), hash);
		if (strcmp(hash, col(c, 12))) {
			*broken_id = id;
			buf_printf(why, "row %lld was changed (content does not match "
			    "its hash)", (long long)id);
			break;
		}
		str_copy(expect_prev, sizeof(expect_prev), hash);
		last_id = id;
		first = 0;
		n++;
	}
	db_done(c);
	if (rc < 0)
		return rc;
	if (*broken_id)
		return ERR_INVALID;
	rc = db_prep(c, AUDIT_HEAD_GET);
	if (rc)
		return rc;
	rc = db_one(c);
	if (rc) {
		db_done(c);
		return rc;
	}
	head_seq = db_col_int(c, 0);
	if (head_seq != last_id || strcmp(col(c, 1), n ? expect_prev : genesis)) {
		*broken_id = last_id + 1;
		buf_printf(why, "rows after %lld are missing (the head records %lld)",
		    (long long)last_id, (long long)head_seq);
		db_done(c);
		return ERR_INVALID;
	}
	db_done(c);
	*rows = n;
	return 0;
}
