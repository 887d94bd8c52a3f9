/* Who may do what with an evaluation index. The index's owners (an admin
 * or operator grant over its org) define it, enter values that count at
 * once, review, compute and seal; readers over its org see every unit;
 * a reader grant below it (a street's or an enterprise's account) sees
 * the units of its own subtree and reports their values, which count once
 * an owner accepts them. */
#include <string.h>

#include "base/err.h"
#include "evaluation/evaluation.h"

enum eval_see
eval_access(const struct principal *p, const struct eval_index *x, char *lo, char *hi)
{
	const struct grant *g;

	path_range(x->org_path, lo, hi, ORG_PATH_MAX);
	if (scope_allows(p, EVAL_OWNERS, x->org_path))
		return EVAL_SEE_OWNER;
	if (scope_allows(p, EVAL_READERS, x->org_path))
		return EVAL_SEE_ALL;
	if ((g = scope_below(p, EVAL_READERS, x->org_path))) {
		path_range(g->path, lo, hi, ORG_PATH_MAX);
		return EVAL_SEE_UNIT;
	}
	return EVAL_SEE_NONE;
}

const char *
eval_see_name(enum eval_see see)
{
	static const char *const names[] = {"none", "unit", "all", "owner"};

	return see >= EVAL_SEE_NONE && see <= EVAL_SEE_OWNER ? names[see] : "none";
}

int
eval_entry_state(const struct principal *p, enum eval_see see, const char *unit_path,
    const char **state)
{
	if (see == EVAL_SEE_OWNER) {
		*state = "accepted";
		return 0;
	}
	if (see != EVAL_SEE_NONE && scope_allows(p, EVAL_OWNERS, unit_path)) {
		*state = "submitted";
		return 0;
	}
	return scope_allows(p, EVAL_READERS, unit_path) ? ERR_PERM : ERR_NOTFOUND;
}
