/* The points ledger in the store: rules, entries and their totals,
 * awards, reversals, appeals, leaderboards, applying rules to facts,
 * expiry and the check. Every write but points_apply's and
 * points_expire's own runs in the caller's transaction. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/util.h"
#include "db/db.h"
#include "points/points.h"
#include "workers/workers.h"

/* facts read and written per transaction while applying a rule */
#define APPLY_BATCH 500
#define EXPIRE_BATCH 500

static void
opt_int(struct db_conn *c, int idx, int64_t v)
{
	if (v)
		db_bind_int(c, idx, v);
	else
		db_bind_null(c, idx);
}

static void
opt_text(struct db_conn *c, int idx, const char *s)
{
	db_bind_text(c, idx, s && *s ? s : NULL);
}

/* ---- rules ---- */

static void
rule_read_row(struct db_conn *c, struct points_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_col_int(c, 0);
	r->org_id = db_col_int(c, 1);
	db_col_copy(c, 2, r->code, sizeof(r->code));
	db_col_copy(c, 3, r->title, sizeof(r->title));
	db_col_copy(c, 4, r->holder_kind, sizeof(r->holder_kind));
	db_col_copy(c, 5, r->source, sizeof(r->source));
	r->points = db_col_int(c, 6);
	if ((r->has_min = !db_col_null(c, 7)))
		r->min_amount = db_col_double(c, 7);
	r->cap_day = db_col_int(c, 8);
	r->cap_period = db_col_int(c, 9);
	r->cap_lifetime = db_col_int(c, 10);
	db_col_copy(c, 11, r->period, sizeof(r->period));
	r->expiry_days = db_col_int(c, 12);
	db_col_copy(c, 13, r->starts, sizeof(r->starts));
	db_col_copy(c, 14, r->ends, sizeof(r->ends));
	db_col_copy(c, 15, r->state, sizeof(r->state));
	r->applied = db_col_int(c, 16);
	r->created_by = db_col_int(c, 17);
	r->created = db_col_int(c, 18);
	db_col_copy(c, 19, r->org_name, sizeof(r->org_name));
	db_col_copy(c, 20, r->org_path, sizeof(r->org_path));
}

int
points_rule_insert(struct db_conn *c, struct points_rule *r, struct why *why)
{
	int rc;

	if ((rc = points_rule_check(r, why)))
		return rc;
	if ((rc = db_prep(c, POINTS_RULE_INSERT)))
		return rc;
	db_bind_int(c, 1, r->org_id);
	db_bind_text(c, 2, r->code);
	db_bind_text(c, 3, r->title);
	db_bind_text(c, 4, r->holder_kind);
	db_bind_text(c, 5, r->source);
	db_bind_int(c, 6, r->points);
	if (r->has_min)
		db_bind_double(c, 7, r->min_amount);
	else
		db_bind_null(c, 7);
	opt_int(c, 8, r->cap_day);
	opt_int(c, 9, r->cap_period);
	opt_int(c, 10, r->cap_lifetime);
	db_bind_text(c, 11, r->period);
	opt_int(c, 12, r->expiry_days);
	db_bind_text(c, 13, r->starts);
	opt_text(c, 14, r->ends);
	opt_int(c, 15, r->created_by);
	db_bind_int(c, 16, r->created = clock_now());
	rc = db_insert(c, &r->id);
	if (rc == ERR_CONFLICT)
		return why_refuse(why, rc, "code", "the org has a rule with this code",
		    "本单位已有此编码的规则");
	if (rc)
		return rc;
	str_copy(r->state, sizeof(r->state), "active");
	return 0;
}

int
points_rule_get(struct db_conn *c, int64_t id, struct points_rule *r)
{
	int rc;

	if ((rc = db_prep(c, POINTS_RULE_GET)))
		return rc;
	db_bind_int(c, 1, id);
	if ((rc = db_one(c)))
		return rc;
	rule_read_row(c, r);
	db_done(c);
	return 0;
}

int
points_rules_each(struct db_conn *c, const char *path,
    int (*each)(void *ctx, const struct points_rule *r), void *ctx)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct points_rule r;
	int rc;

	path_range(path, lo, hi, sizeof(lo));
	if ((rc = db_prep(c, POINTS_RULES_IN)))
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	db_bind_text(c, 3, path);
	while ((rc = db_step(c)) == DB_ROW) {
		rule_read_row(c, &r);
		if ((rc = each(ctx, &r)))
			break;
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

int
points_rule_retire(struct db_conn *c, struct points_rule *r, const char *ends,
    struct why *why)
{
	int rc;

	if (strcmp(r->state, "active"))
		return why_refuse(why, ERR_CONFLICT, "state", "the rule is retired already",
		    "该规则已停用");
	if (date_valid(ends) || strcmp(ends, r->starts) < 0)
		return why_refuse(why, ERR_INVALID, "ends", "must be a date on or after starts",
		    "须为不早于开始日期的日期");
	if (r->ends[0] && strcmp(ends, r->ends) > 0)
		return why_refuse(why, ERR_INVALID, "ends",
		    "a rule retires within its window, not after it", "停用日期不得晚于原结束日期");
	if ((rc = db_prep(c, POINTS_RULE_RETIRE)))
		return rc;
	db_bind_int(c, 1, r->id);
	db_bind_text(c, 2, ends);
	if ((rc = db_run(c)))
		return rc;
	if (db_changes(c) != 1)
		return ERR_CONFLICT;
	str_copy(r->state, sizeof(r->state), "retired");
	str_copy(r->ends, sizeof(r->ends), ends);
	return 0;
}

/* ---- entries and totals ---- */

static void
entry_read_row(struct db_conn *c, struct points_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->id = db_col_int(c, 0);
	db_col_copy(c, 1, e->holder_kind, sizeof(e->holder_kind));
	e->holder_id = db_col_int(c, 2);
	e->org_id = db_col_int(c, 3);
	db_col_copy(c, 4, e->kind, sizeof(e->kind));
	db_col_copy(c, 5, e->source_key, sizeof(e->source_key));
	e->rule_id = db_col_int(c, 6);
	e->points = db_col_int(c, 7);
	e->asked = db_col_int(c, 8);
	db_col_copy(c, 9, e->on_date, sizeof(e->on_date));
	db_col_copy(c, 10, e->expires, sizeof(e->expires));
	e->refers_to = db_col_int(c, 11);
	db_col_copy(c, 12, e->text, sizeof(e->text));
	db_col_copy(c, 13, e->evidence, sizeof(e->evidence));
	e->actor_id = db_col_int(c, 14);
	db_col_copy(c, 15, e->actor_name, sizeof(e->actor_name));
	e->created = db_col_int(c, 16);
	e->corrected = db_col_int(c, 17);
	db_col_copy(c, 18, e->rule_code, sizeof(e->rule_code));
	db_col_copy(c, 19, e->rule_title, sizeof(e->rule_title));
	db_col_copy(c, 20, e->org_path, sizeof(e->org_path));
	db_col_copy(c, 21, e->appeal_state, sizeof(e->appeal_state));
}

static int
entry_by(struct db_conn *c, enum db_stmt_id stmt, int64_t id, const char *key,
    struct points_entry *e)
{
	int rc;

	if ((rc = db_prep(c, stmt)))
		return rc;
	if (key)
		db_bind_text(c, 1, key);
	else
		db_bind_int(c, 1, id);
	if ((rc = db_one(c)))
		return rc;
	entry_read_row(c, e);
	db_done(c);
	return 0;
}

int
points_entry_get(struct db_conn *c, int64_t id, struct points_entry *e)
{
	return entry_by(c, POINTS_ENTRY_GET, id, NULL, e);
}

static int
total_add(struct db_conn *c, const struct points_entry *e, const char *period,
    int64_t expired, const char *reached)
{
	int rc;

	if ((rc = db_prep(c, POINTS_TOTAL_ADD)))
		return rc;
	db_bind_text(c, 1, e->holder_kind);
	db_bind_int(c, 2, e->holder_id);
	db_bind_text(c, 3, period);
	db_bind_int(c, 4, e->org_id);
	db_bind_int(c, 5, e->points);
	db_bind_int(c, 6, expired);
	db_bind_text(c, 7, reached);
	return db_run(c);
}

/* The rows an entry adds to: its holder's balance and, unless it is an
 * expiry (which takes from the balance, not from what a period earned),
 * the year, half, quarter and month of its day. */
static int
totals_add(struct db_conn *c, const struct points_entry *e)
{
	static const char *const periods[] = {"year", "half", "quarter", "month"};
	int expiry = !strcmp(e->kind, "expiry");

	/* the day the holder reached its figure, for the tie-break: an entry
	 * that changed nothing (a capped one) reached nothing */
	const char *reached = expiry || !e->points ? "" : e->on_date;
	char key[9];
	int rc;

	if ((rc = total_add(c, e, "all", expiry ? e->points : 0, reached)))
		return rc;
	if (expiry)
		return 0;
	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
		if ((rc = points_period_key(e->on_date, periods[i], key)) ||
		    (rc = total_add(c, e, key, 0, reached)))
			return rc;
	return 0;
}

int
points_entry_write(struct db_conn *c, struct points_entry *e, int *fresh)
{
	int rc;

	*fresh = 0;
	if ((rc = db_prep(c, POINTS_ENTRY_INSERT)))
		return rc;
	db_bind_text(c, 1, e->holder_kind);
	db_bind_int(c, 2, e->holder_id);
	db_bind_int(c, 3, e->org_id);
	db_bind_text(c, 4, e->kind);
	db_bind_text(c, 5, e->source_key);
	opt_int(c, 6, e->rule_id);
	db_bind_int(c, 7, e->points);
	db_bind_int(c, 8, e->asked);
	db_bind_text(c, 9, e->on_date);
	opt_text(c, 10, e->expires);
	opt_int(c, 11, e->refers_to);
	db_bind_text(c, 12, e->text);
	db_bind_text(c, 13, e->evidence);
	opt_int(c, 14, e->actor_id);
	db_bind_text(c, 15, e->actor_name);
	db_bind_int(c, 16, e->created = clock_now());
	rc = db_insert(c, &e->id);
	if (rc == ERR_NOTFOUND)      /* the key was there: the stored entry answers */
		return entry_by(c, POINTS_ENTRY_BY_KEY, 0, e->source_key, e);
	if (rc)
		return rc;
	*fresh = 1;
	return totals_add(c, e);
}

int
points_entries_each(struct db_conn *c, const char *holder_kind, int64_t holder,
    int64_t before, int64_t limit,
    int (*each)(void *ctx, const struct points_entry *e), void *ctx)
{
	struct points_entry *e;
	int rc;

	if (!(e = malloc(sizeof(*e))))
		return ERR_NOMEM;
	if ((rc = db_prep(c, POINTS_ENTRIES_OF)))
		goto out;
	db_bind_text(c, 1, holder_kind);
	db_bind_int(c, 2, holder);
	db_bind_int(c, 3, before > 0 ? before : INT64_MAX);
	db_bind_int(c, 4, limit + 1);
	while ((rc = db_step(c)) == DB_ROW) {
		entry_read_row(c, e);
		if ((rc = each(ctx, e)))
			break;
	}
	db_done(c);
out:
	free(e);
	return rc < 0 ? rc : 0;
}

static int
sum_of(struct db_conn *c, enum db_stmt_id stmt, int64_t id, int64_t *sum)
{
	int rc;

	if ((rc = db_prep(c, stmt)))
		return rc;
	db_bind_int(c, 1, id);
	if ((rc = db_one(c)))
		return rc;
	*sum = db_col_int(c, 0);
	db_done(c);
	return 0;
}

static int
rule_sum(struct db_conn *c, const struct points_rule *r, const struct points_entry *e,
    const char *from, const char *to, int64_t *sum)
{
	int rc;

	if ((rc = db_prep(c, POINTS_RULE_SUM)))
		return rc;
	db_bind_int(c, 1, r->id);
	db_bind_text(c, 2, e->holder_kind);
	db_bind_int(c, 3, e->holder_id);
	db_bind_text(c, 4, from);
	db_bind_text(c, 5, to);
	if ((rc = db_one(c)))
		return rc;
	*sum = db_col_int(c, 0);
	db_done(c);
	return 0;
}

/* e->asked cut to what the rule's caps leave for e's holder and day. */
static int
apply_caps(struct db_conn *c, const struct points_rule *r, struct points_entry *e)
{
	int64_t day = 0, period = 0, lifetime = 0;
	char from[11], to[11];
	int rc;

	if (r->cap_day && (rc = rule_sum(c, r, e, e->on_date, e->on_date, &day)))
		return rc;
	if (r->cap_period &&
	    ((rc = points_period_range(e->on_date, r->period, from, to)) ||
	    (rc = rule_sum(c, r, e, from, to, &period))))
		return rc;
	if (r->cap_lifetime && (rc = rule_sum(c, r, e, "0000-01-01", "9999-12-31", &lifetime)))
		return rc;
	e->points = points_capped(e->asked, day, period, lifetime, r->cap_day, r->cap_period,
	    r->cap_lifetime);
	return 0;
}

static int
set_expiry(const struct points_rule *r, struct points_entry *e)
{
	e->expires[0] = '\0';
	return r && r->expiry_days ? date_add(e->on_date, r->expiry_days, e->expires) : 0;
}

static void correction_of(const struct points_entry *of, const char *kind, int64_t points,
    const char *reason, int64_t actor, const char *actor_name, struct points_entry *out);

/* An entry whose day to stop counting has come already (a fact from long
 * ago, found by a rule made today) expires as it is written: the sweep
 * only looks at days after the last one it swept. */
static int
expire_if_due(struct db_conn *c, const struct points_entry *e)
{
	struct points_entry *x;
	char today[11];
	int fresh, rc;

	clock_today(today);
	if (!e->expires[0] || strcmp(e->expires, today) > 0 || e->points == 0)
		return 0;
	if (!(x = malloc(sizeof(*x))))
		return ERR_NOMEM;
	correction_of(e, "expiry", -e->points, "积分到期", 0, "", x);
	str_copy(x->on_date, sizeof(x->on_date), e->expires);
	snprintf(x->source_key, sizeof(x->source_key), "expiry:%lld", (long long)e->id);
	rc = points_entry_write(c, x, &fresh);
	free(x);
	return rc;
}

int
points_award(struct db_conn *c, const struct points_rule *rule,
    struct points_entry *e, int *fresh, struct why *why)
{
	unsigned char nonce[12];
	char hex[sizeof(nonce) * 2 + 1], today[11];
	int rc;

	*fresh = 0;
	if (e->asked == 0 || e->asked > POINTS_MAX_AWARD || e->asked < -POINTS_MAX_AWARD)
		return why_refuse(why, ERR_INVALID, "points",
		    "must not be 0, at most 100000 either way", "不能为 0，绝对值不超过 100000");
	clock_today(today);
	if (date_valid(e->on_date))
		return why_refuse(why, ERR_INVALID, "on_date", "must be a date", "须为日期");
	if (strcmp(e->on_date, today) > 0)
		return why_refuse(why, ERR_INVALID, "on_date",
		    "an award is for what has happened: not after today", "加减分日期不得晚于今天");
	if (rule) {
		if (strcmp(rule->source, POINTS_MANUAL))
			return why_refuse(why, ERR_INVALID, "rule_id",
			    "the rule turns facts into points; awards by hand need a manual rule",
			    "该规则由事件自动计分，手动加减分须选手动规则");
		if (strcmp(rule->holder_kind, e->holder_kind))
			return why_refuse(why, ERR_INVALID, "rule_id",
			    "the rule is for another kind of holder", "该规则的积分对象不是这一类");
		if (strcmp(rule->state, "active") || strcmp(e->on_date, rule->starts) < 0 ||
		    (rule->ends[0] && strcmp(e->on_date, rule->ends) > 0))
			return why_refuse(why, ERR_INVALID, "on_date",
			    "the day is outside the rule's window", "日期不在该规则的有效期内");
		if ((rule->points > 0) != (e->asked > 0) ||
		    (e->asked > 0 ? e->asked > rule->points : e->asked < rule->points))
			return why_refuse(why, ERR_INVALID, "points",
			    "beyond what the rule allows for one award", "超出该规则单次可加减的分值");
		e->rule_id = rule->id;
		if ((rc = apply_caps(c, rule, e)))
			return rc;
		if (e->points == 0)
			return why_refuse(why, ERR_CONFLICT, "points",
			    "the rule's cap for this holder is reached", "该对象已达到此规则的积分上限");
	} else {
		e->points = e->asked;
	}
	if ((rc = set_expiry(rule, e)))
		return rc;
	if (!e->source_key[0]) {
		randombytes_buf(nonce, sizeof(nonce));
		hex_encode(nonce, sizeof(nonce), hex);
		snprintf(e->source_key, sizeof(e->source_key), "manual:%s", hex);
	}
	str_copy(e->kind, sizeof(e->kind), "manual");
	if ((rc = points_entry_write(c, e, fresh)) || !*fresh)
		return rc;
	return expire_if_due(c, e);
}

int
points_award_as(struct db_conn *c, const struct principal *p, int64_t rule_id,
    const char *holder_path, struct points_entry *e, int *fresh, struct why *why)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct points_rule rule;
	int rc;

	*fresh = 0;
	if (!points_may_write(p, e->holder_kind, holder_path))
		return why_refuse(why, ERR_PERM, "holder",
		    "points are written from above the unit: a unit never scores itself",
		    "积分由上级单位记录，单位不能给自己加减分");
	if (!rule_id)
		return points_award(c, NULL, e, fresh, why);
	if ((rc = points_rule_get(c, rule_id, &rule)) == ERR_NOTFOUND ||
	    (!rc && !scope_allows(p, POINTS_OWNERS, rule.org_path)))
		return why_refuse(why, ERR_INVALID, "rule_id", "no such rule of an org you manage",
		    "没有您可管理的该规则");
	if (rc)
		return rc;
	path_range(rule.org_path, lo, hi, sizeof(lo));
	if (strcmp(holder_path, lo) < 0 || strcmp(holder_path, hi) >= 0 ||
	    (!strcmp(e->holder_kind, "org") && !strcmp(holder_path, rule.org_path)))
		return why_refuse(why, ERR_INVALID, "rule_id",
		    "the holder is not below the rule's org", "积分对象不在该规则单位的下级范围内");
	return points_award(c, &rule, e, fresh, why);
}

/* What is left of an entry: its points and every correction of it. */
static int
left_of(struct db_conn *c, const struct points_entry *e, int64_t *left)
{
	int64_t corrected;
	int rc;

	if ((rc = sum_of(c, POINTS_CORRECTED, e->id, &corrected)))
		return rc;
	*left = e->points + corrected;
	return 0;
}

/* A correction of `of`: holder, org, rule and day are the entry's, so the
 * period it counted in and its rule's caps see the correction too. */
static void
correction_of(const struct points_entry *of, const char *kind, int64_t points,
    const char *reason, int64_t actor, const char *actor_name, struct points_entry *out)
{
	memset(out, 0, sizeof(*out));
	str_copy(out->holder_kind, sizeof(out->holder_kind), of->holder_kind);
	out->holder_id = of->holder_id;
	out->org_id = of->org_id;
	str_copy(out->kind, sizeof(out->kind), kind);
	out->rule_id = of->rule_id;
	out->points = out->asked = points;
	str_copy(out->on_date, sizeof(out->on_date), of->on_date);
	out->refers_to = of->id;
	utf8_cut(out->text, sizeof(out->text), reason, 500);
	out->actor_id = actor;
	str_copy(out->actor_name, sizeof(out->actor_name), actor_name);
}

static int
correctable(const struct points_entry *e, struct why *why)
{
	if (strcmp(e->kind, "rule") && strcmp(e->kind, "manual"))
		return why_refuse(why, ERR_CONFLICT, "id",
		    "only a rule's entry or an award is corrected; a correction is final",
		    "只能更正规则积分或手动加减分，更正记录本身不再更正");
	return 0;
}

int
points_reverse(struct db_conn *c, int64_t id, const char *reason, int64_t actor,
    const char *actor_name, struct points_entry *out, struct why *why)
{
	struct points_entry *e;
	int64_t left;
	int fresh, rc;

	if (!(e = malloc(sizeof(*e))))
		return ERR_NOMEM;
	if ((rc = points_entry_get(c, id, e)) || (rc = correctable(e, why)) ||
	    (rc = left_of(c, e, &left)))
		goto out;
	if (left == 0) {
		rc = why_refuse(why, ERR_CONFLICT, "id",
		    "nothing of the entry is left to take back (reversed, corrected or expired)",
		    "该记录已无可冲正的积分（已冲正、已更正或已到期）");
		goto out;
	}
	correction_of(e, "reversal", -left, reason, actor, actor_name, out);
	snprintf(out->source_key, sizeof(out->source_key), "reversal:%lld", (long long)e->id);
	if ((rc = points_entry_write(c, out, &fresh)))
		goto out;
	if (!fresh)
		rc = why_refuse(why, ERR_CONFLICT, "id", "the entry was reversed already",
		    "该记录已冲正");
out:
	free(e);
	return rc;
}

/* ---- appeals ---- */

static void
appeal_read_row(struct db_conn *c, struct points_appeal *a)
{
	memset(a, 0, sizeof(*a));
	a->id = db_col_int(c, 0);
	a->entry_id = db_col_int(c, 1);
	a->org_id = db_col_int(c, 2);
	db_col_copy(c, 3, a->reason, sizeof(a->reason));
	db_col_copy(c, 4, a->state, sizeof(a->state));
	a->by_id = db_col_int(c, 5);
	db_col_copy(c, 6, a->by_name, sizeof(a->by_name));
	a->created = db_col_int(c, 7);
	db_col_copy(c, 8, a->decision_reason, sizeof(a->decision_reason));
	a->reviewed_by = db_col_int(c, 9);
	db_col_copy(c, 10, a->reviewer, sizeof(a->reviewer));
	a->reviewed = db_col_int(c, 11);
	a->correction_id = db_col_int(c, 12);
	db_col_copy(c, 13, a->holder_kind, sizeof(a->holder_kind));
	a->holder_id = db_col_int(c, 14);
	a->entry_points = db_col_int(c, 15);
	db_col_copy(c, 16, a->entry_text, sizeof(a->entry_text));
	db_col_copy(c, 17, a->org_name, sizeof(a->org_name));
	db_col_copy(c, 18, a->org_path, sizeof(a->org_path));
	str_copy(a->holder_name, sizeof(a->holder_name), a->org_name);
}

/* A worker holder's name, from the registry (out of the subtree since:
 * none); an org holder is named by its row already. */
static int
appeal_name(struct db_conn *c, struct points_appeal *a)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct worker_row *w;

	if (strcmp(a->holder_kind, "worker"))
		return 0;
	if (!(w = malloc(sizeof(*w))))
		return ERR_NOMEM;
	path_range(a->org_path, lo, hi, sizeof(lo));
	a->holder_name[0] = '\0';
	if (!workers_get_in(c, a->holder_id, lo, hi, w))
		str_copy(a->holder_name, sizeof(a->holder_name), w->name);
	free(w);
	return 0;
}

int
points_appeal_get(struct db_conn *c, int64_t id, struct points_appeal *a)
{
	int rc;

	if ((rc = db_prep(c, POINTS_APPEAL_GET)))
		return rc;
	db_bind_int(c, 1, id);
	if ((rc = db_one(c)))
		return rc;
	appeal_read_row(c, a);
	db_done(c);
	return appeal_name(c, a);
}

int
points_appeal_open(struct db_conn *c, const struct points_entry *e, const char *reason,
    int64_t by, const char *by_name, struct points_appeal *out, struct why *why)
{
	int64_t open = 0, id;
	int rc;

	if ((rc = correctable(e, why)) || (rc = sum_of(c, POINTS_APPEAL_OPEN_FOR, e->id, &open)))
		return rc;
	if (open)
		return why_refuse(why, ERR_CONFLICT, "id",
		    "the entry has an appeal waiting for review", "该记录已有待审核的申诉");
	if ((rc = db_prep(c, POINTS_APPEAL_INSERT)))
		return rc;
	db_bind_int(c, 1, e->id);
	db_bind_int(c, 2, e->org_id);
	db_bind_text(c, 3, reason);
	opt_int(c, 4, by);
	db_bind_text(c, 5, by_name);
	db_bind_int(c, 6, clock_now());
	if ((rc = db_insert(c, &id)))
		return rc;
	return points_appeal_get(c, id, out);
}

int
points_appeal_decide(struct db_conn *c, struct points_appeal *a, const char *decision,
    const char *reason, int64_t correction, int64_t reviewer, const char *reviewer_name,
    struct why *why)
{
	struct points_entry *e = NULL, *fix = NULL;
	int upheld = !strcmp(decision, "upheld");
	int64_t left, fix_id = 0;
	int fresh, rc;

	if (strcmp(a->state, "open"))
		return why_refuse(why, ERR_CONFLICT, "state", "the appeal was decided already",
		    "该申诉已审核");
	if (!upheld && strcmp(decision, "dismissed"))
		return why_refuse(why, ERR_INVALID, "decision", "must be upheld or dismissed",
		    "须为 upheld 或 dismissed");
	if (!(e = malloc(sizeof(*e))) || !(fix = malloc(sizeof(*fix)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	if ((rc = points_entry_get(c, a->entry_id, e)))
		goto out;
	if (reviewer == a->by_id || (e->actor_id && reviewer == e->actor_id)) {
		rc = why_refuse(why, ERR_PERM, "reviewer",
		    "an appeal is decided by someone who neither made it nor wrote the entry",
		    "申诉须由申诉人和原记录人以外的人审核");
		goto out;
	}
	if (upheld) {
		if ((rc = left_of(c, e, &left)))
			goto out;
		if (!correction)
			correction = -left;
		if (!correction) {
			rc = why_refuse(why, ERR_CONFLICT, "correction",
			    "nothing of the entry is left to take back; give the correction",
			    "该记录已无可冲正的积分，请填写更正分值");
			goto out;
		}
		if (correction > POINTS_MAX_AWARD || correction < -POINTS_MAX_AWARD) {
			rc = why_refuse(why, ERR_INVALID, "correction", "at most 100000 either way",
			    "绝对值不超过 100000");
			goto out;
		}
		correction_of(e, "appeal", correction, reason, reviewer, reviewer_name, fix);
		snprintf(fix->source_key, sizeof(fix->source_key), "appeal:%lld",
		    (long long)a->id);
		if ((rc = points_entry_write(c, fix, &fresh)))
			goto out;
		fix_id = fix->id;
	}
	if ((rc = db_prep(c, POINTS_APPEAL_DECIDE)))
		goto out;
	db_bind_int(c, 1, a->id);
	db_bind_text(c, 2, upheld ? "upheld" : "dismissed");
	db_bind_text(c, 3, reason);
	db_bind_int(c, 4, reviewer);
	db_bind_text(c, 5, reviewer_name);
	db_bind_int(c, 6, clock_now());
	opt_int(c, 7, fix_id);
	if ((rc = db_run(c)))
		goto out;
	if (db_changes(c) != 1) {
		rc = why_refuse(why, ERR_CONFLICT, "state", "the appeal was decided already",
		    "该申诉已审核");
		goto out;
	}
	rc = points_appeal_get(c, a->id, a);
out:
	free(e);
	free(fix);
	return rc;
}

int
points_appeals_each(struct db_conn *c, const char *lo, const char *hi,
    const char *state, int64_t before, int64_t limit,
    int (*each)(void *ctx, const struct points_appeal *a), void *ctx)
{
	struct points_appeal *a;
	size_t n = 0, max = (size_t)limit + 1;
	int rc;

	/* read the page first: naming a worker is a query of its own */
	if (!(a = calloc(max, sizeof(*a))))
		return ERR_NOMEM;
	if ((rc = db_prep(c, POINTS_APPEALS_IN)))
		goto out;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	db_bind_text(c, 3, state ? state : "");
	db_bind_int(c, 4, before > 0 ? before : INT64_MAX);
	db_bind_int(c, 5, limit + 1);
	while ((rc = db_step(c)) == DB_ROW)
		if (n < max)
			appeal_read_row(c, &a[n++]);
	db_done(c);
	if (rc < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		if (!(rc = appeal_name(c, &a[i])))
			rc = each(ctx, &a[i]);
out:
	free(a);
	return rc < 0 ? rc : 0;
}

/* ---- balances and boards ---- */

int
points_totals_of(struct db_conn *c, const char *holder_kind, int64_t holder,
    struct points_total *out, int max, int *n)
{
	int rc;

	*n = 0;
	if ((rc = db_prep(c, POINTS_TOTALS_OF)))
		return rc;
	db_bind_text(c, 1, holder_kind);
	db_bind_int(c, 2, holder);
	while ((rc = db_step(c)) == DB_ROW) {
		if (*n >= max)
			continue;
		struct points_total *t = &out[(*n)++];

		db_col_copy(c, 0, t->period, sizeof(t->period));
		t->points = db_col_int(c, 1);
		t->expired = db_col_int(c, 2);
		t->entries = db_col_int(c, 3);
		db_col_copy(c, 4, t->reached, sizeof(t->reached));
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

int
points_board(struct db_conn *c, const char *holder_kind, const char *period,
    const char *lo, const char *hi, const struct points_board_at *at, int max,
    struct points_place *out, int *n, int *more)
{
	int rc;

	*n = 0;
	*more = 0;
	if ((rc = db_prep(c, POINTS_BOARD)))
		return rc;
	db_bind_text(c, 1, holder_kind);
	db_bind_text(c, 2, period);
	db_bind_text(c, 3, lo);
	db_bind_text(c, 4, hi);
	db_bind_int(c, 5, at->points);
	db_bind_text(c, 6, at->reached);
	db_bind_int(c, 7, at->holder_id);
	db_bind_int(c, 8, max + 1);
	while ((rc = db_step(c)) == DB_ROW) {
		if (*n >= max) {
			*more = 1;
			continue;
		}
		struct points_place *pl = &out[*n];

		memset(pl, 0, sizeof(*pl));
		pl->place = at->place + ++*n;
		pl->holder_id = db_col_int(c, 0);
		pl->org_id = db_col_int(c, 1);
		pl->points = db_col_int(c, 2);
		db_col_copy(c, 3, pl->reached, sizeof(pl->reached));
		db_col_copy(c, 4, pl->org_name, sizeof(pl->org_name));
		db_col_copy(c, 5, pl->parent_name, sizeof(pl->parent_name));
		str_copy(pl->name, sizeof(pl->name), pl->org_name);
	}
	db_done(c);
	if (rc < 0)
		return rc;
	/* a worker's name is the registry's; one transferred out of the
	 * subtree since shows none */
	for (int i = 0; i < *n && !strcmp(holder_kind, "worker"); i++) {
		struct worker_row *w = malloc(sizeof(*w));

		if (!w)
			return ERR_NOMEM;
		out[i].name[0] = '\0';
		if (!workers_get_in(c, out[i].holder_id, lo, hi, w))
			str_copy(out[i].name, sizeof(out[i].name), w->name);
		free(w);
	}
	return 0;
}

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
points_board_among(struct db_conn *c, const char *period, const char *lo,
    const char *hi, const int64_t *ids, size_t n, struct points_place *out)
{
	unsigned char *placed = NULL;
	size_t k = 0;
	int rc;

	if (!n)
		return 0;
	if (!(placed = calloc(n, 1)))
		return ERR_NOMEM;
	if ((rc = db_prep(c, POINTS_BOARD_ORGS)))
		goto out;
	db_bind_text(c, 1, period);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	while ((rc = db_step(c)) == DB_ROW) {
		int64_t id = db_col_int(c, 0);
		const int64_t *at = bsearch(&id, ids, n, sizeof(*ids), id_cmp);
		struct points_place *pl;

		if (!at || k >= n)
			continue;
		placed[at - ids] = 1;
		pl = &out[k];
		memset(pl, 0, sizeof(*pl));
		pl->place = (int64_t)++k;
		pl->holder_id = pl->org_id = id;
		pl->points = db_col_int(c, 1);
		db_col_copy(c, 2, pl->reached, sizeof(pl->reached));
	}
	db_done(c);
	if (rc < 0)
		goto out;
	rc = 0;
	/* the rest have nothing yet: after every holder with points, by id */
	for (size_t i = 0; i < n && k < n; i++) {
		if (placed[i])
			continue;
		memset(&out[k], 0, sizeof(out[k]));
		out[k].place = (int64_t)k + 1;
		out[k].holder_id = out[k].org_id = ids[i];
		k++;
	}
out:
	free(placed);
	return rc;
}

/* ---- rules into entries ---- */

/* 1 when an entry has this key, 0 when none, < 0 on error. */
static int
key_used(struct db_conn *c, const char *key)
{
	int64_t n;
	int rc;

	if ((rc = db_prep(c, POINTS_KEY_USED)))
		return rc;
	db_bind_text(c, 1, key);
	if ((rc = db_one(c)))
		return rc;
	n = db_col_int(c, 0);
	db_done(c);
	return n > 0;
}

/* One batch of one rule's facts in one transaction: *more when the batch
 * was full. The rule is read again inside, so two runners never apply
 * the same facts from a stale cursor. */
static int
apply_batch(struct db_conn *c, int64_t rule_id, struct fact *facts, int64_t *after,
    int64_t *written, int *more)
{
	const struct fact_source *src;
	struct points_rule r;
	struct points_entry *e = NULL;
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int64_t settled = 0;
	int n = 0, fresh, committed = 0, rc;

	*more = 0;
	if ((rc = db_begin(c)))
		return rc;
	if ((rc = points_rule_get(c, rule_id, &r)))
		goto out;
	if (!(src = fact_source_find(r.source)))
		goto out;
	if (!(e = malloc(sizeof(*e)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	if (*after < r.applied)
		*after = r.applied;
	path_range(r.org_path, lo, hi, sizeof(lo));
	{
		struct fact_scan s = {*after, lo, hi, r.starts, r.ends, APPLY_BATCH};

		if ((rc = src->scan(c, &s, facts, &n, &settled)))
			goto out;
	}
	for (int i = 0; i < n; i++) {
		const struct fact *f = &facts[i];

		/* a rule of an org reaches the units below it, never the org */
		if (!points_rule_takes(&r, f) ||
		    (!strcmp(r.holder_kind, "org") && f->holder_id == r.org_id))
			continue;
		memset(e, 0, sizeof(*e));
		str_copy(e->holder_kind, sizeof(e->holder_kind), r.holder_kind);
		e->holder_id = f->holder_id;
		e->org_id = f->org_id;
		str_copy(e->kind, sizeof(e->kind), "rule");
		snprintf(e->source_key, sizeof(e->source_key), "rule:%lld:%lld",
		    (long long)r.id, (long long)f->seq);
		/* a fact seen before (the scan repeats its last minute, and a
		 * report under review holds the cursor back) costs one lookup */
		if ((rc = key_used(c, e->source_key)) < 0)
			goto out;
		if (rc) {
			rc = 0;
			continue;
		}
		e->rule_id = r.id;
		e->asked = r.points;
		str_copy(e->on_date, sizeof(e->on_date), f->on_date);
		str_copy(e->text, sizeof(e->text), f->text);
		if ((rc = apply_caps(c, &r, e)) || (rc = set_expiry(&r, e)) ||
		    (rc = points_entry_write(c, e, &fresh)) ||
		    (fresh && (rc = expire_if_due(c, e))))
			goto out;
		*written += fresh;
	}
	if (settled > r.applied) {
		if ((rc = db_prep(c, POINTS_RULE_APPLIED)))
			goto out;
		db_bind_int(c, 1, r.id);
		db_bind_int(c, 2, settled);
		if ((rc = db_run(c)))
			goto out;
	}
	if (!(rc = db_commit(c))) {
		committed = 1;
		*more = n == APPLY_BATCH;
		if (n)
			*after = facts[n - 1].seq;
	}
out:
	if (!committed)
		db_rollback(c);
	free(e);
	return rc;
}

static int
rules_to_apply(struct db *db, int64_t rule_id, int64_t **ids, size_t *n)
{
	struct db_conn *c;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if ((rc = db_acquire(db, DB_READ, &c)))
		return rc;
	if ((rc = db_prep(c, POINTS_RULES_TO_APPLY)))
		goto out;
	db_bind_int(c, 1, rule_id);
	while ((rc = db_step(c)) == DB_ROW) {
		if ((rc = array_grow((void **)ids, &cap, *n + 1, sizeof(**ids))))
			break;
		(*ids)[(*n)++] = db_col_int(c, 0);
	}
	db_done(c);
out:
	db_release(c);
	return rc < 0 ? rc : 0;
}

int
points_apply(struct db *db, int64_t rule_id, int64_t *written)
{
	struct fact *facts = NULL;
	struct db_conn *c = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;

	*written = 0;
	if ((rc = rules_to_apply(db, rule_id, &ids, &n)) || !n)
		goto out;
	if (!(facts = calloc(APPLY_BATCH, sizeof(*facts)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		int64_t after = 0;
		int more = 1;

		/* the writer is given back between batches, so a long backfill
		 * never holds up the requests waiting to write */
		while (more && !rc) {
			if ((rc = db_acquire(db, DB_WRITE, &c)))
				break;
			rc = apply_batch(c, ids[i], facts, &after, written, &more);
			db_release(c);
			c = NULL;
		}
	}
out:
	free(facts);
	free(ids);
	return rc;
}

/* ---- expiry ---- */

/* One batch of due entries in one transaction, from (*last_day, *last_id)
 * on; *more when the batch was full. An entry with nothing left (reversed
 * in full, or capped to nothing) gets no expiry entry. */
static int
expire_batch(struct db_conn *c, const char *today, const char *through, char last_day[11],
    int64_t *last_id, int64_t *written, int *more)
{
	int64_t ids[EXPIRE_BATCH], left;
	char day[11] = "";
	struct points_entry *e = NULL, *x = NULL;
	int n = 0, fresh, committed = 0, rc;

	*more = 0;
	if ((rc = db_begin(c)))
		return rc;
	if ((rc = db_prep(c, POINTS_EXPIRING)))
		goto out;
	db_bind_text(c, 1, today);
	db_bind_text(c, 2, through);
	db_bind_text(c, 3, last_day);
	db_bind_int(c, 4, *last_id);
	db_bind_int(c, 5, EXPIRE_BATCH);
	while ((rc = db_step(c)) == DB_ROW && n < EXPIRE_BATCH) {
		ids[n++] = db_col_int(c, 0);
		db_col_copy(c, 1, day, sizeof(day));
	}
	db_done(c);
	if (rc < 0)
		goto out;
	rc = 0;
	if (!(e = malloc(sizeof(*e))) || !(x = malloc(sizeof(*x)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if ((rc = points_entry_get(c, ids[i], e)) || (rc = left_of(c, e, &left)))
			goto out;
		if (!left)
			continue;
		correction_of(e, "expiry", -left, "积分到期", 0, "", x);
		str_copy(x->on_date, sizeof(x->on_date), e->expires);
		snprintf(x->source_key, sizeof(x->source_key), "expiry:%lld", (long long)e->id);
		if ((rc = points_entry_write(c, x, &fresh)))
			goto out;
		*written += fresh;
	}
	if (n < EXPIRE_BATCH) {
		if ((rc = db_prep(c, POINTS_SWEEP_PUT)))
			goto out;
		db_bind_text(c, 1, today);
		if ((rc = db_run(c)))
			goto out;
	}
	if (!(rc = db_commit(c))) {
		committed = 1;
		*more = n == EXPIRE_BATCH;
		if (n) {
			str_copy(last_day, 11, day);
			*last_id = ids[n - 1];
		}
	}
out:
	if (!committed)
		db_rollback(c);
	free(e);
	free(x);
	return rc;
}

int
points_expire(struct db *db, const char *today, int64_t *written)
{
	struct db_conn *c = NULL;
	char through[11] = "", last_day[11];
	int64_t last_id = 0;
	int more = 1, rc;

	*written = 0;
	if ((rc = db_acquire(db, DB_READ, &c)))
		return rc;
	if (!(rc = db_prep(c, POINTS_SWEEP_GET)) && !(rc = db_one(c))) {
		db_col_copy(c, 0, through, sizeof(through));
		db_done(c);
	}
	db_release(c);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	rc = 0;
	if (through[0] && strcmp(through, today) >= 0)
		return 0;
	str_copy(last_day, sizeof(last_day), through);
	while (more && !rc) {
		if ((rc = db_acquire(db, DB_WRITE, &c)))
			break;
		rc = expire_batch(c, today, through, last_day, &last_id, written, &more);
		db_release(c);
	}
	return rc;
}

/* ---- the check ---- */

/* One row of points_totals, as stored or as the entries add up to it. */
struct share {
	int64_t holder, points, expired, entries;
	char period[9];
	char reached[11];
};

struct shares {
	struct share *row;
	size_t n, cap;
};

static int
share_cmp(const void *a, const void *b)
{
	const struct share *x = a, *y = b;

	if (x->holder != y->holder)
		return x->holder < y->holder ? -1 : 1;
	return strcmp(x->period, y->period);
}

/* The row of (holder, period) among the current holder's, from `first`
 * on (a holder has a few dozen: a linear look is cheapest). */
static struct share *
share_of(struct shares *s, size_t first, int64_t holder, const char *period)
{
	struct share *r;

	for (size_t i = first; i < s->n; i++)
		if (!strcmp(s->row[i].period, period))
			return &s->row[i];
	if (array_grow((void **)&s->row, &s->cap, s->n + 1, sizeof(*s->row)))
		return NULL;
	r = &s->row[s->n++];
	memset(r, 0, sizeof(*r));
	r->holder = holder;
	str_copy(r->period, sizeof(r->period), period);
	return r;
}

/* What an entry adds to its holder's rows: as totals_add writes them. */
static int
share_add(struct shares *s, size_t first, int64_t holder, const char *kind, int64_t points,
    const char *on_date)
{
	static const char *const periods[] = {"year", "half", "quarter", "month"};
	int expiry = !strcmp(kind, "expiry");
	const char *reached = expiry || !points ? "" : on_date;
	struct share *r;
	char key[9];

	if (!(r = share_of(s, first, holder, "all")))
		return ERR_NOMEM;
	r->points += points;
	r->expired += expiry ? points : 0;
	r->entries++;
	if (strcmp(reached, r->reached) > 0)
		str_copy(r->reached, sizeof(r->reached), reached);
	for (size_t i = 0; !expiry && i < sizeof(periods) / sizeof(periods[0]); i++) {
		if (points_period_key(on_date, periods[i], key))
			return ERR_INVALID;
		if (!(r = share_of(s, first, holder, key)))
			return ERR_NOMEM;
		r->points += points;
		r->entries++;
		if (strcmp(reached, r->reached) > 0)
			str_copy(r->reached, sizeof(r->reached), reached);
	}
	return 0;
}

static int
range_computed(struct db_conn *c, const char *kind, int64_t lo, int64_t hi, struct shares *s)
{
	int64_t holder = -1;
	size_t first = 0;
	int rc;

	if ((rc = db_prep(c, POINTS_CHECK_ENTRIES)))
		return rc;
	db_bind_text(c, 1, kind);
	db_bind_int(c, 2, lo);
	db_bind_int(c, 3, hi);
	while ((rc = db_step(c)) == DB_ROW) {
		int64_t h = db_col_int(c, 0);
		const char *day = db_col_text(c, 3);

		if (h != holder) {
			holder = h;
			first = s->n;
		}
		if ((rc = share_add(s, first, h, db_col_text(c, 1), db_col_int(c, 2), day ? day : "")))
			break;
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

static int
range_stored(struct db_conn *c, const char *kind, int64_t lo, int64_t hi, struct shares *s)
{
	struct share *r;
	int rc;

	if ((rc = db_prep(c, POINTS_CHECK_TOTALS)))
		return rc;
	db_bind_text(c, 1, kind);
	db_bind_int(c, 2, lo);
	db_bind_int(c, 3, hi);
	while ((rc = db_step(c)) == DB_ROW) {
		if ((rc = array_grow((void **)&s->row, &s->cap, s->n + 1, sizeof(*s->row))))
			break;
		r = &s->row[s->n++];
		r->holder = db_col_int(c, 0);
		db_col_copy(c, 1, r->period, sizeof(r->period));
		r->points = db_col_int(c, 2);
		r->expired = db_col_int(c, 3);
		r->entries = db_col_int(c, 4);
		db_col_copy(c, 5, r->reached, sizeof(r->reached));
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

static void
differs(struct buf *report, int *problems, const char *kind, const struct share *want,
    const struct share *have)
{
	static const struct share none;
	const struct share *w = want ? want : &none, *h = have ? have : &none;
	const struct share *any = want ? want : have;

	if (want && have && w->points == h->points && w->expired == h->expired &&
	    w->entries == h->entries && !strcmp(w->reached, h->reached))
		return;
	if ((*problems)++ < 50)
		buf_printf(report, "points: %s %lld period %s: totals differ from the entries by "
		    "%lld points, %lld expired, %lld entries%s\n", kind, (long long)any->holder,
		    any->period, (long long)(w->points - h->points),
		    (long long)(w->expired - h->expired), (long long)(w->entries - h->entries),
		    strcmp(w->reached, h->reached) ? ", and the day it was reached" : "");
}

/* Holder ids a range of the check covers: a few thousand holders' entries
 * and totals in memory at a time, each read in the index's order. */
#define CHECK_RANGE 2048

int
points_check(struct db_conn *c, struct buf *report, int64_t *holders)
{
	static const char *const kinds[] = {"org", "worker"};
	struct shares want = {0}, have = {0};
	int problems = 0, rc;

	*holders = 0;
	if ((rc = db_prep(c, POINTS_HOLDERS)) || (rc = db_one(c)))
		return rc;
	*holders = db_col_int(c, 0);
	db_done(c);
	for (size_t k = 0; k < 2 && !rc; k++) {
		int64_t at = 0, e, t;

		for (;;) {
			if ((rc = db_prep(c, POINTS_CHECK_NEXT)))
				break;
			db_bind_text(c, 1, kinds[k]);
			db_bind_int(c, 2, at);
			if ((rc = db_one(c)))
				break;
			e = db_col_int(c, 0);
			t = db_col_int(c, 1);
			db_done(c);
			if (!e && !t)
				break;
			at = !e ? t : !t ? e : e < t ? e : t;
			want.n = have.n = 0;
			if ((rc = range_computed(c, kinds[k], at, at + CHECK_RANGE, &want)) ||
			    (rc = range_stored(c, kinds[k], at, at + CHECK_RANGE, &have)))
				break;
			if (want.n)
				qsort(want.row, want.n, sizeof(*want.row), share_cmp);
			if (have.n)
				qsort(have.row, have.n, sizeof(*have.row), share_cmp);
			for (size_t i = 0, j = 0; i < want.n || j < have.n;) {
				int cmp = i == want.n ? 1 : j == have.n ? -1 :
				    share_cmp(&want.row[i], &have.row[j]);

				differs(report, &problems, kinds[k], cmp <= 0 ? &want.row[i] : NULL,
				    cmp >= 0 ? &have.row[j] : NULL);
				i += cmp <= 0;
				j += cmp >= 0;
			}
			at += CHECK_RANGE;
		}
	}
	free(want.row);
	free(have.row);
	return rc < 0 ? rc : problems;
}
