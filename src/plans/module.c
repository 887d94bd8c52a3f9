/* plans: implementation plans, progress reports, the reconciliation
 * statement (对账单) and its seals. */
#include <stdio.h>

#include <string.h>

#include "base/clock.h"
#include "base/fact.h"
#include "base/metric.h"
#include "base/util.h"
#include "audit/audit.h"
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

/* plans.completion: the unit's own plan of the year the period ends in,
 * as of the period's end or today, whichever comes first. */
static int
m_completion(struct db_conn *c, const struct metric_unit *u, double *x, int *have,
    char *filters, size_t n)
{
	char as_of[11];
	int64_t plan_id;
	int year = 0, rc;

	str_copy(as_of, sizeof(as_of), strcmp(u->to, u->as_of) < 0 ? u->to : u->as_of);
	sscanf(u->to, "%4d", &year);
	if ((rc = plans_unit_completion(c, u->org_id, year, as_of, x, have, &plan_id)))
		return rc;
	if (*have)
		snprintf(filters, n, "plan %lld of org %lld for %d, reports as of %s",
		    (long long)plan_id, (long long)u->org_id, year, as_of);
	else
		snprintf(filters, n, "org %lld has no plan for %d", (long long)u->org_id, year);
	return 0;
}

static const struct metric metric_list[] = {
	{"plans.completion", "ratio", "Completion of the unit's own plan",
	    "本单位实施方案完成率", m_completion},
	{NULL, NULL, NULL, NULL, NULL},
};

static const struct fact_source fact_list[] = {
	{"plans.report_accepted", "org", "A progress report was accepted", "进展报告审核通过",
	    "1 for each report", "每份报告计 1", plans_report_facts},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

static const struct audit_label audit_labels[] = {
	{"plan.cascade", "分解实施方案", "Hand a plan down"},
	{"plan.create", "新建实施方案", "Create a plan"},
	{"plan.delete", "删除实施方案", "Delete a plan"},
	{"plan.evidence", "上传佐证材料", "Upload evidence"},
	{"plan.import", "导入实施方案", "Import a plan"},
	{"plan.node_create", "新增任务", "Add a task"},
	{"plan.node_delete", "删除任务", "Delete a task"},
	{"plan.node_update", "修改任务", "Update a task"},
	{"plan.report", "报送进展", "Report progress"},
	{"plan.report_accept", "通过进展报送", "Accept a report"},
	{"plan.report_return", "退回进展报送", "Return a report"},
	{"plan.reports_accept", "批量通过进展报送", "Accept reports in a batch"},
	{"plan.statement_export", "导出对账单", "Export a statement"},
	{"plan.statement_seal", "封存对账单", "Seal a statement"},
	{"plan.update", "修改实施方案", "Update a plan"},
	{NULL, NULL, NULL},
};

const struct module plans_module = {
	.name = "plans",
	.routes = routes,
	.ticks = ticks,
	.checks = checks,
	.demo = plans_demo,
	.metrics = metric_list,
	.facts = fact_list,
	.audit_labels = audit_labels,
};
