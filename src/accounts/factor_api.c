/* The second factor (RFC 6238) a user enrols on its own account: a new
 * secret shown once as an otpauth:// link (the console draws its QR code),
 * confirmed by a first code; removed with a code, unless the policy wants
 * one. The secret is sealed with the personal-data key. The security admin
 * resets a lost one (PATCH /users/{id} {"reset_second_factor": true}). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/api.h"
#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/pii.h"
#include "base/totp.h"
#include "base/util.h"
#include "db/db.h"
#include "http/http.h"

/* A second-factor change: about the user, in the caller's tx. */
static int
factor_commit(struct tx *t, const struct principal *p)
{
	tx_about(t, "user", p->user_id, p->ngrants ? p->grants[0].org_id : 0,
	    p->ngrants ? p->grants[0].path : NULL);
	return tx_commit(t);
}

/* Percent-encodes s for the label and issuer of an otpauth link. */
static int
uri_part(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_') {
			rc = buf_append(b, (const char *)p, 1);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			rc = buf_append(b, e, 3);
		}
	}
	return rc;
}

static int
h_begin(struct req *r)
{
	const struct principal *p = req_who(r);
	unsigned char key[TOTP_SECRET_BYTES];
	char b32[TOTP_B32_LEN], enc[PII_ENC_LEN(TOTP_B32_LEN)];
	struct tx t;
	struct buf uri;
	struct jw *w;
	int rc;

	if (!p->session_id)
		return req_error(r, 403, "forbidden", NULL,
		    "enrol an authenticator in your own session", "请在本人登录的会话中绑定身份验证器");
	randombytes_buf(key, sizeof(key));
	buf_init(&uri, 1024);
	if ((rc = totp_b32_encode(key, sizeof(key), b32, sizeof(b32))) ||
	    (rc = pii_encrypt(req_pii_key(r), b32, enc, sizeof(enc))))
		goto out;
	if ((rc = tx_begin(&t, r, "user.second_factor_begin")))
		goto out;
	if (!(rc = accounts_totp_begin(t.c, p->user_id, enc)))
		rc = factor_commit(&t, p);
	tx_end(&t);
	if (rc == ERR_NOTFOUND) {
		rc = req_error(r, 409, "conflict", NULL,
		    "an authenticator is enrolled already; remove it first",
		    "已绑定身份验证器，如需更换请先解除绑定");
		goto out;
	}
	if (rc)
		goto out;
	/* otpauth://totp/产改:USER?secret=…&issuer=产改: what the apps read */
	if ((rc = buf_puts(&uri, "otpauth://totp/")) || (rc = uri_part(&uri, "产改:")) ||
	    (rc = uri_part(&uri, p->username)) || (rc = buf_puts(&uri, "?secret=")) ||
	    (rc = buf_puts(&uri, b32)) || (rc = buf_puts(&uri, "&issuer=")) ||
	    (rc = uri_part(&uri, "产改")) ||
	    (rc = buf_puts(&uri, "&algorithm=SHA1&digits=6&period=30")))
		goto out;
	w = req_json(r, 201);
	jw_obj_open(w);
	jw_kstr(w, "secret", b32);
	jw_kstr(w, "uri", uri.data);
	jw_obj_close(w);
out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(b32, sizeof(b32));
	if (uri.data)
		sodium_memzero(uri.data, uri.len);
	buf_free(&uri);
	return rc;
}

static int
h_confirm(struct req *r)
{
	const struct principal *p = req_who(r);
	const char *code = json_string_value(json_object_get(req_body(r), "code"));
	struct tx t;
	int rc, enrolled = 0;

	req_db_release(r);
	rc = accounts_totp_use(req_store(r), req_pii_key(r), p->user_id, code, 1, &enrolled);
	if (rc == ERR_NOTFOUND)
		return req_error(r, 409, "conflict", NULL,
		    "start the enrolment first (POST /api/v1/session/second-factor)",
		    "请先开始绑定身份验证器");
	if (rc == ERR_AUTH)
		return req_error(r, 422, "validation_failed", "code",
		    "the code does not match: check the phone's time and type the current code",
		    "验证码不正确，请确认手机时间准确并输入当前显示的验证码");
	if (rc)
		return rc;
	if ((rc = tx_begin(&t, r, "user.second_factor_enrol")))
		return rc;
	rc = factor_commit(&t, p);
	tx_end(&t);
	return rc ? rc : req_status_only(r, 204);
}

static int
h_remove(struct req *r)
{
	const struct principal *p = req_who(r);
	const char *code = json_string_value(json_object_get(req_body(r), "code"));
	struct tx t;
	int rc, enrolled = 0;

	if (accounts_second_factor_wanted(req_store(r), req_settings(r), p))
		return req_error(r, 403, "forbidden", NULL,
		    "your roles require a second factor; the security admin can reset a lost one",
		    "您的角色必须使用双因素认证；丢失身份验证器时请联系安全管理员重置");
	req_db_release(r);
	rc = accounts_totp_use(req_store(r), req_pii_key(r), p->user_id, code, 0, &enrolled);
	if (!rc && !enrolled)
		return req_error(r, 409, "conflict", NULL, "no authenticator is enrolled",
		    "尚未绑定身份验证器");
	if (rc == ERR_AUTH)
		return req_error(r, 422, "validation_failed", "code",
		    "the code does not match", "验证码不正确");
	if (rc || (rc = tx_begin(&t, r, "user.second_factor_remove")))
		return rc;
	if (!(rc = accounts_totp_remove(t.c, p->user_id)))
		rc = factor_commit(&t, p);
	tx_end(&t);
	return rc ? rc : req_status_only(r, 204);
}

static const struct field code_body[] = {
	{"code", FT_STRING, F_REQUIRED, 1, 16, NULL, "the authenticator's 6 digits", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

const struct route factor_routes[] = {
	{HTTP_POST, "/api/v1/session/second-factor", h_begin, 0, RF_PASSWORD_CHANGE,
	    NULL, NULL, "session", "Start enrolling an authenticator (secret and otpauth link, once)"},
	{HTTP_POST, "/api/v1/session/second-factor/confirm", h_confirm, 0,
	    RF_PASSWORD_CHANGE, code_body, NULL, "session",
	    "Confirm the enrolment with a first code"},
	{HTTP_POST, "/api/v1/session/second-factor/remove", h_remove, 0, 0, code_body,
	    NULL, "session", "Remove my authenticator (when my roles do not require one)"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
