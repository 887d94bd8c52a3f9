/* Every module's routes, in the order they are matched. */
#include "accounts/accounts.h"
#include "http/http.h"

extern const struct route http_routes[];
extern const struct route orgs_routes[];
extern const struct route audit_routes[];
extern const struct route settings_routes[];

const struct route *const http_route_tables[] = {
	http_routes,
	accounts_routes,
	orgs_routes,
	audit_routes,
	settings_routes,
	NULL,
};
