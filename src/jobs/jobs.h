/* Long work (imports, large exports) kept in the store: a request creates a
 * job and returns its id at once; a runner thread in every server process
 * claims queued jobs, and jobs whose heartbeat went stale (their process
 * died) are claimed again and resumed. Progress is written in the same
 * transaction as the work it describes. */
#ifndef CHANGAI_JOBS_H
#define CHANGAI_JOBS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "base/jw.h"
#include "db/db.h"
#include "scope/scope.h"

struct db;
struct db_conn;
struct buf;
struct pii_key;

/* A job whose heartbeat is older than this is taken to be orphaned. */
#define JOB_STALE_SECONDS 15

struct job {
	int64_t id, org_id, actor_id, created, started, finished, heartbeat;
	int64_t total, done, inserted, updated, rejected;
	char kind[32];
	char state[12];
	char org_path[ORG_PATH_MAX];
	char actor[64];
	char params[512];
	char error[512];
};

int jobs_create(struct db_conn *c, const char *kind, int64_t org_id,
    const char *org_path, int64_t actor_id, const char *actor,
    const char *params, int64_t total, int64_t *id);
int jobs_get(struct db_conn *c, int64_t id, struct job *j);
/* Keeps a file with the job, sealed with the personal-data key. */
int jobs_put_file(struct db_conn *c, const struct pii_key *k, int64_t id,
    const char *data, size_t len);
/* Appends the job's file to out. */
int jobs_get_file(struct db_conn *c, const struct pii_key *k, int64_t id,
    struct buf *out);
int jobs_drop_file(struct db_conn *c, int64_t id);
/* Deletes the files of export jobs finished before `before` (epoch
 * seconds, real time); *n counts the chunks deleted. */
int jobs_expire_files(struct db *db, int64_t before, int64_t *n);
/* Whether a finished export job's file has expired (settings hours). */
int jobs_file_expired(const struct job *j, int64_t hours);

/* Uploads: a file received in pieces is kept sealed in the store as it
 * arrives (upload_begin, upload_write per piece, upload_end), so no request
 * and no job holds the whole file; a job reads it back a chunk at a time
 * (upload_reader_open, then upload_read / upload_rewind, the shape of a
 * csv_source). The job that takes an upload (upload_adopt, in the
 * transaction that creates the job) drops it when it ends; upload_release,
 * after the request, deletes one that no job took, and uploads_sweep what
 * a dead process left. upload_end and upload_abort free the writer. */
struct upload_writer;
struct upload_reader;
int upload_begin(struct db *db, const struct pii_key *k, int64_t actor_id,
    struct upload_writer **out);
int upload_write(struct upload_writer *w, const char *data, size_t len);
int upload_end(struct upload_writer *w, int64_t *id, int64_t *bytes);
void upload_abort(struct upload_writer *w);
/* ERR_NOTFOUND unless the upload is complete and no job has it. */
int upload_adopt(struct db_conn *c, int64_t id, int64_t job_id);
int upload_release(struct db *db, int64_t id);
int upload_drop_of_job(struct db_conn *c, int64_t job_id);
/* Deletes uploads no job took that began before `before` (real time), and
 * those of ended jobs; *n counts them. */
int uploads_sweep(struct db *db, int64_t before, int64_t *n);
/* ERR_NOTFOUND for an upload that is not complete. */
int upload_reader_open(struct db *db, const struct pii_key *k, int64_t id,
    struct upload_reader **out);
/* Reads through the caller's connection (one it holds for a batch)
 * instead of borrowing one per chunk; NULL to borrow again. */
void upload_reader_use(struct upload_reader *r, struct db_conn *c);
/* The reader of the upload a job took; ERR_NOTFOUND when it took none
 * (a job queued by an older version keeps its file with the job). */
int upload_reader_of_job(struct db *db, const struct pii_key *k,
    int64_t job_id, struct upload_reader **out);
int upload_read(void *reader, char *dst, size_t max, size_t *got);
int upload_rewind(void *reader);
void upload_reader_close(struct upload_reader *r);

int jobs_progress(struct db_conn *c, const struct job *j);
int jobs_finish(struct db_conn *c, int64_t id, int ok, const char *error);
/* Claims a specific job (0) or ERR_CONFLICT when another process has it. */
int jobs_claim(struct db *db, int64_t id);
void jobs_json(struct jw *w, const struct job *j);

/* A row a job refused: where, why, and the original cell (which may be an
 * ID number, so it is kept sealed with the personal-data key). */
struct job_error {
	int64_t row;
	const char *col;
	const char *reason_en, *reason_zh;
	const char *value;      /* unsealed; "" when none, "?" when unreadable */
};
/* A value is kept up to this many bytes (a whole original row fits). */
#define JOB_ERROR_VALUE_MAX 16384
/* Records one; runs in the caller's transaction. */
int jobs_error_add(struct db_conn *c, const struct pii_key *k, int64_t job_id,
    const struct job_error *e);
/* Calls fn for each of a job's errors in row order; a non-zero return of
 * fn stops the walk and is returned. */
int jobs_errors_each(struct db_conn *c, const struct pii_key *k, int64_t job_id,
    int (*fn)(void *ctx, const struct job_error *e), void *ctx);

typedef int (*job_fn)(struct db *db, const struct pii_key *k, int64_t job_id);
struct job_kind {
	const char *kind;
	job_fn run;
};

/* Maintenance the runner thread of every process does between jobs: once
 * at start, then every `interval` seconds (0: never). Every node runs it,
 * so it must be idempotent. run writes one line of what it did into said
 * (at most n bytes) and returns < 0 on failure, 0 when there was nothing
 * to do, > 0 when the line is worth logging. */
enum tick_flags {
	TICK_SWEEP = 1,         /* runs at the node's sweep interval */
	TICK_SERVE_ONLY = 2,    /* not part of `changai sweep` */
};
struct job_tick {
	const char *name;
	int (*run)(struct db *db, char *said, size_t n);
	int64_t interval;
	unsigned flags;
};

struct job_runner {
	struct db *db;
	const struct pii_key *key;
	const struct job_kind *kinds;   /* NULL-kind terminated */
	const struct job_tick *ticks;   /* the caller's; outlives the runner */
	int nticks;
	int64_t *next_tick;             /* nticks of them, the runner's */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop, started;
};
int job_runner_start(struct job_runner *r, struct db *db,
    const struct pii_key *key, const struct job_kind *kinds,
    const struct job_tick *ticks, int nticks);
void job_runner_kick(struct job_runner *r);
void job_runner_stop(struct job_runner *r);
/* Runs one job to its end in the calling thread (the command line). */
int job_run_now(struct db *db, const struct pii_key *key,
    const struct job_kind *kinds, int64_t id);


#endif
