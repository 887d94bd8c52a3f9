/* HTTP handlers of the points ledger: sources, rules, awards, the ledger
 * of a holder, reversals, appeals and their review, balances and
 * leaderboards. A holder is an org (read by POINTS_READERS over it) or a
 * worker (read where the roster is read); owners (POINTS_OWNERS) over
 * the holder write its entries, and over a rule's org its entries'
 * corrections. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/fact.h"
#include "base/util.h"
#include "db/db.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "orgs/orgs.h"
#include "points/points.h"
#include "workers/workers.h"

#define BOARD_MAX 200

/* Who or what holds points, as the caller may see it. */
struct holder {
	char kind[8];
	int64_t id, org_id;
	char org_path[ORG_PATH_MAX];
	char name[100 * 4 + 1];
};

/* The holder if the caller reads it: an org through POINTS_READERS over
 * it, a worker where the roster is read (POINTS_WORKER_READERS);
 * ERR_NOTFOUND alike for a holder that is missing and one out of scope. */
static int
holder_read(struct db_conn *c, const struct principal *p, const char *kind, int64_t id,
    struct holder *h)
{
	int rc;

	memset(h, 0, sizeof(*h));
	str_copy(h->kind, sizeof(h->kind), kind);
	h->id = id;
	if (!strcmp(kind, "org")) {
		struct org o;

		if ((rc = orgs_get_scoped(c, p, POINTS_READERS, id, &o)))
			return rc;
		h->org_id = o.id;
		str_copy(h->org_path, sizeof(h->org_path), o.path);
		str_copy(h->name, sizeof(h->name), o.name);
		return 0;
	}
	if (!strcmp(kind, "worker")) {
		struct worker_row *w = malloc(sizeof(*w));

		if (!w)
			return ERR_NOMEM;
		if (!(rc = workers_get_scoped(c, p, POINTS_WORKER_READERS, id, w))) {
			h->org_id = w->org_id;
			str_copy(h->org_path, sizeof(h->org_path), w->org_path);
			str_copy(h->name, sizeof(h->name), w->name);
		}
		free(w);
		return rc;
	}
	return ERR_INVALID;
}


/* The holder a query names (holder_kind and holder are both required):
 * 0 with them set, or 0 with the 400 answered (check req_answered). */
static int
holder_query_args(struct req *r, const char **kind, int64_t *id)
{
	*kind = req_query(r, "holder_kind");
	*id = req_query_int(r, "holder", 0);
	if (!*kind)
		return req_error(r, 400, "bad_request", "holder_kind", "org or worker is required",
		    "须指定 org 或 worker");
	if (*id <= 0 && strcmp(*kind, "org") && strcmp(*kind, "worker"))
		return req_error(r, 400, "bad_request", "holder_kind", "org or worker is required",
		    "须指定 org 或 worker");
	return 0;
}

static int
holder_query_both(struct req *r, const char **kind, int64_t *id)
{
	int rc = holder_query_args(r, kind, id);

	if (rc || req_answered(r))
		return rc;
	if (*id <= 0)
		return req_error(r, 400, "bad_request", "holder", "the holder's id is required",
		    "须指定积分对象编号");
	return 0;
}

/* ---- JSON ---- */

static void
rule_json(struct jw *w, const struct points_rule *r)
{
	jw_kint(w, "id", r->id);
	jw_kint(w, "org_id", r->org_id);
	jw_kstr(w, "org_name", r->org_name);
	jw_kstr(w, "code", r->code);
	jw_kstr(w, "title", r->title);
	jw_kstr(w, "holder_kind", r->holder_kind);
	jw_kstr(w, "source", r->source);
	jw_kint(w, "points", r->points);
	if (r->has_min) {
		jw_key(w, "min_amount");
		jw_double(w, r->min_amount, 6);
	} else {
		jw_knull(w, "min_amount");
	}
#define OPT(key, v) do { if (v) jw_kint(w, key, v); else jw_knull(w, key); } while (0)
	OPT("cap_day", r->cap_day);
	OPT("cap_period", r->cap_period);
	OPT("cap_lifetime", r->cap_lifetime);
	jw_kstr(w, "period", r->period);
	OPT("expiry_days", r->expiry_days);
#undef OPT
	jw_kstr(w, "starts", r->starts);
	if (r->ends[0])
		jw_kstr(w, "ends", r->ends);
	else
		jw_knull(w, "ends");
	jw_kstr(w, "state", r->state);
	jw_ktime(w, "created", r->created);
}

static void
entry_json(struct jw *w, const struct points_entry *e)
{
	jw_kint(w, "id", e->id);
	jw_kstr(w, "holder_kind", e->holder_kind);
	jw_kint(w, "holder", e->holder_id);
	jw_kint(w, "org_id", e->org_id);
	jw_kstr(w, "kind", e->kind);
	jw_kint(w, "points", e->points);
	jw_kint(w, "asked", e->asked);
	jw_kbool(w, "capped", e->points != e->asked);
	/* what still counts of it, corrections and expiry taken off */
	if (!strcmp(e->kind, "rule") || !strcmp(e->kind, "manual"))
		jw_kint(w, "left", e->points + e->corrected);
	else
		jw_knull(w, "left");
	jw_kstr(w, "on_date", e->on_date);
	if (e->expires[0])
		jw_kstr(w, "expires", e->expires);
	else
		jw_knull(w, "expires");
	if (e->refers_to)
		jw_kint(w, "refers_to", e->refers_to);
	else
		jw_knull(w, "refers_to");
	jw_kstr(w, "text", e->text);
	jw_kstr(w, "evidence", e->evidence);
	if (e->rule_id) {
		jw_key(w, "rule");
		jw_obj_open(w);
		jw_kint(w, "id", e->rule_id);
		jw_kstr(w, "code", e->rule_code);
		jw_kstr(w, "title", e->rule_title);
		jw_obj_close(w);
	} else {
		jw_knull(w, "rule");
	}
	jw_kstr(w, "source_key", e->source_key);
	jw_kstr(w, "actor", e->actor_name);
	if (e->appeal_state[0])
		jw_kstr(w, "appeal", e->appeal_state);
	else
		jw_knull(w, "appeal");
	jw_ktime(w, "created", e->created);
}

static void
appeal_json(struct jw *w, const struct points_appeal *a)
{
	jw_kint(w, "id", a->id);
	jw_kint(w, "entry_id", a->entry_id);
	jw_kstr(w, "holder_kind", a->holder_kind);
	jw_kint(w, "holder", a->holder_id);
	jw_kstr(w, "holder_name", a->holder_name);
	jw_kint(w, "org_id", a->org_id);
	jw_kstr(w, "org_name", a->org_name);
	jw_kint(w, "entry_points", a->entry_points);
	jw_kstr(w, "entry_text", a->entry_text);
	jw_kstr(w, "reason", a->reason);
	jw_kstr(w, "state", a->state);
	jw_kstr(w, "by", a->by_name);
	jw_ktime(w, "created", a->created);
	if (a->reviewed) {
		jw_kstr(w, "decision_reason", a->decision_reason);
		jw_kstr(w, "reviewer", a->reviewer);
		jw_ktime(w, "reviewed", a->reviewed);
	} else {
		jw_knull(w, "decision_reason");
		jw_knull(w, "reviewer");
		jw_knull(w, "reviewed");
	}
	if (a->correction_id)
		jw_kint(w, "correction_id", a->correction_id);
	else
		jw_knull(w, "correction_id");
}

/* ---- sources ---- */

static int
h_sources(struct req *r)
{
	struct jw *w = req_json(r, 200);
	const struct fact_source *s;

	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	jw_obj_open(w);
	jw_kstr(w, "name", POINTS_MANUAL);
	jw_knull(w, "holder_kind");
	jw_key(w, "title");
	jw_obj_open(w);
	jw_kstr(w, "zh", "手动加减分（须附依据）");
	jw_kstr(w, "en", "Awards by hand, with evidence");
	jw_obj_close(w);
	jw_knull(w, "amount");
	jw_obj_close(w);
	for (size_t i = 0; (s = fact_source_at(i)); i++) {
		jw_obj_open(w);
		jw_kstr(w, "name", s->name);
		jw_kstr(w, "holder_kind", s->holder_kind);
		jw_key(w, "title");
		jw_obj_open(w);
		jw_kstr(w, "zh", s->title_zh);
		jw_kstr(w, "en", s->title_en);
		jw_obj_close(w);
		jw_key(w, "amount");
		jw_obj_open(w);
		jw_kstr(w, "zh", s->amount_zh);
		jw_kstr(w, "en", s->amount_en);
		jw_obj_close(w);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_kstr(w, "tie_break", POINTS_TIE_BREAK_EN);
	jw_kstr(w, "tie_break_zh", POINTS_TIE_BREAK_ZH);
	jw_obj_close(w);
	return 0;
}

/* ---- rules ---- */

static int64_t
body_int(json_t *b, const char *key)
{
	return json_integer_value(json_object_get(b, key));
}

static const char *
body_str(json_t *b, const char *key)
{
	const char *s = json_string_value(json_object_get(b, key));

	return s ? s : "";
}

static void
rule_from_body(json_t *b, int64_t by, struct points_rule *rule)
{
	json_t *min = json_object_get(b, "min_amount");

	memset(rule, 0, sizeof(*rule));
	rule->org_id = body_int(b, "org_id");
	str_copy(rule->code, sizeof(rule->code), body_str(b, "code"));
	str_copy(rule->title, sizeof(rule->title), body_str(b, "title"));
	str_copy(rule->holder_kind, sizeof(rule->holder_kind), body_str(b, "holder_kind"));
	str_copy(rule->source, sizeof(rule->source), body_str(b, "source"));
	rule->points = body_int(b, "points");
	if ((rule->has_min = json_is_number(min)))
		rule->min_amount = json_number_value(min);
	rule->cap_day = body_int(b, "cap_day");
	rule->cap_period = body_int(b, "cap_period");
	rule->cap_lifetime = body_int(b, "cap_lifetime");
	str_copy(rule->period, sizeof(rule->period),
	    json_object_get(b, "period") ? body_str(b, "period") : "year");
	rule->expiry_days = body_int(b, "expiry_days");
	str_copy(rule->starts, sizeof(rule->starts), body_str(b, "starts"));
	str_copy(rule->ends, sizeof(rule->ends), body_str(b, "ends"));
	rule->created_by = by;
}

static int
h_rule_create(struct req *r)
{
	const struct principal *p = req_who(r);
	struct points_rule rule;
	struct why why = {0};
	struct org o;
	struct tx t;
	int64_t job = 0;
	char params[64];
	int rc;

	rule_from_body(req_body(r), p->user_id, &rule);
	if ((rc = tx_begin(&t, r, "points.rule_create")))
		return rc;
	if ((rc = orgs_get_scoped(t.c, p, POINTS_OWNERS, rule.org_id, &o)))
		goto out;
	str_copy(rule.org_name, sizeof(rule.org_name), o.name);
	str_copy(rule.org_path, sizeof(rule.org_path), o.path);
	if ((rc = points_rule_insert(t.c, &rule, &why)))
		goto out;
	/* a rule over facts takes those already recorded in its window too */
	if (strcmp(rule.source, POINTS_MANUAL)) {
		snprintf(params, sizeof(params), "{\"rule_id\":%lld}", (long long)rule.id);
		if ((rc = jobs_create(t.c, "points_apply", o.id, o.path, p->user_id, p->username,
		    params, 0, &job)))
			goto out;
	}
	tx_about(&t, "points_rule", rule.id, o.id, o.path);
	jw_kstr(tx_summary(&t), "code", rule.code);
	jw_kstr(tx_summary(&t), "source", rule.source);
	jw_kint(tx_summary(&t), "points", rule.points);
	rc = tx_commit(&t);
out:
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	req_db_release(r);
	if (job)
		req_jobs_kick(r);
	{
		struct jw *w = req_json(r, 201);

		jw_obj_open(w);
		rule_json(w, &rule);
		if (job)
			jw_kint(w, "job_id", job);
		else
			jw_knull(w, "job_id");
		jw_obj_close(w);
	}
	return 0;
}

/* The rule if the caller reads its org, or is below it (the rules of the
 * district reach a street's enterprises). */
static int
rule_load(struct req *r, struct db_conn *c, int64_t id, struct points_rule *rule)
{
	const struct principal *p = req_who(r);
	int rc;

	if ((rc = points_rule_get(c, id, rule)))
		return rc;
	if (!scope_allows(p, POINTS_READERS, rule->org_path) &&
	    !scope_below(p, POINTS_READERS, rule->org_path))
		return ERR_NOTFOUND;
	return 0;
}

static int
h_rule_get(struct req *r)
{
	struct points_rule rule;
	struct db_conn *c;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) || (rc = rule_load(r, c, req_param_id(r, 0), &rule)))
		return rc;
	{
		struct jw *w = req_json(r, 200);

		jw_obj_open(w);
		rule_json(w, &rule);
		jw_obj_close(w);
	}
	return 0;
}

struct rule_list {
	struct jw *w;
	int64_t n;
};

static int
rule_item(void *ctx, const struct points_rule *rule)
{
	struct rule_list *l = ctx;

	jw_obj_open(l->w);
	rule_json(l->w, rule);
	jw_obj_close(l->w);
	l->n++;
	return 0;
}

/* The org asked for (?org=) or the caller's first grant's: where a list
 * reads from. */
static int
list_org(struct req *r, struct db_conn *c, unsigned roles, struct org *o)
{
	const struct principal *p = req_who(r);
	const struct grant *g;
	int64_t id = req_query_int(r, "org", 0);

	if (!id) {
		if (!(g = scope_default(p, roles)))
			return ERR_NOTFOUND;
		id = g->org_id;
	}
	return orgs_get_scoped(c, p, roles, id, o);
}

static int
h_rule_list(struct req *r)
{
	struct rule_list l = {0};
	struct db_conn *c;
	struct org o;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) || (rc = list_org(r, c, POINTS_READERS, &o)))
		return rc;
	l.w = req_json(r, 200);
	jw_obj_open(l.w);
	jw_key(l.w, "items");
	jw_arr_open(l.w);
	rc = points_rules_each(c, o.path, rule_item, &l);
	jw_arr_close(l.w);
	jw_kint(l.w, "total", l.n);
	jw_obj_close(l.w);
	return rc;
}

static int
h_rule_retire(struct req *r)
{
	json_t *b = req_body(r);
	struct points_rule rule;
	struct why why = {0};
	struct tx t;
	char today[11];
	const char *ends = json_object_get(b, "ends") ? body_str(b, "ends") : NULL;
	int rc;

	clock_today(today);
	if ((rc = tx_begin(&t, r, "points.rule_retire")))
		return rc;
	if ((rc = points_rule_get(t.c, req_param_id(r, 0), &rule)))
		goto out;
	if (!scope_allows(req_who(r), POINTS_OWNERS, rule.org_path)) {
		rc = scope_allows(req_who(r), POINTS_READERS, rule.org_path) ||
		    scope_below(req_who(r), POINTS_READERS, rule.org_path) ? ERR_PERM : ERR_NOTFOUND;
		goto out;
	}
	if ((rc = points_rule_retire(t.c, &rule, ends ? ends : today, &why)))
		goto out;
	tx_about(&t, "points_rule", rule.id, rule.org_id, rule.org_path);
	jw_kstr(tx_summary(&t), "ends", rule.ends);
	rc = tx_commit(&t);
out:
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	{
		struct jw *w = req_json(r, 200);

		jw_obj_open(w);
		rule_json(w, &rule);
		jw_obj_close(w);
	}
	return 0;
}

/* ---- entries ---- */

static void
award_from_body(json_t *b, const struct principal *p, struct points_entry *e)
{
	memset(e, 0, sizeof(*e));
	str_copy(e->holder_kind, sizeof(e->holder_kind), body_str(b, "holder_kind"));
	e->holder_id = body_int(b, "holder");
	e->asked = body_int(b, "points");
	if (json_object_get(b, "on_date"))
		str_copy(e->on_date, sizeof(e->on_date), body_str(b, "on_date"));
	else
		clock_today(e->on_date);
	utf8_cut(e->text, sizeof(e->text), body_str(b, "text"), 500);
	utf8_cut(e->evidence, sizeof(e->evidence), body_str(b, "evidence"), 500);
	/* the client's key is its own: two users' keys never meet */
	if (json_object_get(b, "key"))
		snprintf(e->source_key, sizeof(e->source_key), "manual:%lld:%s",
		    (long long)p->user_id, body_str(b, "key"));
	e->actor_id = p->user_id;
	str_copy(e->actor_name, sizeof(e->actor_name), p->name[0] ? p->name : p->username);
}

static int
h_award(struct req *r)
{
	const struct principal *p = req_who(r);
	struct points_entry e;
	struct holder h;
	struct why why = {0};
	struct tx t;
	int fresh = 0, rc;

	award_from_body(req_body(r), p, &e);
	if ((rc = tx_begin(&t, r, "points.award")))
		return rc;
	if ((rc = holder_read(t.c, p, e.holder_kind, e.holder_id, &h))) {
		if (rc == ERR_NOTFOUND)
			why_refuse(&why, rc, "holder", "no such holder in your scope",
			    "您的范围内没有该积分对象");
		goto out;
	}
	e.org_id = h.org_id;
	if ((rc = points_award_as(t.c, p, body_int(req_body(r), "rule_id"), h.org_path, &e,
	    &fresh, &why)))
		goto out;
	if (!fresh) {           /* the same key again: the entry it made answers */
		tx_end(&t);
		goto answer;
	}
	tx_about(&t, "points_entry", e.id, h.org_id, h.org_path);
	jw_kstr(tx_summary(&t), "holder_kind", e.holder_kind);
	jw_kint(tx_summary(&t), "holder", e.holder_id);
	jw_kint(tx_summary(&t), "points", e.points);
	jw_kstr(tx_summary(&t), "evidence", e.evidence);
	rc = tx_commit(&t);
out:
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
answer:
	{
		struct jw *w = req_json(r, fresh ? 201 : 200);

		jw_obj_open(w);
		entry_json(w, &e);
		jw_kbool(w, "replayed", !fresh);
		jw_obj_close(w);
	}
	return 0;
}

/* The entry if its holder is in the caller's reading scope. */
static int
entry_load(struct req *r, struct db_conn *c, int64_t id, struct points_entry *e,
    struct holder *h)
{
	int rc;

	if ((rc = points_entry_get(c, id, e)))
		return rc;
	return holder_read(c, req_who(r), e->holder_kind, e->holder_id, h);
}

static int
h_entry_get(struct req *r)
{
	struct points_entry e;
	struct holder h;
	struct db_conn *c;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) || (rc = entry_load(r, c, req_param_id(r, 0), &e, &h)))
		return rc;
	{
		struct jw *w = req_json(r, 200);

		jw_obj_open(w);
		entry_json(w, &e);
		jw_kstr(w, "holder_name", h.name);
		jw_obj_close(w);
	}
	return 0;
}

static int
h_reverse(struct req *r)
{
	json_t *b = req_body(r);
	const struct principal *p = req_who(r);
	struct points_entry e, out;
	struct holder h;
	struct why why = {0};
	struct tx t;
	int rc;

	if ((rc = tx_begin(&t, r, "points.reverse")))
		return rc;
	if ((rc = entry_load(r, t.c, req_param_id(r, 0), &e, &h)) ||
	    (rc = points_may_correct(t.c, p, &e, h.org_path)))
		goto out;
	if ((rc = points_reverse(t.c, e.id, body_str(b, "reason"), p->user_id,
	    p->name[0] ? p->name : p->username, &out, &why)))
		goto out;
	tx_about(&t, "points_entry", out.id, h.org_id, h.org_path);
	jw_kint(tx_summary(&t), "reverses", e.id);
	jw_kint(tx_summary(&t), "points", out.points);
	rc = tx_commit(&t);
out:
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	{
		struct jw *w = req_json(r, 201);

		jw_obj_open(w);
		entry_json(w, &out);
		jw_obj_close(w);
	}
	return 0;
}

struct entry_list {
	struct page pg;
	struct jw *w;
};

static int
entry_item(void *ctx, const struct points_entry *e)
{
	struct entry_list *l = ctx;

	if (!page_row(&l->pg, e->id))
		return 0;
	jw_obj_open(l->w);
	entry_json(l->w, e);
	jw_obj_close(l->w);
	return 0;
}

static int
h_ledger(struct req *r)
{
	const char *kind, *after = req_query(r, "after");
	int64_t limit = req_query_int(r, "limit", 50), before = 0, id;
	struct entry_list l;
	struct holder h;
	struct db_conn *c;
	int rc;

	if (after && cursor_decode(after, &before))
		return ERR_BADREQ;
	if ((rc = holder_query_both(r, &kind, &id)) || req_answered(r))
		return rc;
	if ((rc = req_db(r, DB_READ, &c)) || (rc = holder_read(c, req_who(r), kind, id, &h)))
		return rc;
	l.w = page_open(&l.pg, r, limit);
	rc = points_entries_each(c, h.kind, h.id, before, limit, entry_item, &l);
	if (rc)
		return rc;
	l.w = page_close_more(&l.pg, -1);
	jw_kstr(l.w, "holder_kind", h.kind);
	jw_kint(l.w, "holder", h.id);
	jw_kstr(l.w, "holder_name", h.name);
	jw_obj_close(l.w);
	return 0;
}

#define TOTALS_MAX 64

static int
h_balance(struct req *r)
{
	struct points_total totals[TOTALS_MAX];
	const char *kind;
	struct holder h;
	struct db_conn *c;
	int64_t id;
	int n = 0, rc;

	if ((rc = holder_query_both(r, &kind, &id)) || req_answered(r))
		return rc;
	if ((rc = req_db(r, DB_READ, &c)) || (rc = holder_read(c, req_who(r), kind, id, &h)) ||
	    (rc = points_totals_of(c, h.kind, h.id, totals, TOTALS_MAX, &n)))
		return rc;
	{
		struct jw *w = req_json(r, 200);
		int all = n > 0 && !strcmp(totals[0].period, "all");

		jw_obj_open(w);
		jw_kstr(w, "holder_kind", h.kind);
		jw_kint(w, "holder", h.id);
		jw_kstr(w, "holder_name", h.name);
		jw_kint(w, "org_id", h.org_id);
		jw_kint(w, "balance", all ? totals[0].points : 0);
		jw_kint(w, "expired", all ? totals[0].expired : 0);
		jw_kint(w, "earned", all ? totals[0].points - totals[0].expired : 0);
		jw_kint(w, "entries", all ? totals[0].entries : 0);
		jw_key(w, "periods");
		jw_arr_open(w);
		for (int i = all; i < n; i++) {
			jw_obj_open(w);
			jw_kstr(w, "period", totals[i].period);
			jw_kint(w, "points", totals[i].points);
			jw_kint(w, "entries", totals[i].entries);
			jw_kstr(w, "reached", totals[i].reached);
			jw_obj_close(w);
		}
		jw_arr_close(w);
		jw_obj_close(w);
	}
	return 0;
}

static void
places_json(struct jw *w, const struct points_place *places, int n)
{
	jw_key(w, "items");
	jw_arr_open(w);
	for (int i = 0; i < n; i++) {
		jw_obj_open(w);
		jw_kint(w, "place", places[i].place);
		jw_kint(w, "holder", places[i].holder_id);
		jw_kstr(w, "name", places[i].name);
		jw_kint(w, "org_id", places[i].org_id);
		jw_kstr(w, "org_name", places[i].org_name);
		jw_kstr(w, "parent_name", places[i].parent_name);
		jw_kint(w, "points", places[i].points);
		jw_kstr(w, "reached", places[i].reached);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

static int
h_board(struct req *r)
{
	struct why why = {0};
	const char *kind, *after = req_query(r, "after");
	const char *period = req_query(r, "period");
	int64_t limit = req_query_int(r, "limit", 50), unused;
	struct points_board_at at;
	unsigned roles;
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], year[9];
	struct points_place *places = NULL;
	struct db_conn *c;
	struct org o;
	int n = 0, more = 0, rc;

	points_board_first(&at);
	if (after && points_board_cursor_parse(after, &at))
		return req_error(r, 400, "bad_request", "after", "is not a valid cursor",
		    "分页游标无效");
	if ((rc = holder_query_args(r, &kind, &unused)) || req_answered(r))
		return rc;
	roles = !strcmp(kind, "worker") ? POINTS_WORKER_READERS : POINTS_READERS;
	if ((rc = points_period_pick(period, year, &why)))
		return req_why(r, rc, &why);
	period = year;
	if ((rc = req_db(r, DB_READ, &c)) || (rc = list_org(r, c, roles, &o)))
		return rc;
	if (!(places = calloc((size_t)limit, sizeof(*places))))
		return ERR_NOMEM;
	path_range(o.path, lo, hi, sizeof(lo));
	if ((rc = points_board(c, kind, period, lo, hi, &at, (int)limit, places, &n, &more)))
		goto out;
	{
		struct jw *w = req_json(r, 200);
		char next[POINTS_CURSOR_MAX];

		jw_obj_open(w);
		jw_kstr(w, "holder_kind", kind);
		jw_kstr(w, "period", period);
		jw_kint(w, "org_id", o.id);
		jw_kstr(w, "org_name", o.name);
		jw_kstr(w, "tie_break", POINTS_TIE_BREAK_EN);
		jw_kstr(w, "tie_break_zh", POINTS_TIE_BREAK_ZH);
		places_json(w, places, n);
		if (more) {
			points_board_cursor(&places[n - 1], next);
			jw_kstr(w, "next", next);
		} else {
			jw_knull(w, "next");
		}
		jw_obj_close(w);
	}
out:
	free(places);
	return rc;
}

/* ---- appeals ---- */

static int
h_appeal_open(struct req *r)
{
	json_t *b = req_body(r);
	const struct principal *p = req_who(r);
	struct points_entry e;
	struct points_appeal a;
	struct holder h;
	struct why why = {0};
	struct tx t;
	int rc;

	if ((rc = tx_begin(&t, r, "points.appeal")))
		return rc;
	if ((rc = entry_load(r, t.c, req_param_id(r, 0), &e, &h)) ||
	    (rc = points_appeal_open(t.c, &e, body_str(b, "reason"), p->user_id,
	    p->name[0] ? p->name : p->username, &a, &why)))
		goto out;
	tx_about(&t, "points_appeal", a.id, h.org_id, h.org_path);
	jw_kint(tx_summary(&t), "entry", e.id);
	rc = tx_commit(&t);
out:
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	{
		struct jw *w = req_json(r, 201);

		jw_obj_open(w);
		appeal_json(w, &a);
		jw_obj_close(w);
	}
	return 0;
}

static int
h_appeal_get(struct req *r)
{
	struct points_appeal a;
	struct db_conn *c;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) || (rc = points_appeal_get(c, req_param_id(r, 0), &a)))
		return rc;
	if (!scope_allows(req_who(r), POINTS_READERS, a.org_path))
		return ERR_NOTFOUND;
	{
		struct jw *w = req_json(r, 200);

		jw_obj_open(w);
		appeal_json(w, &a);
		jw_obj_close(w);
	}
	return 0;
}

static int
h_appeal_review(struct req *r)
{
	json_t *b = req_body(r);
	const struct principal *p = req_who(r);
	struct points_appeal a;
	struct points_entry e;
	struct holder h;
	struct why why = {0};
	struct tx t;
	int rc;

	if ((rc = tx_begin(&t, r, "points.appeal_review")))
		return rc;
	if ((rc = points_appeal_get(t.c, req_param_id(r, 0), &a)) ||
	    (rc = entry_load(r, t.c, a.entry_id, &e, &h)) || (rc = points_may_correct(t.c, p, &e, h.org_path)))
		goto out;
	if ((rc = points_appeal_decide(t.c, &a, body_str(b, "decision"), body_str(b, "reason"),
	    body_int(b, "correction"), p->user_id, p->name[0] ? p->name : p->username, &why)))
		goto out;
	tx_about(&t, "points_appeal", a.id, h.org_id, h.org_path);
	jw_kstr(tx_summary(&t), "decision", a.state);
	if (a.correction_id)
		jw_kint(tx_summary(&t), "correction", a.correction_id);
	rc = tx_commit(&t);
out:
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	{
		struct jw *w = req_json(r, 200);

		jw_obj_open(w);
		appeal_json(w, &a);
		jw_obj_close(w);
	}
	return 0;
}

struct appeal_list {
	struct page pg;
	struct jw *w;
};

static int
appeal_item(void *ctx, const struct points_appeal *a)
{
	struct appeal_list *l = ctx;

	if (!page_row(&l->pg, a->id))
		return 0;
	jw_obj_open(l->w);
	appeal_json(l->w, a);
	jw_obj_close(l->w);
	return 0;
}

static int
h_appeal_list(struct req *r)
{
	const char *after = req_query(r, "after");
	int64_t limit = req_query_int(r, "limit", 50), before = 0;
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct appeal_list l;
	struct db_conn *c;
	struct org o;
	int rc;

	if (after && cursor_decode(after, &before))
		return ERR_BADREQ;
	if ((rc = req_db(r, DB_READ, &c)) || (rc = list_org(r, c, POINTS_READERS, &o)))
		return rc;
	path_range(o.path, lo, hi, sizeof(lo));
	l.w = page_open(&l.pg, r, limit);
	if ((rc = points_appeals_each(c, lo, hi, req_query(r, "state"), before, limit,
	    appeal_item, &l)))
		return rc;
	return page_close(&l.pg, -1);
}

/* ---- the table ---- */

static const char *const holder_kinds[] = {"org", "worker", NULL};
static const char *const periods[] = {"year", "half", "quarter", "month", NULL};
static const char *const decisions[] = {"upheld", "dismissed", NULL};
static const char *const appeal_states[] = {"open", "upheld", "dismissed", NULL};

static const struct field rule_body[] = {
	{"org_id", FT_ID, F_REQUIRED, 0, 0, NULL, "the org whose rule it is; it reaches its subtree", NULL},
	{"code", FT_STRING, F_REQUIRED, 1, POINTS_CODE_MAX, NULL, "unique in the org", NULL},
	{"title", FT_STRING, F_REQUIRED, 1, 100, NULL, NULL, NULL},
	{"holder_kind", FT_ENUM, F_REQUIRED, 0, 0, holder_kinds, NULL, NULL},
	{"source", FT_STRING, F_REQUIRED, 1, 63, NULL,
	    "a fact source (GET /api/v1/points/sources) or manual", NULL},
	{"points", FT_INT, F_REQUIRED, -POINTS_MAX_AWARD, POINTS_MAX_AWARD, NULL,
	    "per fact; negative deducts (扣分); a manual rule: the most per award", NULL},
	{"min_amount", FT_NUMBER, F_NULLABLE, 0, 0, NULL, "the fact's amount must reach it", NULL},
	{"cap_day", FT_INT, F_NULLABLE, 1, 100000000, NULL, "per holder and day", NULL},
	{"cap_period", FT_INT, F_NULLABLE, 1, 100000000, NULL, "per holder and period", NULL},
	{"cap_lifetime", FT_INT, F_NULLABLE, 1, 100000000, NULL, "per holder, ever", NULL},
	{"period", FT_ENUM, 0, 0, 0, periods, "the cap's period (default year)", NULL},
	{"expiry_days", FT_INT, F_NULLABLE, 1, 36600, NULL, "points stop counting this many days after their day", NULL},
	{"starts", FT_DATE, F_REQUIRED, 0, 0, NULL, "facts from this day on", NULL},
	{"ends", FT_DATE, F_NULLABLE, 0, 0, NULL, "facts up to this day", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field retire_body[] = {
	{"ends", FT_DATE, 0, 0, 0, NULL, "the last day the rule takes facts (default today)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field award_body[] = {
	{"holder_kind", FT_ENUM, F_REQUIRED, 0, 0, holder_kinds, NULL, NULL},
	{"holder", FT_ID, F_REQUIRED, 0, 0, NULL, "the org's or the worker's id", NULL},
	{"points", FT_INT, F_REQUIRED, -POINTS_MAX_AWARD, POINTS_MAX_AWARD, NULL, "negative deducts", NULL},
	{"rule_id", FT_ID, 0, 0, 0, NULL, "a manual rule whose caps apply", NULL},
	{"on_date", FT_DATE, 0, 0, 0, NULL, "the day it is for (default today)", NULL},
	{"text", FT_STRING, F_REQUIRED, 1, 500, NULL, "what it is for", NULL},
	{"evidence", FT_STRING, F_REQUIRED, 1, 500, NULL, "the document it rests on (文号)", NULL},
	{"key", FT_STRING, 0, 1, 64, NULL, "the client's idempotency key: the same key again answers the entry it made", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field reason_body[] = {
	{"reason", FT_STRING, F_REQUIRED, 1, 500, NULL, NULL, NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field review_body[] = {
	{"decision", FT_ENUM, F_REQUIRED, 0, 0, decisions, NULL, NULL},
	{"reason", FT_STRING, F_REQUIRED, 1, 500, NULL, NULL, NULL},
	{"correction", FT_INT, 0, -POINTS_MAX_AWARD, POINTS_MAX_AWARD, NULL,
	    "upheld: the points to add (default: take back what is left of the entry)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct qfield org_query[] = {
	{"org", QT_ID, 0, 0, NULL, "the org (default: your first grant's)"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield holder_query[] = {
	{"holder_kind", QT_ENUM, 0, 0, holder_kinds, "required"},
	{"holder", QT_ID, 0, 0, NULL, "required"},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield balance_query[] = {
	{"holder_kind", QT_ENUM, 0, 0, holder_kinds, "required"},
	{"holder", QT_ID, 0, 0, NULL, "required"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield board_query[] = {
	{"holder_kind", QT_ENUM, 0, 0, holder_kinds, "required"},
	{"period", QT_STRING, 0, 7, NULL, "all, 2026, 2026-H2, 2026-Q4 or 2026-12 (default this year)"},
	{"org", QT_ID, 0, 0, NULL, "holders in this org's subtree (default: your first grant's)"},
	{"limit", QT_INT, 1, BOARD_MAX, NULL, NULL},
	{"after", QT_STRING, 1, POINTS_CURSOR_MAX - 1, NULL, "the next of the page before"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield appeal_query[] = {
	{"org", QT_ID, 0, 0, NULL, "appeals about holders in this org's subtree"},
	{"state", QT_ENUM, 0, 0, appeal_states, NULL},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route points_routes[] = {
	{HTTP_GET, "/api/v1/points/sources", h_sources, POINTS_READERS, 0, NULL, NULL, "points",
	    "What rules can turn into points, and the leaderboards' tie-break"},
	{HTTP_GET, "/api/v1/points/rules", h_rule_list, POINTS_READERS, 0, NULL, org_query,
	    "points", "The rules that reach an org: its subtree's and those above it"},
	{HTTP_POST, "/api/v1/points/rules", h_rule_create, POINTS_OWNERS, 0, rule_body, NULL,
	    "points", "A rule; one over facts takes those already in its window (a job)"},
	{HTTP_GET, "/api/v1/points/rules/{id}", h_rule_get, POINTS_READERS, 0, NULL, NULL,
	    "points", "A rule"},
	{HTTP_POST, "/api/v1/points/rules/{id}/retire", h_rule_retire, POINTS_OWNERS, 0,
	    retire_body, NULL, "points", "Retires a rule: no fact dated later counts"},
	{HTTP_POST, "/api/v1/points/entries", h_award, POINTS_OWNERS, 0, award_body, NULL,
	    "points", "An award or a deduction by hand, with evidence"},
	{HTTP_GET, "/api/v1/points/entries/{id}", h_entry_get, POINTS_READERS, 0, NULL, NULL,
	    "points", "An entry of the ledger"},
	{HTTP_POST, "/api/v1/points/entries/{id}/reverse", h_reverse, POINTS_OWNERS, 0,
	    reason_body, NULL, "points", "Takes back what is left of an entry: a new entry"},
	{HTTP_POST, "/api/v1/points/entries/{id}/appeals", h_appeal_open, POINTS_READERS, 0,
	    reason_body, NULL, "points", "An appeal (申诉) against an entry"},
	{HTTP_GET, "/api/v1/points/appeals", h_appeal_list, POINTS_READERS, 0, NULL, appeal_query,
	    "points", "Appeals about holders in an org's subtree, newest first"},
	{HTTP_GET, "/api/v1/points/appeals/{id}", h_appeal_get, POINTS_READERS, 0, NULL, NULL,
	    "points", "An appeal"},
	{HTTP_POST, "/api/v1/points/appeals/{id}/review", h_appeal_review, POINTS_OWNERS, 0,
	    review_body, NULL, "points", "Upholds (with a correcting entry) or dismisses an appeal"},
	{HTTP_GET, "/api/v1/points/ledger", h_ledger, POINTS_READERS, 0, NULL, holder_query,
	    "points", "A holder's entries, newest first"},
	{HTTP_GET, "/api/v1/points/balances", h_balance, POINTS_READERS, 0, NULL, balance_query,
	    "points", "A holder's balance and what it earned in each period"},
	{HTTP_GET, "/api/v1/points/leaderboard", h_board, POINTS_READERS, 0, NULL, board_query,
	    "points", "Holders of an org's subtree by points in a period, in the published order"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
