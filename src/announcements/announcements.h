/* 通知公告: what a unit tells every account of the units below it, with
 * read receipts (回执). A notice is sent at once and never edited; its
 * sender's managers may withdraw it, which hides it from its readers.
 * Reading the list writes nothing: a reader says it has read one (the
 * console does when it opens it). */
#ifndef CHANGAI_ANNOUNCEMENTS_H
#define CHANGAI_ANNOUNCEMENTS_H

#include <stdint.h>

#include "db/db.h"
#include "scope/scope.h"

#define ANN_TITLE_CHARS 100
#define ANN_BODY_CHARS 5000
/* who sends (for their unit and below) and who manages what was sent */
#define ANN_SENDERS (ROLE_ADMIN | ROLE_OPERATOR)
/* who reads: every account of the reform's business */
#define ANN_READERS (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER | ROLE_DEPARTMENT)

struct announcement {
	int64_t id, org_id, created, withdrawn;
	int64_t read_at;              /* the caller's first reading, 0 for none */
	int64_t reads;                /* accounts that have read it */
	int64_t created_by;
	char org_name[100 * 4 + 1];
	char org_path[ORG_PATH_MAX];
	char title[ANN_TITLE_CHARS * 4 + 1];
	char author[64 * 4 + 1];
	char body[ANN_BODY_CHARS * 4 + 1];   /* read by ann_get only */
};

struct why;
/* Sends a notice from org (its path given) as p. ERR_INVALID (why) for an
 * empty title or body. *id is the new notice's. */
int ann_send(struct db_conn *c, const struct principal *p, int64_t org_id,
    const char *org_path, const char *title, const char *body, int64_t *id,
    struct why *why);
/* The notices addressed to user_id, newest first, ids below before (0:
 * the newest), unread only when asked; at most limit + 1. */
int ann_each_mine(struct db_conn *c, int64_t user_id, int64_t before, int unread_only,
    int64_t limit, int (*fn)(void *ctx, const struct announcement *a), void *ctx);
int ann_unread(struct db_conn *c, int64_t user_id, int64_t *n);
/* The notices sent from path's subtree (withdrawn ones too), the same way. */
int ann_each_sent(struct db_conn *c, int64_t user_id, const char *path, int64_t before,
    int64_t limit, int (*fn)(void *ctx, const struct announcement *a), void *ctx);
/* One notice, for p: its readers see it unless withdrawn; those who manage
 * its sender always (*manages says so). ERR_NOTFOUND otherwise. */
int ann_get(struct db_conn *c, const struct principal *p, int64_t id,
    struct announcement *a, int *manages);
/* The user read it (the first reading is kept). */
int ann_mark_read(struct db_conn *c, const struct principal *p, int64_t id);
/* Withdraws a notice p manages; ERR_CONFLICT (why) when it was already. */
int ann_withdraw(struct db_conn *c, const struct principal *p, int64_t id,
    struct announcement *a, struct why *why);

/* Receipts: each unit below the sender with accounts, how many and how
 * many have read it, and when the first did. */
struct ann_receipt {
	int64_t org_id, accounts, read, first_read;
	const char *name, *kind;
};
int ann_receipts_each(struct db_conn *c, const struct announcement *a,
    int (*fn)(void *ctx, const struct ann_receipt *r), void *ctx);

#endif
