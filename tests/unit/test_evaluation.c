/* src/evaluation: the scoring rules of API.md "Evaluation index" — every
 * method at its edges, the weighted tree with bonus, deduction and veto
 * nodes, rounding half away from zero, class overrides, ranks and stars.
 * Expected values are worked out by hand here, not taken from the code. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/metric.h"
#include "evaluation/evaluation.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static struct eval_method
method(const char *json)
{
	struct eval_method m;
	struct why why = {0};
	json_t *j = json_loads(json, 0, NULL);

	assert_non_null(j);
	assert_int_equal(eval_method_parse(j, &m, &why), 0);
	json_decref(j);
	return m;
}

static int
method_refused(const char *json, const char *field)
{
	struct eval_method m;
	struct why why = {0};
	json_t *j = json_loads(json, 0, NULL);
	int rc = eval_method_parse(j, &m, &why);

	json_decref(j);
	if (rc == ERR_INVALID && why.field && !strcmp(why.field, field) && why.en && why.zh)
		return 1;
	return 0;
}

static void
test_linear(void **state)
{
	struct eval_method up = method("{\"kind\":\"linear\",\"worst\":0,\"best\":100}");
	struct eval_method down = method("{\"kind\":\"linear\",\"worst\":10,\"best\":0}");

	(void)state;
	NEAR(eval_method_score(&up, 50), 50);
	NEAR(eval_method_score(&up, 0), 0);
	NEAR(eval_method_score(&up, -10), 0);       /* below worst */
	NEAR(eval_method_score(&up, 100), 100);
	NEAR(eval_method_score(&up, 150), 100);     /* above best */
	/* worst > best: lower is better */
	NEAR(eval_method_score(&down, 2.5), 75);
	NEAR(eval_method_score(&down, 12), 0);
	NEAR(eval_method_score(&down, -1), 100);
}

static void
test_efficacy(void **state)
{
	struct eval_method m = method("{\"kind\":\"efficacy\",\"worst\":0,\"best\":1}");

	(void)state;
	NEAR(eval_method_score(&m, 0.5), 80);
	NEAR(eval_method_score(&m, 0), 60);
	NEAR(eval_method_score(&m, -1), 60);        /* never below 60 */
	NEAR(eval_method_score(&m, 1), 100);
	NEAR(eval_method_score(&m, 2), 100);
}

static void
test_ratio(void **state)
{
	struct eval_method m = method("{\"kind\":\"ratio\",\"benchmark\":0.4}");

	(void)state;
	NEAR(eval_method_score(&m, 0.3), 75);
	NEAR(eval_method_score(&m, 0.4), 100);
	NEAR(eval_method_score(&m, 0.5), 100);      /* capped at 100 */
	NEAR(eval_method_score(&m, 0), 0);
	NEAR(eval_method_score(&m, -1), 0);
}

static void
test_bands_and_milestone(void **state)
{
	struct eval_method b = method("{\"kind\":\"bands\",\"bands\":[{\"min\":0,\"score\":40},"
	    "{\"min\":10,\"score\":70},{\"min\":20,\"score\":100}]}");
	struct eval_method m = method("{\"kind\":\"milestone\"}");

	(void)state;
	NEAR(eval_method_score(&b, -1), 0);         /* below every band */
	NEAR(eval_method_score(&b, 0), 40);         /* a band's min is inside it */
	NEAR(eval_method_score(&b, 9.999), 40);
	NEAR(eval_method_score(&b, 10), 70);
	NEAR(eval_method_score(&b, 19.99), 70);
	NEAR(eval_method_score(&b, 20), 100);
	NEAR(eval_method_score(&b, 1000), 100);
	NEAR(eval_method_score(&m, 1), 100);
	NEAR(eval_method_score(&m, 0), 0);
}

static void
test_method_refusals(void **state)
{
	(void)state;
	assert_true(method_refused("{\"kind\":\"linear\",\"worst\":5,\"best\":5}", "method.best"));
	assert_true(method_refused("{\"kind\":\"linear\",\"worst\":5}", "method"));
	assert_true(method_refused("{\"kind\":\"linear\",\"worst\":0,\"best\":1,\"x\":2}", "method"));
	assert_true(method_refused("{\"kind\":\"cubic\"}", "method.kind"));
	assert_true(method_refused("{\"worst\":0,\"best\":1}", "method.kind"));
	assert_true(method_refused("{\"kind\":\"ratio\",\"benchmark\":0}", "method.benchmark"));
	assert_true(method_refused("{\"kind\":\"ratio\",\"benchmark\":\"1\"}", "method.benchmark"));
	assert_true(method_refused("{\"kind\":\"bands\",\"bands\":[]}", "method.bands"));
	assert_true(method_refused("{\"kind\":\"bands\",\"bands\":[{\"min\":10,\"score\":50},"
	    "{\"min\":5,\"score\":60}]}", "method.bands"));
	assert_true(method_refused("{\"kind\":\"bands\",\"bands\":[{\"min\":10,\"score\":50},"
	    "{\"min\":10,\"score\":60}]}", "method.bands"));
	assert_true(method_refused("{\"kind\":\"bands\",\"bands\":[{\"min\":0,\"score\":101}]}",
	    "method.bands"));
	assert_true(method_refused("{\"kind\":\"milestone\",\"best\":1}", "method"));
}

static void
test_round(void **state)
{
	(void)state;
	/* half away from zero, at the decimal, whatever the binary says */
	NEAR(eval_round2(2.675), 2.68);
	NEAR(eval_round2(-2.675), -2.68);
	NEAR(eval_round2(1.005), 1.01);
	NEAR(eval_round2(0.004999), 0);
	NEAR(eval_round2(99.995), 100);
	NEAR(eval_round2(87.5), 87.5);
	NEAR(eval_round2(33.333333), 33.33);
}

/* A node for the trees below. */
static struct eval_node
node(int64_t id, int64_t parent, int kind, const char *code, double weight)
{
	struct eval_node n;

	memset(&n, 0, sizeof(n));
	n.id = id;
	n.parent_id = parent;
	n.kind = kind;
	n.seq = (int)id;
	n.weight = weight;
	snprintf(n.code, sizeof(n.code), "%s", code);
	return n;
}

/*  D1 (60) { I1 (1) linear 0..100, I2 (3) ratio 10 }
 *  D2 (40) { I3 (1) milestone }
 *  B1 bonus cap 5, B2 deduction cap -3, V1 veto                      */
static void
sample_tree(struct eval_tree *t)
{
	struct eval_node *n = calloc(8, sizeof(*n));
	struct why why = {0};

	/* stored order is not tree order */
	n[0] = node(5, 2, EK_INDICATOR, "I3", 1);
	n[0].method = method("{\"kind\":\"milestone\"}");
	n[1] = node(1, 0, EK_DIMENSION, "D1", 60);
	n[2] = node(4, 1, EK_INDICATOR, "I2", 3);
	n[2].method = method("{\"kind\":\"ratio\",\"benchmark\":10}");
	n[3] = node(3, 1, EK_INDICATOR, "I1", 1);
	n[3].method = method("{\"kind\":\"linear\",\"worst\":0,\"best\":100}");
	n[4] = node(2, 0, EK_DIMENSION, "D2", 40);
	n[5] = node(6, 0, EK_BONUS, "B1", 0);
	n[5].has_cap = 1;
	n[5].cap = 5;
	n[6] = node(7, 0, EK_BONUS, "B2", 0);
	n[6].has_cap = 1;
	n[6].cap = -3;
	n[7] = node(8, 0, EK_VETO, "V1", 0);
	assert_int_equal(eval_tree_build(n, 8, t, &why), 0);
}

static void
set(struct eval_tree *t, struct eval_calc *k, const char *code, double x)
{
	int i = eval_tree_find(t, code);

	assert_true(i >= 0);
	k[i].have = 1;
	k[i].x = x;
}

static double
score_of(struct eval_tree *t, struct eval_calc *k, const char *code)
{
	return k[eval_tree_find(t, code)].score;
}

static void
test_tree_order(void **state)
{
	struct eval_tree t;
	const char *want[] = {"D1", "I1", "I2", "D2", "I3", "B1", "B2", "V1"};

	(void)state;
	sample_tree(&t);
	assert_int_equal(t.nn, 8);
	for (size_t i = 0; i < 8; i++)
		assert_string_equal(t.n[i].code, want[i]);
	assert_int_equal(t.parent[0], -1);
	assert_int_equal(t.parent[1], 0);
	assert_int_equal(t.parent[2], 0);
	assert_int_equal(t.parent[4], 3);
	eval_tree_free(&t);
	/* an index without nodes: no array at all, an empty tree */
	assert_int_equal(eval_tree_build(NULL, 0, &t, &(struct why){0}), 0);
	assert_int_equal(t.nn, 0);
	eval_tree_free(&t);
	sample_tree(&t);
	/* shares among weighted siblings: D1 60 of 100, I1 1 of 4, I2 3 of 4 */
	NEAR(t.n[0].share, 0.6);
	NEAR(t.n[1].share, 0.25);
	NEAR(t.n[2].share, 0.75);
	NEAR(t.n[3].share, 0.4);
	NEAR(t.n[4].share, 1);
	NEAR(t.n[5].share, 0);   /* a bonus is no sibling by weight */
	eval_tree_free(&t);
}

static void
test_tree_refusals(void **state)
{
	struct eval_tree t;
	struct eval_node *n;
	struct why why = {0};

	(void)state;
	/* a cycle: 1 under 2, 2 under 1 */
	n = calloc(3, sizeof(*n));
	n[0] = node(1, 2, EK_DIMENSION, "A", 1);
	n[1] = node(2, 1, EK_DIMENSION, "B", 1);
	n[2] = node(3, 0, EK_DIMENSION, "C", 1);
	assert_int_equal(eval_tree_build(n, 3, &t, &why), ERR_INVALID);
	assert_string_equal(why.field, "parent_id");
	/* a missing parent */
	n = calloc(1, sizeof(*n));
	n[0] = node(1, 9, EK_DIMENSION, "A", 1);
	assert_int_equal(eval_tree_build(n, 1, &t, &why), ERR_INVALID);
	/* an indicator is no parent */
	n = calloc(2, sizeof(*n));
	n[0] = node(1, 0, EK_INDICATOR, "A", 1);
	n[1] = node(2, 1, EK_INDICATOR, "B", 1);
	memset(&why, 0, sizeof(why));
	assert_int_equal(eval_tree_build(n, 2, &t, &why), ERR_INVALID);
	assert_string_equal(why.field, "parent_id");
}

static void
test_compute(void **state)
{
	struct eval_tree t;
	struct eval_calc k[8];
	struct eval_total tot;

	(void)state;
	sample_tree(&t);
	memset(k, 0, sizeof(k));
	set(&t, k, "I1", 50);      /* 50 */
	set(&t, k, "I2", 10);      /* 100 */
	set(&t, k, "I3", 0);       /* 0 */
	set(&t, k, "B1", 8);       /* capped at 5 */
	set(&t, k, "B2", -10);     /* capped at -3 */
	set(&t, k, "V1", 1);       /* no veto */
	eval_compute(&t, NULL, k, &tot);
	/* siblings' weights 1 and 3 need not sum to 100 */
	NEAR(score_of(&t, k, "D1"), 87.5);                /* (50 + 3 × 100) / 4 */
	NEAR(score_of(&t, k, "D2"), 0);
	NEAR(tot.weighted, 52.5);                         /* (60 × 87.5 + 40 × 0) / 100 */
	NEAR(tot.bonus, 2);
	NEAR(tot.ceiling, 105);
	NEAR(tot.total, 54.5);
	assert_false(tot.vetoed);
	/* shares and contributions add up to the weighted part */
	NEAR(k[eval_tree_find(&t, "I1")].share, 0.15);
	NEAR(k[eval_tree_find(&t, "I2")].share, 0.45);
	NEAR(k[eval_tree_find(&t, "I2")].contribution, 45);
	NEAR(k[eval_tree_find(&t, "I1")].contribution, 7.5);
	NEAR(k[eval_tree_find(&t, "D1")].contribution, 52.5);

	/* a veto of 0 marks the unit; its total stands */
	set(&t, k, "V1", 0);
	eval_compute(&t, NULL, k, &tot);
	assert_true(tot.vetoed);
	assert_string_equal(t.n[tot.veto_node].code, "V1");
	NEAR(tot.total, 54.5);

	/* no value: the indicator scores 0, a veto does not veto */
	memset(k, 0, sizeof(k));
	set(&t, k, "I2", 10);
	eval_compute(&t, NULL, k, &tot);
	NEAR(score_of(&t, k, "D1"), 75);
	assert_false(tot.vetoed);
	NEAR(tot.total, 45);                               /* 60 × 75 / 100 */

	/* the total stays inside [0, 100 + positive caps] */
	memset(k, 0, sizeof(k));
	set(&t, k, "I1", 100);
	set(&t, k, "I2", 10);
	set(&t, k, "I3", 1);
	set(&t, k, "B1", 5);
	eval_compute(&t, NULL, k, &tot);
	NEAR(tot.total, 105);
	memset(k, 0, sizeof(k));
	set(&t, k, "B2", -3);
	eval_compute(&t, NULL, k, &tot);
	NEAR(tot.total, 0);
	NEAR(tot.bonus, -3);
	/* a bonus given a negative value adds nothing; a deduction given a
	 * positive one takes nothing */
	memset(k, 0, sizeof(k));
	set(&t, k, "I1", 100);
	set(&t, k, "B1", -4);
	set(&t, k, "B2", 2);
	eval_compute(&t, NULL, k, &tot);
	NEAR(tot.bonus, 0);
	eval_tree_free(&t);
}

static void
test_override(void **state)
{
	struct eval_tree t;
	struct eval_override o;
	struct eval_calc k[8];
	struct eval_total tot;
	struct why why = {0};
	json_t *w = json_loads("{\"D2\":0}", 0, NULL);
	json_t *m = json_loads("{\"I1\":{\"kind\":\"linear\",\"worst\":0,\"best\":50}}", 0, NULL);
	json_t *bad;

	(void)state;
	sample_tree(&t);
	assert_int_equal(eval_override_parse(&t, w, m, &o, &why), 0);
	memset(k, 0, sizeof(k));
	set(&t, k, "I1", 50);
	set(&t, k, "I2", 10);
	eval_compute(&t, &o, k, &tot);
	NEAR(score_of(&t, k, "I1"), 100);                 /* the class's method */
	NEAR(score_of(&t, k, "D1"), 100);
	NEAR(tot.weighted, 100);                          /* D2 weighs nothing here */
	eval_override_free(&o);
	/* the tree's own figures are untouched */
	eval_compute(&t, NULL, k, &tot);
	NEAR(tot.weighted, 52.5);
	bad = json_loads("{\"XX\":1}", 0, NULL);
	assert_int_equal(eval_override_parse(&t, bad, NULL, &o, &why), ERR_INVALID);
	assert_string_equal(why.field, "weights");
	json_decref(bad);
	bad = json_loads("{\"D1\":-1}", 0, NULL);
	assert_int_equal(eval_override_parse(&t, bad, NULL, &o, &why), ERR_INVALID);
	json_decref(bad);
	bad = json_loads("{\"D1\":{\"kind\":\"milestone\"}}", 0, NULL);
	assert_int_equal(eval_override_parse(&t, NULL, bad, &o, &why), ERR_INVALID);
	assert_string_equal(why.field, "methods");
	json_decref(bad);
	json_decref(w);
	json_decref(m);
	eval_tree_free(&t);
}

static void
test_rank_and_stars(void **state)
{
	static const double th[4] = {90, 80, 70, 60};
	struct eval_ranked u[6] = {
		{.org_id = 14, .class_id = 1, .total = 85},
		{.org_id = 11, .class_id = 1, .total = 90},
		{.org_id = 12, .class_id = 1, .total = 85},
		{.org_id = 13, .class_id = 1, .total = 70},
		{.org_id = 20, .class_id = 2, .total = 50},
		{.org_id = 21, .class_id = 2, .total = 95, .vetoed = 1},
	};

	(void)state;
	eval_rank(u, 6, th);
	/* class 1: 90, 85, 85, 70 → 1, 2, 2, 4; ties by org id */
	assert_int_equal(u[0].org_id, 11);
	assert_int_equal(u[0].place, 1);
	assert_int_equal(u[0].stars, 5);
	assert_int_equal(u[1].org_id, 12);
	assert_int_equal(u[1].place, 2);
	assert_int_equal(u[2].org_id, 14);
	assert_int_equal(u[2].place, 2);
	assert_int_equal(u[2].stars, 4);
	assert_int_equal(u[3].place, 4);
	assert_int_equal(u[3].stars, 3);
	/* class 2 ranks on its own; a vetoed unit keeps its total, not its stars */
	assert_int_equal(u[4].org_id, 21);
	assert_int_equal(u[4].place, 1);
	assert_int_equal(u[4].stars, 0);
	assert_int_equal(u[5].place, 2);
	assert_int_equal(u[5].stars, 1);
	assert_int_equal(eval_stars(90, 0, th), 5);
	assert_int_equal(eval_stars(89.99, 0, th), 4);
	assert_int_equal(eval_stars(60, 0, th), 2);
	assert_int_equal(eval_stars(59.99, 0, th), 1);
	assert_int_equal(eval_stars(100, 1, th), 0);
}

/* Three units on two equal indicators (linear 0..100), one class:
 * A (100, 0) → 50, B (0, 96) → 48, C (90, 90) → 90 but vetoed, D (20, 20) → 20. */
struct robust_case {
	struct eval_tree t;
	struct eval_override o;
	size_t which[4];
	int64_t org[4], klass[4];
	double x[4 * 3];
	unsigned char have[4 * 3];
	struct eval_robust_in in;
};

static void
robust_case(struct robust_case *c)
{
	struct eval_node *n = calloc(3, sizeof(*n));
	struct why why = {0};
	const double v[4][3] = {{100, 0, 1}, {0, 96, 1}, {90, 90, 0}, {20, 20, 1}};

	memset(c, 0, sizeof(*c));
	n[0] = node(1, 0, EK_INDICATOR, "I1", 1);
	n[0].method = method("{\"kind\":\"linear\",\"worst\":0,\"best\":100}");
	n[1] = node(2, 0, EK_INDICATOR, "I2", 1);
	n[1].method = n[0].method;
	n[2] = node(3, 0, EK_VETO, "V1", 0);
	assert_int_equal(eval_tree_build(n, 3, &c->t, &why), 0);
	assert_int_equal(eval_override_parse(&c->t, NULL, NULL, &c->o, &why), 0);
	for (int u = 0; u < 4; u++) {
		c->org[u] = 10 + u;
		c->klass[u] = 1;
		for (int i = 0; i < 3; i++) {
			c->x[u * 3 + i] = v[u][i];
			c->have[u * 3 + i] = 1;
		}
	}
	c->in = (struct eval_robust_in){&c->t, &c->o, 1, c->which, c->org, c->klass, c->x,
	    c->have, 4};
}

static void
robust_case_free(struct robust_case *c)
{
	eval_override_free(&c->o);
	eval_tree_free(&c->t);
}

static void
test_robust(void **state)
{
	struct robust_case c;
	struct eval_robust_unit a[4], b[4];
	struct eval_robust_opts opt = {200, 0.25, 7, 1, 0};

	(void)state;
	robust_case(&c);
	/* no spread: every replication is the ranking as computed */
	opt.spread = 0;
	assert_int_equal(eval_robust(&c.in, &opt, a), 0);
	assert_int_equal(a[0].place, 1);
	assert_int_equal(a[1].place, 2);
	assert_int_equal(a[3].place, 3);
	assert_int_equal(a[0].best, 1);
	assert_int_equal(a[0].worst, 1);
	assert_int_equal(a[0].verdict, EVAL_ROBUST_IN);
	NEAR(a[0].top_share, 1);
	assert_int_equal(a[1].verdict, EVAL_ROBUST_OUT);
	/* the vetoed unit is never ranked, whatever its total */
	assert_true(a[2].vetoed);
	assert_int_equal(a[2].place, 0);
	assert_int_equal(a[2].verdict, EVAL_ROBUST_OUT);

	/* ±25 %: B passes A whenever w2/w1 > 100/96, about half the time */
	opt.spread = 0.25;
	assert_int_equal(eval_robust(&c.in, &opt, a), 0);
	assert_int_equal(a[0].place, 1);
	assert_int_equal(a[0].best, 1);
	assert_int_equal(a[0].worst, 2);
	assert_int_equal(a[1].best, 1);
	assert_int_equal(a[0].verdict, EVAL_ROBUST_UNSTABLE);
	assert_int_equal(a[1].verdict, EVAL_ROBUST_UNSTABLE);
	assert_true(a[0].top_share > 0.3 && a[0].top_share < 0.7);
	NEAR(a[0].top_share + a[1].top_share, 1);
	/* D is last every time */
	assert_int_equal(a[3].best, 3);
	assert_int_equal(a[3].p95, 3);
	assert_int_equal(a[3].verdict, EVAL_ROBUST_OUT);
	/* the same seed gives the same run; another seed another draw */
	assert_int_equal(eval_robust(&c.in, &opt, b), 0);
	for (int u = 0; u < 4; u++) {
		assert_int_equal(a[u].best, b[u].best);
		assert_int_equal(a[u].p05, b[u].p05);
		assert_int_equal(a[u].median, b[u].median);
		assert_int_equal(a[u].p95, b[u].p95);
		assert_int_equal(a[u].worst, b[u].worst);
		assert_true(a[u].top_share == b[u].top_share);
	}
	opt.seed = 8;
	assert_int_equal(eval_robust(&c.in, &opt, b), 0);
	assert_true(a[0].top_share != b[0].top_share);
	/* top 2: A and B both hold */
	opt.top = 2;
	assert_int_equal(eval_robust(&c.in, &opt, a), 0);
	assert_int_equal(a[0].verdict, EVAL_ROBUST_IN);
	assert_int_equal(a[1].verdict, EVAL_ROBUST_IN);
	/* out of range */
	opt.replications = 0;
	assert_int_equal(eval_robust(&c.in, &opt, a), ERR_INVALID);
	opt.replications = 10;
	opt.spread = 1;
	assert_int_equal(eval_robust(&c.in, &opt, a), ERR_INVALID);
	robust_case_free(&c);
}

static void
test_method_alternative(void **state)
{
	struct eval_method alt;
	struct eval_method lin = method("{\"kind\":\"linear\",\"worst\":0,\"best\":10}");
	struct eval_method rat = method("{\"kind\":\"ratio\",\"benchmark\":4}");
	struct eval_method mil = method("{\"kind\":\"milestone\"}");

	(void)state;
	assert_int_equal(eval_method_alternative(&lin, &alt), 1);
	assert_int_equal(alt.kind, EM_EFFICACY);
	NEAR(eval_method_score(&alt, 5), 80);
	assert_int_equal(eval_method_alternative(&alt, &alt), 1);
	NEAR(eval_method_score(&alt, 5), 50);
	assert_int_equal(eval_method_alternative(&rat, &alt), 1);
	NEAR(eval_method_score(&alt, 0), 60);
	NEAR(eval_method_score(&alt, 2), 80);
	NEAR(eval_method_score(&alt, 8), 100);
	assert_int_equal(eval_method_alternative(&mil, &alt), 0);
	assert_int_equal(alt.kind, EM_MILESTONE);
}

/* a memo keeps each reader's slot for the unit; a full memo says so */
static void
test_metric_memo(void **state)
{
	static const char a = 0, b = 0, c = 0, d = 0, e = 0;
	struct metric_memo memo;
	int filled;
	unsigned char *sa;

	(void)state;
	memset(&memo, 0, sizeof(memo));
	sa = metric_memo_slot(&memo, &a, &filled);
	assert_non_null(sa);
	assert_int_equal(filled, 0);
	sa[0] = 42;
	assert_ptr_equal(metric_memo_slot(&memo, &a, &filled), sa);
	assert_int_equal(filled, 1);
	assert_int_equal(sa[0], 42);
	assert_ptr_not_equal(metric_memo_slot(&memo, &b, &filled), sa);
	assert_int_equal(filled, 0);
	assert_non_null(metric_memo_slot(&memo, &c, &filled));
	assert_non_null(metric_memo_slot(&memo, &d, &filled));
	/* four slots: a fifth reader reads afresh */
	assert_null(metric_memo_slot(&memo, &e, &filled));
	assert_int_equal(filled, 0);
	assert_null(metric_memo_slot(NULL, &a, &filled));
	assert_int_equal(filled, 0);
}

static void
give(struct principal *p, unsigned role, const char *path)
{
	struct grant *g = &p->grants[p->ngrants++];

	memset(g, 0, sizeof(*g));
	g->role = role;
	snprintf(g->path, sizeof(g->path), "%s", path);
}

/* an index of district /1/2/: its operator owns it, a city viewer reads
 * all, a street's operator below it reports for its subtree */
static void
test_access(void **state)
{
	struct eval_index x = {.id = 1};
	struct principal owner = {0}, reader = {0}, street = {0}, other = {0}, expert = {0};
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	const char *st = NULL;

	(void)state;
	snprintf(x.org_path, sizeof(x.org_path), "/1/2/");
	give(&owner, ROLE_OPERATOR, "/1/2/");
	give(&reader, ROLE_VIEWER, "/1/");
	give(&street, ROLE_OPERATOR, "/1/2/7/");
	give(&other, ROLE_ADMIN, "/1/3/");
	give(&expert, ROLE_EXPERT, "/1/");

	assert_int_equal(eval_access(&owner, &x, lo, hi), EVAL_SEE_OWNER);
	assert_string_equal(lo, "/1/2/");
	assert_string_equal(hi, "/1/20");
	assert_int_equal(eval_access(&reader, &x, lo, hi), EVAL_SEE_ALL);
	assert_int_equal(eval_access(&street, &x, lo, hi), EVAL_SEE_UNIT);
	assert_string_equal(lo, "/1/2/7/");   /* its own subtree only */
	assert_string_equal(hi, "/1/2/70");
	assert_int_equal(eval_access(&other, &x, lo, hi), EVAL_SEE_NONE);
	assert_int_equal(eval_access(&expert, &x, lo, hi), EVAL_SEE_NONE);
	assert_string_equal(eval_see_name(EVAL_SEE_UNIT), "unit");
	assert_string_equal(eval_see_name(EVAL_SEE_OWNER), "owner");

	/* the owner's value counts at once, the street's waits for review */
	assert_int_equal(eval_entry_state(&owner, EVAL_SEE_OWNER, "/1/2/7/9/", &st), 0);
	assert_string_equal(st, "accepted");
	assert_int_equal(eval_entry_state(&street, EVAL_SEE_UNIT, "/1/2/7/9/", &st), 0);
	assert_string_equal(st, "submitted");
	/* another street's unit: the street does not see it */
	assert_int_equal(eval_entry_state(&street, EVAL_SEE_UNIT, "/1/2/8/9/", &st), ERR_NOTFOUND);
	/* a reader sees the unit but may not enter for it */
	give(&street, ROLE_VIEWER, "/1/2/8/");
	assert_int_equal(eval_entry_state(&street, EVAL_SEE_UNIT, "/1/2/8/9/", &st), ERR_PERM);
	assert_int_equal(eval_entry_state(&reader, EVAL_SEE_ALL, "/1/2/7/9/", &st), ERR_PERM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linear),
		cmocka_unit_test(test_efficacy),
		cmocka_unit_test(test_ratio),
		cmocka_unit_test(test_bands_and_milestone),
		cmocka_unit_test(test_method_refusals),
		cmocka_unit_test(test_round),
		cmocka_unit_test(test_tree_order),
		cmocka_unit_test(test_tree_refusals),
		cmocka_unit_test(test_compute),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_rank_and_stars),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_metric_memo),
		cmocka_unit_test(test_robust),
		cmocka_unit_test(test_method_alternative),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
