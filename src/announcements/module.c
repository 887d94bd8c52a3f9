/* announcements (通知公告): a unit's notices to the units below it, with
 * read receipts. */
#include "audit/audit.h"
#include "http/http.h"
#include "modules.h"

extern const struct route announcement_routes[];

static const struct route *const routes[] = {announcement_routes, NULL};

static const struct audit_label labels[] = {
	{"announcement.send", "发布通知公告", "Send a notice"},
	{"announcement.withdraw", "撤回通知公告", "Withdraw a notice"},
	{NULL, NULL, NULL},
};

const struct module announcements_module = {
	.name = "announcements",
	.routes = routes,
	.audit_labels = labels,
};
