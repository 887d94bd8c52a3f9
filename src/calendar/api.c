/* HTTP handlers for the clock and the working-day calendar. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "db/db.h"
#include "http/http.h"

#define CAL_FILE_MAX (2u << 20)

static void
missing_json(struct jw *w, const struct cal_note *note)
{
	jw_key(w, "missing_years");
	jw_arr_open(w);
	for (int i = 0; note && i < note->nmissing; i++)
		jw_int(w, note->missing[i]);
	jw_arr_close(w);
}

/* What day it is for business rules: the console and scripts read this
 * rather than their own clocks. */
static int
h_clock(struct req *r)
{
	struct jw *w = req_json(r, 200);
	char today[11];

	clock_today(today);
	jw_obj_open(w);
	jw_kstr(w, "today", today);
	jw_ktime(w, "now", clock_now());
	jw_kstr(w, "zone", "+08:00");
	jw_kbool(w, "set", clock_is_set());
	jw_obj_close(w);
	return 0;
}

static int
year_json(struct req *r, struct db_conn *c, struct cal_year *y, int status)
{
	char first[11], last[11];
	int64_t workdays = 0;
	struct cal_note note;
	int holidays = 0, worked = 0, rc;
	struct jw *w;

	snprintf(first, sizeof(first), "%04d-01-01", y->info.year);
	snprintf(last, sizeof(last), "%04d-12-31", y->info.year);
	/* the working days of the year: from 1 January itself */
	if ((rc = workdays_between(c, first, last, &workdays, &note)))
		return rc;
	{
		int yes = 0;

		if ((rc = is_workday(c, first, &yes, NULL)))
			return rc;
		workdays += yes;
	}
	for (size_t i = 0; i < y->info.n; i++) {
		holidays += y->days[i].kind == CAL_HOLIDAY;
		worked += y->days[i].kind == CAL_WORKDAY;
	}
	w = req_json(r, status);
	jw_obj_open(w);
	jw_kint(w, "year", y->info.year);
	jw_kstr(w, "source", y->info.source);
	jw_kstr(w, "reference", y->info.reference);
	jw_ktime(w, "updated", y->info.updated);
	jw_kint(w, "workdays", workdays);
	jw_kint(w, "holidays", holidays);
	jw_kint(w, "weekend_workdays", worked);
	jw_key(w, "days");
	jw_arr_open(w);
	for (size_t i = 0; i < y->info.n; i++) {
		jw_obj_open(w);
		jw_kstr(w, "date", y->days[i].date);
		jw_kstr(w, "kind", cal_kind_name(y->days[i].kind));
		jw_kstr(w, "name", y->days[i].name);
		jw_kint(w, "weekday", date_weekday(y->days[i].date));
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	return 0;
}

static int
h_calendar_get(struct req *r)
{
	struct cal_year *y;
	struct db_conn *c;
	int year = (int)req_query_int(r, "year", clock_year()), rc;

	if (!(y = malloc(sizeof(*y))))
		return ERR_NOMEM;
	if (!(rc = req_db(r, DB_READ, &c)) && !(rc = calendar_year_get(c, year, y)))
		rc = year_json(r, c, y, 200);
	free(y);
	return rc;
}

static int
h_calendar_years(struct req *r)
{
	enum { MAX_YEARS = 300 };
	struct cal_year_info *ys;
	struct db_conn *c;
	size_t n = 0;
	int year = clock_year(), have_this = 0, have_next = 0, rc;
	struct jw *w;

	if (!(ys = calloc(MAX_YEARS, sizeof(*ys))))
		return ERR_NOMEM;
	if ((rc = req_db(r, DB_READ, &c)) || (rc = calendar_years_list(c, ys, MAX_YEARS, &n)))
		goto out;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	for (size_t i = 0; i < n; i++) {
		have_this |= ys[i].year == year;
		have_next |= ys[i].year == year + 1;
		jw_obj_open(w);
		jw_kint(w, "year", ys[i].year);
		jw_kstr(w, "source", ys[i].source);
		jw_kstr(w, "reference", ys[i].reference);
		jw_kint(w, "days", (int64_t)ys[i].n);
		jw_ktime(w, "updated", ys[i].updated);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	/* what the admin is warned about: this year, and next year once the
	 * State Council usually publishes it (November) */
	jw_key(w, "missing");
	jw_arr_open(w);
	if (!have_this)
		jw_int(w, year);
	{
		char today[11];

		clock_today(today);
		if (!have_next && strncmp(today + 5, "11", 2) >= 0)
			jw_int(w, year + 1);
	}
	jw_arr_close(w);
	jw_kint(w, "this_year", year);
	jw_obj_close(w);
out:
	free(ys);
	return rc;
}

static int
refused(struct req *r, struct cal_whys *why)
{
	struct jw *w = req_json(r, 422);

	/* in the file's order, as the official reads it */
	for (int i = 1; i < why->n; i++) {
		struct cal_why e = why->e[i];
		int j = i - 1;

		for (; j >= 0 && why->e[j].row > e.row; j--)
			why->e[j + 1] = why->e[j];
		why->e[j + 1] = e;
	}

	jw_obj_open(w);
	jw_key(w, "error");
	jw_obj_open(w);
	jw_kstr(w, "code", "validation_failed");
	jw_kstr(w, "message", "the calendar was not changed: fix the rows listed");
	jw_kstr(w, "message_zh", "工作日历未修改：请修改所列各行后重新提交");
	jw_key(w, "details");
	jw_arr_open(w);
	for (int i = 0; i < why->n; i++) {
		const struct cal_why *e = &why->e[i];

		jw_obj_open(w);
		jw_kint(w, "row", e->row);
		jw_kstr(w, "field", e->column ? e->column : "file");
		jw_kstr(w, "message", e->en ? e->en : "invalid");
		jw_kstr(w, "message_zh", e->zh ? e->zh : "无效");
		jw_obj_close(w);
	}
	jw_arr_close(w);
	if (why->more)
		jw_kint(w, "more", why->more);
	jw_obj_close(w);
	jw_obj_close(w);
	return 0;
}

static const char *
format_of(const char *data, size_t len)
{
	size_t i = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;

	if (len >= 4 && !memcmp(data, "PK\x03\x04", 4))
		return "xlsx";
	while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
		i++;
	return i < len && data[i] == '{' ? "json" : "csv";
}

static int
h_calendar_put(struct req *r)
{
	struct cal_year *y = NULL;
	struct cal_whys why = {0};
	struct tx t = {0};         /* ended on every path, begun or not */
	struct jw *w;
	const char *data;
	char target[32], reference[401];
	long rows[CAL_YEAR_DAYS_MAX], before = -1;
	int64_t year = req_param_id(r, 0);
	int holidays = 0, worked = 0, rc;
	size_t len;

	if (!scope_root_admin(req_who(r)))
		return req_error(r, 403, "forbidden", NULL,
		    "only an administrator of the whole city may change the calendar",
		    "只有市级管理员可以修改工作日历");
	if (year < 1900 || year > 2199)
		return req_error(r, 404, "not_found", NULL, "no such year", "年份不存在");
	data = req_raw_body(r, &len);
	if (len > CAL_FILE_MAX)
		return req_error(r, 413, "payload_too_large", "file",
		    "a calendar file is at most 2 MiB", "工作日历文件不能超过 2 MiB");
	if (!(y = malloc(sizeof(*y))))
		return ERR_NOMEM;
	memset(&y->info, 0, sizeof(y->info));
	rc = calendar_parse(data ? data : "", len, y->days, rows, &y->info.n, reference,
	    sizeof(reference), &why);
	if (rc == ERR_INVALID) {
		/* bad cells: the rows that did read are checked too, so one answer
		 * lists every mistake; a file that is no calendar stops at that */
		int per_row = why.n > 0;

		for (int i = 0; i < why.n; i++)
			per_row &= why.e[i].row > 0 && strcmp(why.e[i].column, "file");
		if (per_row)
			(void)cal_year_check((int)year, y->days, y->info.n, rows, &why);
		rc = refused(r, &why);
		goto out;
	}
	if (rc)
		goto out;
	if ((rc = tx_begin(&t, r, "calendar.replace")))
		goto out;
	rc = calendar_year_put(t.c, (int)year, y->days, y->info.n, rows, reference,
	    req_who(r)->user_id, &why, &before);
	if (rc == ERR_INVALID) {
		rc = refused(r, &why);
		goto out;
	}
	if (rc)
		goto out;
	for (size_t i = 0; i < y->info.n; i++) {
		holidays += y->days[i].kind == CAL_HOLIDAY;
		worked += y->days[i].kind == CAL_WORKDAY;
	}
	snprintf(target, sizeof(target), "calendar:%lld", (long long)year);
	tx_target(&t, target);
	w = tx_summary(&t);
	jw_kint(w, "year", year);
	jw_kstr(w, "format", format_of(data ? data : "", len));
	jw_kint(w, "days", (int64_t)y->info.n);
	jw_kint(w, "holidays", holidays);
	jw_kint(w, "weekend_workdays", worked);
	jw_kint(w, "days_before", before);
	if ((rc = tx_commit(&t)))
		goto out;
	if (!(rc = calendar_year_get(t.c, (int)year, y)))
		rc = year_json(r, t.c, y, 200);
out:
	tx_end(&t);
	free(y);
	return rc;
}

static int
h_workdays(struct req *r)
{
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	const char *add = req_query(r, "add");
	struct cal_note note;
	struct db_conn *c;
	struct jw *w;
	int rc;

	if (!from)
		return req_error(r, 422, "validation_failed", "from", "from is required",
		    "缺少起始日期 from");
	if (!!to == !!add)
		return req_error(r, 422, "validation_failed", add ? "to" : "add",
		    "give add (a count of working days) or to (a date), not both",
		    "请给出 add（工作日数）或 to（日期）之一");
	if ((rc = req_db(r, DB_READ, &c)))
		return rc;
	if (add) {
		char date[11];
		int64_t n = req_query_int(r, "add", 0);

		if ((rc = workdays_add(c, from, n, date, &note)))
			return rc == ERR_INVALID ? req_error(r, 422, "validation_failed", "add",
			    "the date is out of the calendar's range", "日期超出工作日历范围") : rc;
		w = req_json(r, 200);
		jw_obj_open(w);
		jw_kstr(w, "from", from);
		jw_kint(w, "add", n);
		jw_kstr(w, "date", date);
		missing_json(w, &note);
		jw_obj_close(w);
	} else {
		int64_t n = 0;

		if ((rc = workdays_between(c, from, to, &n, &note)))
			return rc == ERR_INVALID ? req_error(r, 422, "validation_failed", "to",
			    "at most 8 calendar years apart", "两个日期最多相隔 8 个年度") : rc;
		w = req_json(r, 200);
		jw_obj_open(w);
		jw_kstr(w, "from", from);
		jw_kstr(w, "to", to);
		jw_kint(w, "workdays", n);
		missing_json(w, &note);
		jw_obj_close(w);
	}
	return 0;
}

static const struct qfield calendar_query[] = {
	{"year", QT_INT, 1900, 2199, NULL, "the year (default this year)"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield workdays_query[] = {
	{"from", QT_DATE, 0, 0, NULL, "the day counted from"},
	{"add", QT_INT, 0, CAL_ADD_MAX, NULL, "the N-th working day after from (0: from "
	    "itself if it is one, else the next)"},
	{"to", QT_DATE, 0, 0, NULL, "count the working days d with from < d <= to"},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route calendar_routes[] = {
	{HTTP_GET, "/api/v1/clock", h_clock, 0, RF_PUBLIC, NULL, NULL, "calendar",
	    "Today and now as business rules see them (China Standard Time)"},
	{HTTP_GET, "/api/v1/calendar", h_calendar_get, ROLES_ANY, 0, NULL, calendar_query,
	    "calendar", "A year's exceptions to Monday to Friday, and where they come from"},
	{HTTP_GET, "/api/v1/calendar/years", h_calendar_years, ROLES_ANY, 0, NULL, NULL,
	    "calendar", "The years the calendar holds, and the years it is missing"},
	{HTTP_GET, "/api/v1/calendar/workdays", h_workdays, ROLES_ANY, 0, NULL, workdays_query,
	    "calendar", "Working-day arithmetic: the N-th working day after a date, or "
	    "the working days between two dates"},
	{HTTP_PUT, "/api/v1/calendar/{id}", h_calendar_put, ROLE_ADMIN, RF_RAW_BODY, NULL,
	    NULL, "calendar", "Replace a year's exceptions (city admin): JSON {\"days\"}, or "
	    "CSV/.xlsx with 日期, 类型 (放假/上班), 名称; all rows or none"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
