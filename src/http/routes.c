/* Every module's routes, in the order they are matched. */
#include "accounts/accounts.h"
#include "http/http.h"

extern const struct route http_routes[];
extern const struct route orgs_routes[];
extern const struct route audit_routes[];
extern const struct route settings_routes[];
extern const struct route workers_routes[];
extern const struct route worker_files_routes[];
extern const struct route jobs_routes[];

const struct route *const http_route_tables[] = {
	http_routes,
	accounts_routes,
	orgs_routes,
	audit_routes,
	settings_routes,
	workers_routes,
	worker_files_routes,
	jobs_routes,
	NULL,
};
