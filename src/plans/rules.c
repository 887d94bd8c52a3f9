/* The rules of plans that need no store: kinds, dates, exact numbers,
 * completion, status lights and rollups. Kept pure so tests/unit/
 * test_plans.c can pin every boundary. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"
#include "plans/plans.h"
#include "workers/workers.h"

static const char *const kind_names[] = {NULL, "aspect", "item", "subitem"};

int
plan_kind_parse(const char *s)
{
	for (int i = PK_ASPECT; s && i <= PK_SUBITEM; i++)
		if (!strcmp(s, kind_names[i]))
			return i;
	return 0;
}

const char *
plan_kind_name(int kind)
{
	return kind >= PK_ASPECT && kind <= PK_SUBITEM ? kind_names[kind] : "?";
}

int
plan_parent_ok(int kind, int parent_kind)
{
	switch (kind) {
	case PK_ASPECT:
		return parent_kind == 0;
	case PK_ITEM:
		return parent_kind == PK_ASPECT;
	case PK_SUBITEM:
		return parent_kind == PK_ITEM;
	}
	return 0;
}

static const struct {
	const char *name, *zh;
} metrics[PM__MAX] = {
	[PM_MANUAL] = {"manual", "人工填报"},
	[PM_WORKERS] = {"workers", "在职职工人数"},
	[PM_UNION_MEMBERS] = {"union_members", "工会会员人数"},
	[PM_UNION_RATE] = {"union_rate", "工会会员入会率"},
	[PM_HIGH_SKILLED] = {"high_skilled", "高技能人才人数"},
	[PM_HIGH_SKILL_RATIO] = {"high_skill_ratio", "高技能人才占比"},
};

int
plan_metric_parse(const char *s)
{
	for (int i = 0; s && i < PM__MAX; i++)
		if (!strcmp(s, metrics[i].name))
			return i;
	return -1;
}

const char *
plan_metric_name(int metric)
{
	return metric >= 0 && metric < PM__MAX ? metrics[metric].name : "manual";
}

const char *
plan_metric_zh(int metric)
{
	return metric >= 0 && metric < PM__MAX ? metrics[metric].zh : "人工填报";
}

const char *
plan_status_name(int status)
{
	switch (status) {
	case PS_GREEN: return "green";
	case PS_YELLOW: return "yellow";
	case PS_RED: return "red";
	default: return "grey";
	}
}

const char *
plan_status_zh(int status)
{
	switch (status) {
	case PS_GREEN: return "正常";
	case PS_YELLOW: return "临期滞后";
	case PS_RED: return "逾期";
	default: return "未开始";
	}
}

/* ---- dates ---- */

int
plan_deadline_in_year(const char *deadline, int year)
{
	char y[5];

	if (date_days(deadline) == INT64_MIN)
		return 0;
	snprintf(y, sizeof(y), "%04d", year);
	return !strncmp(deadline, y, 4);
}

/* ---- exact numbers ---- */

int
plan_value_e4(double v, int64_t max_e4, int64_t *out)
{
	double s;

	if (!isfinite(v) || v < 0)
		return ERR_INVALID;
	s = v * 10000.0;
	if (s > (double)max_e4 + 0.5)
		return ERR_INVALID;
	*out = (int64_t)llround(s);
	return *out > max_e4 ? ERR_INVALID : 0;
}

void
plan_e4_text(int64_t v, char out[32])
{
	int64_t whole = v / 10000, frac = v % 10000;
	const char *sign = "";
	char f[8];
	int n;

	if (v < 0) {
		sign = "-";
		whole = -whole;
		frac = -frac;
	}
	if (!frac) {
		snprintf(out, 32, "%s%lld", sign, (long long)whole);
		return;
	}
	snprintf(f, sizeof(f), "%04lld", (long long)frac);
	for (n = 4; n > 1 && f[n - 1] == '0'; n--)
		;
	f[n] = '\0';
	snprintf(out, 32, "%s%lld.%s", sign, (long long)whole, f);
}

void
plan_jw_e4(struct jw *w, int64_t v)
{
	char t[32];

	plan_e4_text(v, t);
	jw_raw(w, t, strlen(t));
}

/* ---- completion and lights ---- */

double
plan_completion(int milestone, int64_t target_e4, int have_actual,
    int64_t actual_e4, int done)
{
	double c;

	if (milestone)
		return have_actual && done ? 1.0 : 0.0;
	if (target_e4 <= 0)
		return 1.0;        /* nothing to reach */
	if (!have_actual || actual_e4 <= 0)
		return 0.0;
	c = (double)actual_e4 / (double)target_e4;
	return c > 1.0 ? 1.0 : c;
}

int64_t
plan_completion_e4(double c)
{
	if (!(c > 0))
		return 0;
	if (c >= 1)
		return 10000;
	return (int64_t)llround(c * 10000.0);
}

double
plan_expected(int year, const char *deadline, const char *as_of)
{
	char start[11];
	int64_t s, d, a;
	double e;

	snprintf(start, sizeof(start), "%04d-01-01", year);
	s = date_days(start);
	d = date_days(deadline);
	a = date_days(as_of);
	if (s == INT64_MIN || d == INT64_MIN || a == INT64_MIN || d <= s)
		return 1.0;
	e = (double)(a - s) / (double)(d - s);
	return e < 0 ? 0 : e > 1 ? 1 : e;
}

int
plan_task_status(int year, const char *deadline, const char *as_of,
    int due_soon_days, double completion, int started)
{
	int64_t d = date_days(deadline), a = date_days(as_of);

	if (completion >= 1.0)
		return PS_GREEN;
	if (d == INT64_MIN || a == INT64_MIN)
		return started ? PS_GREEN : PS_GREY;
	if (a > d)
		return PS_RED;
	if (d - a <= due_soon_days &&
	    completion < plan_expected(year, deadline, as_of))
		return PS_YELLOW;
	return started ? PS_GREEN : PS_GREY;
}

int
plan_outcome(int status, double completion)
{
	if (completion >= 1.0)
		return PO_DONE;
	return status == PS_RED ? PO_OVERDUE : PO_PROGRESS;
}

void
plan_roll_init(struct plan_roll *r)
{
	memset(r, 0, sizeof(*r));
}

void
plan_roll_add(struct plan_roll *r, double weight, double completion, int status)
{
	r->wsum += weight;
	r->wc += weight * completion;
	r->n++;
	r->red += status == PS_RED;
	r->yellow += status == PS_YELLOW;
	r->grey += status == PS_GREY;
	r->outcome[plan_outcome(status, completion)]++;
}

double
plan_roll_completion(const struct plan_roll *r)
{
	double c;

	if (r->n == 0 || r->wsum <= 0)
		return 0;
	c = r->wc / r->wsum;
	return c > 1 ? 1 : c;
}

int
plan_roll_status(const struct plan_roll *r)
{
	if (r->red)
		return PS_RED;
	if (r->yellow)
		return PS_YELLOW;
	if (r->grey == r->n)
		return PS_GREY;
	return PS_GREEN;
}

/* ---- computed metrics ---- */

int
plan_unit_is_percent(const char *unit)
{
	return unit && (!strcmp(unit, "%") || !strcmp(unit, "\xef\xbc\x85"));
}

/* n/d in e4 (times 100 for percentages), rounded half up. */
static int64_t
ratio_e4(int64_t n, int64_t d, int percent)
{
	int64_t scale = percent ? 1000000 : 10000;

	if (d <= 0)
		return 0;
	return (2 * n * scale + d) / (2 * d);
}

int64_t
plan_metric_e4(int metric, const struct skill_stats *s, int percent)
{
	switch (metric) {
	case PM_WORKERS:
		return s->workers * 10000;
	case PM_UNION_MEMBERS:
		return s->union_members * 10000;
	case PM_UNION_RATE:
		return ratio_e4(s->union_members, s->workers, percent);
	case PM_HIGH_SKILLED:
		return s->high_skilled * 10000;
	case PM_HIGH_SKILL_RATIO:
		return ratio_e4(s->high_skilled, s->skilled, percent);
	}
	return 0;
}

void
plan_cn_number(int n, char *out, size_t n_out)
{
	static const char *const d[] = {"零", "一", "二", "三", "四", "五", "六",
	    "七", "八", "九"};

	if (n <= 0 || n >= 100) {
		snprintf(out, n_out, "%d", n);
	} else if (n < 10) {
		snprintf(out, n_out, "%s", d[n]);
	} else {
		snprintf(out, n_out, "%s十%s", n / 10 == 1 ? "" : d[n / 10],
		    n % 10 ? d[n % 10] : "");
	}
}
