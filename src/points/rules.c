/* The ledger's arithmetic: period keys and ranges, caps, what a rule
 * takes. Nothing here reads the store. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/util.h"
#include "points/points.h"

static int
ymd(const char *date, int *y, int *m)
{
	if (!date || date_valid(date))
		return ERR_INVALID;
	*y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 +
	    (date[3] - '0');
	*m = (date[5] - '0') * 10 + (date[6] - '0');
	return 0;
}

/* the months [first, last] of the period containing month m */
static int
months_of(const char *period, int m, int *first, int *last)
{
	int span;

	if (!strcmp(period, "year"))
		span = 12;
	else if (!strcmp(period, "half"))
		span = 6;
	else if (!strcmp(period, "quarter"))
		span = 3;
	else if (!strcmp(period, "month"))
		span = 1;
	else
		return ERR_INVALID;
	*first = (m - 1) / span * span + 1;
	*last = *first + span - 1;
	return 0;
}

int
points_period_key(const char *date, const char *period, char out[9])
{
	int y, m, first, last, rc;

	if ((rc = ymd(date, &y, &m)) || (rc = months_of(period, m, &first, &last)))
		return rc;
	/* date_valid bounds the year to four digits and the month to 1..12 */
	y %= 10000;
	if (!strcmp(period, "year"))
		snprintf(out, 9, "%04d", y);
	else if (!strcmp(period, "half"))
		snprintf(out, 9, "%04d-H%c", y, first == 1 ? '1' : '2');
	else if (!strcmp(period, "quarter"))
		snprintf(out, 9, "%04d-Q%c", y, (char)('0' + (first + 2) / 3));
	else
		snprintf(out, 9, "%04d-%c%c", y, (char)('0' + m / 10), (char)('0' + m % 10));
	return 0;
}

int
points_period_range(const char *date, const char *period, char from[11], char to[11])
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, first, last, rc, end;

	if ((rc = ymd(date, &y, &m)) || (rc = months_of(period, m, &first, &last)))
		return rc;
	end = mdays[last - 1];
	if (last == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		end = 29;
	snprintf(from, 11, "%04d-%02d-01", y, first);
	snprintf(to, 11, "%04d-%02d-%02d", y, last, end);
	return 0;
}

/* how much of a sum's size is left under a cap (caps 0: no bound) */
static int64_t
room(int64_t cap, int64_t sum)
{
	int64_t used = sum < 0 ? -sum : sum;

	return used >= cap ? 0 : cap - used;
}

int64_t
points_capped(int64_t asked, int64_t day, int64_t period, int64_t lifetime,
    int64_t cap_day, int64_t cap_period, int64_t cap_lifetime)
{
	int64_t size = asked < 0 ? -asked : asked;

	if (cap_day > 0 && room(cap_day, day) < size)
		size = room(cap_day, day);
	if (cap_period > 0 && room(cap_period, period) < size)
		size = room(cap_period, period);
	if (cap_lifetime > 0 && room(cap_lifetime, lifetime) < size)
		size = room(cap_lifetime, lifetime);
	return asked < 0 ? -size : size;
}

int
points_rule_check(const struct points_rule *r, struct why *why)
{
	const struct fact_source *src = NULL;
	int64_t size = r->points < 0 ? -r->points : r->points;
	char key[9];

	if (strcmp(r->holder_kind, "org") && strcmp(r->holder_kind, "worker"))
		return why_refuse(why, ERR_INVALID, "holder_kind", "must be org or worker",
		    "须为 org 或 worker");
	if (strcmp(r->source, POINTS_MANUAL)) {
		if (!(src = fact_source_find(r->source)))
			return why_refuse(why, ERR_INVALID, "source",
			    "no such source: GET /api/v1/points/sources lists them",
			    "没有这一事件来源，可选来源见 GET /api/v1/points/sources");
		if (strcmp(src->holder_kind, r->holder_kind))
			return why_refuse(why, ERR_INVALID, "holder_kind",
			    "the source's facts are about another kind of holder",
			    "该事件来源的积分对象不是这一类");
	} else if (r->has_min) {
		return why_refuse(why, ERR_INVALID, "min_amount",
		    "an award by hand has no amount to compare", "手动加减分没有可比较的数值");
	}
	if (r->points == 0 || size > POINTS_MAX_AWARD)
		return why_refuse(why, ERR_INVALID, "points",
		    "must not be 0, at most 100000 either way", "不能为 0，绝对值不超过 100000");
	if (points_period_key("2026-01-01", r->period, key))
		return why_refuse(why, ERR_INVALID, "period",
		    "must be year, half, quarter or month", "须为 year、half、quarter 或 month");
	if (date_valid(r->starts))
		return why_refuse(why, ERR_INVALID, "starts", "must be a date", "须为日期");
	if (r->ends[0] && (date_valid(r->ends) || strcmp(r->ends, r->starts) < 0))
		return why_refuse(why, ERR_INVALID, "ends", "must be a date on or after starts",
		    "须为不早于开始日期的日期");
	{
		const char *small = r->cap_day && r->cap_day < size ? "cap_day" :
		    r->cap_period && r->cap_period < size ? "cap_period" :
		    r->cap_lifetime && r->cap_lifetime < size ? "cap_lifetime" : NULL;

		if (small)
			return why_refuse(why, ERR_INVALID, small,
			    "a cap smaller than one award would cut every award",
			    "上限小于单次积分，每次都会被截断");
	}
	if ((r->cap_day && r->cap_period && r->cap_day > r->cap_period) ||
	    (r->cap_period && r->cap_lifetime && r->cap_period > r->cap_lifetime))
		return why_refuse(why, ERR_INVALID, "cap_period",
		    "caps must not shrink from day to period to lifetime",
		    "日上限不得大于周期上限，周期上限不得大于累计上限");
	return 0;
}

int
points_rule_takes(const struct points_rule *r, const struct fact *f)
{
	if (strcmp(f->on_date, r->starts) < 0)
		return 0;
	if (r->ends[0] && strcmp(f->on_date, r->ends) > 0)
		return 0;
	return !r->has_min || f->amount >= r->min_amount;
}

void
points_board_first(struct points_board_at *at)
{
	memset(at, 0, sizeof(*at));
	at->points = INT64_MAX;
}

void
points_board_cursor(const struct points_place *last, char out[POINTS_CURSOR_MAX])
{
	snprintf(out, POINTS_CURSOR_MAX, "%lld.%s.%lld.%lld", (long long)last->points,
	    last->reached, (long long)last->holder_id, (long long)last->place);
}

/* one decimal integer field up to '.' or the end; *s moves past it */
static int
cursor_int(const char **s, int64_t min, int64_t *out, int last)
{
	char num[24];
	size_t n = 0;

	while ((*s)[n] && (*s)[n] != '.' && n < sizeof(num) - 1) {
		num[n] = (*s)[n];
		n++;
	}
	if ((*s)[n] && (*s)[n] != '.')
		return ERR_INVALID;
	if (last ? (*s)[n] != '\0' : (*s)[n] != '.')
		return ERR_INVALID;
	num[n] = '\0';
	if (!n || parse_int64(num, min, INT64_MAX - 1, out))
		return ERR_INVALID;
	*s += n + (last ? 0 : 1);
	return 0;
}

int
points_board_cursor_parse(const char *s, struct points_board_at *at)
{
	const char *dot;

	memset(at, 0, sizeof(*at));
	if (!s || strlen(s) >= POINTS_CURSOR_MAX)
		return ERR_INVALID;
	if (cursor_int(&s, -INT64_MAX + 1, &at->points, 0))
		return ERR_INVALID;
	/* the day reached: empty (nothing counted yet) or a date */
	if (!(dot = strchr(s, '.')) || (dot - s != 0 && dot - s != 10))
		return ERR_INVALID;
	memcpy(at->reached, s, (size_t)(dot - s));
	at->reached[dot - s] = '\0';
	if (at->reached[0] && date_valid(at->reached))
		return ERR_INVALID;
	s = dot + 1;
	if (cursor_int(&s, 1, &at->holder_id, 0) || cursor_int(&s, 1, &at->place, 1))
		return ERR_INVALID;
	return 0;
}

/* "all", "2026", "2026-H2", "2026-Q4" or "2026-12" */
int
points_period_key_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 3)
		return !strcmp(s, "all");
	if (n < 4 || !(s[0] >= '1' && s[0] <= '9') || !(s[1] >= '0' && s[1] <= '9') ||
	    !(s[2] >= '0' && s[2] <= '9') || !(s[3] >= '0' && s[3] <= '9'))
		return 0;
	if (n == 4)
		return 1;
	if (n != 7 || s[4] != '-')
		return 0;
	if (s[5] == 'H')
		return s[6] == '1' || s[6] == '2';
	if (s[5] == 'Q')
		return s[6] >= '1' && s[6] <= '4';
	return (s[5] == '0' && s[6] >= '1' && s[6] <= '9') ||
	    (s[5] == '1' && s[6] >= '0' && s[6] <= '2');
}

int
points_period_pick(const char *asked, char out[9], struct why *why)
{
	char today[11];

	if (!asked) {
		clock_today(today);
		return points_period_key(today, "year", out);
	}
	if (!points_period_key_ok(asked))
		return why_refuse(why, ERR_BADREQ, "period",
		    "must be all, a year (2026), a half (2026-H2), a quarter (2026-Q4) or a month "
		    "(2026-12)", "须为 all、年（2026）、半年（2026-H2）、季度（2026-Q4）或月（2026-12）");
	str_copy(out, 9, asked);
	return 0;
}
