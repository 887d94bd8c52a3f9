/* The demo indexes: 江北区's enterprise index (skills, organisation,
 * innovation, an honours bonus, a safety deduction and a safety veto; two
 * classes, 规上工业企业 and 中小微企业, assigned by rule) and its street
 * index (plan completion and the registry's ratios). Each has last year's
 * period computed and sealed and this year's computed and open, so the
 * ranking, the stars, the explanation and the seal all show on any day.
 * Reported values come from the unit's id, so the same store always gives
 * the same scores. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "db/db.h"
#include "evaluation/evaluation.h"
#include "jobs/jobs.h"
#include "modules.h"
#include "orgs/orgs.h"

struct demo_node {
	const char *parent, *code, *kind, *title, *unit;
	double weight;
	const char *metric;      /* NULL: reported */
	const char *method;      /* JSON, or NULL */
	double cap;
};

static const struct demo_node enterprise_tree[] = {
	{NULL, "A", "dimension", "技能人才", "", 40, NULL, NULL, 0},
	{"A", "A1", "indicator", "高技能人才占比", "%", 3, "workers.high_skill_ratio",
	    "{\"kind\":\"ratio\",\"benchmark\":0.35}", 0},
	{"A", "A2", "indicator", "技能劳动者人数", "人", 2, "workers.skilled",
	    "{\"kind\":\"bands\",\"bands\":[{\"min\":0,\"score\":40},{\"min\":20,\"score\":60},"
	    "{\"min\":80,\"score\":80},{\"min\":200,\"score\":100}]}", 0},
	{NULL, "B", "dimension", "组织建设", "", 30, NULL, NULL, 0},
	{"B", "B1", "indicator", "职工入会率", "%", 1, "workers.union_rate",
	    "{\"kind\":\"efficacy\",\"worst\":0.6,\"best\":0.95}", 0},
	{NULL, "C", "dimension", "创新发展", "", 30, NULL, NULL, 0},
	{"C", "C1", "indicator", "职工创新成果", "项", 2, NULL,
	    "{\"kind\":\"linear\",\"worst\":0,\"best\":6}", 0},
	{"C", "C2", "indicator", "建成职工创新工作室", "", 1, NULL, "{\"kind\":\"milestone\"}", 0},
	/* the law sets 1.5 %–2.5 % of the wage bill aside for training */
	{"C", "C3", "indicator", "职工教育经费占工资总额比例", "%", 2, NULL,
	    "{\"kind\":\"efficacy\",\"worst\":0.015,\"best\":0.025}", 0},
	{NULL, "X1", "bonus", "市级以上荣誉加分", "分", 0, NULL, NULL, 5},
	{NULL, "X2", "bonus", "欠薪投诉扣分", "分", 0, NULL, NULL, -5},
	{NULL, "V1", "veto", "未发生重大安全生产事故", "", 0, NULL, NULL, 0},
	{NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0},
};

static const struct demo_node street_tree[] = {
	{NULL, "P", "dimension", "改革推进", "", 50, NULL, NULL, 0},
	{"P", "P1", "indicator", "实施方案完成率", "%", 1, "plans.completion",
	    "{\"kind\":\"linear\",\"worst\":0,\"best\":1}", 0},
	{NULL, "S", "dimension", "队伍结构", "", 50, NULL, NULL, 0},
	{"S", "S1", "indicator", "高技能人才占比", "%", 1, "workers.high_skill_ratio",
	    "{\"kind\":\"ratio\",\"benchmark\":0.35}", 0},
	{"S", "S2", "indicator", "职工入会率", "%", 1, "workers.union_rate",
	    "{\"kind\":\"efficacy\",\"worst\":0.6,\"best\":0.95}", 0},
	{NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0},
};

static int
add_tree(struct db_conn *c, int64_t index_id, const struct demo_node *spec)
{
	struct why why = {0};
	int64_t ids[32] = {0};
	int rc;

	for (size_t i = 0; spec[i].code; i++) {
		struct eval_node n;

		memset(&n, 0, sizeof(n));
		n.kind = eval_kind_parse(spec[i].kind);
		str_copy(n.code, sizeof(n.code), spec[i].code);
		str_copy(n.title, sizeof(n.title), spec[i].title);
		str_copy(n.unit, sizeof(n.unit), spec[i].unit);
		n.weight = spec[i].weight;
		for (size_t p = 0; spec[i].parent && p < i; p++)
			if (!strcmp(spec[p].code, spec[i].parent))
				n.parent_id = ids[p];
		if (spec[i].metric)
			str_copy(n.metric, sizeof(n.metric), spec[i].metric);
		else if (n.kind != EK_DIMENSION)
			n.reported = 1;
		if (spec[i].method) {
			json_t *j = json_loads(spec[i].method, 0, NULL);

			rc = eval_method_parse(j, &n.method, &why);
			json_decref(j);
			if (rc)
				return ERR_INTERNAL;
		}
		n.has_cap = n.kind == EK_BONUS;
		n.cap = spec[i].cap;
		if ((rc = eval_node_add(c, index_id, &n, &why)))
			return rc;
		ids[i] = n.id;
	}
	return 0;
}

static int
add_index(struct db_conn *c, int64_t org_id, int64_t by, const char *title,
    const char *kind, const struct demo_node *spec, struct eval_index *x)
{
	int rc;

	memset(x, 0, sizeof(*x));
	x->org_id = org_id;
	x->created_by = by;
	str_copy(x->title, sizeof(x->title), title);
	str_copy(x->unit_kind, sizeof(x->unit_kind), kind);
	if ((rc = eval_index_insert(c, x)) || (rc = eval_index_get(c, x->id, x)))
		return rc;
	return add_tree(c, x->id, spec);
}

static int
add_class(struct db_conn *c, const struct eval_index *x, const char *name,
    const char *weights, const char *rule)
{
	struct eval_class k;
	struct why why = {0};
	json_t *r = json_loads(rule, 0, NULL);
	size_t n;
	int rc;

	memset(&k, 0, sizeof(k));
	k.index_id = x->id;
	str_copy(k.name, sizeof(k.name), name);
	str_copy(k.weights, sizeof(k.weights), weights);
	str_copy(k.methods, sizeof(k.methods), "{}");
	if (!(rc = eval_class_add(c, &k, &why)))
		rc = eval_members_rule(c, x, k.id, r, &why, &n);
	json_decref(r);
	return rc;
}

struct unit_values {
	struct db_conn *c;
	const struct eval_index *x;
	struct eval_period *p;
	int64_t by;
	int year;
	int rc;
};

/* A small fixed mix: most units innovate a little, a third have a studio,
 * some hold honours, a few lose points for wage complaints, and one in
 * about forty had a serious accident. */
static int
enterprise_values(struct unit_values *u, int64_t org)
{
	struct { const char *code; double value; const char *note; } v[6];
	struct why why = {0};
	uint64_t h = (uint64_t)org * 2654435761u + (uint64_t)u->year * 40503u;
	int n = 0, rc;

	v[n].code = "C1";
	v[n].value = (double)(h % 8);
	v[n++].note = "年度职工技术创新成果（专利、QC 成果、合理化建议）";
	v[n].code = "C2";
	v[n].value = (h / 8) % 3 == 0;
	v[n++].note = "职工创新工作室命名文件";
	v[n].code = "C3";
	v[n].value = 0.008 + (double)((h >> 7) % 2201) / 100000;
	v[n++].note = "年度职工教育经费提取与使用台账";
	if ((h / 24) % 5 == 0) {
		v[n].code = "X1";
		v[n].value = 3 + (double)((h / 120) % 3);
		v[n++].note = "市级以上劳动奖状、工人先锋号";
	}
	if ((h / 360) % 9 == 0) {
		v[n].code = "X2";
		v[n].value = -2;
		v[n++].note = "欠薪投诉经核实";
	}
	v[n].code = "V1";
	v[n].value = (h / 3240) % 40 != 7;
	v[n++].note = "应急管理部门出具的安全生产情况";
	for (int i = 0; i < n; i++) {
		struct eval_value ev;

		memset(&ev, 0, sizeof(ev));
		ev.org_id = org;
		ev.value = v[i].value;
		str_copy(ev.code, sizeof(ev.code), v[i].code);
		str_copy(ev.note, sizeof(ev.note), v[i].note);
		str_copy(ev.state, sizeof(ev.state), "accepted");
		str_copy(ev.entered_name, sizeof(ev.entered_name), "江北区总工会");
		ev.entered_by = u->by;
		if ((rc = eval_value_put(u->c, u->x, u->p, &ev, &why)))
			return rc;
	}
	return 0;
}

static int
add_period(struct db_conn *c, const struct eval_index *x, int year, struct eval_period *p)
{
	struct why why = {0};

	memset(p, 0, sizeof(*p));
	p->index_id = x->id;
	snprintf(p->label, sizeof(p->label), "%d年度", year);
	snprintf(p->starts, sizeof(p->starts), "%04d-01-01", year);
	snprintf(p->ends, sizeof(p->ends), "%04d-12-31", year);
	return eval_period_add(c, p, &why);
}

/* Computes p as the server's job would, then seals it when asked. */
static int
compute(struct db *db, const struct eval_index *x, const struct eval_period *p, int seal,
    int64_t by)
{
	char params[64], hash[65];
	struct why why = {0};
	struct db_conn *c;
	int64_t job;
	int rc;

	snprintf(params, sizeof(params), "{\"period_id\":%lld}", (long long)p->id);
	if ((rc = db_acquire(db, DB_WRITE, &c)))
		return rc;
	if ((rc = db_begin(c)))
		goto out;
	if ((rc = jobs_create(c, "eval_compute", x->org_id, x->org_path, by, "jiangbei", params,
	    0, &job)) || (rc = eval_period_queued(c, p->id, job, &why)) || (rc = db_commit(c))) {
		db_rollback(c);
		goto out;
	}
	db_release(c);
	c = NULL;
	if ((rc = eval_compute_run(db, NULL, job)) || !seal)
		goto out;
	if ((rc = db_acquire(db, DB_WRITE, &c)))
		return rc;
	if ((rc = db_begin(c)))
		goto out;
	if ((rc = eval_period_seal(c, p->id, by, hash, &why)) || (rc = db_commit(c)))
		db_rollback(c);
out:
	if (c)
		db_release(c);
	return rc;
}

/* Tests p's ranking with the defaults (200 replications, weights ±25 %,
 * the top 10) as the server's job would, so the robustness and naming
 * pages have a run. */
static int
robustness(struct db *db, const struct eval_index *x, int64_t period_id, int64_t by)
{
	struct eval_robust_opts opts;
	struct eval_period p;
	char params[64];
	struct why why = {0};
	struct db_conn *c;
	int64_t job;
	int rc;

	eval_robust_opts_default(&opts);
	snprintf(params, sizeof(params), "{\"period_id\":%lld}", (long long)period_id);
	if ((rc = db_acquire(db, DB_WRITE, &c)))
		return rc;
	if ((rc = db_begin(c)))
		goto out;
	if ((rc = eval_period_get(c, period_id, &p)) ||
	    (rc = jobs_create(c, "eval_robust", x->org_id, x->org_path, by, "jiangbei", params,
	    0, &job)) || (rc = eval_robust_request(c, &p, &opts, job, by, &why)) ||
	    (rc = db_commit(c))) {
		db_rollback(c);
		goto out;
	}
	db_release(c);
	return eval_robust_job(db, NULL, job);
out:
	db_release(c);
	return rc;
}

/* The ids of the index's units, all of them; the caller frees *ids. */
static int
unit_ids(struct db_conn *c, const struct eval_index *x, int64_t **ids, size_t *n)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	size_t cap = 0;
	int rc = db_prep(c, EVAL_UNITS);

	*ids = NULL;
	*n = 0;
	if (rc)
		return rc;
	path_range(x->org_path, lo, hi, sizeof(lo));
	db_bind_text(c, 1, x->unit_kind);
	db_bind_text(c, 2, x->org_path);
	db_bind_text(c, 3, hi);
	while ((rc = db_step(c)) == DB_ROW) {
		if ((rc = array_grow((void **)ids, &cap, *n, sizeof(**ids))))
			break;
		(*ids)[(*n)++] = db_col_int(c, 0);
	}
	db_done(c);
	if (rc < 0) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return rc;
	}
	return 0;
}

int
evaluation_demo(struct db *db, const struct demo_opts *o)
{
	struct eval_index ent, street;
	struct eval_period periods[4];
	struct db_conn *c;
	struct org district;
	int64_t by, *units = NULL;
	int year = clock_year(), rc;
	size_t n = 0;

	(void)o;
	if ((rc = db_acquire(db, DB_WRITE, &c)))
		return rc;
	if ((rc = db_begin(c)))
		goto out;
	if ((rc = orgs_child_named(c, 1, "district", "江北区", &district)) ||
	    (rc = accounts_user_id(c, "jiangbei", &by)) ||
	    (rc = add_index(c, district.id, by, "江北区企业产改指数", "enterprise",
	    enterprise_tree, &ent)) ||
	    (rc = add_class(c, &ent, "规上工业企业", "{}", "{\"above_scale\":true}")) ||
	    (rc = add_class(c, &ent, "中小微企业", "{\"A\":30,\"B\":40,\"C\":30}",
	    "{\"above_scale\":false}")) ||
	    (rc = add_index(c, district.id, by, "江北区街道产改指数", "street", street_tree,
	    &street)) ||
	    (rc = unit_ids(c, &ent, &units, &n)))
		goto rollback;
	for (int k = 0; k < 2; k++) {
		struct unit_values u = {c, &ent, &periods[k], by, year - 1 + k, 0};

		if ((rc = add_period(c, &ent, year - 1 + k, &periods[k])) ||
		    (rc = add_period(c, &street, year - 1 + k, &periods[2 + k])))
			goto rollback;
		for (size_t i = 0; i < n; i++)
			if ((rc = enterprise_values(&u, units[i])))
				goto rollback;
	}
	if ((rc = db_commit(c)))
		goto rollback;
	db_release(c);
	free(units);
	/* last year sealed, this year open */
	if ((rc = compute(db, &ent, &periods[0], 1, by)) ||
	    (rc = compute(db, &ent, &periods[1], 0, by)) ||
	    (rc = compute(db, &street, &periods[2], 1, by)) ||
	    (rc = compute(db, &street, &periods[3], 0, by)) ||
	    (rc = robustness(db, &ent, periods[0].id, by)) ||
	    (rc = robustness(db, &ent, periods[1].id, by)))
		return rc;
	return 0;
rollback:
	db_rollback(c);
out:
	db_release(c);
	free(units);
	return rc;
}
