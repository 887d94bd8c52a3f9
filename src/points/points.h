/* The points ledger (积分化评估): rules that turn facts other capabilities
 * record (base/fact.h) into points for an org or a worker, awards by hand
 * with evidence, reversals, appeals (申诉) with review, expiry, balances
 * and leaderboards. The ledger is append-only: an entry is never updated
 * or deleted, a correction is an entry of its own, and a balance is the
 * sum of a holder's entries (points_totals keeps it in the same
 * transaction; `changai check` adds the entries up again). */
#ifndef CHANGAI_POINTS_H
#define CHANGAI_POINTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/fact.h"
#include "db/db.h"
#include "scope/scope.h"

struct buf;
struct demo_opts;
struct jw;

/* who writes rules, awards, reverses and reviews appeals over an org */
#define POINTS_OWNERS (ROLE_ADMIN | ROLE_OPERATOR)
/* who reads an org's points and appeals an entry about it */
#define POINTS_READERS (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER | ROLE_DEPARTMENT)
/* a worker's points are read where the roster is read */
#define POINTS_WORKER_READERS PII_ROLES

/* a rule's source for awards by hand */
#define POINTS_MANUAL "manual"
/* the leaderboards' published order */
#define POINTS_TIE_BREAK_EN "more points first; on equal points, whoever reached the " \
	"total earlier; then the smaller holder id"
#define POINTS_TIE_BREAK_ZH "积分高者在前；积分相同，先达到该积分者在前；再相同，编号小者在前"

#define POINTS_CODE_MAX 32
#define POINTS_TITLE_MAX (100 * 4 + 1)
#define POINTS_REASON_MAX (500 * 4 + 1)
/* "manual:" + a user id + ":" + the client's key of 64 characters (256
 * bytes): a longer key cut short could make two awards one */
#define POINTS_KEY_MAX 320
#define POINTS_MAX_AWARD 100000

struct points_rule {
	int64_t id, org_id;
	char code[POINTS_CODE_MAX + 1];
	char title[POINTS_TITLE_MAX];
	char holder_kind[8];            /* "org" | "worker" */
	char source[64];                /* a fact source's name or "manual" */
	int64_t points;                 /* per fact (a manual rule: the most per award) */
	int has_min;
	double min_amount;              /* the fact's amount must reach it */
	int64_t cap_day, cap_period, cap_lifetime;   /* 0: none */
	char period[8];                 /* "year" | "half" | "quarter" | "month" */
	int64_t expiry_days;            /* 0: never */
	char starts[11], ends[11];      /* ends "": open */
	char state[8];                  /* "active" | "retired" */
	int64_t applied;                /* the fact cursor: every fact up to it is in */
	int64_t created_by, created;
	char org_name[100 * 4 + 1];
	char org_path[ORG_PATH_MAX];
};

struct points_entry {
	int64_t id;
	char holder_kind[8];
	int64_t holder_id, org_id;
	char kind[10];                  /* rule manual reversal appeal expiry */
	char source_key[POINTS_KEY_MAX];
	int64_t rule_id;                /* 0: none */
	int64_t points;                 /* what counts */
	int64_t asked;                  /* what the rule or the award asked (caps cut it) */
	char on_date[11];
	char expires[11];               /* "": never; the day it stops counting */
	int64_t refers_to;              /* the entry a correction or expiry is about */
	char text[POINTS_REASON_MAX];
	char evidence[POINTS_REASON_MAX];
	int64_t actor_id;
	char actor_name[64 * 4 + 1];
	int64_t created;
	/* read with the entry, not stored in it */
	int64_t corrected;              /* the sum of the entries that refer to it */
	char rule_code[POINTS_CODE_MAX + 1];
	char rule_title[POINTS_TITLE_MAX];
	char org_path[ORG_PATH_MAX];
	char appeal_state[12];          /* the latest appeal's state, "" none */
};

struct points_appeal {
	int64_t id, entry_id, org_id;
	char reason[POINTS_REASON_MAX];
	char state[12];                 /* open upheld dismissed */
	int64_t by_id;
	char by_name[64 * 4 + 1];
	int64_t created;
	char decision_reason[POINTS_REASON_MAX];
	int64_t reviewed_by, reviewed, correction_id;
	char reviewer[64 * 4 + 1];
	/* from the entry */
	char holder_kind[8];
	int64_t holder_id, entry_points;
	char entry_text[POINTS_REASON_MAX];
	char org_name[100 * 4 + 1];
	char org_path[ORG_PATH_MAX];
	char holder_name[100 * 4 + 1];  /* the org's, or the worker's from the registry */
};

/* A holder's balance: the 'all' row and the period rows. */
struct points_total {
	char period[8];
	int64_t points, expired, entries;
	char reached[11];
};

/* ---- access.c ---- */

/* Whether p may write points for a holder whose org path is holder_path:
 * an owner over the org above an org holder (a unit never scores itself),
 * over a worker's own org. */
int points_may_write(const struct principal *p, const char *holder_kind,
    const char *holder_path);

/* Whoever corrects an entry (reverses it, decides an appeal about it) may
 * write its holder's points and, for a rule's entry, manages the rule's
 * org: 0 or ERR_PERM. */
struct points_entry;
int points_may_correct(struct db_conn *c, const struct principal *p,
    const struct points_entry *e, const char *holder_path);

/* ---- rules.c: the arithmetic, no store ---- */

/* The period key of a day: year "2026", half "2026-H2", quarter
 * "2026-Q4", month "2026-12"; ERR_INVALID for an unknown period. */
int points_period_key(const char *date, const char *period, char out[9]);
/* Whether s names a period as boards ask for one: "all", "2026",
 * "2026-H2", "2026-Q4" or "2026-12". */
int points_period_key_ok(const char *s);
/* The period a board asks for as its key (out): asked, checked, or this
 * year's when it names none; ERR_BADREQ with why (field period) otherwise. */
int points_period_pick(const char *asked, char out[9], struct why *why);
/* The first and last day of the period containing date. */
int points_period_range(const char *date, const char *period, char from[11], char to[11]);
/* What an entry asking `asked` may count, given what the holder already
 * has of the rule that day, that period and ever (caps 0: none). Caps
 * bound the size of the sum either way: a deduction rule's caps bound
 * how much it takes away. */
int64_t points_capped(int64_t asked, int64_t day, int64_t period, int64_t lifetime,
    int64_t cap_day, int64_t cap_period, int64_t cap_lifetime);
/* Whether a rule may be stored: a known source whose holder kind is the
 * rule's, a window that ends after it starts, caps that fit the award. */
int points_rule_check(const struct points_rule *r, struct why *why);
/* Whether a rule turns a fact into points: active, the fact's day in the
 * window, the amount at least the rule's minimum. */
int points_rule_takes(const struct points_rule *r, const struct fact *f);

/* ---- ledger.c: the store ---- */

int points_rule_insert(struct db_conn *c, struct points_rule *r, struct why *why);
int points_rule_get(struct db_conn *c, int64_t id, struct points_rule *r);
/* The rules that reach path's subtree: its orgs' and those of the orgs
 * above it, newest first. */
int points_rules_each(struct db_conn *c, const char *path,
    int (*each)(void *ctx, const struct points_rule *r), void *ctx);
/* Retires a rule from `ends` on: it takes no fact dated later. */
int points_rule_retire(struct db_conn *c, struct points_rule *r, const char *ends,
    struct why *why);

/* Appends e (source_key set) and its totals. *fresh 0 when the key was
 * there already: e is then the stored entry and nothing was written. */
int points_entry_write(struct db_conn *c, struct points_entry *e, int *fresh);
int points_entry_get(struct db_conn *c, int64_t id, struct points_entry *e);
/* A holder's entries, newest first, ids below before (0: from the newest),
 * at most limit + 1 of them. */
int points_entries_each(struct db_conn *c, const char *holder_kind, int64_t holder,
    int64_t before, int64_t limit,
    int (*each)(void *ctx, const struct points_entry *e), void *ctx);

/* An award by hand: e holds the holder, points, on_date, text, evidence,
 * the actor and the client's key (source_key "" for a fresh one); rule
 * the manual rule whose caps apply, or NULL. *fresh as above. */
int points_award(struct db_conn *c, const struct points_rule *rule,
    struct points_entry *e, int *fresh, struct why *why);
/* The same for the caller p, who must be allowed to write the holder's
 * points (points_may_write: ERR_PERM otherwise): rule_id 0 for none, else
 * a manual rule of an org p manages whose subtree holds holder_path. */
int points_award_as(struct db_conn *c, const struct principal *p, int64_t rule_id,
    const char *holder_path, struct points_entry *e, int *fresh, struct why *why);
/* Takes back what is left of entry id (a rule's or an award): a new
 * entry *out of the opposite sign, dated as the entry. */
int points_reverse(struct db_conn *c, int64_t id, const char *reason, int64_t actor,
    const char *actor_name, struct points_entry *out, struct why *why);

int points_appeal_open(struct db_conn *c, const struct points_entry *e, const char *reason,
    int64_t by, const char *by_name, struct points_appeal *out, struct why *why);
int points_appeal_get(struct db_conn *c, int64_t id, struct points_appeal *a);
/* Decides an open appeal. Upheld writes the correction (correction != 0;
 * "take back what is left" when *correction is 0 on entry) as an entry
 * whose id lands in a->correction_id. The reviewer is neither the one who
 * appealed nor the one who wrote the entry. */
int points_appeal_decide(struct db_conn *c, struct points_appeal *a, const char *decision,
    const char *reason, int64_t correction, int64_t reviewer, const char *reviewer_name,
    struct why *why);
/* Appeals about holders in [lo, hi), newest first; state "" for all. */
int points_appeals_each(struct db_conn *c, const char *lo, const char *hi,
    const char *state, int64_t before, int64_t limit,
    int (*each)(void *ctx, const struct points_appeal *a), void *ctx);

/* A holder's totals: the 'all' row first, then the periods, newest first. */
int points_totals_of(struct db_conn *c, const char *holder_kind, int64_t holder,
    struct points_total *out, int max, int *n);

struct points_place {
	int64_t place, holder_id, org_id, points;
	char reached[11];
	char org_name[100 * 4 + 1];
	char parent_name[100 * 4 + 1];  /* the org above org_id: an org holder's 所属 */
	char name[100 * 4 + 1];         /* the holder's name (an org's or a worker's) */
};
/* Where a leaderboard page starts: after the holder at `place`, who had
 * `points` reached on `reached` (the first page: points_board_first). */
struct points_board_at {
	int64_t points, holder_id, place;
	char reached[11];
};
void points_board_first(struct points_board_at *at);
/* The cursor of the page after `last` as text ("POINTS.REACHED.HOLDER.PLACE",
 * at most POINTS_CURSOR_MAX bytes with its NUL), and back; ERR_INVALID for
 * text that is not one. */
#define POINTS_CURSOR_MAX 64
void points_board_cursor(const struct points_place *last, char out[POINTS_CURSOR_MAX]);
int points_board_cursor_parse(const char *s, struct points_board_at *at);
/* A leaderboard page: holders of a kind whose org is in [lo, hi), for a
 * period key, in the published order, after `at`; fills up to max places
 * (*n, each named: an org's name, a worker's from the registry) and *more
 * when there are further rows. */
int points_board(struct db_conn *c, const char *holder_kind, const char *period,
    const char *lo, const char *hi, const struct points_board_at *at, int max,
    struct points_place *out, int *n, int *more);

/* The board of a given set of orgs (an evaluation class, say): ids, n of
 * them sorted ascending, all in [lo, hi); out (n places, the caller's)
 * gets every one of them in the published order, those without points
 * last with 0. Names are left to the caller, who has the set. */
int points_board_among(struct db_conn *c, const char *period, const char *lo,
    const char *hi, const int64_t *ids, size_t n, struct points_place *out);

/* Rules into entries: every active rule with a fact source (rule_id 0) or
 * one, each fact once, in transactions of a few hundred facts. */
int points_apply(struct db *db, int64_t rule_id, int64_t *written);
/* Expiry entries for everything whose day to stop counting is today or
 * earlier. */
int points_expire(struct db *db, const char *today, int64_t *written);
/* `changai check`: totals that differ from the entries, to report. */
int points_check(struct db_conn *c, struct buf *report, int64_t *holders);

/* The metrics points.earned (the org's own) and points.workers_earned
 * (its subtree's workers'), earned within the period (base/metric.h). */
struct metric_unit;
int points_metric_earned(struct db_conn *c, const struct metric_unit *u, double *x,
    int *have, char *filters, size_t n);
int points_metric_workers(struct db_conn *c, const struct metric_unit *u, double *x,
    int *have, char *filters, size_t n);

int points_demo(struct db *db, const struct demo_opts *o);

#endif
