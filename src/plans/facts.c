/* Plans' facts for the points ledger: a progress report accepted by its
 * reviewer (plans.report_accepted), for the org that reported it. */
#include <stdio.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/fact.h"
#include "db/db.h"
#include "plans/plans.h"

/* as workers/facts.c: ids taken before a commit elsewhere */
#define SETTLE_SECONDS 60

int
plans_report_facts(struct db_conn *c, const struct fact_scan *s, struct fact *out,
    int *n, int64_t *settled)
{
	int64_t pending = 0, aged = 0;
	int rc;

	*n = 0;
	if ((rc = db_prep(c, PLAN_REPORT_FACTS)))
		return rc;
	db_bind_int(c, 1, s->after);
	db_bind_text(c, 2, s->lo);
	db_bind_text(c, 3, s->hi);
	db_bind_text(c, 4, s->from);
	db_bind_text(c, 5, s->to ? s->to : "");
	db_bind_int(c, 6, s->max);
	while ((rc = db_step(c)) == DB_ROW && *n < s->max) {
		struct fact *f = &out[(*n)++];

		f->seq = db_col_int(c, 0);
		f->holder_id = db_col_int(c, 1);
		f->org_id = f->holder_id;
		db_col_copy(c, 2, f->on_date, sizeof(f->on_date));
		f->amount = 1;
		snprintf(f->text, sizeof(f->text), "进展报告通过：%.120s", db_col_text(c, 3));
	}
	db_done(c);
	if (rc < 0)
		return rc;
	if ((rc = db_prep(c, PLAN_REPORTS_SETTLED)))
		return rc;
	db_bind_int(c, 1, clock_now() - SETTLE_SECONDS);
	if ((rc = db_one(c)))
		return rc;
	pending = db_col_int(c, 0);
	aged = db_col_int(c, 1);
	db_done(c);
	/* a report still waiting may yet be accepted: nothing from it on is final */
	if (pending > 0 && pending - 1 < aged)
		aged = pending - 1;
	*settled = *n == s->max && out[*n - 1].seq < aged ? out[*n - 1].seq : aged;
	if (*settled < s->after)
		*settled = s->after;
	return 0;
}
