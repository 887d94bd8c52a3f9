/* HTTP handlers for the audit trail: auditors only, within their subtree.
 * Nobody has an endpoint that changes or deletes audit rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/util.h"
#include "db/db.h"
#include "http/http.h"

static int
is_root_path(const char *path)
{
	const char *second = strchr(path + 1, '/');
	return path[0] == '/' && second && second[1] == '\0';
}

/* Binds $1..$8 (scope and filters) shared by AUDIT_LIST and AUDIT_COUNT. */
static void
bind_filter(struct req *r, struct db_conn *c, const struct grant *g,
    char *lo, char *hi, char *action_hi, size_t n)
{
	const char *actor = req_query(r, "actor");
	const char *action = req_query(r, "action");
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	int64_t t;

	path_range(g->path, lo, hi, n);
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	db_bind_int(c, 3, is_root_path(g->path));
	db_bind_text(c, 4, actor);
	/* action filters by prefix: "org." matches org.create and org.move */
	if (action) {
		snprintf(action_hi, n, "%s\x7f", action);
		db_bind_text(c, 5, action);
		db_bind_text(c, 6, action_hi);
	} else {
		db_bind_null(c, 5);
		db_bind_null(c, 6);
	}
	if (from && !time_parse_iso(from, &t))
		db_bind_int(c, 7, t);
	else if (from && !date_valid(from)) {
		char iso[24];
		/* a date is China's day, as the console shows times */
		snprintf(iso, sizeof(iso), "%sT00:00:00Z", from);
		time_parse_iso(iso, &t);
		db_bind_int(c, 7, t - CLOCK_ZONE_SECONDS);
	} else
		db_bind_null(c, 7);
	if (to && !time_parse_iso(to, &t))
		db_bind_int(c, 8, t);
	else if (to && !date_valid(to)) {
		char iso[24];
		snprintf(iso, sizeof(iso), "%sT00:00:00Z", to);
		time_parse_iso(iso, &t);
		/* a date "to" includes that (China) day */
		db_bind_int(c, 8, t + 86400 - CLOCK_ZONE_SECONDS);
	} else
		db_bind_null(c, 8);
}

/* from and to: a date or an ISO time. 0, or the 400 answered. */
static int
check_times(struct req *r)
{
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	int64_t t;

	if (from && time_parse_iso(from, &t) && date_valid(from))
		return req_error(r, 400, "bad_request", "from",
		    "use YYYY-MM-DD or an ISO time", "应为日期或 ISO 时间");
	if (to && time_parse_iso(to, &t) && date_valid(to))
		return req_error(r, 400, "bad_request", "to",
		    "use YYYY-MM-DD or an ISO time", "应为日期或 ISO 时间");
	return 0;
}

static int
h_audit_list(struct req *r)
{
	const struct grant *g = scope_default(req_who(r), ROLE_AUDITOR);
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], ahi[80];
	const char *after = req_query(r, "after");
	int64_t limit = req_query_int(r, "limit", 50), cursor = INT64_MAX;
	int64_t total = -1, count = req_query_int(r, "count", 1);
	struct db_conn *c;
	struct page pg;
	struct jw *w;
	struct audit_entry ae;
	int rc;

	if (!g)
		return ERR_PERM;
	if (after && cursor_decode(after, &cursor))
		return ERR_BADREQ;
	if ((rc = check_times(r)) || req_answered(r))
		return rc;
	/* auditors' reads of the trail are themselves on the trail */
	req_audit_entry(r, &ae, "audit.read", "audit");
	ae.org_id = g->org_id;
	ae.org_path = g->path;
	rc = audit_append_tx(req_store(r), &ae);
	if (rc)
		return rc;
	rc = req_db(r, DB_READ, &c);
	if (rc)
		return rc;
	if (count) {
		rc = db_prep(c, AUDIT_COUNT);
		if (rc)
			return rc;
		bind_filter(r, c, g, lo, hi, ahi, sizeof(ahi));
		db_bind_int(c, 9, 0);
		db_bind_int(c, 10, 0);
		if (db_one(c) == 0)
			total = db_col_int(c, 0);
		db_done(c);
	}
	rc = db_prep(c, AUDIT_LIST);
	if (rc)
		return rc;
	bind_filter(r, c, g, lo, hi, ahi, sizeof(ahi));
	db_bind_int(c, 9, cursor);
	db_bind_int(c, 10, limit + 1);
	w = page_open(&pg, r, limit);
	while ((rc = db_step(c)) == DB_ROW && page_row(&pg, db_col_int(c, 0))) {
		jw_obj_open(w);
		jw_kint(w, "id", db_col_int(c, 0));
		jw_ktime(w, "at", db_col_int(c, 1));
		if (db_col_null(c, 2))
			jw_knull(w, "actor_id");
		else
			jw_kint(w, "actor_id", db_col_int(c, 2));
		jw_kstr(w, "actor", db_col_text(c, 3));
		jw_kstr(w, "ip", db_col_text(c, 4));
		if (db_col_null(c, 5))
			jw_knull(w, "org_id");
		else
			jw_kint(w, "org_id", db_col_int(c, 5));
		jw_kstr(w, "action", db_col_text(c, 7));
		{
			const struct audit_label *l = audit_label_find(db_col_text(c, 7));

			/* an action of an older version that has no label any more */
			jw_kstr(w, "action_zh", l ? l->zh : db_col_text(c, 7));
			jw_kstr(w, "action_en", l ? l->en : db_col_text(c, 7));
		}
		jw_kstr(w, "target", db_col_text(c, 8));
		jw_kstr(w, "result", db_col_text(c, 9));
		jw_key(w, "summary");
		{
			const char *s = db_col_text(c, 10);
			/* summaries are JSON the server wrote itself */
			jw_raw(w, s && *s ? s : "{}", s && *s ? strlen(s) : 2);
		}
		jw_kstr(w, "hash", db_col_text(c, 11));
		jw_obj_close(w);
	}
	db_done(c);
	return rc < 0 ? rc : page_close(&pg, total);
}

static int
h_audit_verify(struct req *r)
{
	const struct grant *g = scope_default(req_who(r), ROLE_AUDITOR);
	struct db_conn *c;
	struct buf why;
	int64_t rows, broken;
	struct jw *w;
	int rc;

	if (!g || !is_root_path(g->path))
		return req_error(r, 403, "forbidden", NULL,
		    "only a city-level auditor verifies the whole trail",
		    "只有市级审计员可以校验完整审计链");
	buf_init(&why, 1024);
	rc = req_db(r, DB_READ, &c);
	if (rc)
		goto out;
	{
		struct audit_anchor *an = NULL;
		size_t nan = 0, bad = 0;
		const char *path = audit_anchors_path();
		int ar = path ? audit_anchors_read(path, &an, &nan, &bad) : ERR_NOTFOUND;

		if (ar == ERR_INVALID) {
			rows = broken = 0;
			buf_printf(&why, "line %zu of the anchors file is not an anchor made "
			    "with this audit key", bad);
			rc = ERR_INVALID;
		} else {
			rc = audit_verify(c, an, nan, &rows, &broken, &why);
		}
		free(an);
	}
	if (rc && rc != ERR_INVALID)
		goto out;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_kbool(w, "intact", rc == 0);
	jw_kint(w, "rows", rows);
	if (rc) {
		jw_kint(w, "broken_row", broken);
		jw_kstr(w, "reason", why.data);
	}
	jw_obj_close(w);
	rc = 0;
out:
	buf_free(&why);
	return rc;
}

/* Rows an export holds at most: a wider one asks for a narrower range. */
#define AUDIT_EXPORT_MAX 100000

static const char *
result_zh(const char *result)
{
	return !strcmp(result, "ok") ? "成功" : !strcmp(result, "fail") ? "失败" :
	    !strcmp(result, "denied") ? "拒绝" : result;
}

/* One row of the export: China time, names not codes. */
static int
export_row(struct buf *out, struct db_conn *c)
{
	const struct audit_label *l = audit_label_find(db_col_text(c, 7));
	const char *result = db_col_text(c, 9);
	char at[17], num[24];
	int rc;

	snprintf(num, sizeof(num), "%lld", (long long)db_col_int(c, 0));
	clock_local_minute(db_col_int(c, 1), at);
	if ((rc = csv_put_cell(out, num, 0)) || (rc = csv_put_cell(out, at, 0)) ||
	    (rc = csv_put_cell(out, db_col_text(c, 3), 0)) ||
	    (rc = csv_put_cell(out, db_col_text(c, 4), 0)) ||
	    (rc = csv_put_cell(out, l ? l->zh : db_col_text(c, 7), 0)) ||
	    (rc = csv_put_cell(out, db_col_text(c, 7), 0)) ||
	    (rc = csv_put_cell(out, db_col_text(c, 8), 0)) ||
	    (rc = csv_put_cell(out, result_zh(result ? result : ""), 0)))
		return rc;
	return csv_put_cell(out, db_col_text(c, 10), 1);
}

/* The trail as CSV for Excel (操作日志, or 登录日志 with action=session.),
 * the same filters as the list, newest first; the export is on the
 * trail. More than AUDIT_EXPORT_MAX rows ask for a narrower range. */
static int
h_audit_export(struct req *r)
{
	const struct grant *g = scope_default(req_who(r), ROLE_AUDITOR);
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], ahi[80];
	struct audit_entry ae;
	struct db_conn *c;
	struct buf out;
	int64_t rows = 0;
	int rc;

	if (!g)
		return ERR_PERM;
	if ((rc = check_times(r)) || req_answered(r))
		return rc;
	if ((rc = req_db(r, DB_READ, &c)) || (rc = db_prep(c, AUDIT_LIST)))
		return rc;
	bind_filter(r, c, g, lo, hi, ahi, sizeof(ahi));
	db_bind_int(c, 9, INT64_MAX);
	db_bind_int(c, 10, AUDIT_EXPORT_MAX + 1);
	buf_init(&out, (size_t)256 << 20);
	rc = buf_puts(&out, "\xEF\xBB\xBF序号,时间,操作人,IP,操作,操作代码,对象,结果,摘要\r\n");
	while (!rc && (rc = db_step(c)) == DB_ROW && ++rows <= AUDIT_EXPORT_MAX)
		rc = export_row(&out, c);
	db_done(c);
	req_db_release(r);
	if (rc < 0)
		goto out;
	if (rows > AUDIT_EXPORT_MAX) {
		rc = req_error(r, 422, "validation_failed", "from",
		    "more than 100,000 records: choose a shorter period",
		    "超过 10 万条记录，请缩短时间范围");
		goto out;
	}
	req_audit_entry(r, &ae, "audit.export", "audit");
	ae.org_id = g->org_id;
	ae.org_path = g->path;
	if ((rc = audit_append_tx(req_store(r), &ae)))
		goto out;
	if (!(rc = req_text(r, 200, "text/csv; charset=utf-8", out.data, out.len)))
		rc = req_header(r, "Content-Disposition", "attachment; filename=\"audit.csv\"; "
		    "filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.csv");
out:
	buf_free(&out);
	return rc;
}

static const struct qfield audit_export_query[] = {
	{"actor", QT_STRING, 1, 64, NULL, "username"},
	{"action", QT_STRING, 1, 64, NULL, "action or action prefix (session. is the login log)"},
	{"from", QT_STRING, 10, 20, NULL, "date (China's day) or ISO time, inclusive"},
	{"to", QT_STRING, 10, 20, NULL, "date (inclusive) or ISO time (exclusive)"},
	{NULL, 0, 0, 0, NULL, NULL},
};

static const struct qfield audit_list_query[] = {
	{"actor", QT_STRING, 1, 64, NULL, "username"},
	{"action", QT_STRING, 1, 64, NULL, "action or action prefix (org.)"},
	{"from", QT_STRING, 10, 20, NULL, "date or ISO time, inclusive"},
	{"to", QT_STRING, 10, 20, NULL, "date (inclusive) or ISO time (exclusive)"},
	{"limit", QT_INT, 1, 500, NULL, "page size"},
	{"after", QT_CURSOR, 0, 0, NULL, "cursor from the previous page"},
	{"count", QT_BOOL, 0, 0, NULL, "include total"},
	{NULL, 0, 0, 0, NULL, NULL},
};

/* Every action the trail may hold, with its name, for the filter. */
static int
h_audit_actions(struct req *r)
{
	struct jw *w = req_json(r, 200);
	const struct audit_label *l;

	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	for (size_t i = 0; (l = audit_label_at(i)); i++) {
		jw_obj_open(w);
		jw_kstr(w, "action", l->action);
		jw_kstr(w, "zh", l->zh);
		jw_kstr(w, "en", l->en);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	return 0;
}

const struct route audit_routes[] = {
	{HTTP_GET, "/api/v1/audit/actions", h_audit_actions, ROLE_AUDITOR, 0, NULL, NULL, "audit",
	    "Every audit action with its name (中文, English)"},
	{HTTP_GET, "/api/v1/audit", h_audit_list, ROLE_AUDITOR, 0, NULL,
	    audit_list_query, "audit", "The audit trail, newest first (auditors)"},
	{HTTP_GET, "/api/v1/audit/export.csv", h_audit_export, ROLE_AUDITOR, 0, NULL,
	    audit_export_query, "audit", "The trail as CSV for Excel, names and China time (auditors)"},
	{HTTP_GET, "/api/v1/audit/verify", h_audit_verify, ROLE_AUDITOR, 0, NULL,
	    NULL, "audit", "Verify the hash chain (city auditor)"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
