/* calendar: working days, holidays and make-up days. */
#include "audit/audit.h"
#include "http/http.h"
#include "modules.h"

extern const struct route calendar_routes[];

static const struct route *const routes[] = {calendar_routes, NULL};

static const struct audit_label audit_labels[] = {
	{"calendar.replace", "更新工作日历", "Replace a year's calendar"},
	{NULL, NULL, NULL},
};

const struct module calendar_module = {
	.name = "calendar",
	.routes = routes,
	.audit_labels = audit_labels,
};
