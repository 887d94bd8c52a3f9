/* The demo ledger: 江北区's rules (an accepted progress report, a level
 * up, awards by hand) and a few awards to its enterprises, so the
 * leaderboard and a ledger have something to show. */
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "base/clock.h"
#include "base/util.h"
#include "orgs/orgs.h"
#include "points/points.h"

struct demo_rule {
	const char *code, *title, *holder_kind, *source;
	int64_t points, cap_period, expiry_days;
};

static const struct demo_rule rules[] = {
	{"R-REPORT", "进展报告审核通过", "org", "plans.report_accepted", 5, 60, 0},
	{"R-LEVEL", "职工技能等级晋升", "worker", "workers.level_up", 20, 40, 730},
	{"R-AWARD", "表彰奖励加分", "org", POINTS_MANUAL, 30, 100, 0},
	{"R-DEDUCT", "安全生产事故扣分", "org", POINTS_MANUAL, -20, 40, 0},
};

static const struct {
	const char *street, *enterprise, *rule;
	int64_t points;
	int days_ago;
	const char *text, *evidence;
} awards[] = {
	{"甬江街道", "宁波甬江精密机械有限公司", "R-AWARD", 30, 40, "获评市级职工技能竞赛优秀组织单位",
	    "甬总工〔2026〕18号"},
	{"甬江街道", "宁波甬江精密机械有限公司", "R-AWARD", 20, 12, "建成区级劳模创新工作室",
	    "江北总工〔2026〕7号"},
	{"甬江街道", "宁波江北新材料科技有限公司", "R-AWARD", 30, 25, "产改示范项目通过验收",
	    "江北总工〔2026〕11号"},
	{"庄桥街道", "宁波庄桥汽车零部件有限公司", "R-AWARD", 30, 30, "首席技师工作室挂牌",
	    "江北总工〔2026〕9号"},
	{"庄桥街道", "宁波庄桥汽车零部件有限公司", "R-DEDUCT", -20, 8, "发生一般安全生产事故",
	    "江北应急〔2026〕3号"},
	{"庄桥街道", "宁波北岸智能装备有限公司", "R-AWARD", 20, 18, "职工培训覆盖率达标",
	    "江北总工〔2026〕12号"},
};

int
points_demo(struct db *db, const struct demo_opts *o)
{
	struct points_rule made[sizeof(rules) / sizeof(rules[0])];
	struct points_entry e;
	struct db_conn *c;
	struct org district, street, unit;
	struct why why = {0};
	char today[11], starts[11];
	int64_t by, written = 0;
	int fresh, rc;

	(void)o;
	clock_today(today);
	snprintf(starts, sizeof(starts), "%.4s-01-01", today);
	if ((rc = db_acquire(db, DB_WRITE, &c)))
		return rc;
	if ((rc = db_begin(c)))
		goto out;
	if ((rc = orgs_child_named(c, 1, "district", "江北区", &district)) ||
	    (rc = accounts_user_id(c, "jiangbei", &by)))
		goto rollback;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		struct points_rule *r = &made[i];

		memset(r, 0, sizeof(*r));
		r->org_id = district.id;
		str_copy(r->code, sizeof(r->code), rules[i].code);
		str_copy(r->title, sizeof(r->title), rules[i].title);
		str_copy(r->holder_kind, sizeof(r->holder_kind), rules[i].holder_kind);
		str_copy(r->source, sizeof(r->source), rules[i].source);
		str_copy(r->period, sizeof(r->period), "year");
		str_copy(r->starts, sizeof(r->starts), starts);
		r->points = rules[i].points;
		r->cap_period = rules[i].cap_period;
		r->expiry_days = rules[i].expiry_days;
		r->created_by = by;
		if ((rc = points_rule_insert(c, r, &why)))
			goto rollback;
		str_copy(r->org_path, sizeof(r->org_path), district.path);
	}
	for (size_t i = 0; i < sizeof(awards) / sizeof(awards[0]); i++) {
		const struct points_rule *rule = NULL;
		char day[11];

		for (size_t k = 0; k < sizeof(rules) / sizeof(rules[0]); k++)
			if (!strcmp(made[k].code, awards[i].rule))
				rule = &made[k];
		if ((rc = orgs_child_named(c, district.id, "street", awards[i].street, &street)) ||
		    (rc = orgs_child_named(c, street.id, "enterprise", awards[i].enterprise, &unit)) ||
		    (rc = date_add(today, -awards[i].days_ago, day)))
			goto rollback;
		/* early in January the days before the rules' year are not theirs */
		if (strcmp(day, starts) < 0)
			str_copy(day, sizeof(day), starts);
		memset(&e, 0, sizeof(e));
		str_copy(e.holder_kind, sizeof(e.holder_kind), "org");
		e.holder_id = e.org_id = unit.id;
		e.asked = awards[i].points;
		str_copy(e.on_date, sizeof(e.on_date), day);
		str_copy(e.text, sizeof(e.text), awards[i].text);
		str_copy(e.evidence, sizeof(e.evidence), awards[i].evidence);
		e.actor_id = by;
		str_copy(e.actor_name, sizeof(e.actor_name), "江北区总工会");
		snprintf(e.source_key, sizeof(e.source_key), "manual:demo:%zu", i);
		if ((rc = points_award(c, rule, &e, &fresh, &why)))
			goto rollback;
	}
	if ((rc = db_commit(c)))
		goto rollback;
	db_release(c);
	return points_apply(db, 0, &written);
rollback:
	if (why.en)
		fprintf(stderr, "points demo: %s: %s\n", why.field ? why.field : "", why.en);
	db_rollback(c);
out:
	db_release(c);
	return rc;
}
