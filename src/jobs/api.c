/* GET /api/v1/jobs/{id}: progress of long work, for its creator and for
 * those who may read what the job is about; GET /api/v1/jobs/{id}/file:
 * an export's file, for its creator alone while it still holds the
 * permission the file needed, audited, until the file expires. */
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "db/db.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "settings/settings.h"

/* Who may read what a job of this kind is about: the roster's readers for
 * roster imports and exports (an expert or a department may not). */
static unsigned
kind_readers(const char *kind)
{
	if (!strcmp(kind, "import_workers") || !strcmp(kind, "export_workers"))
		return ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER;
	return ROLE_ADMIN;
}

static int
unmasked_export(const struct job *j)
{
	json_t *p = json_loads(j->params, 0, NULL);
	int yes = p && json_is_true(json_object_get(p, "unmask"));

	json_decref(p);
	return yes;
}

static int
h_job(struct req *r)
{
	const struct principal *p = req_who(r);
	struct db_conn *c;
	struct job j;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = jobs_get(c, req_param_id(r, 0), &j)))
		return rc;
	if (!scope_allows(p, kind_readers(j.kind), j.org_path) && j.actor_id != p->user_id)
		return ERR_NOTFOUND;
	jobs_json(req_json(r, 200), &j);
	return 0;
}

/* The file an export job produced, decrypted into a temporary file that
 * is unlinked at once and sent from its descriptor. */
static int
h_job_file(struct req *r)
{
	const struct pii_key *k = req_pii_key(r);
	const struct principal *p = req_who(r);
	const char *dir = getenv("TMPDIR");
	char tmp[256];
	struct db_conn *c;
	struct stat st;
	struct buf data;
	struct job j;
	int rc, fd, unmask;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = jobs_get(c, req_param_id(r, 0), &j)))
		return rc;
	/* the file is its creator's, and nobody else learns it exists */
	if (strcmp(j.kind, "export_workers") || j.actor_id != p->user_id ||
	    !scope_allows(p, kind_readers(j.kind), j.org_path))
		return ERR_NOTFOUND;
	unmask = unmasked_export(&j);
	/* the permission is checked again now, not only when it was made */
	if (unmask && !scope_pii(p, j.org_path))
		return req_error(r, 403, "forbidden", NULL,
		    "this file holds personal data you may no longer read",
		    "该文件含个人信息，您已无权查看");
	/* fetching it is showing it: a step-up as recent as for making it
	 * (counted when it was made) */
	if (unmask && ((rc = req_unmask_gate(r, 0, 0)) || req_answered(r)))
		return rc;
	if (strcmp(j.state, "done"))
		return req_error(r, 409, "conflict", NULL,
		    "the export is not finished yet", "导出尚未完成");
	if (jobs_file_expired(&j, req_setting(r, SET_EXPORT_FILE_HOURS)))
		return req_error(r, 404, "not_found", NULL,
		    "the export file has expired and was deleted; export again",
		    "导出文件已过期删除，请重新导出");
	buf_init(&data, (size_t)1 << 31);
	rc = jobs_get_file(c, k, j.id, &data);
	req_db_release(r);
	if (rc)
		goto out;
	if (!data.len) {
		rc = req_error(r, 404, "not_found", NULL,
		    "the export file has expired and was deleted; export again",
		    "导出文件已过期删除，请重新导出");
		goto out;
	}
	{
		struct audit_entry ae;
		char target[32], summary[96];

		snprintf(target, sizeof(target), "job:%lld", (long long)j.id);
		snprintf(summary, sizeof(summary), "{\"job\":%lld,\"rows\":%lld,\"unmasked\":%s}",
		    (long long)j.id, (long long)j.done, unmask ? "true" : "false");
		req_audit_entry(r, &ae, unmask ? "workers.export_download_pii" :
		    "workers.export_download", target);
		ae.org_id = j.org_id;
		ae.org_path = j.org_path;
		ae.summary = summary;
		if ((rc = audit_append_tx(req_store(r), &ae)))
			goto out;
	}
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
