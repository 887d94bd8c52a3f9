/* The demo plans: 江北区's implementation plan, "4 方面 17 条工作目标 53 项
 * 重点工作任务" across its 8 departments, and 甬江街道's reconciliation
 * statement, "4 个方面 17 大项 52 分项" reconciled with the same 8
 * departments, for two years, so the demo means something on any day:
 *   - the previous year, whole: monthly reports (the 25th of each month),
 *     all reviewed, and its statements sealed at mid-year and at the year's
 *     end, so in January officials see last year's result;
 *   - the current year up to today (the one clock): reports to the last
 *     25th, those older than two months reviewed (some returned and
 *     corrected), the newer ones awaiting review.
 * Values come from a fixed seed, so the same day always gives the same
 * store. */
#include "modules.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "db/db.h"
#include "accounts/accounts.h"
#include "plans/plans.h"

/* Owners: 1..8 are the departments d1..d8 of demo.c; 9 is the street's
 * own union (the statement's org). */
enum { OWN_STREET = 9 };
/* the store's default due-soon window (settings), for the sealed ones */
#define DEMO_DUE_SOON 30

struct demo_task {
	const char *title;
	const char *unit;          /* NULL: a milestone */
	double target;
	int lead, co;              /* owners; co 0 = none */
	int metric;
};

struct demo_item {
	const char *title;
	struct demo_task tasks[4];
};

struct demo_aspect {
	const char *title;
	struct demo_item items[5];
};

#define T(title, unit, target, lead, co) {title, unit, target, lead, co, PM_MANUAL}
#define M(title, lead, co) {title, NULL, 0, lead, co, PM_MANUAL}
#define END {NULL, NULL, 0, 0, 0, 0}

/* 4 方面 17 条工作目标 53 项重点工作任务 */
static const struct demo_aspect district[4] = {
	{"加强思想政治引领", {
		{"强化党建引领", {T("新建非公企业党组织数", "个", 12, 4, 0),
		    T("非公企业党组织覆盖率", "%", 85, 4, 0),
		    T("开展产业工人理想信念教育", "场", 40, 4, 2), END}},
		{"深化劳模工匠精神宣传", {T("劳模工匠进企业宣讲", "场", 30, 1, 2),
		    T("选树“江北工匠”人数", "人", 20, 1, 0),
		    M("拍摄劳模工匠宣传片", 2, 0), END}},
		{"扩大工会组织覆盖", {T("新建企业工会数", "个", 25, 5, 0),
		    T("新发展工会会员人数", "人", 3000, 1, 0),
		    T("新就业形态劳动者入会人数", "人", 800, 8, 1), END}},
		{"提升产业工人政治地位", {T("推荐产业工人担任各级代表", "人", 15, 4, 0),
		    T("推荐产业工人担任工会兼职副主席", "人", 10, 4, 0),
		    M("建立产业工人参政议政机制", 4, 0), END}},
	}},
	{"构建技能形成体系", {
		{"深化技能等级认定", {T("技能等级认定人数", "人", 6000, 1, 0),
		    T("自主评价企业数", "家", 60, 1, 5),
		    T("新增高技能人才", "人", 2500, 1, 0), END}},
		{"推进产教融合", {T("校企合作订单班数", "个", 15, 2, 0),
		    T("职业院校实训基地建设", "个", 5, 2, 7),
		    T("企业新型学徒制培养人数", "人", 500, 1, 0), END}},
		{"开展劳动和技能竞赛", {T("举办区级职业技能竞赛", "场", 30, 1, 0),
		    T("参赛职工人次", "人次", 10000, 1, 5),
		    T("市级以上竞赛获奖人数", "人", 20, 1, 0), END}},
		{"健全职工培训体系", {T("职业技能培训人次", "人次", 20000, 1, 0),
		    T("补贴性职业技能培训人次", "人次", 12000, 7, 1),
		    T("建成“职工学堂”示范点", "个", 8, 2, 0), END}},
		{"加强创新工作室建设", {T("新建劳模工匠创新工作室数", "个", 6, 6, 0),
		    T("创新工作室取得成果数", "项", 60, 6, 0),
		    T("职工“五小”创新成果", "项", 200, 5, 0),
		    T("职工发明专利授权数", "项", 50, 6, 0)}},
	}},
	{"完善发展保障机制", {
		{"推行能级工资集体协商", {T("签订能级工资专项集体合同企业数", "家", 50, 1, 0),
		    T("能级工资集体合同覆盖职工人数", "人", 20000, 1, 0),
		    M("发布技能人才薪酬价位表", 1, 0), END}},
		{"落实技能人才待遇", {T("高技能人才安家补助发放人数", "人", 300, 7, 8),
		    T("技能人才人才公寓房源", "套", 200, 8, 0),
		    T("兑现技能提升补贴资金", "万元", 1500, 7, 0), END}},
		{"加强职工健康关爱", {T("职工健康体检覆盖率", "%", 90, 3, 0),
		    T("建设职工心理健康服务站", "个", 10, 3, 0),
		    T("职业病防治宣传进企业", "场", 30, 3, 0), END}},
		{"维护职工合法权益", {T("劳动争议调解成功率", "%", 85, 1, 0),
		    T("建设户外劳动者驿站", "个", 20, 8, 0),
		    M("出台困难职工帮扶办法", 7, 0), END}},
	}},
	{"创新建功立业载体", {
		{"开展“当好主人翁、建功新时代”活动", {T("组织劳动竞赛项目", "个", 25, 5, 0),
		    T("评选区级先进班组", "个", 30, 5, 0),
		    T("推荐市级以上工人先锋号", "个", 5, 5, 0), END}},
		{"打造产改示范点", {T("培育产改示范企业", "家", 20, 5, 0),
		    T("建设产改示范街道园区", "个", 2, 5, 8),
		    M("召开产改现场推进会", 5, 0), END}},
		{"深化职工技术创新", {T("职工参与企业研发项目", "项", 80, 6, 0),
		    T("职工技术创新成果转化", "项", 30, 6, 0),
		    M("举办职工技术创新成果展", 6, 0), END}},
		{"强化数字赋能", {M("建成产改信息管理平台", 5, 0),
		    T("花名册录入企业覆盖率", "%", 90, 5, 0),
		    T("数字技能培训人次", "人次", 5000, 2, 0),
		    T("产改数据月度报送及时率", "%", 95, 7, 0)}},
	}},
};

/* 4 个方面 17 大项 52 分项, reconciled with the 8 departments */
static const struct demo_aspect street[4] = {
	{"产业工人队伍建设", {
		{"党建引领", {T("新建非公企业党组织数", "个", 3, 4, 0),
		    T("党员职工示范岗", "个", 10, 4, 0),
		    T("开展主题教育活动", "场", 8, 4, OWN_STREET), END}},
		{"工会组建", {{"工会会员入会率", "%", 90, OWN_STREET, 0, PM_UNION_RATE},
		    T("新建企业工会", "个", 5, OWN_STREET, 5),
		    T("新就业形态劳动者入会人数", "人", 200, OWN_STREET, 0), END}},
		{"队伍摸底", {T("花名册更新企业数", "家", 40, OWN_STREET, 0),
		    M("产业工人数据库建成", 5, 0),
		    T("重点企业走访", "家", 30, 5, 0), END}},
		{"工匠选树", {T("选树“甬江工匠”人数", "人", 40, 1, OWN_STREET),
		    T("推荐“江北工匠”人数", "人", 5, 1, 0),
		    T("工匠事迹宣传报道", "篇", 12, 2, 0), END}},
		{"劳模引领", {T("劳模工匠进企业宣讲", "场", 10, OWN_STREET, 0),
		    T("新增劳模创新工作室", "个", 2, 6, 0),
		    T("劳模结对帮带", "对", 20, 1, 0),
		    T("组织劳模疗休养", "人", 15, 3, 0)}},
	}},
	{"技能提升", {
		{"技能等级认定", {T("技能等级认定人数", "人", 800, 1, 0),
		    {"高技能人才占比", "%", 35, 1, 0, PM_HIGH_SKILL_RATIO},
		    T("自主评价试点企业", "家", 5, 1, 5), END}},
		{"师徒结对", {T("新增师徒结对数", "对", 60, 1, 0),
		    T("结对出师人数", "人", 40, 1, 0),
		    M("出台师徒结对激励办法", OWN_STREET, 0), END}},
		{"技能竞赛", {T("街道职业技能竞赛", "场", 6, OWN_STREET, 1),
		    T("参赛职工人次", "人次", 1200, OWN_STREET, 0),
		    T("竞赛获奖晋级人数", "人", 30, 1, 0), END}},
		{"职工培训", {T("职业技能培训人次", "人次", 3000, 1, 0),
		    T("职工学堂开课", "期", 12, 2, 0),
		    T("数字技能培训人次", "人次", 500, 2, 0), END}},
	}},
	{"保障机制", {
		{"能级工资协商", {T("签订能级工资协议企业数", "家", 12, 1, OWN_STREET),
		    T("能级工资协议覆盖职工人数", "人", 3000, 1, 0),
		    T("培训协商指导员", "人", 20, OWN_STREET, 0), END}},
		{"职工权益维护", {T("劳动争议调解成功率", "%", 90, 1, OWN_STREET),
		    T("调解室规范化建设", "个", 11, OWN_STREET, 0),
		    M("欠薪案件动态清零", 8, 0), END}},
		{"安家补助", {T("安家基金发放人数", "人", 50, 7, 0),
		    T("人才公寓配租", "套", 30, 8, 0),
		    T("安家补助资金到位", "万元", 120, 7, 0), END}},
		{"帮扶救助", {T("困难职工建档", "户", 40, OWN_STREET, 0),
		    T("帮扶资金发放", "万元", 30, 7, 0),
		    T("金秋助学资助人数", "人", 25, 2, 0), END}},
	}},
	{"公共服务", {
		{"服务阵地", {T("户外劳动者驿站", "个", 6, 8, OWN_STREET),
		    T("职工之家示范点", "个", 4, OWN_STREET, 0),
		    T("母婴关爱室", "个", 8, 3, 0), END}},
		{"健康关爱", {T("职工健康体检人数", "人", 2500, 3, 0),
		    T("心理健康讲座", "场", 10, 3, 0),
		    T("职业病防治宣传", "场", 6, 3, 0), END}},
		{"子女关爱", {T("爱心暑托班开班", "期", 2, 2, OWN_STREET),
		    T("托管职工子女人数", "人", 150, 2, 0),
		    M("暑托班安全检查", 3, 0), END}},
		{"文体服务", {T("职工文体活动", "场", 20, OWN_STREET, 0),
		    T("职工书屋建设", "个", 5, 2, 0),
		    T("普惠服务覆盖企业", "家", 60, 7, 0), END}},
	}},
};

#undef T
#undef M
#undef END

static const char *const dept_names[9] = {NULL, "江北区人力资源和社会保障局",
    "江北区教育局", "江北区卫生健康局", "江北区委组织部", "江北区经济和信息化局",
    "江北区科学技术局", "江北区财政局", "江北区住房和城乡建设局"};

static const char *const returns[] = {"数据与台账不符，请核实后重新报送",
    "缺少佐证材料，请补充", "口径与年初目标不一致，请按统计口径填报"};

/* xorshift64*: a fixed seed keeps the demo the same from run to run */
static uint64_t
next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

static int
lookup_id(struct db_conn *c, enum db_stmt_id st, const char *key, int64_t *id)
{
	int rc = db_prep(c, st);

	if (rc)
		return rc;
	db_bind_text(c, 1, key);
	rc = db_one(c);
	if (!rc)
		*id = db_col_int(c, 0);
	db_done(c);
	return rc;
}

struct demo_ctx {
	struct db_conn *c;
	int64_t dept[10];          /* [1..8] departments, [9] the street */
	int64_t reporter_id[10];
	const char *reporter[10];
	int64_t reviewer_id;
	const char *reviewer;
	char today[11];
	char reviewed_by[11];      /* reports up to this date are reviewed */
	int year;
	uint64_t seed;
	int reports;
};

/* One task's reports: the 25th of each month up to today while the task
 * is open, the cumulative value growing at the task's own pace. */
static int
task_reports(struct demo_ctx *x, const struct plan *pl, const struct plan_node *n,
    const struct demo_task *t, int deadline_month)
{
	/* pace 0.75 .. 1.19 of what the deadline needs */
	double pace = 0.75 + (double)(next(&x->seed) % 45) / 100.0;
	struct why why;         /* the demo never breaks a review rule */
	int64_t last = -1;
	int rc = 0;

	for (int m = 1; m <= 12 && !rc; m++) {
		struct plan_report r;
		char as_of[11];
		double share;
		int returned = 0, state_roll, reviewed;

		snprintf(as_of, sizeof(as_of), "%04d-%02d-25", x->year, m);
		if (strcmp(as_of, x->today) > 0)
			break;
		if (m > 1 && next(&x->seed) % 10 < 3)
			continue;              /* not every month */
		memset(&r, 0, sizeof(r));
		r.plan_id = pl->id;
		r.node_id = n->id;
		r.org_id = x->dept[t->lead];
		r.created_by = x->reporter_id[t->lead];
		str_copy(r.reporter, sizeof(r.reporter), x->reporter[t->lead]);
		str_copy(r.as_of, sizeof(r.as_of), as_of);
		/* on pace until the deadline; late tasks catch up slowly after it */
		share = m <= deadline_month ? (double)m / (double)deadline_month * pace :
		    pace + 0.04 * (m - deadline_month);
		if (share > 1.0 && pace <= 1.0)
			share = 1.0;
		if (!t->unit) {
			r.has_done = 1;
			r.done = share >= 0.9;
			snprintf(r.note, sizeof(r.note), "%s", r.done ? "已完成，文件已印发" :
			    "正在起草征求意见");
		} else {
			double v = t->target * share;
			int64_t e4;

			/* rates keep one decimal; counts are whole */
			if (!strcmp(t->unit, "%"))
				e4 = (int64_t)(v * 10 + 0.5) * 1000;
			else
				e4 = (int64_t)(v + 0.5) * 10000;
			if (e4 < last)
				e4 = last;
			r.has_value = 1;
			r.value_e4 = e4;
			snprintf(r.note, sizeof(r.note), "截至%d月底累计完成", m);
		}
		if ((rc = plans_report_insert(x->c, &r)))
			break;
		x->reports++;
		state_roll = (int)(next(&x->seed) % 100);
		/* older reports are reviewed: a few returned, the rest accepted */
		/* a past year is closed: every report in it was reviewed */
		reviewed = x->year < clock_year() || strcmp(as_of, x->reviewed_by) <= 0;
		if (reviewed && state_roll < 8) {
			returned = 1;
			rc = plans_report_review(x->c, &r, "returned",
			    returns[state_roll % 3], x->reviewer_id, x->reviewer, n->title,
			    &why);
		} else if (reviewed) {
			rc = plans_report_review(x->c, &r, "accepted", NULL, x->reviewer_id,
			    x->reviewer, n->title, &why);
		}
		if (!rc && returned) {
			/* the owner corrects it the same day */
			struct plan_report fix = r;

			fix.id = 0;
			if (fix.has_value && fix.value_e4 > 10000)
				fix.value_e4 -= 10000;
			snprintf(fix.note, sizeof(fix.note), "已按要求核实更正，附台账");
			if (!(rc = plans_report_insert(x->c, &fix)))
				x->reports++;
			/* and the correction was accepted */
			if (!rc)
				rc = plans_report_review(x->c, &fix, "accepted", NULL,
				    x->reviewer_id, x->reviewer, n->title, &why);
			r = fix;
		}
		if (r.has_value)
			last = r.value_e4;
	}
	return rc;
}

static int
make_plan(struct demo_ctx *x, int64_t org_id, const char *title,
    const struct demo_aspect *aspects, size_t naspects, int64_t *plan_id)
{
	struct plan pl;
	int k = 0, rc;

	memset(&pl, 0, sizeof(pl));
	pl.org_id = org_id;
	pl.year = x->year;
	str_copy(pl.title, sizeof(pl.title), title);
	if ((rc = plans_insert(x->c, &pl)) || (rc = plans_get(x->c, pl.id, &pl)))
		return rc;
	*plan_id = pl.id;
	for (size_t a = 0; a < naspects; a++) {
		struct plan_node an;

		memset(&an, 0, sizeof(an));
		an.plan_id = pl.id;
		an.kind = PK_ASPECT;
		an.weight_e4 = 10000;
		str_copy(an.title, sizeof(an.title), aspects[a].title);
		if ((rc = plans_node_insert(x->c, &an)))
			return rc;
		for (size_t i = 0; i < ARRAY_LEN(aspects[a].items) && aspects[a].items[i].title; i++) {
			const struct demo_item *di = &aspects[a].items[i];
			struct plan_node in;

			memset(&in, 0, sizeof(in));
			in.plan_id = pl.id;
			in.parent_id = an.id;
			in.kind = PK_ITEM;
			in.weight_e4 = 10000;
			str_copy(in.title, sizeof(in.title), di->title);
			if ((rc = plans_node_insert(x->c, &in)))
				return rc;
			for (size_t s = 0; s < ARRAY_LEN(di->tasks) && di->tasks[s].title; s++) {
				const struct demo_task *t = &di->tasks[s];
				struct why e;
				struct plan_node sn;
				int month = 3 + (k * 7) % 10;     /* deadlines March..December */
				static const char *const ends[13] = {"", "31", "28", "31", "30",
				    "31", "30", "31", "31", "30", "31", "30", "31"};

				k++;
				memset(&sn, 0, sizeof(sn));
				sn.plan_id = pl.id;
				sn.parent_id = in.id;
				sn.kind = PK_SUBITEM;
				sn.weight_e4 = t->unit && !strcmp(t->unit, "%") ? 20000 : 10000;
				str_copy(sn.title, sizeof(sn.title), t->title);
				snprintf(sn.deadline, sizeof(sn.deadline), "%04d-%02d-%s", x->year,
				    month, ends[month]);
				if (t->unit) {
					sn.has_target = 1;
					sn.target_e4 = (int64_t)(t->target * 10000);
					str_copy(sn.unit, sizeof(sn.unit), t->unit);
				} else {
					sn.milestone = 1;
				}
				sn.metric = t->metric;
				sn.owners[0].org_id = x->dept[t->lead];
				sn.nowners = 1;
				if (t->co)
					sn.owners[sn.nowners++].org_id = x->dept[t->co];
				/* the same rules as the API: a broken table fails the demo */
				memset(&e, 0, sizeof(e));
				if ((rc = plans_node_check(x->c, &pl, &sn, &e))) {
					fprintf(stderr, "demo plan: %s: %s\n", t->title, e.en ? e.en : "");
					return rc;
				}
				if ((rc = plans_node_insert(x->c, &sn)))
					return rc;
				if (t->metric == PM_MANUAL &&
				    (rc = task_reports(x, &pl, &sn, t, month)))
					return rc;
			}
		}
	}
	return 0;
}

/* One year's two plans; the previous year's are sealed as officials do. */
static int
demo_year(struct demo_ctx *x, int year, int64_t district_id, int64_t street_id)
{
	static const struct {
		const char *md, *title;
	} seals[] = {{"06-30", "上半年对账单"}, {"12-31", "年度对账单"}};
	char title[200];
	int64_t district_plan, street_plan;
	int rc;

	x->year = year;
	x->seed = 0x9E3779B97F4A7C15ull ^ (uint64_t)year;
	if ((rc = accounts_user_id(x->c, "jiangbei", &x->reviewer_id)))
		return rc;
	x->reviewer = "jiangbei";
	snprintf(title, sizeof(title), "江北区%d年深化产业工人队伍建设改革实施方案", year);
	if ((rc = make_plan(x, district_id, title, district, ARRAY_LEN(district),
	    &district_plan)))
		return rc;
	/* the street reviews its own statement */
	if ((rc = accounts_user_id(x->c, "yongjiang", &x->reviewer_id)))
		return rc;
	x->reviewer = "yongjiang";
	snprintf(title, sizeof(title), "甬江街道%d年产业工人队伍建设改革工作对账单", year);
	if ((rc = make_plan(x, street_id, title, street, ARRAY_LEN(street), &street_plan)))
		return rc;
	if (year >= clock_year())
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(seals); i++) {
		struct plan_sealed sealed;
		struct plan pl;
		char as_of[16];

		snprintf(as_of, sizeof(as_of), "%04d-%s", year % 10000, seals[i].md);
		if ((rc = plans_get(x->c, street_plan, &pl)) ||
		    (rc = plans_seal(x->c, &pl, as_of, seals[i].title, DEMO_DUE_SOON,
		    x->reviewer_id, x->reviewer, &sealed)))
			return rc;
	}
	{
		struct plan_sealed sealed;
		struct plan pl;
		char as_of[16];

		snprintf(as_of, sizeof(as_of), "%04d-12-31", year % 10000);
		if ((rc = accounts_user_id(x->c, "jiangbei", &x->reviewer_id)) ||
		    (rc = plans_get(x->c, district_plan, &pl)) ||
		    (rc = plans_seal(x->c, &pl, as_of, "年终总结对账单", DEMO_DUE_SOON,
		    x->reviewer_id, "jiangbei", &sealed)))
			return rc;
	}
	return 0;
}

int
plans_demo(struct db *db, const struct demo_opts *o)
{
	struct demo_ctx x;
	int64_t street_id = 0, district_id = 0;
	int rc;

	(void)o;   /* the plans need no key and no scale */
	memset(&x, 0, sizeof(x));
	clock_today(x.today);
	/* reviews lag two months behind the reports */
	if ((rc = date_add(x.today, -60, x.reviewed_by)))
		return rc;
	rc = db_acquire(db, DB_WRITE, &x.c);
	if (rc)
		return rc;
	if ((rc = db_begin(x.c)))
		goto out;
	if ((rc = lookup_id(x.c, PLAN_ORG_BY_NAME, "江北区", &district_id)) ||
	    (rc = lookup_id(x.c, PLAN_ORG_BY_NAME, "甬江街道", &street_id)))
		goto rollback;
	for (int d = 1; d <= 8; d++) {
		if ((rc = lookup_id(x.c, PLAN_ORG_BY_NAME, dept_names[d], &x.dept[d])))
			goto rollback;
		x.reporter[d] = "demo";
	}
	x.dept[OWN_STREET] = street_id;
	/* 人社局 and the street report as their demo accounts */
	x.reporter[1] = "renshe";
	x.reporter[OWN_STREET] = "yongjiang";
	if ((rc = accounts_user_id(x.c, "renshe", &x.reporter_id[1])) ||
	    (rc = accounts_user_id(x.c, "yongjiang", &x.reporter_id[OWN_STREET])))
		goto rollback;
	if ((rc = demo_year(&x, clock_year() - 1, district_id, street_id)) ||
	    (rc = demo_year(&x, clock_year(), district_id, street_id)))
		goto rollback;
	if ((rc = db_commit(x.c)))
		goto rollback;
	goto out;
rollback:
	db_rollback(x.c);
out:
	db_release(x.c);
	return rc;
}
