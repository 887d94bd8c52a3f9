/* src/base/valid.h: the identifier and policy rules of DOMAIN.md. The
 * check-char formulas are re-implemented here from DOMAIN.md's text, so
 * the tests do not merely agree with the code they test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "base/valid.h"


static const char uscc_abc[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* DOMAIN.md: c = 31 - (S mod 31), 0 when 31; the check is alphabet[c]. */
static char
uscc_check(const char *first17)
{
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13,
	    8, 24, 10, 30, 28};
	int s = 0, c;

	for (int i = 0; i < 17; i++)
		s += (int)(strchr(uscc_abc, first17[i]) - uscc_abc) * w[i];
	c = 31 - s % 31;
	return uscc_abc[c == 31 ? 0 : c];
}

/* DOMAIN.md: "10X98765432"[S mod 11] with the GB 11643 weights. */
static void
make_id(const char *region, const char *birth, const char *seq, char out[19])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5,
	    8, 4, 2};
	int s = 0;

	snprintf(out, 19, "%s%s%s", region, birth, seq);
	assert_int_equal(strlen(out), 17);
	for (int i = 0; i < 17; i++)
		s += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[s % 11];
	out[18] = '\0';
}

/* ---- unified social credit code ---- */

static void
test_uscc_domain_vectors(void **state)
{
	int co;

	(void)state;
	co = 7;
	assert_int_equal(valid_uscc("91350100M000100Y43", &co), 0);
	assert_int_equal(co, 0);
	co = 7;
	assert_int_equal(valid_uscc("91110000600037341L", &co), 0);
	assert_int_equal(co, 0);
	/* the flag is optional */
	assert_int_equal(valid_uscc("91110000600037341L", NULL), 0);
	/* the test's own formula agrees with the vectors */
	assert_int_equal(uscc_check("91350100M000100Y4"), '3');
	assert_int_equal(uscc_check("91110000600037341"), 'L');
}

static void
test_uscc_checksum_only(void **state)
{
	static const char *const vec[] = {"91350100M000100Y43",
	    "91110000600037341L"};
	char code[19];
	int co;

	(void)state;
	/* every other check char is a checksum-only fault */
	for (size_t v = 0; v < ARRAY_LEN(vec); v++) {
		for (const char *a = uscc_abc; *a; a++) {
			if (*a == vec[v][17])
				continue;
			memcpy(code, vec[v], 19);
			code[17] = *a;
			co = 0;
			assert_int_equal(valid_uscc(code, &co), ERR_INVALID);
			assert_int_equal(co, 1);
		}
	}
	/* so is a changed body char under the old check char */
	memcpy(code, "91350100M000100Y43", 19);
	code[10] = '1';
	co = 0;
	assert_int_equal(valid_uscc(code, &co), ERR_INVALID);
	assert_int_equal(co, 1);
	assert_int_equal(valid_uscc(code, NULL), ERR_INVALID);
}

static void
test_uscc_malformed(void **state)
{
	static const char *const bad[] = {
		/* lower case is not in the alphabet, body or check char */
		"91350100m000100Y43", "91110000600037341l",
		/* the five excluded letters */
		"91350100I000100Y43", "91350100O000100Y43", "91350100S000100Y43",
		"91350100V000100Y43", "91350100Z000100Y43", "9111000060003734I1",
		"91110000600037341O", "91110000600037341S", "91110000600037341V",
		"91110000600037341Z",
		/* length */
		"", "91350100M000100Y4", "91350100M000100Y430", "9",
		/* blanks and punctuation */
		"91350100M000100Y4 ", " 91350100M000100Y4", "91350100-000100Y43",
		"91350100M000100Y4\xe3",
	};
	int co;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		co = 7;
		if (valid_uscc(bad[i], &co) != ERR_INVALID)
			fail_msg("accepted \"%s\"", bad[i]);
		/* malformed is never "only the checksum": no admin override */
		if (co != 0)
			fail_msg("\"%s\" flagged checksum-only", bad[i]);
	}
	co = 7;
	assert_int_equal(valid_uscc(NULL, &co), ERR_INVALID);
	assert_int_equal(co, 0);
}

static void
test_uscc_complete(void **state)
{
	char out[19], body[18];

	(void)state;
	assert_int_equal(valid_uscc_complete("91350100M000100Y4", out), 0);
	assert_string_equal(out, "91350100M000100Y43");
	assert_int_equal(valid_uscc_complete("91110000600037341", out), 0);
	assert_string_equal(out, "91110000600037341L");
	/* round trip over many bodies, against the test's own formula */
	srand(11);
	for (int n = 0; n < 2000; n++) {
		for (int i = 0; i < 17; i++)
			body[i] = uscc_abc[rand() % 31];
		body[17] = '\0';
		assert_int_equal(valid_uscc_complete(body, out), 0);
		assert_memory_equal(out, body, 17);
		assert_int_equal(out[17], uscc_check(body));
		assert_int_equal(out[18], '\0');
		assert_int_equal(valid_uscc(out, NULL), 0);
	}
	assert_int_equal(valid_uscc_complete("9135010M000100Y4", out), ERR_INVALID);
	assert_int_equal(valid_uscc_complete("91350100M000100Y43", out),
	    ERR_INVALID);
	assert_int_equal(valid_uscc_complete("91350100m000100Y4", out),
	    ERR_INVALID);
	assert_int_equal(valid_uscc_complete("91350100I000100Y4", out),
	    ERR_INVALID);
	assert_int_equal(valid_uscc_complete(NULL, out), ERR_INVALID);
}

/* ---- resident ID ---- */

static void
test_resident_domain_vectors(void **state)
{
	char norm[19];

	(void)state;
	assert_int_equal(valid_resident_id("11010519491231002X", "2025-06-01",
	    norm), 0);
	assert_string_equal(norm, "11010519491231002X");
	/* DOMAIN.md: its check char is 6, so 4 fails and 6 passes */
	assert_int_equal(valid_resident_id("330203199001011234", "2025-06-01",
	    norm), ERR_INVALID);
	assert_int_equal(valid_resident_id("330203199001011236", "2025-06-01",
	    norm), 0);
	/* norm is optional */
	assert_int_equal(valid_resident_id("11010519491231002X", "2025-06-01",
	    NULL), 0);
}

static void
test_resident_pre1900_vector(void **state)
{
	char norm[19];

	(void)state;
	/* DOMAIN.md lists this GB 11643 example (born 1880-01-01) as passing;
	 * valid_resident_id checks the birth date with date_valid, whose
	 * window starts at 1900, so it is refused. */
	assert_int_equal(valid_resident_id("440524188001010014", "2025-06-01",
	    norm), 0);
	assert_string_equal(norm, "440524188001010014");
}

static void
test_resident_lower_x(void **state)
{
	char norm[19];

	(void)state;
	memset(norm, 0, sizeof(norm));
	assert_int_equal(valid_resident_id("11010519491231002x", "2025-06-01",
	    norm), 0);
	assert_string_equal(norm, "11010519491231002X");
	/* x is only a check char; a digit check cannot be spelt x */
	assert_int_equal(valid_resident_id("33020319900101123x", "2025-06-01",
	    norm), ERR_INVALID);
	assert_int_equal(valid_resident_id("33020319900101123X", "2025-06-01",
	    norm), ERR_INVALID);
}

static void
test_resident_birth_date(void **state)
{
	char id[19];

	(void)state;
	/* a correct check char over an impossible date: the date decides */
	make_id("330203", "19900231", "123", id);
	assert_int_equal(valid_resident_id(id, "2025-06-01", NULL), ERR_INVALID);
	make_id("330203", "19900228", "123", id);
	assert_int_equal(valid_resident_id(id, "2025-06-01", NULL), 0);
	make_id("330203", "20000229", "123", id);
	assert_int_equal(valid_resident_id(id, "2025-06-01", NULL), 0);
	make_id("330203", "19990229", "123", id);
	assert_int_equal(valid_resident_id(id, "2025-06-01", NULL), ERR_INVALID);
	make_id("330203", "19901301", "123", id);
	assert_int_equal(valid_resident_id(id, "2025-06-01", NULL), ERR_INVALID);

	/* not in the future relative to `today`; born today is fine */
	make_id("330203", "20300101", "123", id);
	assert_int_equal(valid_resident_id(id, "2025-06-01", NULL), ERR_INVALID);
	assert_int_equal(valid_resident_id(id, "2029-12-31", NULL), ERR_INVALID);
	assert_int_equal(valid_resident_id(id, "2030-01-01", NULL), 0);
	assert_int_equal(valid_resident_id(id, "2031-01-01", NULL), 0);

	/* DOMAIN.md: an abolished region code (Ningbo 330204) still passes */
	make_id("330204", "19850615", "002", id);
	assert_int_equal(valid_resident_id(id, "2025-06-01", NULL), 0);
}

static void
test_resident_shape(void **state)
{
	static const char *const bad[] = {
		"", "11010519491231002", "11010519491231002X0",
		"1101051949123100XX", "A1010519491231002X", "110105194912310 2X",
		"11010519491231002Y", "110105-949123100 X",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (valid_resident_id(bad[i], "2025-06-01", NULL) != ERR_INVALID)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(valid_resident_id(NULL, "2025-06-01", NULL),
	    ERR_INVALID);
}

static void
test_resident_every_wrong_check(void **state)
{
	static const char checks[] = "0123456789X";
	char id[19];

	(void)state;
	/* exactly one of the eleven check chars is right */
	make_id("110105", "19491231", "002", id);
	for (const char *c = checks; *c; c++) {
		id[17] = *c;
		assert_int_equal(valid_resident_id(id, "2025-06-01", NULL),
		    *c == 'X' ? 0 : ERR_INVALID);
	}
}

/* ---- mobile ---- */

static void
test_mobile(void **state)
{
	static const char *const good[] = {"13800138000", "19912345678",
	    "15000000000", "17012345678"};
	static const char *const bad[] = {"12800138000", "10800138000",
	    "11800138000", "23800138000", "1380013800", "138001380001",
	    "1380013800a", "+8613800138000", "138 0013 800", "", "１3800138000",
	    "13800138000\n"};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		if (valid_mobile(good[i]))
			fail_msg("refused \"%s\"", good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (valid_mobile(bad[i]) != ERR_INVALID)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(valid_mobile(NULL), ERR_INVALID);
}

/* ---- password policy ---- */

static int
pw(const char *p, const char *user, int min_len, const char *why_has)
{
	const char *why = "unset";
	int rc = valid_password(p, user, min_len, &why);

	if (rc == 0) {
		assert_null(why);
	} else {
		assert_int_equal(rc, ERR_INVALID);
		assert_non_null(why);
		if (why_has && !strstr(why, why_has))
			fail_msg("\"%s\": reason \"%s\" lacks \"%s\"", p, why,
			    why_has);
	}
	return rc;
}

static void
test_password_length(void **state)
{
	(void)state;
	assert_int_equal(pw("Tigerlily7!", "zhang", 10, NULL), 0);
	assert_int_equal(pw("Tigerly7!", "zhang", 10, "short"), ERR_INVALID);
	assert_int_equal(pw("Tigerlily7!x", "zhang", 13, "short"), ERR_INVALID);
	assert_int_equal(pw("Tigerlily7!xy", "zhang", 13, NULL), 0);
	/* the floor of 10 holds even when a setting asks for less */
	assert_int_equal(PASSWORD_FLOOR, 10);
	assert_int_equal(pw("Tigerly7!", "zhang", 4, "short"), ERR_INVALID);
	assert_int_equal(pw("Tigerl7!x", "zhang", 8, "short"), ERR_INVALID);
	/* characters, not bytes: 8 characters in 12 bytes is too short */
	assert_int_equal(pw("\xe5\xaf\x86\xe7\xa0\x81\xe5\xaf\x86" "Ab1x\xe7\xa0\x81",
	    "zhang", 10, "short"), ERR_INVALID);
	assert_int_equal(pw("\xe5\xaf\x86\xe7\xa0\x81\xe5\xaf\x86\xe7\xa0\x81"
	    "Ab1xQz", "zhang", 10, NULL), 0);
	assert_int_equal(pw(NULL, "zhang", 10, NULL), ERR_INVALID);
	assert_int_equal(pw("", "zhang", 10, NULL), ERR_INVALID);
}

static void
test_password_classes(void **state)
{
	(void)state;
	/* two classes are not enough, whichever two */
	assert_int_equal(pw("tigerlilyx", NULL, 10, "three"), ERR_INVALID);
	assert_int_equal(pw("tigerlily1", NULL, 10, "three"), ERR_INVALID);
	assert_int_equal(pw("TIGERLILY!", NULL, 10, "three"), ERR_INVALID);
	assert_int_equal(pw("7294061853!", NULL, 10, "three"), ERR_INVALID);
	assert_int_equal(pw("tigerLILYx", NULL, 10, "three"), ERR_INVALID);
	/* any three of four */
	assert_int_equal(pw("tigerliLy1", NULL, 10, NULL), 0);
	assert_int_equal(pw("TIGERLILY1!", NULL, 10, NULL), 0);
	assert_int_equal(pw("tigerlily!1", NULL, 10, NULL), 0);
	assert_int_equal(pw("tigerLILY!", NULL, 10, NULL), 0);
	assert_int_equal(pw("mB7!qX2#wK", NULL, 10, NULL), 0);
}

static void
test_password_username(void **state)
{
	(void)state;
	assert_int_equal(pw("xxzhangx1A!", "zhang", 10, "username"), ERR_INVALID);
	/* case does not hide it, either way round */
	assert_int_equal(pw("xxZHANGx1A!", "zhang", 10, "username"), ERR_INVALID);
	assert_int_equal(pw("xxzhangx1A!", "ZhAnG", 10, "username"), ERR_INVALID);
	assert_int_equal(pw("Zhang2024!x", "zhang", 10, "username"), ERR_INVALID);
	/* nor does writing it backwards */
	assert_int_equal(pw("Gnahz2024!x", "zhang", 10, "username"), ERR_INVALID);
	/* no username, or another one, is no objection */
	assert_int_equal(pw("xxZHANGx1A!", "wang", 10, NULL), 0);
	assert_int_equal(pw("xxZHANGx1A!", "", 10, NULL), 0);
	assert_int_equal(pw("xxZHANGx1A!", NULL, 10, NULL), 0);
}

static void
test_password_common(void **state)
{
	/* what the review saw accepted, and the usual dressings of a common
	 * word; each passes the length and class rules */
	static const char *const bad[] = {
		"Password1!", "Password123", "P@ssw0rd2026!", "P@$$w0rd!!",
		"Qwerty12345", "QWERTYuiop1", "Abcdefg1234", "Abcdefgh1!",
		"Aa1!Aa1!Aa1!", "Zz9#Zz9#Zz9#", "1qaz@WSX3edc", "1Qaz2wsx!!",
		"Woaini1314!", "Woaini520!!", "Admin@12345", "Welcome2026!",
		"Changai@2026", "Ningbo@2026", "Zhangwei88!", "Iloveyou!23",
		"Ab1234567890", "Xy!987654321", "Asdfghjkl1!", "Zxcvbnm123!",
		"Qq123456789", "ABCabc123!!", "Monkey12345!", "Ceshi@12345",
	};
	static const char *const good[] = {
		"mB7!qX2#wK", "Tigerlily7!", "Hx7#blue-Kettle", "Rk4$yellowBird",
		"黄鹤楼Ab1xQz9", "Pw#0a1b2c3d4e5fAz9", "Gq8@Lm3%Tz",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (pw(bad[i], "tester", 10, "common") != ERR_INVALID)
			fail_msg("accepted \"%s\"", bad[i]);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (pw(good[i], "tester", 10, NULL) != 0)
			fail_msg("refused \"%s\"", good[i]);
	assert_int_equal(password_is_common("password"), 1);
	assert_int_equal(password_is_common("mB7!qX2#wK"), 0);
}

static void
test_password_bytes(void **state)
{
	char p[160];

	(void)state;
	assert_int_equal(pw("Tigerlily1\xff", NULL, 10, "UTF-8"), ERR_INVALID);
	assert_int_equal(pw("Tigerlily1\xed\xa0\x80", NULL, 10, "UTF-8"), ERR_INVALID);
	/* 128 bytes is the most */
	for (int i = 0; i < 159; i++)
		p[i] = "mB7!qX2#wKtz"[i % 11];
	p[128] = '\0';
	assert_int_equal(pw(p, NULL, 10, NULL), 0);
	p[128] = 'b';
	p[129] = '\0';
	assert_int_equal(pw(p, NULL, 10, "128"), ERR_INVALID);
	/* bytes, not characters: 42 CJK + 2 = 44 characters in 128 bytes */
	for (int i = 0; i < 43; i++)
		memcpy(p + 3 * i, "\xe4\xb8\xad", 3);
	memcpy(p + 3 * 42, "A1", 3);
	assert_int_equal(strlen(p), 128);
	assert_int_equal(pw(p, NULL, 10, NULL), 0);
	/* one more CJK character: 131 bytes */
	memcpy(p + 3 * 42, "\xe4\xb8\xad" "A1", 6);
	assert_int_equal(strlen(p), 131);
	assert_int_equal(pw(p, NULL, 10, "128"), ERR_INVALID);
}

/* ---- usernames ---- */

static void
test_username(void **state)
{
	static const char *const good[] = {"abc", "a.b-c_d9", "zhang.san",
	    "a12", "abcdefghijklmnopqrstuvwxyz012345"};
	static const char *const bad[] = {"", "ab", "1abc", "_abc", ".abc",
	    "-abc", "Abc", "abC", "ab c", "ab/c", "ab@c", "ab\nc",
	    "\xe5\xbc\xa0\xe4\xb8\x89", "abcdefghijklmnopqrstuvwxyz0123456"};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		if (valid_username(good[i]))
			fail_msg("refused \"%s\"", good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (valid_username(bad[i]) != ERR_INVALID)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(valid_username(NULL), ERR_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uscc_domain_vectors),
		cmocka_unit_test(test_uscc_checksum_only),
		cmocka_unit_test(test_uscc_malformed),
		cmocka_unit_test(test_uscc_complete),
		cmocka_unit_test(test_resident_domain_vectors),
		cmocka_unit_test(test_resident_pre1900_vector),
		cmocka_unit_test(test_resident_lower_x),
		cmocka_unit_test(test_resident_birth_date),
		cmocka_unit_test(test_resident_shape),
		cmocka_unit_test(test_resident_every_wrong_check),
		cmocka_unit_test(test_mobile),
		cmocka_unit_test(test_password_length),
		cmocka_unit_test(test_password_classes),
		cmocka_unit_test(test_password_username),
		cmocka_unit_test(test_password_common),
		cmocka_unit_test(test_password_bytes),
		cmocka_unit_test(test_username),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
