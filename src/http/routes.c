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
extern const struct route plans_routes[];
extern const struct route plan_statement_routes[];
extern const struct route plan_files_routes[];
extern const struct route calendar_routes[];
extern const struct route notices_routes[];
extern const struct route approval_routes[];
extern const struct route factor_routes[];

const struct route *const http_route_tables[] = {
	http_routes,
	accounts_routes,
	approval_routes,
	factor_routes,
	orgs_routes,
	audit_routes,
	settings_routes,
	workers_routes,
	worker_files_routes,
	jobs_routes,
	plans_routes,
	plan_statement_routes,
	plan_files_routes,
	calendar_routes,
	notices_routes,
	NULL,
};
