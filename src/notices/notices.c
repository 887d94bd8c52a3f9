/* 公示 notices: the rules and the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "base/pii.h"
#include "base/util.h"
#include "base/valid.h"
#include "calendar/calendar.h"
#include "db/db.h"
#include "notices/notices.h"

/* ---- kinds ---- */

#define KINDS_MAX 32

static const struct notice_kind general = {"general", "通知公示", "work", 5, NULL};
static const struct notice_kind *kinds[KINDS_MAX] = {&general};
static size_t nkinds = 1;

int
notices_kind_register(const struct notice_kind *k)
{
	if (!k || !k->name || notices_kind_find(k->name))
		return ERR_CONFLICT;
	if (nkinds >= KINDS_MAX)
		return ERR_NOMEM;
	kinds[nkinds++] = k;
	return 0;
}

const struct notice_kind *
notices_kind_find(const char *name)
{
	for (size_t i = 0; name && i < nkinds; i++)
		if (!strcmp(kinds[i]->name, name))
			return kinds[i];
	return NULL;
}

size_t
notices_kinds(const struct notice_kind *const **out)
{
	*out = kinds;
	return nkinds;
}

/* ---- rules ---- */

static int
refuse(struct why *why, const char *field, long row, const char *en,
    const char *zh)
{
	why->field = field;
	why->row = row;
	why->en = en;
	why->zh = zh;
	return ERR_INVALID;
}

int
notice_text_has_pii(const char *text)
{
	size_t n = text ? strlen(text) : 0;

	for (size_t i = 0; i < n; i++) {
		size_t run = 0;

		if (text[i] < '0' || text[i] > '9')
			continue;
		while (i + run < n && ((text[i + run] >= '0' && text[i + run] <= '9') ||
		    ((text[i + run] == 'X' || text[i + run] == 'x') && run == 17)))
			run++;
		/* a digit run of exactly 18 that checks out, or 11 that dials */
		if (run == 18) {
			char id[19], norm[19];

			memcpy(id, text + i, 18);
			id[18] = '\0';
			if (!valid_resident_id(id, NULL, norm))
				return 1;
		} else if (run == 11) {
			char ph[12];

			memcpy(ph, text + i, 11);
			ph[11] = '\0';
			if (!valid_mobile(ph))
				return 1;
		}
		i += run ? run - 1 : 0;
	}
	return 0;
}

static int
chars_between(const char *s, size_t lo, size_t hi)
{
	size_t n = s ? strlen(s) : 0, c;

	if (s && !utf8_valid(s, n))
		return 0;
	c = s ? utf8_chars(s, n) : 0;
	return c >= lo && c <= hi;
}

static int
check_head(const struct notice *n, struct why *why)
{
	if (!chars_between(n->title, 1, NOTICE_TITLE_MAX))
		return refuse(why, "title", 0, "the title must be 1 to 100 characters",
		    "标题须为 1 至 100 个字");
	if (!chars_between(n->body, 0, NOTICE_BODY_MAX))
		return refuse(why, "body", 0, "the text must be at most 2000 characters",
		    "正文不能超过 2000 字");
	if (!chars_between(n->contact, 0, NOTICE_CONTACT_MAX))
		return refuse(why, "contact", 0, "the contact must be at most 100 characters",
		    "联系方式不能超过 100 字");
	if (notice_text_has_pii(n->title) || notice_text_has_pii(n->body))
		return refuse(why, notice_text_has_pii(n->title) ? "title" : "body", 0,
		    "public text must not hold an ID number or a mobile number",
		    "公示内容不得含身份证号或手机号");
	if (n->days < 1 || n->days > NOTICE_DAYS_MAX)
		return refuse(why, "days", 0, "a notice runs 1 to 60 days",
		    "公示期须为 1 至 60 天");
	if (strcmp(n->day_kind, "work") && strcmp(n->day_kind, "calendar"))
		return refuse(why, "day_kind", 0, "days are work or calendar days",
		    "天数须按工作日（work）或自然日（calendar）计");
	return 0;
}

static int
check_subject(const struct notice_subject *s, long row, struct why *why)
{
	size_t k = strlen(s->ref_kind);

	/* a general notice may list subjects that point at no record */
	if (k > 32 || strspn(s->ref_kind, "abcdefghijklmnopqrstuvwxyz_") != k)
		return refuse(why, "ref.kind", row, "the record's kind is a short name (a-z, _)",
		    "所指记录的类别须为小写英文名称");
	if (k ? s->ref_id < 1 : s->ref_id != 0)
		return refuse(why, "ref.id", row, "the record's id must be positive",
		    "所指记录的编号须为正整数");
	if (!chars_between(s->name, 1, NOTICE_NAME_MAX))
		return refuse(why, "name", row, "the name must be 1 to 32 characters",
		    "姓名或名称须为 1 至 32 个字");
	if (!chars_between(s->unit, 0, NOTICE_UNIT_MAX))
		return refuse(why, "unit", row, "the unit must be at most 100 characters",
		    "单位不能超过 100 字");
	if (!chars_between(s->text, 1, NOTICE_TEXT_MAX))
		return refuse(why, "text", row, "what is proposed must be 1 to 200 characters",
		    "公示事项须为 1 至 200 个字");
	if (notice_text_has_pii(s->name) || notice_text_has_pii(s->unit) ||
	    notice_text_has_pii(s->text))
		return refuse(why, "text", row,
		    "public text must not hold an ID number or a mobile number",
		    "公示内容不得含身份证号或手机号");
	return 0;
}

/* ---- the store ---- */

static void
read_notice(struct db_conn *c, struct notice *n)
{
	memset(n, 0, sizeof(*n));
	n->id = db_col_int(c, 0);
	str_copy(n->public_id, sizeof(n->public_id), db_col_text(c, 1));
	n->org_id = db_col_int(c, 2);
	str_copy(n->kind, sizeof(n->kind), db_col_text(c, 3));
	str_copy(n->title, sizeof(n->title), db_col_text(c, 4));
	str_copy(n->body, sizeof(n->body), db_col_text(c, 5));
	str_copy(n->contact, sizeof(n->contact), db_col_text(c, 6));
	n->days = (int)db_col_int(c, 7);
	str_copy(n->day_kind, sizeof(n->day_kind), db_col_text(c, 8));
	str_copy(n->starts, sizeof(n->starts), db_col_text(c, 9));
	str_copy(n->ends, sizeof(n->ends), db_col_text(c, 10));
	str_copy(n->state, sizeof(n->state), db_col_text(c, 11));
	str_copy(n->owner_ref, sizeof(n->owner_ref), db_col_text(c, 12));
	n->listed = (int)db_col_int(c, 13);
	n->withdrawn = (int)db_col_int(c, 14);
	n->created_by = db_col_null(c, 15) ? 0 : db_col_int(c, 15);
	n->created = db_col_int(c, 16);
	n->opened = db_col_null(c, 17) ? 0 : db_col_int(c, 17);
	n->closed = db_col_null(c, 18) ? 0 : db_col_int(c, 18);
	str_copy(n->org_name, sizeof(n->org_name), db_col_text(c, 19));
	str_copy(n->org_path, sizeof(n->org_path), db_col_text(c, 20));
}

static int
get_by(struct db_conn *c, enum db_stmt_id stmt, int64_t id, const char *key,
    struct notice *out)
{
	int rc = db_prep(c, stmt);

	if (rc)
		return rc;
	if (key)
		db_bind_text(c, 1, key);
	else
		db_bind_int(c, 1, id);
	if ((rc = db_one(c)))
		return rc;
	read_notice(c, out);
	db_done(c);
	return 0;
}

int
notices_get(struct db_conn *c, int64_t id, struct notice *out)
{
	return get_by(c, NOTICE_GET, id, NULL, out);
}

int
notices_get_public(struct db_conn *c, const char *public_id, struct notice *out)
{
	if (!public_id || strlen(public_id) != CRYPTO_PUBLIC_ID_LEN - 1)
		return ERR_NOTFOUND;
	return get_by(c, NOTICE_GET_PUBLIC, 0, public_id, out);
}

static int
recount(struct db_conn *c, struct notice *n)
{
	int rc = db_prep(c, NOTICE_RECOUNT);

	if (rc)
		return rc;
	db_bind_int(c, 1, n->id);
	return db_run(c);
}

int
notices_create(struct db_conn *c, struct notice *n, const struct notice_subject *subjects,
    size_t nsubjects, struct why *why)
{
	const struct notice_kind *k = notices_kind_find(n->kind);
	int rc;

	if (!k)
		return refuse(why, "kind", 0, "no such kind of notice", "没有这种公示类别");
	if (!n->day_kind[0])
		str_copy(n->day_kind, sizeof(n->day_kind), k->day_kind);
	if (!n->days)
		n->days = k->default_days;
	if ((rc = check_head(n, why)))
		return rc;
	if (nsubjects < 1 || nsubjects > NOTICE_SUBJECTS_MAX)
		return refuse(why, "subjects", 0, "a notice lists 1 to 5000 subjects",
		    "公示须列出 1 至 5000 个对象");
	for (size_t i = 0; i < nsubjects; i++)
		if ((rc = check_subject(&subjects[i], (long)i + 1, why)))
			return rc;
	crypto_public_id(n->public_id);
	n->created = clock_now();
	str_copy(n->state, sizeof(n->state), "draft");
	if ((rc = db_prep(c, NOTICE_INSERT)))
		return rc;
	db_bind_text(c, 1, n->public_id);
	db_bind_int(c, 2, n->org_id);
	db_bind_text(c, 3, n->kind);
	db_bind_text(c, 4, n->title);
	db_bind_text(c, 5, n->body);
	db_bind_text(c, 6, n->contact);
	db_bind_int(c, 7, n->days);
	db_bind_text(c, 8, n->day_kind);
	db_bind_text(c, 9, n->owner_ref);
	if (n->created_by)
		db_bind_int(c, 10, n->created_by);
	else
		db_bind_null(c, 10);
	db_bind_int(c, 11, n->created);
	if ((rc = db_insert(c, &n->id)))
		return rc;
	for (size_t i = 0; i < nsubjects && !rc; i++) {
		const struct notice_subject *s = &subjects[i];

		if ((rc = db_prep(c, NOTICE_SUBJECT_INSERT)))
			break;
		db_bind_int(c, 1, n->id);
		db_bind_int(c, 2, (int64_t)i + 1);
		db_bind_text(c, 3, s->ref_kind);
		db_bind_int(c, 4, s->ref_id);
		db_bind_text(c, 5, s->name);
		db_bind_text(c, 6, s->unit);
		db_bind_text(c, 7, s->text);
		rc = db_run(c);
	}
	if (!rc)
		rc = recount(c, n);
	n->listed = (int)nsubjects;
	return rc;
}

int
notices_update(struct db_conn *c, const struct notice *n, struct why *why)
{
	int rc;

	if (strcmp(n->state, "draft"))
		return ERR_CONFLICT;
	if ((rc = check_head(n, why)))
		return rc;
	if ((rc = db_prep(c, NOTICE_UPDATE)))
		return rc;
	db_bind_int(c, 1, n->id);
	db_bind_text(c, 2, n->title);
	db_bind_text(c, 3, n->body);
	db_bind_text(c, 4, n->contact);
	db_bind_int(c, 5, n->days);
	db_bind_text(c, 6, n->day_kind);
	if ((rc = db_run(c)))
		return rc;
	return db_changes(c) == 1 ? 0 : ERR_CONFLICT;
}

int
notices_open(struct db_conn *c, struct notice *n, const char *starts, const char *today,
    struct why *why)
{
	char start[11], end[11];
	int rc, work = !strcmp(n->day_kind, "work");

	if (strcmp(n->state, "draft"))
		return ERR_CONFLICT;
	if (starts && *starts) {
		int yes = 0;

		if (date_valid(starts))
			return refuse(why, "starts", 0, "not a date (YYYY-MM-DD)",
			    "不是有效日期（YYYY-MM-DD）");
		if (strcmp(starts, today) < 0)
			return refuse(why, "starts", 0, "a notice starts today or later",
			    "公示开始日期不能早于今天");
		if (work && (rc = is_workday(c, starts, &yes, NULL)))
			return rc;
		if (work && !yes)
			return refuse(why, "starts", 0,
			    "a window of working days starts on a working day",
			    "按工作日计的公示须从工作日开始");
		str_copy(start, sizeof(start), starts);
	} else if (work) {
		if ((rc = workdays_add(c, today, 0, start, NULL)))
			return rc;
	} else {
		str_copy(start, sizeof(start), today);
	}
	/* the window counts starts as day 1 */
	if (work)
		rc = workdays_add(c, start, n->days - 1, end, NULL);
	else
		rc = date_add(start, n->days - 1, end);
	if (rc)
		return rc == ERR_INVALID ? refuse(why, "starts", 0,
		    "the window runs past the calendar's range", "公示期超出日历范围") : rc;
	if ((rc = db_prep(c, NOTICE_OPEN)))
		return rc;
	db_bind_int(c, 1, n->id);
	db_bind_text(c, 2, start);
	db_bind_text(c, 3, end);
	db_bind_int(c, 4, clock_now());
	if ((rc = db_run(c)))
		return rc;
	if (db_changes(c) != 1)
		return ERR_CONFLICT;
	str_copy(n->starts, sizeof(n->starts), start);
	str_copy(n->ends, sizeof(n->ends), end);
	str_copy(n->state, sizeof(n->state), "open");
	return 0;
}

const char *
notice_phase(const struct notice *n, const char *today)
{
	if (!strcmp(n->state, "draft"))
		return "draft";
	if (!strcmp(n->state, "closed"))
		return "closed";
	if (strcmp(today, n->starts) < 0)
		return "before";
	if (strcmp(today, n->ends) > 0)
		return "ended";
	return "open";
}

int
notices_object(struct db_conn *c, const struct pii_key *k, const struct notice *n,
    const struct notice_objection_in *o, const char *ip, const char *today, int64_t now,
    int64_t *id, struct why *why)
{
	char name_enc[PII_ENC_LEN(NOTICE_NAME_MAX * 4)], phone_enc[PII_ENC_LEN(16)];
	char ip_hash[PII_HASH_HEX];
	int64_t subject_id = 0, recent;
	int rc;

	if (strcmp(notice_phase(n, today), "open"))
		return ERR_CONFLICT;
	if (!chars_between(o->name, 2, NOTICE_NAME_MAX))
		return refuse(why, "name", 0, "objections are made under a real name (2 to 32 "
		    "characters)", "异议须实名提出（姓名 2 至 32 个字）");
	if (!o->phone || valid_mobile(o->phone))
		return refuse(why, "phone", 0, "a mainland mobile number to reach you",
		    "请填写可联系的手机号");
	if (!chars_between(o->unit ? o->unit : "", 0, NOTICE_UNIT_MAX))
		return refuse(why, "unit", 0, "the unit must be at most 100 characters",
		    "单位不能超过 100 字");
	if (!chars_between(o->text, 5, NOTICE_OBJECTION_MAX))
		return refuse(why, "text", 0, "say what is wrong in 5 to 1000 characters",
		    "异议内容须为 5 至 1000 个字");
	/* per address: a keyed hash, so the store never holds the address */
	pii_hash(k, "objection-ip", ip ? ip : "", ip ? strlen(ip) : 0, ip_hash);
	for (int pass = 0; pass < 2; pass++) {
		if ((rc = db_prep(c, NOTICE_RATE)))
			return rc;
		db_bind_text(c, 1, ip_hash);
		db_bind_int(c, 2, now - (pass ? 86400 : 3600));
		if ((rc = db_one(c)))
			return rc;
		recent = db_col_int(c, 0);
		db_done(c);
		if (recent >= (pass ? NOTICE_OBJECTIONS_PER_DAY : NOTICE_OBJECTIONS_PER_HOUR))
			return ERR_LIMIT;
	}
	if (o->subject_no) {
		if ((rc = db_prep(c, NOTICE_SUBJECT_BY_NO)))
			return rc;
		db_bind_int(c, 1, n->id);
		db_bind_int(c, 2, o->subject_no);
		rc = db_one(c);
		if (rc == ERR_NOTFOUND)
			return refuse(why, "subject_id", 0, "no such subject in this notice",
			    "该公示中没有这一对象");
		if (rc)
			return rc;
		subject_id = db_col_int(c, 0);
		rc = strcmp(db_col_text(c, 1), "listed") ? ERR_INVALID : 0;
		db_done(c);
		if (rc)
			return refuse(why, "subject_id", 0, "this subject was withdrawn",
			    "该对象已撤销公示");
	}
	if ((rc = pii_encrypt(k, o->name, name_enc, sizeof(name_enc))) ||
	    (rc = pii_encrypt(k, o->phone, phone_enc, sizeof(phone_enc))))
		return rc;
	if ((rc = db_prep(c, NOTICE_OBJECTION_INSERT)))
		return rc;
	db_bind_int(c, 1, n->id);
	if (subject_id)
		db_bind_int(c, 2, subject_id);
	else
		db_bind_null(c, 2);
	db_bind_text(c, 3, name_enc);
	db_bind_text(c, 4, phone_enc);
	db_bind_text(c, 5, o->unit ? o->unit : "");
	db_bind_text(c, 6, o->text);
	db_bind_text(c, 7, ip_hash);
	db_bind_int(c, 8, now);
	return db_insert(c, id);
}

int
notices_respond(struct db_conn *c, struct notice *n, int64_t objection_id,
    const char *decision, const char *reason, int64_t by, struct why *why)
{
	int64_t subject_id = 0;
	int rc, upheld;

	if (!strcmp(n->state, "closed") || !strcmp(n->state, "draft"))
		return ERR_CONFLICT;
	if (!decision || (strcmp(decision, "upheld") && strcmp(decision, "dismissed")))
		return refuse(why, "decision", 0, "the decision is upheld or dismissed",
		    "处理结果须为“成立”（upheld）或“不成立”（dismissed）");
	upheld = !strcmp(decision, "upheld");
	if (!chars_between(reason ? reason : "", upheld ? 0 : 1, NOTICE_REASON_MAX))
		return refuse(why, "reason", 0, upheld ?
		    "the reason must be at most 500 characters" :
		    "a dismissed objection needs a reason (at most 500 characters)",
		    upheld ? "理由不能超过 500 字" : "异议不成立须说明理由（不超过 500 字）");
	if ((rc = db_prep(c, NOTICE_OBJECTION_GET)))
		return rc;
	db_bind_int(c, 1, objection_id);
	db_bind_int(c, 2, n->id);
	if ((rc = db_one(c)))
		return rc;
	subject_id = db_col_null(c, 1) ? 0 : db_col_int(c, 1);
	rc = db_col_null(c, 2) ? 0 : ERR_CONFLICT;
	db_done(c);
	if (rc)
		return rc;
	if ((rc = db_prep(c, NOTICE_OBJECTION_DECIDE)))
		return rc;
	db_bind_int(c, 1, objection_id);
	db_bind_text(c, 2, decision);
	db_bind_text(c, 3, reason ? reason : "");
	db_bind_int(c, 4, by);
	db_bind_int(c, 5, clock_now());
	if ((rc = db_run(c)))
		return rc;
	if (db_changes(c) != 1)
		return ERR_CONFLICT;
	if (upheld && subject_id) {
		if ((rc = db_prep(c, NOTICE_SUBJECT_WITHDRAW)))
			return rc;
		db_bind_int(c, 1, subject_id);
		if ((rc = db_run(c)) || (rc = recount(c, n)))
			return rc;
	}
	return 0;
}

int
notices_subjects_each(struct db_conn *c, int64_t notice_id,
    int (*fn)(void *ctx, const struct notice_subject *s), void *ctx)
{
	enum { BATCH = 64 };
	struct notice_subject *batch;
	int64_t after = 0;
	size_t n;
	int rc;

	/* in batches: one statement at a time per connection, and fn may use
	 * the connection itself */
	if (!(batch = malloc(BATCH * sizeof(*batch))))
		return ERR_NOMEM;
	do {
		if ((rc = db_prep(c, NOTICE_SUBJECTS_AFTER)))
			break;
		db_bind_int(c, 1, notice_id);
		db_bind_int(c, 2, after);
		db_bind_int(c, 3, BATCH);
		n = 0;
		while ((rc = db_step(c)) == DB_ROW && n < BATCH) {
			struct notice_subject *s = &batch[n++];

			memset(s, 0, sizeof(*s));
			s->id = db_col_int(c, 0);
			s->no = (int)db_col_int(c, 1);
			str_copy(s->ref_kind, sizeof(s->ref_kind), db_col_text(c, 2));
			s->ref_id = db_col_int(c, 3);
			str_copy(s->name, sizeof(s->name), db_col_text(c, 4));
			str_copy(s->unit, sizeof(s->unit), db_col_text(c, 5));
			str_copy(s->text, sizeof(s->text), db_col_text(c, 6));
			str_copy(s->state, sizeof(s->state), db_col_text(c, 7));
		}
		db_done(c);
		if (rc < 0)
			break;
		rc = 0;
		for (size_t i = 0; i < n && !rc; i++)
			rc = fn(ctx, &batch[i]);
		if (n)
			after = batch[n - 1].no;
	} while (!rc && n == BATCH);
	free(batch);
	return rc;
}

static int
close_one(struct db *db, int64_t id, const char *today, int *closed)
{
	struct notice *n = malloc(sizeof(*n));
	struct audit_entry ae;
	struct db_conn *c;
	const struct notice_kind *k;
	char target[32], summary[160];
	int64_t pending = 0;
	int rc;

	*closed = 0;
	if (!n)
		return ERR_NOMEM;
	if ((rc = db_acquire(db, DB_WRITE, &c))) {
		free(n);
		return rc;
	}
	if ((rc = db_begin(c)))
		goto out;
	if ((rc = notices_get(c, id, n)))
		goto rollback;
	/* read again inside the transaction: another node may have closed it */
	if (strcmp(n->state, "open") || strcmp(n->ends, today) >= 0)
		goto rollback;
	if ((rc = db_prep(c, NOTICE_PENDING)))
		goto rollback;
	db_bind_int(c, 1, id);
	if ((rc = db_one(c)))
		goto rollback;
	pending = db_col_null(c, 1) ? 0 : db_col_int(c, 1);
	db_done(c);
	/* an outcome never comes before every objection is answered */
	if (pending)
		goto rollback;
	if ((rc = db_prep(c, NOTICE_CLOSE)))
		goto rollback;
	db_bind_int(c, 1, id);
	db_bind_int(c, 2, clock_now());
	if ((rc = db_run(c)))
		goto rollback;
	str_copy(n->state, sizeof(n->state), "closed");
	k = notices_kind_find(n->kind);
	if (k && k->closed && (rc = k->closed(c, n)))
		goto rollback;
	snprintf(target, sizeof(target), "notice:%lld", (long long)id);
	snprintf(summary, sizeof(summary), "{\"ends\":\"%s\",\"listed\":%d,\"withdrawn\":%d}",
	    n->ends, n->listed, n->withdrawn);
	memset(&ae, 0, sizeof(ae));
	ae.actor = "-";
	ae.ip = "";
	ae.org_id = n->org_id;
	ae.org_path = n->org_path;
	ae.action = "notice.close";
	ae.target = target;
	ae.result = "ok";
	ae.summary = summary;
	if ((rc = audit_append(c, &ae)) || (rc = db_commit(c)))
		goto rollback;
	*closed = 1;
	goto out;
rollback:
	db_rollback(c);
out:
	db_release(c);
	free(n);
	return rc;
}

int
notices_sweep(struct db *db, const char *today, size_t *closed)
{
	enum { BATCH = 256 };
	int64_t ids[BATCH];
	struct db_conn *c;
	size_t n = 0;
	int rc;

	*closed = 0;
	if ((rc = db_acquire(db, DB_READ, &c)))
		return rc;
	if (!(rc = db_prep(c, NOTICE_DUE))) {
		db_bind_text(c, 1, today);
		while ((rc = db_step(c)) == DB_ROW && n < BATCH)
			ids[n++] = db_col_int(c, 0);
		db_done(c);
	}
	db_release(c);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		int done = 0;

		if ((rc = close_one(db, ids[i], today, &done))) {
			log_error("notices: closing notice %lld failed: %s", (long long)ids[i],
			    err_name(rc));
			continue;
		}
		*closed += (size_t)done;
	}
	return 0;
}
