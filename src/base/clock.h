/* The one clock.
 *
 * Business rules (status lights, due-soon, deadlines, sealing "as of today
 * or earlier", password expiry, notice windows, the demo) read "today" and
 * "now" here and nowhere else. Dates are China Standard Time (UTC+8, the
 * only zone the product serves, without daylight saving), so a Ningbo
 * official working at 07:00 on 1 January sees 1 January.
 *
 * Security timers (session idle and lifetime, throttles, lockouts), the
 * audit trail, jobs and logs keep real time: clock_real().
 *
 * Tests set the business clock: CHANGAI_TODAY=YYYY-MM-DD (09:00 that day)
 * or CHANGAI_NOW=YYYY-MM-DDTHH:MM:SSZ, honoured only together with
 * CHANGAI_TEST_CLOCK=1. A set clock runs on from the set instant at the
 * speed of real time, so records made one after another stay in order. */
#ifndef CHANGAI_CLOCK_H
#define CHANGAI_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Seconds east of UTC of every business date. */
#define CLOCK_ZONE_SECONDS (8 * 3600)

/* Reads the environment once at start. 0; ERR_INVALID with a line on
 * stderr for a malformed value, or for a set clock without the test
 * switch (a production server must never run on a set date). */
int clock_init(void);

/* Business time: UTC epoch seconds. */
int64_t clock_now(void);
/* Business date "YYYY-MM-DD" (UTC+8) into out (11 bytes). */
void clock_today(char out[11]);
/* The business year of today. */
int clock_year(void);
/* The date (UTC+8) of an epoch second, into out (11 bytes). */
void clock_date_of(int64_t epoch, char out[11]);

/* An epoch second as China's clock shows it, "YYYY-MM-DD HH:MM" (17
 * bytes): what a file made for people says of when it was made. */
void clock_local_minute(int64_t epoch, char out[17]);

/* Real time, UTC epoch seconds: for security timers, audit and jobs. */
int64_t clock_real(void);

/* Whether the business clock was set, and by how many seconds it differs
 * from real time (for the start-up log and /metrics). */
int clock_is_set(void);
int64_t clock_offset(void);

/* Sets the business clock to `epoch` now (unit tests and clock_init). */
void clock_set(int64_t epoch);

#endif
