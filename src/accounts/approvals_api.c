/* A second person for the account changes that could hand someone the
 * city (三权分立). The security admin manages accounts, so it proposes; a
 * system admin whose subtree holds the account, who is neither the
 * proposer nor the account's owner, approves or rejects; the proposer may
 * withdraw. Approving applies the change with the same code as a direct
 * one, in the transaction that records the decision. Why this way round:
 * the security admin alone could otherwise mint an admin with pii whose
 * password it knows, reset the admin's password, or disable the auditor;
 * the system admin alone cannot manage accounts at all. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/api.h"
#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"
#include "db/db.h"
#include "http/http.h"
#include "orgs/orgs.h"

/* a proposal nobody decided within three days lapses */
#define APPROVAL_HOURS 72
#define HALF (ACCOUNT_OTP_LEN / 2)

struct approval {
	int64_t id, user_id, proposed_by, proposed, expires, decided_by, decided;
	char action[16], username[64], name[64 * 4 + 1], org_path[ORG_PATH_MAX];
	char proposer[64], decider[64], state[16], reason[500 * 4 + 1];
	char payload[2048];
	int has_secret;
};

static void
read_approval(struct db_conn *c, struct approval *a)
{
	memset(a, 0, sizeof(*a));
	a->id = db_col_int(c, 0);
	str_copy(a->action, sizeof(a->action), db_col_text(c, 1));
	a->user_id = db_col_int(c, 2);
	str_copy(a->username, sizeof(a->username), db_col_text(c, 3));
	str_copy(a->name, sizeof(a->name), db_col_text(c, 4));
	str_copy(a->org_path, sizeof(a->org_path), db_col_text(c, 5));
	str_copy(a->payload, sizeof(a->payload), db_col_text(c, 6));
	a->proposed_by = db_col_int(c, 7);
	str_copy(a->proposer, sizeof(a->proposer), db_col_text(c, 8));
	a->proposed = db_col_int(c, 9);
	a->expires = db_col_int(c, 10);
	str_copy(a->state, sizeof(a->state), db_col_text(c, 11));
	a->decided_by = db_col_int(c, 12);
	if (!db_col_null(c, 13))
		str_copy(a->decider, sizeof(a->decider), db_col_text(c, 13));
	a->decided = db_col_int(c, 14);
	str_copy(a->reason, sizeof(a->reason), db_col_text(c, 15));
	a->has_secret = db_col_text(c, 16)[0] != '\0';
	if (!strcmp(a->state, "pending") && a->expires <= clock_real())
		str_copy(a->state, sizeof(a->state), "expired");
}

int
account_needs_approval(struct db_conn *c, const struct user_rec *u,
    enum account_change kind, unsigned grant_role, int grant_pii, int *need)
{
	unsigned held;
	int pii, rc;

	*need = 0;
	rc = account_held(c, u->id, &held, &pii);
	if (rc)
		return rc;
	if (held & (ROLE_SECURITY_ADMIN | ROLE_AUDITOR))
		*need = 1;
	else if (kind == AC_GRANT_ADD && ((grant_role & (ROLE_ADMIN |
	    ROLE_SECURITY_ADMIN | ROLE_AUDITOR)) || grant_pii))
		*need = 1;
	else if (kind == AC_RESET && ((held & ROLE_ADMIN) || pii))
		*need = 1;
	return 0;
}

/* The system admin who may decide: an admin over the account's home,
 * neither its owner nor the proposer. */
static int
may_decide(const struct principal *p, const struct approval *a)
{
	return scope_allows(p, ROLE_ADMIN, a->org_path) &&
	    p->user_id != a->user_id && p->user_id != a->proposed_by;
}

/* Who sees a proposal: the security admins and admins over the account. */
static int
may_see(const struct principal *p, const struct approval *a)
{
	return scope_allows(p, ROLE_SECURITY_ADMIN | ROLE_ADMIN, a->org_path) ||
	    p->user_id == a->proposed_by;
}

static void
approval_json(struct jw *w, const struct principal *p, const struct approval *a)
{
	json_error_t je;
	json_t *change = json_loads(a->payload, 0, &je);
	const char *k;
	json_t *v;

	jw_obj_open(w);
	jw_kint(w, "id", a->id);
	jw_kstr(w, "action", a->action);
	jw_key(w, "user");
	jw_obj_open(w);
	jw_kint(w, "id", a->user_id);
	jw_kstr(w, "username", a->username);
	jw_kstr(w, "name", a->name);
	jw_obj_close(w);
	jw_key(w, "change");
	jw_obj_open(w);
	json_object_foreach(change, k, v) {
		jw_key(w, k);
		if (json_is_boolean(v))
			jw_bool(w, json_is_true(v));
		else if (json_is_integer(v))
			jw_int(w, json_integer_value(v));
		else if (json_is_string(v))
			jw_str(w, json_string_value(v));
		else
			jw_null(w);
	}
	jw_obj_close(w);
	json_decref(change);
	jw_key(w, "proposed_by");
	jw_obj_open(w);
	jw_kint(w, "id", a->proposed_by);
	jw_kstr(w, "username", a->proposer);
	jw_obj_close(w);
	jw_ktime(w, "proposed", a->proposed);
	jw_ktime(w, "expires", a->expires);
	jw_kstr(w, "state", a->state);
	if (a->decided_by) {
		jw_key(w, "decided_by");
		jw_obj_open(w);
		jw_kint(w, "id", a->decided_by);
		jw_kstr(w, "username", a->decider);
		jw_obj_close(w);
		jw_ktime(w, "decided", a->decided);
	} else {
		jw_knull(w, "decided_by");
		jw_knull(w, "decided");
	}
	jw_kstr(w, "reason", a->reason);
	jw_kbool(w, "can_decide", !strcmp(a->state, "pending") && may_decide(p, a));
	jw_kbool(w, "can_withdraw", !strcmp(a->state, "pending") &&
	    p->user_id == a->proposed_by);
	/* the proposer's half of a one-time password waits to be fetched */
	jw_kbool(w, "password_half_waiting", a->has_secret &&
	    p->user_id == a->proposed_by);
	jw_obj_close(w);
}

static int
approval_row(struct tx *t, const char *action, const struct approval *a,
    const char *what)
{
	struct jw *w = tx_row(t, action, "user", a->user_id, 0, a->org_path);

	jw_kint(w, "approval", a->id);
	jw_kstr(w, "action", what);
	jw_kint(w, "user_id", a->user_id);
	jw_kstr(w, "username", a->username);
	if (a->reason[0])
		jw_kstr(w, "reason", a->reason);
	return tx_row_end(t);
}

int
approval_propose(struct req *r, const char *action, const struct user_rec *u,
    const json_t *payload)
{
	const struct principal *p = req_who(r);
	int64_t now = clock_real();
	struct approval a;
	struct db_conn *c;
	struct tx t = {0};         /* ended on every path, begun or not */
	struct jw *w;
	char *text;
	int rc;

	text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return ERR_NOMEM;
	if (strlen(text) >= sizeof(a.payload)) {
		free(text);
		return ERR_TOOBIG;
	}
	req_db_release(r);
	if ((rc = tx_begin(&t, r, "approval.propose")))
		goto out;
	c = t.c;
	rc = db_prep(c, APPROVAL_INSERT);
	if (rc)
		goto out;
	db_bind_text(c, 1, action);
	db_bind_int(c, 2, u->id);
	db_bind_text(c, 3, u->path);
	db_bind_text(c, 4, text);
	db_bind_int(c, 5, p->user_id);
	db_bind_int(c, 6, now);
	db_bind_int(c, 7, now + APPROVAL_HOURS * 3600);
	rc = db_one(c);
	memset(&a, 0, sizeof(a));
	if (!rc)
		a.id = db_col_int(c, 0);
	db_done(c);
	if (rc)
		goto out;
	a.user_id = u->id;
	str_copy(a.username, sizeof(a.username), u->username);
	str_copy(a.org_path, sizeof(a.org_path), u->path);
	if ((rc = approval_row(&t, "approval.propose", &a, action)))
		goto out;
	if ((rc = db_prep(c, APPROVAL_GET)))
		goto out;
	db_bind_int(c, 1, a.id);
	if (!(rc = db_one(c)))
		read_approval(c, &a);
	db_done(c);
	if (rc || (rc = tx_commit_each(&t)))
		goto out;
	w = req_json(r, 202);
	jw_obj_open(w);
	jw_key(w, "approval");
	approval_json(w, p, &a);
	jw_kstr(w, "message", "a system admin must approve this change");
	jw_kstr(w, "message_zh", "此项变更须经系统管理员确认后生效");
	jw_obj_close(w);
out:
	tx_end(&t);
	free(text);
	return rc;
}

/* Loads approval {id} the caller may see (404 otherwise). */
static int
load_visible(struct req *r, struct db_conn *c, struct approval *a)
{
	int rc = db_prep(c, APPROVAL_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, req_param_id(r, 0));
	rc = db_one(c);
	if (!rc)
		read_approval(c, a);
	db_done(c);
	if (!rc && !may_see(req_who(r), a))
		rc = ERR_NOTFOUND;
	return rc;
}

static int
h_approvals_list(struct req *r)
{
	const struct principal *p = req_who(r);
	const char *state = req_query(r, "state");
	struct approval a;
	struct db_conn *c;
	struct jw *w;
	int64_t n = 0;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = db_prep(c, APPROVAL_LIST)))
		return rc;
	if (state && !strcmp(state, "all"))
		db_bind_null(c, 1);
	else
		db_bind_text(c, 1, "pending");
	db_bind_int(c, 2, clock_real());
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	while ((rc = db_step(c)) == DB_ROW) {
		read_approval(c, &a);
		if (!may_see(p, &a))
			continue;
		approval_json(w, p, &a);
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
h_approval_get(struct req *r)
{
	struct approval a;
	struct db_conn *c;
	struct jw *w;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = load_visible(r, c, &a)))
		return rc;
	w = req_json(r, 200);
	approval_json(w, req_who(r), &a);
	return 0;
}

/* Applies what was approved, in the caller's transaction; an error it
 * answers leaves req_answered() set. */
static int
apply(struct req *r, struct tx *t, const struct approval *a,
    const struct user_rec *u, json_t *payload, const struct user_patch *up)
{
	struct db_conn *c = t->c;
	struct approval_note note = {a->id, a->proposer};
	int64_t gid = 0;
	int rc;

	if (!strcmp(a->action, "user.update"))
		return account_patch_apply(t, u, up, &note);
	if (!strcmp(a->action, "grant.remove")) {
		rc = account_grant_remove_apply(t, u,
		    json_integer_value(json_object_get(payload, "grant_id")), &note);
		return rc == ERR_NOTFOUND ? req_error(r, 409, "conflict", NULL,
		    "the grant is gone already", "该授权已不存在") : rc;
	}
	{
		int64_t org_id = json_integer_value(json_object_get(payload, "org_id"));
		unsigned role = role_parse(json_string_value(json_object_get(payload, "role")));
		int pii = json_is_true(json_object_get(payload, "pii"));
		struct org o;

		rc = orgs_get_in(c, org_id, "/", "0", &o);
		if (rc == ERR_NOTFOUND)
			return req_error(r, 409, "conflict", "org_id",
			    "the organisation is gone", "该组织已不存在");
		if (rc || (rc = account_grant_check(r, c, u, role, pii)) || req_answered(r))
			return rc;
		rc = account_grant_apply(t, u, org_id, o.path, role, pii, &note, &gid);
		if (rc == ERR_CONFLICT)
			return req_error(r, 409, "conflict", "role",
			    "the user already holds this role there", "该用户在此组织已有该角色");
		/* a new account's first password was the proposer's to choose:
		 * an account given the city is given a new one, split */
		if (!rc && up->reset)
			rc = account_patch_apply(t, u, up, &note);
		return rc;
	}
}

static int
decide(struct req *r, int approve)
{
	const struct principal *p = req_who(r);
	json_t *body = req_body(r), *payload = NULL;
	const char *reason = json_string_value(json_object_get(body, "reason"));
	char otp[ACCOUNT_OTP_LEN + 1] = "";
	struct user_patch up;
	struct user_rec u;
	struct approval a;
	struct db_conn *c;
	struct tx t = {0};         /* ended on every path, begun or not */
	json_error_t je;
	struct jw *w;
	int rc, withdraw = 0;

	memset(&up, 0, sizeof(up));
	up.disabled = -1;
	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = load_visible(r, c, &a)))
		return rc;
	if (strcmp(a.state, "pending"))
		return req_error(r, 409, "conflict", NULL,
		    "this change is no longer waiting (approved, rejected, withdrawn or expired)",
		    "该变更已不在待确认状态（已确认、已驳回、已撤回或已过期）");
	withdraw = !approve && p->user_id == a.proposed_by;
	if (!withdraw && p->user_id == a.proposed_by)
		return req_error(r, 403, "forbidden", NULL,
		    "a second person decides: not the one who proposed it",
		    "须由提出人以外的第二人确认");
	if (!withdraw && p->user_id == a.user_id)
		return req_error(r, 403, "forbidden", NULL,
		    "nobody decides a change to their own account",
		    "不能确认对自己账号的变更");
	if (!withdraw && !may_decide(p, &a))
		return req_error(r, 403, "forbidden", NULL,
		    "only a system admin over this account decides",
		    "只有该账号所在范围的系统管理员可以确认");
	if (approve) {
		payload = json_loads(a.payload, 0, &je);
		if (!payload)
			return ERR_INTERNAL;
		rc = account_load(c, a.user_id, &u);
		if (rc == ERR_NOTFOUND)
			rc = req_error(r, 409, "conflict", NULL,
			    "the account is gone", "该账号已不存在");
		if (rc)
			goto out;
		if (!strcmp(a.action, "user.update")) {
			rc = account_patch_read(c, payload, &u, &up);
			if (rc == ERR_NOTFOUND)
				rc = req_error(r, 409, "conflict", "org_id",
				    "the organisation is gone", "该组织已不存在");
			if (rc)
				goto out;
		} else if (!strcmp(a.action, "grant.add") && u.must_change) {
			up.reset = 1;
		}
		req_db_release(r);
		if (up.reset) {
			crypto_random_password(otp, sizeof(otp));
			if ((rc = crypto_pw_hash(otp, up.reset_hash)))
				goto out;
		}
	} else {
		req_db_release(r);
	}
	if ((rc = tx_begin(&t, r, "approval.decide")))
		goto out;
	c = t.c;
	if ((rc = db_prep(c, APPROVAL_DECIDE)))
		goto out;
	db_bind_text(c, 1, approve ? "approved" : withdraw ? "withdrawn" : "rejected");
	db_bind_int(c, 2, p->user_id);
	db_bind_int(c, 3, clock_real());
	db_bind_text(c, 4, reason ? reason : "");
	/* the proposer's half of the one-time password; the approver's half
	 * is in this answer */
	{
		char first[HALF + 1];

		str_copy(first, sizeof(first), otp);
		db_bind_text(c, 5, first);
		sodium_memzero(first, sizeof(first));
	}
	db_bind_int(c, 6, a.id);
	rc = db_one(c);
	db_done(c);
	if (rc == ERR_NOTFOUND) {
		rc = req_error(r, 409, "conflict", NULL,
		    "this change was decided meanwhile, or expired",
		    "该变更已被处理或已过期");
		goto out;
	}
	if (rc)
		goto out;
	str_copy(a.reason, sizeof(a.reason), reason ? reason : "");
	rc = approval_row(&t, approve ? "approval.approve" :
	    withdraw ? "approval.withdraw" : "approval.reject", &a, a.action);
	if (!rc && approve)
		rc = apply(r, &t, &a, &u, payload, &up);
	if (rc || req_answered(r) || (rc = tx_commit_each(&t)))
		goto out;
	if ((rc = db_prep(c, APPROVAL_GET)))
		goto out;
	db_bind_int(c, 1, a.id);
	if (!(rc = db_one(c)))
		read_approval(c, &a);
	db_done(c);
	if (rc)
		goto out;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "approval");
	approval_json(w, p, &a);
	if (otp[0]) {
		jw_kstr(w, "one_time_password_half", otp + HALF);
		jw_kstr(w, "half", "second");
	}
	jw_obj_close(w);
out:
	tx_end(&t);
	sodium_memzero(otp, sizeof(otp));
	sodium_memzero(up.reset_hash, sizeof(up.reset_hash));
	json_decref(payload);
	return rc;
}

static int
h_approve(struct req *r)
{
	return decide(r, 1);
}

static int
h_reject(struct req *r)
{
	return decide(r, 0);
}

/* The proposer fetches its half of a one-time password once. */
static int
h_take_half(struct req *r)
{
	const struct principal *p = req_who(r);
	char half[HALF + 1] = "";
	struct approval a;
	struct db_conn *c;
	struct tx t;
	struct jw *w;
	int rc;

	if ((rc = tx_begin(&t, r, "approval.password_half")))
		return rc;
	c = t.c;
	if ((rc = load_visible(r, c, &a)))
		goto out;
	if (p->user_id != a.proposed_by || !a.has_secret) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	if ((rc = db_prep(c, APPROVAL_GET)))
		goto out;
	db_bind_int(c, 1, a.id);
	if (!(rc = db_one(c)))
		str_copy(half, sizeof(half), db_col_text(c, 16));
	db_done(c);
	if (rc || (rc = db_prep(c, APPROVAL_TAKE_SECRET)))
		goto out;
	db_bind_int(c, 1, a.id);
	db_bind_int(c, 2, p->user_id);
	rc = db_one(c);
	db_done(c);
	if (rc || (rc = approval_row(&t, "approval.password_half", &a, a.action)) ||
	    (rc = tx_commit_each(&t)))
		goto out;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_kstr(w, "one_time_password_half", half);
	jw_kstr(w, "half", "first");
	jw_obj_close(w);
out:
	tx_end(&t);
	sodium_memzero(half, sizeof(half));
	return rc;
}

static const struct field reject_body[] = {
	{"reason", FT_STRING, 0, 0, 500, NULL, NULL, NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const char *const approval_states[] = {"pending", "all", NULL};
static const struct qfield approvals_query[] = {
	{"state", QT_ENUM, 0, 0, approval_states, "pending (default) or all"},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route approval_routes[] = {
	{HTTP_GET, "/api/v1/approvals", h_approvals_list,
	    ROLE_ADMIN | ROLE_SECURITY_ADMIN, 0, NULL, approvals_query, "users",
	    "Account changes waiting for a second person (or all, newest first)"},
	{HTTP_GET, "/api/v1/approvals/{id}", h_approval_get,
	    ROLE_ADMIN | ROLE_SECURITY_ADMIN, 0, NULL, NULL, "users", "One proposed change"},
	{HTTP_POST, "/api/v1/approvals/{id}/approve", h_approve, ROLE_ADMIN, 0,
	    NULL, NULL, "users", "Approve and apply a proposed change (a second person)"},
	{HTTP_POST, "/api/v1/approvals/{id}/reject", h_reject,
	    ROLE_ADMIN | ROLE_SECURITY_ADMIN, 0, reject_body, NULL, "users",
	    "Reject a proposed change, or withdraw one's own"},
	{HTTP_POST, "/api/v1/approvals/{id}/password-half", h_take_half,
	    ROLE_SECURITY_ADMIN, 0, NULL, NULL, "users",
	    "The proposer's half of the one-time password an approval made (once)"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
