/* HTTP handlers of plans: plans, nodes, the tree, progress reports and
 * their review, reminders and the inbox. Who may do what:
 *   managers  admin/operator of the plan org's subtree: everything
 *   readers   viewers there: read everything
 *   owners    any business grant over an owner of a sub-item: the plan's
 *             outline and the sub-items they own; admins, operators and
 *             departments among them report on those
 * Anything else is 404, so plan and node ids cannot be probed. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"
#include "db/db.h"
#include "http/http.h"
#include "orgs/orgs.h"
#include "plans/api.h"
#include "plans/plans.h"
#include "settings/settings.h"

/* ---- shared with the other handler files ---- */

/* Answers 422 naming field and hands back ERR_INVALID for the caller to
 * return (the response is already written). */
static int
invalid(struct req *r, const char *field, const char *en, const char *zh)
{
	req_error(r, 422, "validation_failed", field, en, zh);
	return ERR_INVALID;
}

int
plan_load(struct req *r, enum db_mode mode, int need, struct db_conn **c,
    struct plan *pl, struct plan_access *a)
{
	int rc = req_db(r, mode, c);

	if (rc || (rc = plans_get_access(*c, req_who(r), req_param_id(r, 0), pl, a)))
		return rc;
	if (a->level < need) {
		req_error(r, 403, "forbidden", NULL,
		    need == PA_MANAGE ? "only the plan's org manages the plan" :
		    "you see only the tasks you own in this plan",
		    need == PA_MANAGE ? "只有方案所属单位可以管理方案" :
		    "您只能查看本单位负责的任务");
		return ERR_PERM;
	}
	return 0;
}

int
plan_audit(struct req *r, struct db_conn *c, const struct plan *pl,
    const char *action, const char *target, const char *summary)
{
	struct audit_entry ae;

	req_audit_entry(r, &ae, action, target);
	ae.org_id = pl->org_id;
	ae.org_path = pl->org_path;
	ae.summary = summary ? summary : "{}";
	return audit_append(c, &ae);
}

void
plan_as_of(struct req *r, char out[11])
{
	const char *q = req_query(r, "as_of");

	if (q)
		str_copy(out, 11, q);
	else
		clock_today(out);
}

int
plan_due_setting(struct req *r)
{
	int64_t v = req_setting(r, SET_DUE_SOON_DAYS);
	return v > 0 && v <= 365 ? (int)v : 30;
}

int
plan_owner_filter(struct req *r, struct db_conn *c, struct plan_view *v)
{
	int64_t owner = req_query_int(r, "owner", 0);
	int rc;

	if (!owner)
		return 0;
	struct org o;

	if (!(rc = orgs_get(c, owner, &o))) {
		str_copy(v->owner_name, sizeof(v->owner_name), o.name);
		path_range(o.path, v->owner_lo, v->owner_hi, ORG_PATH_MAX);
		v->owner_org = owner;
	}
	if (rc == ERR_NOTFOUND)
		req_error(r, 404, "not_found", "owner", "no such organisation", "组织不存在");
	return rc;
}

/* ---- plans ---- */

static const char *const plan_org_kinds[] = {"city", "district", "street",
    "park", "enterprise", NULL};

static int
plan_kind_ok(const char *kind)
{
	for (int i = 0; plan_org_kinds[i]; i++)
		if (!strcmp(kind, plan_org_kinds[i]))
			return 1;
	return 0;
}

/* A plan with the number of its nodes of each kind. */
static int
reply_plan(struct req *r, struct db_conn *c, int status, const struct plan *pl,
    const struct plan_access *a)
{
	int64_t counts[4];
	struct jw *w;
	int rc = plans_count_nodes(c, pl->id, counts);

	if (rc)
		return rc;
	w = req_json(r, status);
	jw_obj_open(w);
	plans_json_fields(w, pl, a);
	jw_kint(w, "aspects", counts[PK_ASPECT]);
	jw_kint(w, "items", counts[PK_ITEM]);
	jw_kint(w, "subitems", counts[PK_SUBITEM]);
	jw_obj_close(w);
	return 0;
}

static int
h_plan_list(struct req *r)
{
	const struct principal *p = req_who(r);
	int64_t org = req_query_int(r, "org", 0), limit = req_query_int(r, "limit", 50);
	int64_t cursor = 0, *ids = NULL;
	int year = (int)req_query_int(r, "year", 0), rc;
	const char *after = req_query(r, "after");
	char org_path[ORG_PATH_MAX], next[40];
	size_t n = 0, i, shown = 0;
	struct db_conn *c;
	struct jw *w;

	if (after && cursor_decode(after, &cursor))
		return ERR_BADREQ;
	if ((rc = req_db(r, DB_READ, &c)))
		return rc;
	if (org) {
		struct org o;

		/* the anchor must be visible to the caller, or it does not exist */
		rc = orgs_get_scoped(c, p, ROLES_ANY, org, &o);
		if (rc == ERR_NOTFOUND)
			return req_error(r, 404, "not_found", "org", "no such organisation",
			    "组织不存在");
		if (rc)
			return rc;
		str_copy(org_path, sizeof(org_path), o.path);
	}
	if ((rc = plans_visible_ids(c, p, year, org ? org_path : NULL, &ids, &n)))
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	for (i = 0; i < n && shown < (size_t)limit; i++) {
		struct plan pl;
		struct plan_access a;

		if (ids[i] <= cursor)
			continue;
		rc = plans_get_access(c, p, ids[i], &pl, &a);
		if (rc == ERR_NOTFOUND)
			continue;
		if (rc)
			break;
		plans_json(w, &pl, &a);
		shown++;
		cursor = ids[i];
	}
	jw_arr_close(w);
	/* ids are ascending: anything left after a full page comes next */
	if (!rc && shown == (size_t)limit && i < n) {
		cursor_encode(cursor, next);
		jw_kstr(w, "next", next);
	} else {
		jw_knull(w, "next");
	}
	jw_kint(w, "total", (int64_t)n);
	jw_obj_close(w);
	free(ids);
	return rc;
}

static const char *
jstr(json_t *b, const char *k)
{
	return json_string_value(json_object_get(b, k));
}

static int
h_plan_create(struct req *r)
{
	const struct principal *p = req_who(r);
	json_t *b = req_body(r), *v;
	struct plan_access a = {PA_MANAGE, 0};
	struct db_conn *c;
	struct plan pl;
	struct org o;
	struct tx t;
	int rc;

	if ((rc = req_db(r, DB_WRITE, &c)))
		return rc;
	rc = orgs_get_scoped(c, p, PLAN_MANAGERS,
	    json_integer_value(json_object_get(b, "org_id")), &o);
	if (rc == ERR_NOTFOUND)
		return req_error(r, 404, "not_found", "org_id",
		    "no such organisation among those you manage", "您管理的组织中没有该组织");
	if (rc)
		return rc;
	if (!plan_kind_ok(o.kind))
		return invalid(r, "org_id",
		    "a plan belongs to a city, district, street, park or enterprise",
		    "方案只能属于市、区县、街道、园区或企业");
	memset(&pl, 0, sizeof(pl));
	pl.org_id = o.id;
	pl.year = (int)json_integer_value(json_object_get(b, "year"));
	str_copy(pl.title, sizeof(pl.title), jstr(b, "title"));
	if ((v = json_object_get(b, "due_soon_days")) && json_is_integer(v))
		pl.due_soon_days = (int)json_integer_value(v);
	pl.created_by = p->user_id;
	str_copy(pl.org_name, sizeof(pl.org_name), o.name);
	str_copy(pl.org_path, sizeof(pl.org_path), o.path);
	str_copy(pl.org_kind, sizeof(pl.org_kind), o.kind);
	if ((rc = tx_begin(&t, r, "plan.create")))
		return rc;
	if (!(rc = plans_insert(t.c, &pl))) {
		struct jw *w = tx_summary(&t);

		tx_about(&t, "plan", pl.id, pl.org_id, pl.org_path);
		jw_kstr(w, "title", pl.title);
		jw_kint(w, "year", pl.year);
		jw_kint(w, "org_id", pl.org_id);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	return rc ? rc : reply_plan(r, c, 201, &pl, &a);
}

static int
h_plan_get(struct req *r)
{
	struct plan_access a;
	struct db_conn *c;
	struct plan pl;
	int rc = plan_load(r, DB_READ, PA_OWNER, &c, &pl, &a);

	return rc ? rc : reply_plan(r, c, 200, &pl, &a);
}

static int
h_plan_patch(struct req *r)
{
	json_t *b = req_body(r), *v;
	struct plan_access a;
	struct db_conn *c;
	struct plan pl, before;
	struct why why = {0};
	struct tx t;
	int rc = plan_load(r, DB_WRITE, PA_MANAGE, &c, &pl, &a);

	if (rc || (rc = tx_begin(&t, r, "plan.update")))
		return rc;
	/* the plan as it stands inside this transaction (locked on PostgreSQL) */
	if ((rc = plans_lock(t.c, PLAN_LOCK, pl.id)) || (rc = plans_get(t.c, pl.id, &pl)))
		goto out;
	before = pl;
	if ((v = json_object_get(b, "title")))
		str_copy(pl.title, sizeof(pl.title), json_string_value(v));
	if ((v = json_object_get(b, "year")))
		pl.year = (int)json_integer_value(v);
	if ((v = json_object_get(b, "due_soon_days")))
		pl.due_soon_days = json_is_null(v) ? 0 : (int)json_integer_value(v);
	tx_about(&t, "plan", pl.id, pl.org_id, pl.org_path);
	if ((rc = plans_update(t.c, &pl, &why)))
		goto out;
	jw_key(tx_summary(&t), "from");
	plans_json(&t.w, &before, NULL);
	jw_key(&t.w, "to");
	plans_json(&t.w, &pl, NULL);
	if (!(rc = tx_commit(&t)))
		rc = plans_get(t.c, pl.id, &pl);
out:
	tx_end(&t);
	return rc ? req_why(r, rc, &why) : reply_plan(r, c, 200, &pl, &a);
}

static int
h_plan_delete(struct req *r)
{
	struct plan_access a;
	struct db_conn *c;
	struct plan pl;
	struct why why = {0};
	struct tx t;
	int rc = plan_load(r, DB_WRITE, PA_MANAGE, &c, &pl, &a);

	if (rc || (rc = tx_begin(&t, r, "plan.delete")))
		return rc;
	tx_about(&t, "plan", pl.id, pl.org_id, pl.org_path);
	if (!(rc = plans_delete(t.c, pl.id, &why)))
		rc = tx_commit(&t);
	tx_end(&t);
	return rc ? req_why(r, rc, &why) : req_status_only(r, 204);
}

/* ---- nodes ---- */

/* Applies the body's node fields to n. 0, or an error already answered. */
static int
apply_node_body(struct req *r, json_t *b, struct plan_node *n)
{
	json_t *v;

	if ((v = json_object_get(b, "title")))
		str_copy(n->title, sizeof(n->title), json_string_value(v));
	if ((v = json_object_get(b, "parent_id")))
		n->parent_id = json_is_null(v) ? 0 : json_integer_value(v);
	if ((v = json_object_get(b, "order")))
		n->seq = json_integer_value(v);
	if ((v = json_object_get(b, "weight"))) {
		if (plan_value_e4(json_number_value(v), PLAN_WEIGHT_MAX_E4, &n->weight_e4))
			return invalid(r, "weight",
			    "the weight must be between 0 and 1000", "权重应在 0 至 1000 之间");
	}
	if ((v = json_object_get(b, "metric")))
		n->metric = plan_metric_parse(json_string_value(v));
	if ((v = json_object_get(b, "deadline")))
		str_copy(n->deadline, sizeof(n->deadline),
		    json_is_null(v) ? "" : json_string_value(v));
	if ((v = json_object_get(b, "owner_org_ids"))) {
		size_t i;
		json_t *it;

		memset(n->owners, 0, sizeof(n->owners));
		n->nowners = 0;
		json_array_foreach(v, i, it) {
			if (n->nowners < PLAN_MAX_OWNERS)
				n->owners[n->nowners++].org_id = json_integer_value(it);
		}
	}
	if ((v = json_object_get(b, "target"))) {
		json_t *val = json_object_get(v, "value"), *unit = json_object_get(v, "unit");
		json_t *ms = json_object_get(v, "milestone");
		const char *k;
		json_t *x;

		n->has_target = n->milestone = 0;
		n->target_e4 = 0;
		n->unit[0] = '\0';
		if (json_is_null(v))
			return 0;
		json_object_foreach(v, k, x) {
			if (strcmp(k, "value") && strcmp(k, "unit") && strcmp(k, "milestone"))
				return invalid(r, "target",
				    "a target is {\"value\", \"unit\"} or {\"milestone\": true}",
				    "目标应为 {\"value\", \"unit\"} 或 {\"milestone\": true}");
		}
		if (ms && !json_is_boolean(ms))
			return invalid(r, "target",
			    "milestone must be true or false", "milestone 应为 true 或 false");
		if (unit && (!json_is_string(unit) ||
		    utf8_chars(json_string_value(unit), json_string_length(unit)) > PLAN_UNIT_MAX))
			return invalid(r, "target",
			    "the unit is text of at most 16 characters", "单位应为不超过16个字的文本");
		if (json_is_true(ms)) {
			if (val)
				return invalid(r, "target",
				    "a target is a number or a milestone, not both",
				    "目标只能是数值或里程碑之一");
			n->milestone = 1;
			return 0;
		}
		if (!val || !json_is_number(val))
			return invalid(r, "target",
			    "the target value must be a number", "目标值应为数字");
		if (plan_value_e4(json_number_value(val), PLAN_VALUE_MAX_E4, &n->target_e4))
			return invalid(r, "target",
			    "the target must be a non-negative number", "目标值应为非负数");
		n->has_target = 1;
		if (unit)
			str_copy(n->unit, sizeof(n->unit), json_string_value(unit));
	}
	return 0;
}

/* The audit of a node change: about the node, from and to. */
static void
node_change(struct tx *t, const struct plan *pl, const struct plan_node *before,
    const struct plan_node *after)
{
	struct jw *w = tx_summary(t);

	tx_about(t, "plan_node", after ? after->id : before->id, pl->org_id,
	    pl->org_path);
	if (before) {
		jw_key(w, "from");
		plans_node_json(w, before);
	}
	if (after) {
		jw_key(w, "to");
		plans_node_json(w, after);
	}
}

static int
reply_node(struct req *r, int status, const struct plan_node *n)
{
	plans_node_json(req_json(r, status), n);
	return 0;
}

static int
h_node_create(struct req *r)
{
	json_t *b = req_body(r);
	struct plan_access a;
	struct why why = {0};
	struct plan_node n;
	struct db_conn *c;
	struct plan pl;
	struct tx t;
	int rc = plan_load(r, DB_WRITE, PA_MANAGE, &c, &pl, &a);

	if (rc)
		return rc;
	memset(&n, 0, sizeof(n));
	n.plan_id = pl.id;
	n.kind = plan_kind_parse(jstr(b, "kind"));
	n.weight_e4 = 10000;
	if ((rc = apply_node_body(r, b, &n)) ||
	    (rc = tx_begin(&t, r, "plan.node_create")))
		return rc;
	if (!(rc = plans_node_check(t.c, &pl, &n, &why)) &&
	    !(rc = plans_node_insert(t.c, &n))) {
		node_change(&t, &pl, NULL, &n);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	return rc ? req_why(r, rc, &why) : reply_node(r, 201, &n);
}

/* The node {node_id} (second path id) of the loaded plan, if the caller
 * sees it. */
static int
load_node(struct req *r, struct db_conn *c, const struct plan *pl,
    const struct plan_access *a, struct plan_node *n)
{
	int rc = plans_node_get(c, pl->id, req_param_id(r, 1), n);

	if (rc)
		return rc;
	return plans_node_visible(c, req_who(r), a, n);
}

static int
h_node_get(struct req *r)
{
	struct plan_access a;
	struct plan_node n;
	struct db_conn *c;
	struct plan pl;
	int rc = plan_load(r, DB_READ, PA_OWNER, &c, &pl, &a);

	if (rc || (rc = load_node(r, c, &pl, &a, &n)))
		return rc;
	return reply_node(r, 200, &n);
}

static int
h_node_patch(struct req *r)
{
	json_t *b = req_body(r);
	struct plan_access a;
	struct why why = {0};
	struct plan_node n, before;
	struct db_conn *c;
	struct plan pl;
	struct tx t;
	int rc = plan_load(r, DB_WRITE, PA_MANAGE, &c, &pl, &a);

	if (rc || (rc = load_node(r, c, &pl, &a, &n)) ||
	    (rc = tx_begin(&t, r, "plan.node_update")))
		return rc;
	/* the node as it stands inside this transaction (locked on PostgreSQL) */
	if ((rc = plans_lock(t.c, PLAN_NODE_LOCK, n.id)) ||
	    (rc = plans_node_get(t.c, pl.id, n.id, &n)))
		goto out;
	before = n;
	if ((rc = apply_node_body(r, b, &n)) || req_answered(r)) {
		rc = rc ? rc : ERR_INVALID;
		goto out;
	}
	if (n.parent_id == n.id) {
		why = (struct why){"parent_id", "a node cannot be its own parent",
		    "节点不能以自身为上级", 0};
		rc = ERR_INVALID;
		goto out;
	}
	if ((rc = plans_node_check(t.c, &pl, &n, &why)))
		goto out;
	if (n.seq < 1)
		n.seq = before.seq;
	if (!(rc = plans_node_update(t.c, &n))) {
		node_change(&t, &pl, &before, &n);
		if (!(rc = tx_commit(&t)))
			rc = plans_node_get(t.c, pl.id, n.id, &n);
	}
out:
	tx_end(&t);
	return rc ? req_why(r, rc, &why) : reply_node(r, 200, &n);
}

static int
h_node_delete(struct req *r)
{
	struct plan_access a;
	struct why why = {0};
	struct plan_node n;
	struct db_conn *c;
	struct plan pl;
	struct tx t;
	int rc = plan_load(r, DB_WRITE, PA_MANAGE, &c, &pl, &a);

	if (rc || (rc = load_node(r, c, &pl, &a, &n)) ||
	    (rc = tx_begin(&t, r, "plan.node_delete")))
		return rc;
	if (!(rc = plans_node_delete(t.c, n.id, &why))) {
		node_change(&t, &pl, &n, NULL);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	return rc ? req_why(r, rc, &why) : req_status_only(r, 204);
}

static int
h_tree(struct req *r)
{
	struct plan_access a;
	struct plan_model m;
	struct plan_view v;
	struct db_conn *c;
	struct plan pl;
	char as_of[11];
	int rc = plan_load(r, DB_READ, PA_OWNER, &c, &pl, &a);

	if (rc)
		return rc;
	plan_as_of(r, as_of);
	plan_view_init(&v, req_who(r), &a);
	plan_model_init(&m);
	rc = plan_model_load(c, &pl, as_of, plans_due_soon(&pl, plan_due_setting(r)),
	    &v, &m);
	if (!rc)
		plan_tree_json(req_json(r, 200), &m);
	plan_model_free(&m);
	return rc;
}

/* ---- reports ---- */

/* A report; tree (may be NULL) names its sub-item. */
static void
report_json(struct jw *w, const struct plan_report *rp,
    const struct plan_evidence *ev, size_t nev, const struct plan_model *tree)
{
	const struct plan_mnode *n = tree ? plan_model_find(tree, rp->node_id) : NULL;

	jw_obj_open(w);
	jw_kint(w, "id", rp->id);
	jw_kint(w, "plan_id", rp->plan_id);
	jw_kint(w, "node_id", rp->node_id);
	if (n) {
		jw_kstr(w, "node_no", n->no);
		jw_kstr(w, "node_title", plan_model_str(tree, n->title));
		jw_kstr(w, "node_unit", plan_model_str(tree, n->unit));
	}
	jw_kint(w, "org_id", rp->org_id);
	jw_kstr(w, "org_name", rp->org_name);
	if (rp->has_value) {
		jw_key(w, "value");
		plan_jw_e4(w, rp->value_e4);
	} else {
		jw_knull(w, "value");
	}
	if (rp->has_done)
		jw_kbool(w, "done", rp->done);
	else
		jw_knull(w, "done");
	jw_kstr(w, "note", rp->note);
	jw_kstr(w, "as_of", rp->as_of);
	jw_kstr(w, "state", rp->state);
	if (rp->reason[0])
		jw_kstr(w, "reason", rp->reason);
	else
		jw_knull(w, "reason");
	jw_kstr(w, "reporter", rp->reporter);
	jw_kstr(w, "reporter_name", rp->reporter_name[0] ? rp->reporter_name : rp->reporter);
	if (rp->reviewer[0]) {
		jw_kstr(w, "reviewer", rp->reviewer);
		jw_kstr(w, "reviewer_name", rp->reviewer_name[0] ? rp->reviewer_name : rp->reviewer);
	} else {
		jw_knull(w, "reviewer");
		jw_knull(w, "reviewer_name");
	}
	jw_kbool(w, "superseded", rp->superseded);
	jw_ktime(w, "reviewed_at", rp->reviewed_at);
	jw_ktime(w, "created", rp->created);
	jw_key(w, "evidence");
	jw_arr_open(w);
	for (size_t i = 0; i < nev; i++)
		if (ev[i].report_id == rp->id)
			plans_evidence_json(w, &ev[i]);
	jw_arr_close(w);
	jw_obj_close(w);
}

static int
h_report_create(struct req *r)
{
	json_t *b = req_body(r), *v;
	struct plan_report_input in = {0};
	struct plan_access a;
	struct plan_report rp;
	struct plan_node n;
	struct db_conn *c;
	struct plan pl;
	struct why why = {0};
	struct tx t;
	int rc = plan_load(r, DB_WRITE, PA_OWNER, &c, &pl, &a);

	if (rc || (rc = load_node(r, c, &pl, &a, &n)))
		return rc;
	if ((v = json_object_get(b, "value"))) {
		in.has_value = 1;
		in.value = json_number_value(v);
	}
	if ((v = json_object_get(b, "done"))) {
		in.has_done = 1;
		in.done = json_is_true(v);
	}
	in.as_of = jstr(b, "as_of");
	in.note = jstr(b, "note");
	if ((rc = tx_begin(&t, r, "plan.report")))
		return rc;
	if (!(rc = plans_report_submit(t.c, req_who(r), &pl, &n, &in, &rp, &why))) {
		tx_about(&t, "plan_report", rp.id, pl.org_id, pl.org_path);
		report_json(tx_summary_raw(&t), &rp, NULL, 0, NULL);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	report_json(req_json(r, 201), &rp, NULL, 0, NULL);
	return 0;
}

static int
cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* The sub-items an owner-only reader sees, sorted (free() them). */
static int
visible_nodes(struct db_conn *c, const struct plan *pl, const struct plan_view *v,
    int64_t **out, size_t *n)
{
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	for (int i = 0; i < v->nranges && !rc; i++) {
		if ((rc = db_prep(c, PLAN_NODE_IDS_OWNED_IN)))
			break;
		db_bind_int(c, 1, pl->id);
		db_bind_text(c, 2, v->lo[i]);
		db_bind_text(c, 3, v->hi[i]);
		while ((rc = db_step(c)) == DB_ROW) {
			if (*n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				int64_t *bigger = realloc(*out, nc * sizeof(**out));
				if (!bigger) {
					rc = ERR_NOMEM;
					break;
				}
				*out = bigger;
				cap = nc;
			}
			(*out)[(*n)++] = db_col_int(c, 0);
		}
		db_done(c);
		if (rc > 0)
			rc = 0;
	}
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return rc;
	}
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_i64);
	return 0;
}

static void
bind_id_or_null(struct db_conn *c, int idx, int64_t id)
{
	if (id)
		db_bind_int(c, idx, id);
	else
		db_bind_null(c, idx);
}

/* Reports of the plan, newest first: all of them, or one node's history
 * (node_only), filtered by ?node=, ?org=, ?state= and ?current=1 (none a
 * later report of the same unit superseded), paged by id; each names its
 * sub-item. The total is given to those who see every sub-item. */
static int
list_reports(struct req *r, int node_only)
{
	int64_t limit = req_query_int(r, "limit", 100), cursor = INT64_MAX;
	int64_t node = node_only ? req_param_id(r, 1) : req_query_int(r, "node", 0);
	int64_t org = req_query_int(r, "org", 0), total = -1;
	int current = req_query_int(r, "current", 0) != 0;
	const char *state = req_query(r, "state"), *after = req_query(r, "after");
	struct plan_evidence *ev = NULL;
	struct plan_model tree;
	int64_t *vis = NULL;
	size_t nev = 0, nvis = 0;
	struct plan_access a;
	struct plan_view v;
	struct db_conn *c;
	struct plan pl;
	struct page pg;
	struct jw *w;
	int rc = plan_load(r, DB_READ, PA_OWNER, &c, &pl, &a);

	plan_model_init(&tree);
	if (rc)
		return rc;
	if (after && cursor_decode(after, &cursor))
		return ERR_BADREQ;
	if (node_only) {
		struct plan_node n;
		if ((rc = load_node(r, c, &pl, &a, &n)))
			return rc;
	}
	plan_view_init(&v, req_who(r), &a);
	if (!v.all && (rc = visible_nodes(c, &pl, &v, &vis, &nvis)))
		goto out;
	if ((rc = plans_evidence_of_plan(c, pl.id, &ev, &nev)) ||
	    (rc = plan_model_load_tree(c, &pl, &tree)))
		goto out;
	if (v.all) {
		if ((rc = db_prep(c, PLAN_REPORTS_COUNT)))
			goto out;
		db_bind_int(c, 1, pl.id);
		bind_id_or_null(c, 2, node);
		db_bind_text(c, 3, state);
		bind_id_or_null(c, 4, org);
		bind_id_or_null(c, 5, current);
		if ((rc = db_step(c)) == DB_ROW)
			total = db_col_int(c, 0);
		db_done(c);
		if (rc < 0)
			goto out;
	}
	if ((rc = db_prep(c, PLAN_REPORTS_LIST)))
		goto out;
	db_bind_int(c, 1, pl.id);
	db_bind_int(c, 2, cursor);
	bind_id_or_null(c, 3, node);
	db_bind_text(c, 4, state);
	bind_id_or_null(c, 5, org);
	bind_id_or_null(c, 6, current);
	w = page_open(&pg, r, limit);
	while ((rc = db_step(c)) == DB_ROW) {
		struct plan_report rp;

		plans_report_read_row(c, &rp);
		if (!v.all && !bsearch(&rp.node_id, vis, nvis, sizeof(*vis), cmp_i64))
			continue;
		if (!page_row(&pg, rp.id))
			break;
		report_json(w, &rp, ev, nev, &tree);
	}
	db_done(c);
	if (rc < 0)
		goto out;
	rc = page_close(&pg, total);
out:
	plan_model_free(&tree);
	free(ev);
	free(vis);
	return rc;
}

static int
h_reports_plan(struct req *r)
{
	return list_reports(r, 0);
}

static int
h_reports_node(struct req *r)
{
	return list_reports(r, 1);
}

static int
review(struct req *r, const char *state)
{
	json_t *b = req_body(r);
	const char *reason = b ? jstr(b, "reason") : NULL;
	const struct principal *p = req_who(r);
	struct plan_access a;
	struct plan_report rp;
	struct plan_node n;
	struct db_conn *c;
	struct plan pl;
	struct why why = {0};
	struct tx t;
	int rc = plan_load(r, DB_WRITE, PA_MANAGE, &c, &pl, &a);

	if (rc || (rc = plans_report_get(c, pl.id, req_param_id(r, 1), &rp)) ||
	    (rc = plans_node_get(c, pl.id, rp.node_id, &n)) ||
	    (rc = tx_begin(&t, r, !strcmp(state, "accepted") ?
	    "plan.report_accept" : "plan.report_return")))
		return rc;
	if (!(rc = plans_report_review(t.c, &rp, state, reason, p->user_id,
	    p->username, n.title, &why)) &&
	    !(rc = plans_report_get(t.c, pl.id, rp.id, &rp))) {
		tx_about(&t, "plan_report", rp.id, pl.org_id, pl.org_path);
		report_json(tx_summary_raw(&t), &rp, NULL, 0, NULL);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	report_json(req_json(r, 200), &rp, NULL, 0, NULL);
	return 0;
}

static int
h_report_accept(struct req *r)
{
	return review(r, "accepted");
}

static int
h_report_return(struct req *r)
{
	return review(r, "returned");
}

/* Accepts a page of the review queue at once: every report or none. */
static int
h_reports_accept(struct req *r)
{
	json_t *list = json_object_get(req_body(r), "ids");
	const struct principal *p = req_who(r);
	int64_t ids[PLAN_BATCH_MAX];
	size_t n = json_array_size(list);
	struct plan_access a;
	struct db_conn *c;
	struct plan pl;
	struct why why = {0};
	struct tx t;
	struct jw *w;
	int rc;

	for (size_t i = 0; i < n && i < PLAN_BATCH_MAX; i++)
		ids[i] = json_integer_value(json_array_get(list, i));
	if (n > PLAN_BATCH_MAX)
		n = PLAN_BATCH_MAX;
	if ((rc = plan_load(r, DB_WRITE, PA_MANAGE, &c, &pl, &a)) ||
	    (rc = tx_begin(&t, r, "plan.reports_accept")))
		return rc;
	if (!(rc = plans_reports_accept(t.c, pl.id, ids, n, p->user_id,
	    p->username, &why))) {
		tx_about(&t, "plan", pl.id, pl.org_id, pl.org_path);
		w = tx_summary(&t);
		jw_kint(w, "accepted", (int64_t)n);
		jw_key(w, "ids");
		jw_arr_open(w);
		for (size_t i = 0; i < n; i++)
			jw_int(w, ids[i]);
		jw_arr_close(w);
		rc = tx_commit(&t);
	}
	tx_end(&t);
	if (rc)
		return req_why(r, rc, &why);
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_kint(w, "accepted", (int64_t)n);
	jw_obj_close(w);
	return 0;
}

/* ---- reminders and the inbox ---- */

static void
task_json(struct jw *w, const struct plan_task *t, const char *today)
{
	jw_obj_open(w);
	jw_kint(w, "node_id", t->node_id);
	jw_kint(w, "plan_id", t->plan_id);
	jw_kstr(w, "plan_title", t->plan_title);
	jw_kstr(w, "title", t->title);
	jw_kstr(w, "deadline", t->deadline);
	jw_kint(w, "days_left", date_days(t->deadline) - date_days(today));
	jw_key(w, "owner");
	jw_obj_open(w);
	jw_kint(w, "org_id", t->owner_org_id);
	jw_kstr(w, "name", t->owner_name);
	jw_obj_close(w);
	jw_key(w, "completion");
	plan_jw_e4(w, plan_completion_e4(t->completion));
	jw_kstr(w, "status", plan_status_name(t->status));
	jw_obj_close(w);
}

static int
h_reminders(struct req *r)
{
	const struct principal *p = req_who(r);
	int64_t owner = req_query_int(r, "owner", 0);
	struct plan_task *all = NULL;
	size_t nall = 0;
	char today[11], until[11], lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct db_conn *c;
	struct jw *w;
	int rc;

	clock_today(today);
	if ((rc = date_add(today, 366, until)))
		return rc;
	if ((rc = req_db(r, DB_READ, &c)))
		return rc;
	/* the caller's owned tasks: every grant that can own, or one org */
	for (int i = 0; i < p->ngrants || (owner && i == 0); i++) {
		struct plan_task *t;
		size_t n;

		if (owner) {
			struct org o;
			rc = orgs_get_scoped(c, p, PLAN_USERS, owner, &o);
			if (rc == ERR_NOTFOUND)
				return req_error(r, 404, "not_found", "owner",
				    "no such organisation in your scope", "您的管辖范围内没有该组织");
			if (rc)
				break;
			path_range(o.path, lo, hi, sizeof(lo));
		} else {
			if (!(p->grants[i].role & PLAN_USERS))
				continue;
			path_range(p->grants[i].path, lo, hi, sizeof(lo));
		}
		rc = plans_owned_tasks(c, lo, hi, today, until, plan_due_setting(r), &t, &n);
		if (rc)
			break;
		if (n) {
			struct plan_task *bigger = realloc(all, (nall + n) * sizeof(*all));
			if (!bigger) {
				free(t);
				rc = ERR_NOMEM;
				break;
			}
			all = bigger;
			memcpy(all + nall, t, n * sizeof(*t));
			nall += n;
		}
		free(t);
		if (owner)
			break;
	}
	if (rc) {
		free(all);
		return rc;
	}
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_kstr(w, "as_of", today);
	for (int pass = 0; pass < 2; pass++) {
		jw_key(w, pass ? "due_soon" : "overdue");
		jw_arr_open(w);
		for (size_t i = 0; i < nall; i++) {
			const struct plan_task *t = &all[i];
			int dup = 0, due;

			/* a task owned under two grants is listed once */
			for (size_t k = 0; k < i && !dup; k++)
				dup = all[k].node_id == t->node_id;
			if (dup || t->completion >= 1.0)
				continue;
			due = strcmp(t->deadline, today) >= 0 &&
			    date_days(t->deadline) - date_days(today) <= t->due_soon_days;
			if (pass ? due : t->status == PS_RED)
				task_json(w, t, today);
		}
		jw_arr_close(w);
	}
	jw_obj_close(w);
	free(all);
	return 0;
}

/* ---- declarations ---- */

static const char *const node_kinds[] = {"aspect", "item", "subitem", NULL};
static const char *const metric_names[] = {"manual", "workers", "union_members",
    "union_rate", "high_skilled", "high_skill_ratio", NULL};
static const char *const report_states[] = {"submitted", "accepted", "returned", NULL};

static const struct field plan_create_body[] = {
	{"org_id", FT_ID, F_REQUIRED, 0, 0, NULL, "the city, district, street, park or enterprise", NULL},
	{"year", FT_INT, F_REQUIRED, 2000, 2100, NULL, "the plan's year", NULL},
	{"title", FT_STRING, F_REQUIRED, 1, PLAN_TITLE_MAX, NULL, NULL, NULL},
	{"due_soon_days", FT_INT, F_NULLABLE, 1, 365, NULL,
	    "days before a deadline when a task is due soon (default: the setting)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field plan_patch_body[] = {
	{"year", FT_INT, 0, 2000, 2100, NULL, NULL, NULL},
	{"title", FT_STRING, 0, 1, PLAN_TITLE_MAX, NULL, NULL, NULL},
	{"due_soon_days", FT_INT, F_NULLABLE, 1, 365, NULL, "null: the setting", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

#define NODE_FIELDS \
	{"parent_id", FT_ID, F_NULLABLE, 0, 0, NULL, "aspect: none; item: an aspect; sub-item: an item", NULL}, \
	{"owner_org_ids", FT_ID_ARRAY, 0, 0, PLAN_MAX_OWNERS, NULL, \
	    "sub-item: the lead first, then co-owners (departments or lower orgs)", NULL}, \
	{"deadline", FT_DATE, F_NULLABLE, 0, 0, NULL, "sub-item: within the plan's year", NULL}, \
	{"target", FT_OBJECT, F_NULLABLE, 0, 0, NULL, \
	    "sub-item: {\"value\": n, \"unit\": \"个\"} or {\"milestone\": true}", NULL}, \
	{"metric", FT_ENUM, 0, 0, 0, metric_names, \
	    "sub-item: manual (default) or computed from the registry", NULL}, \
	{"weight", FT_NUMBER, 0, 0, 0, NULL, "weight among siblings (default 1)", NULL}, \
	{"order", FT_INT, 0, 1, 1000000, NULL, "position among siblings (default last)", NULL}

static const struct field node_create_body[] = {
	{"kind", FT_ENUM, F_REQUIRED, 0, 0, node_kinds, NULL, NULL},
	{"title", FT_STRING, F_REQUIRED, 1, PLAN_TITLE_MAX, NULL, NULL, NULL},
	NODE_FIELDS,
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field node_patch_body[] = {
	{"title", FT_STRING, 0, 1, PLAN_TITLE_MAX, NULL, NULL, NULL},
	NODE_FIELDS,
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field report_body[] = {
	{"value", FT_NUMBER, 0, 0, 0, NULL, "numeric target: the cumulative value reached", NULL},
	{"done", FT_BOOL, 0, 0, 0, NULL, "milestone: done or not", NULL},
	{"note", FT_STRING, 0, 0, PLAN_NOTE_MAX, NULL, NULL, NULL},
	{"as_of", FT_DATE, 0, 0, 0, NULL, "the date the value holds for (default today)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field return_body[] = {
	{"reason", FT_STRING, F_REQUIRED, 2, PLAN_REASON_MAX, NULL, "why it is returned", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct qfield plan_list_query[] = {
	{"org", QT_ID, 0, 0, NULL, "plans of this org's subtree"},
	{"year", QT_INT, 2000, 2100, NULL, NULL},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield as_of_query[] = {
	{"as_of", QT_DATE, 0, 0, NULL, "progress as of this date (default today)"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield reports_query[] = {
	{"node", QT_ID, 0, 0, NULL, "one sub-item"},
	{"org", QT_ID, 0, 0, NULL, "one reporting unit"},
	{"state", QT_ENUM, 0, 0, report_states, NULL},
	{"current", QT_INT, 0, 1, NULL, "1: only reports no later one of the same unit superseded"},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield node_reports_query[] = {
	{"org", QT_ID, 0, 0, NULL, "one reporting unit"},
	{"state", QT_ENUM, 0, 0, report_states, NULL},
	{"current", QT_INT, 0, 1, NULL, "1: only reports no later one of the same unit superseded"},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct field accept_many_body[] = {
	{"ids", FT_ID_ARRAY, F_REQUIRED, 1, PLAN_BATCH_MAX, NULL, "the reports to accept", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct qfield reminders_query[] = {
	{"owner", QT_ID, 0, 0, NULL, "one owner org (default: every org you hold)"},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route plans_routes[] = {
	{HTTP_GET, "/api/v1/plans", h_plan_list, PLAN_USERS, 0, NULL, plan_list_query,
	    "plans", "Plans the caller manages, reads or owns tasks in"},
	{HTTP_POST, "/api/v1/plans", h_plan_create, PLAN_MANAGERS, 0, plan_create_body,
	    NULL, "plans", "Create a plan (实施方案) for an org and a year"},
	{HTTP_GET, "/api/v1/plans/{id}", h_plan_get, PLAN_USERS, 0, NULL, NULL,
	    "plans", "One plan"},
	{HTTP_PATCH, "/api/v1/plans/{id}", h_plan_patch, PLAN_MANAGERS, 0,
	    plan_patch_body, NULL, "plans", "Edit a plan"},
	{HTTP_DELETE, "/api/v1/plans/{id}", h_plan_delete, PLAN_MANAGERS, 0, NULL,
	    NULL, "plans", "Delete a plan without reports or sealed statements"},
	{HTTP_POST, "/api/v1/plans/{id}/nodes", h_node_create, PLAN_MANAGERS, 0,
	    node_create_body, NULL, "plans", "Add an aspect, item or sub-item"},
	{HTTP_GET, "/api/v1/plans/{id}/tree", h_tree, PLAN_USERS, 0, NULL,
	    as_of_query, "plans", "The tree with completion and status lights"},
	{HTTP_GET, "/api/v1/plans/{id}/nodes/{node_id}", h_node_get, PLAN_USERS, 0,
	    NULL, NULL, "plans", "One node"},
	{HTTP_PATCH, "/api/v1/plans/{id}/nodes/{node_id}", h_node_patch,
	    PLAN_MANAGERS, 0, node_patch_body, NULL, "plans", "Edit a node"},
	{HTTP_DELETE, "/api/v1/plans/{id}/nodes/{node_id}", h_node_delete,
	    PLAN_MANAGERS, 0, NULL, NULL, "plans", "Delete a node and what is under it"},
	{HTTP_POST, "/api/v1/plans/{id}/nodes/{node_id}/reports", h_report_create,
	    PLAN_REPORTERS, 0, report_body, NULL, "plans",
	    "Report progress on an owned sub-item (value or done, note, as_of)"},
	{HTTP_GET, "/api/v1/plans/{id}/nodes/{node_id}/reports", h_reports_node,
	    PLAN_USERS, 0, NULL, node_reports_query, "plans", "A sub-item's report history"},
	{HTTP_GET, "/api/v1/plans/{id}/reports", h_reports_plan, PLAN_USERS, 0, NULL,
	    reports_query, "plans", "Reports of the plan the caller sees, newest first"},
	{HTTP_POST, "/api/v1/plans/{id}/reports/{report_id}/accept", h_report_accept,
	    PLAN_MANAGERS, 0, NULL, NULL, "plans", "Accept a submitted report"},
	{HTTP_POST, "/api/v1/plans/{id}/reports/{report_id}/return", h_report_return,
	    PLAN_MANAGERS, 0, return_body, NULL, "plans",
	    "Return a submitted report with a reason (it stops counting)"},
	{HTTP_POST, "/api/v1/plans/{id}/reports/accept", h_reports_accept,
	    PLAN_MANAGERS, 0, accept_many_body, NULL, "plans",
	    "Accept several submitted reports: every one or none"},
	{HTTP_GET, "/api/v1/reminders", h_reminders, PLAN_USERS, 0, NULL,
	    reminders_query, "plans", "Owned tasks overdue and due soon"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
