/* audit: the hash-chained trail and its anchors. The chain's own check
 * runs in `changai check` beside the schema's: every module writes it. */
#include <stdio.h>

#include "audit/audit.h"
#include "base/err.h"
#include "http/http.h"
#include "modules.h"

extern const struct route audit_routes[];

static const struct route *const routes[] = {audit_routes, NULL};

/* An anchor line each minute the trail grew, to the anchors file: what an
 * operator ships off the machine. Only the server writes them (the path is
 * the server's), so `changai sweep` leaves it out. */
static int
anchor_tick(struct db *db, char *said, size_t n)
{
	static int64_t last = -1;
	const char *path = audit_anchors_path();
	struct db_conn *c;
	int64_t seq = 0;
	int rc;

	if (!path || (rc = db_acquire(db, DB_READ, &c)))
		return 0;
	rc = audit_head_seq(c, &seq);
	if (!rc && seq != last && !(rc = audit_anchor_write(c, path, &seq)))
		last = seq;
	db_release(c);
	if (rc)
		snprintf(said, n, "audit: anchor not written to %s: %s", path,
		    err_name(rc));
	return rc;
}

static const struct job_tick ticks[] = {
	{"audit anchor", anchor_tick, 60, TICK_SERVE_ONLY},
	{NULL, NULL, 0, 0},
};

static const struct audit_label audit_labels[] = {
	{"audit.archive", "归档审计记录", "Archive audit rows"},
	{"audit.read", "查阅审计记录", "Read the audit trail"},
	{"audit.export", "导出审计记录", "Export the audit trail"},
	{NULL, NULL, NULL},
};

const struct module audit_module = {
	.name = "audit",
	.routes = routes,
	.ticks = ticks,
	.audit_labels = audit_labels,
};
