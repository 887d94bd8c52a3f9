/* The scoring rules of API.md "Evaluation index", with no store: methods,
 * the weighted tree with its bonus and veto nodes, rounding, ranks and
 * stars. Everything here is exact to the formulas; tests/unit pins it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "evaluation/evaluation.h"

static const char *const kind_names[] = {NULL, "dimension", "indicator", "bonus", "veto"};

int
eval_kind_parse(const char *s)
{
	for (int i = 1; s && i <= EK_VETO; i++)
		if (!strcmp(s, kind_names[i]))
			return i;
	return 0;
}

const char *
eval_kind_name(int kind)
{
	return kind >= EK_DIMENSION && kind <= EK_VETO ? kind_names[kind] : "?";
}

static const char *const method_names[] = {
	"none", "linear", "efficacy", "ratio", "bands", "milestone"
};


/* A finite number member, or ERR_INVALID. */
static int
num(json_t *j, const char *key, double *out)
{
	json_t *v = json_object_get(j, key);

	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return ERR_INVALID;
	*out = json_number_value(v);
	return 0;
}

static int
parse_bands(json_t *list, struct eval_method *m, struct why *why)
{
	size_t i;
	json_t *b;

	if (!json_is_array(list) || json_array_size(list) < 1 ||
	    json_array_size(list) > EVAL_BANDS_MAX)
		return why_refuse(why, ERR_INVALID, "method.bands", "bands is a list of 1 to 16 {min, score}",
		    "分档须为 1 至 16 档，每档有下限和得分");
	json_array_foreach(list, i, b) {
		double min, score;

		if (!json_is_object(b) || json_object_size(b) != 2 || num(b, "min", &min) ||
		    num(b, "score", &score) || score < 0 || score > 100)
			return why_refuse(why, ERR_INVALID, "method.bands",
			    "each band is {min, score} with a score from 0 to 100",
			    "每档须有下限和得分，得分在 0 至 100 之间");
		if (i > 0 && min <= m->band_min[i - 1])
			return why_refuse(why, ERR_INVALID, "method.bands", "bands go up by min, each min once",
			    "各档下限须递增且不重复");
		m->band_min[i] = min;
		m->band_score[i] = score;
	}
	m->nbands = (int)json_array_size(list);
	return 0;
}

int
eval_method_parse(json_t *j, struct eval_method *m, struct why *why)
{
	const char *kind = json_string_value(json_object_get(j, "kind"));
	int k = -1;

	memset(m, 0, sizeof(*m));
	for (int i = EM_LINEAR; kind && i <= EM_MILESTONE; i++)
		if (!strcmp(kind, method_names[i]))
			k = i;
	if (!json_is_object(j) || k < 0)
		return why_refuse(why, ERR_INVALID, "method.kind",
		    "method kind is linear, efficacy, ratio, bands or milestone",
		    "计分方法须为线性、功效系数、标杆比值、分档或里程碑之一");
	m->kind = k;
	switch (k) {
	case EM_LINEAR:
	case EM_EFFICACY:
		if (json_object_size(j) != 3 || num(j, "worst", &m->worst) ||
		    num(j, "best", &m->best))
			return why_refuse(why, ERR_INVALID, "method", "this method takes worst and best",
			    "该方法须给出最差值和最优值");
		if (m->worst == m->best)
			return why_refuse(why, ERR_INVALID, "method.best", "best must differ from worst",
			    "最优值不能等于最差值");
		return 0;
	case EM_RATIO:
		if (json_object_size(j) != 2 || num(j, "benchmark", &m->benchmark))
			return why_refuse(why, ERR_INVALID, "method.benchmark", "a ratio takes a benchmark",
			    "标杆比值法须给出标杆值");
		if (m->benchmark <= 0)
			return why_refuse(why, ERR_INVALID, "method.benchmark", "the benchmark must be above 0",
			    "标杆值须大于 0");
		return 0;
	case EM_BANDS:
		if (json_object_size(j) != 2)
			return why_refuse(why, ERR_INVALID, "method", "bands takes only its bands",
			    "分档法只需给出各档");
		return parse_bands(json_object_get(j, "bands"), m, why);
	default:
		if (json_object_size(j) != 1)
			return why_refuse(why, ERR_INVALID, "method", "a milestone takes nothing more",
			    "里程碑方法不带其他参数");
		return 0;
	}
}

void
eval_method_json(struct jw *w, const struct eval_method *m)
{
	if (m->kind == EM_NONE) {
		jw_null(w);
		return;
	}
	jw_obj_open(w);
	jw_key(w, "kind");
	jw_str(w, method_names[m->kind]);
	switch (m->kind) {
	case EM_LINEAR:
	case EM_EFFICACY:
		jw_key(w, "worst");
		jw_double(w, m->worst, 6);
		jw_key(w, "best");
		jw_double(w, m->best, 6);
		break;
	case EM_RATIO:
		jw_key(w, "benchmark");
		jw_double(w, m->benchmark, 6);
		break;
	case EM_BANDS:
		jw_key(w, "bands");
		jw_arr_open(w);
		for (int i = 0; i < m->nbands; i++) {
			jw_obj_open(w);
			jw_key(w, "min");
			jw_double(w, m->band_min[i], 6);
			jw_key(w, "score");
			jw_double(w, m->band_score[i], 6);
			jw_obj_close(w);
		}
		jw_arr_close(w);
		break;
	default:
		break;
	}
	jw_obj_close(w);
}

static double
clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

double
eval_method_score(const struct eval_method *m, double x)
{
	double s = 0;

	switch (m->kind) {
	case EM_LINEAR:
		return 100 * clamp((x - m->worst) / (m->best - m->worst), 0, 1);
	case EM_EFFICACY:
		return 60 + 40 * clamp((x - m->worst) / (m->best - m->worst), 0, 1);
	case EM_RATIO:
		return x <= 0 ? 0 : fmin(100, 100 * x / m->benchmark);
	case EM_BANDS:
		for (int i = 0; i < m->nbands; i++)
			if (m->band_min[i] <= x)
				s = m->band_score[i];
		return s;
	case EM_MILESTONE:
		return x != 0 ? 100 : 0;
	default:
		return 0;
	}
}

double
eval_round2(double v)
{
	/* 1e-9 of a cent takes values such as 2.675, stored as 2.67499…, to
	 * the decimal's own half (2.68) */
	double a = floor(fabs(v) * 100 + 0.5 + 1e-9) / 100;

	return v < 0 ? -a : a;
}

/* ---- the tree ---- */

void
eval_tree_free(struct eval_tree *t)
{
	free(t->n);
	free(t->parent);
	memset(t, 0, sizeof(*t));
}

static int
cmp_node(const void *a, const void *b)
{
	const struct eval_node *x = a, *y = b;

	if (x->parent_id != y->parent_id)
		return x->parent_id < y->parent_id ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The range [*lo, *hi) of sorted nodes whose parent is parent_id. */
static void
children_of(const struct eval_node *n, size_t nn, int64_t parent_id, size_t *lo, size_t *hi)
{
	size_t a = 0, b = nn;

	while (a < b) {
		size_t mid = (a + b) / 2;

		if (n[mid].parent_id < parent_id)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (a < nn && n[a].parent_id == parent_id)
		a++;
	*hi = a;
}

static int
weighted(int kind)
{
	return kind == EK_DIMENSION || kind == EK_INDICATOR;
}

/* Each node's share of its siblings' weight; sum (nn + 1 doubles) is
 * room for each parent's total, the top's last. */
static void
tree_shares(struct eval_node *n, const int *parent, size_t nn, double *sum)
{
	for (size_t i = 0; i <= nn; i++)
		sum[i] = 0;
	for (size_t i = 0; i < nn; i++)
		if (weighted(n[i].kind))
			sum[parent[i] < 0 ? nn : (size_t)parent[i]] += n[i].weight;
	for (size_t i = 0; i < nn; i++) {
		double total = sum[parent[i] < 0 ? nn : (size_t)parent[i]];

		n[i].share = weighted(n[i].kind) && total > 0 ? n[i].weight / total : 0;
	}
}

int
eval_tree_build(struct eval_node *nodes, size_t nn, struct eval_tree *t, struct why *why)
{
	struct eval_node *out = NULL;
	size_t *stack = NULL, sp = 0, k = 0, lo, hi;
	int *parent = NULL, *pstack = NULL, rc = 0;
	double *sum = NULL;

	memset(t, 0, sizeof(*t));
	if (nn)   /* an index without nodes has no array at all */
		qsort(nodes, nn, sizeof(*nodes), cmp_node);
	if (!(out = calloc(nn ? nn : 1, sizeof(*out))) ||
	    !(parent = calloc(nn ? nn : 1, sizeof(*parent))) ||
	    !(stack = calloc(nn ? nn : 1, sizeof(*stack))) ||
	    !(pstack = calloc(nn ? nn : 1, sizeof(*pstack))) ||
	    !(sum = calloc(nn + 1, sizeof(*sum)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	/* depth first from the top; siblings pushed in reverse to come out in
	 * seq order. A node reached twice cannot happen (one parent each), so
	 * what is never reached hangs under a missing parent or a cycle. */
	children_of(nodes, nn, 0, &lo, &hi);
	for (size_t i = hi; i > lo; i--) {
		stack[sp] = i - 1;
		pstack[sp++] = -1;
	}
	while (sp > 0) {
		size_t i = stack[--sp];
		int p = pstack[sp];

		if (p >= 0 && out[p].kind != EK_DIMENSION) {
			rc = why_refuse(why, ERR_INVALID, "parent_id", "only a dimension has children",
			    "只有维度可以包含下级");
			goto out;
		}
		out[k] = nodes[i];
		parent[k] = p;
		children_of(nodes, nn, nodes[i].id, &lo, &hi);
		for (size_t c = hi; c > lo; c--) {
			if (sp >= nn) {
				rc = ERR_INTERNAL;
				goto out;
			}
			stack[sp] = c - 1;
			pstack[sp++] = (int)k;
		}
		k++;
	}
	if (k != nn) {
		rc = why_refuse(why, ERR_INVALID, "parent_id", "a node hangs under a missing parent or a cycle",
		    "存在上级缺失或循环的节点");
		goto out;
	}
	tree_shares(out, parent, nn, sum);
	t->n = out;
	t->parent = parent;
	t->nn = nn;
	out = NULL;
	parent = NULL;
	free(nodes);
out:
	if (rc)
		free(nodes);
	free(out);
	free(parent);
	free(stack);
	free(pstack);
	free(sum);
	return rc;
}

int
eval_tree_find(const struct eval_tree *t, const char *code)
{
	for (size_t i = 0; i < t->nn; i++)
		if (!strcmp(t->n[i].code, code))
			return (int)i;
	return -1;
}

void
eval_override_free(struct eval_override *o)
{
	free(o->weight);
	free(o->method);
	memset(o, 0, sizeof(*o));
}

int
eval_override_parse(const struct eval_tree *t, json_t *weights, json_t *methods,
    struct eval_override *o, struct why *why)
{
	const char *code;
	json_t *v;
	int rc = 0;

	memset(o, 0, sizeof(*o));
	if (!(o->weight = calloc(t->nn ? t->nn : 1, sizeof(*o->weight))) ||
	    !(o->method = calloc(t->nn ? t->nn : 1, sizeof(*o->method)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < t->nn; i++) {
		o->weight[i] = t->n[i].weight;
		o->method[i] = t->n[i].method;
	}
	json_object_foreach(weights, code, v) {
		int i = eval_tree_find(t, code);

		if (i < 0) {
			rc = why_refuse(why, ERR_INVALID, "weights", "a weight names a code not in the index",
			    "权重中的代码不在指标体系中");
			goto out;
		}
		if (!json_is_number(v) || !isfinite(json_number_value(v)) ||
		    json_number_value(v) < 0) {
			rc = why_refuse(why, ERR_INVALID, "weights", "a weight is a number of 0 or more",
			    "权重须为不小于 0 的数");
			goto out;
		}
		o->weight[i] = json_number_value(v);
	}
	json_object_foreach(methods, code, v) {
		int i = eval_tree_find(t, code);

		if (i < 0 || t->n[i].kind != EK_INDICATOR) {
			rc = why_refuse(why, ERR_INVALID, "methods", "a method names a code that is not an indicator",
			    "计分方法中的代码不是本体系的指标");
			goto out;
		}
		if ((rc = eval_method_parse(v, &o->method[i], why))) {
			why->field = "methods";
			goto out;
		}
	}
out:
	if (rc)
		eval_override_free(o);
	return rc;
}

void
eval_compute(const struct eval_tree *t, const struct eval_override *o,
    struct eval_calc *k, struct eval_total *total)
{
	double top_w = 0, top_ws = 0;

	memset(total, 0, sizeof(*total));
	total->veto_node = -1;
	total->ceiling = 100;
	for (size_t i = 0; i < t->nn; i++) {
		k[i].weight = o ? o->weight[i] : t->n[i].weight;
		k[i].method = o ? &o->method[i] : &t->n[i].method;
		k[i].score = k[i].share = k[i].contribution = 0;
		k[i].sum_w = k[i].sum_ws = 0;
	}
	/* children after parents: fold scores upward from the end */
	for (size_t r = t->nn; r > 0; r--) {
		size_t i = r - 1;
		const struct eval_node *n = &t->n[i];
		int p = t->parent[i];

		switch (n->kind) {
		case EK_DIMENSION:
			k[i].score = k[i].sum_w > 0 ? k[i].sum_ws / k[i].sum_w : 0;
			break;
		case EK_INDICATOR:
			k[i].score = k[i].have ? eval_method_score(k[i].method, k[i].x) : 0;
			break;
		case EK_BONUS:
			k[i].score = k[i].have ? clamp(k[i].x, fmin(0, n->cap), fmax(0, n->cap)) : 0;
			k[i].contribution = k[i].score;
			total->bonus += k[i].score;
			if (n->cap > 0)
				total->ceiling += n->cap;
			continue;
		case EK_VETO:
			if (k[i].have && k[i].x == 0) {
				total->vetoed = 1;
				total->veto_node = (int)i;
			}
			continue;
		}
		if (p >= 0) {
			k[p].sum_w += k[i].weight;
			k[p].sum_ws += k[i].weight * k[i].score;
		} else {
			top_w += k[i].weight;
			top_ws += k[i].weight * k[i].score;
		}
	}
	/* shares down from the top, now that every sum is known */
	for (size_t i = 0; i < t->nn; i++) {
		int p = t->parent[i];
		double sum = p >= 0 ? k[p].sum_w : top_w;

		if (t->n[i].kind != EK_DIMENSION && t->n[i].kind != EK_INDICATOR)
			continue;
		k[i].share = sum > 0 ? k[i].weight / sum * (p >= 0 ? k[p].share : 1) : 0;
		k[i].contribution = k[i].share * k[i].score;
	}
	total->weighted = top_w > 0 ? top_ws / top_w : 0;
	total->total = clamp(total->weighted + total->bonus, 0, total->ceiling);
}

int
eval_stars(double total, int vetoed, const double thresholds[4])
{
	if (vetoed)
		return 0;
	for (int i = 0; i < 4; i++)
		if (total >= thresholds[i])
			return 5 - i;
	return 1;
}

static int
cmp_ranked(const void *a, const void *b)
{
	const struct eval_ranked *x = a, *y = b;

	if (x->class_id != y->class_id)
		return x->class_id < y->class_id ? -1 : 1;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return x->org_id < y->org_id ? -1 : x->org_id > y->org_id;
}

void
eval_rank(struct eval_ranked *u, size_t n, const double thresholds[4])
{
	if (n)
		qsort(u, n, sizeof(*u), cmp_ranked);
	for (size_t i = 0, first = 0; i < n; i++) {
		if (i == 0 || u[i].class_id != u[i - 1].class_id)
			first = i;
		if (i > first && u[i].total == u[i - 1].total)
			u[i].place = u[i - 1].place;
		else
			u[i].place = (int)(i - first) + 1;
		u[i].stars = eval_stars(u[i].total, u[i].vetoed, thresholds);
	}
}
