/* HTTP handlers of the inbox: the caller's entries and marking one read. */
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "http/http.h"
#include "inbox/inbox.h"

/* who has an inbox: everyone who works on the reform's business */
#define INBOX_USERS (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER | ROLE_DEPARTMENT)

struct entry_list {
	struct page pg;
	struct jw *w;
};

static int
entry_item(void *ctx, const struct inbox_entry *e)
{
	struct entry_list *l = ctx;
	struct jw *w = l->w;

	if (!page_row(&l->pg, e->id))
		return 0;
	jw_obj_open(w);
	jw_kint(w, "id", e->id);
	jw_kstr(w, "source", e->source);
	jw_kstr(w, "kind", e->kind);
	jw_kint(w, "org_id", e->org_id);
	jw_kstr(w, "org_name", e->org_name);
	jw_key(w, "ref");
	jw_obj_open(w);
	jw_kstr(w, "kind", e->ref_kind);
	jw_kint(w, "id", e->ref_id);
	jw_obj_close(w);
	jw_kstr(w, "title", e->title);
	jw_kstr(w, "subject", e->subject);
	jw_kstr(w, "link", e->link);
	jw_kstr(w, "message", e->message_en);
	jw_kstr(w, "message_zh", e->message);
	jw_ktime(w, "created", e->created);
	jw_kbool(w, "read", e->read_at != 0);
	jw_obj_close(w);
	return 0;
}

static int
h_inbox(struct req *r)
{
	const struct principal *p = req_who(r);
	int64_t limit = req_query_int(r, "limit", 50), before = 0, unread = 0;
	const char *after = req_query(r, "after");
	struct entry_list l;
	struct db_conn *c;
	int rc;

	if (after && cursor_decode(after, &before))
		return ERR_BADREQ;
	if ((rc = req_db(r, DB_READ, &c)) || (rc = inbox_unread(c, p->user_id, &unread)))
		return rc;
	l.w = page_open(&l.pg, r, limit);
	if ((rc = inbox_each(c, p->user_id, before, (int)req_query_int(r, "unread", 0),
	    req_query(r, "source"), limit, entry_item, &l)))
		return rc;
	l.w = page_close_more(&l.pg, -1);
	jw_kint(l.w, "unread", unread);
	jw_obj_close(l.w);
	return 0;
}

static int
h_inbox_read(struct req *r)
{
	struct db_conn *c;
	int rc;

	/* one statement: it needs no transaction of its own */
	if ((rc = req_db(r, DB_WRITE, &c)) ||
	    (rc = inbox_read(c, req_who(r)->user_id, req_param_id(r, 0))))
		return rc;
	return req_status_only(r, 204);
}

static const char *const sources[] = {"plans", "evaluation", NULL};

static const struct qfield inbox_query[] = {
	{"unread", QT_BOOL, 0, 0, NULL, NULL},
	{"source", QT_ENUM, 0, 0, sources, "one capability's entries"},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route inbox_routes[] = {
	{HTTP_GET, "/api/v1/inbox", h_inbox, INBOX_USERS, 0, NULL, inbox_query, "inbox",
	    "The caller's inbox, newest first, with the unread count"},
	{HTTP_POST, "/api/v1/inbox/{id}/read", h_inbox_read, INBOX_USERS, 0, NULL, NULL, "inbox",
	    "Mark an inbox entry read"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
