/* src/plans: the rules of DOMAIN.md "Plans and the reconciliation
 * statement" — completion, the status lights and their boundaries,
 * rollups by weight — plus exact numbers, dates, evidence types and the
 * template row checks. Expected values are worked out by hand here, not
 * taken from the code. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "plans/plans.h"
#include "plans/template.h"
#include "workers/workers.h"

static void
test_days(void **state)
{
	char out[11];

	(void)state;
	assert_int_equal(date_days("1970-01-01"), 0);
	assert_int_equal(date_days("1970-01-02"), 1);
	assert_int_equal(date_days("2000-03-01"), 11017);
	assert_int_equal(date_days("2026-01-01"), 20454);
	assert_true(date_days("2026-02-29") == INT64_MIN);
	assert_true(date_days("2026-1-1") == INT64_MIN);
	assert_true(date_days(NULL) == INT64_MIN);
	assert_int_equal(date_add("2026-12-31", 1, out), 0);
	assert_string_equal(out, "2027-01-01");
	assert_int_equal(date_add("2024-02-28", 1, out), 0);
	assert_string_equal(out, "2024-02-29");
	assert_int_equal(date_add("2026-03-01", -1, out), 0);
	assert_string_equal(out, "2026-02-28");
	assert_int_equal(date_add("2026-01-01", 366, out), 0);
	assert_string_equal(out, "2027-01-02");
	assert_int_equal(date_add("nope", 1, out), ERR_INVALID);
	assert_true(plan_deadline_in_year("2026-12-31", 2026));
	assert_true(plan_deadline_in_year("2026-01-01", 2026));
	assert_false(plan_deadline_in_year("2027-01-01", 2026));
	assert_false(plan_deadline_in_year("2025-12-31", 2026));
	assert_false(plan_deadline_in_year("2026-13-01", 2026));
}

static void
test_exact_numbers(void **state)
{
	int64_t v;
	char t[32];

	(void)state;
	assert_int_equal(plan_value_e4(12.5, PLAN_VALUE_MAX_E4, &v), 0);
	assert_int_equal(v, 125000);
	assert_int_equal(plan_value_e4(0.9, PLAN_VALUE_MAX_E4, &v), 0);
	assert_int_equal(v, 9000);            /* 0.9 is not exact in binary */
	assert_int_equal(plan_value_e4(0, PLAN_VALUE_MAX_E4, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(plan_value_e4(-0.5, PLAN_VALUE_MAX_E4, &v), ERR_INVALID);
	assert_int_equal(plan_value_e4(NAN, PLAN_VALUE_MAX_E4, &v), ERR_INVALID);
	assert_int_equal(plan_value_e4(INFINITY, PLAN_VALUE_MAX_E4, &v), ERR_INVALID);
	assert_int_equal(plan_value_e4(1e12, PLAN_VALUE_MAX_E4, &v), ERR_INVALID);
	assert_int_equal(plan_value_e4(1000, PLAN_WEIGHT_MAX_E4, &v), 0);
	assert_int_equal(plan_value_e4(1000.5, PLAN_WEIGHT_MAX_E4, &v), ERR_INVALID);
	plan_e4_text(125000, t);
	assert_string_equal(t, "12.5");
	plan_e4_text(30000, t);
	assert_string_equal(t, "3");
	plan_e4_text(1, t);
	assert_string_equal(t, "0.0001");
	plan_e4_text(10001, t);
	assert_string_equal(t, "1.0001");
	plan_e4_text(0, t);
	assert_string_equal(t, "0");
	plan_e4_text(-25000, t);
	assert_string_equal(t, "-2.5");
}

static void
test_completion(void **state)
{
	(void)state;
	/* numbers: actual / target, capped at 1 */
	assert_true(plan_completion(0, 120000, 1, 50000, 0) == 5.0 / 12.0);
	assert_true(plan_completion(0, 120000, 1, 240000, 0) == 1.0);
	assert_true(plan_completion(0, 120000, 0, 0, 0) == 0.0);
	assert_true(plan_completion(0, 120000, 1, 0, 0) == 0.0);
	/* a zero target is met */
	assert_true(plan_completion(0, 0, 0, 0, 0) == 1.0);
	/* milestones: 0 or 1 */
	assert_true(plan_completion(1, 0, 1, 0, 1) == 1.0);
	assert_true(plan_completion(1, 0, 1, 0, 0) == 0.0);
	assert_true(plan_completion(1, 0, 0, 0, 1) == 0.0);
	/* shown to 4 decimals */
	assert_int_equal(plan_completion_e4(5.0 / 12.0), 4167);
	assert_int_equal(plan_completion_e4(1.0 / 3.0), 3333);
	assert_int_equal(plan_completion_e4(2.0 / 3.0), 6667);
	assert_int_equal(plan_completion_e4(1.0), 10000);
	assert_int_equal(plan_completion_e4(1.5), 10000);
	assert_int_equal(plan_completion_e4(0), 0);
	assert_int_equal(plan_completion_e4(-1), 0);
	assert_int_equal(plan_completion_e4(NAN), 0);
}

static void
test_expected(void **state)
{
	(void)state;
	/* 2026-01-01 .. 2026-12-31 is 364 days; 2026-07-02 is day 182 */
	assert_true(fabs(plan_expected(2026, "2026-12-31", "2026-07-02") - 0.5) < 1e-12);
	assert_true(plan_expected(2026, "2026-12-31", "2025-12-01") == 0.0);
	assert_true(plan_expected(2026, "2026-06-30", "2026-08-01") == 1.0);
	/* a deadline on January 1 is all "expected" at once */
	assert_true(plan_expected(2026, "2026-01-01", "2026-01-01") == 1.0);
}

static void
test_status_lights(void **state)
{
	const int soon = 30;

	(void)state;
	/* done is green, even past the deadline */
	assert_int_equal(plan_task_status(2026, "2026-06-30", "2026-11-01", soon, 1.0, 1), PS_GREEN);
	/* past the deadline and not done: red (the day after, not the day of) */
	assert_int_equal(plan_task_status(2026, "2026-06-30", "2026-07-01", soon, 0.99, 1), PS_RED);
	assert_int_equal(plan_task_status(2026, "2026-06-30", "2026-07-01", soon, 0, 0), PS_RED);
	/* on the deadline day itself it is due, not overdue: yellow when behind */
	assert_int_equal(plan_task_status(2026, "2026-06-30", "2026-06-30", soon, 0.99, 1), PS_YELLOW);
	/* due soon (30 days, inclusive) and behind the time passed: yellow */
	assert_int_equal(plan_task_status(2026, "2026-06-30", "2026-05-31", soon, 0.5, 1), PS_YELLOW);
	assert_int_equal(plan_task_status(2026, "2026-06-30", "2026-05-30", soon, 0.5, 1), PS_GREEN);
	/* due soon but ahead of the time passed: green */
	assert_int_equal(plan_task_status(2026, "2026-06-30", "2026-06-20", soon, 0.99, 1), PS_GREEN);
	/* due soon and not started: yellow, not grey */
	assert_int_equal(plan_task_status(2026, "2026-06-30", "2026-06-20", soon, 0, 0), PS_YELLOW);
	/* not started and not due soon: grey */
	assert_int_equal(plan_task_status(2026, "2026-12-31", "2026-03-01", soon, 0, 0), PS_GREY);
	/* started, behind, not yet due soon: green (on track for now) */
	assert_int_equal(plan_task_status(2026, "2026-12-31", "2026-09-01", soon, 0.1, 1), PS_GREEN);
	/* a longer window makes the same task yellow */
	assert_int_equal(plan_task_status(2026, "2026-12-31", "2026-09-01", 200, 0.1, 1), PS_YELLOW);
	/* outcomes for "完成 x，进行中 y，逾期 z" */
	assert_int_equal(plan_outcome(PS_GREEN, 1.0), PO_DONE);
	assert_int_equal(plan_outcome(PS_RED, 0.5), PO_OVERDUE);
	assert_int_equal(plan_outcome(PS_GREY, 0), PO_PROGRESS);
	assert_int_equal(plan_outcome(PS_YELLOW, 0.5), PO_PROGRESS);
}

static void
test_rollup(void **state)
{
	struct plan_roll r;

	(void)state;
	plan_roll_init(&r);
	assert_true(plan_roll_completion(&r) == 0);
	assert_int_equal(plan_roll_status(&r), PS_GREY);
	/* weights 1, 3: (1*1 + 3*0.5) / 4 = 0.625 */
	plan_roll_add(&r, 1, 1.0, PS_GREEN);
	plan_roll_add(&r, 3, 0.5, PS_GREEN);
	assert_true(plan_roll_completion(&r) == 0.625);
	assert_int_equal(plan_roll_status(&r), PS_GREEN);
	plan_roll_add(&r, 0, 0, PS_GREY);
	assert_true(plan_roll_completion(&r) == 0.625);   /* weight 0 counts nothing */
	assert_int_equal(plan_roll_status(&r), PS_GREEN);   /* not all grey */
	plan_roll_add(&r, 1, 0.2, PS_YELLOW);
	assert_int_equal(plan_roll_status(&r), PS_YELLOW);
	plan_roll_add(&r, 1, 0, PS_RED);
	assert_int_equal(plan_roll_status(&r), PS_RED);
	assert_int_equal(r.outcome[PO_DONE], 1);
	assert_int_equal(r.outcome[PO_OVERDUE], 1);
	assert_int_equal(r.outcome[PO_PROGRESS], 3);
	plan_roll_init(&r);
	plan_roll_add(&r, 1, 0, PS_GREY);
	plan_roll_add(&r, 1, 0, PS_GREY);
	assert_int_equal(plan_roll_status(&r), PS_GREY);
	/* all weights zero: nothing to average */
	plan_roll_init(&r);
	plan_roll_add(&r, 0, 1, PS_GREEN);
	assert_true(plan_roll_completion(&r) == 0);
}

static void
test_metrics(void **state)
{
	struct skill_stats s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.workers = 32;
	s.union_members = 1;            /* 1/32 = 0.03125: half up to 0.0313 */
	s.skilled = 3;
	s.high_skilled = 1;             /* 1/3 = 0.3333 */
	assert_int_equal(plan_metric_e4(PM_WORKERS, &s, 0), 320000);
	assert_int_equal(plan_metric_e4(PM_UNION_MEMBERS, &s, 0), 10000);
	assert_int_equal(plan_metric_e4(PM_UNION_RATE, &s, 0), 313);
	assert_int_equal(plan_metric_e4(PM_UNION_RATE, &s, 1), 31250);   /* 3.125 % */
	assert_int_equal(plan_metric_e4(PM_HIGH_SKILL_RATIO, &s, 0), 3333);
	assert_int_equal(plan_metric_e4(PM_HIGH_SKILL_RATIO, &s, 1), 333333);
	assert_int_equal(plan_metric_e4(PM_HIGH_SKILLED, &s, 0), 10000);
	s.workers = s.skilled = 0;
	assert_int_equal(plan_metric_e4(PM_UNION_RATE, &s, 0), 0);
	assert_int_equal(plan_metric_e4(PM_HIGH_SKILL_RATIO, &s, 1), 0);
}

static void
test_names(void **state)
{
	char t[16];

	(void)state;
	assert_true(plan_parent_ok(PK_ASPECT, 0));
	assert_false(plan_parent_ok(PK_ASPECT, PK_ASPECT));
	assert_true(plan_parent_ok(PK_ITEM, PK_ASPECT));
	assert_false(plan_parent_ok(PK_ITEM, 0));
	assert_false(plan_parent_ok(PK_ITEM, PK_ITEM));
	assert_false(plan_parent_ok(PK_ITEM, PK_SUBITEM));
	assert_true(plan_parent_ok(PK_SUBITEM, PK_ITEM));
	assert_false(plan_parent_ok(PK_SUBITEM, PK_SUBITEM));
	assert_false(plan_parent_ok(PK_SUBITEM, PK_ASPECT));
	assert_false(plan_parent_ok(0, 0));
	assert_int_equal(plan_kind_parse("item"), PK_ITEM);
	assert_int_equal(plan_kind_parse("task"), 0);
	assert_int_equal(plan_metric_parse("union_rate"), PM_UNION_RATE);
	assert_int_equal(plan_metric_parse("salary"), -1);
	assert_string_equal(plan_status_name(PS_YELLOW), "yellow");
	assert_string_equal(plan_status_name(PS_GREY), "grey");
	plan_cn_number(1, t, sizeof(t));
	assert_string_equal(t, "一");
	plan_cn_number(10, t, sizeof(t));
	assert_string_equal(t, "十");
	plan_cn_number(12, t, sizeof(t));
	assert_string_equal(t, "十二");
	plan_cn_number(20, t, sizeof(t));
	assert_string_equal(t, "二十");
	plan_cn_number(47, t, sizeof(t));
	assert_string_equal(t, "四十七");
}

/* A model by hand: aspect A {item I1 {s1 w1, s2 w3}, item I2 {s3}},
 * aspect B {item I3 (empty)}. */
static void
build_model(struct plan_model *m)
{
	static const struct {
		int kind, parent;
		int64_t weight, target;
		int milestone;
		const char *deadline;
	} nodes[] = {
		{PK_ASPECT, -1, 10000, 0, 0, ""},
		{PK_ITEM, 0, 20000, 0, 0, ""},
		{PK_SUBITEM, 1, 10000, 100000, 0, "2026-12-31"},
		{PK_SUBITEM, 1, 30000, 100000, 0, "2026-06-30"},
		{PK_ITEM, 0, 10000, 0, 0, ""},
		{PK_SUBITEM, 4, 10000, 0, 1, "2026-12-31"},
		{PK_ASPECT, -1, 10000, 0, 0, ""},
		{PK_ITEM, 6, 10000, 0, 0, ""},
	};

	plan_model_init(m);
	m->plan.year = 2026;
	str_copy(m->as_of, sizeof(m->as_of), "2026-09-01");
	m->due_soon_days = 30;
	m->nn = ARRAY_LEN(nodes);
	m->n = calloc(m->nn, sizeof(*m->n));
	assert_non_null(m->n);
	for (size_t i = 0; i < m->nn; i++) {
		m->n[i].id = (int64_t)i + 1;
		m->n[i].kind = nodes[i].kind;
		m->n[i].parent = nodes[i].parent;
		m->n[i].weight_e4 = nodes[i].weight;
		m->n[i].target_e4 = nodes[i].target;
		m->n[i].has_target = !nodes[i].milestone;
		m->n[i].milestone = nodes[i].milestone;
		m->n[i].visible = 1;
		m->n[i].first_owner = -1;
		str_copy(m->n[i].deadline, sizeof(m->n[i].deadline), nodes[i].deadline);
	}
	/* s1: 5 of 10 reported; s2: 2 of 10, deadline passed; s3: done */
	m->n[2].have_actual = 1;
	m->n[2].actual_e4 = 50000;
	m->n[3].have_actual = 1;
	m->n[3].actual_e4 = 20000;
	m->n[5].have_actual = 1;
	m->n[5].done = 1;
}

static void
test_model_compute(void **state)
{
	struct plan_model m;
	double i1;

	(void)state;
	build_model(&m);
	plan_model_number(&m);
	plan_model_compute(&m);
	assert_string_equal(m.n[0].no, "一");
	assert_string_equal(m.n[3].no, "1.2");
	assert_string_equal(m.n[4].no, "2");
	assert_string_equal(m.n[5].no, "2.1");
	assert_string_equal(m.n[7].no, "3");
	assert_int_equal(m.n[2].status, PS_GREEN);        /* not due soon */
	assert_int_equal(m.n[3].status, PS_RED);          /* overdue */
	assert_int_equal(m.n[5].status, PS_GREEN);        /* done */
	/* I1 = (1*0.5 + 3*0.2) / 4 = 0.275, red because of s2 */
	i1 = (1 * 0.5 + 3 * 0.2) / 4;
	assert_true(fabs(m.n[1].completion - i1) < 1e-12);
	assert_int_equal(m.n[1].status, PS_RED);
	/* A = (2*I1 + 1*1) / 3; the empty item I3 and aspect B do not count */
	assert_true(fabs(m.n[0].completion - (2 * i1 + 1) / 3) < 1e-12);
	assert_true(fabs(m.completion - (2 * i1 + 1) / 3) < 1e-12);
	assert_int_equal(m.status, PS_RED);
	assert_int_equal(m.count[PK_SUBITEM], 3);
	assert_int_equal(m.done[PK_SUBITEM], 1);
	assert_int_equal(m.progress[PK_SUBITEM], 1);
	assert_int_equal(m.overdue[PK_SUBITEM], 1);
	assert_int_equal(m.count[PK_ITEM], 2);
	assert_int_equal(m.done[PK_ITEM], 1);
	assert_int_equal(m.overdue[PK_ITEM], 1);
	assert_int_equal(m.count[PK_ASPECT], 1);
	assert_int_equal(m.n[0].subitems, 3);
	assert_int_equal(m.n[0].items, 2);
	/* an owner who sees only s1: the rollups cover s1 alone */
	m.n[3].visible = 0;
	m.n[5].visible = 0;
	plan_model_compute(&m);
	assert_true(fabs(m.completion - 0.5) < 1e-12);
	assert_int_equal(m.status, PS_GREEN);
	assert_int_equal(m.count[PK_SUBITEM], 1);
	assert_int_equal(m.count[PK_ITEM], 1);
	plan_model_free(&m);
}

static void
test_evidence_types(void **state)
{
	static const char pdf[] = "%PDF-1.7\n...";
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0};
	static const unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0};
	unsigned char zip[200];
	size_t n;

	(void)state;
	assert_string_equal(plan_evidence_type(pdf, sizeof(pdf), "台账.pdf"), "application/pdf");
	assert_string_equal(plan_evidence_type(pdf, sizeof(pdf), "A.PDF"), "application/pdf");
	assert_null(plan_evidence_type(pdf, sizeof(pdf), "photo.png"));
	assert_null(plan_evidence_type(pdf, sizeof(pdf), "noextension"));
	assert_string_equal(plan_evidence_type(png, sizeof(png), "p.png"), "image/png");
	assert_string_equal(plan_evidence_type(jpg, sizeof(jpg), "p.jpeg"), "image/jpeg");
	assert_string_equal(plan_evidence_type(jpg, sizeof(jpg), "p.jpg"), "image/jpeg");
	assert_null(plan_evidence_type("MZ\x90\x00", 4, "setup.pdf"));
	assert_null(plan_evidence_type("<html>", 6, "a.docx"));
	/* a zip: [Content_Types].xml then xl/workbook.xml, stored (sizes set) */
	memset(zip, 0, sizeof(zip));
	n = 0;
	for (int part = 0; part < 2; part++) {
		const char *name = part ? "xl/workbook.xml" : "[Content_Types].xml";
		size_t nl = strlen(name);

		memcpy(zip + n, "PK\x03\x04", 4);
		zip[n + 18] = 3;                 /* compressed size */
		zip[n + 26] = (unsigned char)nl;
		memcpy(zip + n + 30, name, nl);
		n += 30 + nl + 3;
	}
	assert_string_equal(plan_evidence_type(zip, n, "表.xlsx"),
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_null(plan_evidence_type(zip, n, "表.docx"));
	/* a zip that is not Office */
	zip[30] = 'x';
	assert_null(plan_evidence_type(zip, n, "表.xlsx"));
}

static void
test_import_rows(void **state)
{
	const char *v[PIC__MAX];
	struct plan_import_row row;
	struct why e;
	char d[11];
	int map[PIC__MAX];
	const char *missing = NULL;
	static const char *const head[] = {"方面", "工作目标", "重点工作任务", "牵头单位",
	    "deadline", "目标值"};

	(void)state;
	assert_int_equal(plan_import_date("2026/6/3", d), 0);
	assert_string_equal(d, "2026-06-03");
	assert_int_equal(plan_import_date("2026年6月30日", d), 0);
	assert_string_equal(d, "2026-06-30");
	assert_int_equal(plan_import_date("2026.12.31", d), 0);
	assert_int_equal(plan_import_date("2026-02-30", d), ERR_INVALID);
	assert_int_equal(plan_import_date("2026-06", d), ERR_INVALID);
	assert_int_equal(plan_import_date("下月底", d), ERR_INVALID);
	assert_int_equal(plan_import_header(head, 6, map, &missing), 0);
	assert_int_equal(map[PIC_ITEM], 1);
	assert_int_equal(map[PIC_DEADLINE], 4);
	assert_int_equal(map[PIC_CO], -1);
	assert_int_equal(plan_import_header(head, 5, map, &missing), ERR_INVALID);
	assert_string_equal(missing, "目标值");

	v[PIC_ASPECT] = "技能提升";
	v[PIC_ITEM] = "深化技能等级认定";
	v[PIC_SUBITEM] = "技能等级认定人数";
	v[PIC_LEAD] = "江北区人力资源和社会保障局";
	v[PIC_CO] = "江北区教育局、 江北区财政局；江北区科学技术局";
	v[PIC_DEADLINE] = "2026/11/30";
	v[PIC_TARGET] = "95%";
	v[PIC_UNIT] = "";
	v[PIC_WEIGHT] = "2.5";
	v[PIC_METRIC] = "";
	assert_int_equal(plan_import_fields(v, 7, &row, &e), 0);
	assert_int_equal(row.nowners, 4);
	assert_string_equal(row.owners[2], "江北区财政局");
	assert_string_equal(row.owners[3], "江北区科学技术局");
	assert_string_equal(row.deadline, "2026-11-30");
	assert_int_equal(row.target_e4, 950000);
	assert_string_equal(row.unit, "%");
	assert_int_equal(row.weight_e4, 25000);
	assert_int_equal(row.metric, PM_MANUAL);
	v[PIC_TARGET] = "里程碑";
	v[PIC_METRIC] = "工会会员入会率";
	assert_int_equal(plan_import_fields(v, 7, &row, &e), 0);
	assert_true(row.milestone);
	assert_int_equal(row.metric, PM_UNION_RATE);
	v[PIC_METRIC] = "";
	v[PIC_TARGET] = "-3";
	assert_int_equal(plan_import_fields(v, 8, &row, &e), ERR_INVALID);
	assert_int_equal(e.row, 8);
	assert_string_equal(e.field, "目标值");
	assert_non_null(strstr(e.en, "negative"));
	v[PIC_TARGET] = "十二";
	assert_int_equal(plan_import_fields(v, 9, &row, &e), ERR_INVALID);
	assert_string_equal(e.field, "目标值");
	/* a percentage beside its own unit, or an empty one: taken; beside
	 * another unit: which of the two is meant cannot be told */
	v[PIC_TARGET] = "12.5%";
	v[PIC_UNIT] = "%";
	assert_int_equal(plan_import_fields(v, 9, &row, &e), 0);
	assert_int_equal(row.target_e4, 125000);
	assert_string_equal(row.unit, "%");
	v[PIC_UNIT] = "％";
	assert_int_equal(plan_import_fields(v, 9, &row, &e), 0);
	assert_string_equal(row.unit, "％");
	/* the full-width sign in the target counts as the ASCII one */
	v[PIC_TARGET] = "30％";
	v[PIC_UNIT] = "";
	assert_int_equal(plan_import_fields(v, 9, &row, &e), 0);
	assert_int_equal(row.target_e4, 300000);
	assert_string_equal(row.unit, "%");
	v[PIC_UNIT] = "％";
	assert_int_equal(plan_import_fields(v, 9, &row, &e), 0);
	assert_int_equal(row.target_e4, 300000);
	v[PIC_UNIT] = "人";
	assert_int_equal(plan_import_fields(v, 9, &row, &e), ERR_INVALID);
	assert_string_equal(e.field, "目标值");
	v[PIC_TARGET] = "％";
	v[PIC_UNIT] = "";
	assert_int_equal(plan_import_fields(v, 9, &row, &e), ERR_INVALID);
	/* either sign makes figures percentages (statement, inbox) */
	assert_true(plan_unit_is_percent("%"));
	assert_true(plan_unit_is_percent("％"));
	assert_false(plan_unit_is_percent("人"));
	assert_false(plan_unit_is_percent("%%"));
	assert_false(plan_unit_is_percent(NULL));
	v[PIC_TARGET] = "12.5%";
	v[PIC_UNIT] = "％";
	v[PIC_UNIT] = "人";
	assert_int_equal(plan_import_fields(v, 9, &row, &e), ERR_INVALID);
	assert_int_equal(e.row, 9);
	assert_string_equal(e.field, "目标值");
	assert_non_null(strstr(e.zh, "单位"));
	v[PIC_TARGET] = "12";
	assert_int_equal(plan_import_fields(v, 9, &row, &e), 0);
	assert_string_equal(row.unit, "人");
	v[PIC_UNIT] = "";
	v[PIC_TARGET] = "12";
	v[PIC_DEADLINE] = "";
	assert_int_equal(plan_import_fields(v, 10, &row, &e), ERR_INVALID);
	assert_string_equal(e.field, "完成时限");
	v[PIC_DEADLINE] = "2026-11-30";
	v[PIC_LEAD] = "";
	assert_int_equal(plan_import_fields(v, 11, &row, &e), ERR_INVALID);
	assert_string_equal(e.field, "牵头单位");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_exact_numbers),
		cmocka_unit_test(test_completion),
		cmocka_unit_test(test_expected),
		cmocka_unit_test(test_status_lights),
		cmocka_unit_test(test_rollup),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_model_compute),
		cmocka_unit_test(test_evidence_types),
		cmocka_unit_test(test_import_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
