/* The rules of a worker record (record.h). Every rule is written for what
 * officials really type into Excel or WPS: full-width digits pasted from
 * Word, spaces inside ID numbers, 2020/1/5 dates, 高级工（三级） levels, the
 * leading zero Excel strips from "01". Anything we cannot read with
 * certainty is an error that names the column and says what is allowed;
 * nothing is guessed silently. */
#include "workers/record.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"
#include "base/valid.h"

/* Headers as DOMAIN.md lists them, plus the columns the registry adds. The
 * allowed_* texts go into the import template's explanation row. */
const struct worker_col_def worker_cols[WC__MAX] = {
	[WC_NAME] = {"姓名", "name", 1,
	    "必填，1–64 个字",
	    "required, 1-64 characters"},
	[WC_ID_NO] = {"身份证号", "id_no", 1,
	    "必填，18 位居民身份证号，末位可为 X；请把该列设为“文本”格式",
	    "required, 18-character resident ID (the last may be X); "
	    "format the column as text in Excel"},
	[WC_GENDER] = {"性别", "gender", 0,
	    "男 或 女；可不填，填写时须与身份证号一致",
	    "男/女 (M/F); optional, must agree with the ID number"},
	[WC_BIRTH_DATE] = {"出生日期", "birth_date", 0,
	    "如 1990-01-05；可不填，填写时须与身份证号一致",
	    "e.g. 1990-01-05; optional, must agree with the ID number"},
	[WC_PHONE] = {"手机号", "phone", 0,
	    "11 位手机号码，可不填",
	    "11-digit mainland mobile number, optional"},
	[WC_ORG] = {"所在单位", "org", 0,
	    "单位全称",
	    "full name of the employer"},
	[WC_ORG_CODE] = {"单位代码", "org_code", 0,
	    "统一社会信用代码（18 位）或单位编码，可不填",
	    "unified social credit code (18 characters) or the unit's code, "
	    "optional"},
	[WC_OCCUPATION] = {"工种", "occupation", 0,
	    "如 数控车工",
	    "e.g. 数控车工 (CNC lathe operator)"},
	[WC_OCCUPATION_CODE] = {"职业代码", "occupation_code", 0,
	    "职业分类大典代码，如 6-18-01-01，可不填",
	    "occupation code of the national classification, e.g. 6-18-01-01, "
	    "optional"},
	[WC_SKILL_LEVEL] = {"技能等级", "skill_level", 0,
	    "学徒工、初级工、中级工、高级工、技师、高级技师、特级技师、首席技师，"
	    "或职业资格 五级…一级，或 0–8；不填为无等级",
	    "学徒工 初级工 中级工 高级工 技师 高级技师 特级技师 首席技师, "
	    "the old 五级 … 一级, or 0-8; empty = none"},
	[WC_UNION_MEMBER] = {"是否工会会员", "union_member", 0,
	    "是 或 否",
	    "是/否, Y/N, 1/0, true/false"},
	[WC_UNION_JOINED] = {"入会日期", "union_joined", 0,
	    "如 2015-03-01；仅工会会员填写",
	    "e.g. 2015-03-01; members only"},
	[WC_POLITICAL_STATUS] = {"政治面貌", "political_status", 0,
	    "中共党员、中共预备党员、共青团员、民主党派、群众"
	    "（或代码 01 02 03 04 13）",
	    "中共党员 中共预备党员 共青团员 民主党派 群众, or the codes "
	    "01 02 03 04 13"},
	[WC_EDUCATION] = {"学历", "education", 0,
	    "研究生（博士）、研究生（硕士）、大学本科、大学专科、中等职业教育、"
	    "普通高中、初中及以下（或代码 10 11 20 30 40 60 70）",
	    "研究生（博士） 研究生（硕士） 大学本科 大学专科 中等职业教育 "
	    "普通高中 初中及以下, or the codes 10 11 20 30 40 60 70"},
	[WC_HIRED] = {"入职日期", "hired", 0,
	    "如 2016-07-01",
	    "e.g. 2016-07-01"},
	[WC_STATUS] = {"状态", "status", 0,
	    "在职 或 离职；不填为在职",
	    "在职/离职 (active/left); empty = active"},
};

/* Other headers seen in real rosters. Only names that cannot mean another
 * column are here: 联系电话 is left out because it is often a landline. */
static const struct {
	const char *zh;
	int col;
} col_alias[] = {
	{"统一社会信用代码", WC_ORG_CODE},
	{"社会信用代码", WC_ORG_CODE},
	{"身份证号码", WC_ID_NO},
	{"公民身份号码", WC_ID_NO},
	{"身份证", WC_ID_NO},
	{"手机号码", WC_PHONE},
	{"手机", WC_PHONE},
	{"工作单位", WC_ORG},
	{"单位名称", WC_ORG},
	{"职业编码", WC_OCCUPATION_CODE},
	{"职业技能等级", WC_SKILL_LEVEL},
	{"工会会员", WC_UNION_MEMBER},
	{"是否会员", WC_UNION_MEMBER},
	{"入会时间", WC_UNION_JOINED},
	{"入职时间", WC_HIRED},
	{"文化程度", WC_EDUCATION},
	{"最高学历", WC_EDUCATION},
	{"在职状态", WC_STATUS},
};

/* ---- text helpers ---------------------------------------------------- */

/* Blanks officials leave around cells: ASCII white space, the ideographic
 * space U+3000 that Chinese IMEs type, NBSP from web pages and a stray
 * U+FEFF when files were concatenated. Returns the byte length of the blank
 * at s, or 0. */
static size_t
blank_at(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' ||
	    s[0] == '\n' || s[0] == '\v' || s[0] == '\f'))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && s[1] == 0xa0)
		return 2;
	if (n >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 3;
	return 0;
}

/* The same, for a blank that ends at s[n-1]. Lead bytes C2/E3/EF are never
 * continuation bytes, so matching the tail cannot split a character. */
static size_t
blank_before(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == '\v' ||
	    s[n - 1] == '\f'))
		return 1;
	if (n >= 2 && s[n - 2] == 0xc2 && s[n - 1] == 0xa0)
		return 2;
	if (n >= 3 && s[n - 3] == 0xe3 && s[n - 2] == 0x80 && s[n - 1] == 0x80)
		return 3;
	if (n >= 3 && s[n - 3] == 0xef && s[n - 2] == 0xbb && s[n - 1] == 0xbf)
		return 3;
	return 0;
}

static void
trim(const char **s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t len = *n, k;

	while ((k = blank_at(p, len)) != 0) {
		p += k;
		len -= k;
	}
	while ((k = blank_before(p, len)) != 0)
		len -= k;
	*s = (const char *)p;
	*n = len;
}

/* Copies a cell into out, trimmed, with the forms Excel users paste folded
 * to ASCII: full-width ASCII (U+FF01..U+FF5E: １２３ＸＡ－（）／) becomes
 * its ASCII twin, U+3000 and NBSP become a space; with drop, spaces and tabs
 * are removed altogether (ID numbers pasted as "330203 19900101 1234").
 * ERR_TOOBIG when it does not fit. */
static int
fold(const char *cell, char *out, size_t outlen, int drop)
{
	const char *s = cell ? cell : "";
	size_t n = strlen(s), i = 0, o = 0;
	const unsigned char *p;

	trim(&s, &n);
	p = (const unsigned char *)s;
	while (i < n) {
		unsigned char c = p[i];
		size_t step = 1;

		if (c == 0xef && i + 2 < n && p[i + 1] == 0xbc &&
		    p[i + 2] >= 0x81 && p[i + 2] <= 0xbf) {
			c = (unsigned char)(0x21 + (p[i + 2] - 0x81));
			step = 3;
		} else if (c == 0xef && i + 2 < n && p[i + 1] == 0xbd &&
		    p[i + 2] >= 0x80 && p[i + 2] <= 0x9e) {
			c = (unsigned char)(0x60 + (p[i + 2] - 0x80));
			step = 3;
		} else if (c == 0xe3 && i + 2 < n && p[i + 1] == 0x80 &&
		    p[i + 2] == 0x80) {
			c = ' ';
			step = 3;
		} else if (c == 0xc2 && i + 1 < n && p[i + 1] == 0xa0) {
			c = ' ';
			step = 2;
		}
		i += step;
		if (drop && (c == ' ' || c == '\t'))
			continue;
		if (o + 1 >= outlen)
			return ERR_TOOBIG;
		out[o++] = (char)c;
	}
	if (outlen == 0)
		return ERR_TOOBIG;
	out[o] = '\0';
	return 0;
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The year of a checked YYYY-MM-DD. */
static int
year_of(const char *d)
{
	return (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 +
	    (d[3] - '0');
}

/* Removes every occurrence of c from s, in place. */
static void
strip_char(char *s, char c)
{
	char *w = s;

	for (; *s; s++)
		if (*s != c)
			*w++ = *s;
	*w = '\0';
}

/* Control characters: C0, DEL and C1 (U+0080..U+009F, C2 80..C2 9F). */
static int
ctrl_at(const unsigned char *p, size_t n)
{
	if (p[0] < 0x20 || p[0] == 0x7f)
		return 1;
	return n >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
}

/* ---- errors ---------------------------------------------------------- */

struct reason {
	const char *en;
	const char *zh;
};

#define R(name, en, zh) static const struct reason name = {en, zh}

R(R_NAME_REQ, "姓名 (name) is required", "姓名必填");
R(R_NAME_LONG, "姓名 (name) is longer than 64 characters",
    "姓名超过 64 个字");
R(R_NAME_CTRL, "姓名 (name) contains control characters or line breaks",
    "姓名含有控制字符或换行");
R(R_NAME_DIGITS, "姓名 (name) is only digits: are the columns shifted?",
    "姓名全是数字，列是否错位？");
R(R_UTF8, "the cell is not valid text (UTF-8)", "单元格文字编码无效");
R(R_ID_REQ, "身份证号 (ID number) is required", "身份证号必填");
R(R_ID_15, "15-digit IDs must be converted to 18 digits",
    "15 位身份证号须先升级为 18 位");
R(R_ID_SCI, "身份证号 was turned into a number by Excel (like 3.30203E+17): "
    "format the column as text and type the numbers again",
    "身份证号被 Excel 转成了数字（如 3.30203E+17），请把该列设为文本格式后"
    "重新录入");
R(R_ID_FORM, "身份证号 must be 18 characters: 17 digits and a final digit "
    "or X", "身份证号应为 18 位：17 位数字加 1 位数字或 X");
R(R_ID_CHECK, "身份证号 check character (the last one) is wrong: a typing "
    "error?", "身份证号校验位（最后一位）不正确，是否录错？");
R(R_ID_BIRTH, "the birth date inside 身份证号 is not a real date",
    "身份证号中的出生日期不是有效日期");
R(R_ID_FUTURE, "the birth date inside 身份证号 is in the future",
    "身份证号中的出生日期晚于今天");
R(R_GENDER, "性别 (gender) must be 男 or 女 (M or F)",
    "性别应为“男”或“女”");
R(R_GENDER_ID, "性别 (gender) does not match 身份证号 (17th digit odd = "
    "male, even = female)",
    "性别与身份证号不符（第 17 位奇数为男、偶数为女）");
R(R_BIRTH_BAD, "出生日期 (birth date) is not a real date: write it like "
    "1990-01-05", "出生日期不是有效日期，请写成 1990-01-05 这样的格式");
R(R_BIRTH_ID, "出生日期 (birth date) does not match 身份证号",
    "出生日期与身份证号不符");
R(R_PHONE, "手机号 (phone) must be an 11-digit mainland mobile number "
    "starting with 13-19", "手机号应为 13–19 开头的 11 位手机号码");
R(R_PHONE_LONG, "手机号 (phone) is too long", "手机号过长");
R(R_ORG_LONG, "所在单位 (org) is longer than 200 bytes (about 66 Chinese "
    "characters)", "所在单位超过 200 字节（约 66 个汉字）");
R(R_ORG_CTRL, "所在单位 (org) contains control characters",
    "所在单位含有控制字符");
R(R_OCC_LONG, "工种 (occupation) is longer than 120 bytes (40 Chinese "
    "characters)", "工种超过 120 字节（40 个汉字）");
R(R_OCC_CTRL, "工种 (occupation) contains control characters",
    "工种含有控制字符");
R(R_ORG_CODE, "单位代码 (org_code) must be an 18-character unified social "
    "credit code, or a code of at most 40 letters, digits, '-' or '_'",
    "单位代码应为 18 位统一社会信用代码，或不超过 40 位的字母、数字、- 或 _");
R(R_USCC_CHARS, "单位代码 (org_code) of 18 characters is not a unified "
    "social credit code: it never contains I, O, S, V or Z",
    "18 位单位代码不是有效的统一社会信用代码：其中不会出现 I、O、S、V、Z");
R(R_OCC_CODE, "职业代码 (occupation_code) must look like 6-18-01-01 "
    "(职业分类大典)", "职业代码应形如 6-18-01-01（职业分类大典）");
R(R_LEVEL, "技能等级 (skill_level) must be one of 学徒工 初级工 中级工 "
    "高级工 技师 高级技师 特级技师 首席技师, the old 职业资格 五级 四级 三级 "
    "二级 一级, a number 0-8, or empty",
    "技能等级应为 学徒工、初级工、中级工、高级工、技师、高级技师、特级技师、"
    "首席技师 之一，或职业资格 五级、四级、三级、二级、一级，或 0–8，或不填");
R(R_YESNO, "是否工会会员 (union_member) must be 是 or 否 (Y/N, 1/0, "
    "true/false)", "是否工会会员应为“是”或“否”");
R(R_JOINED_BAD, "入会日期 (union_joined) is not a real date: write it like "
    "2015-03-01", "入会日期不是有效日期，请写成 2015-03-01 这样的格式");
R(R_JOINED_FUTURE, "入会日期 (union_joined) is in the future",
    "入会日期晚于今天");
R(R_JOINED_NOT_MEMBER, "入会日期 (union_joined) is given but 是否工会会员 "
    "is not 是", "填写了入会日期，但“是否工会会员”不是“是”");
R(R_JOINED_BEFORE_BIRTH, "入会日期 (union_joined) is before the birth date",
    "入会日期早于出生日期");
R(R_POLITICAL, "政治面貌 (political_status) must be 中共党员, 中共预备党员, "
    "共青团员, 民主党派 or 群众 (codes 01 02 03 04 13)",
    "政治面貌应为 中共党员、中共预备党员、共青团员、民主党派、群众"
    "（或代码 01、02、03、04、13）");
R(R_EDUCATION, "学历 (education) must be 研究生（博士）, 研究生（硕士）, "
    "大学本科, 大学专科, 中等职业教育, 普通高中 or 初中及以下 "
    "(codes 10 11 20 30 40 60 70)",
    "学历应为 研究生（博士）、研究生（硕士）、大学本科、大学专科、中等职业教育、"
    "普通高中、初中及以下（或代码 10、11、20、30、40、60、70）");
R(R_HIRED_BAD, "入职日期 (hired) is not a real date: write it like "
    "2016-07-01", "入职日期不是有效日期，请写成 2016-07-01 这样的格式");
R(R_HIRED_FUTURE, "入职日期 (hired) is in the future", "入职日期晚于今天");
R(R_HIRED_YOUNG, "入职日期 (hired) is before the worker turned 16",
    "入职日期早于年满 16 周岁");
R(R_STATUS, "状态 (status) must be 在职 or 离职 (active / left)",
    "状态应为“在职”或“离职”");

#undef R

/* Keeps the first ROW_ERRORS_MAX problems: the first ones are what an
 * official fixes first, and a row with more is usually shifted columns. */
static void
add_err(struct row_errors *errs, int col, const struct reason *r)
{
	if (errs->n >= ROW_ERRORS_MAX)
		return;
	errs->e[errs->n].col = col;
	errs->e[errs->n].reason_en = r->en;
	errs->e[errs->n].reason_zh = r->zh;
	errs->n++;
}

/* ---- header lookup --------------------------------------------------- */

/* English names compare without case and without '_' or '-', so "ID No",
 * "id_no" and "Birth-Date" all match (spaces are gone already). */
static int
en_equal(const char *a, const char *b)
{
	for (;;) {
		while (*a == '_' || *a == '-')
			a++;
		while (*b == '_' || *b == '-')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if ((*a | 0x20) != (*b | 0x20) ||
		    !((*a >= 'a' && *a <= 'z') || (*a >= 'A' && *a <= 'Z') ||
		    (*a >= '0' && *a <= '9') || *a == *b))
			return 0;
		a++;
		b++;
	}
}

int
worker_col_lookup(const char *header)
{
	char h[128];
	size_t n;
	int i;

	/* Spaces go entirely: templates align two-character headers as
	 * "姓  名". */
	if (!header || fold(header, h, sizeof(h), 1))
		return -1;
	/* "*姓名", "姓名*", "姓名（必填）", "姓名：" all mark the same column. */
	while (h[0] == '*')
		memmove(h, h + 1, strlen(h));
	n = strlen(h);
	for (;;) {
		static const char req[] = "(必填)", opt[] = "(选填)";

		if (n && (h[n - 1] == '*' || h[n - 1] == ':'))
			n--;
		else if (n >= sizeof(req) - 1 &&
		    !memcmp(h + n - (sizeof(req) - 1), req, sizeof(req) - 1))
			n -= sizeof(req) - 1;
		else if (n >= sizeof(opt) - 1 &&
		    !memcmp(h + n - (sizeof(opt) - 1), opt, sizeof(opt) - 1))
			n -= sizeof(opt) - 1;
		else
			break;
		h[n] = '\0';
	}
	if (!n)
		return -1;
	for (i = 0; i < WC__MAX; i++)
		if (!strcmp(h, worker_cols[i].zh) || en_equal(h, worker_cols[i].en))
			return i;
	for (i = 0; i < (int)ARRAY_LEN(col_alias); i++)
		if (!strcmp(h, col_alias[i].zh))
			return col_alias[i].col;
	return -1;
}

/* ---- field parsers --------------------------------------------------- */

/* A date column: "" stays "", otherwise a real day not after today.
 * Returns 0, or -1 when an error was added. */
static int
date_field(const char *cell, const char *today, char out[11], int col,
    const struct reason *bad, const struct reason *future,
    struct row_errors *errs)
{
	char s[64];

	out[0] = '\0';
	if (fold(cell, s, sizeof(s), 0)) {
		add_err(errs, col, bad);
		return -1;
	}
	if (!s[0])
		return 0;
	if (date_parse_loose(s, out)) {
		add_err(errs, col, bad);
		return -1;
	}
	if (strcmp(out, today) > 0) {
		add_err(errs, col, future);
		return -1;
	}
	return 0;
}

/* Case-insensitive for ASCII, exact for Chinese. */
static int
word_is(const char *s, const char *w)
{
	return !strcasecmp(s, w);
}

static int
parse_gender(const char *s, char out[2])
{
	static const char *const male[] = {"男", "男性", "m", "male"};
	static const char *const female[] = {"女", "女性", "f", "female"};
	size_t i;

	for (i = 0; i < ARRAY_LEN(male); i++)
		if (word_is(s, male[i])) {
			str_copy(out, 2, "M");
			return 0;
		}
	for (i = 0; i < ARRAY_LEN(female); i++)
		if (word_is(s, female[i])) {
			str_copy(out, 2, "F");
			return 0;
		}
	return ERR_INVALID;
}

/* 是/否 and what else shows up in 是否 columns, ticks included. */
static int
parse_yesno(const char *s, int *out)
{
	static const char *const yes[] = {"是", "y", "yes", "1", "true", "√",
	    "✓"};
	static const char *const no[] = {"否", "n", "no", "0", "false", "×",
	    "✗"};
	size_t i;

	for (i = 0; i < ARRAY_LEN(yes); i++)
		if (word_is(s, yes[i])) {
			*out = 1;
			return 0;
		}
	for (i = 0; i < ARRAY_LEN(no); i++)
		if (word_is(s, no[i])) {
			*out = 0;
			return 0;
		}
	return ERR_INVALID;
}

/* One spelling of a level, without combinations. */
static int
level_word(const char *s)
{
	static const struct {
		const char *w;
		int level;
	} words[] = {
		{"无", 0}, {"无等级", 0}, {"none", 0},
		{"学徒工", 1}, {"学徒", 1}, {"apprentice", 1},
		{"初级工", 2}, {"初级", 2}, {"junior", 2},
		{"中级工", 3}, {"中级", 3}, {"intermediate", 3},
		{"高级工", 4}, {"高级", 4}, {"senior", 4},
		{"技师", 5}, {"technician", 5},
		{"高级技师", 6}, {"seniortechnician", 6},
		{"特级技师", 7}, {"special-gradetechnician", 7},
		{"specialtechnician", 7},
		{"首席技师", 8}, {"chieftechnician", 8},
		/* 职业资格 levels count down: 五级 is the lowest. */
		{"五级", 2}, {"四级", 3}, {"三级", 4}, {"二级", 5}, {"一级", 6},
		{"5级", 2}, {"4级", 3}, {"3级", 4}, {"2级", 5}, {"1级", 6},
	};
	static const char *const prefixes[] = {"国家职业资格", "职业资格",
	    "职业技能等级"};
	char w[64];
	size_t i, n;

	if (str_copy(w, sizeof(w), s))
		return -1;
	for (i = 0; i < ARRAY_LEN(prefixes); i++) {
		n = strlen(prefixes[i]);
		if (!strncmp(w, prefixes[i], n) && w[n]) {
			memmove(w, w + n, strlen(w + n) + 1);
			break;
		}
	}
	n = strlen(w);
	if (n > strlen("证书") && !strcmp(w + n - strlen("证书"), "证书"))
		w[n - strlen("证书")] = '\0';
	if (w[0] >= '0' && w[0] <= '8' && !w[1])
		return w[0] - '0';
	for (i = 0; i < ARRAY_LEN(words); i++)
		if (word_is(w, words[i].w))
			return words[i].level;
	return -1;
}

/* 技能等级: a number 0..8, a 新八级 or 职业资格 name, or both written
 * together as certificates print them ("三级/高级工", "高级工（三级）"); the
 * two halves must agree. */
static int
parse_level(const char *cell, int *out)
{
	char s[96], a[96];
	char *slash, *open;
	int la, lb;

	if (fold(cell, s, sizeof(s), 1))
		return ERR_INVALID;
	if (!s[0]) {
		*out = 0;
		return 0;
	}
	slash = strchr(s, '/');
	open = strchr(s, '(');
	if (slash) {
		*slash = '\0';
		la = level_word(s);
		lb = level_word(slash + 1);
	} else if (open && s[strlen(s) - 1] == ')') {
		snprintf(a, sizeof(a), "%.*s", (int)(open - s), s);
		s[strlen(s) - 1] = '\0';
		la = level_word(a);
		lb = level_word(open + 1);
	} else {
		la = lb = level_word(s);
	}
	if (la < 0 || la != lb)
		return ERR_INVALID;
	*out = la;
	return 0;
}

struct code_label {
	const char *text;
	const char *code;
};

/* Code list political_status of migration 0002 (keep in step with it),
 * with the codes as Excel leaves them after stripping the leading zero,
 * and the short forms officials write. */
static const struct code_label political[] = {
	{"01", "01"}, {"1", "01"}, {"中共党员", "01"}, {"党员", "01"},
	{"中国共产党党员", "01"}, {"CPC member", "01"},
	{"02", "02"}, {"2", "02"}, {"中共预备党员", "02"}, {"预备党员", "02"},
	{"CPC probationary member", "02"},
	{"03", "03"}, {"3", "03"}, {"共青团员", "03"}, {"团员", "03"},
	{"中国共产主义青年团团员", "03"}, {"CYL member", "03"},
	{"04", "04"}, {"4", "04"}, {"民主党派", "04"}, {"民主党派成员", "04"},
	{"Democratic party member", "04"},
	{"13", "13"}, {"群众", "13"}, {"No affiliation", "13"},
};

/* Code list education of migration 0002 (keep in step with it). Labels are
 * matched after folding, so 研究生（博士） and 研究生(博士) are one. */
static const struct code_label education[] = {
	{"10", "10"}, {"研究生(博士)", "10"}, {"博士", "10"},
	{"博士研究生", "10"}, {"Doctorate", "10"},
	{"11", "11"}, {"研究生(硕士)", "11"}, {"硕士", "11"},
	{"硕士研究生", "11"}, {"Master", "11"},
	{"20", "20"}, {"大学本科", "20"}, {"本科", "20"}, {"Bachelor", "20"},
	{"30", "30"}, {"大学专科", "30"}, {"专科", "30"}, {"大专", "30"},
	{"Associate(dazhuan)", "30"}, {"Associate", "30"},
	{"40", "40"}, {"中等职业教育", "40"}, {"中专", "40"}, {"中职", "40"},
	{"职高", "40"}, {"技校", "40"}, {"Secondary vocational", "40"},
	{"60", "60"}, {"普通高中", "60"}, {"高中", "60"},
	{"Senior high school", "60"},
	{"70", "70"}, {"初中及以下", "70"}, {"初中", "70"}, {"小学", "70"},
	{"Junior high or below", "70"},
};

/* The cell is folded with spaces dropped; labels are written as the code
 * list has them, so their spaces are skipped here and ASCII compares
 * without case. Labels use ASCII parentheses, as folding makes of （）. */
static int
label_is(const char *s, const char *label)
{
	for (;;) {
		while (*label == ' ')
			label++;
		if (!*s || !*label)
			return !*s && !*label;
		if (*s != *label && !((unsigned char)*s < 0x80 &&
		    (*s | 0x20) == (*label | 0x20) && (*s | 0x20) >= 'a' &&
		    (*s | 0x20) <= 'z'))
			return 0;
		s++;
		label++;
	}
}

static const char *
code_of(const struct code_label *t, size_t n, const char *folded)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (label_is(folded, t[i].text))
			return t[i].code;
	return NULL;
}

/* ---- the row --------------------------------------------------------- */

static const char *
cell_of(const char *const cells[WC__MAX], int col)
{
	return cells && cells[col] ? cells[col] : "";
}

/* Free text (所在单位, 工种): trimmed, runs of white space (line breaks from
 * Alt+Enter included) made one space, other control characters refused. */
static void
text_field(const char *cell, char *out, size_t outlen, int col,
    const struct reason *too_long, const struct reason *ctrl,
    struct row_errors *errs)
{
	const char *s = cell;
	size_t n = strlen(cell), i = 0, o = 0;
	const unsigned char *p;
	int space = 0;

	out[0] = '\0';
	trim(&s, &n);
	if (!utf8_valid(s, n)) {
		add_err(errs, col, &R_UTF8);
		return;
	}
	p = (const unsigned char *)s;
	while (i < n) {
		size_t k = blank_at(p + i, n - i);

		if (k) {
			space = 1;
			i += k;
			continue;
		}
		if (ctrl_at(p + i, n - i)) {
			out[0] = '\0';
			add_err(errs, col, ctrl);
			return;
		}
		if (space) {
			if (o + 1 >= outlen)
				goto toolong;
			out[o++] = ' ';
			space = 0;
		}
		if (o + 1 >= outlen)
			goto toolong;
		out[o++] = (char)p[i++];
	}
	out[o] = '\0';
	return;
toolong:
	out[0] = '\0';
	add_err(errs, col, too_long);
}

/* 姓名: white space runs become one space, and a space between two
 * non-ASCII characters goes ("张  三" is alignment, not part of the name;
 * "Mary Ann" keeps its space). */
static void
name_field(const char *cell, struct worker_rec *out, struct row_errors *errs)
{
	const char *s = cell;
	size_t n = strlen(cell), i = 0, o = 0, chars;
	const unsigned char *p;
	char probe[WORKER_NAME_MAX * 4 + 1];
	int space = 0;

	trim(&s, &n);
	if (!n) {
		add_err(errs, WC_NAME, &R_NAME_REQ);
		return;
	}
	if (!utf8_valid(s, n)) {
		add_err(errs, WC_NAME, &R_UTF8);
		return;
	}
	p = (const unsigned char *)s;
	while (i < n) {
		size_t k = 0;

		if (p[i] == ' ' || p[i] == '\t')
			k = 1;
		else if (p[i] == 0xe3 && i + 2 < n && p[i + 1] == 0x80 &&
		    p[i + 2] == 0x80)
			k = 3;
		else if (p[i] == 0xc2 && i + 1 < n && p[i + 1] == 0xa0)
			k = 2;
		if (k) {
			space = 1;
			i += k;
			continue;
		}
		if (ctrl_at(p + i, n - i)) {
			add_err(errs, WC_NAME, &R_NAME_CTRL);
			out->name[0] = '\0';
			return;
		}
		if (space && !(p[i] >= 0x80 && o > 0 &&
		    ((unsigned char)out->name[o - 1]) >= 0x80)) {
			if (o + 1 >= sizeof(out->name))
				goto toolong;
			out->name[o++] = ' ';
		}
		space = 0;
		if (o + 1 >= sizeof(out->name))
			goto toolong;
		out->name[o++] = (char)p[i++];
	}
	out->name[o] = '\0';
	chars = utf8_chars(out->name, o);
	if (chars > WORKER_NAME_MAX)
		goto toolong;
	/* "123" in 姓名 means the columns slid, full-width digits too. */
	if (!fold(out->name, probe, sizeof(probe), 1) &&
	    all_digits(probe, strlen(probe)))
		add_err(errs, WC_NAME, &R_NAME_DIGITS);
	return;
toolong:
	out->name[0] = '\0';
	add_err(errs, WC_NAME, &R_NAME_LONG);
}

/* 身份证号 (GB 11643-1999, rules of DOMAIN.md). Returns 0 when
 * out->id_no, gender and birth_date are set. Each failure says which rule
 * broke: a wrong check char is a typo to look for, a wrong length usually
 * a lost digit. The region code is never checked: codes are fixed at birth
 * registration, and abolished ones (Ningbo 330204) stay valid. */
static int
id_field(const char *cell, const char *today, struct worker_rec *out,
    struct row_errors *errs)
{
	enum id_fault fault = ID_OK;
	char s[64], birth[11];
	size_t n;

	if (fold(cell, s, sizeof(s), 1)) {
		add_err(errs, WC_ID_NO, &R_ID_FORM);
		return -1;
	}
	/* An apostrophe is how Excel users force text; it may come along. */
	if (s[0] == '\'')
		memmove(s, s + 1, strlen(s));
	n = strlen(s);
	if (!n) {
		add_err(errs, WC_ID_NO, &R_ID_REQ);
		return -1;
	}
	if (strchr(s, '+') && (strchr(s, 'E') || strchr(s, 'e'))) {
		add_err(errs, WC_ID_NO, &R_ID_SCI);
		return -1;
	}
	if (s[n - 1] == 'x')
		s[n - 1] = 'X';
	if (n == 15 && all_digits(s, n)) {
		add_err(errs, WC_ID_NO, &R_ID_15);
		return -1;
	}
	/* the rules are base/valid.c's; here they only get their messages */
	switch (valid_resident_id_why(s, today, out->id_no, &fault) ? fault : ID_OK) {
	case ID_OK:
		break;
	case ID_CHECK:
		add_err(errs, WC_ID_NO, &R_ID_CHECK);
		return -1;
	case ID_BIRTH:
		add_err(errs, WC_ID_NO, &R_ID_BIRTH);
		return -1;
	case ID_FUTURE:
		add_err(errs, WC_ID_NO, &R_ID_FUTURE);
		return -1;
	default:
		add_err(errs, WC_ID_NO, &R_ID_FORM);
		return -1;
	}
	snprintf(birth, sizeof(birth), "%.4s-%.2s-%.2s", s + 6, s + 10, s + 12);
	out->gender[0] = (char)(((s[16] - '0') % 2) ? 'M' : 'F');
	out->gender[1] = '\0';
	memcpy(out->birth_date, birth, 11);
	return 0;
}

static void
phone_field(const char *cell, struct worker_rec *out, struct row_errors *errs)
{
	char s[64];
	size_t n;

	out->phone[0] = '\0';
	if (fold(cell, s, sizeof(s), 1)) {
		add_err(errs, WC_PHONE, &R_PHONE_LONG);
		return;
	}
	if (!s[0])
		return;
	strip_char(s, '-');
	strip_char(s, '\'');
	n = strlen(s);
	if (s[0] == '+' && n == 14 && !strncmp(s, "+86", 3))
		memmove(s, s + 3, n - 2);
	else if (n == 15 && !strncmp(s, "0086", 4))
		memmove(s, s + 4, n - 3);
	else if (n == 13 && !strncmp(s, "86", 2))
		memmove(s, s + 2, n - 1);
	if (valid_mobile(s)) {
		add_err(errs, WC_PHONE, &R_PHONE);
		return;
	}
	str_copy(out->phone, sizeof(out->phone), s);
}

/* 单位代码: a USCC is checked (a checksum-only failure is a warning: early
 * pilot codes fail it and are still legal, DOMAIN.md); other codes are the
 * unit's own, letters and digits. */
static void
org_code_field(const char *cell, struct worker_rec *out,
    struct row_errors *errs)
{
	char s[64];
	size_t n, i;
	int checksum_only = 0;

	out->org_code[0] = '\0';
	if (fold(cell, s, sizeof(s), 1)) {
		add_err(errs, WC_ORG_CODE, &R_ORG_CODE);
		return;
	}
	n = strlen(s);
	if (!n)
		return;
	for (i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			s[i] = (char)(s[i] - 'a' + 'A');
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_')) {
			add_err(errs, WC_ORG_CODE, &R_ORG_CODE);
			return;
		}
	}
	if (n >= sizeof(out->org_code)) {
		add_err(errs, WC_ORG_CODE, &R_ORG_CODE);
		return;
	}
	if (n == 18 && valid_uscc(s, &checksum_only)) {
		if (!checksum_only) {
			add_err(errs, WC_ORG_CODE, &R_USCC_CHARS);
			return;
		}
		errs->warnings++;
	}
	str_copy(out->org_code, sizeof(out->org_code), s);
}

static void
occupation_code_field(const char *cell, struct worker_rec *out,
    struct row_errors *errs)
{
	static const char shape[] = "D-DD-DD-DD";
	char s[32];
	size_t i;

	out->occupation_code[0] = '\0';
	if (fold(cell, s, sizeof(s), 1)) {
		add_err(errs, WC_OCCUPATION_CODE, &R_OCC_CODE);
		return;
	}
	if (!s[0])
		return;
	if (strlen(s) != sizeof(shape) - 1)
		goto bad;
	for (i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'D' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
			goto bad;
	}
	str_copy(out->occupation_code, sizeof(out->occupation_code), s);
	return;
bad:
	add_err(errs, WC_OCCUPATION_CODE, &R_OCC_CODE);
}

/* A short keyword cell (性别, 是否, 状态): folded, spaces dropped. Returns
 * -1 when it does not fit, which no keyword does either. */
static int
keyword(const char *cell, char *out, size_t outlen)
{
	if (fold(cell, out, outlen, 1)) {
		out[0] = '\x01';    /* matches nothing */
		out[1] = '\0';
		return -1;
	}
	return 0;
}

int
worker_normalise(const char *const cells[WC__MAX], const char *today,
    struct worker_rec *out, struct row_errors *errs)
{
	char now[11], kw[96], date[11];
	const char *code;
	int id_ok;

	memset(out, 0, sizeof(*out));
	memset(errs, 0, sizeof(*errs));
	/* Tests and imports pass a fixed day; a missing one means now. */
	if (!today || date_valid(today)) {
		clock_today(now);
		today = now;
	}

	name_field(cell_of(cells, WC_NAME), out, errs);
	id_ok = !id_field(cell_of(cells, WC_ID_NO), today, out, errs);

	keyword(cell_of(cells, WC_GENDER), kw, sizeof(kw));
	if (kw[0]) {
		char g[2];

		if (parse_gender(kw, g))
			add_err(errs, WC_GENDER, &R_GENDER);
		else if (id_ok && strcmp(g, out->gender))
			add_err(errs, WC_GENDER, &R_GENDER_ID);
	}
	if (!date_field(cell_of(cells, WC_BIRTH_DATE), "9999-12-31", date,
	    WC_BIRTH_DATE, &R_BIRTH_BAD, &R_BIRTH_BAD, errs) && date[0] &&
	    id_ok && strcmp(date, out->birth_date))
		add_err(errs, WC_BIRTH_DATE, &R_BIRTH_ID);
	if (id_ok) {
		/* Both are checked YYYY-MM-DD: "MM-DD" compares as text. */
		int age = year_of(today) - year_of(out->birth_date) -
		    (strcmp(today + 5, out->birth_date + 5) < 0);

		if (age < 16 || age > 75)
			errs->warnings++;
	}

	phone_field(cell_of(cells, WC_PHONE), out, errs);
	text_field(cell_of(cells, WC_ORG), out->org_name, sizeof(out->org_name),
	    WC_ORG, &R_ORG_LONG, &R_ORG_CTRL, errs);
	org_code_field(cell_of(cells, WC_ORG_CODE), out, errs);
	text_field(cell_of(cells, WC_OCCUPATION), out->occupation,
	    sizeof(out->occupation), WC_OCCUPATION, &R_OCC_LONG, &R_OCC_CTRL,
	    errs);
	occupation_code_field(cell_of(cells, WC_OCCUPATION_CODE), out, errs);

	if (parse_level(cell_of(cells, WC_SKILL_LEVEL), &out->skill_level)) {
		out->skill_level = 0;
		add_err(errs, WC_SKILL_LEVEL, &R_LEVEL);
	}

	keyword(cell_of(cells, WC_UNION_MEMBER), kw, sizeof(kw));
	if (kw[0] && parse_yesno(kw, &out->union_member))
		add_err(errs, WC_UNION_MEMBER, &R_YESNO);
	if (!date_field(cell_of(cells, WC_UNION_JOINED), today,
	    out->union_joined, WC_UNION_JOINED, &R_JOINED_BAD,
	    &R_JOINED_FUTURE, errs) && out->union_joined[0]) {
		if (!out->union_member)
			add_err(errs, WC_UNION_JOINED, &R_JOINED_NOT_MEMBER);
		else if (id_ok && strcmp(out->union_joined, out->birth_date) < 0)
			add_err(errs, WC_UNION_JOINED, &R_JOINED_BEFORE_BIRTH);
	}

	keyword(cell_of(cells, WC_POLITICAL_STATUS), kw, sizeof(kw));
	if (kw[0]) {
		code = code_of(political, ARRAY_LEN(political), kw);
		if (code)
			str_copy(out->political_status,
			    sizeof(out->political_status), code);
		else
			add_err(errs, WC_POLITICAL_STATUS, &R_POLITICAL);
	}
	keyword(cell_of(cells, WC_EDUCATION), kw, sizeof(kw));
	if (kw[0]) {
		code = code_of(education, ARRAY_LEN(education), kw);
		if (code)
			str_copy(out->education, sizeof(out->education), code);
		else
			add_err(errs, WC_EDUCATION, &R_EDUCATION);
	}

	if (!date_field(cell_of(cells, WC_HIRED), today, out->hired, WC_HIRED,
	    &R_HIRED_BAD, &R_HIRED_FUTURE, errs) && out->hired[0] && id_ok) {
		/* Hired before the 16th birthday: years apart, then "MM-DD" as
		 * text, so 29 February needs no calendar. */
		int years = year_of(out->hired) - year_of(out->birth_date);

		if (years < 16 || (years == 16 &&
		    strcmp(out->hired + 5, out->birth_date + 5) < 0))
			add_err(errs, WC_HIRED, &R_HIRED_YOUNG);
	}

	keyword(cell_of(cells, WC_STATUS), kw, sizeof(kw));
	if (!kw[0] || word_is(kw, "在职") || word_is(kw, "在岗") ||
	    word_is(kw, "active"))
		str_copy(out->status, sizeof(out->status), "active");
	else if (word_is(kw, "离职") || word_is(kw, "left"))
		str_copy(out->status, sizeof(out->status), "left");
	else
		add_err(errs, WC_STATUS, &R_STATUS);

	return errs->n ? ERR_INVALID : 0;
}

/* ---- masks and levels ------------------------------------------------ */

/* Keeps the first 3 and last 4 characters and stars the rest, as DOMAIN.md
 * says; anything too short to keep both ends is starred whole, so a
 * malformed value never leaks more than a well-formed one. */
static void
mask(const char *s, char *out, size_t outlen, size_t stars)
{
	size_t n = s ? strlen(s) : 0, i, o = 0;

	if (n <= 7) {
		for (i = 0; i < n && o + 1 < outlen; i++)
			out[o++] = '*';
		out[o] = '\0';
		return;
	}
	if (stars + 7 >= outlen)
		stars = outlen - 8;
	if (n - 7 < stars)
		stars = n - 7;
	memcpy(out, s, 3);
	o = 3;
	for (i = 0; i < stars; i++)
		out[o++] = '*';
	memcpy(out + o, s + n - 4, 4);
	o += 4;
	out[o] = '\0';
}

void
worker_mask_id(const char *id_no, char out[19])
{
	mask(id_no, out, 19, 11);
}

void
worker_mask_phone(const char *phone, char out[12])
{
	mask(phone, out, 12, 4);
}

const char *
skill_level_name(int level)
{
	static const char *const names[] = {"无等级", "学徒工", "初级工",
	    "中级工", "高级工", "技师", "高级技师", "特级技师", "首席技师"};

	if (level < 0 || level >= (int)ARRAY_LEN(names))
		return "";
	return names[level];
}

int
skill_is_skilled(int level)
{
	return level >= 2 && level <= 8;
}

int
skill_is_high(int level)
{
	return level >= 4 && level <= 8;
}

static void
diff_text(struct jw *w, const char *key, const char *a, const char *b)
{
	if (!strcmp(a, b))
		return;
	jw_key(w, key);
	jw_obj_open(w);
	jw_kstr(w, "from", a);
	jw_kstr(w, "to", b);
	jw_obj_close(w);
}

static void
diff_int(struct jw *w, const char *key, int a, int b)
{
	if (a == b)
		return;
	jw_key(w, key);
	jw_obj_open(w);
	jw_kint(w, "from", a);
	jw_kint(w, "to", b);
	jw_obj_close(w);
}

/* The first character and an asterisk for the rest: "张*". */
static void
name_hint(const char *name, char out[8])
{
	size_t n = utf8_seq_len((const unsigned char *)name, strlen(name));

	if (!n)
		n = name[0] ? 1 : 0;
	if (n > 4)
		n = 4;
	memcpy(out, name, n);
	out[n] = name[n] ? '*' : '\0';
	out[n + 1] = '\0';
}

void
worker_rec_diff_json(struct jw *w, const struct worker_rec *a, const struct worker_rec *b)
{
	jw_obj_open(w);
	worker_rec_diff_fields(w, a, b);
	jw_obj_close(w);
}

void
worker_rec_diff_fields(struct jw *w, const struct worker_rec *a,
    const struct worker_rec *b)
{
	if (strcmp(a->name, b->name)) {
		char x[8], y[8];

		name_hint(a->name, x);
		name_hint(b->name, y);
		jw_key(w, "name");
		jw_obj_open(w);
		jw_kstr(w, "from", x);
		jw_kstr(w, "to", y);
		jw_obj_close(w);
	}
	if (strcmp(a->phone, b->phone)) {
		char x[12] = "", y[12] = "";

		if (a->phone[0])
			worker_mask_phone(a->phone, x);
		if (b->phone[0])
			worker_mask_phone(b->phone, y);
		jw_key(w, "phone");
		jw_obj_open(w);
		jw_kstr(w, "from", x);
		jw_kstr(w, "to", y);
		jw_obj_close(w);
	}
	diff_text(w, "occupation", a->occupation, b->occupation);
	diff_text(w, "occupation_code", a->occupation_code, b->occupation_code);
	diff_int(w, "skill_level", a->skill_level, b->skill_level);
	diff_int(w, "union_member", a->union_member, b->union_member);
	diff_text(w, "union_joined", a->union_joined, b->union_joined);
	diff_text(w, "political_status", a->political_status, b->political_status);
	diff_text(w, "education", a->education, b->education);
	diff_text(w, "hired", a->hired, b->hired);
	diff_text(w, "status", a->status, b->status);
}
