/* accounts: users, grants, sessions and tokens, two-person approvals and
 * the second factor. */
#include "http/http.h"
#include "modules.h"

extern const struct route accounts_routes[], approval_routes[], factor_routes[];

static const struct route *const routes[] = {
	accounts_routes, approval_routes, factor_routes, NULL,
};

const struct module accounts_module = {
	.name = "accounts",
	.routes = routes,
};
