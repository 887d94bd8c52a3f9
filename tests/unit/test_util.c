/* src/base/util.h and src/base/buf.h: the domain-free helpers every parser
 * and writer leans on. Vectors come from the calendar, RFC 3629 (UTF-8)
 * and RFC 4648 (base64), not from the code under test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"

/* ---- dates and times ---- */

static void
test_date_valid_calendar(void **state)
{
	(void)state;
	/* Gregorian leap rules: every 4th year, not centuries, but every 400th. */
	assert_int_equal(date_valid("2024-02-29"), 0);
	assert_int_equal(date_valid("2023-02-29"), ERR_INVALID);
	assert_int_equal(date_valid("1900-02-29"), ERR_INVALID);
	assert_int_equal(date_valid("2000-02-29"), 0);
	assert_int_equal(date_valid("2100-02-29"), ERR_INVALID);
	assert_int_equal(date_valid("2023-02-28"), 0);
	/* month lengths */
	assert_int_equal(date_valid("2023-04-30"), 0);
	assert_int_equal(date_valid("2023-04-31"), ERR_INVALID);
	assert_int_equal(date_valid("2023-12-31"), 0);
	assert_int_equal(date_valid("2023-01-32"), ERR_INVALID);
	assert_int_equal(date_valid("2023-00-10"), ERR_INVALID);
	assert_int_equal(date_valid("2023-13-10"), ERR_INVALID);
	assert_int_equal(date_valid("2023-06-00"), ERR_INVALID);
	/* the documented year window 1800..2199 */
	assert_int_equal(date_valid("1800-01-01"), 0);
	assert_int_equal(date_valid("1880-01-01"), 0);
	assert_int_equal(date_valid("1799-12-31"), ERR_INVALID);
	assert_int_equal(date_valid("2199-12-31"), 0);
	assert_int_equal(date_valid("2200-01-01"), ERR_INVALID);
}

static void
test_date_valid_format(void **state)
{
	(void)state;
	assert_int_equal(date_valid(NULL), ERR_INVALID);
	assert_int_equal(date_valid(""), ERR_INVALID);
	assert_int_equal(date_valid("2024-2-29"), ERR_INVALID);
	assert_int_equal(date_valid("2024-02-9"), ERR_INVALID);
	assert_int_equal(date_valid("2024/02/29"), ERR_INVALID);
	assert_int_equal(date_valid("20240229"), ERR_INVALID);
	assert_int_equal(date_valid("2024-02-29 "), ERR_INVALID);
	assert_int_equal(date_valid(" 2024-02-29"), ERR_INVALID);
	assert_int_equal(date_valid("2024-02-29T00:00:00Z"), ERR_INVALID);
	/* signs and blanks inside the digit fields (strtol would take them) */
	assert_int_equal(date_valid("+024-02-09"), ERR_INVALID);
	assert_int_equal(date_valid("2024-+2-09"), ERR_INVALID);
	assert_int_equal(date_valid("2024- 2-09"), ERR_INVALID);
	assert_int_equal(date_valid("2024-02-x9"), ERR_INVALID);
}

/* The fuzzer found the day arithmetic overflowing near INT64_MIN; times
 * outside years 0000..9999 print as "". */
static void
test_time_iso_extremes(void **state)
{
	char out[32];

	(void)state;
	time_iso(INT64_MIN, out, sizeof(out));
	assert_string_equal(out, "");
	time_iso(INT64_MAX, out, sizeof(out));
	assert_string_equal(out, "");
	time_iso(253402300799LL, out, sizeof(out));
	assert_string_equal(out, "9999-12-31T23:59:59Z");
	time_iso(-1, out, sizeof(out));
	assert_string_equal(out, "1969-12-31T23:59:59Z");
}

static void
test_time_iso_known(void **state)
{
	char out[21];

	(void)state;
	/* the example from API.md */
	time_iso(1769846400, out, sizeof(out));
	assert_string_equal(out, "2026-01-31T08:00:00Z");
	time_iso(0, out, sizeof(out));
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	time_iso(-2208988800LL, out, sizeof(out));
	assert_string_equal(out, "1900-01-01T00:00:00Z");
	/* too small a buffer gives "", never a truncated timestamp */
	time_iso(1769846400, out, 20);
	assert_string_equal(out, "");
}

static void
test_time_round_trip(void **state)
{
	static const struct {
		const char *s;
		int64_t epoch;
	} v[] = {
		{"2026-01-31T08:00:00Z", 1769846400},
		{"2024-02-29T23:59:59Z", 1709251199},
		{"2000-02-29T12:34:56Z", 951827696},
		{"2199-12-31T23:59:59Z", 7258118399LL},
		{"1900-01-01T00:00:00Z", -2208988800LL},
		{"1970-01-01T00:00:00Z", 0},
	};
	char out[21];
	int64_t e;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(v); i++) {
		e = 12345;
		assert_int_equal(time_parse_iso(v[i].s, &e), 0);
		assert_int_equal(e, v[i].epoch);
		time_iso(e, out, sizeof(out));
		assert_string_equal(out, v[i].s);
	}
	/* and the other way round, over a spread of instants */
	for (int64_t t = 0; t < 4000000000LL; t += 123456789) {
		time_iso(t, out, sizeof(out));
		assert_int_equal(time_parse_iso(out, &e), 0);
		assert_int_equal(e, t);
	}
}

static void
test_time_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", "2026-01-31", "2026-01-31T08:00:00", "2026-01-31T08:00:00z",
		"2026-01-31 08:00:00Z", "2026-01-31T08:00:00+08:00",
		"2026-01-31T08:00:00.000Z", "2026-01-31T24:00:00Z",
		"2026-01-31T23:60:00Z", "2026-01-31T23:59:60Z",
		"2026-02-30T08:00:00Z", "1799-12-31T23:59:59Z",
		"2026-01-31T8:00:00ZZ", "2026-01-31T08-00-00Z",
		"2026-01-31T+8:00:00Z", "2026-01-31T08:00:0xZ",
	};
	int64_t e;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		e = 777;
		if (time_parse_iso(bad[i], &e) != ERR_INVALID)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(e, 777);       /* untouched on failure */
	}
	assert_int_equal(time_parse_iso(NULL, &e), ERR_INVALID);
}

/* ---- UTF-8 ---- */

static int
u8(const char *s, size_t n)
{
	return utf8_valid(s, n);
}

static void
test_utf8_valid_accepts(void **state)
{
	(void)state;
	assert_true(u8("", 0));
	assert_true(u8("plain ascii ~", 13));
	assert_true(u8("\xe4\xb8\xad\xe6\x96\x87", 6));          /* 中文 */
	assert_true(u8("\xc2\x80", 2));                          /* U+0080 */
	assert_true(u8("\xdf\xbf", 2));                          /* U+07FF */
	assert_true(u8("\xe0\xa0\x80", 3));                      /* U+0800 */
	assert_true(u8("\xed\x9f\xbf", 3));                      /* U+D7FF */
	assert_true(u8("\xee\x80\x80", 3));                      /* U+E000 */
	assert_true(u8("\xef\xbf\xbf", 3));                      /* U+FFFF */
	assert_true(u8("\xf0\x90\x80\x80", 4));                  /* U+10000 */
	assert_true(u8("\xf0\x9f\x98\x80", 4));                  /* emoji */
	assert_true(u8("\xf4\x8f\xbf\xbf", 4));                  /* U+10FFFF */
	/* n bounds the scan: bytes past it are not looked at */
	assert_true(u8("ab\xff", 2));
}

static void
test_utf8_valid_rejects(void **state)
{
	(void)state;
	/* overlong forms */
	assert_false(u8("\xc0\x80", 2));
	assert_false(u8("\xc1\xbf", 2));
	assert_false(u8("\xe0\x80\x80", 3));
	assert_false(u8("\xe0\x9f\xbf", 3));
	assert_false(u8("\xf0\x80\x80\x80", 4));
	assert_false(u8("\xf0\x8f\xbf\xbf", 4));
	/* UTF-16 surrogates */
	assert_false(u8("\xed\xa0\x80", 3));
	assert_false(u8("\xed\xbf\xbf", 3));
	/* beyond U+10FFFF and bytes that never start a sequence */
	assert_false(u8("\xf4\x90\x80\x80", 4));
	assert_false(u8("\xf5\x80\x80\x80", 4));
	assert_false(u8("\xff", 1));
	assert_false(u8("\xfe", 1));
	/* a continuation byte on its own, or in place of a lead */
	assert_false(u8("\x80", 1));
	assert_false(u8("a\xbf" "b", 3));
	/* truncated sequences, at the end and before ASCII */
	assert_false(u8("\xe4\xb8", 2));
	assert_false(u8("\xe4\xb8" "a", 3));
	assert_false(u8("\xf0\x9f\x98", 3));
	assert_false(u8("\xc2", 1));
	/* cut by n even though the bytes continue in memory */
	assert_false(u8("\xe4\xb8\xad", 2));
	/* NUL has no place in text */
	assert_false(u8("a\0b", 3));
	assert_false(u8("\0", 1));
}

static void
test_utf8_chars(void **state)
{
	(void)state;
	assert_int_equal(utf8_chars("", 0), 0);
	assert_int_equal(utf8_chars("abc", 3), 3);
	assert_int_equal(utf8_chars("\xe4\xb8\xad\xe6\x96\x87" "a", 7), 3);
	assert_int_equal(utf8_chars("\xf0\x9f\x98\x80", 4), 1);
	assert_int_equal(utf8_chars("\xc2\xa9" "x", 3), 2);
}

static void
test_array_grow(void **state)
{
	int *a = NULL;
	size_t cap = 0;

	(void)state;
	/* room for 40 one by one: the capacity doubles from 16 */
	for (size_t n = 0; n < 40; n++) {
		assert_int_equal(array_grow((void **)&a, &cap, n, sizeof(*a)), 0);
		assert_true(cap > n);
		a[n] = (int)n;
	}
	assert_int_equal(cap, 64);
	for (int i = 0; i < 40; i++)
		assert_int_equal(a[i], i);
	/* below the capacity nothing moves */
	assert_int_equal(array_grow((void **)&a, &cap, 10, sizeof(*a)), 0);
	assert_int_equal(cap, 64);
	/* a size that cannot be had leaves the array as it was */
	assert_int_equal(array_grow((void **)&a, &cap, 64, SIZE_MAX / 64), ERR_NOMEM);
	assert_int_equal(cap, 64);
	assert_int_equal(a[39], 39);
	free(a);
}

static void
test_utf8_cut(void **state)
{
	char out[8];

	(void)state;
	/* 中文 is two characters of three bytes each */
	assert_int_equal(utf8_cut(out, sizeof(out), "\xe4\xb8\xad\xe6\x96\x87", 5), 0);
	assert_string_equal(out, "\xe4\xb8\xad\xe6\x96\x87");
	assert_int_equal(utf8_cut(out, sizeof(out), "\xe4\xb8\xad\xe6\x96\x87", 1), 1);
	assert_string_equal(out, "\xe4\xb8\xad");
	/* the buffer ends inside the third character: two are kept, whole */
	assert_int_equal(utf8_cut(out, sizeof(out), "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 9), 1);
	assert_string_equal(out, "\xe4\xb8\xad\xe6\x96\x87");
	assert_int_equal(utf8_cut(out, sizeof(out), "abcdefgh", 9), 1);
	assert_string_equal(out, "abcdefg");
	assert_int_equal(utf8_cut(out, sizeof(out), "", 3), 0);
	assert_string_equal(out, "");
	assert_int_equal(utf8_cut(out, sizeof(out), "abc", 0), 1);
	assert_string_equal(out, "");
	assert_int_equal(utf8_cut(out, 1, "a", 3), 1);
	assert_string_equal(out, "");
}

/* ---- numbers ---- */

static void
test_parse_int64_accepts(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(parse_int64("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_int64("123", 0, 1000, &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(parse_int64("-42", -100, 100, &v), 0);
	assert_int_equal(v, -42);
	assert_int_equal(parse_int64("9223372036854775807", INT64_MIN, INT64_MAX,
	    &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_int64("-9223372036854775808", INT64_MIN, INT64_MAX,
	    &v), 0);
	assert_true(v == INT64_MIN);
	/* The header does not forbid leading zeros and the code takes them as
	 * decimal (never octal): "010" is ten. */
	assert_int_equal(parse_int64("010", 0, 100, &v), 0);
	assert_int_equal(v, 10);
}

static void
test_parse_int64_rejects(void **state)
{
	static const char *const bad[] = {
		"", "+1", " 1", "1 ", "1x", "x1", "-", "--1", "-+1", "0x10",
		"1e3", "1.0", "1,000", "\t1", "1\n", "9223372036854775808",
		"-9223372036854775809", "99999999999999999999999",
	};
	int64_t v = 555;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		if (parse_int64(bad[i], INT64_MIN, INT64_MAX, &v) != ERR_INVALID)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(v, 555);        /* untouched on failure */
	}
	assert_int_equal(parse_int64(NULL, 0, 1, &v), ERR_INVALID);
}

static void
test_parse_int64_bounds(void **state)
{
	int64_t v;

	(void)state;
	/* both ends are inclusive, one past either is refused */
	assert_int_equal(parse_int64("1", 1, 500, &v), 0);
	assert_int_equal(parse_int64("500", 1, 500, &v), 0);
	assert_int_equal(parse_int64("0", 1, 500, &v), ERR_INVALID);
	assert_int_equal(parse_int64("501", 1, 500, &v), ERR_INVALID);
	assert_int_equal(parse_int64("-1", 0, 10, &v), ERR_INVALID);
	assert_int_equal(parse_int64("9007199254740992", 1, 1LL << 53, &v), 0);
	assert_int_equal(parse_int64("9007199254740993", 1, 1LL << 53, &v),
	    ERR_INVALID);
}

/* ---- strings, hex ---- */

static void
test_str_copy(void **state)
{
	char d[6];

	(void)state;
	assert_int_equal(str_copy(d, sizeof(d), "abc"), 0);
	assert_string_equal(d, "abc");
	assert_int_equal(str_copy(d, sizeof(d), "abcde"), 0);   /* exactly fits */
	assert_string_equal(d, "abcde");
	memset(d, 'Z', sizeof(d));
	assert_int_equal(str_copy(d, sizeof(d), "abcdef"), ERR_TOOBIG);
	assert_string_equal(d, "abcde");                          /* terminated */
	assert_int_equal(str_copy(d, 1, "x"), ERR_TOOBIG);
	assert_string_equal(d, "");
	assert_int_equal(str_copy(d, 1, ""), 0);
	/* dstlen 0 writes nothing at all */
	memset(d, 'Z', sizeof(d));
	assert_int_equal(str_copy(d, 0, "x"), ERR_TOOBIG);
	assert_int_equal(d[0], 'Z');
}

static void
test_hex_encode(void **state)
{
	static const unsigned char in[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
	char out[2 * sizeof(in) + 1];

	(void)state;
	hex_encode(in, sizeof(in), out);
	assert_string_equal(out, "00017f80abff");
	hex_encode(in, 0, out);
	assert_string_equal(out, "");
}

/* ---- base64url ---- */

static void
test_b64url_rfc4648(void **state)
{
	/* RFC 4648 §10 vectors, without the padding */
	static const char *const plain[] = {"", "f", "fo", "foo", "foob",
	    "fooba", "foobar"};
	static const char *const enc[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg",
	    "Zm9vYmE", "Zm9vYmFy"};
	char out[16];
	unsigned char dec[16];
	long n;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(plain); i++) {
		assert_int_equal(b64url_encode((const unsigned char *)plain[i],
		    strlen(plain[i]), out), strlen(enc[i]));
		assert_string_equal(out, enc[i]);
		n = b64url_decode(enc[i], strlen(enc[i]), dec, sizeof(dec));
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(dec, plain[i], (size_t)n);
	}
}

static void
test_b64url_alphabet(void **state)
{
	/* 0xfb 0xff 0xbf uses the two characters that differ from base64 */
	static const unsigned char in[] = {0xfb, 0xff, 0xbf};
	unsigned char dec[4];
	char out[8];

	(void)state;
	b64url_encode(in, sizeof(in), out);
	assert_string_equal(out, "-_-_");
	assert_int_equal(b64url_decode("-_-_", 4, dec, sizeof(dec)), 3);
	assert_memory_equal(dec, in, 3);
	/* the standard alphabet's + and / are not ours */
	assert_int_equal(b64url_decode("+/+/", 4, dec, sizeof(dec)), -1);
}

static void
test_b64url_round_trip(void **state)
{
	unsigned char in[64], dec[64];
	char out[4 * 22 + 1];

	(void)state;
	srand(7);
	for (size_t n = 0; n <= sizeof(in); n++) {
		size_t len;

		for (size_t i = 0; i < n; i++)
			in[i] = (unsigned char)rand();
		len = b64url_encode(in, n, out);
		assert_int_equal(len, strlen(out));
		assert_int_equal(len, (4 * n + 2) / 3);   /* no padding */
		assert_null(strchr(out, '='));
		assert_int_equal(b64url_decode(out, len, dec, sizeof(dec)), n);
		assert_memory_equal(dec, in, n);
	}
}

static void
test_b64url_decode_rejects(void **state)
{
	unsigned char dec[16];

	(void)state;
	/* characters outside the alphabet, padding, blanks, NUL */
	assert_int_equal(b64url_decode("Zm9v=", 5, dec, sizeof(dec)), -1);
	assert_int_equal(b64url_decode("Zg==", 4, dec, sizeof(dec)), -1);
	assert_int_equal(b64url_decode("Zm 9", 4, dec, sizeof(dec)), -1);
	assert_int_equal(b64url_decode("Zm9\n", 4, dec, sizeof(dec)), -1);
	assert_int_equal(b64url_decode("Zm\0v", 4, dec, sizeof(dec)), -1);
	assert_int_equal(b64url_decode("Zm9\xc3", 4, dec, sizeof(dec)), -1);
	/* a length of 4k+1 cannot come from whole bytes */
	assert_int_equal(b64url_decode("Z", 1, dec, sizeof(dec)), -1);
	assert_int_equal(b64url_decode("Zm9vY", 5, dec, sizeof(dec)), -1);
	/* even when the stray character carries no bits */
	assert_int_equal(b64url_decode("A", 1, dec, sizeof(dec)), -1);
	assert_int_equal(b64url_decode("Zm9vA", 5, dec, sizeof(dec)), -1);
	/* non-canonical trailing bits: "Zg" is the one spelling of "f";
	 * "Zh" (low bits set) would be a second one */
	assert_int_equal(b64url_decode("Zg", 2, dec, sizeof(dec)), 1);
	assert_int_equal(b64url_decode("Zh", 2, dec, sizeof(dec)), -1);
	assert_int_equal(b64url_decode("Zm8", 3, dec, sizeof(dec)), 2);
	assert_int_equal(b64url_decode("Zm9", 3, dec, sizeof(dec)), -1);
	/* output capacity is respected */
	assert_int_equal(b64url_decode("Zm9vYmFy", 8, dec, 6), 6);
	assert_int_equal(b64url_decode("Zm9vYmFy", 8, dec, 5), -1);
	assert_int_equal(b64url_decode("Zg", 2, dec, 0), -1);
}

/* ---- buf ---- */

static void
test_buf_ceiling(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "hello"), 0);
	/* one byte too many: refused, and nothing of it lands */
	assert_int_equal(buf_puts(&b, "world!"), ERR_TOOBIG);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "hello");
	/* exactly up to the ceiling is fine */
	assert_int_equal(buf_puts(&b, "world"), 0);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "helloworld");
	/* memory is bounded by the ceiling too, not only the length */
	assert_true(b.cap <= b.max + 1);
	assert_int_equal(buf_putc(&b, 'x'), ERR_TOOBIG);
	assert_int_equal(buf_printf(&b, "%d", 1), ERR_TOOBIG);
	assert_int_equal(buf_append(&b, "x", 1), ERR_TOOBIG);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "helloworld");
	/* an append of nothing always fits */
	assert_int_equal(buf_append(&b, "", 0), 0);
	/* sizes near SIZE_MAX must not wrap around the check */
	assert_int_equal(buf_reserve(&b, SIZE_MAX), ERR_TOOBIG);
	assert_int_equal(buf_reserve(&b, SIZE_MAX - 5), ERR_TOOBIG);
	assert_string_equal(b.data, "helloworld");
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void
test_buf_printf_ceiling(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "ab"), 0);
	assert_string_equal(b.data, "42-ab");
	/* "42-ab" + "1234" = 9 > 8: refused whole, not cut to fit */
	assert_int_equal(buf_printf(&b, "%s", "1234"), ERR_TOOBIG);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "42-ab");
	assert_int_equal(buf_printf(&b, "%03d", 7), 0);
	assert_string_equal(b.data, "42-ab007");
	assert_int_equal(b.len, 8);
	buf_free(&b);
}

static void
test_buf_growth(void **state)
{
	struct buf b;
	char chunk[1000];

	(void)state;
	buf_init(&b, 1u << 20);
	for (int i = 0; i < 300; i++) {
		memset(chunk, 'a' + i % 26, sizeof(chunk));
		assert_int_equal(buf_append(&b, chunk, sizeof(chunk)), 0);
	}
	assert_int_equal(b.len, 300000);
	assert_true(b.cap > b.len);
	assert_true(b.cap <= b.max + 1);
	assert_int_equal(b.data[b.len], '\0');
	for (int i = 0; i < 300; i++)
		assert_int_equal(b.data[i * 1000 + 999], 'a' + i % 26);
	assert_int_equal(buf_printf(&b, "%s|%d", "end", 9), 0);
	assert_string_equal(b.data + 300000, "end|9");
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void
test_buf_steal(void **state)
{
	struct buf b;
	size_t len = 0;
	char *p;

	(void)state;
	buf_init(&b, 64);
	assert_int_equal(buf_puts(&b, "owned"), 0);
	p = buf_steal(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 5);
	assert_string_equal(p, "owned");
	/* the buffer is empty and usable again, and no longer shares p */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 64);
	assert_int_equal(buf_puts(&b, "again"), 0);
	assert_true(b.data != p);
	assert_string_equal(b.data, "again");
	assert_string_equal(p, "owned");
	free(p);
	buf_free(&b);
	/* stealing an empty buffer hands back NULL, with len 0 */
	buf_init(&b, 64);
	len = 9;
	assert_null(buf_steal(&b, &len));
	assert_int_equal(len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_valid_calendar),
		cmocka_unit_test(test_date_valid_format),
		cmocka_unit_test(test_time_iso_known),
		cmocka_unit_test(test_time_iso_extremes),
		cmocka_unit_test(test_time_round_trip),
		cmocka_unit_test(test_time_parse_rejects),
		cmocka_unit_test(test_utf8_valid_accepts),
		cmocka_unit_test(test_utf8_valid_rejects),
		cmocka_unit_test(test_utf8_chars),
		cmocka_unit_test(test_utf8_cut),
		cmocka_unit_test(test_array_grow),
		cmocka_unit_test(test_parse_int64_accepts),
		cmocka_unit_test(test_parse_int64_rejects),
		cmocka_unit_test(test_parse_int64_bounds),
		cmocka_unit_test(test_str_copy),
		cmocka_unit_test(test_hex_encode),
		cmocka_unit_test(test_b64url_rfc4648),
		cmocka_unit_test(test_b64url_alphabet),
		cmocka_unit_test(test_b64url_round_trip),
		cmocka_unit_test(test_b64url_decode_rejects),
		cmocka_unit_test(test_buf_ceiling),
		cmocka_unit_test(test_buf_printf_ceiling),
		cmocka_unit_test(test_buf_growth),
		cmocka_unit_test(test_buf_steal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
