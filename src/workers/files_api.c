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
/* Rows per sheet: Excel's limit is 1,048,576 including our title and header. */
#define SHEET_ROWS 1000000

static const struct pii_key *
key_of(struct req *r)
{
	return req_pii_key(r);
}

/* The org of ?org= (or the caller's first grant with one of roles), if
 * the caller sees it: the scope is checked in SQL. */
static int
org_in_scope(struct req *r, unsigned roles, int64_t org, char *path, size_t n,
    char *name, size_t nn, int64_t *org_id)
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
	*org_id = o.id;
	str_copy(name, nn, o.name);
	return str_copy(path, n, o.path);
}

/* ---- import ---- */

static int
h_import(struct req *r)
{
	const struct principal *p = req_who(r);
	char path[ORG_PATH_MAX], name[100 * 4 + 1], params[64], target[32];
	const char *why_en, *why_zh, *missing = "";
	struct csvin *csv = NULL;
	struct csv_row row;
	struct audit_entry ae;
	struct db_conn *c;
	struct upload_reader *file = NULL;
	struct csv_source src = {NULL, upload_read, upload_rewind, 0};
	int colmap[CSV_MAX_FIELDS], present[WC__MAX];
	int64_t org_id, job = 0, total, upload, bytes;
	int rc;

	rc = org_in_scope(r, WRITERS, req_query_int(r, "org", 0), path,
	    sizeof(path), name, sizeof(name), &org_id);
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
	src.ctx = file;
	if ((rc = csvin_open_stream(&src, &csv, &why_en, &why_zh))) {
		upload_reader_close(file);
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
		snprintf(zh, sizeof(zh), "缺少必填列“%s”，请使用导入模板", missing);
		return req_error(r, 422, "validation_failed", "file",
		    "a required column is missing; use the import template", zh);
	}
	csvin_close(csv);
	upload_reader_close(file);
	snprintf(params, sizeof(params), "{\"bytes\":%lld}", (long long)bytes);
	rc = req_db(r, DB_WRITE, &c);
	if (rc || (rc = db_begin(c)))
		return rc;
	if ((rc = jobs_create(c, "import_workers", org_id, path, p->user_id,
	    p->username, params, total > 0 ? total : 0, &job)) ||
	    (rc = upload_adopt(c, upload, job)))
		goto rollback;
	snprintf(target, sizeof(target), "job:%lld", (long long)job);
	req_audit_entry(r, &ae, "workers.import_start", target);
	ae.org_id = org_id;
	ae.org_path = path;
	ae.summary = params;
	if ((rc = audit_append(c, &ae)) || (rc = db_commit(c)))
		goto rollback;
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
rollback:
	db_rollback(c);
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
};

/* One line of errors.csv. */
static int
error_row(void *ctx, const struct job_error *e)
{
	struct errors_csv *x = ctx;
	char num[24], reason[600], value[257];
	int rc;

	snprintf(num, sizeof(num), "%lld", (long long)e->row);
	snprintf(reason, sizeof(reason), "%s (%s)", e->reason_zh, e->reason_en);
	str_copy(value, sizeof(value), e->value);
	if (value[0] && is_pii_column(e->col) && !x->pii) {
		char masked[19];
		if (strlen(value) == 18)
			worker_mask_id(value, masked);
		else if (strlen(value) == 11)
			worker_mask_phone(value, masked);
		else
			str_copy(masked, sizeof(masked), "***");
		str_copy(value, sizeof(value), masked);
	}
	if ((rc = csv_put_cell(x->out, num, 0)) ||
	    (rc = csv_put_cell(x->out, e->col, 0)) ||
	    (rc = csv_put_cell(x->out, reason, 0)))
		return rc;
	return csv_put_cell(x->out, value, 1);
}

static int
h_import_errors(struct req *r)
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
	/* a BOM, so Excel opens the UTF-8 text as such */
	rc = buf_puts(&out, "\xEF\xBB\xBF行号 row,列 column,原因 reason,原值 value\r\n");
	if (rc)
		goto out;
	ectx.out = &out;
	ectx.pii = pii;
	rc = jobs_errors_each(c, key_of(r), j.id, error_row, &ectx);
	if (rc < 0)
		goto out;
	/* the rejected rows' values in full are a read of personal data */
	if (pii) {
		struct audit_entry ae;
		char target[32];
		struct buf sum;
		struct jw w;

		snprintf(target, sizeof(target), "job:%lld", (long long)j.id);
		req_audit_entry(r, &ae, "workers.import_errors_pii", target);
		ae.org_id = j.org_id;
		ae.org_path = j.org_path;
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
		if (rc)
			goto out;
		req_unmask_spent(r, j.rejected > 0 ? j.rejected : 1);
	}
	rc = req_text(r, 200, "text/csv; charset=utf-8", out.data, out.len);
	if (!rc) {
		char disp[96];
		snprintf(disp, sizeof(disp),
		    "attachment; filename=\"import-%lld-errors.csv\"", (long long)j.id);
		rc = req_header(r, "Content-Disposition", disp);
	}
out:
	buf_free(&out);
	return rc;
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

static lxw_workbook *
new_workbook(const char *path)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
	    .tmpdir = NULL, .use_zip64 = LXW_TRUE};

	return workbook_new_opt(path, &opt);
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

static const char *
label_or_code(const char *s)
{
	return s && *s ? s : "";
}

/* What an export contains; fixed when it is asked for, so a job that runs
 * later writes exactly what the caller was allowed to see then. */
struct export_spec {
	int64_t org_id, lmin, lmax;
	int union_member;          /* -1: both */
	int unmask;                /* the caller holds pii over the whole org */
	char status[8];            /* "" = both */
	char path[ORG_PATH_MAX];
	char name[100 * 4 + 1];
	char actor[64];
	char purpose[200 * 4 + 1]; /* why it is unmasked: the watermark says so */
};

/* What an unmasked file says of itself on every printed page and in its
 * properties: who made it, when, why. A header takes 255 characters, and
 * & is its escape. */
static void
watermark_text(const struct export_spec *e, const char *when, char *out, size_t n,
    int for_header)
{
	char purpose[200 * 4 * 2 + 1];
	size_t j = 0, i = 0, cut = for_header ? 90 : 200 * 4;

	/* whole characters only, up to cut bytes of the purpose */
	while (e->purpose[i] && i < cut) {
		unsigned char lead = (unsigned char)e->purpose[i];
		size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;

		if (i + len > cut || j + len + 1 >= sizeof(purpose))
			break;
		if (for_header && lead == '&')
			purpose[j++] = '&';
		memcpy(purpose + j, e->purpose + i, len);
		i += len;
		j += len;
	}
	purpose[j] = '\0';
	snprintf(out, n, "%s含个人敏感信息 · 导出人 %s · %s · 用途：%s · 仅限本职工作使用，不得外传",
	    for_header ? "&C&8" : "", e->actor, when, purpose);
}

/* Writes the .xlsx of spec to file. */
static int
write_export(struct db_conn *c, const struct pii_key *k,
    const struct export_spec *e, const char *file, int64_t *rows,
    int64_t *unmasked)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], title[700], now[32];
	lxw_workbook *wb;
	lxw_worksheet *ws = NULL;
	lxw_format *head, *text, *titlef;
	lxw_row_t row_at = 0;
	int rc, sheet_no = 0;
	static const char *const cols[] = {"姓名", "身份证号", "性别", "出生日期",
	    "手机号", "所在单位", "工种", "职业代码", "技能等级", "技能等级名称",
	    "是否工会会员", "入会日期", "政治面貌", "学历", "入职日期", "状态"};
	static const double widths[] = {10, 22, 6, 12, 14, 30, 14, 12, 8, 12, 12,
	    12, 10, 10, 12, 8};

	*rows = *unmasked = 0;
	wb = new_workbook(file);
	if (!wb)
		return ERR_IO;
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_text_wrap(head);
	titlef = workbook_add_format(wb);
	format_set_bold(titlef);
	format_set_font_size(titlef, 14);
	/* cells are written as strings, never formulas: a value that looks
	 * like one (=cmd|…) stays inert text */
	text = workbook_add_format(wb);
	format_set_num_format(text, "@");
	time_iso(clock_now(), now, sizeof(now));
	snprintf(title, sizeof(title), "产业工人花名册 · %s · 导出于 %s（%s）", e->name,
	    now, e->actor);
	if (e->unmask) {
		lxw_doc_properties props;
		char comment[2048];     /* the library copies the properties */

		watermark_text(e, now, comment, sizeof(comment), 0);
		memset(&props, 0, sizeof(props));
		props.title = "产业工人花名册（含个人敏感信息）";
		props.author = (char *)e->actor;
		props.comments = comment;
		workbook_set_properties(wb, &props);
		snprintf(title, sizeof(title), "产业工人花名册 · %s · 含个人敏感信息 · 导出于 %s（%s）",
		    e->name, now, e->actor);
	}
	path_range(e->path, lo, hi, sizeof(lo));
	rc = db_prep(c, WORKER_LIST_DEFAULT);
	if (rc)
		goto fail;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	workers_bind_filter(c, 3, e->lmin, e->lmax, e->union_member,
	    e->status[0] ? e->status : NULL);
	db_bind_text(c, 7, "");
	db_bind_int(c, 8, 0);
	db_bind_int(c, 9, 0);
	db_bind_int(c, 10, INT64_MAX);
	db_bind_int(c, 11, e->unmask ? 1 : 0);
	while ((rc = db_step(c)) == DB_ROW) {
		struct worker_row w;
		char id_no[19], phone[12];
		const char *idv, *phv;

		if (!ws || row_at >= SHEET_ROWS + 2) {
			char sname[32];
			snprintf(sname, sizeof(sname), sheet_no ? "花名册%d" : "花名册",
			    sheet_no + 1);
			ws = workbook_add_worksheet(wb, sname);
			sheet_no++;
			for (size_t i = 0; i < ARRAY_LEN(cols); i++)
				worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
			worksheet_write_string(ws, 0, 0, title, titlef);
			for (size_t i = 0; i < ARRAY_LEN(cols); i++)
				worksheet_write_string(ws, 1, (lxw_col_t)i, cols[i], head);
			worksheet_freeze_panes(ws, 2, 0);
			worksheet_set_landscape(ws);
			worksheet_repeat_rows(ws, 1, 1);
			if (e->unmask) {
				char mark[2048];

				watermark_text(e, now, mark, sizeof(mark), 1);
				worksheet_set_header(ws, mark);
				worksheet_set_footer(ws, mark);
			}
			row_at = 2;
		}
		workers_read_row(c, &w);
		idv = w.id_mask;
		phv = w.phone_mask;
		if (e->unmask && !pii_decrypt(k, w.id_enc, id_no, sizeof(id_no))) {
			idv = id_no;
			if (w.phone_enc[0] &&
			    !pii_decrypt(k, w.phone_enc, phone, sizeof(phone)))
				phv = phone;
			(*unmasked)++;
		}
		worksheet_write_string(ws, row_at, 0, w.name, text);
		worksheet_write_string(ws, row_at, 1, idv, text);
		worksheet_write_string(ws, row_at, 2, w.gender[0] == 'M' ? "男" : "女", text);
		worksheet_write_string(ws, row_at, 3, w.birth_date, text);
		worksheet_write_string(ws, row_at, 4, phv, text);
		worksheet_write_string(ws, row_at, 5, w.org_name, text);
		worksheet_write_string(ws, row_at, 6, label_or_code(w.occupation), text);
		worksheet_write_string(ws, row_at, 7, label_or_code(w.occupation_code), text);
		worksheet_write_number(ws, row_at, 8, w.skill_level, NULL);
		worksheet_write_string(ws, row_at, 9, skill_level_name(w.skill_level), text);
		worksheet_write_string(ws, row_at, 10, w.union_member ? "是" : "否", text);
		worksheet_write_string(ws, row_at, 11, w.union_joined, text);
		worksheet_write_string(ws, row_at, 12, w.political_status, text);
		worksheet_write_string(ws, row_at, 13, w.education, text);
		worksheet_write_string(ws, row_at, 14, w.hired, text);
		worksheet_write_string(ws, row_at, 15,
		    !strcmp(w.status, "active") ? "在职" : "离职", text);
		row_at++;
		(*rows)++;
	}
	db_done(c);
	if (rc < 0)
		goto fail;
	if (!ws) {
		ws = workbook_add_worksheet(wb, "花名册");
		worksheet_write_string(ws, 0, 0, title, titlef);
		for (size_t i = 0; i < ARRAY_LEN(cols); i++)
			worksheet_write_string(ws, 1, (lxw_col_t)i, cols[i], head);
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : ERR_IO;
fail:
	workbook_close(wb);
	return rc ? rc : ERR_IO;
}

static int
audit_export(struct db_conn *c, const struct export_spec *e, int64_t actor_id,
    const char *ip, int64_t rows, int64_t unmasked, int64_t job)
{
	struct audit_entry ae;
	char target[32];
	struct buf summary;
	struct jw w;
	int rc;

	buf_init(&summary, 4096);
	jw_init(&w, &summary);
	jw_obj_open(&w);
	jw_kint(&w, "rows", rows);
	jw_kint(&w, "unmasked", unmasked);
	jw_kint(&w, "job", job);
	if (unmasked)
		jw_kstr(&w, "purpose", e->purpose);
	jw_obj_close(&w);
	if ((rc = jw_finish(&w))) {
		buf_free(&summary);
		return rc;
	}
	snprintf(target, sizeof(target), "org:%lld", (long long)e->org_id);
	memset(&ae, 0, sizeof(ae));
	ae.actor_id = actor_id;
	ae.actor = e->actor;
	ae.ip = ip;
	ae.org_id = e->org_id;
	ae.org_path = e->path;
	ae.action = unmasked ? "workers.export_pii" : "workers.export";
	ae.target = target;
	ae.result = "ok";
	ae.summary = summary.data;
	rc = audit_append(c, &ae);
	buf_free(&summary);
	return rc;
}

/* The job kind "export_workers": the file is kept, sealed, with the job
 * until it is downloaded (GET /api/v1/jobs/{id}/file). */
int
workers_export_run(struct db *db, const struct pii_key *k, int64_t job_id)
{
	struct export_spec e;
	struct db_conn *c = NULL;
	struct job j;
	json_t *p = NULL;
	char file[256];
	int64_t rows = 0, unmasked = 0;
	struct buf data;
	int rc;

	buf_init(&data, (size_t)1 << 31);
	file[0] = '\0';
	memset(&e, 0, sizeof(e));
	if ((rc = db_acquire(db, DB_READ, &c)) || (rc = jobs_get(c, job_id, &j)))
		goto out;
	p = json_loads(j.params, 0, NULL);
	if (!p) {
		rc = ERR_INVALID;
		goto out;
	}
	e.org_id = j.org_id;
	str_copy(e.path, sizeof(e.path), j.org_path);
	str_copy(e.actor, sizeof(e.actor), j.actor);
	str_copy(e.name, sizeof(e.name), json_string_value(json_object_get(p, "name")) ?
	    json_string_value(json_object_get(p, "name")) : "");
	str_copy(e.status, sizeof(e.status), json_string_value(json_object_get(p, "status")) ?
	    json_string_value(json_object_get(p, "status")) : "");
	e.lmin = json_integer_value(json_object_get(p, "level_min"));
	e.lmax = json_integer_value(json_object_get(p, "level_max"));
	e.union_member = (int)json_integer_value(json_object_get(p, "union"));
	e.unmask = json_is_true(json_object_get(p, "unmask"));
	str_copy(e.purpose, sizeof(e.purpose), json_string_value(json_object_get(p, "purpose")) ?
	    json_string_value(json_object_get(p, "purpose")) : "");
	if ((rc = temp_file("changai-xlsx", file, sizeof(file))) ||
	    (rc = write_export(c, k, &e, file, &rows, &unmasked)))
		goto out;
	db_release(c);
	c = NULL;
	{
		FILE *f = fopen(file, "rb");
		char chunk[65536];
		size_t n;

		if (!f) {
			rc = ERR_IO;
			goto out;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			if ((rc = buf_append(&data, chunk, n)))
				break;
		fclose(f);
		if (rc)
			goto out;
	}
	if ((rc = db_acquire(db, DB_WRITE, &c)) || (rc = db_begin(c)))
		goto out;
	j.total = j.done = rows;
	if ((rc = jobs_put_file(c, k, job_id, data.data ? data.data : "", data.len)) ||
	    (rc = jobs_progress(c, &j)) || (rc = jobs_finish(c, job_id, 1, NULL)) ||
	    (rc = audit_export(c, &e, j.actor_id, "-", rows, unmasked, job_id)) ||
	    (rc = db_commit(c)))
		db_rollback(c);
out:
	if (file[0])
		unlink(file);
	if (c)
		db_release(c);
	if (p)
		json_decref(p);
	if (data.data)
		sodium_memzero(data.data, data.len);
	buf_free(&data);
	return rc;
}

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
	struct export_spec e;
	struct db_conn *c;
	char file[256], fname[500];
	int64_t total = 0, rows, unmasked;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = org_in_scope(r, READERS, req_query_int(r, "org", 0), e.path,
	    sizeof(e.path), e.name, sizeof(e.name), &e.org_id);
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
	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = workers_count(c, e.org_id, (int)e.lmin, (int)e.lmax,
	    e.union_member, status, &total)))
		return rc;
	if (e.unmask && ((rc = req_unmask_gate(r, total, 1)) || req_answered(r)))
		return rc;
	if (total > export_direct_max()) {
		char params[2000];
		json_t *jp = json_pack("{s:s, s:s, s:I, s:I, s:I, s:b, s:s}", "name", e.name,
		    "status", e.status, "level_min", (json_int_t)e.lmin,
		    "level_max", (json_int_t)e.lmax, "union", (json_int_t)e.union_member,
		    "unmask", e.unmask, "purpose", e.purpose);
		char *txt = jp ? json_dumps(jp, JSON_COMPACT) : NULL;
		int64_t job = 0;

		if (jp)
			json_decref(jp);
		if (!txt || str_copy(params, sizeof(params), txt)) {
			free(txt);
			return ERR_NOMEM;
		}
		free(txt);
		rc = req_db(r, DB_WRITE, &c);
		if (rc || (rc = db_begin(c)))
			return rc;
		if ((rc = jobs_create(c, "export_workers", e.org_id, e.path, p->user_id,
		    p->username, params, total, &job)) || (rc = db_commit(c))) {
			db_rollback(c);
			return rc;
		}
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
	rc = write_export(c, key_of(r), &e, file, &rows, &unmasked);
	if (rc) {
		unlink(file);
		return rc;
	}
	req_db_release(r);
	if ((rc = req_db(r, DB_WRITE, &c)) || (rc = db_begin(c))) {
		unlink(file);
		return rc;
	}
	if ((rc = audit_export(c, &e, p->user_id, req_ip(r), rows, unmasked, 0)) ||
	    (rc = db_commit(c))) {
		db_rollback(c);
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
static const struct qfield errors_query[] = {
	{"unmask", QT_BOOL, 0, 0, NULL, "show ID numbers and phones (pii permission and a step-up)"},
	{"purpose", QT_STRING, 2, 200, NULL, "why, with unmask (kept in the audit record and the file)"},
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
	{HTTP_GET, "/api/v1/exports/workers.xlsx", h_export, READERS, 0, NULL,
	    export_query, "exports", "The roster as .xlsx (same filters as the list)"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
