/* evaluation: the evaluation index (指数式定标), its classes (分类式管理),
 * periods, scores, seals and robustness runs. */
#include <stdio.h>

#include "base/clock.h"

#include "evaluation/evaluation.h"
#include "http/http.h"
#include "modules.h"
#include "notices/notices.h"

extern const struct route evaluation_routes[];
extern const struct route evaluation_naming_routes[];

static const struct route *const routes[] = {evaluation_routes, evaluation_naming_routes, NULL};

static const struct notice_kind notice_kinds[] = {
	{"demonstration", "示范单位公示", "work", 5, eval_notice_closed},
	{NULL, NULL, NULL, 0, NULL},
};

static const struct job_kind jobs[] = {
	{"eval_compute", eval_compute_run},
	{"eval_robust", eval_robust_job},
	{NULL, NULL},
};

/* The sweep reminds units that owe values past a period's deadline. */
static int
remind(struct db *db, char *said, size_t n)
{
	char today[11];
	size_t told = 0;
	int rc;

	clock_today(today);
	if ((rc = eval_remind(db, today, &told)))
		return rc;
	snprintf(said, n, "evaluation: %zu reminders of values not reported", told);
	return told > 0;
}

static const struct job_tick ticks[] = {
	{"evaluation reminders", remind, 300, TICK_SWEEP},
	{NULL, NULL, 0, 0},
};

static int
check_seals(struct db_conn *c, struct buf *report, char *summary, size_t n)
{
	int64_t count = 0;
	int problems = eval_check_seals(c, report, &count);

	if (problems >= 0)
		snprintf(summary, n, "%lld sealed periods, %d differ from their seal",
		    (long long)count, problems);
	return problems;
}

static const struct module_check checks[] = {
	{"evaluation seals", check_seals},
	{NULL, NULL},
};

const struct module evaluation_module = {
	.name = "evaluation",
	.routes = routes,
	.jobs = jobs,
	.ticks = ticks,
	.checks = checks,
	.demo = evaluation_demo,
	.notice_kinds = notice_kinds,
};
