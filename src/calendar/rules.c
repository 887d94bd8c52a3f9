/* The calendar's rules on plain data: no store, no HTTP. */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "calendar/calendar.h"

const char *
cal_kind_name(int kind)
{
	return kind == CAL_WORKDAY ? "workday" : kind == CAL_HOLIDAY ? "holiday" : "";
}

int
cal_kind_parse(const char *s)
{
	static const char *const holiday[] = {"holiday", "放假", "休", "休息", "假",
	    "休假", "节假日"};
	static const char *const workday[] = {"workday", "上班", "班", "补班",
	    "工作日", "调休上班"};

	if (!s)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(holiday); i++)
		if (!strcmp(s, holiday[i]))
			return CAL_HOLIDAY;
	for (size_t i = 0; i < ARRAY_LEN(workday); i++)
		if (!strcmp(s, workday[i]))
			return CAL_WORKDAY;
	return 0;
}

static int
weekday_of_day(int64_t day)
{
	/* 1970-01-01 was a Thursday: 1 Monday .. 7 Sunday */
	return (int)(((day % 7) + 7 + 3) % 7) + 1;
}

int
cal_span_workday(const struct cal_span *s, int64_t day)
{
	size_t lo = 0, hi = (size_t)s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->day[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < (size_t)s->n && s->day[lo] == day)
		return s->kind[lo] == CAL_WORKDAY;
	return weekday_of_day(day) <= 5;
}

void
cal_span_note(const struct cal_span *s, struct cal_note *note)
{
	if (!note)
		return;
	note->nmissing = 0;
	for (int i = 0; i < s->nyears && i < CAL_SPAN_YEARS; i++)
		if (!s->known[i])
			note->missing[note->nmissing++] = s->first_year + i;
}

int
cal_why_add(struct cal_whys *w, long row, const char *column, const char *en,
    const char *zh)
{
	if (w->n < CAL_WHY_MAX) {
		w->e[w->n].row = row;
		w->e[w->n].column = column;
		w->e[w->n].en = en;
		w->e[w->n].zh = zh;
		w->n++;
	} else {
		w->more++;
	}
	return ERR_INVALID;
}

static int
by_date(const void *a, const void *b)
{
	return strcmp(((const struct cal_day *)a)->date, ((const struct cal_day *)b)->date);
}

int
cal_year_check(int year, struct cal_day *days, size_t n, const long *rows,
    struct cal_whys *why)
{
	char y[5];

	if (year < 1900 || year > 2199)
		return cal_why_add(why, 0, "year", "the year must be between 1900 and 2199",
		    "年份须在 1900 至 2199 之间");
	if (n > CAL_YEAR_DAYS_MAX)
		return cal_why_add(why, 0, "days", "a year has at most 200 listed days",
		    "一年最多列出 200 天");
	y[0] = (char)('0' + year / 1000);
	y[1] = (char)('0' + year / 100 % 10);
	y[2] = (char)('0' + year / 10 % 10);
	y[3] = (char)('0' + year % 10);
	y[4] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct cal_day *d = &days[i];
		long row = rows ? rows[i] : (long)i + 1;
		size_t chars = utf8_chars(d->name, strlen(d->name));

		if (date_valid(d->date))
			cal_why_add(why, row, "日期", "not a date (YYYY-MM-DD)",
			    "不是有效日期（应为 YYYY-MM-DD）");
		else if (strncmp(d->date, y, 4))
			cal_why_add(why, row, "日期", "the date is not in this year",
			    "日期不在本年度内");
		if (d->kind != CAL_HOLIDAY && d->kind != CAL_WORKDAY)
			cal_why_add(why, row, "类型", "the kind must be 放假 (holiday) or 上班 (workday)",
			    "类型须为“放假”或“上班”");
		else if (d->kind == CAL_WORKDAY && !date_valid(d->date) &&
		    date_weekday(d->date) <= 5)
			cal_why_add(why, row, "类型",
			    "a workday (上班) is listed only on a Saturday or Sunday",
			    "“上班”只用于调休的周六或周日，周一至周五本就是工作日");
		if (chars < 1 || chars > CAL_NAME_MAX || !utf8_valid(d->name, strlen(d->name)))
			cal_why_add(why, row, "名称", "the name must be 1 to 32 characters",
			    "名称须为 1 至 32 个字");
	}
	/* a stable sort would keep rows apart; qsort then a pass for twins,
	 * naming the later row of the two */
	if (n > 1) {
		struct {
			struct cal_day d;
			long row;
		} *tmp = malloc(n * sizeof(*tmp));

		if (!tmp)
			return ERR_NOMEM;
		for (size_t i = 0; i < n; i++) {
			tmp[i].d = days[i];
			tmp[i].row = rows ? rows[i] : (long)i + 1;
		}
		qsort(tmp, n, sizeof(*tmp), by_date);
		for (size_t i = 1; i < n; i++) {
			if (*tmp[i].d.date && !strcmp(tmp[i].d.date, tmp[i - 1].d.date))
				cal_why_add(why, tmp[i].row > tmp[i - 1].row ? tmp[i].row :
				    tmp[i - 1].row, "日期", "this date is listed twice",
				    "该日期重复列出");
		}
		for (size_t i = 0; i < n; i++)
			days[i] = tmp[i].d;
		free(tmp);
	}
	return why->n || why->more ? ERR_INVALID : 0;
}
