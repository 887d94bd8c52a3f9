/* The registry's facts for the points ledger: a worker's skill level going
 * up (workers.level_up), read from the events the registry writes with
 * every change. */
#include <stdio.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/fact.h"
#include "db/db.h"
#include "workers/workers.h"

/* A transaction still open on another connection may commit an event
 * with a lower id than one already seen (PostgreSQL hands out ids before
 * commit); the cursor stays this far behind, and rescanning that window
 * costs nothing because the ledger keys each fact. */
#define SETTLE_SECONDS 60

int
workers_level_facts(struct db_conn *c, const struct fact_scan *s, struct fact *out,
    int *n, int64_t *settled)
{
	int64_t aged = 0;
	int rc;

	*n = 0;
	if ((rc = db_prep(c, WORKER_LEVEL_FACTS)))
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
		f->org_id = db_col_int(c, 2);
		db_col_copy(c, 3, f->on_date, sizeof(f->on_date));
		f->amount = (double)db_col_int(c, 5);
		snprintf(f->text, sizeof(f->text), "技能等级 %lld → %lld",
		    (long long)db_col_int(c, 4), (long long)db_col_int(c, 5));
	}
	db_done(c);
	if (rc < 0)
		return rc;
	if ((rc = db_prep(c, WORKER_EVENTS_SETTLED)))
		return rc;
	db_bind_int(c, 1, clock_now() - SETTLE_SECONDS);
	if ((rc = db_one(c)) == 0) {
		aged = db_col_int(c, 0);
		db_done(c);
	} else if (rc != ERR_NOTFOUND) {
		return rc;
	}
	*settled = *n == s->max && out[*n - 1].seq < aged ? out[*n - 1].seq : aged;
	if (*settled < s->after)
		*settled = s->after;
	return 0;
}
