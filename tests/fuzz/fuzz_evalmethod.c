/* The evaluation index's parsers of what an owner sends: a node's method
 * and a class's weight and method overrides (JSON). Never a crash; a
 * refusal always names the field; whatever is accepted scores every value
 * inside [0, 100]. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "evaluation/evaluation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_scores(const struct eval_method *m)
{
	static const double xs[] = {-1e300, -5, -0.5, 0, 0.25, 1, 2, 10, 1e300};

	for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
		double s = eval_method_score(m, xs[i]);

		if (!(s >= 0 && s <= 100))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eval_node *n = calloc(3, sizeof(*n));
	struct eval_tree t;
	struct eval_override o;
	struct eval_method m;
	struct why why = {0};
	json_t *j = json_loadb((const char *)data, size, 0, NULL);
	int rc;

	if (!n)
		abort();
	n[0].id = 1;
	n[0].kind = EK_DIMENSION;
	n[0].weight = 1;
	snprintf(n[0].code, sizeof(n[0].code), "D1");
	n[1].id = 2;
	n[1].parent_id = 1;
	n[1].kind = EK_INDICATOR;
	n[1].weight = 1;
	n[1].method.kind = EM_MILESTONE;
	snprintf(n[1].code, sizeof(n[1].code), "I1");
	n[2].id = 3;
	n[2].kind = EK_BONUS;
	n[2].has_cap = 1;
	n[2].cap = 5;
	snprintf(n[2].code, sizeof(n[2].code), "B1");
	if (eval_tree_build(n, 3, &t, &why))
		abort();
	rc = eval_method_parse(json_object_get(j, "method"), &m, &why);
	if (rc == 0)
		check_scores(&m);
	else if (rc != ERR_INVALID || !why.field || !why.en || !why.zh)
		abort();
	memset(&why, 0, sizeof(why));
	rc = eval_override_parse(&t, json_object_get(j, "weights"), json_object_get(j, "methods"),
	    &o, &why);
	if (rc == 0) {
		struct eval_calc k[3];
		struct eval_total tot;

		check_scores(&o.method[1]);
		memset(k, 0, sizeof(k));
		k[1].have = k[2].have = 1;
		k[1].x = 1;
		k[2].x = 100;
		eval_compute(&t, &o, k, &tot);
		if (!(tot.total >= 0 && tot.total <= tot.ceiling) || isnan(tot.total))
			abort();
		eval_override_free(&o);
	} else if (rc != ERR_INVALID || !why.field) {
		abort();
	}
	eval_tree_free(&t);
	json_decref(j);
	return 0;
}
