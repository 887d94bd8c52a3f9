/* workers: the roster (花名册), its imports, exports and statistics. */
#include <stdio.h>

#include "http/http.h"
#include "modules.h"
#include "workers/import.h"
#include "workers/workers.h"

extern const struct route workers_routes[], worker_files_routes[];

static const struct route *const routes[] = {
	workers_routes, worker_files_routes, NULL,
};

static const struct job_kind jobs[] = {
	{"import_workers", workers_import_run},
	{"export_workers", workers_export_run},
	{NULL, NULL},
};

static int
check_rollups(struct db_conn *c, struct buf *report, char *summary, size_t n)
{
	int problems = workers_check_rollups(c, report);

	if (problems >= 0)
		snprintf(summary, n, "%d differences between worker rows and rollups",
		    problems);
	return problems;
}

static int
check_cards(struct db_conn *c, struct buf *report, char *summary, size_t n)
{
	int problems = workers_check_cards(c, report);

	if (problems >= 0)
		snprintf(summary, n, "%d worker rows whose list card differs from "
		    "the row", problems);
	return problems;
}

static const struct module_check checks[] = {
	{"rollups", check_rollups},
	{"cards", check_cards},
	{NULL, NULL},
};

const struct module workers_module = {
	.name = "workers",
	.routes = routes,
	.jobs = jobs,
	.checks = checks,
};
