/* jobs: long operations, their files and the uploads they read. */
#include <stdio.h>

#include "base/clock.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "audit/audit.h"
#include "modules.h"
#include "settings/settings.h"

extern const struct route jobs_routes[];

static const struct route *const routes[] = {jobs_routes, NULL};

/* Export files go once their creator has had time to fetch them; uploads
 * no job took, once no request can still be writing them. */
static int
expire_files(struct db *db, char *said, size_t n)
{
	int64_t v[SET__MAX], chunks = 0, uploads = 0;
	struct db_conn *c;
	int rc;

	if ((rc = db_acquire(db, DB_READ, &c)))
		return rc;
	rc = settings_load(c, v);
	db_release(c);
	if (!rc)
		rc = jobs_expire_files(db, clock_real() - v[SET_EXPORT_FILE_HOURS] * 3600,
		    &chunks);
	if (!rc)
		rc = uploads_sweep(db, clock_real() - 24 * 3600, &uploads);
	if (rc)
		return rc;
	snprintf(said, n, "files: %lld expired export file chunks and %lld uploads "
	    "no job needs deleted", (long long)chunks, (long long)uploads);
	return chunks > 0 || uploads > 0;
}

static const struct job_tick ticks[] = {
	{"file expiry", expire_files, 600, 0},
	{NULL, NULL, 0, 0},
};

static const struct audit_label audit_labels[] = {
	{"workers.export_download", "下载导出文件", "Download an export"},
	{"workers.export_download_pii", "下载完整导出文件", "Download an unmasked export"},
	{NULL, NULL, NULL},
};

const struct module jobs_module = {
	.name = "jobs",
	.routes = routes,
	.ticks = ticks,
	.audit_labels = audit_labels,
};
