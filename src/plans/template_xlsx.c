/* The plan template as .xlsx: the same columns as the CSV template, so
 * what is exported imports again unchanged. Deadlines are written as
 * YYYY-MM-DD text, not Excel dates, so they read back exactly in any
 * program (the import also takes real date cells); numbers are numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/err.h"
#include "base/util.h"
#include "plans/template.h"

struct plan_xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *text, *num;
	lxw_row_t row;
	int failed;
};

static const double widths[PIC__MAX] = {
	[PIC_ASPECT] = 20, [PIC_ITEM] = 26, [PIC_SUBITEM] = 40, [PIC_LEAD] = 26,
	[PIC_CO] = 30, [PIC_DEADLINE] = 12, [PIC_TARGET] = 10, [PIC_UNIT] = 8,
	[PIC_WEIGHT] = 8, [PIC_METRIC] = 16,
};

int
plan_xlsx_open(const char *path, struct plan_xlsx **out)
{
	struct plan_xlsx *x = calloc(1, sizeof(*x));

	*out = NULL;
	if (!x)
		return ERR_NOMEM;
	x->wb = workbook_new(path);
	if (!x->wb) {
		free(x);
		return ERR_IO;
	}
	x->ws = workbook_add_worksheet(x->wb, "实施方案");
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_bg_color(x->head, 0xDDEBF7);
	format_set_border(x->head, LXW_BORDER_THIN);
	x->text = workbook_add_format(x->wb);
	format_set_num_format(x->text, "@");
	format_set_text_wrap(x->text);
	x->num = workbook_add_format(x->wb);
	format_set_num_format(x->num, "General");
	if (!x->ws || !x->head || !x->text || !x->num) {
		plan_xlsx_close(x);
		return ERR_NOMEM;
	}
	for (int k = 0; k < PIC__MAX; k++) {
		worksheet_set_column(x->ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], NULL);
		worksheet_write_string(x->ws, 0, (lxw_col_t)k, plan_import_cols[k].zh, x->head);
	}
	worksheet_freeze_panes(x->ws, 1, 0);
	x->row = 1;
	*out = x;
	return 0;
}

/* A plain decimal as the CSV template writes one (no sign, no exponent). */
static int
plain_number(const char *s, double *d)
{
	int digits = 0, points = 0;
	char *end;

	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.' && !points++)
			continue;
		else
			return 0;
	}
	if (!digits || strlen(s) > 20)
		return 0;
	*d = strtod(s, &end);
	return !*end;
}

int
plan_xlsx_row(struct plan_xlsx *x, const char *const v[PIC__MAX])
{
	for (int k = 0; k < PIC__MAX && !x->failed; k++) {
		lxw_col_t col = (lxw_col_t)k;
		lxw_error e;
		double d;

		if ((k == PIC_TARGET || k == PIC_WEIGHT) && plain_number(v[k], &d))
			e = worksheet_write_number(x->ws, x->row, col, d, x->num);
		else if (*v[k])
			e = worksheet_write_string(x->ws, x->row, col, v[k], x->text);
		else
			e = LXW_NO_ERROR;
		if (e != LXW_NO_ERROR)
			x->failed = 1;
	}
	x->row++;
	return x->failed ? ERR_TOOBIG : 0;
}

int
plan_xlsx_close(struct plan_xlsx *x)
{
	int rc;

	if (!x)
		return 0;
	rc = workbook_close(x->wb) == LXW_NO_ERROR && !x->failed ? 0 : ERR_IO;
	free(x);
	return rc;
}
