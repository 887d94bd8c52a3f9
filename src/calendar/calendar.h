/* The working-day calendar (工作日历): which days are working days.
 *
 * A day is a working day when it is Monday to Friday, unless the store
 * lists it as a holiday; a Saturday or Sunday listed as a workday (调休上班)
 * is one too. The store keeps each year's exceptions as the State
 * Council's notice publishes them; a year without data falls back to
 * Monday to Friday, and the functions below say which years did, so the
 * console can warn the admin.
 *
 * Statutory clocks (3 working days to accept a case), 公示 windows and
 * due dates count on these functions; nothing counts "Mon–Fri" itself. */
#ifndef CHANGAI_CALENDAR_H
#define CHANGAI_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

struct db_conn;

enum cal_kind { CAL_HOLIDAY = 1, CAL_WORKDAY = 2 };

#define CAL_NAME_MAX 32                 /* characters */
#define CAL_YEAR_DAYS_MAX 200           /* exceptions in one year */
#define CAL_ADD_MAX 1000                /* working days one call may count */
#define CAL_SPAN_YEARS 8
#define CAL_SPAN_DAYS_MAX (CAL_SPAN_YEARS * CAL_YEAR_DAYS_MAX)

struct cal_day {
	char date[11];
	int kind;                           /* enum cal_kind */
	char name[CAL_NAME_MAX * 4 + 1];
};

/* What a count leaned on: the years in its range that have no data and
 * were taken as Monday to Friday. */
struct cal_note {
	int nmissing;
	int missing[CAL_SPAN_YEARS];
};

/* ---- pure rules (rules.c) ---- */

/* The exceptions of a span of days, sorted by day. */
struct cal_span {
	int64_t first, last;                /* day numbers covered */
	int first_year, nyears;
	unsigned char known[CAL_SPAN_YEARS];
	int n;
	int64_t day[CAL_SPAN_DAYS_MAX];
	unsigned char kind[CAL_SPAN_DAYS_MAX];
};

const char *cal_kind_name(int kind);            /* holiday workday */
/* "holiday"/"workday" or the words officials write: 放假 休 休息 假 / 上班
 * 班 补班 工作日; 0 when unknown. */
int cal_kind_parse(const char *s);
/* Whether day (a day number inside the span) is a working day. */
int cal_span_workday(const struct cal_span *s, int64_t day);
void cal_span_note(const struct cal_span *s, struct cal_note *note);

/* Why a year's list is refused: the row (1-based; 0 for the list as a
 * whole), the column in the import's words, and the reason. */
struct cal_why {
	long row;
	const char *column;                 /* 日期 类型 名称 */
	const char *en, *zh;
};
/* Every reason found, so an official fixes the whole file at once. */
#define CAL_WHY_MAX 50
struct cal_whys {
	int n;
	int more;                           /* reasons beyond CAL_WHY_MAX */
	struct cal_why e[CAL_WHY_MAX];
};
/* Records one reason; returns ERR_INVALID. */
int cal_why_add(struct cal_whys *w, long row, const char *column, const char *en,
    const char *zh);
/* Checks one year's exceptions: every date real and in `year`, a kind,
 * a name of 1..32 characters, no date twice, a workday only on a Saturday
 * or Sunday (a Monday to Friday is one already). Sorts days by date.
 * rows[i] is the row days[i] came from (NULL: i + 1). 0 or ERR_INVALID
 * with every reason in *why. */
int cal_year_check(int year, struct cal_day *days, size_t n, const long *rows,
    struct cal_whys *why);

/* ---- the store (calendar.c) ---- */

/* 1 when date is a working day into *yes; ERR_INVALID for a bad date. */
int is_workday(struct db_conn *c, const char *date, int *yes,
    struct cal_note *note);
/* The n-th working day after `from` (0 <= n <= CAL_ADD_MAX): n = 0 gives
 * `from` itself when it is a working day, else the next one. */
int workdays_add(struct db_conn *c, const char *from, int64_t n, char out[11],
    struct cal_note *note);
/* The working days d with from < d <= to (negative when to < from), so
 * workdays_between(from, workdays_add(from, n)) == n for n >= 1 when
 * `from` is a working day. At most CAL_SPAN_YEARS years apart. */
int workdays_between(struct db_conn *c, const char *from, const char *to,
    int64_t *n, struct cal_note *note);

/* A statutory clock: due = workdays_add(start, n), and its light as the
 * plans show one (green done, red past due and not done, yellow due within
 * due_soon working days and not done, else grey until started, green). */
struct cal_due {
	char due[11];
	int64_t workdays_left;              /* working days from today to due */
	const char *light;                  /* green yellow red grey */
};
int cal_due_light(struct db_conn *c, const char *start, int64_t n,
    const char *today, int done, int started, int64_t due_soon, struct cal_due *out,
    struct cal_note *note);

struct cal_year_info {
	int year;
	char source[16];                    /* seeded imported missing */
	char reference[400];
	int64_t updated, updated_by;
	size_t n;                           /* days listed */
};
struct cal_year {
	struct cal_year_info info;
	struct cal_day days[CAL_YEAR_DAYS_MAX];
};
/* A year's exceptions (source "missing" and no days when absent). */
int calendar_year_get(struct db_conn *c, int year, struct cal_year *out);
/* The years the store holds, ascending, at most max. */
int calendar_years_list(struct db_conn *c, struct cal_year_info *out, size_t max,
    size_t *n);
/* Replaces a year's exceptions in the caller's transaction: checked as
 * cal_year_check does (ERR_INVALID with *why). *before receives how many
 * days the year had (-1 when it had no data). */
int calendar_year_put(struct db_conn *c, int year, struct cal_day *days,
    size_t n, const long *rows, const char *reference, int64_t by,
    struct cal_whys *why, long *before);

/* A year's list from a file as officials keep one, told apart by content:
 * .xlsx or CSV with the columns 日期, 类型 (放假/上班), 名称 (or date,
 * kind, name), or JSON {"days":[{"date","kind","name"}], "reference"}.
 * Fills days/rows (at most CAL_YEAR_DAYS_MAX) and reference (may be "").
 * ERR_INVALID with *why naming the row and column; ERR_TOOBIG over the
 * row limit; ERR_NOMEM. */
int calendar_parse(const char *data, size_t len, struct cal_day *days,
    long *rows, size_t *n, char *reference, size_t reflen, struct cal_whys *why);

#endif
