/* The evaluation index in the store: indexes, their trees, classes and
 * members, periods, reported values, stored scores and seals. Every write
 * here runs in the caller's transaction. */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/metric.h"
#include "base/util.h"
#include "db/db.h"
#include "evaluation/evaluation.h"
#include "points/points.h"

static const double default_stars[4] = {90, 80, 70, 60};



int
eval_unit_kind_ok(const char *kind)
{
	static const char *const kinds[] = {"enterprise", "street", "park", "district", NULL};

	for (size_t i = 0; kind && kinds[i]; i++)
		if (!strcmp(kind, kinds[i]))
			return 1;
	return 0;
}

/* ---- indexes ---- */

static void
stars_read(const char *text, double out[4])
{
	json_t *j = json_loads(text ? text : "", 0, NULL);

	memcpy(out, default_stars, sizeof(default_stars));
	if (json_is_array(j) && json_array_size(j) == 4)
		for (size_t i = 0; i < 4; i++)
			out[i] = json_number_value(json_array_get(j, i));
	json_decref(j);
}

static void
index_read_row(struct db_conn *c, struct eval_index *x)
{
	x->id = db_col_int(c, 0);
	x->org_id = db_col_int(c, 1);
	db_col_copy(c, 2, x->title, sizeof(x->title));
	db_col_copy(c, 3, x->unit_kind, sizeof(x->unit_kind));
	stars_read(db_col_text(c, 4), x->stars);
	x->created_by = db_col_int(c, 5);
	x->created = db_col_int(c, 6);
	x->updated = db_col_int(c, 7);
	db_col_copy(c, 8, x->org_name, sizeof(x->org_name));
	db_col_copy(c, 9, x->org_path, sizeof(x->org_path));
}

int
eval_index_insert(struct db_conn *c, struct eval_index *x)
{
	char stars[128];
	int rc;

	if (!x->stars[0] && !x->stars[1] && !x->stars[2] && !x->stars[3])
		memcpy(x->stars, default_stars, sizeof(default_stars));
	snprintf(stars, sizeof(stars), "[%.17g,%.17g,%.17g,%.17g]", x->stars[0], x->stars[1],
	    x->stars[2], x->stars[3]);
	x->created = x->updated = clock_now();
	if ((rc = db_prep(c, EVAL_INDEX_INSERT)))
		return rc;
	db_bind_int(c, 1, x->org_id);
	db_bind_text(c, 2, x->title);
	db_bind_text(c, 3, x->unit_kind);
	db_bind_text(c, 4, stars);
	db_bind_int(c, 5, x->created_by);
	db_bind_int(c, 6, x->created);
	return db_insert(c, &x->id);
}

int
eval_index_get(struct db_conn *c, int64_t id, struct eval_index *x)
{
	int rc = db_prep(c, EVAL_INDEX_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	if (!(rc = db_one(c)))
		index_read_row(c, x);
	db_done(c);
	return rc;
}

int
eval_index_each(struct db_conn *c, int (*fn)(void *ctx, const struct eval_index *x),
    void *ctx)
{
	struct eval_index x;
	int rc = db_prep(c, EVAL_INDEX_ALL), stop = 0;

	if (rc)
		return rc;
	while (!stop && (rc = db_step(c)) == DB_ROW) {
		index_read_row(c, &x);
		stop = fn(ctx, &x);
	}
	db_done(c);
	return stop ? stop : rc < 0 ? rc : 0;
}

void
eval_index_json(struct jw *w, const struct eval_index *x)
{
	jw_key(w, "id");
	jw_int(w, x->id);
	jw_key(w, "org_id");
	jw_int(w, x->org_id);
	jw_key(w, "org_name");
	jw_str(w, x->org_name);
	jw_key(w, "title");
	jw_str(w, x->title);
	jw_key(w, "unit_kind");
	jw_str(w, x->unit_kind);
	jw_key(w, "stars");
	jw_arr_open(w);
	for (int i = 0; i < 4; i++)
		jw_double(w, x->stars[i], 4);
	jw_arr_close(w);
	jw_key(w, "created");
	jw_time(w, x->created);
	jw_key(w, "updated");
	jw_time(w, x->updated);
}

static int
index_touch(struct db_conn *c, int64_t index_id)
{
	int rc = db_prep(c, EVAL_INDEX_TOUCH);

	if (rc)
		return rc;
	db_bind_int(c, 1, index_id);
	db_bind_int(c, 2, clock_now());
	return db_run(c);
}

/* ---- the tree ---- */

static int
node_read_row(struct db_conn *c, struct eval_node *n)
{
	const char *method = db_col_text(c, 10);
	struct why why = {0};

	memset(n, 0, sizeof(*n));
	n->id = db_col_int(c, 0);
	n->parent_id = db_col_int(c, 1);
	n->kind = eval_kind_parse(db_col_text(c, 2));
	n->seq = (int)db_col_int(c, 3);
	db_col_copy(c, 4, n->code, sizeof(n->code));
	db_col_copy(c, 5, n->title, sizeof(n->title));
	db_col_copy(c, 6, n->unit, sizeof(n->unit));
	n->weight = db_col_double(c, 7);
	db_col_copy(c, 8, n->metric, sizeof(n->metric));
	n->reported = (int)db_col_int(c, 9);
	n->has_cap = !db_col_null(c, 11);
	n->cap = n->has_cap ? db_col_double(c, 11) : 0;
	if (method && method[0]) {
		json_t *j = json_loads(method, 0, NULL);
		int rc = j ? eval_method_parse(j, &n->method, &why) : ERR_INVALID;

		json_decref(j);
		/* a stored method was checked when written: a bad one is damage */
		if (rc)
			return ERR_INTERNAL;
	}
	return 0;
}

/* The index's nodes as stored, unordered; the caller frees *out. */
static int
nodes_load(struct db_conn *c, int64_t index_id, struct eval_node **out, size_t *nn)
{
	struct eval_node *n = NULL;
	size_t cap = 0, k = 0;
	int rc = db_prep(c, EVAL_NODES);

	if (rc)
		return rc;
	db_bind_int(c, 1, index_id);
	while ((rc = db_step(c)) == DB_ROW) {
		if ((rc = array_grow((void **)&n, &cap, k, sizeof(*n))))
			break;
		if ((rc = node_read_row(c, &n[k++])))
			break;
	}
	db_done(c);
	if (rc < 0) {
		free(n);
		return rc;
	}
	*out = n;
	*nn = k;
	return 0;
}

int
eval_tree_load(struct db_conn *c, int64_t index_id, struct eval_tree *t)
{
	struct eval_node *n = NULL;
	struct why why = {0};
	size_t nn = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = nodes_load(c, index_id, &n, &nn)))
		return rc;
	/* the writes keep the tree whole; a broken one is damage */
	rc = eval_tree_build(n, nn, t, &why);
	return rc == ERR_INVALID ? ERR_INTERNAL : rc;
}

void
eval_node_json(struct jw *w, const struct eval_node *n)
{
	jw_key(w, "id");
	jw_int(w, n->id);
	jw_key(w, "parent_id");
	if (n->parent_id)
		jw_int(w, n->parent_id);
	else
		jw_null(w);
	jw_key(w, "kind");
	jw_str(w, eval_kind_name(n->kind));
	jw_key(w, "code");
	jw_str(w, n->code);
	jw_key(w, "title");
	jw_str(w, n->title);
	jw_key(w, "unit");
	jw_str(w, n->unit);
	jw_key(w, "seq");
	jw_int(w, n->seq);
	jw_key(w, "weight");
	jw_double(w, n->weight, 6);
	jw_key(w, "source");
	if (n->metric[0]) {
		jw_obj_open(w);
		jw_key(w, "metric");
		jw_str(w, n->metric);
		jw_obj_close(w);
	} else if (n->reported) {
		jw_obj_open(w);
		jw_key(w, "reported");
		jw_bool(w, 1);
		jw_obj_close(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "method");
	eval_method_json(w, &n->method);
	jw_key(w, "cap");
	if (n->has_cap)
		jw_double(w, n->cap, 6);
	else
		jw_null(w);
}

/* The children of node p (-1: the top) from *i on: tree order keeps a
 * node's subtree right after it, so one pass writes the nesting. */
static void
tree_level_json(struct jw *w, const struct eval_tree *t, int p, size_t *i)
{
	jw_arr_open(w);
	while (*i < t->nn && t->parent[*i] == p) {
		size_t at = (*i)++;
		const struct eval_node *n = &t->n[at];

		jw_obj_open(w);
		eval_node_json(w, n);
		jw_key(w, "share");
		if (n->kind == EK_DIMENSION || n->kind == EK_INDICATOR)
			jw_double(w, n->share, 6);
		else
			jw_null(w);
		if (n->kind == EK_DIMENSION) {
			jw_key(w, "children");
			tree_level_json(w, t, (int)at, i);
		}
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

/* Nested: each dimension with its children, in tree order; every node
 * also says its share of its siblings' weight. */
void
eval_tree_json(struct jw *w, const struct eval_tree *t)
{
	size_t i = 0;

	tree_level_json(w, t, -1, &i);
}

/* The rules a node obeys by its kind, whatever the tree around it. */
static int
node_check(const struct eval_node *n, struct why *why)
{
	if (!isfinite(n->weight) || n->weight < 0)
		return why_refuse(why, ERR_INVALID, "weight", "a weight is a number of 0 or more",
		    "权重须为不小于 0 的数");
	if (n->metric[0] && !metric_find(n->metric))
		return why_refuse(why, ERR_INVALID, "source.metric",
		    "no such metric (GET /api/v1/metrics lists them)",
		    "没有这个计算指标（见 GET /api/v1/metrics）");
	if (n->kind == EK_DIMENSION) {
		if (n->metric[0] || n->reported)
			return why_refuse(why, ERR_INVALID, "source",
			    "a dimension is scored from its children and has no source",
			    "维度由下级指标计分，不设数据来源");
		if (n->method.kind || n->has_cap)
			return why_refuse(why, ERR_INVALID, n->method.kind ? "method" : "cap",
			    "a dimension has no method and no cap", "维度不设计分方法和分值上限");
		return 0;
	}
	if (!n->metric[0] && !n->reported)
		return why_refuse(why, ERR_INVALID, "source",
		    "give a source: {\"metric\": NAME} or {\"reported\": true}",
		    "须指定数据来源：{\"metric\": 名称} 或 {\"reported\": true}");
	if (n->kind == EK_INDICATOR && !n->method.kind)
		return why_refuse(why, ERR_INVALID, "method", "an indicator needs a method",
		    "指标须设计分方法");
	if (n->kind != EK_INDICATOR && n->method.kind)
		return why_refuse(why, ERR_INVALID, "method",
		    "only an indicator has a method", "只有指标设计分方法");
	if (n->kind == EK_BONUS && (!n->has_cap || n->cap == 0 || !isfinite(n->cap)))
		return why_refuse(why, ERR_INVALID, "cap",
		    "a bonus or deduction needs a cap (negative for a deduction)",
		    "加分或扣分项须设上限（扣分为负数）");
	if (n->kind != EK_BONUS && n->has_cap)
		return why_refuse(why, ERR_INVALID, "cap", "only a bonus or deduction has a cap",
		    "只有加分或扣分项设上限");
	return 0;
}

static int
node_write(struct db_conn *c, enum db_stmt_id stmt, int64_t index_id,
    const struct eval_node *n)
{
	struct buf mb;
	struct jw w;
	int rc;

	buf_init(&mb, 4096);
	if (n->method.kind) {
		jw_init(&w, &mb);
		eval_method_json(&w, &n->method);
		if ((rc = jw_finish(&w)))
			goto out;
	}
	if ((rc = db_prep(c, stmt)))
		goto out;
	if (stmt == EVAL_NODE_INSERT) {
		db_bind_int(c, 1, index_id);
		if (n->parent_id)
			db_bind_int(c, 2, n->parent_id);
		else
			db_bind_null(c, 2);
		db_bind_text(c, 3, eval_kind_name(n->kind));
		db_bind_text(c, 4, n->code);
		db_bind_text(c, 5, n->title);
		db_bind_text(c, 6, n->unit);
		db_bind_double(c, 7, n->weight);
		db_bind_text(c, 8, n->metric[0] ? n->metric : NULL);
		db_bind_int(c, 9, n->reported);
		db_bind_text(c, 10, mb.data ? mb.data : "");
		if (n->has_cap)
			db_bind_double(c, 11, n->cap);
		else
			db_bind_null(c, 11);
	} else {
		db_bind_int(c, 1, n->id);
		if (n->parent_id)
			db_bind_int(c, 2, n->parent_id);
		else
			db_bind_null(c, 2);
		db_bind_text(c, 3, n->title);
		db_bind_text(c, 4, n->unit);
		db_bind_double(c, 5, n->weight);
		db_bind_text(c, 6, n->metric[0] ? n->metric : NULL);
		db_bind_int(c, 7, n->reported);
		db_bind_text(c, 8, mb.data ? mb.data : "");
		if (n->has_cap)
			db_bind_double(c, 9, n->cap);
		else
			db_bind_null(c, 9);
		db_bind_int(c, 10, index_id);
	}
	rc = 0;
out:
	buf_free(&mb);
	return rc;
}

/* Whether the nodes with n in place of (or added to) them make a tree. */
static int
tree_with(struct db_conn *c, int64_t index_id, const struct eval_node *n, int adding,
    struct why *why)
{
	struct eval_node *all = NULL, *more;
	struct eval_tree t;
	size_t nn = 0;
	int rc;

	if ((rc = nodes_load(c, index_id, &all, &nn)))
		return rc;
	if (adding) {
		if (nn >= EVAL_NODES_MAX) {
			free(all);
			return why_refuse(why, ERR_INVALID, NULL, "an index holds at most 400 nodes",
			    "一个指标体系最多 400 个节点");
		}
		if (!(more = realloc(all, (nn + 1) * sizeof(*all)))) {
			free(all);
			return ERR_NOMEM;
		}
		all = more;
		all[nn] = *n;
		all[nn].id = INT64_MAX;        /* after every stored id */
		nn++;
	} else {
		for (size_t i = 0; i < nn; i++)
			if (all[i].id == n->id)
				all[i] = *n;
	}
	if (n->parent_id) {
		size_t i;

		for (i = 0; i < nn && all[i].id != n->parent_id; i++)
			;
		if (i == nn) {
			free(all);
			return why_refuse(why, ERR_INVALID, "parent_id",
			    "the parent is not a node of this index", "上级不是本指标体系的节点");
		}
	}
	if (!(rc = eval_tree_build(all, nn, &t, why)))
		eval_tree_free(&t);
	return rc;
}

int
eval_node_add(struct db_conn *c, int64_t index_id, struct eval_node *n, struct why *why)
{
	int rc;

	if ((rc = node_check(n, why)) || (rc = tree_with(c, index_id, n, 1, why)) ||
	    (rc = node_write(c, EVAL_NODE_INSERT, index_id, n)))
		return rc;
	if ((rc = db_insert(c, &n->id)) == ERR_CONFLICT)
		return why_refuse(why, ERR_CONFLICT, "code", "the code is already used in this index",
		    "该代码在本指标体系中已使用");
	return rc ? rc : index_touch(c, index_id);
}

int
eval_node_update(struct db_conn *c, int64_t index_id, const struct eval_node *n,
    struct why *why)
{
	int rc;

	if ((rc = node_check(n, why)) || (rc = tree_with(c, index_id, n, 0, why)) ||
	    (rc = node_write(c, EVAL_NODE_UPDATE, index_id, n)) || (rc = db_run(c)))
		return rc;
	return db_changes(c) ? index_touch(c, index_id) : ERR_NOTFOUND;
}

int
eval_node_get(struct db_conn *c, int64_t index_id, int64_t id, struct eval_node *out)
{
	int rc = db_prep(c, EVAL_NODE_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	db_bind_int(c, 2, index_id);
	if (!(rc = db_one(c)))
		rc = node_read_row(c, out);
	db_done(c);
	return rc;
}

/* 1 when the class's weights or methods name the code (the callback of
 * eval_class_each: it stops there). */
static int
class_names_code(void *code, const struct eval_class *k)
{
	json_t *w = json_loads(k->weights, 0, NULL), *m = json_loads(k->methods, 0, NULL);
	int named = json_object_get(w, code) || json_object_get(m, code);

	json_decref(w);
	json_decref(m);
	return named;
}

int
eval_node_delete(struct db_conn *c, int64_t index_id, const struct eval_node *n,
    struct why *why)
{
	int64_t node_id = n->id;
	int rc = eval_class_each(c, index_id, class_names_code, (void *)n->code);

	if (rc == 1)
		return why_refuse(why, ERR_CONFLICT, NULL,
		    "a class's weights or methods name this node: change the class first",
		    "有分类的权重或计分方法引用该节点，请先修改分类");
	if (rc || (rc = db_prep(c, EVAL_NODE_USES)))
		return rc;
	db_bind_int(c, 1, node_id);
	if ((rc = db_one(c)))
		return rc;
	if (db_col_int(c, 0) || db_col_int(c, 1)) {
		int children = db_col_int(c, 0) > 0;

		db_done(c);
		return children ?
		    why_refuse(why, ERR_CONFLICT, NULL, "the node has children: delete them first",
			"该节点有下级，请先删除下级") :
		    why_refuse(why, ERR_CONFLICT, NULL, "units have reported values for this node",
			"已有单位填报了该指标的数据");
	}
	db_done(c);
	if ((rc = db_prep(c, EVAL_NODE_DELETE)))
		return rc;
	db_bind_int(c, 1, node_id);
	db_bind_int(c, 2, index_id);
	if ((rc = db_run(c)))
		return rc;
	return db_changes(c) ? index_touch(c, index_id) : ERR_NOTFOUND;
}

/* ---- classes ---- */

static void
class_read_row(struct db_conn *c, struct eval_class *k)
{
	k->id = db_col_int(c, 0);
	k->index_id = db_col_int(c, 1);
	db_col_copy(c, 2, k->name, sizeof(k->name));
	db_col_copy(c, 3, k->weights, sizeof(k->weights));
	db_col_copy(c, 4, k->methods, sizeof(k->methods));
	k->members = db_col_int(c, 5);
}

/* ERR_INVALID with why unless k's weights and methods fit the index's
 * tree as it is now. */
static int
class_check(struct db_conn *c, const struct eval_class *k, struct why *why)
{
	struct eval_tree t;
	struct eval_override o;
	json_t *wj = json_loads(k->weights, 0, NULL), *mj = json_loads(k->methods, 0, NULL);
	int rc;

	if (!json_is_object(wj) || !json_is_object(mj)) {
		rc = why_refuse(why, ERR_INVALID, !json_is_object(wj) ? "weights" : "methods",
		    "an object of code to value", "须为以代码为键的对象");
		goto out;
	}
	if ((rc = eval_tree_load(c, k->index_id, &t)))
		goto out;
	rc = eval_override_parse(&t, wj, mj, &o, why);
	eval_tree_free(&t);
	if (!rc)
		eval_override_free(&o);
out:
	json_decref(wj);
	json_decref(mj);
	return rc;
}

static int
class_name_taken(struct why *why)
{
	return why_refuse(why, ERR_CONFLICT, "name", "the index has a class of this name",
	    "本指标体系已有同名分类");
}

int
eval_class_add(struct db_conn *c, struct eval_class *k, struct why *why)
{
	int rc;

	if ((rc = class_check(c, k, why)) || (rc = db_prep(c, EVAL_CLASS_INSERT)))
		return rc;
	db_bind_int(c, 1, k->index_id);
	db_bind_text(c, 2, k->name);
	db_bind_text(c, 3, k->weights);
	db_bind_text(c, 4, k->methods);
	if ((rc = db_insert(c, &k->id)) == ERR_CONFLICT)
		return class_name_taken(why);
	return rc ? rc : index_touch(c, k->index_id);
}

int
eval_class_update(struct db_conn *c, const struct eval_class *k, struct why *why)
{
	int rc;

	if ((rc = class_check(c, k, why)) || (rc = db_prep(c, EVAL_CLASS_UPDATE)))
		return rc;
	db_bind_int(c, 1, k->index_id);
	db_bind_int(c, 2, k->id);
	db_bind_text(c, 3, k->name);
	db_bind_text(c, 4, k->weights);
	db_bind_text(c, 5, k->methods);
	if ((rc = db_run(c)) == ERR_CONFLICT)
		return class_name_taken(why);
	if (rc)
		return rc;
	return db_changes(c) ? index_touch(c, k->index_id) : ERR_NOTFOUND;
}

int
eval_class_delete(struct db_conn *c, int64_t index_id, int64_t id, struct why *why)
{
	int rc = db_prep(c, EVAL_CLASS_SEALED_USE);

	if (rc)
		return rc;
	db_bind_int(c, 1, index_id);
	db_bind_int(c, 2, id);
	if ((rc = db_one(c)))
		return rc;
	if (db_col_int(c, 0)) {
		db_done(c);
		return why_refuse(why, ERR_CONFLICT, NULL,
		    "a sealed period ranks units in this class: it stays",
		    "已封存的评价周期按该分类排名，不能删除");
	}
	db_done(c);
	if ((rc = db_prep(c, EVAL_MEMBERS_CLEAR)))
		return rc;
	db_bind_int(c, 1, id);
	if ((rc = db_run(c)) || (rc = db_prep(c, EVAL_CLASS_DELETE)))
		return rc;
	db_bind_int(c, 1, index_id);
	db_bind_int(c, 2, id);
	if ((rc = db_run(c)))
		return rc;
	return db_changes(c) ? index_touch(c, index_id) : ERR_NOTFOUND;
}

int
eval_class_get(struct db_conn *c, int64_t index_id, int64_t id, struct eval_class *k)
{
	int rc = db_prep(c, EVAL_CLASS_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, index_id);
	db_bind_int(c, 2, id);
	if (!(rc = db_one(c)))
		class_read_row(c, k);
	db_done(c);
	return rc;
}

int
eval_class_each(struct db_conn *c, int64_t index_id,
    int (*fn)(void *ctx, const struct eval_class *k), void *ctx)
{
	struct eval_class *k = malloc(sizeof(*k));
	int rc, stop = 0;

	if (!k)
		return ERR_NOMEM;
	if ((rc = db_prep(c, EVAL_CLASSES)))
		goto out;
	db_bind_int(c, 1, index_id);
	while (!stop && (rc = db_step(c)) == DB_ROW) {
		class_read_row(c, k);
		stop = fn(ctx, k);
	}
	db_done(c);
	rc = stop ? stop : rc < 0 ? rc : 0;
out:
	free(k);
	return rc;
}

void
eval_class_json(struct jw *w, const struct eval_class *k)
{
	jw_key(w, "id");
	jw_int(w, k->id);
	jw_key(w, "index_id");
	jw_int(w, k->index_id);
	jw_key(w, "name");
	jw_str(w, k->name);
	jw_key(w, "weights");
	jw_raw(w, k->weights, strlen(k->weights));
	jw_key(w, "methods");
	jw_raw(w, k->methods, strlen(k->methods));
	jw_key(w, "members");
	jw_int(w, k->members);
}

int
eval_members_set(struct db_conn *c, const struct eval_index *x, int64_t class_id,
    const int64_t *org_ids, size_t n, struct why *why)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc;

	path_range(x->org_path, lo, hi, sizeof(lo));
	for (size_t i = 0; i < n; i++) {
		if ((rc = db_prep(c, EVAL_UNIT_IN)))
			return rc;
		db_bind_int(c, 1, org_ids[i]);
		db_bind_text(c, 2, x->unit_kind);
		db_bind_text(c, 3, x->org_path);
		db_bind_text(c, 4, hi);
		rc = db_one(c);
		db_done(c);
		if (rc == ERR_NOTFOUND) {
			rc = why_refuse(why, ERR_INVALID, "org_ids",
			    "not a unit of this index (its kind, below its org)",
			    "不是本指标体系的评价单位（类别不符或不在其下级）");
			why->row = (long)i + 1;
			return rc;
		}
		if (rc)
			return rc;
	}
	if ((rc = db_prep(c, EVAL_MEMBERS_CLEAR)))
		return rc;
	db_bind_int(c, 1, class_id);
	if ((rc = db_run(c)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = db_prep(c, EVAL_MEMBER_PUT)))
			return rc;
		db_bind_int(c, 1, x->id);
		db_bind_int(c, 2, org_ids[i]);
		db_bind_int(c, 3, class_id);
		if ((rc = db_run(c)))
			return rc;
	}
	return 0;
}

static int
in_list(json_t *list, const char *s, int prefix)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v) {
		const char *want = json_string_value(v);

		if (want && (prefix ? !strncmp(s, want, strlen(want)) : !strcmp(s, want)))
			return 1;
	}
	return 0;
}

static int
rule_check(json_t *rule, struct why *why)
{
	const char *key;
	json_t *v;

	if (!json_is_object(rule) || !json_object_size(rule))
		return why_refuse(why, ERR_INVALID, "rule",
		    "a rule names above_scale, ownership or industry",
		    "规则须包含 above_scale、ownership 或 industry");
	json_object_foreach(rule, key, v) {
		size_t i;
		json_t *e;

		if (!strcmp(key, "above_scale") && json_is_boolean(v))
			continue;
		if ((!strcmp(key, "ownership") || !strcmp(key, "industry")) &&
		    json_is_array(v) && json_array_size(v) > 0) {
			json_array_foreach(v, i, e)
				if (!json_is_string(e) || !json_string_length(e))
					return why_refuse(why, ERR_INVALID, key, "a list of codes",
					    "须为代码列表");
			continue;
		}
		return why_refuse(why, ERR_INVALID, "rule",
		    "a rule is {above_scale: bool, ownership: [..], industry: [prefix, ..]}",
		    "规则格式为 {above_scale: 布尔, ownership: [..], industry: [行业代码前缀, ..]}");
	}
	return 0;
}

int
eval_members_rule(struct db_conn *c, const struct eval_index *x, int64_t class_id,
    json_t *rule, struct why *why, size_t *n)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	json_t *above = json_object_get(rule, "above_scale");
	json_t *own = json_object_get(rule, "ownership"), *ind = json_object_get(rule, "industry");
	int64_t *ids = NULL;
	size_t cap = 0, k = 0;
	int rc;

	*n = 0;
	if ((rc = rule_check(rule, why)))
		return rc;
	path_range(x->org_path, lo, hi, sizeof(lo));
	if ((rc = db_prep(c, EVAL_UNITS)))
		return rc;
	db_bind_text(c, 1, x->unit_kind);
	db_bind_text(c, 2, x->org_path);
	db_bind_text(c, 3, hi);
	while ((rc = db_step(c)) == DB_ROW) {
		const char *ownership = db_col_text(c, 4), *industry = db_col_text(c, 5);

		if ((above && (db_col_int(c, 3) != 0) != json_is_true(above)) ||
		    (own && !in_list(own, ownership ? ownership : "", 0)) ||
		    (ind && !in_list(ind, industry ? industry : "", 1)))
			continue;
		if ((rc = array_grow((void **)&ids, &cap, k, sizeof(*ids))))
			break;
		ids[k++] = db_col_int(c, 0);
	}
	db_done(c);
	if (rc >= 0 && !(rc = eval_members_set(c, x, class_id, ids, k, why)))
		*n = k;
	free(ids);
	return rc < 0 ? rc : 0;
}

static int
member_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* A unit of an index by name, for boards over its units. */
struct eval_unit_name {
	int64_t id;
	char name[100 * 4 + 1];
};

/* The index's units in [lo, hi), of one class (class_id > 0), in none
 * (-1) or all (0), by id ascending; *out is the caller's to free. */
static int
units_named(struct db_conn *c, const struct eval_index *x, int64_t class_id,
    const char *lo, const char *hi, struct eval_unit_name **out, size_t *n)
{
	char ilo[ORG_PATH_MAX], ihi[ORG_PATH_MAX];
	int64_t (*members)[2] = NULL;
	size_t cap = 0, nm = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (class_id && (rc = db_prep(c, EVAL_MEMBERS)) == 0) {
		db_bind_int(c, 1, x->id);
		while ((rc = db_step(c)) == DB_ROW) {
			if ((rc = array_grow((void **)&members, &cap, nm + 1, sizeof(*members))))
				break;
			members[nm][0] = db_col_int(c, 0);
			members[nm++][1] = db_col_int(c, 1);
		}
		db_done(c);
		if (rc < 0)
			goto out;
	}
	cap = 0;
	path_range(x->org_path, ilo, ihi, sizeof(ilo));
	if ((rc = db_prep(c, EVAL_UNITS)))
		goto out;
	db_bind_text(c, 1, x->unit_kind);
	db_bind_text(c, 2, x->org_path);
	db_bind_text(c, 3, ihi);
	while ((rc = db_step(c)) == DB_ROW) {
		int64_t id = db_col_int(c, 0), (*m)[2] = NULL;
		const char *path = db_col_text(c, 1);

		if (!path || strcmp(path, lo) < 0 || strcmp(path, hi) >= 0)
			continue;
		if (class_id) {
			m = nm ? bsearch(&id, members, nm, sizeof(*members), member_cmp) : NULL;
			if (class_id > 0 ? !m || (*m)[1] != class_id : m != NULL)
				continue;
		}
		if ((rc = array_grow((void **)out, &cap, *n + 1, sizeof(**out))))
			break;
		(*out)[*n].id = id;
		db_col_copy(c, 2, (*out)[*n].name, sizeof((*out)[*n].name));
		(*n)++;
	}
	db_done(c);
	rc = rc < 0 ? rc : 0;
out:
	free(members);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static int
unit_name_cmp(const void *a, const void *b)
{
	const struct eval_unit_name *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int
eval_points_board(struct db_conn *c, const struct eval_index *x, int64_t class_id,
    const char *period, const char *lo, const char *hi, struct points_place **out, size_t *n)
{
	struct eval_unit_name *units = NULL, key, *u;
	struct points_place *places = NULL;
	int64_t *ids = NULL;
	size_t nu = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = units_named(c, x, class_id, lo, hi, &units, &nu)) || !nu)
		goto out;
	if (!(ids = calloc(nu, sizeof(*ids))) || !(places = calloc(nu, sizeof(*places)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < nu; i++)
		ids[i] = units[i].id;
	if ((rc = points_board_among(c, period, lo, hi, ids, nu, places)))
		goto out;
	for (size_t i = 0; i < nu; i++) {
		key.id = places[i].holder_id;
		if ((u = bsearch(&key, units, nu, sizeof(*units), unit_name_cmp)))
			str_copy(places[i].name, sizeof(places[i].name), u->name);
	}
	*out = places;
	*n = nu;
	places = NULL;
out:
	free(units);
	free(ids);
	free(places);
	return rc;
}

/* ---- periods ---- */

static void
period_read_row(struct db_conn *c, struct eval_period *p)
{
	p->id = db_col_int(c, 0);
	p->index_id = db_col_int(c, 1);
	db_col_copy(c, 2, p->label, sizeof(p->label));
	db_col_copy(c, 3, p->starts, sizeof(p->starts));
	db_col_copy(c, 4, p->ends, sizeof(p->ends));
	db_col_copy(c, 5, p->state, sizeof(p->state));
	p->job_id = db_col_int(c, 6);
	p->computed = db_col_int(c, 7);
	p->units = db_col_int(c, 8);
	p->sealed = db_col_int(c, 9);
	p->sealed_by = db_col_int(c, 10);
	db_col_copy(c, 11, p->hash, sizeof(p->hash));
	p->computations = db_col_int(c, 12);
	db_col_copy(c, 13, p->report_due, sizeof(p->report_due));
}

int
eval_period_add(struct db_conn *c, struct eval_period *p, struct why *why)
{
	int rc;

	if (strcmp(p->starts, p->ends) > 0)
		return why_refuse(why, ERR_INVALID, "to", "the period ends before it starts",
		    "结束日期早于开始日期");
	if (p->report_due[0] && strcmp(p->report_due, p->starts) < 0)
		return why_refuse(why, ERR_INVALID, "report_due",
		    "the deadline for values comes before the period starts", "填报截止日期早于周期开始");
	if ((rc = db_prep(c, EVAL_PERIOD_INSERT)))
		return rc;
	db_bind_int(c, 1, p->index_id);
	db_bind_text(c, 2, p->label);
	db_bind_text(c, 3, p->starts);
	db_bind_text(c, 4, p->ends);
	db_bind_text(c, 5, p->report_due[0] ? p->report_due : NULL);
	if ((rc = db_insert(c, &p->id)) == ERR_CONFLICT)
		return why_refuse(why, ERR_CONFLICT, "label", "the index has a period of this label",
		    "本指标体系已有同名评价周期");
	str_copy(p->state, sizeof(p->state), "open");
	return rc;
}

int
eval_period_get(struct db_conn *c, int64_t id, struct eval_period *p)
{
	int rc = db_prep(c, EVAL_PERIOD_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	if (!(rc = db_one(c)))
		period_read_row(c, p);
	db_done(c);
	return rc;
}

int
eval_period_each(struct db_conn *c, int64_t index_id,
    int (*fn)(void *ctx, const struct eval_period *p), void *ctx)
{
	struct eval_period p;
	int rc = db_prep(c, EVAL_PERIODS), stop = 0;

	if (rc)
		return rc;
	db_bind_int(c, 1, index_id);
	while (!stop && (rc = db_step(c)) == DB_ROW) {
		period_read_row(c, &p);
		stop = fn(ctx, &p);
	}
	db_done(c);
	return stop ? stop : rc < 0 ? rc : 0;
}

void
eval_period_json(struct jw *w, const struct eval_period *p)
{
	jw_key(w, "id");
	jw_int(w, p->id);
	jw_key(w, "index_id");
	jw_int(w, p->index_id);
	jw_key(w, "label");
	jw_str(w, p->label);
	jw_key(w, "from");
	jw_str(w, p->starts);
	jw_key(w, "to");
	jw_str(w, p->ends);
	jw_key(w, "state");
	jw_str(w, p->state);
	jw_key(w, "job_id");
	if (p->job_id)
		jw_int(w, p->job_id);
	else
		jw_null(w);
	jw_key(w, "computed");
	jw_time(w, p->computed);
	jw_key(w, "units");
	jw_int(w, p->units);
	jw_key(w, "sealed");
	jw_time(w, p->sealed);
	jw_key(w, "hash");
	if (p->hash[0])
		jw_str(w, p->hash);
	else
		jw_null(w);
	jw_key(w, "report_due");
	if (p->report_due[0])
		jw_str(w, p->report_due);
	else
		jw_null(w);
}

int
eval_period_due(struct db_conn *c, struct eval_period *p, const char *due, struct why *why)
{
	int rc;

	if (strcmp(p->state, "open"))
		return why_refuse(why, ERR_CONFLICT, "report_due",
		    "the period is sealed: nobody reports for it any more", "本周期已封存，不再填报");
	if (due[0] && strcmp(due, p->starts) < 0)
		return why_refuse(why, ERR_INVALID, "report_due",
		    "the deadline for values comes before the period starts", "填报截止日期早于周期开始");
	if ((rc = db_prep(c, EVAL_PERIOD_DUE)))
		return rc;
	db_bind_int(c, 1, p->id);
	db_bind_text(c, 2, due[0] ? due : NULL);
	if ((rc = db_run(c)))
		return rc;
	if (db_changes(c) != 1)
		return why_refuse(why, ERR_CONFLICT, "report_due",
		    "the period is sealed: nobody reports for it any more", "本周期已封存，不再填报");
	str_copy(p->report_due, sizeof(p->report_due), due);
	return 0;
}

static int
period_lock(struct db_conn *c, int64_t id, struct eval_period *p)
{
	int rc = db_prep(c, EVAL_PERIOD_LOCK);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	rc = db_one(c);
	db_done(c);
	return rc ? rc : eval_period_get(c, id, p);
}

static int
sealed(struct why *why)
{
	return why_refuse(why, ERR_CONFLICT, NULL, "the period is sealed: its scores never change",
	    "该评价周期已封存，得分不再变动");
}

int
eval_period_queued(struct db_conn *c, int64_t id, int64_t job_id, struct why *why)
{
	struct eval_period p;
	int rc;

	if ((rc = period_lock(c, id, &p)))
		return rc;
	if (strcmp(p.state, "open"))
		return sealed(why);
	if ((rc = db_prep(c, EVAL_PERIOD_QUEUED)))
		return rc;
	db_bind_int(c, 1, id);
	db_bind_int(c, 2, job_id);
	return db_run(c);
}

/* ---- reported values ---- */

static void
value_read_row(struct db_conn *c, struct eval_value *v)
{
	v->id = db_col_int(c, 0);
	v->period_id = db_col_int(c, 1);
	v->org_id = db_col_int(c, 2);
	v->node_id = db_col_int(c, 3);
	v->value = db_col_double(c, 4);
	db_col_copy(c, 5, v->note, sizeof(v->note));
	db_col_copy(c, 6, v->state, sizeof(v->state));
	v->entered_by = db_col_int(c, 7);
	db_col_copy(c, 8, v->entered_name, sizeof(v->entered_name));
	v->entered = db_col_int(c, 9);
	v->reviewed_by = db_col_int(c, 10);
	db_col_copy(c, 11, v->reviewed_name, sizeof(v->reviewed_name));
	v->reviewed = db_col_int(c, 12);
	db_col_copy(c, 13, v->reason, sizeof(v->reason));
	db_col_copy(c, 14, v->code, sizeof(v->code));
	db_col_copy(c, 15, v->org_name, sizeof(v->org_name));
	db_col_copy(c, 16, v->org_path, sizeof(v->org_path));
}

int
eval_value_put(struct db_conn *c, const struct eval_index *x, const struct eval_period *p,
    struct eval_value *v, struct why *why)
{
	struct eval_tree t;
	int rc;

	if ((rc = eval_tree_load(c, x->id, &t)))
		return rc;
	rc = eval_value_put_in(c, x, p, &t, v, why);
	eval_tree_free(&t);
	return rc;
}

int
eval_value_put_in(struct db_conn *c, const struct eval_index *x, const struct eval_period *p,
    const struct eval_tree *tree, struct eval_value *v, struct why *why)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_period now;
	int rc = 0, i;

	if ((rc = period_lock(c, p->id, &now)))
		return rc;
	if (strcmp(now.state, "open"))
		return sealed(why);
	if (!isfinite(v->value))
		return why_refuse(why, ERR_INVALID, "value", "a finite number", "须为有限数值");
	i = eval_tree_find(tree, v->code);
	if (i < 0) {
		rc = why_refuse(why, ERR_INVALID, "code", "no node of this code in the index",
		    "本指标体系没有这个代码");
	} else if (!tree->n[i].reported) {
		rc = why_refuse(why, ERR_INVALID, "code",
		    "this node is computed from the store, not reported",
		    "该项由系统计算，无需填报");
	} else if ((tree->n[i].kind == EK_VETO ||
	    (tree->n[i].kind == EK_INDICATOR && tree->n[i].method.kind == EM_MILESTONE)) &&
	    v->value != 0 && v->value != 1) {
		rc = why_refuse(why, ERR_INVALID, "value", "this node takes 1 (yes) or 0 (no)",
		    "该项只能填 1（是）或 0（否）");
	} else {
		v->node_id = tree->n[i].id;
	}
	if (rc)
		return rc;
	path_range(x->org_path, lo, hi, sizeof(lo));
	if ((rc = db_prep(c, EVAL_UNIT_IN)))
		return rc;
	db_bind_int(c, 1, v->org_id);
	db_bind_text(c, 2, x->unit_kind);
	db_bind_text(c, 3, x->org_path);
	db_bind_text(c, 4, hi);
	rc = db_one(c);
	db_done(c);
	if (rc == ERR_NOTFOUND)
		return why_refuse(why, ERR_INVALID, "org_id", "not a unit of this index",
		    "不是本指标体系的评价单位");
	if (rc)
		return rc;
	v->period_id = p->id;
	v->entered = clock_now();
	if ((rc = db_prep(c, EVAL_VALUE_PUT)))
		return rc;
	db_bind_int(c, 1, v->period_id);
	db_bind_int(c, 2, v->org_id);
	db_bind_int(c, 3, v->node_id);
	db_bind_double(c, 4, v->value);
	db_bind_text(c, 5, v->note);
	db_bind_text(c, 6, v->state);
	db_bind_int(c, 7, v->entered_by);
	db_bind_text(c, 8, v->entered_name);
	db_bind_int(c, 9, v->entered);
	if ((rc = db_run(c)) || (rc = db_prep(c, EVAL_VALUE_AT)))
		return rc;
	db_bind_int(c, 1, v->period_id);
	db_bind_int(c, 2, v->org_id);
	db_bind_int(c, 3, v->node_id);
	if (!(rc = db_one(c)))
		value_read_row(c, v);
	db_done(c);
	return rc;
}

int
eval_value_get(struct db_conn *c, int64_t period_id, int64_t id, struct eval_value *v)
{
	int rc = db_prep(c, EVAL_VALUE_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, period_id);
	db_bind_int(c, 2, id);
	if (!(rc = db_one(c)))
		value_read_row(c, v);
	db_done(c);
	return rc;
}

int
eval_value_review(struct db_conn *c, struct eval_value *v, int accept, const char *reason,
    int64_t by, const char *by_name, struct why *why)
{
	struct eval_period p;
	int rc;

	if ((rc = period_lock(c, v->period_id, &p)))
		return rc;
	if (strcmp(p.state, "open"))
		return sealed(why);
	if (strcmp(v->state, "submitted"))
		return why_refuse(why, ERR_CONFLICT, NULL, "only a submitted value is reviewed",
		    "只有待审核的数据可以审核");
	if (!accept && (!reason || !reason[0]))
		return why_refuse(why, ERR_INVALID, "reason", "say why it goes back",
		    "退回须说明理由");
	if ((rc = db_prep(c, EVAL_VALUE_REVIEW)))
		return rc;
	db_bind_int(c, 1, v->id);
	db_bind_text(c, 2, accept ? "accepted" : "returned");
	db_bind_int(c, 3, by);
	db_bind_text(c, 4, by_name);
	db_bind_int(c, 5, clock_now());
	db_bind_text(c, 6, accept ? "" : reason);
	if ((rc = db_run(c)))
		return rc;
	if (!db_changes(c))
		return why_refuse(why, ERR_CONFLICT, NULL, "only a submitted value is reviewed",
		    "只有待审核的数据可以审核");
	return eval_value_get(c, v->period_id, v->id, v);
}

int
eval_value_page(struct db_conn *c, int64_t period_id, const char *lo, const char *hi,
    const char *state, int64_t after, int64_t limit,
    int (*fn)(void *ctx, const struct eval_value *v), void *ctx, int64_t *total)
{
	struct eval_value *v = malloc(sizeof(*v));
	int rc, stop = 0;

	if (!v)
		return ERR_NOMEM;
	if ((rc = db_prep(c, EVAL_VALUES_COUNT)))
		goto out;
	db_bind_int(c, 1, period_id);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	db_bind_text(c, 4, state);
	if ((rc = db_one(c)))
		goto out;
	*total = db_col_int(c, 0);
	db_done(c);
	if ((rc = db_prep(c, EVAL_VALUES_PAGE)))
		goto out;
	db_bind_int(c, 1, period_id);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	db_bind_text(c, 4, state);
	db_bind_int(c, 5, after);
	db_bind_int(c, 6, limit + 1);
	while (!stop && (rc = db_step(c)) == DB_ROW) {
		value_read_row(c, v);
		stop = fn(ctx, v);
	}
	db_done(c);
	rc = stop ? stop : rc < 0 ? rc : 0;
out:
	free(v);
	return rc;
}

void
eval_value_json(struct jw *w, const struct eval_value *v)
{
	jw_key(w, "id");
	jw_int(w, v->id);
	jw_key(w, "period_id");
	jw_int(w, v->period_id);
	jw_key(w, "org_id");
	jw_int(w, v->org_id);
	jw_key(w, "org_name");
	jw_str(w, v->org_name);
	jw_key(w, "code");
	jw_str(w, v->code);
	jw_key(w, "value");
	jw_double(w, v->value, 6);
	jw_key(w, "note");
	jw_str(w, v->note);
	jw_key(w, "state");
	jw_str(w, v->state);
	jw_key(w, "entered_by");
	jw_str(w, v->entered_name);
	jw_key(w, "entered");
	jw_time(w, v->entered);
	jw_key(w, "reviewed_by");
	if (v->reviewed)
		jw_str(w, v->reviewed_name);
	else
		jw_null(w);
	jw_key(w, "reviewed");
	jw_time(w, v->reviewed);
	jw_key(w, "reason");
	jw_str(w, v->reason);
}

/* ---- stored scores ---- */

void
eval_score_free(struct eval_score *s)
{
	free(s->scores);
	free(s->detail);
	s->scores = s->detail = NULL;
}

/* A score row; its explanation too when the statement reads it (col 11). */
static int
score_read_row(struct db_conn *c, struct eval_score *s, int detail)
{
	eval_score_free(s);
	s->period_id = db_col_int(c, 0);
	s->org_id = db_col_int(c, 1);
	s->class_id = db_col_int(c, 2);
	s->total = db_col_double(c, 3);
	s->place = (int)db_col_int(c, 4);
	s->stars = (int)db_col_int(c, 5);
	s->vetoed = (int)db_col_int(c, 6);
	s->scores = strdup(db_col_text(c, 7) ? db_col_text(c, 7) : "{}");
	db_col_copy(c, 8, s->org_name, sizeof(s->org_name));
	db_col_copy(c, 9, s->org_path, sizeof(s->org_path));
	s->pos = db_col_int(c, 10);
	if (detail)
		s->detail = strdup(db_col_text(c, 11) ? db_col_text(c, 11) : "{}");
	return s->scores && (!detail || s->detail) ? 0 : ERR_NOMEM;
}

int
eval_score_page(struct db_conn *c, int64_t period_id, int64_t class_id, int64_t compare,
    const char *lo,
    const char *hi, int whole, int64_t after, int64_t limit,
    int (*fn)(void *ctx, const struct eval_score *s), void *ctx, int64_t *total)
{
	struct eval_score *s = calloc(1, sizeof(*s));
	int rc, stop = 0;

	if (!s)
		return ERR_NOMEM;
	if ((rc = db_prep(c, whole ? EVAL_SCORES_COUNT_ALL : EVAL_SCORES_COUNT)))
		goto out;
	db_bind_int(c, 1, period_id);
	db_bind_int(c, 2, class_id);
	if (!whole) {
		db_bind_text(c, 3, lo);
		db_bind_text(c, 4, hi);
	}
	if ((rc = db_one(c)))
		goto out;
	*total = db_col_int(c, 0);
	db_done(c);
	if ((rc = db_prep(c, EVAL_SCORES_PAGE)))
		goto out;
	db_bind_int(c, 1, period_id);
	db_bind_int(c, 2, class_id);
	db_bind_text(c, 3, lo);
	db_bind_text(c, 4, hi);
	db_bind_int(c, 5, after);
	db_bind_int(c, 6, limit + 1);
	db_bind_int(c, 7, compare);
	while (!stop && (rc = db_step(c)) == DB_ROW) {
		if ((rc = score_read_row(c, s, 0)))
			break;
		s->compared = compare != 0;
		if ((s->before_found = !db_col_null(c, 11))) {
			s->before_place = (int)db_col_int(c, 11);
			s->before_total = db_col_double(c, 12);
			s->before_class = db_col_int(c, 13);
			s->before_vetoed = (int)db_col_int(c, 14);
		}
		stop = fn(ctx, s);
	}
	db_done(c);
	rc = stop ? stop : rc < 0 ? rc : 0;
out:
	eval_score_free(s);
	free(s);
	return rc;
}

int
eval_score_get(struct db_conn *c, int64_t period_id, int64_t org_id, struct eval_score *s)
{
	int rc = db_prep(c, EVAL_SCORE_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, period_id);
	db_bind_int(c, 2, org_id);
	if (!(rc = db_one(c)))
		rc = score_read_row(c, s, 1);
	db_done(c);
	return rc;
}

void
eval_score_json(struct jw *w, const struct eval_score *s, int detail)
{
	jw_key(w, "org_id");
	jw_int(w, s->org_id);
	jw_key(w, "org_name");
	jw_str(w, s->org_name);
	jw_key(w, "class_id");
	if (s->class_id)
		jw_int(w, s->class_id);
	else
		jw_null(w);
	jw_key(w, "total");
	jw_double(w, s->total, 2);
	jw_key(w, "rank");
	jw_int(w, s->place);
	jw_key(w, "stars");
	jw_int(w, s->stars);
	jw_key(w, "vetoed");
	jw_bool(w, s->vetoed);
	jw_key(w, "scores");
	jw_raw(w, s->scores, strlen(s->scores));
	if (s->compared) {
		/* movement: places gained within the same class; null across classes */
		jw_key(w, "before");
		if (s->before_found) {
			jw_obj_open(w);
			jw_kint(w, "rank", s->before_place);
			jw_key(w, "total");
			jw_double(w, s->before_total, 2);
			jw_key(w, "class_id");
			if (s->before_class)
				jw_int(w, s->before_class);
			else
				jw_null(w);
			jw_kbool(w, "vetoed", s->before_vetoed);
			jw_obj_close(w);
		} else {
			jw_null(w);
		}
		jw_key(w, "movement");
		if (s->before_found && s->before_class == s->class_id)
			jw_int(w, s->before_place - s->place);
		else
			jw_null(w);
	}
	if (detail) {
		jw_key(w, "explain");
		jw_raw(w, s->detail, strlen(s->detail));
	}
}

/* ---- seals ---- */

int
eval_period_hash(struct db_conn *c, int64_t period_id, char hash[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	char line[256];
	int rc = db_prep(c, EVAL_SCORES_HASHED), n;

	if (rc)
		return rc;
	crypto_hash_sha256_init(&st);
	n = snprintf(line, sizeof(line), "changai-eval-seal:1|%lld\n", (long long)period_id);
	crypto_hash_sha256_update(&st, (const unsigned char *)line, (size_t)n);
	db_bind_int(c, 1, period_id);
	while ((rc = db_step(c)) == DB_ROW) {
		const char *scores = db_col_text(c, 6), *detail = db_col_text(c, 7);

		/* each field's length before it: no two row sets hash alike; the
		 * total exactly (%.17g), so no edit hides below the shown decimals */
		n = snprintf(line, sizeof(line), "%lld|%lld|%.17g|%lld|%lld|%lld|%lld|%zu|%zu|",
		    (long long)db_col_int(c, 0), (long long)db_col_int(c, 1),
		    db_col_double(c, 2), (long long)db_col_int(c, 3), (long long)db_col_int(c, 4),
		    (long long)db_col_int(c, 5), (long long)db_col_int(c, 8),
		    strlen(scores ? scores : ""),
		    strlen(detail ? detail : ""));
		crypto_hash_sha256_update(&st, (const unsigned char *)line, (size_t)n);
		crypto_hash_sha256_update(&st, (const unsigned char *)(scores ? scores : ""),
		    strlen(scores ? scores : ""));
		crypto_hash_sha256_update(&st, (const unsigned char *)(detail ? detail : ""),
		    strlen(detail ? detail : ""));
	}
	db_done(c);
	if (rc < 0)
		return rc;
	crypto_hash_sha256_final(&st, digest);
	hex_encode(digest, sizeof(digest), hash);
	return 0;
}

int
eval_period_seal(struct db_conn *c, int64_t period_id, int64_t by, char hash[65],
    struct why *why)
{
	struct eval_period p;
	int rc;

	if ((rc = period_lock(c, period_id, &p)))
		return rc;
	if (strcmp(p.state, "open"))
		return sealed(why);
	if (!p.computed)
		return why_refuse(why, ERR_CONFLICT, NULL, "compute the period before sealing it",
		    "请先计算得分再封存");
	if ((rc = eval_period_hash(c, period_id, hash)) || (rc = db_prep(c, EVAL_PERIOD_SEAL)))
		return rc;
	db_bind_int(c, 1, period_id);
	db_bind_int(c, 2, clock_now());
	db_bind_int(c, 3, by);
	db_bind_text(c, 4, hash);
	return db_run(c);
}

int
eval_check_seals(struct db_conn *c, struct buf *report, int64_t *count)
{
	struct sealed_period {
		int64_t id;
		char label[EVAL_LABEL_MAX * 4 + 1];
		char hash[65];
	} *list = NULL;
	size_t n = 0, cap = 0;
	int rc = db_prep(c, EVAL_PERIODS_SEALED), problems = 0;

	*count = 0;
	if (rc)
		return rc;
	while ((rc = db_step(c)) == DB_ROW) {
		if ((rc = array_grow((void **)&list, &cap, n, sizeof(*list))))
			break;
		list[n].id = db_col_int(c, 0);
		db_col_copy(c, 2, list[n].label, sizeof(list[n].label));
		db_col_copy(c, 3, list[n].hash, sizeof(list[n].hash));
		n++;
	}
	db_done(c);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		char now[65];

		if ((rc = eval_period_hash(c, list[i].id, now)) < 0)
			break;
		if (strcmp(now, list[i].hash)) {
			buf_printf(report, "evaluation period %lld (%s): its scores differ from "
			    "what was sealed\n", (long long)list[i].id, list[i].label);
			problems++;
		}
	}
	free(list);
	*count = (int64_t)n;
	return rc < 0 ? rc : problems;
}

/* ---- robustness runs ---- */

int
eval_robust_request(struct db_conn *c, const struct eval_period *p,
    const struct eval_robust_opts *o, int64_t job_id, int64_t by, struct why *why)
{
	int rc;

	if (!(o->spread >= 0 && o->spread < 1))
		return why_refuse(why, ERR_INVALID, "spread", "a share of the weight from 0 up to 1",
		    "扰动幅度须不小于 0 且小于 1");
	if (o->replications < 1 || o->replications > EVAL_ROBUST_REPLICATIONS_MAX || o->top < 1)
		return why_refuse(why, ERR_INVALID, o->top < 1 ? "top" : "replications",
		    "out of range", "超出允许范围");
	if (!p->computed)
		return why_refuse(why, ERR_CONFLICT, NULL,
		    "compute the period before testing its ranking",
		    "请先计算得分，再检验排名的稳健性");
	if ((rc = db_prep(c, EVAL_ROBUST_RUN_PUT)))
		return rc;
	db_bind_int(c, 1, p->id);
	db_bind_int(c, 2, job_id);
	db_bind_int(c, 3, o->replications);
	db_bind_double(c, 4, o->spread);
	db_bind_int(c, 5, (int64_t)o->seed);
	db_bind_int(c, 6, o->top);
	db_bind_int(c, 7, o->methods);
	db_bind_int(c, 8, clock_now());
	db_bind_int(c, 9, by);
	return db_run(c);
}

int
eval_robust_run_get(struct db_conn *c, int64_t period_id, struct eval_robust_run *r)
{
	int rc = db_prep(c, EVAL_ROBUST_RUN_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, period_id);
	if (!(rc = db_one(c))) {
		memset(r, 0, sizeof(*r));
		r->period_id = db_col_int(c, 0);
		r->job_id = db_col_int(c, 1);
		r->opts.replications = (int)db_col_int(c, 2);
		r->opts.spread = db_col_double(c, 3);
		r->opts.seed = (uint64_t)db_col_int(c, 4);
		r->opts.top = (int)db_col_int(c, 5);
		r->opts.methods = (int)db_col_int(c, 6);
		r->requested = db_col_int(c, 7);
		r->requested_by = db_col_int(c, 8);
		r->computation = db_col_int(c, 9);
		r->done = db_col_int(c, 10);
		r->unstable = db_col_int(c, 11);
	}
	db_done(c);
	return rc;
}

void
eval_robust_run_json(struct jw *w, const struct eval_robust_run *r, const struct eval_period *p)
{
	jw_kint(w, "job_id", r->job_id);
	jw_kint(w, "replications", r->opts.replications);
	jw_key(w, "spread");
	jw_double(w, r->opts.spread, 6);
	jw_kint(w, "seed", (int64_t)r->opts.seed);
	jw_kint(w, "top", r->opts.top);
	jw_key(w, "methods");
	jw_bool(w, r->opts.methods);
	jw_key(w, "requested");
	jw_time(w, r->requested);
	jw_key(w, "done");
	jw_time(w, r->done);
	jw_kint(w, "unstable", r->unstable);
	jw_key(w, "stale");
	jw_bool(w, r->done && r->computation != p->computations);
}

int
eval_robust_page(struct db_conn *c, int64_t period_id, int64_t class_id, const char *lo,
    const char *hi, const char *verdict, int64_t after, int64_t limit,
    int (*fn)(void *ctx, const struct eval_robust_row *row), void *ctx, int64_t *total)
{
	struct eval_robust_row row;
	int rc = db_prep(c, EVAL_ROBUST_COUNT), stop = 0;

	if (rc)
		return rc;
	db_bind_int(c, 1, period_id);
	db_bind_int(c, 2, class_id);
	db_bind_text(c, 3, lo);
	db_bind_text(c, 4, hi);
	db_bind_text(c, 5, verdict);
	if ((rc = db_one(c)))
		return rc;
	*total = db_col_int(c, 0);
	db_done(c);
	if ((rc = db_prep(c, EVAL_ROBUST_PAGE)))
		return rc;
	db_bind_int(c, 1, period_id);
	db_bind_int(c, 2, class_id);
	db_bind_text(c, 3, lo);
	db_bind_text(c, 4, hi);
	db_bind_text(c, 5, verdict);
	db_bind_int(c, 6, after);
	db_bind_int(c, 7, limit + 1);
	while (!stop && (rc = db_step(c)) == DB_ROW) {
		const char *v = db_col_text(c, 10);

		memset(&row, 0, sizeof(row));
		row.u.org_id = db_col_int(c, 0);
		db_col_copy(c, 1, row.org_name, sizeof(row.org_name));
		row.u.class_id = db_col_int(c, 2);
		row.u.place = (int)db_col_int(c, 3);
		row.u.best = (int)db_col_int(c, 4);
		row.u.p05 = (int)db_col_int(c, 5);
		row.u.median = (int)db_col_int(c, 6);
		row.u.p95 = (int)db_col_int(c, 7);
		row.u.worst = (int)db_col_int(c, 8);
		row.u.top_share = db_col_double(c, 9);
		row.u.verdict = !strcmp(v ? v : "", "in") ? EVAL_ROBUST_IN :
		    !strcmp(v ? v : "", "unstable") ? EVAL_ROBUST_UNSTABLE : EVAL_ROBUST_OUT;
		row.u.vetoed = row.u.place == 0;
		row.pos = db_col_int(c, 11);
		stop = fn(ctx, &row);
	}
	db_done(c);
	return stop ? stop : rc < 0 ? rc : 0;
}

void
eval_robust_row_json(struct jw *w, const struct eval_robust_row *row)
{
	const struct eval_robust_unit *u = &row->u;

	jw_kint(w, "org_id", u->org_id);
	jw_kstr(w, "org_name", row->org_name);
	jw_key(w, "class_id");
	if (u->class_id)
		jw_int(w, u->class_id);
	else
		jw_null(w);
	jw_key(w, "vetoed");
	jw_bool(w, u->vetoed);
	if (u->vetoed) {
		/* never ranked: no place and no interval */
		jw_key(w, "rank");
		jw_null(w);
		jw_key(w, "interval");
		jw_null(w);
	} else {
		jw_kint(w, "rank", u->place);
		jw_key(w, "interval");
		jw_obj_open(w);
		jw_kint(w, "best", u->best);
		jw_kint(w, "p05", u->p05);
		jw_kint(w, "median", u->median);
		jw_kint(w, "p95", u->p95);
		jw_kint(w, "worst", u->worst);
		jw_obj_close(w);
	}
	jw_key(w, "top_share");
	jw_double(w, u->top_share, 4);
	jw_kstr(w, "verdict", eval_robust_verdict_name(u->verdict));
}
