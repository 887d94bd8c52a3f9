/* 公示 notices: a shared capability. A module that must show results to
 * the public before they take effect (certification, contests, honours,
 * demonstration units, studios) creates a notice listing its subjects, each
 * pointing at one of its records; the notice module runs the window on the
 * working-day calendar, takes real-name objections from the public, records
 * the issuing org's answer to each, closes the notice when the window has
 * ended and every objection is answered, and tells the owning module
 * through its notice kind's hook. It knows nothing of honours or contests.
 *
 * Public text never carries an ID number or a phone: notices_create
 * refuses subjects whose text holds one. */
#ifndef CHANGAI_NOTICES_H
#define CHANGAI_NOTICES_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct db;
struct db_conn;
struct pii_key;

#define NOTICE_TITLE_MAX 100        /* characters */
#define NOTICE_BODY_MAX 2000
#define NOTICE_CONTACT_MAX 100
#define NOTICE_DAYS_MAX 60
#define NOTICE_SUBJECTS_MAX 5000
#define NOTICE_NAME_MAX 32
#define NOTICE_UNIT_MAX 100
#define NOTICE_TEXT_MAX 200
#define NOTICE_OBJECTION_MAX 1000
#define NOTICE_REASON_MAX 500
/* objections one address may make: per hour and per day */
#define NOTICE_OBJECTIONS_PER_HOUR 5
#define NOTICE_OBJECTIONS_PER_DAY 20

struct notice {
	int64_t id, org_id, created_by, created, opened, closed;
	int days, listed, withdrawn;
	char public_id[32];
	char kind[33];
	char title[NOTICE_TITLE_MAX * 4 + 1];
	char body[NOTICE_BODY_MAX * 4 + 1];
	char contact[NOTICE_CONTACT_MAX * 4 + 1];
	char day_kind[12];                  /* work calendar */
	char starts[11], ends[11];          /* "" while a draft */
	char state[12];                     /* draft open closed */
	char owner_ref[65];                 /* the owner's record, e.g. "honour_batch:3" */
	char org_name[100 * 4 + 1];
	char org_path[200];                 /* ORG_PATH_MAX */
};

struct notice_subject {
	int64_t id, ref_id;                 /* ref_kind "" and ref_id 0: no record */
	int no;
	char ref_kind[33];
	char name[NOTICE_NAME_MAX * 4 + 1];
	char unit[NOTICE_UNIT_MAX * 4 + 1];
	char text[NOTICE_TEXT_MAX * 4 + 1];
	char state[12];                     /* listed withdrawn */
};

/* A notice kind: registered by the module that owns its subjects. */
struct notice_kind {
	const char *name;                   /* "general", "honour", "certification" */
	const char *zh;                     /* 通知公示, 评优公示 … */
	const char *day_kind;               /* the default: "work" or "calendar" */
	int default_days;
	/* Called in the sweep's transaction once the notice has closed: the
	 * owner reads the subjects (notices_subjects_each) and runs its next
	 * step. A failure rolls the closing back; the next sweep tries again.
	 * NULL: nothing to tell. */
	int (*closed)(struct db_conn *c, const struct notice *n);
};
/* At most 32 kinds; "general" (通知公示) is always there. 0, ERR_CONFLICT
 * for a name taken, ERR_NOMEM when full. Call before serving. */
int notices_kind_register(const struct notice_kind *k);
const struct notice_kind *notices_kind_find(const char *name);
size_t notices_kinds(const struct notice_kind *const **out);


/* 1 when text holds a resident ID number (a valid check character) or a
 * mainland mobile number: what public text must never show. */
int notice_text_has_pii(const char *text);

/* Creates a draft with its subjects in the caller's transaction; fills
 * n->id and n->public_id (16 random bytes, base64url). The caller sets
 * org_id, kind, title, body, contact, days, day_kind ("" for the kind's
 * default), owner_ref and created_by. ERR_INVALID with *why. */
int notices_create(struct db_conn *c, struct notice *n,
    const struct notice_subject *subjects, size_t nsubjects, struct why *why);
/* Changes a draft's title, body, contact, days and day_kind. */
int notices_update(struct db_conn *c, const struct notice *n, struct why *why);
int notices_get(struct db_conn *c, int64_t id, struct notice *out);
/* By public id; a draft is ERR_NOTFOUND. */
int notices_get_public(struct db_conn *c, const char *public_id, struct notice *out);

/* Opens a draft: the window starts on `starts` ("" or NULL: today, or the
 * next working day when today is not one) and ends on the days-th working
 * day counting starts as day 1 (or the days-th calendar day). today is the
 * business date. ERR_INVALID with *why; ERR_CONFLICT when not a draft. */
int notices_open(struct db_conn *c, struct notice *n, const char *starts,
    const char *today, struct why *why);

/* The window as of today: "before" (opens later), "open", "ended" (window
 * over, objections still to answer) or "closed"; "draft". */
const char *notice_phase(const struct notice *n, const char *today);

/* A public objection, real-name. subject_no 0: about the notice as a
 * whole. ip is the caller's address (kept only as a keyed hash). 0 and
 * *id; ERR_INVALID with *why; ERR_CONFLICT when the window is not open;
 * ERR_LIMIT over the per-address limits. */
struct notice_objection_in {
	const char *name, *phone, *unit, *text;
	int subject_no;
};
int notices_object(struct db_conn *c, const struct pii_key *k, const struct notice *n,
    const struct notice_objection_in *o, const char *ip, const char *today,
    int64_t now, int64_t *id, struct why *why);

/* The issuing org's answer: upheld withdraws the subject the objection is
 * about; dismissed needs a reason. ERR_NOTFOUND for an objection not of
 * this notice; ERR_CONFLICT when answered already or the notice closed. */
int notices_respond(struct db_conn *c, struct notice *n, int64_t objection_id,
    const char *decision, const char *reason, int64_t by, struct why *why);

/* Calls fn for every subject of the notice in order (stop on non-zero). */
int notices_subjects_each(struct db_conn *c, int64_t notice_id,
    int (*fn)(void *ctx, const struct notice_subject *s), void *ctx);

/* The sweep: every open notice whose window ended before today and whose
 * objections are all answered closes (one transaction each, audited as the
 * system), and its kind's hook runs. *closed counts them. */
int notices_sweep(struct db *db, const char *today, size_t *closed);

#endif
