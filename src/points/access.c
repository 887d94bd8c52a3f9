/* Who may write a holder's points. A unit never scores itself: an org's
 * points are written by an owner (POINTS_OWNERS) over the org above it,
 * so an enterprise's operator neither awards its enterprise points nor
 * takes back a deduction against it; a worker's are written by an owner
 * over the worker's org (an enterprise union scoring its own workers). */
#include <string.h>

#include "base/util.h"
#include "points/points.h"

/* "/1/2/5/" → "/1/2/"; "" for a root ("/1/") */
static void
parent_of(const char *path, char *out, size_t n)
{
	size_t len = strlen(path);

	out[0] = '\0';
	if (len < 2 || len >= n)
		return;
	/* the last component ends at len - 1; the parent ends at the '/' before it */
	for (size_t i = len - 1; i-- > 0;)
		if (path[i] == '/') {
			if (i == 0)
				return;
			memcpy(out, path, i + 1);
			out[i + 1] = '\0';
			return;
		}
}

int
points_may_write(const struct principal *p, const char *holder_kind, const char *holder_path)
{
	char parent[ORG_PATH_MAX];

	if (strcmp(holder_kind, "org"))
		return scope_allows(p, POINTS_OWNERS, holder_path);
	parent_of(holder_path, parent, sizeof(parent));
	return parent[0] && scope_allows(p, POINTS_OWNERS, parent);
}

int
points_may_correct(struct db_conn *c, const struct principal *p, const struct points_entry *e,
    const char *holder_path)
{
	struct points_rule rule;
	int rc;

	if (!points_may_write(p, e->holder_kind, holder_path))
		return ERR_PERM;
	if (!e->rule_id)
		return 0;
	if ((rc = points_rule_get(c, e->rule_id, &rule)))
		return rc;
	return scope_allows(p, POINTS_OWNERS, rule.org_path) ? 0 : ERR_PERM;
}
