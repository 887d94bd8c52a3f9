#include "workers/workers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"
#include "db/db.h"

/* ---- rollup deltas ---- */

#define NEW_IDS_MAX ((size_t)1 << 20)

void
rollup_init(struct rollup_delta *d)
{
	memset(d, 0, sizeof(*d));
	/* past this many pending ids the inserts are written out early */
	buf_init(&d->new_ids, NEW_IDS_MAX);
	buf_init(&d->card, 8192);
}

void
rollup_free(struct rollup_delta *d)
{
	free(d->e);
	buf_free(&d->new_ids);
	buf_free(&d->card);
	rollup_init(d);
}

static size_t
rollup_slot(const struct rollup_delta *d, int64_t org, int level, int um,
    int active)
{
	uint64_t h = (uint64_t)org * 0x9e3779b97f4a7c15u ^
	    (uint64_t)(level * 4 + um * 2 + active) * 0xc2b2ae3d27d4eb4fu;
	size_t i = (size_t)(h >> 17) & (d->cap - 1);

	while (d->e[i].used && !(d->e[i].org_id == org && d->e[i].level == level &&
	    d->e[i].union_member == um && d->e[i].active == active))
		i = (i + 1) & (d->cap - 1);
	return i;
}

static int
rollup_grow(struct rollup_delta *d)
{
	struct rollup_delta bigger = {0};
	size_t i;

	bigger.cap = d->cap ? d->cap * 2 : 1024;
	bigger.used = 0;
	bigger.e = calloc(bigger.cap, sizeof(*bigger.e));
	if (!bigger.e)
		return ERR_NOMEM;
	for (i = 0; i < d->cap; i++) {
		if (!d->e[i].used)
			continue;
		bigger.e[rollup_slot(&bigger, d->e[i].org_id, d->e[i].level,
		    d->e[i].union_member, d->e[i].active)] = d->e[i];
		bigger.used++;
	}
	/* only the table moves: the pending inserts stay as they are */
	free(d->e);
	d->e = bigger.e;
	d->cap = bigger.cap;
	d->used = bigger.used;
	return 0;
}

static int
rollup_add(struct rollup_delta *d, int64_t org, int level, int um, int active,
    int64_t n)
{
	size_t i;

	if (d->used * 2 >= d->cap && rollup_grow(d))
		return ERR_NOMEM;
	i = rollup_slot(d, org, level, um, active);
	if (!d->e[i].used) {
		d->e[i].used = 1;
		d->e[i].org_id = org;
		d->e[i].level = (int8_t)level;
		d->e[i].union_member = (int8_t)um;
		d->e[i].active = (int8_t)active;
		d->e[i].n = 0;
		d->used++;
	}
	d->e[i].n += (int32_t)n;
	return 0;
}

/* Adds n at every org of path; with skip_last the path's own org is left
 * out (an org that moves keeps its own subtree counts). */
static int
rollup_path(struct rollup_delta *d, const char *path, int skip_last, int level,
    int um, int active, int64_t n)
{
	const char *p = path;
	int64_t ids[32];
	int k = 0, rc;

	while (*p == '/' && p[1]) {
		char *end;
		long long v = strtoll(p + 1, &end, 10);
		if (end == p + 1 || *end != '/' || k >= 32)
			return ERR_INVALID;
		ids[k++] = v;
		p = end;
	}
	if (skip_last)
		k--;
	for (int i = 0; i < k; i++)
		if ((rc = rollup_add(d, ids[i], level, um, active, n)))
			return rc;
	return 0;
}

int
rollup_count(struct rollup_delta *d, const char *path, int level,
    int union_member, const char *status, int sign)
{
	return rollup_path(d, path, 0, level, union_member,
	    !strcmp(status, "active"), sign);
}

/* The name-index entries and 'registered' events of the workers inserted
 * since the last apply. */
static int
write_new_workers(struct db_conn *c, struct rollup_delta *d)
{
	char today[11];
	int rc;

	if (!d->new_ids.len)
		return 0;
	if ((rc = buf_putc(&d->new_ids, ']')))
		return rc;
	if ((rc = db_prep(c, WORKER_NAMES_INDEX)))
		return rc;
	db_bind_text(c, 1, d->new_ids.data);
	if ((rc = db_run(c)))
		return rc;
	if ((rc = db_prep(c, WORKER_REGISTERED_EVENTS)))
		return rc;
	clock_today(today);
	db_bind_text(c, 1, d->new_ids.data);
	db_bind_text(c, 2, d->new_on_date[0] ? d->new_on_date : NULL);
	db_bind_text(c, 3, today);
	db_bind_text(c, 4, d->new_source);
	if (d->new_job_id)
		db_bind_int(c, 5, d->new_job_id);
	else
		db_bind_null(c, 5);
	if (d->new_actor_id)
		db_bind_int(c, 6, d->new_actor_id);
	else
		db_bind_null(c, 6);
	if ((rc = db_run(c)))
		return rc;
	buf_reset(&d->new_ids);
	return 0;
}

static int
same_source(const struct rollup_delta *d, const struct event_source *src)
{
	const char *on = src->on_date ? src->on_date : "";

	return !strcmp(d->new_source, src->source) && d->new_job_id == src->job_id &&
	    d->new_actor_id == src->actor_id && !strcmp(d->new_on_date, on);
}

/* Remembers an inserted worker for write_new_workers. */
static int
note_new_worker(struct db_conn *c, struct rollup_delta *d, int64_t id,
    const struct event_source *src)
{
	char num[24];
	int n, rc;

	if (d->new_ids.len + sizeof(num) + 2 > NEW_IDS_MAX &&
	    (rc = write_new_workers(c, d)))
		return rc;
	if (!d->new_ids.len) {
		str_copy(d->new_source, sizeof(d->new_source), src->source);
		d->new_job_id = src->job_id;
		d->new_actor_id = src->actor_id;
		str_copy(d->new_on_date, sizeof(d->new_on_date),
		    src->on_date ? src->on_date : "");
	}
	n = snprintf(num, sizeof(num), "%c%lld", d->new_ids.len ? ',' : '[',
	    (long long)id);
	if ((rc = buf_append(&d->new_ids, num, (size_t)n)))
		return rc;
	if (id > d->max_new_id)
		d->max_new_id = id;
	return 0;
}

int
rollup_apply(struct db_conn *c, struct rollup_delta *d)
{
	int rc = write_new_workers(c, d);

	if (rc)
		return rc;

	for (size_t i = 0; i < d->cap && !rc; i++) {
		struct rollup_entry *e = &d->e[i];

		if (!e->used || e->n == 0)
			continue;
		rc = db_prep(c, ROLLUP_ADD);
		if (rc)
			break;
		db_bind_int(c, 1, e->org_id);
		db_bind_int(c, 2, e->level);
		db_bind_int(c, 3, e->union_member);
		db_bind_text(c, 4, e->active ? "active" : "left");
		db_bind_int(c, 5, e->n);
		rc = db_run(c);
	}
	if (d->e)
		memset(d->e, 0, d->cap * sizeof(*d->e));
	d->used = 0;
	return rc;
}

/* ---- the list card ---- */

void
workers_card_members(struct jw *w, const struct worker_view *v,
    const char *id_no, const char *phone)
{
	jw_kstr(w, "name", v->name);
	jw_kstr(w, "id_no", id_no ? id_no : v->id_mask);
	jw_kstr(w, "gender", v->gender);
	jw_kstr(w, "birth_date", v->birth_date);
	if (v->phone_mask[0])
		jw_kstr(w, "phone", phone ? phone : v->phone_mask);
	else
		jw_knull(w, "phone");
#define OPT(k, s) do { if ((s)[0]) jw_kstr(w, k, s); else jw_knull(w, k); } while (0)
	OPT("occupation", v->occupation);
	OPT("occupation_code", v->occupation_code);
	jw_kint(w, "skill_level", v->skill_level);
	jw_kbool(w, "union_member", v->union_member);
	OPT("union_joined", v->union_joined);
	OPT("political_status", v->political_status);
	OPT("education", v->education);
	OPT("hired", v->hired);
#undef OPT
	jw_kstr(w, "status", v->status);
}

/* Binds the card of v (masked) at idx; out holds its bytes until the
 * statement has run. */
static int
bind_card(struct db_conn *c, int idx, const struct worker_view *v,
    struct buf *out)
{
	struct jw w;
	int rc;

	buf_reset(out);
	jw_init(&w, out);
	jw_obj_open(&w);
	workers_card_members(&w, v, NULL, NULL);
	jw_obj_close(&w);
	if ((rc = jw_finish(&w)))
		return rc;
	db_bind_text(c, idx, out->data);
	return 0;
}

/* The card's view of a record about to be written. */
static void
view_rec(const struct worker_rec *rec, const char *id_mask,
    const char *phone_mask, struct worker_view *v)
{
	memset(v, 0, sizeof(*v));
	v->name = rec->name;
	v->id_mask = id_mask;
	v->gender = rec->gender;
	v->birth_date = rec->birth_date;
	v->phone_mask = phone_mask;
	v->occupation = rec->occupation;
	v->occupation_code = rec->occupation_code;
	v->skill_level = rec->skill_level;
	v->union_member = rec->union_member;
	v->union_joined = rec->union_joined;
	v->political_status = rec->political_status;
	v->education = rec->education;
	v->hired = rec->hired;
	v->status = rec->status[0] ? rec->status : "active";
}

/* ---- reads ---- */

static const char *
col(struct db_conn *c, int i)
{
	const char *s = db_col_text(c, i);
	return s ? s : "";
}

/* The one place that knows WORKER_COLS' order (WORKER_LIST_COLS keeps it). */
void
workers_view_cols(struct db_conn *c, struct worker_view *v)
{
	v->id = db_col_int(c, 0);
	v->org_id = db_col_int(c, 1);
	v->org_path = col(c, 2);
	v->name = col(c, 3);
	v->id_enc = col(c, 4);
	v->id_mask = col(c, 5);
	v->gender = col(c, 6);
	v->birth_date = col(c, 7);
	v->phone_enc = col(c, 8);
	v->phone_mask = col(c, 9);
	v->occupation = col(c, 10);
	v->occupation_code = col(c, 11);
	v->skill_level = (int)db_col_int(c, 12);
	v->union_member = (int)db_col_int(c, 13);
	v->union_joined = col(c, 14);
	v->political_status = col(c, 15);
	v->education = col(c, 16);
	v->hired = col(c, 17);
	v->status = col(c, 18);
	v->created = db_col_int(c, 19);
	v->updated = db_col_int(c, 20);
	v->org_name = col(c, 21);
	v->card = NULL;
}

void
workers_view_card(struct db_conn *c, struct worker_view *v)
{
	/* WORKER_CARD_LIST_COLS' order */
	v->id = db_col_int(c, 0);
	v->org_id = db_col_int(c, 1);
	v->org_path = col(c, 2);
	v->name = col(c, 3);
	v->skill_level = (int)db_col_int(c, 4);
	v->hired = col(c, 5);
	v->org_name = col(c, 6);
	v->card = col(c, 7);
	v->id_enc = v->id_mask = v->gender = v->birth_date = "";
	v->phone_enc = v->phone_mask = v->occupation = v->occupation_code = "";
	v->union_joined = v->political_status = v->education = v->status = "";
	v->union_member = 0;
	v->created = v->updated = 0;
}

void
workers_view_row(const struct worker_row *w, struct worker_view *v)
{
	v->id = w->id;
	v->org_id = w->org_id;
	v->created = w->created;
	v->updated = w->updated;
	v->skill_level = w->skill_level;
	v->union_member = w->union_member;
	v->org_path = w->org_path;
	v->org_name = w->org_name;
	v->name = w->name;
	v->id_enc = w->id_enc;
	v->id_mask = w->id_mask;
	v->gender = w->gender;
	v->birth_date = w->birth_date;
	v->phone_enc = w->phone_enc;
	v->phone_mask = w->phone_mask;
	v->occupation = w->occupation;
	v->occupation_code = w->occupation_code;
	v->union_joined = w->union_joined;
	v->political_status = w->political_status;
	v->education = w->education;
	v->hired = w->hired;
	v->status = w->status;
	v->card = NULL;
}

/* One column order, WORKER_COLS', kept in workers_view_cols. */
void
workers_read_row(struct db_conn *c, struct worker_row *w)
{
	struct worker_view v;

	workers_view_cols(c, &v);
	w->id = v.id;
	w->org_id = v.org_id;
	w->created = v.created;
	w->updated = v.updated;
	w->skill_level = v.skill_level;
	w->union_member = v.union_member;
#define CPY(f) str_copy(w->f, sizeof(w->f), v.f)
	CPY(org_path);
	CPY(org_name);
	CPY(name);
	CPY(id_enc);
	CPY(id_mask);
	CPY(gender);
	CPY(birth_date);
	CPY(phone_enc);
	CPY(phone_mask);
	CPY(occupation);
	CPY(occupation_code);
	CPY(union_joined);
	CPY(political_status);
	CPY(education);
	CPY(hired);
	CPY(status);
#undef CPY
}

static int
get_in(struct db_conn *c, enum db_stmt_id stmt, int64_t id, const char *lo,
    const char *hi, struct worker_row *w)
{
	int rc = db_prep(c, stmt);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	rc = db_one(c);
	if (!rc)
		workers_read_row(c, w);
	db_done(c);
	return rc;
}

int
workers_get_in(struct db_conn *c, int64_t id, const char *lo, const char *hi,
    struct worker_row *w)
{
	return get_in(c, WORKER_GET_SCOPED, id, lo, hi, w);
}

static int
get_scoped(struct db_conn *c, enum db_stmt_id stmt, const struct principal *p,
    unsigned roles, int64_t id, struct worker_row *w)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc = ERR_NOTFOUND;

	for (int i = 0; p && i < p->ngrants && rc == ERR_NOTFOUND; i++) {
		if (!(p->grants[i].role & roles))
			continue;
		path_range(p->grants[i].path, lo, hi, sizeof(lo));
		rc = get_in(c, stmt, id, lo, hi, w);
	}
	return rc;
}

int
workers_get_scoped(struct db_conn *c, const struct principal *p,
    unsigned roles, int64_t id, struct worker_row *w)
{
	return get_scoped(c, WORKER_GET_SCOPED, p, roles, id, w);
}

int
workers_lock_scoped(struct db_conn *c, const struct principal *p,
    unsigned roles, int64_t id, struct worker_row *w)
{
	return get_scoped(c, WORKER_GET_SCOPED_LOCK, p, roles, id, w);
}

int
workers_find_by_id_no(struct db_conn *c, const struct pii_key *k,
    const char *id_no, struct worker_row *w)
{
	char h[PII_HASH_HEX];
	int rc;

	pii_hash(k, "id", id_no, strlen(id_no), h);
	rc = db_prep(c, WORKER_BY_HASH);
	if (rc)
		return rc;
	db_bind_text(c, 1, h);
	rc = db_one(c);
	if (!rc)
		workers_read_row(c, w);
	db_done(c);
	return rc;
}

int
workers_to_rec(const struct pii_key *k, const struct worker_row *w,
    struct worker_rec *rec)
{
	int rc;

	memset(rec, 0, sizeof(*rec));
	rc = pii_decrypt(k, w->id_enc, rec->id_no, sizeof(rec->id_no));
	if (rc)
		return rc;
	if (w->phone_enc[0] &&
	    (rc = pii_decrypt(k, w->phone_enc, rec->phone, sizeof(rec->phone))))
		return rc;
	str_copy(rec->name, sizeof(rec->name), w->name);
	str_copy(rec->gender, sizeof(rec->gender), w->gender);
	str_copy(rec->birth_date, sizeof(rec->birth_date), w->birth_date);
	str_copy(rec->occupation, sizeof(rec->occupation), w->occupation);
	str_copy(rec->occupation_code, sizeof(rec->occupation_code), w->occupation_code);
	rec->skill_level = w->skill_level;
	rec->union_member = w->union_member;
	str_copy(rec->union_joined, sizeof(rec->union_joined), w->union_joined);
	str_copy(rec->political_status, sizeof(rec->political_status), w->political_status);
	str_copy(rec->education, sizeof(rec->education), w->education);
	str_copy(rec->hired, sizeof(rec->hired), w->hired);
	str_copy(rec->status, sizeof(rec->status), w->status);
	return 0;
}

/* ---- writes ---- */

void
workers_prefix_hash(const struct pii_key *k, const char *id_no, int len,
    char out[PII_HASH_HEX])
{
	pii_hash(k, len == 6 ? "id6" : len == 10 ? "id10" : "id14", id_no,
	    (size_t)len, out);
	out[WORKER_PREFIX_HEX] = '\0';
}

static void
opt(struct db_conn *c, int idx, const char *s)
{
	db_bind_text(c, idx, s && *s ? s : NULL);
}

static int
event(struct db_conn *c, int64_t worker, const struct event_source *src,
    const char *kind, const char *from, const char *to)
{
	char today[11];
	int rc = db_prep(c, WORKER_EVENT_INSERT);

	if (rc)
		return rc;
	clock_today(today);
	db_bind_int(c, 1, worker);
	db_bind_text(c, 2, src->on_date && *src->on_date ? src->on_date : today);
	db_bind_text(c, 3, kind);
	opt(c, 4, from);
	opt(c, 5, to);
	db_bind_text(c, 6, src->source);
	if (src->job_id)
		db_bind_int(c, 7, src->job_id);
	else
		db_bind_null(c, 7);
	if (src->actor_id)
		db_bind_int(c, 8, src->actor_id);
	else
		db_bind_null(c, 8);
	db_bind_int(c, 9, clock_now());
	return db_run(c);
}

int
workers_insert(struct db_conn *c, const struct pii_key *k,
    const struct worker_rec *rec, int64_t org_id, const char *org_path,
    const struct event_source *src, struct rollup_delta *d, int64_t *id)
{
	char h[PII_HASH_HEX], p6[PII_HASH_HEX], p10[PII_HASH_HEX], p14[PII_HASH_HEX];
	char id_enc[PII_ENC_LEN(18)], phone_enc[PII_ENC_LEN(11)];
	char id_mask[19], phone_mask[12];
	struct worker_view v;
	int rc;

	pii_hash(k, "id", rec->id_no, strlen(rec->id_no), h);
	workers_prefix_hash(k, rec->id_no, 6, p6);
	workers_prefix_hash(k, rec->id_no, 10, p10);
	workers_prefix_hash(k, rec->id_no, 14, p14);
	if ((rc = pii_encrypt(k, rec->id_no, id_enc, sizeof(id_enc))))
		return rc;
	worker_mask_id(rec->id_no, id_mask);
	phone_enc[0] = phone_mask[0] = '\0';
	if (rec->phone[0]) {
		if ((rc = pii_encrypt(k, rec->phone, phone_enc, sizeof(phone_enc))))
			return rc;
		worker_mask_phone(rec->phone, phone_mask);
	}
	/* one source per pending set: its events are written in one go */
	if (d->new_ids.len && !same_source(d, src) && (rc = write_new_workers(c, d)))
		return rc;
	rc = db_prep(c, WORKER_INSERT);
	if (rc)
		return rc;
	db_bind_int(c, 1, org_id);
	db_bind_text(c, 2, org_path);
	db_bind_text(c, 3, rec->name);
	db_bind_text(c, 4, h);
	db_bind_text(c, 5, id_enc);
	db_bind_text(c, 6, id_mask);
	db_bind_text(c, 7, p6);
	db_bind_text(c, 8, p10);
	db_bind_text(c, 9, p14);
	db_bind_text(c, 10, rec->gender);
	db_bind_text(c, 11, rec->birth_date);
	opt(c, 12, phone_enc);
	opt(c, 13, phone_mask);
	opt(c, 14, rec->occupation);
	opt(c, 15, rec->occupation_code);
	db_bind_int(c, 16, rec->skill_level);
	db_bind_int(c, 17, rec->union_member);
	opt(c, 18, rec->union_joined);
	opt(c, 19, rec->political_status);
	opt(c, 20, rec->education);
	opt(c, 21, rec->hired);
	db_bind_text(c, 22, rec->status[0] ? rec->status : "active");
	db_bind_int(c, 23, clock_now());
	view_rec(rec, id_mask, phone_mask, &v);
	if ((rc = bind_card(c, 24, &v, &d->card)))
		return rc;
	rc = db_insert(c, id);
	if (rc)
		return rc == ERR_NOTFOUND ? ERR_CONFLICT : rc;
	/* the 'registered' event (on the hire date when known, where the
	 * timeline starts) and the name-index entry follow in rollup_apply */
	if ((rc = note_new_worker(c, d, *id, src)))
		return rc;
	return rollup_count(d, org_path, rec->skill_level, rec->union_member,
	    rec->status[0] ? rec->status : "active", +1);
}

static void
level_text(int level, char out[4])
{
	snprintf(out, 4, "%d", level);
}

int
workers_update(struct db_conn *c, const struct pii_key *k,
    const struct worker_row *old, const struct worker_rec *rec, int64_t org_id,
    const char *org_path, const struct event_source *src,
    struct rollup_delta *d, int *changed)
{
	struct worker_rec cur;
	struct worker_view v;
	char phone_enc[PII_ENC_LEN(11)], phone_mask[12], a[4], b[4];
	char edited[256];
	const char *status = rec->status[0] ? rec->status : "active";
	int rc;

	*changed = 0;
	/* a worker inserted in this batch gets its index entry and first event
	 * before anything else: the rename trigger deletes the old entry */
	if (d->new_ids.len && old->id <= d->max_new_id &&
	    (rc = write_new_workers(c, d)))
		return rc;
	rc = workers_to_rec(k, old, &cur);
	if (rc)
		return rc;
	edited[0] = '\0';
#define DIFF(field) (strcmp(cur.field, rec->field) != 0)
#define NOTE(label) do { \
		size_t l_ = strlen(edited); \
		snprintf(edited + l_, sizeof(edited) - l_, "%s%s", l_ ? "," : "", label); \
	} while (0)
	if (DIFF(name)) NOTE("name");
	if (DIFF(phone)) NOTE("phone");
	if (DIFF(occupation)) NOTE("occupation");
	if (DIFF(occupation_code)) NOTE("occupation_code");
	if (DIFF(union_joined)) NOTE("union_joined");
	if (DIFF(political_status)) NOTE("political_status");
	if (DIFF(education)) NOTE("education");
	if (DIFF(hired)) NOTE("hired");
#undef NOTE
#undef DIFF
	if (!edited[0] && org_id == old->org_id && cur.skill_level == rec->skill_level &&
	    cur.union_member == rec->union_member && !strcmp(cur.status, status))
		return 0;     /* nothing to do: re-imports are idempotent */
	*changed = 1;
	phone_enc[0] = phone_mask[0] = '\0';
	if (rec->phone[0] && !strcmp(rec->phone, cur.phone)) {
		str_copy(phone_enc, sizeof(phone_enc), old->phone_enc);
		str_copy(phone_mask, sizeof(phone_mask), old->phone_mask);
	} else if (rec->phone[0]) {
		if ((rc = pii_encrypt(k, rec->phone, phone_enc, sizeof(phone_enc))))
			return rc;
		worker_mask_phone(rec->phone, phone_mask);
	}
	rc = db_prep(c, WORKER_UPDATE);
	if (rc)
		return rc;
	db_bind_int(c, 1, org_id);
	db_bind_text(c, 2, org_path);
	db_bind_text(c, 3, rec->name);
	opt(c, 4, phone_enc);
	opt(c, 5, phone_mask);
	opt(c, 6, rec->occupation);
	opt(c, 7, rec->occupation_code);
	db_bind_int(c, 8, rec->skill_level);
	db_bind_int(c, 9, rec->union_member);
	opt(c, 10, rec->union_joined);
	opt(c, 11, rec->political_status);
	opt(c, 12, rec->education);
	opt(c, 13, rec->hired);
	db_bind_text(c, 14, status);
	db_bind_int(c, 15, clock_now());
	/* what the ID number gives stays the old row's */
	view_rec(rec, old->id_mask, phone_mask, &v);
	v.gender = old->gender;
	v.birth_date = old->birth_date;
	v.status = status;
	if ((rc = bind_card(c, 16, &v, &d->card)))
		return rc;
	db_bind_int(c, 17, old->id);
	if ((rc = db_run(c)))
		return rc;
	if (org_id != old->org_id &&
	    (rc = event(c, old->id, src, "transfer", old->org_path, org_path)))
		return rc;
	if (cur.skill_level != rec->skill_level) {
		level_text(cur.skill_level, a);
		level_text(rec->skill_level, b);
		if ((rc = event(c, old->id, src, "level", a, b)))
			return rc;
	}
	if (strcmp(cur.status, status) &&
	    (rc = event(c, old->id, src, "status", cur.status, status)))
		return rc;
	if (cur.union_member != rec->union_member &&
	    (rc = event(c, old->id, src, "union", cur.union_member ? "1" : "0",
	    rec->union_member ? "1" : "0")))
		return rc;
	if (edited[0] && (rc = event(c, old->id, src, "edit", NULL, edited)))
		return rc;
	if (org_id != old->org_id || cur.skill_level != rec->skill_level ||
	    cur.union_member != rec->union_member || strcmp(cur.status, status)) {
		if ((rc = rollup_count(d, old->org_path, old->skill_level,
		    old->union_member, old->status, -1)))
			return rc;
		if ((rc = rollup_count(d, org_path, rec->skill_level,
		    rec->union_member, status, +1)))
			return rc;
	}
	return 0;
}

int
workers_org_moved(struct db_conn *c, int64_t org_id, const char *old_path,
    const char *new_path)
{
	struct rollup_delta d;
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc;

	rollup_init(&d);
	rc = db_prep(c, ROLLUP_OF_ORG);
	if (rc)
		goto out;
	db_bind_int(c, 1, org_id);
	while ((rc = db_step(c)) == DB_ROW) {
		int level = (int)db_col_int(c, 0), um = (int)db_col_int(c, 1);
		int active = !strcmp(db_col_text(c, 2), "active");
		int64_t n = db_col_int(c, 3);

		if ((rc = rollup_path(&d, old_path, 1, level, um, active, -n)) ||
		    (rc = rollup_path(&d, new_path, 1, level, um, active, n)))
			break;
	}
	db_done(c);
	if (rc < 0)
		goto out;
	if ((rc = rollup_apply(c, &d)))
		goto out;
	path_range(old_path, lo, hi, sizeof(lo));
	rc = db_prep(c, WORKER_REPATH);
	if (rc)
		goto out;
	db_bind_text(c, 1, new_path);
	db_bind_int(c, 2, (int64_t)strlen(old_path) + 1);
	db_bind_text(c, 3, lo);
	db_bind_text(c, 4, hi);
	rc = db_run(c);
out:
	rollup_free(&d);
	return rc;
}

int
workers_check_rollups(struct db_conn *c, struct buf *report)
{
	struct rollup_delta d;
	int rc, bad = 0;

	rollup_init(&d);
	rc = db_prep(c, WORKER_COUNT_BY_ORG);
	if (rc)
		goto out;
	while ((rc = db_step(c)) == DB_ROW) {
		rc = rollup_path(&d, db_col_text(c, 1), 0, (int)db_col_int(c, 2),
		    (int)db_col_int(c, 3), !strcmp(db_col_text(c, 4), "active"),
		    db_col_int(c, 5));
		if (rc)
			break;
	}
	db_done(c);
	if (rc < 0)
		goto out;
	rc = db_prep(c, ROLLUP_ALL);
	if (rc)
		goto out;
	while ((rc = db_step(c)) == DB_ROW) {
		rc = rollup_add(&d, db_col_int(c, 0), (int)db_col_int(c, 1),
		    (int)db_col_int(c, 2), !strcmp(db_col_text(c, 3), "active"),
		    -db_col_int(c, 4));
		if (rc)
			break;
	}
	db_done(c);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < d.cap; i++) {
		struct rollup_entry *e = &d.e[i];
		if (!e->used || e->n == 0)
			continue;
		bad++;
		buf_printf(report, "rollup org %lld level %d union %d %s: rows say %+d "
		    "more than the rollup\n", (long long)e->org_id, e->level,
		    e->union_member, e->active ? "active" : "left", e->n);
	}
	rc = bad;
out:
	rollup_free(&d);
	return rc;
}

int
workers_check_cards(struct db_conn *c, struct buf *report)
{
	int rc, bad = 0;

	rc = db_prep(c, WORKER_CARD_DRIFT);
	if (rc)
		return rc;
	while ((rc = db_step(c)) == DB_ROW) {
		/* the first twenty name the rows; the count names them all */
		if (bad++ < 20)
			buf_printf(report, "worker %lld: %s\n", (long long)db_col_int(c, 0),
			    db_col_int(c, 1) ? "has no list card" :
			    "list card differs from the row");
	}
	db_done(c);
	return rc < 0 ? rc : bad;
}

int
workers_stats(struct db_conn *c, int64_t org_id, struct skill_stats *s)
{
	int rc;

	memset(s, 0, sizeof(*s));
	rc = db_prep(c, ROLLUP_OF_ORG);
	if (rc)
		return rc;
	db_bind_int(c, 1, org_id);
	while ((rc = db_step(c)) == DB_ROW) {
		int level = (int)db_col_int(c, 0);
		int64_t n = db_col_int(c, 3);

		if (strcmp(db_col_text(c, 2), "active") || level < 0 || level > 8)
			continue;
		s->workers += n;
		s->by_level[level] += n;
		if (skill_is_skilled(level))
			s->skilled += n;
		if (skill_is_high(level))
			s->high_skilled += n;
		if (db_col_int(c, 1))
			s->union_members += n;
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

/* Recognises an ID-number prefix: digits (and a final X) of length 6, 10,
 * 14 or 18; -1 for digits of another length, 0 for a name. */
static int
id_prefix_len(const char *q)
{
	size_t n = strlen(q), i;

	for (i = 0; i < n; i++)
		if (!(q[i] >= '0' && q[i] <= '9') && !(i == 17 && (q[i] == 'X' || q[i] == 'x')))
			return 0;
	return (n == 6 || n == 10 || n == 14 || n == 18) ? (int)n : -1;
}

int
workers_search_plan(const struct pii_key *k, const char *q,
    struct workers_search *s, struct why *why)
{
	int plen = id_prefix_len(q);

	if (plen > 0) {
		char norm[19];

		str_copy(norm, sizeof(norm), q);
		if (plen == 18 && norm[17] == 'x')
			norm[17] = 'X';
		if (plen == 18)
			pii_hash(k, "id", norm, 18, s->text);
		else
			workers_prefix_hash(k, norm, plen, s->text);
		s->stmt = plen == 18 ? WORKER_LIST_Q_ID : plen == 6 ? WORKER_LIST_Q_P6 :
		    plen == 10 ? WORKER_LIST_Q_P10 : WORKER_LIST_Q_P14;
		return 0;
	}
	if (plen < 0)
		return why_refuse(why, ERR_INVALID, "q",
		    "search ID numbers by their first 6, 10 or 14 digits or the whole number",
		    "身份证号请按前6位、前10位、前14位或完整号码查询");
	if (like_contains(q, s->text, sizeof(s->text)))
		return why_refuse(why, ERR_BADREQ, "q", "the search text is too long",
		    "搜索内容过长");
	/* trigram indexes need three characters */
	s->stmt = utf8_chars(q, strlen(q)) >= 3 ? WORKER_LIST_Q_NAME : WORKER_LIST_Q_SHORT;
	return 0;
}

void
workers_bind_filter(struct db_conn *c, int at, int64_t lmin, int64_t lmax,
    int union_member, const char *status)
{
	db_bind_int(c, at, lmin);
	db_bind_int(c, at + 1, lmax);
	if (union_member >= 0)
		db_bind_int(c, at + 2, union_member);
	else
		db_bind_null(c, at + 2);
	db_bind_text(c, at + 3, status);
}

int
workers_count(struct db_conn *c, int64_t org_id, int lmin, int lmax,
    int union_member, const char *status, int64_t *n)
{
	int rc;

	*n = 0;
	rc = db_prep(c, ROLLUP_COUNT);
	if (rc)
		return rc;
	db_bind_int(c, 1, org_id);
	workers_bind_filter(c, 2, lmin, lmax, union_member, status);
	rc = db_step(c);
	if (rc == DB_ROW)
		*n = db_col_int(c, 0);
	db_done(c);
	return rc < 0 ? rc : 0;
}
