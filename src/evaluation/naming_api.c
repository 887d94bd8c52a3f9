/* HTTP handlers of 典型式引领: a period's candidates, proposals of
 * demonstration units with their review and 公示, and the units named.
 * Candidates and proposals are for the index's owners and its readers
 * over the index's org; named units are public record for anyone who
 * reads the org. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "db/db.h"
#include "evaluation/api.h"
#include "evaluation/evaluation.h"
#include "http/http.h"
#include "orgs/orgs.h"

/* top or min from the query (top 10 when neither) or from the body (top
 * -1 when both or neither are given, which the module refuses). */
static void
rule_from(struct req *r, json_t *b, struct eval_rule *rule)
{
	json_t *top = b ? json_object_get(b, "top") : NULL, *min = b ? json_object_get(b, "min") : NULL;

	memset(rule, 0, sizeof(*rule));
	if (!b) {
		const char *m = req_query(r, "min");
		char *end = NULL;

		if (m) {
			rule->min = strtod(m, &end);
			/* a line that is no total from 0 to 200: refused, never 0 */
			if (!*m || *end || !(rule->min >= 0 && rule->min <= 200))
				rule->top = -1;
		} else
			rule->top = (int)req_query_int(r, "top", 10);
	} else if (!top == !min) {
		rule->top = -1;
	} else if (top) {
		rule->top = (int)json_integer_value(top);
	} else {
		rule->min = json_number_value(min);
	}
}

struct candidate_list {
	struct jw *w;
	const struct eval_robust_run *run;   /* NULL: none */
};

static int
candidate_item(void *ctx, const struct eval_candidate *k)
{
	struct candidate_list *l = ctx;
	struct jw *w = l->w;

	if (!k->candidate)
		return 0;
	jw_obj_open(w);
	jw_kint(w, "org_id", k->org_id);
	jw_kstr(w, "org_name", k->org_name);
	jw_key(w, "class_id");
	if (k->class_id)
		jw_int(w, k->class_id);
	else
		jw_null(w);
	jw_key(w, "total");
	jw_double(w, k->total, 2);
	jw_kint(w, "rank", k->rank);
	jw_key(w, "robustness");
	if (k->robust) {
		jw_obj_open(w);
		jw_kstr(w, "verdict", eval_robust_verdict_name(k->verdict));
		jw_key(w, "top_share");
		jw_double(w, k->top_share, 4);
		jw_obj_close(w);
	} else {
		jw_null(w);
	}
	jw_obj_close(w);
	return 0;
}

static int
h_candidates(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_robust_run run;
	struct eval_period p;
	struct eval_index x;
	struct eval_rule rule;
	struct db_conn *c;
	struct candidate_list l;
	enum eval_see see;
	struct jw *w;
	int rc, have;

	rule_from(r, NULL, &rule);
	if (rule.top < 0)
		return req_error(r, 400, "bad_request", "min", "a total from 0 to 200",
		    "须为 0 至 200 的得分");
	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_period(r, c, req_param_id(r, 0), EVAL_SEE_ALL, &p, &x, &see, lo, hi)))
		return rc;
	rc = eval_robust_run_get(c, p.id, &run);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	have = !rc && run.done;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "rule");
	jw_obj_open(w);
	if (rule.top) {
		jw_kint(w, "top", rule.top);
	} else {
		jw_key(w, "min");
		jw_double(w, rule.min, 2);
	}
	jw_obj_close(w);
	/* the verdicts answer for the run's N: say which, and whether it is stale */
	jw_key(w, "robustness");
	if (have) {
		jw_obj_open(w);
		eval_robust_run_json(w, &run, &p);
		jw_obj_close(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "items");
	jw_arr_open(w);
	l.w = w;
	l.run = have ? &run : NULL;
	rc = eval_candidates_each(c, p.id, &rule, candidate_item, &l);
	jw_arr_close(w);
	jw_obj_close(w);
	return rc;
}

/* ---- proposals ---- */

/* The proposal of the route's id, its period and index, as the caller may
 * see at least `need` of them. */
static int
load_proposal(struct req *r, struct db_conn *c, enum eval_see need, struct eval_proposal *pr,
    struct eval_period *p, struct eval_index *x)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	enum eval_see see;
	int rc;

	if ((rc = eval_proposal_get(c, req_param_id(r, 0), pr)))
		return rc;
	return eval_load_period(r, c, pr->period_id, need, p, x, &see, lo, hi);
}

static int
unit_item(void *ctx, const struct eval_proposal_unit *u)
{
	struct jw *w = ctx;

	jw_obj_open(w);
	eval_proposal_unit_json(w, u);
	jw_obj_close(w);
	return 0;
}

static int
proposal_answer(struct req *r, struct db_conn *c, int status, const struct eval_proposal *pr)
{
	struct jw *w = req_json(r, status);
	int rc;

	jw_obj_open(w);
	eval_proposal_json(w, pr);
	jw_key(w, "units");
	jw_arr_open(w);
	rc = eval_proposal_units_each(c, pr->id, unit_item, w);
	jw_arr_close(w);
	jw_obj_close(w);
	return rc;
}

/* The body's org_ids (listed) and left_out [{org_id, reason}] as picks;
 * *out is the caller's to free. */
static int
picks_from(json_t *b, struct eval_pick **out, size_t *n)
{
	json_t *listed = json_object_get(b, "org_ids"), *left = json_object_get(b, "left_out"), *v;
	size_t nl = json_array_size(listed), nr = json_array_size(left), i;
	struct eval_pick *p = calloc(nl + nr ? nl + nr : 1, sizeof(*p));

	if (!p)
		return ERR_NOMEM;
	json_array_foreach(listed, i, v) {
		p[i].org_id = json_integer_value(v);
		p[i].reason = "";
		p[i].listed = 1;
	}
	json_array_foreach(left, i, v) {
		p[nl + i].org_id = json_integer_value(json_object_get(v, "org_id"));
		p[nl + i].reason = json_string_value(json_object_get(v, "reason"));
	}
	*out = p;
	*n = nl + nr;
	return 0;
}

static void
proposal_summary(struct tx *t, const struct eval_index *x, const struct eval_proposal *pr)
{
	tx_about(t, "eval_proposal", pr->id, x->org_id, x->org_path);
	jw_kint(tx_summary(t), "period", pr->period_id);
	jw_kstr(tx_summary(t), "honour", pr->honour);
	jw_kstr(tx_summary(t), "state", pr->state);
	jw_kint(tx_summary(t), "listed", pr->listed);
}

/* Proposes (POST /periods/{id}/proposals) or, again, proposes a returned
 * list (PUT /proposals/{id}). */
static int
proposal_write(struct req *r, int again)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	const struct principal *who = req_who(r);
	json_t *b = req_body(r);
	struct eval_proposal *pr = calloc(1, sizeof(*pr));
	struct eval_pick *picks = NULL;
	struct eval_period p;
	struct eval_index x;
	struct why why = {0};
	struct tx t;
	enum eval_see see;
	size_t n = 0;
	int rc;

	if (!pr)
		return ERR_NOMEM;
	if ((rc = picks_from(b, &picks, &n)) ||
	    (rc = tx_begin(&t, r, again ? "eval.propose_again" : "eval.propose")))
		goto out;
	rc = again ? load_proposal(r, t.c, EVAL_SEE_OWNER, pr, &p, &x) :
	    eval_load_period(r, t.c, req_param_id(r, 0), EVAL_SEE_OWNER, &p, &x, &see, lo, hi);
	if (!rc) {
		if (!again)
			str_copy(pr->honour, sizeof(pr->honour),
			    json_string_value(json_object_get(b, "honour")));
		rule_from(r, b, &pr->rule);
		pr->proposed_by = who->user_id;
		str_copy(pr->proposed_name, sizeof(pr->proposed_name),
		    who->name[0] ? who->name : who->username);
		if (!(rc = eval_proposal_write(t.c, &p, pr, picks, n, &why))) {
			proposal_summary(&t, &x, pr);
			rc = tx_commit(&t);
		}
	}
	if (!rc)
		rc = proposal_answer(r, t.c, again ? 200 : 201, pr);
	tx_end(&t);
	if (rc)
		rc = req_why(r, rc, &why);
out:
	free(picks);
	free(pr);
	return rc;
}

static int
h_proposal_create(struct req *r)
{
	return proposal_write(r, 0);
}

static int
h_proposal_put(struct req *r)
{
	return proposal_write(r, 1);
}

static int
h_proposal_get(struct req *r)
{
	struct eval_proposal pr;
	struct eval_period p;
	struct eval_index x;
	struct db_conn *c;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) || (rc = load_proposal(r, c, EVAL_SEE_ALL, &pr, &p, &x)))
		return rc;
	return proposal_answer(r, c, 200, &pr);
}

static int
proposal_item(void *ctx, const struct eval_proposal *pr)
{
	struct jw *w = ctx;

	jw_obj_open(w);
	eval_proposal_json(w, pr);
	jw_obj_close(w);
	return 0;
}

static int
h_proposal_list(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct eval_period p;
	struct eval_index x;
	struct db_conn *c;
	enum eval_see see;
	struct jw *w;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = eval_load_period(r, c, req_param_id(r, 0), EVAL_SEE_ALL, &p, &x, &see, lo, hi)))
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	rc = eval_proposal_each(c, p.id, proposal_item, w);
	jw_arr_close(w);
	jw_obj_close(w);
	return rc;
}

static int
h_proposal_review(struct req *r)
{
	const struct principal *who = req_who(r);
	json_t *b = req_body(r);
	struct eval_proposal pr;
	struct eval_period p;
	struct eval_index x;
	struct why why = {0};
	struct tx t;
	int rc;

	if ((rc = tx_begin(&t, r, "eval.review")))
		return rc;
	if (!(rc = load_proposal(r, t.c, EVAL_SEE_OWNER, &pr, &p, &x)) &&
	    !(rc = eval_proposal_review(t.c, &pr, json_string_value(json_object_get(b, "decision")),
	    json_string_value(json_object_get(b, "reason")), who->user_id,
	    who->name[0] ? who->name : who->username, &why))) {
		proposal_summary(&t, &x, &pr);
		jw_kstr(tx_summary(&t), "reason", pr.review_reason);
		rc = tx_commit(&t);
	}
	if (!rc)
		rc = proposal_answer(r, t.c, 200, &pr);
	tx_end(&t);
	return rc ? req_why(r, rc, &why) : 0;
}

static int
h_proposal_notice(struct req *r)
{
	json_t *b = req_body(r);
	struct eval_proposal pr;
	struct eval_period p;
	struct eval_index x;
	struct why why = {0};
	struct tx t;
	int rc;

	if ((rc = tx_begin(&t, r, "eval.notice")))
		return rc;
	if (!(rc = load_proposal(r, t.c, EVAL_SEE_OWNER, &pr, &p, &x)) &&
	    !(rc = eval_proposal_notice(t.c, &x, &p, &pr,
	    json_string_value(json_object_get(b, "contact")),
	    json_string_value(json_object_get(b, "body")),
	    (int)json_integer_value(json_object_get(b, "days")), req_who(r)->user_id, &why))) {
		proposal_summary(&t, &x, &pr);
		jw_kint(tx_summary(&t), "notice", pr.notice_id);
		rc = tx_commit(&t);
	}
	if (!rc)
		rc = proposal_answer(r, t.c, 200, &pr);
	tx_end(&t);
	return rc ? req_why(r, rc, &why) : 0;
}

/* ---- named units ---- */

static int
named_item(void *ctx, const struct eval_named_unit *u)
{
	struct jw *w = ctx;

	jw_obj_open(w);
	jw_kint(w, "org_id", u->org_id);
	jw_kstr(w, "org_name", u->org_name);
	jw_kint(w, "year", u->year);
	jw_kstr(w, "honour", u->honour);
	jw_kint(w, "proposal_id", u->proposal_id);
	jw_key(w, "named");
	jw_time(w, u->named);
	jw_obj_close(w);
	return 0;
}

/* Whether grant i is covered by another of p's grants with one of roles
 * (its subtree is inside theirs; of two equal ones, the first counts). */
static int
grant_covered(const struct principal *p, int i, unsigned roles)
{
	const char *path = p->grants[i].path;

	for (int k = 0; k < p->ngrants; k++) {
		const char *other = p->grants[k].path;
		size_t n = strlen(other);

		if (k == i || !(p->grants[k].role & roles) || strncmp(path, other, n))
			continue;
		if (strlen(path) > n || k < i)
			return 1;
	}
	return 0;
}

/* The demonstration units below ?org=, or below every grant of the caller
 * that reads the index (a user with two streets sees both). */
static int
h_named(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	const struct principal *p = req_who(r);
	int64_t org = req_query_int(r, "org", 0);
	int year = (int)req_query_int(r, "year", 0);
	struct db_conn *c;
	struct org o;
	struct jw *w;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)))
		return rc;
	if (org && (rc = orgs_get_scoped(c, p, EVAL_READERS, org, &o)))
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	if (org) {
		path_range(o.path, lo, hi, sizeof(lo));
		rc = eval_named_each(c, lo, hi, year, 1000, named_item, w);
	}
	for (int i = 0; !org && !rc && i < p->ngrants; i++) {
		if (!(p->grants[i].role & EVAL_READERS) || grant_covered(p, i, EVAL_READERS))
			continue;
		path_range(p->grants[i].path, lo, hi, sizeof(lo));
		rc = eval_named_each(c, lo, hi, year, 1000, named_item, w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	return rc;
}

static const char *const decisions[] = {"approve", "return", NULL};

static const struct field left_out_item[] = {
	{"org_id", FT_ID, F_REQUIRED, 0, 0, NULL, NULL, NULL},
	{"reason", FT_STRING, F_REQUIRED, 1, EVAL_REASON_MAX, NULL, NULL, NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field proposal_body[] = {
	{"honour", FT_STRING, F_REQUIRED, 1, EVAL_HONOUR_MAX, NULL, "示范企业, 领头雁企业, 示范街道 …", NULL},
	{"top", FT_INT, 0, 1, 100000, NULL, "candidates: the top N of each class", NULL},
	{"min", FT_NUMBER, 0, 0, 0, NULL, "candidates: every unit at or above this total", NULL},
	{"org_ids", FT_ID_ARRAY, F_REQUIRED, 0, EVAL_PICKS_MAX, NULL, "the units proposed", NULL},
	{"left_out", FT_ARRAY, 0, 0, EVAL_PICKS_MAX, NULL, "each candidate not proposed, with why",
	    left_out_item},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field proposal_again_body[] = {
	{"top", FT_INT, 0, 1, 100000, NULL, NULL, NULL},
	{"min", FT_NUMBER, 0, 0, 0, NULL, NULL, NULL},
	{"org_ids", FT_ID_ARRAY, F_REQUIRED, 0, EVAL_PICKS_MAX, NULL, NULL, NULL},
	{"left_out", FT_ARRAY, 0, 0, EVAL_PICKS_MAX, NULL, NULL, left_out_item},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field review_body[] = {
	{"decision", FT_ENUM, F_REQUIRED, 0, 0, decisions, NULL, NULL},
	{"reason", FT_STRING, 0, 0, EVAL_REASON_MAX, NULL, "required to return", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field notice_body[] = {
	{"contact", FT_STRING, F_REQUIRED, 1, 100, NULL, "who takes objections", NULL},
	{"body", FT_STRING, 0, 0, 2000, NULL, NULL, NULL},
	{"days", FT_INT, 0, 0, 60, NULL, "working days (default 5)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct qfield candidate_query[] = {
	{"top", QT_INT, 1, 100000, NULL, "the top N of each class (default 10)"},
	{"min", QT_STRING, 0, 16, NULL, "every unit at or above this total"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield named_query[] = {
	{"org", QT_ID, 0, 0, NULL, "units below this org"},
	{"year", QT_INT, 2000, 2100, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route evaluation_naming_routes[] = {
	{HTTP_GET, "/api/v1/periods/{id}/candidates", h_candidates, EVAL_READERS, 0, NULL,
	    candidate_query, "evaluation", "Candidates for demonstration units, per class"},
	{HTTP_GET, "/api/v1/periods/{id}/proposals", h_proposal_list, EVAL_READERS, 0, NULL, NULL,
	    "evaluation", "The period's proposals of demonstration units"},
	{HTTP_POST, "/api/v1/periods/{id}/proposals", h_proposal_create, EVAL_OWNERS, 0,
	    proposal_body, NULL, "evaluation", "Propose demonstration units from a sealed period"},
	{HTTP_GET, "/api/v1/proposals/{id}", h_proposal_get, EVAL_READERS, 0, NULL, NULL,
	    "evaluation", "A proposal with its units and reasons"},
	{HTTP_PUT, "/api/v1/proposals/{id}", h_proposal_put, EVAL_OWNERS, 0, proposal_again_body,
	    NULL, "evaluation", "Propose a returned list again"},
	{HTTP_POST, "/api/v1/proposals/{id}/review", h_proposal_review, EVAL_OWNERS, 0, review_body,
	    NULL, "evaluation", "Approve or return a proposal (not its proposer)"},
	{HTTP_POST, "/api/v1/proposals/{id}/notice", h_proposal_notice, EVAL_OWNERS, 0, notice_body,
	    NULL, "evaluation", "Put an approved list to 公示"},
	{HTTP_GET, "/api/v1/demonstration-units", h_named, EVAL_READERS, 0, NULL, named_query,
	    "evaluation", "Units named demonstration units"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
