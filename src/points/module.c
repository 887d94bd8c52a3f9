/* points: the points ledger (积分化评估): rules over other capabilities'
 * facts, awards, reversals, appeals, expiry, balances and leaderboards. */
#include <jansson.h>
#include <stdio.h>

#include "base/clock.h"
#include "base/metric.h"
#include "audit/audit.h"
#include "http/http.h"
#include "modules.h"
#include "points/points.h"

extern const struct route points_routes[];

static const struct route *const routes[] = {points_routes, NULL};

/* The job "points_apply": one rule's facts, from its cursor (a backfill
 * of every fact in the rule's window when the rule is new). */
static int
apply_job(struct db *db, const struct pii_key *key, int64_t job_id)
{
	struct db_conn *c;
	struct job j;
	json_t *params;
	int64_t rule_id, written = 0;
	int applied, rc;

	(void)key;
	if ((rc = db_acquire(db, DB_READ, &c)))
		return rc;
	rc = jobs_get(c, job_id, &j);
	db_release(c);
	if (rc)
		return rc;
	params = json_loads(j.params, 0, NULL);
	rule_id = json_integer_value(json_object_get(params, "rule_id"));
	json_decref(params);
	/* rule 0 would apply every rule: a job is always about one */
	applied = rule_id > 0 ? points_apply(db, rule_id, &written) : ERR_INVALID;
	if ((rc = db_acquire(db, DB_WRITE, &c)))
		return rc;
	if (!(rc = db_begin(c))) {
		j.total = j.done = j.inserted = written;
		if ((rc = jobs_progress(c, &j)) ||
		    (rc = jobs_finish(c, job_id, applied == 0,
		    applied ? "the rule could not be applied" : NULL)) || (rc = db_commit(c)))
			db_rollback(c);
	}
	db_release(c);
	return rc ? rc : applied;
}

static const struct job_kind jobs[] = {
	{"points_apply", apply_job},
	{NULL, NULL},
};

/* Every node's sweep: new facts into entries, then what has expired. */
static int
sweep(struct db *db, char *said, size_t n)
{
	int64_t applied = 0, expired = 0;
	char today[11];
	int rc;

	clock_today(today);
	if ((rc = points_apply(db, 0, &applied)) || (rc = points_expire(db, today, &expired)))
		return rc;
	snprintf(said, n, "points: %lld entries from facts, %lld expired", (long long)applied,
	    (long long)expired);
	return applied + expired > 0;
}

static const struct job_tick ticks[] = {
	{"points", sweep, 300, TICK_SWEEP},
	{NULL, NULL, 0, 0},
};

static int
check_totals(struct db_conn *c, struct buf *report, char *summary, size_t n)
{
	int64_t holders = 0;
	int problems = points_check(c, report, &holders);

	if (problems >= 0)
		snprintf(summary, n, "%lld holders, %d totals differ from their entries",
		    (long long)holders, problems);
	return problems;
}

static const struct module_check checks[] = {
	{"points", check_totals},
	{NULL, NULL},
};

static const struct metric metric_list[] = {
	{"points.earned", "points", "Points the unit earned in the period",
	    "本单位期内所得积分", points_metric_earned},
	{"points.workers_earned", "points", "Points the unit's workers earned in the period",
	    "本单位职工期内所得积分", points_metric_workers},
	{NULL, NULL, NULL, NULL, NULL},
};

static const struct audit_label audit_labels[] = {
	{"points.appeal", "提出积分申诉", "Appeal an entry"},
	{"points.appeal_review", "审核积分申诉", "Review an appeal"},
	{"points.award", "手动加减分", "Award points by hand"},
	{"points.reverse", "冲正积分", "Reverse an entry"},
	{"points.rule_create", "新建积分规则", "Create a points rule"},
	{"points.rule_retire", "停用积分规则", "Retire a points rule"},
	{NULL, NULL, NULL},
};

const struct module points_module = {
	.name = "points",
	.routes = routes,
	.jobs = jobs,
	.ticks = ticks,
	.checks = checks,
	.demo = points_demo,
	.metrics = metric_list,
	.audit_labels = audit_labels,
};
