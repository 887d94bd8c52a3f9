/* The ledger's metrics for the evaluation index: points feed an indicator
 * as any other computed value does. Expiry is left out: a period is
 * scored by what was earned in it, whatever has lapsed since. */
#include <stdio.h>

#include "base/metric.h"
#include "db/db.h"
#include "points/points.h"

static int
read_sum(struct db_conn *c, double *x, int *have)
{
	int rc;

	if ((rc = db_one(c)))
		return rc;
	*x = (double)db_col_int(c, 0);
	*have = 1;
	db_done(c);
	return 0;
}

int
points_metric_earned(struct db_conn *c, const struct metric_unit *u, double *x,
    int *have, char *filters, size_t n)
{
	int rc;

	snprintf(filters, n, "holder org %lld, entries dated %s..%s, expiry left out",
	    (long long)u->org_id, u->from, u->to);
	if ((rc = db_prep(c, POINTS_METRIC_ORG)))
		return rc;
	db_bind_int(c, 1, u->org_id);
	db_bind_text(c, 2, u->from);
	db_bind_text(c, 3, u->to);
	return read_sum(c, x, have);
}

int
points_metric_workers(struct db_conn *c, const struct metric_unit *u, double *x,
    int *have, char *filters, size_t n)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc;

	path_range(u->path, lo, hi, sizeof(lo));
	snprintf(filters, n, "workers of the subtree %s, entries dated %s..%s, expiry left out",
	    u->path, u->from, u->to);
	if ((rc = db_prep(c, POINTS_METRIC_WORKERS)))
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	db_bind_text(c, 3, u->from);
	db_bind_text(c, 4, u->to);
	return read_sum(c, x, have);
}
