/* The inbox: what a capability tells a unit or a user (a report came
 * back, a task turned red, a period waits for the unit's values). Each
 * entry arrives once (its dedupe key), is about one thing (ref_kind,
 * ref_id) and says where in the console to act (link). Capabilities write
 * entries in their own transactions with inbox_add; reading the inbox
 * never writes. */
#ifndef CHANGAI_INBOX_H
#define CHANGAI_INBOX_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define INBOX_TEXT_MAX (300 * 4 + 1)

struct inbox_entry {
	int64_t id;
	char dedupe[128];
	int64_t org_id;             /* the unit told (every reader of it sees it) */
	int64_t user_id;            /* and one user in particular, or 0 */
	const char *source;         /* the capability: "plans", "evaluation" */
	const char *kind;           /* its kind of news: "returned", "red", "unreported" */
	const char *ref_kind;       /* what it is about: "plan_report", "eval_period" */
	int64_t ref_id;
	char title[INBOX_TEXT_MAX];     /* the plan's, the index's */
	char subject[INBOX_TEXT_MAX];   /* the task's, the period's */
	char link[256];             /* a console path: "/evaluation?period=7" */
	char message[INBOX_TEXT_MAX], message_en[INBOX_TEXT_MAX];
	int64_t created, read_at;
	/* read back */
	char org_name[100 * 4 + 1];
	char source_s[16], kind_s[16], ref_kind_s[24];
};

/* Adds e unless its dedupe key is there; *fresh (may be NULL) says which. */
int inbox_add(struct db_conn *c, const struct inbox_entry *e, int *fresh);
/* Deletes the entries about a thing that is gone (a deleted task). */
int inbox_forget(struct db_conn *c, const char *ref_kind, int64_t ref_id);
/* 1 when an entry with this key exists, 0 when not, < 0 on error. */
int inbox_has(struct db_conn *c, const char *dedupe);
/* The user's entries, newest first, ids below before (0: from the newest),
 * unread only when asked, of one source ("" every one); at most limit + 1. */
int inbox_each(struct db_conn *c, int64_t user_id, int64_t before, int unread_only,
    const char *source, int64_t limit, int (*each)(void *ctx, const struct inbox_entry *e),
    void *ctx);
int inbox_unread(struct db_conn *c, int64_t user_id, int64_t *n);
/* Marks an entry the user sees read; ERR_NOTFOUND for one it does not. */
int inbox_read(struct db_conn *c, int64_t user_id, int64_t id);

#endif
