/* The inbox in the store. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "inbox/inbox.h"

int
inbox_add(struct db_conn *c, const struct inbox_entry *e, int *fresh)
{
	int64_t id;
	int rc;

	if (fresh)
		*fresh = 0;
	if ((rc = db_prep(c, INBOX_INSERT)))
		return rc;
	db_bind_text(c, 1, e->dedupe);
	db_bind_int(c, 2, e->org_id);
	if (e->user_id)
		db_bind_int(c, 3, e->user_id);
	else
		db_bind_null(c, 3);
	db_bind_text(c, 4, e->source);
	db_bind_text(c, 5, e->kind);
	db_bind_text(c, 6, e->ref_kind);
	db_bind_int(c, 7, e->ref_id);
	db_bind_text(c, 8, e->title);
	db_bind_text(c, 9, e->subject);
	db_bind_text(c, 10, e->link);
	db_bind_text(c, 11, e->message);
	db_bind_text(c, 12, e->message_en);
	db_bind_int(c, 13, clock_now());
	rc = db_insert(c, &id);
	if (rc == ERR_NOTFOUND)         /* there already: it arrives once */
		return 0;
	if (!rc && fresh)
		*fresh = 1;
	return rc;
}

int
inbox_forget(struct db_conn *c, const char *ref_kind, int64_t ref_id)
{
	int rc;

	if ((rc = db_prep(c, INBOX_FORGET)))
		return rc;
	db_bind_text(c, 1, ref_kind);
	db_bind_int(c, 2, ref_id);
	return db_run(c);
}

int
inbox_has(struct db_conn *c, const char *dedupe)
{
	int64_t n;
	int rc;

	if ((rc = db_prep(c, INBOX_HAS)))
		return rc;
	db_bind_text(c, 1, dedupe);
	if ((rc = db_one(c)))
		return rc;
	n = db_col_int(c, 0);
	db_done(c);
	return n > 0;
}

int
inbox_each(struct db_conn *c, int64_t user_id, int64_t before, int unread_only,
    const char *source, int64_t limit, int (*each)(void *ctx, const struct inbox_entry *e),
    void *ctx)
{
	struct inbox_entry *e;
	int rc;

	if (!(e = malloc(sizeof(*e))))
		return ERR_NOMEM;
	if ((rc = db_prep(c, INBOX_LIST)))
		goto out;
	db_bind_int(c, 1, user_id);
	db_bind_int(c, 2, before > 0 ? before : INT64_MAX);
	db_bind_int(c, 3, unread_only != 0);
	db_bind_text(c, 4, source ? source : "");
	db_bind_int(c, 5, limit + 1);
	while ((rc = db_step(c)) == DB_ROW) {
		memset(e, 0, sizeof(*e));
		e->id = db_col_int(c, 0);
		e->org_id = db_col_int(c, 1);
		db_col_copy(c, 2, e->org_name, sizeof(e->org_name));
		e->user_id = db_col_int(c, 3);
		db_col_copy(c, 4, e->source_s, sizeof(e->source_s));
		db_col_copy(c, 5, e->kind_s, sizeof(e->kind_s));
		db_col_copy(c, 6, e->ref_kind_s, sizeof(e->ref_kind_s));
		e->source = e->source_s;
		e->kind = e->kind_s;
		e->ref_kind = e->ref_kind_s;
		e->ref_id = db_col_int(c, 7);
		db_col_copy(c, 8, e->title, sizeof(e->title));
		db_col_copy(c, 9, e->subject, sizeof(e->subject));
		db_col_copy(c, 10, e->link, sizeof(e->link));
		db_col_copy(c, 11, e->message, sizeof(e->message));
		db_col_copy(c, 12, e->message_en, sizeof(e->message_en));
		e->created = db_col_int(c, 13);
		e->read_at = db_col_int(c, 14);
		if ((rc = each(ctx, e)))
			break;
	}
	db_done(c);
out:
	free(e);
	return rc < 0 ? rc : 0;
}

int
inbox_unread(struct db_conn *c, int64_t user_id, int64_t *n)
{
	int rc;

	if ((rc = db_prep(c, INBOX_UNREAD)))
		return rc;
	db_bind_int(c, 1, user_id);
	if ((rc = db_one(c)))
		return rc;
	*n = db_col_int(c, 0);
	db_done(c);
	return 0;
}

int
inbox_read(struct db_conn *c, int64_t user_id, int64_t id)
{
	int rc;

	if ((rc = db_prep(c, INBOX_VISIBLE)))
		return rc;
	db_bind_int(c, 1, user_id);
	db_bind_int(c, 2, id);
	if ((rc = db_one(c)))
		return rc;
	db_done(c);
	if ((rc = db_prep(c, INBOX_READ)))
		return rc;
	db_bind_int(c, 1, clock_now());
	db_bind_int(c, 2, id);
	return db_run(c);
}
