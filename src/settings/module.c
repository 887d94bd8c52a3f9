/* settings: the city's parameters and code lists. */
#include "audit/audit.h"
#include "http/http.h"
#include "modules.h"

extern const struct route settings_routes[];

static const struct route *const routes[] = {settings_routes, NULL};

static const struct audit_label audit_labels[] = {
	{"code.create", "新增代码项", "Add a code"},
	{"code.update", "修改代码项", "Update a code"},
	{"settings.update", "修改系统参数", "Change settings"},
	{NULL, NULL, NULL},
};

const struct module settings_module = {
	.name = "settings",
	.routes = routes,
	.audit_labels = audit_labels,
};
