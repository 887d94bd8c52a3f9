/* The evaluation index (指数式定标), its classes (分类式管理) and periods:
 * a versioned tree of dimensions and indicators for one kind of unit,
 * scored by the methods of API.md "Evaluation index", computed for every
 * unit of the index's subtree as a job, explained down to its inputs and
 * sealed so a period's scores never change afterwards.
 *
 * This header has two parts: the pure rules (rules.c: methods, the tree,
 * totals, ranks and stars), which the unit tests pin to the decimal, and
 * the store (store.c, compute.c). */
#ifndef CHANGAI_EVALUATION_H
#define CHANGAI_EVALUATION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/jw.h"
#include "scope/scope.h"

struct db;
struct db_conn;
struct buf;
struct pii_key;
struct notice;

/* characters; the byte sizes below allow 4 bytes each */
#define EVAL_TITLE_MAX 100
#define EVAL_CODE_MAX 32
#define EVAL_UNIT_MAX 16
#define EVAL_NOTE_MAX 500
#define EVAL_LABEL_MAX 40
#define EVAL_NODES_MAX 400          /* per index: 6,300 units × 40 is the target */
#define EVAL_BANDS_MAX 16
#define EVAL_METRIC_BYTES 64

/* ---- the rules (rules.c) ---- */

enum eval_kind { EK_DIMENSION = 1, EK_INDICATOR, EK_BONUS, EK_VETO };
int eval_kind_parse(const char *s);          /* 0 when unknown */
const char *eval_kind_name(int kind);

enum eval_method_kind {
	EM_NONE = 0, EM_LINEAR, EM_EFFICACY, EM_RATIO, EM_BANDS, EM_MILESTONE
};
struct eval_method {
	int kind;
	double worst, best;                  /* linear, efficacy */
	double benchmark;                    /* ratio */
	int nbands;                          /* bands, by ascending min */
	double band_min[EVAL_BANDS_MAX], band_score[EVAL_BANDS_MAX];
};
/* Reads {"kind":…} as API.md writes it; ERR_INVALID with why (field
 * "method…") when it is not one. */
struct why;
int eval_method_parse(json_t *j, struct eval_method *m, struct why *why);
void eval_method_json(struct jw *w, const struct eval_method *m);
/* The score in [0, 100] of value x. */
double eval_method_score(const struct eval_method *m, double x);

/* Half away from zero, to 2 decimals: how totals and scores are shown,
 * ranked and sealed. */
double eval_round2(double v);

/* One node of an index's tree. */
struct eval_node {
	int64_t id, parent_id;               /* parent_id 0 at the top */
	int kind, seq, reported;
	double weight;
	int has_cap;
	double cap;                          /* bonus: the most it adds (or, < 0, takes) */
	struct eval_method method;
	char code[EVAL_CODE_MAX * 4 + 1];
	char title[EVAL_TITLE_MAX * 4 + 1];
	char unit[EVAL_UNIT_MAX * 4 + 1];
	char metric[EVAL_METRIC_BYTES];      /* "" when reported */
	/* set by eval_tree_build: a dimension's or indicator's weight over
	 * its weighted siblings' (0 when they weigh nothing, or another kind) */
	double share;
};

/* A tree in order: every parent before its children, siblings by seq.
 * parent[i] is the index of node i's parent, or -1. */
struct eval_tree {
	struct eval_node *n;
	int *parent;
	size_t nn;
};
void eval_tree_free(struct eval_tree *t);
/* Orders nodes (taken; freed with the tree) into t. ERR_INVALID when a
 * parent is missing, is not a dimension, or the parents form a cycle. */
int eval_tree_build(struct eval_node *nodes, size_t nn, struct eval_tree *t,
    struct why *why);
/* The index of the node with code, or -1. */
int eval_tree_find(const struct eval_tree *t, const char *code);

/* A class's overrides aligned with a tree: weight[i], method[i]. */
struct eval_override {
	double *weight;
	struct eval_method *method;
};
/* Reads {"CODE": w} and {"CODE": {method}} against t (either may be NULL);
 * ERR_INVALID (why names the code) for an unknown code, a negative weight,
 * a method on a node that has none. o is allocated; eval_override_free. */
int eval_override_parse(const struct eval_tree *t, json_t *weights,
    json_t *methods, struct eval_override *o, struct why *why);
void eval_override_free(struct eval_override *o);

/* One node's figures for one unit. */
struct eval_calc {
	int have;                            /* a value was found (leaves) */
	double x;                            /* the value */
	double weight;                       /* after the class's overrides */
	const struct eval_method *method;    /* after the class's overrides */
	double score;                        /* dimension, indicator: 0..100;
	                                      * bonus: the capped points */
	double share;                        /* of the total, down the weights */
	double contribution;                 /* share × score; bonus: its points */
	double sum_w, sum_ws;                /* dimensions: their children's sums */
};
struct eval_total {
	double total;                        /* clamped, not rounded */
	double weighted, bonus;              /* its two parts */
	double ceiling;                      /* 100 + the positive caps */
	int vetoed;
	int veto_node;                       /* the first veto's index, or -1 */
};
/* Computes every node of one unit: k[i].have and k[i].x must be set for
 * the leaves; o is the class's overrides or NULL. */
void eval_compute(const struct eval_tree *t, const struct eval_override *o,
    struct eval_calc *k, struct eval_total *total);

/* Stars by thresholds for 5, 4, 3 and 2 stars (else 1; vetoed 0). */
int eval_stars(double total, int vetoed, const double thresholds[4]);

struct eval_ranked {
	int64_t org_id, class_id;            /* class 0: units in no class */
	double total;                        /* rounded */
	int vetoed;
	int place, stars;                    /* out */
	int64_t pos;                         /* the caller's: across classes */
	size_t at;                           /* the caller's index, carried */
};
/* Sorts by class, then total (best first), then org id, and places units
 * within their class: equal totals share a place (1, 2, 2, 4). */
void eval_rank(struct eval_ranked *u, size_t n, const double thresholds[4]);

/* ---- the store (store.c) ---- */

struct eval_index {
	int64_t id, org_id, created_by, created, updated;
	char title[EVAL_TITLE_MAX * 4 + 1];
	char unit_kind[16];
	char org_name[100 * 4 + 1];
	char org_path[ORG_PATH_MAX];
	double stars[4];
};
int eval_unit_kind_ok(const char *kind);
int eval_index_insert(struct db_conn *c, struct eval_index *x);
int eval_index_get(struct db_conn *c, int64_t id, struct eval_index *x);
/* Every index, by id, to fn (a non-zero return stops and is returned). */
int eval_index_each(struct db_conn *c, int (*fn)(void *ctx, const struct eval_index *x),
    void *ctx);
void eval_index_json(struct jw *w, const struct eval_index *x);

/* The index's tree, ordered. */
int eval_tree_load(struct db_conn *c, int64_t index_id, struct eval_tree *t);
void eval_tree_json(struct jw *w, const struct eval_tree *t);
void eval_node_json(struct jw *w, const struct eval_node *n);
/* Adds n (id set): ERR_INVALID or ERR_CONFLICT with why for a code in use,
 * a parent that is not a dimension of this index, an unknown metric, a
 * leaf without a source, an indicator without a method, a bonus without
 * a cap, a negative weight, or a tree over EVAL_NODES_MAX. */
int eval_node_add(struct db_conn *c, int64_t index_id, struct eval_node *n,
    struct why *why);
/* Writes n over the node of the same id (its code stays); a parent that
 * would make a cycle is refused. */
int eval_node_update(struct db_conn *c, int64_t index_id, const struct eval_node *n,
    struct why *why);
/* The stored node id of this index; ERR_NOTFOUND when it has none. */
int eval_node_get(struct db_conn *c, int64_t index_id, int64_t id, struct eval_node *out);
/* ERR_CONFLICT while it has children or reported values, or a class's
 * weights or methods name its code (a class naming a missing node would
 * make every later compute fail). */
int eval_node_delete(struct db_conn *c, int64_t index_id, const struct eval_node *n,
    struct why *why);

struct eval_class {
	int64_t id, index_id, members;
	char name[EVAL_TITLE_MAX * 4 + 1];
	char weights[8192], methods[16384];  /* JSON objects, checked */
};
/* Adds k (id set): its weights and methods must name codes of the index
 * (methods only indicators) and parse; its name is unique in the index. */
int eval_class_add(struct db_conn *c, struct eval_class *k, struct why *why);
/* Writes k's name, weights and methods over the class of its id, checked
 * as eval_class_add checks them. */
int eval_class_update(struct db_conn *c, const struct eval_class *k, struct why *why);
/* Deletes the class and its memberships (its units join no class);
 * ERR_CONFLICT while a sealed period's scores name it. */
int eval_class_delete(struct db_conn *c, int64_t index_id, int64_t id, struct why *why);
int eval_class_get(struct db_conn *c, int64_t index_id, int64_t id, struct eval_class *k);
/* Each class of the index, by id. */
int eval_class_each(struct db_conn *c, int64_t index_id,
    int (*fn)(void *ctx, const struct eval_class *k), void *ctx);
void eval_class_json(struct jw *w, const struct eval_class *k);
/* The class's members become exactly org_ids (units of the index's kind
 * in its subtree; a unit leaves any other class of the index). */
int eval_members_set(struct db_conn *c, const struct eval_index *x, int64_t class_id,
    const int64_t *org_ids, size_t n, struct why *why);

/* The same by a rule over the units' attributes, {"above_scale": bool,
 * "ownership": [..], "industry": [prefix, ..]} (every key given must
 * match); *n says how many it took. */
int eval_members_rule(struct db_conn *c, const struct eval_index *x, int64_t class_id,
    json_t *rule, struct why *why, size_t *n);

/* The points board of the index's units in [lo, hi) (the caller's view)
 * for a period key: one class's (class_id > 0), those in none (-1) or all
 * (0), in the points ledger's published order, each named; *out (*n
 * places) is the caller's to free. */
struct points_place;
int eval_points_board(struct db_conn *c, const struct eval_index *x, int64_t class_id,
    const char *period, const char *lo, const char *hi, struct points_place **out, size_t *n);

struct eval_period {
	int64_t id, index_id, computed, sealed, sealed_by, job_id, units;
	int64_t computations;                /* how often it was computed */
	char label[EVAL_LABEL_MAX * 4 + 1];
	char starts[11], ends[11];
	char state[12];                      /* open, sealed */
	char hash[65];
	char report_due[11];                 /* the units' deadline for values, "" none */
};
int eval_period_add(struct db_conn *c, struct eval_period *p, struct why *why);
/* Sets (or, with "", clears) the deadline for reported values of an open
 * period: ERR_CONFLICT once sealed. */
int eval_period_due(struct db_conn *c, struct eval_period *p, const char *due,
    struct why *why);

/* A unit of a period that has not reported every reported node. */
struct eval_unreported {
	int64_t org_id;
	int missing;                         /* reported nodes without a standing value */
	char name[100 * 4 + 1];
};
/* The units of the period's index in [lo, hi) that still owe values, by
 * id; *out is the caller's to free. *nodes is the count of reported nodes. */
int eval_unreported(struct db_conn *c, const struct eval_index *x, const struct eval_period *p,
    const char *lo, const char *hi, struct eval_unreported **out, size_t *n, int64_t *nodes);
/* The sweep: every open period past its deadline reminds the units that
 * owe values, once per period, unit and deadline, through the inbox. */
int eval_remind(struct db *db, const char *today, size_t *told);
int eval_period_get(struct db_conn *c, int64_t id, struct eval_period *p);
int eval_period_each(struct db_conn *c, int64_t index_id,
    int (*fn)(void *ctx, const struct eval_period *p), void *ctx);
void eval_period_json(struct jw *w, const struct eval_period *p);
/* The job that computes it is queued: ERR_CONFLICT once sealed. */
int eval_period_queued(struct db_conn *c, int64_t id, int64_t job_id, struct why *why);

/* A reported value. */
struct eval_value {
	int64_t id, period_id, org_id, node_id, entered_by, entered, reviewed_by, reviewed;
	double value;
	char code[EVAL_CODE_MAX * 4 + 1];
	char org_name[100 * 4 + 1];
	char org_path[ORG_PATH_MAX];
	char note[EVAL_NOTE_MAX * 4 + 1];
	char state[12];                      /* accepted, submitted, returned */
	char entered_name[64 * 4 + 1];
	char reviewed_name[64 * 4 + 1];
	char reason[EVAL_NOTE_MAX * 4 + 1];
};
/* Enters v (period, org, code, value, note, state and who set) over the
 * unit's earlier value for that node: ERR_INVALID (why) for a code that
 * is not a reported node, a unit outside the index, a sealed period. */
int eval_value_put(struct db_conn *c, const struct eval_index *x,
    const struct eval_period *p, struct eval_value *v, struct why *why);
/* The same with the index's tree loaded by the caller (many values). */
int eval_value_put_in(struct db_conn *c, const struct eval_index *x,
    const struct eval_period *p, const struct eval_tree *t, struct eval_value *v,
    struct why *why);
int eval_value_get(struct db_conn *c, int64_t period_id, int64_t id, struct eval_value *v);
/* accept 1 or 0 (returned, with a reason); only a submitted value. */
int eval_value_review(struct db_conn *c, struct eval_value *v, int accept,
    const char *reason, int64_t by, const char *by_name, struct why *why);
/* The period's values of units in [lo, hi), by id after `after`, at most
 * limit + 1 (a page). */
int eval_value_page(struct db_conn *c, int64_t period_id, const char *lo, const char *hi,
    const char *state, int64_t after, int64_t limit,
    int (*fn)(void *ctx, const struct eval_value *v), void *ctx, int64_t *total);
void eval_value_json(struct jw *w, const struct eval_value *v);

/* A unit's stored score. */
struct eval_score {
	int64_t period_id, org_id, class_id, pos;
	double total;
	int place, stars, vetoed;
	char org_name[100 * 4 + 1];
	char org_path[ORG_PATH_MAX];
	char *scores;                        /* JSON {"CODE": s}; owned */
	char *detail;                        /* JSON, the explanation; owned */
	/* the same unit in the period compared with (pages asked to compare) */
	int compared, before_found, before_place, before_vetoed;
	double before_total;
	int64_t before_class;
};
void eval_score_free(struct eval_score *s);
/* Scores of the period's units in [lo, hi) (class 0: any), best first,
 * a page of limit + 1 after the position `after` (0 first; a score's pos
 * is the next page's cursor). whole: [lo, hi) is the index's own subtree,
 * so every unit is in it. */
/* compare: another period of the index whose rank and total each score
 * carries as "before" (0: none). */
int eval_score_page(struct db_conn *c, int64_t period_id, int64_t class_id, int64_t compare,
    const char *lo, const char *hi, int whole, int64_t after, int64_t limit,
    int (*fn)(void *ctx, const struct eval_score *s), void *ctx, int64_t *total);
int eval_score_get(struct db_conn *c, int64_t period_id, int64_t org_id,
    struct eval_score *s);
void eval_score_json(struct jw *w, const struct eval_score *s, int detail);

/* Seals a computed period: its hash over every stored score row. */
int eval_period_seal(struct db_conn *c, int64_t period_id, int64_t by,
    char hash[65], struct why *why);
/* The hash of the period's rows as stored now. */
int eval_period_hash(struct db_conn *c, int64_t period_id, char hash[65]);
/* `changai check`: sealed periods whose rows hash differently. */
int eval_check_seals(struct db_conn *c, struct buf *report, int64_t *count);

/* ---- the computation (compute.c) ---- */

/* The job kind "eval_compute": params {"period_id": N}. */
int eval_compute_run(struct db *db, const struct pii_key *k, int64_t job_id);

/* ---- the demo (demo.c) ---- */

struct demo_opts;
int evaluation_demo(struct db *db, const struct demo_opts *o);

/* ---- robustness (robust.c) ---- */

/* A unit holds its place among the candidates when at least this share
 * of the replications puts it there (and holds out when at most 1 − it). */
#define EVAL_ROBUST_HOLDS 0.9
#define EVAL_ROBUST_REPLICATIONS_MAX 1000
enum { EVAL_ROBUST_OUT = 0, EVAL_ROBUST_IN, EVAL_ROBUST_UNSTABLE };
const char *eval_robust_verdict_name(int verdict);   /* "out", "in", "unstable" */

struct eval_robust_opts {
	int replications;                    /* 1..EVAL_ROBUST_REPLICATIONS_MAX */
	double spread;                       /* weights × [1 − spread, 1 + spread] */
	uint64_t seed;
	int top;                             /* the candidates: the top N of a class */
	int methods;                         /* also swap methods at even odds */
};
/* What a run does unless asked otherwise: 200 replications, weights
 * ±25 %, seed 1, the top 10 of each class, methods kept. */
void eval_robust_opts_default(struct eval_robust_opts *o);
/* What a run reads: the tree, the overrides (one per class, and one for
 * units in no class: the tree's own), and per unit its override (which),
 * class and leaf values, nunits × t->nn row-major. */
struct eval_robust_in {
	const struct eval_tree *t;
	const struct eval_override *overrides;
	size_t noverrides;
	const size_t *which;
	const int64_t *org_id, *class_id;
	const double *x;
	const unsigned char *have;
	size_t nunits;
};
struct eval_robust_unit {
	int64_t org_id, class_id;
	int vetoed;                          /* never ranked, never a candidate */
	int place;                           /* as computed, among units not vetoed */
	int best, p05, median, p95, worst;   /* over the replications */
	double top_share;                    /* of replications in the top N */
	int verdict;
};
/* Fills out[nunits]; ERR_INVALID for options out of range, ERR_NOMEM. */
int eval_robust(const struct eval_robust_in *in, const struct eval_robust_opts *opt,
    struct eval_robust_unit *out);
/* The method a swap scores with: linear ↔ efficacy over the same worst
 * and best, ratio → efficacy from 0 to the benchmark; 0 (alt = m) for
 * bands and milestones, which have none. */
int eval_method_alternative(const struct eval_method *m, struct eval_method *alt);

/* What-if (compute.c): the period's units scored again from the values
 * their computation read, with draft weights and methods that win over
 * the index's and every class's for the codes they name. Nothing is
 * written; a sealed period may be asked too. */
struct eval_whatif_unit {
	int64_t org_id, class_id;
	double total, before_total;          /* rounded */
	int place, before_place, vetoed;
	char org_name[100 * 4 + 1];
};
/* *out (n units, best first within each class, classes in id order) is
 * the caller's to free. ERR_INVALID with why for a draft naming a code
 * the index does not have, a negative weight, a method on a node that is
 * not an indicator; ERR_CONFLICT until the period has been computed. */
int eval_whatif(struct db_conn *c, int64_t period_id, json_t *weights, json_t *methods,
    struct eval_whatif_unit **out, size_t *n, struct why *why);
/* Keeps the units of one class (class_id 0: every unit), in order, and
 * counts those whose rank the draft moves; returns how many are kept. */
size_t eval_whatif_keep(struct eval_whatif_unit *u, size_t n, int64_t class_id,
    size_t *moved);
/* The unit with its draft rank and total, and "before": as computed. */
void eval_whatif_unit_json(struct jw *w, const struct eval_whatif_unit *u);

/* A period's latest robustness run (store.c), and its units. */
struct eval_robust_run {
	int64_t period_id, job_id, requested, requested_by;
	int64_t computation;                 /* the period's computations it read */
	int64_t done;                        /* 0 while it runs */
	int64_t unstable;
	struct eval_robust_opts opts;
};
/* Records the run job_id will make for period p, replacing the last one;
 * ERR_CONFLICT with why until the period has been computed. */
int eval_robust_request(struct db_conn *c, const struct eval_period *p,
    const struct eval_robust_opts *o, int64_t job_id, int64_t by, struct why *why);
int eval_robust_run_get(struct db_conn *c, int64_t period_id, struct eval_robust_run *r);
/* The run's parameters and state; stale when the period was computed again
 * after the run read its scores. */
void eval_robust_run_json(struct jw *w, const struct eval_robust_run *r,
    const struct eval_period *p);
struct eval_robust_row {
	struct eval_robust_unit u;
	int64_t pos;
	char org_name[100 * 4 + 1];
};
/* The run's units in [lo, hi) (class 0: any; verdict NULL: any) in the
 * scores' order, a page of limit + 1 after the position `after`. */
int eval_robust_page(struct db_conn *c, int64_t period_id, int64_t class_id, const char *lo,
    const char *hi, const char *verdict, int64_t after, int64_t limit,
    int (*fn)(void *ctx, const struct eval_robust_row *row), void *ctx, int64_t *total);
void eval_robust_row_json(struct jw *w, const struct eval_robust_row *row);
/* The job "eval_robust" (compute.c): the period's run, from its scores as
 * computed and the index's tree and classes. */
int eval_robust_job(struct db *db, const struct pii_key *k, int64_t job_id);

/* ---- 典型式引领: candidates, proposals, named units (naming.c) ---- */

#define EVAL_HONOUR_MAX 40
#define EVAL_REASON_MAX 500
#define EVAL_PICKS_MAX 5000

/* Who is a candidate: the top N of each class (ties at the edge in), or
 * every unit whose total is at least min; never a vetoed unit. */
struct eval_rule {
	int top;                             /* 0: by min */
	double min;
};
struct eval_candidate {
	int64_t org_id, class_id, pos;
	double total;
	int rank;                            /* among the class's units not vetoed */
	int candidate;                       /* within the rule */
	int robust;                          /* the latest robustness run has it */
	int verdict;
	double top_share;
	char org_name[100 * 4 + 1];
	char org_path[ORG_PATH_MAX];
};
/* Each unit of the period that is not vetoed, by class and rank; stops
 * when fn returns non-zero and returns that. */
int eval_candidates_each(struct db_conn *c, int64_t period_id, const struct eval_rule *rule,
    int (*fn)(void *ctx, const struct eval_candidate *k), void *ctx);

struct eval_proposal {
	int64_t id, period_id, proposed_by, proposed, reviewed_by, reviewed, notice_id, named;
	int year;
	int64_t listed;                      /* units listed now */
	struct eval_rule rule;
	char honour[EVAL_HONOUR_MAX * 4 + 1];
	char state[12];                      /* submitted returned approved noticed named */
	char proposed_name[64 * 4 + 1], reviewed_name[64 * 4 + 1];
	char review_reason[EVAL_REASON_MAX * 4 + 1];
};
/* A unit the proposal lists, or a candidate it leaves out with a reason. */
struct eval_pick {
	int64_t org_id;
	const char *reason;                  /* "" for a unit listed without one */
	int listed;
};
/* Proposes (p->id 0) or, for a returned proposal, proposes again: the
 * period must be sealed; every listed unit a candidate by p->rule; every
 * candidate not listed needs a reason. ERR_INVALID / ERR_CONFLICT with why
 * (row: the pick's place in picks). */
int eval_proposal_write(struct db_conn *c, const struct eval_period *per,
    struct eval_proposal *p, const struct eval_pick *picks, size_t npicks, struct why *why);
int eval_proposal_get(struct db_conn *c, int64_t id, struct eval_proposal *p);
int eval_proposal_each(struct db_conn *c, int64_t period_id,
    int (*fn)(void *ctx, const struct eval_proposal *p), void *ctx);
void eval_proposal_json(struct jw *w, const struct eval_proposal *p);
struct eval_proposal_unit {
	int64_t org_id, class_id;
	int place;
	double total;
	char state[12];                      /* listed left_out withdrawn */
	char reason[EVAL_REASON_MAX * 4 + 1];
	char org_name[100 * 4 + 1];
};
int eval_proposal_units_each(struct db_conn *c, int64_t proposal_id,
    int (*fn)(void *ctx, const struct eval_proposal_unit *u), void *ctx);
void eval_proposal_unit_json(struct jw *w, const struct eval_proposal_unit *u);
/* A second owner's decision on a submitted proposal: "approve", or
 * "return" with a reason. The proposer never reviews their own list. */
int eval_proposal_review(struct db_conn *c, struct eval_proposal *p, const char *decision,
    const char *reason, int64_t by, const char *by_name, struct why *why);
/* Puts an approved proposal's listed units to a 公示 notice of the kind
 * "demonstration", issued by the index's org and opened today. */
int eval_proposal_notice(struct db_conn *c, const struct eval_index *x,
    const struct eval_period *per, struct eval_proposal *p, const char *contact,
    const char *body, int days, int64_t by, struct why *why);
/* The notice kind's hook: the notice has closed; the units still listed
 * are named (a subject withdrawn on an objection is not). */
int eval_notice_closed(struct db_conn *c, const struct notice *n);

struct eval_named_unit {
	int64_t org_id, proposal_id, named;
	int year;
	char honour[EVAL_HONOUR_MAX * 4 + 1];
	char org_name[100 * 4 + 1];
};
/* Named units in [lo, hi), year 0: any; newest year first; at most limit. */
int eval_named_each(struct db_conn *c, const char *lo, const char *hi, int year, int64_t limit,
    int (*fn)(void *ctx, const struct eval_named_unit *u), void *ctx);

/* ---- the tree as .xlsx (tree_xlsx.c) ---- */

struct xlsx_sheet;
#define EVAL_IMPORT_ERRORS_MAX 50
struct eval_import_error {
	long row;                            /* as the sheet numbers it; 0: the file */
	const char *column;                  /* the column's Chinese name, "" for none */
	const char *en, *zh;
};
struct eval_import_errors {
	struct eval_import_error e[EVAL_IMPORT_ERRORS_MAX];
	size_t n;
};
/* A row of the sheet as a node: its parent by the row above that holds
 * the parent's code (-1: at the top). */
struct eval_tree_row {
	struct eval_node n;
	long parent;                         /* index into the rows */
	long row;                            /* as the sheet numbers it */
};
/* The sheet's rows as nodes, parents above their children, every cell
 * checked that needs no store: 0 and *rows (n of them, the caller's to
 * free), or ERR_INVALID with e filled. */
int eval_tree_rows_parse(const struct xlsx_sheet *s, struct eval_tree_row **rows, size_t *n,
    struct eval_import_errors *e);
/* Writes the tree, a row per node in tree order, to a new .xlsx at path. */
int eval_tree_xlsx_write(const struct eval_tree *t, const char *path);
/* Adds the sheet's rows as the nodes of an empty index, parents above
 * their children: every row or, with ERR_INVALID and e filled, none (the
 * caller rolls back). ERR_CONFLICT when the index has nodes already. */
int eval_tree_import(struct db_conn *c, int64_t index_id, const struct xlsx_sheet *s,
    size_t *added, struct eval_import_errors *e);

/* ---- access (access.c) ---- */

#define EVAL_OWNERS (ROLE_ADMIN | ROLE_OPERATOR)
#define EVAL_READERS (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER)
/* What a caller may do with an index, least to most: nothing (it is not
 * shown: 404), see the units of its own subtree and report their values
 * (a grant below the index's org), see every unit (a reader over the org),
 * or own it (define, review, compute, seal). */
enum eval_see { EVAL_SEE_NONE, EVAL_SEE_UNIT, EVAL_SEE_ALL, EVAL_SEE_OWNER };
/* The caller's access to x; lo and hi (ORG_PATH_MAX bytes each) receive
 * the subtree it sees: the grant's for a unit, else the index's. */
enum eval_see eval_access(const struct principal *p, const struct eval_index *x,
    char *lo, char *hi);
const char *eval_see_name(enum eval_see see);   /* "none", "unit", "all", "owner" */
/* The state a value the caller enters for the unit at unit_path starts
 * in: an owner's counts at once ("accepted"); a unit operator's waits for
 * an owner ("submitted"). ERR_PERM for a reader of the unit, ERR_NOTFOUND
 * for a caller who does not see it. *state is static. */
int eval_entry_state(const struct principal *p, enum eval_see see, const char *unit_path,
    const char **state);

/* ---- the collection template (values_xlsx.c) ---- */

/* Writes a row per unit of the index in [lo, hi) and node it reports,
 * with the value entered so far, to a new .xlsx at path. */
int eval_collection_write(struct db_conn *c, const struct eval_index *x,
    const struct eval_period *p, const char *lo, const char *hi, const char *path);
/* Enters every row of a filled template that has a value, as the caller
 * (who, with see over the index) enters values: all of them, or with
 * ERR_INVALID and e filled none (the caller rolls back). */
int eval_collection_import(struct db_conn *c, const struct principal *who, enum eval_see see,
    const struct eval_index *x, const struct eval_period *p, const struct xlsx_sheet *s,
    size_t *put, struct eval_import_errors *e);

#endif
