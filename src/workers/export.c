/* The roster as an .xlsx file (src/workers/export.c), written from the
 * store's cursor in constant memory, masked unless the spec unmasks (then
 * watermarked on every page and in its properties). Used by GET
 * /workers/export while the caller waits and by the export_workers job. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "workers/workers.h"

/* Rows per sheet: Excel's limit is 1,048,576 including our title and header. */
#define SHEET_ROWS 1000000

static lxw_workbook *
new_workbook(const char *path)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
	    .tmpdir = NULL, .use_zip64 = LXW_TRUE};

	return workbook_new_opt(path, &opt);
}

static const char *
label_or_code(const char *s)
{
	return s && *s ? s : "";
}


/* What an unmasked file says of itself on every printed page and in its
 * properties: who made it, when, why. A header takes 255 characters, and
 * & is its escape. */
static void
watermark_text(const struct workers_export *e, const char *when, char *out, size_t n,
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

int
workers_export_write(struct db_conn *c, const struct pii_key *k,
    const struct workers_export *e, const char *file, int64_t *rows,
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

int
workers_export_audit(struct db_conn *c, const struct workers_export *e, int64_t actor_id,
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

int
workers_export_audit_tx(struct db *db, const struct workers_export *e,
    int64_t actor_id, const char *ip, int64_t rows, int64_t unmasked)
{
	struct db_conn *c;
	int rc;

	if ((rc = db_acquire(db, DB_WRITE, &c)))
		return rc;
	if (!(rc = db_begin(c)) &&
	    ((rc = workers_export_audit(c, e, actor_id, ip, rows, unmasked, 0)) ||
	    (rc = db_commit(c))))
		db_rollback(c);
	db_release(c);
	return rc;
}

/* The job kind "export_workers": the file is kept, sealed, with the job
 * until it is downloaded (GET /api/v1/jobs/{id}/file). */
int
workers_export_run(struct db *db, const struct pii_key *k, int64_t job_id)
{
	struct workers_export e;
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
	    (rc = workers_export_write(c, k, &e, file, &rows, &unmasked)))
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
	    (rc = workers_export_audit(c, &e, j.actor_id, "-", rows, unmasked, job_id)) ||
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

