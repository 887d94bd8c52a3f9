#include "base/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"

uint64_t
time_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Days since 1970-01-01 to a civil date and back (Howard Hinnant's
 * algorithms, exact for the proleptic Gregorian calendar): lists print two
 * times per row, and gmtime_r + strftime cost more than the row's query. */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	yoe = z - era * 146097;
	yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
	doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t
date_floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

void
time_iso(int64_t epoch, char *out, size_t outlen)
{
	int64_t days, secs;

	/* years 0000..9999 only: outside them ISO needs more digits, and
	 * the day arithmetic below would overflow near INT64_MIN */
	if (epoch < -62167219200LL || epoch > 253402300799LL) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	days = epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400;
	secs = epoch - days * 86400;
	if (outlen < 21) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	date_from_days(days, out);
	if (!out[0])
		return;
	{
		int hh = (int)(secs / 3600), mi = (int)(secs / 60 % 60), ss = (int)(secs % 60);
		out[10] = 'T';
		out[11] = (char)('0' + hh / 10);
		out[12] = (char)('0' + hh % 10);
		out[13] = ':';
		out[14] = (char)('0' + mi / 10);
		out[15] = (char)('0' + mi % 10);
		out[16] = ':';
		out[17] = (char)('0' + ss / 10);
		out[18] = (char)('0' + ss % 10);
		out[19] = 'Z';
		out[20] = '\0';
	}
}

static int
days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
date_valid(const char *s)
{
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return ERR_INVALID;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return ERR_INVALID;
	if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return ERR_INVALID;
	return 0;
}

int64_t
date_days(const char *date)
{
	if (!date || date_valid(date))
		return INT64_MIN;
	return days_from_civil((date[0] - '0') * 1000 + (date[1] - '0') * 100 +
	    (date[2] - '0') * 10 + (date[3] - '0'), (date[5] - '0') * 10 +
	    (date[6] - '0'), (date[8] - '0') * 10 + (date[9] - '0'));
}

void
date_from_days(int64_t days, char out[11])
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		out[0] = '\0';
		return;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int
date_add(const char *date, int64_t days, char out[11])
{
	int64_t z = date_days(date);

	if (z == INT64_MIN || days > 100000 || days < -100000)
		return ERR_INVALID;
	date_from_days(z + days, out);
	return date_valid(out) ? ERR_INVALID : 0;
}

int
date_weekday(const char *date)
{
	int64_t z = date_days(date);

	if (z == INT64_MIN)
		return 0;
	/* 1970-01-01 was a Thursday (4) */
	return (int)((z % 7 + 7 + 3) % 7) + 1;
}

static int
digits_at(const char **pp, int min, int max, int *out)
{
	const char *p = *pp;
	int v = 0, k = 0;

	while (k < max && p[k] >= '0' && p[k] <= '9') {
		v = v * 10 + (p[k] - '0');
		k++;
	}
	if (k < min)
		return -1;
	*pp = p + k;
	*out = v;
	return 0;
}

static int
skip_lit(const char **pp, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*pp, lit, n))
		return 0;
	*pp += n;
	return 1;
}

/* Dates as officials type them: 2020-01-05, 2020-1-5, 2020/1/5, 2020.1.5,
 * 20200105 and 2020年1月5日, with a trailing time as Excel writes for
 * date-time cells ("2020/1/5 0:00"). */
int
date_parse_loose(const char *s, char out[11])
{
	const char *p = s;
	int y, m, d, cn = 0;

	if (digits_at(&p, 4, 4, &y))
		return ERR_INVALID;
	if (*p >= '0' && *p <= '9') {
		if (digits_at(&p, 2, 2, &m) || digits_at(&p, 2, 2, &d))
			return ERR_INVALID;
	} else {
		char sep = *p;

		if (sep == '-' || sep == '/' || sep == '.')
			p++;
		else if (skip_lit(&p, "年"))
			cn = 1;
		else
			return ERR_INVALID;
		if (digits_at(&p, 1, 2, &m))
			return ERR_INVALID;
		if (cn ? !skip_lit(&p, "月") : *p++ != sep)
			return ERR_INVALID;
		if (digits_at(&p, 1, 2, &d))
			return ERR_INVALID;
		if (cn && !skip_lit(&p, "日"))
			skip_lit(&p, "号");
	}
	if (*p == ' ') {
		/* A time of day: digits and colons, as in "0:00" or "00:00:00". */
		size_t k = 0;
		int colon = 0;

		p++;
		for (; p[k]; k++) {
			if (p[k] == ':')
				colon = 1;
			else if (p[k] < '0' || p[k] > '9')
				return ERR_INVALID;
		}
		if (!colon || k < 3 || k > 8)
			return ERR_INVALID;
		p += k;
	}
	if (*p)
		return ERR_INVALID;
	/* digits_at bounds y to 4 digits and m, d to 2 */
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	if (date_valid(out)) {
		out[0] = '\0';
		return ERR_INVALID;
	}
	return 0;
}

int
time_parse_iso(const char *s, int64_t *epoch)
{
	struct tm tm;
	char date[11];
	int hh, mi, ss;

	if (!s || strlen(s) != 20 || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return ERR_INVALID;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (date_valid(date) || digits(s + 11, 2, &hh) ||
	    digits(s + 14, 2, &mi) || digits(s + 17, 2, &ss) || hh > 23 ||
	    mi > 59 || ss > 59)
		return ERR_INVALID;
	memset(&tm, 0, sizeof(tm));
	digits(s, 4, &tm.tm_year);
	tm.tm_year -= 1900;
	digits(s + 5, 2, &tm.tm_mon);
	tm.tm_mon -= 1;
	digits(s + 8, 2, &tm.tm_mday);
	tm.tm_hour = hh;
	tm.tm_min = mi;
	tm.tm_sec = ss;
	*epoch = (int64_t)timegm(&tm);
	return 0;
}

size_t
utf8_seq_len_(const unsigned char *s, size_t avail)
{
	size_t need, k;
	uint32_t cp;

	if (!avail)
		return 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 1; cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2; cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3; cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (avail <= need)
		return 0;
	for (k = 1; k <= need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	/* overlongs, surrogates, beyond U+10FFFF */
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return need + 1;
}

int
utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned char c;
		size_t need;

		/* ASCII runs eight bytes at a time: no high bit, no NUL */
		while (i + 8 <= n) {
			uint64_t v;
			memcpy(&v, s + i, 8);
			if ((v & 0x8080808080808080u) ||
			    ((v - 0x0101010101010101u) & ~v & 0x8080808080808080u))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		c = s[i];
		if (c < 0x80) {
			if (c == 0)
				return 0;     /* NUL has no place in our text */
			i++;
			continue;
		}
		need = utf8_seq_len(s + i, n - i);
		if (!need)
			return 0;
		i += need;
	}
	return 1;
}

size_t
utf8_chars(const char *s, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			count++;
	return count;
}

int
array_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t want;
	void *more;

	if (n < *cap)
		return 0;
	want = *cap ? *cap * 2 : 16;
	if (want < *cap || (elem && want > SIZE_MAX / elem))
		return ERR_NOMEM;
	if (!(more = realloc(*arr, want * elem)))
		return ERR_NOMEM;
	*arr = more;
	*cap = want;
	return 0;
}

int
utf8_cut(char *dst, size_t n, const char *src, size_t max_chars)
{
	size_t at = 0, chars = 0;

	if (n == 0)
		return 1;
	/* a continuation byte never starts a character: stop before a lead */
	while (src[at]) {
		size_t next = at + 1;

		while (((unsigned char)src[next] & 0xc0) == 0x80)
			next++;
		if (chars == max_chars || next >= n)
			break;
		at = next;
		chars++;
	}
	memcpy(dst, src, at);
	dst[at] = '\0';
	return src[at] != '\0';
}

int
parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;
	size_t i, n;

	if (!s || !*s)
		return ERR_INVALID;
	n = strlen(s);
	if (n > 20)
		return ERR_INVALID;
	for (i = 0; i < n; i++) {
		if (!(s[i] >= '0' && s[i] <= '9') && !(i == 0 && s[i] == '-'))
			return ERR_INVALID;
	}
	if (s[0] == '-' && n == 1)
		return ERR_INVALID;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return ERR_INVALID;
	*out = (int64_t)v;
	return 0;
}

int
str_copy(char *dst, size_t dstlen, const char *src)
{
	size_t n;

	if (dstlen == 0)
		return ERR_TOOBIG;
	n = strlen(src);
	if (n >= dstlen) {
		memcpy(dst, src, dstlen - 1);
		dst[dstlen - 1] = '\0';
		return ERR_TOOBIG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

void
hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
b64url_encode(const unsigned char *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
	}
	out[o] = '\0';
	return o;
}

/* Decoding a job's sealed file runs per byte of the file: a table. */
static const signed char b64vals[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
	-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

static int
b64val(char c)
{
	return b64vals[(unsigned char)c];
}

long
b64url_decode(const char *in, size_t n, unsigned char *out, size_t outcap)
{
	size_t i, o = 0;
	uint32_t acc = 0;
	int bits = 0;

	if (n % 4 == 1)
		return -1;
	for (i = 0; i < n; i++) {
		int v = b64val(in[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= outcap)
				return -1;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* non-canonical leftover bits are refused so one value has one spelling */
	if (acc != 0)
		return -1;
	return (long)o;
}

int
like_contains(const char *q, char *out, size_t n)
{
	size_t o = 0;

	if (n < 3)
		return ERR_TOOBIG;
	out[o++] = '%';
	for (; *q; q++) {
		if (o + 4 > n)
			return ERR_TOOBIG;
		if (*q == '%' || *q == '_' || *q == '!')
			out[o++] = '!';
		out[o++] = *q;
	}
	out[o++] = '%';
	out[o] = '\0';
	return 0;
}

int
temp_file(const char *prefix, char *out, size_t n)
{
	const char *dir = getenv("TMPDIR");
	int fd, len;

	len = snprintf(out, n, "%s/%s-XXXXXX", dir && *dir ? dir : "/tmp", prefix);
	if (len < 0 || (size_t)len >= n)
		return ERR_TOOBIG;
	fd = mkstemp(out);
	if (fd < 0)
		return ERR_IO;
	close(fd);
	return 0;
}
