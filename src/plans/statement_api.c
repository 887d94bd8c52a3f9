/* HTTP handlers of the reconciliation statement (对账单): the live
 * statement as JSON and .xlsx, sealed snapshots (immutable, hashed,
 * audited) and their comparison, and handing a plan down to child orgs
 * (分解). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include "http/http.h"
#include "orgs/orgs.h"
#include "plans/api.h"
#include "plans/plans.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Loads the model the caller may see, as of ?as_of=, filtered by ?owner=. */
static int
load_view_model(struct req *r, struct db_conn *c, const struct plan *pl,
    const struct plan_access *a, struct plan_model *m)
{
	struct plan_view v;
	char as_of[11];
	int rc;

	plan_as_of(r, as_of);
	plan_view_init(&v, req_who(r), a);
	if ((rc = plan_owner_filter(r, c, &v)))
		return rc;
	return plan_model_load(c, pl, as_of, plans_due_soon(pl, plan_due_setting(r)),
	    &v, m);
}

static int
h_statement(struct req *r)
{
	struct plan_child *kids = NULL;
	size_t nkids = 0;
	struct plan_access a;
	struct plan_model m;
	struct db_conn *c;
	struct plan pl;
	int rc = plan_load(r, DB_READ, PA_OWNER, &c, &pl, &a);

	if (rc)
		return rc;
	plan_model_init(&m);
	if ((rc = load_view_model(r, c, &pl, &a, &m)))
		goto out;
	/* the children's progress is for those who see the whole plan */
	if (a.level >= PA_READ && pl.children &&
	    (rc = plan_children_load(c, &m, &kids, &nkids)))
		goto out;
	plan_statement_json(req_json(r, 200), &m, kids, nkids,
	    (int)req_query_int(r, "children", 0), NULL);
out:
	plan_children_free(kids, nkids);
	plan_model_free(&m);
	return rc;
}

static int
h_statement_xlsx(struct req *r)
{
	const struct principal *p = req_who(r);
	struct plan_access a;
	struct plan_model m;
	struct db_conn *c;
	struct plan pl;
	char path[256], fname[PLAN_TITLE_BYTES + 64], target[48], summary[64];
	int rc = plan_load(r, DB_READ, PA_OWNER, &c, &pl, &a);

	if (rc)
		return rc;
	plan_model_init(&m);
	if ((rc = load_view_model(r, c, &pl, &a, &m)))
		goto out;
	req_db_release(r);
	if ((rc = temp_file("changai-plan", path, sizeof(path))))
		goto out;
	if ((rc = plan_statement_xlsx(&m, path, p->name[0] ? p->name : p->username))) {
		unlink(path);
		goto out;
	}
	{
		struct audit_entry ae;

		snprintf(target, sizeof(target), "plan:%lld", (long long)pl.id);
		snprintf(summary, sizeof(summary), "{\"as_of\":\"%s\",\"rows\":%d}", m.as_of,
		    m.count[PK_SUBITEM]);
		req_audit_entry(r, &ae, "plan.statement_export", target);
		ae.org_id = pl.org_id;
		ae.org_path = pl.org_path;
		ae.summary = summary;
		if ((rc = audit_append_tx(req_store(r), &ae))) {
			unlink(path);
			goto out;
		}
	}
	snprintf(fname, sizeof(fname), "%s-对账单-%s.xlsx", pl.title, m.as_of);
	rc = req_file_path(r, path, XLSX_TYPE, fname);
out:
	plan_model_free(&m);
	return rc;
}

/* ---- sealed statements ---- */

static int
h_seal(struct req *r)
{
	const struct principal *p = req_who(r);
	json_t *b = req_body(r);
	const char *as_of = json_string_value(json_object_get(b, "as_of"));
	const char *title = json_string_value(json_object_get(b, "title"));
	struct plan_access a;
	struct plan_sealed sealed;
	struct db_conn *c;
	struct plan pl;
	struct tx t;
	char today[11];
	int rc = plan_load(r, DB_WRITE, PA_MANAGE, &c, &pl, &a);

	if (rc)
		return rc;
	clock_today(today);
	if (strcmp(as_of, today) > 0)
		return req_error(r, 422, "validation_failed", "as_of",
		    "a statement is sealed as of today or an earlier date",
		    "对账单只能封存截至今天或更早日期的数据");
	if ((rc = tx_begin(&t, r, "plan.statement_seal")))
		return rc;
	if (!(rc = plans_seal(t.c, &pl, as_of, title, plan_due_setting(r), p->user_id,
	    p->username, &sealed))) {
		struct jw *w = tx_summary(&t);

		tx_about(&t, "plan_statement", sealed.id, pl.org_id, pl.org_path);
		jw_kint(w, "plan_id", pl.id);
		jw_kstr(w, "as_of", as_of);
		jw_kstr(w, "sha256", sealed.hash);
		jw_kint(w, "rows", sealed.rows);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return rc;
	{
		struct jw *w = req_json(r, 201);
		jw_obj_open(w);
		jw_kint(w, "id", sealed.id);
		jw_kint(w, "plan_id", pl.id);
		jw_kstr(w, "as_of", as_of);
		jw_kstr(w, "title", title);
		jw_kstr(w, "hash", sealed.hash);
		jw_kstr(w, "sealed_by", p->username);
		jw_ktime(w, "sealed_at", sealed.sealed_at);
		jw_kint(w, "rows", sealed.rows);
		jw_kint(w, "bytes", (int64_t)sealed.bytes);
		jw_obj_close(w);
	}
	return 0;
}

static void
seal_head_json(struct jw *w, struct db_conn *c, int64_t plan_id)
{
	jw_kint(w, "id", db_col_int(c, 0));
	jw_kint(w, "plan_id", plan_id);
	jw_kstr(w, "as_of", db_col_text(c, 1));
	jw_kstr(w, "title", db_col_text(c, 2));
	jw_kstr(w, "hash", db_col_text(c, 3));
	jw_kstr(w, "sealed_by", db_col_text(c, 4));
	jw_ktime(w, "sealed_at", db_col_int(c, 5));
}

static int
h_seals(struct req *r)
{
	struct plan_access a;
	struct db_conn *c;
	struct plan pl;
	struct jw *w;
	int rc = plan_load(r, DB_READ, PA_OWNER, &c, &pl, &a);

	if (rc)
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	/* a snapshot holds every task: an owner-only reader (a department)
	 * reads the plan, so the list answers, but holds none; restricted
	 * says why, so a page can say so instead of showing an error */
	jw_kbool(w, "restricted", a.level < PA_READ);
	jw_key(w, "items");
	jw_arr_open(w);
	if (a.level < PA_READ) {
		jw_arr_close(w);
		jw_knull(w, "next");
		jw_obj_close(w);
		return 0;
	}
	if ((rc = db_prep(c, PLAN_SEALS)))
		return rc;
	db_bind_int(c, 1, pl.id);
	while ((rc = db_step(c)) == DB_ROW) {
		jw_obj_open(w);
		seal_head_json(w, c, pl.id);
		jw_obj_close(w);
	}
	db_done(c);
	if (rc < 0)
		return rc;
	jw_arr_close(w);
	jw_knull(w, "next");
	jw_obj_close(w);
	return 0;
}

/* Reads sealed statement `id` of the plan (content in column 6). The row
 * stays current: the caller finishes it with db_done. A content that no
 * longer matches its seal's hash was altered in the store: it is never
 * served as sealed (500 integrity_failed, answered; changai check names it). */
static int
seal_row(struct req *r, struct db_conn *c, int64_t plan_id, int64_t id)
{
	char hash[CRYPTO_DIGEST_HEX];
	const char *content;
	int rc = db_prep(c, PLAN_SEAL_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	db_bind_int(c, 2, plan_id);
	rc = db_one(c);
	if (rc)
		return rc;
	content = db_col_text(c, 6);
	crypto_sha256_hex(content, strlen(content), hash);
	if (strcmp(hash, db_col_text(c, 3))) {
		db_done(c);
		log_error("plan %lld: sealed statement %lld does not match its seal",
		    (long long)plan_id, (long long)id);
		req_error(r, 500, "integrity_failed", NULL,
		    "this sealed statement no longer matches its seal: the store was "
		    "altered (changai check names it)",
		    "该封存对账单与封存时的校验值不符，数据可能被篡改，请联系系统运维核查");
		return ERR_INTERNAL;
	}
	return 0;
}

static int
h_seal_get(struct req *r)
{
	struct plan_access a;
	struct db_conn *c;
	struct plan pl;
	struct jw *w;
	const char *content;
	int rc = plan_load(r, DB_READ, PA_OWNER, &c, &pl, &a);

	if (rc)
		return rc;
	if (a.level < PA_READ)
		return ERR_NOTFOUND;
	if ((rc = seal_row(r, c, pl.id, req_param_id(r, 1))))
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	seal_head_json(w, c, pl.id);
	content = db_col_text(c, 6);
	jw_key(w, "statement");
	/* exactly as sealed: the stored canonical text, not a re-rendering */
	jw_raw(w, content, strlen(content));
	jw_obj_close(w);
	db_done(c);
	return 0;
}

static int
h_seal_content(struct req *r)
{
	struct plan_access a;
	struct db_conn *c;
	struct plan pl;
	const char *content;
	int rc = plan_load(r, DB_READ, PA_OWNER, &c, &pl, &a);

	if (rc)
		return rc;
	if (a.level < PA_READ)
		return ERR_NOTFOUND;
	if ((rc = seal_row(r, c, pl.id, req_param_id(r, 1))))
		return rc;
	content = db_col_text(c, 6);
	/* the stored bytes as the whole body: one raw JSON value */
	jw_raw(req_json(r, 200), content, strlen(content));
	db_done(c);
	return 0;
}

static int
h_seal_compare(struct req *r)
{
	int64_t from = req_query_int(r, "from", 0), to = req_query_int(r, "to", 0);
	char *text[2] = {NULL, NULL};
	struct plan_access a;
	struct db_conn *c;
	struct plan pl;
	struct jw *w;
	int rc = plan_load(r, DB_READ, PA_OWNER, &c, &pl, &a);

	if (rc)
		return rc;
	if (a.level < PA_READ)
		return ERR_NOTFOUND;
	if (!from || !to)
		return req_error(r, 400, "bad_request", from ? "to" : "from",
		    "give two sealed statements: from and to", "请指定要比较的两份对账单 from 和 to");
	w = req_json(r, 200);
	jw_obj_open(w);
	for (int i = 0; i < 2; i++) {
		rc = seal_row(r, c, pl.id, i ? to : from);
		if (rc == ERR_NOTFOUND) {
			req_error(r, 404, "not_found", i ? "to" : "from",
			    "no such sealed statement of this plan", "本方案没有该封存对账单");
			goto out;
		}
		if (rc)
			goto out;
		jw_key(w, i ? "to" : "from");
		jw_obj_open(w);
		seal_head_json(w, c, pl.id);
		jw_obj_close(w);
		text[i] = strdup(db_col_text(c, 6));
		db_done(c);
		if (!text[i]) {
			rc = ERR_NOMEM;
			goto out;
		}
	}
	rc = plan_compare_json(w, text[0], text[1]);
	jw_obj_close(w);
out:
	free(text[0]);
	free(text[1]);
	return rc;
}

/* ---- handing a plan down (分解) ---- */

/* The override for (org, node) in targets {"ORG": {"NODE": value}}: 1 with
 * *e4 set, 0 when none, ERR_INVALID when malformed. */
static int
target_override(json_t *targets, int64_t org, int64_t node, int64_t *e4)
{
	char ko[24], kn[24];
	json_t *per, *v;

	if (!targets)
		return 0;
	snprintf(ko, sizeof(ko), "%lld", (long long)org);
	snprintf(kn, sizeof(kn), "%lld", (long long)node);
	per = json_object_get(targets, ko);
	if (!per)
		return 0;
	v = json_object_get(per, kn);
	if (!v)
		return 0;
	if (!json_is_number(v) || plan_value_e4(json_number_value(v), PLAN_VALUE_MAX_E4, e4))
		return ERR_INVALID;
	return 1;
}

/* Checks the shape of targets against the orgs and the model: every key an
 * org being handed the plan, every node a numeric sub-item of the plan. */
static int
check_targets(struct req *r, json_t *targets, json_t *org_ids,
    const struct plan_model *m)
{
	const char *ko, *kn;
	json_t *per, *v;

	json_object_foreach(targets, ko, per) {
		int64_t org;
		int found = 0;
		size_t i;
		json_t *it;

		if (parse_int64(ko, 1, 1LL << 53, &org) || !json_is_object(per))
			goto bad;
		json_array_foreach(org_ids, i, it)
			found |= json_integer_value(it) == org;
		if (!found)
			goto bad;
		json_object_foreach(per, kn, v) {
			int64_t node, e4;
			int ok = 0;

			if (parse_int64(kn, 1, 1LL << 53, &node) || !json_is_number(v) ||
			    plan_value_e4(json_number_value(v), PLAN_VALUE_MAX_E4, &e4))
				goto bad;
			for (size_t k = 0; k < m->nn; k++)
				ok |= m->n[k].id == node && m->n[k].kind == PK_SUBITEM &&
				    !m->n[k].milestone;
			if (!ok)
				goto bad;
		}
	}
	return 0;
bad:
	req_error(r, 422, "validation_failed", "targets",
	    "targets is {\"org id\": {\"sub-item id\": non-negative number}} for the "
	    "orgs named and numeric sub-items of this plan",
	    "targets 应为 {\"组织编号\": {\"分项编号\": 非负数}}，仅限本次分解的组织和本方案的数值类分项");
	return ERR_INVALID;
}

/* Copies the plan's tree to one child org; returns the new plan in kid. */
static int
copy_plan(struct db_conn *c, const struct plan_model *m, const struct org *o,
    json_t *targets, int64_t actor, struct plan *kid)
{
	int64_t *map;
	int rc = 0;

	memset(kid, 0, sizeof(*kid));
	kid->org_id = o->id;
	kid->year = m->plan.year;
	str_copy(kid->title, sizeof(kid->title), m->plan.title);
	kid->parent_plan_id = m->plan.id;
	kid->due_soon_days = m->plan.due_soon_days;
	kid->created_by = actor;
	if ((rc = plans_insert(c, kid)))
		return rc;
	map = calloc(m->nn ? m->nn : 1, sizeof(*map));
	if (!map)
		return ERR_NOMEM;
	/* tree order: a parent is copied before its children */
	for (size_t i = 0; i < m->nn && !rc; i++) {
		const struct plan_mnode *x = &m->n[i];
		struct plan_node n;
		int64_t e4;

		memset(&n, 0, sizeof(n));
		n.plan_id = kid->id;
		n.parent_id = x->parent >= 0 ? map[x->parent] : 0;
		n.kind = x->kind;
		n.seq = x->seq;
		str_copy(n.title, sizeof(n.title), plan_model_str(m, x->title));
		n.weight_e4 = x->weight_e4;
		n.source_node_id = x->id;
		if (x->kind == PK_SUBITEM) {
			str_copy(n.deadline, sizeof(n.deadline), x->deadline);
			n.milestone = x->milestone;
			n.has_target = x->has_target;
			n.target_e4 = x->target_e4;
			if (target_override(targets, o->id, x->id, &e4) == 1)
				n.target_e4 = e4;
			str_copy(n.unit, sizeof(n.unit), plan_model_str(m, x->unit));
			n.metric = x->metric;
			/* the child org answers for its share itself */
			n.nowners = 1;
			n.owners[0].org_id = o->id;
			n.owners[0].lead = 1;
			n.lead_org_id = o->id;
		}
		rc = plans_node_insert(c, &n);
		map[i] = n.id;
	}
	free(map);
	return rc;
}

static int
h_cascade(struct req *r)
{
	const struct principal *p = req_who(r);
	json_t *b = req_body(r), *org_ids = json_object_get(b, "org_ids");
	json_t *targets = json_object_get(b, "targets"), *it;
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct plan_access a;
	struct plan_model m;
	struct plan_view all;
	struct tx t = {0};         /* ended on every path, begun or not */
	struct db_conn *c;
	struct plan pl;
	struct jw *w;
	struct buf out;
	size_t i;
	int rc = plan_load(r, DB_WRITE, PA_MANAGE, &c, &pl, &a);

	if (rc)
		return rc;
	if (json_array_size(org_ids) == 0)
		return req_error(r, 422, "validation_failed", "org_ids",
		    "name at least one org to hand the plan down to", "请指定至少一个下级组织");
	if (json_is_null(targets))
		targets = NULL;
	memset(&all, 0, sizeof(all));
	all.all = 1;
	plan_model_init(&m);
	buf_init(&out, 16u << 20);
	if ((rc = tx_begin(&t, r, "plan.cascade")))
		goto out;
	/* only the tree is copied: an as-of date before any report reads none */
	if ((rc = plan_model_load(c, &pl, "1970-01-01", 30, &all, &m)))
		goto out;
	if (targets && (rc = check_targets(r, targets, org_ids, &m)))
		goto out;
	path_range(pl.org_path, lo, hi, sizeof(lo));
	{
		struct jw list;
		jw_init(&list, &out);
		jw_arr_open(&list);
		json_array_foreach(org_ids, i, it) {
			struct org o;
			struct plan kid;
			static const char *const kinds[] = {"district", "street", "park",
			    "enterprise", NULL};
			int kind_ok = 0;

			rc = orgs_get_in(c, json_integer_value(it), lo, hi, &o);
			if (rc == ERR_NOTFOUND || (!rc && o.id == pl.org_id)) {
				req_error(r, 422, "validation_failed", "org_ids",
				    "a plan is handed down to orgs under its own org",
				    "方案只能分解到所属组织的下级单位");
				rc = ERR_INVALID;
			}
			if (rc)
				goto out;
			for (int k = 0; kinds[k]; k++)
				kind_ok |= !strcmp(o.kind, kinds[k]);
			if (!kind_ok) {
				req_error(r, 422, "validation_failed", "org_ids",
				    "a plan is handed down to districts, streets, parks or enterprises",
				    "方案只能分解到区县、街道、园区或企业");
				rc = ERR_INVALID;
				goto out;
			}
			rc = copy_plan(c, &m, &o, targets, p->user_id, &kid);
			if (rc == ERR_CONFLICT) {
				req_error(r, 409, "conflict", "org_ids",
				    "the plan was handed down to this org already",
				    "方案已分解到该组织");
				goto out;
			}
			if (rc || (rc = plans_get(c, kid.id, &kid)))
				goto out;
			{
				char summary[96];
				snprintf(summary, sizeof(summary),
				    "{\"from_plan\":%lld,\"org_id\":%lld}", (long long)pl.id,
				    (long long)o.id);
				if ((rc = tx_also(&t, "plan.cascade", "plan", kid.id,
				    kid.org_id, kid.org_path, summary)))
					goto out;
			}
			{
				struct plan_access ka = {PA_MANAGE, 0};
				plans_json(&list, &kid, &ka);
			}
		}
		jw_arr_close(&list);
		if ((rc = jw_finish(&list)))
			goto out;
	}
	if ((rc = tx_commit_each(&t)))
		goto out;
	w = req_json(r, 201);
	jw_obj_open(w);
	jw_key(w, "plans");
	jw_raw(w, out.data, out.len);
	jw_obj_close(w);
out:
	tx_end(&t);
	plan_model_free(&m);
	buf_free(&out);
	return rc;
}

static const struct qfield statement_query[] = {
	{"as_of", QT_DATE, 0, 0, NULL, "progress as of this date (default today)"},
	{"owner", QT_ID, 0, 0, NULL, "only sub-items this org (or its subtree) owns"},
	{"children", QT_BOOL, 0, 0, NULL, "each row with the handed-down copies' progress"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield xlsx_query[] = {
	{"as_of", QT_DATE, 0, 0, NULL, "progress as of this date (default today)"},
	{"owner", QT_ID, 0, 0, NULL, "only sub-items this org (or its subtree) owns"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield compare_query[] = {
	{"from", QT_ID, 0, 0, NULL, "the earlier sealed statement"},
	{"to", QT_ID, 0, 0, NULL, "the later sealed statement"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct field seal_body[] = {
	{"as_of", FT_DATE, F_REQUIRED, 0, 0, NULL, "the meeting date the statement is as of", NULL},
	{"title", FT_STRING, F_REQUIRED, 1, PLAN_TITLE_MAX, NULL, NULL, NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field cascade_body[] = {
	{"org_ids", FT_ID_ARRAY, F_REQUIRED, 0, 500, NULL, "orgs under the plan's org", NULL},
	{"targets", FT_OBJECT, F_NULLABLE, 0, 0, NULL,
	    "per-org target overrides: {\"org id\": {\"sub-item id\": value}}", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

const struct route plan_statement_routes[] = {
	{HTTP_GET, "/api/v1/plans/{id}/statement", h_statement, PLAN_USERS, 0, NULL,
	    statement_query, "plans", "The reconciliation statement (对账单) as JSON"},
	{HTTP_GET, "/api/v1/plans/{id}/statement.xlsx", h_statement_xlsx, PLAN_USERS,
	    0, NULL, xlsx_query, "plans", "The statement as .xlsx, ready to print"},
	{HTTP_POST, "/api/v1/plans/{id}/statements", h_seal, PLAN_MANAGERS, 0,
	    seal_body, NULL, "plans", "Seal the statement for a meeting date (SHA-256, audited)"},
	{HTTP_GET, "/api/v1/plans/{id}/statements", h_seals, PLAN_USERS, 0, NULL,
	    NULL, "plans", "Sealed statements of the plan"},
	{HTTP_GET, "/api/v1/plans/{id}/statements/compare", h_seal_compare, PLAN_USERS,
	    0, NULL, compare_query, "plans", "What moved between two sealed statements"},
	{HTTP_GET, "/api/v1/plans/{id}/statements/{sid}", h_seal_get, PLAN_USERS, 0,
	    NULL, NULL, "plans", "One sealed statement, exactly as sealed"},
	{HTTP_GET, "/api/v1/plans/{id}/statements/{sid}/content", h_seal_content,
	    PLAN_USERS, 0, NULL, NULL, "plans",
	    "The sealed canonical JSON bytes (their SHA-256 is the hash)"},
	{HTTP_POST, "/api/v1/plans/{id}/cascade", h_cascade, PLAN_MANAGERS, 0,
	    cascade_body, NULL, "plans", "Hand the plan down to child orgs (分解)"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
