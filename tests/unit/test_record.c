/* The worker record rules (workers/record.h): DOMAIN.md's identifier test
 * vectors, every spelling officials type that we accept, and the errors for
 * what we refuse. Duplicates within a file are the importer's business. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/valid.h"
#include "db/db.h"
#include "workers/record.h"

#define TODAY "2026-01-01"

/* A valid row to vary one field at a time. 33020319900101123? with the
 * check char computed: born 1990-01-01, 17th digit 3 = male. */
struct row {
	const char *c[WC__MAX];
	char id[19];
};

static void
id_complete(const char *first17, char out[19])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5,
	    8, 4, 2};
	int sum = 0, i;

	for (i = 0; i < 17; i++)
		sum += (first17[i] - '0') * w[i];
	memcpy(out, first17, 17);
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static void
row_init(struct row *r)
{
	memset(r, 0, sizeof(*r));
	id_complete("33020319900101123", r->id);
	r->c[WC_NAME] = "张三";
	r->c[WC_ID_NO] = r->id;
}

static int
norm(struct row *r, struct worker_rec *w, struct row_errors *e)
{
	return worker_normalise(r->c, TODAY, w, e);
}

/* The row fails with exactly one error, on col. */
static void
expect_one_error(struct row *r, int col)
{
	struct worker_rec w;
	struct row_errors e;

	assert_int_equal(norm(r, &w, &e), ERR_INVALID);
	if (e.n != 1 || e.e[0].col != col) {
		int i;

		for (i = 0; i < e.n; i++)
			fprintf(stderr, "  error %d on %s: %s\n", i,
			    worker_cols[e.e[i].col].en, e.e[i].reason_en);
	}
	assert_int_equal(e.n, 1);
	assert_int_equal(e.e[0].col, col);
	assert_non_null(e.e[0].reason_en);
	assert_non_null(e.e[0].reason_zh);
	assert_true(strlen(e.e[0].reason_en) > 0);
	assert_true(strlen(e.e[0].reason_zh) > 0);
}

static void
expect_ok(struct row *r, struct worker_rec *w)
{
	struct row_errors e;
	int rc = norm(r, w, &e), i;

	for (i = 0; i < e.n; i++)
		fprintf(stderr, "  unexpected error on %s: %s\n",
		    worker_cols[e.e[i].col].en, e.e[i].reason_en);
	assert_int_equal(rc, 0);
	assert_int_equal(e.n, 0);
}

/* ---- identifiers ---- */

static void
t_id_vectors(void **state)
{
	struct worker_rec w;
	struct row_errors e;
	struct row r;

	(void)state;
	row_init(&r);
	r.c[WC_ID_NO] = "11010519491231002X";
	assert_int_equal(norm(&r, &w, &e), 0);
	assert_string_equal(w.id_no, "11010519491231002X");
	assert_string_equal(w.gender, "F");
	assert_string_equal(w.birth_date, "1949-12-31");
	assert_int_equal(e.warnings, 1);         /* 76 years old */

	r.c[WC_ID_NO] = "440524188001010014";
	r.c[WC_BIRTH_DATE] = "1880-01-01";
	assert_int_equal(norm(&r, &w, &e), 0);
	assert_string_equal(w.gender, "M");
	assert_string_equal(w.birth_date, "1880-01-01");
	assert_int_equal(e.warnings, 1);
	r.c[WC_BIRTH_DATE] = NULL;

	r.c[WC_ID_NO] = "330203199001011234";  /* its check char is 6 */
	expect_one_error(&r, WC_ID_NO);
	assert_int_equal(norm(&r, &w, &e), ERR_INVALID);
	assert_non_null(strstr(e.e[0].reason_en, "check"));
	assert_string_equal(w.id_no, "");
	r.c[WC_ID_NO] = "330203199001011236";
	expect_ok(&r, &w);
}

static void
t_id_spellings(void **state)
{
	static const char *const ok[] = {
		"11010519491231002x",
		"110105 19491231 002X",
		" 110105194912310 02X ",
		"１１０１０５１９４９１２３１００２Ｘ",
		"１１０１０５１９４９１２３１００２ｘ",
		("110105\xe3\x80\x80" "19491231002X"),  /* U+3000 inside */
		"'11010519491231002X",                  /* Excel text prefix */
	};
	struct worker_rec w;
	struct row r;
	size_t i;

	(void)state;
	row_init(&r);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		r.c[WC_ID_NO] = ok[i];
		expect_ok(&r, &w);
		assert_string_equal(w.id_no, "11010519491231002X");
	}
}

static void
t_id_errors(void **state)
{
	struct worker_rec w;
	struct row_errors e;
	struct row r;
	char id[19];

	(void)state;
	row_init(&r);

	r.c[WC_ID_NO] = "";
	expect_one_error(&r, WC_ID_NO);
	r.c[WC_ID_NO] = NULL;
	expect_one_error(&r, WC_ID_NO);

	r.c[WC_ID_NO] = "110105491231002";    /* first generation */
	expect_one_error(&r, WC_ID_NO);
	norm(&r, &w, &e);
	assert_string_equal(e.e[0].reason_en,
	    "15-digit IDs must be converted to 18 digits");

	r.c[WC_ID_NO] = "1.10105E+17";        /* what Excel makes of it */
	expect_one_error(&r, WC_ID_NO);
	norm(&r, &w, &e);
	assert_non_null(strstr(e.e[0].reason_en, "Excel"));

	r.c[WC_ID_NO] = "1101051949123100";
	expect_one_error(&r, WC_ID_NO);
	r.c[WC_ID_NO] = "11010519491231002A";
	expect_one_error(&r, WC_ID_NO);
	r.c[WC_ID_NO] = "11010519491231002XX";
	expect_one_error(&r, WC_ID_NO);

	/* 31 February, with a correct check char */
	id_complete("11010519900231001", id);
	r.c[WC_ID_NO] = id;
	expect_one_error(&r, WC_ID_NO);
	norm(&r, &w, &e);
	assert_non_null(strstr(e.e[0].reason_en, "not a real date"));

	/* born in the future, with a correct check char */
	id_complete("11010520300101001", id);
	r.c[WC_ID_NO] = id;
	expect_one_error(&r, WC_ID_NO);
	norm(&r, &w, &e);
	assert_non_null(strstr(e.e[0].reason_en, "future"));

	/* born today is not the future (a baby: warning only) */
	id_complete("11010520260101001", id);
	r.c[WC_ID_NO] = id;
	assert_int_equal(norm(&r, &w, &e), 0);
	assert_int_equal(e.warnings, 1);

	/* a region code abolished since (330204 江东区) is still valid */
	id_complete("33020419900101001", id);
	r.c[WC_ID_NO] = id;
	expect_ok(&r, &w);
}

static void
t_age_warnings(void **state)
{
	struct worker_rec w;
	struct row_errors e;
	struct row r;
	char id[19];

	(void)state;
	row_init(&r);
	assert_int_equal(norm(&r, &w, &e), 0);
	assert_int_equal(e.warnings, 0);
	/* 16 exactly today: no warning; one day short: warning */
	id_complete("11010520100101001", id);
	r.c[WC_ID_NO] = id;
	assert_int_equal(norm(&r, &w, &e), 0);
	assert_int_equal(e.warnings, 0);
	id_complete("11010520100102001", id);
	assert_int_equal(norm(&r, &w, &e), 0);
	assert_int_equal(e.warnings, 1);
	/* 75 is fine, 76 warns */
	id_complete("11010519510101001", id);
	assert_int_equal(norm(&r, &w, &e), 0);
	assert_int_equal(e.warnings, 0);
	id_complete("11010519491231001", id);
	assert_int_equal(norm(&r, &w, &e), 0);
	assert_int_equal(e.warnings, 1);
}

static void
t_gender_birth_agree(void **state)
{
	static const char *const male[] = {"男", "M", "m", "male", "Male",
	    "男性", "Ｍ", " 男 "};
	static const char *const birth_ok[] = {"1990-01-01", "1990/1/1",
	    "1990.1.1", "19900101", "1990年1月1日", "1990-1-1",
	    "1990/1/1 0:00", "1990-01-01 00:00:00", "１９９０－０１－０１"};
	struct worker_rec w;
	struct row r;
	size_t i;

	(void)state;
	row_init(&r);                /* male, born 1990-01-01 */
	for (i = 0; i < sizeof(male) / sizeof(male[0]); i++) {
		r.c[WC_GENDER] = male[i];
		expect_ok(&r, &w);
		assert_string_equal(w.gender, "M");
	}
	r.c[WC_GENDER] = "女";
	expect_one_error(&r, WC_GENDER);
	r.c[WC_GENDER] = "F";
	expect_one_error(&r, WC_GENDER);
	r.c[WC_GENDER] = "未知";
	expect_one_error(&r, WC_GENDER);
	r.c[WC_GENDER] = "";
	expect_ok(&r, &w);
	assert_string_equal(w.gender, "M");

	for (i = 0; i < sizeof(birth_ok) / sizeof(birth_ok[0]); i++) {
		r.c[WC_BIRTH_DATE] = birth_ok[i];
		expect_ok(&r, &w);
		assert_string_equal(w.birth_date, "1990-01-01");
	}
	r.c[WC_BIRTH_DATE] = "1990-01-02";
	expect_one_error(&r, WC_BIRTH_DATE);
	r.c[WC_BIRTH_DATE] = "1990-02-31";
	expect_one_error(&r, WC_BIRTH_DATE);
	r.c[WC_BIRTH_DATE] = "01/01/1990";
	expect_one_error(&r, WC_BIRTH_DATE);

	/* both wrong: two errors, in column order */
	{
		struct row_errors e;

		r.c[WC_GENDER] = "女";
		r.c[WC_BIRTH_DATE] = "1991-01-01";
		assert_int_equal(norm(&r, &w, &e), ERR_INVALID);
		assert_int_equal(e.n, 2);
		assert_int_equal(e.e[0].col, WC_GENDER);
		assert_int_equal(e.e[1].col, WC_BIRTH_DATE);
	}
}

/* ---- name and text ---- */

static void
t_name(void **state)
{
	char long_name[WORKER_NAME_MAX * 3 + 8];
	struct worker_rec w;
	struct row r;
	int i;

	(void)state;
	row_init(&r);
	r.c[WC_NAME] = "　张三　";
	expect_ok(&r, &w);
	assert_string_equal(w.name, "张三");
	r.c[WC_NAME] = "张  三";          /* aligned like a three-char name */
	expect_ok(&r, &w);
	assert_string_equal(w.name, "张三");
	r.c[WC_NAME] = "Mary   Ann\tLee";
	expect_ok(&r, &w);
	assert_string_equal(w.name, "Mary Ann Lee");
	r.c[WC_NAME] = "迪丽热巴 · 迪力木拉提";
	expect_ok(&r, &w);
	assert_string_equal(w.name, "迪丽热巴·迪力木拉提");
	r.c[WC_NAME] = "张3";            /* odd, but not only digits */
	expect_ok(&r, &w);

	r.c[WC_NAME] = "";
	expect_one_error(&r, WC_NAME);
	r.c[WC_NAME] = "   ";
	expect_one_error(&r, WC_NAME);
	r.c[WC_NAME] = NULL;
	expect_one_error(&r, WC_NAME);
	r.c[WC_NAME] = "12345";
	expect_one_error(&r, WC_NAME);
	r.c[WC_NAME] = "１２３４５";
	expect_one_error(&r, WC_NAME);
	r.c[WC_NAME] = "张\x01三";
	expect_one_error(&r, WC_NAME);
	r.c[WC_NAME] = "张三\n李四";
	expect_one_error(&r, WC_NAME);
	r.c[WC_NAME] = "张\xc2\x85三";      /* C1 control NEL */
	expect_one_error(&r, WC_NAME);
	r.c[WC_NAME] = "张\xff三";
	expect_one_error(&r, WC_NAME);

	for (i = 0; i <= WORKER_NAME_MAX; i++)
		memcpy(long_name + 3 * i, "张", 3);
	long_name[3 * WORKER_NAME_MAX] = '\0';
	r.c[WC_NAME] = long_name;
	expect_ok(&r, &w);
	assert_int_equal(strlen(w.name), WORKER_NAME_MAX * 3);
	memcpy(long_name + 3 * WORKER_NAME_MAX, "三", 4);  /* 65 characters */
	expect_one_error(&r, WC_NAME);
}

static void
t_org_occupation(void **state)
{
	char big[300];
	struct worker_rec w;
	struct row r;

	(void)state;
	row_init(&r);
	r.c[WC_ORG] = " 宁波市江北区\n某某机械　有限公司 ";
	r.c[WC_OCCUPATION] = "数控车工";
	expect_ok(&r, &w);
	assert_string_equal(w.org_name, "宁波市江北区 某某机械 有限公司");
	assert_string_equal(w.occupation, "数控车工");

	memset(big, 'a', 250);
	big[250] = '\0';
	r.c[WC_ORG] = big;
	expect_one_error(&r, WC_ORG);
	r.c[WC_ORG] = "某\x07公司";
	expect_one_error(&r, WC_ORG);
	r.c[WC_ORG] = "";
	r.c[WC_OCCUPATION] = big;
	expect_one_error(&r, WC_OCCUPATION);
}

static void
t_phone(void **state)
{
	static const char *const ok[] = {"13812345678", "138 1234 5678",
	    "138-1234-5678", "+86 138 1234 5678", "+8613812345678",
	    "8613812345678", "0086 13812345678", "１３８１２３４５６７８",
	    "'13812345678"};
	static const char *const bad[] = {"12812345678", "1381234567",
	    "138123456789", "0574-87654321", "abc", "+1 13812345678"};
	struct worker_rec w;
	struct row r;
	size_t i;

	(void)state;
	row_init(&r);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		r.c[WC_PHONE] = ok[i];
		expect_ok(&r, &w);
		assert_string_equal(w.phone, "13812345678");
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r.c[WC_PHONE] = bad[i];
		expect_one_error(&r, WC_PHONE);
	}
	r.c[WC_PHONE] = "";
	expect_ok(&r, &w);
	assert_string_equal(w.phone, "");
}

static void
t_codes(void **state)
{
	struct worker_rec w;
	struct row_errors e;
	struct row r;

	(void)state;
	row_init(&r);
	r.c[WC_ORG_CODE] = "91350100M000100Y43";
	expect_ok(&r, &w);
	assert_string_equal(w.org_code, "91350100M000100Y43");
	r.c[WC_ORG_CODE] = " 91110000600037341l ";
	expect_ok(&r, &w);
	assert_string_equal(w.org_code, "91110000600037341L");
	/* a pilot-era code failing only the checksum: kept, with a warning */
	r.c[WC_ORG_CODE] = "91350100M0001TGQXM";
	assert_int_equal(norm(&r, &w, &e), 0);
	assert_int_equal(e.warnings, 1);
	assert_string_equal(w.org_code, "91350100M0001TGQXM");
	r.c[WC_ORG_CODE] = "91350100M000100O43";     /* O never appears */
	expect_one_error(&r, WC_ORG_CODE);
	r.c[WC_ORG_CODE] = "JB-001";
	expect_ok(&r, &w);
	assert_string_equal(w.org_code, "JB-001");
	r.c[WC_ORG_CODE] = "江北01";
	expect_one_error(&r, WC_ORG_CODE);
	r.c[WC_ORG_CODE] = "";

	r.c[WC_OCCUPATION_CODE] = "6-18-01-01";
	expect_ok(&r, &w);
	assert_string_equal(w.occupation_code, "6-18-01-01");
	r.c[WC_OCCUPATION_CODE] = "６－１８－０１－０１";
	expect_ok(&r, &w);
	assert_string_equal(w.occupation_code, "6-18-01-01");
	r.c[WC_OCCUPATION_CODE] = "6-18-1-01";
	expect_one_error(&r, WC_OCCUPATION_CODE);
	r.c[WC_OCCUPATION_CODE] = "6180101";
	expect_one_error(&r, WC_OCCUPATION_CODE);
	r.c[WC_OCCUPATION_CODE] = "a-bc-de-fg";
	expect_one_error(&r, WC_OCCUPATION_CODE);
}

/* ---- levels ---- */

static void
t_levels(void **state)
{
	static const struct {
		const char *text;
		int level;
	} ok[] = {
		{"", 0}, {"0", 0}, {"无", 0}, {"无等级", 0},
		{"1", 1}, {"学徒工", 1}, {"学徒", 1},
		{"2", 2}, {"初级工", 2}, {"初级", 2}, {"五级", 2},
		{"国家职业资格五级", 2}, {"五级/初级工", 2},
		{"3", 3}, {"中级工", 3}, {"四级", 3}, {"职业资格四级", 3},
		{"4", 4}, {"高级工", 4}, {"三级", 4}, {"3级", 4},
		{"三级/高级工", 4}, {"三级／高级工", 4}, {"高级工（三级）", 4},
		{"高级工(三级)", 4}, {"国家职业资格三级（高级工）", 4},
		{"高级工证书", 4}, {" 高 级 工 ", 4},
		{"5", 5}, {"技师", 5}, {"二级", 5}, {"技师（二级）", 5},
		{"6", 6}, {"高级技师", 6}, {"一级", 6}, {"一级/高级技师", 6},
		{"7", 7}, {"特级技师", 7},
		{"8", 8}, {"首席技师", 8},
		{"８", 8}, {"Senior", 4}, {"senior technician", 6},
	};
	static const char *const bad[] = {"9", "-1", "九级", "6级", "高级技工",
	    "三级/技师", "技师(三级)", "专家", "1.5", "四级工人"};
	struct worker_rec w;
	struct row_errors e;
	struct row r;
	size_t i;

	(void)state;
	row_init(&r);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		r.c[WC_SKILL_LEVEL] = ok[i].text;
		expect_ok(&r, &w);
		if (w.skill_level != ok[i].level)
			fprintf(stderr, "  level \"%s\" gave %d\n", ok[i].text,
			    w.skill_level);
		assert_int_equal(w.skill_level, ok[i].level);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r.c[WC_SKILL_LEVEL] = bad[i];
		expect_one_error(&r, WC_SKILL_LEVEL);
		norm(&r, &w, &e);
		/* names its column and what is allowed */
		assert_non_null(strstr(e.e[0].reason_en, "技能等级"));
		assert_non_null(strstr(e.e[0].reason_en, "高级技师"));
		assert_non_null(strstr(e.e[0].reason_zh, "技能等级"));
		assert_non_null(strstr(e.e[0].reason_zh, "首席技师"));
	}
}

static void
t_level_helpers(void **state)
{
	static const char *const names[] = {"无等级", "学徒工", "初级工",
	    "中级工", "高级工", "技师", "高级技师", "特级技师", "首席技师"};
	static const int skilled[] = {0, 0, 1, 1, 1, 1, 1, 1, 1};
	static const int high[] = {0, 0, 0, 0, 1, 1, 1, 1, 1};
	int i;

	(void)state;
	for (i = 0; i <= 8; i++) {
		assert_string_equal(skill_level_name(i), names[i]);
		assert_int_equal(skill_is_skilled(i), skilled[i]);
		assert_int_equal(skill_is_high(i), high[i]);
	}
	assert_string_equal(skill_level_name(-1), "");
	assert_string_equal(skill_level_name(9), "");
	assert_int_equal(skill_is_skilled(9), 0);
	assert_int_equal(skill_is_high(-1), 0);
}

/* ---- union, dates, codes, status ---- */

static void
t_union(void **state)
{
	static const char *const yes[] = {"是", "Y", "y", "yes", "YES", "1",
	    "true", "TRUE", "√", "Ｙ"};
	static const char *const no[] = {"否", "N", "n", "no", "0", "false",
	    "False", "×"};
	struct worker_rec w;
	struct row r;
	size_t i;

	(void)state;
	row_init(&r);
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		r.c[WC_UNION_MEMBER] = yes[i];
		expect_ok(&r, &w);
		assert_int_equal(w.union_member, 1);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		r.c[WC_UNION_MEMBER] = no[i];
		expect_ok(&r, &w);
		assert_int_equal(w.union_member, 0);
	}
	r.c[WC_UNION_MEMBER] = "";
	expect_ok(&r, &w);
	assert_int_equal(w.union_member, 0);
	r.c[WC_UNION_MEMBER] = "也许";
	expect_one_error(&r, WC_UNION_MEMBER);

	/* member, no date: fine */
	r.c[WC_UNION_MEMBER] = "是";
	expect_ok(&r, &w);
	assert_string_equal(w.union_joined, "");
	/* member with date */
	r.c[WC_UNION_JOINED] = "2015/3/1";
	expect_ok(&r, &w);
	assert_string_equal(w.union_joined, "2015-03-01");
	/* date without membership */
	r.c[WC_UNION_MEMBER] = "否";
	expect_one_error(&r, WC_UNION_JOINED);
	r.c[WC_UNION_MEMBER] = "";
	expect_one_error(&r, WC_UNION_JOINED);
	/* bad, future, before birth */
	r.c[WC_UNION_MEMBER] = "是";
	r.c[WC_UNION_JOINED] = "2015-02-29";
	expect_one_error(&r, WC_UNION_JOINED);
	r.c[WC_UNION_JOINED] = "2026-01-02";
	expect_one_error(&r, WC_UNION_JOINED);
	r.c[WC_UNION_JOINED] = "2026-01-01";
	expect_ok(&r, &w);
	r.c[WC_UNION_JOINED] = "1989-12-31";
	expect_one_error(&r, WC_UNION_JOINED);
}

static void
t_dates(void **state)
{
	static const char *const ok[] = {"2020-01-05", "2020-1-5", "2020/1/5",
	    "2020/01/05", "2020.1.5", "20200105", "2020年1月5日", "2020年01月05日",
	    "2020年1月5号", "2020/1/5 0:00", "2020/1/5 00:00:00",
	    "２０２０／１／５", " 2020-01-05 "};
	static const char *const bad[] = {"2020-13-01", "2020-02-30",
	    "2021-02-29", "2020-1", "2020", "05/01/2020", "2020-01-05x",
	    "2020/1-5", "2020年1月", "1899-12-31", "2020-01-05 noon", "2020--1-5",
	    "20200230", "２０２０年２月３０日"};
	struct worker_rec w;
	struct row r;
	size_t i;

	(void)state;
	row_init(&r);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		r.c[WC_HIRED] = ok[i];
		expect_ok(&r, &w);
		assert_string_equal(w.hired, "2020-01-05");
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r.c[WC_HIRED] = bad[i];
		expect_one_error(&r, WC_HIRED);
	}
	r.c[WC_HIRED] = "2020-02-29";           /* leap year */
	expect_ok(&r, &w);
	r.c[WC_HIRED] = "2026-01-02";           /* future */
	expect_one_error(&r, WC_HIRED);
	r.c[WC_HIRED] = "";
	expect_ok(&r, &w);
	assert_string_equal(w.hired, "");
}

static void
t_hired_age(void **state)
{
	struct worker_rec w;
	struct row r;
	char id[19];

	(void)state;
	row_init(&r);                     /* born 1990-01-01 */
	r.c[WC_HIRED] = "2006-01-01";     /* the 16th birthday */
	expect_ok(&r, &w);
	r.c[WC_HIRED] = "2005-12-31";
	expect_one_error(&r, WC_HIRED);
	r.c[WC_HIRED] = "1985-01-01";
	expect_one_error(&r, WC_HIRED);
	/* born 29 February: 16 on 2020-02-29 */
	id_complete("11010520040229001", id);
	r.c[WC_ID_NO] = id;
	r.c[WC_HIRED] = "2020-02-29";
	expect_ok(&r, &w);
	r.c[WC_HIRED] = "2020-02-28";
	expect_one_error(&r, WC_HIRED);
	/* no valid ID: the age rule cannot apply, only the ID error shows */
	r.c[WC_ID_NO] = "x";
	r.c[WC_HIRED] = "1970-01-01";
	expect_one_error(&r, WC_ID_NO);
}

static void
t_political_education(void **state)
{
	static const struct {
		const char *text, *code;
	} pol[] = {
		{"01", "01"}, {"1", "01"}, {"中共党员", "01"}, {"党员", "01"},
		{"02", "02"}, {"中共预备党员", "02"}, {"03", "03"}, {"3", "03"},
		{"共青团员", "03"}, {"中国共产主义青年团团员", "03"},
		{"04", "04"}, {"民主党派", "04"}, {"13", "13"}, {"群众", "13"},
		{"cpc member", "01"}, {"No Affiliation", "13"}, {" 群 众 ", "13"},
	}, edu[] = {
		{"10", "10"}, {"研究生（博士）", "10"}, {"研究生(博士)", "10"},
		{"博士", "10"}, {"11", "11"}, {"研究生（硕士）", "11"},
		{"20", "20"}, {"大学本科", "20"}, {"本科", "20"},
		{"bachelor", "20"}, {"30", "30"}, {"大学专科", "30"},
		{"大专", "30"}, {"40", "40"}, {"中等职业教育", "40"}, {"中专", "40"},
		{"技校", "40"}, {"60", "60"}, {"普通高中", "60"}, {"高中", "60"},
		{"70", "70"}, {"初中及以下", "70"}, {"初中", "70"},
		{"Senior high school", "60"},
	};
	struct worker_rec w;
	struct row r;
	size_t i;

	(void)state;
	row_init(&r);
	for (i = 0; i < sizeof(pol) / sizeof(pol[0]); i++) {
		r.c[WC_POLITICAL_STATUS] = pol[i].text;
		expect_ok(&r, &w);
		assert_string_equal(w.political_status, pol[i].code);
	}
	r.c[WC_POLITICAL_STATUS] = "无党派人士";
	expect_one_error(&r, WC_POLITICAL_STATUS);
	r.c[WC_POLITICAL_STATUS] = "5";
	expect_one_error(&r, WC_POLITICAL_STATUS);
	r.c[WC_POLITICAL_STATUS] = "";
	expect_ok(&r, &w);
	assert_string_equal(w.political_status, "");

	for (i = 0; i < sizeof(edu) / sizeof(edu[0]); i++) {
		r.c[WC_EDUCATION] = edu[i].text;
		expect_ok(&r, &w);
		assert_string_equal(w.education, edu[i].code);
	}
	r.c[WC_EDUCATION] = "博士后";
	expect_one_error(&r, WC_EDUCATION);
	r.c[WC_EDUCATION] = "50";
	expect_one_error(&r, WC_EDUCATION);
}

static void
t_status(void **state)
{
	struct worker_rec w;
	struct row r;

	(void)state;
	row_init(&r);
	expect_ok(&r, &w);
	assert_string_equal(w.status, "active");
	r.c[WC_STATUS] = "在职";
	expect_ok(&r, &w);
	assert_string_equal(w.status, "active");
	r.c[WC_STATUS] = "Active";
	expect_ok(&r, &w);
	assert_string_equal(w.status, "active");
	r.c[WC_STATUS] = "离职";
	expect_ok(&r, &w);
	assert_string_equal(w.status, "left");
	r.c[WC_STATUS] = "left";
	expect_ok(&r, &w);
	assert_string_equal(w.status, "left");
	r.c[WC_STATUS] = "退休";
	expect_one_error(&r, WC_STATUS);
}

/* A row of garbage in every column: errors stop at ROW_ERRORS_MAX, the
 * first ones are kept, and every one has both languages. */
static void
t_error_cap(void **state)
{
	struct worker_rec w;
	struct row_errors e;
	const char *c[WC__MAX];
	int i;

	(void)state;
	for (i = 0; i < WC__MAX; i++)
		c[i] = "\x01???";
	assert_int_equal(worker_normalise(c, TODAY, &w, &e), ERR_INVALID);
	assert_true(e.n > 8);
	assert_true(e.n <= ROW_ERRORS_MAX);
	assert_int_equal(e.e[0].col, WC_NAME);
	assert_int_equal(e.e[1].col, WC_ID_NO);
	for (i = 0; i < e.n; i++) {
		assert_true(e.e[i].col >= 0 && e.e[i].col < WC__MAX);
		assert_true(e.e[i].reason_en && *e.e[i].reason_en);
		assert_true(e.e[i].reason_zh && *e.e[i].reason_zh);
	}
	/* NULL cells array: just the two required columns fail */
	assert_int_equal(worker_normalise(NULL, TODAY, &w, &e), ERR_INVALID);
	assert_int_equal(e.n, 2);
}

/* A whole row as an import file carries it. */
static void
t_full_row(void **state)
{
	struct worker_rec w;
	struct row r;

	(void)state;
	row_init(&r);
	r.c[WC_GENDER] = "男";
	r.c[WC_BIRTH_DATE] = "1990/1/1";
	r.c[WC_PHONE] = "138 1234 5678";
	r.c[WC_ORG] = "宁波某某机械有限公司";
	r.c[WC_ORG_CODE] = "91350100M000100Y43";
	r.c[WC_OCCUPATION] = "数控车工";
	r.c[WC_OCCUPATION_CODE] = "6-18-01-01";
	r.c[WC_SKILL_LEVEL] = "高级工";
	r.c[WC_UNION_MEMBER] = "是";
	r.c[WC_UNION_JOINED] = "2015年3月1日";
	r.c[WC_POLITICAL_STATUS] = "中共党员";
	r.c[WC_EDUCATION] = "大学本科";
	r.c[WC_HIRED] = "2012.7.1";
	r.c[WC_STATUS] = "在职";
	expect_ok(&r, &w);
	assert_string_equal(w.name, "张三");
	assert_string_equal(w.id_no, r.id);
	assert_string_equal(w.gender, "M");
	assert_string_equal(w.birth_date, "1990-01-01");
	assert_string_equal(w.phone, "13812345678");
	assert_string_equal(w.org_name, "宁波某某机械有限公司");
	assert_string_equal(w.org_code, "91350100M000100Y43");
	assert_string_equal(w.occupation, "数控车工");
	assert_string_equal(w.occupation_code, "6-18-01-01");
	assert_int_equal(w.skill_level, 4);
	assert_int_equal(w.union_member, 1);
	assert_string_equal(w.union_joined, "2015-03-01");
	assert_string_equal(w.political_status, "01");
	assert_string_equal(w.education, "20");
	assert_string_equal(w.hired, "2012-07-01");
	assert_string_equal(w.status, "active");
	/* valid_resident_id agrees with what we stored */
	assert_int_equal(valid_resident_id(w.id_no, TODAY, NULL), 0);
}

/* ---- headers ---- */

static void
t_col_lookup(void **state)
{
	static const char *const zh[WC__MAX] = {"姓名", "身份证号", "性别",
	    "出生日期", "手机号", "所在单位", "单位代码", "工种", "职业代码",
	    "技能等级", "是否工会会员", "入会日期", "政治面貌", "学历", "入职日期",
	    "状态"};
	static const char *const en[WC__MAX] = {"name", "id_no", "gender",
	    "birth_date", "phone", "org", "org_code", "occupation",
	    "occupation_code", "skill_level", "union_member", "union_joined",
	    "political_status", "education", "hired", "status"};
	int i;

	(void)state;
	for (i = 0; i < WC__MAX; i++) {
		assert_string_equal(worker_cols[i].zh, zh[i]);
		assert_string_equal(worker_cols[i].en, en[i]);
		assert_non_null(worker_cols[i].allowed_zh);
		assert_non_null(worker_cols[i].allowed_en);
		assert_int_equal(worker_col_lookup(zh[i]), i);
		assert_int_equal(worker_col_lookup(en[i]), i);
	}
	assert_int_equal(worker_cols[WC_NAME].required, 1);
	assert_int_equal(worker_cols[WC_ID_NO].required, 1);
	assert_int_equal(worker_cols[WC_PHONE].required, 0);

	assert_int_equal(worker_col_lookup("统一社会信用代码"), WC_ORG_CODE);
	assert_int_equal(worker_col_lookup("身份证号码"), WC_ID_NO);
	assert_int_equal(worker_col_lookup("姓  名"), WC_NAME);
	assert_int_equal(worker_col_lookup("　姓名　"), WC_NAME);
	assert_int_equal(worker_col_lookup("姓名*"), WC_NAME);
	assert_int_equal(worker_col_lookup("*姓名"), WC_NAME);
	assert_int_equal(worker_col_lookup("姓名＊"), WC_NAME);
	assert_int_equal(worker_col_lookup("姓名（必填）"), WC_NAME);
	assert_int_equal(worker_col_lookup("身份证号(必填)*"), WC_ID_NO);
	assert_int_equal(worker_col_lookup("NAME"), WC_NAME);
	assert_int_equal(worker_col_lookup("Id_No"), WC_ID_NO);
	assert_int_equal(worker_col_lookup("ID No"), WC_ID_NO);
	assert_int_equal(worker_col_lookup("Birth Date"), WC_BIRTH_DATE);
	assert_int_equal(worker_col_lookup("\xef\xbb\xbf姓名"), WC_NAME);
	assert_int_equal(worker_col_lookup("文化程度"), WC_EDUCATION);

	assert_int_equal(worker_col_lookup("备注"), -1);
	assert_int_equal(worker_col_lookup("names"), -1);
	assert_int_equal(worker_col_lookup(""), -1);
	assert_int_equal(worker_col_lookup("*"), -1);
	assert_int_equal(worker_col_lookup(NULL), -1);
}

/* ---- masks ---- */

static void
t_masks(void **state)
{
	char id[19], ph[12];

	(void)state;
	worker_mask_id("33020319900101123X", id);
	assert_string_equal(id, "330***********123X");
	worker_mask_phone("13812345678", ph);
	assert_string_equal(ph, "138****5678");
	/* malformed values never show more than a good one would */
	worker_mask_id("", id);
	assert_string_equal(id, "");
	worker_mask_id(NULL, id);
	assert_string_equal(id, "");
	worker_mask_id("1234567", id);
	assert_string_equal(id, "*******");
	worker_mask_id("12345678", id);
	assert_string_equal(id, "123*5678");
	worker_mask_id("330203199001011234567890", id);
	assert_string_equal(id, "330***********7890");
	worker_mask_phone("1381234", ph);
	assert_string_equal(ph, "*******");
	worker_mask_phone("+8613812345678", ph);
	assert_string_equal(ph, "+86****5678");
}

/* The row rules carry their own copy of the political_status and
 * education code lists (an import must not query the store per cell);
 * every code and Chinese label the store's code lists hold must normalise
 * to that code, so the two copies cannot drift apart. */
static void
t_code_lists_match_store(void **state)
{
	static const struct {
		const char *list;
		int col;
	} lists[] = {
		{"political_status", WC_POLITICAL_STATUS},
		{"education", WC_EDUCATION},
	};
	char dir[] = "/tmp/changai-test-record.XXXXXX", path[64];
	struct db *db = NULL;
	struct db_conn *c = NULL;
	int from, to, seen;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	assert_int_equal(db_open(path, 1, &db), 0);
	assert_int_equal(db_migrate(db, &from, &to), 0);
	assert_int_equal(db_acquire(db, DB_READ, &c), 0);
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		char codes[32][8], labels[32][64];
		int n = 0;

		assert_int_equal(db_prep(c, CODE_LIST), 0);
		db_bind_text(c, 1, lists[l].list);
		while (db_step(c) == DB_ROW && n < 32) {
			snprintf(codes[n], sizeof(codes[n]), "%s", db_col_text(c, 0));
			snprintf(labels[n], sizeof(labels[n]), "%s", db_col_text(c, 1));
			n++;
		}
		db_done(c);
		assert_true(n >= 5);
		seen = 0;
		for (int i = 0; i < n; i++) {
			const char *forms[2] = {codes[i], labels[i]};

			for (int k = 0; k < 2; k++) {
				struct worker_rec w;
				struct row r;

				row_init(&r);
				r.c[lists[l].col] = forms[k];
				expect_ok(&r, &w);
				assert_string_equal(lists[l].col == WC_EDUCATION ?
				    w.education : w.political_status, codes[i]);
				seen++;
			}
		}
		assert_int_equal(seen, 2 * n);
	}
	db_release(c);
	db_close(db);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/s.db%s", dir,
		    i == 0 ? "" : i == 1 ? "-wal" : "-shm");
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_id_vectors),
		cmocka_unit_test(t_id_spellings),
		cmocka_unit_test(t_id_errors),
		cmocka_unit_test(t_age_warnings),
		cmocka_unit_test(t_gender_birth_agree),
		cmocka_unit_test(t_name),
		cmocka_unit_test(t_org_occupation),
		cmocka_unit_test(t_phone),
		cmocka_unit_test(t_codes),
		cmocka_unit_test(t_levels),
		cmocka_unit_test(t_level_helpers),
		cmocka_unit_test(t_union),
		cmocka_unit_test(t_dates),
		cmocka_unit_test(t_hired_age),
		cmocka_unit_test(t_political_education),
		cmocka_unit_test(t_code_lists_match_store),
		cmocka_unit_test(t_status),
		cmocka_unit_test(t_error_cap),
		cmocka_unit_test(t_full_row),
		cmocka_unit_test(t_col_lookup),
		cmocka_unit_test(t_masks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
