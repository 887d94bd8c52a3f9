/* src/points/rules.c: the ledger's arithmetic. Period keys and ranges at
 * their edges (a leap February, a half's boundary), caps either way (a
 * deduction's caps bound how much it takes), and what a rule takes
 * (window and minimum). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/fact.h"
#include "base/util.h"
#include "points/points.h"

static void
period_keys(void **state)
{
	char k[9];

	(void)state;
	assert_int_equal(points_period_key("2026-06-30", "half", k), 0);
	assert_string_equal(k, "2026-H1");
	assert_int_equal(points_period_key("2026-07-01", "half", k), 0);
	assert_string_equal(k, "2026-H2");
	assert_int_equal(points_period_key("2026-03-31", "quarter", k), 0);
	assert_string_equal(k, "2026-Q1");
	assert_int_equal(points_period_key("2026-10-01", "quarter", k), 0);
	assert_string_equal(k, "2026-Q4");
	assert_int_equal(points_period_key("2026-12-31", "month", k), 0);
	assert_string_equal(k, "2026-12");
	assert_int_equal(points_period_key("2026-01-01", "year", k), 0);
	assert_string_equal(k, "2026");
	assert_int_equal(points_period_key("2026-02-30", "year", k), ERR_INVALID);
	assert_int_equal(points_period_key("2026-02-01", "week", k), ERR_INVALID);
}

static void
period_ranges(void **state)
{
	char from[11], to[11];

	(void)state;
	assert_int_equal(points_period_range("2024-02-10", "month", from, to), 0);
	assert_string_equal(from, "2024-02-01");
	assert_string_equal(to, "2024-02-29");
	assert_int_equal(points_period_range("2100-02-10", "month", from, to), 0);
	assert_string_equal(to, "2100-02-28");
	assert_int_equal(points_period_range("2026-08-15", "half", from, to), 0);
	assert_string_equal(from, "2026-07-01");
	assert_string_equal(to, "2026-12-31");
	assert_int_equal(points_period_range("2026-05-15", "quarter", from, to), 0);
	assert_string_equal(from, "2026-04-01");
	assert_string_equal(to, "2026-06-30");
	assert_int_equal(points_period_range("2026-05-15", "year", from, to), 0);
	assert_string_equal(from, "2026-01-01");
	assert_string_equal(to, "2026-12-31");
}

static void
caps(void **state)
{
	(void)state;
	/* no caps: what was asked */
	assert_int_equal(points_capped(10, 1000, 1000, 1000, 0, 0, 0), 10);
	/* the tightest cap decides, and a cap reached leaves nothing */
	assert_int_equal(points_capped(10, 0, 20, 0, 0, 25, 0), 5);
	assert_int_equal(points_capped(10, 8, 0, 0, 15, 0, 0), 7);
	assert_int_equal(points_capped(10, 0, 0, 95, 0, 0, 100), 5);
	assert_int_equal(points_capped(10, 0, 25, 0, 0, 25, 0), 0);
	assert_int_equal(points_capped(10, 0, 30, 0, 0, 25, 0), 0);
	/* a deduction's caps bound how much it takes away */
	assert_int_equal(points_capped(-20, 0, -30, 0, 0, 40, 0), -10);
	assert_int_equal(points_capped(-20, 0, -40, 0, 0, 40, 0), 0);
	/* a reversal gave room back: the sum, not the count, is capped */
	assert_int_equal(points_capped(10, 0, 15, 0, 0, 25, 0), 10);
}

static void
rule_base(struct points_rule *r)
{
	memset(r, 0, sizeof(*r));
	str_copy(r->holder_kind, sizeof(r->holder_kind), "org");
	str_copy(r->source, sizeof(r->source), POINTS_MANUAL);
	str_copy(r->period, sizeof(r->period), "year");
	str_copy(r->starts, sizeof(r->starts), "2026-01-01");
	str_copy(r->state, sizeof(r->state), "active");
	r->points = 10;
}

static void
rule_checks(void **state)
{
	struct points_rule r;
	struct why why = {0};

	(void)state;
	rule_base(&r);
	assert_int_equal(points_rule_check(&r, &why), 0);
	r.points = 0;
	assert_int_equal(points_rule_check(&r, &why), ERR_INVALID);
	assert_string_equal(why.field, "points");
	rule_base(&r);
	r.cap_day = 5;
	assert_int_equal(points_rule_check(&r, &why), ERR_INVALID);
	assert_string_equal(why.field, "cap_day");
	rule_base(&r);
	r.cap_period = 50;
	r.cap_lifetime = 40;
	assert_int_equal(points_rule_check(&r, &why), ERR_INVALID);
	assert_string_equal(why.field, "cap_period");
	rule_base(&r);
	str_copy(r.ends, sizeof(r.ends), "2025-12-31");
	assert_int_equal(points_rule_check(&r, &why), ERR_INVALID);
	assert_string_equal(why.field, "ends");
	rule_base(&r);
	str_copy(r.source, sizeof(r.source), "no.such");
	assert_int_equal(points_rule_check(&r, &why), ERR_INVALID);
	assert_string_equal(why.field, "source");
	rule_base(&r);
	r.has_min = 1;
	assert_int_equal(points_rule_check(&r, &why), ERR_INVALID);
	assert_string_equal(why.field, "min_amount");
	rule_base(&r);
	str_copy(r.period, sizeof(r.period), "week");
	assert_int_equal(points_rule_check(&r, &why), ERR_INVALID);
	assert_string_equal(why.field, "period");
}

static void
rule_takes(void **state)
{
	struct points_rule r;
	struct fact f;

	(void)state;
	rule_base(&r);
	str_copy(r.ends, sizeof(r.ends), "2026-06-30");
	r.has_min = 1;
	r.min_amount = 3;
	memset(&f, 0, sizeof(f));
	str_copy(f.on_date, sizeof(f.on_date), "2026-01-01");
	f.amount = 3;
	assert_true(points_rule_takes(&r, &f));
	f.amount = 2.999;
	assert_false(points_rule_takes(&r, &f));
	f.amount = 4;
	str_copy(f.on_date, sizeof(f.on_date), "2025-12-31");
	assert_false(points_rule_takes(&r, &f));
	str_copy(f.on_date, sizeof(f.on_date), "2026-06-30");
	assert_true(points_rule_takes(&r, &f));
	str_copy(f.on_date, sizeof(f.on_date), "2026-07-01");
	assert_false(points_rule_takes(&r, &f));
	r.ends[0] = '\0';
	assert_true(points_rule_takes(&r, &f));
}

static void
board_cursor(void **state)
{
	struct points_place last;
	struct points_board_at at;
	char text[POINTS_CURSOR_MAX];

	(void)state;
	memset(&last, 0, sizeof(last));
	last.points = -20;
	str_copy(last.reached, sizeof(last.reached), "2026-03-01");
	last.holder_id = 77;
	last.place = 50;
	points_board_cursor(&last, text);
	assert_string_equal(text, "-20.2026-03-01.77.50");
	assert_int_equal(points_board_cursor_parse(text, &at), 0);
	assert_int_equal(at.points, -20);
	assert_string_equal(at.reached, "2026-03-01");
	assert_int_equal(at.holder_id, 77);
	assert_int_equal(at.place, 50);
	/* a holder that reached nothing yet (only capped entries) */
	assert_int_equal(points_board_cursor_parse("0..5.1", &at), 0);
	assert_string_equal(at.reached, "");
	points_board_first(&at);
	assert_int_equal(at.points, INT64_MAX);
	static const char *const bad[] = {
		"", ".", "1.2026-03-01.5", "1.2026-03-01.5.0", "1.2026-02-30.5.1",
		"1.2026-3-1.5.1", "x.2026-03-01.5.1", "1.2026-03-01.5.1.", "1..0.1",
		"1.2026-03-01.5.1x", "99999999999999999999.2026-03-01.5.1", NULL,
	};
	for (size_t i = 0; bad[i]; i++)
		assert_int_equal(points_board_cursor_parse(bad[i], &at), ERR_INVALID);
}

static void
grant_at(struct principal *p, unsigned role, const char *path)
{
	struct grant *g = &p->grants[p->ngrants++];

	memset(g, 0, sizeof(*g));
	g->role = role;
	str_copy(g->path, sizeof(g->path), path);
}

static void
may_write(void **state)
{
	struct principal street, ent, city;

	(void)state;
	memset(&street, 0, sizeof(street));
	memset(&ent, 0, sizeof(ent));
	memset(&city, 0, sizeof(city));
	grant_at(&street, ROLE_OPERATOR, "/1/2/5/");
	grant_at(&ent, ROLE_OPERATOR, "/1/2/5/9/");
	grant_at(&city, ROLE_ADMIN, "/1/");
	/* a street scores its enterprises, not itself */
	assert_true(points_may_write(&street, "org", "/1/2/5/9/"));
	assert_false(points_may_write(&street, "org", "/1/2/5/"));
	/* an enterprise never scores itself; it scores its own workers */
	assert_false(points_may_write(&ent, "org", "/1/2/5/9/"));
	assert_true(points_may_write(&ent, "worker", "/1/2/5/9/"));
	assert_false(points_may_write(&ent, "worker", "/1/2/5/10/"));
	/* the city scores its districts; nobody scores the city */
	assert_true(points_may_write(&city, "org", "/1/2/"));
	assert_false(points_may_write(&city, "org", "/1/"));
	/* a path prefix is not a parent: /1/2/5/ is not above /1/2/50/ */
	assert_false(points_may_write(&street, "org", "/1/2/50/"));
	/* a viewer writes nothing */
	memset(&street, 0, sizeof(street));
	grant_at(&street, ROLE_VIEWER, "/1/2/5/");
	assert_false(points_may_write(&street, "org", "/1/2/5/9/"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(period_keys),
		cmocka_unit_test(period_ranges),
		cmocka_unit_test(caps),
		cmocka_unit_test(rule_checks),
		cmocka_unit_test(rule_takes),
		cmocka_unit_test(board_cursor),
		cmocka_unit_test(may_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
