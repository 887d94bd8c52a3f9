#include "jobs/jobs.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/pii.h"
#include "base/util.h"
#include "db/db.h"

/* Files are sealed in pieces so no single row grows past what both
 * engines handle comfortably. */
#define CHUNK_BYTES (1u << 20)


int
jobs_create(struct db_conn *c, const char *kind, int64_t org_id,
    const char *org_path, int64_t actor_id, const char *actor,
    const char *params, int64_t total, int64_t *id)
{
	int rc = db_prep(c, JOB_INSERT);

	if (rc)
		return rc;
	db_bind_text(c, 1, kind);
	db_bind_int(c, 2, org_id);
	db_bind_text(c, 3, org_path);
	if (actor_id)
		db_bind_int(c, 4, actor_id);
	else
		db_bind_null(c, 4);
	db_bind_text(c, 5, actor);
	db_bind_text(c, 6, params);
	db_bind_int(c, 7, clock_real());
	db_bind_int(c, 8, total);
	rc = db_one(c);
	if (!rc)
		*id = db_col_int(c, 0);
	db_done(c);
	return rc;
}

int
jobs_get(struct db_conn *c, int64_t id, struct job *j)
{
	int rc = db_prep(c, JOB_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	rc = db_one(c);
	if (!rc) {
		j->id = db_col_int(c, 0);
		db_col_copy(c, 1, j->kind, sizeof(j->kind));
		db_col_copy(c, 2, j->state, sizeof(j->state));
		j->org_id = db_col_int(c, 3);
		db_col_copy(c, 4, j->org_path, sizeof(j->org_path));
		j->actor_id = db_col_null(c, 5) ? 0 : db_col_int(c, 5);
		db_col_copy(c, 6, j->actor, sizeof(j->actor));
		db_col_copy(c, 7, j->params, sizeof(j->params));
		j->created = db_col_int(c, 8);
		j->started = db_col_int(c, 9);
		j->finished = db_col_int(c, 10);
		j->heartbeat = db_col_int(c, 11);
		j->total = db_col_int(c, 12);
		j->done = db_col_int(c, 13);
		j->inserted = db_col_int(c, 14);
		j->updated = db_col_int(c, 15);
		j->rejected = db_col_int(c, 16);
		db_col_copy(c, 17, j->error, sizeof(j->error));
	}
	db_done(c);
	return rc;
}

int
jobs_put_file(struct db_conn *c, const struct pii_key *k, int64_t id,
    const char *data, size_t len)
{
	struct buf sealed;
	size_t off = 0;
	int64_t seq = 0;
	int rc = 0;

	buf_init(&sealed, CHUNK_BYTES * 2);
	do {
		size_t n = len - off > CHUNK_BYTES ? CHUNK_BYTES : len - off;

		buf_reset(&sealed);
		if ((rc = pii_seal(k, data + off, n, &sealed)) ||
		    (rc = db_prep(c, JOB_CHUNK_INSERT)))
			break;
		db_bind_int(c, 1, id);
		db_bind_int(c, 2, seq++);
		db_bind_text(c, 3, sealed.data);
		if ((rc = db_run(c)))
			break;
		off += n;
	} while (off < len);
	buf_free(&sealed);
	return rc;
}

int
jobs_get_file(struct db_conn *c, const struct pii_key *k, int64_t id,
    struct buf *out)
{
	int rc = db_prep(c, JOB_CHUNKS);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	while ((rc = db_step(c)) == DB_ROW) {
		const char *s = db_col_text(c, 1);
		if ((rc = pii_open(k, s, strlen(s), out)))
			break;
	}
	db_done(c);
	return rc < 0 ? rc : 0;
}

int
jobs_drop_file(struct db_conn *c, int64_t id)
{
	int rc = db_prep(c, JOB_CHUNKS_DELETE);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	return db_run(c);
}

int
jobs_expire_files(struct db *db, int64_t before, int64_t *n)
{
	struct db_conn *c;
	int rc;

	*n = 0;
	if ((rc = db_acquire(db, DB_WRITE, &c)))
		return rc;
	if (!(rc = db_prep(c, JOB_FILES_EXPIRE))) {
		db_bind_int(c, 1, before);
		if (!(rc = db_run(c)))
			*n = db_changes(c);
	}
	db_release(c);
	return rc;
}

int
jobs_file_expired(const struct job *j, int64_t hours)
{
	return j->finished && j->finished + hours * 3600 < clock_real();
}

int
jobs_progress(struct db_conn *c, const struct job *j)
{
	int rc = db_prep(c, JOB_PROGRESS);

	if (rc)
		return rc;
	db_bind_int(c, 1, j->done);
	db_bind_int(c, 2, j->inserted);
	db_bind_int(c, 3, j->updated);
	db_bind_int(c, 4, j->rejected);
	db_bind_int(c, 5, clock_real());
	db_bind_int(c, 6, j->total);
	db_bind_int(c, 7, j->id);
	return db_run(c);
}

int
jobs_finish(struct db_conn *c, int64_t id, int ok, const char *error)
{
	int rc = db_prep(c, JOB_FINISH);

	if (rc)
		return rc;
	db_bind_text(c, 1, ok ? "done" : "failed");
	db_bind_text(c, 2, error);
	db_bind_int(c, 3, clock_real());
	db_bind_int(c, 4, id);
	return db_run(c);
}

int
jobs_claim(struct db *db, int64_t id)
{
	struct db_conn *c;
	int64_t now = clock_real();
	int rc;

	rc = db_acquire(db, DB_WRITE, &c);
	if (rc)
		return rc;
	rc = db_prep(c, JOB_CLAIM);
	if (!rc) {
		db_bind_int(c, 1, now);
		db_bind_int(c, 2, id);
		db_bind_int(c, 3, now - JOB_STALE_SECONDS);
		rc = db_run(c);
		if (!rc && db_changes(c) != 1)
			rc = ERR_CONFLICT;
	}
	db_release(c);
	return rc;
}

void
jobs_json(struct jw *w, const struct job *j)
{
	jw_obj_open(w);
	jw_kint(w, "id", j->id);
	jw_kstr(w, "kind", j->kind);
	jw_kstr(w, "state", j->state);
	jw_kint(w, "org_id", j->org_id);
	jw_kint(w, "total", j->total);
	jw_kint(w, "done", j->done);
	jw_kint(w, "inserted", j->inserted);
	jw_kint(w, "updated", j->updated);
	jw_kint(w, "rejected", j->rejected);
	if (j->error[0])
		jw_kstr(w, "error", j->error);
	else
		jw_knull(w, "error");
	jw_ktime(w, "created", j->created);
	jw_ktime(w, "started", j->started);
	jw_ktime(w, "finished", j->finished);
	jw_obj_close(w);
}

static job_fn
find_kind(const struct job_kind *kinds, const char *kind)
{
	for (; kinds && kinds->kind; kinds++)
		if (!strcmp(kinds->kind, kind))
			return kinds->run;
	return NULL;
}

int
job_run_now(struct db *db, const struct pii_key *key,
    const struct job_kind *kinds, int64_t id)
{
	struct db_conn *c;
	struct job j;
	job_fn fn;
	int rc;

	rc = db_acquire(db, DB_READ, &c);
	if (rc)
		return rc;
	rc = jobs_get(c, id, &j);
	db_release(c);
	if (rc)
		return rc;
	fn = find_kind(kinds, j.kind);
	if (!fn)
		return ERR_INVALID;
	rc = jobs_claim(db, id);
	if (rc)
		return rc;
	rc = fn(db, key, id);
	if (rc) {
		/* the job function records its own failures when it can; this
		 * covers the store failing under it */
		if (!db_acquire(db, DB_WRITE, &c)) {
			jobs_finish(c, id, 0, err_name(rc));
			db_release(c);
		}
	}
	return rc;
}

static int64_t
next_job(struct db *db)
{
	struct db_conn *c;
	int64_t id = 0;

	if (db_acquire(db, DB_READ, &c))
		return 0;
	if (!db_prep(c, JOB_NEXT)) {
		db_bind_int(c, 1, clock_real() - JOB_STALE_SECONDS);
		if (!db_one(c))
			id = db_col_int(c, 0);
		db_done(c);
	}
	db_release(c);
	return id;
}

/* Runs the ticks that are due; a failure is logged and retried at the
 * next interval, never stops the runner. */
static void
run_ticks(struct job_runner *r)
{
	int64_t now = clock_real();

	for (int i = 0; i < r->nticks; i++) {
		const struct job_tick *t = &r->ticks[i];
		int rc;

		char said[256] = "";

		if (t->interval <= 0 || now < r->next_tick[i])
			continue;
		rc = t->run(r->db, said, sizeof(said));
		if (rc < 0)
			log_warn("%s: %s", t->name, err_name(rc));
		else if (rc > 0 && said[0])
			log_info("%s", said);
		r->next_tick[i] = clock_real() + t->interval;
	}
}

static void *
runner_main(void *arg)
{
	struct job_runner *r = arg;

	for (;;) {
		struct timespec until;
		int64_t id;

		pthread_mutex_lock(&r->lock);
		if (r->stop) {
			pthread_mutex_unlock(&r->lock);
			break;
		}
		pthread_mutex_unlock(&r->lock);
		run_ticks(r);
		id = next_job(r->db);
		if (id) {
			int rc = job_run_now(r->db, r->key, r->kinds, id);
			if (rc && rc != ERR_CONFLICT)
				log_warn("job %lld: %s", (long long)id, err_name(rc));
			if (rc != ERR_CONFLICT)
				continue;
		}
		/* polls so jobs queued by other nodes are found; a local
		 * enqueue wakes it at once */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 2;
		pthread_mutex_lock(&r->lock);
		if (!r->stop)
			pthread_cond_timedwait(&r->wake, &r->lock, &until);
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

int
job_runner_start(struct job_runner *r, struct db *db,
    const struct pii_key *key, const struct job_kind *kinds,
    const struct job_tick *ticks, int nticks)
{
	memset(r, 0, sizeof(*r));
	if (nticks < 0)
		return ERR_INVALID;
	r->next_tick = calloc((size_t)nticks + 1, sizeof(*r->next_tick));
	if (!r->next_tick)
		return ERR_NOMEM;
	r->db = db;
	r->key = key;
	r->kinds = kinds;
	r->ticks = ticks;
	r->nticks = nticks;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	if (pthread_create(&r->thread, NULL, runner_main, r)) {
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->wake);
		free(r->next_tick);
		r->next_tick = NULL;
		return ERR_INTERNAL;
	}
	r->started = 1;
	return 0;
}

void
job_runner_kick(struct job_runner *r)
{
	if (!r || !r->started)
		return;
	pthread_mutex_lock(&r->lock);
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
}

void
job_runner_stop(struct job_runner *r)
{
	if (!r->started)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->wake);
	free(r->next_tick);
	r->next_tick = NULL;
	r->started = 0;
}

int
jobs_error_add(struct db_conn *c, const struct pii_key *k, int64_t job_id,
    const struct job_error *e)
{
	/* static per thread: a row's value is up to 16 KiB, sealed 22 KiB */
	static _Thread_local char enc[PII_ENC_LEN(JOB_ERROR_VALUE_MAX)];
	static _Thread_local char v[JOB_ERROR_VALUE_MAX + 1];
	int rc = db_prep(c, JOB_ERROR_INSERT);

	if (rc)
		return rc;
	db_bind_int(c, 1, job_id);
	db_bind_int(c, 2, e->row);
	db_bind_text(c, 3, e->col ? e->col : "");
	db_bind_text(c, 4, e->reason_en);
	db_bind_text(c, 5, e->reason_zh);
	if (e->value && *e->value) {
		str_copy(v, sizeof(v), e->value);
		if (!utf8_valid(v, strlen(v)))
			str_copy(v, sizeof(v), "?");
		if (pii_encrypt(k, v, enc, sizeof(enc)))
			db_bind_null(c, 6);
		else
			db_bind_text(c, 6, enc);
	} else {
		db_bind_null(c, 6);
	}
	rc = db_run(c);
	sodium_memzero(v, sizeof(v));
	return rc;
}

int
jobs_errors_each(struct db_conn *c, const struct pii_key *k, int64_t job_id,
    int (*fn)(void *ctx, const struct job_error *e), void *ctx)
{
	int rc = db_prep(c, JOB_ERRORS);

	if (rc)
		return rc;
	db_bind_int(c, 1, job_id);
	while ((rc = db_step(c)) == DB_ROW) {
		static _Thread_local char value[JOB_ERROR_VALUE_MAX + 1];
		const char *enc = db_col_text(c, 4);
		struct job_error e;

		value[0] = '\0';
		if (enc && pii_decrypt(k, enc, value, sizeof(value)))
			str_copy(value, sizeof(value), "?");
		e.row = db_col_int(c, 0);
		e.col = db_col_text(c, 1) ? db_col_text(c, 1) : "";
		e.reason_en = db_col_text(c, 2) ? db_col_text(c, 2) : "";
		e.reason_zh = db_col_text(c, 3) ? db_col_text(c, 3) : "";
		e.value = value;
		if ((rc = fn(ctx, &e)))
			break;
	}
	db_done(c);
	return rc < 0 || rc > 0 ? rc : 0;
}
