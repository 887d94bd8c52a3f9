/* The worker registry in the store: one record per person in the whole
 * city (unique by the keyed hash of the ID number), dated events, and the
 * rollups that statistics read. Every write here runs inside the caller's
 * transaction and adds its rollup changes to a delta the caller applies
 * before committing (rollup_apply), so counts and rows commit together. */
#ifndef CHANGAI_WORKERS_H
#define CHANGAI_WORKERS_H

#include <stdint.h>

#include "base/buf.h"
#include "base/pii.h"
#include "base/jw.h"
#include "db/db.h"
#include "scope/scope.h"
#include "workers/record.h"

struct db_conn;
struct jw;

/* A worker as stored (ID and phone still encrypted). */
struct worker_row {
	int64_t id, org_id, created, updated;
	int skill_level, union_member;
	char org_path[ORG_PATH_MAX];
	char org_name[100 * 4 + 1];
	char name[WORKER_NAME_MAX * 4 + 1];
	char id_enc[PII_ENC_LEN(18)];
	char id_mask[19];
	char gender[2];
	char birth_date[11];
	char phone_enc[PII_ENC_LEN(11)];
	char phone_mask[12];
	char occupation[121];
	char occupation_code[16];
	char union_joined[11];
	char political_status[8];
	char education[8];
	char hired[11];
	char status[8];
};

/* Where a change came from, recorded on its events. */
struct event_source {
	const char *source;       /* "import", "manual", "certificate" */
	int64_t job_id;
	int64_t actor_id;
	const char *on_date;      /* the date the change took effect */
};

/* What a transaction's worker writes leave for rollup_apply: rollup
 * changes (org, level, union, status) → ±n, already expanded to every
 * ancestor; and the workers inserted since the last apply (all from one
 * source), whose name-index entries and 'registered' events are written
 * with one statement each — row by row they were most of an import's
 * cost. Owned by the caller: rollup_init/rollup_free. */
struct rollup_delta {
	struct rollup_entry {
		int64_t org_id;
		int32_t n;
		int8_t level, union_member, active, used;
	} *e;
	size_t cap, used;
	struct buf new_ids;         /* "[id,id,..." of the pending inserts */
	int64_t max_new_id;
	char new_source[16];
	int64_t new_job_id, new_actor_id;
	char new_on_date[11];       /* empty: each worker's hire date or today */
	struct buf card;            /* scratch: the list card of the row written */
};
void rollup_init(struct rollup_delta *d);
void rollup_free(struct rollup_delta *d);
/* Counts one worker (sign ±1) at every org on path. */
int rollup_count(struct rollup_delta *d, const char *path, int level,
    int union_member, const char *status, int sign);
/* Writes the delta to the store and empties it. Must run before the
 * transaction commits: until it does, inserted workers have no name-index
 * entry and no 'registered' event. */
int rollup_apply(struct db_conn *c, struct rollup_delta *d);

/* Reads. Text columns are copied; returns ERR_NOTFOUND when absent. */
void workers_read_row(struct db_conn *c, struct worker_row *w);

/* A worker's fields read in place, for writing them out: pointers into
 * the statement's current row (valid until the next db_step or db_done;
 * a list page needs no copy) or into a worker_row. NULL reads as "". */
struct worker_view {
	int64_t id, org_id, created, updated;
	int skill_level, union_member;
	const char *org_path, *org_name, *name, *id_enc, *id_mask, *gender;
	const char *birth_date, *phone_enc, *phone_mask, *occupation;
	const char *occupation_code, *union_joined, *political_status;
	const char *education, *hired, *status;
	const char *card;      /* the list card (a JSON object), or NULL */
};
void workers_view_cols(struct db_conn *c, struct worker_view *v);
/* The fields of a worker a list row shows but the id and the org, into an
 * open object: the API's worker object and the stored list card (masked)
 * are both written by this. id_no and phone, when not NULL, replace the
 * masked ones. */
void workers_card_members(struct jw *w, const struct worker_view *v,
    const char *id_no, const char *phone);
/* A row of a WORKER_CARDS_* list: the id, the org, what the cursor needs
 * (name, level, hired, org path) and the card; the rest "". */
void workers_view_card(struct db_conn *c, struct worker_view *v);
void workers_view_row(const struct worker_row *w, struct worker_view *v);
int workers_get_in(struct db_conn *c, int64_t id, const char *lo,
    const char *hi, struct worker_row *w);
int workers_get_scoped(struct db_conn *c, const struct principal *p,
    unsigned roles, int64_t id, struct worker_row *w);
/* The same inside the caller's write transaction, the row locked until it
 * ends: what a read-modify-write starts from. */
int workers_lock_scoped(struct db_conn *c, const struct principal *p,
    unsigned roles, int64_t id, struct worker_row *w);
int workers_find_by_id_no(struct db_conn *c, const struct pii_key *k,
    const char *id_no, struct worker_row *w);

/* The keyed hash of an ID number's first len (6, 10 or 14) characters, for
 * prefix search: the first WORKER_PREFIX_HEX hex digits (64 bits) of its
 * pii_hash. A collision would only add a stranger to a search result, at
 * odds of about 2^-42 for a city (2^22 prefixes in 2^64); the full 128
 * bits would make three of the registry's seven indexes twice as large. */
#define WORKER_PREFIX_HEX 16
void workers_prefix_hash(const struct pii_key *k, const char *id_no, int len,
    char out[PII_HASH_HEX]);

/* Writes, inside the caller's transaction. workers_insert returns
 * ERR_CONFLICT, changing nothing, when the ID number is registered. */
int workers_insert(struct db_conn *c, const struct pii_key *k,
    const struct worker_rec *rec, int64_t org_id, const char *org_path,
    const struct event_source *src, struct rollup_delta *d, int64_t *id);
/* Applies rec over old (ID number and derived fields stay), moving the
 * worker to org_id/org_path when they differ (a transfer). *changed is set
 * when anything changed. */
int workers_update(struct db_conn *c, const struct pii_key *k,
    const struct worker_row *old, const struct worker_rec *rec,
    int64_t org_id, const char *org_path, const struct event_source *src,
    struct rollup_delta *d, int *changed);

/* An org moved: re-path its workers and move its rollups from the old
 * ancestors to the new ones. */
int workers_org_moved(struct db_conn *c, int64_t org_id, const char *old_path,
    const char *new_path);

/* Recomputes rollups from the rows and compares; appends differences to
 * report; returns how many (or a negative error). */
int workers_check_rollups(struct db_conn *c, struct buf *report);
/* Rows whose list card is missing or differs from their columns: the
 * count (0 when all agree), the first rows named in report. */
int workers_check_cards(struct db_conn *c, struct buf *report);

/* Workers of an org's subtree matching a level range, union membership
 * (-1: either) and status (NULL: either), from the rollups. */
/* Binds a list's filters (WORKER_FILTER's level range, union membership
 * and status) as parameters at, at + 1, at + 2 and at + 3: union_member
 * < 0 and a NULL status mean any. */
void workers_bind_filter(struct db_conn *c, int at, int64_t lmin, int64_t lmax,
    int union_member, const char *status);
int workers_count(struct db_conn *c, int64_t org_id, int lmin, int lmax,
    int union_member, const char *status, int64_t *n);

/* A roster search (?q=): a name containing the text (1-32 characters), or
 * an ID number's first 6, 10 or 14 characters or the whole number, as
 * the WORKER_LIST_* statement that runs it and the text it binds as $7
 * (the keyed hash, or the LIKE pattern). */
#define WORKER_SEARCH_BYTES (32 * 4 + 1)
struct workers_search {
	enum db_stmt_id stmt;
	char text[32 * 4 * 2 + 3];
};
struct why;
/* ERR_INVALID (an ID prefix of another length) or ERR_BADREQ (too long),
 * with why naming "q". */
int workers_search_plan(const struct pii_key *k, const char *q,
    struct workers_search *s, struct why *why);

/* The job kind "export_workers" (files_api.c). */
struct db;
/* What an export contains; fixed when it is asked for, so a job that runs
 * later writes exactly what the caller was allowed to see then. */
struct workers_export {
	int64_t org_id, lmin, lmax;
	int union_member;          /* -1: both */
	int unmask;                /* the caller holds pii over the whole org */
	char status[8];            /* "" = both */
	char path[ORG_PATH_MAX];
	char name[100 * 4 + 1];
	char actor[64];
	char purpose[200 * 4 + 1]; /* why it is unmasked: the watermark says so */
	char q[WORKER_SEARCH_BYTES]; /* the list's search, "" for none */
	unsigned cols;             /* WORKERS_EXPORT_COLS bits; 0: all */
};
/* The export's columns by their API names, comma-separated ("name,id_no"):
 * the bits of *cols, or ERR_INVALID naming the first unknown one. */
int workers_export_cols(const char *list, unsigned *cols, struct why *why);
/* The export as the job's parameters (JSON) into out. */
int workers_export_params(const struct workers_export *e, char *out, size_t n);
/* Rows the export will hold, counting at most cap + 1 of a search. */
int workers_export_count(struct db_conn *c, const struct pii_key *k,
    const struct workers_export *e, int64_t cap, int64_t *n);
/* Writes the .xlsx of e to file: *rows written, *unmasked shown in full. */
int workers_export_write(struct db_conn *c, const struct pii_key *k,
    const struct workers_export *e, const char *file, int64_t *rows,
    int64_t *unmasked);
/* The audit row of an export (in the caller's transaction). */
int workers_export_audit(struct db_conn *c, const struct workers_export *e,
    int64_t actor_id, const char *ip, int64_t rows, int64_t unmasked, int64_t job);
/* The same in a transaction of its own (an export written while its caller
 * waits): the caller holds no store connection. */
int workers_export_audit_tx(struct db *db, const struct workers_export *e,
    int64_t actor_id, const char *ip, int64_t rows, int64_t unmasked);
int workers_export_run(struct db *db, const struct pii_key *k, int64_t job_id);

/* Skill statistics of an org's subtree, from the rollups. */
struct skill_stats {
	int64_t workers, skilled, high_skilled, union_members;
	int64_t by_level[9];
};
int workers_stats(struct db_conn *c, int64_t org_id, struct skill_stats *s);

/* The plain form of a stored worker, for decrypting reads and updates. */
int workers_to_rec(const struct pii_key *k, const struct worker_row *w,
    struct worker_rec *rec);

/* The fact workers.level_up (base/fact.h): the scan of its source. */
struct fact;
struct fact_scan;
int workers_level_facts(struct db_conn *c, const struct fact_scan *s, struct fact *out,
    int *n, int64_t *settled);

#endif
