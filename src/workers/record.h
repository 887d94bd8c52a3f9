/* One worker as the registry keeps it, in plain (decrypted) form, and the
 * rules that normalise and check it. No store, no HTTP: pure functions, so
 * the import, the API and the tests share one set of rules. */
#ifndef CHANGAI_WORKER_RECORD_H
#define CHANGAI_WORKER_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define WORKER_NAME_MAX 64          /* characters, not bytes */

/* The normalised record. Text fields are UTF-8, "" when absent. */
struct worker_rec {
	char name[WORKER_NAME_MAX * 4 + 1];
	char id_no[19];           /* upper-case X */
	char gender[2];           /* "M" / "F", derived from id_no */
	char birth_date[11];      /* YYYY-MM-DD, derived from id_no */
	char phone[12];
	char org_name[201];       /* 所在单位 as given (import only) */
	char org_code[41];        /* its USCC or code, if the file has one */
	char occupation[121];
	char occupation_code[16]; /* 职业分类大典 code like 6-18-01-01 */
	int skill_level;          /* 0..8 (新八级) */
	int union_member;         /* 0/1 */
	char union_joined[11];
	char political_status[8]; /* code of list political_status */
	char education[8];        /* code of list education */
	char hired[11];
	char status[8];           /* "active" / "left" */
};

/* The columns a file may carry; Chinese or English headers, any order. */
enum worker_col {
	WC_NAME, WC_ID_NO, WC_GENDER, WC_BIRTH_DATE, WC_PHONE, WC_ORG,
	WC_ORG_CODE, WC_OCCUPATION, WC_OCCUPATION_CODE, WC_SKILL_LEVEL,
	WC_UNION_MEMBER, WC_UNION_JOINED, WC_POLITICAL_STATUS, WC_EDUCATION,
	WC_HIRED, WC_STATUS,
	WC__MAX
};

struct worker_col_def {
	const char *zh;           /* 姓名 */
	const char *en;           /* name (the API field name) */
	int required;             /* in an import file */
	const char *allowed_zh;   /* what the template explains */
	const char *allowed_en;
};
extern const struct worker_col_def worker_cols[WC__MAX];

/* Maps a header cell (trimmed; Chinese or English; case-insensitive for
 * English; tolerant of full-width spaces and a trailing '*' or '（必填）') to a
 * column, or -1. */
int worker_col_lookup(const char *header);

/* One problem with one field of one row. */
struct field_error {
	int col;                  /* enum worker_col */
	const char *reason_en;    /* static text */
	const char *reason_zh;
};
#define ROW_ERRORS_MAX 16
struct row_errors {
	int n;
	struct field_error e[ROW_ERRORS_MAX];
	int warnings;             /* count of warnings (age outside 16..75) */
};

/* Normalises and checks one row given as text cells indexed by enum
 * worker_col (NULL or "" = empty). today is "YYYY-MM-DD". Accepts the forms
 * officials type: 男/女/M/F; 是/否/Y/N/1/0/true/false; dates as 2020-01-05,
 * 2020/1/5, 2020.1.5, 20200105 or 2020年1月5日; skill level as 0..8, the
 * 新八级 names (学徒工, 初级工 … 首席技师), the old 职业资格 levels (五级 … 一级,
 * 国家职业资格五级 …) or empty (0); political status and education as their
 * code or Chinese label (code lists of migration 0002). Gender and birth date,
 * when given, must agree with the ID number. Returns 0 when the row is
 * usable (out filled), ERR_INVALID with errs filled otherwise. */
int worker_normalise(const char *const cells[WC__MAX], const char *today,
    struct worker_rec *out, struct row_errors *errs);

/* Masks for callers without the pii permission (DOMAIN.md). out holds 19. */
void worker_mask_id(const char *id_no, char out[19]);
void worker_mask_phone(const char *phone, char out[12]);

/* Skill level helpers. */
const char *skill_level_name(int level);   /* 学徒工 … */
int skill_is_skilled(int level);           /* ≥ 初级工 */
int skill_is_high(int level);              /* ≥ 高级工 */

/* What an edit changed, for its audit row: {"field": {"from", "to"}} for
 * every field that differs, the phone masked and the name shown by its
 * first character only (the auditor learns that it changed, not to what).
 * An empty object when nothing changed. */
struct jw;
void worker_rec_diff_json(struct jw *w, const struct worker_rec *from,
    const struct worker_rec *to);
/* The same members, into an object the caller has open. */
void worker_rec_diff_fields(struct jw *w, const struct worker_rec *from,
    const struct worker_rec *to);

#endif
