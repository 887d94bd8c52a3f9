/* Plan templates: the columns of a plan kept as a spreadsheet, and turning
 * a row into nodes. Private to src/plans/ and its tests. */
#ifndef CHANGAI_PLANS_TEMPLATE_H
#define CHANGAI_PLANS_TEMPLATE_H

#include "plans/plans.h"

enum plan_import_col_id {
	PIC_ASPECT, PIC_ITEM, PIC_SUBITEM, PIC_LEAD, PIC_CO, PIC_DEADLINE,
	PIC_TARGET, PIC_UNIT, PIC_WEIGHT, PIC_METRIC, PIC__MAX
};
struct plan_import_col {
	const char *zh;          /* the header officials write */
	const char *en;          /* accepted too, and the JSON key */
	int required;
};
extern const struct plan_import_col plan_import_cols[PIC__MAX];

/* One sub-item row, checked. owners[0] is the lead. */
struct plan_import_row {
	long row;
	char aspect[PLAN_TITLE_BYTES];
	char item[PLAN_TITLE_BYTES];
	char title[PLAN_TITLE_BYTES];
	int nowners;
	char owners[PLAN_MAX_OWNERS][PLAN_ORG_NAME_BYTES];
	char deadline[11];
	int milestone, has_target, metric;
	int64_t target_e4, weight_e4;
	char unit[PLAN_UNIT_BYTES];
};
struct plan_import_counts {
	int aspects, items, subitems;
};

/* Maps header names (Chinese, English or a known alias) to columns;
 * ERR_INVALID naming the first required column that is missing. */
int plan_import_header(const char *const *fields, int n, int colmap[PIC__MAX],
    const char **missing);
/* A date as officials type it ("2026/6/30", "2026年6月30日") as YYYY-MM-DD. */
int plan_import_date(const char *s, char out[11]);
/* Checks one row's fields (text, in column order; "" when absent). On
 * ERR_INVALID e names the row and the column. */
int plan_import_fields(const char *const v[PIC__MAX], long row,
    struct plan_import_row *out, struct why *e);
/* Adds the row to the plan in the caller's transaction: the aspect and
 * item found by title or created, owners found by name or code, then the
 * sub-item checked as any other (plans_node_check) and inserted. */
int plans_import_row(struct db_conn *c, const struct plan *pl,
    const struct plan_import_row *row, struct plan_import_counts *counts,
    struct why *e);

/* The plan as an .xlsx template (template_xlsx.c): the header of
 * plan_import_cols in row 1, frozen, one row per sub-item after it; the
 * target and the weight as numbers when they are numbers. Written to a
 * file so a large plan is never a workbook in memory twice. */
struct plan_xlsx;
int plan_xlsx_open(const char *path, struct plan_xlsx **out);
/* v: the row's text in column order, as the CSV template holds it. */
int plan_xlsx_row(struct plan_xlsx *x, const char *const v[PIC__MAX]);
/* Writes the file and frees x (also after a failed row). */
int plan_xlsx_close(struct plan_xlsx *x);

#endif
