/* 典型式引领: from a sealed period's candidates to demonstration units.
 * An owner proposes a list for an honour (示范企业, 领头雁企业 …) and gives
 * a reason for every candidate left out; a second owner approves it or
 * returns it with a reason; the approved list goes to a 公示 notice; when
 * the notice closes, the units still listed (an upheld objection withdraws
 * one) are named for the year. Names come from sealed scores only, so
 * every one of them can be explained and reproduced. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "db/db.h"
#include "evaluation/evaluation.h"
#include "notices/notices.h"

int
eval_candidates_each(struct db_conn *c, int64_t period_id, const struct eval_rule *rule,
    int (*fn)(void *ctx, const struct eval_candidate *k), void *ctx)
{
	struct eval_candidate k, prev = {0};
	int rc = db_prep(c, EVAL_CANDIDATE_SCAN), stop = 0, at = 0;

	if (rc)
		return rc;
	db_bind_int(c, 1, period_id);
	while (!stop && (rc = db_step(c)) == DB_ROW) {
		const char *v = db_col_text(c, 6);

		memset(&k, 0, sizeof(k));
		k.org_id = db_col_int(c, 0);
		k.class_id = db_col_int(c, 1);
		k.total = db_col_double(c, 2);
		k.pos = db_col_int(c, 3);
		db_col_copy(c, 4, k.org_name, sizeof(k.org_name));
		db_col_copy(c, 5, k.org_path, sizeof(k.org_path));
		if ((k.robust = v != NULL)) {
			k.verdict = !strcmp(v, "in") ? EVAL_ROBUST_IN :
			    !strcmp(v, "unstable") ? EVAL_ROBUST_UNSTABLE : EVAL_ROBUST_OUT;
			k.top_share = db_col_double(c, 7);
		}
		/* places among the class's units not vetoed: equal totals share one */
		if (at == 0 || k.class_id != prev.class_id)
			at = 0;
		at++;
		k.rank = at > 1 && k.class_id == prev.class_id && k.total == prev.total ?
		    prev.rank : at;
		k.candidate = rule->top > 0 ? k.rank <= rule->top : k.total >= rule->min;
		prev = k;
		stop = fn(ctx, &k);
	}
	db_done(c);
	return stop ? stop : rc < 0 ? rc : 0;
}

/* ---- proposals ---- */

struct picking {
	const struct eval_pick *picks;
	size_t n;
	int *seen;                           /* per pick: matched a candidate */
	struct eval_candidate *cands;        /* every candidate, to be written */
	size_t ncands, cap;
	int rc;
};

static int
pick_take(void *ctx, const struct eval_candidate *k)
{
	struct picking *g = ctx;

	if (!k->candidate)
		return 0;
	if ((g->rc = array_grow((void **)&g->cands, &g->cap, g->ncands, sizeof(*g->cands))))
		return g->rc;
	g->cands[g->ncands++] = *k;
	return 0;
}

static const struct eval_pick *
pick_of(const struct picking *g, int64_t org_id, size_t *at)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->picks[i].org_id == org_id) {
			*at = i;
			return &g->picks[i];
		}
	return NULL;
}

static int
units_write(struct db_conn *c, int64_t proposal_id, const struct picking *g)
{
	int rc = db_prep(c, EVAL_PROPOSAL_UNITS_CLEAR);

	if (rc)
		return rc;
	db_bind_int(c, 1, proposal_id);
	if ((rc = db_run(c)))
		return rc;
	for (size_t i = 0; i < g->ncands; i++) {
		const struct eval_candidate *k = &g->cands[i];
		size_t at;
		const struct eval_pick *p = pick_of(g, k->org_id, &at);

		if ((rc = db_prep(c, EVAL_PROPOSAL_UNIT_PUT)))
			return rc;
		db_bind_int(c, 1, proposal_id);
		db_bind_int(c, 2, k->org_id);
		db_bind_int(c, 3, k->class_id);
		db_bind_int(c, 4, k->rank);
		db_bind_double(c, 5, k->total);
		db_bind_text(c, 6, p && p->listed ? "listed" : "left_out");
		db_bind_text(c, 7, p && p->reason ? p->reason : "");
		if ((rc = db_run(c)))
			return rc;
	}
	return 0;
}

int
eval_proposal_write(struct db_conn *c, const struct eval_period *per,
    struct eval_proposal *p, const struct eval_pick *picks, size_t npicks, struct why *why)
{
	struct picking g = {picks, npicks, NULL, NULL, 0, 0, 0};
	size_t listed = 0;
	int rc;

	if (strcmp(per->state, "sealed"))
		return why_refuse(why, ERR_CONFLICT, NULL,
		    "seal the period first: units are named from scores that never change",
		    "请先封存评价周期：示范单位须依据封存后的得分命名");
	if (!p->honour[0] || utf8_chars(p->honour, strlen(p->honour)) > EVAL_HONOUR_MAX)
		return why_refuse(why, ERR_INVALID, "honour", "1 to 40 characters", "须为 1 至 40 个字符");
	if (p->rule.top < 0 || (p->rule.top == 0 && !(p->rule.min >= 0 && p->rule.min <= 200)))
		return why_refuse(why, ERR_INVALID, "top",
		    "give either top (the best N of each class) or min (a total from 0 to 200)",
		    "请给出 top（每类前 N 名）或 min（0 至 200 的得分线）之一");
	if (npicks > EVAL_PICKS_MAX)
		return why_refuse(why, ERR_INVALID, "org_ids", "too many units", "单位过多");
	if (!(g.seen = calloc(npicks ? npicks : 1, sizeof(*g.seen))))
		return ERR_NOMEM;
	if ((rc = eval_candidates_each(c, per->id, &p->rule, pick_take, &g))) {
		rc = g.rc ? g.rc : rc;
		goto out;
	}
	/* which picks are candidates: the others are refused first */
	for (size_t i = 0; i < g.ncands; i++) {
		size_t at;

		if (pick_of(&g, g.cands[i].org_id, &at))
			g.seen[at] = 1;
	}
	for (size_t i = 0, row[2] = {0, 0}; i < npicks; i++) {
		/* rows count within org_ids and within left_out */
		row[picks[i].listed]++;
		for (size_t j = 0; j < i && !g.seen[i]; j++)
			if (picks[j].org_id == picks[i].org_id)
				g.seen[i] = -1;
		if (g.seen[i] == 1)
			continue;
		rc = g.seen[i] ?
		    why_refuse(why, ERR_INVALID, picks[i].listed ? "org_ids" : "left_out",
			"a unit given twice", "单位重复") :
		    why_refuse(why, ERR_INVALID, picks[i].listed ? "org_ids" : "left_out",
			"not a candidate of this period (vetoed, or outside the rule)",
			"不是本期候选单位（被一票否决或不在推荐范围内）");
		why->row = (long)row[picks[i].listed];
		goto out;
	}
	for (size_t i = 0; i < g.ncands; i++) {
		size_t at;
		const struct eval_pick *k = pick_of(&g, g.cands[i].org_id, &at);

		if ((!k || !k->listed) && (!k || !k->reason || !k->reason[0])) {
			/* the place in the candidate list, for the person to find it */
			rc = why_refuse(why, ERR_INVALID, "left_out",
			    "a candidate left out needs a reason (row: its place among the candidates)",
			    "未列入的候选单位须说明理由（行号为其在候选名单中的位置）");
			why->row = (long)i + 1;
			goto out;
		}
		listed += k && k->listed;
	}
	if (!listed) {
		rc = why_refuse(why, ERR_INVALID, "org_ids", "list at least one unit",
		    "请至少列入一个单位");
		goto out;
	}
	p->period_id = per->id;
	p->year = (int)strtol(per->ends, NULL, 10);   /* YYYY-MM-DD: the year it ends in */
	p->proposed = clock_now();
	if (p->id) {
		if ((rc = db_prep(c, EVAL_PROPOSAL_RESUBMIT)))
			goto out;
		db_bind_int(c, 1, p->id);
	} else {
		if ((rc = db_prep(c, EVAL_PROPOSAL_INSERT)))
			goto out;
		db_bind_int(c, 1, p->period_id);
		db_bind_text(c, 2, p->honour);
		db_bind_int(c, 3, p->year);
	}
	{
		int off = p->id ? 1 : 3;

		if (p->rule.top)
			db_bind_int(c, off + 1, p->rule.top);
		else
			db_bind_null(c, off + 1);
		if (p->rule.top)
			db_bind_null(c, off + 2);
		else
			db_bind_double(c, off + 2, p->rule.min);
		db_bind_int(c, off + 3, p->proposed_by);
		db_bind_text(c, off + 4, p->proposed_name);
		db_bind_int(c, off + 5, p->proposed);
	}
	if (p->id) {
		if (!(rc = db_run(c)) && !db_changes(c))
			rc = why_refuse(why, ERR_CONFLICT, NULL,
			    "only a returned proposal is proposed again", "只有被退回的推荐名单可以重新提交");
	} else if ((rc = db_insert(c, &p->id)) == ERR_CONFLICT) {
		rc = why_refuse(why, ERR_CONFLICT, "honour",
		    "the period has a proposal for this honour", "本期已有该称号的推荐名单");
	}
	if (!rc)
		rc = units_write(c, p->id, &g);
	if (!rc)
		rc = eval_proposal_get(c, p->id, p);
out:
	free(g.seen);
	free(g.cands);
	return rc;
}

int
eval_proposal_get(struct db_conn *c, int64_t id, struct eval_proposal *p)
{
	int rc = db_prep(c, EVAL_PROPOSAL_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	if (!(rc = db_one(c))) {
		memset(p, 0, sizeof(*p));
		p->id = db_col_int(c, 0);
		p->period_id = db_col_int(c, 1);
		db_col_copy(c, 2, p->honour, sizeof(p->honour));
		p->year = (int)db_col_int(c, 3);
		p->rule.top = (int)db_col_int(c, 4);
		p->rule.min = db_col_double(c, 5);
		db_col_copy(c, 7, p->state, sizeof(p->state));
		p->proposed_by = db_col_int(c, 8);
		db_col_copy(c, 9, p->proposed_name, sizeof(p->proposed_name));
		p->proposed = db_col_int(c, 10);
		p->reviewed_by = db_col_int(c, 11);
		db_col_copy(c, 12, p->reviewed_name, sizeof(p->reviewed_name));
		p->reviewed = db_col_int(c, 13);
		db_col_copy(c, 14, p->review_reason, sizeof(p->review_reason));
		p->notice_id = db_col_int(c, 15);
		p->named = db_col_int(c, 16);
		p->listed = db_col_int(c, 17);
	}
	db_done(c);
	return rc;
}

int
eval_proposal_each(struct db_conn *c, int64_t period_id,
    int (*fn)(void *ctx, const struct eval_proposal *p), void *ctx)
{
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	struct eval_proposal p;
	int rc = db_prep(c, EVAL_PROPOSALS), stop = 0;

	if (rc)
		return rc;
	db_bind_int(c, 1, period_id);
	/* ids first: each proposal is then read on the same connection */
	while ((rc = db_step(c)) == DB_ROW) {
		if ((rc = array_grow((void **)&ids, &cap, n, sizeof(*ids))))
			break;
		ids[n++] = db_col_int(c, 0);
	}
	db_done(c);
	for (size_t i = 0; rc >= 0 && !stop && i < n; i++)
		if (!(rc = eval_proposal_get(c, ids[i], &p)))
			stop = fn(ctx, &p);
	free(ids);
	return stop ? stop : rc < 0 ? rc : 0;
}

void
eval_proposal_json(struct jw *w, const struct eval_proposal *p)
{
	jw_kint(w, "id", p->id);
	jw_kint(w, "period_id", p->period_id);
	jw_kstr(w, "honour", p->honour);
	jw_kint(w, "year", p->year);
	jw_key(w, "rule");
	jw_obj_open(w);
	if (p->rule.top) {
		jw_kint(w, "top", p->rule.top);
	} else {
		jw_key(w, "min");
		jw_double(w, p->rule.min, 2);
	}
	jw_obj_close(w);
	jw_kstr(w, "state", p->state);
	jw_kint(w, "listed", p->listed);
	jw_kstr(w, "proposed_by", p->proposed_name);
	jw_kint(w, "proposed_by_id", p->proposed_by);   /* the console hides review from them */
	jw_key(w, "proposed");
	jw_time(w, p->proposed);
	jw_key(w, "reviewed_by");
	jw_str(w, p->reviewed ? p->reviewed_name : NULL);
	jw_key(w, "reviewed");
	jw_time(w, p->reviewed);
	jw_kstr(w, "review_reason", p->review_reason);
	jw_key(w, "notice_id");
	if (p->notice_id)
		jw_int(w, p->notice_id);
	else
		jw_null(w);
	jw_key(w, "named");
	jw_time(w, p->named);
}

int
eval_proposal_units_each(struct db_conn *c, int64_t proposal_id,
    int (*fn)(void *ctx, const struct eval_proposal_unit *u), void *ctx)
{
	struct eval_proposal_unit *u = malloc(sizeof(*u));
	int rc, stop = 0;

	if (!u)
		return ERR_NOMEM;
	if ((rc = db_prep(c, EVAL_PROPOSAL_UNITS)))
		goto out;
	db_bind_int(c, 1, proposal_id);
	while (!stop && (rc = db_step(c)) == DB_ROW) {
		u->org_id = db_col_int(c, 0);
		u->class_id = db_col_int(c, 1);
		u->place = (int)db_col_int(c, 2);
		u->total = db_col_double(c, 3);
		db_col_copy(c, 4, u->state, sizeof(u->state));
		db_col_copy(c, 5, u->reason, sizeof(u->reason));
		db_col_copy(c, 6, u->org_name, sizeof(u->org_name));
		stop = fn(ctx, u);
	}
	db_done(c);
	rc = stop ? stop : rc < 0 ? rc : 0;
out:
	free(u);
	return rc;
}

void
eval_proposal_unit_json(struct jw *w, const struct eval_proposal_unit *u)
{
	jw_kint(w, "org_id", u->org_id);
	jw_kstr(w, "org_name", u->org_name);
	jw_key(w, "class_id");
	if (u->class_id)
		jw_int(w, u->class_id);
	else
		jw_null(w);
	jw_kint(w, "rank", u->place);
	jw_key(w, "total");
	jw_double(w, u->total, 2);
	jw_kstr(w, "state", u->state);
	jw_kstr(w, "reason", u->reason);
}

int
eval_proposal_review(struct db_conn *c, struct eval_proposal *p, const char *decision,
    const char *reason, int64_t by, const char *by_name, struct why *why)
{
	int approve = !strcmp(decision, "approve"), rc;

	if (strcmp(p->state, "submitted"))
		return why_refuse(why, ERR_CONFLICT, NULL, "the proposal is not waiting for review",
		    "该推荐名单不在待审核状态");
	if (by == p->proposed_by)
		return why_refuse(why, ERR_PERM, NULL,
		    "the proposer does not review their own list: another owner does",
		    "推荐人不能审核自己的名单，须由另一位负责人审核");
	if (!approve && (!reason || !reason[0]))
		return why_refuse(why, ERR_INVALID, "reason", "say why it goes back",
		    "退回须说明理由");
	if ((rc = db_prep(c, EVAL_PROPOSAL_REVIEW)))
		return rc;
	db_bind_int(c, 1, p->id);
	db_bind_text(c, 2, approve ? "approved" : "returned");
	db_bind_int(c, 3, by);
	db_bind_text(c, 4, by_name);
	db_bind_int(c, 5, clock_now());
	db_bind_text(c, 6, reason ? reason : "");
	if ((rc = db_run(c)))
		return rc;
	return eval_proposal_get(c, p->id, p);
}

/* ---- the 公示 and the naming ---- */

struct subjects {
	const struct eval_proposal *p;
	struct notice_subject *s;
	size_t n, cap;
	int rc;
};

static int
subject_take(void *ctx, const struct eval_proposal_unit *u)
{
	struct subjects *g = ctx;
	struct notice_subject *s;
	char text[NOTICE_TEXT_MAX * 4 + 1];

	if (strcmp(u->state, "listed"))
		return 0;
	if ((g->rc = array_grow((void **)&g->s, &g->cap, g->n, sizeof(*g->s))))
		return g->rc;
	s = &g->s[g->n++];
	memset(s, 0, sizeof(*s));
	str_copy(s->ref_kind, sizeof(s->ref_kind), "org");
	s->ref_id = u->org_id;
	/* a name longer than a notice's shows in full as the unit */
	if (utf8_cut(s->name, sizeof(s->name), u->org_name, NOTICE_NAME_MAX))
		str_copy(s->unit, sizeof(s->unit), u->org_name);
	snprintf(text, sizeof(text), "拟命名为%s；总分 %.2f，类内第 %d 名", g->p->honour, u->total,
	    u->place);
	str_copy(s->text, sizeof(s->text), text);
	return 0;
}

int
eval_proposal_notice(struct db_conn *c, const struct eval_index *x,
    const struct eval_period *per, struct eval_proposal *p, const char *contact,
    const char *body, int days, int64_t by, struct why *why)
{
	struct subjects g = {p, NULL, 0, 0, 0};
	struct notice *n = calloc(1, sizeof(*n));
	char today[11];
	int rc;

	if (!n)
		return ERR_NOMEM;
	if (strcmp(p->state, "approved")) {
		rc = why_refuse(why, ERR_CONFLICT, NULL, "only an approved proposal goes to 公示",
		    "只有审核通过的推荐名单才能公示");
		goto out;
	}
	if ((rc = eval_proposal_units_each(c, p->id, subject_take, &g)) || g.rc) {
		rc = g.rc ? g.rc : rc;
		goto out;
	}
	n->org_id = x->org_id;
	str_copy(n->kind, sizeof(n->kind), "demonstration");
	snprintf(n->title, sizeof(n->title), "%s%s拟命名名单公示", per->label, p->honour);
	str_copy(n->body, sizeof(n->body), body && body[0] ? body :
	    "根据本年度产改指数评价结果，经推荐、审核，现将拟命名名单予以公示。");
	str_copy(n->contact, sizeof(n->contact), contact ? contact : "");
	n->days = days;
	snprintf(n->owner_ref, sizeof(n->owner_ref), "eval_proposal:%lld", (long long)p->id);
	n->created_by = by;
	clock_today(today);
	if ((rc = notices_create(c, n, g.s, g.n, why)) ||
	    (rc = notices_open(c, n, NULL, today, why)) ||
	    (rc = db_prep(c, EVAL_PROPOSAL_NOTICED)))
		goto out;
	db_bind_int(c, 1, p->id);
	db_bind_int(c, 2, n->id);
	if (!(rc = db_run(c)))
		rc = eval_proposal_get(c, p->id, p);
out:
	free(g.s);
	free(n);
	return rc;
}

struct withdrawn {
	int64_t *org;
	size_t n, cap;
	int rc;
};

static int
withdrawn_take(void *ctx, const struct notice_subject *s)
{
	struct withdrawn *g = ctx;

	if (strcmp(s->state, "withdrawn") || strcmp(s->ref_kind, "org"))
		return 0;
	if ((g->rc = array_grow((void **)&g->org, &g->cap, g->n, sizeof(*g->org))))
		return g->rc;
	g->org[g->n++] = s->ref_id;
	return 0;
}

int
eval_notice_closed(struct db_conn *c, const struct notice *n)
{
	struct withdrawn g = {NULL, 0, 0, 0};
	long long id;
	int64_t now = clock_now();
	int rc;

	if (sscanf(n->owner_ref, "eval_proposal:%lld", &id) != 1)
		return ERR_INTERNAL;
	if ((rc = notices_subjects_each(c, n->id, withdrawn_take, &g)) || g.rc) {
		rc = g.rc ? g.rc : rc;
		goto out;
	}
	/* an objection upheld during the window takes the unit off the list */
	for (size_t i = 0; i < g.n; i++) {
		if ((rc = db_prep(c, EVAL_PROPOSAL_UNIT_WITHDRAW)))
			goto out;
		db_bind_int(c, 1, id);
		db_bind_int(c, 2, g.org[i]);
		if ((rc = db_run(c)))
			goto out;
	}
	if ((rc = db_prep(c, EVAL_NAMED_PUT)))
		goto out;
	db_bind_int(c, 1, id);
	db_bind_int(c, 2, now);
	if ((rc = db_run(c)) || (rc = db_prep(c, EVAL_PROPOSAL_NAMED)))
		goto out;
	db_bind_int(c, 1, id);
	db_bind_int(c, 2, now);
	rc = db_run(c);
out:
	free(g.org);
	return rc;
}

int
eval_named_each(struct db_conn *c, const char *lo, const char *hi, int year, int64_t limit,
    int (*fn)(void *ctx, const struct eval_named_unit *u), void *ctx)
{
	struct eval_named_unit u;
	int rc = db_prep(c, EVAL_NAMED_PAGE), stop = 0;

	if (rc)
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	db_bind_int(c, 3, year);
	db_bind_int(c, 4, limit);
	while (!stop && (rc = db_step(c)) == DB_ROW) {
		memset(&u, 0, sizeof(u));
		u.org_id = db_col_int(c, 0);
		db_col_copy(c, 1, u.org_name, sizeof(u.org_name));
		u.year = (int)db_col_int(c, 2);
		db_col_copy(c, 3, u.honour, sizeof(u.honour));
		u.proposal_id = db_col_int(c, 4);
		u.named = db_col_int(c, 5);
		stop = fn(ctx, &u);
	}
	db_done(c);
	return stop ? stop : rc < 0 ? rc : 0;
}
