/* inbox: what capabilities tell units and users, one list for all. */
#include "http/http.h"
#include "modules.h"

extern const struct route inbox_routes[];

static const struct route *const routes[] = {inbox_routes, NULL};

const struct module inbox_module = {
	.name = "inbox",
	.routes = routes,
};
