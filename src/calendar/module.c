/* calendar: working days, holidays and make-up days. */
#include "http/http.h"
#include "modules.h"

extern const struct route calendar_routes[];

static const struct route *const routes[] = {calendar_routes, NULL};

const struct module calendar_module = {
	.name = "calendar",
	.routes = routes,
};
