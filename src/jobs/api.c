/* GET /api/v1/jobs/{id}: progress of long work, for whoever can see the
 * org the job belongs to. */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "db/db.h"
#include "http/server.h"
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

/* The file an export job produced, decrypted into a temporary file that
 * is unlinked at once and sent from its descriptor. */
static int
h_job_file(struct req *r)
{
	const struct pii_key *k = req_server(r)->cfg.pii;
	const char *dir = getenv("TMPDIR");
	char tmp[256];
	struct db_conn *c;
	struct stat st;
	struct buf data;
	struct job j;
	int rc, fd;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = jobs_get(c, req_param_id(r, 0), &j)))
		return rc;
	if (!scope_allows(req_who(r), ROLES_BUSINESS, j.org_path) ||
	    strcmp(j.kind, "export_workers"))
		return ERR_NOTFOUND;
	if (strcmp(j.state, "done"))
		return req_error(r, 409, "conflict", NULL,
		    "the export is not finished yet", "导出尚未完成");
	buf_init(&data, (size_t)1 << 31);
	rc = jobs_get_file(c, k, j.id, &data);
	req_db_release(r);
	if (rc)
		goto out;
	snprintf(tmp, sizeof(tmp), "%s/changai-job-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = ERR_IO;
		goto out;
	}
	unlink(tmp);
	if (write(fd, data.data ? data.data : "", data.len) != (ssize_t)data.len ||
	    lseek(fd, 0, SEEK_SET) != 0 || fstat(fd, &st)) {
		close(fd);
		rc = ERR_IO;
		goto out;
	}
	rc = req_file(r, 200,
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fd,
	    (uint64_t)st.st_size, "花名册.xlsx");
out:
	if (data.data)
		sodium_memzero(data.data, data.len);
	buf_free(&data);
	return rc;
}

const struct route jobs_routes[] = {
	{HTTP_GET, "/api/v1/jobs/{id}/file", h_job_file, ROLES_BUSINESS, 0, NULL,
	    NULL, "jobs", "The file a finished export job produced"},
	{HTTP_GET, "/api/v1/jobs/{id}", h_job, ROLES_BUSINESS, 0, NULL, NULL,
	    "jobs", "Progress and result of an import or export"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
