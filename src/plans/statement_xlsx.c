/* The statement as an .xlsx officials print for the reconciliation
 * meeting: a title row, merged area headers, the item merged down its
 * sub-items, a frozen header, A4 landscape with the header rows repeated
 * on every page, status colours; a second sheet with the totals. Numbers
 * stay numbers (targets, actuals, completion as a percentage). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/err.h"
#include "base/util.h"
#include "plans/plans.h"

#define SHEET_COLS 13
#define PAPER_A4 9

static const char *const heads[SHEET_COLS] = {"序号", "大项（工作目标）", "分项（重点工作任务）",
    "牵头单位", "配合单位", "完成时限", "目标值", "单位", "实际完成", "完成率", "状态",
    "最近报送", "报送日期"};
static const double widths[SHEET_COLS] = {7, 24, 40, 20, 22, 11, 9, 7, 10, 9, 9, 30, 11};

struct fmts {
	lxw_format *title, *sub, *head, *area, *text, *wrap, *num, *pct, *item;
	lxw_format *status[4];
};

static void
make_formats(lxw_workbook *wb, struct fmts *f)
{
	static const uint32_t fills[4] = {
		[PS_GREY] = 0xD9D9D9, [PS_GREEN] = 0xC6EFCE,
		[PS_YELLOW] = 0xFFEB9C, [PS_RED] = 0xFFC7CE,
	};
	static const uint32_t fonts[4] = {
		[PS_GREY] = 0x404040, [PS_GREEN] = 0x006100,
		[PS_YELLOW] = 0x9C5700, [PS_RED] = 0x9C0006,
	};

	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 16);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
	f->sub = workbook_add_format(wb);
	format_set_align(f->sub, LXW_ALIGN_CENTER);
	format_set_text_wrap(f->sub);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_bg_color(f->head, 0xDDEBF7);
	format_set_border(f->head, LXW_BORDER_THIN);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(f->head);
	f->area = workbook_add_format(wb);
	format_set_bold(f->area);
	format_set_bg_color(f->area, 0xF2F2F2);
	format_set_border(f->area, LXW_BORDER_THIN);
	f->text = workbook_add_format(wb);
	format_set_border(f->text, LXW_BORDER_THIN);
	format_set_align(f->text, LXW_ALIGN_VERTICAL_CENTER);
	format_set_num_format(f->text, "@");
	f->wrap = workbook_add_format(wb);
	format_set_border(f->wrap, LXW_BORDER_THIN);
	format_set_text_wrap(f->wrap);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_CENTER);
	f->item = workbook_add_format(wb);
	format_set_border(f->item, LXW_BORDER_THIN);
	format_set_text_wrap(f->item);
	format_set_align(f->item, LXW_ALIGN_VERTICAL_CENTER);
	f->num = workbook_add_format(wb);
	format_set_border(f->num, LXW_BORDER_THIN);
	format_set_num_format(f->num, "#,##0.####");
	f->pct = workbook_add_format(wb);
	format_set_border(f->pct, LXW_BORDER_THIN);
	format_set_num_format(f->pct, "0.0%");
	for (int s = 0; s < 4; s++) {
		f->status[s] = workbook_add_format(wb);
		format_set_border(f->status[s], LXW_BORDER_THIN);
		format_set_align(f->status[s], LXW_ALIGN_CENTER);
		format_set_bg_color(f->status[s], fills[s]);
		format_set_font_color(f->status[s], fonts[s]);
		format_set_bold(f->status[s]);
	}
}

static double
e4(int64_t v)
{
	return (double)v / 10000.0;
}

static void
co_owners(const struct plan_model *m, const struct plan_mnode *x, char *out,
    size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	for (int k = 1; k < x->nowners && o + 1 < n; k++) {
		int w = snprintf(out + o, n - o, "%s%s", k > 1 ? "、" : "",
		    plan_model_str(m, m->o[x->first_owner + k].name));
		if (w < 0)
			break;
		o += (size_t)w < n - o ? (size_t)w : n - o - 1;
	}
}

static void
write_row(lxw_worksheet *ws, lxw_row_t r, const struct plan_model *m,
    const struct plan_mnode *x, const struct fmts *f)
{
	char co[1024], last[PLAN_NOTE_BYTES + 64], val[32];

	worksheet_write_string(ws, r, 0, x->no, f->text);
	worksheet_write_string(ws, r, 2, plan_model_str(m, x->title), f->wrap);
	worksheet_write_string(ws, r, 3, x->first_owner >= 0 ?
	    plan_model_str(m, m->o[x->first_owner].name) : "", f->wrap);
	co_owners(m, x, co, sizeof(co));
	worksheet_write_string(ws, r, 4, co, f->wrap);
	worksheet_write_string(ws, r, 5, x->deadline, f->text);
	if (x->milestone) {
		worksheet_write_string(ws, r, 6, "里程碑", f->text);
		worksheet_write_string(ws, r, 7, "", f->text);
		worksheet_write_string(ws, r, 8, !x->have_actual ? "" :
		    x->done ? "已完成" : "未完成", f->text);
	} else {
		worksheet_write_number(ws, r, 6, e4(x->target_e4), f->num);
		worksheet_write_string(ws, r, 7, plan_model_str(m, x->unit), f->text);
		if (x->have_actual)
			worksheet_write_number(ws, r, 8, e4(x->actual_e4), f->num);
		else
			worksheet_write_string(ws, r, 8, "", f->text);
	}
	worksheet_write_number(ws, r, 9, (double)plan_completion_e4(x->completion) /
	    10000.0, f->pct);
	worksheet_write_string(ws, r, 10, plan_status_zh(x->status), f->status[x->status]);
	if (x->last.present) {
		const char *state = !strcmp(x->last.state, "accepted") ? "已确认" :
		    !strcmp(x->last.state, "returned") ? "已退回" : "待确认";
		if (x->last.has_value)
			plan_e4_text(x->last.value_e4, val);
		else
			str_copy(val, sizeof(val), x->last.done ? "已完成" : "未完成");
		snprintf(last, sizeof(last), "%s（%s）%s", val, state,
		    plan_model_str(m, x->last.note));
		worksheet_write_string(ws, r, 11, last, f->wrap);
		worksheet_write_string(ws, r, 12, x->last.as_of, f->text);
	} else {
		worksheet_write_string(ws, r, 11, "未报送", f->wrap);
		worksheet_write_string(ws, r, 12, "", f->text);
	}
}

static void
totals_sheet(lxw_workbook *wb, const struct plan_model *m, const struct fmts *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "汇总");
	static const char *const h[] = {"范围", "名称", "分项", "完成", "进行中", "逾期",
	    "未开始", "完成率", "状态"};
	struct plan_owner_total *t = NULL;
	size_t nt = 0;
	lxw_row_t r = 0;

	worksheet_set_column(ws, 0, 0, 10, NULL);
	worksheet_set_column(ws, 1, 1, 36, NULL);
	worksheet_set_column(ws, 2, 8, 10, NULL);
	for (lxw_col_t i = 0; i < ARRAY_LEN(h); i++)
		worksheet_write_string(ws, r, i, h[i], f->head);
	worksheet_freeze_panes(ws, 1, 0);
	r++;
#define TOTAL_ROW(scope, name, n, o, grey, comp, st) do { \
		worksheet_write_string(ws, r, 0, scope, f->text); \
		worksheet_write_string(ws, r, 1, name, f->wrap); \
		worksheet_write_number(ws, r, 2, n, f->num); \
		worksheet_write_number(ws, r, 3, (o)[PO_DONE], f->num); \
		worksheet_write_number(ws, r, 4, (o)[PO_PROGRESS], f->num); \
		worksheet_write_number(ws, r, 5, (o)[PO_OVERDUE], f->num); \
		worksheet_write_number(ws, r, 6, grey, f->num); \
		worksheet_write_number(ws, r, 7, \
		    (double)plan_completion_e4(comp) / 10000.0, f->pct); \
		worksheet_write_string(ws, r, 8, plan_status_zh(st), f->status[st]); \
		r++; \
	} while (0)
	{
		int o[3] = {m->done[PK_SUBITEM], m->progress[PK_SUBITEM],
		    m->overdue[PK_SUBITEM]};
		TOTAL_ROW("全方案", m->plan.title, m->count[PK_SUBITEM], o,
		    m->grey[PK_SUBITEM], m->completion, m->status);
	}
	for (size_t i = 0; i < m->nn; i++) {
		const struct plan_mnode *x = &m->n[i];
		char name[PLAN_TITLE_BYTES + 32];

		if (x->kind != PK_ASPECT)
			continue;
		snprintf(name, sizeof(name), "%s、%s", x->no, plan_model_str(m, x->title));
		TOTAL_ROW("方面", name, x->subitems, x->outcome, x->grey, x->completion,
		    x->status);
	}
	if (!plan_owner_totals(m, &t, &nt)) {
		for (size_t i = 0; i < nt; i++) {
			if (!t[i].subitems)
				continue;
			TOTAL_ROW("牵头单位", plan_model_str(m, t[i].name), t[i].subitems,
			    t[i].outcome, t[i].grey, plan_roll_completion(&t[i].roll),
			    plan_roll_status(&t[i].roll));
		}
		free(t);
	}
#undef TOTAL_ROW
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, PAPER_A4);
	worksheet_repeat_rows(ws, 0, 0);
}

int
plan_statement_xlsx(const struct plan_model *m, const char *path,
    const char *exported_by)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	struct fmts f;
	char title[PLAN_TITLE_BYTES + 64], sub[700];
	lxw_row_t r = 3;

	if (!wb)
		return ERR_IO;
	make_formats(wb, &f);
	ws = workbook_add_worksheet(wb, "对账单");
	for (lxw_col_t i = 0; i < SHEET_COLS; i++)
		worksheet_set_column(ws, i, i, widths[i], NULL);
	snprintf(title, sizeof(title), "%s 对账单", m->plan.title);
	worksheet_set_row(ws, 0, 30, NULL);
	worksheet_merge_range(ws, 0, 0, 0, SHEET_COLS - 1, title, f.title);
	snprintf(sub, sizeof(sub),
	    "%s · 截至 %s · %d 方面 %d 大项 %d 分项：完成 %d，进行中 %d，逾期 %d · 总完成率 %.1f%%%s%s",
	    m->plan.org_name, m->as_of, m->count[PK_ASPECT], m->count[PK_ITEM],
	    m->count[PK_SUBITEM], m->done[PK_SUBITEM], m->progress[PK_SUBITEM],
	    m->overdue[PK_SUBITEM], (double)plan_completion_e4(m->completion) / 100.0,
	    exported_by ? " · 导出：" : "", exported_by ? exported_by : "");
	worksheet_merge_range(ws, 1, 0, 1, SHEET_COLS - 1, sub, f.sub);
	worksheet_set_row(ws, 2, 30, NULL);
	for (lxw_col_t i = 0; i < SHEET_COLS; i++)
		worksheet_write_string(ws, 2, i, heads[i], f.head);
	for (size_t i = 0; i < m->nn; i++) {
		const struct plan_mnode *x = &m->n[i];
		char area[PLAN_TITLE_BYTES + 160];

		if (x->kind == PK_ASPECT) {
			/* an area header across the whole row */
			snprintf(area, sizeof(area),
			    "%s、%s（%d 大项 %d 分项：完成 %d，进行中 %d，逾期 %d；完成率 %.1f%%）",
			    x->no, plan_model_str(m, x->title), x->items, x->subitems,
			    x->outcome[PO_DONE], x->outcome[PO_PROGRESS],
			    x->outcome[PO_OVERDUE],
			    (double)plan_completion_e4(x->completion) / 100.0);
			worksheet_merge_range(ws, r, 0, r, SHEET_COLS - 1, area, f.area);
			r++;
		} else if (x->kind == PK_ITEM) {
			lxw_row_t first = r;
			char name[PLAN_TITLE_BYTES + 16];
			int rows = 0;

			for (size_t k = i + 1; k < m->nn && m->n[k].kind == PK_SUBITEM; k++) {
				if (!m->n[k].visible)
					continue;
				write_row(ws, r++, m, &m->n[k], &f);
				rows++;
			}
			if (!rows)
				continue;
			snprintf(name, sizeof(name), "%s. %s", x->no, plan_model_str(m, x->title));
			if (rows > 1)
				worksheet_merge_range(ws, first, 1, r - 1, 1, name, f.item);
			else
				worksheet_write_string(ws, first, 1, name, f.item);
		}
	}
	worksheet_freeze_panes(ws, 3, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, PAPER_A4);
	worksheet_repeat_rows(ws, 0, 2);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
	{
		char footer[64];
		snprintf(footer, sizeof(footer), "&C第 &P 页，共 &N 页");
		worksheet_set_footer(ws, footer);
	}
	totals_sheet(wb, m, &f);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : ERR_IO;
}
