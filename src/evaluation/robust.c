/* Robustness before naming: how far a ranking depends on the weights and
 * methods its designers chose. Each replication multiplies every
 * dimension's and indicator's weight by its own factor drawn uniformly
 * from [1 − spread, 1 + spread] (and, when asked, scores each indicator
 * with its alternative method at even odds), recomputes every unit and
 * ranks the units of each class again. A unit's ranks over the
 * replications give its interval; the share of replications that put it
 * among the top N says whether its place among the candidates holds.
 *
 * Deterministic: the draws come from SplitMix64 seeded by (seed,
 * replication), so a run is reproduced exactly from its parameters on
 * any machine. Vetoed units are never candidates and are not ranked. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "evaluation/evaluation.h"

static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform in [-1, 1]. */
static double
draw(uint64_t *state)
{
	return (double)(splitmix64(state) >> 11) * (2.0 / 9007199254740992.0) - 1;
}

int
eval_method_alternative(const struct eval_method *m, struct eval_method *alt)
{
	*alt = *m;
	switch (m->kind) {
	case EM_LINEAR:
		alt->kind = EM_EFFICACY;
		return 1;
	case EM_EFFICACY:
		alt->kind = EM_LINEAR;
		return 1;
	case EM_RATIO:
		/* 标杆值 as 功效系数: 60 at nothing, 100 at the benchmark */
		alt->kind = EM_EFFICACY;
		alt->worst = 0;
		alt->best = m->benchmark;
		return 1;
	default:
		return 0;
	}
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Ranks the units that are not vetoed within their classes, by the totals
 * in r (rounded, as scores are); place[] receives each unit's place, by
 * the unit's index (0 for a vetoed unit). */
static void
rank_pass(struct eval_ranked *r, size_t n, int *place)
{
	static const double no_stars[4] = {0, 0, 0, 0};

	eval_rank(r, n, no_stars);
	for (size_t i = 0; i < n; i++)
		place[r[i].at] = r[i].place;
}

int
eval_robust(const struct eval_robust_in *in, const struct eval_robust_opts *opt,
    struct eval_robust_unit *out)
{
	const struct eval_tree *t = in->t;
	size_t nn = t->nn, nk = in->noverrides, n = in->nunits, reps = (size_t)opt->replications;
	struct eval_override *scratch = NULL;
	struct eval_calc *calc = NULL;
	struct eval_ranked *r = NULL;
	struct eval_method alt;
	double *factor = NULL;
	int *flip = NULL, *ranks = NULL, *place = NULL, *sorted = NULL, rc = 0;
	size_t nr = 0;

	if (reps < 1 || !(opt->spread >= 0 && opt->spread < 1) || opt->top < 1)
		return ERR_INVALID;
	scratch = calloc(nk ? nk : 1, sizeof(*scratch));
	calc = calloc(nn ? nn : 1, sizeof(*calc));
	r = calloc(n ? n : 1, sizeof(*r));
	factor = calloc(nn ? nn : 1, sizeof(*factor));
	flip = calloc(nn ? nn : 1, sizeof(*flip));
	ranks = calloc((n ? n : 1) * reps, sizeof(*ranks));
	place = calloc(n ? n : 1, sizeof(*place));
	sorted = calloc(reps, sizeof(*sorted));
	if (!scratch || !calc || !r || !factor || !flip || !ranks || !place || !sorted) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (size_t k = 0; k < nk; k++)
		if (!(scratch[k].weight = calloc(nn ? nn : 1, sizeof(double))) ||
		    !(scratch[k].method = calloc(nn ? nn : 1, sizeof(struct eval_method)))) {
			rc = ERR_NOMEM;
			goto out;
		}
	/* replication 0 is the ranking as computed: no factor, no swap */
	for (size_t rep = 0; rep <= reps; rep++) {
		uint64_t state = opt->seed * 0x100000001b3u ^ (uint64_t)rep;

		for (size_t i = 0; i < nn; i++) {
			int weighted = t->n[i].kind == EK_DIMENSION || t->n[i].kind == EK_INDICATOR;

			factor[i] = rep && weighted ? 1 + opt->spread * draw(&state) : 1;
			flip[i] = rep && opt->methods && t->n[i].kind == EK_INDICATOR &&
			    (splitmix64(&state) & 1);
		}
		for (size_t k = 0; k < nk; k++) {
			const struct eval_override *o = &in->overrides[k];

			for (size_t i = 0; i < nn; i++) {
				scratch[k].weight[i] = o->weight[i] * factor[i];
				scratch[k].method[i] = o->method[i];
				if (flip[i] && eval_method_alternative(&o->method[i], &alt))
					scratch[k].method[i] = alt;
			}
		}
		nr = 0;
		for (size_t u = 0; u < n; u++) {
			const double *x = in->x + u * nn;
			const unsigned char *have = in->have + u * nn;
			struct eval_total tot;

			for (size_t i = 0; i < nn; i++) {
				calc[i].x = x[i];
				calc[i].have = have[i];
			}
			eval_compute(t, &scratch[in->which[u]], calc, &tot);
			place[u] = 0;
			if (tot.vetoed)
				continue;
			r[nr].org_id = in->org_id[u];
			r[nr].class_id = in->class_id[u];
			r[nr].total = eval_round2(tot.total);
			r[nr].at = u;
			nr++;
		}
		rank_pass(r, nr, place);
		for (size_t u = 0; u < n; u++) {
			if (rep == 0) {
				out[u].place = place[u];
				out[u].vetoed = place[u] == 0;
			} else {
				ranks[u * reps + rep - 1] = place[u];
			}
		}
	}
	for (size_t u = 0; u < n; u++) {
		struct eval_robust_unit *o = &out[u];
		size_t in_top = 0;

		o->org_id = in->org_id[u];
		o->class_id = in->class_id[u];
		if (o->vetoed) {
			o->best = o->p05 = o->median = o->p95 = o->worst = 0;
			o->top_share = 0;
			o->verdict = EVAL_ROBUST_OUT;
			continue;
		}
		memcpy(sorted, ranks + u * reps, reps * sizeof(*sorted));
		qsort(sorted, reps, sizeof(*sorted), cmp_int);
		for (size_t i = 0; i < reps; i++)
			in_top += sorted[i] <= opt->top;
		o->best = sorted[0];
		o->worst = sorted[reps - 1];
		/* nearest rank: the lower median, the 5th and 95th percentiles */
		o->p05 = sorted[(size_t)floor(0.05 * (double)(reps - 1))];
		o->median = sorted[(reps - 1) / 2];
		o->p95 = sorted[(size_t)ceil(0.95 * (double)(reps - 1))];
		o->top_share = (double)in_top / (double)reps;
		o->verdict = o->top_share >= EVAL_ROBUST_HOLDS ? EVAL_ROBUST_IN :
		    o->top_share <= 1 - EVAL_ROBUST_HOLDS ? EVAL_ROBUST_OUT : EVAL_ROBUST_UNSTABLE;
	}
out:
	for (size_t k = 0; scratch && k < nk; k++)
		eval_override_free(&scratch[k]);
	free(scratch);
	free(calc);
	free(r);
	free(factor);
	free(flip);
	free(ranks);
	free(place);
	free(sorted);
	return rc;
}

const char *
eval_robust_verdict_name(int verdict)
{
	switch (verdict) {
	case EVAL_ROBUST_IN:
		return "in";
	case EVAL_ROBUST_UNSTABLE:
		return "unstable";
	default:
		return "out";
	}
}

void
eval_robust_opts_default(struct eval_robust_opts *o)
{
	*o = (struct eval_robust_opts){200, 0.25, 1, 10, 0};
}
