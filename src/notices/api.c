/* HTTP handlers for 公示 notices: the issuing org's (create, open, list,
 * read, answer objections) and the public's (read, object), no login. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/pii.h"
#include "base/util.h"
#include "db/db.h"
#include "http/http.h"
#include "notices/notices.h"
#include "orgs/orgs.h"

#define ISSUERS (ROLE_ADMIN | ROLE_OPERATOR)
#define READERS (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER | ROLE_DEPARTMENT)

_Static_assert(sizeof(((struct notice *)0)->org_path) == ORG_PATH_MAX,
    "a notice keeps its org's path");

static int
why_reply(struct req *r, const struct why *why)
{
	struct verr e;

	memset(&e, 0, sizeof(e));
	e.status = 422;
	e.code = "validation_failed";
	e.row = why->row;
	str_copy(e.field, sizeof(e.field), why->field ? why->field : "");
	e.msg_en = why->en ? why->en : "invalid";
	e.msg_zh = why->zh ? why->zh : "无效";
	return req_verr(r, &e);
}

/* The grant of the caller on exactly the issuing org with one of roles:
 * objections are read and answered there, not above it. */
static const struct grant *
issuer_grant(const struct principal *p, const struct notice *n, unsigned roles)
{
	for (int i = 0; i < p->ngrants; i++)
		if ((p->grants[i].role & roles) && p->grants[i].org_id == n->org_id)
			return &p->grants[i];
	return NULL;
}

/* Loads a notice the caller may read (404 outside its scope). */
static int
load(struct req *r, enum db_mode mode, unsigned roles, struct db_conn **c,
    struct notice *n)
{
	int rc;

	if ((rc = req_db(r, mode, c)))
		return rc;
	if ((rc = notices_get(*c, req_param_id(r, 0), n)))
		return rc;
	if (!scope_allows(req_who(r), roles, n->org_path))
		return ERR_NOTFOUND;
	return 0;
}

static void
mask_name(const char *name, char *out, size_t n)
{
	size_t first = utf8_seq_len((const unsigned char *)name, strlen(name));
	size_t chars = utf8_chars(name, strlen(name)), k = 0;

	if (!first)
		first = 1;
	if (first >= n) {
		out[0] = '\0';
		return;
	}
	memcpy(out, name, first);
	k = first;
	for (size_t i = 1; i < chars && k + 1 < n; i++)
		out[k++] = '*';
	out[k] = '\0';
}

static void
mask_phone(const char *phone, char out[16])
{
	if (strlen(phone) != 11) {
		str_copy(out, 16, "***");
		return;
	}
	memcpy(out, phone, 3);
	memcpy(out + 3, "****", 4);
	memcpy(out + 7, phone + 7, 4);
	out[11] = '\0';
}

static void
head_json(struct jw *w, const struct notice *n, const char *today)
{
	const struct notice_kind *k = notices_kind_find(n->kind);

	jw_kint(w, "id", n->id);
	jw_kstr(w, "public_id", n->public_id);
	jw_kint(w, "org_id", n->org_id);
	jw_kstr(w, "org_name", n->org_name);
	jw_kstr(w, "kind", n->kind);
	jw_kstr(w, "kind_zh", k ? k->zh : n->kind);
	jw_kstr(w, "title", n->title);
	jw_kstr(w, "body", n->body);
	jw_kstr(w, "contact", n->contact);
	jw_kint(w, "days", n->days);
	jw_kstr(w, "day_kind", n->day_kind);
	if (n->starts[0]) {
		jw_kstr(w, "starts", n->starts);
		jw_kstr(w, "ends", n->ends);
	} else {
		jw_knull(w, "starts");
		jw_knull(w, "ends");
	}
	jw_kstr(w, "state", n->state);
	jw_kstr(w, "phase", notice_phase(n, today));
	jw_kint(w, "listed", n->listed);
	jw_kint(w, "withdrawn", n->withdrawn);
	jw_ktime(w, "created", n->created);
	jw_ktime(w, "opened", n->opened);
	jw_ktime(w, "closed", n->closed);
}

struct subjects_out {
	struct jw *w;
	int listed_only;
	int public_view;
};

static int
subject_json(void *ctx, const struct notice_subject *s)
{
	struct subjects_out *o = ctx;

	if (o->listed_only && strcmp(s->state, "listed"))
		return 0;
	jw_obj_open(o->w);
	if (!o->public_view) {
		jw_kint(o->w, "id", s->id);
		if (s->ref_kind[0]) {
			jw_key(o->w, "ref");
			jw_obj_open(o->w);
			jw_kstr(o->w, "kind", s->ref_kind);
			jw_kint(o->w, "id", s->ref_id);
			jw_obj_close(o->w);
		} else {
			jw_knull(o->w, "ref");
		}
		jw_kstr(o->w, "state", s->state);
	}
	jw_kint(o->w, "no", s->no);
	jw_kstr(o->w, "name", s->name);
	jw_kstr(o->w, "unit", s->unit);
	jw_kstr(o->w, "text", s->text);
	jw_obj_close(o->w);
	return 0;
}

static int
objections_json(struct req *r, struct db_conn *c, struct jw *w, const struct notice *n,
    int unmask)
{
	const struct pii_key *k = req_pii_key(r);
	int rc;

	if ((rc = db_prep(c, NOTICE_OBJECTIONS)))
		return rc;
	db_bind_int(c, 1, n->id);
	jw_key(w, "objections");
	jw_arr_open(w);
	while ((rc = db_step(c)) == DB_ROW) {
		char name[NOTICE_NAME_MAX * 4 + 1], phone[32], shown[NOTICE_NAME_MAX * 4 + 1];
		char ph[16];

		if (pii_decrypt(k, db_col_text(c, 2), name, sizeof(name)) ||
		    pii_decrypt(k, db_col_text(c, 3), phone, sizeof(phone))) {
			rc = ERR_INTERNAL;
			break;
		}
		jw_obj_open(w);
		jw_kint(w, "id", db_col_int(c, 0));
		if (db_col_int(c, 1))
			jw_kint(w, "subject_no", db_col_int(c, 1));
		else
			jw_knull(w, "subject_no");
		if (unmask) {
			jw_kstr(w, "name", name);
			jw_kstr(w, "phone", phone);
		} else {
			mask_name(name, shown, sizeof(shown));
			mask_phone(phone, ph);
			jw_kstr(w, "name", shown);
			jw_kstr(w, "phone", ph);
		}
		jw_kstr(w, "unit", db_col_text(c, 4));
		jw_kstr(w, "text", db_col_text(c, 5));
		jw_ktime(w, "created", db_col_int(c, 6));
		if (*db_col_text(c, 7)) {
			jw_kstr(w, "decision", db_col_text(c, 7));
			jw_kstr(w, "reason", db_col_text(c, 8));
			jw_ktime(w, "decided", db_col_null(c, 9) ? 0 : db_col_int(c, 9));
		} else {
			jw_knull(w, "decision");
		}
		jw_obj_close(w);
		sodium_memzero(name, sizeof(name));
		sodium_memzero(phone, sizeof(phone));
	}
	db_done(c);
	jw_arr_close(w);
	return rc < 0 ? rc : 0;
}

static int
notice_json(struct req *r, struct db_conn *c, struct notice *n, int status)
{
	const struct principal *p = req_who(r);
	const struct grant *g = issuer_grant(p, n, ISSUERS);
	struct subjects_out so;
	char today[11];
	int64_t total = 0, pending = 0;
	int unmask = req_query_int(r, "unmask", 0) == 1, rc;
	struct jw *w;

	clock_today(today);
	if (unmask && !(g && g->pii))
		return req_error(r, 403, "forbidden", "unmask",
		    "only the issuing org with the pii permission sees objectors in full",
		    "只有具备个人信息权限的发布单位人员可查看异议人完整信息");
	if (unmask && ((rc = req_unmask_gate(r, 1, 1)) || req_answered(r)))
		return rc;
	if ((rc = db_prep(c, NOTICE_PENDING)))
		return rc;
	db_bind_int(c, 1, n->id);
	if (!(rc = db_one(c))) {
		total = db_col_int(c, 0);
		pending = db_col_null(c, 1) ? 0 : db_col_int(c, 1);
		db_done(c);
	}
	if (rc)
		return rc;
	w = req_json(r, status);
	jw_obj_open(w);
	head_json(w, n, today);
	jw_kint(w, "objections_total", total);
	jw_kint(w, "objections_pending", pending);
	jw_kbool(w, "can_manage", !!g);
	jw_key(w, "subjects");
	jw_arr_open(w);
	so.w = w;
	so.listed_only = 0;
	so.public_view = 0;
	if ((rc = notices_subjects_each(c, n->id, subject_json, &so)))
		return rc;
	jw_arr_close(w);
	/* the objections themselves: to the issuing org only */
	if (g && (rc = objections_json(r, c, w, n, unmask)))
		return rc;
	jw_obj_close(w);
	if (unmask) {
		struct audit_entry ae;
		char target[32];

		snprintf(target, sizeof(target), "notice:%lld", (long long)n->id);
		struct buf sum;
		struct jw sw;

		req_audit_entry(r, &ae, "notice.objections_unmask", target);
		ae.org_id = n->org_id;
		ae.org_path = n->org_path;
		buf_init(&sum, 2048);
		jw_init(&sw, &sum);
		jw_obj_open(&sw);
		jw_kstr(&sw, "purpose", req_query(r, "purpose"));
		jw_obj_close(&sw);
		rc = jw_finish(&sw);
		ae.summary = sum.data;
		if (!rc)
			rc = audit_append_tx(req_store(r), &ae);
		buf_free(&sum);
		if (rc)
			return rc;
		req_unmask_spent(r, 1);
	}
	return 0;
}

/* ---- the issuing org ---- */

/* The end each change of a notice shares: the module's refusal answered
 * (422 with its field, 409 with what conflicts), or the change audited,
 * committed and the notice shown as it now is. */
/* Ends a notice change begun with tx_begin: its module's answer rc (a
 * conflict told as conflict_en/zh), the audit row with summary (JSON
 * text), and the notice as it now stands. */
static int
finish(struct req *r, struct tx *t, struct notice *n, int rc, struct why *why,
    const char *conflict_en, const char *conflict_zh, const char *summary)
{
	if (rc == ERR_CONFLICT && !why->en)
		*why = (struct why){NULL, conflict_en, conflict_zh, 0};
	if (!rc) {
		tx_about(t, "notice", n->id, n->org_id, n->org_path);
		jw_raw(tx_summary_raw(t), summary, strlen(summary));
		rc = tx_commit(t);
	}
	if (!rc)
		rc = notices_get(t->c, n->id, n);
	if (!rc)
		rc = notice_json(r, t->c, n, 200);
	tx_end(t);
	return rc ? req_why(r, rc, why) : 0;
}

static int
h_create(struct req *r)
{
	json_t *b = req_body(r), *list = json_object_get(b, "subjects"), *it;
	const struct notice_kind *k;
	struct notice_subject *subs = NULL;
	struct why why = {0};
	struct notice *n;
	struct db_conn *c;
	struct tx t;
	size_t i, ns = json_array_size(list);
	int rc;

	if (!(n = calloc(1, sizeof(*n))))
		return ERR_NOMEM;
	n->org_id = json_integer_value(json_object_get(b, "org_id"));
	str_copy(n->kind, sizeof(n->kind), json_object_get(b, "kind") ?
	    json_string_value(json_object_get(b, "kind")) : "general");
	k = notices_kind_find(n->kind);
	/* a kind with an owner is created by its module, never by hand */
	if (!k || k->closed) {
		rc = req_error(r, 422, "validation_failed", "kind",
		    "notices of this kind come from their own module",
		    "此类公示由相应业务模块发起");
		goto out;
	}
	str_copy(n->title, sizeof(n->title), json_string_value(json_object_get(b, "title")));
	str_copy(n->body, sizeof(n->body), json_object_get(b, "body") ?
	    json_string_value(json_object_get(b, "body")) : "");
	str_copy(n->contact, sizeof(n->contact), json_object_get(b, "contact") ?
	    json_string_value(json_object_get(b, "contact")) : "");
	n->days = (int)json_integer_value(json_object_get(b, "days"));
	str_copy(n->day_kind, sizeof(n->day_kind), json_object_get(b, "day_kind") ?
	    json_string_value(json_object_get(b, "day_kind")) : "");
	n->created_by = req_who(r)->user_id;
	if (!(subs = calloc(ns ? ns : 1, sizeof(*subs)))) {
		rc = ERR_NOMEM;
		goto out;
	}
	json_array_foreach(list, i, it) {
		struct notice_subject *s = &subs[i];
		json_t *ref = json_object_get(it, "ref");

		if (ref) {
			json_t *rk = json_object_get(ref, "kind"), *ri = json_object_get(ref, "id");

			if (!json_is_string(rk) || !json_is_integer(ri) || json_object_size(ref) != 2) {
				why.field = "subjects.ref";
				why.row = (long)i + 1;
				why.en = "ref is {\"kind\": \"name\", \"id\": n}";
				why.zh = "ref 须为 {\"kind\": 类别, \"id\": 编号}";
				rc = why_reply(r, &why);
				goto out;
			}
			str_copy(s->ref_kind, sizeof(s->ref_kind), json_string_value(rk));
			s->ref_id = json_integer_value(ri);
		}
		str_copy(s->name, sizeof(s->name), json_string_value(json_object_get(it, "name")));
		str_copy(s->unit, sizeof(s->unit), json_object_get(it, "unit") ?
		    json_string_value(json_object_get(it, "unit")) : "");
		str_copy(s->text, sizeof(s->text), json_string_value(json_object_get(it, "text")));
	}
	if ((rc = req_db(r, DB_WRITE, &c)))
		goto out;
	{
		/* the issuing org must be in the caller's scope */
		struct org org;

		if ((rc = orgs_get_scoped(c, req_who(r), ISSUERS, n->org_id, &org)))
			goto out;
		str_copy(n->org_path, sizeof(n->org_path), org.path);
	}
	if ((rc = tx_begin(&t, r, "notice.create")))
		goto out;
	if (!(rc = notices_create(t.c, n, subs, ns, &why))) {
		struct jw *w = tx_summary(&t);

		tx_about(&t, "notice", n->id, n->org_id, n->org_path);
		jw_kstr(w, "kind", n->kind);
		jw_kint(w, "subjects", (int64_t)ns);
		jw_kint(w, "days", n->days);
		jw_kstr(w, "day_kind", n->day_kind);
		if (!(rc = tx_commit(&t)) && !(rc = notices_get(t.c, n->id, n)))
			rc = notice_json(r, t.c, n, 201);
	}
	tx_end(&t);
	if (rc)
		rc = req_why(r, rc, &why);
out:
	free(subs);
	free(n);
	return rc;
}

static int
h_get(struct req *r)
{
	struct notice *n = malloc(sizeof(*n));
	struct db_conn *c;
	int rc;

	if (!n)
		return ERR_NOMEM;
	if (!(rc = load(r, DB_READ, READERS, &c, n)))
		rc = notice_json(r, c, n, 200);
	free(n);
	return rc;
}

static int
h_patch(struct req *r)
{
	struct tx t;
	json_t *b = req_body(r), *v;
	struct why why = {0};
	struct notice *n = malloc(sizeof(*n));
	struct db_conn *c;
	int rc;

	if (!n)
		return ERR_NOMEM;
	if ((rc = load(r, DB_WRITE, READERS, &c, n)))
		goto out;
	if (!issuer_grant(req_who(r), n, ISSUERS)) {
		rc = ERR_PERM;
		goto out;
	}
	if ((v = json_object_get(b, "title")))
		str_copy(n->title, sizeof(n->title), json_string_value(v));
	if ((v = json_object_get(b, "body")))
		str_copy(n->body, sizeof(n->body), json_string_value(v));
	if ((v = json_object_get(b, "contact")))
		str_copy(n->contact, sizeof(n->contact), json_string_value(v));
	if ((v = json_object_get(b, "days")))
		n->days = (int)json_integer_value(v);
	if ((v = json_object_get(b, "day_kind")))
		str_copy(n->day_kind, sizeof(n->day_kind), json_string_value(v));
	if ((rc = tx_begin(&t, r, "notice.update")))
		goto out;
	rc = finish(r, &t, n, notices_update(t.c, n, &why), &why,
	    "only a draft can be changed", "只有草稿可以修改", "{}");
out:
	free(n);
	return rc;
}

static int
h_open(struct req *r)
{
	struct tx t;
	json_t *b = req_body(r);
	struct why why = {0};
	struct notice *n = malloc(sizeof(*n));
	struct db_conn *c;
	char today[11], summary[96];
	int rc;

	if (!n)
		return ERR_NOMEM;
	clock_today(today);
	if ((rc = load(r, DB_WRITE, READERS, &c, n)))
		goto out;
	if (!issuer_grant(req_who(r), n, ISSUERS)) {
		rc = ERR_PERM;
		goto out;
	}
	if ((rc = tx_begin(&t, r, "notice.open")))
		goto out;
	rc = notices_open(t.c, n, b ? json_string_value(json_object_get(b, "starts")) : NULL,
	    today, &why);
	snprintf(summary, sizeof(summary), "{\"starts\":\"%s\",\"ends\":\"%s\"}", n->starts,
	    n->ends);
	rc = finish(r, &t, n, rc, &why, "the notice is open already", "该公示已发布",
	    summary);
out:
	free(n);
	return rc;
}

static int
h_respond(struct req *r)
{
	struct tx t;
	json_t *b = req_body(r);
	struct why why = {0};
	struct notice *n = malloc(sizeof(*n));
	struct db_conn *c;
	const char *decision = json_string_value(json_object_get(b, "decision"));
	const char *reason = json_string_value(json_object_get(b, "reason"));
	int64_t oid = req_param_id(r, 1);
	char summary[128];
	int rc;

	if (!n)
		return ERR_NOMEM;
	if ((rc = load(r, DB_WRITE, READERS, &c, n)))
		goto out;
	/* objections are the issuing org's to answer: elsewhere they do not exist */
	if (!issuer_grant(req_who(r), n, ISSUERS)) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	if ((rc = tx_begin(&t, r, "notice.respond")))
		goto out;
	rc = notices_respond(t.c, n, oid, decision, reason, req_who(r)->user_id, &why);
	snprintf(summary, sizeof(summary), "{\"objection_id\":%lld,\"decision\":\"%s\"}",
	    (long long)oid, decision ? decision : "");
	rc = finish(r, &t, n, rc, &why,
	    "the objection was answered already, or the notice has closed",
	    "该异议已答复，或公示已结束", summary);
out:
	free(n);
	return rc;
}

static int
h_list(struct req *r)
{
	const struct principal *p = req_who(r);
	const struct grant *g = scope_default(p, READERS);
	const char *state = req_query(r, "state"), *kind = req_query(r, "kind");
	const char *after = req_query(r, "after");
	int64_t org = req_query_int(r, "org", g ? g->org_id : 0), limit = req_query_int(r, "limit", 50);
	int64_t cursor = INT64_MAX, total = 0;
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], today[11];
	struct db_conn *c;
	struct page pg;
	struct jw *w;
	int rc;

	clock_today(today);
	if (after && cursor_decode(after, &cursor))
		return req_error(r, 400, "bad_request", "after", "bad cursor", "游标无效");
	if ((rc = req_db(r, DB_READ, &c)))
		return rc;
	{
		struct org o;

		if ((rc = orgs_get_scoped(c, p, READERS, org, &o)))
			return rc;
		path_range(o.path, lo, hi, sizeof(lo));
	}
	if ((rc = db_prep(c, NOTICE_COUNT)))
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	db_bind_text(c, 3, state ? state : "");
	db_bind_text(c, 4, kind ? kind : "");
	if ((rc = db_one(c)))
		return rc;
	total = db_col_int(c, 0);
	db_done(c);
	if ((rc = db_prep(c, NOTICE_LIST)))
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	db_bind_text(c, 3, state ? state : "");
	db_bind_text(c, 4, kind ? kind : "");
	db_bind_int(c, 5, cursor);
	db_bind_int(c, 6, limit + 1);
	w = page_open(&pg, r, limit);
	while ((rc = db_step(c)) == DB_ROW && page_row(&pg, db_col_int(c, 0))) {
		struct notice h;
		const struct notice_kind *k;

		memset(&h, 0, sizeof(h));
		str_copy(h.state, sizeof(h.state), db_col_text(c, 10));
		str_copy(h.starts, sizeof(h.starts), db_col_text(c, 8));
		str_copy(h.ends, sizeof(h.ends), db_col_text(c, 9));
		k = notices_kind_find(db_col_text(c, 4));
		jw_obj_open(w);
		jw_kint(w, "id", db_col_int(c, 0));
		jw_kstr(w, "public_id", db_col_text(c, 1));
		jw_kint(w, "org_id", db_col_int(c, 2));
		jw_kstr(w, "org_name", db_col_text(c, 3));
		jw_kstr(w, "kind", db_col_text(c, 4));
		jw_kstr(w, "kind_zh", k ? k->zh : db_col_text(c, 4));
		jw_kstr(w, "title", db_col_text(c, 5));
		jw_kint(w, "days", db_col_int(c, 6));
		jw_kstr(w, "day_kind", db_col_text(c, 7));
		if (h.starts[0]) {
			jw_kstr(w, "starts", h.starts);
			jw_kstr(w, "ends", h.ends);
		} else {
			jw_knull(w, "starts");
			jw_knull(w, "ends");
		}
		jw_kstr(w, "state", h.state);
		jw_kstr(w, "phase", notice_phase(&h, today));
		jw_kint(w, "listed", db_col_int(c, 11));
		jw_kint(w, "withdrawn", db_col_int(c, 12));
		jw_ktime(w, "created", db_col_int(c, 13));
		jw_kint(w, "objections_total", db_col_int(c, 14));
		jw_kint(w, "objections_pending", db_col_int(c, 15));
		jw_kint(w, "subjects", db_col_int(c, 16));
		jw_obj_close(w);
	}
	db_done(c);
	return rc < 0 ? rc : page_close(&pg, total);
}

static int
h_kinds(struct req *r)
{
	const struct notice_kind *const *k;
	size_t n = notices_kinds(&k);
	struct jw *w = req_json(r, 200);

	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj_open(w);
		jw_kstr(w, "name", k[i]->name);
		jw_kstr(w, "zh", k[i]->zh);
		jw_kstr(w, "day_kind", k[i]->day_kind);
		jw_kint(w, "default_days", k[i]->default_days);
		jw_kbool(w, "by_hand", !k[i]->closed);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	return 0;
}

/* ---- the public ---- */

static int
h_public_get(struct req *r)
{
	struct notice *n = malloc(sizeof(*n));
	const struct notice_kind *k;
	struct subjects_out so;
	struct db_conn *c;
	char today[11];
	struct jw *w;
	int rc;

	if (!n)
		return ERR_NOMEM;
	clock_today(today);
	if ((rc = req_db(r, DB_READ, &c)) ||
	    (rc = notices_get_public(c, req_param_str(r, 0), n)))
		goto out;
	k = notices_kind_find(n->kind);
	w = req_json(r, 200);
	/* what a notice board shows: no internal id, no personal data */
	jw_obj_open(w);
	jw_kstr(w, "public_id", n->public_id);
	jw_kstr(w, "kind_zh", k ? k->zh : "公示");
	jw_kstr(w, "title", n->title);
	jw_kstr(w, "org_name", n->org_name);
	jw_kstr(w, "body", n->body);
	jw_kstr(w, "contact", n->contact);
	jw_kint(w, "days", n->days);
	jw_kstr(w, "day_kind", n->day_kind);
	jw_kstr(w, "starts", n->starts);
	jw_kstr(w, "ends", n->ends);
	jw_kstr(w, "phase", notice_phase(n, today));
	jw_kbool(w, "objections_open", !strcmp(notice_phase(n, today), "open"));
	jw_kstr(w, "today", today);
	jw_key(w, "subjects");
	jw_arr_open(w);
	so.w = w;
	so.listed_only = 1;
	so.public_view = 1;
	if ((rc = notices_subjects_each(c, n->id, subject_json, &so)))
		goto out;
	jw_arr_close(w);
	jw_obj_close(w);
out:
	free(n);
	return rc;
}

static int
h_public_object(struct req *r)
{
	json_t *b = req_body(r);
	struct notice_objection_in o;
	struct why why = {0};
	struct notice *n = malloc(sizeof(*n));
	struct tx t;
	struct db_conn *c;
	char today[11];
	int64_t id = 0, now = clock_now();
	int rc;

	if (!n)
		return ERR_NOMEM;
	clock_today(today);
	memset(&o, 0, sizeof(o));
	o.name = json_string_value(json_object_get(b, "name"));
	o.phone = json_string_value(json_object_get(b, "phone"));
	o.unit = json_object_get(b, "unit") ? json_string_value(json_object_get(b, "unit")) : "";
	o.text = json_string_value(json_object_get(b, "text"));
	o.subject_no = (int)json_integer_value(json_object_get(b, "subject_id"));
	if ((rc = req_db(r, DB_WRITE, &c)) ||
	    (rc = notices_get_public(c, req_param_str(r, 0), n)))
		goto out;
	if ((rc = tx_begin(&t, r, "notice.objection")))
		goto out;
	rc = notices_object(t.c, req_pii_key(r), n, &o, req_ip(r), today, now, &id, &why);
	if (rc == ERR_CONFLICT && !why.en)
		why = (struct why){NULL, "objections are taken only while the notice is open",
		    "只能在公示期内提出异议", 0};
	if (!rc) {
		struct jw *w = tx_summary(&t);

		tx_about(&t, "notice", n->id, n->org_id, n->org_path);
		jw_kint(w, "objection_id", id);
		jw_kint(w, "subject_no", o.subject_no);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc) {
		rc = req_why(r, rc, &why);
		goto out;
	}
	{
		struct jw *w = req_json(r, 201);

		jw_obj_open(w);
		jw_kbool(w, "received", 1);
		jw_ktime(w, "received_at", now);
		jw_obj_close(w);
	}
out:
	free(n);
	return rc;
}

static const char *const day_kinds[] = {"work", "calendar", NULL};
static const char *const decisions[] = {"upheld", "dismissed", NULL};
static const char *const states[] = {"draft", "open", "closed", NULL};

static const struct field subject_fields[] = {
	{"ref", FT_OBJECT, 0, 0, 0, NULL, "the record it is about: {\"kind\", \"id\"}", NULL},
	{"name", FT_STRING, F_REQUIRED, 1, NOTICE_NAME_MAX, NULL, "姓名或名称", NULL},
	{"unit", FT_STRING, 0, 0, NOTICE_UNIT_MAX, NULL, "单位", NULL},
	{"text", FT_STRING, F_REQUIRED, 1, NOTICE_TEXT_MAX, NULL, "公示事项 (no ID or phone)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field create_body[] = {
	{"org_id", FT_ID, F_REQUIRED, 0, 0, NULL, "the issuing org", NULL},
	{"kind", FT_STRING, 0, 1, 32, NULL, "a kind made by hand (default general)", NULL},
	{"title", FT_STRING, F_REQUIRED, 1, NOTICE_TITLE_MAX, NULL, NULL, NULL},
	{"body", FT_STRING, 0, 0, NOTICE_BODY_MAX, NULL, "the notice's text", NULL},
	{"contact", FT_STRING, 0, 0, NOTICE_CONTACT_MAX, NULL, "where objections go (public)", NULL},
	{"days", FT_INT, 0, 1, NOTICE_DAYS_MAX, NULL, "the window (default the kind's)", NULL},
	{"day_kind", FT_ENUM, 0, 0, 0, day_kinds, "working or calendar days", NULL},
	{"subjects", FT_ARRAY, F_REQUIRED, 1, NOTICE_SUBJECTS_MAX, NULL,
	    "who or what is proposed", subject_fields},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field patch_body[] = {
	{"title", FT_STRING, 0, 1, NOTICE_TITLE_MAX, NULL, NULL, NULL},
	{"body", FT_STRING, 0, 0, NOTICE_BODY_MAX, NULL, NULL, NULL},
	{"contact", FT_STRING, 0, 0, NOTICE_CONTACT_MAX, NULL, NULL, NULL},
	{"days", FT_INT, 0, 1, NOTICE_DAYS_MAX, NULL, NULL, NULL},
	{"day_kind", FT_ENUM, 0, 0, 0, day_kinds, NULL, NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field open_body[] = {
	{"starts", FT_DATE, 0, 0, 0, NULL, "the first day (default: today or the next "
	    "working day); a working day for working-day windows", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field respond_body[] = {
	{"decision", FT_ENUM, F_REQUIRED, 0, 0, decisions, "upheld withdraws the subject", NULL},
	{"reason", FT_STRING, 0, 0, NOTICE_REASON_MAX, NULL, "required when dismissed", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field objection_body[] = {
	{"name", FT_STRING, F_REQUIRED, 2, NOTICE_NAME_MAX, NULL, "真实姓名", NULL},
	{"phone", FT_STRING, F_REQUIRED, 11, 11, NULL, "手机号", NULL},
	{"unit", FT_STRING, 0, 0, NOTICE_UNIT_MAX, NULL, "工作单位", NULL},
	{"subject_id", FT_INT, 0, 1, NOTICE_SUBJECTS_MAX, NULL,
	    "the subject's number (no) as the public page lists it", NULL},
	{"text", FT_STRING, F_REQUIRED, 5, NOTICE_OBJECTION_MAX, NULL, "异议内容", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct qfield list_query[] = {
	{"org", QT_ID, 0, 0, NULL, "the org's subtree (default the caller's)"},
	{"state", QT_ENUM, 0, 0, states, NULL},
	{"kind", QT_STRING, 0, 32, NULL, NULL},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield get_query[] = {
	{"unmask", QT_BOOL, 0, 0, NULL, "objectors' names and phones in full (issuing org, pii, a step-up)"},
	{"purpose", QT_STRING, 2, 200, NULL, "why, with unmask (kept in the audit record)"},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route notices_routes[] = {
	{HTTP_GET, "/api/v1/notices", h_list, READERS, 0, NULL, list_query, "notices",
	    "公示 notices in an org's subtree, newest first"},
	{HTTP_POST, "/api/v1/notices", h_create, ISSUERS, 0, create_body, NULL, "notices",
	    "A draft notice with its subjects"},
	{HTTP_GET, "/api/v1/notices/kinds", h_kinds, READERS, 0, NULL, NULL, "notices",
	    "The kinds of notice and their default windows"},
	{HTTP_GET, "/api/v1/notices/{id}", h_get, READERS, 0, NULL, get_query, "notices",
	    "A notice, its subjects, and (to the issuing org) its objections"},
	{HTTP_PATCH, "/api/v1/notices/{id}", h_patch, ISSUERS, 0, patch_body, NULL, "notices",
	    "Change a draft"},
	{HTTP_POST, "/api/v1/notices/{id}/open", h_open, ISSUERS, 0, open_body, NULL, "notices",
	    "Publish: the window starts and its end is set on the working-day calendar"},
	{HTTP_POST, "/api/v1/notices/{id}/objections/{oid}/response", h_respond, ISSUERS, 0,
	    respond_body, NULL, "notices", "The issuing org's answer to an objection"},
	{HTTP_GET, "/api/v1/public/notices/{name}", h_public_get, 0, RF_PUBLIC, NULL, NULL,
	    "public", "A notice as the public reads it (no login; no personal data)"},
	{HTTP_POST, "/api/v1/public/notices/{name}/objections", h_public_object, 0, RF_PUBLIC,
	    objection_body, NULL, "public", "A real-name objection (no login; limited per address)"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
