/* What the account handlers (api.c) and the second-person approvals
 * (approvals_api.c, factor_api.c) share. Private to src/accounts/. */
#ifndef CHANGAI_ACCOUNTS_API_H
#define CHANGAI_ACCOUNTS_API_H

#include <jansson.h>
#include <stdint.h>

#include "base/crypto.h"
#include "http/http.h"

struct db_conn;

/* a one-time password the server makes: 12 characters, typed from paper */
#define ACCOUNT_OTP_LEN 12

struct user_rec {
	int64_t id, org_id, locked_until, failed, created, last_login, pw_changed;
	int must_change, disabled;
	char username[64], name[64 * 4 + 1], path[ORG_PATH_MAX], org_name[100 * 4 + 1];
};

/* A user in one of the caller's security-admin subtrees, all of whose
 * grants lie there too (ERR_NOTFOUND otherwise). */
int account_load_scoped(struct req *r, struct db_conn *c, int64_t id,
    struct user_rec *u);
/* Any user by id (for a change a second person approves). */
int account_load(struct db_conn *c, int64_t id, struct user_rec *u);
/* The roles of u's grants and whether any carries pii. */
int account_held(struct db_conn *c, int64_t user_id, unsigned *roles, int *pii);
/* Answers the user with its grants; otp (or NULL) is a one-time password
 * shown this once. */
int account_write_user(struct req *r, struct db_conn *c,
    const struct user_rec *u, int status, const char *otp);

/* Who proposed a change a second person approved, for the change's audit
 * record; NULL for a direct change. */
struct approval_note {
	int64_t id;
	const char *proposed_by;
};

/* A change to an account's own fields. */
struct user_patch {
	const char *name;        /* NULL: unchanged */
	int disabled;            /* -1: unchanged */
	int64_t org_id;          /* 0: unchanged */
	char org_path[ORG_PATH_MAX];
	int unlock;              /* clears every lockout */
	int reset;               /* a new one-time password */
	int reset_factor;        /* the authenticator is removed (a lost phone) */
	char reset_hash[CRYPTO_PWHASH_LEN];  /* its hash, made before the write */
};
/* Reads a PATCH /users/{id} body into up; the new org (when given) must
 * exist; its scope is the caller's to check. ERR_NOTFOUND for the org. */
int account_patch_read(struct db_conn *c, const json_t *body,
    const struct user_rec *u, struct user_patch *up);
/* Applies up to u inside the caller's tx, with its audit row (tx_row); the
 * caller commits (tx_commit_each) and ends it. */
int account_patch_apply(struct tx *t, const struct user_rec *u,
    const struct user_patch *up, const struct approval_note *ap);

/* Checks a grant of role (and pii) for u against the separation of
 * duties; answers (409/422) when it may not be: the caller checks
 * req_answered(). */
int account_grant_check(struct req *r, struct db_conn *c,
    const struct user_rec *u, unsigned role, int pii);
/* Adds the grant inside the caller's tx, with its audit row (tx_row).
 * ERR_CONFLICT when u already holds the role there. */
int account_grant_apply(struct tx *t, const struct user_rec *u, int64_t org_id,
    const char *org_path, unsigned role, int pii, const struct approval_note *ap,
    int64_t *gid);
/* Removes grant gid of u inside the caller's tx, with its audit row
 * (tx_row). ERR_NOTFOUND when u has no such grant. */
int account_grant_remove_apply(struct tx *t, const struct user_rec *u,
    int64_t gid, const struct approval_note *ap);

/* 三权分立: whether a change needs a second person. A change of a security
 * admin's or an auditor's account always does; so do a grant of admin,
 * security admin, auditor or pii, and a password reset of an account
 * holding admin or pii. */
enum account_change { AC_PATCH, AC_RESET, AC_GRANT_ADD, AC_GRANT_REMOVE };
int account_needs_approval(struct db_conn *c, const struct user_rec *u,
    enum account_change kind, unsigned grant_role, int grant_pii, int *need);
/* Records the change as pending and answers 202 with the approval. */
int approval_propose(struct req *r, const char *action,
    const struct user_rec *u, const json_t *payload);

extern const struct route approval_routes[];

#endif
