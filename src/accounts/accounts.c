/* Authentication: sessions, API tokens, login with throttle and lockout.
 * Passwords are hashed with argon2id outside any transaction: a hash takes
 * ~80 ms and must never hold the single SQLite writer. */
#include "accounts/accounts.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/log.h"
#include "base/pii.h"
#include "base/totp.h"
#include "base/util.h"
#include "base/valid.h"
#include "db/db.h"
#include "settings/settings.h"

/* last_seen is refreshed at most this often, so an authenticated read does
 * not become a write. */
#define TOUCH_SECONDS 60

int
accounts_load_principal(struct db_conn *c, int64_t user_id, struct principal *p)
{
	int rc;

	p->ngrants = 0;
	rc = db_prep(c, GRANTS_OF_USER);
	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	while ((rc = db_step(c)) == DB_ROW) {
		struct grant *g;

		if (p->ngrants >= PRINCIPAL_MAX_GRANTS)
			continue;
		g = &p->grants[p->ngrants++];
		g->id = db_col_int(c, 0);
		g->org_id = db_col_int(c, 1);
		g->role = role_parse(db_col_text(c, 2));
		g->pii = (int)db_col_int(c, 3);
		str_copy(g->path, sizeof(g->path), db_col_text(c, 4));
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

static int
password_expired(struct settings_cache *sc, struct db *db, int64_t changed)
{
	int64_t days = settings_get(sc, db, SET_PASSWORD_EXPIRY_DAYS);

	return days > 0 && changed + days * 86400 < clock_now();
}

static int
touch(struct db *db, enum db_stmt_id stmt, int64_t id)
{
	struct db_conn *w;
	int rc;

	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		return rc;
	rc = db_prep(w, stmt);
	if (!rc) {
		db_bind_int(w, 1, clock_real());
		db_bind_int(w, 2, id);
		rc = db_run(w);
	}
	db_release(w);
	return rc;
}

static int
totp_enrolled(struct db_conn *c, int64_t user_id, int *yes)
{
	int rc = db_prep(c, TOTP_GET);

	*yes = 0;
	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	rc = db_one(c);
	if (!rc)
		*yes = db_col_int(c, 1) == 1;
	db_done(c);
	return rc == ERR_NOTFOUND ? 0 : rc;
}

int
accounts_totp_use(struct db *db, const struct pii_key *k, int64_t user_id,
    const char *code, int confirming, int *enrolled)
{
	char enc[PII_ENC_LEN(TOTP_B32_LEN)], b32[TOTP_B32_LEN];
	unsigned char key[TOTP_SECRET_BYTES];
	int64_t last = 0, step = 0;
	struct db_conn *w;
	size_t n = 0;
	int rc, confirmed = 0;

	*enrolled = 0;
	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		return rc;
	if ((rc = db_prep(w, TOTP_GET)))
		goto out;
	db_bind_int(w, 1, user_id);
	rc = db_one(w);
	if (!rc) {
		str_copy(enc, sizeof(enc), db_col_text(w, 0));
		confirmed = db_col_int(w, 1) == 1;
		last = db_col_int(w, 2);
	}
	db_done(w);
	if (rc == ERR_NOTFOUND || (!rc && !confirmed && !confirming)) {
		rc = confirming ? ERR_NOTFOUND : 0;
		goto out;
	}
	if (rc)
		goto out;
	*enrolled = confirmed;
	if (pii_decrypt(k, enc, b32, sizeof(b32)) ||
	    totp_b32_decode(b32, key, sizeof(key), &n) || n != sizeof(key)) {
		log_error("user %lld: the authenticator secret does not open",
		    (long long)user_id);
		rc = ERR_INTERNAL;
		goto out;
	}
	rc = totp_check(key, n, code, clock_real(), last, &step);
	if (rc)
		goto out;
	/* taken once: a second login with the same code finds the step used */
	if ((rc = db_prep(w, TOTP_USE)))
		goto out;
	db_bind_int(w, 1, user_id);
	db_bind_int(w, 2, step);
	rc = db_one(w);
	db_done(w);
	if (rc == ERR_NOTFOUND)
		rc = ERR_AUTH;
	if (!rc)
		*enrolled = 1;
out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(b32, sizeof(b32));
	db_release(w);
	return rc;
}

int
accounts_second_factor_wanted(struct db *db, struct settings_cache *sc,
    const struct principal *p)
{
	if (settings_get(sc, db, SET_SECOND_FACTOR_EVERYONE))
		return 1;
	return settings_get(sc, db, SET_SECOND_FACTOR_REQUIRED) &&
	    scope_has_role(p, ROLE_ADMIN | ROLE_SECURITY_ADMIN | ROLE_AUDITOR);
}

int
accounts_authenticate(struct db *db, struct settings_cache *sc,
    const char *token, int bearer, struct principal *p)
{
	struct db_conn *c;
	int rc;

	rc = db_acquire(db, DB_READ, &c);
	if (rc)
		return rc;
	rc = accounts_authenticate_on(db, c, sc, token, bearer, p);
	db_release(c);
	return rc;
}

int
accounts_authenticate_on(struct db *db, struct db_conn *c,
    struct settings_cache *sc, const char *token, int bearer,
    struct principal *p)
{
	char digest[CRYPTO_DIGEST_HEX];
	int64_t now = clock_real(), last, expires, idle, id;
	int rc, disabled;

	memset(p, 0, sizeof(*p));
	if (strlen(token) != CRYPTO_TOKEN_LEN - 1 || strncmp(token, "ca_", 3))
		return ERR_AUTH;
	crypto_token_digest(token, digest);
	idle = settings_get(sc, db, SET_SESSION_IDLE_MINUTES) * 60;
	rc = db_prep(c, bearer ? TOKEN_BY_HASH : SESSION_BY_TOKEN);
	if (rc)
		goto out;
	db_bind_text(c, 1, digest);
	if (bearer)
		db_bind_int(c, 2, now);
	rc = db_one(c);
	if (rc) {
		rc = rc == ERR_NOTFOUND ? ERR_AUTH : rc;
		goto out;
	}
	if (bearer) {
		p->token_id = id = db_col_int(c, 0);
		p->user_id = db_col_int(c, 1);
		last = db_col_int(c, 2);
		str_copy(p->username, sizeof(p->username), db_col_text(c, 3));
		str_copy(p->name, sizeof(p->name), db_col_text(c, 4));
		p->home_org_id = db_col_int(c, 5);
		disabled = (int)db_col_int(c, 6);
		/* a token speaks for its user: a reset or expired password
		 * stops it too until the user changes the password */
		p->must_change = (int)db_col_int(c, 7);
		if (password_expired(sc, db, db_col_int(c, 8)))
			p->must_change = 1;
		expires = INT64_MAX;
	} else {
		p->session_id = id = db_col_int(c, 0);
		p->user_id = db_col_int(c, 1);
		last = db_col_int(c, 2);
		expires = db_col_int(c, 3);
		str_copy(p->username, sizeof(p->username), db_col_text(c, 4));
		str_copy(p->name, sizeof(p->name), db_col_text(c, 5));
		p->home_org_id = db_col_int(c, 6);
		p->must_change = (int)db_col_int(c, 7);
		disabled = (int)db_col_int(c, 8);
		p->stepped_up = db_col_int(c, 10);
		if (password_expired(sc, db, db_col_int(c, 9)))
			p->must_change = 1;
		crypto_token_derive(token, "changai-csrf", p->csrf);
	}
	db_done(c);
	if (disabled || expires <= now || (!bearer && last < now - idle)) {
		rc = ERR_AUTH;
		goto out;
	}
	rc = accounts_load_principal(c, p->user_id, p);
	if (rc || (rc = totp_enrolled(c, p->user_id, &p->has_totp)))
		goto out;
	p->must_enrol = !p->has_totp && accounts_second_factor_wanted(db, sc, p);
	/* the accounts and the audit trail are not driven by script: a token
	 * of a security admin or auditor counts for nothing */
	if (bearer && scope_has_role(p, ROLE_SECURITY_ADMIN | ROLE_AUDITOR)) {
		rc = ERR_AUTH;
		goto out;
	}
	/* a failed refresh costs only idle-timeout accuracy, so the request
	 * goes on, but it is not hidden */
	if (now - last >= TOUCH_SECONDS &&
	    (rc = touch(db, bearer ? TOKEN_TOUCH : SESSION_TOUCH, id)))
		log_warn("session %lld: last-seen not refreshed: %s", (long long)id,
		    err_name(rc));
	rc = 0;
out:
	if (rc)
		sodium_memzero(p, sizeof(*p));
	return rc;
}

/* Summary JSON {"username": …} for login records; the attempted name is
 * kept (bounded) so repeated guessing shows in the trail. */
static void
login_summary(struct buf *b, const char *username, const char *extra)
{
	struct jw w;
	char name[65];

	str_copy(name, sizeof(name), username);
	if (!utf8_valid(name, strlen(name)))
		str_copy(name, sizeof(name), "?");
	jw_init(&w, b);
	jw_obj_open(&w);
	jw_kstr(&w, "username", name);
	if (extra)
		jw_kstr(&w, "reason", extra);
	jw_obj_close(&w);
	if (jw_finish(&w)) {
		buf_reset(b);
		buf_puts(b, "{}");
	}
}

static int
audit_login(struct db *db, int64_t user_id, const char *username,
    const char *ip, int64_t org_id, const char *org_path, const char *result,
    const char *reason)
{
	struct audit_entry ae;
	struct buf sum;
	char target[32];
	int rc;

	buf_init(&sum, 1024);
	login_summary(&sum, username, reason);
	snprintf(target, sizeof(target), "user:%lld", (long long)user_id);
	memset(&ae, 0, sizeof(ae));
	ae.actor_id = user_id;
	ae.actor = user_id ? username : "-";
	ae.ip = ip;
	ae.org_id = org_id;
	ae.org_path = org_path;
	ae.action = "session.login";
	ae.target = user_id ? target : "";
	ae.result = result;
	ae.summary = sum.data ? sum.data : "{}";
	rc = audit_append_tx(db, &ae);
	buf_free(&sum);
	return rc;
}

static int
throttle(struct db *db, struct settings_cache *sc, const char *ip)
{
	struct db_conn *w;
	int64_t now = clock_real(), limit, attempts = 0;
	int rc;

	limit = settings_get(sc, db, SET_LOGIN_IP_PER_MINUTE);
	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		return rc;
	rc = db_prep(w, THROTTLE_HIT);
	if (rc)
		goto out;
	db_bind_text(w, 1, ip);
	db_bind_int(w, 2, now);
	db_bind_int(w, 3, now - 60);
	rc = db_one(w);
	if (!rc)
		attempts = db_col_int(w, 0);
	db_done(w);
	if (rc)
		goto out;
	rc = attempts > limit ? ERR_LIMIT : 0;
out:
	db_release(w);
	return rc;
}

/* A hash of a random password, made once, verified against when the user
 * does not exist, so an unknown name costs what a wrong password costs. */
static char dummy_hash[CRYPTO_PWHASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
dummy_make(void)
{
	char pw[16];

	crypto_random_password(pw, sizeof(pw));
	if (crypto_pw_hash(pw, dummy_hash))
		dummy_hash[0] = '\0';
}

static int
dummy_verify(const char *password)
{
	pthread_once(&dummy_once, dummy_make);
	if (dummy_hash[0])
		crypto_pw_verify(dummy_hash, password);
	return ERR_AUTH;
}

int
accounts_count_failure(struct db *db, struct settings_cache *sc,
    int64_t user_id, const char *ip, int64_t *locked_until)
{
	int64_t now = clock_real(), failed = 0, locks = 0, span;
	int64_t threshold = settings_get(sc, db, SET_LOCKOUT_THRESHOLD);
	struct db_conn *w;
	int rc;

	*locked_until = 0;
	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		return rc;
	rc = db_prep(w, PAIR_FAILED);
	if (rc)
		goto out;
	db_bind_int(w, 1, user_id);
	db_bind_text(w, 2, ip);
	db_bind_int(w, 3, now);
	db_bind_int(w, 4, now - 86400);
	rc = db_one(w);
	if (!rc) {
		failed = db_col_int(w, 0);
		locks = db_col_int(w, 1);
	}
	db_done(w);
	/* the statement is atomic, so exactly one request reaches the
	 * threshold and sets the lock */
	if (rc || failed != threshold)
		goto out;
	span = settings_get(sc, db, SET_LOCKOUT_MINUTES) * 60;
	span <<= locks < 6 ? locks : 6;
	if (span > 7 * 86400)
		span = 7 * 86400;
	rc = db_prep(w, PAIR_LOCK);
	if (rc)
		goto out;
	db_bind_int(w, 1, now + span);
	db_bind_int(w, 2, user_id);
	db_bind_text(w, 3, ip);
	rc = db_run(w);
	if (!rc)
		*locked_until = now + span;
out:
	db_release(w);
	return rc;
}

int
accounts_password_reused(struct db_conn *c, int64_t user_id, const char *pw,
    int64_t keep, int *reused)
{
	char hash[CRYPTO_PWHASH_LEN];
	int rc;

	*reused = 0;
	if (keep <= 0)
		return 0;
	rc = db_prep(c, PW_HISTORY);
	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	db_bind_int(c, 2, keep);
	while (!*reused && (rc = db_step(c)) == DB_ROW) {
		str_copy(hash, sizeof(hash), db_col_text(c, 0));
		*reused = crypto_pw_verify(hash, pw) == 0;
	}
	db_done(c);
	sodium_memzero(hash, sizeof(hash));
	return rc < 0 ? rc : 0;
}

int
accounts_password_remember(struct db_conn *w, int64_t user_id,
    const char *hash, int64_t keep)
{
	int rc = db_prep(w, PW_HISTORY_ADD);

	if (rc)
		return rc;
	db_bind_int(w, 1, user_id);
	db_bind_text(w, 2, hash);
	db_bind_int(w, 3, clock_real());
	rc = db_run(w);
	if (rc || (rc = db_prep(w, PW_HISTORY_TRIM)))
		return rc;
	db_bind_int(w, 1, user_id);
	db_bind_int(w, 2, keep);
	return db_run(w);
}

int
accounts_unmask_used(struct db_conn *c, int64_t user_id, const char *day,
    int64_t *rows)
{
	int rc = db_prep(c, UNMASK_USED);

	*rows = 0;
	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	db_bind_text(c, 2, day);
	rc = db_one(c);
	if (!rc)
		*rows = db_col_int(c, 0);
	db_done(c);
	return rc == ERR_NOTFOUND ? 0 : rc;
}

int
accounts_unmask_add(struct db *db, int64_t user_id, const char *day, int64_t rows)
{
	struct db_conn *w;
	int rc;

	if (rows <= 0)
		return 0;
	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		return rc;
	rc = db_prep(w, UNMASK_ADD);
	if (!rc) {
		db_bind_int(w, 1, user_id);
		db_bind_text(w, 2, day);
		db_bind_int(w, 3, rows);
		rc = db_run(w);
	}
	db_release(w);
	return rc;
}

static int
pair_locked_until(struct db_conn *c, int64_t user_id, const char *ip,
    int64_t *until)
{
	int rc = db_prep(c, PAIR_LOCKED_UNTIL);

	*until = 0;
	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	db_bind_text(c, 2, ip);
	rc = db_one(c);
	if (!rc)
		*until = db_col_int(c, 0);
	db_done(c);
	return rc == ERR_NOTFOUND ? 0 : rc;
}

int
accounts_open_session(struct db *db, struct settings_cache *sc, int64_t user_id,
    const char *ip, const char *ua, char token[48], int64_t *session_id)
{
	char digest[CRYPTO_DIGEST_HEX], agent[256];
	struct db_conn *w;
	int64_t now = clock_real();
	int rc;

	crypto_token(token);
	crypto_token_digest(token, digest);
	str_copy(agent, sizeof(agent), ua);
	if (!utf8_valid(agent, strlen(agent)))
		str_copy(agent, sizeof(agent), "?");
	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		return rc;
	rc = db_prep(w, SESSION_PURGE);
	if (rc)
		goto out;
	db_bind_int(w, 1, now);
	db_bind_int(w, 2, now - settings_get(sc, db, SET_SESSION_IDLE_MINUTES) * 60);
	rc = db_run(w);
	if (rc || (rc = db_prep(w, SESSION_INSERT)))
		goto out;
	db_bind_int(w, 1, user_id);
	db_bind_text(w, 2, digest);
	db_bind_int(w, 3, now);
	db_bind_int(w, 4, now + settings_get(sc, db, SET_SESSION_MAX_HOURS) * 3600);
	db_bind_text(w, 5, ip);
	db_bind_text(w, 6, agent);
	rc = db_one(w);
	if (!rc)
		*session_id = db_col_int(w, 0);
	db_done(w);
	/* a cap on sessions per user: the oldest give way to the newest */
	if (rc || (rc = db_prep(w, SESSION_KEEP_NEWEST)))
		goto out;
	db_bind_int(w, 1, user_id);
	db_bind_int(w, 2, settings_get(sc, db, SET_SESSIONS_PER_USER));
	rc = db_run(w);
out:
	db_release(w);
	return rc;
}

int
accounts_login(struct db *db, struct settings_cache *sc,
    const struct pii_key *k, const char *username, const char *password,
    const char *code, const char *ip, const char *user_agent,
    struct login_result *out)
{
	char pw_hash[CRYPTO_PWHASH_LEN], org_path[ORG_PATH_MAX];
	struct db_conn *c = NULL, *w;
	int64_t now = clock_real(), user_id = 0, locked_until, org_id = 0;
	int64_t session_id = 0;
	int rc, disabled, ok;

	memset(out, 0, sizeof(*out));
	org_path[0] = '\0';
	rc = throttle(db, sc, ip);
	if (rc == ERR_LIMIT) {
		audit_login(db, 0, username, ip, 0, NULL, "throttled", "too many attempts");
		return rc;
	}
	if (rc)
		return rc;
	rc = db_acquire(db, DB_READ, &c);
	if (rc)
		return rc;
	rc = db_prep(c, USER_BY_NAME_LOGIN);
	if (rc)
		goto out;
	db_bind_text(c, 1, username);
	rc = db_one(c);
	if (rc == ERR_NOTFOUND) {
		db_release(c);
		c = NULL;
		dummy_verify(password);
		audit_login(db, 0, username, ip, 0, NULL, "fail", "unknown user");
		rc = ERR_AUTH;
		goto out;
	}
	if (rc)
		goto out;
	user_id = db_col_int(c, 0);
	str_copy(pw_hash, sizeof(pw_hash), db_col_text(c, 1));
	disabled = (int)db_col_int(c, 4);
	org_id = db_col_int(c, 5);
	str_copy(org_path, sizeof(org_path), db_col_text(c, 6));
	db_done(c);
	rc = pair_locked_until(c, user_id, ip, &locked_until);
	db_release(c);
	c = NULL;
	if (rc)
		goto out;
	/* the password first: a wrong one answers alike whether the account
	 * exists, is locked or is disabled; only its owner learns of a lock */
	ok = crypto_pw_verify(pw_hash, password) == 0;
	sodium_memzero(pw_hash, sizeof(pw_hash));
	if (!ok) {
		int64_t until = 0;

		rc = accounts_count_failure(db, sc, user_id, ip, &until);
		if (rc)
			goto out;
		audit_login(db, user_id, username, ip, org_id, org_path, "fail",
		    until ? "wrong password; locked from this address" :
		    "wrong password");
		rc = ERR_AUTH;
		goto out;
	}
	if (disabled || locked_until > now) {
		audit_login(db, user_id, username, ip, org_id, org_path, "fail",
		    disabled ? "account disabled" : "account locked");
		rc = ERR_LOCKED;
		goto out;
	}
	{
		/* the second factor, once the password was right */
		int enrolled = 0;

		rc = accounts_totp_use(db, k, user_id, code ? code : "", 0, &enrolled);
		if (rc == ERR_AUTH) {
			int64_t until = 0;

			out->need_code = 1;
			if (code && *code) {
				/* a wrong code counts as a wrong password does */
				if ((rc = accounts_count_failure(db, sc, user_id, ip, &until)))
					goto out;
				audit_login(db, user_id, username, ip, org_id, org_path,
				    "fail", until ? "wrong authenticator code; locked from "
				    "this address" : "wrong authenticator code");
			}
			rc = ERR_AUTH;
			goto out;
		}
		if (rc)
			goto out;
	}
	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		goto out;
	rc = db_prep(w, PAIR_CLEAR);
	if (!rc) {
		db_bind_int(w, 1, user_id);
		db_bind_text(w, 2, ip);
		rc = db_run(w);
	}
	if (rc) {
		db_release(w);
		goto out;
	}
	rc = db_prep(w, USER_LOGIN_OK);
	if (!rc) {
		db_bind_int(w, 1, now);
		db_bind_int(w, 2, user_id);
		rc = db_run(w);
	}
	db_release(w);
	if (rc)
		goto out;
	rc = accounts_open_session(db, sc, user_id, ip, user_agent, out->token, &session_id);
	if (rc)
		goto out;
	rc = audit_login(db, user_id, username, ip, org_id, org_path, "ok", NULL);
	if (rc)
		goto out;
	rc = accounts_authenticate(db, sc, out->token, 0, &out->who);
out:
	if (c)
		db_release(c);
	return rc;
}

int
accounts_logout(struct db *db, const struct principal *p, const char *ip)
{
	struct audit_entry ae;
	struct db_conn *w;
	char target[32];
	int rc;

	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		return rc;
	rc = db_begin(w);
	if (rc)
		goto out;
	rc = db_prep(w, SESSION_DELETE);
	if (rc)
		goto rollback;
	db_bind_int(w, 1, p->session_id);
	rc = db_run(w);
	if (rc)
		goto rollback;
	snprintf(target, sizeof(target), "session:%lld", (long long)p->session_id);
	memset(&ae, 0, sizeof(ae));
	ae.actor_id = p->user_id;
	ae.actor = p->username;
	ae.ip = ip;
	ae.org_id = p->ngrants ? p->grants[0].org_id : 0;
	ae.org_path = p->ngrants ? p->grants[0].path : NULL;
	ae.action = "session.logout";
	ae.target = target;
	ae.result = "ok";
	ae.summary = "{}";
	rc = audit_append(w, &ae);
	if (rc)
		goto rollback;
	rc = db_commit(w);
	if (!rc)
		goto out;
rollback:
	db_rollback(w);
out:
	db_release(w);
	return rc;
}

/* ---- command line ---- */

static int
cli_audit(struct db_conn *w, const char *action, int64_t user_id,
    const char *summary)
{
	struct audit_entry ae;
	char target[32];

	snprintf(target, sizeof(target), "user:%lld", (long long)user_id);
	memset(&ae, 0, sizeof(ae));
	ae.actor = "cli";
	ae.ip = "local";
	ae.action = action;
	ae.target = target;
	ae.result = "ok";
	ae.summary = summary;
	return audit_append(w, &ae);
}

static int
user_id_by_name(struct db_conn *c, const char *username, int64_t *id)
{
	int rc = db_prep(c, USER_ID_BY_NAME);

	if (rc)
		return rc;
	db_bind_text(c, 1, username);
	rc = db_one(c);
	if (!rc)
		*id = db_col_int(c, 0);
	db_done(c);
	return rc;
}

int
accounts_cli_add(struct db *db, const char *username, const char *name,
    int64_t org_id, const char *role, char otp[16], int64_t *user_id)
{
	char hash[CRYPTO_PWHASH_LEN];
	struct db_conn *w;
	int64_t now = clock_now();
	int rc;

	if (valid_username(username))
		return ERR_INVALID;
	if (role && !role_parse(role))
		return ERR_INVALID;
	crypto_random_password(otp, 16);
	rc = crypto_pw_hash(otp, hash);
	if (rc)
		return rc;
	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		return rc;
	rc = db_begin(w);
	if (rc)
		goto out;
	if ((rc = accounts_user_insert(w, username, name, org_id, hash, user_id)))
		goto rollback;
	if (role) {
		rc = db_prep(w, GRANT_INSERT);
		if (rc)
			goto rollback;
		db_bind_int(w, 1, *user_id);
		db_bind_int(w, 2, org_id);
		db_bind_text(w, 3, role);
		db_bind_int(w, 4, 0);
		db_bind_int(w, 5, now);
		rc = db_one(w);
		db_done(w);
		if (rc)
			goto rollback;
	}
	rc = cli_audit(w, "user.create", *user_id, "{\"via\":\"cli\"}");
	if (rc)
		goto rollback;
	rc = db_commit(w);
	if (!rc)
		goto out;
rollback:
	db_rollback(w);
out:
	db_release(w);
	return rc;
}

static int
set_password(struct db *db, const char *username, const char *password,
    int must_change, const char *action)
{
	char hash[CRYPTO_PWHASH_LEN];
	struct db_conn *w;
	int64_t id = 0;
	int rc;

	rc = crypto_pw_hash(password, hash);
	if (rc)
		return rc;
	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		return rc;
	rc = db_begin(w);
	if (rc)
		goto out;
	rc = user_id_by_name(w, username, &id);
	if (rc || (rc = db_prep(w, USER_SET_PASSWORD)))
		goto rollback;
	db_bind_text(w, 1, hash);
	db_bind_int(w, 2, clock_now());
	db_bind_int(w, 3, must_change);
	db_bind_int(w, 4, id);
	rc = db_run(w);
	if (rc || (rc = db_prep(w, SESSION_DELETE_USER)))
		goto rollback;
	db_bind_int(w, 1, id);
	rc = db_run(w);
	/* a new password, whoever set it, ends the tokens made with the old */
	if (!rc && !(rc = db_prep(w, TOKEN_REVOKE_USER))) {
		db_bind_int(w, 1, id);
		rc = db_run(w);
	}
	if (rc || (rc = cli_audit(w, action, id, "{\"via\":\"cli\"}")))
		goto rollback;
	rc = db_commit(w);
	if (!rc)
		goto out;
rollback:
	db_rollback(w);
out:
	db_release(w);
	return rc;
}

int
accounts_cli_passwd(struct db *db, const char *username, char otp[16])
{
	crypto_random_password(otp, 16);
	return set_password(db, username, otp, 1, "user.password_reset");
}

int
accounts_cli_set_password(struct db *db, const char *username,
    const char *password, int must_change)
{
	return set_password(db, username, password, must_change,
	    "user.password_set");
}

int
accounts_cli_lock(struct db *db, const char *username, int lock)
{
	struct db_conn *w;
	int64_t id = 0;
	int rc;

	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		return rc;
	rc = db_begin(w);
	if (rc)
		goto out;
	rc = user_id_by_name(w, username, &id);
	if (rc || (rc = db_prep(w, lock ? USER_SET_DISABLED : PAIR_CLEAR_USER)))
		goto rollback;
	if (lock) {
		db_bind_int(w, 1, 1);
		db_bind_int(w, 2, clock_real());
		db_bind_int(w, 3, id);
	} else {
		db_bind_int(w, 1, id);
	}
	rc = db_run(w);
	if (rc)
		goto rollback;
	if (!lock) {
		/* unlock also re-enables an account locked with `user lock` */
		rc = db_prep(w, USER_SET_DISABLED);
		if (rc)
			goto rollback;
		db_bind_int(w, 1, 0);
		db_bind_int(w, 2, clock_real());
		db_bind_int(w, 3, id);
		rc = db_run(w);
		if (rc)
			goto rollback;
	} else {
		rc = db_prep(w, SESSION_DELETE_USER);
		if (rc)
			goto rollback;
		db_bind_int(w, 1, id);
		rc = db_run(w);
		if (rc || (rc = db_prep(w, TOKEN_REVOKE_USER)))
			goto rollback;
		db_bind_int(w, 1, id);
		rc = db_run(w);
		if (rc)
			goto rollback;
	}
	rc = cli_audit(w, lock ? "user.lock" : "user.unlock", id, "{\"via\":\"cli\"}");
	if (rc || (rc = db_commit(w)))
		goto rollback;
	goto out;
rollback:
	db_rollback(w);
out:
	db_release(w);
	return rc;
}

int
accounts_cli_set_pii(struct db *db, const char *username, int pii)
{
	struct db_conn *w;
	int64_t id = 0;
	int rc;

	rc = db_acquire(db, DB_WRITE, &w);
	if (rc)
		return rc;
	if ((rc = db_begin(w)))
		goto out;
	if ((rc = user_id_by_name(w, username, &id)) || (rc = db_prep(w, GRANT_SET_PII)))
		goto rollback;
	db_bind_int(w, 1, pii);
	db_bind_text(w, 2, username);
	if ((rc = db_run(w)) ||
	    (rc = cli_audit(w, pii ? "grant.pii_on" : "grant.pii_off", id, "{\"via\":\"cli\"}")) ||
	    (rc = db_commit(w)))
		goto rollback;
	goto out;
rollback:
	db_rollback(w);
out:
	db_release(w);
	return rc;
}

/* One integer from a statement with at most one text and two int binds. */
static int
one_int(struct db_conn *c, enum db_stmt_id st, const char *text, int64_t a,
    int64_t b, int nints, int64_t *out)
{
	int rc = db_prep(c, st);

	if (rc)
		return rc;
	if (text)
		db_bind_text(c, 1, text);
	if (nints > 0)
		db_bind_int(c, 1, a);
	if (nints > 1)
		db_bind_int(c, 2, b);
	rc = db_one(c);
	if (!rc)
		*out = db_col_int(c, 0);
	db_done(c);
	return rc;
}

int
accounts_user_id(struct db_conn *c, const char *username, int64_t *id)
{
	return one_int(c, USER_ID_BY_NAME, username, 0, 0, 0, id);
}

int
accounts_user_count(struct db_conn *c, int64_t *n)
{
	return one_int(c, USER_COUNT_ALL, NULL, 0, 0, 0, n);
}

int
accounts_sessions_open(struct db_conn *c, int64_t since, int64_t now, int64_t *n)
{
	return one_int(c, SESSION_COUNT_OPEN, NULL, since, now, 2, n);
}

int
accounts_token_insert(struct db_conn *c, int64_t user_id, const char *name,
    const char *digest, int64_t expires, int64_t *id)
{
	int rc = db_prep(c, TOKEN_INSERT);

	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	db_bind_text(c, 2, name);
	db_bind_text(c, 3, digest);
	db_bind_int(c, 4, clock_real());
	db_bind_int(c, 5, expires);
	rc = db_one(c);
	if (!rc)
		*id = db_col_int(c, 0);
	db_done(c);
	return rc;
}

int
accounts_token_revoke(struct db_conn *c, int64_t user_id, int64_t id)
{
	int rc = db_prep(c, TOKEN_REVOKE);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	db_bind_int(c, 2, user_id);
	if ((rc = db_run(c)))
		return rc;
	return db_changes(c) ? 0 : ERR_NOTFOUND;
}

int
accounts_session_end(struct db_conn *c, int64_t session_id)
{
	int rc = db_prep(c, SESSION_DELETE);

	if (rc)
		return rc;
	db_bind_int(c, 1, session_id);
	return db_run(c);
}

int
accounts_sessions_end_user(struct db_conn *c, int64_t user_id)
{
	int rc = db_prep(c, SESSION_DELETE_USER);

	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	return db_run(c);
}

int
accounts_user_insert(struct db_conn *c, const char *username, const char *name,
    int64_t org_id, const char *hash, int64_t *id)
{
	int rc;

	if (valid_username(username))
		return ERR_INVALID;
	if ((rc = db_prep(c, USER_INSERT)))
		return rc;
	db_bind_text(c, 1, username);
	db_bind_text(c, 2, name);
	db_bind_int(c, 3, org_id);
	db_bind_text(c, 4, hash);
	db_bind_int(c, 5, clock_now());
	rc = db_one(c);
	if (!rc)
		*id = db_col_int(c, 0);
	db_done(c);
	return rc;
}

int
accounts_totp_begin(struct db_conn *c, int64_t user_id, const char *sealed)
{
	int rc = db_prep(c, TOTP_BEGIN);

	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	db_bind_text(c, 2, sealed);
	db_bind_int(c, 3, clock_real());
	rc = db_one(c);
	db_done(c);
	return rc;
}

int
accounts_totp_remove(struct db_conn *c, int64_t user_id)
{
	int rc = db_prep(c, TOTP_DELETE);

	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	return db_run(c);
}
