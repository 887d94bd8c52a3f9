/* evaluation: the evaluation index (指数式定标), its classes (分类式管理),
 * periods, scores, seals and robustness runs. */
#include <stdio.h>

#include "base/clock.h"

#include "evaluation/evaluation.h"
#include "audit/audit.h"
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

static const struct audit_label audit_labels[] = {
	{"eval.class_add", "新增分类", "Add a class"},
	{"eval.class_delete", "删除分类", "Delete a class"},
	{"eval.class_update", "修改分类", "Update a class"},
	{"eval.compute", "计算得分", "Compute a period"},
	{"eval.index_create", "新建指标体系", "Create an index"},
	{"eval.members_set", "调整分类成员", "Set a class's members"},
	{"eval.node_add", "新增指标", "Add a node"},
	{"eval.node_delete", "删除指标", "Delete a node"},
	{"eval.node_update", "修改指标", "Update a node"},
	{"eval.notice", "示范单位公示", "Put demonstration units to 公示"},
	{"eval.period_add", "新增评价周期", "Add a period"},
	{"eval.period_due", "设置填报截止日期", "Set the deadline for values"},
	{"eval.propose", "提名示范单位", "Propose demonstration units"},
	{"eval.propose_again", "重新提名示范单位", "Propose again"},
	{"eval.review", "审核示范单位提名", "Review a proposal"},
	{"eval.robustness", "稳健性检验", "Test robustness"},
	{"eval.seal", "封存评价周期", "Seal a period"},
	{"eval.tree_import", "导入指标体系", "Import an index tree"},
	{"eval.value_put", "填报指标数据", "Enter a value"},
	{"eval.value_review", "审核指标数据", "Review a value"},
	{"eval.values_import", "导入采集表", "Import a collection template"},
	{NULL, NULL, NULL},
};

const struct module evaluation_module = {
	.name = "evaluation",
	.routes = routes,
	.jobs = jobs,
	.ticks = ticks,
	.checks = checks,
	.demo = evaluation_demo,
	.notice_kinds = notice_kinds,
	.audit_labels = audit_labels,
};
