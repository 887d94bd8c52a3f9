/* HTTP handlers for the organisation tree. Reads are open to every role
 * within its subtree (security admins and auditors pick orgs too); admins
 * create, edit and move anything in their subtree, operators enterprises. */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "base/valid.h"
#include "db/db.h"
#include "http/http.h"
#include "orgs/orgs.h"
#include "settings/settings.h"
#include "workers/workers.h"

#define ORG_WRITERS (ROLE_ADMIN | ROLE_OPERATOR)

static int
may_write(const struct principal *p, const char *kind, const char *path)
{
	if (scope_allows(p, ROLE_ADMIN, path))
		return 1;
	return !strcmp(kind, "enterprise") && scope_allows(p, ROLE_OPERATOR, path);
}

static int
reply_org(struct req *r, int status, const struct org *o)
{
	orgs_json(req_json(r, status), o);
	return 0;
}

static int
h_org_get(struct req *r)
{
	struct db_conn *c;
	struct org o;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = orgs_get_scoped(c, req_who(r), ROLES_ANY,
	    req_param_id(r, 0), &o)))
		return rc;
	return reply_org(r, 200, &o);
}

static int
h_org_list(struct req *r)
{
	const struct principal *p = req_who(r);
	int64_t parent = req_query_int(r, "parent", 0), under = req_query_int(r, "under", 0);
	int64_t limit = req_query_int(r, "limit", 50), cursor = 0, total = -1;
	int64_t rows = 0;
	const char *kind = req_query(r, "kind"), *q = req_query(r, "q");
	const char *after = req_query(r, "after");
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], pat[64 * 4 * 2 + 3];
	int count = (int)req_query_int(r, "count", 1), rc;
	struct db_conn *c;
	struct page pg;
	struct jw *w;
	struct org o;

	if (after && cursor_decode(after, &cursor))
		return ERR_BADREQ;
	if (parent && under)
		return req_error(r, 400, "bad_request", "under",
		    "give parent or under, not both", "parent 与 under 只能选其一");
	rc = req_db(r, DB_READ, &c);
	if (rc)
		return rc;
	if (!parent && !under) {
		/* no anchor: the orgs the caller holds grants at */
		w = req_json(r, 200);
		jw_obj_open(w);
		jw_key(w, "items");
		jw_arr_open(w);
		for (int i = 0; i < p->ngrants; i++) {
			int dup = 0;
			for (int j = 0; j < i; j++)
				dup |= p->grants[j].org_id == p->grants[i].org_id;
			if (dup)
				continue;
			path_range(p->grants[i].path, lo, hi, sizeof(lo));
			if (!orgs_get_in(c, p->grants[i].org_id, lo, hi, &o)) {
				orgs_json(w, &o);
				rows++;
			}
		}
		jw_arr_close(w);
		jw_knull(w, "next");
		jw_kint(w, "total", rows);
		jw_obj_close(w);
		return 0;
	}
	/* the anchor must be visible to the caller, or it does not exist */
	rc = orgs_get_scoped(c, p, ROLES_ANY, parent ? parent : under, &o);
	if (rc)
		return rc;
	if (q && like_contains(q, pat, sizeof(pat)))
		return req_error(r, 400, "bad_request", "q", "the search text is too long",
		    "搜索内容过长");
	path_range(o.path, lo, hi, sizeof(lo));
	if (count) {
		rc = db_prep(c, parent ? ORG_CHILDREN_COUNT : ORG_SUBTREE_COUNT);
		if (rc)
			return rc;
		if (parent) {
			db_bind_int(c, 1, parent);
			db_bind_text(c, 2, kind);
		} else {
			db_bind_text(c, 1, lo);
			db_bind_text(c, 2, hi);
			db_bind_text(c, 3, kind);
			db_bind_text(c, 4, q ? pat : NULL);
			db_bind_text(c, 5, q ? q : NULL);
		}
		if (!db_one(c))
			total = db_col_int(c, 0);
		db_done(c);
	}
	rc = db_prep(c, parent ? ORG_CHILDREN : ORG_SUBTREE);
	if (rc)
		return rc;
	if (parent) {
		db_bind_int(c, 1, parent);
		db_bind_int(c, 2, cursor);
		db_bind_text(c, 3, kind);
		db_bind_int(c, 4, limit + 1);
	} else {
		db_bind_text(c, 1, lo);
		db_bind_text(c, 2, hi);
		db_bind_int(c, 3, cursor);
		db_bind_text(c, 4, kind);
		db_bind_text(c, 5, q ? pat : NULL);
		db_bind_text(c, 6, q ? q : NULL);
		db_bind_int(c, 7, limit + 1);
	}
	w = page_open(&pg, r, limit);
	while ((rc = db_step(c)) == DB_ROW && page_row(&pg, db_col_int(c, 0))) {
		orgs_read_row(c, &o);
		orgs_json(w, &o);
	}
	db_done(c);
	return rc < 0 ? rc : page_close(&pg, total);
}

static const char *
jstr(json_t *b, const char *k)
{
	return json_string_value(json_object_get(b, k));
}

/* Applies the editable attributes of body to o, checking the USCC. Returns
 * 0, or an error already answered. */
static int
apply_attrs(struct req *r, json_t *b, struct org *o)
{
	json_t *v;
	const char *reason = jstr(b, "uscc_override_reason");
	int only_check = 0;

#define TAKE_TEXT(field, dst) \
	if ((v = json_object_get(b, field))) \
		str_copy(dst, sizeof(dst), json_is_null(v) ? "" : json_string_value(v));
	TAKE_TEXT("name", o->name)
	TAKE_TEXT("code", o->code)
	TAKE_TEXT("industry", o->industry)
	TAKE_TEXT("ownership", o->ownership)
#undef TAKE_TEXT
	if ((v = json_object_get(b, "industry")) && json_is_string(v)) {
		struct db_conn *c;
		int rc = req_db(r, DB_READ, &c);
		if (!rc)
			rc = codes_exists(c, "industry", json_string_value(v));
		if (rc == ERR_NOTFOUND) {
			req_error(r, 422, "validation_failed", "industry",
			    "not a code of the industry list (GB/T 4754 sections A-T)",
			    "不是行业代码表中的代码（国民经济行业分类门类 A-T）");
			return ERR_INVALID;
		}
		if (rc)
			return rc;
	}
	if ((v = json_object_get(b, "above_scale")))
		o->above_scale = json_is_true(v);
	if ((v = json_object_get(b, "has_union")))
		o->has_union = json_is_true(v);
	if ((v = json_object_get(b, "employees")))
		o->employees = json_integer_value(v);
	if ((v = json_object_get(b, "uscc"))) {
		const char *u = json_is_null(v) ? "" : json_string_value(v);
		if (strcmp(u, o->uscc))
			o->uscc_note[0] = '\0';
		str_copy(o->uscc, sizeof(o->uscc), u);
	}
	if (o->uscc[0] && valid_uscc(o->uscc, &only_check)) {
		if (!only_check) {
			req_error(r, 422, "validation_failed", "uscc",
			    "a unified social credit code is 18 characters of "
			    "0-9 and A-Z without I, O, S, V, Z",
			    "统一社会信用代码应为18位，由数字和除 I、O、S、V、Z 外的大写字母组成");
			return ERR_INVALID;
		}
		if (!reason && !o->uscc_note[0]) {
			req_error(r, 422, "validation_failed", "uscc",
			    "the check character is wrong; an admin may accept an early "
			    "pilot code by giving uscc_override_reason",
			    "校验位错误；如为早期试点代码，管理员可填写“校验例外说明”后接受");
			return ERR_INVALID;
		}
		if (reason) {
			if (!scope_allows(req_who(r), ROLE_ADMIN, o->path[0] ? o->path : "/")) {
				req_error(r, 403, "forbidden", "uscc_override_reason",
				    "only an admin may accept a code that fails its check",
				    "只有管理员可以接受校验未通过的代码");
				return ERR_PERM;
			}
			str_copy(o->uscc_note, sizeof(o->uscc_note), reason);
		}
	} else if (reason) {
		req_error(r, 422, "validation_failed", "uscc_override_reason",
		    "only needed for a code whose check character fails",
		    "仅在校验位不通过时需要填写");
		return ERR_INVALID;
	}
	return 0;
}

static int
conflict_reply(struct req *r, const struct org *o)
{
	/* both unique keys of orgs can collide; say which, naming the field */
	if (o->uscc[0])
		return req_error(r, 409, "conflict", "uscc",
		    "another organisation has this credit code, or a sibling has this name",
		    "已有组织使用该统一社会信用代码，或同级下已有同名组织");
	return req_error(r, 409, "conflict", "name",
	    "a sibling organisation already has this name", "同级下已有同名组织");
}

/* The audit of an org change: about the org, from and to. */
static void
org_change(struct tx *t, const struct org *before, const struct org *after)
{
	struct jw *w = tx_summary(t);

	tx_about(t, "org", after->id, after->id, after->path);
	if (before) {
		jw_key(w, "from");
		orgs_json(w, before);
	}
	jw_key(w, "to");
	orgs_json(w, after);
}

static int
h_org_create(struct req *r)
{
	const struct principal *p = req_who(r);
	json_t *b = req_body(r);
	struct db_conn *c;
	struct org parent, o;
	struct tx t;
	int rc;

	rc = req_db(r, DB_WRITE, &c);
	if (rc)
		return rc;
	rc = orgs_get_scoped(c, p, ROLES_ANY,
	    json_integer_value(json_object_get(b, "parent_id")), &parent);
	if (rc == ERR_NOTFOUND)
		return req_error(r, 404, "not_found", "parent_id",
		    "no such parent organisation", "上级组织不存在");
	if (rc)
		return rc;
	if (parent.disabled)
		return req_error(r, 422, "validation_failed", "parent_id",
		    "the parent organisation is disabled", "上级单位已停用");
	memset(&o, 0, sizeof(o));
	o.parent_id = parent.id;
	str_copy(o.kind, sizeof(o.kind), jstr(b, "kind"));
	if (!may_write(p, o.kind, parent.path))
		return req_error(r, 403, "forbidden", NULL,
		    "your role may not create this kind of organisation here",
		    "您的角色无权在此创建该类组织");
	if (!orgs_parent_ok(o.kind, parent.kind))
		return req_error(r, 422, "validation_failed", "kind",
		    "this kind of organisation cannot be placed under that parent",
		    "该类组织不能设在此上级组织之下");
	str_copy(o.path, sizeof(o.path), parent.path);   /* for the scope check */
	rc = apply_attrs(r, b, &o);
	if (rc)
		return rc;
	if ((rc = tx_begin(&t, r, "org.create")))
		return rc;
	rc = orgs_insert(t.c, &o);
	if (rc == ERR_CONFLICT)
		rc = conflict_reply(r, &o);
	else if (rc == ERR_INVALID)
		rc = req_error(r, 422, "validation_failed", "parent_id",
		    "the tree would become too deep", "组织层级过深");
	else if (!rc) {
		/* re-read for the derived columns (children, times) */
		char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
		path_range(o.path, lo, hi, sizeof(lo));
		if (!(rc = orgs_get_in(t.c, o.id, lo, hi, &o))) {
			org_change(&t, NULL, &o);
			rc = tx_commit(&t);
		}
	}
	tx_end(&t);
	if (rc || req_answered(r))
		return rc;
	return reply_org(r, 201, &o);
}

static int
h_org_patch(struct req *r)
{
	const struct principal *p = req_who(r);
	json_t *b = req_body(r);
	struct org before, o;
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct tx t;
	int rc;

	if ((rc = tx_begin(&t, r, "org.update")))
		return rc;
	/* the row the edit starts from is read in its transaction */
	if ((rc = orgs_lock(t.c, req_param_id(r, 0))) == ERR_NOTFOUND)
		rc = 0;
	if (rc || (rc = orgs_get_scoped(t.c, p, ROLES_ANY, req_param_id(r, 0), &before)))
		goto out;
	if (!may_write(p, before.kind, before.path)) {
		rc = req_error(r, 403, "forbidden", NULL,
		    "your role may not edit this organisation", "您的角色无权修改该组织");
		goto out;
	}
	o = before;
	if ((rc = apply_attrs(r, b, &o)) || req_answered(r))
		goto out;
	rc = orgs_update(t.c, &o);
	if (rc == ERR_CONFLICT) {
		rc = conflict_reply(r, &o);
		goto out;
	}
	path_range(o.path, lo, hi, sizeof(lo));
	if (!rc && !(rc = orgs_get_in(t.c, o.id, lo, hi, &o))) {
		org_change(&t, &before, &o);
		rc = tx_commit(&t);
	}
out:
	tx_end(&t);
	if (rc || req_answered(r))
		return rc;
	return reply_org(r, 200, &o);
}

static int
h_org_move(struct req *r)
{
	const struct principal *p = req_who(r);
	int64_t to = json_integer_value(json_object_get(req_body(r), "parent_id"));
	struct db_conn *c;
	struct org before, np, o;
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct tx t;
	int rc;

	rc = req_db(r, DB_WRITE, &c);
	if (rc || (rc = orgs_get_scoped(c, p, ROLE_ADMIN, req_param_id(r, 0), &before)))
		return rc;
	rc = orgs_get_scoped(c, p, ROLE_ADMIN, to, &np);
	if (rc == ERR_NOTFOUND)
		return req_error(r, 404, "not_found", "parent_id",
		    "no such parent organisation in your scope", "您的管辖范围内没有该上级组织");
	if (rc)
		return rc;
	if (!before.parent_id)
		return req_error(r, 422, "validation_failed", "parent_id",
		    "the root organisation cannot move", "根组织不能移动");
	if (np.disabled && !before.disabled)
		return req_error(r, 422, "validation_failed", "parent_id",
		    "the new parent is disabled", "新上级单位已停用");
	if (!strncmp(np.path, before.path, strlen(before.path)))
		return req_error(r, 422, "validation_failed", "parent_id",
		    "an organisation cannot move into its own subtree",
		    "组织不能移动到其自身的下级之下");
	if (!orgs_parent_ok(before.kind, np.kind))
		return req_error(r, 422, "validation_failed", "parent_id",
		    "this kind of organisation cannot be placed under that parent",
		    "该类组织不能设在此上级组织之下");
	if (np.id == before.parent_id)
		return reply_org(r, 200, &before);
	if ((rc = tx_begin(&t, r, "org.move")))
		return rc;
	rc = orgs_move(t.c, &before, &np);
	if (rc == ERR_CONFLICT || rc == ERR_INVALID) {
		rc = req_error(r, rc == ERR_CONFLICT ? 409 : 422,
		    rc == ERR_CONFLICT ? "conflict" : "validation_failed", "parent_id",
		    rc == ERR_CONFLICT ? "the new parent already has a child of this name" :
		    "the tree would become too deep",
		    rc == ERR_CONFLICT ? "新上级下已有同名组织" : "组织层级过深");
	} else if (!rc) {
		path_range(np.path, lo, hi, sizeof(lo));
		if (!(rc = orgs_get_in(t.c, before.id, lo, hi, &o)) &&
		    !(rc = workers_org_moved(t.c, o.id, before.path, o.path))) {
			org_change(&t, &before, &o);
			rc = tx_commit(&t);
		}
	}
	tx_end(&t);
	if (rc || req_answered(r))
		return rc;
	return reply_org(r, 200, &o);
}

/* 停用 / 启用: the org row is locked and its workers counted in the write
 * transaction. A registration reads its org before its own transaction,
 * so one racing the disable by milliseconds may still land in the unit;
 * the unit then shows the worker and can be disabled again after. */
static int
set_disabled(struct req *r, int disable)
{
	const struct principal *p = req_who(r);
	const char *reason = jstr(req_body(r), "reason");
	struct why why = {0};
	struct org before, o;
	int64_t active = 0;
	struct tx t;
	int rc;

	if ((rc = tx_begin(&t, r, disable ? "org.disable" : "org.enable")))
		return rc;
	if ((rc = orgs_lock(t.c, req_param_id(r, 0))) == ERR_NOTFOUND)
		rc = 0;
	if (rc || (rc = orgs_get_scoped(t.c, p, ROLE_ADMIN, req_param_id(r, 0), &before)))
		goto out;
	o = before;
	if (disable && (rc = workers_count(t.c, o.id, 0, 100, -1, "active", &active)))
		goto out;
	if ((rc = orgs_set_disabled(t.c, &o, disable, active, &why)) ||
	    o.disabled == before.disabled)
		goto out;
	tx_about(&t, "org", o.id, o.id, o.path);
	if (reason)
		jw_kstr(tx_summary(&t), "reason", reason);
	rc = tx_commit(&t);
out:
	tx_end(&t);
	if (rc == ERR_INVALID)
		return req_why(r, rc, &why);
	return rc ? rc : reply_org(r, 200, &o);
}

static int
h_org_disable(struct req *r)
{
	return set_disabled(r, 1);
}

static int
h_org_enable(struct req *r)
{
	return set_disabled(r, 0);
}

static const char *const kinds[] = {"district", "street", "park", "enterprise",
    "department", NULL};
static const char *const all_kinds[] = {"city", "district", "street", "park",
    "enterprise", "department", NULL};
static const char *const ownerships[] = {"state", "private", "foreign",
    "collective", "other", NULL};

#define ORG_ATTRS(required) \
	{"name", FT_STRING, required, 1, 100, NULL, "name", NULL}, \
	{"code", FT_STRING, F_NULLABLE, 1, 32, NULL, "short code", NULL}, \
	{"uscc", FT_STRING, F_NULLABLE, 18, 18, NULL, "unified social credit code", NULL}, \
	{"uscc_override_reason", FT_STRING, 0, 2, 200, NULL, \
	    "why a code failing its check character is accepted (admin)", NULL}, \
	{"industry", FT_STRING, F_NULLABLE, 1, 4, NULL, "GB/T 4754 section (code list industry)", NULL}, \
	{"above_scale", FT_BOOL, 0, 0, 0, NULL, "规上企业", NULL}, \
	{"ownership", FT_ENUM, F_NULLABLE, 0, 0, ownerships, NULL, NULL}, \
	{"has_union", FT_BOOL, 0, 0, 0, NULL, "has a union", NULL}, \
	{"employees", FT_INT, 0, 0, 10000000, NULL, "number of employees", NULL}

static const struct field org_create_body[] = {
	{"parent_id", FT_ID, F_REQUIRED, 0, 0, NULL, NULL, NULL},
	{"kind", FT_ENUM, F_REQUIRED, 0, 0, kinds, NULL, NULL},
	ORG_ATTRS(F_REQUIRED),
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field org_patch_body[] = {
	ORG_ATTRS(0),
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field org_move_body[] = {
	{"parent_id", FT_ID, F_REQUIRED, 0, 0, NULL, "the new parent", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field org_disable_body[] = {
	{"reason", FT_STRING, F_REQUIRED, 2, 200, NULL,
	    "why the unit is disabled (closed, merged…), kept in the audit trail", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct qfield org_list_query[] = {
	{"parent", QT_ID, 0, 0, NULL, "children of this org"},
	{"under", QT_ID, 0, 0, NULL, "the whole subtree of this org"},
	{"kind", QT_ENUM, 0, 0, all_kinds, NULL},
	{"q", QT_STRING, 1, 64, NULL, "name contains, or exact code / credit code (with under)"},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{"count", QT_BOOL, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route orgs_routes[] = {
	{HTTP_GET, "/api/v1/orgs", h_org_list, ROLES_ANY, 0, NULL, org_list_query,
	    "orgs", "Children of an org, a subtree search, or my grant roots"},
	{HTTP_POST, "/api/v1/orgs", h_org_create, ORG_WRITERS, 0, org_create_body,
	    NULL, "orgs", "Create an org (admin; operators: enterprises)"},
	{HTTP_GET, "/api/v1/orgs/{id}", h_org_get, ROLES_ANY, 0, NULL, NULL,
	    "orgs", "One org"},
	{HTTP_PATCH, "/api/v1/orgs/{id}", h_org_patch, ORG_WRITERS, 0,
	    org_patch_body, NULL, "orgs", "Edit an org"},
	{HTTP_POST, "/api/v1/orgs/{id}/move", h_org_move, ROLE_ADMIN, 0,
	    org_move_body, NULL, "orgs", "Move an org with its subtree (admin)"},
	{HTTP_POST, "/api/v1/orgs/{id}/disable", h_org_disable, ROLE_ADMIN, 0,
	    org_disable_body, NULL, "orgs",
	    "Disable an org with no units in use and no workers on its roster (admin; audited)"},
	{HTTP_POST, "/api/v1/orgs/{id}/enable", h_org_enable, ROLE_ADMIN, 0, NULL, NULL,
	    "orgs", "Enable a disabled org again (admin; audited)"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
