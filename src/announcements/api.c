/* HTTP handlers of 通知公告: send, the caller's notices (received or sent),
 * one notice, reading it, withdrawing it and its receipts. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "announcements/announcements.h"
#include "base/err.h"
#include "db/db.h"
#include "http/http.h"
#include "orgs/orgs.h"

static void
announcement_json(struct jw *w, const struct announcement *a, int with_body)
{
	jw_obj_open(w);
	jw_kint(w, "id", a->id);
	jw_kint(w, "org_id", a->org_id);
	jw_kstr(w, "org_name", a->org_name);
	jw_kstr(w, "title", a->title);
	jw_kstr(w, "author", a->author);
	jw_ktime(w, "created", a->created);
	jw_kbool(w, "withdrawn", a->withdrawn != 0);
	jw_kbool(w, "read", a->read_at != 0);
	if (a->read_at)
		jw_ktime(w, "read_at", a->read_at);
	else
		jw_knull(w, "read_at");
	jw_kint(w, "reads", a->reads);
	if (with_body)
		jw_kstr(w, "body", a->body);
	jw_obj_close(w);
}

struct list {
	struct page pg;
	struct jw *w;
};

static int
list_item(void *ctx, const struct announcement *a)
{
	struct list *l = ctx;

	if (!page_row(&l->pg, a->id))
		return 1;
	announcement_json(l->w, a, 0);
	return 0;
}

/* ?box=inbox (default): what reaches the caller, with the unread count;
 * ?box=sent: what the units the caller sends for have sent. */
static int
h_list(struct req *r)
{
	const struct principal *p = req_who(r);
	const char *box = req_query(r, "box"), *after = req_query(r, "after");
	int64_t limit = req_query_int(r, "limit", 20), before = 0, unread = 0;
	int sent = box && !strcmp(box, "sent");
	const struct grant *g = scope_default(p, ANN_SENDERS | ROLE_VIEWER);
	struct db_conn *c;
	struct list l;
	int rc;

	if (after && cursor_decode(after, &before))
		return ERR_BADREQ;
	if (sent && !g)
		return ERR_PERM;
	if ((rc = req_db(r, DB_READ, &c)) || (rc = ann_unread(c, p->user_id, &unread)))
		return rc;
	l.w = page_open(&l.pg, r, limit);
	rc = sent ? ann_each_sent(c, p->user_id, g->path, before, limit, list_item, &l) :
	    ann_each_mine(c, p->user_id, before, (int)req_query_int(r, "unread", 0), limit,
	    list_item, &l);
	if (rc)
		return rc;
	l.w = page_close_more(&l.pg, -1);
	jw_kint(l.w, "unread", unread);
	jw_obj_close(l.w);
	return 0;
}

static const char *
body_str(json_t *b, const char *k)
{
	const char *s = json_string_value(json_object_get(b, k));
	return s ? s : "";
}

static int
h_send(struct req *r)
{
	json_t *b = req_body(r);
	const struct principal *p = req_who(r);
	const struct grant *g = scope_default(p, ANN_SENDERS);
	int64_t org_id = json_integer_value(json_object_get(b, "org_id")), id = 0;
	static _Thread_local struct announcement a;
	struct why why = {0};
	struct org o;
	struct tx t;
	int manages, rc;

	if (!org_id && g)
		org_id = g->org_id;
	if ((rc = tx_begin(&t, r, "announcement.send")))
		return rc;
	if (!(rc = orgs_get(t.c, org_id, &o)) &&
	    !(rc = ann_send(t.c, p, o.id, o.path, body_str(b, "title"), body_str(b, "body"),
	    &id, &why)) && !(rc = ann_get(t.c, p, id, &a, &manages))) {
		tx_about(&t, "announcement", id, o.id, o.path);
		jw_kstr(tx_summary(&t), "title", a.title);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	announcement_json(req_json(r, 201), &a, 1);
	return 0;
}

static int
h_get(struct req *r)
{
	static _Thread_local struct announcement a;
	struct db_conn *c;
	int manages, rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = ann_get(c, req_who(r), req_param_id(r, 0), &a, &manages)))
		return rc;
	announcement_json(req_json(r, 200), &a, 1);
	return 0;
}

static int
h_read(struct req *r)
{
	struct db_conn *c;
	int rc;

	/* one statement after the check: no audit, as reading the inbox */
	if ((rc = req_db(r, DB_WRITE, &c)) ||
	    (rc = ann_mark_read(c, req_who(r), req_param_id(r, 0))))
		return rc;
	return req_status_only(r, 204);
}

static int
h_withdraw(struct req *r)
{
	static _Thread_local struct announcement a;
	struct why why = {0};
	struct tx t;
	int rc;

	if ((rc = tx_begin(&t, r, "announcement.withdraw")))
		return rc;
	if (!(rc = ann_withdraw(t.c, req_who(r), req_param_id(r, 0), &a, &why))) {
		tx_about(&t, "announcement", a.id, a.org_id, a.org_path);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	a.withdrawn = 1;
	announcement_json(req_json(r, 200), &a, 0);
	return 0;
}

static int
receipt_item(void *ctx, const struct ann_receipt *x)
{
	struct jw *w = ctx;

	jw_obj_open(w);
	jw_kint(w, "org_id", x->org_id);
	jw_kstr(w, "org_name", x->name);
	jw_kstr(w, "kind", x->kind);
	jw_kint(w, "accounts", x->accounts);
	jw_kint(w, "read", x->read);
	if (x->first_read)
		jw_ktime(w, "first_read", x->first_read);
	else
		jw_knull(w, "first_read");
	jw_obj_close(w);
	return 0;
}

/* 回执: for those who manage the sender, unit by unit. */
static int
h_receipts(struct req *r)
{
	static _Thread_local struct announcement a;
	struct db_conn *c;
	struct jw *w;
	int manages, rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = ann_get(c, req_who(r), req_param_id(r, 0), &a, &manages)))
		return rc;
	if (!manages)
		return ERR_NOTFOUND;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_kint(w, "id", a.id);
	jw_kint(w, "reads", a.reads);
	jw_key(w, "units");
	jw_arr_open(w);
	if ((rc = ann_receipts_each(c, &a, receipt_item, w)))
		return rc;
	jw_arr_close(w);
	jw_obj_close(w);
	return 0;
}

static const char *const boxes[] = {"inbox", "sent", NULL};

static const struct qfield list_query[] = {
	{"box", QT_ENUM, 0, 0, boxes, "inbox (default): what reaches you; sent: what your units sent"},
	{"unread", QT_BOOL, 0, 0, NULL, "inbox: unread only"},
	{"limit", QT_INT, 1, 200, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct field send_body[] = {
	{"org_id", FT_ID, 0, 0, 0, NULL, "the sending unit (default: your first)", NULL},
	{"title", FT_STRING, F_REQUIRED, 1, ANN_TITLE_CHARS, NULL, NULL, NULL},
	{"body", FT_STRING, F_REQUIRED, 1, ANN_BODY_CHARS, NULL, "plain text", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

const struct route announcement_routes[] = {
	{HTTP_GET, "/api/v1/announcements", h_list, ANN_READERS, 0, NULL, list_query,
	    "announcements", "Notices (通知公告) that reach you, or that your units sent"},
	{HTTP_POST, "/api/v1/announcements", h_send, ANN_SENDERS, 0, send_body, NULL,
	    "announcements", "Send a notice to every account of your unit and below"},
	{HTTP_GET, "/api/v1/announcements/{id}", h_get, ANN_READERS, 0, NULL, NULL,
	    "announcements", "One notice"},
	{HTTP_POST, "/api/v1/announcements/{id}/read", h_read, ANN_READERS, 0, NULL, NULL,
	    "announcements", "Say you have read a notice (the first reading is kept)"},
	{HTTP_POST, "/api/v1/announcements/{id}/withdraw", h_withdraw, ANN_SENDERS, 0, NULL,
	    NULL, "announcements", "Withdraw a notice (its readers no longer see it)"},
	{HTTP_GET, "/api/v1/announcements/{id}/receipts", h_receipts, ANN_SENDERS | ROLE_VIEWER,
	    0, NULL, NULL, "announcements", "Read receipts (回执), unit by unit"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
