/* The working-day calendar on a temporary SQLite store seeded by its
 * migration. Expected days come from the State Council's notices (2025:
 * 28 Jan–4 Feb off, Sunday 26 Jan and Saturday 8 Feb worked; 2026: 1–3 Jan
 * off, Sunday 4 Jan worked), not from the code under test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/util.h"
#include "calendar/calendar.h"
#include "db/db.h"

struct fx {
	char dir[64], path[128];
	struct db *db;
	struct db_conn *c;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	int from, to;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/changai-test-cal.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	if (db_open(f->path, 1, &f->db) || db_migrate(f->db, &from, &to) ||
	    db_acquire(f->db, DB_WRITE, &f->c))
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char p[160];

	db_release(f->c);
	db_close(f->db);
	snprintf(p, sizeof(p), "%s/store.db", f->dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/store.db-wal", f->dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/store.db-shm", f->dir);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int
workday(struct fx *f, const char *date)
{
	int yes = -1;

	assert_int_equal(is_workday(f->c, date, &yes, NULL), 0);
	return yes;
}

static const char *
add(struct fx *f, const char *from, int64_t n)
{
	static char out[11];

	assert_int_equal(workdays_add(f->c, from, n, out, NULL), 0);
	return out;
}

static int64_t
between(struct fx *f, const char *from, const char *to)
{
	int64_t n = -999;

	assert_int_equal(workdays_between(f->c, from, to, &n, NULL), 0);
	return n;
}

static void
test_spring_festival_2025(void **state)
{
	struct fx *f = *state;

	assert_int_equal(workday(f, "2025-01-24"), 1);     /* Friday */
	assert_int_equal(workday(f, "2025-01-25"), 0);     /* Saturday */
	assert_int_equal(workday(f, "2025-01-26"), 1);     /* Sunday, worked */
	assert_int_equal(workday(f, "2025-01-27"), 1);
	for (int d = 28; d <= 31; d++) {
		char date[11];

		snprintf(date, sizeof(date), "2025-01-%02d", d);
		assert_int_equal(workday(f, date), 0);
	}
	assert_int_equal(workday(f, "2025-02-03"), 0);     /* Monday, off */
	assert_int_equal(workday(f, "2025-02-04"), 0);
	assert_int_equal(workday(f, "2025-02-05"), 1);
	assert_int_equal(workday(f, "2025-02-08"), 1);     /* Saturday, worked */
	assert_int_equal(workday(f, "2025-02-09"), 0);
	/* counting across the holiday */
	assert_string_equal(add(f, "2025-01-27", 1), "2025-02-05");
	assert_string_equal(add(f, "2025-01-24", 1), "2025-01-26");
	assert_string_equal(add(f, "2025-01-24", 3), "2025-02-05");
	assert_string_equal(add(f, "2025-02-07", 1), "2025-02-08");
	assert_string_equal(add(f, "2025-02-07", 2), "2025-02-10");
	/* add 0: the day itself when it is worked, else the next one */
	assert_string_equal(add(f, "2025-01-26", 0), "2025-01-26");
	assert_string_equal(add(f, "2025-01-30", 0), "2025-02-05");
	assert_int_equal(between(f, "2025-01-24", "2025-02-08"), 6);
	assert_int_equal(between(f, "2025-02-08", "2025-01-24"), -6);
	assert_int_equal(between(f, "2025-01-28", "2025-02-04"), 0);
	assert_int_equal(between(f, "2025-02-05", "2025-02-05"), 0);
}

static void
test_year_ends(void **state)
{
	struct fx *f = *state;
	struct cal_note note;
	char out[11];

	/* 2026 starts with three days off and a Sunday worked */
	assert_string_equal(add(f, "2025-12-31", 1), "2026-01-04");
	assert_string_equal(add(f, "2025-12-31", 2), "2026-01-05");
	assert_int_equal(workday(f, "2026-01-01"), 0);
	assert_int_equal(workday(f, "2026-01-02"), 0);     /* a Friday off */
	/* 2027 has no data: Monday to Friday, and the note says so */
	assert_int_equal(workdays_add(f->c, "2026-12-31", 1, out, &note), 0);
	assert_string_equal(out, "2027-01-01");
	assert_int_equal(note.nmissing, 1);
	assert_int_equal(note.missing[0], 2027);
	assert_int_equal(workdays_add(f->c, "2026-12-01", 10, out, &note), 0);
	assert_string_equal(out, "2026-12-15");
	assert_int_equal(note.nmissing, 0);
	/* 1 October 2026 holiday week: 8 October is the next working day */
	assert_string_equal(add(f, "2026-09-30", 1), "2026-10-08");
	assert_string_equal(add(f, "2026-10-09", 1), "2026-10-10");   /* Saturday worked */
}

static void
test_leap_days(void **state)
{
	struct fx *f = *state;

	assert_string_equal(add(f, "2028-02-28", 1), "2028-02-29");
	assert_string_equal(add(f, "2028-02-29", 1), "2028-03-01");
	assert_string_equal(add(f, "2028-02-25", 2), "2028-02-29");   /* over a weekend */
	assert_int_equal(workday(f, "2028-02-29"), 1);                 /* a Tuesday */
	assert_int_equal(between(f, "2028-02-27", "2028-03-01"), 3);
	/* 2024's leap day was a Thursday, worked */
	assert_int_equal(workday(f, "2024-02-29"), 1);
}

/* between undoes add, for every count up to a year and a half */
static void
test_add_and_between_agree(void **state)
{
	struct fx *f = *state;

	for (int64_t n = 1; n <= 400; n += 7) {
		char to[11];

		str_copy(to, sizeof(to), add(f, "2024-12-31", n));
		assert_int_equal(between(f, "2024-12-31", to), n);
		assert_int_equal(workday(f, to), 1);
	}
}

static void
test_bad_input(void **state)
{
	struct fx *f = *state;
	char out[11];
	int64_t n;
	int yes;

	assert_int_equal(is_workday(f->c, "2025-02-30", &yes, NULL), ERR_INVALID);
	assert_int_equal(workdays_add(f->c, "2025-01-01", -1, out, NULL), ERR_INVALID);
	assert_int_equal(workdays_add(f->c, "2025-01-01", CAL_ADD_MAX + 1, out, NULL),
	    ERR_INVALID);
	assert_int_equal(workdays_between(f->c, "2020-01-01", "2030-01-01", &n, NULL),
	    ERR_INVALID);
}

static void
test_year_check(void **state)
{
	struct cal_day d[5] = {
		{"2027-10-01", CAL_HOLIDAY, "国庆节"},
		{"2027-01-01", CAL_HOLIDAY, "元旦"},
		{"2027-01-04", CAL_WORKDAY, "元旦"},      /* a Monday: already worked */
		{"2026-12-31", CAL_HOLIDAY, "元旦"},      /* another year */
		{"2027-10-01", CAL_HOLIDAY, ""},          /* twice, and no name */
	};
	long rows[5] = {2, 3, 4, 5, 6};
	struct cal_whys why = {0};
	struct cal_day ok[3] = {
		{"2027-10-01", CAL_HOLIDAY, "国庆节"},
		{"2027-01-01", CAL_HOLIDAY, "元旦"},
		{"2027-01-03", CAL_WORKDAY, "元旦"},      /* a Sunday */
	};

	(void)state;
	assert_int_equal(cal_year_check(2027, d, 5, rows, &why), ERR_INVALID);
	/* every mistake, each with its row and column */
	assert_int_equal(why.n, 4);
	assert_int_equal(why.e[0].row, 4);
	assert_string_equal(why.e[0].column, "类型");
	assert_int_equal(why.e[1].row, 5);
	assert_string_equal(why.e[1].column, "日期");
	assert_int_equal(why.e[2].row, 6);
	assert_string_equal(why.e[2].column, "名称");
	assert_int_equal(why.e[3].row, 6);                 /* the later of the twins */
	assert_string_equal(why.e[3].column, "日期");
	memset(&why, 0, sizeof(why));
	assert_int_equal(cal_year_check(2027, ok, 3, NULL, &why), 0);
	assert_string_equal(ok[0].date, "2027-01-01");     /* sorted */
	assert_string_equal(ok[2].date, "2027-10-01");
	assert_int_equal(cal_kind_parse("放假"), CAL_HOLIDAY);
	assert_int_equal(cal_kind_parse("上班"), CAL_WORKDAY);
	assert_int_equal(cal_kind_parse("补班"), CAL_WORKDAY);
	assert_int_equal(cal_kind_parse("加班"), 0);
}

/* A year replaced in the store counts at once; a bad list writes nothing. */
static void
test_replace_year(void **state)
{
	struct fx *f = *state;
	struct cal_day d[2] = {
		{"2027-02-06", CAL_WORKDAY, "春节"},
		{"2027-02-08", CAL_HOLIDAY, "春节"},
	};
	struct cal_day bad[1] = {{"2027-02-09", CAL_WORKDAY, "春节"}};
	struct cal_whys why = {0};
	struct cal_year *y = malloc(sizeof(*y));
	long before = 0;

	assert_non_null(y);
	assert_int_equal(workday(f, "2027-02-08"), 1);
	assert_int_equal(db_begin(f->c), 0);
	assert_int_equal(calendar_year_put(f->c, 2027, d, 2, NULL, "测试", 1, &why,
	    &before), 0);
	assert_int_equal(db_commit(f->c), 0);
	assert_int_equal(before, -1);
	assert_int_equal(workday(f, "2027-02-08"), 0);
	assert_int_equal(workday(f, "2027-02-06"), 1);
	assert_int_equal(db_begin(f->c), 0);
	assert_int_equal(calendar_year_put(f->c, 2027, bad, 1, NULL, "", 1, &why,
	    &before), ERR_INVALID);
	db_rollback(f->c);
	assert_int_equal(calendar_year_get(f->c, 2027, y), 0);
	assert_string_equal(y->info.source, "imported");
	assert_int_equal(y->info.n, 2);
	assert_int_equal(calendar_year_get(f->c, 2031, y), 0);
	assert_string_equal(y->info.source, "missing");
	assert_int_equal(y->info.n, 0);
	free(y);
}

static void
test_due_light(void **state)
{
	struct fx *f = *state;
	struct cal_due d;

	/* 3 working days to accept a case received the Friday before 春节 2025 */
	assert_int_equal(cal_due_light(f->c, "2025-01-24", 3, "2025-01-27", 0, 0, 1, &d,
	    NULL), 0);
	assert_string_equal(d.due, "2025-02-05");
	assert_int_equal(d.workdays_left, 1);
	assert_string_equal(d.light, "yellow");
	assert_int_equal(cal_due_light(f->c, "2025-01-24", 3, "2025-01-26", 0, 0, 1, &d,
	    NULL), 0);
	assert_string_equal(d.light, "grey");
	assert_int_equal(cal_due_light(f->c, "2025-01-24", 3, "2025-02-06", 0, 1, 1, &d,
	    NULL), 0);
	assert_string_equal(d.light, "red");
	assert_int_equal(cal_due_light(f->c, "2025-01-24", 3, "2025-02-06", 1, 1, 1, &d,
	    NULL), 0);
	assert_string_equal(d.light, "green");
}

static void
test_parse_files(void **state)
{
	static const char csv[] = "\xEF\xBB\xBF日期,类型,名称\r\n2027/1/1,放假,元旦\r\n"
	    ",,\r\n2027年2月6日,上班,春节\r\nnot a date,休息,x\r\n2027-02-07,加班,春节\r\n";
	static const char json[] = "{\"days\":[{\"date\":\"2027-01-01\",\"kind\":\"holiday\","
	    "\"name\":\"元旦\"}],\"reference\":\"国办发明电〔2026〕号\"}";
	struct cal_day days[CAL_YEAR_DAYS_MAX];
	long rows[CAL_YEAR_DAYS_MAX];
	struct cal_whys why = {0};
	char ref[101];
	size_t n;

	(void)state;
	assert_int_equal(calendar_parse(csv, sizeof(csv) - 1, days, rows, &n, ref,
	    sizeof(ref), &why), ERR_INVALID);
	assert_int_equal(why.n, 2);
	assert_int_equal(why.e[0].row, 5);
	assert_string_equal(why.e[0].column, "日期");
	assert_int_equal(why.e[1].row, 6);
	assert_string_equal(why.e[1].column, "类型");
	assert_int_equal(n, 2);
	assert_string_equal(days[1].date, "2027-02-06");
	assert_int_equal(rows[1], 4);
	memset(&why, 0, sizeof(why));
	assert_int_equal(calendar_parse(json, sizeof(json) - 1, days, rows, &n, ref,
	    sizeof(ref), &why), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ref, "国办发明电〔2026〕号");
	memset(&why, 0, sizeof(why));
	assert_int_equal(calendar_parse("a,b\n1,2\n", 8, days, rows, &n, ref, sizeof(ref),
	    &why), ERR_INVALID);
	assert_int_equal(why.e[0].row, 1);
	memset(&why, 0, sizeof(why));
	assert_int_equal(calendar_parse("{\"days\":[],\"x\":1}", 17, days, rows, &n, ref,
	    sizeof(ref), &why), ERR_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spring_festival_2025),
		cmocka_unit_test(test_year_ends),
		cmocka_unit_test(test_leap_days),
		cmocka_unit_test(test_add_and_between_agree),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_year_check),
		cmocka_unit_test(test_replace_year),
		cmocka_unit_test(test_due_light),
		cmocka_unit_test(test_parse_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
