/* The audited write (http.h): one shape for every handler that changes
 * something, so no handler can commit a change without its audit row or
 * leave a transaction open on an early return. */
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "http/internal.h"

int
tx_begin(struct tx *t, struct req *r, const char *action)
{
	int rc;

	memset(t, 0, sizeof(*t));
	t->r = r;
	buf_init(&t->sum, TX_SUMMARY_MAX);
	jw_init(&t->w, &t->sum);
	buf_init(&t->row_sum, TX_SUMMARY_MAX);
	req_audit_entry(r, &t->ae, action, "");
	/* tx_end is safe after a failed begin: nothing to roll back */
	if ((rc = req_db(r, DB_WRITE, &t->c)) || (rc = db_begin(t->c))) {
		t->c = NULL;
		return rc;
	}
	return 0;
}

void
tx_about(struct tx *t, const char *kind, int64_t id, int64_t org_id,
    const char *org_path)
{
	snprintf(t->target, sizeof(t->target), "%s:%lld", kind, (long long)id);
	t->ae.target = t->target;
	t->ae.org_id = org_id;
	str_copy(t->org_path, sizeof(t->org_path), org_path ? org_path : "");
	t->ae.org_path = org_path ? t->org_path : NULL;
}

void
tx_target(struct tx *t, const char *target)
{
	str_copy(t->target, sizeof(t->target), target);
	t->ae.target = t->target;
}

struct jw *
tx_summary(struct tx *t)
{
	if (!t->summary_open) {
		jw_obj_open(&t->w);
		t->summary_open = 1;
	}
	return &t->w;
}

struct jw *
tx_summary_raw(struct tx *t)
{
	t->summary_open = 2;
	return &t->w;
}

int
tx_commit(struct tx *t)
{
	int rc = 0;

	if (!t->c || t->committed)
		return ERR_INTERNAL;
	if (t->summary_open) {
		if (t->summary_open == 1)
			jw_obj_close(&t->w);
		if ((rc = jw_finish(&t->w)))
			return rc;
		t->ae.summary = t->sum.data;
	}
	if ((rc = audit_append(t->c, &t->ae)) || (rc = db_commit(t->c)))
		return rc;
	t->committed = 1;
	return 0;
}

void
tx_end(struct tx *t)
{
	if (t->c && !t->committed)
		db_rollback(t->c);
	t->c = NULL;
	buf_free(&t->sum);
	buf_free(&t->row_sum);
}

int
tx_also(struct tx *t, const char *action, const char *kind, int64_t id,
    int64_t org_id, const char *org_path, const char *summary)
{
	struct audit_entry e = t->ae;
	char target[128];
	int rc;

	if (!t->c || t->committed)
		return ERR_INTERNAL;
	snprintf(target, sizeof(target), "%s:%lld", kind, (long long)id);
	e.action = action;
	e.target = target;
	e.org_id = org_id;
	e.org_path = org_path;
	e.summary = summary ? summary : "{}";
	if ((rc = audit_append(t->c, &e)))
		return rc;
	t->also++;
	return 0;
}

struct jw *
tx_row(struct tx *t, const char *action, const char *kind, int64_t id,
    int64_t org_id, const char *org_path)
{
	t->row = t->ae;
	t->row.action = action;
	snprintf(t->row_target, sizeof(t->row_target), "%s:%lld", kind, (long long)id);
	t->row.target = t->row_target;
	t->row.org_id = org_id;
	str_copy(t->row_path, sizeof(t->row_path), org_path ? org_path : "");
	t->row.org_path = org_path ? t->row_path : NULL;
	buf_reset(&t->row_sum);
	jw_init(&t->row_w, &t->row_sum);
	jw_obj_open(&t->row_w);
	return &t->row_w;
}

int
tx_row_end(struct tx *t)
{
	int rc;

	if (!t->c || t->committed)
		return ERR_INTERNAL;
	jw_obj_close(&t->row_w);
	if ((rc = jw_finish(&t->row_w)))
		return rc;
	t->row.summary = t->row_sum.data;
	if ((rc = audit_append(t->c, &t->row)))
		return rc;
	t->also++;
	return 0;
}

int
tx_commit_each(struct tx *t)
{
	int rc;

	if (!t->c || t->committed || !t->also)
		return ERR_INTERNAL;
	if ((rc = db_commit(t->c)))
		return rc;
	t->committed = 1;
	return 0;
}
