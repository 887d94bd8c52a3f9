/* src/base/clock.h and the day arithmetic of src/base/util.h: the one
 * clock (China Standard Time dates, a test clock only behind its switch)
 * and dates across month, year and leap-day boundaries. Expected values
 * come from the calendar, not from the code under test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"

static void
unset_clock_env(void)
{
	unsetenv("CHANGAI_TODAY");
	unsetenv("CHANGAI_NOW");
	unsetenv("CHANGAI_TEST_CLOCK");
}

static void
test_days_round_trip(void **state)
{
	static const struct {
		const char *date;
		int64_t days;
		int weekday;
	} v[] = {
		{"1970-01-01", 0, 4},          /* a Thursday */
		{"1969-12-31", -1, 3},
		{"2000-02-29", 11016, 2},
		{"2024-02-29", 19782, 4},
		{"2026-01-04", 20457, 7},      /* the Sunday worked after 元旦 2026 */
		{"2026-12-03", 20790, 4},
		{"2028-02-29", 21243, 2},
		{"2030-12-31", 22279, 2},
	};
	char out[11];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(date_days(v[i].date), v[i].days);
		date_from_days(v[i].days, out);
		assert_string_equal(out, v[i].date);
		assert_int_equal(date_weekday(v[i].date), v[i].weekday);
	}
	assert_true(date_days("2026-02-29") == INT64_MIN);
	assert_true(date_days(NULL) == INT64_MIN);
	assert_int_equal(date_weekday("2026-13-01"), 0);
}

static void
test_date_add(void **state)
{
	char out[11];

	(void)state;
	assert_int_equal(date_add("2027-12-31", 1, out), 0);
	assert_string_equal(out, "2028-01-01");
	assert_int_equal(date_add("2028-02-28", 1, out), 0);
	assert_string_equal(out, "2028-02-29");
	assert_int_equal(date_add("2028-03-01", -1, out), 0);
	assert_string_equal(out, "2028-02-29");
	assert_int_equal(date_add("2027-03-01", -1, out), 0);
	assert_string_equal(out, "2027-02-28");
	assert_int_equal(date_add("2026-06-30", 184, out), 0);
	assert_string_equal(out, "2026-12-31");
	assert_int_equal(date_add("2026-02-30", 1, out), ERR_INVALID);
	/* out of the years date_valid accepts */
	assert_int_equal(date_add("2199-12-31", 1, out), ERR_INVALID);
	assert_int_equal(date_add("2026-01-01", 1000000, out), ERR_INVALID);
}

static void
test_date_parse_loose(void **state)
{
	char out[11];

	(void)state;
	assert_int_equal(date_parse_loose("2026-1-4", out), 0);
	assert_string_equal(out, "2026-01-04");
	assert_int_equal(date_parse_loose("2026/10/1", out), 0);
	assert_string_equal(out, "2026-10-01");
	assert_int_equal(date_parse_loose("2026年2月15日", out), 0);
	assert_string_equal(out, "2026-02-15");
	assert_int_equal(date_parse_loose("20260501", out), 0);
	assert_string_equal(out, "2026-05-01");
	assert_int_equal(date_parse_loose("2026/5/9 0:00", out), 0);
	assert_string_equal(out, "2026-05-09");
	assert_int_equal(date_parse_loose("2026-2-29", out), ERR_INVALID);
	assert_int_equal(date_parse_loose("2026-02", out), ERR_INVALID);
	assert_int_equal(date_parse_loose("明天", out), ERR_INVALID);
}

/* Business dates are China Standard Time: 16:00 UTC is midnight in Ningbo. */
static void
test_today_is_china_time(void **state)
{
	char d[11];
	int64_t nye = date_days("2026-12-31") * 86400;

	(void)state;
	clock_set(nye + 15 * 3600 + 59 * 60);      /* 23:59 in China */
	clock_today(d);
	assert_string_equal(d, "2026-12-31");
	assert_int_equal(clock_year(), 2026);
	clock_set(nye + 16 * 3600);                /* 00:00 on 1 January */
	clock_today(d);
	assert_string_equal(d, "2027-01-01");
	assert_int_equal(clock_year(), 2027);
	clock_date_of(date_days("2028-02-28") * 86400 + 16 * 3600, d);
	assert_string_equal(d, "2028-02-29");
	/* before 1970 the division rounds down, not towards zero */
	clock_date_of(-1, d);
	assert_string_equal(d, "1970-01-01");
	clock_date_of(-8 * 3600 - 1, d);
	assert_string_equal(d, "1969-12-31");
	assert_true(clock_is_set());
}

/* A set clock runs on at real speed from the set instant. */
static void
test_set_clock_runs_on(void **state)
{
	int64_t at = date_days("2028-02-29") * 86400, a, b;

	(void)state;
	clock_set(at);
	a = clock_now();
	b = clock_real();
	assert_true(a >= at && a <= at + 2);
	assert_true(clock_offset() <= at - b + 2 && clock_offset() >= at - b - 2);
}

static void
test_init_needs_the_switch(void **state)
{
	char d[11];

	(void)state;
	unset_clock_env();
	assert_int_equal(clock_init(), 0);
	setenv("CHANGAI_TODAY", "2027-06-30", 1);
	assert_int_equal(clock_init(), ERR_INVALID);     /* no switch */
	setenv("CHANGAI_TEST_CLOCK", "yes", 1);
	assert_int_equal(clock_init(), ERR_INVALID);     /* only "1" */
	setenv("CHANGAI_TEST_CLOCK", "1", 1);
	assert_int_equal(clock_init(), 0);
	clock_today(d);
	assert_string_equal(d, "2027-06-30");
	assert_true(clock_is_set());
	setenv("CHANGAI_NOW", "2027-06-30T20:00:00Z", 1);
	assert_int_equal(clock_init(), ERR_INVALID);     /* both */
	unsetenv("CHANGAI_TODAY");
	assert_int_equal(clock_init(), 0);
	clock_today(d);
	assert_string_equal(d, "2027-07-01");           /* 04:00 next day in China */
	setenv("CHANGAI_NOW", "2027-06-30", 1);
	assert_int_equal(clock_init(), ERR_INVALID);
	unsetenv("CHANGAI_NOW");
	setenv("CHANGAI_TODAY", "2027-02-29", 1);
	assert_int_equal(clock_init(), ERR_INVALID);
	unset_clock_env();
}

/* What a file made for people says of when: China's clock, to the minute,
 * across the UTC day line and before 1970. */
static void
test_local_minute_is_china_time(void **state)
{
	char out[17];

	(void)state;
	clock_local_minute(0, out);
	assert_string_equal(out, "1970-01-01 08:00");
	clock_local_minute(1764950399, out);        /* 2025-12-05T15:59:59Z */
	assert_string_equal(out, "2025-12-05 23:59");
	clock_local_minute(1764950400, out);        /* 16:00Z: the next day */
	assert_string_equal(out, "2025-12-06 00:00");
	clock_local_minute(-28800 - 60, out);
	assert_string_equal(out, "1969-12-31 23:59");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_round_trip),
		cmocka_unit_test(test_date_add),
		cmocka_unit_test(test_date_parse_loose),
		cmocka_unit_test(test_today_is_china_time),
		cmocka_unit_test(test_local_minute_is_china_time),
		cmocka_unit_test(test_set_clock_runs_on),
		cmocka_unit_test(test_init_needs_the_switch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
