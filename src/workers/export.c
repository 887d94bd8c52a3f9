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
#include "settings/settings.h"
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

/* The columns an export may hold, by their API names, in file order. */
enum {
	XC_NAME, XC_ID_NO, XC_GENDER, XC_BIRTH_DATE, XC_PHONE, XC_ORG,
	XC_OCCUPATION, XC_OCCUPATION_CODE, XC_SKILL_LEVEL, XC_SKILL_LEVEL_NAME,
	XC_UNION_MEMBER, XC_UNION_JOINED, XC_POLITICAL_STATUS, XC_EDUCATION,
	XC_HIRED, XC_STATUS, XC__MAX
};
static const struct {
	const char *key, *zh;
	double width;
} export_cols[XC__MAX] = {
	{"name", "姓名", 10}, {"id_no", "身份证号", 22}, {"gender", "性别", 6},
	{"birth_date", "出生日期", 12}, {"phone", "手机号", 14},
	{"org", "所在单位", 30}, {"occupation", "工种", 14},
	{"occupation_code", "职业代码", 12}, {"skill_level", "技能等级", 8},
	{"skill_level_name", "技能等级名称", 12},
	{"union_member", "是否工会会员", 12}, {"union_joined", "入会日期", 12},
	{"political_status", "政治面貌", 12}, {"education", "学历", 12},
	{"hired", "入职日期", 12}, {"status", "状态", 8},
};

int
workers_export_cols(const char *list, unsigned *cols, struct why *why)
{
	const char *p = list;

	*cols = 0;
	while (p && *p) {
		size_t n = strcspn(p, ","), i;

		for (i = 0; i < XC__MAX; i++)
			if (strlen(export_cols[i].key) == n && !strncmp(p, export_cols[i].key, n))
				break;
		if (i == XC__MAX)
			return why_refuse(why, ERR_INVALID, "cols", "no such column",
			    "没有这一列");
		*cols |= 1u << i;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int
col_on(const struct workers_export *e, int col)
{
	return !e->cols || (e->cols & (1u << col));
}

/* The statement that lists the export's rows, bound; the caller steps it. */
static int
export_prep(struct db_conn *c, const struct pii_key *k, const struct workers_export *e,
    int64_t limit)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct workers_search search = {WORKER_LIST_DEFAULT, ""};
	struct why why;
	int rc;

	if (e->q[0] && (rc = workers_search_plan(k, e->q, &search, &why)))
		return rc;
	path_range(e->path, lo, hi, sizeof(lo));
	if ((rc = db_prep(c, search.stmt)))
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	workers_bind_filter(c, 3, e->lmin, e->lmax, e->union_member,
	    e->status[0] ? e->status : NULL);
	db_bind_text(c, 7, search.text);
	db_bind_int(c, 8, 0);
	db_bind_int(c, 9, 0);
	db_bind_int(c, 10, limit);
	db_bind_int(c, 11, e->unmask ? 1 : 0);
	return 0;
}

int
workers_export_count(struct db_conn *c, const struct pii_key *k,
    const struct workers_export *e, int64_t cap, int64_t *n)
{
	int rc;

	*n = 0;
	if (!e->q[0])
		return workers_count(c, e->org_id, (int)e->lmin, (int)e->lmax,
		    e->union_member, e->status[0] ? e->status : NULL, n);
	/* a search has no rollup: its matches are counted, up to the cap */
	if ((rc = export_prep(c, k, e, cap + 1)))
		return rc;
	while ((rc = db_step(c)) == DB_ROW)
		(*n)++;
	db_done(c);
	return rc < 0 ? rc : 0;
}

static void
sheet_start(lxw_workbook *wb, lxw_worksheet **ws, int *sheet_no,
    const struct workers_export *e, const char *title, const char *now,
    lxw_format *titlef, lxw_format *head)
{
	char sname[32];
	lxw_col_t at = 0;

	snprintf(sname, sizeof(sname), *sheet_no ? "花名册%d" : "花名册", *sheet_no + 1);
	*ws = workbook_add_worksheet(wb, sname);
	(*sheet_no)++;
	for (int i = 0; i < XC__MAX; i++)
		if (col_on(e, i)) {
			worksheet_set_column(*ws, at, at, export_cols[i].width, NULL);
			at++;
		}
	worksheet_write_string(*ws, 0, 0, title, titlef);
	at = 0;
	for (int i = 0; i < XC__MAX; i++)
		if (col_on(e, i))
			worksheet_write_string(*ws, 1, at++, export_cols[i].zh, head);
	worksheet_freeze_panes(*ws, 2, 0);
	worksheet_set_landscape(*ws);
	worksheet_repeat_rows(*ws, 1, 1);
	if (e->unmask) {
		char mark[2048];

		watermark_text(e, now, mark, sizeof(mark), 1);
		worksheet_set_header(*ws, mark);
		worksheet_set_footer(*ws, mark);
	}
}

int
workers_export_write(struct db_conn *c, const struct pii_key *k,
    const struct workers_export *e, const char *file, int64_t *rows,
    int64_t *unmasked)
{
	static _Thread_local struct code_labels political, education;
	char title[900], now[17];
	lxw_workbook *wb;
	lxw_worksheet *ws = NULL;
	lxw_format *head, *text, *titlef;
	lxw_row_t row_at = 0;
	int rc, sheet_no = 0;

	*rows = *unmasked = 0;
	/* labels as the 字典 has them today, not codes */
	if ((rc = codes_labels_load(c, "political_status", &political)) ||
	    (rc = codes_labels_load(c, "education", &education)))
		return rc;
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
	clock_local_minute(clock_now(), now);
	if (e->q[0])
		snprintf(title, sizeof(title), "产业工人花名册 · %s · 搜索“%s” · 导出于 %s（%s）",
		    e->name, e->q, now, e->actor);
	else
		snprintf(title, sizeof(title), "产业工人花名册 · %s · 导出于 %s（%s）",
		    e->name, now, e->actor);
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
	if ((rc = export_prep(c, k, e, INT64_MAX)))
		goto fail;
	while ((rc = db_step(c)) == DB_ROW) {
		struct worker_row w;
		char id_no[19], phone[12];
		const char *v[XC__MAX];
		lxw_col_t at = 0;

		if (!ws || row_at >= SHEET_ROWS + 2) {
			sheet_start(wb, &ws, &sheet_no, e, title, now, titlef, head);
			row_at = 2;
		}
		workers_read_row(c, &w);
		v[XC_ID_NO] = w.id_mask;
		v[XC_PHONE] = w.phone_mask;
		if (e->unmask && !pii_decrypt(k, w.id_enc, id_no, sizeof(id_no))) {
			v[XC_ID_NO] = id_no;
			if (w.phone_enc[0] &&
			    !pii_decrypt(k, w.phone_enc, phone, sizeof(phone)))
				v[XC_PHONE] = phone;
			(*unmasked)++;
		}
		v[XC_NAME] = w.name;
		v[XC_GENDER] = w.gender[0] == 'M' ? "男" : "女";
		v[XC_BIRTH_DATE] = w.birth_date;
		v[XC_ORG] = w.org_name;
		v[XC_OCCUPATION] = label_or_code(w.occupation);
		v[XC_OCCUPATION_CODE] = label_or_code(w.occupation_code);
		v[XC_SKILL_LEVEL] = NULL;
		v[XC_SKILL_LEVEL_NAME] = skill_level_name(w.skill_level);
		v[XC_UNION_MEMBER] = w.union_member ? "是" : "否";
		v[XC_UNION_JOINED] = w.union_joined;
		v[XC_POLITICAL_STATUS] = codes_label(&political, w.political_status);
		v[XC_EDUCATION] = codes_label(&education, w.education);
		v[XC_HIRED] = w.hired;
		v[XC_STATUS] = !strcmp(w.status, "active") ? "在职" : "离职";
		for (int i = 0; i < XC__MAX; i++) {
			if (!col_on(e, i))
				continue;
			if (i == XC_SKILL_LEVEL)
				worksheet_write_number(ws, row_at, at++, w.skill_level, NULL);
			else
				worksheet_write_string(ws, row_at, at++, v[i], text);
		}
		sodium_memzero(id_no, sizeof(id_no));
		sodium_memzero(phone, sizeof(phone));
		row_at++;
		(*rows)++;
	}
	db_done(c);
	if (rc < 0)
		goto fail;
	if (!ws)
		sheet_start(wb, &ws, &sheet_no, e, title, now, titlef, head);
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

int
workers_export_params(const struct workers_export *e, char *out, size_t n)
{
	json_t *jp = json_pack("{s:s, s:s, s:I, s:I, s:I, s:b, s:s, s:s, s:I}", "name", e->name,
	    "status", e->status, "level_min", (json_int_t)e->lmin,
	    "level_max", (json_int_t)e->lmax, "union", (json_int_t)e->union_member,
	    "unmask", e->unmask, "purpose", e->purpose, "q", e->q,
	    "cols", (json_int_t)e->cols);
	char *txt = jp ? json_dumps(jp, JSON_COMPACT) : NULL;
	int rc = !txt || str_copy(out, n, txt) ? ERR_NOMEM : 0;

	if (jp)
		json_decref(jp);
	free(txt);
	return rc;
}

static const char *
param_text(json_t *p, const char *key)
{
	const char *s = json_string_value(json_object_get(p, key));
	return s ? s : "";
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
	str_copy(e.name, sizeof(e.name), param_text(p, "name"));
	str_copy(e.status, sizeof(e.status), param_text(p, "status"));
	e.lmin = json_integer_value(json_object_get(p, "level_min"));
	e.lmax = json_integer_value(json_object_get(p, "level_max"));
	e.union_member = (int)json_integer_value(json_object_get(p, "union"));
	e.unmask = json_is_true(json_object_get(p, "unmask"));
	str_copy(e.purpose, sizeof(e.purpose), param_text(p, "purpose"));
	str_copy(e.q, sizeof(e.q), param_text(p, "q"));
	e.cols = (unsigned)json_integer_value(json_object_get(p, "cols"));
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

