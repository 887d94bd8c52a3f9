/* The calendar in the store: loading a span of exceptions for the counts,
 * reading and replacing a year, and reading a year's list from a file. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "db/db.h"
#include "workers/csvin.h"
#include "xlsx/xlsx.h"

static int
year_of_day(int64_t day)
{
	char d[11];

	date_from_days(day, d);
	return (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
}

/* The exceptions of [first, last] and which of its years have data. */
static int
load_span(struct db_conn *c, int64_t first, int64_t last, struct cal_span *s)
{
	char lo[11], hi[11];
	int rc;

	memset(s, 0, sizeof(*s));
	s->first = first;
	s->last = last;
	s->first_year = year_of_day(first);
	s->nyears = year_of_day(last) - s->first_year + 1;
	if (first > last || s->nyears > CAL_SPAN_YEARS)
		return ERR_INVALID;
	date_from_days(first, lo);
	date_from_days(last, hi);
	if (!lo[0] || !hi[0])
		return ERR_INVALID;
	if ((rc = db_prep(c, CAL_YEARS_IN)))
		return rc;
	db_bind_int(c, 1, s->first_year);
	db_bind_int(c, 2, s->first_year + s->nyears - 1);
	while ((rc = db_step(c)) == DB_ROW) {
		int64_t y = db_col_int(c, 0) - s->first_year;

		if (y >= 0 && y < s->nyears)
			s->known[y] = 1;
	}
	db_done(c);
	if (rc < 0)
		return rc;
	if ((rc = db_prep(c, CAL_DAYS_IN)))
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	while ((rc = db_step(c)) == DB_ROW) {
		const char *kind = db_col_text(c, 1);

		if (s->n >= CAL_SPAN_DAYS_MAX) {
			rc = ERR_INTERNAL;
			break;
		}
		s->day[s->n] = date_days(db_col_text(c, 0));
		s->kind[s->n] = (unsigned char)cal_kind_parse(kind);
		s->n++;
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

int
is_workday(struct db_conn *c, const char *date, int *yes, struct cal_note *note)
{
	struct cal_span *s;
	int64_t day = date_days(date);
	int rc;

	if (day == INT64_MIN)
		return ERR_INVALID;
	if (!(s = malloc(sizeof(*s))))
		return ERR_NOMEM;
	if (!(rc = load_span(c, day, day, s))) {
		*yes = cal_span_workday(s, day);
		cal_span_note(s, note);
	}
	free(s);
	return rc;
}

int
workdays_add(struct db_conn *c, const char *from, int64_t n, char out[11],
    struct cal_note *note)
{
	struct cal_span *s;
	int64_t day = date_days(from), left = n;
	int rc;

	if (day == INT64_MIN || n < 0 || n > CAL_ADD_MAX)
		return ERR_INVALID;
	if (!(s = malloc(sizeof(*s))))
		return ERR_NOMEM;
	/* working days are at least half of any span of two months or more
	 * (the longest holiday is nine days), so 2n + 30 days hold n of them */
	if ((rc = load_span(c, day, day + 2 * n + 30, s)))
		goto out;
	if (n == 0) {
		while (day <= s->last && !cal_span_workday(s, day))
			day++;
	} else {
		while (left > 0 && day < s->last) {
			day++;
			if (cal_span_workday(s, day))
				left--;
		}
	}
	if (day > s->last || left > 0) {
		rc = ERR_INTERNAL;
		goto out;
	}
	/* the note covers only the years the count went through */
	s->nyears = year_of_day(day) - s->first_year + 1;
	cal_span_note(s, note);
	date_from_days(day, out);
	rc = date_valid(out) ? ERR_INVALID : 0;
out:
	free(s);
	return rc;
}

int
workdays_between(struct db_conn *c, const char *from, const char *to,
    int64_t *n, struct cal_note *note)
{
	struct cal_span *s;
	int64_t a = date_days(from), b = date_days(to), lo, hi, count = 0;
	int rc;

	if (a == INT64_MIN || b == INT64_MIN)
		return ERR_INVALID;
	lo = a < b ? a : b;
	hi = a < b ? b : a;
	if (!(s = malloc(sizeof(*s))))
		return ERR_NOMEM;
	if (!(rc = load_span(c, lo, hi, s))) {
		for (int64_t d = lo + 1; d <= hi; d++)
			count += cal_span_workday(s, d);
		*n = a <= b ? count : -count;
		cal_span_note(s, note);
	}
	free(s);
	return rc;
}

int
cal_due_light(struct db_conn *c, const char *start, int64_t n, const char *today,
    int done, int started, int64_t due_soon, struct cal_due *out, struct cal_note *note)
{
	int rc = workdays_add(c, start, n, out->due, note);

	if (rc)
		return rc;
	if ((rc = workdays_between(c, today, out->due, &out->workdays_left, NULL)))
		return rc;
	if (done)
		out->light = "green";
	else if (strcmp(today, out->due) > 0)
		out->light = "red";
	else if (out->workdays_left <= due_soon)
		out->light = "yellow";
	else
		out->light = started ? "green" : "grey";
	return 0;
}

/* ---- a year ---- */

int
calendar_year_get(struct db_conn *c, int year, struct cal_year *out)
{
	int rc;

	memset(&out->info, 0, sizeof(out->info));
	out->info.year = year;
	if ((rc = db_prep(c, CAL_YEAR_GET)))
		return rc;
	db_bind_int(c, 1, year);
	rc = db_one(c);
	if (rc == ERR_NOTFOUND) {
		str_copy(out->info.source, sizeof(out->info.source), "missing");
		return 0;
	}
	if (rc)
		return rc;
	str_copy(out->info.source, sizeof(out->info.source), db_col_text(c, 0));
	str_copy(out->info.reference, sizeof(out->info.reference), db_col_text(c, 1));
	out->info.updated = db_col_int(c, 2);
	out->info.updated_by = db_col_null(c, 3) ? 0 : db_col_int(c, 3);
	db_done(c);
	if ((rc = db_prep(c, CAL_YEAR_DAYS)))
		return rc;
	db_bind_int(c, 1, year);
	while ((rc = db_step(c)) == DB_ROW && out->info.n < CAL_YEAR_DAYS_MAX) {
		struct cal_day *d = &out->days[out->info.n++];

		str_copy(d->date, sizeof(d->date), db_col_text(c, 0));
		d->kind = cal_kind_parse(db_col_text(c, 1));
		str_copy(d->name, sizeof(d->name), db_col_text(c, 2));
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

int
calendar_years_list(struct db_conn *c, struct cal_year_info *out, size_t max, size_t *n)
{
	int rc;

	*n = 0;
	if ((rc = db_prep(c, CAL_YEARS)))
		return rc;
	while ((rc = db_step(c)) == DB_ROW && *n < max) {
		struct cal_year_info *y = &out[(*n)++];

		memset(y, 0, sizeof(*y));
		y->year = (int)db_col_int(c, 0);
		str_copy(y->source, sizeof(y->source), db_col_text(c, 1));
		str_copy(y->reference, sizeof(y->reference), db_col_text(c, 2));
		y->updated = db_col_int(c, 3);
		y->updated_by = db_col_null(c, 4) ? 0 : db_col_int(c, 4);
		y->n = (size_t)db_col_int(c, 5);
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

int
calendar_year_put(struct db_conn *c, int year, struct cal_day *days, size_t n,
    const long *rows, const char *reference, int64_t by, struct cal_whys *why,
    long *before)
{
	int rc;

	if ((rc = cal_year_check(year, days, n, rows, why)))
		return rc;
	if (reference && utf8_chars(reference, strlen(reference)) > 100)
		return ERR_INVALID;
	*before = -1;
	if ((rc = db_prep(c, CAL_YEAR_GET)))
		return rc;
	db_bind_int(c, 1, year);
	rc = db_one(c);
	db_done(c);
	if (!rc) {
		if ((rc = db_prep(c, CAL_YEAR_COUNT)))
			return rc;
		db_bind_int(c, 1, year);
		if (!(rc = db_one(c)))
			*before = (long)db_col_int(c, 0);
		db_done(c);
	}
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	if ((rc = db_prep(c, CAL_YEAR_PUT)))
		return rc;
	db_bind_int(c, 1, year);
	db_bind_text(c, 2, reference ? reference : "");
	db_bind_int(c, 3, clock_now());
	if (by)
		db_bind_int(c, 4, by);
	else
		db_bind_null(c, 4);
	if ((rc = db_run(c)))
		return rc;
	if ((rc = db_prep(c, CAL_DAYS_DELETE)))
		return rc;
	db_bind_int(c, 1, year);
	if ((rc = db_run(c)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		if ((rc = db_prep(c, CAL_DAY_INSERT)))
			break;
		db_bind_text(c, 1, days[i].date);
		db_bind_int(c, 2, year);
		db_bind_text(c, 3, cal_kind_name(days[i].kind));
		db_bind_text(c, 4, days[i].name);
		rc = db_run(c);
	}
	return rc;
}

/* ---- files ---- */

enum { COL_DATE, COL_KIND, COL_NAME, COLS };
static const char *const col_zh[COLS] = {"日期", "类型", "名称"};
static const char *const col_en[COLS] = {"date", "kind", "name"};

#define fail cal_why_add

/* One row's three cells (trimmed text; the date may be an Excel serial)
 * into days[*n]. Blank rows are skipped; a bad cell is recorded in *why
 * and the next row read, so one answer lists every mistake. Returns an
 * error only when no more rows can be taken. */
static int
take_row(const char *const v[COLS], int date_is_serial, int date1904, long row,
    struct cal_day *days, long *rows, size_t *n, struct cal_whys *why)
{
	struct cal_day *d;
	int ok = 0;

	if (!*v[COL_DATE] && !*v[COL_KIND] && !*v[COL_NAME])
		return 0;
	if (*n >= CAL_YEAR_DAYS_MAX)
		return fail(why, row, "日期", "a year has at most 200 listed days",
		    "一年最多列出 200 天");
	d = &days[*n];
	memset(d, 0, sizeof(*d));
	if (date_is_serial ? xlsx_serial_date(v[COL_DATE], date1904, d->date) :
	    date_parse_loose(v[COL_DATE], d->date))
		ok = fail(why, row, "日期", "not a date (e.g. 2026-10-01)",
		    "不是有效日期（如 2026-10-01）");
	if (!(d->kind = cal_kind_parse(v[COL_KIND])))
		ok = fail(why, row, "类型", "the kind must be 放假 (holiday) or 上班 (workday)",
		    "类型须为“放假”或“上班”");
	if (str_copy(d->name, sizeof(d->name), v[COL_NAME]) || !*d->name)
		ok = fail(why, row, "名称", "the name must be 1 to 32 characters",
		    "名称须为 1 至 32 个字");
	if (!ok)
		rows[(*n)++] = row;
	return 0;
}

static int
header_map(const char *const *cells, int ncells, int map[COLS])
{
	for (int k = 0; k < COLS; k++) {
		map[k] = -1;
		for (int i = 0; i < ncells; i++)
			if (!strcmp(cells[i], col_zh[k]) || !strcmp(cells[i], col_en[k]))
				map[k] = i;
		if (map[k] < 0)
			return ERR_INVALID;
	}
	return 0;
}

static int
missing_header(struct cal_whys *why)
{
	return fail(why, 1, "file", "the first row must name the columns 日期, 类型, 名称",
	    "第一行须为列名：日期、类型、名称");
}

static int
parse_csv(const char *data, size_t len, struct cal_day *days, long *rows,
    size_t *n, struct cal_whys *why)
{
	struct csvin *csv = NULL;
	struct csv_row row;
	const char *en, *zh;
	int map[COLS], rc;

	if (csvin_open(data, len, &csv, &en, &zh))
		return fail(why, 0, "file", en, zh);
	rc = csvin_next(csv, &row);
	if (rc != 1 || header_map(row.field, row.nfields, map)) {
		rc = missing_header(why);
		goto out;
	}
	while ((rc = csvin_next(csv, &row)) != 0) {
		const char *v[COLS];

		if (rc < 0) {
			csvin_last_error(csv, &en, &zh);
			fail(why, row.number, "file", en, zh);
			if (why->n + why->more > CAL_YEAR_DAYS_MAX)
				goto out;
			continue;
		}
		if (row.bad_field >= 0) {
			fail(why, row.number, "file", "a cell is not valid text",
			    "单元格含无法识别的字符");
			continue;
		}
		for (int k = 0; k < COLS; k++)
			v[k] = row.field[map[k]];
		if ((rc = take_row(v, 0, 0, row.number, days, rows, n, why)))
			goto out;
	}
out:
	csvin_close(csv);
	return rc;
}

static int
parse_xlsx(const char *data, size_t len, struct cal_day *days, long *rows,
    size_t *n, struct cal_whys *why)
{
	struct xlsx_sheet *s = NULL;
	struct xlsx_err xe;
	const char *head[XLSX_MAX_COLS];
	int map[COLS], rc, width = 0;
	long at;

	rc = xlsx_read(data, len, NULL, &s, &xe);
	if (rc == ERR_NOMEM)
		return rc;
	if (rc)
		return fail(why, 0, "file", xe.en, xe.zh);
	if (!s->nrows) {
		rc = missing_header(why);
		goto out;
	}
	for (int k = 0; k < XLSX_MAX_COLS; k++)
		head[k] = "";
	for (int k = 0; k < s->rows[0].ncells; k++) {
		head[s->rows[0].cells[k].col] = s->rows[0].cells[k].text;
		if (s->rows[0].cells[k].col + 1 > width)
			width = s->rows[0].cells[k].col + 1;
	}
	if (header_map(head, width, map)) {
		rc = missing_header(why);
		goto out;
	}
	for (at = 1; at < s->nrows; at++) {
		const struct xlsx_row *row = &s->rows[at];
		const struct xlsx_cell *cell[COLS];
		const char *v[COLS];

		for (int k = 0; k < COLS; k++) {
			cell[k] = xlsx_cell(row, map[k]);
			v[k] = cell[k] ? cell[k]->text : "";
		}
		if ((rc = take_row(v, cell[COL_DATE] && cell[COL_DATE]->type == XT_NUMBER,
		    s->date1904, row->number, days, rows, n, why)))
			goto out;
	}
out:
	xlsx_free(s);
	return rc;
}

static int
parse_json(const char *data, size_t len, struct cal_day *days, long *rows,
    size_t *n, char *reference, size_t reflen, struct cal_whys *why)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je), *list, *o;
	const char *key;
	size_t i;
	int rc = 0;

	if (!root || !json_is_object(root)) {
		rc = fail(why, 0, "file", "not a JSON object {\"days\": [...]}",
		    "不是 JSON 对象 {\"days\": [...]}");
		goto out;
	}
	json_object_foreach(root, key, o) {
		if (strcmp(key, "days") && strcmp(key, "reference")) {
			rc = fail(why, 0, "file", "unknown field (only days and reference)",
			    "未知字段（只允许 days 与 reference）");
			goto out;
		}
	}
	o = json_object_get(root, "reference");
	if (o && (!json_is_string(o) || str_copy(reference, reflen, json_string_value(o)))) {
		rc = fail(why, 0, "reference", "the reference must be text of at most 100 characters",
		    "依据须为不超过 100 字的文字");
		goto out;
	}
	list = json_object_get(root, "days");
	if (!json_is_array(list)) {
		rc = fail(why, 0, "days", "days must be a list", "days 须为列表");
		goto out;
	}
	json_array_foreach(list, i, o) {
		const char *v[COLS];
		json_t *f;

		if (!json_is_object(o)) {
			rc = fail(why, (long)i + 1, "file", "each day is an object {date, kind, name}",
			    "每一天须为对象 {date, kind, name}");
			goto out;
		}
		json_object_foreach(o, key, f) {
			if (strcmp(key, "date") && strcmp(key, "kind") && strcmp(key, "name")) {
				rc = fail(why, (long)i + 1, "file", "unknown field in a day",
				    "某一天含未知字段");
				goto out;
			}
		}
		for (int k = 0; k < COLS; k++) {
			f = json_object_get(o, col_en[k]);
			v[k] = json_is_string(f) ? json_string_value(f) : "";
		}
		if (!*v[COL_DATE] && !*v[COL_KIND] && !*v[COL_NAME]) {
			fail(why, (long)i + 1, "日期", "not a date (e.g. 2026-10-01)",
			    "不是有效日期（如 2026-10-01）");
			continue;
		}
		if ((rc = take_row(v, 0, 0, (long)i + 1, days, rows, n, why)))
			goto out;
	}
out:
	json_decref(root);
	return rc;
}

static int
looks_like_json(const char *p, size_t len)
{
	size_t i = 0;

	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i < len && p[i] == '{';
}

static int
parse_any(const char *data, size_t len, struct cal_day *days, long *rows,
    size_t *n, char *reference, size_t reflen, struct cal_whys *why)
{
	*n = 0;
	if (reflen)
		reference[0] = '\0';
	if (!len)
		return fail(why, 0, "file", "the file is empty", "文件为空");
	if (xlsx_sniff(data, len))
		return parse_xlsx(data, len, days, rows, n, why);
	if (looks_like_json(data, len)) {
		if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
			data += 3;
			len -= 3;
		}
		return parse_json(data, len, days, rows, n, reference, reflen, why);
	}
	return parse_csv(data, len, days, rows, n, why);
}

int
calendar_parse(const char *data, size_t len, struct cal_day *days, long *rows,
    size_t *n, char *reference, size_t reflen, struct cal_whys *why)
{
	int rc = parse_any(data, len, days, rows, n, reference, reflen, why);

	return !rc && (why->n || why->more) ? ERR_INVALID : rc;
}
