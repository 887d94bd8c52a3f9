/* TOTP against RFC 6238's SHA-1 test vectors, the replay rule, the window,
 * and base32 both ways. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "base/err.h"
#include "base/totp.h"

static const unsigned char rfc_key[] = "12345678901234567890";

static void
test_rfc6238_vectors(void **state)
{
	/* RFC 6238 appendix B gives 8 digits; the 6-digit code is their tail */
	static const struct { int64_t t; const char *code; } v[] = {
		{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"},
		{1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
	};
	char out[7];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(totp_code(rfc_key, 20, v[i].t / 30, out), 0);
		assert_string_equal(out, v[i].code);
	}
}

static void
test_check_window_and_replay(void **state)
{
	int64_t step = 0, now = 1234567890;
	char c[7], prev[7], next[7], far[7];

	(void)state;
	totp_code(rfc_key, 20, now / 30, c);
	totp_code(rfc_key, 20, now / 30 - 1, prev);
	totp_code(rfc_key, 20, now / 30 + 1, next);
	totp_code(rfc_key, 20, now / 30 + 2, far);
	assert_int_equal(totp_check(rfc_key, 20, c, now, 0, &step), 0);
	assert_int_equal(step, now / 30);
	/* a step either side: clocks a little apart */
	assert_int_equal(totp_check(rfc_key, 20, prev, now, 0, &step), 0);
	assert_int_equal(totp_check(rfc_key, 20, next, now, 0, &step), 0);
	assert_int_equal(totp_check(rfc_key, 20, far, now, 0, &step), ERR_AUTH);
	/* a step used already is refused, and any before it */
	assert_int_equal(totp_check(rfc_key, 20, c, now, now / 30, &step), ERR_AUTH);
	assert_int_equal(totp_check(rfc_key, 20, prev, now, now / 30, &step), ERR_AUTH);
	assert_int_equal(totp_check(rfc_key, 20, next, now, now / 30, &step), 0);
	/* as apps show it, with a space; nothing else */
	char spaced[8] = {c[0], c[1], c[2], ' ', c[3], c[4], c[5], 0};
	assert_int_equal(totp_check(rfc_key, 20, spaced, now, 0, &step), 0);
	assert_int_equal(totp_check(rfc_key, 20, "12345", now, 0, &step), ERR_AUTH);
	assert_int_equal(totp_check(rfc_key, 20, "1234567", now, 0, &step), ERR_AUTH);
	assert_int_equal(totp_check(rfc_key, 20, "12a456", now, 0, &step), ERR_AUTH);
	assert_int_equal(totp_check(rfc_key, 20, "", now, 0, &step), ERR_AUTH);
	assert_int_equal(totp_check(rfc_key, 20, NULL, now, 0, &step), ERR_AUTH);
}

static void
test_base32(void **state)
{
	unsigned char back[32];
	char out[TOTP_B32_LEN];
	size_t n = 0;

	(void)state;
	/* RFC 4648 section 10, without padding */
	assert_int_equal(totp_b32_encode((const unsigned char *)"foobar", 6, out, sizeof(out)), 0);
	assert_string_equal(out, "MZXW6YTBOI");
	assert_int_equal(totp_b32_encode(rfc_key, 20, out, sizeof(out)), 0);
	assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_int_equal(totp_b32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", back, sizeof(back), &n), 0);
	assert_int_equal(n, 20);
	assert_memory_equal(back, rfc_key, 20);
	assert_int_equal(totp_b32_decode("MZXW6YTBOI======", back, sizeof(back), &n), 0);
	assert_int_equal(n, 6);
	assert_memory_equal(back, "foobar", 6);
	assert_int_equal(totp_b32_decode("MZXW1", back, sizeof(back), &n), ERR_INVALID);
	assert_int_equal(totp_b32_encode(rfc_key, 20, out, 10), ERR_NOMEM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238_vectors),
		cmocka_unit_test(test_check_window_and_replay),
		cmocka_unit_test(test_base32),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
