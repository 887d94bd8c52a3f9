/* GET /api/v1/jobs/{id}: progress of long work, for whoever can see the
 * org the job belongs to. */
#include "base/err.h"
#include "db/db.h"
#include "jobs/jobs.h"

static int
h_job(struct req *r)
{
	struct db_conn *c;
	struct job j;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = jobs_get(c, req_param_id(r, 0), &j)))
		return rc;
	if (!scope_allows(req_who(r), ROLES_BUSINESS, j.org_path))
		return ERR_NOTFOUND;
	jobs_json(req_json(r, 200), &j);
	return 0;
}

const struct route jobs_routes[] = {
	{HTTP_GET, "/api/v1/jobs/{id}", h_job, ROLES_BUSINESS, 0, NULL, NULL,
	    "jobs", "Progress and result of an import or export"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
