/* Files of plans: evidence attached to progress reports (type and size
 * limited, served back only to those who see the task), and the plan as
 * a template: import from .xlsx, CSV or JSON in one transaction, export
 * back as any of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"
#include "db/db.h"
#include "http/http.h"
#include "plans/api.h"
#include "plans/plans.h"
#include "plans/template.h"
#include "workers/csvin.h"
#include "xlsx/xlsx.h"

#define IMPORT_MAX (10u << 20)
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
/* officials put a title (and a blank line) above the header */
#define XLSX_HEADER_ROWS 10
#define IMPORT_ERRORS_MAX 50

/* ---- evidence ---- */

static int
filename_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || !utf8_valid(s, n) || utf8_chars(s, n) > 120 || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '"')
			return 0;
	}
	return 1;
}

static int
h_evidence_upload(struct req *r)
{
	const struct principal *p = req_who(r);
	const char *filename = req_query(r, "filename"), *type, *data;
	struct plan_access a;
	struct plan_report rp;
	struct plan_node n;
	struct plan_evidence ev;
	struct db_conn *c;
	struct plan pl;
	struct tx t;
	int64_t org, id = 0;
	size_t len;
	int rc = plan_load(r, DB_WRITE, PA_OWNER, &c, &pl, &a);

	if (rc)
		return rc;
	if ((rc = plans_report_get(c, pl.id, req_param_id(r, 1), &rp)) ||
	    (rc = plans_node_get(c, pl.id, rp.node_id, &n)) ||
	    (rc = plans_node_visible(c, p, &a, &n)))
		return rc;
	rc = plans_node_reporter_org(c, p, n.id, &org);
	if (rc == ERR_PERM)
		return req_error(r, 403, "forbidden", NULL,
		    "only the task's owners attach evidence", "只有任务的责任单位可以上传佐证材料");
	if (rc)
		return rc;
	if (strcmp(rp.state, "submitted"))
		return req_error(r, 409, "conflict", NULL,
		    "evidence goes with a report awaiting review", "只能为待审核的报送上传佐证材料");
	if (!filename || !filename_ok(filename))
		return req_error(r, 400, "bad_request", "filename",
		    "give the file's name (?filename=), without slashes",
		    "请通过 filename 参数提供文件名（不含斜杠）");
	data = req_raw_body(r, &len);
	if (len == 0)
		return req_error(r, 400, "bad_request", "file", "the file is empty", "文件为空");
	if (len > PLAN_EVIDENCE_MAX)
		return req_error(r, 413, "payload_too_large", "file",
		    "evidence files are at most 10 MiB", "佐证材料不能超过 10 MiB");
	type = plan_evidence_type(data, len, filename);
	if (!type)
		return req_error(r, 422, "validation_failed", "file",
		    "evidence is a PDF, JPEG, PNG, .xlsx or .docx file whose name "
		    "matches its content", "佐证材料须为 PDF、JPG、PNG、XLSX 或 DOCX 文件，且扩展名与内容一致");
	if ((rc = tx_begin(&t, r, "plan.evidence")))
		return rc;
	if (!(rc = plans_evidence_put(t.c, &rp, filename, type, data, len, p->user_id,
	    &id)) && !(rc = plans_evidence_get(t.c, pl.id, id, &ev))) {
		tx_about(&t, "plan_evidence", id, pl.org_id, pl.org_path);
		plans_evidence_json(tx_summary_raw(&t), &ev);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return rc;
	plans_evidence_json(req_json(r, 201), &ev);
	return 0;
}

static int
h_evidence_get(struct req *r)
{
	struct plan_access a;
	struct plan_evidence ev;
	struct plan_node n;
	struct db_conn *c;
	struct plan pl;
	struct buf data;
	char path[256];
	FILE *f;
	int rc = plan_load(r, DB_READ, PA_OWNER, &c, &pl, &a);

	if (rc)
		return rc;
	if ((rc = plans_evidence_get(c, pl.id, req_param_id(r, 1), &ev)) ||
	    (rc = plans_node_get(c, pl.id, ev.node_id, &n)) ||
	    (rc = plans_node_visible(c, req_who(r), &a, &n)))
		return rc;
	buf_init(&data, PLAN_EVIDENCE_MAX + 1);
	if ((rc = plans_evidence_data(c, ev.id, &data)))
		goto out;
	req_db_release(r);
	if ((rc = temp_file("changai-plan", path, sizeof(path))))
		goto out;
	f = fopen(path, "wb");
	if (!f || fwrite(data.data, 1, data.len, f) != data.len) {
		if (f)
			fclose(f);
		unlink(path);
		rc = ERR_IO;
		goto out;
	}
	if (fclose(f)) {
		unlink(path);
		rc = ERR_IO;
		goto out;
	}
	/* ?inline=1: a PDF or image the console previews in its own frame;
	 * anything else is always a download */
	if (req_query_int(r, "inline", 0) && (!strcmp(ev.mime, "application/pdf") ||
	    !strcmp(ev.mime, "image/png") || !strcmp(ev.mime, "image/jpeg")))
		req_preview(r);
	rc = req_file_path(r, path, ev.mime, ev.filename);
out:
	buf_free(&data);
	return rc;
}

/* ---- import ---- */

struct import_state {
	char cells[PIC__MAX][PLAN_TITLE_BYTES];    /* one JSON row as text */
	struct why err[IMPORT_ERRORS_MAX];
	char field[IMPORT_ERRORS_MAX][64];    /* JSON keys die with their document */
	int nerr;
	long rows;
	struct plan_import_counts counts;
	struct plan_import_row row;
};

static void
add_error(struct import_state *st, const struct why *e)
{
	int i = st->nerr;

	if (i >= IMPORT_ERRORS_MAX)
		return;
	st->err[i] = *e;
	str_copy(st->field[i], sizeof(st->field[i]), e->field ? e->field : "file");
	st->err[i].field = st->field[i];
	st->nerr++;
}

/* One row's text fields: checked, then added (even after an earlier row
 * failed, so one upload reports every bad row; nothing commits then). 0,
 * or a store error that ends the import. */
static int
import_one(struct db_conn *c, const struct plan *pl, struct import_state *st,
    const char *const v[PIC__MAX], long rowno)
{
	struct why e;
	int rc;

	st->rows++;
	memset(&e, 0, sizeof(e));
	if (plan_import_fields(v, rowno, &st->row, &e)) {
		add_error(st, &e);
		return 0;
	}
	rc = plans_import_row(c, pl, &st->row, &st->counts, &e);
	if (rc == ERR_INVALID) {
		add_error(st, &e);
		return 0;
	}
	return rc;
}

static int
import_csv(struct req *r, struct db_conn *c, const struct plan *pl,
    struct import_state *st, const char *data, size_t len)
{
	const char *why_en, *why_zh, *missing = "";
	struct csvin *csv = NULL;
	struct csv_row row;
	int colmap[PIC__MAX], rc;

	if (csvin_open(data, len, &csv, &why_en, &why_zh)) {
		req_error(r, 422, "validation_failed", "file", why_en, why_zh);
		return ERR_INVALID;
	}
	rc = csvin_next(csv, &row);
	if (rc != 1 || plan_import_header(row.field, row.nfields, colmap, &missing)) {
		char zh[200];

		csvin_close(csv);
		snprintf(zh, sizeof(zh), "缺少必填列“%s”：这不是实施方案模板", missing);
		req_error(r, 422, "validation_failed", "file",
		    "a required column is missing: this is not a plan template", zh);
		return ERR_INVALID;
	}
	while ((rc = csvin_next(csv, &row)) != 0) {
		const char *v[PIC__MAX];
		struct why e;

		if (rc < 0) {
			memset(&e, 0, sizeof(e));
			e.row = row.number;
			e.field = "file";
			csvin_last_error(csv, &e.en, &e.zh);
			add_error(st, &e);
			st->rows++;
			if (rc != ERR_INVALID)
				break;
			continue;
		}
		if (row.bad_field >= 0) {
			memset(&e, 0, sizeof(e));
			e.row = row.number;
			e.field = "file";
			e.en = "a cell is not valid text in the file's encoding";
			e.zh = "单元格内容不是有效的文字";
			add_error(st, &e);
			st->rows++;
			continue;
		}
		for (int k = 0; k < PIC__MAX; k++)
			v[k] = colmap[k] >= 0 ? row.field[colmap[k]] : "";
		if ((rc = import_one(c, pl, st, v, row.number)))
			break;
	}
	csvin_close(csv);
	return rc < 0 && rc != ERR_INVALID ? rc : 0;
}

/* A JSON value of a row as the text a CSV cell would hold. */
static int
json_cell(json_t *v, char *out, size_t n)
{
	out[0] = '\0';
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v))
		return str_copy(out, n, json_string_value(v)) ? ERR_INVALID : 0;
	if (json_is_integer(v)) {
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
		return 0;
	}
	if (json_is_real(v)) {
		int64_t e4;
		/* written exactly, so the row check parses what was sent */
		if (plan_value_e4(json_real_value(v), PLAN_VALUE_MAX_E4, &e4)) {
			snprintf(out, n, "%s", json_real_value(v) < 0 ? "-1" : "x");
			return 0;
		}
		plan_e4_text(e4, out);
		return 0;
	}
	return ERR_INVALID;
}

static int
import_json(struct req *r, struct db_conn *c, const struct plan *pl,
    struct import_state *st, const char *data, size_t len)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je), *rows, *o;
	size_t i;
	int rc = 0;

	if (!root) {
		req_error(r, 422, "validation_failed", "file",
		    "the file is not valid JSON", "文件不是有效的 JSON");
		return ERR_INVALID;
	}
	rows = json_is_array(root) ? root : json_object_get(root, "rows");
	if (!json_is_array(rows)) {
		json_decref(root);
		req_error(r, 422, "validation_failed", "rows",
		    "a plan is {\"rows\": [one object per sub-item]}",
		    "实施方案应为 {\"rows\": [每个分项一个对象]}");
		return ERR_INVALID;
	}
	json_array_foreach(rows, i, o) {
		char (*cells)[PLAN_TITLE_BYTES] = st->cells;
		const char *v[PIC__MAX];
		struct why e;
		const char *key;
		json_t *val;
		long rowno = (long)i + 1;
		int bad = 0;

		memset(&e, 0, sizeof(e));
		e.row = rowno;
		for (int k = 0; k < PIC__MAX; k++) {
			cells[k][0] = '\0';
			v[k] = cells[k];
		}
		if (!json_is_object(o)) {
			e.field = "rows";
			e.en = "each row is an object";
			e.zh = "每一行应为对象";
			add_error(st, &e);
			st->rows++;
			continue;
		}
		json_object_foreach(o, key, val) {
			int k, found = -1;

			if (!strcmp(key, "milestone")) {
				if (!json_is_boolean(val)) {
					e.field = "milestone";
					bad = 1;
				} else if (json_is_true(val)) {
					str_copy(cells[PIC_TARGET], PLAN_TITLE_BYTES, "里程碑");
				}
				continue;
			}
			for (k = 0; k < PIC__MAX; k++)
				if (!strcmp(key, plan_import_cols[k].en))
					found = k;
			if (found < 0) {
				e.field = key;
				e.en = "unknown field";
				e.zh = "未知字段";
				bad = 2;
				break;
			}
			if (found == PIC_CO && json_is_array(val)) {
				size_t j, off = 0;
				json_t *name;

				json_array_foreach(val, j, name) {
					const char *s = json_string_value(name);
					int w;

					if (!s) {
						e.field = key;
						bad = 1;
						break;
					}
					w = snprintf(cells[PIC_CO] + off, PLAN_TITLE_BYTES - off,
					    "%s%s", j ? "、" : "", s);
					if (w < 0 || (size_t)w >= PLAN_TITLE_BYTES - off) {
						e.field = key;
						bad = 1;
						break;
					}
					off += (size_t)w;
				}
				continue;
			}
			if (found == PIC_TARGET && cells[PIC_TARGET][0])
				continue;        /* milestone: true wins over target: null */
			if (json_cell(val, cells[found], PLAN_TITLE_BYTES)) {
				e.field = key;
				bad = 1;
			}
		}
		if (bad) {
			if (bad == 1) {
				e.en = "has the wrong type";
				e.zh = "类型不正确";
			}
			add_error(st, &e);
			st->rows++;
			continue;
		}
		if ((rc = import_one(c, pl, st, v, rowno)))
			break;
	}
	json_decref(root);
	return rc;
}

/* num times 100, exactly: the decimal point moved two places by adding 2
 * to the exponent ("0.3" → "0.3e2"), so strtod rounds 30 once instead of
 * 0.3 * 100 giving 30.000000000000004. ERR_INVALID for what Excel does
 * not write (hex, inf). */
static int
percent_shift(const char *num, char *out, size_t n)
{
	const char *e = strpbrk(num, "eE");
	size_t mant = e ? (size_t)(e - num) : strlen(num);
	long x = 0;
	char *end;
	int w;

	if (strpbrk(num, "xXpPiInN") || mant > 64)
		return ERR_INVALID;
	if (e) {
		x = strtol(e + 1, &end, 10);
		if (end == e + 1 || *end)
			return ERR_INVALID;
		/* past these the value is 0 or overflows either way */
		if (x > 10000)
			x = 10000;
		if (x < -10000)
			x = -10000;
	}
	w = snprintf(out, n, "%.*se%ld", (int)mant, num, x + 2);
	return w < 0 || (size_t)w >= n ? ERR_INVALID : 0;
}

/* A number cell of the target or weight column as the text a CSV cell
 * would hold: Excel writes 1E+16 or 0.30000000000000004, the row check
 * wants a plain decimal. A percent cell is the number it shows (0.3
 * shown as 30% is 30). */
static void
xlsx_number_text(const char *num, int percent, char *out, size_t n)
{
	char scaled[96];
	double d;
	int64_t e4;

	if (percent) {
		if (percent_shift(num, scaled, sizeof(scaled))) {
			str_copy(out, n, "x");
			return;
		}
		num = scaled;
	}
	d = strtod(num, NULL);
	if (plan_value_e4(d, PLAN_VALUE_MAX_E4, &e4)) {
		/* the row check names the column and why */
		str_copy(out, n, d < 0 ? "-1" : "x");
		return;
	}
	plan_e4_text(e4, out);
}

static int
import_xlsx(struct req *r, struct db_conn *c, const struct plan *pl,
    struct import_state *st, const char *data, size_t len)
{
	struct xlsx_sheet *s = NULL;
	struct xlsx_err xe;
	const char *missing = "", *head[XLSX_MAX_COLS];
	char zh[200];
	int colmap[PIC__MAX], rc, found = 0;
	long at = 0;

	rc = xlsx_read(data, len, NULL, &s, &xe);
	if (rc == ERR_NOMEM)
		goto out;
	if (rc) {
		req_error(r, rc == ERR_TOOBIG ? 413 : 422,
		    rc == ERR_TOOBIG ? "payload_too_large" : "validation_failed", "file",
		    xe.en, xe.zh);
		rc = ERR_INVALID;
		goto out;
	}
	if (!s->nrows) {
		req_error(r, 422, "validation_failed", "file", "the first sheet is empty",
		    "第一张工作表为空");
		rc = ERR_INVALID;
		goto out;
	}
	/* the header: the first of the top rows naming every required column */
	for (; at < s->nrows && at < XLSX_HEADER_ROWS && !found; at++) {
		const struct xlsx_row *row = &s->rows[at];
		const char *m = "";
		int n = 0;

		for (int k = 0; k < XLSX_MAX_COLS; k++)
			head[k] = "";
		for (int k = 0; k < row->ncells; k++) {
			head[row->cells[k].col] = row->cells[k].text;
			if (row->cells[k].col + 1 > n)
				n = row->cells[k].col + 1;
		}
		found = !plan_import_header(head, n, colmap, &m);
		if (at == 0)
			missing = m;
	}
	if (!found) {
		snprintf(zh, sizeof(zh), "第一张工作表缺少必填列“%s”：这不是实施方案模板",
		    missing);
		req_error(r, 422, "validation_failed", "file",
		    "the first sheet lacks a required column: this is not a plan template", zh);
		rc = ERR_INVALID;
		goto out;
	}
	for (; at < s->nrows && !rc; at++) {
		const struct xlsx_row *row = &s->rows[at];
		char cells[3][40];
		const char *v[PIC__MAX];
		int any = 0;

		for (int k = 0; k < PIC__MAX; k++) {
			const struct xlsx_cell *cell = colmap[k] >= 0 ?
			    xlsx_cell(row, colmap[k]) : NULL;

			v[k] = cell ? cell->text : "";
			any |= *v[k] != '\0';
			if (!cell || cell->type != XT_NUMBER)
				continue;
			if (k == PIC_DEADLINE) {
				/* a real Excel date: a serial number of days */
				if (!xlsx_serial_date(cell->text, s->date1904, cells[0]))
					v[k] = cells[0];
			} else if (k == PIC_TARGET || k == PIC_WEIGHT) {
				char *num = cells[k == PIC_TARGET ? 1 : 2];

				xlsx_number_text(cell->text, cell->percent, num, sizeof(cells[0]));
				/* a percent target goes on as the official sees it,
				 * "30%": the row check takes the % as the unit, or
				 * refuses it beside another unit. A percent weight is
				 * the number shown too (25% is 25, not 0.25): weights
				 * only count against each other, and beside a plain 10
				 * in the next row the official meant 25. */
				if (k == PIC_TARGET && cell->percent) {
					size_t end = strlen(num);   /* at most 31 of 40 */

					if (end + 2 <= sizeof(cells[0])) {
						num[end] = '%';
						num[end + 1] = '\0';
					}
				}
				v[k] = num;
			}
		}
		/* cells only outside the template's columns: a note, not a row */
		if (!any)
			continue;
		rc = import_one(c, pl, st, v, row->number);
	}
out:
	xlsx_free(s);
	return rc;
}

static int
reply_import_errors(struct req *r, const struct import_state *st)
{
	struct jw *w = req_json(r, 422);

	jw_obj_open(w);
	jw_key(w, "error");
	jw_obj_open(w);
	jw_kstr(w, "code", "validation_failed");
	jw_kstr(w, "message", "the plan was not imported: fix the rows listed");
	jw_kstr(w, "message_zh", "方案未导入：请修改所列行后重新导入");
	jw_key(w, "details");
	jw_arr_open(w);
	for (int i = 0; i < st->nerr; i++) {
		jw_obj_open(w);
		jw_kint(w, "row", st->err[i].row);
		jw_kstr(w, "field", st->err[i].field ? st->err[i].field : "file");
		jw_kstr(w, "message", st->err[i].en ? st->err[i].en : "invalid");
		jw_kstr(w, "message_zh", st->err[i].zh ? st->err[i].zh : "无效");
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	jw_obj_close(w);
	return 0;
}

static int
looks_like_json(const char *p, size_t len)
{
	size_t i = 0;

	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i < len && (p[i] == '{' || p[i] == '[');
}

static int
h_import(struct req *r)
{
	struct import_state *st = NULL;
	struct plan_access a;
	struct db_conn *c;
	struct plan pl;
	const char *data;
	struct tx t = {0};         /* ended on every path, begun or not */
	struct jw *w;
	size_t len;
	int rc = plan_load(r, DB_WRITE, PA_MANAGE, &c, &pl, &a);

	if (rc)
		return rc;
	data = req_raw_body(r, &len);
	if (len == 0)
		return req_error(r, 400, "bad_request", "file", "the file is empty", "文件为空");
	if (len > IMPORT_MAX)
		return req_error(r, 413, "payload_too_large", "file",
		    "a plan file is at most 10 MiB", "方案文件不能超过 10 MiB");
	st = calloc(1, sizeof(*st));
	if (!st)
		return ERR_NOMEM;
	if ((rc = tx_begin(&t, r, "plan.import")))
		goto out;
	/* all rows or none: one transaction; the content decides the format */
	if (xlsx_sniff(data, len))
		rc = import_xlsx(r, t.c, &pl, st, data, len);
	else if (looks_like_json(data, len))
		rc = import_json(r, t.c, &pl, st, data, len);
	else
		rc = import_csv(r, t.c, &pl, st, data, len);
	if (rc)
		goto out;
	if (!st->nerr && !st->rows) {
		st->err[0].row = 0;
		st->err[0].field = "file";
		st->err[0].en = "the file has no rows";
		st->err[0].zh = "文件中没有数据行";
		st->nerr = 1;
	}
	if (st->nerr) {
		rc = reply_import_errors(r, st);
		goto out;
	}
	tx_about(&t, "plan", pl.id, pl.org_id, pl.org_path);
	w = tx_summary(&t);
	jw_kint(w, "rows", st->rows);
	jw_kint(w, "aspects", st->counts.aspects);
	jw_kint(w, "items", st->counts.items);
	jw_kint(w, "subitems", st->counts.subitems);
	jw_kint(w, "bytes", (int64_t)len);
	if ((rc = tx_commit(&t)))
		goto out;
	w = req_json(r, 201);
	jw_obj_open(w);
	jw_kint(w, "plan_id", pl.id);
	jw_kint(w, "rows", st->rows);
	jw_kint(w, "aspects_created", st->counts.aspects);
	jw_kint(w, "items_created", st->counts.items);
	jw_kint(w, "subitems_created", st->counts.subitems);
	jw_obj_close(w);
out:
	tx_end(&t);
	free(st);
	return rc;
}

/* ---- export ---- */

static int
co_text(const struct plan_model *m, const struct plan_mnode *x, struct buf *b)
{
	int rc = 0;

	for (int k = 1; k < x->nowners && !rc; k++) {
		if (k > 1)
			rc = buf_puts(b, "、");
		if (!rc)
			rc = buf_puts(b, plan_model_str(m, m->o[x->first_owner + k].name));
	}
	return rc;
}

static int
export_model(struct req *r, struct db_conn **c, struct plan *pl, struct plan_model *m)
{
	struct plan_access a;
	struct plan_view v;
	char today[11];
	int rc = plan_load(r, DB_READ, PA_READ, c, pl, &a);

	if (rc)
		return rc;
	clock_today(today);
	plan_view_init(&v, req_who(r), &a);
	return plan_model_load(*c, pl, today, plans_due_soon(pl, plan_due_setting(r)),
	    &v, m);
}

/* The text of one sub-item's row, as both templates write it. */
struct row_text {
	char val[32], weight[32];
	struct buf co;
	const char *v[PIC__MAX];
};

static int
row_text(const struct plan_model *m, const struct plan_mnode *x, struct row_text *t)
{
	const struct plan_mnode *item = &m->n[x->parent], *aspect = &m->n[item->parent];
	int rc;

	buf_reset(&t->co);
	/* a co-owner list that does not fit is an error, not a shorter list */
	if ((rc = co_text(m, x, &t->co)))
		return rc;
	if (x->milestone)
		str_copy(t->val, sizeof(t->val), "里程碑");
	else
		plan_e4_text(x->target_e4, t->val);
	plan_e4_text(x->weight_e4, t->weight);
	t->v[PIC_ASPECT] = plan_model_str(m, aspect->title);
	t->v[PIC_ITEM] = plan_model_str(m, item->title);
	t->v[PIC_SUBITEM] = plan_model_str(m, x->title);
	t->v[PIC_LEAD] = x->first_owner >= 0 ?
	    plan_model_str(m, m->o[x->first_owner].name) : "";
	t->v[PIC_CO] = t->co.len ? t->co.data : "";
	t->v[PIC_DEADLINE] = x->deadline;
	t->v[PIC_TARGET] = t->val;
	t->v[PIC_UNIT] = plan_model_str(m, x->unit);
	t->v[PIC_WEIGHT] = t->weight;
	t->v[PIC_METRIC] = plan_metric_name(x->metric);
	return 0;
}

static int
h_export_csv(struct req *r)
{
	struct plan_model m;
	struct db_conn *c;
	struct plan pl;
	struct buf out;
	struct row_text t;
	char disp[96];
	int rc;

	plan_model_init(&m);
	buf_init(&out, 64u << 20);
	buf_init(&t.co, 1 << 16);
	if ((rc = export_model(r, &c, &pl, &m)))
		goto out;
	rc = buf_puts(&out, "\xEF\xBB\xBF");
	for (int k = 0; k < PIC__MAX && !rc; k++)
		rc = csv_put_cell(&out, plan_import_cols[k].zh, k == PIC__MAX - 1);
	for (size_t i = 0; i < m.nn && !rc; i++) {
		const struct plan_mnode *x = &m.n[i];

		if (x->kind != PK_SUBITEM || !x->visible)
			continue;
		rc = row_text(&m, x, &t);
		for (int k = 0; k < PIC__MAX && !rc; k++)
			rc = csv_put_cell(&out, t.v[k], k == PIC__MAX - 1);
	}
	if (rc)
		goto out;
	if ((rc = req_text(r, 200, "text/csv; charset=utf-8", out.data, out.len)))
		goto out;
	snprintf(disp, sizeof(disp), "attachment; filename=\"plan-%lld.csv\"",
	    (long long)pl.id);
	rc = req_header(r, "Content-Disposition", disp);
out:
	buf_free(&t.co);
	buf_free(&out);
	plan_model_free(&m);
	return rc;
}

static int
h_export_xlsx(struct req *r)
{
	struct plan_model m;
	struct plan_xlsx *x = NULL;
	struct db_conn *c;
	struct plan pl;
	struct row_text t;
	char path[256], fname[PLAN_TITLE_BYTES + 32];
	int rc, have_file = 0;

	plan_model_init(&m);
	buf_init(&t.co, 1 << 16);
	if ((rc = export_model(r, &c, &pl, &m)))
		goto out;
	req_db_release(r);
	if ((rc = temp_file("changai-plan", path, sizeof(path))))
		goto out;
	have_file = 1;
	if ((rc = plan_xlsx_open(path, &x)))
		goto out;
	for (size_t i = 0; i < m.nn && !rc; i++) {
		if (m.n[i].kind != PK_SUBITEM || !m.n[i].visible)
			continue;
		if (!(rc = row_text(&m, &m.n[i], &t)))
			rc = plan_xlsx_row(x, t.v);
	}
	if (!rc)
		rc = plan_xlsx_close(x);
	else
		plan_xlsx_close(x);
	x = NULL;
	if (rc)
		goto out;
	snprintf(fname, sizeof(fname), "%s-实施方案.xlsx", pl.title);
	rc = req_file_path(r, path, XLSX_TYPE, fname);
	have_file = 0;
out:
	if (have_file)
		unlink(path);
	buf_free(&t.co);
	plan_model_free(&m);
	return rc;
}

static int
h_export_json(struct req *r)
{
	struct plan_model m;
	struct db_conn *c;
	struct plan pl;
	struct jw *w;
	int rc;

	plan_model_init(&m);
	if ((rc = export_model(r, &c, &pl, &m)))
		goto out;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "plan");
	jw_obj_open(w);
	jw_kint(w, "id", pl.id);
	jw_kstr(w, "title", pl.title);
	jw_kint(w, "year", pl.year);
	jw_kstr(w, "org_name", pl.org_name);
	jw_obj_close(w);
	jw_key(w, "rows");
	jw_arr_open(w);
	for (size_t i = 0; i < m.nn; i++) {
		const struct plan_mnode *x = &m.n[i], *item, *aspect;

		if (x->kind != PK_SUBITEM || !x->visible)
			continue;
		item = &m.n[x->parent];
		aspect = &m.n[item->parent];
		jw_obj_open(w);
		jw_kstr(w, "aspect", plan_model_str(&m, aspect->title));
		jw_kstr(w, "item", plan_model_str(&m, item->title));
		jw_kstr(w, "subitem", plan_model_str(&m, x->title));
		jw_kstr(w, "lead", x->first_owner >= 0 ?
		    plan_model_str(&m, m.o[x->first_owner].name) : "");
		jw_key(w, "co_owners");
		jw_arr_open(w);
		for (int k = 1; k < x->nowners; k++)
			jw_str(w, plan_model_str(&m, m.o[x->first_owner + k].name));
		jw_arr_close(w);
		jw_kstr(w, "deadline", x->deadline);
		if (x->milestone) {
			jw_knull(w, "target");
			jw_kbool(w, "milestone", 1);
		} else {
			jw_key(w, "target");
			plan_jw_e4(w, x->target_e4);
			jw_kbool(w, "milestone", 0);
		}
		jw_kstr(w, "unit", plan_model_str(&m, x->unit));
		jw_key(w, "weight");
		plan_jw_e4(w, x->weight_e4);
		jw_kstr(w, "metric", plan_metric_name(x->metric));
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
out:
	plan_model_free(&m);
	return rc;
}

static const char *const example[][PIC__MAX] = {
	{"产业工人队伍建设", "加强思想政治引领", "新建非公企业党组织数", "江北区委组织部",
	    "江北区人力资源和社会保障局", "2026-11-30", "12", "个", "1", "manual"},
	{"技能提升", "深化技能等级认定", "出台技能人才评价办法", "江北区人力资源和社会保障局",
	    "", "2026-06-30", "里程碑", "", "1", "manual"},
};

static int
h_template_xlsx(struct req *r)
{
	struct plan_xlsx *x = NULL;
	char path[256];
	int rc;

	if ((rc = temp_file("changai-plan", path, sizeof(path))))
		return rc;
	rc = plan_xlsx_open(path, &x);
	for (size_t i = 0; i < ARRAY_LEN(example) && !rc; i++)
		rc = plan_xlsx_row(x, example[i]);
	if (x) {
		int crc = plan_xlsx_close(x);
		if (!rc)
			rc = crc;
	}
	if (rc) {
		unlink(path);
		return rc;
	}
	return req_file_path(r, path, XLSX_TYPE, "实施方案导入模板.xlsx");
}

static int
h_template_csv(struct req *r)
{
	struct buf out;
	int rc;

	buf_init(&out, 1 << 16);
	rc = buf_puts(&out, "\xEF\xBB\xBF");
	for (int k = 0; k < PIC__MAX && !rc; k++)
		rc = csv_put_cell(&out, plan_import_cols[k].zh, k == PIC__MAX - 1);
	for (size_t i = 0; i < ARRAY_LEN(example) && !rc; i++)
		for (int k = 0; k < PIC__MAX && !rc; k++)
			rc = csv_put_cell(&out, example[i][k], k == PIC__MAX - 1);
	if (!rc)
		rc = req_text(r, 200, "text/csv; charset=utf-8", out.data, out.len);
	if (!rc)
		rc = req_header(r, "Content-Disposition",
		    "attachment; filename=\"plan-template.csv\"");
	buf_free(&out);
	return rc;
}

static const struct qfield evidence_query[] = {
	{"filename", QT_STRING, 1, 120, NULL, "the file's name, e.g. 台账.pdf"},
	{NULL, 0, 0, 0, NULL, NULL},
};

static const struct qfield evidence_get_query[] = {
	{"inline", QT_BOOL, 0, 0, NULL, "shown in the console's preview frame (PDF, JPEG, PNG)"},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route plan_files_routes[] = {
	{HTTP_POST, "/api/v1/plans/{id}/reports/{report_id}/evidence", h_evidence_upload,
	    PLAN_REPORTERS, RF_RAW_BODY | RF_SMALL_UPLOAD, NULL, evidence_query, "plans",
	    "Attach evidence to a report (PDF, JPEG, PNG, .xlsx, .docx; at most 10 MiB)"},
	{HTTP_GET, "/api/v1/plans/{id}/evidence/{evidence_id}", h_evidence_get,
	    PLAN_USERS, 0, NULL, evidence_get_query, "plans",
	    "Download an evidence file (inline=1: a PDF or image for the console's preview)"},
	{HTTP_POST, "/api/v1/plans/{id}/import", h_import, PLAN_MANAGERS,
	    RF_RAW_BODY | RF_SMALL_UPLOAD,
	    NULL, NULL, "plans",
	    "Import sub-item rows from .xlsx, CSV or JSON, told apart by content "
	    "(all rows or none; errors name row and column)"},
	{HTTP_GET, "/api/v1/plans/{id}/export.csv", h_export_csv, PLAN_USERS, 0, NULL,
	    NULL, "plans", "The plan as a CSV template (UTF-8 with BOM)"},
	{HTTP_GET, "/api/v1/plans/{id}/export.xlsx", h_export_xlsx, PLAN_USERS, 0, NULL,
	    NULL, "plans", "The plan as an .xlsx template (the CSV template's columns)"},
	{HTTP_GET, "/api/v1/plans/{id}/export.json", h_export_json, PLAN_USERS, 0, NULL,
	    NULL, "plans", "The plan as JSON rows (importable)"},
	{HTTP_GET, "/api/v1/plans/template.csv", h_template_csv, PLAN_USERS, 0, NULL,
	    NULL, "plans", "An empty plan template with two example rows"},
	{HTTP_GET, "/api/v1/plans/template.xlsx", h_template_xlsx, PLAN_USERS, 0, NULL,
	    NULL, "plans", "The empty plan template as .xlsx"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
