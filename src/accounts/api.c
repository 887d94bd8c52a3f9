/* HTTP handlers for sessions, users, grants, API tokens and online
 * sessions. Account management belongs to the security admin; scope is the
 * subtree of the security admin's grant, judged by each user's home org. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/api.h"
#include "audit/audit.h"
#include "base/clock.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/util.h"
#include "base/valid.h"
#include "db/db.h"
#include "http/http.h"
#include "orgs/orgs.h"
#include "settings/settings.h"

#define SPECIAL_ROLES (ROLE_SECURITY_ADMIN | ROLE_AUDITOR)

/* Separation of duties: security admin and auditor are held alone; nobody
 * combines them with each other, with admin, or with any business role. */
static int
roles_compatible(unsigned held, unsigned adding)
{
	if (!held || held == adding)
		return 1;
	if ((held | adding) & SPECIAL_ROLES)
		return 0;
	return 1;
}

/* A refused password: the English reason and its Chinese, with the
 * length the policy asks for. */
static int
password_refused(struct req *r, const char *field, const char *why)
{
	char en[256], zh[512];
	int64_t min = req_setting(r, SET_PASSWORD_MIN_LENGTH);

	if (min < PASSWORD_FLOOR)
		min = PASSWORD_FLOOR;
	snprintf(en, sizeof(en), "%s (at least %lld characters, three of four "
	    "classes, not common, not the username)", why, (long long)min);
	snprintf(zh, sizeof(zh), "%s（至少%lld位，含大写字母、小写字母、数字、符号中的三类，"
	    "不含用户名，不是常见密码）", valid_password_why_zh(why), (long long)min);
	return req_error(r, 422, "validation_failed", field, en, zh);
}

static void
write_principal(struct jw *w, const struct principal *p)
{
	jw_key(w, "user");
	jw_obj_open(w);
	jw_kint(w, "id", p->user_id);
	jw_kstr(w, "username", p->username);
	jw_kstr(w, "name", p->name);
	jw_kint(w, "org_id", p->home_org_id);
	jw_key(w, "grants");
	jw_arr_open(w);
	for (int i = 0; i < p->ngrants; i++) {
		jw_obj_open(w);
		jw_kint(w, "id", p->grants[i].id);
		jw_kint(w, "org_id", p->grants[i].org_id);
		jw_kstr(w, "role", role_name(p->grants[i].role));
		jw_kbool(w, "pii", p->grants[i].pii);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
}

static int
session_body(struct req *r, int status, const struct principal *p)
{
	struct jw *w = req_json(r, status);

	jw_obj_open(w);
	write_principal(w, p);
	if (p->session_id)
		jw_kstr(w, "csrf_token", p->csrf);
	jw_kbool(w, "must_change_password", p->must_change);
	jw_key(w, "second_factor");
	jw_obj_open(w);
	jw_kbool(w, "enrolled", p->has_totp);
	jw_kbool(w, "must_enrol", p->must_enrol);
	jw_obj_close(w);
	jw_kint(w, "idle_timeout_minutes", req_setting(r, SET_SESSION_IDLE_MINUTES));
	req_can_json(r, p, w);
	jw_obj_close(w);
	return 0;
}

static int
set_cookie(struct req *r, const char *token)
{
	char cookie[192];

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
	    req_cookie_name(r), token, req_cookie_secure(r) ? "; Secure" : "");
	return req_header(r, "Set-Cookie", cookie);
}

static int
h_login(struct req *r)
{
	json_t *b = req_body(r);
	struct login_result lr;
	int rc;

	rc = accounts_login(req_store(r), req_settings(r), req_pii_key(r),
	    json_string_value(json_object_get(b, "username")),
	    json_string_value(json_object_get(b, "password")),
	    json_string_value(json_object_get(b, "code")), req_ip(r),
	    req_user_agent(r), &lr);
	switch (rc) {
	case 0:
		break;
	case ERR_AUTH:
		/* the password was right: the authenticator's code is asked */
		if (lr.need_code)
			return req_error(r, 401, "second_factor_required", "code",
			    json_object_get(b, "code") ?
			    "the authenticator code is wrong or was used already" :
			    "enter the code from your authenticator app",
			    json_object_get(b, "code") ? "动态验证码错误或已使用过" :
			    "请输入身份验证器中的动态验证码");
		/* one answer for unknown user and wrong password */
		return req_error(r, 401, "unauthenticated", NULL,
		    "wrong username or password", "用户名或密码错误");
	case ERR_LOCKED:
		return req_error(r, 423, "locked", NULL,
		    "the account is locked; try again later or ask the security admin",
		    "账号已锁定，请稍后再试或联系安全管理员");
	case ERR_LIMIT:
		req_header(r, "Retry-After", "60");
		return req_error(r, 429, "rate_limited", NULL,
		    "too many login attempts from this address",
		    "该地址登录尝试过于频繁，请稍后再试");
	default:
		return rc;
	}
	rc = set_cookie(r, lr.token);
	if (!rc)
		rc = session_body(r, 200, &lr.who);
	sodium_memzero(&lr, sizeof(lr));
	return rc;
}

static int
h_session_get(struct req *r)
{
	return session_body(r, 200, req_who(r));
}

static int
h_logout(struct req *r)
{
	const struct principal *p = req_who(r);
	int rc;

	if (!p->session_id)
		return req_error(r, 400, "bad_request", NULL,
		    "API tokens have no session; revoke the token instead",
		    "API 令牌没有会话，请撤销令牌");
	rc = accounts_logout(req_store(r), p, req_ip(r));
	if (rc)
		return rc;
	{
		char cookie[160];

		snprintf(cookie, sizeof(cookie), "%s=; Path=/; HttpOnly; "
		    "SameSite=Strict; Max-Age=0%s", req_cookie_name(r),
		    req_cookie_secure(r) ? "; Secure" : "");
		req_header(r, "Set-Cookie", cookie);
	}
	return req_status_only(r, 204);
}

/* A new password or a disabled account ends the API tokens too. */
static int
revoke_user_tokens(struct db_conn *c, int64_t user_id)
{
	int rc = db_prep(c, TOKEN_REVOKE_USER);

	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	return db_run(c);
}

static int
h_password(struct req *r)
{
	const struct principal *p = req_who(r);
	json_t *b = req_body(r);
	const char *old = json_string_value(json_object_get(b, "old_password"));
	const char *neu = json_string_value(json_object_get(b, "new_password"));
	char hash[CRYPTO_PWHASH_LEN], token[48];
	struct db_conn *c;
	struct tx t;
	const char *why;
	int64_t sid = 0;
	int rc;

	if (!p->session_id)
		return req_error(r, 403, "forbidden", NULL,
		    "log in with a password to change it", "请使用密码登录后修改密码");
	if (valid_password(neu, p->username,
	    (int)req_setting(r, SET_PASSWORD_MIN_LENGTH), &why))
		return password_refused(r, "new_password", why);
	if (!strcmp(old, neu))
		return req_error(r, 422, "validation_failed", "new_password",
		    "the new password must differ from the old one", "新密码不能与旧密码相同");
	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = db_prep(c, USER_PW_HASH)))
		return rc;
	db_bind_int(c, 1, p->user_id);
	rc = db_one(c);
	if (rc) {
		db_done(c);
		return rc;
	}
	str_copy(hash, sizeof(hash), db_col_text(c, 0));
	db_done(c);
	if (crypto_pw_verify(hash, old)) {
		int64_t until = 0;

		/* a guess at the password through a stolen session counts as a
		 * failed login; at the lock the session ends */
		req_db_release(r);
		rc = accounts_count_failure(req_store(r), req_settings(r), p->user_id,
		    req_ip(r), &until);
		if (rc)
			return rc;
		if (until) {
			if ((rc = req_db(r, DB_WRITE, &c)) || (rc = db_prep(c, SESSION_DELETE)))
				return rc;
			db_bind_int(c, 1, p->session_id);
			if ((rc = db_run(c)))
				return rc;
		}
		return req_error(r, 422, "validation_failed", "old_password",
		    "the current password is wrong", "当前密码错误");
	}
	{
		int reused = 0;

		rc = accounts_password_reused(c, p->user_id, neu,
		    req_setting(r, SET_PASSWORD_HISTORY), &reused);
		if (rc)
			return rc;
		if (reused)
			return req_error(r, 422, "validation_failed", "new_password",
			    "the new password was one of your recent passwords",
			    "新密码不能与最近使用过的密码相同");
	}
	rc = crypto_pw_hash(neu, hash);
	if (rc)
		return rc;
	if ((rc = tx_begin(&t, r, "user.password_change")))
		return rc;
	c = t.c;
	rc = db_prep(c, USER_SET_PASSWORD);
	if (rc)
		goto rollback;
	db_bind_text(c, 1, hash);
	db_bind_int(c, 2, clock_now());
	db_bind_int(c, 3, 0);
	db_bind_int(c, 4, p->user_id);
	rc = db_run(c);
	if (!rc)
		rc = accounts_password_remember(c, p->user_id, hash,
		    req_setting(r, SET_PASSWORD_HISTORY));
	/* every session of the user ends; this one is replaced below */
	if (rc || (rc = db_prep(c, SESSION_DELETE_USER)))
		goto rollback;
	db_bind_int(c, 1, p->user_id);
	rc = db_run(c);
	/* and its API tokens: they were made under the old password */
	if (rc || (rc = revoke_user_tokens(c, p->user_id)))
		goto rollback;
	tx_about(&t, "user", p->user_id, p->ngrants ? p->grants[0].org_id : 0,
	    p->ngrants ? p->grants[0].path : NULL);
	if ((rc = tx_commit(&t)))
		goto rollback;
	tx_end(&t);
	/* a fresh session, so the browser stays logged in; the console reads
	 * the new CSRF token from GET /session */
	req_db_release(r);
	rc = accounts_open_session(req_store(r), req_settings(r), p->user_id,
	    req_ip(r), req_user_agent(r), token, &sid);
	if (rc)
		return rc;
	rc = set_cookie(r, token);
	sodium_memzero(token, sizeof(token));
	if (rc)
		return rc;
	return req_status_only(r, 204);
rollback:
	tx_end(&t);
	return rc;
}

/* Step-up: the session's user proves itself again (its password) before
 * personal data is shown in full; good for step_up_minutes. A wrong
 * password counts as a failed login, and at the lock the session ends. */
static int
h_step_up(struct req *r)
{
	const struct principal *p = req_who(r);
	const char *pw = json_string_value(json_object_get(req_body(r), "password"));
	const char *code = json_string_value(json_object_get(req_body(r), "code"));
	char hash[CRYPTO_PWHASH_LEN];
	struct db_conn *c;
	struct tx t;
	int64_t now = clock_real(), until = 0;
	int rc, ok;

	if (!p->session_id)
		return req_error(r, 403, "forbidden", NULL,
		    "an API token has no session to step up; unmasking is for a person",
		    "API 令牌没有会话，不能再次验证；查看完整个人信息须由本人登录操作");
	if (!pw == !code)
		return req_error(r, 422, "validation_failed", "password",
		    "give the password or an authenticator code", "请输入密码或动态验证码");
	if (code) {
		int enrolled = 0;

		req_db_release(r);
		rc = accounts_totp_use(req_store(r), req_pii_key(r), p->user_id, code, 0, &enrolled);
		if (!rc && !enrolled)
			return req_error(r, 409, "conflict", "code",
			    "no authenticator is enrolled: give the password", "尚未绑定身份验证器，请输入密码");
		if (rc && rc != ERR_AUTH)
			return rc;
		ok = rc == 0;
	} else {
		rc = req_db(r, DB_READ, &c);
		if (rc || (rc = db_prep(c, USER_PW_HASH)))
			return rc;
		db_bind_int(c, 1, p->user_id);
		rc = db_one(c);
		if (!rc)
			str_copy(hash, sizeof(hash), db_col_text(c, 0));
		db_done(c);
		if (rc)
			return rc;
		ok = crypto_pw_verify(hash, pw) == 0;
		sodium_memzero(hash, sizeof(hash));
		req_db_release(r);
	}
	if (!ok) {
		rc = accounts_count_failure(req_store(r), req_settings(r), p->user_id,
		    req_ip(r), &until);
		if (rc)
			return rc;
		if ((rc = tx_begin(&t, r, "session.step_up")))
			return rc;
		if (until && !(rc = db_prep(t.c, SESSION_DELETE))) {
			db_bind_int(t.c, 1, p->session_id);
			rc = db_run(t.c);
		}
		tx_about(&t, "user", p->user_id, p->ngrants ? p->grants[0].org_id : 0,
		    p->ngrants ? p->grants[0].path : NULL);
		t.ae.result = "fail";
		jw_kstr(tx_summary(&t), "reason", until ?
		    "wrong password; locked from this address" : "wrong password");
		if (!rc)
			rc = tx_commit(&t);
		tx_end(&t);
		if (rc)
			return rc;
		return req_error(r, 422, "validation_failed", code ? "code" : "password",
		    code ? "the code is wrong or was used already" : "the password is wrong",
		    code ? "动态验证码错误或已使用过" : "密码错误");
	}
	if ((rc = tx_begin(&t, r, "session.step_up")))
		return rc;
	if (!(rc = db_prep(t.c, SESSION_STEP_UP))) {
		db_bind_int(t.c, 1, now);
		db_bind_int(t.c, 2, p->session_id);
		rc = db_run(t.c);
	}
	tx_about(&t, "user", p->user_id, p->ngrants ? p->grants[0].org_id : 0,
	    p->ngrants ? p->grants[0].path : NULL);
	if (!rc)
		rc = tx_commit(&t);
	tx_end(&t);
	if (rc)
		return rc;
	{
		struct jw *w = req_json(r, 200);

		jw_obj_open(w);
		jw_ktime(w, "until", now + req_setting(r, SET_STEP_UP_MINUTES) * 60);
		jw_obj_close(w);
	}
	return 0;
}

/* ---- users (security admin) ---- */


static void
read_user(struct db_conn *c, struct user_rec *u)
{
	u->id = db_col_int(c, 0);
	str_copy(u->username, sizeof(u->username), db_col_text(c, 1));
	str_copy(u->name, sizeof(u->name), db_col_text(c, 2));
	u->org_id = db_col_int(c, 3);
	u->must_change = (int)db_col_int(c, 4);
	u->disabled = (int)db_col_int(c, 5);
	u->locked_until = db_col_int(c, 6);
	u->failed = db_col_int(c, 7);
	u->created = db_col_int(c, 8);
	u->last_login = db_col_int(c, 9);
	u->pw_changed = db_col_int(c, 10);
	str_copy(u->path, sizeof(u->path), db_col_text(c, 11));
	str_copy(u->org_name, sizeof(u->org_name), db_col_text(c, 12));
}

/* The scope is part of the SQL: the user's home org in one of the
 * caller's security-admin subtrees. */
int
account_load_scoped(struct req *r, struct db_conn *c, int64_t id,
    struct user_rec *u)
{
	const struct principal *p = req_who(r);
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc = ERR_NOTFOUND;

	for (int i = 0; i < p->ngrants && rc == ERR_NOTFOUND; i++) {
		if (p->grants[i].role != ROLE_SECURITY_ADMIN)
			continue;
		path_range(p->grants[i].path, lo, hi, sizeof(lo));
		rc = db_prep(c, USER_GET_SCOPED);
		if (rc)
			return rc;
		db_bind_int(c, 1, id);
		db_bind_text(c, 2, lo);
		db_bind_text(c, 3, hi);
		rc = db_one(c);
		if (!rc)
			read_user(c, u);
		db_done(c);
	}
	if (rc)
		return rc;
	/* a user whose roles reach beyond the caller's subtree is not the
	 * caller's to manage (a street cannot reset a city admin whose
	 * home is that street) */
	rc = db_prep(c, GRANTS_OF_USER);
	if (rc)
		return rc;
	db_bind_int(c, 1, u->id);
	while ((rc = db_step(c)) == DB_ROW) {
		if (!scope_allows(p, ROLE_SECURITY_ADMIN, db_col_text(c, 4))) {
			rc = ERR_NOTFOUND;
			break;
		}
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

static void
user_json_fields(struct jw *w, const struct user_rec *u)
{
	jw_kint(w, "id", u->id);
	jw_kstr(w, "username", u->username);
	jw_kstr(w, "name", u->name);
	jw_kint(w, "org_id", u->org_id);
	jw_kstr(w, "org_name", u->org_name);
	jw_kbool(w, "must_change_password", u->must_change);
	jw_kbool(w, "disabled", u->disabled);
	jw_kbool(w, "locked", u->locked_until > clock_real());
	jw_ktime(w, "locked_until", u->locked_until > clock_real() ? u->locked_until : 0);
	jw_kint(w, "failed_logins", u->failed);
	jw_ktime(w, "created", u->created);
	jw_ktime(w, "last_login", u->last_login);
	jw_ktime(w, "password_changed", u->pw_changed);
}

int
account_write_user(struct req *r, struct db_conn *c, const struct user_rec *u,
    int status, const char *otp)
{
	struct jw *w;
	int rc;

	rc = db_prep(c, GRANTS_OF_USER);
	if (rc)
		return rc;
	db_bind_int(c, 1, u->id);
	w = req_json(r, status);
	jw_obj_open(w);
	user_json_fields(w, u);
	if (otp)
		jw_kstr(w, "one_time_password", otp);
	jw_key(w, "grants");
	jw_arr_open(w);
	while ((rc = db_step(c)) == DB_ROW) {
		jw_obj_open(w);
		jw_kint(w, "id", db_col_int(c, 0));
		jw_kint(w, "org_id", db_col_int(c, 1));
		jw_kstr(w, "role", db_col_text(c, 2));
		jw_kbool(w, "pii", (int)db_col_int(c, 3));
		jw_kstr(w, "org_name", db_col_text(c, 5));
		jw_kstr(w, "org_kind", db_col_text(c, 6));
		jw_obj_close(w);
	}
	db_done(c);
	jw_arr_close(w);
	jw_obj_close(w);
	return rc < 0 ? rc : 0;
}

/* The org's path if the caller may manage accounts there (404 otherwise;
 * the scope is checked in SQL). */
static int
scoped_org_path(struct req *r, struct db_conn *c, int64_t org_id, char *path,
    size_t n)
{
	struct org o;
	int rc = orgs_get_scoped(c, req_who(r), ROLE_SECURITY_ADMIN, org_id, &o);

	return rc ? rc : str_copy(path, n, o.path);
}

static int
h_users_list(struct req *r)
{
	const struct principal *p = req_who(r);
	const struct grant *g = scope_default(p, ROLE_SECURITY_ADMIN);
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], path[ORG_PATH_MAX], pat[64 * 4 * 2 + 3];
	const char *q = req_query(r, "q"), *after = req_query(r, "after");
	int64_t limit = req_query_int(r, "limit", 50), cursor = 0, total = -1;
	int64_t org = req_query_int(r, "org", 0);
	struct db_conn *c;
	struct page pg;
	struct jw *w;
	int rc;

	if (after && cursor_decode(after, &cursor))
		return ERR_BADREQ;
	rc = req_db(r, DB_READ, &c);
	if (rc)
		return rc;
	str_copy(path, sizeof(path), g->path);
	if (org && (rc = scoped_org_path(r, c, org, path, sizeof(path))))
		return rc;
	path_range(path, lo, hi, sizeof(lo));
	if (q && like_contains(q, pat, sizeof(pat)))
		return req_error(r, 400, "bad_request", "q", "the search text is too long",
		    "搜索内容过长");
	if (req_query_int(r, "count", 1)) {
		rc = db_prep(c, USER_COUNT);
		if (rc)
			return rc;
		db_bind_text(c, 1, lo);
		db_bind_text(c, 2, hi);
		db_bind_text(c, 3, q ? pat : NULL);
		if (!db_one(c))
			total = db_col_int(c, 0);
		db_done(c);
	}
	rc = db_prep(c, USER_LIST);
	if (rc)
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	db_bind_int(c, 3, cursor);
	db_bind_text(c, 4, q ? pat : NULL);
	db_bind_int(c, 5, limit + 1);
	w = page_open(&pg, r, limit);
	while ((rc = db_step(c)) == DB_ROW && page_row(&pg, db_col_int(c, 0))) {
		struct user_rec u;

		read_user(c, &u);
		jw_obj_open(w);
		user_json_fields(w, &u);
		jw_obj_close(w);
	}
	db_done(c);
	return rc < 0 ? rc : page_close(&pg, total);
}

static int
h_user_get(struct req *r)
{
	struct user_rec u;
	struct db_conn *c;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = account_load_scoped(r, c, req_param_id(r, 0), &u)))
		return rc;
	return account_write_user(r, c, &u, 200, NULL);
}

static int
h_user_create(struct req *r)
{
	const struct principal *p = req_who(r);
	json_t *b = req_body(r);
	const char *username = json_string_value(json_object_get(b, "username"));
	const char *name = json_string_value(json_object_get(b, "name"));
	const char *pw = json_string_value(json_object_get(b, "password"));
	json_t *jorg = json_object_get(b, "org_id");
	int64_t org_id, id = 0;
	char hash[CRYPTO_PWHASH_LEN], path[ORG_PATH_MAX];
	struct user_rec u;
	struct db_conn *c;
	struct tx t;
	const char *why;
	int rc;

	org_id = jorg ? json_integer_value(jorg) :
	    scope_default(p, ROLE_SECURITY_ADMIN)->org_id;
	if (valid_username(username))
		return req_error(r, 422, "validation_failed", "username",
		    "3-32 characters: lower-case letters, digits, _ . -, starting with a letter",
		    "用户名为3到32位小写字母、数字或 _ . -，以字母开头");
	if (valid_password(pw, username, (int)req_setting(r, SET_PASSWORD_MIN_LENGTH), &why))
		return password_refused(r, "password", why);
	rc = req_db(r, DB_READ, &c);
	if (rc)
		return rc;
	rc = scoped_org_path(r, c, org_id, path, sizeof(path));
	if (rc == ERR_NOTFOUND)
		return req_error(r, 404, "not_found", "org_id",
		    "no such organisation in your scope", "您的管辖范围内没有该组织");
	if (rc)
		return rc;
	req_db_release(r);
	if ((rc = crypto_pw_hash(pw, hash)) || (rc = tx_begin(&t, r, "user.create")))
		return rc;
	if (!(rc = accounts_user_insert(t.c, username, name, org_id, hash, &id))) {
		struct jw *w = tx_summary(&t);

		tx_about(&t, "user", id, org_id, path);
		jw_kstr(w, "username", username);
		jw_kstr(w, "name", name);
		jw_kint(w, "org_id", org_id);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	sodium_memzero(hash, sizeof(hash));
	if (rc == ERR_CONFLICT)
		return req_error(r, 409, "conflict", "username",
		    "this username is taken", "用户名已存在");
	if (rc || (rc = req_db(r, DB_READ, &c)))
		return rc;
	if ((rc = account_load_scoped(r, c, id, &u)))
		return rc;
	return account_write_user(r, c, &u, 201, NULL);
}

static int
revoke_user_sessions(struct db_conn *c, int64_t user_id)
{
	int rc = db_prep(c, SESSION_DELETE_USER);

	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	return db_run(c);
}

int
account_load(struct db_conn *c, int64_t id, struct user_rec *u)
{
	int rc = db_prep(c, USER_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	rc = db_one(c);
	if (!rc)
		read_user(c, u);
	db_done(c);
	return rc;
}

int
account_held(struct db_conn *c, int64_t user_id, unsigned *roles, int *pii)
{
	int rc = db_prep(c, GRANTS_OF_USER);

	*roles = 0;
	*pii = 0;
	if (rc)
		return rc;
	db_bind_int(c, 1, user_id);
	while ((rc = db_step(c)) == DB_ROW) {
		*roles |= role_parse(db_col_text(c, 2));
		*pii |= db_col_int(c, 3) != 0;
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

int
account_patch_read(struct db_conn *c, const json_t *body,
    const struct user_rec *u, struct user_patch *up)
{
	json_t *v;
	struct org o;
	int rc;

	memset(up, 0, sizeof(*up));
	up->disabled = -1;
	if ((v = json_object_get(body, "name")))
		up->name = json_string_value(v);
	if ((v = json_object_get(body, "disabled")))
		up->disabled = json_is_true(v);
	v = json_object_get(body, "locked");
	up->unlock = v && json_is_false(v);
	up->reset = json_is_true(json_object_get(body, "reset_password"));
	up->reset_factor = json_is_true(json_object_get(body, "reset_second_factor"));
	v = json_object_get(body, "org_id");
	if (v && json_integer_value(v) != u->org_id) {
		rc = orgs_get_in(c, json_integer_value(v), "/", "0", &o);
		if (rc)
			return rc;
		up->org_id = o.id;
		str_copy(up->org_path, sizeof(up->org_path), o.path);
	}
	return 0;
}

static void
note_approval(struct jw *w, const struct approval_note *ap)
{
	if (!ap)
		return;
	jw_kint(w, "approval", ap->id);
	jw_kstr(w, "proposed_by", ap->proposed_by);
}

int
account_patch_apply(struct tx *t, const struct user_rec *given,
    const struct user_patch *up, const struct approval_note *ap)
{
	struct db_conn *c = t->c;
	const struct user_rec *u = given;
	struct user_rec cur;
	const char *name;
	int64_t org_id;
	const char *path;
	struct jw *sw;
	int rc, revoke = 0, disabled;

	/* the row the change starts from, read in this transaction (locked
	 * on PostgreSQL), so two edits of one account do not undo each other */
	if ((rc = db_prep(c, USER_LOCK)))
		return rc;
	db_bind_int(c, 1, given->id);
	rc = db_one(c);
	db_done(c);
	if (rc || (rc = account_load(c, given->id, &cur)))
		return rc;
	u = &cur;
	name = up->name ? up->name : u->name;
	disabled = up->disabled >= 0 ? up->disabled : u->disabled;
	org_id = up->org_id ? up->org_id : u->org_id;
	path = up->org_id ? up->org_path : u->path;
	sw = tx_row(t, "user.update", "user", u->id, org_id, path);
	rc = db_prep(c, USER_UPDATE);
	if (rc)
		return rc;
	db_bind_text(c, 1, name);
	db_bind_int(c, 2, disabled);
	db_bind_int(c, 3, org_id);
	db_bind_int(c, 4, clock_real());
	db_bind_int(c, 5, u->id);
	if ((rc = db_run(c)))
		return rc;
	if (strcmp(name, u->name)) {
		jw_key(sw, "name");
		jw_obj_open(sw);
		jw_kstr(sw, "from", u->name);
		jw_kstr(sw, "to", name);
		jw_obj_close(sw);
	}
	if (disabled != u->disabled) {
		jw_key(sw, "disabled");
		jw_obj_open(sw);
		jw_kbool(sw, "from", u->disabled);
		jw_kbool(sw, "to", disabled);
		jw_obj_close(sw);
		revoke |= disabled;
	}
	if (org_id != u->org_id) {
		jw_key(sw, "org_id");
		jw_obj_open(sw);
		jw_kint(sw, "from", u->org_id);
		jw_kint(sw, "to", org_id);
		jw_obj_close(sw);
	}
	if (up->unlock) {
		if ((rc = db_prep(c, PAIR_CLEAR_USER)))
			return rc;
		db_bind_int(c, 1, u->id);
		if ((rc = db_run(c)))
			return rc;
		jw_kbool(sw, "unlocked", 1);
	}
	if (up->reset) {
		if ((rc = db_prep(c, USER_SET_PASSWORD)))
			return rc;
		db_bind_text(c, 1, up->reset_hash);
		db_bind_int(c, 2, clock_now());
		db_bind_int(c, 3, 1);      /* a password set by someone else is temporary */
		db_bind_int(c, 4, u->id);
		if ((rc = db_run(c)))
			return rc;
		jw_kbool(sw, "password_reset", 1);
		revoke = 1;
	}
	if (up->reset_factor) {
		if ((rc = db_prep(c, TOTP_DELETE)))
			return rc;
		db_bind_int(c, 1, u->id);
		if ((rc = db_run(c)))
			return rc;
		jw_kbool(sw, "second_factor_reset", 1);
		revoke = 1;
	}
	if (revoke && ((rc = revoke_user_sessions(c, u->id)) ||
	    (rc = revoke_user_tokens(c, u->id))))
		return rc;
	note_approval(sw, ap);
	return tx_row_end(t);
}

static int
h_user_patch(struct req *r)
{
	const struct principal *p = req_who(r);
	json_t *b = req_body(r), *v;
	int64_t id = req_param_id(r, 0);
	char otp[ACCOUNT_OTP_LEN + 1], path[ORG_PATH_MAX];
	struct user_patch up;
	struct user_rec u;
	struct db_conn *c;
	struct tx t;
	int rc, need = 0;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = account_load_scoped(r, c, id, &u)))
		return rc;
	if (id == p->user_id && (json_object_get(b, "disabled") ||
	    json_object_get(b, "org_id") || json_object_get(b, "reset_password") ||
	    json_object_get(b, "reset_second_factor")))
		return req_error(r, 403, "forbidden", NULL,
		    "change your own account through your session",
		    "请通过个人会话修改自己的账号");
	v = json_object_get(b, "locked");
	if (v && json_is_true(v))
		return req_error(r, 422, "validation_failed", "locked",
		    "locked only clears a lockout; set disabled to lock an account",
		    "locked 只能用于解除锁定；停用账号请设置 disabled");
	v = json_object_get(b, "org_id");
	if (v && json_integer_value(v) != u.org_id) {
		rc = scoped_org_path(r, c, json_integer_value(v), path, sizeof(path));
		if (rc == ERR_NOTFOUND)
			return req_error(r, 404, "not_found", "org_id",
			    "no such organisation in your scope", "您的管辖范围内没有该组织");
		if (rc)
			return rc;
	}
	if ((rc = account_patch_read(c, b, &u, &up)))
		return rc;
	rc = account_needs_approval(c, &u, up.reset || up.reset_factor ? AC_RESET : AC_PATCH,
	    0, 0, &need);
	if (rc)
		return rc;
	if (need)
		return approval_propose(r, "user.update", &u, b);
	req_db_release(r);
	if (up.reset) {
		crypto_random_password(otp, sizeof(otp));
		if ((rc = crypto_pw_hash(otp, up.reset_hash)))
			return rc;
	}
	if ((rc = tx_begin(&t, r, "user.update")))
		goto out;
	if (!(rc = account_patch_apply(&t, &u, &up, NULL)))
		rc = tx_commit_each(&t);
	tx_end(&t);
	if (rc || (rc = req_db(r, DB_READ, &c)) || (rc = account_load_scoped(r, c, id, &u)))
		goto out;
	/* the one-time password is the security admin's to hand over: shown
	 * this once, never chosen by anyone */
	rc = account_write_user(r, c, &u, 200, up.reset ? otp : NULL);
out:
	sodium_memzero(otp, sizeof(otp));
	sodium_memzero(up.reset_hash, sizeof(up.reset_hash));
	return rc;
}

int
account_grant_check(struct req *r, struct db_conn *c, const struct user_rec *u,
    unsigned role, int pii)
{
	unsigned held;
	int held_pii, rc;

	rc = account_held(c, u->id, &held, &held_pii);
	if (rc)
		return rc;
	if (!roles_compatible(held, role))
		return req_error(r, 409, "conflict", "role",
		    "separation of duties: security admin and auditor are held alone",
		    "三权分立：安全管理员和审计员不能与其他角色兼任");
	/* pii belongs to the roles that read the roster: the grant it is on is
	 * the only one it unmasks through */
	if (pii && !(role & PII_ROLES))
		return req_error(r, 422, "validation_failed", "pii",
		    "only admin, operator and viewer grants may carry pii",
		    "只有系统管理员、业务操作员和只读用户的授权可以查看个人敏感信息");
	return 0;
}

int
account_grant_apply(struct tx *t, const struct user_rec *u, int64_t org_id,
    const char *org_path, unsigned role, int pii, const struct approval_note *ap,
    int64_t *gid)
{
	struct db_conn *c = t->c;
	struct jw *sw;
	int rc;

	rc = db_prep(c, GRANT_INSERT);
	if (rc)
		return rc;
	db_bind_int(c, 1, u->id);
	db_bind_int(c, 2, org_id);
	db_bind_text(c, 3, role_name(role));
	db_bind_int(c, 4, pii);
	db_bind_int(c, 5, clock_real());
	rc = db_one(c);
	if (!rc)
		*gid = db_col_int(c, 0);
	db_done(c);
	if (rc)
		return rc;
	sw = tx_row(t, "grant.add", "user", u->id, org_id, org_path);
	jw_kint(sw, "grant_id", *gid);
	jw_kint(sw, "org_id", org_id);
	jw_kstr(sw, "role", role_name(role));
	jw_kbool(sw, "pii", pii);
	note_approval(sw, ap);
	return tx_row_end(t);
}

static int
h_grant_add(struct req *r)
{
	const struct principal *p = req_who(r);
	json_t *b = req_body(r);
	int64_t id = req_param_id(r, 0), org_id, gid = 0;
	const char *role = json_string_value(json_object_get(b, "role"));
	int pii = json_is_true(json_object_get(b, "pii"));
	unsigned adding = role_parse(role);
	char path[ORG_PATH_MAX];
	struct user_rec u;
	struct db_conn *c;
	struct tx t;
	int rc, need = 0;

	org_id = json_integer_value(json_object_get(b, "org_id"));
	if (id == p->user_id)
		return req_error(r, 403, "forbidden", NULL,
		    "nobody grants roles to themselves", "不能给自己授权");
	rc = req_db(r, DB_WRITE, &c);
	if (rc || (rc = account_load_scoped(r, c, id, &u)))
		return rc;
	rc = scoped_org_path(r, c, org_id, path, sizeof(path));
	if (rc == ERR_NOTFOUND)
		return req_error(r, 404, "not_found", "org_id",
		    "no such organisation in your scope", "您的管辖范围内没有该组织");
	if (rc || (rc = account_grant_check(r, c, &u, adding, pii)) || req_answered(r))
		return rc;
	rc = account_needs_approval(c, &u, AC_GRANT_ADD, adding, pii, &need);
	if (rc)
		return rc;
	if (need)
		return approval_propose(r, "grant.add", &u, b);
	if ((rc = tx_begin(&t, r, "grant.add")))
		return rc;
	if (!(rc = account_grant_apply(&t, &u, org_id, path, adding, pii, NULL, &gid)))
		rc = tx_commit_each(&t);
	tx_end(&t);
	if (rc == ERR_CONFLICT)
		return req_error(r, 409, "conflict", "role",
		    "the user already holds this role there", "该用户在此组织已有该角色");
	if (rc)
		return rc;
	{
		struct jw *w = req_json(r, 201);
		jw_obj_open(w);
		jw_kint(w, "id", gid);
		jw_kint(w, "user_id", id);
		jw_kint(w, "org_id", org_id);
		jw_kstr(w, "role", role_name(adding));
		jw_kbool(w, "pii", pii);
		jw_obj_close(w);
	}
	return 0;
}

int
account_grant_remove_apply(struct tx *t, const struct user_rec *u, int64_t gid,
    const struct approval_note *ap)
{
	struct db_conn *c = t->c;
	char path[ORG_PATH_MAX], role[32];
	int64_t org_id;
	struct jw *sw;
	int rc;

	rc = db_prep(c, GRANT_GET);
	if (rc)
		return rc;
	db_bind_int(c, 1, gid);
	db_bind_int(c, 2, u->id);
	rc = db_one(c);
	if (rc) {
		db_done(c);
		return rc;
	}
	org_id = db_col_int(c, 1);
	str_copy(role, sizeof(role), role_name(role_parse(db_col_text(c, 2))));
	str_copy(path, sizeof(path), db_col_text(c, 4));
	db_done(c);
	if ((rc = db_prep(c, GRANT_DELETE)))
		return rc;
	db_bind_int(c, 1, gid);
	if ((rc = db_run(c)))
		return rc;
	sw = tx_row(t, "grant.remove", "user", u->id, org_id, path);
	jw_kint(sw, "grant_id", gid);
	jw_kint(sw, "org_id", org_id);
	jw_kstr(sw, "role", role);
	note_approval(sw, ap);
	return tx_row_end(t);
}

static int
h_grant_del(struct req *r)
{
	const struct principal *p = req_who(r);
	int64_t id = req_param_id(r, 0), gid = req_param_id(r, 1);
	struct user_rec u;
	struct db_conn *c;
	struct tx t;
	int rc, need = 0;

	if (id == p->user_id)
		return req_error(r, 403, "forbidden", NULL,
		    "nobody changes their own roles", "不能修改自己的角色");
	rc = req_db(r, DB_WRITE, &c);
	if (rc || (rc = account_load_scoped(r, c, id, &u)))
		return rc;
	rc = db_prep(c, GRANT_GET);
	if (rc)
		return rc;
	db_bind_int(c, 1, gid);
	db_bind_int(c, 2, id);
	rc = db_one(c);
	if (!rc && !scope_allows(p, ROLE_SECURITY_ADMIN, db_col_text(c, 4)))
		rc = ERR_NOTFOUND;
	db_done(c);
	if (rc)
		return rc;
	rc = account_needs_approval(c, &u, AC_GRANT_REMOVE, 0, 0, &need);
	if (rc)
		return rc;
	if (need) {
		json_t *payload = json_pack("{sI}", "grant_id", (json_int_t)gid);

		if (!payload)
			return ERR_NOMEM;
		rc = approval_propose(r, "grant.remove", &u, payload);
		json_decref(payload);
		return rc;
	}
	if ((rc = tx_begin(&t, r, "grant.remove")))
		return rc;
	if (!(rc = account_grant_remove_apply(&t, &u, gid, NULL)))
		rc = tx_commit_each(&t);
	tx_end(&t);
	return rc ? rc : req_status_only(r, 204);
}

/* ---- online sessions (security admin) ---- */

/* The open sessions of users under [lo, hi), of one user when user > 0. */
static int
sessions_json(struct req *r, const char *lo, const char *hi, int64_t user)
{
	const struct principal *p = req_who(r);
	int64_t now = clock_real(), n = 0;
	struct db_conn *c;
	struct jw *w;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = db_prep(c, SESSION_LIST)))
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	db_bind_int(c, 3, now - req_setting(r, SET_SESSION_IDLE_MINUTES) * 60);
	db_bind_int(c, 4, now);
	if (user)
		db_bind_int(c, 5, user);
	else
		db_bind_null(c, 5);
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	while ((rc = db_step(c)) == DB_ROW) {
		n++;
		jw_obj_open(w);
		jw_kint(w, "id", db_col_int(c, 0));
		jw_kint(w, "user_id", db_col_int(c, 1));
		jw_kstr(w, "username", db_col_text(c, 2));
		jw_kstr(w, "name", db_col_text(c, 3));
		jw_ktime(w, "created", db_col_int(c, 4));
		jw_ktime(w, "last_seen", db_col_int(c, 5));
		jw_ktime(w, "expires", db_col_int(c, 6));
		jw_kstr(w, "ip", db_col_text(c, 7));
		jw_kstr(w, "user_agent", db_col_text(c, 8));
		jw_kbool(w, "current", db_col_int(c, 0) == p->session_id);
		jw_obj_close(w);
	}
	db_done(c);
	jw_arr_close(w);
	jw_knull(w, "next");
	jw_kint(w, "total", n);
	jw_obj_close(w);
	return rc < 0 ? rc : 0;
}

static int
h_sessions_list(struct req *r)
{
	const struct grant *g = scope_default(req_who(r), ROLE_SECURITY_ADMIN);
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];

	path_range(g->path, lo, hi, sizeof(lo));
	return sessions_json(r, lo, hi, req_query_int(r, "user", 0));
}

/* 个人中心: the caller's own open sessions, wherever they were opened. */
static int
h_my_sessions(struct req *r)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];

	path_range("/", lo, hi, sizeof(lo));
	return sessions_json(r, lo, hi, req_who(r)->user_id);
}

static int
end_sessions(struct req *r, int64_t session_id, int64_t user_id,
    const char *path, int64_t org_id)
{
	struct tx t;
	int rc;

	if ((rc = tx_begin(&t, r, "session.end")))
		return rc;
	if (session_id) {
		rc = accounts_session_end(t.c, session_id);
		tx_about(&t, "session", session_id, org_id, path);
	} else {
		rc = accounts_sessions_end_user(t.c, user_id);
		tx_about(&t, "user", user_id, org_id, path);
	}
	if (!rc)
		rc = tx_commit(&t);
	tx_end(&t);
	return rc ? rc : req_status_only(r, 204);
}

static int
h_session_end(struct req *r)
{
	const struct principal *p = req_who(r);
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], path[ORG_PATH_MAX];
	int64_t sid = req_param_id(r, 0), org_id = 0;
	struct db_conn *c;
	int rc = ERR_NOTFOUND;

	rc = req_db(r, DB_READ, &c);
	if (rc)
		return rc;
	rc = ERR_NOTFOUND;
	for (int i = 0; i < p->ngrants && rc == ERR_NOTFOUND; i++) {
		if (p->grants[i].role != ROLE_SECURITY_ADMIN)
			continue;
		path_range(p->grants[i].path, lo, hi, sizeof(lo));
		if ((rc = db_prep(c, SESSION_GET_SCOPED)))
			return rc;
		db_bind_int(c, 1, sid);
		db_bind_text(c, 2, lo);
		db_bind_text(c, 3, hi);
		rc = db_one(c);
		if (!rc) {
			org_id = db_col_int(c, 3);
			str_copy(path, sizeof(path), db_col_text(c, 4));
		}
		db_done(c);
	}
	if (rc)
		return rc;
	return end_sessions(r, sid, 0, path, org_id);
}

/* Ends one of the caller's own sessions (a browser left open elsewhere). */
static int
h_my_session_end(struct req *r)
{
	char path[ORG_PATH_MAX];
	int64_t sid = req_param_id(r, 0), org_id;
	struct db_conn *c;
	int rc;

	if ((rc = req_db(r, DB_READ, &c)) || (rc = db_prep(c, SESSION_GET_OWN)))
		return rc;
	db_bind_int(c, 1, sid);
	db_bind_int(c, 2, req_who(r)->user_id);
	rc = db_one(c);
	if (!rc) {
		org_id = db_col_int(c, 0);
		str_copy(path, sizeof(path), db_col_text(c, 1));
	}
	db_done(c);
	if (rc)
		return rc;
	return end_sessions(r, sid, 0, path, org_id);
}

static int
h_user_sessions_end(struct req *r)
{
	struct user_rec u;
	struct db_conn *c;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = account_load_scoped(r, c, req_param_id(r, 0), &u)))
		return rc;
	return end_sessions(r, 0, u.id, u.path, u.org_id);
}

/* ---- API tokens (each user's own) ---- */

static int
h_tokens_list(struct req *r)
{
	struct db_conn *c;
	struct jw *w;
	int64_t n = 0;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = db_prep(c, TOKEN_LIST)))
		return rc;
	db_bind_int(c, 1, req_who(r)->user_id);
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	while ((rc = db_step(c)) == DB_ROW) {
		jw_obj_open(w);
		jw_kint(w, "id", db_col_int(c, 0));
		jw_kstr(w, "name", db_col_text(c, 1));
		jw_ktime(w, "created", db_col_int(c, 2));
		jw_ktime(w, "last_used", db_col_int(c, 3));
		jw_kbool(w, "revoked", (int)db_col_int(c, 4));
		jw_ktime(w, "expires", db_col_int(c, 5));
		jw_obj_close(w);
		n++;
	}
	db_done(c);
	jw_arr_close(w);
	jw_knull(w, "next");
	jw_kint(w, "total", n);
	jw_obj_close(w);
	return rc < 0 ? rc : 0;
}

static int
h_token_create(struct req *r)
{
	const struct principal *p = req_who(r);
	const char *name = json_string_value(json_object_get(req_body(r), "name"));
	int64_t days = json_integer_value(json_object_get(req_body(r), "days"));
	int64_t max_days = req_setting(r, SET_TOKEN_MAX_DAYS), expires = 0;
	char token[CRYPTO_TOKEN_LEN], digest[CRYPTO_DIGEST_HEX];
	struct tx t;
	int64_t id = 0;
	int rc;

	if (!p->session_id)
		return req_error(r, 403, "forbidden", NULL,
		    "tokens are created from a logged-in session", "请在登录会话中创建令牌");
	if (scope_has_role(p, ROLE_SECURITY_ADMIN | ROLE_AUDITOR))
		return req_error(r, 403, "forbidden", NULL,
		    "security admins and auditors work in person, not by token",
		    "安全管理员和审计员不能使用 API 令牌");
	if (!days)
		days = max_days;
	if (days > max_days)
		return req_error(r, 422, "validation_failed", "days",
		    "longer than the token_max_days setting allows", "超过系统设置允许的令牌有效期");
	crypto_token(token);
	crypto_token_digest(token, digest);
	expires = clock_real() + days * 86400;
	if ((rc = tx_begin(&t, r, "token.create")))
		goto out;
	if (!(rc = accounts_token_insert(t.c, p->user_id, name, digest, expires, &id))) {
		tx_about(&t, "token", id, p->ngrants ? p->grants[0].org_id : 0,
		    p->ngrants ? p->grants[0].path : NULL);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		goto out;
	{
		struct jw *w = req_json(r, 201);
		jw_obj_open(w);
		jw_kint(w, "id", id);
		jw_kstr(w, "name", name);
		jw_kstr(w, "token", token);
		jw_ktime(w, "expires", expires);
		jw_obj_close(w);
	}
out:
	sodium_memzero(token, sizeof(token));
	return rc;
}

static int
h_token_revoke(struct req *r)
{
	const struct principal *p = req_who(r);
	int64_t id = req_param_id(r, 0);
	struct tx t;
	int rc;

	if ((rc = tx_begin(&t, r, "token.revoke")))
		return rc;
	if (!(rc = accounts_token_revoke(t.c, p->user_id, id))) {
		tx_about(&t, "token", id, p->ngrants ? p->grants[0].org_id : 0,
		    p->ngrants ? p->grants[0].path : NULL);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	return rc ? rc : req_status_only(r, 204);
}

/* ---- the route table ---- */

static const char *const role_names[] = {"admin", "operator", "viewer",
    "department", "expert", "security_admin", "auditor", NULL};

static const struct field login_body[] = {
	{"username", FT_STRING, F_REQUIRED, 1, 64, NULL, NULL, NULL},
	{"password", FT_STRING, F_REQUIRED, 1, 128, NULL, NULL, NULL},
	{"code", FT_STRING, 0, 1, 16, NULL, "the authenticator's 6 digits, when enrolled", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field password_body[] = {
	{"old_password", FT_STRING, F_REQUIRED, 1, 128, NULL, NULL, NULL},
	{"new_password", FT_STRING, F_REQUIRED, 1, 128, NULL, NULL, NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field user_create_body[] = {
	{"username", FT_STRING, F_REQUIRED, 3, 32, NULL, "login name", NULL},
	{"name", FT_STRING, F_REQUIRED, 1, 64, NULL, "full name", NULL},
	{"password", FT_STRING, F_REQUIRED, 1, 128, NULL, "temporary; changed at first login", NULL},
	{"org_id", FT_ID, 0, 0, 0, NULL, "home organisation (default: yours)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field user_patch_body[] = {
	{"name", FT_STRING, 0, 1, 64, NULL, NULL, NULL},
	{"org_id", FT_ID, 0, 0, 0, NULL, NULL, NULL},
	{"disabled", FT_BOOL, 0, 0, 0, NULL, "disabling ends every session", NULL},
	{"locked", FT_BOOL, 0, 0, 0, NULL, "false clears a lockout (lock with disabled)", NULL},
	{"reset_password", FT_BOOL, 0, 0, 0, NULL,
	    "true: a new one-time password, in the answer (the user must change it)", NULL},
	{"reset_second_factor", FT_BOOL, 0, 0, 0, NULL,
	    "true: removes the user's authenticator (a lost phone); it enrols again", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field grant_body[] = {
	{"org_id", FT_ID, F_REQUIRED, 0, 0, NULL, NULL, NULL},
	{"role", FT_ENUM, F_REQUIRED, 0, 0, role_names, NULL, NULL},
	{"pii", FT_BOOL, 0, 0, 0, NULL, "may read unmasked personal data", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field step_up_body[] = {
	{"password", FT_STRING, 0, 1, 128, NULL, "the password, or", NULL},
	{"code", FT_STRING, 0, 1, 16, NULL, "an authenticator code", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field token_body[] = {
	{"name", FT_STRING, F_REQUIRED, 1, 64, NULL, NULL, NULL},
	{"days", FT_INT, 0, 1, 365, NULL, "days it lasts (default and at most token_max_days)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct qfield users_query[] = {
	{"org", QT_ID, 0, 0, NULL, "home organisation subtree"},
	{"q", QT_STRING, 1, 64, NULL, "username or name contains"},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{"count", QT_BOOL, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield sessions_query[] = {
	{"user", QT_ID, 0, 0, NULL, "only this user's sessions"},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route accounts_routes[] = {
	{HTTP_POST, "/api/v1/session", h_login, 0, RF_PUBLIC, login_body, NULL,
	    "session", "Log in"},
	{HTTP_GET, "/api/v1/session", h_session_get, 0, RF_PASSWORD_CHANGE, NULL,
	    NULL, "session", "Who am I, with the CSRF token"},
	{HTTP_DELETE, "/api/v1/session", h_logout, 0, RF_PASSWORD_CHANGE, NULL,
	    NULL, "session", "Log out"},
	{HTTP_POST, "/api/v1/session/password", h_password, 0, RF_PASSWORD_CHANGE,
	    password_body, NULL, "session", "Change my password (ends every session)"},
	{HTTP_GET, "/api/v1/session/sessions", h_my_sessions, 0, 0, NULL, NULL,
	    "session", "Your own open sessions (个人中心)"},
	{HTTP_DELETE, "/api/v1/session/sessions/{id}", h_my_session_end, 0, 0, NULL, NULL,
	    "session", "End one of your own sessions"},
	{HTTP_POST, "/api/v1/session/step-up", h_step_up, 0, 0, step_up_body, NULL,
	    "session", "Prove it is me again (password or authenticator code) before personal data is shown in full"},
	{HTTP_GET, "/api/v1/tokens", h_tokens_list, 0, 0, NULL, NULL, "tokens",
	    "My API tokens"},
	{HTTP_POST, "/api/v1/tokens", h_token_create, 0, 0, token_body, NULL,
	    "tokens", "Create an API token (shown once)"},
	{HTTP_DELETE, "/api/v1/tokens/{id}", h_token_revoke, 0, 0, NULL, NULL,
	    "tokens", "Revoke one of my API tokens"},
	{HTTP_GET, "/api/v1/users", h_users_list, ROLE_SECURITY_ADMIN, 0, NULL,
	    users_query, "users", "Accounts in my subtree"},
	{HTTP_POST, "/api/v1/users", h_user_create, ROLE_SECURITY_ADMIN, 0,
	    user_create_body, NULL, "users", "Create an account"},
	{HTTP_GET, "/api/v1/users/{id}", h_user_get, ROLE_SECURITY_ADMIN, 0, NULL,
	    NULL, "users", "One account with its grants"},
	{HTTP_PATCH, "/api/v1/users/{id}", h_user_patch, ROLE_SECURITY_ADMIN, 0,
	    user_patch_body, NULL, "users", "Change, disable, unlock or reset an account"},
	{HTTP_POST, "/api/v1/users/{id}/grants", h_grant_add, ROLE_SECURITY_ADMIN,
	    0, grant_body, NULL, "users", "Grant a role at an organisation"},
	{HTTP_DELETE, "/api/v1/users/{id}/grants/{grant_id}", h_grant_del,
	    ROLE_SECURITY_ADMIN, 0, NULL, NULL, "users", "Remove a grant"},
	{HTTP_DELETE, "/api/v1/users/{id}/sessions", h_user_sessions_end,
	    ROLE_SECURITY_ADMIN, 0, NULL, NULL, "sessions", "End all of a user's sessions"},
	{HTTP_GET, "/api/v1/sessions", h_sessions_list, ROLE_SECURITY_ADMIN, 0,
	    NULL, sessions_query, "sessions", "Who is online"},
	{HTTP_DELETE, "/api/v1/sessions/{id}", h_session_end, ROLE_SECURITY_ADMIN,
	    0, NULL, NULL, "sessions", "End one session"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
