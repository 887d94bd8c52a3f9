/* An index's tree as .xlsx, the way officials write one: a row per node,
 * parents above their children, with its code, parent's code, kind, title,
 * unit, weight, source, method and the method's figures in words and
 * numbers. What is exported imports again unchanged; an import adds every
 * row or none, each refusal naming the row and the column. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/err.h"
#include "base/metric.h"
#include "base/util.h"
#include "db/db.h"
#include "evaluation/evaluation.h"
#include "xlsx/xlsx.h"

enum {
	EC_CODE, EC_PARENT, EC_KIND, EC_TITLE, EC_UNIT, EC_WEIGHT, EC_SOURCE, EC_METHOD,
	EC_WORST, EC_BEST, EC_BENCHMARK, EC_BANDS, EC_CAP, EC__MAX
};
static const char *const col_zh[EC__MAX] = {
	"代码", "上级代码", "类型", "名称", "单位", "权重", "数据来源", "计分方法",
	"最差值", "最优值", "标杆值", "分档", "上限",
};
static const double col_width[EC__MAX] = {8, 10, 8, 28, 6, 6, 26, 10, 8, 8, 8, 26, 6};

static const char *const kind_zh[] = {NULL, "维度", "指标", "加减分", "否决"};
static const char *const method_zh[] = {NULL, "线性", "功效系数", "标杆值", "分档", "里程碑"};
static const char *const method_en[] = {NULL, "linear", "efficacy", "ratio", "bands", "milestone"};
#define REPORTED_ZH "单位填报"

/* ---- export ---- */

int
eval_tree_xlsx_write(const struct eval_tree *t, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *head, *text;
	lxw_error e = LXW_NO_ERROR;

	if (!wb)
		return ERR_IO;
	ws = workbook_add_worksheet(wb, "指标体系");
	head = workbook_add_format(wb);
	text = workbook_add_format(wb);
	if (!ws || !head || !text) {
		workbook_close(wb);
		return ERR_NOMEM;
	}
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_num_format(text, "@");
	for (int k = 0; k < EC__MAX; k++) {
		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, col_width[k], NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)k, col_zh[k], head);
	}
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t i = 0; i < t->nn && !e; i++) {
		const struct eval_node *n = &t->n[i];
		const struct eval_method *m = &n->method;
		lxw_row_t row = (lxw_row_t)(i + 1);

		e = worksheet_write_string(ws, row, EC_CODE, n->code, text);
		if (!e && t->parent[i] >= 0)
			e = worksheet_write_string(ws, row, EC_PARENT, t->n[t->parent[i]].code, text);
		if (!e)
			e = worksheet_write_string(ws, row, EC_KIND, kind_zh[n->kind], NULL);
		if (!e)
			e = worksheet_write_string(ws, row, EC_TITLE, n->title, NULL);
		if (!e && n->unit[0])
			e = worksheet_write_string(ws, row, EC_UNIT, n->unit, NULL);
		if (!e && (n->kind == EK_DIMENSION || n->kind == EK_INDICATOR))
			e = worksheet_write_number(ws, row, EC_WEIGHT, n->weight, NULL);
		if (!e && (n->metric[0] || n->reported))
			e = worksheet_write_string(ws, row, EC_SOURCE,
			    n->metric[0] ? n->metric : REPORTED_ZH, NULL);
		if (!e && m->kind)
			e = worksheet_write_string(ws, row, EC_METHOD, method_zh[m->kind], NULL);
		if (!e && (m->kind == EM_LINEAR || m->kind == EM_EFFICACY)) {
			e = worksheet_write_number(ws, row, EC_WORST, m->worst, NULL);
			if (!e)
				e = worksheet_write_number(ws, row, EC_BEST, m->best, NULL);
		}
		if (!e && m->kind == EM_RATIO)
			e = worksheet_write_number(ws, row, EC_BENCHMARK, m->benchmark, NULL);
		if (!e && m->kind == EM_BANDS) {
			char bands[EVAL_BANDS_MAX * 48] = "";
			size_t at = 0;

			for (int b = 0; b < m->nbands && at < sizeof(bands); b++)
				at += (size_t)snprintf(bands + at, sizeof(bands) - at, "%s%.15g:%.15g",
				    b ? ";" : "", m->band_min[b], m->band_score[b]);
			e = worksheet_write_string(ws, row, EC_BANDS, bands, text);
		}
		if (!e && n->has_cap)
			e = worksheet_write_number(ws, row, EC_CAP, n->cap, NULL);
	}
	if (e) {
		workbook_close(wb);
		return ERR_IO;
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : ERR_IO;
}

/* ---- import ---- */

static int
add_err(struct eval_import_errors *e, long row, int col, const char *en, const char *zh)
{
	if (e->n < EVAL_IMPORT_ERRORS_MAX)
		e->e[e->n++] = (struct eval_import_error){row, col >= 0 ? col_zh[col] : "", en, zh};
	return ERR_INVALID;
}

static int
lookup(const char *const *names, int n, const char *s)
{
	for (int i = 1; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return i;
	return 0;
}

/* A whole-cell decimal number: 0 and *out, or ERR_INVALID. */
static int
number(const char *s, double *out)
{
	char *end;

	if (!*s)
		return ERR_INVALID;
	*out = strtod(s, &end);
	return *end || !isfinite(*out) ? ERR_INVALID : 0;
}

/* "0:40;20:60" (Chinese colons and semicolons too) as a bands array. */
static json_t *
bands_json(const char *s)
{
	json_t *a = json_array();
	char buf[2048], *p, *save = NULL;

	if (!a || str_copy(buf, sizeof(buf), s)) {
		json_decref(a);
		return NULL;
	}
	/* the full-width marks, as officials type them, become ASCII */
	for (char *q; (q = strstr(buf, "；")); ) {
		*q = ';';
		memmove(q + 1, q + 3, strlen(q + 3) + 1);
	}
	for (char *q; (q = strstr(buf, "：")); ) {
		*q = ':';
		memmove(q + 1, q + 3, strlen(q + 3) + 1);
	}
	for (p = strtok_r(buf, ";\n", &save); p; p = strtok_r(NULL, ";\n", &save)) {
		char *colon = strchr(p, ':');
		double min, score;

		while (*p == ' ')
			p++;
		if (!colon)
			goto bad;
		*colon = '\0';
		if (number(p, &min) || number(colon + 1, &score))
			goto bad;
		json_array_append_new(a, json_pack("{s:f,s:f}", "min", min, "score", score));
	}
	return a;
bad:
	json_decref(a);
	return NULL;
}

/* The column a node or method refusal is about. */
static int
column_of(const char *field)
{
	static const struct { const char *field; int col; } map[] = {
		{"code", EC_CODE}, {"parent_id", EC_PARENT}, {"kind", EC_KIND}, {"title", EC_TITLE},
		{"unit", EC_UNIT}, {"weight", EC_WEIGHT}, {"source", EC_SOURCE},
		{"source.metric", EC_SOURCE}, {"method.worst", EC_WORST}, {"method.best", EC_BEST},
		{"method.benchmark", EC_BENCHMARK}, {"method.bands", EC_BANDS}, {"cap", EC_CAP},
	};

	for (size_t i = 0; field && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].field, field))
			return map[i].col;
	return field && !strncmp(field, "method", 6) ? EC_METHOD : -1;
}

/* The metric named by its name or its Chinese title. */
static const struct metric *
metric_named(const char *s)
{
	const struct metric *m = metric_find(s);

	for (size_t i = 0; !m && (m = metric_at(i)) != NULL; i++)
		if (strcmp(m->title_zh, s))
			m = NULL;
		else
			break;
	return m;
}

/* One row as a node (parent set from the codes added above it). */
static int
row_node(const char *const v[EC__MAX], const struct eval_tree_row *above, size_t nabove,
    struct eval_tree_row *out, long rowno, struct eval_import_errors *e)
{
	struct eval_node *n = &out->n;
	json_t *mj = NULL;
	struct why why = {0};
	int mk, rc = 0;
	double d;

	memset(n, 0, sizeof(*n));
	if (!(n->kind = lookup(kind_zh, 5, v[EC_KIND])) && !(n->kind = eval_kind_parse(v[EC_KIND])))
		return add_err(e, rowno, EC_KIND, "one of 维度, 指标, 加减分, 否决", "须为 维度、指标、加减分、否决 之一");
	if (!v[EC_CODE][0] || str_copy(n->code, sizeof(n->code), v[EC_CODE]) ||
	    utf8_chars(v[EC_CODE], strlen(v[EC_CODE])) > EVAL_CODE_MAX)
		return add_err(e, rowno, EC_CODE, "a code of 1 to 32 characters", "须为 1 至 32 个字符的代码");
	if (!v[EC_TITLE][0] || utf8_chars(v[EC_TITLE], strlen(v[EC_TITLE])) > EVAL_TITLE_MAX)
		return add_err(e, rowno, EC_TITLE, "a title of 1 to 100 characters", "须为 1 至 100 个字符");
	str_copy(n->title, sizeof(n->title), v[EC_TITLE]);
	if (utf8_chars(v[EC_UNIT], strlen(v[EC_UNIT])) > EVAL_UNIT_MAX)
		return add_err(e, rowno, EC_UNIT, "at most 16 characters", "不超过 16 个字符");
	str_copy(n->unit, sizeof(n->unit), v[EC_UNIT]);
	out->row = rowno;
	out->parent = -1;
	if (v[EC_PARENT][0]) {
		size_t i;

		for (i = 0; i < nabove && strcmp(above[i].n.code, v[EC_PARENT]); i++)
			;
		if (i == nabove)
			return add_err(e, rowno, EC_PARENT, "no node of this code above this row",
			    "本行之上没有这个代码的节点（上级须写在下级之前）");
		out->parent = (long)i;
	}
	if (v[EC_WEIGHT][0] && number(v[EC_WEIGHT], &n->weight))
		return add_err(e, rowno, EC_WEIGHT, "a number", "须为数字");
	if (!strcmp(v[EC_SOURCE], REPORTED_ZH) || !strcmp(v[EC_SOURCE], "reported")) {
		n->reported = 1;
	} else if (v[EC_SOURCE][0]) {
		const struct metric *m = metric_named(v[EC_SOURCE]);

		if (!m)
			return add_err(e, rowno, EC_SOURCE,
			    "单位填报, or a metric by its name or title (GET /api/v1/metrics)",
			    "须为“单位填报”或系统计算指标的名称（见 GET /api/v1/metrics）");
		str_copy(n->metric, sizeof(n->metric), m->name);
	}
	if (v[EC_CAP][0]) {
		if (number(v[EC_CAP], &n->cap))
			return add_err(e, rowno, EC_CAP, "a number", "须为数字");
		n->has_cap = 1;
	}
	if (!v[EC_METHOD][0])
		return 0;
	if (!(mk = lookup(method_zh, 6, v[EC_METHOD])) && !(mk = lookup(method_en, 6, v[EC_METHOD])))
		return add_err(e, rowno, EC_METHOD, "one of 线性, 功效系数, 标杆值, 分档, 里程碑",
		    "须为 线性、功效系数、标杆值、分档、里程碑 之一");
	mj = json_pack("{s:s}", "kind", method_en[mk]);
	for (int c = EC_WORST; c <= EC_BENCHMARK && mj; c++) {
		static const char *const key[] = {"worst", "best", "benchmark"};

		if (!v[c][0])
			continue;
		if (number(v[c], &d)) {
			rc = add_err(e, rowno, c, "a number", "须为数字");
			goto out;
		}
		json_object_set_new(mj, key[c - EC_WORST], json_real(d));
	}
	if (mj && v[EC_BANDS][0]) {
		json_t *b = bands_json(v[EC_BANDS]);

		if (!b) {
			rc = add_err(e, rowno, EC_BANDS, "min:score pairs, such as 0:40;20:60",
			    "须为“下限:得分”，以分号分隔，如 0:40;20:60");
			goto out;
		}
		json_object_set_new(mj, "bands", b);
	}
	if (!mj) {
		rc = ERR_NOMEM;
		goto out;
	}
	if ((rc = eval_method_parse(mj, &n->method, &why)))
		rc = add_err(e, rowno, column_of(why.field), why.en, why.zh);
out:
	json_decref(mj);
	return rc;
}

/* The header among the first rows: the columns by their Chinese names. */
static int
header(const struct xlsx_sheet *s, int colmap[EC__MAX], long *at)
{
	for (long r = 0; r < s->nrows && r < 5; r++) {
		const struct xlsx_row *row = &s->rows[r];

		for (int k = 0; k < EC__MAX; k++)
			colmap[k] = -1;
		for (int c = 0; c < row->ncells; c++)
			for (int k = 0; k < EC__MAX; k++)
				if (!strcmp(row->cells[c].text, col_zh[k]) && colmap[k] < 0)
					colmap[k] = row->cells[c].col;
		if (colmap[EC_CODE] >= 0 && colmap[EC_KIND] >= 0 && colmap[EC_TITLE] >= 0) {
			*at = r + 1;
			return 0;
		}
	}
	return ERR_INVALID;
}

int
eval_tree_rows_parse(const struct xlsx_sheet *s, struct eval_tree_row **out, size_t *nout,
    struct eval_import_errors *e)
{
	struct eval_tree_row *rows;
	int colmap[EC__MAX];
	size_t n = 0;
	long at = 0;

	*out = NULL;
	*nout = 0;
	if (header(s, colmap, &at))
		return add_err(e, 1, -1,
		    "the first sheet lacks 代码, 类型 or 名称: this is not an index template",
		    "第一张工作表缺少“代码”“类型”或“名称”列：这不是指标体系模板");
	if (!(rows = calloc(EVAL_NODES_MAX, sizeof(*rows))))
		return ERR_NOMEM;
	for (; at < s->nrows && e->n < EVAL_IMPORT_ERRORS_MAX; at++) {
		const struct xlsx_row *row = &s->rows[at];
		const char *v[EC__MAX];
		char pct[EC__MAX][40];
		int any = 0, twice = 0;

		for (int k = 0; k < EC__MAX; k++) {
			const struct xlsx_cell *cell = colmap[k] >= 0 ? xlsx_cell(row, colmap[k]) : NULL;

			v[k] = cell ? cell->text : "";
			/* a percent cell is the number it shows: 40% weighs 40 */
			if (cell && cell->type == XT_NUMBER && cell->percent) {
				snprintf(pct[k], sizeof(pct[k]), "%.15g", strtod(cell->text, NULL) * 100);
				v[k] = pct[k];
			}
			any |= v[k][0] != '\0';
		}
		if (!any)
			continue;
		if (n == EVAL_NODES_MAX) {
			add_err(e, row->number, -1, "an index holds at most 400 nodes",
			    "一个指标体系最多 400 个节点");
			break;
		}
		if (row_node(v, rows, n, &rows[n], row->number, e))
			continue;
		/* a code twice in the file is refused before the store sees it */
		for (size_t i = 0; i < n && !twice; i++)
			twice = !strcmp(rows[i].n.code, rows[n].n.code);
		if (twice) {
			add_err(e, row->number, EC_CODE, "the code is on an earlier row too",
			    "该代码与前面的行重复");
			continue;
		}
		n++;
	}
	if (!e->n && !n)
		add_err(e, 0, -1, "the file has no rows", "文件中没有数据行");
	if (e->n) {
		free(rows);
		return ERR_INVALID;
	}
	*out = rows;
	*nout = n;
	return 0;
}

int
eval_tree_import(struct db_conn *c, int64_t index_id, const struct xlsx_sheet *s,
    size_t *added_n, struct eval_import_errors *e)
{
	struct eval_tree_row *rows = NULL;
	size_t n = 0, i;
	int rc;

	*added_n = 0;
	{
		struct eval_tree t;

		if ((rc = eval_tree_load(c, index_id, &t)))
			return rc;
		rc = t.nn ? ERR_CONFLICT : 0;
		eval_tree_free(&t);
		if (rc) {
			add_err(e, 0, -1, "the index has nodes already: a file goes into an empty index",
			    "该指标体系已有节点：只能导入到空的指标体系");
			return ERR_CONFLICT;
		}
	}
	if ((rc = eval_tree_rows_parse(s, &rows, &n, e)))
		return rc;
	/* the store's own checks (a leaf without a source, a bonus without a
	 * cap, …) name the row too; the first store refusal ends the file */
	for (i = 0; i < n && !rc; i++) {
		struct why why = {0};

		rows[i].n.parent_id = rows[i].parent >= 0 ? rows[rows[i].parent].n.id : 0;
		rc = eval_node_add(c, index_id, &rows[i].n, &why);
		if (rc == ERR_INVALID || rc == ERR_CONFLICT)
			rc = add_err(e, rows[i].row, column_of(why.field), why.en, why.zh);
	}
	if (!rc)
		*added_n = n;
	free(rows);
	return rc;
}
