/* The statement model: a plan's nodes in tree order with their progress
 * as of a date, computed once and written as the tree, the statement JSON,
 * the sealed snapshot and the .xlsx. Loading reads the store (nodes,
 * owners, one ordered pass over the reports, registry statistics for
 * computed metrics); computing is pure. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"
#include "db/db.h"
#include "plans/plans.h"
#include "workers/workers.h"

#define POOL_MAX (256u << 20)

void
plan_model_init(struct plan_model *m)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->pool, POOL_MAX);
	/* offset 0 is the empty string */
	buf_putc(&m->pool, '\0');
}

void
plan_model_free(struct plan_model *m)
{
	free(m->n);
	free(m->o);
	buf_free(&m->pool);
	m->n = NULL;
	m->o = NULL;
	m->nn = m->no = 0;
}

const char *
plan_model_str(const struct plan_model *m, size_t off)
{
	return off < m->pool.len ? m->pool.data + off : "";
}

int
plan_model_intern(struct plan_model *m, const char *s, size_t *off)
{
	if (!s || !*s) {
		*off = 0;
		return 0;
	}
	*off = m->pool.len;
	return buf_append(&m->pool, s, strlen(s) + 1);
}

void
plan_view_init(struct plan_view *v, const struct principal *p,
    const struct plan_access *a)
{
	memset(v, 0, sizeof(*v));
	v->all = a->level >= PA_READ;
	if (v->all || !p)
		return;
	for (int i = 0; i < p->ngrants && v->nranges < PRINCIPAL_MAX_GRANTS; i++) {
		if (!(a->owner_grants & (1u << i)))
			continue;
		path_range(p->grants[i].path, v->lo[v->nranges], v->hi[v->nranges],
		    ORG_PATH_MAX);
		v->nranges++;
	}
}

/* ---- loading ---- */

struct idmap {
	int64_t id;
	int idx;
};

static int
cmp_idmap(const void *a, const void *b)
{
	const struct idmap *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
find_node(const struct idmap *map, size_t n, int64_t id)
{
	struct idmap key = {id, -1};
	const struct idmap *hit = bsearch(&key, map, n, sizeof(*map), cmp_idmap);
	return hit ? hit->idx : -1;
}

static int
cmp_sibling(const void *a, const void *b)
{
	const struct plan_mnode *x = a, *y = b;

	if (x->parent_id != y->parent_id)
		return x->parent_id < y->parent_id ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The first index in nodes sorted by (parent_id, seq, id) whose parent is
 * `parent`, or n. */
static size_t
first_child(const struct plan_mnode *s, size_t n, int64_t parent)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s[mid].parent_id < parent)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Puts the sorted nodes into m->n in tree order, keeping only nodes
 * reachable from an aspect (the kind rules make every node reachable). */
static int
tree_order(struct plan_model *m, struct plan_mnode *sorted, size_t n)
{
	size_t out = 0, a, i, s;

	m->n = calloc(n ? n : 1, sizeof(*m->n));
	if (!m->n)
		return ERR_NOMEM;
	for (a = first_child(sorted, n, 0); a < n && sorted[a].parent_id == 0; a++) {
		int ai;

		if (sorted[a].kind != PK_ASPECT)
			continue;
		ai = (int)out;
		m->n[out] = sorted[a];
		m->n[out++].parent = -1;
		for (i = first_child(sorted, n, sorted[a].id);
		    i < n && sorted[i].parent_id == sorted[a].id; i++) {
			int ii;

			if (sorted[i].kind != PK_ITEM)
				continue;
			ii = (int)out;
			m->n[out] = sorted[i];
			m->n[out++].parent = ai;
			for (s = first_child(sorted, n, sorted[i].id);
			    s < n && sorted[s].parent_id == sorted[i].id; s++) {
				if (sorted[s].kind != PK_SUBITEM)
					continue;
				m->n[out] = sorted[s];
				m->n[out++].parent = ii;
			}
		}
	}
	m->nn = out;
	return 0;
}

static int
load_nodes(struct db_conn *c, struct plan_model *m)
{
	struct plan_mnode *raw = NULL;
	size_t n = 0, cap = 0;
	int rc = db_prep(c, PLAN_NODES);

	if (rc)
		return rc;
	db_bind_int(c, 1, m->plan.id);
	while ((rc = db_step(c)) == DB_ROW) {
		struct plan_mnode *x;
		const char *metric;

		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct plan_mnode *bigger = realloc(raw, nc * sizeof(*raw));
			if (!bigger) {
				rc = ERR_NOMEM;
				break;
			}
			raw = bigger;
			cap = nc;
		}
		x = &raw[n++];
		memset(x, 0, sizeof(*x));
		x->id = db_col_int(c, 0);
		x->parent_id = db_col_null(c, 2) ? 0 : db_col_int(c, 2);
		x->kind = plan_kind_parse(db_col_text(c, 3));
		x->seq = db_col_int(c, 4);
		if ((rc = plan_model_intern(m, db_col_text(c, 5), &x->title)))
			break;
		str_copy(x->deadline, sizeof(x->deadline),
		    db_col_text(c, 6) ? db_col_text(c, 6) : "");
		x->milestone = (int)db_col_int(c, 7);
		x->has_target = !db_col_null(c, 8);
		x->target_e4 = x->has_target ? db_col_int(c, 8) : 0;
		if ((rc = plan_model_intern(m, db_col_text(c, 9), &x->unit)))
			break;
		x->weight_e4 = db_col_int(c, 10);
		metric = db_col_text(c, 11);
		x->metric = plan_metric_parse(metric);
		if (x->metric < 0)
			x->metric = PM_MANUAL;
		x->lead_org_id = db_col_null(c, 12) ? 0 : db_col_int(c, 12);
		x->source_node_id = db_col_null(c, 13) ? 0 : db_col_int(c, 13);
		x->visible = 1;
		x->first_owner = -1;
	}
	db_done(c);
	if (rc < 0) {
		free(raw);
		return rc;
	}
	if (n)
		qsort(raw, n, sizeof(*raw), cmp_sibling);
	rc = tree_order(m, raw, n);
	free(raw);
	return rc;
}

static int
build_map(const struct plan_model *m, struct idmap **out)
{
	struct idmap *map = calloc(m->nn ? m->nn : 1, sizeof(*map));

	if (!map)
		return ERR_NOMEM;
	for (size_t i = 0; i < m->nn; i++) {
		map[i].id = m->n[i].id;
		map[i].idx = (int)i;
	}
	qsort(map, m->nn, sizeof(*map), cmp_idmap);
	*out = map;
	return 0;
}

static int
load_owners(struct db_conn *c, struct plan_model *m, const struct idmap *map)
{
	size_t cap = 0;
	int rc = db_prep(c, PLAN_OWNERS);

	if (rc)
		return rc;
	db_bind_int(c, 1, m->plan.id);
	while ((rc = db_step(c)) == DB_ROW) {
		int idx = find_node(map, m->nn, db_col_int(c, 0));
		struct plan_mowner *o;

		if (idx < 0)
			continue;
		if (m->no == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct plan_mowner *bigger = realloc(m->o, nc * sizeof(*m->o));
			if (!bigger) {
				rc = ERR_NOMEM;
				break;
			}
			m->o = bigger;
			cap = nc;
		}
		o = &m->o[m->no];
		o->node_id = db_col_int(c, 0);
		o->org_id = db_col_int(c, 1);
		o->lead = (int)db_col_int(c, 2);
		o->department = db_col_text(c, 4) && !strcmp(db_col_text(c, 4), "department");
		if ((rc = plan_model_intern(m, db_col_text(c, 3), &o->name)))
			break;
		/* rows come grouped by node, the lead first */
		if (m->n[idx].first_owner < 0)
			m->n[idx].first_owner = (int)m->no;
		m->n[idx].nowners++;
		m->no++;
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

/* Sets flag[i] for every node with an owner inside [lo, hi). */
static int
mark_owned(struct db_conn *c, const struct plan_model *m, const struct idmap *map,
    const char *lo, const char *hi, unsigned char *flag)
{
	int rc = db_prep(c, PLAN_NODE_IDS_OWNED_IN);

	if (rc)
		return rc;
	db_bind_int(c, 1, m->plan.id);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	while ((rc = db_step(c)) == DB_ROW) {
		int idx = find_node(map, m->nn, db_col_int(c, 0));
		if (idx >= 0)
			flag[idx] = 1;
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

static int
apply_view(struct db_conn *c, struct plan_model *m, const struct idmap *map,
    const struct plan_view *v)
{
	unsigned char *flag;
	int rc = 0;

	if (v->all && !v->owner_org)
		return 0;
	flag = calloc(m->nn ? m->nn : 1, 1);
	if (!flag)
		return ERR_NOMEM;
	m->restricted = 1;
	if (!v->all) {
		for (int i = 0; i < v->nranges && !rc; i++)
			rc = mark_owned(c, m, map, v->lo[i], v->hi[i], flag);
		for (size_t i = 0; i < m->nn && !rc; i++)
			if (m->n[i].kind == PK_SUBITEM)
				m->n[i].visible = flag[i];
	}
	if (!rc && v->owner_org) {
		memset(flag, 0, m->nn ? m->nn : 1);
		rc = mark_owned(c, m, map, v->owner_lo, v->owner_hi, flag);
		for (size_t i = 0; i < m->nn && !rc; i++)
			if (m->n[i].kind == PK_SUBITEM && !flag[i])
				m->n[i].visible = 0;
	}
	free(flag);
	return rc;
}

/* The report being read for one node while streaming. */
struct cur_report {
	struct plan_mreport r;
	char note[PLAN_NOTE_BYTES];
	char reporter[64];
};

static int
flush_last(struct plan_model *m, int idx, const struct cur_report *cur)
{
	struct plan_mnode *x = &m->n[idx];
	int rc;

	x->last = cur->r;
	if ((rc = plan_model_intern(m, cur->note, &x->last.note)))
		return rc;
	return plan_model_intern(m, cur->reporter, &x->last.reporter);
}

/* One pass over the plan's reports up to as_of, ordered by node and date:
 * the last row of a node is its latest report, the last one that was not
 * returned gives its actual. */
static int
load_reports(struct db_conn *c, struct plan_model *m, const struct idmap *map)
{
	struct cur_report *cur = calloc(1, sizeof(*cur));
	int64_t cur_node = 0;
	int cur_idx = -1, rc;

	if (!cur)
		return ERR_NOMEM;
	rc = db_prep(c, PLAN_REPORTS_STREAM);
	if (rc)
		goto out;
	db_bind_int(c, 1, m->plan.id);
	db_bind_text(c, 2, m->as_of);
	while ((rc = db_step(c)) == DB_ROW) {
		int64_t node = db_col_int(c, 0);
		struct plan_mnode *x;
		const char *state;

		if (node != cur_node) {
			if (cur_idx >= 0 && (rc = flush_last(m, cur_idx, cur)))
				break;
			cur_node = node;
			cur_idx = find_node(map, m->nn, node);
			if (cur_idx >= 0 && (!m->n[cur_idx].visible ||
			    m->n[cur_idx].kind != PK_SUBITEM))
				cur_idx = -1;
		}
		if (cur_idx < 0)
			continue;
		x = &m->n[cur_idx];
		state = db_col_text(c, 5);
		x->reports++;
		memset(&cur->r, 0, sizeof(cur->r));
		cur->r.present = 1;
		cur->r.id = db_col_int(c, 1);
		cur->r.has_value = !db_col_null(c, 2);
		cur->r.value_e4 = cur->r.has_value ? db_col_int(c, 2) : 0;
		cur->r.done = db_col_null(c, 3) ? 0 : (int)db_col_int(c, 3);
		str_copy(cur->r.as_of, sizeof(cur->r.as_of), db_col_text(c, 4));
		str_copy(cur->r.state, sizeof(cur->r.state), state);
		str_copy(cur->note, sizeof(cur->note),
		    db_col_text(c, 6) ? db_col_text(c, 6) : "");
		str_copy(cur->reporter, sizeof(cur->reporter), db_col_text(c, 7));
		if (strcmp(state, "returned")) {
			/* a returned report does not count */
			x->have_actual = 1;
			x->actual_e4 = cur->r.value_e4;
			x->done = cur->r.done;
			str_copy(x->actual_as_of, sizeof(x->actual_as_of), cur->r.as_of);
			str_copy(x->actual_state, sizeof(x->actual_state), state);
		}
	}
	db_done(c);
	if (rc >= 0 && cur_idx >= 0)
		rc = flush_last(m, cur_idx, cur);
out:
	free(cur);
	return rc < 0 ? rc : 0;
}

static void
latest_row(struct db_conn *c, struct plan_mreport *r, int col)
{
	r->present = 1;
	r->id = db_col_int(c, col);
	r->has_value = !db_col_null(c, col + 1);
	r->value_e4 = r->has_value ? db_col_int(c, col + 1) : 0;
	r->done = db_col_null(c, col + 2) ? 0 : (int)db_col_int(c, col + 2);
	str_copy(r->as_of, sizeof(r->as_of), db_col_text(c, col + 3));
}

/* As of today or later every report counts by date (none is dated in the
 * future), so the progress rows kept with the reports say it all: one row
 * per sub-item instead of every report. */
static int
load_latest(struct db_conn *c, struct plan_model *m, const struct idmap *map)
{
	int rc = db_prep(c, PLAN_PROGRESS_LATEST);

	if (rc)
		return rc;
	db_bind_int(c, 1, m->plan.id);
	while ((rc = db_step(c)) == DB_ROW) {
		int idx = find_node(map, m->nn, db_col_int(c, 0));
		struct plan_mnode *x;

		if (idx < 0 || !m->n[idx].visible || m->n[idx].kind != PK_SUBITEM)
			continue;
		x = &m->n[idx];
		x->reports = (int)db_col_int(c, 1);
		if (!db_col_null(c, 2)) {
			latest_row(c, &x->last, 2);
			str_copy(x->last.state, sizeof(x->last.state), db_col_text(c, 6));
			if ((rc = plan_model_intern(m, db_col_text(c, 7), &x->last.note)) ||
			    (rc = plan_model_intern(m, db_col_text(c, 8), &x->last.reporter)))
				break;
		}
		if (!db_col_null(c, 9)) {
			struct plan_mreport k;

			latest_row(c, &k, 9);
			x->have_actual = 1;
			x->actual_e4 = k.value_e4;
			x->done = k.done;
			str_copy(x->actual_as_of, sizeof(x->actual_as_of), k.as_of);
			str_copy(x->actual_state, sizeof(x->actual_state),
			    db_col_text(c, 13) ? db_col_text(c, 13) : "");
		}
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

/* Computed metrics: registry statistics of the lead owner's subtree, or of
 * the plan's org when the lead is a department (a department answers for
 * its area's figure, and has no workers of its own). */
static int
load_metrics(struct db_conn *c, struct plan_model *m)
{
	struct {
		int64_t org;
		struct skill_stats s;
	} cache[16];
	int ncache = 0, rc;

	for (size_t i = 0; i < m->nn; i++) {
		struct plan_mnode *x = &m->n[i];
		const struct skill_stats *s = NULL;
		int64_t org;
		int k;

		if (x->kind != PK_SUBITEM || !x->visible || x->metric == PM_MANUAL)
			continue;
		org = x->lead_org_id;
		if (x->first_owner >= 0 && m->o[x->first_owner].department)
			org = m->plan.org_id;
		for (k = 0; k < ncache; k++)
			if (cache[k].org == org)
				s = &cache[k].s;
		if (!s) {
			k = ncache < (int)ARRAY_LEN(cache) ? ncache++ : 0;
			cache[k].org = org;
			if ((rc = workers_stats(c, org, &cache[k].s)))
				return rc;
			s = &cache[k].s;
		}
		x->have_actual = 1;
		str_copy(x->actual_state, sizeof(x->actual_state), "registry");
		x->actual_e4 = plan_metric_e4(x->metric, s,
		    plan_unit_is_percent(plan_model_str(m, x->unit)));
		str_copy(x->actual_as_of, sizeof(x->actual_as_of), m->as_of);
	}
	return 0;
}

void
plan_model_number(struct plan_model *m)
{
	int aspect = 0, item = 0, sub = 0;

	for (size_t i = 0; i < m->nn; i++) {
		struct plan_mnode *x = &m->n[i];

		switch (x->kind) {
		case PK_ASPECT:
			plan_cn_number(++aspect, x->no, sizeof(x->no));
			break;
		case PK_ITEM:
			sub = 0;
			snprintf(x->no, sizeof(x->no), "%d", ++item);
			break;
		default:
			snprintf(x->no, sizeof(x->no), "%d.%d", item, ++sub);
		}
	}
}

void
plan_model_compute(struct plan_model *m)
{
	size_t i;

	memset(m->count, 0, sizeof(m->count));
	memset(m->done, 0, sizeof(m->done));
	memset(m->progress, 0, sizeof(m->progress));
	memset(m->overdue, 0, sizeof(m->overdue));
	memset(m->grey, 0, sizeof(m->grey));
	for (i = 0; i < m->nn; i++) {
		struct plan_mnode *x = &m->n[i];

		plan_roll_init(&x->roll);
		x->subitems = x->items = x->grey = 0;
		memset(x->outcome, 0, sizeof(x->outcome));
		if (x->kind != PK_SUBITEM)
			continue;
		x->started = x->metric == PM_MANUAL ? x->have_actual :
		    x->have_actual && x->actual_e4 > 0;
		x->completion = plan_completion(x->milestone, x->target_e4,
		    x->have_actual, x->actual_e4, x->done);
		x->status = plan_task_status(m->plan.year, x->deadline, m->as_of,
		    m->due_soon_days, x->completion, x->started);
	}
	/* sub-items into items, in tree order: children follow their parent */
	for (i = 0; i < m->nn; i++) {
		struct plan_mnode *x = &m->n[i], *item, *aspect;
		int o;

		if (x->kind != PK_SUBITEM || !x->visible)
			continue;
		item = &m->n[x->parent];
		aspect = &m->n[item->parent];
		plan_roll_add(&item->roll, (double)x->weight_e4 / 10000.0,
		    x->completion, x->status);
		o = plan_outcome(x->status, x->completion);
		item->subitems++;
		item->outcome[o]++;
		item->grey += x->status == PS_GREY;
		aspect->subitems++;
		aspect->outcome[o]++;
		aspect->grey += x->status == PS_GREY;
		m->count[PK_SUBITEM]++;
		m->done[PK_SUBITEM] += o == PO_DONE;
		m->progress[PK_SUBITEM] += o == PO_PROGRESS;
		m->overdue[PK_SUBITEM] += o == PO_OVERDUE;
		m->grey[PK_SUBITEM] += x->status == PS_GREY;
	}
	/* items into aspects; an item with no sub-item shown does not count */
	for (i = 0; i < m->nn; i++) {
		struct plan_mnode *x = &m->n[i], *aspect;
		int o;

		if (x->kind != PK_ITEM)
			continue;
		x->completion = plan_roll_completion(&x->roll);
		x->status = plan_roll_status(&x->roll);
		if (!x->subitems)
			continue;
		aspect = &m->n[x->parent];
		plan_roll_add(&aspect->roll, (double)x->weight_e4 / 10000.0,
		    x->completion, x->status);
		aspect->items++;
		o = plan_outcome(x->status, x->completion);
		m->count[PK_ITEM]++;
		m->done[PK_ITEM] += o == PO_DONE;
		m->progress[PK_ITEM] += o == PO_PROGRESS;
		m->overdue[PK_ITEM] += o == PO_OVERDUE;
		m->grey[PK_ITEM] += x->status == PS_GREY;
	}
	plan_roll_init(&m->roll);
	for (i = 0; i < m->nn; i++) {
		struct plan_mnode *x = &m->n[i];
		int o;

		if (x->kind != PK_ASPECT)
			continue;
		x->completion = plan_roll_completion(&x->roll);
		x->status = plan_roll_status(&x->roll);
		if (!x->items)
			continue;
		plan_roll_add(&m->roll, (double)x->weight_e4 / 10000.0, x->completion,
		    x->status);
		o = plan_outcome(x->status, x->completion);
		m->count[PK_ASPECT]++;
		m->done[PK_ASPECT] += o == PO_DONE;
		m->progress[PK_ASPECT] += o == PO_PROGRESS;
		m->overdue[PK_ASPECT] += o == PO_OVERDUE;
		m->grey[PK_ASPECT] += x->status == PS_GREY;
	}
	m->completion = plan_roll_completion(&m->roll);
	m->status = plan_roll_status(&m->roll);
}

int
plan_model_load_tree(struct db_conn *c, const struct plan *pl, struct plan_model *m)
{
	int rc;

	m->plan = *pl;
	if (!(rc = load_nodes(c, m)))
		plan_model_number(m);
	return rc;
}

const struct plan_mnode *
plan_model_find(const struct plan_model *m, int64_t id)
{
	for (size_t i = 0; i < m->nn; i++)
		if (m->n[i].id == id)
			return &m->n[i];
	return NULL;
}

int
plan_model_load(struct db_conn *c, const struct plan *pl, const char *as_of,
    int due_soon_days, const struct plan_view *v, struct plan_model *m)
{
	struct idmap *map = NULL;
	char today[11];
	int rc;

	m->plan = *pl;
	str_copy(m->as_of, sizeof(m->as_of), as_of);
	m->due_soon_days = due_soon_days;
	if ((rc = load_nodes(c, m)) || (rc = build_map(m, &map)))
		goto out;
	plan_model_number(m);
	clock_today(today);
	if ((rc = load_owners(c, m, map)) || (rc = apply_view(c, m, map, v)) ||
	    (rc = strcmp(m->as_of, today) >= 0 ? load_latest(c, m, map) :
	    load_reports(c, m, map)) || (rc = load_metrics(c, m)))
		goto out;
	plan_model_compute(m);
out:
	free(map);
	return rc;
}

/* ---- handed-down copies ---- */

int
plan_children_load(struct db_conn *c, const struct plan_model *parent,
    struct plan_child **out, size_t *n)
{
	struct plan_child *k = NULL;
	struct plan_view all;
	size_t cap = 0, i;
	int rc = db_prep(c, PLAN_CHILDREN);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	db_bind_int(c, 1, parent->plan.id);
	while ((rc = db_step(c)) == DB_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			struct plan_child *bigger;

			if (nc > 4096) {
				rc = ERR_TOOBIG;
				break;
			}
			bigger = realloc(k, nc * sizeof(*k));
			if (!bigger) {
				rc = ERR_NOMEM;
				break;
			}
			k = bigger;
			cap = nc;
		}
		/* the plan columns are read by plans_get below: just the id here */
		memset(&k[*n], 0, sizeof(k[*n]));
		k[*n].plan.id = db_col_int(c, 0);
		plan_model_init(&k[*n].m);
		(*n)++;
	}
	db_done(c);
	memset(&all, 0, sizeof(all));
	all.all = 1;
	for (i = 0; rc >= 0 && i < *n; i++) {
		if ((rc = plans_get(c, k[i].plan.id, &k[i].plan)))
			break;
		rc = plan_model_load(c, &k[i].plan, parent->as_of,
		    plans_due_soon(&k[i].plan, parent->due_soon_days), &all, &k[i].m);
	}
	if (rc < 0) {
		plan_children_free(k, *n);
		*n = 0;
		return rc;
	}
	*out = k;
	return 0;
}

void
plan_children_free(struct plan_child *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		plan_model_free(&k[i].m);
	free(k);
}

/* ---- JSON ---- */

static void
kcompletion(struct jw *w, const char *key, double c)
{
	jw_key(w, key);
	plan_jw_e4(w, plan_completion_e4(c));
}

static void
target_json(struct jw *w, const struct plan_model *m, const struct plan_mnode *x)
{
	jw_key(w, "target");
	jw_obj_open(w);
	if (x->milestone) {
		jw_kbool(w, "milestone", 1);
	} else {
		jw_key(w, "value");
		plan_jw_e4(w, x->target_e4);
		jw_kstr(w, "unit", plan_model_str(m, x->unit));
	}
	jw_obj_close(w);
}

static void
actual_json(struct jw *w, const struct plan_mnode *x)
{
	jw_key(w, "actual");
	if (!x->have_actual)
		jw_null(w);
	else if (x->milestone)
		jw_int(w, x->done ? 1 : 0);
	else
		plan_jw_e4(w, x->actual_e4);
	if (x->milestone)
		jw_kbool(w, "done", x->have_actual && x->done);
	if (x->actual_as_of[0])
		jw_kstr(w, "actual_as_of", x->actual_as_of);
	else
		jw_knull(w, "actual_as_of");
	if (x->have_actual && x->actual_state[0])
		jw_kstr(w, "actual_state", x->actual_state);
	else
		jw_knull(w, "actual_state");
}

static void
last_report_json(struct jw *w, const struct plan_model *m, const struct plan_mnode *x)
{
	const struct plan_mreport *r = &x->last;

	jw_kint(w, "reports", x->reports);
	jw_key(w, "last_report");
	if (!r->present) {
		jw_null(w);
		return;
	}
	jw_obj_open(w);
	jw_kint(w, "id", r->id);
	jw_kstr(w, "as_of", r->as_of);
	jw_kstr(w, "state", r->state);
	if (r->has_value) {
		jw_key(w, "value");
		plan_jw_e4(w, r->value_e4);
	} else {
		jw_kbool(w, "done", r->done);
	}
	jw_kstr(w, "note", plan_model_str(m, r->note));
	jw_kstr(w, "reporter", plan_model_str(m, r->reporter));
	jw_obj_close(w);
}

static void
owners_json(struct jw *w, const struct plan_model *m, const struct plan_mnode *x)
{
	jw_key(w, "owners");
	jw_arr_open(w);
	for (int k = 0; k < x->nowners; k++) {
		const struct plan_mowner *o = &m->o[x->first_owner + k];
		jw_obj_open(w);
		jw_kint(w, "org_id", o->org_id);
		jw_kstr(w, "name", plan_model_str(m, o->name));
		jw_kbool(w, "lead", o->lead);
		/* the console decides whose workers a figure counts without
		 * asking for orgs outside the caller's scope */
		jw_kbool(w, "department", o->department);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

/* "完成 x，进行中 y，逾期 z" and how many of them have not started. */
static void
counts_json(struct jw *w, const int outcome[3], int grey)
{
	jw_kint(w, "done", outcome[PO_DONE]);
	jw_kint(w, "in_progress", outcome[PO_PROGRESS]);
	jw_kint(w, "overdue", outcome[PO_OVERDUE]);
	jw_kint(w, "not_started", grey);
}

static void
tree_node_json(struct jw *w, const struct plan_model *m, size_t i)
{
	const struct plan_mnode *x = &m->n[i];

	jw_obj_open(w);
	jw_kint(w, "id", x->id);
	jw_kstr(w, "kind", plan_kind_name(x->kind));
	jw_kstr(w, "no", x->no);
	jw_kstr(w, "title", plan_model_str(m, x->title));
	jw_kint(w, "order", x->seq);
	jw_key(w, "weight");
	plan_jw_e4(w, x->weight_e4);
	kcompletion(w, "completion", x->completion);
	jw_kstr(w, "status", plan_status_name(x->status));
	if (x->kind == PK_SUBITEM) {
		jw_kstr(w, "deadline", x->deadline);
		target_json(w, m, x);
		jw_kstr(w, "metric", plan_metric_name(x->metric));
		jw_kint(w, "lead_org_id", x->lead_org_id);
		owners_json(w, m, x);
		actual_json(w, x);
		last_report_json(w, m, x);
		if (x->source_node_id)
			jw_kint(w, "source_node_id", x->source_node_id);
		jw_obj_close(w);
		return;
	}
	if (x->kind == PK_ASPECT)
		jw_kint(w, "items", x->items);
	jw_kint(w, "subitems", x->subitems);
	counts_json(w, x->outcome, x->grey);
	jw_key(w, "children");
	jw_arr_open(w);
	for (size_t k = i + 1; k < m->nn; k++) {
		const struct plan_mnode *y = &m->n[k];

		if (y->kind <= x->kind)
			break;            /* past this node's subtree */
		if (y->parent != (int)i || (y->kind == PK_SUBITEM && !y->visible))
			continue;
		tree_node_json(w, m, k);
	}
	jw_arr_close(w);
	jw_obj_close(w);
}

static void
plan_head_json(struct jw *w, const struct plan_model *m)
{
	jw_key(w, "plan");
	jw_obj_open(w);
	jw_kint(w, "id", m->plan.id);
	jw_kint(w, "org_id", m->plan.org_id);
	jw_kstr(w, "org_name", m->plan.org_name);
	jw_kstr(w, "title", m->plan.title);
	jw_kint(w, "year", m->plan.year);
	if (m->plan.parent_plan_id)
		jw_kint(w, "parent_plan_id", m->plan.parent_plan_id);
	else
		jw_knull(w, "parent_plan_id");
	jw_obj_close(w);
	jw_kstr(w, "as_of", m->as_of);
	jw_kint(w, "due_soon_days", m->due_soon_days);
	jw_kbool(w, "restricted", m->restricted);
}

static void
summary_text(const struct plan_model *m, char *out, size_t n)
{
	snprintf(out, n, "%d 方面 %d 大项 %d 分项：完成 %d，进行中 %d，逾期 %d",
	    m->count[PK_ASPECT], m->count[PK_ITEM], m->count[PK_SUBITEM],
	    m->done[PK_SUBITEM], m->progress[PK_SUBITEM], m->overdue[PK_SUBITEM]);
}

void
plan_tree_json(struct jw *w, const struct plan_model *m)
{
	char summary[160];

	summary_text(m, summary, sizeof(summary));
	jw_obj_open(w);
	plan_head_json(w, m);
	kcompletion(w, "completion", m->completion);
	jw_kstr(w, "status", plan_status_name(m->status));
	jw_kstr(w, "summary", summary);
	jw_key(w, "nodes");
	jw_arr_open(w);
	for (size_t i = 0; i < m->nn; i++)
		if (m->n[i].kind == PK_ASPECT)
			tree_node_json(w, m, i);
	jw_arr_close(w);
	jw_obj_close(w);
}

static struct plan_owner_total *
owner_slot(struct plan_owner_total **t, size_t *n, size_t *cap, int64_t org,
    size_t name)
{
	for (size_t i = 0; i < *n; i++)
		if ((*t)[i].org_id == org)
			return &(*t)[i];
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		struct plan_owner_total *bigger = realloc(*t, nc * sizeof(**t));
		if (!bigger)
			return NULL;
		*t = bigger;
		*cap = nc;
	}
	memset(&(*t)[*n], 0, sizeof(**t));
	(*t)[*n].org_id = org;
	(*t)[*n].name = name;
	return &(*t)[(*n)++];
}

int
plan_owner_totals(const struct plan_model *m, struct plan_owner_total **out,
    size_t *nout)
{
	struct plan_owner_total *t = NULL, *s;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < m->nn; i++) {
		const struct plan_mnode *x = &m->n[i];

		if (x->kind != PK_SUBITEM || !x->visible || x->first_owner < 0)
			continue;
		for (int k = 0; k < x->nowners; k++) {
			const struct plan_mowner *o = &m->o[x->first_owner + k];

			if (!(s = owner_slot(&t, &n, &cap, o->org_id, o->name))) {
				free(t);
				return ERR_NOMEM;
			}
			if (!o->lead) {
				s->co_owned++;
				continue;
			}
			s->subitems++;
			s->grey += x->status == PS_GREY;
			s->outcome[plan_outcome(x->status, x->completion)]++;
			plan_roll_add(&s->roll, (double)x->weight_e4 / 10000.0,
			    x->completion, x->status);
		}
	}
	*out = t;
	*nout = n;
	return 0;
}

static int
owner_totals_json(struct jw *w, const struct plan_model *m)
{
	struct plan_owner_total *t;
	size_t n;
	int rc = plan_owner_totals(m, &t, &n);

	if (rc)
		return rc;
	jw_key(w, "owners");
	jw_arr_open(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj_open(w);
		jw_kint(w, "org_id", t[i].org_id);
		jw_kstr(w, "name", plan_model_str(m, t[i].name));
		jw_kint(w, "subitems", t[i].subitems);
		jw_kint(w, "co_owned", t[i].co_owned);
		counts_json(w, t[i].outcome, t[i].grey);
		kcompletion(w, "completion", plan_roll_completion(&t[i].roll));
		jw_kstr(w, "status", plan_status_name(plan_roll_status(&t[i].roll)));
		jw_obj_close(w);
	}
	jw_arr_close(w);
	free(t);
	return 0;
}

static void
level_json(struct jw *w, const struct plan_model *m, int k, const char *label)
{
	char s[96];
	int o[3] = {m->done[k], m->progress[k], m->overdue[k]};

	snprintf(s, sizeof(s), "%d %s：完成 %d，进行中 %d，逾期 %d", m->count[k],
	    label, m->done[k], m->progress[k], m->overdue[k]);
	jw_key(w, plan_kind_name(k));
	jw_obj_open(w);
	jw_kint(w, "count", m->count[k]);
	counts_json(w, o, m->grey[k]);
	jw_kstr(w, "summary", s);
	jw_obj_close(w);
}

static void
child_summary_json(struct jw *w, const struct plan_child *k)
{
	jw_obj_open(w);
	jw_kint(w, "plan_id", k->plan.id);
	jw_kint(w, "org_id", k->plan.org_id);
	jw_kstr(w, "org_name", k->plan.org_name);
	jw_kstr(w, "title", k->plan.title);
	kcompletion(w, "completion", k->m.completion);
	jw_kstr(w, "status", plan_status_name(k->m.status));
	jw_kint(w, "subitems", k->m.count[PK_SUBITEM]);
	jw_kint(w, "done", k->m.done[PK_SUBITEM]);
	jw_kint(w, "in_progress", k->m.progress[PK_SUBITEM]);
	jw_kint(w, "overdue", k->m.overdue[PK_SUBITEM]);
	jw_obj_close(w);
}

static void
row_cascade_json(struct jw *w, const struct plan_model *m,
    const struct plan_mnode *x, const struct plan_child *kids, size_t nkids)
{
	int64_t sum = 0;
	int any = 0;

	jw_key(w, "cascade");
	jw_arr_open(w);
	for (size_t i = 0; i < nkids; i++) {
		const struct plan_model *cm = &kids[i].m;

		for (size_t k = 0; k < cm->nn; k++) {
			const struct plan_mnode *y = &cm->n[k];

			if (y->source_node_id != x->id || y->kind != PK_SUBITEM)
				continue;
			jw_obj_open(w);
			jw_kint(w, "plan_id", kids[i].plan.id);
			jw_kint(w, "org_id", kids[i].plan.org_id);
			jw_kstr(w, "org_name", kids[i].plan.org_name);
			jw_kint(w, "node_id", y->id);
			target_json(w, cm, y);
			actual_json(w, y);
			kcompletion(w, "completion", y->completion);
			jw_kstr(w, "status", plan_status_name(y->status));
			jw_obj_close(w);
			if (y->have_actual && !y->milestone) {
				sum += y->actual_e4;
				any = 1;
			}
		}
	}
	jw_arr_close(w);
	(void)m;
	/* what the children have reached together, for numeric targets */
	jw_key(w, "cascade_actual");
	if (any && !x->milestone)
		plan_jw_e4(w, sum);
	else
		jw_null(w);
}

void
plan_statement_json(struct jw *w, const struct plan_model *m,
    const struct plan_child *kids, size_t nkids, int per_row_children,
    const struct plan_seal *seal)
{
	char summary[160];

	summary_text(m, summary, sizeof(summary));
	jw_obj_open(w);
	if (seal) {
		jw_key(w, "seal");
		jw_obj_open(w);
		jw_kstr(w, "title", seal->title);
		jw_kstr(w, "sealed_by", seal->sealed_by);
		jw_ktime(w, "sealed_at", seal->sealed_at);
		jw_obj_close(w);
	}
	plan_head_json(w, m);
	jw_key(w, "rows");
	jw_arr_open(w);
	for (size_t i = 0; i < m->nn; i++) {
		const struct plan_mnode *x = &m->n[i], *item, *aspect;

		if (x->kind != PK_SUBITEM || !x->visible)
			continue;
		item = &m->n[x->parent];
		aspect = &m->n[item->parent];
		jw_obj_open(w);
		jw_kint(w, "node_id", x->id);
		jw_kstr(w, "no", x->no);
		jw_key(w, "aspect");
		jw_obj_open(w);
		jw_kint(w, "id", aspect->id);
		jw_kstr(w, "no", aspect->no);
		jw_kstr(w, "title", plan_model_str(m, aspect->title));
		jw_obj_close(w);
		jw_key(w, "item");
		jw_obj_open(w);
		jw_kint(w, "id", item->id);
		jw_kstr(w, "no", item->no);
		jw_kstr(w, "title", plan_model_str(m, item->title));
		jw_obj_close(w);
		jw_kstr(w, "title", plan_model_str(m, x->title));
		jw_key(w, "lead");
		if (x->first_owner >= 0) {
			const struct plan_mowner *o = &m->o[x->first_owner];
			jw_obj_open(w);
			jw_kint(w, "org_id", o->org_id);
			jw_kstr(w, "name", plan_model_str(m, o->name));
			jw_obj_close(w);
		} else {
			jw_null(w);
		}
		jw_key(w, "co_owners");
		jw_arr_open(w);
		for (int k = 1; k < x->nowners; k++) {
			const struct plan_mowner *o = &m->o[x->first_owner + k];
			jw_obj_open(w);
			jw_kint(w, "org_id", o->org_id);
			jw_kstr(w, "name", plan_model_str(m, o->name));
			jw_obj_close(w);
		}
		jw_arr_close(w);
		jw_kstr(w, "deadline", x->deadline);
		target_json(w, m, x);
		jw_key(w, "weight");
		plan_jw_e4(w, x->weight_e4);
		jw_kstr(w, "metric", plan_metric_name(x->metric));
		actual_json(w, x);
		kcompletion(w, "completion", x->completion);
		jw_kstr(w, "status", plan_status_name(x->status));
		last_report_json(w, m, x);
		if (per_row_children)
			row_cascade_json(w, m, x, kids, nkids);
		jw_obj_close(w);
	}
	jw_arr_close(w);

	jw_key(w, "totals");
	jw_obj_open(w);
	jw_key(w, "plan");
	jw_obj_open(w);
	kcompletion(w, "completion", m->completion);
	jw_kstr(w, "status", plan_status_name(m->status));
	jw_kint(w, "aspects", m->count[PK_ASPECT]);
	jw_kint(w, "items", m->count[PK_ITEM]);
	jw_kint(w, "subitems", m->count[PK_SUBITEM]);
	{
		int o[3] = {m->done[PK_SUBITEM], m->progress[PK_SUBITEM],
		    m->overdue[PK_SUBITEM]};
		counts_json(w, o, m->grey[PK_SUBITEM]);
	}
	jw_obj_close(w);
	jw_key(w, "levels");
	jw_obj_open(w);
	level_json(w, m, PK_ASPECT, "方面");
	level_json(w, m, PK_ITEM, "大项");
	level_json(w, m, PK_SUBITEM, "分项");
	jw_obj_close(w);
	jw_key(w, "areas");
	jw_arr_open(w);
	for (size_t i = 0; i < m->nn; i++) {
		const struct plan_mnode *x = &m->n[i];

		if (x->kind != PK_ASPECT)
			continue;
		jw_obj_open(w);
		jw_kint(w, "node_id", x->id);
		jw_kstr(w, "no", x->no);
		jw_kstr(w, "title", plan_model_str(m, x->title));
		kcompletion(w, "completion", x->completion);
		jw_kstr(w, "status", plan_status_name(x->status));
		jw_kint(w, "items", x->items);
		jw_kint(w, "subitems", x->subitems);
		counts_json(w, x->outcome, x->grey);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	if (owner_totals_json(w, m))
		w->err = ERR_NOMEM;
	jw_kstr(w, "summary", summary);
	jw_obj_close(w);

	jw_key(w, "children");
	jw_arr_open(w);
	for (size_t i = 0; i < nkids; i++)
		child_summary_json(w, &kids[i]);
	jw_arr_close(w);
	jw_obj_close(w);
}

/* ---- comparing two sealed statements ---- */

static json_t *
row_by_node(json_t *rows, json_int_t node)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r) {
		if (json_integer_value(json_object_get(r, "node_id")) == node)
			return r;
	}
	return NULL;
}

static void
jw_json_value(struct jw *w, json_t *v)
{
	char *s;

	if (!v) {
		jw_null(w);
		return;
	}
	/* our own canonical text back out: compact, keys in stored order */
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(15));
	if (!s) {
		w->err = ERR_NOMEM;
		return;
	}
	jw_raw(w, s, strlen(s));
	free(s);
}

static void
side_json(struct jw *w, const char *key, json_t *row)
{
	jw_key(w, key);
	if (!row) {
		jw_null(w);
		return;
	}
	jw_obj_open(w);
	jw_key(w, "actual");
	jw_json_value(w, json_object_get(row, "actual"));
	jw_key(w, "completion");
	jw_json_value(w, json_object_get(row, "completion"));
	jw_key(w, "status");
	jw_json_value(w, json_object_get(row, "status"));
	jw_obj_close(w);
}

static int
same(json_t *a, json_t *b, const char *key)
{
	return json_equal(json_object_get(a, key), json_object_get(b, key));
}

int
plan_compare_json(struct jw *w, const char *from, const char *to)
{
	json_error_t je;
	json_t *a = json_loads(from, JSON_DECODE_ANY, &je);
	json_t *b = json_loads(to, JSON_DECODE_ANY, &je);
	json_t *ra, *rb, *r;
	size_t i;
	int moved = 0, rc = 0;

	if (!a || !b) {
		rc = ERR_INTERNAL;
		goto out;
	}
	ra = json_object_get(a, "rows");
	rb = json_object_get(b, "rows");
	jw_key(w, "changes");
	jw_arr_open(w);
	/* rows of the later statement, then rows only the earlier one had */
	for (int pass = 0; pass < 2; pass++) {
		json_array_foreach(pass ? ra : rb, i, r) {
			json_int_t node = json_integer_value(json_object_get(r, "node_id"));
			json_t *other = row_by_node(pass ? rb : ra, node);
			json_t *x = pass ? r : other, *y = pass ? other : r;

			if (pass && other)
				continue;
			if (x && y && same(x, y, "actual") && same(x, y, "completion") &&
			    same(x, y, "status"))
				continue;
			moved++;
			jw_obj_open(w);
			jw_kint(w, "node_id", node);
			jw_key(w, "no");
			jw_json_value(w, json_object_get(r, "no"));
			jw_key(w, "title");
			jw_json_value(w, json_object_get(r, "title"));
			side_json(w, "from", x);
			side_json(w, "to", y);
			jw_key(w, "completion_delta");
			if (x && y)
				jw_double(w, json_number_value(json_object_get(y, "completion")) -
				    json_number_value(json_object_get(x, "completion")), 4);
			else
				jw_null(w);
			jw_kbool(w, "status_changed", !x || !y || !same(x, y, "status"));
			jw_obj_close(w);
		}
	}
	jw_arr_close(w);
	jw_kint(w, "moved", moved);
	jw_key(w, "totals");
	jw_obj_open(w);
	jw_key(w, "from");
	jw_json_value(w, json_object_get(json_object_get(a, "totals"), "plan"));
	jw_key(w, "to");
	jw_json_value(w, json_object_get(json_object_get(b, "totals"), "plan"));
	jw_obj_close(w);
out:
	json_decref(a);
	json_decref(b);
	return rc;
}

/* a sealed statement of 2,000 rows is about 1.5 MB */
#define SEAL_MAX (64u << 20)

int
plans_seal(struct db_conn *c, const struct plan *pl, const char *as_of,
    const char *title, int64_t due_setting, int64_t user_id, const char *username,
    struct plan_sealed *out)
{
	struct plan_child *kids = NULL;
	struct plan_model m;
	struct plan_view all;
	struct plan_seal seal;
	struct buf content;
	struct jw jw;
	size_t nkids = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&all, 0, sizeof(all));
	all.all = 1;
	plan_model_init(&m);
	buf_init(&content, SEAL_MAX);
	/* read and sealed in one transaction: the snapshot is consistent */
	if ((rc = plan_model_load(c, pl, as_of, plans_due_soon(pl, due_setting), &all, &m)) ||
	    (pl->children && (rc = plan_children_load(c, &m, &kids, &nkids))))
		goto out;
	out->sealed_at = clock_now();
	seal.title = title;
	seal.sealed_by = username;
	seal.sealed_at = out->sealed_at;
	jw_init(&jw, &content);
	plan_statement_json(&jw, &m, kids, nkids, 1, &seal);
	if ((rc = jw_finish(&jw)))
		goto out;
	crypto_sha256_hex(content.data, content.len, out->hash);
	if ((rc = db_prep(c, PLAN_SEAL_INSERT)))
		goto out;
	db_bind_int(c, 1, pl->id);
	db_bind_text(c, 2, as_of);
	db_bind_text(c, 3, title);
	db_bind_text(c, 4, content.data);
	db_bind_text(c, 5, out->hash);
	db_bind_int(c, 6, user_id);
	db_bind_text(c, 7, username);
	db_bind_int(c, 8, out->sealed_at);
	if (!(rc = db_one(c)))
		out->id = db_col_int(c, 0);
	db_done(c);
	out->rows = m.count[PK_SUBITEM];
	out->bytes = content.len;
out:
	plan_children_free(kids, nkids);
	plan_model_free(&m);
	buf_free(&content);
	return rc;
}
