/* A period's collection template (采集表) as .xlsx: a row for every unit
 * the caller reports for and every node the index asks units to report,
 * with the value entered so far; filled in and sent back, every row with
 * a value is entered (an owner's counts at once, a unit's waits for
 * review) or, when any row is refused, none is, each refusal naming its
 * row and column. Values are what the method reads: a ratio as a
 * fraction (a cell shown as 1.8% is 0.018), a yes/no item as 1 or 0. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/err.h"
#include "base/util.h"
#include "db/db.h"
#include "evaluation/evaluation.h"
#include "orgs/orgs.h"
#include "xlsx/xlsx.h"

enum { VC_ORG, VC_NAME, VC_CODE, VC_TITLE, VC_HOW, VC_VALUE, VC_NOTE, VC_STATE, VC_REASON, VC__MAX };
static const char *const col_zh[VC__MAX] = {
	"单位编号", "单位名称", "代码", "填报项", "填写要求", "数值", "说明", "状态", "退回理由",
};
static const double col_width[VC__MAX] = {9, 30, 8, 28, 16, 10, 30, 8, 20};

static int
yes_no(const struct eval_node *n)
{
	return n->kind == EK_VETO || (n->kind == EK_INDICATOR && n->method.kind == EM_MILESTONE);
}

struct entered {
	int64_t org_id, node_id;
	double value;
	char state[12];
	char *note, *reason;                 /* owned */
};

static int
cmp_entered(const void *a, const void *b)
{
	const struct entered *x = a, *y = b;

	if (x->org_id != y->org_id)
		return x->org_id < y->org_id ? -1 : 1;
	return x->node_id < y->node_id ? -1 : x->node_id > y->node_id;
}

static void
entered_free(struct entered *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].note);
		free(v[i].reason);
	}
	free(v);
}

/* The period's values of units in [lo, hi), sorted for lookups. */
static int
entered_load(struct db_conn *c, int64_t period_id, const char *lo, const char *hi,
    struct entered **out, size_t *n)
{
	struct entered *v = NULL;
	size_t cap = 0, k = 0;
	int rc = db_prep(c, EVAL_VALUES_IN);

	if (rc)
		return rc;
	db_bind_int(c, 1, period_id);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	while ((rc = db_step(c)) == DB_ROW) {
		if ((rc = array_grow((void **)&v, &cap, k, sizeof(*v))))
			break;
		memset(&v[k], 0, sizeof(v[k]));
		v[k].org_id = db_col_int(c, 0);
		v[k].node_id = db_col_int(c, 1);
		v[k].value = db_col_double(c, 2);
		db_col_copy(c, 4, v[k].state, sizeof(v[k].state));
		v[k].note = strdup(db_col_text(c, 3) ? db_col_text(c, 3) : "");
		v[k].reason = strdup(db_col_text(c, 5) ? db_col_text(c, 5) : "");
		if (!v[k].note || !v[k].reason) {
			k++;
			rc = ERR_NOMEM;
			break;
		}
		k++;
	}
	db_done(c);
	if (rc < 0) {
		entered_free(v, k);
		return rc;
	}
	if (k)
		qsort(v, k, sizeof(*v), cmp_entered);
	*out = v;
	*n = k;
	return 0;
}

static const struct entered *
entered_of(const struct entered *v, size_t n, int64_t org_id, int64_t node_id)
{
	struct entered key = {.org_id = org_id, .node_id = node_id};

	return n ? bsearch(&key, v, n, sizeof(*v), cmp_entered) : NULL;
}

static const char *
state_zh(const char *state)
{
	return !strcmp(state, "accepted") ? "已采纳" : !strcmp(state, "submitted") ? "待审核" :
	    !strcmp(state, "returned") ? "已退回" : "未填报";
}

int
eval_collection_write(struct db_conn *c, const struct eval_index *x, const struct eval_period *p,
    const char *lo, const char *hi, const char *path)
{
	struct eval_tree t;
	struct entered *v = NULL;
	size_t nv = 0;
	lxw_workbook *wb = NULL;
	lxw_worksheet *ws;
	lxw_format *head, *text, *keep;
	lxw_row_t row = 1;
	lxw_error e = LXW_NO_ERROR;
	int rc;

	if ((rc = eval_tree_load(c, x->id, &t)))
		return rc;
	if ((rc = entered_load(c, p->id, lo, hi, &v, &nv)))
		goto out;
	if (!(wb = workbook_new(path))) {
		rc = ERR_IO;
		goto out;
	}
	ws = workbook_add_worksheet(wb, "采集表");
	head = workbook_add_format(wb);
	text = workbook_add_format(wb);
	keep = workbook_add_format(wb);
	if (!ws || !head || !text || !keep) {
		rc = ERR_NOMEM;
		goto out;
	}
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_num_format(text, "@");
	/* what the official fills in stands out from what is there to read */
	format_set_bg_color(keep, 0xFFF2CC);
	for (int k = 0; k < VC__MAX; k++) {
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, col_width[k], NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)k, col_zh[k], head);
	}
	worksheet_freeze_panes(ws, 1, 3);
	if ((rc = db_prep(c, EVAL_UNITS_IN)))
		goto out;
	db_bind_text(c, 1, x->unit_kind);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	while (!e && (rc = db_step(c)) == DB_ROW) {
		int64_t org = db_col_int(c, 0);
		const char *name = db_col_text(c, 1);

		for (size_t i = 0; i < t.nn && !e; i++) {
			const struct eval_node *n = &t.n[i];
			const struct entered *ev;

			/* a computed node is read from the store, not collected */
			if (!n->reported)
				continue;
			ev = entered_of(v, nv, org, n->id);
			e = worksheet_write_number(ws, row, VC_ORG, (double)org, NULL);
			if (!e)
				e = worksheet_write_string(ws, row, VC_NAME, name ? name : "", NULL);
			if (!e)
				e = worksheet_write_string(ws, row, VC_CODE, n->code, text);
			if (!e)
				e = worksheet_write_string(ws, row, VC_TITLE, n->title, NULL);
			if (!e)
				e = worksheet_write_string(ws, row, VC_HOW, yes_no(n) ? "1=是，0=否" :
				    n->kind == EK_BONUS ? "分值" : n->unit, NULL);
			if (!e)
				e = ev ? worksheet_write_number(ws, row, VC_VALUE, ev->value, keep) :
				    worksheet_write_blank(ws, row, VC_VALUE, keep);
			if (!e)
				e = worksheet_write_string(ws, row, VC_NOTE, ev ? ev->note : "", keep);
			if (!e)
				e = worksheet_write_string(ws, row, VC_STATE, state_zh(ev ? ev->state : ""), NULL);
			if (!e && ev && ev->reason[0])
				e = worksheet_write_string(ws, row, VC_REASON, ev->reason, NULL);
			row++;
		}
	}
	db_done(c);
	if (rc < 0)
		goto out;
	rc = e ? ERR_IO : 0;
out:
	if (wb && workbook_close(wb) != LXW_NO_ERROR && !rc)
		rc = ERR_IO;
	entered_free(v, nv);
	eval_tree_free(&t);
	return rc;
}

static int
add_err(struct eval_import_errors *e, long row, int col, const char *en, const char *zh)
{
	if (e->n < EVAL_IMPORT_ERRORS_MAX)
		e->e[e->n++] = (struct eval_import_error){row, col >= 0 ? col_zh[col] : "", en, zh};
	return ERR_INVALID;
}

static int
value_column(const char *field)
{
	if (!field)
		return -1;
	return !strcmp(field, "code") ? VC_CODE : !strcmp(field, "value") ? VC_VALUE :
	    !strcmp(field, "org_id") ? VC_ORG : -1;
}

int
eval_collection_import(struct db_conn *c, const struct principal *who, enum eval_see see,
    const struct eval_index *x, const struct eval_period *p, const struct xlsx_sheet *s,
    size_t *put, struct eval_import_errors *e)
{
	struct eval_value *v = calloc(1, sizeof(*v));
	struct eval_tree t;
	int colmap[VC__MAX], rc = 0;
	long at = -1;

	*put = 0;
	if (!v)
		return ERR_NOMEM;
	for (long r = 0; r < s->nrows && r < 5 && at < 0; r++) {
		for (int k = 0; k < VC__MAX; k++)
			colmap[k] = -1;
		for (int k = 0; k < s->rows[r].ncells; k++)
			for (int j = 0; j < VC__MAX; j++)
				if (colmap[j] < 0 && !strcmp(s->rows[r].cells[k].text, col_zh[j]))
					colmap[j] = s->rows[r].cells[k].col;
		if (colmap[VC_ORG] >= 0 && colmap[VC_CODE] >= 0 && colmap[VC_VALUE] >= 0)
			at = r + 1;
	}
	if (at < 0) {
		free(v);
		return add_err(e, 1, -1,
		    "the first sheet lacks 单位编号, 代码 or 数值: this is not a collection template",
		    "第一张工作表缺少“单位编号”“代码”或“数值”列：这不是采集表");
	}
	if ((rc = eval_tree_load(c, x->id, &t))) {
		free(v);
		return rc;
	}
	for (; at < s->nrows && !rc && e->n < EVAL_IMPORT_ERRORS_MAX; at++) {
		const struct xlsx_row *row = &s->rows[at];
		const struct xlsx_cell *cv = colmap[VC_VALUE] >= 0 ? xlsx_cell(row, colmap[VC_VALUE]) : NULL;
		const struct xlsx_cell *co = xlsx_cell(row, colmap[VC_ORG]);
		const struct xlsx_cell *cc = xlsx_cell(row, colmap[VC_CODE]);
		const struct xlsx_cell *cn = colmap[VC_NOTE] >= 0 ? xlsx_cell(row, colmap[VC_NOTE]) : NULL;
		char path[ORG_PATH_MAX], *end;
		const char *state;
		struct why why = {0};
		int64_t org;

		/* a row without a value is one the unit has not filled in */
		if (!cv || !cv->text[0])
			continue;
		memset(v, 0, sizeof(*v));
		if (parse_int64(co ? co->text : "", 1, INT64_MAX, &org)) {
			add_err(e, row->number, VC_ORG, "the unit's number as the template gives it",
			    "须为采集表中的单位编号");
			continue;
		}
		v->value = strtod(cv->text, &end);
		if (*end || !isfinite(v->value)) {
			add_err(e, row->number, VC_VALUE, "a number", "须为数字");
			continue;
		}
		if (cn && utf8_chars(cn->text, strlen(cn->text)) > EVAL_NOTE_MAX) {
			add_err(e, row->number, VC_NOTE, "at most 500 characters", "不超过 500 个字符");
			continue;
		}
		if ((rc = orgs_path_of(c, org, path, sizeof(path))) == ERR_NOTFOUND ||
		    (!rc && (rc = eval_entry_state(who, see, path, &state)))) {
			rc = 0;
			add_err(e, row->number, VC_ORG, "not a unit you report for",
			    "不是您可以填报的单位");
			continue;
		}
		if (rc)
			break;
		v->org_id = org;
		str_copy(v->code, sizeof(v->code), cc ? cc->text : "");
		str_copy(v->note, sizeof(v->note), cn ? cn->text : "");
		str_copy(v->state, sizeof(v->state), state);
		v->entered_by = who->user_id;
		str_copy(v->entered_name, sizeof(v->entered_name), who->name[0] ? who->name : who->username);
		rc = eval_value_put_in(c, x, p, &t, v, &why);
		if (rc == ERR_INVALID) {
			add_err(e, row->number, value_column(why.field), why.en, why.zh);
			rc = 0;
		} else if (rc == ERR_CONFLICT) {
			/* the period is sealed: no row goes in */
			e->n = 0;
			add_err(e, 0, -1, why.en ? why.en : "the period is sealed",
			    why.zh ? why.zh : "评价周期已封存");
			break;
		} else if (!rc) {
			(*put)++;
		}
	}
	if (rc == ERR_CONFLICT) {
		eval_tree_free(&t);
		free(v);
		return rc;
	}
	if (!rc && !e->n && !*put)
		add_err(e, 0, VC_VALUE, "no row has a value", "没有填写数值的行");
	eval_tree_free(&t);
	free(v);
	return rc ? rc : e->n ? ERR_INVALID : 0;
}
