/* Reminders for units that have not reported: once an open period's
 * deadline for values (report_due) has passed, each unit of the index
 * that still owes a reported node's value is told through the inbox, and
 * the index's org is told how many are late. Once per period, unit and
 * deadline (a deadline moved and passed again reminds again); the sweep
 * writes them, reading never does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "db/db.h"
#include "evaluation/evaluation.h"
#include "inbox/inbox.h"

int
eval_unreported(struct db_conn *c, const struct eval_index *x, const struct eval_period *p,
    const char *lo, const char *hi, struct eval_unreported **out, size_t *n, int64_t *nodes)
{
	char ilo[ORG_PATH_MAX], ihi[ORG_PATH_MAX];
	int64_t (*have)[2] = NULL;
	size_t nh = 0, cap = 0, k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = db_prep(c, EVAL_REPORTED_NODES)))
		return rc;
	db_bind_int(c, 1, x->id);
	if ((rc = db_one(c)))
		return rc;
	*nodes = db_col_int(c, 0);
	db_done(c);
	if (!*nodes)
		return 0;
	if ((rc = db_prep(c, EVAL_REPORTED_BY_UNIT)))
		return rc;
	db_bind_int(c, 1, p->id);
	while ((rc = db_step(c)) == DB_ROW) {
		if ((rc = array_grow((void **)&have, &cap, nh + 1, sizeof(*have))))
			break;
		have[nh][0] = db_col_int(c, 0);
		have[nh++][1] = db_col_int(c, 1);
	}
	db_done(c);
	if (rc < 0)
		goto out;
	cap = 0;
	path_range(x->org_path, ilo, ihi, sizeof(ilo));
	if ((rc = db_prep(c, EVAL_UNITS)))
		goto out;
	db_bind_text(c, 1, x->unit_kind);
	db_bind_text(c, 2, x->org_path);
	db_bind_text(c, 3, ihi);
	/* both lists run by org id: one pass */
	while ((rc = db_step(c)) == DB_ROW) {
		int64_t id = db_col_int(c, 0), got = 0;
		const char *path = db_col_text(c, 1);

		if (!path || strcmp(path, lo) < 0 || strcmp(path, hi) >= 0)
			continue;
		while (k < nh && have[k][0] < id)
			k++;
		if (k < nh && have[k][0] == id)
			got = have[k][1];
		if (got >= *nodes)
			continue;
		if ((rc = array_grow((void **)out, &cap, *n + 1, sizeof(**out))))
			break;
		(*out)[*n].org_id = id;
		(*out)[*n].missing = (int)(*nodes - got);
		db_col_copy(c, 2, (*out)[*n].name, sizeof((*out)[*n].name));
		(*n)++;
	}
	db_done(c);
	rc = rc < 0 ? rc : 0;
out:
	free(have);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static void
about(struct inbox_entry *e, const struct eval_index *x, const struct eval_period *p)
{
	e->source = "evaluation";
	e->kind = "unreported";
	e->ref_kind = "eval_period";
	e->ref_id = p->id;
	str_copy(e->title, sizeof(e->title), x->title);
	str_copy(e->subject, sizeof(e->subject), p->label);
	snprintf(e->link, sizeof(e->link), "/evaluation?index=%lld&period=%lld",
	    (long long)x->id, (long long)p->id);
}

/* One period's reminders, in the caller's transaction. */
static int
remind_period(struct db_conn *c, const struct eval_index *x, const struct eval_period *p,
    const struct eval_unreported *u, size_t n, size_t *told)
{
	struct inbox_entry *e = calloc(1, sizeof(*e));
	int fresh, rc = 0;

	if (!e)
		return ERR_NOMEM;
	about(e, x, p);
	for (size_t i = 0; i < n && !rc; i++) {
		snprintf(e->dedupe, sizeof(e->dedupe), "eval-unreported:%lld:%lld:%s",
		    (long long)p->id, (long long)u[i].org_id, p->report_due);
		e->org_id = u[i].org_id;
		snprintf(e->message, sizeof(e->message),
		    "《%s》%s：尚有 %d 项指标未填报，填报截止日期 %s 已过，请尽快填报", x->title,
		    p->label, u[i].missing, p->report_due);
		snprintf(e->message_en, sizeof(e->message_en),
		    "%s, %s: %d reported indicators still have no value; the deadline %s has passed",
		    x->title, p->label, u[i].missing, p->report_due);
		if (!(rc = inbox_add(c, e, &fresh)))
			*told += fresh;
	}
	if (!rc && n) {
		snprintf(e->dedupe, sizeof(e->dedupe), "eval-unreported-owner:%lld:%s",
		    (long long)p->id, p->report_due);
		e->org_id = x->org_id;
		snprintf(e->message, sizeof(e->message),
		    "《%s》%s：填报截止日期 %s 已过，仍有 %zu 家单位未完成填报", x->title, p->label,
		    p->report_due, n);
		snprintf(e->message_en, sizeof(e->message_en),
		    "%s, %s: the deadline %s has passed and %zu units have not reported every value",
		    x->title, p->label, p->report_due, n);
		if (!(rc = inbox_add(c, e, &fresh)))
			*told += fresh;
	}
	free(e);
	return rc;
}

static int
overdue_periods(struct db *db, const char *today, int64_t **ids, size_t *n)
{
	struct db_conn *c;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if ((rc = db_acquire(db, DB_READ, &c)))
		return rc;
	if (!(rc = db_prep(c, EVAL_PERIODS_OVERDUE))) {
		db_bind_text(c, 1, today);
		while ((rc = db_step(c)) == DB_ROW) {
			if ((rc = array_grow((void **)ids, &cap, *n + 1, sizeof(**ids))))
				break;
			(*ids)[(*n)++] = db_col_int(c, 0);
		}
		db_done(c);
	}
	db_release(c);
	return rc < 0 ? rc : 0;
}

int
eval_remind(struct db *db, const char *today, size_t *told)
{
	struct eval_unreported *u = NULL;
	struct eval_period p;
	struct eval_index x;
	struct db_conn *c;
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int64_t *ids = NULL, nodes;
	size_t n = 0, nu;
	int rc;

	*told = 0;
	if ((rc = overdue_periods(db, today, &ids, &n)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		if ((rc = db_acquire(db, DB_WRITE, &c)))
			break;
		if (!(rc = db_begin(c))) {
			if (!(rc = eval_period_get(c, ids[i], &p)) &&
			    !(rc = eval_index_get(c, p.index_id, &x))) {
				path_range(x.org_path, lo, hi, sizeof(lo));
				if (!(rc = eval_unreported(c, &x, &p, lo, hi, &u, &nu, &nodes)))
					rc = remind_period(c, &x, &p, u, nu, told);
				free(u);
				u = NULL;
			}
			if (rc || (rc = db_commit(c)))
				db_rollback(c);
		}
		db_release(c);
	}
	free(ids);
	return rc;
}
