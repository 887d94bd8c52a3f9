#include "base/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "base/util.h"

/* Seconds added to real time; set once at start, read by every thread. */
static _Atomic int64_t offset;
static atomic_int is_set;

int64_t
clock_real(void)
{
	return (int64_t)time(NULL);
}

int64_t
clock_now(void)
{
	return clock_real() + atomic_load_explicit(&offset, memory_order_relaxed);
}

void
clock_date_of(int64_t epoch, char out[11])
{
	date_from_days(date_floor_div(epoch + CLOCK_ZONE_SECONDS, 86400), out);
}

void
clock_local_minute(int64_t epoch, char out[17])
{
	int64_t secs = epoch + CLOCK_ZONE_SECONDS;
	int64_t day = date_floor_div(secs, 86400), in_day = secs - day * 86400;

	int h = (int)(in_day / 3600), m = (int)(in_day / 60 % 60);

	date_from_days(day, out);
	out[10] = ' ';
	out[11] = (char)('0' + h / 10);
	out[12] = (char)('0' + h % 10);
	out[13] = ':';
	out[14] = (char)('0' + m / 10);
	out[15] = (char)('0' + m % 10);
	out[16] = '\0';
}

void
clock_today(char out[11])
{
	clock_date_of(clock_now(), out);
}

int
clock_year(void)
{
	char d[11];

	clock_today(d);
	return (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
}

int
clock_is_set(void)
{
	return atomic_load(&is_set);
}

int64_t
clock_offset(void)
{
	return atomic_load(&offset);
}

void
clock_set(int64_t epoch)
{
	atomic_store(&offset, epoch - clock_real());
	atomic_store(&is_set, 1);
}

int
clock_init(void)
{
	const char *today = getenv("CHANGAI_TODAY");
	const char *now = getenv("CHANGAI_NOW");
	const char *sw = getenv("CHANGAI_TEST_CLOCK");
	int64_t epoch;

	if (today && !*today)
		today = NULL;
	if (now && !*now)
		now = NULL;
	if (!today && !now)
		return 0;
	if (!sw || strcmp(sw, "1")) {
		fprintf(stderr, "changai: CHANGAI_TODAY or CHANGAI_NOW is set without "
		    "CHANGAI_TEST_CLOCK=1; a set clock is for tests only\n");
		return ERR_INVALID;
	}
	if (today && now) {
		fprintf(stderr, "changai: set CHANGAI_TODAY or CHANGAI_NOW, not both\n");
		return ERR_INVALID;
	}
	if (today) {
		int64_t day = date_days(today);

		if (day == INT64_MIN) {
			fprintf(stderr, "changai: CHANGAI_TODAY needs a date YYYY-MM-DD\n");
			return ERR_INVALID;
		}
		/* 09:00 in China: the date holds for fifteen hours of testing */
		epoch = day * 86400 + 9 * 3600 - CLOCK_ZONE_SECONDS;
	} else if (time_parse_iso(now, &epoch)) {
		fprintf(stderr, "changai: CHANGAI_NOW needs a time YYYY-MM-DDTHH:MM:SSZ\n");
		return ERR_INVALID;
	}
	clock_set(epoch);
	return 0;
}
