#include "announcements/announcements.h"

#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"

static int
blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

int
ann_send(struct db_conn *c, const struct principal *p, int64_t org_id,
    const char *org_path, const char *title, const char *body, int64_t *id,
    struct why *why)
{
	int rc;

	if (!scope_allows(p, ANN_SENDERS, org_path))
		return ERR_NOTFOUND;
	if (blank(title))
		return why_refuse(why, ERR_INVALID, "title", "the title is empty", "请填写标题");
	if (blank(body))
		return why_refuse(why, ERR_INVALID, "body", "the notice says nothing",
		    "请填写通知内容");
	if ((rc = db_prep(c, ANN_INSERT)))
		return rc;
	db_bind_int(c, 1, org_id);
	db_bind_text(c, 2, org_path);
	db_bind_text(c, 3, title);
	db_bind_text(c, 4, body);
	db_bind_int(c, 5, p->user_id);
	db_bind_text(c, 6, p->name[0] ? p->name : p->username);
	db_bind_int(c, 7, clock_now());
	if (!(rc = db_one(c)))
		*id = db_col_int(c, 0);
	db_done(c);
	return rc;
}

/* The row of ANN_COLS. */
static void
read_row(struct db_conn *c, struct announcement *a)
{
	a->id = db_col_int(c, 0);
	a->org_id = db_col_int(c, 1);
	db_col_copy(c, 2, a->org_name, sizeof(a->org_name));
	db_col_copy(c, 3, a->org_path, sizeof(a->org_path));
	db_col_copy(c, 4, a->title, sizeof(a->title));
	db_col_copy(c, 5, a->author, sizeof(a->author));
	a->created = db_col_int(c, 6);
	a->withdrawn = db_col_int(c, 7);
	a->read_at = db_col_int(c, 8);
	a->reads = db_col_int(c, 9);
	a->body[0] = '\0';
}

static int
each(struct db_conn *c, int (*fn)(void *ctx, const struct announcement *a), void *ctx)
{
	static _Thread_local struct announcement a;
	int rc;

	while ((rc = db_step(c)) == DB_ROW) {
		read_row(c, &a);
		if ((rc = fn(ctx, &a)))
			break;
	}
	db_done(c);
	/* fn stops the walk with 1, or fails it with an error */
	return rc < 0 ? rc : 0;
}

int
ann_each_mine(struct db_conn *c, int64_t user_id, int64_t before, int unread_only,
    int64_t limit, int (*fn)(void *ctx, const struct announcement *a), void *ctx)
{
	int rc = db_prep(c, ANN_MINE);

	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	db_bind_int(c, 2, before ? before : INT64_MAX);
	db_bind_int(c, 3, unread_only ? 1 : 0);
	db_bind_int(c, 4, limit + 1);
	return each(c, fn, ctx);
}

int
ann_unread(struct db_conn *c, int64_t user_id, int64_t *n)
{
	int rc = db_prep(c, ANN_UNREAD);

	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	if (!(rc = db_one(c)))
		*n = db_col_int(c, 0);
	db_done(c);
	return rc;
}

int
ann_each_sent(struct db_conn *c, int64_t user_id, const char *path, int64_t before,
    int64_t limit, int (*fn)(void *ctx, const struct announcement *a), void *ctx)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc = db_prep(c, ANN_SENT);

	if (rc)
		return rc;
	path_range(path, lo, hi, sizeof(lo));
	db_bind_int(c, 1, user_id);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	db_bind_int(c, 4, before ? before : INT64_MAX);
	db_bind_int(c, 5, limit + 1);
	return each(c, fn, ctx);
}

static int
addressed(struct db_conn *c, int64_t user_id, int64_t id)
{
	int rc = db_prep(c, ANN_ADDRESSED), yes = 0;

	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	db_bind_int(c, 2, id);
	if (!(rc = db_one(c)))
		yes = db_col_int(c, 0) > 0;
	db_done(c);
	return rc ? rc : yes;
}

int
ann_get(struct db_conn *c, const struct principal *p, int64_t id,
    struct announcement *a, int *manages)
{
	int rc = db_prep(c, ANN_GET), to_me;

	if (rc)
		return rc;
	db_bind_int(c, 1, p->user_id);
	db_bind_int(c, 2, id);
	if (!(rc = db_one(c))) {
		read_row(c, a);
		db_col_copy(c, 10, a->body, sizeof(a->body));
		a->created_by = db_col_int(c, 11);
	}
	db_done(c);
	if (rc)
		return rc;
	*manages = scope_allows(p, ANN_SENDERS | ROLE_VIEWER, a->org_path);
	if (*manages)
		return 0;
	/* a stranger and a reader of a withdrawn notice learn nothing of it */
	if ((to_me = addressed(c, p->user_id, id)) < 0)
		return to_me;
	return to_me && !a->withdrawn ? 0 : ERR_NOTFOUND;
}

int
ann_mark_read(struct db_conn *c, const struct principal *p, int64_t id)
{
	static _Thread_local struct announcement a;
	int manages, rc = ann_get(c, p, id, &a, &manages);

	if (rc)
		return rc;
	if ((rc = db_prep(c, ANN_READ)))
		return rc;
	db_bind_int(c, 1, id);
	db_bind_int(c, 2, p->user_id);
	db_bind_int(c, 3, clock_now());
	return db_run(c);
}

int
ann_withdraw(struct db_conn *c, const struct principal *p, int64_t id,
    struct announcement *a, struct why *why)
{
	int manages, rc = ann_get(c, p, id, a, &manages);

	if (rc)
		return rc;
	if (!scope_allows(p, ANN_SENDERS, a->org_path))
		return ERR_NOTFOUND;
	if ((rc = db_prep(c, ANN_WITHDRAW)))
		return rc;
	db_bind_int(c, 1, clock_now());
	db_bind_int(c, 2, id);
	if ((rc = db_run(c)))
		return rc;
	if (db_changes(c) != 1)
		return why_refuse(why, ERR_CONFLICT, NULL, "the notice was withdrawn already",
		    "该通知已撤回");
	return 0;
}

int
ann_receipts_each(struct db_conn *c, const struct announcement *a,
    int (*fn)(void *ctx, const struct ann_receipt *r), void *ctx)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc = db_prep(c, ANN_RECEIPTS);

	if (rc)
		return rc;
	path_range(a->org_path, lo, hi, sizeof(lo));
	db_bind_int(c, 1, a->id);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	while ((rc = db_step(c)) == DB_ROW) {
		struct ann_receipt r = {
			db_col_int(c, 0), db_col_int(c, 3), db_col_int(c, 4), db_col_int(c, 5),
			db_col_text(c, 1), db_col_text(c, 2),
		};

		if ((rc = fn(ctx, &r)))
			break;
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}
