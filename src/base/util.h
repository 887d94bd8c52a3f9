/* Small helpers with no knowledge of the domain: time, UTF-8, strict
 * number parsing, hex and base64url. */
#ifndef CHANGAI_UTIL_H
#define CHANGAI_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Wall time lives in base/clock.h: business "now" and "today" there. */
uint64_t time_mono_ns(void);            /* monotonic, for durations */
/* "2026-01-31T08:00:00Z"; out must hold 21 bytes. */
void time_iso(int64_t epoch, char *out, size_t outlen);
/* Parses the ISO form above (Z only); 0 or ERR_INVALID. */
int time_parse_iso(const char *s, int64_t *epoch);
/* Checks a calendar date "YYYY-MM-DD" (real day, years 1800..2199: the
 * ID-number test vectors include births in the 1880s). */
int date_valid(const char *s);
/* A date as officials type it (2020-01-05, 2020-1-5, 2020/1/5, 2020.1.5,
 * 20200105, 2020年1月5日, with an optional time as Excel writes for
 * date-time cells) as YYYY-MM-DD; ERR_INVALID when it is not a real day.
 * Full-width digits must be folded first. */
int date_parse_loose(const char *s, char out[11]);
/* Days since 1970-01-01 of a valid date, or INT64_MIN. */
int64_t date_days(const char *date);
/* The date of a day number into out (11 bytes; "" outside years 0..9999). */
void date_from_days(int64_t days, char out[11]);
/* The date `days` after `date` (negative: before); ERR_INVALID when either
 * is not a date date_valid accepts. */
int date_add(const char *date, int64_t days, char out[11]);
/* ISO weekday of a valid date: 1 Monday .. 7 Sunday; 0 if invalid. */
int date_weekday(const char *date);
/* a / b rounded towards minus infinity (b > 0). */
int64_t date_floor_div(int64_t a, int64_t b);

int utf8_valid(const char *s, size_t n);
/* Length (2-4) of the well-formed multi-byte UTF-8 sequence that starts at
 * s, of avail bytes at most; 0 if it is not one (overlong, surrogate, past
 * U+10FFFF, truncated, or not a lead byte). */
size_t utf8_seq_len_(const unsigned char *s, size_t avail);
static inline size_t
utf8_seq_len(const unsigned char *s, size_t avail)
{
	/* most Chinese text: a lead byte all of whose continuations are
	 * valid (E0 and ED have overlong and surrogate ranges), inline */
	if (avail >= 3 && s[0] >= 0xe1 && s[0] <= 0xef && s[0] != 0xed &&
	    (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80)
		return 3;
	return utf8_seq_len_(s, avail);
}
/* Number of code points in valid UTF-8. */
size_t utf8_chars(const char *s, size_t n);
/* Copies the first max_chars code points of valid UTF-8 src into dst (n
 * bytes, never a split character); 1 when src was longer, else 0. */
int utf8_cut(char *dst, size_t n, const char *src, size_t max_chars);

/* Whole-string decimal integer with bounds; rejects "", "+1", " 1", "1x". */
int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Room for one more element at index n of *arr (elem bytes each): when
 * n reaches *cap, doubles it (from 16). 0, or ERR_NOMEM with *arr and
 * *cap as they were. */
int array_grow(void **arr, size_t *cap, size_t n, size_t elem);

/* Copies at most dstlen-1 bytes and NUL-terminates; returns ERR_TOOBIG on
 * truncation (the truncated copy is still terminated). */
int str_copy(char *dst, size_t dstlen, const char *src);

/* A LIKE pattern matching `q` anywhere: %q% with % _ and ! escaped by '!'
 * (statements say ESCAPE '!'). ERR_TOOBIG when out cannot hold it, rather
 * than a pattern cut mid-character. */
int like_contains(const char *q, char *out, size_t n);

/* Creates an empty temporary file (under TMPDIR or /tmp) and writes its
 * path to out; the caller removes it. */
int temp_file(const char *prefix, char *out, size_t n);

void hex_encode(const unsigned char *in, size_t n, char *out); /* out: 2n+1 */
/* base64url without padding; out must hold 4*ceil(n/3)+1. */
size_t b64url_encode(const unsigned char *in, size_t n, char *out);
/* Returns decoded length or -1 on a bad character / length. */
long b64url_decode(const char *in, size_t n, unsigned char *out, size_t outcap);

#endif
