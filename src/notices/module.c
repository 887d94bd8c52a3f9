/* notices: 公示 notices, their objection windows and answers. */
#include <stdio.h>

#include "base/clock.h"
#include "audit/audit.h"
#include "http/http.h"
#include "modules.h"
#include "notices/notices.h"

extern const struct route notices_routes[];

static const struct route *const routes[] = {notices_routes, NULL};

/* Notices whose window ended and whose objections are answered close. */
static int
notice_sweep(struct db *db, char *said, size_t n)
{
	char today[11];
	size_t closed = 0;
	int rc;

	clock_today(today);
	if ((rc = notices_sweep(db, today, &closed)))
		return rc;
	snprintf(said, n, "notices: %zu closed", closed);
	return closed > 0;
}

static const struct job_tick ticks[] = {
	{"notice sweep", notice_sweep, 300, TICK_SWEEP},
	{NULL, NULL, 0, 0},
};

static const struct audit_label audit_labels[] = {
	{"notice.close", "结束公示", "Close a notice"},
	{"notice.create", "新建公示", "Create a notice"},
	{"notice.objection", "收到异议", "Receive an objection"},
	{"notice.objections_unmask", "查看异议人完整信息", "Read objectors unmasked"},
	{"notice.open", "发布公示", "Open a notice"},
	{"notice.respond", "答复异议", "Answer an objection"},
	{"notice.update", "修改公示", "Update a notice"},
	{NULL, NULL, NULL},
};

const struct module notices_module = {
	.name = "notices",
	.routes = routes,
	.ticks = ticks,
	.audit_labels = audit_labels,
};
