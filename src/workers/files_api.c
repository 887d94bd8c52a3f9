/* Files of the registry: CSV imports (as jobs), their rejected rows as
 * errors.csv, the import templates, and .xlsx exports. */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "orgs/orgs.h"
#include "workers/csvin.h"
#include "workers/import.h"
#include "workers/workers.h"

#define READERS (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER)
#define WRITERS (ROLE_ADMIN | ROLE_OPERATOR)
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const struct pii_key *
key_of(struct req *r)
{
	return req_pii_key(r);
}

/* The org of ?org= (or the caller's first grant with one of roles), if
 * the caller sees it: the scope is checked in SQL. An import (why
 * non-NULL) may not go into a disabled org: ERR_INVALID, why filled. */
static int
org_in_scope(struct req *r, unsigned roles, int64_t org, char *path, size_t n,
    char *name, size_t nn, int64_t *org_id, struct why *why)
{
	const struct grant *g = scope_default(req_who(r), roles);
	struct db_conn *c;
	struct org o;
	int rc;

	if (!g)
		return ERR_PERM;
	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = orgs_get_scoped(c, req_who(r), roles, org ? org : g->org_id, &o)))
		return rc;
	if (why && (rc = orgs_placeable(o.disabled, "org", why)))
		return rc;
	*org_id = o.id;
	str_copy(name, nn, o.name);
	return str_copy(path, n, o.path);
}

/* ---- import ---- */

/* A converted .xlsx holds ID numbers: no copy outlives its use. */
static void
wipe(struct buf *b)
{
	if (b->data)
		sodium_memzero(b->data, b->len);
	buf_free(b);
}

static int
h_import(struct req *r)
{
	const struct principal *p = req_who(r);
	char path[ORG_PATH_MAX], name[100 * 4 + 1], params[64];
	const char *why_en, *why_zh, *missing = "";
	struct csvin *csv = NULL;
	struct csv_row row;
	struct tx t;
	struct upload_reader *file = NULL;
	struct buf hold;
	int colmap[CSV_MAX_FIELDS], present[WC__MAX];
	int64_t org_id, job = 0, total, upload, bytes;
	struct why why = {0};
	int rc;

	rc = org_in_scope(r, WRITERS, req_query_int(r, "org", 0), path,
	    sizeof(path), name, sizeof(name), &org_id, &why);
	if (rc == ERR_INVALID)
		return req_why(r, rc, &why);
	if (rc)
		return rc;
	/* the body is in the store already (RF_SPOOL): read it back a chunk
	 * at a time to check it is a roster and count its rows */
	if (req_upload(r, &upload, &bytes) || bytes == 0)
		return req_error(r, 400, "bad_request", "file", "the file is empty",
		    "文件为空");
	req_db_release(r);
	if ((rc = upload_reader_open(req_store(r), key_of(r), upload, &file)))
		return rc;
	buf_init(&hold, (size_t)1 << 31);
	if ((rc = roster_open(file, &hold, &csv, &why_en, &why_zh))) {
		upload_reader_close(file);
		wipe(&hold);
		if (rc != ERR_INVALID)
			return rc;
		return req_error(r, 422, "validation_failed", "file", why_en, why_zh);
	}
	total = csvin_records(csv) - 1;
	rc = csvin_next(csv, &row);
	if (rc != 1 || import_map_header(&row, colmap, present, &missing)) {
		char zh[160];
		csvin_close(csv);
		upload_reader_close(file);
		wipe(&hold);
		snprintf(zh, sizeof(zh), "缺少必填列“%s”，请使用导入模板", missing);
		return req_error(r, 422, "validation_failed", "file",
		    "a required column is missing; use the import template", zh);
	}
	csvin_close(csv);
	upload_reader_close(file);
	wipe(&hold);
	snprintf(params, sizeof(params), "{\"bytes\":%lld}", (long long)bytes);
	if ((rc = tx_begin(&t, r, "workers.import_start")))
		return rc;
	if (!(rc = jobs_create(t.c, "import_workers", org_id, path, p->user_id,
	    p->username, params, total > 0 ? total : 0, &job)) &&
	    !(rc = upload_adopt(t.c, upload, job))) {
		tx_about(&t, "job", job, org_id, path);
		jw_kint(tx_summary(&t), "bytes", bytes);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return rc;
	req_db_release(r);
	req_jobs_kick(r);
	{
		struct jw *w = req_json(r, 202);
		jw_obj_open(w);
		jw_kint(w, "job_id", job);
		jw_kint(w, "total", total > 0 ? total : 0);
		jw_obj_close(w);
	}
	return 0;
}

static lxw_workbook *
new_workbook(const char *path)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
	    .tmpdir = NULL, .use_zip64 = LXW_TRUE};

	return workbook_new_opt(path, &opt);
}

/* An ID number or a phone as the masked lists show them. */
static void
mask_value(char *value, size_t n)
{
	char masked[19];

	if (strlen(value) == 18)
		worker_mask_id(value, masked);
	else if (strlen(value) == 11)
		worker_mask_phone(value, masked);
	else
		str_copy(masked, sizeof(masked), "***");
	str_copy(value, n, masked);
}

static int
audit_errors_read(struct req *r, const struct job *j)
{
	struct audit_entry ae;
	char target[32];
	struct buf sum;
	struct jw w;
	int rc;

	snprintf(target, sizeof(target), "job:%lld", (long long)j->id);
	req_audit_entry(r, &ae, "workers.import_errors_pii", target);
	ae.org_id = j->org_id;
	ae.org_path = j->org_path;
	buf_init(&sum, 2048);
	jw_init(&w, &sum);
	jw_obj_open(&w);
	jw_kstr(&w, "purpose", req_query(r, "purpose"));
	jw_obj_close(&w);
	rc = jw_finish(&w);
	ae.summary = sum.data;
	if (!rc)
		rc = audit_append_tx(req_store(r), &ae);
	buf_free(&sum);
	if (!rc)
		req_unmask_spent(r, j->rejected > 0 ? j->rejected : 1);
	return rc;
}

static int
is_pii_column(const char *col)
{
	return !strcmp(col, worker_cols[WC_ID_NO].zh) ||
	    !strcmp(col, worker_cols[WC_PHONE].zh);
}

struct errors_csv {
	struct buf *out;
	int pii;                /* full values; else ID numbers and phones masked */
	int en;                 /* the reasons in English; else in Chinese */
};

/* One line of errors.csv. */
static int
error_row(void *ctx, const struct job_error *e)
{
	struct errors_csv *x = ctx;
	char num[24], value[257];
	int rc;

	if (!strcmp(e->col, WORKERS_ORIGINAL_COL))
		return 0;     /* the row itself: errors.xlsx hands it back */
	snprintf(num, sizeof(num), "%lld", (long long)e->row);
	str_copy(value, sizeof(value), e->value);
	if (value[0] && is_pii_column(e->col) && !x->pii)
		mask_value(value, sizeof(value));
	if ((rc = csv_put_cell(x->out, num, 0)) ||
	    (rc = csv_put_cell(x->out, e->col, 0)) ||
	    (rc = csv_put_cell(x->out, x->en ? e->reason_en : e->reason_zh, 0)))
		return rc;
	return csv_put_cell(x->out, value, 1);
}

/* errors.xlsx: each rejected row as the file had it, its reasons in the
 * last column, under the file's own header, so the sheet can be fixed and
 * imported again (原行号 and 错误原因 are no roster columns: the import
 * passes over them). ID numbers and phones are masked unless unmasked. */
struct rejected_sheet {
	lxw_worksheet *ws;
	lxw_format *text, *head, *wrap;
	int pii, en;
	int kind[CSV_MAX_FIELDS];      /* enum worker_col of each file column, or -1 */
	int ncols;
	int64_t row;                   /* the file row being written */
	lxw_row_t at;                  /* its sheet row */
	struct buf reasons;
};

static void
rejected_flush(struct rejected_sheet *x)
{
	if (!x->row)
		return;
	worksheet_write_string(x->ws, x->at, (lxw_col_t)(x->ncols + 1),
	    x->reasons.data ? x->reasons.data : "", x->wrap);
	buf_reset(&x->reasons);
	x->row = 0;
}

/* The next cell of a joined row into cell; *f moves past it. Returns 1
 * when another cell follows. */
static int
next_cell(const char **f, char *cell, size_t size)
{
	const char *end = strchr(*f, '\x1f');
	size_t n = end ? (size_t)(end - *f) : strlen(*f);

	if (n >= size)
		n = size - 1;
	memcpy(cell, *f, n);
	cell[n] = '\0';
	if (end)
		*f = end + 1;
	return end != NULL;
}

/* The file's header: every cell, and what each column is. */
static void
rejected_header(struct rejected_sheet *x, const char *f)
{
	char cell[CSV_MAX_FIELD_BYTES + 1];
	int more = 1;

	for (x->ncols = 0; more && x->ncols < CSV_MAX_FIELDS; x->ncols++) {
		more = next_cell(&f, cell, sizeof(cell));
		x->kind[x->ncols] = worker_col_lookup(cell);
		worksheet_write_string(x->ws, 0, (lxw_col_t)(x->ncols + 1), cell, x->head);
	}
	worksheet_write_string(x->ws, 0, 0, x->en ? "row" : "原行号", x->head);
	worksheet_write_string(x->ws, 0, (lxw_col_t)(x->ncols + 1),
	    x->en ? "errors" : "错误原因", x->head);
	/* the reasons column wide enough to read */
	worksheet_set_column(x->ws, (lxw_col_t)(x->ncols + 1),
	    (lxw_col_t)(x->ncols + 1), 48, x->wrap);
}

/* A rejected row's cells as the file had them. */
static void
rejected_cells(struct rejected_sheet *x, const char *f)
{
	char cell[CSV_MAX_FIELD_BYTES + 1];
	int more = 1;

	for (int i = 0; more && i < CSV_MAX_FIELDS; i++) {
		int k = i < x->ncols ? x->kind[i] : -1;

		more = next_cell(&f, cell, sizeof(cell));
		if (cell[0] && !x->pii && (k == WC_ID_NO || k == WC_PHONE))
			mask_value(cell, sizeof(cell));
		worksheet_write_string(x->ws, x->at, (lxw_col_t)(i + 1), cell, x->text);
	}
}

static int
rejected_row(void *ctx, const struct job_error *e)
{
	struct rejected_sheet *x = ctx;
	int original = !strcmp(e->col, WORKERS_ORIGINAL_COL);
	char num[24];

	if (original && e->row == 1) {
		rejected_header(x, e->value);
		return 0;
	}
	if (e->row != x->row) {
		rejected_flush(x);
		x->row = e->row;
		x->at++;
		snprintf(num, sizeof(num), "%lld", (long long)e->row);
		worksheet_write_string(x->ws, x->at, 0, num, x->text);
	}
	if (original) {
		rejected_cells(x, e->value);
		return 0;
	}
	if (x->reasons.len && buf_puts(&x->reasons, x->en ? "; " : "；"))
		return ERR_NOMEM;
	if (e->col[0]) {
		const char *name = e->col;
		int k = x->en ? worker_col_lookup(e->col) : -1;

		if (k >= 0)
			name = worker_cols[k].en;
		if (buf_printf(&x->reasons, x->en ? "%s: " : "%s：", name))
			return ERR_NOMEM;
	}
	return buf_puts(&x->reasons, x->en ? e->reason_en : e->reason_zh) ? ERR_NOMEM : 0;
}

static int
rejected_xlsx(struct req *r, struct db_conn *c, const struct job *j, int pii)
{
	struct rejected_sheet x;
	char path[256], fname[64];
	lxw_workbook *wb;
	int rc;

	memset(&x, 0, sizeof(x));
	x.pii = pii;
	x.en = req_query(r, "lang") && !strcmp(req_query(r, "lang"), "en");
	if ((rc = temp_file("changai-xlsx", path, sizeof(path))))
		return rc;
	if (!(wb = new_workbook(path))) {
		unlink(path);
		return ERR_IO;
	}
	x.ws = workbook_add_worksheet(wb, x.en ? "rows to fix" : "待修改的行");
	x.head = workbook_add_format(wb);
	format_set_bold(x.head);
	format_set_bg_color(x.head, 0xDDEBF7);
	format_set_num_format(x.head, "@");
	x.text = workbook_add_format(wb);
	format_set_num_format(x.text, "@");
	x.wrap = workbook_add_format(wb);
	format_set_text_wrap(x.wrap);
	format_set_font_color(x.wrap, 0xC00000);
	/* text columns keep 18-digit IDs whole when the sheet is re-saved */
	worksheet_set_column(x.ws, 0, 0, 8, x.text);
	worksheet_set_column(x.ws, 1, CSV_MAX_FIELDS, 16, x.text);
	worksheet_freeze_panes(x.ws, 1, 1);
	buf_init(&x.reasons, 1 << 16);
	rc = jobs_errors_each(c, key_of(r), j->id, rejected_row, &x);
	rejected_flush(&x);
	buf_free(&x.reasons);
	if (workbook_close(wb) != LXW_NO_ERROR && !rc)
		rc = ERR_IO;
	if (rc) {
		unlink(path);
		return rc < 0 ? rc : ERR_NOMEM;
	}
	snprintf(fname, sizeof(fname), "import-%lld-errors.xlsx", (long long)j->id);
	return req_file_path(r, path, XLSX_TYPE, fname);
}

/* The rejected rows of an import, to its org's readers: the list of
 * errors (errors.csv) or the rows themselves (errors.xlsx). Unmasked
 * (unmask=1) for pii holders, gated and audited as any unmasking. */
static int
import_errors(struct req *r, int rows)
{
	struct errors_csv ectx;
	const struct principal *p = req_who(r);
	struct db_conn *c;
	struct buf out;
	struct job j;
	int rc, pii;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = jobs_get(c, req_param_id(r, 0), &j)))
		return rc;
	if (!scope_allows(p, READERS, j.org_path) || strcmp(j.kind, "import_workers"))
		return ERR_NOTFOUND;
	pii = scope_pii(p, j.org_path) && req_query_int(r, "unmask", 0);
	if (pii && ((rc = req_unmask_gate(r, j.rejected > 0 ? j.rejected : 1, 1)) ||
	    req_answered(r)))
		return rc;
	buf_init(&out, 256u << 20);
	if (rows) {
		rc = rejected_xlsx(r, c, &j, pii);
	} else {
		/* one language, as the reader asked (the console's own);
		 * a BOM, so Excel opens the UTF-8 text as such */
		ectx.en = req_query(r, "lang") && !strcmp(req_query(r, "lang"), "en");
		rc = buf_puts(&out, ectx.en ? "\xEF\xBB\xBFrow,column,reason,value\r\n" :
		    "\xEF\xBB\xBF行号,列,原因,原值\r\n");
		ectx.out = &out;
		ectx.pii = pii;
		if (!rc)
			rc = jobs_errors_each(c, key_of(r), j.id, error_row, &ectx);
	}
	if (rc < 0)
		goto out;
	/* the rejected rows' values in full are a read of personal data */
	if (pii && (rc = audit_errors_read(r, &j)))
		goto out;
	if (!rows) {
		char disp[96];

		rc = req_text(r, 200, "text/csv; charset=utf-8", out.data, out.len);
		snprintf(disp, sizeof(disp),
		    "attachment; filename=\"import-%lld-errors.csv\"", (long long)j.id);
		if (!rc)
			rc = req_header(r, "Content-Disposition", disp);
	}
out:
	buf_free(&out);
	return rc;
}

static int
h_import_errors(struct req *r)
{
	return import_errors(r, 0);
}

static int
h_import_rejected(struct req *r)
{
	return import_errors(r, 1);
}

/* ---- templates ---- */

static const char *const example[WC__MAX] = {
	[WC_NAME] = "张三", [WC_ID_NO] = "11010519491231002X", [WC_GENDER] = "女",
	[WC_BIRTH_DATE] = "1949-12-31", [WC_PHONE] = "13800138000",
	[WC_ORG] = "宁波甬江精密机械有限公司", [WC_ORG_CODE] = "",
	[WC_OCCUPATION] = "数控车工", [WC_OCCUPATION_CODE] = "6-18-01-01",
	[WC_SKILL_LEVEL] = "高级工", [WC_UNION_MEMBER] = "是",
	[WC_UNION_JOINED] = "2015-03-01", [WC_POLITICAL_STATUS] = "群众",
	[WC_EDUCATION] = "大学专科", [WC_HIRED] = "2012-07-01", [WC_STATUS] = "在职",
};

static int
h_template_csv(struct req *r)
{
	struct buf out;
	int rc = 0, i;

	buf_init(&out, 1 << 16);
	rc |= buf_puts(&out, "\xEF\xBB\xBF");
	for (i = 0; i < WC__MAX; i++)
		rc |= csv_put_cell(&out, worker_cols[i].zh, i == WC__MAX - 1);
	for (i = 0; i < WC__MAX; i++)
		rc |= csv_put_cell(&out, example[i] ? example[i] : "", i == WC__MAX - 1);
	if (!rc)
		rc = req_text(r, 200, "text/csv; charset=utf-8", out.data, out.len);
	if (!rc)
		rc = req_header(r, "Content-Disposition",
		    "attachment; filename=\"workers-template.csv\"; "
		    "filename*=UTF-8''%E8%8A%B1%E5%90%8D%E5%86%8C%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.csv");
	buf_free(&out);
	return rc ? (rc < 0 ? rc : ERR_NOMEM) : 0;
}

static int
h_template_xlsx(struct req *r)
{
	char path[256];
	lxw_workbook *wb;
	lxw_worksheet *ws, *help;
	lxw_format *head, *text;
	int rc, i;

	if ((rc = temp_file("changai-xlsx", path, sizeof(path))))
		return rc;
	wb = new_workbook(path);
	if (!wb) {
		unlink(path);
		return ERR_IO;
	}
	ws = workbook_add_worksheet(wb, "花名册");
	help = workbook_add_worksheet(wb, "填写说明");
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	text = workbook_add_format(wb);
	format_set_num_format(text, "@");
	for (i = 0; i < WC__MAX; i++) {
		/* text format on the whole column keeps 18-digit IDs intact */
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
		    i == WC_ID_NO ? 22 : i == WC_ORG ? 30 : 14, text);
		worksheet_write_string(ws, 0, (lxw_col_t)i, worker_cols[i].zh, head);
	}
	for (i = 0; i < WC__MAX; i++)
		worksheet_write_string(ws, 1, (lxw_col_t)i, example[i] ? example[i] : "", text);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(help, 0, 0, 16, NULL);
	worksheet_set_column(help, 1, 1, 16, NULL);
	worksheet_set_column(help, 2, 2, 8, NULL);
	worksheet_set_column(help, 3, 3, 70, NULL);
	worksheet_write_string(help, 0, 0, "列名", head);
	worksheet_write_string(help, 0, 1, "column", head);
	worksheet_write_string(help, 0, 2, "必填", head);
	worksheet_write_string(help, 0, 3, "可填写的内容 / allowed values", head);
	for (i = 0; i < WC__MAX; i++) {
		char allowed[600];
		snprintf(allowed, sizeof(allowed), "%s / %s", worker_cols[i].allowed_zh,
		    worker_cols[i].allowed_en);
		worksheet_write_string(help, (lxw_row_t)i + 1, 0, worker_cols[i].zh, NULL);
		worksheet_write_string(help, (lxw_row_t)i + 1, 1, worker_cols[i].en, NULL);
		worksheet_write_string(help, (lxw_row_t)i + 1, 2,
		    worker_cols[i].required ? "是" : "否", NULL);
		worksheet_write_string(help, (lxw_row_t)i + 1, 3, allowed, NULL);
	}
	if (workbook_close(wb) != LXW_NO_ERROR) {
		unlink(path);
		return ERR_IO;
	}
	return req_file_path(r, path, XLSX_TYPE, "花名册导入模板.xlsx");
}

/* ---- export ---- */

/* Exports up to this many rows are written while the caller waits; larger
 * ones run as a job. */
#define EXPORT_DIRECT_MAX 50000

/* Rows up to which an export is written inside its request; more run as a
 * job. CHANGAI_EXPORT_DIRECT_MAX (1..50000) lowers it, so a deployment can
 * keep requests short (and tests can make small exports jobs). */
static int64_t
export_direct_max(void)
{
	const char *v = getenv("CHANGAI_EXPORT_DIRECT_MAX");
	int64_t n;

	if (v && *v && !parse_int64(v, 1, EXPORT_DIRECT_MAX, &n))
		return n;
	return EXPORT_DIRECT_MAX;
}

static int
h_export(struct req *r)
{
	const struct principal *p = req_who(r);
	const char *status = req_query(r, "status"), *uq = req_query(r, "union");
	struct workers_export e;
	struct workers_search search;
	struct why why = {0};
	struct db_conn *c;
	char file[256], fname[500];
	int64_t total = 0, rows, unmasked;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = org_in_scope(r, READERS, req_query_int(r, "org", 0), e.path,
	    sizeof(e.path), e.name, sizeof(e.name), &e.org_id, NULL);
	if (rc)
		return rc;
	e.lmin = req_query_int(r, "level_min", 0);
	e.lmax = req_query_int(r, "level_max", 8);
	e.union_member = uq ? (int)req_query_int(r, "union", 0) : -1;
	str_copy(e.status, sizeof(e.status), status ? status : "");
	str_copy(e.actor, sizeof(e.actor), p->username);
	/* unmasking is decided for the whole export: a pii grant covering
	 * the org covers every row below it */
	e.unmask = req_query_int(r, "unmask", 0) && scope_pii(p, e.path);
	str_copy(e.purpose, sizeof(e.purpose), req_query(r, "purpose") ? req_query(r, "purpose") : "");
	str_copy(e.q, sizeof(e.q), req_query(r, "q") ? req_query(r, "q") : "");
	if (e.q[0] && (rc = workers_search_plan(key_of(r), e.q, &search, &why)))
		return req_why(r, rc, &why);
	if ((rc = workers_export_cols(req_query(r, "cols"), &e.cols, &why)))
		return req_why(r, rc, &why);
	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = workers_export_count(c, key_of(r), &e, export_direct_max(), &total)))
		return rc;
	if (e.unmask && ((rc = req_unmask_gate(r, total, 1)) || req_answered(r)))
		return rc;
	if (total > export_direct_max()) {
		char params[2000];
		int64_t job = 0;

		if ((rc = workers_export_params(&e, params, sizeof(params))))
			return rc;
		/* one insert, not yet an export: the job audits the file it
		 * writes (workers_export_audit) */
		if ((rc = req_db(r, DB_WRITE, &c)) ||
		    (rc = jobs_create(c, "export_workers", e.org_id, e.path, p->user_id,
		    p->username, params, total, &job)))
			return rc;
		req_db_release(r);
		if (e.unmask)
			req_unmask_spent(r, total);
		req_jobs_kick(r);
		{
			struct jw *w = req_json(r, 202);
			jw_obj_open(w);
			jw_kint(w, "job_id", job);
			jw_kint(w, "total", total);
			jw_obj_close(w);
		}
		return 0;
	}
	if ((rc = temp_file("changai-xlsx", file, sizeof(file))))
		return rc;
	rc = workers_export_write(c, key_of(r), &e, file, &rows, &unmasked);
	if (rc) {
		unlink(file);
		return rc;
	}
	req_db_release(r);
	/* the audit row is the write: in a transaction of its own */
	if ((rc = workers_export_audit_tx(req_store(r), &e, p->user_id, req_ip(r),
	    rows, unmasked))) {
		unlink(file);
		return rc;
	}
	if (unmasked)
		req_unmask_spent(r, unmasked);
	req_db_release(r);
	snprintf(fname, sizeof(fname), "花名册-%s.xlsx", e.name);
	return req_file_path(r, file, XLSX_TYPE, fname);
}

static const char *const statuses[] = {"active", "left", NULL};

static const struct qfield import_query[] = {
	{"org", QT_ID, 0, 0, NULL, "rows land in this org's subtree (default: yours)"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const char *const langs[] = {"zh", "en", NULL};
static const struct qfield errors_query[] = {
	{"unmask", QT_BOOL, 0, 0, NULL, "show ID numbers and phones (pii permission and a step-up)"},
	{"purpose", QT_STRING, 2, 200, NULL, "why, with unmask (kept in the audit record and the file)"},
	{"lang", QT_ENUM, 0, 0, langs, "the reasons' language (default zh)"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield rejected_query[] = {
	{"unmask", QT_BOOL, 0, 0, NULL, "show ID numbers and phones (pii permission and a step-up)"},
	{"purpose", QT_STRING, 2, 200, NULL, "why, with unmask (kept in the audit record)"},
	{"lang", QT_ENUM, 0, 0, langs, "the reasons' language (default zh)"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield export_query[] = {
	{"org", QT_ID, 0, 0, NULL, NULL},
	{"level_min", QT_INT, 0, 8, NULL, NULL},
	{"level_max", QT_INT, 0, 8, NULL, NULL},
	{"union", QT_BOOL, 0, 0, NULL, NULL},
	{"status", QT_ENUM, 0, 0, statuses, NULL},
	{"unmask", QT_BOOL, 0, 0, NULL, "pii permission and a step-up; audited"},
	{"purpose", QT_STRING, 2, 200, NULL, "why, with unmask (kept in the audit record)"},
	{"q", QT_STRING, 1, 32, NULL, "the list's search: a name, or an ID number's first 6/10/14 digits or whole"},
	{"cols", QT_STRING, 1, 400, NULL, "the columns, by API name, comma-separated (default: all)"},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route worker_files_routes[] = {
	{HTTP_POST, "/api/v1/imports/workers", h_import, WRITERS, RF_RAW_BODY | RF_SPOOL,
	    NULL, import_query, "imports", "Import a roster CSV (UTF-8 or GBK); returns a job"},
	{HTTP_GET, "/api/v1/imports/workers/template.csv", h_template_csv,
	    ROLES_BUSINESS, 0, NULL, NULL, "imports", "The import template (CSV)"},
	{HTTP_GET, "/api/v1/imports/workers/template.xlsx", h_template_xlsx,
	    ROLES_BUSINESS, 0, NULL, NULL, "imports", "The import template with instructions (.xlsx)"},
	{HTTP_GET, "/api/v1/imports/{id}/errors.csv", h_import_errors, READERS, 0,
	    NULL, errors_query, "imports", "Rejected rows: row, column, reason, value"},
	{HTTP_GET, "/api/v1/imports/{id}/errors.xlsx", h_import_rejected, READERS, 0,
	    NULL, rejected_query, "imports",
	    "The rejected rows as the file had them, reasons beside them, to fix and import again"},
	{HTTP_GET, "/api/v1/exports/workers.xlsx", h_export, READERS, 0, NULL,
	    export_query, "exports", "The roster as .xlsx (same filters as the list)"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
