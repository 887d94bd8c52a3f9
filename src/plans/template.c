/* Plans as officials keep them in a spreadsheet: one row per sub-item with
 * its aspect and item, owners by name or code, deadline, target and unit.
 * Rows come from CSV (as Excel/WPS save it; read with workers/csvin) or
 * JSON ({"rows": [...]}, the shape export.json writes), are checked field
 * by field, and go into the plan in the caller's transaction: aspects and
 * items are matched by title or created, sub-items always created. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "db/db.h"
#include "plans/plans.h"
#include "plans/template.h"

const struct plan_import_col plan_import_cols[PIC__MAX] = {
	[PIC_ASPECT] = {"方面", "aspect", 1},
	[PIC_ITEM] = {"大项", "item", 1},
	[PIC_SUBITEM] = {"分项", "subitem", 1},
	[PIC_LEAD] = {"牵头单位", "lead", 1},
	[PIC_CO] = {"配合单位", "co_owners", 0},
	[PIC_DEADLINE] = {"完成时限", "deadline", 1},
	[PIC_TARGET] = {"目标值", "target", 1},
	[PIC_UNIT] = {"单位", "unit", 0},
	[PIC_WEIGHT] = {"权重", "weight", 0},
	[PIC_METRIC] = {"指标", "metric", 0},
};

/* Other headers officials use for the same columns. */
static const struct {
	const char *name;
	int col;
} aliases[] = {
	{"工作目标", PIC_ITEM}, {"重点工作任务", PIC_SUBITEM}, {"任务", PIC_SUBITEM},
	{"责任单位", PIC_LEAD}, {"牵头部门", PIC_LEAD}, {"配合部门", PIC_CO},
	{"完成时间", PIC_DEADLINE}, {"截止日期", PIC_DEADLINE}, {"目标", PIC_TARGET},
	{"计量单位", PIC_UNIT}, {"统计指标", PIC_METRIC}, {"title", PIC_SUBITEM},
};

int
plan_import_header(const char *const *fields, int n, int colmap[PIC__MAX],
    const char **missing)
{
	for (int k = 0; k < PIC__MAX; k++)
		colmap[k] = -1;
	for (int i = 0; i < n; i++) {
		const char *f = fields[i];

		for (int k = 0; k < PIC__MAX; k++)
			if (colmap[k] < 0 && (!strcmp(f, plan_import_cols[k].zh) ||
			    !strcmp(f, plan_import_cols[k].en)))
				colmap[k] = i;
		for (size_t a = 0; a < ARRAY_LEN(aliases); a++)
			if (colmap[aliases[a].col] < 0 && !strcmp(f, aliases[a].name))
				colmap[aliases[a].col] = i;
	}
	for (int k = 0; k < PIC__MAX; k++) {
		if (plan_import_cols[k].required && colmap[k] < 0) {
			*missing = plan_import_cols[k].zh;
			return ERR_INVALID;
		}
	}
	return 0;
}

static int
fail(struct why *e, long row, const char *field, const char *en,
    const char *zh)
{
	e->row = row;
	e->field = field;
	e->en = en;
	e->zh = zh;
	return ERR_INVALID;
}

/* A plain decimal: digits with at most one point. A leading minus sets
 * *negative, so the error can say what is wrong. */
static int
parse_decimal(const char *s, double *out, int *negative)
{
	int digits = 0, points = 0;
	char *end;

	*negative = *s == '-';
	if (*negative)
		s++;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.' && !points)
			points++;
		else
			return ERR_INVALID;
	}
	if (!digits)
		return ERR_INVALID;
	*out = strtod(s, &end);
	return *end ? ERR_INVALID : 0;
}

/* "2026-06-30", "2026/6/30", "2026.6.30" or "2026年6月30日" as YYYY-MM-DD. */
int
plan_import_date(const char *s, char out[11])
{
	long part[3] = {0, 0, 0};
	int k = 0, digits = 0;

	for (const char *p = s; *p && k < 3; ) {
		if (*p >= '0' && *p <= '9') {
			part[k] = part[k] * 10 + (*p - '0');
			if (++digits > 4)
				return ERR_INVALID;
			p++;
			continue;
		}
		if (!digits)
			return ERR_INVALID;
		if (*p == '-' || *p == '/' || *p == '.')
			p++;
		else if (!strncmp(p, "年", 3) || !strncmp(p, "月", 3) || !strncmp(p, "日", 3))
			p += 3;
		else
			return ERR_INVALID;
		k++;
		digits = 0;
		if (k == 3 && *p)
			return ERR_INVALID;
	}
	if (k < 2 || (k == 2 && !digits))
		return ERR_INVALID;
	if (part[0] < 1000 || part[0] > 9999 || part[1] < 1 || part[1] > 12 ||
	    part[2] < 1 || part[2] > 31)
		return ERR_INVALID;
	snprintf(out, 11, "%04d-%02d-%02d", (int)part[0], (int)part[1], (int)part[2]);
	return date_valid(out) ? ERR_INVALID : 0;
}

static int
is_milestone_word(const char *s)
{
	static const char *const words[] = {"里程碑", "milestone", "完成", "是", "按时完成"};

	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (!strcmp(s, words[i]))
			return 1;
	return 0;
}

static int
parse_metric(const char *s)
{
	int m;

	if (!*s)
		return PM_MANUAL;
	if ((m = plan_metric_parse(s)) >= 0)
		return m;
	for (m = 0; m < PM__MAX; m++)
		if (!strcmp(s, plan_metric_zh(m)))
			return m;
	return -1;
}

static int
text_field(struct why *e, long row, const char *field, const char *s,
    char *dst, size_t n, size_t max_chars, int required)
{
	size_t len = strlen(s);

	if (!*s && required)
		return fail(e, row, field, "is required", "必填");
	if (!utf8_valid(s, len) || utf8_chars(s, len) > max_chars)
		return fail(e, row, field, "is too long", "内容过长");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return fail(e, row, field, "contains control characters",
			    "包含控制字符");
	str_copy(dst, n, s);
	return 0;
}

/* Splits "甲、乙；丙" into owners[1..]. */
static int
split_co_owners(struct plan_import_row *out, const char *s, struct why *e)
{
	static const char *const seps[] = {"、", "；", "，", ";", ","};
	const char *p = s;

	while (*p) {
		const char *next = NULL;
		size_t seplen = 0, len;
		char name[PLAN_ORG_NAME_BYTES];

		for (size_t i = 0; i < ARRAY_LEN(seps); i++) {
			const char *hit = strstr(p, seps[i]);
			if (hit && (!next || hit < next)) {
				next = hit;
				seplen = strlen(seps[i]);
			}
		}
		len = next ? (size_t)(next - p) : strlen(p);
		while (len && *p == ' ') {
			p++;
			len--;
		}
		while (len && p[len - 1] == ' ')
			len--;
		if (len) {
			if (out->nowners >= PLAN_MAX_OWNERS)
				return fail(e, out->row, plan_import_cols[PIC_CO].zh,
				    "at most 15 co-owners", "配合单位最多 15 个");
			if (len >= sizeof(name))
				return fail(e, out->row, plan_import_cols[PIC_CO].zh,
				    "a name is too long", "单位名称过长");
			memcpy(name, p, len);
			name[len] = '\0';
			str_copy(out->owners[out->nowners++], PLAN_ORG_NAME_BYTES, name);
		}
		p = next ? next + seplen : p + len;
	}
	return 0;
}

/* The fields of one row as text, in column order; shared by CSV and JSON
 * (JSON numbers arrive here already written as text). */
int
plan_import_fields(const char *const v[PIC__MAX], long row,
    struct plan_import_row *out, struct why *e)
{
	double d;
	int rc, neg;

	memset(out, 0, sizeof(*out));
	out->row = row;
#define COL(k) plan_import_cols[k].zh
	if ((rc = text_field(e, row, COL(PIC_ASPECT), v[PIC_ASPECT], out->aspect,
	    sizeof(out->aspect), PLAN_TITLE_MAX, 1)) ||
	    (rc = text_field(e, row, COL(PIC_ITEM), v[PIC_ITEM], out->item,
	    sizeof(out->item), PLAN_TITLE_MAX, 1)) ||
	    (rc = text_field(e, row, COL(PIC_SUBITEM), v[PIC_SUBITEM], out->title,
	    sizeof(out->title), PLAN_TITLE_MAX, 1)) ||
	    (rc = text_field(e, row, COL(PIC_LEAD), v[PIC_LEAD], out->owners[0],
	    sizeof(out->owners[0]), 100, 1)))
		return rc;
	out->nowners = 1;
	if ((rc = split_co_owners(out, v[PIC_CO], e)))
		return rc;
	if (!*v[PIC_DEADLINE])
		return fail(e, row, COL(PIC_DEADLINE), "a sub-item needs a deadline",
		    "分项须设置完成时限");
	if (plan_import_date(v[PIC_DEADLINE], out->deadline))
		return fail(e, row, COL(PIC_DEADLINE), "not a date (YYYY-MM-DD)",
		    "不是有效日期（年-月-日）");
	if ((rc = text_field(e, row, COL(PIC_UNIT), v[PIC_UNIT], out->unit,
	    sizeof(out->unit), PLAN_UNIT_MAX, 0)))
		return rc;
	if (!*v[PIC_TARGET])
		return fail(e, row, COL(PIC_TARGET),
		    "a sub-item needs a target: a number, or 里程碑 for a milestone",
		    "分项须设置目标：填写数值，里程碑类任务填“里程碑”");
	if (is_milestone_word(v[PIC_TARGET])) {
		out->milestone = 1;
	} else {
		char num[64];
		size_t n = strlen(v[PIC_TARGET]), pct;

		/* "95%" is 95 with the unit % (typed so, or a percent-formatted
		 * .xlsx cell); beside another unit ("95%" of 人) one of the two
		 * is wrong, and guessing which would put a wrong target in the
		 * plan */
		str_copy(num, sizeof(num), v[PIC_TARGET]);
		/* the sign as typed: '%' or the full-width '％' (3 bytes) */
		pct = n > 1 && n < sizeof(num) && num[n - 1] == '%' ? 1 :
		    n > 3 && n < sizeof(num) && !strcmp(num + n - 3, "\xef\xbc\x85") ? 3 : 0;
		if (pct) {
			num[n - pct] = '\0';
			if (!out->unit[0])
				str_copy(out->unit, sizeof(out->unit), "%");
			else if (!plan_unit_is_percent(out->unit))
				return fail(e, row, COL(PIC_TARGET),
				    "the target is a percentage but the unit is not %: "
				    "leave the unit empty or write %, or enter the target "
				    "as a plain number",
				    "目标值为百分数，但单位不是“%”：请将单位留空或填“%”，"
				    "或将目标值改为普通数字");
		}
		rc = parse_decimal(num, &d, &neg);
		if (!rc && neg)
			return fail(e, row, COL(PIC_TARGET), "the target must not be negative",
			    "目标值不能为负数");
		if (rc || plan_value_e4(d, PLAN_VALUE_MAX_E4, &out->target_e4))
			return fail(e, row, COL(PIC_TARGET), "the target must be a number",
			    "目标值应为数字");
		out->has_target = 1;
	}
	out->weight_e4 = 10000;
	if (*v[PIC_WEIGHT]) {
		if (parse_decimal(v[PIC_WEIGHT], &d, &neg) || neg ||
		    plan_value_e4(d, PLAN_WEIGHT_MAX_E4, &out->weight_e4))
			return fail(e, row, COL(PIC_WEIGHT),
			    "the weight must be a number from 0 to 1000", "权重应为 0 至 1000 的数字");
	}
	out->metric = parse_metric(v[PIC_METRIC]);
	if (out->metric < 0)
		return fail(e, row, COL(PIC_METRIC),
		    "unknown metric (manual, workers, union_members, union_rate, "
		    "high_skilled, high_skill_ratio)", "未知的统计指标");
#undef COL
	return 0;
}

/* Finds a node by kind and title under parent, or creates it. */
static int
find_or_add(struct db_conn *c, const struct plan *pl, int kind, int64_t parent,
    const char *title, int64_t *id, int *created)
{
	struct plan_node n;
	int rc = db_prep(c, PLAN_NODE_FIND);

	*created = 0;
	if (rc)
		return rc;
	db_bind_int(c, 1, pl->id);
	db_bind_text(c, 2, plan_kind_name(kind));
	db_bind_text(c, 3, title);
	if (parent)
		db_bind_int(c, 4, parent);
	else
		db_bind_null(c, 4);
	rc = db_one(c);
	if (!rc)
		*id = db_col_int(c, 0);
	db_done(c);
	if (rc != ERR_NOTFOUND)
		return rc;
	memset(&n, 0, sizeof(n));
	n.plan_id = pl->id;
	n.parent_id = parent;
	n.kind = kind;
	n.weight_e4 = 10000;
	str_copy(n.title, sizeof(n.title), title);
	if ((rc = plans_node_insert(c, &n)))
		return rc;
	*id = n.id;
	*created = 1;
	return 0;
}

/* An owner by name or code among the orgs the plan may name. */
static int
owner_by_name(struct db_conn *c, const struct plan *pl, const char *name,
    int64_t *id)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc, n = 0;

	path_range(pl->org_path, lo, hi, sizeof(lo));
	if ((rc = db_prep(c, PLAN_OWNER_BY_NAME)))
		return rc;
	db_bind_text(c, 1, name);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	db_bind_text(c, 4, pl->org_path);
	while ((rc = db_step(c)) == DB_ROW) {
		if (!n)
			*id = db_col_int(c, 0);
		n++;
	}
	db_done(c);
	if (rc < 0)
		return rc;
	return n == 1 ? 0 : n == 0 ? ERR_NOTFOUND : ERR_CONFLICT;
}

int
plans_import_row(struct db_conn *c, const struct plan *pl,
    const struct plan_import_row *row, struct plan_import_counts *counts,
    struct why *e)
{
	struct plan_node n;
	int64_t aspect, item;
	int created, rc;

	memset(&n, 0, sizeof(n));
	n.plan_id = pl->id;
	n.kind = PK_SUBITEM;
	str_copy(n.title, sizeof(n.title), row->title);
	str_copy(n.deadline, sizeof(n.deadline), row->deadline);
	n.milestone = row->milestone;
	n.has_target = row->has_target;
	n.target_e4 = row->target_e4;
	str_copy(n.unit, sizeof(n.unit), row->unit);
	n.weight_e4 = row->weight_e4;
	n.metric = row->metric;
	for (int i = 0; i < row->nowners; i++) {
		rc = owner_by_name(c, pl, row->owners[i], &n.owners[i].org_id);
		if (rc == ERR_NOTFOUND || rc == ERR_CONFLICT)
			return fail(e, row->row, plan_import_cols[i ? PIC_CO : PIC_LEAD].zh,
			    rc == ERR_NOTFOUND ?
			    "no org of this name or code may own the plan's tasks" :
			    "two orgs have this name: give the code instead",
			    rc == ERR_NOTFOUND ? "找不到该名称或代码的可承担任务的单位" :
			    "有两个单位同名，请改用单位代码");
		if (rc)
			return rc;
	}
	n.nowners = row->nowners;
	if (!plan_deadline_in_year(n.deadline, pl->year))
		return fail(e, row->row, plan_import_cols[PIC_DEADLINE].zh,
		    "the deadline must fall within the plan's year", "完成时限须在方案年度之内");
	if ((rc = find_or_add(c, pl, PK_ASPECT, 0, row->aspect, &aspect, &created)))
		return rc;
	counts->aspects += created;
	if ((rc = find_or_add(c, pl, PK_ITEM, aspect, row->item, &item, &created)))
		return rc;
	counts->items += created;
	n.parent_id = item;
	rc = plans_node_check(c, pl, &n, e);
	if (rc == ERR_INVALID) {
		/* name the column, not the API field */
		e->row = row->row;
		if (!strcmp(e->field, "owner_org_ids"))
			e->field = plan_import_cols[PIC_LEAD].zh;
		else if (!strcmp(e->field, "target"))
			e->field = plan_import_cols[PIC_TARGET].zh;
		else if (!strcmp(e->field, "deadline"))
			e->field = plan_import_cols[PIC_DEADLINE].zh;
		else if (!strcmp(e->field, "metric"))
			e->field = plan_import_cols[PIC_METRIC].zh;
		return rc;
	}
	if (rc || (rc = plans_node_insert(c, &n)))
		return rc;
	counts->subitems++;
	return 0;
}
