/* HTTP handlers of the worker registry: list and search, read, create,
 * edit, transfer, timeline, statistics. ID numbers and phones are masked
 * unless the caller holds the pii permission for the worker's org AND asks
 * (unmask=1); every unmasked read is audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include "http/http.h"
#include "orgs/orgs.h"
#include "workers/workers.h"

#define READERS (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER)
#define WRITERS (ROLE_ADMIN | ROLE_OPERATOR)
/* a page of the roster at most */
#define WORKER_LEAVE_MAX 200

static const struct pii_key *
key_of(struct req *r)
{
	return req_pii_key(r);
}

/* The org a request is about: ?org= (visible to the caller with one of
 * roles; the scope is checked in SQL) or the caller's first such grant.
 * A request that places people (why non-NULL) may not name a disabled
 * org: ERR_INVALID, why filled. */
static int
scope_org(struct req *r, unsigned roles, int64_t org, char *path, size_t n,
    int64_t *org_id, struct why *why)
{
	const struct grant *g = scope_default(req_who(r), roles);
	struct db_conn *c;
	struct org o;
	int rc;

	if (!g)
		return ERR_PERM;
	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = orgs_get_scoped(c, req_who(r), roles, org ? org : g->org_id, &o)))
		return rc;
	if (why && (rc = orgs_placeable(o.disabled, "org_id", why)))
		return rc;
	*org_id = o.id;
	return str_copy(path, n, o.path);
}

static void
worker_json(struct jw *w, const struct worker_view *row, const char *id_no,
    const char *phone, int in_list)
{
	jw_obj_open(w);
	jw_kint(w, "id", row->id);
	jw_kint(w, "org_id", row->org_id);
	jw_kstr(w, "org_name", row->org_name);
	/* a list row's fields are its card's, so both write them alike */
	workers_card_members(w, row, id_no, phone);
	if (!in_list) {
		jw_kstr(w, "skill_level_name", skill_level_name(row->skill_level));
		jw_kbool(w, "masked", !id_no);
		jw_ktime(w, "created", row->created);
		jw_ktime(w, "updated", row->updated);
	}
	jw_obj_close(w);
}

/* The org of the last row a page wrote, its name already escaped: a page
 * is mostly one org's rows, and the name was the longest string each row
 * escaped. */
struct org_memo {
	int64_t org_id;
	struct buf name_json;       /* the name as a JSON string */
};

/* A list row from its card: the id and the org, then the card's fields
 * (worker_json's, masked, for a list). */
static void
card_json(struct jw *w, const struct worker_view *row, struct org_memo *m)
{
	jw_obj_open(w);
	jw_kint(w, "id", row->id);
	jw_kint(w, "org_id", row->org_id);
	if (row->org_id != m->org_id) {
		struct jw nw;

		buf_reset(&m->name_json);
		jw_init(&nw, &m->name_json);
		jw_str(&nw, row->org_name);
		m->org_id = jw_finish(&nw) ? 0 : row->org_id;
	}
	if (m->org_id) {
		jw_key_quoted(w, JW_QUOTED_("org_name"));
		jw_raw(w, m->name_json.data, m->name_json.len);
	} else {
		jw_kstr(w, "org_name", row->org_name);   /* reports what failed */
	}
	/* every write sets the card (migration 0010 set the rest); a row
	 * without one fails the page rather than showing it half */
	if (!row->card[0])
		log_error("workers: worker %lld has no list card (changai check "
		    "names such rows)", (long long)row->id);
	jw_obj_merge_close(w, row->card, strlen(row->card));
}

/* Writes one worker, unmasked when allowed and asked; counts unmasked
 * reads in *unmasked for the audit record. */
static void
emit(struct req *r, struct jw *w, const struct worker_view *row, int unmask,
    int *unmasked, int in_list)
{
	char id_no[19], phone[12];
	const struct pii_key *k = key_of(r);

	if (unmask && scope_pii(req_who(r), row->org_path) &&
	    !pii_decrypt(k, row->id_enc, id_no, sizeof(id_no))) {
		if (!row->phone_enc[0] ||
		    pii_decrypt(k, row->phone_enc, phone, sizeof(phone)))
			phone[0] = '\0';
		worker_json(w, row, id_no, phone[0] ? phone : NULL, in_list);
		(*unmasked)++;
		return;
	}
	worker_json(w, row, NULL, NULL, in_list);
}

static void
emit_row(struct req *r, struct jw *w, const struct worker_row *row, int unmask,
    int *unmasked)
{
	struct worker_view v;

	workers_view_row(row, &v);
	emit(r, w, &v, unmask, unmasked, 0);
}

static int
audit_unmask(struct req *r, int64_t org_id, const char *path, int count,
    int64_t worker_id)
{
	struct audit_entry ae;
	char target[32];
	struct buf summary;
	struct jw w;
	int rc;

	buf_init(&summary, 2048);
	jw_init(&w, &summary);
	jw_obj_open(&w);
	jw_kint(&w, "unmasked_records", count);
	jw_kstr(&w, "purpose", req_query(r, "purpose"));
	jw_obj_close(&w);
	if ((rc = jw_finish(&w))) {
		buf_free(&summary);
		return rc;
	}
	if (worker_id)
		snprintf(target, sizeof(target), "worker:%lld", (long long)worker_id);
	else
		snprintf(target, sizeof(target), "org:%lld", (long long)org_id);
	req_audit_entry(r, &ae, "worker.read_pii", target);
	ae.org_id = org_id;
	ae.org_path = path;
	ae.summary = summary.data;
	req_db_release(r);
	rc = audit_append_tx(req_store(r), &ae);
	buf_free(&summary);
	return rc;
}

/* ---- list ---- */

/* Cursors carry the sort value and the id: base64url("w1|text|int|id"). */
static void
wcursor_encode(const char *text, int64_t num, int64_t id, char *out, size_t n)
{
	char raw[300];
	int len = snprintf(raw, sizeof(raw), "w1|%s|%lld|%lld", text,
	    (long long)num, (long long)id);

	if (len < 0 || (size_t)len >= sizeof(raw) || n < ((size_t)len + 2) / 3 * 4 + 1) {
		out[0] = '\0';
		return;
	}
	b64url_encode((const unsigned char *)raw, (size_t)len, out);
}

static int
wcursor_decode(const char *s, char *text, size_t tn, int64_t *num, int64_t *id)
{
	unsigned char raw[300];
	char *p, *q, *txt;
	long len = b64url_decode(s, strlen(s), raw, sizeof(raw) - 1);

	if (len < 5)
		return ERR_INVALID;
	raw[len] = '\0';
	txt = (char *)raw;
	if (strncmp(txt, "w1|", 3))
		return ERR_INVALID;
	p = strrchr(txt, '|');
	*p = '\0';
	q = strrchr(txt, '|');
	if (!q || q < txt + 2)
		return ERR_INVALID;
	*q = '\0';
	if (parse_int64(q + 1, INT64_MIN + 1, INT64_MAX, num) ||
	    parse_int64(p + 1, 0, INT64_MAX, id) || str_copy(text, tn, txt + 3) ||
	    !utf8_valid(text, strlen(text)))
		return ERR_INVALID;
	return 0;
}

/* The WORKER_CARDS_* twin of a WORKER_LIST_* statement, or the statement
 * itself when it has none. */
static enum db_stmt_id
cards_of(enum db_stmt_id list)
{
	switch (list) {
	case WORKER_LIST_NAME: return WORKER_CARDS_NAME;
	case WORKER_LIST_LEVEL: return WORKER_CARDS_LEVEL;
	case WORKER_LIST_HIRED: return WORKER_CARDS_HIRED;
	case WORKER_LIST_Q_NAME: return WORKER_CARDS_Q_NAME;
	case WORKER_LIST_Q_SHORT: return WORKER_CARDS_Q_SHORT;
	case WORKER_LIST_Q_ID: return WORKER_CARDS_Q_ID;
	case WORKER_LIST_Q_P6: return WORKER_CARDS_Q_P6;
	case WORKER_LIST_Q_P10: return WORKER_CARDS_Q_P10;
	case WORKER_LIST_Q_P14: return WORKER_CARDS_Q_P14;
	case WORKER_LIST_DEFAULT: return WORKER_CARDS_DEFAULT;
	default: return list;   /* no twin: every column, as before */
	}
}

static int
h_list(struct req *r)
{
	char path[ORG_PATH_MAX], lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], next[420];
	char ctext[256] = "";
	struct workers_search search;
	struct why why = {0};
	const char *q = req_query(r, "q"), *sort = req_query(r, "sort");
	const char *status = req_query(r, "status"), *after = req_query(r, "after");
	const char *uq = req_query(r, "union");
	int64_t org_id, limit = req_query_int(r, "limit", 50), cnum = 0, cid = 0;
	int64_t lmin = req_query_int(r, "level_min", 0), lmax = req_query_int(r, "level_max", 8);
	int um = uq ? (int)req_query_int(r, "union", 0) : -1;
	int unmask = (int)req_query_int(r, "unmask", 0), unmasked = 0;
	int count = (int)req_query_int(r, "count", 1), rc;
	/* a page number jump (?page=) reads past the rows before it, so it
	 * reaches only as far as a search counts; after it, the cursor */
	int64_t skip = (req_query_int(r, "page", 1) - 1) * limit;
	enum db_stmt_id stmt = WORKER_LIST_DEFAULT, run;
	struct worker_view row;
	struct org_memo memo;
	struct db_conn *c;
	struct jw *w;
	int64_t rows = 0, total = -1, last_id = 0;
	int last_level = 0, by_name, by_level, by_hired;
	char last_text[ORG_PATH_MAX > WORKER_NAME_MAX * 4 + 1 ? ORG_PATH_MAX :
	    WORKER_NAME_MAX * 4 + 1] = "";

	rc = scope_org(r, READERS, req_query_int(r, "org", 0), path, sizeof(path), &org_id, NULL);
	if (rc)
		return rc;
	/* a page may show up to limit records in full */
	if (unmask && scope_pii(req_who(r), path) &&
	    ((rc = req_unmask_gate(r, limit, 1)) || req_answered(r)))
		return rc;
	if (skip && after)
		return req_error(r, 400, "bad_request", "page",
		    "page and after cannot go together", "页码与分页游标不能同时使用");
	if (skip + limit > 10000)
		return req_error(r, 422, "validation_failed", "page",
		    "a page jump reaches the first 10,000 records: narrow the list with filters or a search",
		    "跳页只能到前 10000 条记录，请用筛选或搜索缩小范围");
	if (after && wcursor_decode(after, ctext, sizeof(ctext), &cnum, &cid))
		return req_error(r, 400, "bad_request", "after", "is not a valid cursor",
		    "分页游标无效");
	if (!sort)
		sort = "org";
	if (q) {
		if ((rc = workers_search_plan(key_of(r), q, &search, &why)))
			return req_why(r, rc, &why);
		stmt = search.stmt;
		sort = "org";
	} else if (!strcmp(sort, "name")) {
		stmt = WORKER_LIST_NAME;
	} else if (!strcmp(sort, "level")) {
		stmt = WORKER_LIST_LEVEL;
		if (!after)
			cnum = 99;
	} else if (!strcmp(sort, "hired")) {
		stmt = WORKER_LIST_HIRED;
	}
	if (count && !q) {
		/* exact, from the rollups; a failure is the request's failure,
		 * not a silently missing total */
		if ((rc = req_db(r, DB_READ, &c)) ||
		    (rc = workers_count(c, org_id, (int)lmin, (int)lmax, um, status,
		    &total)))
			return rc;
	}
	path_range(path, lo, hi, sizeof(lo));
	if (stmt == WORKER_LIST_DEFAULT && after) {
		/* the cursor's path must lie in the scope it came from */
		if (strcmp(ctext, lo) < 0 || strcmp(ctext, hi) >= 0)
			return req_error(r, 400, "bad_request", "after",
			    "the cursor belongs to another list", "分页游标不属于此列表");
		str_copy(lo, sizeof(lo), ctext);
	}
	rc = req_db(r, DB_READ, &c);
	/* a masked page reads the cards; unmasking needs every column */
	run = unmask ? stmt : cards_of(stmt);
	if (rc || (rc = db_prep(c, run)))
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	workers_bind_filter(c, 3, lmin, lmax, um, status);
	if (q)
		db_bind_text(c, 7, search.text);
	else
		db_bind_text(c, 7, ctext);
	db_bind_int(c, 8, cid);
	db_bind_int(c, 9, cnum);
	/* a search counts its matches up to a cap in the same pass */
	db_bind_int(c, 10, q && count ? 10001 : skip + limit + 1);
	db_bind_int(c, 11, unmask ? 1 : 0);
	by_name = !strcmp(sort, "name");
	by_level = !strcmp(sort, "level");
	by_hired = !strcmp(sort, "hired");
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	memo.org_id = 0;
	buf_init(&memo.name_json, 4096);
	while ((rc = db_step(c)) == DB_ROW) {
		rows++;
		if (rows <= skip)
			continue;
		if (rows > skip + limit) {
			if (!q || !count)
				break;
			continue;
		}
		/* read in place; only what the next page's cursor needs is kept */
		if (run == stmt) {
			workers_view_cols(c, &row);
			emit(r, w, &row, unmask, &unmasked, 1);
		} else {
			workers_view_card(c, &row);
			card_json(w, &row, &memo);
		}
		last_id = row.id;
		last_level = row.skill_level;
		if (!by_level)
			str_copy(last_text, sizeof(last_text), by_name ? row.name :
			    by_hired ? row.hired : row.org_path);
	}
	db_done(c);
	buf_free(&memo.name_json);
	if (rc < 0)
		return rc;
	jw_arr_close(w);
	if (rows > skip + limit) {
		wcursor_encode(by_level ? "" : last_text, by_level ? last_level : 0,
		    last_id, next, sizeof(next));
		jw_kstr(w, "next", next);
	} else {
		jw_knull(w, "next");
	}
	if (q && count) {
		jw_kint(w, "total", rows > 10000 ? 10000 : rows);
		jw_kbool(w, "total_exact", rows <= 10000);
	} else if (total >= 0) {
		jw_kint(w, "total", total);
	}
	jw_obj_close(w);
	if (unmasked) {
		req_unmask_spent(r, unmasked);
		return audit_unmask(r, org_id, path, unmasked, 0);
	}
	return 0;
}

/* ---- one worker ---- */

static int
h_get(struct req *r)
{
	struct worker_row row;
	struct db_conn *c;
	int rc, unmasked = 0;

	int unmask = (int)req_query_int(r, "unmask", 0);

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = workers_get_scoped(c, req_who(r), READERS,
	    req_param_id(r, 0), &row)))
		return rc;
	if (unmask && scope_pii(req_who(r), row.org_path) &&
	    ((rc = req_unmask_gate(r, 1, 1)) || req_answered(r)))
		return rc;
	emit_row(r, req_json(r, 200), &row, unmask, &unmasked);
	if (unmasked) {
		req_unmask_spent(r, 1);
		return audit_unmask(r, row.org_id, row.org_path, 1, row.id);
	}
	return 0;
}

/* Turns a JSON body into the text cells worker_normalise reads, so the API
 * and imports share one set of rules. */
static void
body_cells(json_t *b, const char *cells[WC__MAX], char numbuf[3][8])
{
	for (int i = 0; i < WC__MAX; i++) {
		json_t *v = json_object_get(b, worker_cols[i].en);

		cells[i] = NULL;
		if (!v || json_is_null(v))
			continue;
		if (json_is_string(v))
			cells[i] = json_string_value(v);
		else if (i == WC_SKILL_LEVEL && json_is_integer(v)) {
			snprintf(numbuf[0], 8, "%lld", (long long)json_integer_value(v));
			cells[i] = numbuf[0];
		} else if (i == WC_UNION_MEMBER && json_is_boolean(v)) {
			cells[i] = json_is_true(v) ? "1" : "0";
		}
	}
}

static int
reply_row_errors(struct req *r, const struct row_errors *e)
{
	struct jw *w = req_json(r, 422);

	jw_obj_open(w);
	jw_key(w, "error");
	jw_obj_open(w);
	jw_kstr(w, "code", "validation_failed");
	jw_kstr(w, "message", e->n ? e->e[0].reason_en : "invalid");
	jw_kstr(w, "message_zh", e->n ? e->e[0].reason_zh : "无效");
	jw_key(w, "details");
	jw_arr_open(w);
	for (int i = 0; i < e->n; i++) {
		jw_obj_open(w);
		jw_kstr(w, "field", e->e[i].col >= 0 && e->e[i].col < WC__MAX ?
		    worker_cols[e->e[i].col].en : "");
		jw_kstr(w, "message", e->e[i].reason_en);
		jw_kstr(w, "message_zh", e->e[i].reason_zh);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	jw_obj_close(w);
	return 0;
}

static int
h_create(struct req *r)
{
	json_t *b = req_body(r);
	const char *cells[WC__MAX];
	char numbuf[3][8], path[ORG_PATH_MAX], today[11], lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct worker_rec rec;
	struct row_errors errs;
	struct worker_row row;
	struct rollup_delta d;
	struct tx t = {0};
	struct event_source src = {"manual", 0, req_who(r)->user_id, NULL};
	struct why why = {0};
	int64_t org_id, id = 0;
	int rc;

	rc = scope_org(r, WRITERS, json_integer_value(json_object_get(b, "org_id")),
	    path, sizeof(path), &org_id, &why);
	if (rc == ERR_NOTFOUND)
		return req_error(r, 404, "not_found", "org_id",
		    "no such organisation in your scope", "您的管辖范围内没有该组织");
	if (rc == ERR_INVALID)
		return req_why(r, rc, &why);
	if (rc)
		return rc;
	body_cells(b, cells, numbuf);
	clock_today(today);
	if (worker_normalise(cells, today, &rec, &errs))
		return reply_row_errors(r, &errs);
	rollup_init(&d);
	if ((rc = tx_begin(&t, r, "worker.create")))
		goto out;
	rc = workers_find_by_id_no(t.c, key_of(r), rec.id_no, &row);
	if (rc == 0) {
		/* say where only when the caller may see it */
		if (scope_allows(req_who(r), READERS, row.org_path)) {
			char msg[160];
			snprintf(msg, sizeof(msg), "该身份证号已登记（编号 %lld），调动请使用调动功能",
			    (long long)row.id);
			rc = req_error(r, 409, "conflict", "id_no",
			    "this ID number is already registered; use a transfer to move the person",
			    msg);
		} else {
			rc = req_error(r, 409, "conflict", "id_no",
			    "this ID number is registered under another organisation",
			    "该身份证号已在其他单位登记，请联系上级组织办理调动");
		}
		goto out;
	}
	if (rc != ERR_NOTFOUND)
		goto out;
	rc = workers_insert(t.c, key_of(r), &rec, org_id, path, &src, &d, &id);
	if (rc || (rc = rollup_apply(t.c, &d)))
		goto out;
	path_range(path, lo, hi, sizeof(lo));
	if ((rc = workers_get_in(t.c, id, lo, hi, &row)))
		goto out;
	tx_about(&t, "worker", row.id, row.org_id, row.org_path);
	if ((rc = tx_commit(&t)))
		goto out;
	{
		int unmasked = 0;
		emit_row(r, req_json(r, 201), &row, 0, &unmasked);
	}
out:
	tx_end(&t);
	rollup_free(&d);
	return rc;
}

/* Applies body over the worker as it is inside the transaction t (the
 * row is locked and re-read into old: an edit read before it would undo
 * one committed in between) and writes it; cur and rec are the worker
 * before and after. A row the rules refuse is answered here (rc 0 and
 * the request answered). */
static int
apply_change(struct req *r, struct tx *t, struct worker_row *old, json_t *b,
    int64_t org_id, const char *org_path, const char *on_date,
    struct worker_rec *cur, struct worker_rec *rec, struct rollup_delta *d,
    int *changed)
{
	const char *cells[WC__MAX];
	char numbuf[3][8], today[11], lvl[4];
	struct row_errors errs;
	struct event_source src = {"manual", 0, req_who(r)->user_id, on_date};
	int rc;

	if ((rc = workers_lock_scoped(t->c, req_who(r), WRITERS, old->id, old)) ||
	    (rc = workers_to_rec(key_of(r), old, cur)))
		return rc;
	if (!org_path) {        /* the worker stays where it is */
		org_id = old->org_id;
		org_path = old->org_path;
	}
	body_cells(b, cells, numbuf);
	/* fields the body leaves out keep their values; id_no cannot change */
	cells[WC_ID_NO] = cur->id_no;
#define KEEP(col, field) if (!json_object_get(b, worker_cols[col].en)) cells[col] = cur->field
	KEEP(WC_NAME, name);
	KEEP(WC_PHONE, phone);
	KEEP(WC_OCCUPATION, occupation);
	KEEP(WC_OCCUPATION_CODE, occupation_code);
	KEEP(WC_UNION_JOINED, union_joined);
	KEEP(WC_POLITICAL_STATUS, political_status);
	KEEP(WC_EDUCATION, education);
	KEEP(WC_HIRED, hired);
	KEEP(WC_STATUS, status);
#undef KEEP
	if (!json_object_get(b, "skill_level")) {
		snprintf(lvl, sizeof(lvl), "%d", cur->skill_level);
		cells[WC_SKILL_LEVEL] = lvl;
	}
	if (!json_object_get(b, "union_member"))
		cells[WC_UNION_MEMBER] = cur->union_member ? "1" : "0";
	clock_today(today);
	if (worker_normalise(cells, today, rec, &errs))
		return reply_row_errors(r, &errs);
	return workers_update(t->c, key_of(r), old, rec, org_id, org_path, &src, d,
	    changed);
}

/* Applies body over the stored worker and saves it (PATCH and transfer). */
static int
save(struct req *r, struct worker_row *old, json_t *b, int64_t org_id,
    const char *org_path, const char *on_date, const char *action)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	struct worker_rec cur, rec;
	struct rollup_delta d;
	struct tx t = {0};
	int64_t cur_org = old->org_id;
	int rc, changed = 0;

	rollup_init(&d);
	if ((rc = tx_begin(&t, r, action)))
		goto out;
	rc = apply_change(r, &t, old, b, org_id, org_path, on_date, &cur, &rec, &d,
	    &changed);
	if (rc || req_answered(r) || (rc = rollup_apply(t.c, &d)))
		goto out;
	path_range(org_path, lo, hi, sizeof(lo));
	if ((rc = workers_get_in(t.c, old->id, lo, hi, old)))
		goto out;
	/* unchanged, nothing was written: nothing to commit or audit */
	if (changed) {
		/* the audit row says what changed (personal values masked); a
		 * transfer adds the org inside the same object */
		tx_about(&t, "worker", old->id, old->org_id, old->org_path);
		worker_rec_diff_fields(tx_summary(&t), &cur, &rec);
		if (org_id != cur_org) {
			jw_key(&t.w, "org_id");
			jw_obj_open(&t.w);
			jw_kint(&t.w, "from", cur_org);
			jw_kint(&t.w, "to", org_id);
			jw_obj_close(&t.w);
		}
		if ((rc = tx_commit(&t)))
			goto out;
	}
	{
		int unmasked = 0;
		emit_row(r, req_json(r, 200), old, 0, &unmasked);
	}
out:
	tx_end(&t);
	rollup_free(&d);
	return rc;
}

/* 批量离职: every listed worker leaves on one date, or none does (one
 * transaction, an audit row per worker). Those already gone are counted,
 * not changed. */
static int
h_leave(struct req *r)
{
	json_t *b = req_body(r), *ids = json_object_get(b, "ids"), *change;
	const char *date = json_string_value(json_object_get(b, "date"));
	struct worker_rec cur, rec;
	struct worker_row old;
	struct rollup_delta d;
	struct tx t = {0};
	char today[11];
	int64_t left = 0, already = 0;
	int rc;

	clock_today(today);
	if (date && strcmp(date, today) > 0)
		return req_error(r, 422, "validation_failed", "date",
		    "a leaving cannot be dated in the future", "离职日期不能晚于今天");
	change = json_pack("{s:s}", "status", "left");
	if (!change)
		return ERR_NOMEM;
	rollup_init(&d);
	if ((rc = tx_begin(&t, r, "worker.leave")))
		goto out;
	for (size_t i = 0; i < json_array_size(ids); i++) {
		int changed = 0;

		old.id = json_integer_value(json_array_get(ids, i));
		rc = apply_change(r, &t, &old, change, 0, NULL, date, &cur, &rec, &d,
		    &changed);
		if (rc == ERR_NOTFOUND) {
			char en[96];

			snprintf(en, sizeof(en), "no worker %lld in your scope",
			    (long long)old.id);
			rc = req_error(r, 404, "not_found", "ids", en,
			    "所选职工中有不在您管辖范围内或已删除的记录");
			goto out;
		}
		if (rc || req_answered(r))
			goto out;
		if (!changed) {
			already++;
			continue;
		}
		worker_rec_diff_fields(tx_row(&t, "worker.leave", "worker", old.id,
		    old.org_id, old.org_path), &cur, &rec);
		if ((rc = tx_row_end(&t)))
			goto out;
		left++;
	}
	if ((rc = rollup_apply(t.c, &d)))
		goto out;
	if (left && (rc = tx_commit_each(&t)))
		goto out;
	{
		struct jw *w = req_json(r, 200);

		jw_obj_open(w);
		jw_kint(w, "left", left);
		jw_kint(w, "already", already);
		jw_obj_close(w);
	}
out:
	tx_end(&t);
	rollup_free(&d);
	json_decref(change);
	return rc;
}

static int
h_patch(struct req *r)
{
	struct worker_row old;
	struct db_conn *c;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = workers_get_scoped(c, req_who(r), WRITERS,
	    req_param_id(r, 0), &old)))
		return rc;
	return save(r, &old, req_body(r), old.org_id, old.org_path, NULL,
	    "worker.update");
}

static int
h_transfer(struct req *r)
{
	json_t *b = req_body(r), *empty;
	struct worker_row old;
	struct db_conn *c;
	char path[ORG_PATH_MAX], today[11];
	const char *date = json_string_value(json_object_get(b, "date"));
	int64_t org_id;
	struct why why = {0};
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = workers_get_scoped(c, req_who(r), WRITERS,
	    req_param_id(r, 0), &old)))
		return rc;
	rc = scope_org(r, WRITERS, json_integer_value(json_object_get(b, "org_id")),
	    path, sizeof(path), &org_id, &why);
	if (rc == ERR_NOTFOUND)
		return req_error(r, 404, "not_found", "org_id",
		    "no such organisation in your scope", "您的管辖范围内没有该组织");
	if (rc == ERR_INVALID)
		return req_why(r, rc, &why);
	if (rc)
		return rc;
	clock_today(today);
	if (date && strcmp(date, today) > 0)
		return req_error(r, 422, "validation_failed", "date",
		    "a transfer cannot be dated in the future", "调动日期不能晚于今天");
	if (org_id == old.org_id)
		return req_error(r, 422, "validation_failed", "org_id",
		    "the worker is already in this organisation", "该职工已在此单位");
	empty = json_object();
	if (!empty)
		return ERR_NOMEM;
	rc = save(r, &old, empty, org_id, path, date, "worker.transfer");
	json_decref(empty);
	return rc;
}

static int
h_timeline(struct req *r)
{
	struct worker_row row;
	struct db_conn *c;
	struct jw *w;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = workers_get_scoped(c, req_who(r), READERS,
	    req_param_id(r, 0), &row)))
		return rc;
	rc = db_prep(c, WORKER_EVENTS);
	if (rc)
		return rc;
	db_bind_int(c, 1, row.id);
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_kint(w, "worker_id", row.id);
	jw_key(w, "items");
	jw_arr_open(w);
	while ((rc = db_step(c)) == DB_ROW) {
		jw_obj_open(w);
		jw_kint(w, "id", db_col_int(c, 0));
		jw_kstr(w, "date", db_col_text(c, 1));
		jw_kstr(w, "kind", db_col_text(c, 2));
		jw_kstr(w, "from", db_col_text(c, 3));
		jw_kstr(w, "to", db_col_text(c, 4));
		jw_kstr(w, "source", db_col_text(c, 5));
		if (db_col_null(c, 6))
			jw_knull(w, "job_id");
		else
			jw_kint(w, "job_id", db_col_int(c, 6));
		jw_ktime(w, "recorded", db_col_int(c, 7));
		if (db_col_null(c, 8))
			jw_knull(w, "from_name");
		else
			jw_kstr(w, "from_name", db_col_text(c, 8));
		if (db_col_null(c, 9))
			jw_knull(w, "to_name");
		else
			jw_kstr(w, "to_name", db_col_text(c, 9));
		jw_obj_close(w);
	}
	db_done(c);
	jw_arr_close(w);
	jw_obj_close(w);
	return rc < 0 ? rc : 0;
}

static int
h_stats(struct req *r)
{
	char path[ORG_PATH_MAX];
	struct skill_stats s;
	struct db_conn *c;
	struct jw *w;
	int64_t org_id;
	int rc;

	rc = scope_org(r, READERS | ROLE_DEPARTMENT, req_query_int(r, "org", 0),
	    path, sizeof(path), &org_id, NULL);
	if (rc)
		return rc;
	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = workers_stats(c, org_id, &s)))
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_kint(w, "org_id", org_id);
	jw_kint(w, "workers", s.workers);
	jw_kint(w, "skilled", s.skilled);
	jw_kint(w, "high_skilled", s.high_skilled);
	jw_key(w, "high_skill_ratio");
	jw_double(w, s.skilled ? (double)s.high_skilled / (double)s.skilled : 0, 4);
	jw_key(w, "by_level");
	jw_obj_open(w);
	for (int i = 0; i <= 8; i++) {
		char k[2] = {(char)('0' + i), 0};
		jw_key(w, k);
		jw_int(w, s.by_level[i]);
	}
	jw_obj_close(w);
	jw_kint(w, "union_members", s.union_members);
	jw_key(w, "union_rate");
	jw_double(w, s.workers ? (double)s.union_members / (double)s.workers : 0, 4);
	jw_obj_close(w);
	return 0;
}

static const char *const statuses[] = {"active", "left", NULL};
static const char *const sorts[] = {"org", "name", "level", "hired", NULL};

static const struct qfield list_query[] = {
	{"org", QT_ID, 0, 0, NULL, "the org's whole subtree (default: yours)"},
	{"q", QT_STRING, 1, 32, NULL, "name contains, or an ID number's first 6/10/14 digits or whole"},
	{"level_min", QT_INT, 0, 8, NULL, "skill level from (0-8)"},
	{"level_max", QT_INT, 0, 8, NULL, "skill level to (0-8)"},
	{"union", QT_BOOL, 0, 0, NULL, "union members only (1) or non-members (0)"},
	{"status", QT_ENUM, 0, 0, statuses, NULL},
	{"sort", QT_ENUM, 0, 0, sorts, "org (default), name, level, hired"},
	{"unmask", QT_BOOL, 0, 0, NULL, "show ID numbers and phones (pii permission and a step-up; audited)"},
	{"purpose", QT_STRING, 2, 200, NULL, "why, with unmask (kept in the audit record)"},
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"after", QT_STRING, 1, 420, NULL, "cursor from the previous page"},
	{"page", QT_INT, 1, 10000, NULL, "jump to this page (within the first 10,000 records; not with after)"},
	{"count", QT_BOOL, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield get_query[] = {
	{"unmask", QT_BOOL, 0, 0, NULL, "show ID number and phone (pii permission and a step-up; audited)"},
	{"purpose", QT_STRING, 2, 200, NULL, "why, with unmask (kept in the audit record)"},
	{NULL, 0, 0, 0, NULL, NULL},
};
static const struct qfield stats_query[] = {
	{"org", QT_ID, 0, 0, NULL, "the org's whole subtree (default: yours)"},
	{NULL, 0, 0, 0, NULL, NULL},
};

#define WORKER_FIELDS(name_flags, id_flags) \
	{"name", FT_STRING, name_flags, 1, WORKER_NAME_MAX, NULL, "姓名", NULL}, \
	{"id_no", FT_STRING, id_flags, 18, 18, NULL, "身份证号 (GB 11643)", NULL}, \
	{"gender", FT_STRING, 0, 1, 2, NULL, "M/F; must agree with the ID number", NULL}, \
	{"birth_date", FT_DATE, 0, 0, 0, NULL, "must agree with the ID number", NULL}, \
	{"phone", FT_STRING, F_NULLABLE, 11, 16, NULL, "mainland mobile", NULL}, \
	{"occupation", FT_STRING, F_NULLABLE, 1, 60, NULL, "工种", NULL}, \
	{"occupation_code", FT_STRING, F_NULLABLE, 1, 15, NULL, "职业分类大典 code, e.g. 6-18-01-01", NULL}, \
	{"skill_level", FT_INT, 0, 0, 8, NULL, "新八级 0-8", NULL}, \
	{"union_member", FT_BOOL, 0, 0, 0, NULL, NULL, NULL}, \
	{"union_joined", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, NULL}, \
	{"political_status", FT_STRING, F_NULLABLE, 1, 8, NULL, "code list political_status", NULL}, \
	{"education", FT_STRING, F_NULLABLE, 1, 8, NULL, "code list education", NULL}, \
	{"hired", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, NULL}, \
	{"status", FT_ENUM, 0, 0, 0, statuses, NULL, NULL}

static const struct field create_body[] = {
	{"org_id", FT_ID, F_REQUIRED, 0, 0, NULL, "the enterprise", NULL},
	WORKER_FIELDS(F_REQUIRED, F_REQUIRED),
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field patch_body[] = {
	{"name", FT_STRING, 0, 1, WORKER_NAME_MAX, NULL, "姓名", NULL},
	{"phone", FT_STRING, F_NULLABLE, 11, 16, NULL, "mainland mobile", NULL},
	{"occupation", FT_STRING, F_NULLABLE, 1, 60, NULL, "工种", NULL},
	{"occupation_code", FT_STRING, F_NULLABLE, 1, 15, NULL, NULL, NULL},
	{"skill_level", FT_INT, 0, 0, 8, NULL, "新八级 0-8", NULL},
	{"union_member", FT_BOOL, 0, 0, 0, NULL, NULL, NULL},
	{"union_joined", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, NULL},
	{"political_status", FT_STRING, F_NULLABLE, 1, 8, NULL, NULL, NULL},
	{"education", FT_STRING, F_NULLABLE, 1, 8, NULL, NULL, NULL},
	{"hired", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, NULL},
	{"status", FT_ENUM, 0, 0, 0, statuses, NULL, NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field leave_body[] = {
	{"ids", FT_ID_ARRAY, F_REQUIRED, 1, WORKER_LEAVE_MAX, NULL, "the workers who leave", NULL},
	{"date", FT_DATE, 0, 0, 0, NULL, "the day they leave (default today)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field transfer_body[] = {
	{"org_id", FT_ID, F_REQUIRED, 0, 0, NULL, "the new enterprise", NULL},
	{"date", FT_DATE, 0, 0, 0, NULL, "effective date (default today)", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

const struct route workers_routes[] = {
	{HTTP_GET, "/api/v1/workers", h_list, READERS, 0, NULL, list_query,
	    "workers", "The roster of a subtree: filters, search, cursor paging"},
	{HTTP_POST, "/api/v1/workers", h_create, WRITERS, 0, create_body, NULL,
	    "workers", "Register a worker"},
	{HTTP_GET, "/api/v1/workers/{id}", h_get, READERS, 0, NULL, get_query,
	    "workers", "One worker"},
	{HTTP_PATCH, "/api/v1/workers/{id}", h_patch, WRITERS, 0, patch_body, NULL,
	    "workers", "Edit a worker (history kept)"},
	{HTTP_POST, "/api/v1/workers/leave", h_leave, WRITERS, 0, leave_body, NULL,
	    "workers", "批量离职: the listed workers leave on one date, all or none"},
	{HTTP_POST, "/api/v1/workers/{id}/transfer", h_transfer, WRITERS, 0,
	    transfer_body, NULL, "workers", "Move a worker to another enterprise"},
	{HTTP_GET, "/api/v1/workers/{id}/timeline", h_timeline, READERS, 0, NULL,
	    NULL, "workers", "Dated events: registration, level changes, transfers"},
	{HTTP_GET, "/api/v1/stats/skills", h_stats, READERS | ROLE_DEPARTMENT, 0,
	    NULL, stats_query, "stats", "Skill statistics of a subtree (from rollups)"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
