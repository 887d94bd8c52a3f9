/* Importing the roster from a CSV file, as a job.
 *
 * Rows are applied in batches, each batch in one transaction together with
 * its rejected-row records, its rollup changes and the job's progress, so a
 * process killed at any moment leaves whole batches or nothing, and the
 * job resumes after the last committed batch. Rows are upserts keyed by the
 * ID number, so running the same file twice changes nothing the second
 * time. When the file names one person twice, the later valid row wins
 * and the others are reported: a later row that is refused never costs
 * the person the earlier, valid one. */
#include "workers/import.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/jw.h"
#include "orgs/orgs.h"
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "workers/csvin.h"
#include "workers/workers.h"

/* A batch is one transaction. Random-key indexes (keyed hashes, names)
 * dirty most of their pages in every batch and each commit writes those
 * pages out again, so bigger batches import faster; but the batch holds
 * the store's one writer, so other writes (a login, an edit) wait for it.
 * A batch ends at batch_rows rows or after BATCH_NS, whichever is first;
 * CHANGAI_IMPORT_BATCH (BATCH_MIN..BATCH_MAX) lowers the row count. */
#define BATCH_MAX 50000
#define BATCH_MIN 100
#define BATCH_NS 2000000000ull

static long
batch_rows(void)
{
	const char *env = getenv("CHANGAI_IMPORT_BATCH");
	int64_t n;

	if (!env || !*env)
		return BATCH_MAX;
	if (!parse_int64(env, BATCH_MIN, BATCH_MAX, &n))
		return (long)n;
	log_warn("CHANGAI_IMPORT_BATCH=%s is not a number from %d to %d; "
	    "using %d", env, BATCH_MIN, BATCH_MAX, BATCH_MAX);
	return BATCH_MAX;
}

/* ---- small open-addressing maps ---- */

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603u;       /* FNV-1a */

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return h ? h : 1;
}

/* ID key → record number of its last occurrence in the file, for the keys
 * that occur more than once only: a map of every row of a city's roster
 * (3.5 million) would take 128 MiB, the sorted keys alone take 28 MiB for a
 * moment (repeated_keys). */
struct last_map {
	uint64_t *key;
	long *row;
	size_t cap;
};

static int
last_map_init(struct last_map *m, long records)
{
	m->cap = 1024;
	while (m->cap < (size_t)records * 2)
		m->cap *= 2;
	m->key = calloc(m->cap, sizeof(*m->key));
	m->row = calloc(m->cap, sizeof(*m->row));
	return m->key && m->row ? 0 : ERR_NOMEM;
}

static void
last_map_free(struct last_map *m)
{
	free(m->key);
	free(m->row);
}

static long *
last_map_find(const struct last_map *m, uint64_t k)
{
	size_t i = (size_t)k & (m->cap - 1);

	if (!m->key)
		return NULL;
	while (m->key[i]) {
		if (m->key[i] == k)
			return &m->row[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}

static long *
last_map_slot(struct last_map *m, uint64_t k)
{
	size_t i = (size_t)k & (m->cap - 1);

	while (m->key[i] && m->key[i] != k)
		i = (i + 1) & (m->cap - 1);
	m->key[i] = k;
	return &m->row[i];
}

/* The identity of a row for duplicate detection: the ID cell without
 * spaces, upper-cased. worker_normalise does more, but two spellings of one
 * number in one file are rare enough to be caught by the store instead. */
static uint64_t
id_key(const char *cell)
{
	char k[64];
	size_t n = 0;

	for (; cell && *cell && n < sizeof(k) - 1; cell++) {
		if (*cell == ' ' || *cell == '\t')
			continue;
		k[n++] = (*cell >= 'a' && *cell <= 'z') ? (char)(*cell - 32) : *cell;
	}
	return n ? hash_bytes(k, n) : 0;
}

/* Orgs of the importer's subtree by name and by code / credit code. */
struct org_ref {
	int64_t id;
	char path[ORG_PATH_MAX];
	int ambiguous;
	int64_t disabled;   /* the org's disabled column (orgs_placeable) */
};
struct org_map {
	uint64_t *key;
	struct org_ref *ref;
	size_t cap, n;
};

static int
org_map_add(struct org_map *m, const char *text, const struct org_ref *ref)
{
	uint64_t k;
	size_t i;

	if (!text || !*text)
		return 0;
	if (m->n * 2 >= m->cap) {
		struct org_map bigger = {0};
		bigger.cap = m->cap ? m->cap * 2 : 1024;
		bigger.key = calloc(bigger.cap, sizeof(*bigger.key));
		bigger.ref = calloc(bigger.cap, sizeof(*bigger.ref));
		if (!bigger.key || !bigger.ref) {
			free(bigger.key);
			free(bigger.ref);
			return ERR_NOMEM;
		}
		for (i = 0; i < m->cap; i++) {
			size_t j;
			if (!m->key[i])
				continue;
			j = (size_t)m->key[i] & (bigger.cap - 1);
			while (bigger.key[j])
				j = (j + 1) & (bigger.cap - 1);
			bigger.key[j] = m->key[i];
			bigger.ref[j] = m->ref[i];
		}
		bigger.n = m->n;
		free(m->key);
		free(m->ref);
		*m = bigger;
	}
	k = hash_bytes(text, strlen(text));
	i = (size_t)k & (m->cap - 1);
	while (m->key[i] && m->key[i] != k)
		i = (i + 1) & (m->cap - 1);
	if (m->key[i]) {
		if (m->ref[i].id != ref->id)
			m->ref[i].ambiguous = 1;
		return 0;
	}
	m->key[i] = k;
	m->ref[i] = *ref;
	m->n++;
	return 0;
}

static const struct org_ref *
org_map_get(const struct org_map *m, const char *text)
{
	uint64_t k;
	size_t i;

	if (!m->cap || !text || !*text)
		return NULL;
	k = hash_bytes(text, strlen(text));
	i = (size_t)k & (m->cap - 1);
	while (m->key[i]) {
		if (m->key[i] == k)
			return &m->ref[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}

static void
org_map_free(struct org_map *m)
{
	free(m->key);
	free(m->ref);
}

static int
load_orgs(struct db_conn *c, const char *path, struct org_map *by_name,
    struct org_map *by_code)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc;

	path_range(path, lo, hi, sizeof(lo));
	rc = db_prep(c, ORG_IDS_IN_RANGE);
	if (rc)
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	while ((rc = db_step(c)) == DB_ROW) {
		struct org_ref ref = {0};

		ref.id = db_col_int(c, 0);
		ref.disabled = db_col_int(c, 6);
		str_copy(ref.path, sizeof(ref.path), db_col_text(c, 1));
		if ((rc = org_map_add(by_name, db_col_text(c, 3), &ref)) ||
		    (rc = org_map_add(by_code, db_col_text(c, 4), &ref)) ||
		    (rc = org_map_add(by_code, db_col_text(c, 5), &ref)))
			break;
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

/* ---- header ---- */

int
import_map_header(const struct csv_row *row, int colmap[CSV_MAX_FIELDS],
    int present[WC__MAX], const char **missing_zh)
{
	int i;

	for (i = 0; i < WC__MAX; i++)
		present[i] = -1;
	for (i = 0; i < row->nfields && i < CSV_MAX_FIELDS; i++) {
		int col = row->field[i] ? worker_col_lookup(row->field[i]) : -1;
		colmap[i] = col;
		/* a repeated header keeps its first column */
		if (col >= 0 && present[col] < 0)
			present[col] = i;
		else
			colmap[i] = -1;
	}
	for (i = 0; i < WC__MAX; i++) {
		if (worker_cols[i].required && present[i] < 0) {
			*missing_zh = worker_cols[i].zh;
			return ERR_INVALID;
		}
	}
	return 0;
}

/* ---- the job ---- */

struct run {
	struct db *db;
	const struct pii_key *key;
	struct job job;
	struct upload_reader *upload;   /* NULL: the file is in memory */
	struct csvin *csv;
	struct last_map last;
	struct org_map by_name, by_code;
	int colmap[CSV_MAX_FIELDS];
	int present[WC__MAX];
	char today[11];
	struct rollup_delta delta;
	/* the record being applied (NULL for one the parser refused) and the
	 * last row whose original cells were kept with its errors */
	const struct csv_row *cur;
	long original_row;
	char header[JOB_ERROR_VALUE_MAX + 1];   /* the header's cells, joined */
};

/* The cells of a record as the file had them, joined by US (0x1f) — no
 * cell holds one after this — kept with the row's errors (sealed) so the
 * rejected rows can be handed back whole, ready to fix and re-import:
 * under col "*", the header as row 1. Returns the length. */
static size_t
join_cells(const struct csv_row *row, char *line, size_t size)
{
	size_t n = 0;

	for (int i = 0; i < row->nfields && i < CSV_MAX_FIELDS; i++) {
		const char *f = row->field[i] ? row->field[i] : "";

		if (i && n < size - 1)
			line[n++] = '\x1f';
		for (; *f && n < size - 1; f++)
			line[n++] = *f == '\x1f' ? ' ' : *f;
	}
	line[n] = '\0';
	return n;
}

static int
keep_original(struct db_conn *c, struct run *r, const struct csv_row *row)
{
	static _Thread_local char line[JOB_ERROR_VALUE_MAX + 1];
	struct job_error e = {row->number, WORKERS_ORIGINAL_COL, "", "", line};
	size_t n = join_cells(row, line, sizeof(line));
	int rc = n ? jobs_error_add(c, r->key, r->job.id, &e) : 0;

	sodium_memzero(line, n);
	return rc;
}

static int
reject(struct db_conn *c, struct run *r, long row_no, int col,
    const char *en, const char *zh, const char *value)
{
	struct job_error e = {
		.row = row_no,
		.col = col >= 0 && col < WC__MAX ? worker_cols[col].zh : "",
		.reason_en = en,
		.reason_zh = zh,
		.value = value,
	};
	int rc;

	if (r->cur && r->cur->number == row_no && r->original_row != row_no) {
		if ((rc = keep_original(c, r, r->cur)))
			return rc;
		r->original_row = row_no;
	}
	return jobs_error_add(c, r->key, r->job.id, &e);
}

static int
apply_row(struct db_conn *c, struct run *r, const struct csv_row *row)
{
	const char *cells[WC__MAX] = {0};
	struct worker_rec rec, merged;
	struct row_errors errs;
	struct worker_row old;
	struct event_source src = {"import", r->job.id, r->job.actor_id, NULL};
	const struct org_ref *org = NULL;
	struct why refused = {0};
	long *last;
	int rc, i, changed;
	int64_t id;

	r->cur = row;
	if (row->bad_field >= 0) {
		int col = row->bad_field < CSV_MAX_FIELDS ? r->colmap[row->bad_field] : -1;
		return reject(c, r, row->number, col,
		    "the cell is not valid text in the file's encoding",
		    "该单元格的字符编码无效（可能被截断）", NULL) ? -1 : 1;
	}
	for (i = 0; i < row->nfields && i < CSV_MAX_FIELDS; i++)
		if (r->colmap[i] >= 0)
			cells[r->colmap[i]] = row->field[i];
	/* a later valid row of the same person supersedes this one; rows
	 * after the one imported are refused by their own errors below */
	last = last_map_find(&r->last, id_key(cells[WC_ID_NO]));
	if (last && *last > row->number) {
		char why[160];
		snprintf(why, sizeof(why), "第%ld行是同一身份证号的较新记录，本行未导入",
		    *last);
		return reject(c, r, row->number, WC_ID_NO,
		    "the same ID number appears again later in the file; the later row was imported",
		    why, cells[WC_ID_NO]) ? -1 : 1;
	}
	rc = worker_normalise(cells, r->today, &rec, &errs);
	if (rc) {
		for (i = 0; i < errs.n; i++) {
			int col = errs.e[i].col;
			if (reject(c, r, row->number, col, errs.e[i].reason_en,
			    errs.e[i].reason_zh, col >= 0 && col < WC__MAX ? cells[col] : NULL))
				return -1;
		}
		return 1;
	}
	if (rec.org_code[0])
		org = org_map_get(&r->by_code, rec.org_code);
	if (!org && rec.org_name[0])
		org = org_map_get(&r->by_name, rec.org_name);
	if (!org && (rec.org_name[0] || rec.org_code[0]))
		return reject(c, r, row->number, rec.org_code[0] ? WC_ORG_CODE : WC_ORG,
		    "no such organisation in the importing organisation's scope",
		    "导入单位管辖范围内没有该单位", rec.org_code[0] ? rec.org_code :
		    rec.org_name) ? -1 : 1;
	if (org && org->ambiguous)
		return reject(c, r, row->number, WC_ORG,
		    "several organisations in scope have this name; add the 单位代码 column",
		    "范围内有多个同名单位，请增加“单位代码”列", rec.org_name) ? -1 : 1;
	if (org && orgs_placeable(org->disabled, NULL, &refused))
		return reject(c, r, row->number, rec.org_code[0] ? WC_ORG_CODE : WC_ORG,
		    refused.en, refused.zh, rec.org_code[0] ? rec.org_code : rec.org_name) ? -1 : 1;
	/* new people are the common case: try the insert first, it is one
	 * index probe where a lookup and an insert are two */
	rc = workers_insert(c, r->key, &rec, org ? org->id : r->job.org_id,
	    org ? org->path : r->job.org_path, &src, &r->delta, &id);
	if (rc == 0) {
		r->job.inserted++;
		return 0;
	}
	if (rc != ERR_CONFLICT)
		return -1;
	rc = workers_find_by_id_no(c, r->key, rec.id_no, &old);
	if (rc)
		return -1;
	if (strncmp(old.org_path, r->job.org_path, strlen(r->job.org_path)))
		return reject(c, r, row->number, WC_ID_NO,
		    "this person is registered under an organisation outside your scope; "
		    "ask the organisation above both to transfer them",
		    "此人已登记在您管辖范围以外的单位，请由共同的上级组织办理调动",
		    NULL) ? -1 : 1;
	/* columns the file does not have keep their stored values */
	if ((rc = workers_to_rec(r->key, &old, &merged)))
		return -1;
#define TAKE(col, field) \
	if (r->present[col] >= 0) str_copy(merged.field, sizeof(merged.field), rec.field)
	TAKE(WC_NAME, name);
	TAKE(WC_PHONE, phone);
	TAKE(WC_OCCUPATION, occupation);
	TAKE(WC_OCCUPATION_CODE, occupation_code);
	TAKE(WC_UNION_JOINED, union_joined);
	TAKE(WC_POLITICAL_STATUS, political_status);
	TAKE(WC_EDUCATION, education);
	TAKE(WC_HIRED, hired);
	TAKE(WC_STATUS, status);
#undef TAKE
	if (r->present[WC_SKILL_LEVEL] >= 0)
		merged.skill_level = rec.skill_level;
	if (r->present[WC_UNION_MEMBER] >= 0)
		merged.union_member = rec.union_member;
	rc = workers_update(c, r->key, &old, &merged, org ? org->id : old.org_id,
	    org ? org->path : old.org_path, &src, &r->delta, &changed);
	if (rc)
		return -1;
	if (changed)
		r->job.updated++;
	return 0;
}

static int
fail_job(struct run *r, const char *msg)
{
	struct db_conn *c;
	int rc;

	rc = db_acquire(r->db, DB_WRITE, &c);
	if (rc)
		return rc;
	rc = jobs_finish(c, r->job.id, 0, msg);
	if (!rc)
		rc = jobs_drop_file(c, r->job.id);
	if (!rc)
		rc = upload_drop_of_job(c, r->job.id);
	db_release(c);
	return rc;
}

static int
finish_job(struct run *r)
{
	struct audit_entry ae;
	struct db_conn *c;
	char summary[256], target[32];
	int rc;

	rc = db_acquire(r->db, DB_WRITE, &c);
	if (rc)
		return rc;
	if ((rc = db_begin(c)))
		goto out;
	snprintf(summary, sizeof(summary),
	    "{\"total\":%lld,\"inserted\":%lld,\"updated\":%lld,\"rejected\":%lld}",
	    (long long)r->job.total, (long long)r->job.inserted,
	    (long long)r->job.updated, (long long)r->job.rejected);
	snprintf(target, sizeof(target), "job:%lld", (long long)r->job.id);
	memset(&ae, 0, sizeof(ae));
	ae.actor_id = r->job.actor_id;
	ae.actor = r->job.actor;
	ae.ip = "-";
	ae.org_id = r->job.org_id;
	ae.org_path = r->job.org_path;
	ae.action = "workers.import";
	ae.target = target;
	ae.result = "ok";
	ae.summary = summary;
	if ((rc = jobs_finish(c, r->job.id, 1, NULL)) ||
	    (rc = jobs_drop_file(c, r->job.id)) ||
	    (rc = upload_drop_of_job(c, r->job.id)) ||
	    (rc = audit_append(c, &ae)) || (rc = db_commit(c)))
		db_rollback(c);
out:
	db_release(c);
	return rc;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Back to the row after the header (read once already, so it reads). */
static int
rewind_rows(struct run *r)
{
	struct csv_row header;
	int rc = csvin_seek_record(r->csv, 1);

	if (!rc && (rc = csvin_next(r->csv, &header)) == 1)
		return 0;
	return rc < 0 && rc != ERR_INVALID ? rc : ERR_INTERNAL;
}

/* Whether apply_row would take the row, as far as the file alone says: its
 * cells are valid and its org is one in scope. */
static int
row_importable(const struct run *r, const struct csv_row *row)
{
	const char *cells[WC__MAX] = {0};
	const struct org_ref *org = NULL;
	struct worker_rec rec;
	struct row_errors errs;

	if (row->bad_field >= 0)
		return 0;
	for (int i = 0; i < row->nfields && i < CSV_MAX_FIELDS; i++)
		if (r->colmap[i] >= 0)
			cells[r->colmap[i]] = row->field[i];
	if (worker_normalise(cells, r->today, &rec, &errs))
		return 0;
	if (rec.org_code[0])
		org = org_map_get(&r->by_code, rec.org_code);
	if (!org && rec.org_name[0])
		org = org_map_get(&r->by_name, rec.org_name);
	if (!org && (rec.org_name[0] || rec.org_code[0]))
		return 0;
	return !org || (!org->ambiguous && !org->disabled);
}

/* Finds the ID numbers the file names more than once and, for each, the
 * last row that can be imported (r->last; 0 when none can, and each row
 * then answers for its own errors). So a later row wins only if it is
 * valid: a person is never lost to a later row that is refused. 0, 1 when
 * a row cannot be split (*bad_row set), or an error. */
static int
repeated_keys(struct run *r, long records, long *bad_row)
{
	struct csv_row row;
	uint64_t *keys;
	size_t n = 0, dups = 0, i;
	int idcol = r->present[WC_ID_NO], rc;

	keys = malloc(sizeof(*keys) * (size_t)(records > 0 ? records : 1));
	if (!keys)
		return ERR_NOMEM;
	while ((rc = csvin_next(r->csv, &row)) == 1) {
		if (idcol < row.nfields && row.field[idcol] &&
		    id_key(row.field[idcol]) && n < (size_t)records)
			keys[n++] = id_key(row.field[idcol]);
	}
	if (rc < 0) {
		*bad_row = row.number;
		rc = rc == ERR_INVALID ? 1 : rc;
		goto out;
	}
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (i = 1; i < n; i++)
		if (keys[i] == keys[i - 1] && (i < 2 || keys[i - 1] != keys[i - 2]))
			dups++;
	if ((rc = last_map_init(&r->last, (long)dups)))
		goto out;
	for (i = 1; i < n; i++)
		if (keys[i] == keys[i - 1])
			*last_map_slot(&r->last, keys[i]) = 0;
	free(keys);
	keys = NULL;
	if (!dups)
		goto out;
	if ((rc = rewind_rows(r)))
		goto out;
	while ((rc = csvin_next(r->csv, &row)) == 1) {
		long *last;
		if (idcol < row.nfields && row.field[idcol] &&
		    (last = last_map_find(&r->last, id_key(row.field[idcol]))) &&
		    row_importable(r, &row))
			*last = row.number;
	}
	rc = rc < 0 ? (rc == ERR_INVALID ? ERR_INTERNAL : rc) : 0;
out:
	free(keys);
	return rc;
}

int
workers_import_run(struct db *db, const struct pii_key *k, int64_t job_id)
{
	struct run r;
	struct buf file;
	struct csv_row row;
	struct db_conn *c = NULL;
	const char *why_en, *why_zh, *missing;
	long records, bad_row = 0, max_batch = batch_rows();
	int rc, more = 1;

	memset(&r, 0, sizeof(r));
	r.db = db;
	r.key = k;
	rollup_init(&r.delta);
	buf_init(&file, (size_t)1 << 31);
	clock_today(r.today);
	rc = db_acquire(db, DB_READ, &c);
	if (rc)
		goto out;
	if ((rc = jobs_get(c, job_id, &r.job)) ||
	    (rc = load_orgs(c, r.job.org_path, &r.by_name, &r.by_code)))
		goto out;
	db_release(c);
	c = NULL;
	/* the upload, read a chunk at a time; a job queued by an older
	 * version has its file with the job, read whole */
	rc = upload_reader_of_job(db, k, job_id, &r.upload);
	if (rc == ERR_NOTFOUND) {
		if ((rc = db_acquire(db, DB_READ, &c)) ||
		    (rc = jobs_get_file(c, k, job_id, &file)))
			goto out;
		db_release(c);
		c = NULL;
		rc = csvin_open(file.data ? file.data : "", file.len, &r.csv,
		    &why_en, &why_zh);
	} else if (!rc) {
		/* an .xlsx is converted into file (wiped at the end) */
		rc = roster_open(r.upload, &file, &r.csv, &why_en, &why_zh);
		if (rc && rc != ERR_INVALID && rc != ERR_NOMEM)
			goto out;     /* the store failed: the job is tried again */
	} else {
		goto out;
	}
	if (rc) {
		char msg[300];
		snprintf(msg, sizeof(msg), "%s (%s)", why_zh, why_en);
		rc = fail_job(&r, msg);
		goto out;
	}
	records = csvin_records(r.csv);
	if (csvin_next(r.csv, &row) != 1 ||
	    import_map_header(&row, r.colmap, r.present, &missing)) {
		char msg[300];
		snprintf(msg, sizeof(msg), "缺少必填列“%s” (a required column is missing)",
		    csvin_records(r.csv) > 0 ? missing : "?");
		rc = fail_job(&r, msg);
		goto out;
	}
	join_cells(&row, r.header, sizeof(r.header));
	rc = repeated_keys(&r, records, &bad_row);
	if (rc == 1) {
		char msg[160];
		snprintf(msg, sizeof(msg), "第%ld行格式错误，文件无法解析 "
		    "(row %ld is malformed)", bad_row, bad_row);
		rc = fail_job(&r, msg);
		goto out;
	}
	if (rc)
		goto out;
	r.job.total = records > 0 ? records - 1 : 0;
	/* resume after the last committed batch: skip the rows it applied */
	if ((rc = rewind_rows(&r)))
		goto out;
	for (int64_t skip = 0; skip < r.job.done; skip++) {
		if (csvin_next(r.csv, &row) == 0) {
			more = 0;
			break;
		}
	}
	while (more) {
		long in_batch = 0;
		uint64_t started = time_mono_ns();

		if ((rc = db_acquire(db, DB_WRITE, &c)) || (rc = db_begin(c)))
			goto out;
		if (!r.job.done && r.header[0]) {
			struct job_error e = {1, WORKERS_ORIGINAL_COL, "", "", r.header};

			if ((rc = jobs_error_add(c, r.key, r.job.id, &e))) {
				db_rollback(c);
				goto out;
			}
			r.header[0] = '\0';
		}
		/* the next chunk of the file comes through the batch's own
		 * connection: on SQLite the writer reads as well as any */
		if (r.upload)
			upload_reader_use(r.upload, c);
		while (in_batch < max_batch &&
		    ((in_batch & 255) || time_mono_ns() - started < BATCH_NS)) {
			int got = csvin_next(r.csv, &row), res;

			if (got == 0) {
				more = 0;
				break;
			}
			if (got < 0 && got != ERR_INVALID) {
				rc = got;       /* the store failed reading the file */
				db_rollback(c);
				goto out;
			}
			if (got < 0) {
				r.cur = NULL;
				res = reject(c, &r, row.number, -1,
				    "the row is malformed (unbalanced quotes or too many fields)",
				    "该行格式错误（引号不成对或列数过多）", NULL) ? -1 : 1;
				more = 0;      /* the parser cannot go on past it */
			} else {
				res = apply_row(c, &r, &row);
			}
			if (res < 0) {
				rc = ERR_DB;
				db_rollback(c);
				goto out;
			}
			if (res > 0)
				r.job.rejected++;
			r.job.done++;
			in_batch++;
		}
		if (r.upload)
			upload_reader_use(r.upload, NULL);
		if ((rc = rollup_apply(c, &r.delta)) || (rc = jobs_progress(c, &r.job)) ||
		    (rc = db_commit(c))) {
			db_rollback(c);
			goto out;
		}
		db_release(c);
		c = NULL;
	}
	rc = finish_job(&r);
out:
	if (rc)
		log_warn("import job %lld: %s", (long long)job_id, err_name(rc));
	if (r.upload)
		upload_reader_use(r.upload, NULL);
	if (c)
		db_release(c);
	if (r.csv)
		csvin_close(r.csv);
	upload_reader_close(r.upload);
	last_map_free(&r.last);
	org_map_free(&r.by_name);
	org_map_free(&r.by_code);
	rollup_free(&r.delta);
	if (file.data)
		sodium_memzero(file.data, file.len);
	buf_free(&file);
	return rc;
}
