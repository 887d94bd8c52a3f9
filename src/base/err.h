/* One error vocabulary for the whole program. Every fallible function
 * returns 0 or one of these (negative); the HTTP layer maps them to status
 * codes in one table (req_fail in http/server.c). */
#ifndef CHANGAI_ERR_H
#define CHANGAI_ERR_H

enum {
	ERR_OK = 0,
	ERR_NOMEM = -1,      /* allocation failed or a bounded buffer is full */
	ERR_INVALID = -2,    /* input breaks a rule (422) */
	ERR_NOTFOUND = -3,   /* absent, or outside the caller's scope (404) */
	ERR_CONFLICT = -4,   /* uniqueness or foreign-key conflict (409) */
	ERR_DB = -5,         /* the store failed */
	ERR_IO = -6,         /* file or socket failed */
	ERR_PERM = -7,       /* the caller's role does not allow it (403) */
	ERR_AUTH = -8,       /* no or bad credentials (401) */
	ERR_LOCKED = -9,     /* account locked (423) */
	ERR_LIMIT = -10,     /* throttled (429) */
	ERR_TOOBIG = -11,    /* over a size limit (413) */
	ERR_BADREQ = -12,    /* malformed request (400) */
	ERR_BUSY = -13,      /* the store is busy; retry */
	ERR_INTERNAL = -14
};

const char *err_name(int err);

/* Why a module operation refused, for the person who asked: the field
 * (NULL when it is about the whole request), the reason in English and
 * Chinese, and the 1-based row of a file or list when it is about one. A
 * module fills it where it refuses (ERR_INVALID, ERR_CONFLICT, …); the
 * HTTP layer turns the code and the why into one answer (req_why). */
struct why {
	const char *field;
	const char *en, *zh;
	long row;
};
/* Fills why (row 0) and returns err, so a refusal is one statement:
 *     return why_refuse(why, ERR_INVALID, "weight", "…", "…"); */
int why_refuse(struct why *why, int err, const char *field, const char *en,
    const char *zh);

#endif
