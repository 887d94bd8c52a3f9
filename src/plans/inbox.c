/* Reminders and the inbox: which owned tasks are overdue or due soon, and
 * the entries left when a task turns red. A task turns red with the
 * passing of time, not with a write, so a periodic sweep (the server's
 * maintenance tick, or `changai sweep`) finds red tasks and records one
 * entry per task, owner and deadline (the inbox's dedupe key); reads
 * never write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "db/db.h"
#include "inbox/inbox.h"
#include "plans/plans.h"
#include "workers/workers.h"

int
plans_task_eval(struct db_conn *c, struct plan_task *t, const char *as_of)
{
	int64_t actual = 0;
	int have = 0, done = 0, rc;

	if (t->metric != PM_MANUAL) {
		struct skill_stats s;

		rc = workers_stats(c, t->lead_is_department ? t->plan_org_id :
		    t->lead_org_id, &s);
		if (rc)
			return rc;
		have = 1;
		actual = plan_metric_e4(t->metric, &s, t->percent);
		t->started = actual > 0;
	} else {
		if ((rc = db_prep(c, PLAN_REPORT_LATEST)))
			return rc;
		db_bind_int(c, 1, t->plan_id);
		db_bind_int(c, 2, t->node_id);
		db_bind_text(c, 3, as_of);
		rc = db_one(c);
		if (!rc) {
			have = 1;
			actual = db_col_null(c, 0) ? 0 : db_col_int(c, 0);
			done = db_col_null(c, 1) ? 0 : (int)db_col_int(c, 1);
		}
		db_done(c);
		if (rc && rc != ERR_NOTFOUND)
			return rc;
		t->started = have;
	}
	t->completion = plan_completion(t->milestone, t->target_e4, have, actual, done);
	t->status = plan_task_status(t->year, t->deadline, as_of, t->due_soon_days,
	    t->completion, t->started);
	return 0;
}

static int
grow(struct plan_task **t, size_t n, size_t *cap)
{
	size_t nc;
	struct plan_task *bigger;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 32;
	if (nc > 200000)
		return ERR_TOOBIG;
	bigger = realloc(*t, nc * sizeof(**t));
	if (!bigger)
		return ERR_NOMEM;
	*t = bigger;
	*cap = nc;
	return 0;
}

static void
col_text(struct db_conn *c, int col, char *dst, size_t n)
{
	const char *s = db_col_text(c, col);
	str_copy(dst, n, s ? s : "");
}

int
plans_owned_tasks(struct db_conn *c, const char *lo, const char *hi,
    const char *today, const char *until, int64_t due_setting,
    struct plan_task **out, size_t *n)
{
	struct plan_task *t = NULL;
	size_t cap = 0, i;
	int rc = db_prep(c, PLAN_REMINDER_TASKS);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	db_bind_text(c, 3, until);
	while ((rc = db_step(c)) == DB_ROW) {
		struct plan_task *x;
		int64_t node = db_col_int(c, 0);
		const char *unit = db_col_text(c, 7);

		/* one row per owner inside the range, the lead first: keep one */
		if (*n && t[*n - 1].node_id == node)
			continue;
		if ((rc = grow(&t, *n, &cap)))
			break;
		x = &t[(*n)++];
		memset(x, 0, sizeof(*x));
		x->node_id = node;
		x->plan_id = db_col_int(c, 1);
		col_text(c, 2, x->plan_title, sizeof(x->plan_title));
		col_text(c, 3, x->title, sizeof(x->title));
		col_text(c, 4, x->deadline, sizeof(x->deadline));
		x->milestone = (int)db_col_int(c, 5);
		x->target_e4 = db_col_null(c, 6) ? 0 : db_col_int(c, 6);
		x->percent = plan_unit_is_percent(unit);
		x->metric = plan_metric_parse(db_col_text(c, 8));
		if (x->metric < 0)
			x->metric = PM_MANUAL;
		x->lead_org_id = db_col_int(c, 9);
		x->lead_is_department = db_col_text(c, 10) &&
		    !strcmp(db_col_text(c, 10), "department");
		x->plan_org_id = db_col_int(c, 11);
		x->year = (int)db_col_int(c, 12);
		x->due_soon_days = db_col_null(c, 13) ? 0 : (int)db_col_int(c, 13);
		if (x->due_soon_days <= 0)
			x->due_soon_days = due_setting > 0 ? (int)due_setting : 30;
		x->owner_org_id = db_col_int(c, 14);
		col_text(c, 15, x->owner_name, sizeof(x->owner_name));
	}
	db_done(c);
	for (i = 0; rc >= 0 && i < *n; i++)
		rc = plans_task_eval(c, &t[i], today);
	if (rc < 0) {
		free(t);
		*n = 0;
		return rc;
	}
	*out = t;
	return 0;
}

/* A red entry's key: one per task, owner and deadline, so a task whose
 * deadline moved and passed again is announced again. */
static void
red_key(const struct plan_task *t, char *out, size_t n)
{
	snprintf(out, n, "red:%lld:%lld:%s", (long long)t->node_id, (long long)t->owner_org_id,
	    t->deadline);
}

int
plans_red_candidates(struct db_conn *c, const char *today,
    struct plan_task **out, size_t *n)
{
	struct plan_task *t = NULL;
	size_t cap = 0, i, kept = 0;
	int rc = db_prep(c, PLAN_SWEEP_CANDIDATES);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	db_bind_text(c, 1, today);
	while ((rc = db_step(c)) == DB_ROW) {
		struct plan_task *x;
		const char *unit = db_col_text(c, 10);

		if ((rc = grow(&t, *n, &cap)))
			break;
		x = &t[(*n)++];
		memset(x, 0, sizeof(*x));
		x->node_id = db_col_int(c, 0);
		x->plan_id = db_col_int(c, 1);
		x->milestone = (int)db_col_int(c, 2);
		x->target_e4 = db_col_null(c, 3) ? 0 : db_col_int(c, 3);
		x->metric = plan_metric_parse(db_col_text(c, 4));
		if (x->metric < 0)
			x->metric = PM_MANUAL;
		x->lead_org_id = db_col_int(c, 5);
		x->lead_is_department = db_col_text(c, 6) &&
		    !strcmp(db_col_text(c, 6), "department");
		x->plan_org_id = db_col_int(c, 7);
		col_text(c, 8, x->title, sizeof(x->title));
		x->owner_org_id = db_col_int(c, 9);
		x->percent = plan_unit_is_percent(unit);
		col_text(c, 11, x->deadline, sizeof(x->deadline));
		x->year = (int)db_col_int(c, 12);
		col_text(c, 13, x->plan_title, sizeof(x->plan_title));
	}
	db_done(c);
	for (i = 0; rc >= 0 && i < *n; i++) {
		char key[128];

		/* told already: nothing to evaluate */
		red_key(&t[i], key, sizeof(key));
		if ((rc = inbox_has(c, key)) != 0)
			continue;
		rc = plans_task_eval(c, &t[i], today);
		if (!rc && t[i].completion < 1.0)
			t[kept++] = t[i];
	}
	if (rc < 0) {
		free(t);
		*n = 0;
		return rc;
	}
	*n = kept;
	*out = t;
	return 0;
}

int
plans_red_record(struct db_conn *c, const struct plan_task *t, size_t n)
{
	struct inbox_entry *e = calloc(1, sizeof(*e));
	int rc = 0;

	if (!e)
		return ERR_NOMEM;
	e->source = "plans";
	e->kind = "red";
	e->ref_kind = "plan_node";
	for (size_t i = 0; i < n && !rc; i++) {
		red_key(&t[i], e->dedupe, sizeof(e->dedupe));
		e->org_id = t[i].owner_org_id;
		e->ref_id = t[i].node_id;
		str_copy(e->title, sizeof(e->title), t[i].plan_title);
		str_copy(e->subject, sizeof(e->subject), t[i].title);
		snprintf(e->link, sizeof(e->link), "/plans?plan=%lld", (long long)t[i].plan_id);
		snprintf(e->message, sizeof(e->message), "任务“%s”已逾期且未完成（亮红灯）", t[i].title);
		snprintf(e->message_en, sizeof(e->message_en),
		    "The task \"%s\" is overdue and not done (red)", t[i].title);
		rc = inbox_add(c, e, NULL);
	}
	free(e);
	return rc;
}

int
plans_red_sweep(struct db *db, const char *today, size_t *recorded)
{
	struct plan_task *red = NULL;
	struct db_conn *c = NULL;
	size_t n = 0;
	int rc;

	*recorded = 0;
	if ((rc = db_acquire(db, DB_READ, &c)))
		return rc;
	rc = plans_red_candidates(c, today, &red, &n);
	db_release(c);
	c = NULL;
	if (rc || !n)
		goto out;
	/* the write connection only when there is something to record */
	if ((rc = db_acquire(db, DB_WRITE, &c)))
		goto out;
	if ((rc = db_begin(c)))
		goto out;
	if ((rc = plans_red_record(c, red, n)) || (rc = db_commit(c))) {
		db_rollback(c);
		goto out;
	}
	*recorded = n;
out:
	if (c)
		db_release(c);
	free(red);
	return rc;
}
