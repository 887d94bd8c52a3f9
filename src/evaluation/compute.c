/* Computing a period (the job kind "eval_compute"): every unit of the
 * index's kind below its org, each in its class (or in none), its leaves
 * read from the metrics or the accepted reports, scored by the rules,
 * ranked within its class, and stored with the explanation of every node
 * — so what a score says about its inputs is what was read, even after
 * the registry changes. Reading happens on a read connection; the scores
 * replace the period's earlier ones in one write transaction that also
 * checks the period is still open. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/jw.h"
#include "base/metric.h"
#include "base/util.h"
#include "db/db.h"
#include "evaluation/evaluation.h"
#include "jobs/jobs.h"

struct unit {
	int64_t id, class_id;
	char path[ORG_PATH_MAX];
	char *scores, *detail;               /* JSON, owned */
	double total;                        /* rounded */
	int vetoed;
};

/* An accepted value as the computation keeps it: 138,600 of them at the
 * benchmark's scale, so small, with its texts in one pool. */
struct cvalue {
	int64_t id, org_id, node_id, entered, reviewed;
	double value;
	size_t note, entered_name, reviewed_name;   /* offsets in the pool */
};

struct klass {
	int64_t id;
	struct eval_override o;
};

struct computation {
	struct eval_index x;
	struct eval_period p;
	struct eval_tree t;
	struct klass *classes;
	size_t nclasses;
	struct member { int64_t org_id, class_id; } *members;
	size_t nmembers;
	struct cvalue *values;               /* accepted, by org then node */
	size_t nvalues;
	struct buf pool;                     /* their texts, NUL-terminated */
	struct unit *units;
	size_t nunits;
	/* per node: its metric, and the first node reading the same one, so
	 * a unit reads each metric once however many indicators use it */
	const struct metric **metric;
	int *first_reader;
	struct metric_memo memo;             /* the unit being scored's */
	char today[11];
};

static void
computation_free(struct computation *k)
{
	eval_tree_free(&k->t);
	for (size_t i = 0; i < k->nclasses; i++)
		eval_override_free(&k->classes[i].o);
	free(k->classes);
	free(k->members);
	free(k->values);
	buf_free(&k->pool);
	for (size_t i = 0; i < k->nunits; i++) {
		free(k->units[i].scores);
		free(k->units[i].detail);
	}
	free(k->units);
	free(k->metric);
	free(k->first_reader);
}

/* Finds each node's metric once; ERR_NOTFOUND when one is gone (the
 * server no longer registers it). */
static int
resolve_metrics(struct computation *k)
{
	size_t nn = k->t.nn ? k->t.nn : 1;

	if (!(k->metric = calloc(nn, sizeof(*k->metric))) ||
	    !(k->first_reader = calloc(nn, sizeof(*k->first_reader))))
		return ERR_NOMEM;
	for (size_t i = 0; i < k->t.nn; i++) {
		const char *name = k->t.n[i].metric;

		k->first_reader[i] = (int)i;
		if (!name[0])
			continue;
		if (!(k->metric[i] = metric_find(name)))
			return ERR_NOTFOUND;
		for (size_t j = 0; j < i; j++)
			if (k->metric[j] == k->metric[i]) {
				k->first_reader[i] = (int)j;
				break;
			}
	}
	return 0;
}

struct class_load {
	struct computation *k;
	size_t cap;
	int rc;
};

static int
class_take(void *ctx, const struct eval_class *c)
{
	struct class_load *l = ctx;
	struct computation *k = l->k;
	json_t *w = json_loads(c->weights, 0, NULL), *m = json_loads(c->methods, 0, NULL);
	struct why why = {0};

	if ((l->rc = array_grow((void **)&k->classes, &l->cap, k->nclasses, sizeof(*k->classes))))
		goto out;
	k->classes[k->nclasses].id = c->id;
	/* overrides were checked against the tree when the class was made; a
	 * node deleted since leaves a code behind, which now fails */
	if ((l->rc = eval_override_parse(&k->t, w, m, &k->classes[k->nclasses].o, &why)))
		goto out;
	k->nclasses++;
out:
	json_decref(w);
	json_decref(m);
	return l->rc;
}

/* Appends s (NULL: "") to the pool; *off is where it starts. */
static int
intern(struct buf *pool, const char *s, size_t *off)
{
	*off = pool->len;
	return buf_append(pool, s ? s : "", strlen(s ? s : "") + 1);
}

static const char *
pooled(const struct computation *k, size_t off)
{
	return k->pool.data + off;
}

/* The period, its index, the tree and the classes' overrides: what any
 * scoring of the period starts from. ERR_INVALID when a class names a
 * node the index no longer has. */
static int
load_design(struct db_conn *c, int64_t period_id, struct computation *k)
{
	struct class_load cl = {k, 0, 0};
	int rc;

	if ((rc = eval_period_get(c, period_id, &k->p)) ||
	    (rc = eval_index_get(c, k->p.index_id, &k->x)) ||
	    (rc = eval_tree_load(c, k->x.id, &k->t)))
		return rc;
	if ((rc = eval_class_each(c, k->x.id, class_take, &cl)))
		return cl.rc ? cl.rc : rc;
	return 0;
}

static int
load(struct db_conn *c, int64_t period_id, struct computation *k)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	size_t cap = 0;
	int rc;

	if ((rc = load_design(c, period_id, k)))
		return rc;
	if ((rc = db_prep(c, EVAL_MEMBERS)))
		return rc;
	db_bind_int(c, 1, k->x.id);
	while ((rc = db_step(c)) == DB_ROW) {
		if ((rc = array_grow((void **)&k->members, &cap, k->nmembers, sizeof(*k->members))))
			break;
		k->members[k->nmembers].org_id = db_col_int(c, 0);
		k->members[k->nmembers++].class_id = db_col_int(c, 1);
	}
	db_done(c);
	if (rc < 0)
		return rc;
	cap = 0;
	path_range(k->x.org_path, lo, hi, sizeof(lo));
	if ((rc = db_prep(c, EVAL_UNITS)))
		return rc;
	db_bind_text(c, 1, k->x.unit_kind);
	db_bind_text(c, 2, k->x.org_path);
	db_bind_text(c, 3, hi);
	while ((rc = db_step(c)) == DB_ROW) {
		struct unit *u;

		if ((rc = array_grow((void **)&k->units, &cap, k->nunits, sizeof(*k->units))))
			break;
		u = &k->units[k->nunits++];
		memset(u, 0, sizeof(*u));
		u->id = db_col_int(c, 0);
		str_copy(u->path, sizeof(u->path), db_col_text(c, 1));
	}
	db_done(c);
	if (rc < 0)
		return rc;
	cap = 0;
	if ((rc = db_prep(c, EVAL_VALUES_ACCEPTED)))
		return rc;
	db_bind_int(c, 1, period_id);
	while ((rc = db_step(c)) == DB_ROW) {
		struct cvalue *v;

		if ((rc = array_grow((void **)&k->values, &cap, k->nvalues, sizeof(*k->values))))
			break;
		v = &k->values[k->nvalues++];
		v->id = db_col_int(c, 0);
		v->org_id = db_col_int(c, 2);
		v->node_id = db_col_int(c, 3);
		v->value = db_col_double(c, 4);
		v->entered = db_col_int(c, 9);
		v->reviewed = db_col_int(c, 12);
		if ((rc = intern(&k->pool, db_col_text(c, 5), &v->note)) ||
		    (rc = intern(&k->pool, db_col_text(c, 8), &v->entered_name)) ||
		    (rc = intern(&k->pool, db_col_text(c, 11), &v->reviewed_name)))
			break;
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

static int64_t
class_of(const struct computation *k, int64_t org_id)
{
	size_t a = 0, b = k->nmembers;

	while (a < b) {
		size_t m = (a + b) / 2;

		if (k->members[m].org_id < org_id)
			a = m + 1;
		else
			b = m;
	}
	return a < k->nmembers && k->members[a].org_id == org_id ? k->members[a].class_id : 0;
}

static const struct eval_override *
override_of(const struct computation *k, int64_t class_id)
{
	for (size_t i = 0; class_id && i < k->nclasses; i++)
		if (k->classes[i].id == class_id)
			return &k->classes[i].o;
	return NULL;
}

static const struct cvalue *
value_of(const struct computation *k, int64_t org_id, int64_t node_id)
{
	size_t a = 0, b = k->nvalues;

	while (a < b) {
		size_t m = (a + b) / 2;
		const struct cvalue *v = &k->values[m];

		if (v->org_id < org_id || (v->org_id == org_id && v->node_id < node_id))
			a = m + 1;
		else
			b = m;
	}
	if (a < k->nvalues && k->values[a].org_id == org_id && k->values[a].node_id == node_id)
		return &k->values[a];
	return NULL;
}

static void
source_json(struct jw *w, const struct computation *k, const struct eval_node *n,
    const char *filters, const struct cvalue *v)
{
	jw_obj_open(w);
	if (n->metric[0]) {
		jw_key(w, "metric");
		jw_str(w, n->metric);
		jw_key(w, "filters");
		jw_str(w, filters);
	} else {
		jw_key(w, "reported");
		if (!v) {
			jw_null(w);
		} else {
			jw_obj_open(w);
			jw_key(w, "value_id");
			jw_int(w, v->id);
			jw_key(w, "note");
			jw_str(w, pooled(k, v->note));
			jw_key(w, "entered_by");
			jw_str(w, pooled(k, v->entered_name));
			jw_key(w, "entered");
			jw_time(w, v->entered);
			jw_key(w, "accepted_by");
			jw_str(w, pooled(k, v->reviewed ? v->reviewed_name : v->entered_name));
			jw_key(w, "accepted");
			jw_time(w, v->reviewed ? v->reviewed : v->entered);
			jw_obj_close(w);
		}
	}
	jw_obj_close(w);
}

/* Scores one unit; its scores and explanation to u. */
static int
score_unit(struct db_conn *c, struct computation *k, struct unit *u, struct eval_calc *calc,
    char (*filters)[512])
{
	const struct eval_override *o;
	struct metric_unit mu;
	struct eval_total tot;
	struct buf sb, db;
	struct jw sw, dw;
	int rc = 0;

	u->class_id = class_of(k, u->id);
	o = override_of(k, u->class_id);
	mu.org_id = u->id;
	mu.path = u->path;
	mu.from = k->p.starts;
	mu.to = k->p.ends;
	mu.as_of = k->today;
	/* metrics of one module read for this unit share what it read */
	memset(&k->memo, 0, sizeof(k->memo));
	mu.memo = &k->memo;
	for (size_t i = 0; i < k->t.nn; i++) {
		const struct eval_node *n = &k->t.n[i];
		const struct cvalue *v;
		const struct metric *m;

		calc[i].have = 0;
		calc[i].x = 0;
		filters[i][0] = '\0';
		if (n->kind == EK_DIMENSION)
			continue;
		if ((m = k->metric[i])) {
			size_t f = (size_t)k->first_reader[i];

			if (f < i) {
				/* read already for an earlier node of this unit */
				calc[i].x = calc[f].x;
				calc[i].have = calc[f].have;
				memcpy(filters[i], filters[f], sizeof(filters[i]));
			} else if ((rc = m->read(c, &mu, &calc[i].x, &calc[i].have, filters[i],
			    sizeof(filters[i])))) {
				return rc;
			}
		} else if ((v = value_of(k, u->id, n->id))) {
			calc[i].have = 1;
			calc[i].x = v->value;
		}
	}
	eval_compute(&k->t, o, calc, &tot);
	u->total = eval_round2(tot.total);
	u->vetoed = tot.vetoed;
	buf_init(&sb, 1u << 20);
	buf_init(&db, 16u << 20);
	jw_init(&sw, &sb);
	jw_init(&dw, &db);
	jw_obj_open(&sw);
	jw_obj_open(&dw);
	jw_key(&dw, "weighted");
	jw_double(&dw, eval_round2(tot.weighted), 2);
	jw_key(&dw, "bonus");
	jw_double(&dw, eval_round2(tot.bonus), 2);
	jw_key(&dw, "ceiling");
	jw_double(&dw, tot.ceiling, 2);
	jw_key(&dw, "veto");
	jw_str(&dw, tot.veto_node >= 0 ? k->t.n[tot.veto_node].code : NULL);
	jw_key(&dw, "nodes");
	jw_arr_open(&dw);
	for (size_t i = 0; i < k->t.nn; i++) {
		const struct eval_node *n = &k->t.n[i];

		if (n->kind == EK_DIMENSION || n->kind == EK_INDICATOR || n->kind == EK_BONUS) {
			jw_key(&sw, n->code);
			jw_double(&sw, eval_round2(calc[i].score), 2);
		}
		jw_obj_open(&dw);
		jw_key(&dw, "code");
		jw_str(&dw, n->code);
		jw_key(&dw, "kind");
		jw_str(&dw, eval_kind_name(n->kind));
		jw_key(&dw, "title");
		jw_str(&dw, n->title);
		jw_key(&dw, "parent");
		jw_str(&dw, k->t.parent[i] >= 0 ? k->t.n[k->t.parent[i]].code : NULL);
		jw_key(&dw, "value");
		if (n->kind != EK_DIMENSION && calc[i].have)
			jw_double(&dw, calc[i].x, 6);
		else
			jw_null(&dw);
		jw_key(&dw, "unit");
		jw_str(&dw, n->unit);
		jw_key(&dw, "source");
		if (n->kind == EK_DIMENSION)
			jw_null(&dw);
		else
			source_json(&dw, k, n, filters[i],
			    n->metric[0] ? NULL : value_of(k, u->id, n->id));
		jw_key(&dw, "method");
		eval_method_json(&dw, calc[i].method);
		jw_key(&dw, "weight");
		jw_double(&dw, calc[i].weight, 6);
		jw_key(&dw, "share");
		jw_double(&dw, calc[i].share, 6);
		jw_key(&dw, "score");
		if (n->kind == EK_VETO)
			jw_null(&dw);
		else
			jw_double(&dw, eval_round2(calc[i].score), 2);
		jw_key(&dw, "contribution");
		jw_double(&dw, calc[i].contribution, 4);
		if (n->kind == EK_BONUS) {
			jw_key(&dw, "cap");
			jw_double(&dw, n->cap, 6);
		}
		if (n->kind == EK_VETO) {
			jw_key(&dw, "vetoes");
			jw_bool(&dw, calc[i].have && calc[i].x == 0);
		}
		jw_obj_close(&dw);
	}
	jw_arr_close(&dw);
	jw_obj_close(&dw);
	jw_obj_close(&sw);
	if ((rc = jw_finish(&sw)) || (rc = jw_finish(&dw))) {
		buf_free(&sb);
		buf_free(&db);
		return rc;
	}
	u->scores = buf_steal(&sb, NULL);
	u->detail = buf_steal(&db, NULL);
	return u->scores && u->detail ? 0 : ERR_NOMEM;
}

static int
progress(struct db *db, struct job *j)
{
	struct db_conn *w;
	int rc;

	if ((rc = db_acquire(db, DB_WRITE, &w)))
		return rc;
	if ((rc = db_begin(w)))
		goto out;
	if ((rc = jobs_progress(w, j)) || (rc = db_commit(w)))
		db_rollback(w);
out:
	db_release(w);
	return rc;
}

static int
cmp_best(const void *a, const void *b)
{
	const struct eval_ranked *x = *(const struct eval_ranked *const *)a;
	const struct eval_ranked *y = *(const struct eval_ranked *const *)b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return x->org_id < y->org_id ? -1 : x->org_id > y->org_id;
}

static int
positions(struct eval_ranked *r, size_t n)
{
	struct eval_ranked **order = calloc(n ? n : 1, sizeof(*order));

	if (!order)
		return ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		order[i] = &r[i];
	qsort(order, n, sizeof(*order), cmp_best);
	for (size_t i = 0; i < n; i++)
		order[i]->pos = (int64_t)i + 1;
	free(order);
	return 0;
}

/* The scores, ranked, replace the period's: refused once it is sealed. */
static int
store(struct db *db, struct computation *k, struct job *j, const char **failed)
{
	struct eval_ranked *r = calloc(k->nunits ? k->nunits : 1, sizeof(*r));
	struct eval_period now;
	struct db_conn *w = NULL;
	int rc;

	if (!r)
		return ERR_NOMEM;
	for (size_t i = 0; i < k->nunits; i++) {
		r[i].org_id = k->units[i].id;
		r[i].class_id = k->units[i].class_id;
		r[i].total = k->units[i].total;
		r[i].vetoed = k->units[i].vetoed;
		r[i].at = i;
	}
	eval_rank(r, k->nunits, k->x.stars);
	/* the place among all units, best first, for the pages across classes */
	if ((rc = positions(r, k->nunits)))
		goto out;
	if ((rc = db_acquire(db, DB_WRITE, &w)) || (rc = db_begin(w)))
		goto out;
	if ((rc = db_prep(w, EVAL_PERIOD_LOCK)))
		goto fail;
	db_bind_int(w, 1, k->p.id);
	rc = db_one(w);
	db_done(w);
	if (rc || (rc = eval_period_get(w, k->p.id, &now)))
		goto fail;
	if (strcmp(now.state, "open")) {
		*failed = "the period was sealed while it was computed; nothing changed";
		rc = ERR_CONFLICT;
		goto fail;
	}
	if ((rc = db_prep(w, EVAL_SCORES_CLEAR)))
		goto fail;
	db_bind_int(w, 1, k->p.id);
	if ((rc = db_run(w)) || (rc = db_prep(w, EVAL_EXPLAINS_CLEAR)))
		goto fail;
	db_bind_int(w, 1, k->p.id);
	if ((rc = db_run(w)))
		goto fail;
	for (size_t i = 0; i < k->nunits; i++) {
		const struct unit *u = &k->units[r[i].at];

		if ((rc = db_prep(w, EVAL_SCORE_INSERT)))
			goto fail;
		db_bind_int(w, 1, k->p.id);
		db_bind_int(w, 2, u->id);
		db_bind_int(w, 3, u->class_id);
		db_bind_double(w, 4, u->total);
		db_bind_int(w, 5, r[i].place);
		db_bind_int(w, 6, r[i].stars);
		db_bind_int(w, 7, u->vetoed);
		db_bind_text(w, 8, u->scores);
		db_bind_int(w, 9, r[i].pos);
		if ((rc = db_run(w)) || (rc = db_prep(w, EVAL_EXPLAIN_INSERT)))
			goto fail;
		db_bind_int(w, 1, k->p.id);
		db_bind_int(w, 2, u->id);
		db_bind_text(w, 3, u->detail);
		if ((rc = db_run(w)))
			goto fail;
	}
	if ((rc = db_prep(w, EVAL_PERIOD_COMPUTED)))
		goto fail;
	db_bind_int(w, 1, k->p.id);
	db_bind_int(w, 2, clock_now());
	db_bind_int(w, 3, (int64_t)k->nunits);
	j->done = j->total = j->inserted = (int64_t)k->nunits;
	if ((rc = db_run(w)) || (rc = jobs_progress(w, j)) ||
	    (rc = jobs_finish(w, j->id, 1, NULL)) || (rc = db_commit(w)))
		goto fail;
	goto out;
fail:
	db_rollback(w);
out:
	if (w)
		db_release(w);
	free(r);
	return rc;
}

/* A refusal is the job's outcome, told to whoever asked: the job fails
 * with the reason and the runner sees success (0), or rc when even that
 * could not be written. */
static int
job_refused(struct db *db, int64_t job_id, const char *why, int rc)
{
	struct db_conn *w;

	if (db_acquire(db, DB_WRITE, &w))
		return rc;
	if (!db_begin(w)) {
		if (jobs_finish(w, job_id, 0, why) || db_commit(w))
			db_rollback(w);
		else
			rc = 0;
	}
	db_release(w);
	return rc;
}

#define PROGRESS_EVERY 500

int
eval_compute_run(struct db *db, const struct pii_key *key, int64_t job_id)
{
	struct computation k;
	struct eval_calc *calc = NULL;
	char (*filters)[512] = NULL;
	const char *failed = NULL;
	struct db_conn *c = NULL;
	struct job j;
	json_t *params = NULL;
	int rc;

	(void)key;
	memset(&k, 0, sizeof(k));
	buf_init(&k.pool, (size_t)1 << 30);
	clock_today(k.today);
	if ((rc = db_acquire(db, DB_READ, &c)) || (rc = jobs_get(c, job_id, &j)))
		goto out;
	params = json_loads(j.params, 0, NULL);
	if (!json_is_integer(json_object_get(params, "period_id"))) {
		failed = "the job names no period";
		rc = ERR_INVALID;
		goto out;
	}
	if ((rc = load(c, json_integer_value(json_object_get(params, "period_id")), &k))) {
		if (rc == ERR_INVALID)
			failed = "a class names a node the index no longer has";
		goto out;
	}
	if (strcmp(k.p.state, "open")) {
		failed = "the period is sealed: its scores never change";
		rc = ERR_CONFLICT;
		goto out;
	}
	if ((rc = resolve_metrics(&k))) {
		if (rc == ERR_NOTFOUND)
			failed = "an indicator reads a metric this server does not have";
		goto out;
	}
	if (!(calc = calloc(k.t.nn ? k.t.nn : 1, sizeof(*calc))) ||
	    !(filters = calloc(k.t.nn ? k.t.nn : 1, sizeof(*filters)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	j.total = (int64_t)k.nunits;
	for (size_t i = 0; i < k.nunits; i++) {
		if ((rc = score_unit(c, &k, &k.units[i], calc, filters)))
			goto out;
		if ((i + 1) % PROGRESS_EVERY == 0) {
			j.done = (int64_t)i + 1;
			if ((rc = progress(db, &j)))
				goto out;
		}
	}
	db_release(c);
	c = NULL;
	rc = store(db, &k, &j, &failed);
out:
	if (c)
		db_release(c);
	if (rc && failed)
		rc = job_refused(db, job_id, failed, rc);
	json_decref(params);
	free(calc);
	free(filters);
	computation_free(&k);
	return rc;
}

/* ---- robustness (the job "eval_robust") ---- */

/* What a robustness run reads: each scored unit's class and the leaf
 * values its computation stored in the explanation. */
struct robust_input {
	int64_t *org_id, *class_id;
	size_t *which;
	double *x;
	unsigned char *have;
	size_t n, cap;
};

static void
robust_input_free(struct robust_input *in)
{
	free(in->org_id);
	free(in->class_id);
	free(in->which);
	free(in->x);
	free(in->have);
}

/* One more unit: its class, the override it scores with (1 + the class's
 * place in k->classes; 0, the tree's own, for none or a class gone since)
 * and its values from the explanation's nodes by code. */
static int
robust_take(const struct computation *k, struct robust_input *in, int64_t org_id,
    int64_t class_id, const char *detail)
{
	size_t nn = k->t.nn, u = in->n;
	json_t *d, *nodes, *node;
	size_t i;

	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 1024;
		void *a = realloc(in->org_id, cap * sizeof(*in->org_id));

		if (a)
			in->org_id = a;
		if (!a || !(a = realloc(in->class_id, cap * sizeof(*in->class_id))))
			return ERR_NOMEM;
		in->class_id = a;
		if (!(a = realloc(in->which, cap * sizeof(*in->which))))
			return ERR_NOMEM;
		in->which = a;
		if (!(a = realloc(in->x, cap * (nn ? nn : 1) * sizeof(*in->x))))
			return ERR_NOMEM;
		in->x = a;
		if (!(a = realloc(in->have, cap * (nn ? nn : 1) * sizeof(*in->have))))
			return ERR_NOMEM;
		in->have = a;
		in->cap = cap;
	}
	in->org_id[u] = org_id;
	in->class_id[u] = class_id;
	in->which[u] = 0;
	for (size_t c = 0; class_id && c < k->nclasses; c++)
		if (k->classes[c].id == class_id)
			in->which[u] = c + 1;
	memset(in->x + u * nn, 0, nn * sizeof(*in->x));
	memset(in->have + u * nn, 0, nn * sizeof(*in->have));
	/* the explanation was written by the computation: unreadable is damage */
	if (!(d = json_loads(detail ? detail : "", 0, NULL)))
		return ERR_INTERNAL;
	nodes = json_object_get(d, "nodes");
	json_array_foreach(nodes, i, node) {
		json_t *v = json_object_get(node, "value");
		int at = eval_tree_find(&k->t, json_string_value(json_object_get(node, "code")) ?
		    json_string_value(json_object_get(node, "code")) : "");

		if (at >= 0 && json_is_number(v)) {
			in->x[u * nn + (size_t)at] = json_number_value(v);
			in->have[u * nn + (size_t)at] = 1;
		}
	}
	json_decref(d);
	in->n++;
	return 0;
}

/* Replaces the period's robustness rows with out, if the run is still
 * this job's (a later request supersedes it), and finishes the job. */
static int
robust_store(struct db *db, const struct computation *k, struct job *j,
    const struct eval_robust_unit *out, size_t n, const char **failed)
{
	struct db_conn *w = NULL;
	int64_t unstable = 0;
	int rc;

	for (size_t u = 0; u < n; u++)
		unstable += out[u].verdict == EVAL_ROBUST_UNSTABLE;
	if ((rc = db_acquire(db, DB_WRITE, &w)) || (rc = db_begin(w)))
		goto out;
	if ((rc = db_prep(w, EVAL_ROBUST_DONE)))
		goto fail;
	db_bind_int(w, 1, k->p.id);
	db_bind_int(w, 2, j->id);
	db_bind_int(w, 3, clock_now());
	db_bind_int(w, 4, k->p.computations);
	db_bind_int(w, 5, unstable);
	if ((rc = db_run(w)))
		goto fail;
	if (!db_changes(w)) {
		*failed = "a later robustness run replaced this one";
		rc = ERR_CONFLICT;
		goto fail;
	}
	if ((rc = db_prep(w, EVAL_ROBUST_CLEAR)))
		goto fail;
	db_bind_int(w, 1, k->p.id);
	if ((rc = db_run(w)))
		goto fail;
	for (size_t u = 0; u < n; u++) {
		if ((rc = db_prep(w, EVAL_ROBUST_INSERT)))
			goto fail;
		db_bind_int(w, 1, k->p.id);
		db_bind_int(w, 2, out[u].org_id);
		db_bind_int(w, 3, out[u].place);
		db_bind_int(w, 4, out[u].best);
		db_bind_int(w, 5, out[u].p05);
		db_bind_int(w, 6, out[u].median);
		db_bind_int(w, 7, out[u].p95);
		db_bind_int(w, 8, out[u].worst);
		db_bind_double(w, 9, out[u].top_share);
		db_bind_text(w, 10, eval_robust_verdict_name(out[u].verdict));
		if ((rc = db_run(w)))
			goto fail;
	}
	j->done = j->total = j->inserted = (int64_t)n;
	if ((rc = jobs_progress(w, j)) || (rc = jobs_finish(w, j->id, 1, NULL)) ||
	    (rc = db_commit(w)))
		goto fail;
	goto out;
fail:
	db_rollback(w);
out:
	if (w)
		db_release(w);
	return rc;
}

int
eval_robust_job(struct db *db, const struct pii_key *key, int64_t job_id)
{
	struct computation k;
	struct robust_input in = {0};
	struct eval_robust_run run;
	struct eval_override *ov = NULL;
	struct eval_robust_unit *out = NULL;
	const char *failed = NULL;
	struct db_conn *c = NULL;
	struct job j;
	json_t *params = NULL;
	int rc;

	(void)key;
	memset(&k, 0, sizeof(k));
	if ((rc = db_acquire(db, DB_READ, &c)) || (rc = jobs_get(c, job_id, &j)))
		goto out;
	params = json_loads(j.params, 0, NULL);
	if (!json_is_integer(json_object_get(params, "period_id"))) {
		failed = "the job names no period";
		rc = ERR_INVALID;
		goto out;
	}
	if ((rc = load_design(c, json_integer_value(json_object_get(params, "period_id")), &k))) {
		if (rc == ERR_INVALID)
			failed = "a class names a node the index no longer has";
		goto out;
	}
	if ((rc = eval_robust_run_get(c, k.p.id, &run)))
		goto out;
	if (run.job_id != job_id) {
		failed = "a later robustness run replaced this one";
		rc = ERR_CONFLICT;
		goto out;
	}
	if ((rc = db_prep(c, EVAL_ROBUST_INPUT)))
		goto out;
	db_bind_int(c, 1, k.p.id);
	while ((rc = db_step(c)) == DB_ROW)
		if ((rc = robust_take(&k, &in, db_col_int(c, 0), db_col_int(c, 1),
		    db_col_text(c, 2))))
			break;
	db_done(c);
	if (rc < 0)
		goto out;
	db_release(c);
	c = NULL;
	/* the overrides a unit scores with: the tree's own first, then each class's */
	if (!(ov = calloc(k.nclasses + 1, sizeof(*ov))) ||
	    !(out = calloc(in.n ? in.n : 1, sizeof(*out)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	if ((rc = eval_override_parse(&k.t, NULL, NULL, &ov[0], &(struct why){0})))
		goto out;
	for (size_t i = 0; i < k.nclasses; i++)
		ov[i + 1] = k.classes[i].o;
	{
		struct eval_robust_in ri = {&k.t, ov, k.nclasses + 1, in.which, in.org_id,
		    in.class_id, in.x, in.have, in.n};

		if ((rc = eval_robust(&ri, &run.opts, out))) {
			if (rc == ERR_INVALID)
				failed = "the run's parameters are out of range";
			goto out;
		}
	}
	rc = robust_store(db, &k, &j, out, in.n, &failed);
out:
	if (c)
		db_release(c);
	if (rc && failed)
		rc = job_refused(db, job_id, failed, rc);
	if (ov)
		eval_override_free(&ov[0]);
	free(ov);
	free(out);
	robust_input_free(&in);
	json_decref(params);
	computation_free(&k);
	return rc;
}

/* ---- what-if ---- */

/* Lays the draft's named codes over o (the tree's own or a class's). */
static void
draft_over(const struct eval_tree *t, const struct eval_override *draft, json_t *weights,
    json_t *methods, struct eval_override *o)
{
	const char *code;
	json_t *v;

	json_object_foreach(weights, code, v) {
		int i = eval_tree_find(t, code);

		if (i >= 0)
			o->weight[i] = draft->weight[i];
	}
	json_object_foreach(methods, code, v) {
		int i = eval_tree_find(t, code);

		if (i >= 0)
			o->method[i] = draft->method[i];
	}
}

static int
whatif_cmp(const void *a, const void *b)
{
	const struct eval_whatif_unit *x = a, *y = b;

	if (x->class_id != y->class_id)
		return x->class_id < y->class_id ? -1 : 1;
	if (x->place != y->place)
		return x->place < y->place ? -1 : 1;
	return x->org_id < y->org_id ? -1 : x->org_id > y->org_id;
}

int
eval_whatif(struct db_conn *c, int64_t period_id, json_t *weights, json_t *methods,
    struct eval_whatif_unit **out, size_t *nout, struct why *why)
{
	struct computation k;
	struct robust_input in = {0};
	struct eval_override draft = {0}, *ov = NULL;
	struct eval_whatif_unit *u = NULL;
	struct eval_ranked *r = NULL;
	struct eval_calc *calc = NULL;
	size_t cap = 0, nn;
	int rc;

	*out = NULL;
	*nout = 0;
	memset(&k, 0, sizeof(k));
	if ((rc = load_design(c, period_id, &k))) {
		if (rc == ERR_INVALID)
			rc = why_refuse(why, ERR_CONFLICT, NULL,
			    "a class names a node the index no longer has", "有分类引用了已删除的节点");
		goto out;
	}
	if (!k.p.computed) {
		rc = why_refuse(why, ERR_CONFLICT, NULL, "compute the period first", "请先计算得分");
		goto out;
	}
	nn = k.t.nn;
	if ((rc = eval_override_parse(&k.t, weights, methods, &draft, why)))
		goto out;
	if (!(ov = calloc(k.nclasses + 1, sizeof(*ov)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	/* each override a copy, the draft laid over it */
	for (size_t j = 0; j <= k.nclasses; j++) {
		if ((rc = eval_override_parse(&k.t, NULL, NULL, &ov[j], why)))
			goto out;
		if (j) {
			memcpy(ov[j].weight, k.classes[j - 1].o.weight, nn * sizeof(*ov[j].weight));
			memcpy(ov[j].method, k.classes[j - 1].o.method, nn * sizeof(*ov[j].method));
		}
		draft_over(&k.t, &draft, weights, methods, &ov[j]);
	}
	if ((rc = db_prep(c, EVAL_WHATIF_INPUT)))
		goto out;
	db_bind_int(c, 1, k.p.id);
	while ((rc = db_step(c)) == DB_ROW) {
		if ((rc = array_grow((void **)&u, &cap, in.n, sizeof(*u))))
			break;
		memset(&u[in.n], 0, sizeof(*u));
		u[in.n].org_id = db_col_int(c, 0);
		u[in.n].class_id = db_col_int(c, 1);
		u[in.n].before_total = db_col_double(c, 3);
		u[in.n].before_place = (int)db_col_int(c, 4);
		db_col_copy(c, 6, u[in.n].org_name, sizeof(u[in.n].org_name));
		if ((rc = robust_take(&k, &in, db_col_int(c, 0), db_col_int(c, 1), db_col_text(c, 2))))
			break;
	}
	db_done(c);
	if (rc < 0)
		goto out;
	rc = 0;
	if (!(r = calloc(in.n ? in.n : 1, sizeof(*r))) || !(calc = calloc(nn ? nn : 1, sizeof(*calc)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < in.n; i++) {
		struct eval_total tot;

		for (size_t j = 0; j < nn; j++) {
			calc[j].x = in.x[i * nn + j];
			calc[j].have = in.have[i * nn + j];
		}
		eval_compute(&k.t, &ov[in.which[i]], calc, &tot);
		u[i].total = eval_round2(tot.total);
		u[i].vetoed = tot.vetoed;
		r[i] = (struct eval_ranked){u[i].org_id, u[i].class_id, u[i].total, u[i].vetoed, 0, 0, 0, i};
	}
	eval_rank(r, in.n, k.x.stars);
	for (size_t i = 0; i < in.n; i++)
		u[r[i].at].place = r[i].place;
	if (in.n)
		qsort(u, in.n, sizeof(*u), whatif_cmp);
	*out = u;
	*nout = in.n;
	u = NULL;
out:
	for (size_t j = 0; ov && j <= k.nclasses; j++)
		eval_override_free(&ov[j]);
	free(ov);
	eval_override_free(&draft);
	free(u);
	free(r);
	free(calc);
	robust_input_free(&in);
	computation_free(&k);
	return rc;
}

size_t
eval_whatif_keep(struct eval_whatif_unit *u, size_t n, int64_t class_id, size_t *moved)
{
	size_t kept = 0;

	*moved = 0;
	for (size_t i = 0; i < n; i++) {
		if (class_id && u[i].class_id != class_id)
			continue;
		*moved += u[i].place != u[i].before_place;
		u[kept++] = u[i];
	}
	return kept;
}

void
eval_whatif_unit_json(struct jw *w, const struct eval_whatif_unit *u)
{
	jw_kint(w, "org_id", u->org_id);
	jw_kstr(w, "org_name", u->org_name);
	jw_key(w, "class_id");
	if (u->class_id)
		jw_int(w, u->class_id);
	else
		jw_null(w);
	jw_key(w, "total");
	jw_double(w, u->total, 2);
	jw_kint(w, "rank", u->place);
	jw_kbool(w, "vetoed", u->vetoed);
	jw_key(w, "before");
	jw_obj_open(w);
	jw_key(w, "total");
	jw_double(w, u->before_total, 2);
	jw_kint(w, "rank", u->before_place);
	jw_obj_close(w);
	jw_kint(w, "movement", u->before_place - u->place);
}
