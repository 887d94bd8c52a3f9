/* plans: implementation plans, progress reports, the reconciliation
 * statement (对账单) and its seals. */
#include <stdio.h>

#include "base/clock.h"
#include "http/http.h"
#include "modules.h"
#include "plans/plans.h"

extern const struct route plans_routes[], plan_statement_routes[],
    plan_files_routes[];

static const struct route *const routes[] = {
	plans_routes, plan_statement_routes, plan_files_routes, NULL,
};

/* The sweep writes what reading the inbox would otherwise have to. */
static int
red_sweep(struct db *db, char *said, size_t n)
{
	char today[11];
	size_t recorded = 0;
	int rc;

	clock_today(today);
	if ((rc = plans_red_sweep(db, today, &recorded)))
		return rc;
	snprintf(said, n, "sweep: %zu inbox entries recorded", recorded);
	return recorded > 0;
}

static const struct job_tick ticks[] = {
	{"red-task sweep", red_sweep, 300, TICK_SWEEP},
	{NULL, NULL, 0, 0},
};

static int
check_progress(struct db_conn *c, struct buf *report, char *summary, size_t n)
{
	int problems = plans_check_progress(c, report);

	if (problems >= 0)
		snprintf(summary, n, "%d differences between reports and sub-item "
		    "progress", problems);
	return problems;
}

static int
check_seals(struct db_conn *c, struct buf *report, char *summary, size_t n)
{
	int64_t count = 0;
	int problems = plans_check_seals(c, report, &count);

	if (problems >= 0)
		snprintf(summary, n, "%lld sealed statements, %d differ from their "
		    "seals", (long long)count, problems);
	return problems;
}

static const struct module_check checks[] = {
	{"plans", check_progress},
	{"seals", check_seals},
	{NULL, NULL},
};

const struct module plans_module = {
	.name = "plans",
	.routes = routes,
	.ticks = ticks,
	.checks = checks,
	.demo = plans_demo,
};
