/* Users, grants, sessions, API tokens, password policy and lockout. */
#ifndef CHANGAI_ACCOUNTS_H
#define CHANGAI_ACCOUNTS_H

#include <stdint.h>

#include "base/jw.h"
#include "db/db.h"
#include "scope/scope.h"

struct db;
struct db_conn;
struct settings_cache;

#define SESSION_COOKIE "changai_session"

/* Resolves a session token (cookie) or API token (bearer) into a
 * principal. ERR_AUTH when unknown, revoked, idle or expired. Refreshes the
 * session's last_seen at most once a minute. */
int accounts_authenticate(struct db *db, struct settings_cache *sc,
    const char *token, int bearer, struct principal *p);
/* The same on a connection the caller holds (the request's read
 * transaction), so authentication and the handler's reads share one
 * snapshot and one round of locking. */
int accounts_authenticate_on(struct db *db, struct db_conn *c,
    struct settings_cache *sc, const char *token, int bearer,
    struct principal *p);

struct login_result {
	char token[48];          /* the new session token (cookie value) */
	struct principal who;
	int need_code;           /* ERR_AUTH because the second factor is missing or wrong */
};
struct pii_key;
/* Checks the per-IP throttle, the password and the lockout, then opens a
 * session (at most sessions_per_user: the oldest end). Audits success and
 * failure. ERR_AUTH for an unknown user or a wrong password, whether or
 * not the account is locked or disabled (indistinguishable); ERR_LOCKED
 * only for the right password of a locked or disabled account;
 * ERR_LIMIT. */
int accounts_login(struct db *db, struct settings_cache *sc,
    const struct pii_key *k, const char *username, const char *password,
    const char *code, const char *ip, const char *user_agent,
    struct login_result *out);
/* Checks an authenticator code of a user and takes its step (no code is
 * used twice). *enrolled says whether the user has a confirmed one; with
 * none, 0 (nothing to check) — unless confirming, which checks the
 * pending enrolment (ERR_NOTFOUND without one) and confirms it. 0 or
 * ERR_AUTH. */
int accounts_totp_use(struct db *db, const struct pii_key *k, int64_t user_id,
    const char *code, int confirming, int *enrolled);
/* Whether the policy wants p to hold a second factor (second_factor_*
 * settings: admin, security admin and auditor grants, or everyone). */
int accounts_second_factor_wanted(struct db *db, struct settings_cache *sc,
    const struct principal *p);
/* Counts a wrong password of a user from an address. At the threshold
 * (setting lockout_threshold) the account locks for that address alone,
 * for lockout_minutes the first time and twice as long each time after
 * (at most a week): a stranger elsewhere cannot lock its owner out.
 * *locked_until gets the end of a lock this failure set, else 0. */
int accounts_count_failure(struct db *db, struct settings_cache *sc,
    int64_t user_id, const char *ip, int64_t *locked_until);
/* Password history (setting password_history): *reused = 1 when pw is one
 * of the user's last `keep` own passwords; remember adds a new one's hash
 * and forgets those older than the last `keep`. */
int accounts_password_reused(struct db_conn *c, int64_t user_id,
    const char *pw, int64_t keep, int *reused);
int accounts_password_remember(struct db_conn *w, int64_t user_id,
    const char *hash, int64_t keep);
/* The records a user was shown unmasked on a business day ("YYYY-MM-DD"),
 * and adding to them (in a transaction of its own). */
int accounts_unmask_used(struct db_conn *c, int64_t user_id, const char *day,
    int64_t *rows);
int accounts_unmask_add(struct db *db, int64_t user_id, const char *day,
    int64_t rows);
/* Opens a session for a user already authenticated; token receives it. */
int accounts_open_session(struct db *db, struct settings_cache *sc,
    int64_t user_id, const char *ip, const char *user_agent, char token[48],
    int64_t *session_id);
int accounts_logout(struct db *db, const struct principal *p, const char *ip);

/* Loads a user's grants (with org paths) into p. */
int accounts_load_principal(struct db_conn *c, int64_t user_id,
    struct principal *p);
/* A new account (the one insert the console and the command line share),
 * in the caller's transaction: hash is its password's, must_change set
 * (a first password is to be changed); ERR_CONFLICT when the username is
 * taken, ERR_INVALID when it is not a valid one. */
int accounts_user_insert(struct db_conn *c, const char *username, const char *name,
    int64_t org_id, const char *hash, int64_t *id);
/* A second factor being enrolled (its sealed secret; ERR_NOTFOUND when
 * one is enrolled already) and removed, in the caller's transaction. */
int accounts_totp_begin(struct db_conn *c, int64_t user_id, const char *sealed);
int accounts_totp_remove(struct db_conn *c, int64_t user_id);
/* API tokens and sessions, in the caller's transaction: a new token (its
 * digest; *id receives it), revoking one of the user's own (ERR_NOTFOUND
 * when it has none by that id), ending one session or all of a user's. */
int accounts_token_insert(struct db_conn *c, int64_t user_id, const char *name,
    const char *digest, int64_t expires, int64_t *id);
int accounts_token_revoke(struct db_conn *c, int64_t user_id, int64_t id);
int accounts_session_end(struct db_conn *c, int64_t session_id);
int accounts_sessions_end_user(struct db_conn *c, int64_t user_id);
/* A user's id by username (ERR_NOTFOUND); how many accounts exist; how
 * many sessions were seen since `since` and have not expired by `now`. */
int accounts_user_id(struct db_conn *c, const char *username, int64_t *id);
int accounts_user_count(struct db_conn *c, int64_t *n);
int accounts_sessions_open(struct db_conn *c, int64_t since, int64_t now,
    int64_t *n);

/* For the command line: creates a user with a one-time password (written to
 * otp, must hold 16 bytes) and optionally a grant. */
int accounts_cli_add(struct db *db, const char *username, const char *name,
    int64_t org_id, const char *role, char otp[16], int64_t *user_id);
int accounts_cli_passwd(struct db *db, const char *username, char otp[16]);
/* Gives (or takes) the pii permission on all of a user's business grants. */
int accounts_cli_set_pii(struct db *db, const char *username, int pii);
int accounts_cli_lock(struct db *db, const char *username, int lock);
/* Sets a known password without forcing a change (demo accounts only). */
int accounts_cli_set_password(struct db *db, const char *username,
    const char *password, int must_change);


#endif
