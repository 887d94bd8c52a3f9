/* workers: the roster (花名册), its imports, exports and statistics. */
#include <stdio.h>
#include <string.h>

#include "base/fact.h"
#include "base/metric.h"
#include "base/clock.h"
#include "audit/audit.h"
#include "http/http.h"
#include "modules.h"
#include "workers/import.h"
#include "workers/workers.h"

extern const struct route workers_routes[], worker_files_routes[];

static const struct route *const routes[] = {
	workers_routes, worker_files_routes, NULL,
};

static const struct job_kind jobs[] = {
	{"import_workers", workers_import_run},
	{"export_workers", workers_export_run},
	{NULL, NULL},
};

static int
check_rollups(struct db_conn *c, struct buf *report, char *summary, size_t n)
{
	int problems = workers_check_rollups(c, report);

	if (problems >= 0)
		snprintf(summary, n, "%d differences between worker rows and rollups",
		    problems);
	return problems;
}

static int
check_cards(struct db_conn *c, struct buf *report, char *summary, size_t n)
{
	int problems = workers_check_cards(c, report);

	if (problems >= 0)
		snprintf(summary, n, "%d worker rows whose list card differs from "
		    "the row", problems);
	return problems;
}

static const struct module_check checks[] = {
	{"rollups", check_rollups},
	{"cards", check_cards},
	{NULL, NULL},
};

/* The registry's metrics for the evaluation index: the subtree's active
 * workers from the rollups, as the registry stands when it is read (the
 * rollups keep no history; a sealed period keeps what was read). */
enum stat { ST_COUNT, ST_SKILLED, ST_HIGH, ST_HIGH_RATIO, ST_UNION_RATE };

static int
stat_read(struct db_conn *c, const struct metric_unit *u, enum stat which, double *x,
    int *have, char *filters, size_t n)
{
	static const char memo_tag = 0;   /* its address tells this reader's slot */
	_Static_assert(sizeof(struct skill_stats) <= METRIC_MEMO_BYTES, "stats fit a memo slot");
	struct skill_stats s;
	int filled, rc;
	void *slot = metric_memo_slot(u->memo, &memo_tag, &filled);

	if (filled) {
		memcpy(&s, slot, sizeof(s));
	} else {
		if ((rc = workers_stats(c, u->org_id, &s)))
			return rc;
		if (slot)
			memcpy(slot, &s, sizeof(s));
	}
	snprintf(filters, n, "active workers of org %lld (%s) and its subtree, "
	    "from the registry's rollups on %s", (long long)u->org_id, u->path, u->as_of);
	*have = 1;
	switch (which) {
	case ST_COUNT:
		*x = (double)s.workers;
		break;
	case ST_SKILLED:
		*x = (double)s.skilled;
		break;
	case ST_HIGH:
		*x = (double)s.high_skilled;
		break;
	case ST_HIGH_RATIO:
		/* DOMAIN.md: 高技能人才占比 is of the skilled, not of all workers */
		*have = s.skilled > 0;
		*x = *have ? (double)s.high_skilled / (double)s.skilled : 0;
		break;
	case ST_UNION_RATE:
		*have = s.workers > 0;
		*x = *have ? (double)s.union_members / (double)s.workers : 0;
		break;
	}
	return 0;
}

#define STAT_METRIC(fn, which) \
	static int fn(struct db_conn *c, const struct metric_unit *u, double *x, \
	    int *have, char *filters, size_t n) \
	{ \
		return stat_read(c, u, which, x, have, filters, n); \
	}
STAT_METRIC(m_count, ST_COUNT)
STAT_METRIC(m_skilled, ST_SKILLED)
STAT_METRIC(m_high, ST_HIGH)
STAT_METRIC(m_high_ratio, ST_HIGH_RATIO)
STAT_METRIC(m_union_rate, ST_UNION_RATE)

static const struct metric metric_list[] = {
	{"workers.count", "people", "Active workers", "在职职工人数", m_count},
	{"workers.skilled", "people", "Skilled workers (初级工 and up)",
	    "技能劳动者人数", m_skilled},
	{"workers.high_skilled", "people", "Highly skilled workers (高级工 and up)",
	    "高技能人才人数", m_high},
	{"workers.high_skill_ratio", "ratio", "Highly skilled among the skilled",
	    "高技能人才占比", m_high_ratio},
	{"workers.union_rate", "ratio", "Share of workers in the union", "职工入会率",
	    m_union_rate},
	{NULL, NULL, NULL, NULL, NULL},
};

static const struct fact_source fact_list[] = {
	{"workers.level_up", "worker", "A worker's skill level went up", "职工技能等级晋升",
	    "the new level (1-8)", "晋升后的等级（1–8）", workers_level_facts},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

static const struct audit_label audit_labels[] = {
	{"worker.create", "新增职工", "Add a worker"},
	{"worker.read_pii", "查看完整个人信息", "Read personal data in full"},
	{"worker.transfer", "职工调动", "Transfer a worker"},
	{"worker.leave", "批量离职", "Workers leave (batch)"},
	{"worker.update", "修改职工信息", "Update a worker"},
	{"workers.export", "导出花名册", "Export the roster"},
	{"workers.export_pii", "导出完整花名册", "Export the roster unmasked"},
	{"workers.import", "导入花名册", "Import the roster"},
	{"workers.import_errors_pii", "下载完整导入错误表", "Download import errors unmasked"},
	{"workers.import_start", "开始导入花名册", "Start a roster import"},
	{NULL, NULL, NULL},
};

const struct module workers_module = {
	.name = "workers",
	.routes = routes,
	.jobs = jobs,
	.checks = checks,
	.metrics = metric_list,
	.facts = fact_list,
	.audit_labels = audit_labels,
};
