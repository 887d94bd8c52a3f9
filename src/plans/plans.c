/* Plans in the store: plans, their nodes and owners, progress reports.
 * Every write runs in the caller's transaction; every scoped read checks
 * the caller's grants in SQL, over org path ranges. */
#include "plans/plans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/buf.h"
#include "audit/audit.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"
#include "db/db.h"
#include "inbox/inbox.h"


static void
bind_opt_text(struct db_conn *c, int idx, const char *s)
{
	db_bind_text(c, idx, s && *s ? s : NULL);
}

static void
bind_opt_int(struct db_conn *c, int idx, int64_t v)
{
	if (v)
		db_bind_int(c, idx, v);
	else
		db_bind_null(c, idx);
}

/* ---- plans ---- */

static void
plan_read_row(struct db_conn *c, struct plan *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->id = db_col_int(c, 0);
	pl->org_id = db_col_int(c, 1);
	pl->year = (int)db_col_int(c, 2);
	db_col_copy(c, 3, pl->title, sizeof(pl->title));
	pl->parent_plan_id = db_col_null(c, 4) ? 0 : db_col_int(c, 4);
	pl->due_soon_days = db_col_null(c, 5) ? 0 : (int)db_col_int(c, 5);
	pl->created_by = db_col_null(c, 6) ? 0 : db_col_int(c, 6);
	pl->created = db_col_int(c, 7);
	pl->updated = db_col_int(c, 8);
	db_col_copy(c, 9, pl->org_name, sizeof(pl->org_name));
	db_col_copy(c, 10, pl->org_path, sizeof(pl->org_path));
	db_col_copy(c, 11, pl->org_kind, sizeof(pl->org_kind));
	pl->children = db_col_int(c, 12);
}

/* One plan read by id, optionally inside a path range. */
static int
plan_read(struct db_conn *c, enum db_stmt_id st, int64_t id, const char *lo,
    const char *hi, struct plan *pl)
{
	int rc = db_prep(c, st);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	if (lo) {
		db_bind_text(c, 2, lo);
		db_bind_text(c, 3, hi);
	}
	rc = db_one(c);
	if (!rc)
		plan_read_row(c, pl);
	db_done(c);
	return rc;
}

int
plans_lock(struct db_conn *c, enum db_stmt_id stmt, int64_t id)
{
	int rc = db_prep(c, stmt);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	rc = db_one(c);
	db_done(c);
	return rc;
}

int
plans_get(struct db_conn *c, int64_t id, struct plan *pl)
{
	return plan_read(c, PLAN_GET, id, NULL, NULL, pl);
}

int
plans_unit_completion(struct db_conn *c, int64_t org_id, int year, const char *as_of,
    double *completion, int *have, int64_t *plan_id)
{
	struct plan_model *m = NULL;
	struct plan_view all;
	struct plan pl;
	int rc;

	*have = 0;
	*plan_id = 0;
	if ((rc = db_prep(c, PLAN_OF_ORG_YEAR)))
		return rc;
	db_bind_int(c, 1, org_id);
	db_bind_int(c, 2, year);
	rc = db_one(c);
	if (!rc)
		plan_read_row(c, &pl);
	db_done(c);
	if (rc)
		return rc == ERR_NOTFOUND ? 0 : rc;
	if (!(m = malloc(sizeof(*m))))
		return ERR_NOMEM;
	memset(&all, 0, sizeof(all));
	all.all = 1;
	plan_model_init(m);
	if (!(rc = plan_model_load(c, &pl, as_of, plans_due_soon(&pl, 30), &all, m))) {
		*completion = m->completion;
		*have = 1;
		*plan_id = pl.id;
	}
	plan_model_free(m);
	free(m);
	return rc;
}

#define PLAN_MANAGERS (ROLE_ADMIN | ROLE_OPERATOR)
#define PLAN_READERS (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER)
#define PLAN_OWNERS_ROLES (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER | ROLE_DEPARTMENT)

int
plans_get_access(struct db_conn *c, const struct principal *p, int64_t id,
    struct plan *pl, struct plan_access *a)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc;

	memset(a, 0, sizeof(*a));
	/* the plan's org inside a grant: managers and readers */
	for (int i = 0; p && i < p->ngrants && a->level < PA_MANAGE; i++) {
		unsigned role = p->grants[i].role;
		int level = role & PLAN_MANAGERS ? PA_MANAGE : PA_READ;

		if (!(role & PLAN_READERS) || level <= a->level)
			continue;
		path_range(p->grants[i].path, lo, hi, sizeof(lo));
		rc = plan_read(c, PLAN_GET_IN, id, lo, hi, pl);
		if (rc == ERR_NOTFOUND)
			continue;
		if (rc)
			return rc;
		a->level = level;
	}
	if (a->level >= PA_READ)
		return 0;
	/* otherwise an owner of some of its sub-items */
	for (int i = 0; p && i < p->ngrants; i++) {
		if (!(p->grants[i].role & PLAN_OWNERS_ROLES))
			continue;
		path_range(p->grants[i].path, lo, hi, sizeof(lo));
		rc = plan_read(c, PLAN_OWNED_IN, id, lo, hi, pl);
		if (rc == ERR_NOTFOUND)
			continue;
		if (rc)
			return rc;
		a->level = PA_OWNER;
		a->owner_grants |= 1u << i;
	}
	return a->level ? 0 : ERR_NOTFOUND;
}

static const char *
level_name(int level)
{
	switch (level) {
	case PA_MANAGE: return "manage";
	case PA_READ: return "read";
	case PA_OWNER: return "owner";
	}
	return "none";
}

void
plans_json_fields(struct jw *w, const struct plan *pl, const struct plan_access *a)
{
	jw_kint(w, "id", pl->id);
	jw_kint(w, "org_id", pl->org_id);
	jw_kstr(w, "org_name", pl->org_name);
	jw_kstr(w, "org_kind", pl->org_kind);
	jw_kstr(w, "title", pl->title);
	jw_kint(w, "year", pl->year);
	if (pl->parent_plan_id)
		jw_kint(w, "parent_plan_id", pl->parent_plan_id);
	else
		jw_knull(w, "parent_plan_id");
	if (pl->due_soon_days)
		jw_kint(w, "due_soon_days", pl->due_soon_days);
	else
		jw_knull(w, "due_soon_days");
	jw_kint(w, "children", pl->children);
	if (a)
		jw_kstr(w, "access", level_name(a->level));
	jw_ktime(w, "created", pl->created);
	jw_ktime(w, "updated", pl->updated);
}

void
plans_json(struct jw *w, const struct plan *pl, const struct plan_access *a)
{
	jw_obj_open(w);
	plans_json_fields(w, pl, a);
	jw_obj_close(w);
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Appends the ids a statement yields (column 0) to a growing array. */
static int
collect_ids(struct db_conn *c, int64_t **ids, size_t *n, size_t *cap)
{
	int rc;

	while ((rc = db_step(c)) == DB_ROW) {
		if (*n == *cap) {
			size_t nc = *cap ? *cap * 2 : 64;
			int64_t *bigger;

			if (nc > (1u << 22)) {
				rc = ERR_TOOBIG;
				break;
			}
			bigger = realloc(*ids, nc * sizeof(**ids));
			if (!bigger) {
				rc = ERR_NOMEM;
				break;
			}
			*ids = bigger;
			*cap = nc;
		}
		(*ids)[(*n)++] = db_col_int(c, 0);
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

int
plans_visible_ids(struct db_conn *c, const struct principal *p, int year,
    const char *org_path, int64_t **ids, size_t *n)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], flo[ORG_PATH_MAX], fhi[ORG_PATH_MAX];
	size_t cap = 0, i, j;
	int rc = 0;

	*ids = NULL;
	*n = 0;
	if (org_path) {
		path_range(org_path, flo, fhi, sizeof(flo));
	} else {
		/* every path: they all start with '/', and '0' follows it */
		str_copy(flo, sizeof(flo), "/");
		str_copy(fhi, sizeof(fhi), "0");
	}
	for (int g = 0; p && g < p->ngrants && !rc; g++) {
		unsigned role = p->grants[g].role;

		path_range(p->grants[g].path, lo, hi, sizeof(lo));
		if (role & PLAN_READERS) {
			if ((rc = db_prep(c, PLAN_IDS_IN)))
				break;
			db_bind_text(c, 1, lo);
			db_bind_text(c, 2, hi);
			if (year)
				db_bind_int(c, 3, year);
			else
				db_bind_null(c, 3);
			db_bind_text(c, 4, flo);
			db_bind_text(c, 5, fhi);
			if ((rc = collect_ids(c, ids, n, &cap)))
				break;
		}
		if (role & PLAN_OWNERS_ROLES) {
			if ((rc = db_prep(c, PLAN_IDS_OWNED_IN)))
				break;
			db_bind_text(c, 1, lo);
			db_bind_text(c, 2, hi);
			if (year)
				db_bind_int(c, 3, year);
			else
				db_bind_null(c, 3);
			db_bind_text(c, 4, flo);
			db_bind_text(c, 5, fhi);
			rc = collect_ids(c, ids, n, &cap);
		}
	}
	if (rc) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return rc;
	}
	if (*n) {
		qsort(*ids, *n, sizeof(**ids), cmp_id);
		for (i = 1, j = 1; i < *n; i++)
			if ((*ids)[i] != (*ids)[j - 1])
				(*ids)[j++] = (*ids)[i];
		*n = j;
	}
	return 0;
}

int
plans_insert(struct db_conn *c, struct plan *pl)
{
	int64_t now = clock_now();
	int rc = db_prep(c, PLAN_INSERT);

	if (rc)
		return rc;
	db_bind_int(c, 1, pl->org_id);
	db_bind_int(c, 2, pl->year);
	db_bind_text(c, 3, pl->title);
	bind_opt_int(c, 4, pl->parent_plan_id);
	bind_opt_int(c, 5, pl->due_soon_days);
	bind_opt_int(c, 6, pl->created_by);
	db_bind_int(c, 7, now);
	rc = db_one(c);
	if (!rc)
		pl->id = db_col_int(c, 0);
	db_done(c);
	pl->created = pl->updated = now;
	return rc;
}

int
plans_update(struct db_conn *c, const struct plan *pl, struct why *why)
{
	char lo[11], hi[11];
	int64_t outside = 0;
	int rc;

	/* a new year must still hold every deadline */
	snprintf(lo, sizeof(lo), "%04d-01-01", pl->year);
	snprintf(hi, sizeof(hi), "%04d-12-31", pl->year);
	if ((rc = db_prep(c, PLAN_DEADLINES_OUTSIDE)))
		return rc;
	db_bind_int(c, 1, pl->id);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	if (!(rc = db_one(c)))
		outside = db_col_int(c, 0);
	db_done(c);
	if (rc)
		return rc;
	if (outside) {
		*why = (struct why){"year", "some deadlines would fall outside the new year",
		    "部分任务的完成时限不在新的年度之内", 0};
		return ERR_INVALID;
	}
	if ((rc = db_prep(c, PLAN_UPDATE)))
		return rc;
	db_bind_text(c, 1, pl->title);
	db_bind_int(c, 2, pl->year);
	bind_opt_int(c, 3, pl->due_soon_days);
	db_bind_int(c, 4, clock_now());
	db_bind_int(c, 5, pl->id);
	return db_run(c);
}

static int
run_with_id(struct db_conn *c, enum db_stmt_id st, int64_t id)
{
	int rc = db_prep(c, st);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	return db_run(c);
}

/* The inbox forgets what it was told about the nodes that go (st lists
 * them from id): a red task of a deleted plan is news of nothing. */
static int
forget_nodes(struct db_conn *c, enum db_stmt_id st, int64_t id)
{
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if ((rc = db_prep(c, st)))
		return rc;
	db_bind_int(c, 1, id);
	while ((rc = db_step(c)) == DB_ROW) {
		if ((rc = array_grow((void **)&ids, &cap, n + 1, sizeof(*ids))))
			break;
		ids[n++] = db_col_int(c, 0);
	}
	db_done(c);
	rc = rc < 0 ? rc : 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = inbox_forget(c, "plan_node", ids[i]);
	free(ids);
	return rc;
}

int
plans_delete(struct db_conn *c, int64_t id, struct why *why)
{
	int64_t reports = 0, seals = 0, kids = 0;
	int rc = db_prep(c, PLAN_DEPENDENTS);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	if (!(rc = db_one(c))) {
		reports = db_col_int(c, 0);
		seals = db_col_int(c, 1);
		kids = db_col_int(c, 2);
	}
	db_done(c);
	if (rc)
		return rc;
	/* reports are history and sealed statements are permanent */
	if (reports || seals || kids) {
		*why = (struct why){NULL,
		    "a plan with reports, sealed statements or handed-down copies stays",
		    "已有进展报送、已封存对账单或已分解的方案不能删除", 0};
		return ERR_CONFLICT;
	}
	if ((rc = forget_nodes(c, PLAN_NODE_IDS_OF_PLAN, id)) ||
	    (rc = run_with_id(c, PLAN_DELETE_OWNERS, id)) ||
	    (rc = run_with_id(c, PLAN_DELETE_NODES, id)))
		return rc;
	return run_with_id(c, PLAN_DELETE, id);
}

int
plans_count_nodes(struct db_conn *c, int64_t id, int64_t counts[4])
{
	int rc = db_prep(c, PLAN_NODE_COUNTS);

	memset(counts, 0, 4 * sizeof(*counts));
	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	while ((rc = db_step(c)) == DB_ROW) {
		int k = plan_kind_parse(db_col_text(c, 0));
		if (k)
			counts[k] = db_col_int(c, 1);
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

int
plans_due_soon(const struct plan *pl, int64_t setting)
{
	if (pl->due_soon_days > 0)
		return pl->due_soon_days;
	return setting > 0 && setting <= 365 ? (int)setting : 30;
}

/* ---- nodes ---- */

static void
node_read_row(struct db_conn *c, struct plan_node *n)
{
	memset(n, 0, sizeof(*n));
	n->id = db_col_int(c, 0);
	n->plan_id = db_col_int(c, 1);
	n->parent_id = db_col_null(c, 2) ? 0 : db_col_int(c, 2);
	n->kind = plan_kind_parse(db_col_text(c, 3));
	n->seq = db_col_int(c, 4);
	db_col_copy(c, 5, n->title, sizeof(n->title));
	db_col_copy(c, 6, n->deadline, sizeof(n->deadline));
	n->milestone = (int)db_col_int(c, 7);
	n->has_target = !db_col_null(c, 8);
	n->target_e4 = n->has_target ? db_col_int(c, 8) : 0;
	db_col_copy(c, 9, n->unit, sizeof(n->unit));
	n->weight_e4 = db_col_int(c, 10);
	n->metric = plan_metric_parse(db_col_text(c, 11));
	if (n->metric < 0)
		n->metric = PM_MANUAL;
	n->lead_org_id = db_col_null(c, 12) ? 0 : db_col_int(c, 12);
	n->source_node_id = db_col_null(c, 13) ? 0 : db_col_int(c, 13);
	n->created = db_col_int(c, 14);
	n->updated = db_col_int(c, 15);
}

static int
node_owners(struct db_conn *c, struct plan_node *n)
{
	int rc = db_prep(c, PLAN_NODE_OWNERS);

	if (rc)
		return rc;
	n->nowners = 0;
	db_bind_int(c, 1, n->id);
	while ((rc = db_step(c)) == DB_ROW) {
		struct plan_owner_ref *o;

		if (n->nowners >= PLAN_MAX_OWNERS)
			continue;
		o = &n->owners[n->nowners++];
		o->org_id = db_col_int(c, 0);
		o->lead = (int)db_col_int(c, 1);
		db_col_copy(c, 2, o->name, sizeof(o->name));
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

int
plans_node_get(struct db_conn *c, int64_t plan_id, int64_t id,
    struct plan_node *n)
{
	int rc = db_prep(c, PLAN_NODE_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	db_bind_int(c, 2, plan_id);
	rc = db_one(c);
	if (!rc)
		node_read_row(c, n);
	db_done(c);
	if (rc)
		return rc;
	return n->kind == PK_SUBITEM ? node_owners(c, n) : 0;
}

/* Is one of the node's owners inside [lo, hi)? Sets *org to the first
 * (lead first). 0 yes, ERR_NOTFOUND no. st is PLAN_NODE_OWNER_IN, or
 * PLAN_NODE_REPORTER_IN, which leaves out departments other than the
 * grant's own org: a department answers for itself, and the union above
 * it does not report in its name. */
static int
owner_in(struct db_conn *c, enum db_stmt_id st, int64_t node_id, const char *lo,
    const char *hi, int64_t *org)
{
	int rc = db_prep(c, st);

	if (rc)
		return rc;
	db_bind_int(c, 1, node_id);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	rc = db_one(c);
	if (!rc && org)
		*org = db_col_int(c, 0);
	db_done(c);
	return rc;
}

int
plans_node_visible(struct db_conn *c, const struct principal *p,
    const struct plan_access *a, const struct plan_node *n)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc;

	if (a->level >= PA_READ || n->kind != PK_SUBITEM)
		return 0;
	for (int i = 0; i < p->ngrants; i++) {
		if (!(a->owner_grants & (1u << i)))
			continue;
		path_range(p->grants[i].path, lo, hi, sizeof(lo));
		rc = owner_in(c, PLAN_NODE_OWNER_IN, n->id, lo, hi, NULL);
		if (rc != ERR_NOTFOUND)
			return rc;
	}
	return ERR_NOTFOUND;
}

int
plans_node_reporter_org(struct db_conn *c, const struct principal *p,
    int64_t node_id, int64_t *org_id)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc;

	for (int i = 0; i < p->ngrants; i++) {
		if (!(p->grants[i].role & PLAN_REPORTERS))
			continue;
		path_range(p->grants[i].path, lo, hi, sizeof(lo));
		rc = owner_in(c, PLAN_NODE_REPORTER_IN, node_id, lo, hi, org_id);
		if (rc != ERR_NOTFOUND)
			return rc;
	}
	return ERR_PERM;
}

int
plans_node_check(struct db_conn *c, const struct plan *pl, struct plan_node *n,
    struct why *e)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc;

	if (!n->title[0])
		return why_refuse(e, ERR_INVALID, "title", "a title is required", "请填写标题");
	if (n->parent_id) {
		struct plan_node parent;

		rc = plans_node_get(c, pl->id, n->parent_id, &parent);
		if (rc == ERR_NOTFOUND)
			return why_refuse(e, ERR_INVALID, "parent_id", "no such node in this plan",
			    "本方案中没有该上级节点");
		if (rc)
			return rc;
		if (!plan_parent_ok(n->kind, parent.kind))
			return why_refuse(e, ERR_INVALID, "parent_id",
			    "an item goes under an aspect and a sub-item under an item",
			    "大项须在方面之下，分项须在大项之下");
	} else if (!plan_parent_ok(n->kind, 0)) {
		return why_refuse(e, ERR_INVALID, "parent_id",
		    "only an aspect stands at the top; items and sub-items need a parent",
		    "只有方面位于顶层，大项和分项须指定上级");
	}
	if (n->weight_e4 < 0 || n->weight_e4 > PLAN_WEIGHT_MAX_E4)
		return why_refuse(e, ERR_INVALID, "weight", "the weight must be between 0 and 1000",
		    "权重应在 0 至 1000 之间");
	if (n->kind != PK_SUBITEM) {
		/* the task fields belong to sub-items only */
		if (n->nowners)
			return why_refuse(e, ERR_INVALID, "owner_org_ids", "only a sub-item has owners",
			    "只有分项设置责任单位");
		if (n->deadline[0])
			return why_refuse(e, ERR_INVALID, "deadline", "only a sub-item has a deadline",
			    "只有分项设置完成时限");
		if (n->has_target || n->milestone)
			return why_refuse(e, ERR_INVALID, "target", "only a sub-item has a target",
			    "只有分项设置目标值");
		if (n->metric != PM_MANUAL)
			return why_refuse(e, ERR_INVALID, "metric", "only a sub-item has a metric",
			    "只有分项设置统计指标");
		n->lead_org_id = 0;
		return 0;
	}
	if (n->nowners < 1)
		return why_refuse(e, ERR_INVALID, "owner_org_ids",
		    "a sub-item needs an owner: the lead first, then any co-owners",
		    "分项须指定责任单位：牵头单位在前，配合单位在后");
	if (!n->deadline[0])
		return why_refuse(e, ERR_INVALID, "deadline", "a sub-item needs a deadline",
		    "分项须设置完成时限");
	if (!plan_deadline_in_year(n->deadline, pl->year))
		return why_refuse(e, ERR_INVALID, "deadline", "the deadline must fall within the plan's year",
		    "完成时限须在方案年度之内");
	if (!n->has_target && !n->milestone)
		return why_refuse(e, ERR_INVALID, "target",
		    "a sub-item needs a target: {\"value\", \"unit\"} or {\"milestone\": true}",
		    "分项须设置目标：数值和单位，或里程碑");
	if (n->has_target && n->milestone)
		return why_refuse(e, ERR_INVALID, "target", "a target is a number or a milestone, not both",
		    "目标只能是数值或里程碑之一");
	if (n->has_target && (n->target_e4 < 0 || n->target_e4 > PLAN_VALUE_MAX_E4))
		return why_refuse(e, ERR_INVALID, "target", "the target must be a non-negative number",
		    "目标值应为非负数");
	if (n->metric != PM_MANUAL && n->milestone)
		return why_refuse(e, ERR_INVALID, "metric", "a computed metric needs a numeric target",
		    "统计指标须设置数值目标");
	path_range(pl->org_path, lo, hi, sizeof(lo));
	for (int i = 0; i < n->nowners; i++) {
		for (int j = 0; j < i; j++)
			if (n->owners[j].org_id == n->owners[i].org_id)
				return why_refuse(e, ERR_INVALID, "owner_org_ids", "an owner is named twice",
				    "责任单位重复");
		if ((rc = db_prep(c, PLAN_OWNER_ORG)))
			return rc;
		db_bind_int(c, 1, n->owners[i].org_id);
		db_bind_text(c, 2, lo);
		db_bind_text(c, 3, hi);
		db_bind_text(c, 4, pl->org_path);
		rc = db_one(c);
		if (!rc)
			db_col_copy(c, 2, n->owners[i].name, sizeof(n->owners[i].name));
		db_done(c);
		if (rc == ERR_NOTFOUND)
			return why_refuse(e, ERR_INVALID, "owner_org_ids",
			    "an owner must be an org under the plan's org, or a department "
			    "of it or of an org above it",
			    "责任单位须为方案所属组织的下级单位，或其本级及上级的职能部门");
		if (rc)
			return rc;
		n->owners[i].lead = i == 0;
	}
	n->lead_org_id = n->owners[0].org_id;
	return 0;
}

static int
insert_owners(struct db_conn *c, const struct plan_node *n)
{
	int rc = 0;

	for (int i = 0; i < n->nowners && !rc; i++) {
		if ((rc = db_prep(c, PLAN_OWNER_INSERT)))
			break;
		db_bind_int(c, 1, n->id);
		db_bind_int(c, 2, n->plan_id);
		db_bind_int(c, 3, n->owners[i].org_id);
		db_bind_int(c, 4, i == 0);
		rc = db_run(c);
	}
	return rc;
}

static void
bind_node_fields(struct db_conn *c, const struct plan_node *n, int first)
{
	/* the same eight columns in insert and update, from `first` on */
	bind_opt_text(c, first, n->deadline);
	db_bind_int(c, first + 1, n->milestone);
	if (n->has_target)
		db_bind_int(c, first + 2, n->target_e4);
	else
		db_bind_null(c, first + 2);
	bind_opt_text(c, first + 3, n->unit);
	db_bind_int(c, first + 4, n->weight_e4);
	db_bind_text(c, first + 5, plan_metric_name(n->metric));
	bind_opt_int(c, first + 6, n->lead_org_id);
}

int
plans_node_insert(struct db_conn *c, struct plan_node *n)
{
	int64_t now = clock_now();
	int rc;

	if (n->seq < 1) {
		if ((rc = db_prep(c, PLAN_NODE_NEXT_SEQ)))
			return rc;
		db_bind_int(c, 1, n->plan_id);
		bind_opt_int(c, 2, n->parent_id);
		if (!(rc = db_one(c)))
			n->seq = db_col_int(c, 0);
		db_done(c);
		if (rc)
			return rc;
	}
	if ((rc = db_prep(c, PLAN_NODE_INSERT)))
		return rc;
	db_bind_int(c, 1, n->plan_id);
	bind_opt_int(c, 2, n->parent_id);
	db_bind_text(c, 3, plan_kind_name(n->kind));
	db_bind_int(c, 4, n->seq);
	db_bind_text(c, 5, n->title);
	bind_node_fields(c, n, 6);
	bind_opt_int(c, 13, n->source_node_id);
	db_bind_int(c, 14, now);
	rc = db_one(c);
	if (!rc)
		n->id = db_col_int(c, 0);
	db_done(c);
	if (rc)
		return rc;
	n->created = n->updated = now;
	return insert_owners(c, n);
}

int
plans_node_update(struct db_conn *c, const struct plan_node *n)
{
	int rc = db_prep(c, PLAN_NODE_UPDATE);

	if (rc)
		return rc;
	bind_opt_int(c, 1, n->parent_id);
	db_bind_int(c, 2, n->seq);
	db_bind_text(c, 3, n->title);
	/* $4..$10 */
	bind_node_fields(c, n, 4);
	db_bind_int(c, 11, clock_now());
	db_bind_int(c, 12, n->id);
	if ((rc = db_run(c)))
		return rc;
	if ((rc = run_with_id(c, PLAN_OWNERS_DELETE, n->id)))
		return rc;
	return insert_owners(c, n);
}

int
plans_node_delete(struct db_conn *c, int64_t id, struct why *why)
{
	int64_t reports = 0, copies = 0;
	int rc = db_prep(c, PLAN_NODE_SUBTREE_USED);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	if (!(rc = db_one(c))) {
		reports = db_col_int(c, 0);
		copies = db_col_int(c, 1);
	}
	db_done(c);
	if (rc)
		return rc;
	if (reports || copies) {
		*why = (struct why){NULL,
		    "a node with progress reports, or handed down to a child plan, stays",
		    "已有进展报送或已分解到下级方案的节点不能删除", 0};
		return ERR_CONFLICT;
	}
	if ((rc = run_with_id(c, PLAN_NODE_DELETE_OWNERS, id)) ||
	    (rc = forget_nodes(c, PLAN_NODE_SUBTREE, id)))
		return rc;
	return run_with_id(c, PLAN_NODE_DELETE, id);
}

void
plans_node_json(struct jw *w, const struct plan_node *n)
{
	jw_obj_open(w);
	jw_kint(w, "id", n->id);
	jw_kint(w, "plan_id", n->plan_id);
	if (n->parent_id)
		jw_kint(w, "parent_id", n->parent_id);
	else
		jw_knull(w, "parent_id");
	jw_kstr(w, "kind", plan_kind_name(n->kind));
	jw_kstr(w, "title", n->title);
	jw_kint(w, "order", n->seq);
	jw_key(w, "weight");
	plan_jw_e4(w, n->weight_e4);
	if (n->kind == PK_SUBITEM) {
		jw_kstr(w, "deadline", n->deadline);
		jw_key(w, "target");
		jw_obj_open(w);
		if (n->milestone) {
			jw_kbool(w, "milestone", 1);
		} else {
			jw_key(w, "value");
			plan_jw_e4(w, n->target_e4);
			jw_kstr(w, "unit", n->unit);
		}
		jw_obj_close(w);
		jw_kstr(w, "metric", plan_metric_name(n->metric));
		jw_kint(w, "lead_org_id", n->lead_org_id);
		jw_key(w, "owner_org_ids");
		jw_arr_open(w);
		for (int i = 0; i < n->nowners; i++)
			jw_int(w, n->owners[i].org_id);
		jw_arr_close(w);
		jw_key(w, "owners");
		jw_arr_open(w);
		for (int i = 0; i < n->nowners; i++) {
			jw_obj_open(w);
			jw_kint(w, "org_id", n->owners[i].org_id);
			jw_kstr(w, "name", n->owners[i].name);
			jw_kbool(w, "lead", n->owners[i].lead);
			jw_obj_close(w);
		}
		jw_arr_close(w);
	}
	if (n->source_node_id)
		jw_kint(w, "source_node_id", n->source_node_id);
	jw_ktime(w, "created", n->created);
	jw_ktime(w, "updated", n->updated);
	jw_obj_close(w);
}

/* ---- reports ---- */

/* Re-reads where a sub-item's progress stands (count, latest, latest that
 * counts) after a report or a review, in the same transaction. */
static int
progress_update(struct db_conn *c, int64_t plan_id, int64_t node_id)
{
	int rc = db_prep(c, PLAN_PROGRESS_UPDATE);

	if (rc)
		return rc;
	db_bind_int(c, 1, node_id);
	db_bind_int(c, 2, plan_id);
	return db_run(c);
}

int
plans_check_seals(struct db_conn *c, struct buf *report, int64_t *count)
{
	char hash[CRYPTO_DIGEST_HEX];
	struct seal_row { int64_t id; char hash[CRYPTO_DIGEST_HEX]; } *rows = NULL, *nr;
	size_t n = 0, cap = 0;
	int rc, bad = 0;

	*count = 0;
	if ((rc = db_prep(c, PLAN_SEALS_ALL)))
		return rc;
	while ((rc = db_step(c)) == DB_ROW) {
		const char *content = db_col_text(c, 3);

		(*count)++;
		crypto_sha256_hex(content, strlen(content), hash);
		if (strcmp(hash, db_col_text(c, 2))) {
			bad++;
			buf_printf(report, "statement %lld of plan %lld: its content does not "
			    "match its seal\n", (long long)db_col_int(c, 0),
			    (long long)db_col_int(c, 1));
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(nr = realloc(rows, cap * sizeof(*rows)))) {
				rc = ERR_NOMEM;
				break;
			}
			rows = nr;
		}
		rows[n].id = db_col_int(c, 0);
		str_copy(rows[n].hash, sizeof(rows[n].hash), db_col_text(c, 2));
		n++;
	}
	db_done(c);
	/* the seal's audit record holds the hash as it was: the stored hash
	 * must be that one (a seal made by the demo has no record) */
	for (size_t i = 0; rc == DB_DONE && i < n; i++) {
		char target[48], sealed[CRYPTO_DIGEST_HEX] = "";
		int found = 0;

		snprintf(target, sizeof(target), "plan_statement:%lld", (long long)rows[i].id);
		if (audit_summary_text(c, "plan.statement_seal", target, "sha256",
		    sealed, sizeof(sealed), &found)) {
			rc = ERR_DB;
			break;
		}
		if (found && strcmp(sealed, rows[i].hash)) {
			bad++;
			buf_printf(report, "statement %lld: its seal differs from the audit "
			    "record of its sealing\n", (long long)rows[i].id);
		}
	}
	free(rows);
	return rc < 0 ? rc : bad;
}

int
plans_check_progress(struct db_conn *c, struct buf *report)
{
	int rc = db_prep(c, PLAN_PROGRESS_CHECK), bad = 0;

	if (rc)
		return rc;
	while ((rc = db_step(c)) == DB_ROW) {
		bad++;
		buf_printf(report, "plan progress of sub-item %lld: %lld reports, the "
		    "progress row says %lld or points elsewhere\n",
		    (long long)db_col_int(c, 0), (long long)db_col_int(c, 1),
		    (long long)db_col_int(c, 2));
	}
	db_done(c);
	return rc < 0 ? rc : bad;
}

void
plans_report_read_row(struct db_conn *c, struct plan_report *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_col_int(c, 0);
	r->plan_id = db_col_int(c, 1);
	r->node_id = db_col_int(c, 2);
	r->org_id = db_col_int(c, 3);
	r->has_value = !db_col_null(c, 4);
	r->value_e4 = r->has_value ? db_col_int(c, 4) : 0;
	r->has_done = !db_col_null(c, 5);
	r->done = r->has_done ? (int)db_col_int(c, 5) : 0;
	db_col_copy(c, 6, r->note, sizeof(r->note));
	db_col_copy(c, 7, r->as_of, sizeof(r->as_of));
	db_col_copy(c, 8, r->state, sizeof(r->state));
	db_col_copy(c, 9, r->reason, sizeof(r->reason));
	r->reviewed_by = db_col_null(c, 10) ? 0 : db_col_int(c, 10);
	db_col_copy(c, 11, r->reviewer, sizeof(r->reviewer));
	r->reviewed_at = db_col_int(c, 12);
	r->created_by = db_col_null(c, 13) ? 0 : db_col_int(c, 13);
	db_col_copy(c, 14, r->reporter, sizeof(r->reporter));
	r->created = db_col_int(c, 15);
	db_col_copy(c, 16, r->org_name, sizeof(r->org_name));
	db_col_copy(c, 17, r->reporter_name, sizeof(r->reporter_name));
	db_col_copy(c, 18, r->reviewer_name, sizeof(r->reviewer_name));
	r->superseded = db_col_int(c, 19) != 0;
}

int
plans_report_insert(struct db_conn *c, struct plan_report *r)
{
	int rc = db_prep(c, PLAN_REPORT_INSERT);

	if (rc)
		return rc;
	r->created = clock_now();
	db_bind_int(c, 1, r->plan_id);
	db_bind_int(c, 2, r->node_id);
	db_bind_int(c, 3, r->org_id);
	if (r->has_value)
		db_bind_int(c, 4, r->value_e4);
	else
		db_bind_null(c, 4);
	if (r->has_done)
		db_bind_int(c, 5, r->done);
	else
		db_bind_null(c, 5);
	bind_opt_text(c, 6, r->note);
	db_bind_text(c, 7, r->as_of);
	bind_opt_int(c, 8, r->created_by);
	db_bind_text(c, 9, r->reporter);
	db_bind_int(c, 10, r->created);
	rc = db_one(c);
	if (!rc)
		r->id = db_col_int(c, 0);
	db_done(c);
	str_copy(r->state, sizeof(r->state), "submitted");
	return rc ? rc : progress_update(c, r->plan_id, r->node_id);
}

int
plans_report_get(struct db_conn *c, int64_t plan_id, int64_t id,
    struct plan_report *r)
{
	int rc = db_prep(c, PLAN_REPORT_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	db_bind_int(c, 2, plan_id);
	rc = db_one(c);
	if (!rc)
		plans_report_read_row(c, r);
	db_done(c);
	return rc;
}

/* The reporter and its org learn that the report came back, and why. */
static int
returned_tell(struct db_conn *c, const struct plan_report *r, const char *reason,
    const char *node_title)
{
	struct inbox_entry *e = calloc(1, sizeof(*e));
	struct plan *pl = calloc(1, sizeof(*pl));
	int rc;

	if (!e || !pl) {
		rc = ERR_NOMEM;
		goto out;
	}
	if ((rc = plans_get(c, r->plan_id, pl)))
		goto out;
	snprintf(e->dedupe, sizeof(e->dedupe), "returned:%lld", (long long)r->id);
	e->org_id = r->org_id;
	e->user_id = r->created_by;
	e->source = "plans";
	e->kind = "returned";
	e->ref_kind = "plan_report";
	e->ref_id = r->id;
	str_copy(e->title, sizeof(e->title), pl->title);
	str_copy(e->subject, sizeof(e->subject), node_title);
	snprintf(e->link, sizeof(e->link), "/plans?plan=%lld", (long long)r->plan_id);
	snprintf(e->message, sizeof(e->message), "“%s”的进展报送（截至 %s）被退回：%s", node_title,
	    r->as_of, reason ? reason : "");
	snprintf(e->message_en, sizeof(e->message_en),
	    "The report on \"%s\" (as of %s) was returned: %s", node_title, r->as_of,
	    reason ? reason : "");
	rc = inbox_add(c, e, NULL);
out:
	free(e);
	free(pl);
	return rc;
}

int
plans_report_review(struct db_conn *c, const struct plan_report *r,
    const char *state, const char *reason, int64_t user_id,
    const char *username, const char *node_title, struct why *why)
{
	int rc = db_prep(c, PLAN_REPORT_REVIEW);

	if (rc)
		return rc;
	db_bind_text(c, 1, state);
	bind_opt_text(c, 2, reason);
	bind_opt_int(c, 3, user_id);
	db_bind_text(c, 4, username);
	db_bind_int(c, 5, clock_now());
	db_bind_int(c, 6, r->id);
	if ((rc = db_run(c)))
		return rc;
	if (db_changes(c) != 1) {
		/* reviewed already: a review is final */
		*why = (struct why){NULL, "this report was reviewed already", "该报送已审核", 0};
		return ERR_CONFLICT;
	}
	if (strcmp(state, "returned"))
		return 0;
	/* a returned report stops counting */
	if ((rc = progress_update(c, r->plan_id, r->node_id)))
		return rc;
	return returned_tell(c, r, reason, node_title);
}

int
plans_reports_accept(struct db_conn *c, int64_t plan_id, const int64_t *ids,
    size_t n, int64_t user_id, const char *username, struct why *why)
{
	int rc = 0;

	if (!n)
		return why_refuse(why, ERR_INVALID, "ids", "name at least one report",
		    "请至少选择一条报送");
	for (size_t i = 0; i < n && !rc; i++) {
		struct plan_report rp;
		struct plan_node node;

		for (size_t j = 0; j < i; j++)
			if (ids[j] == ids[i]) {
				rc = why_refuse(why, ERR_INVALID, "ids",
				    "a report is named twice", "同一报送重复列出");
				break;
			}
		if (rc)
			;
		else if ((rc = plans_report_get(c, plan_id, ids[i], &rp)) == ERR_NOTFOUND)
			rc = why_refuse(why, ERR_INVALID, "ids",
			    "no such report in this plan", "本计划中没有该报送");
		else if (!rc && !(rc = plans_node_get(c, plan_id, rp.node_id, &node)))
			rc = plans_report_review(c, &rp, "accepted", NULL, user_id,
			    username, node.title, why);
		if (rc)
			why->row = (long)i + 1;
	}
	return rc;
}

int
plans_report_submit(struct db_conn *c, const struct principal *p,
    const struct plan *pl, const struct plan_node *n,
    const struct plan_report_input *in, struct plan_report *rp, struct why *why)
{
	char today[11], start[11];
	int rc;

	if (n->kind != PK_SUBITEM)
		return why_refuse(why, ERR_INVALID, "node_id",
		    "progress is reported on sub-items", "进展报送针对分项");
	memset(rp, 0, sizeof(*rp));
	rc = plans_node_reporter_org(c, p, n->id, &rp->org_id);
	if (rc == ERR_PERM)
		return why_refuse(why, ERR_PERM, NULL,
		    "only the task's owners report on it", "只有任务的责任单位可以报送进展");
	if (rc)
		return rc;
	if (n->metric != PM_MANUAL)
		return why_refuse(why, ERR_INVALID, "metric",
		    "this task's actual is computed from the registry",
		    "该任务的完成值由花名册统计自动得出，无需报送");
	if (n->milestone) {
		if (in->has_value)
			return why_refuse(why, ERR_INVALID, "value",
			    "a milestone is reported with done, not a value",
			    "里程碑任务应报送是否完成（done），而非数值");
		if (!in->has_done)
			return why_refuse(why, ERR_INVALID, "done",
			    "say whether the milestone is done", "请填写里程碑是否完成");
		rp->has_done = 1;
		rp->done = in->done;
	} else {
		if (in->has_done)
			return why_refuse(why, ERR_INVALID, "done",
			    "this task has a numeric target: report a value",
			    "该任务的目标为数值，请报送完成数值");
		if (!in->has_value)
			return why_refuse(why, ERR_INVALID, "value",
			    "report the value reached so far", "请填写目前累计完成的数值");
		if (plan_value_e4(in->value, PLAN_VALUE_MAX_E4, &rp->value_e4))
			return why_refuse(why, ERR_INVALID, "value",
			    "the value must be a non-negative number", "完成数值应为非负数");
		rp->has_value = 1;
	}
	clock_today(today);
	snprintf(start, sizeof(start), "%04d-01-01", pl->year);
	str_copy(rp->as_of, sizeof(rp->as_of), in->as_of ? in->as_of : today);
	if (strcmp(rp->as_of, today) > 0)
		return why_refuse(why, ERR_INVALID, "as_of",
		    "a report cannot be dated in the future", "报送日期不能晚于今天");
	if (strcmp(rp->as_of, start) < 0)
		return why_refuse(why, ERR_INVALID, "as_of",
		    "a report cannot be dated before the plan's year",
		    "报送日期不能早于方案年度");
	str_copy(rp->note, sizeof(rp->note), in->note ? in->note : "");
	rp->plan_id = pl->id;
	rp->node_id = n->id;
	rp->created_by = p->user_id;
	str_copy(rp->reporter, sizeof(rp->reporter), p->username);
	if ((rc = plans_report_insert(c, rp)))
		return rc;
	return plans_report_get(c, pl->id, rp->id, rp);
}
