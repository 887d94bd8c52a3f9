/* evaluation: the evaluation index (指数式定标), its classes (分类式管理),
 * periods, scores, seals and robustness runs. */
#include <stdio.h>

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
	.checks = checks,
	.demo = evaluation_demo,
	.notice_kinds = notice_kinds,
};
