/* orgs: the organisation tree. */
#include <stdio.h>

#include "audit/audit.h"
#include "http/http.h"
#include "modules.h"
#include "orgs/orgs.h"

extern const struct route orgs_routes[];

static const struct route *const routes[] = {orgs_routes, NULL};

static int
check_paths(struct db_conn *c, struct buf *report, char *summary, size_t n)
{
	int64_t count = 0;
	int problems = orgs_check(c, report, &count);

	if (problems >= 0)
		snprintf(summary, n, "%lld organisations, %d path differences",
		    (long long)count, problems);
	return problems;
}

static const struct module_check checks[] = {
	{"orgs", check_paths},
	{NULL, NULL},
};

static const struct audit_label audit_labels[] = {
	{"org.create", "新增单位", "Create an org"},
	{"org.disable", "停用单位", "Disable an org"},
	{"org.enable", "启用单位", "Enable an org"},
	{"org.move", "调整隶属关系", "Move an org"},
	{"org.update", "修改单位", "Update an org"},
	{NULL, NULL, NULL},
};

const struct module orgs_module = {
	.name = "orgs",
	.routes = routes,
	.checks = checks,
	.audit_labels = audit_labels,
};
