/* HTTP handlers of the evaluation index: indexes and their trees, classes,
 * periods, reported values and their review, computing, scores, the
 * explanation of a score, and the seal. Who may do what is the module's
 * (access.c); a handler asks eval_access and answers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/metric.h"
#include "base/util.h"
#include "db/db.h"
#include "evaluation/api.h"
#include "evaluation/evaluation.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "orgs/orgs.h"
#include "points/points.h"
#include "xlsx/xlsx.h"

int
eval_load_index(struct req *r, struct db_conn *c, int64_t id, enum eval_see need,
    struct eval_index *x, enum eval_see *see, char *lo, char *hi)
{
	int rc;

	if ((rc = eval_index_get(c, id, x)))
		return rc;
	*see = eval_access(req_who(r), x, lo, hi);
	if (*see == EVAL_SEE_NONE)
		return ERR_NOTFOUND;
	return *see < need ? ERR_PERM : 0;
}

int
eval_load_period(struct req *r, struct db_conn *c, int64_t id, enum eval_see need,
    struct eval_period *p, struct eval_index *x, enum eval_see *see, char *lo, char *hi)
{
	int rc;

	if ((rc = eval_period_get(c, id, p)))
		return rc;
	return eval_load_index(r, c, p->index_id, need, x, see, lo, hi);
}

/* ---- metrics ---- */

static int
h_metrics(struct req *r)
{
	struct jw *w = req_json(r, 200);
	const struct metric *m;

	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	for (size_t i = 0; (m = metric_at(i)); i++) {
		jw_obj_open(w);
		jw_kstr(w, "name", m->name);
		jw_kstr(w, "unit", m->unit);
		jw_key(w, "title");
		jw_obj_open(w);
		jw_kstr(w, "zh", m->title_zh);
		jw_kstr(w, "en", m->title_en);
		jw_obj_close(w);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	return 0;
}

/* ---- indexes ---- */

static int
h_index_create(struct req *r)
{
	json_t *b = req_body(r);
	const struct principal *p = req_who(r);
	struct eval_index x;
	struct why why = {0};
	struct org o;
	struct tx t;
	int rc;

	memset(&x, 0, sizeof(x));
	x.org_id = json_integer_value(json_object_get(b, "org_id"));
	str_copy(x.title, sizeof(x.title), json_string_value(json_object_get(b, "title")));
	str_copy(x.unit_kind, sizeof(x.unit_kind),
	    json_string_value(json_object_get(b, "unit_kind")));
	x.created_by = p->user_id;
	if ((rc = tx_begin(&t, r, "eval.index_create")))
		return rc;
	if ((rc = orgs_get_scoped(t.c, p, EVAL_OWNERS, x.org_id, &o)))
		goto out;
	str_copy(x.org_name, sizeof(x.org_name), o.name);
	str_copy(x.org_path, sizeof(x.org_path), o.path);
	if (!(rc = eval_index_insert(t.c, &x))) {
		tx_about(&t, "eval_index", x.id, x.org_id, x.org_path);
		jw_kstr(tx_summary(&t), "title", x.title);
		jw_kstr(tx_summary(&t), "unit_kind", x.unit_kind);
		rc = tx_commit(&t);
	}
out:
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	{
		struct jw *w = req_json(r, 201);

		jw_obj_open(w);
		eval_index_json(w, &x);
		jw_obj_close(w);
	}
	return 0;
}

struct index_list {
	const struct principal *p;
	struct jw *w;
	int64_t n;
};

static int
index_item(void *ctx, const struct eval_index *x)
{
	struct index_list *l = ctx;
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	enum eval_see see = eval_access(l->p, x, lo, hi);

	if (see == EVAL_SEE_NONE)
		return 0;
	jw_obj_open(l->w);
	eval_index_json(l->w, x);
	jw_kstr(l->w, "access", eval_see_name(see));
	jw_obj_close(l->w);
	l->n++;
	return 0;
}

static int
h_index_list(struct req *r)
{
	struct index_list l = {req_who(r), NULL, 0};
	struct db_conn *c;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)))
		return rc;
	l.w = req_json(r, 200);
	jw_obj_open(l.w);
	jw_key(l.w, "items");
	jw_arr_open(l.w);
	rc = eval_index_each(c, index_item, &l);
	jw_arr_close(l.w);
	jw_kint(l.w, "total", l.n);
	jw_obj_close(l.w);
	return rc;
}

static int
class_item(void *ctx, const struct eval_class *k)
{
	struct jw *w = ctx;

	jw_obj_open(w);
	eval_class_json(w, k);
	jw_obj_close(w);
	return 0;
}

static int
period_item(void *ctx, const struct eval_period *p)
{
	struct jw *w = ctx;

	jw_obj_open(w);
	eval_period_json(w, p);
	jw_obj_close(w);
	return 0;
}

/* One index with its tree, its classes and its periods. */
static int
h_index_get(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_index x;
	struct eval_tree t;
	struct db_conn *c;
	struct jw *w;
	enum eval_see see;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_index(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &x, &see, lo, hi)) ||
	    (rc = eval_tree_load(c, x.id, &t)))
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	eval_index_json(w, &x);
	jw_key(w, "tree");
	eval_tree_json(w, &t);
	eval_tree_free(&t);
	jw_key(w, "classes");
	jw_arr_open(w);
	if (!(rc = eval_class_each(c, x.id, class_item, w))) {
		jw_arr_close(w);
		jw_key(w, "periods");
		jw_arr_open(w);
		rc = eval_period_each(c, x.id, period_item, w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	return rc;
}

static int
h_index_tree(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_index x;
	struct eval_tree t;
	struct db_conn *c;
	struct jw *w;
	enum eval_see see;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_index(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &x, &see, lo, hi)) ||
	    (rc = eval_tree_load(c, x.id, &t)))
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_kint(w, "index_id", x.id);
	jw_key(w, "items");
	eval_tree_json(w, &t);
	jw_kint(w, "total", (int64_t)t.nn);
	jw_obj_close(w);
	eval_tree_free(&t);
	return 0;
}

/* ---- nodes ---- */

/* The body's fields over n (a new node, or the stored one for a PATCH). */
static int
node_from_body(json_t *b, struct eval_node *n, struct why *why)
{
	json_t *v, *src = json_object_get(b, "source");

	if ((v = json_object_get(b, "parent_id")))
		n->parent_id = json_is_null(v) ? 0 : json_integer_value(v);
	if ((v = json_object_get(b, "title")))
		str_copy(n->title, sizeof(n->title), json_string_value(v));
	if ((v = json_object_get(b, "unit")))
		str_copy(n->unit, sizeof(n->unit), json_string_value(v));
	if ((v = json_object_get(b, "weight")))
		n->weight = json_number_value(v);
	if ((v = json_object_get(b, "cap"))) {
		n->has_cap = !json_is_null(v);
		n->cap = n->has_cap ? json_number_value(v) : 0;
	}
	if (src) {
		json_t *metric = json_object_get(src, "metric");
		json_t *reported = json_object_get(src, "reported");

		n->metric[0] = '\0';
		n->reported = 0;
		if (json_is_null(src)) {
			/* no source: a dimension */
		} else if (json_object_size(src) == 1 && json_is_string(metric)) {
			if (str_copy(n->metric, sizeof(n->metric), json_string_value(metric)) ||
			    !n->metric[0]) {
				why->field = "source.metric";
				why->en = "no such metric (GET /api/v1/metrics lists them)";
				why->zh = "没有这个计算指标（见 GET /api/v1/metrics）";
				return ERR_INVALID;
			}
		} else if (json_object_size(src) == 1 && json_is_true(reported)) {
			n->reported = 1;
		} else {
			why->field = "source";
			why->en = "a source is {\"metric\": NAME} or {\"reported\": true}";
			why->zh = "数据来源须为 {\"metric\": 名称} 或 {\"reported\": true}";
			return ERR_INVALID;
		}
	}
	if ((v = json_object_get(b, "method"))) {
		if (json_is_null(v))
			memset(&n->method, 0, sizeof(n->method));
		else
			return eval_method_parse(v, &n->method, why);
	}
	return 0;
}

static void
node_answer(struct req *r, int status, const struct eval_node *n)
{
	struct jw *w = req_json(r, status);

	jw_obj_open(w);
	eval_node_json(w, n);
	jw_obj_close(w);
}

static int
h_node_add(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	json_t *b = req_body(r);
	struct eval_index x;
	struct eval_node n;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	int rc;

	memset(&n, 0, sizeof(n));
	n.kind = eval_kind_parse(json_string_value(json_object_get(b, "kind")));
	str_copy(n.code, sizeof(n.code), json_string_value(json_object_get(b, "code")));
	if ((rc = node_from_body(b, &n, &why)))
		return req_why(r, rc, &why);
	if ((rc = tx_begin(&t, r, "eval.node_add")))
		return rc;
	if (!(rc = eval_load_index(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &x, &see, lo, hi)) &&
	    !(rc = eval_node_add(t.c, x.id, &n, &why))) {
		tx_about(&t, "eval_index", x.id, x.org_id, x.org_path);
		jw_kint(tx_summary(&t), "node", n.id);
		jw_kstr(tx_summary(&t), "code", n.code);
		jw_kstr(tx_summary(&t), "kind", eval_kind_name(n.kind));
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	node_answer(r, 201, &n);
	return 0;
}

static int
h_node_patch(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_index x;
	struct eval_node n;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	int rc;

	if ((rc = tx_begin(&t, r, "eval.node_update")))
		return rc;
	if (!(rc = eval_load_index(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &x, &see, lo, hi)) &&
	    !(rc = eval_node_get(t.c, x.id, req_param_id(r, 1), &n)) &&
	    !(rc = node_from_body(req_body(r), &n, &why)) &&
	    !(rc = eval_node_update(t.c, x.id, &n, &why))) {
		tx_about(&t, "eval_index", x.id, x.org_id, x.org_path);
		jw_kint(tx_summary(&t), "node", n.id);
		jw_kstr(tx_summary(&t), "code", n.code);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	node_answer(r, 200, &n);
	return 0;
}

static int
h_node_delete(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_index x;
	struct eval_node n;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	int rc;

	if ((rc = tx_begin(&t, r, "eval.node_delete")))
		return rc;
	if (!(rc = eval_load_index(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &x, &see, lo, hi)) &&
	    !(rc = eval_node_get(t.c, x.id, req_param_id(r, 1), &n)) &&
	    !(rc = eval_node_delete(t.c, x.id, &n, &why))) {
		tx_about(&t, "eval_index", x.id, x.org_id, x.org_path);
		jw_kint(tx_summary(&t), "node", n.id);
		jw_kstr(tx_summary(&t), "code", n.code);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	return rc ? req_why(r, rc, &why) : req_status_only(r, 204);
}

/* ---- classes ---- */

/* Copies the body's name, weights and methods, those present, into k;
 * answers 413 itself when the overrides do not fit. */
static int
class_from_body(struct req *r, json_t *b, struct eval_class *k)
{
	static const char *const keys[] = {"weights", "methods"};
	char *dst[] = {k->weights, k->methods};
	size_t cap[] = {sizeof(k->weights), sizeof(k->methods)};
	const char *name = json_string_value(json_object_get(b, "name"));

	if (name)
		str_copy(k->name, sizeof(k->name), name);
	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(b, keys[i]);
		char *text;
		int too_long;

		if (!v)
			continue;
		if (!(text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS)))
			return ERR_NOMEM;
		too_long = str_copy(dst[i], cap[i], text) != 0;
		free(text);
		if (too_long)
			return req_error(r, 413, "too_large", keys[i], "the overrides are too long",
			    "覆盖设置过长");
	}
	return 0;
}

static void
class_answer(struct req *r, int status, const struct eval_class *k)
{
	struct jw *w = req_json(r, status);

	jw_obj_open(w);
	eval_class_json(w, k);
	jw_obj_close(w);
}

static int
h_class_add(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_class *k = calloc(1, sizeof(*k));
	struct eval_index x;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	int rc;

	if (!k)
		return ERR_NOMEM;
	str_copy(k->weights, sizeof(k->weights), "{}");
	str_copy(k->methods, sizeof(k->methods), "{}");
	if ((rc = class_from_body(r, req_body(r), k)) || (rc = tx_begin(&t, r, "eval.class_add")))
		goto out;
	if (!(rc = eval_load_index(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &x, &see, lo, hi))) {
		k->index_id = x.id;
		if (!(rc = eval_class_add(t.c, k, &why))) {
			tx_about(&t, "eval_index", x.id, x.org_id, x.org_path);
			jw_kint(tx_summary(&t), "class", k->id);
			jw_kstr(tx_summary(&t), "name", k->name);
			rc = tx_commit(&t);
		}
	}
	tx_end(&t);
	if (rc)
		rc = req_why(r, rc, &why);
	else
		class_answer(r, 201, k);
out:
	free(k);
	return rc;
}

static int
h_class_patch(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_class *k = calloc(1, sizeof(*k));
	struct eval_index x;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	int rc;

	if (!k)
		return ERR_NOMEM;
	if ((rc = tx_begin(&t, r, "eval.class_update")))
		goto out;
	if (!(rc = eval_load_index(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &x, &see, lo, hi)) &&
	    !(rc = eval_class_get(t.c, x.id, req_param_id(r, 1), k)) &&
	    !(rc = class_from_body(r, req_body(r), k)) &&
	    !(rc = eval_class_update(t.c, k, &why))) {
		tx_about(&t, "eval_index", x.id, x.org_id, x.org_path);
		jw_kint(tx_summary(&t), "class", k->id);
		jw_kstr(tx_summary(&t), "name", k->name);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		rc = req_why(r, rc, &why);
	else
		class_answer(r, 200, k);
out:
	free(k);
	return rc;
}

static int
h_class_delete(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_class *k = calloc(1, sizeof(*k));
	struct eval_index x;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	int rc;

	if (!k)
		return ERR_NOMEM;
	if ((rc = tx_begin(&t, r, "eval.class_delete")))
		goto out;
	if (!(rc = eval_load_index(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &x, &see, lo, hi)) &&
	    !(rc = eval_class_get(t.c, x.id, req_param_id(r, 1), k)) &&
	    !(rc = eval_class_delete(t.c, x.id, k->id, &why))) {
		tx_about(&t, "eval_index", x.id, x.org_id, x.org_path);
		jw_kint(tx_summary(&t), "class", k->id);
		jw_kstr(tx_summary(&t), "name", k->name);
		jw_kint(tx_summary(&t), "members", k->members);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	rc = rc ? req_why(r, rc, &why) : req_status_only(r, 204);
out:
	free(k);
	return rc;
}

static int
h_class_list(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_index x;
	struct db_conn *c;
	struct jw *w;
	enum eval_see see;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_index(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &x, &see, lo, hi)))
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	rc = eval_class_each(c, x.id, class_item, w);
	jw_arr_close(w);
	jw_obj_close(w);
	return rc;
}

/* ---- the points of an index's units, by class (积分化评估 × 分类式管理) ---- */

#define CLASS_BOARD_MAX 200

static int
h_index_points(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], year[9];
	const char *period = req_query(r, "period"), *after = req_query(r, "after");
	struct why why = {0};
	int64_t class_id = req_query_int(r, "class", 0), limit = req_query_int(r, "limit", 50);
	int64_t from = 0;
	struct points_place *places = NULL;
	struct eval_index x;
	struct db_conn *c;
	enum eval_see see;
	size_t n = 0;
	int rc;

	if (after && cursor_decode(after, &from))
		return ERR_BADREQ;
	if ((rc = points_period_pick(period, year, &why)))
		return req_why(r, rc, &why);
	period = year;
	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_index(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &x, &see, lo, hi)) ||
	    (rc = eval_points_board(c, &x, class_id, period, lo, hi, &places, &n)))
		return rc;
	{
		struct jw *w = req_json(r, 200);
		int64_t end = from + limit < (int64_t)n ? from + limit : (int64_t)n;
		char next[40];

		jw_obj_open(w);
		jw_kint(w, "index_id", x.id);
		if (class_id)
			jw_kint(w, "class", class_id);
		else
			jw_knull(w, "class");
		jw_kstr(w, "period", period);
		jw_kstr(w, "tie_break", POINTS_TIE_BREAK_EN);
		jw_kstr(w, "tie_break_zh", POINTS_TIE_BREAK_ZH);
		jw_key(w, "items");
		jw_arr_open(w);
		for (int64_t i = from; i < end; i++) {
			jw_obj_open(w);
			jw_kint(w, "place", places[i].place);
			jw_kint(w, "org_id", places[i].holder_id);
			jw_kstr(w, "org_name", places[i].name);
			jw_kint(w, "points", places[i].points);
			jw_kstr(w, "reached", places[i].reached);
			jw_obj_close(w);
		}
		jw_arr_close(w);
		if (end < (int64_t)n) {
			cursor_encode(end, next);
			jw_kstr(w, "next", next);
		} else {
			jw_knull(w, "next");
		}
		jw_kint(w, "total", (int64_t)n);
		jw_obj_close(w);
	}
	free(places);
	return 0;
}

static int
h_members_put(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	json_t *list = json_object_get(req_body(r), "org_ids"), *v;
	json_t *rule = json_object_get(req_body(r), "rule");
	struct eval_class *k = calloc(1, sizeof(*k));
	size_t n = json_array_size(list), i;
	int64_t *ids = calloc(n ? n : 1, sizeof(*ids));
	struct eval_index x;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	int rc;

	if (!k || !ids) {
		rc = ERR_NOMEM;
		goto out;
	}
	if (!list == !rule) {
		rc = req_error(r, 422, "validation_failed", "org_ids",
		    "give either org_ids or a rule", "请给出 org_ids 或 rule 之一");
		goto out;
	}
	json_array_foreach(list, i, v)
		ids[i] = json_integer_value(v);
	if ((rc = tx_begin(&t, r, "eval.members_set")))
		goto out;
	if (!(rc = eval_load_index(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &x, &see, lo, hi)) &&
	    !(rc = eval_class_get(t.c, x.id, req_param_id(r, 1), k)) &&
	    !(rc = rule ? eval_members_rule(t.c, &x, k->id, rule, &why, &n) :
	    eval_members_set(t.c, &x, k->id, ids, n, &why)) &&
	    !(rc = eval_class_get(t.c, x.id, k->id, k))) {
		tx_about(&t, "eval_index", x.id, x.org_id, x.org_path);
		jw_kint(tx_summary(&t), "class", k->id);
		jw_kint(tx_summary(&t), "members", k->members);
		if (rule)
			jw_kstr(tx_summary(&t), "by", "rule");
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc) {
		rc = req_why(r, rc, &why);
		goto out;
	}
	class_answer(r, 200, k);
out:
	free(ids);
	free(k);
	return rc;
}

/* ---- periods ---- */

static int
h_period_add(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	json_t *b = req_body(r);
	struct eval_period p;
	struct eval_index x;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	int rc;

	memset(&p, 0, sizeof(p));
	str_copy(p.label, sizeof(p.label), json_string_value(json_object_get(b, "label")));
	str_copy(p.starts, sizeof(p.starts), json_string_value(json_object_get(b, "from")));
	str_copy(p.ends, sizeof(p.ends), json_string_value(json_object_get(b, "to")));
	if (json_is_string(json_object_get(b, "report_due")))
		str_copy(p.report_due, sizeof(p.report_due),
		    json_string_value(json_object_get(b, "report_due")));
	if ((rc = tx_begin(&t, r, "eval.period_add")))
		return rc;
	if (!(rc = eval_load_index(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &x, &see, lo, hi))) {
		p.index_id = x.id;
		if (!(rc = eval_period_add(t.c, &p, &why))) {
			tx_about(&t, "eval_period", p.id, x.org_id, x.org_path);
			jw_kstr(tx_summary(&t), "label", p.label);
			rc = tx_commit(&t);
		}
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	{
		struct jw *w = req_json(r, 201);

		jw_obj_open(w);
		eval_period_json(w, &p);
		jw_obj_close(w);
	}
	return 0;
}

static int
h_period_patch(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	const char *due = json_string_value(json_object_get(req_body(r), "report_due"));
	struct eval_period p;
	struct eval_index x;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	int rc;

	if ((rc = tx_begin(&t, r, "eval.period_due")))
		return rc;
	if (!(rc = eval_load_period(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &p, &x, &see, lo,
	    hi)) && !(rc = eval_period_due(t.c, &p, due ? due : "", &why))) {
		tx_about(&t, "eval_period", p.id, x.org_id, x.org_path);
		jw_kstr(tx_summary(&t), "report_due", p.report_due);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	{
		struct jw *w = req_json(r, 200);

		jw_obj_open(w);
		eval_period_json(w, &p);
		jw_obj_close(w);
	}
	return 0;
}

/* The units that still owe values, as the caller sees them. */
static int
h_unreported(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_unreported *u = NULL;
	struct eval_period p;
	struct eval_index x;
	struct db_conn *c;
	enum eval_see see;
	int64_t nodes = 0;
	size_t n = 0;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_period(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &p, &x, &see, lo, hi)) ||
	    (rc = eval_unreported(c, &x, &p, lo, hi, &u, &n, &nodes)))
		return rc;
	{
		struct jw *w = req_json(r, 200);

		jw_obj_open(w);
		jw_kint(w, "period_id", p.id);
		if (p.report_due[0])
			jw_kstr(w, "report_due", p.report_due);
		else
			jw_knull(w, "report_due");
		jw_kint(w, "reported_nodes", nodes);
		jw_key(w, "items");
		jw_arr_open(w);
		for (size_t i = 0; i < n; i++) {
			jw_obj_open(w);
			jw_kint(w, "org_id", u[i].org_id);
			jw_kstr(w, "org_name", u[i].name);
			jw_kint(w, "missing", u[i].missing);
			jw_obj_close(w);
		}
		jw_arr_close(w);
		jw_kint(w, "total", (int64_t)n);
		jw_obj_close(w);
	}
	free(u);
	return 0;
}

static int
h_period_list(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_index x;
	struct db_conn *c;
	struct jw *w;
	enum eval_see see;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_index(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &x, &see, lo, hi)))
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	rc = eval_period_each(c, x.id, period_item, w);
	jw_arr_close(w);
	jw_obj_close(w);
	return rc;
}

static int
h_period_get(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_period p;
	struct eval_index x;
	struct db_conn *c;
	struct jw *w;
	enum eval_see see;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_period(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &p, &x, &see, lo, hi)))
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	eval_period_json(w, &p);
	jw_key(w, "index");
	jw_obj_open(w);
	eval_index_json(w, &x);
	jw_obj_close(w);
	jw_obj_close(w);
	return 0;
}

/* ---- reported values ---- */

static void
value_answer(struct req *r, int status, const struct eval_value *v)
{
	struct jw *w = req_json(r, status);

	jw_obj_open(w);
	eval_value_json(w, v);
	jw_obj_close(w);
}

static int
h_value_put(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], path[ORG_PATH_MAX];
	const struct principal *who = req_who(r);
	json_t *b = req_body(r);
	struct eval_value *v = calloc(1, sizeof(*v));
	struct eval_period p;
	struct eval_index x;
	struct why why = {0};
	const char *state;
	struct tx t;
	enum eval_see see;
	int rc;

	if (!v)
		return ERR_NOMEM;
	v->org_id = json_integer_value(json_object_get(b, "org_id"));
	v->value = json_number_value(json_object_get(b, "value"));
	str_copy(v->code, sizeof(v->code), json_string_value(json_object_get(b, "code")));
	str_copy(v->note, sizeof(v->note), json_object_get(b, "note") ?
	    json_string_value(json_object_get(b, "note")) : "");
	v->entered_by = who->user_id;
	str_copy(v->entered_name, sizeof(v->entered_name), who->name[0] ? who->name : who->username);
	if ((rc = tx_begin(&t, r, "eval.value_put")))
		goto out;
	if ((rc = eval_load_period(r, t.c, req_param_id(r, 0), EVAL_SEE_UNIT, &p, &x, &see, lo, hi)) ||
	    (rc = orgs_path_of(t.c, v->org_id, path, sizeof(path))))
		goto end;
	if ((rc = eval_entry_state(who, see, path, &state)))
		goto end;
	str_copy(v->state, sizeof(v->state), state);
	if (!(rc = eval_value_put(t.c, &x, &p, v, &why))) {
		tx_about(&t, "eval_value", v->id, v->org_id, v->org_path);
		jw_kint(tx_summary(&t), "period", p.id);
		jw_kstr(tx_summary(&t), "code", v->code);
		jw_key(tx_summary(&t), "value");
		jw_double(tx_summary(&t), v->value, 6);
		jw_kstr(tx_summary(&t), "state", v->state);
		rc = tx_commit(&t);
	}
end:
	tx_end(&t);
	if (rc)
		rc = req_why(r, rc, &why);
	else
		value_answer(r, 201, v);
out:
	free(v);
	return rc;
}

static int
h_value_review(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	const struct principal *who = req_who(r);
	json_t *b = req_body(r);
	const char *decision = json_string_value(json_object_get(b, "decision"));
	const char *reason = json_object_get(b, "reason") ?
	    json_string_value(json_object_get(b, "reason")) : "";
	struct eval_value *v = calloc(1, sizeof(*v));
	struct eval_period p;
	struct eval_index x;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	int rc;

	if (!v)
		return ERR_NOMEM;
	if ((rc = tx_begin(&t, r, "eval.value_review")))
		goto out;
	if (!(rc = eval_load_period(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &p, &x, &see, lo, hi)) &&
	    !(rc = eval_value_get(t.c, p.id, req_param_id(r, 1), v)) &&
	    !(rc = eval_value_review(t.c, v, !strcmp(decision, "accept"), reason, who->user_id,
	    who->name[0] ? who->name : who->username, &why))) {
		tx_about(&t, "eval_value", v->id, v->org_id, v->org_path);
		jw_kstr(tx_summary(&t), "state", v->state);
		if (v->reason[0])
			jw_kstr(tx_summary(&t), "reason", v->reason);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		rc = req_why(r, rc, &why);
	else
		value_answer(r, 200, v);
out:
	free(v);
	return rc;
}

struct value_page {
	struct page pg;
};

static int
value_row(void *ctx, const struct eval_value *v)
{
	struct value_page *l = ctx;

	if (!page_row(&l->pg, v->id))
		return 0;
	jw_obj_open(l->pg.w);
	eval_value_json(l->pg.w, v);
	jw_obj_close(l->pg.w);
	return 0;
}

static int
h_value_list(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	const char *after = req_query(r, "after");
	int64_t limit = req_query_int(r, "limit", 50), cursor = 0, total = 0;
	struct value_page l;
	struct eval_period p;
	struct eval_index x;
	struct db_conn *c;
	enum eval_see see;
	int rc;

	if (after && cursor_decode(after, &cursor))
		return req_error(r, 400, "bad_request", "after", "bad cursor", "游标无效");
	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_period(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &p, &x, &see, lo, hi)))
		return rc;
	page_open(&l.pg, r, limit);
	rc = eval_value_page(c, p.id, lo, hi, req_query(r, "state"), cursor, limit,
	    value_row, &l, &total);
	return rc ? rc : page_close(&l.pg, total);
}

/* ---- computing, scores, seals ---- */

static int
h_compute(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], params[64];
	const struct principal *who = req_who(r);
	struct eval_period p;
	struct eval_index x;
	struct why why = {0};
	int64_t job = 0;
	struct tx t;
	enum eval_see see;
	int rc;

	if ((rc = tx_begin(&t, r, "eval.compute")))
		return rc;
	if (!(rc = eval_load_period(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &p, &x, &see, lo, hi))) {
		snprintf(params, sizeof(params), "{\"period_id\":%lld}", (long long)p.id);
		if (!(rc = jobs_create(t.c, "eval_compute", x.org_id, x.org_path, who->user_id,
		    who->username, params, 0, &job)) &&
		    !(rc = eval_period_queued(t.c, p.id, job, &why))) {
			tx_about(&t, "eval_period", p.id, x.org_id, x.org_path);
			jw_kint(tx_summary(&t), "job", job);
			rc = tx_commit(&t);
		}
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	req_db_release(r);
	req_jobs_kick(r);
	{
		struct jw *w = req_json(r, 202);

		jw_obj_open(w);
		jw_kint(w, "job_id", job);
		jw_obj_close(w);
	}
	return 0;
}

static int
score_row(void *ctx, const struct eval_score *s)
{
	struct page *pg = ctx;

	if (!page_row(pg, s->pos))
		return 0;
	jw_obj_open(pg->w);
	eval_score_json(pg->w, s, 0);
	jw_obj_close(pg->w);
	return 0;
}

static int
h_scores(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	const char *after = req_query(r, "after");
	int64_t limit = req_query_int(r, "limit", 50), cursor = 0, total = 0;
	int64_t compare = req_query_int(r, "compare", 0);
	struct eval_period p;
	struct eval_index x;
	struct db_conn *c;
	struct page pg;
	enum eval_see see;
	int rc;

	if (after && cursor_decode(after, &cursor))
		return req_error(r, 400, "bad_request", "after", "bad cursor", "游标无效");
	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_period(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &p, &x, &see, lo, hi)))
		return rc;
	if (compare) {
		struct eval_period q;

		if ((rc = eval_period_get(c, compare, &q)) && rc != ERR_NOTFOUND)
			return rc;
		if (rc || q.index_id != p.index_id)
			return req_error(r, 400, "bad_request", "compare",
			    "compare with another period of the same index", "请选择同一指标体系的另一评价周期");
	}
	page_open(&pg, r, limit);
	rc = eval_score_page(c, p.id, req_query_int(r, "class", 0), compare, lo, hi,
	    see != EVAL_SEE_UNIT, cursor, limit, score_row, &pg, &total);
	if (rc)
		return rc;
	{
		struct jw *w = page_close_more(&pg, total);

		jw_key(w, "period");
		jw_obj_open(w);
		eval_period_json(w, &p);
		jw_obj_close(w);
		jw_obj_close(w);
	}
	return 0;
}

/* ---- the tree as .xlsx ---- */

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static int
h_tree_xlsx(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], path[256], fname[EVAL_TITLE_MAX * 4 + 32];
	struct eval_index x;
	struct eval_tree t;
	struct db_conn *c;
	enum eval_see see;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_index(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &x, &see, lo, hi)) ||
	    (rc = eval_tree_load(c, x.id, &t)))
		return rc;
	req_db_release(r);
	if (!(rc = temp_file("changai-index", path, sizeof(path)))) {
		if ((rc = eval_tree_xlsx_write(&t, path)))
			unlink(path);
	}
	eval_tree_free(&t);
	if (rc)
		return rc;
	snprintf(fname, sizeof(fname), "%s-指标体系.xlsx", x.title);
	return req_file_path(r, path, XLSX_TYPE, fname);
}

static int
import_errors_answer(struct req *r, int status, const struct eval_import_errors *e)
{
	struct jw *w = req_json(r, status);

	jw_obj_open(w);
	jw_key(w, "error");
	jw_obj_open(w);
	jw_kstr(w, "code", status == 409 ? "conflict" : "validation_failed");
	jw_kstr(w, "message", status == 409 ? e->e[0].en : "rows of the file are refused: nothing was added");
	jw_kstr(w, "message_zh", status == 409 ? e->e[0].zh : "文件中有行未通过检查，未导入任何内容");
	jw_key(w, "details");
	jw_arr_open(w);
	for (size_t i = 0; i < e->n; i++) {
		jw_obj_open(w);
		/* the column by the name the sheet gives it, as the plans' import does */
		jw_kstr(w, "field", e->e[i].column[0] ? e->e[i].column : "file");
		jw_kint(w, "row", e->e[i].row);
		jw_kstr(w, "message", e->e[i].en);
		jw_kstr(w, "message_zh", e->e[i].zh);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	jw_obj_close(w);
	return 0;
}

/* The request's body as the first sheet of an .xlsx: 0 and *s, or an
 * answer written (422, 413; req_answered) when it is none. */
static int
body_sheet(struct req *r, const char *en, const char *zh, struct xlsx_sheet **s)
{
	size_t len;
	const char *data = req_raw_body(r, &len);
	struct xlsx_err xe;
	int rc;

	*s = NULL;
	if (!len || !xlsx_sniff(data, len))
		return req_error(r, 422, "validation_failed", "file", en, zh);
	if ((rc = xlsx_read(data, len, NULL, s, &xe)) && rc != ERR_NOMEM)
		return req_error(r, rc == ERR_TOOBIG ? 413 : 422,
		    rc == ERR_TOOBIG ? "payload_too_large" : "validation_failed", "file", xe.en, xe.zh);
	return rc;
}

/* After an import's transaction: 201 {key: n}, or the rows refused (422;
 * 409 when the target takes no file now). */
static int
import_answer(struct req *r, int rc, const struct eval_import_errors *e, const char *key,
    size_t n)
{
	struct jw *w;

	if (rc == ERR_INVALID || rc == ERR_CONFLICT)
		return import_errors_answer(r, rc == ERR_CONFLICT ? 409 : 422, e);
	if (rc)
		return rc;
	w = req_json(r, 201);
	jw_obj_open(w);
	jw_key(w, key);
	jw_int(w, (int64_t)n);
	jw_obj_close(w);
	return 0;
}

static int
h_tree_import(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_import_errors *e = calloc(1, sizeof(*e));
	struct xlsx_sheet *s = NULL;
	struct eval_index x;
	enum eval_see see;
	struct tx t;
	size_t added = 0;
	int rc;

	if (!e)
		return ERR_NOMEM;
	if ((rc = body_sheet(r, "send the index as an .xlsx file", "请上传 .xlsx 格式的指标体系文件",
	    &s)) || req_answered(r) || (rc = tx_begin(&t, r, "eval.tree_import")))
		goto out;
	if (!(rc = eval_load_index(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &x, &see, lo, hi)) &&
	    !(rc = eval_tree_import(t.c, x.id, s, &added, e))) {
		tx_about(&t, "eval_index", x.id, x.org_id, x.org_path);
		jw_kint(tx_summary(&t), "nodes", (int64_t)added);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	rc = import_answer(r, rc, e, "nodes", added);
out:
	xlsx_free(s);
	free(e);
	return rc;
}

/* ---- the collection template ---- */

static int
h_collection_xlsx(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], path[256];
	char fname[EVAL_TITLE_MAX * 4 + EVAL_LABEL_MAX * 4 + 32];
	struct eval_period p;
	struct eval_index x;
	struct db_conn *c;
	enum eval_see see;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_period(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &p, &x, &see, lo, hi)) ||
	    (rc = temp_file("changai-collect", path, sizeof(path))))
		return rc;
	if ((rc = eval_collection_write(c, &x, &p, lo, hi, path))) {
		unlink(path);
		return rc;
	}
	req_db_release(r);
	snprintf(fname, sizeof(fname), "%s-%s-采集表.xlsx", x.title, p.label);
	return req_file_path(r, path, XLSX_TYPE, fname);
}

static int
h_collection_import(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_import_errors *e = calloc(1, sizeof(*e));
	struct xlsx_sheet *s = NULL;
	struct eval_period p;
	struct eval_index x;
	enum eval_see see;
	struct tx t;
	size_t put = 0;
	int rc;

	if (!e)
		return ERR_NOMEM;
	if ((rc = body_sheet(r, "send the filled template as .xlsx", "请上传填好的 .xlsx 采集表", &s)) ||
	    req_answered(r) || (rc = tx_begin(&t, r, "eval.values_import")))
		goto out;
	if (!(rc = eval_load_period(r, t.c, req_param_id(r, 0), EVAL_SEE_UNIT, &p, &x, &see, lo, hi)) &&
	    !(rc = eval_collection_import(t.c, req_who(r), see, &x, &p, s, &put, e))) {
		tx_about(&t, "eval_period", p.id, x.org_id, x.org_path);
		jw_kint(tx_summary(&t), "values", (int64_t)put);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	rc = import_answer(r, rc, e, "values", put);
out:
	xlsx_free(s);
	free(e);
	return rc;
}

/* ---- what-if ---- */

static int
h_whatif(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	json_t *b = req_body(r);
	json_t *weights = json_object_get(b, "weights"), *methods = json_object_get(b, "methods");
	int64_t klass = json_integer_value(json_object_get(b, "class"));
	int64_t limit = json_object_get(b, "limit") ? json_integer_value(json_object_get(b, "limit")) : 100;
	struct eval_whatif_unit *u = NULL;
	struct eval_period p;
	struct eval_index x;
	struct why why = {0};
	struct db_conn *c;
	enum eval_see see;
	size_t n = 0, moved = 0;
	struct jw *w;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_period(r, c, req_param_id(r, 0), EVAL_SEE_OWNER, &p, &x, &see, lo, hi)))
		return rc;
	if ((rc = eval_whatif(c, p.id, weights, methods, &u, &n, &why)))
		return req_why(r, rc, &why);
	n = eval_whatif_keep(u, n, klass, &moved);
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	for (size_t i = 0; i < n && (int64_t)i < limit; i++) {
		jw_obj_open(w);
		eval_whatif_unit_json(w, &u[i]);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_kint(w, "total", (int64_t)n);
	jw_kint(w, "moved", (int64_t)moved);
	jw_obj_close(w);
	free(u);
	return 0;
}

/* ---- robustness ---- */

static int
h_robust_request(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], params[64];
	const struct principal *who = req_who(r);
	json_t *b = req_body(r);
	struct eval_robust_opts o;
	struct eval_period p;
	struct eval_index x;
	struct why why = {0};
	int64_t job = 0;
	struct tx t;
	enum eval_see see;
	int rc;

	eval_robust_opts_default(&o);
	if (json_object_get(b, "replications"))
		o.replications = (int)json_integer_value(json_object_get(b, "replications"));
	if (json_object_get(b, "spread"))
		o.spread = json_number_value(json_object_get(b, "spread"));
	if (json_object_get(b, "seed"))
		o.seed = (uint64_t)json_integer_value(json_object_get(b, "seed"));
	if (json_object_get(b, "top"))
		o.top = (int)json_integer_value(json_object_get(b, "top"));
	o.methods = json_is_true(json_object_get(b, "methods"));
	if ((rc = tx_begin(&t, r, "eval.robustness")))
		return rc;
	if (!(rc = eval_load_period(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &p, &x, &see, lo, hi))) {
		snprintf(params, sizeof(params), "{\"period_id\":%lld}", (long long)p.id);
		if (!(rc = jobs_create(t.c, "eval_robust", x.org_id, x.org_path, who->user_id,
		    who->username, params, 0, &job)) &&
		    !(rc = eval_robust_request(t.c, &p, &o, job, who->user_id, &why))) {
			tx_about(&t, "eval_period", p.id, x.org_id, x.org_path);
			jw_kint(tx_summary(&t), "job", job);
			jw_kint(tx_summary(&t), "replications", o.replications);
			jw_key(tx_summary(&t), "spread");
			jw_double(tx_summary(&t), o.spread, 6);
			jw_kint(tx_summary(&t), "seed", (int64_t)o.seed);
			jw_kint(tx_summary(&t), "top", o.top);
			rc = tx_commit(&t);
		}
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	req_db_release(r);
	req_jobs_kick(r);
	{
		struct jw *w = req_json(r, 202);

		jw_obj_open(w);
		jw_kint(w, "job_id", job);
		jw_obj_close(w);
	}
	return 0;
}

static int
robust_row(void *ctx, const struct eval_robust_row *row)
{
	struct page *pg = ctx;

	if (!page_row(pg, row->pos))
		return 0;
	jw_obj_open(pg->w);
	eval_robust_row_json(pg->w, row);
	jw_obj_close(pg->w);
	return 0;
}

static int
h_robust_get(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	const char *after = req_query(r, "after");
	int64_t limit = req_query_int(r, "limit", 50), cursor = 0, total = 0;
	struct eval_robust_run run;
	struct eval_period p;
	struct eval_index x;
	struct db_conn *c;
	struct page pg;
	struct jw *w;
	enum eval_see see;
	int rc, have;

	if (after && cursor_decode(after, &cursor))
		return req_error(r, 400, "bad_request", "after", "bad cursor", "游标无效");
	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_period(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &p, &x, &see, lo, hi)))
		return rc;
	rc = eval_robust_run_get(c, p.id, &run);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	have = !rc;
	page_open(&pg, r, limit);
	if (have && (rc = eval_robust_page(c, p.id, req_query_int(r, "class", 0), lo, hi,
	    req_query(r, "verdict"), cursor, limit, robust_row, &pg, &total)))
		return rc;
	w = page_close_more(&pg, total);
	jw_key(w, "run");
	if (have) {
		jw_obj_open(w);
		eval_robust_run_json(w, &run, &p);
		jw_obj_close(w);
	} else {
		jw_null(w);
	}
	jw_obj_close(w);
	return 0;
}

static int
h_explain(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_score s;
	struct eval_period p;
	struct eval_index x;
	struct db_conn *c;
	struct jw *w;
	enum eval_see see;
	int rc;

	memset(&s, 0, sizeof(s));
	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_period(r, c, req_param_id(r, 0), EVAL_SEE_UNIT, &p, &x, &see, lo, hi)) ||
	    (rc = eval_score_get(c, p.id, req_param_id(r, 1), &s)))
		goto out;
	/* a unit reads only its own subtree's scores */
	if (strcmp(s.org_path, lo) < 0 || strcmp(s.org_path, hi) >= 0) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	w = req_json(r, 200);
	jw_obj_open(w);
	eval_score_json(w, &s, 1);
	jw_kint(w, "period_id", p.id);
	jw_kstr(w, "period_state", p.state);
	jw_obj_close(w);
out:
	eval_score_free(&s);
	return rc;
}

static int
h_seal(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], hash[65];
	struct eval_period p;
	struct eval_index x;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	int rc;

	if ((rc = tx_begin(&t, r, "eval.seal")))
		return rc;
	if (!(rc = eval_load_period(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &p, &x, &see, lo, hi)) &&
	    !(rc = eval_period_seal(t.c, p.id, req_who(r)->user_id, hash, &why))) {
		tx_about(&t, "eval_period", p.id, x.org_id, x.org_path);
		jw_kstr(tx_summary(&t), "hash", hash);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	{
		struct jw *w = req_json(r, 200);

		jw_obj_open(w);
		jw_kint(w, "period_id", p.id);
		jw_kstr(w, "hash", hash);
		jw_obj_close(w);
	}
	return 0;
}

/* ---- the route table ---- */

static const char *const unit_kinds[] = {"enterprise", "street", "park", "district", NULL};
static const char *const node_kinds[] = {"dimension", "indicator", "bonus", "veto", NULL};
static const char *const decisions[] = {"accept", "return", NULL};
static const char *const value_states[] = {"accepted", "submitted", "returned", NULL};

static const struct field index_body[] = {
	{"org_id", FT_ID, F_REQUIRED, 0, 0, NULL, "the org whose units are evaluated", NULL},
	{"title", FT_STRING, F_REQUIRED, 1, EVAL_TITLE_MAX, NULL, NULL, NULL},
	{"unit_kind", FT_ENUM, F_REQUIRED, 0, 0, unit_kinds, "the kind of unit it scores", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field node_body[] = {
	{"parent_id", FT_ID, F_NULLABLE, 0, 0, NULL, "a dimension of this index; null at the top", NULL},
	{"kind", FT_ENUM, F_REQUIRED, 0, 0, node_kinds, NULL, NULL},
	{"code", FT_STRING, F_REQUIRED, 1, EVAL_CODE_MAX, NULL, "unique in the index", NULL},
	{"title", FT_STRING, F_REQUIRED, 1, EVAL_TITLE_MAX, NULL, NULL, NULL},
	{"unit", FT_STRING, 0, 0, EVAL_UNIT_MAX, NULL, NULL, NULL},
	{"weight", FT_NUMBER, 0, 0, 0, NULL, "relative among siblings, 0 or more", NULL},
	{"source", FT_OBJECT, F_NULLABLE, 0, 0, NULL, "{\"metric\": NAME} or {\"reported\": true}", NULL},
	{"method", FT_OBJECT, F_NULLABLE, 0, 0, NULL, "how an indicator's value is scored", NULL},
	{"cap", FT_NUMBER, F_NULLABLE, 0, 0, NULL, "a bonus's most (negative: a deduction)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field node_patch_body[] = {
	{"parent_id", FT_ID, F_NULLABLE, 0, 0, NULL, NULL, NULL},
	{"title", FT_STRING, 0, 1, EVAL_TITLE_MAX, NULL, NULL, NULL},
	{"unit", FT_STRING, 0, 0, EVAL_UNIT_MAX, NULL, NULL, NULL},
	{"weight", FT_NUMBER, 0, 0, 0, NULL, NULL, NULL},
	{"source", FT_OBJECT, F_NULLABLE, 0, 0, NULL, NULL, NULL},
	{"method", FT_OBJECT, F_NULLABLE, 0, 0, NULL, NULL, NULL},
	{"cap", FT_NUMBER, F_NULLABLE, 0, 0, NULL, NULL, NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field class_body[] = {
	{"name", FT_STRING, F_REQUIRED, 1, EVAL_TITLE_MAX, NULL, NULL, NULL},
	{"weights", FT_OBJECT, 0, 0, 0, NULL, "{CODE: weight} for this class", NULL},
	{"methods", FT_OBJECT, 0, 0, 0, NULL, "{CODE: method} for this class", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field class_patch_body[] = {
	{"name", FT_STRING, 0, 1, EVAL_TITLE_MAX, NULL, NULL, NULL},
	{"weights", FT_OBJECT, 0, 0, 0, NULL, "{CODE: weight}, replacing the class's", NULL},
	{"methods", FT_OBJECT, 0, 0, 0, NULL, "{CODE: method}, replacing the class's", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field members_body[] = {
	{"org_ids", FT_ID_ARRAY, 0, 0, 10000, NULL, "the class's units, exactly", NULL},
	{"rule", FT_OBJECT, 0, 0, 0, NULL,
	    "or the units matching {above_scale, ownership: [..], industry: [prefix, ..]}", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field period_body[] = {
	{"label", FT_STRING, F_REQUIRED, 1, EVAL_LABEL_MAX, NULL, "2026, 2026H1, 2026Q3", NULL},
	{"from", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, NULL},
	{"to", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, NULL},
	{"report_due", FT_DATE, F_NULLABLE, 0, 0, NULL,
	    "the units' deadline for reported values; after it the sweep reminds those late", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field period_patch_body[] = {
	{"report_due", FT_DATE, F_REQUIRED | F_NULLABLE, 0, 0, NULL,
	    "the units' deadline for reported values (null: none)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field value_body[] = {
	{"org_id", FT_ID, F_REQUIRED, 0, 0, NULL, "the unit", NULL},
	{"code", FT_STRING, F_REQUIRED, 1, EVAL_CODE_MAX, NULL, "a reported node", NULL},
	{"value", FT_NUMBER, F_REQUIRED, 0, 0, NULL, "1 or 0 for a milestone or a veto", NULL},
	{"note", FT_STRING, 0, 0, EVAL_NOTE_MAX, NULL, NULL, NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field review_body[] = {
	{"decision", FT_ENUM, F_REQUIRED, 0, 0, decisions, NULL, NULL},
	{"reason", FT_STRING, 0, 0, EVAL_NOTE_MAX, NULL, "why it goes back", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct qfield value_query[] = {
	{"state", QT_ENUM, 0, 0, value_states, NULL},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct field whatif_body[] = {
	{"weights", FT_OBJECT, 0, 0, 0, NULL, "{CODE: weight}: draft weights, over every class's", NULL},
	{"methods", FT_OBJECT, 0, 0, 0, NULL, "{CODE: method}: draft methods, over every class's", NULL},
	{"class", FT_ID, 0, 0, 0, NULL, "one class's units", NULL},
	{"limit", FT_INT, 0, 1, 10000, NULL, "units answered (default 100)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field robust_body[] = {
	{"replications", FT_INT, 0, 1, EVAL_ROBUST_REPLICATIONS_MAX, NULL, "default 200", NULL},
	{"spread", FT_NUMBER, 0, 0, 0, NULL, "weights vary by ± this share (default 0.25)", NULL},
	{"seed", FT_INT, 0, 0, 9007199254740991LL, NULL, "the run is reproduced from it (default 1)", NULL},
	{"top", FT_INT, 0, 1, 100000, NULL, "the candidates: the top N of each class (default 10)", NULL},
	{"methods", FT_BOOL, 0, 0, 0, NULL, "also swap methods (linear, efficacy, ratio)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const char *const verdicts[] = {"in", "out", "unstable", NULL};
static const struct qfield robust_query[] = {
	{"class", QT_ID, 0, 0, NULL, "one class's units"},
	{"verdict", QT_ENUM, 0, 0, verdicts, "in, out or unstable"},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield score_query[] = {
	{"class", QT_ID, 0, 0, NULL, "one class's units"},
	{"compare", QT_ID, 0, 0, NULL, "another period of the index: each unit's rank then"},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};

static const struct qfield index_points_query[] = {
	{"class", QT_INT, -1, INT64_MAX, NULL, "one class's units (-1: those in none; default all)"},
	{"period", QT_STRING, 3, 7, NULL, "all, 2026, 2026-H2, 2026-Q4 or 2026-12 (default this year)"},
	{"limit", QT_INT, 1, CLASS_BOARD_MAX, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route evaluation_routes[] = {
	{HTTP_GET, "/api/v1/metrics", h_metrics, EVAL_READERS, 0, NULL, NULL, "evaluation",
	    "Every computed metric an indicator may read"},
	{HTTP_GET, "/api/v1/indexes", h_index_list, EVAL_READERS, 0, NULL, NULL, "evaluation",
	    "The evaluation indexes the caller sees"},
	{HTTP_POST, "/api/v1/indexes", h_index_create, EVAL_OWNERS, 0, index_body, NULL,
	    "evaluation", "A new evaluation index of an org for one kind of unit"},
	{HTTP_GET, "/api/v1/indexes/{id}", h_index_get, EVAL_READERS, 0, NULL, NULL, "evaluation",
	    "An index with its tree, classes and periods"},
	{HTTP_GET, "/api/v1/indexes/{id}/tree", h_index_tree, EVAL_READERS, 0, NULL, NULL,
	    "evaluation", "The index's tree, each node with its share of its siblings"},
	{HTTP_GET, "/api/v1/indexes/{id}/tree.xlsx", h_tree_xlsx, EVAL_READERS, 0, NULL, NULL,
	    "evaluation", "The tree as .xlsx, a row per node"},
	{HTTP_POST, "/api/v1/indexes/{id}/tree.xlsx", h_tree_import, EVAL_OWNERS,
	    RF_RAW_BODY | RF_SMALL_UPLOAD, NULL, NULL, "evaluation",
	    "Adds an .xlsx of nodes to an empty index: every row or none"},
	{HTTP_POST, "/api/v1/indexes/{id}/nodes", h_node_add, EVAL_OWNERS, 0, node_body, NULL,
	    "evaluation", "A dimension, indicator, bonus or veto node"},
	{HTTP_PATCH, "/api/v1/indexes/{id}/nodes/{node_id}", h_node_patch, EVAL_OWNERS, 0,
	    node_patch_body, NULL, "evaluation", "Change a node (its code stays)"},
	{HTTP_DELETE, "/api/v1/indexes/{id}/nodes/{node_id}", h_node_delete, EVAL_OWNERS, 0, NULL, NULL,
	    "evaluation", "Delete a node without children or reported values"},
	{HTTP_GET, "/api/v1/indexes/{id}/classes", h_class_list, EVAL_READERS, 0, NULL, NULL,
	    "evaluation", "The index's classes"},
	{HTTP_GET, "/api/v1/indexes/{id}/points", h_index_points, EVAL_READERS, 0, NULL,
	    index_points_query, "evaluation",
	    "The points leaderboard of the index's units, all or one class's, for a period"},
	{HTTP_POST, "/api/v1/indexes/{id}/classes", h_class_add, EVAL_OWNERS, 0, class_body, NULL,
	    "evaluation", "A class with its own weights and methods"},
	{HTTP_PATCH, "/api/v1/indexes/{id}/classes/{class_id}", h_class_patch, EVAL_OWNERS, 0,
	    class_patch_body, NULL, "evaluation", "Renames a class or replaces its overrides"},
	{HTTP_DELETE, "/api/v1/indexes/{id}/classes/{class_id}", h_class_delete, EVAL_OWNERS, 0,
	    NULL, NULL, "evaluation", "Deletes a class; its units join none"},
	{HTTP_PUT, "/api/v1/indexes/{id}/classes/{class_id}/members", h_members_put, EVAL_OWNERS, 0,
	    members_body, NULL, "evaluation", "The class's units, exactly"},
	{HTTP_GET, "/api/v1/indexes/{id}/periods", h_period_list, EVAL_READERS, 0, NULL, NULL,
	    "evaluation", "The index's periods"},
	{HTTP_POST, "/api/v1/indexes/{id}/periods", h_period_add, EVAL_OWNERS, 0, period_body, NULL,
	    "evaluation", "A period (a year, a half, a quarter)"},
	{HTTP_PATCH, "/api/v1/periods/{id}", h_period_patch, EVAL_OWNERS, 0, period_patch_body,
	    NULL, "evaluation", "Sets or clears an open period's deadline for reported values"},
	{HTTP_GET, "/api/v1/periods/{id}/unreported", h_unreported, EVAL_READERS, 0, NULL, NULL,
	    "evaluation", "The units that still owe reported values, as the caller sees them"},
	{HTTP_GET, "/api/v1/periods/{id}", h_period_get, EVAL_READERS, 0, NULL, NULL, "evaluation",
	    "A period and its index"},
	{HTTP_GET, "/api/v1/periods/{id}/values", h_value_list, EVAL_READERS, 0, NULL, value_query,
	    "evaluation", "Reported values of the caller's units"},
	{HTTP_POST, "/api/v1/periods/{id}/values", h_value_put, EVAL_OWNERS, 0, value_body, NULL,
	    "evaluation", "Report a unit's value (an owner's counts at once)"},
	{HTTP_POST, "/api/v1/periods/{id}/values/{value_id}/review", h_value_review, EVAL_OWNERS, 0,
	    review_body, NULL, "evaluation", "Accept or return a unit's value"},
	{HTTP_POST, "/api/v1/periods/{id}/compute", h_compute, EVAL_OWNERS, 0, NULL, NULL,
	    "evaluation", "Compute every unit's score (a job)"},
	{HTTP_GET, "/api/v1/periods/{id}/scores", h_scores, EVAL_READERS, 0, NULL, score_query,
	    "evaluation", "Scores, best first, with ranks within the class and stars"},
	{HTTP_GET, "/api/v1/periods/{id}/scores/{org_id}/explain", h_explain, EVAL_READERS, 0, NULL,
	    NULL, "evaluation", "A unit's score down to every input"},
	{HTTP_GET, "/api/v1/periods/{id}/collection.xlsx", h_collection_xlsx, EVAL_READERS, 0,
	    NULL, NULL, "evaluation", "The collection template: a row per unit and reported node"},
	{HTTP_POST, "/api/v1/periods/{id}/values.xlsx", h_collection_import, EVAL_OWNERS,
	    RF_RAW_BODY | RF_SMALL_UPLOAD, NULL, NULL, "evaluation",
	    "Enters a filled collection template: every row with a value, or none"},
	{HTTP_POST, "/api/v1/periods/{id}/what-if", h_whatif, EVAL_OWNERS, 0, whatif_body, NULL,
	    "evaluation", "Ranks again with draft weights and methods; nothing is written"},
	{HTTP_POST, "/api/v1/periods/{id}/robustness", h_robust_request, EVAL_OWNERS, 0,
	    robust_body, NULL, "evaluation", "Test the ranking's robustness (a job)"},
	{HTTP_GET, "/api/v1/periods/{id}/robustness", h_robust_get, EVAL_READERS, 0, NULL,
	    robust_query, "evaluation", "Each unit's rank interval from the latest run"},
	{HTTP_POST, "/api/v1/periods/{id}/seal", h_seal, EVAL_OWNERS, 0, NULL, NULL, "evaluation",
	    "Seal the period: its scores never change"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
