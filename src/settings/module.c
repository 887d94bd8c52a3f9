/* settings: the city's parameters and code lists. */
#include "http/http.h"
#include "modules.h"

extern const struct route settings_routes[];

static const struct route *const routes[] = {settings_routes, NULL};

const struct module settings_module = {
	.name = "settings",
	.routes = routes,
};
