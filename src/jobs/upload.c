/* Uploads kept in the store as they arrive (jobs.h "Uploads"). Each chunk
 * is written in its own short statement, so a 400 MiB upload never holds
 * the store's writer for more than one chunk's insert. */
#include "jobs/jobs.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/pii.h"
#include "db/db.h"

/* Plain bytes per sealed chunk, as for job files. */
#define UPLOAD_CHUNK_BYTES ((size_t)1 << 20)

struct upload_writer {
	struct db *db;
	const struct pii_key *key;
	int64_t id, seq, bytes;
	struct buf plain, sealed;
};

struct upload_reader {
	struct db *db;
	struct db_conn *conn;        /* the caller's, or NULL: borrow one */
	const struct pii_key *key;
	int64_t id, seq, chunks;
	struct buf plain;
	size_t off;
};

static int
write_chunk(struct upload_writer *w)
{
	struct db_conn *c;
	int rc;

	if (!w->plain.len)
		return 0;
	buf_reset(&w->sealed);
	if ((rc = pii_seal(w->key, w->plain.data, w->plain.len, &w->sealed)))
		return rc;
	if ((rc = db_acquire(w->db, DB_WRITE, &c)))
		return rc;
	if (!(rc = db_prep(c, UPLOAD_CHUNK_INSERT))) {
		db_bind_int(c, 1, w->id);
		db_bind_int(c, 2, w->seq);
		db_bind_text(c, 3, w->sealed.data);
		rc = db_run(c);
	}
	db_release(c);
	if (!rc) {
		w->seq++;
		sodium_memzero(w->plain.data, w->plain.len);
		buf_reset(&w->plain);
	}
	return rc;
}

int
upload_begin(struct db *db, const struct pii_key *k, int64_t actor_id,
    struct upload_writer **out)
{
	struct upload_writer *w = calloc(1, sizeof(*w));
	struct db_conn *c;
	int rc;

	*out = NULL;
	if (!w)
		return ERR_NOMEM;
	w->db = db;
	w->key = k;
	buf_init(&w->plain, UPLOAD_CHUNK_BYTES);
	buf_init(&w->sealed, UPLOAD_CHUNK_BYTES * 2);
	if ((rc = db_acquire(db, DB_WRITE, &c)))
		goto out;
	if (!(rc = db_prep(c, UPLOAD_INSERT))) {
		if (actor_id)
			db_bind_int(c, 1, actor_id);
		else
			db_bind_null(c, 1);
		db_bind_int(c, 2, clock_real());
		if (!(rc = db_one(c)))
			w->id = db_col_int(c, 0);
		db_done(c);
	}
	db_release(c);
out:
	if (rc) {
		buf_free(&w->plain);
		buf_free(&w->sealed);
		free(w);
		return rc;
	}
	*out = w;
	return 0;
}

int
upload_write(struct upload_writer *w, const char *data, size_t len)
{
	int rc;

	while (len) {
		size_t room = UPLOAD_CHUNK_BYTES - w->plain.len;
		size_t n = len < room ? len : room;

		if ((rc = buf_append(&w->plain, data, n)))
			return rc;
		data += n;
		len -= n;
		w->bytes += (int64_t)n;
		if (w->plain.len == UPLOAD_CHUNK_BYTES && (rc = write_chunk(w)))
			return rc;
	}
	return 0;
}

static void
writer_free(struct upload_writer *w)
{
	if (w->plain.data)
		sodium_memzero(w->plain.data, w->plain.len);
	buf_free(&w->plain);
	buf_free(&w->sealed);
	free(w);
}

int
upload_end(struct upload_writer *w, int64_t *id, int64_t *bytes)
{
	struct db_conn *c;
	int rc;

	if ((rc = write_chunk(w)))
		goto out;
	if ((rc = db_acquire(w->db, DB_WRITE, &c)))
		goto out;
	if (!(rc = db_prep(c, UPLOAD_COMPLETE))) {
		db_bind_int(c, 1, w->bytes);
		db_bind_int(c, 2, w->id);
		rc = db_run(c);
	}
	db_release(c);
out:
	if (rc) {
		upload_abort(w);
		return rc;
	}
	*id = w->id;
	*bytes = w->bytes;
	writer_free(w);
	return 0;
}

static int
drop(struct db_conn *c, int64_t id, enum db_stmt_id which)
{
	int rc;

	if ((rc = db_prep(c, UPLOAD_CHUNKS_DELETE)))
		return rc;
	db_bind_int(c, 1, id);
	if ((rc = db_run(c)) || (rc = db_prep(c, which)))
		return rc;
	db_bind_int(c, 1, id);
	return db_run(c);
}

void
upload_abort(struct upload_writer *w)
{
	struct db_conn *c;

	if (!w)
		return;
	if (!db_acquire(w->db, DB_WRITE, &c)) {
		if (drop(c, w->id, UPLOAD_DELETE))
			log_warn("upload %lld: not deleted; the sweep will",
			    (long long)w->id);
		db_release(c);
	}
	writer_free(w);
}

int
upload_adopt(struct db_conn *c, int64_t id, int64_t job_id)
{
	int rc = db_prep(c, UPLOAD_ADOPT);

	if (rc)
		return rc;
	db_bind_int(c, 1, job_id);
	db_bind_int(c, 2, id);
	if ((rc = db_run(c)))
		return rc;
	return db_changes(c) == 1 ? 0 : ERR_NOTFOUND;
}

int
upload_release(struct db *db, int64_t id)
{
	struct db_conn *c;
	int rc;

	if ((rc = db_acquire(db, DB_WRITE, &c)))
		return rc;
	if ((rc = db_begin(c)))
		goto out;
	/* only an upload no job took: the chunks first (they refer to it) */
	if ((rc = db_prep(c, UPLOAD_UNCLAIMED_CHUNKS_DELETE)))
		goto fail;
	db_bind_int(c, 1, id);
	if ((rc = db_run(c)) || (rc = db_prep(c, UPLOAD_UNCLAIMED_DELETE)))
		goto fail;
	db_bind_int(c, 1, id);
	if ((rc = db_run(c)))
		goto fail;
	if (!(rc = db_commit(c)))
		goto out;
fail:
	db_rollback(c);
out:
	db_release(c);
	return rc;
}

int
upload_drop_of_job(struct db_conn *c, int64_t job_id)
{
	int64_t id = 0;
	int rc = db_prep(c, UPLOAD_OF_JOB);

	if (rc)
		return rc;
	db_bind_int(c, 1, job_id);
	rc = db_one(c);
	if (!rc)
		id = db_col_int(c, 0);
	db_done(c);
	if (rc == ERR_NOTFOUND)
		return 0;
	return rc ? rc : drop(c, id, UPLOAD_DELETE);
}

int
uploads_sweep(struct db *db, int64_t before, int64_t *n)
{
	int64_t ids[100];
	struct db_conn *c;
	int rc, k = 0;

	*n = 0;
	if ((rc = db_acquire(db, DB_WRITE, &c)))
		return rc;
	if ((rc = db_prep(c, UPLOAD_STALE)))
		goto out;
	db_bind_int(c, 1, before);
	while (k < 100 && (rc = db_step(c)) == DB_ROW)
		ids[k++] = db_col_int(c, 0);
	db_done(c);
	if (rc < 0)
		goto out;
	rc = 0;
	for (int i = 0; i < k && !rc; i++) {
		if ((rc = db_begin(c)))
			break;
		if ((rc = drop(c, ids[i], UPLOAD_DELETE)) || (rc = db_commit(c)))
			db_rollback(c);
		else
			(*n)++;
	}
out:
	db_release(c);
	return rc;
}

/* ---- reading ---- */

int
upload_reader_open(struct db *db, const struct pii_key *k, int64_t id,
    struct upload_reader **out)
{
	struct upload_reader *r;
	struct db_conn *c;
	int rc, complete = 0;

	*out = NULL;
	if (!(r = calloc(1, sizeof(*r))))
		return ERR_NOMEM;
	r->db = db;
	r->key = k;
	r->id = id;
	buf_init(&r->plain, UPLOAD_CHUNK_BYTES + 64);
	if ((rc = db_acquire(db, DB_READ, &c)))
		goto out;
	if (!(rc = db_prep(c, UPLOAD_GET))) {
		db_bind_int(c, 1, id);
		if (!(rc = db_one(c))) {
			complete = (int)db_col_int(c, 1);
			r->chunks = db_col_int(c, 2);
		}
		db_done(c);
	}
	db_release(c);
	if (!rc && !complete)
		rc = ERR_NOTFOUND;
out:
	if (rc) {
		upload_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int
upload_reader_of_job(struct db *db, const struct pii_key *k, int64_t job_id,
    struct upload_reader **out)
{
	struct db_conn *c;
	int64_t id = 0;
	int rc;

	*out = NULL;
	if ((rc = db_acquire(db, DB_READ, &c)))
		return rc;
	if (!(rc = db_prep(c, UPLOAD_OF_JOB))) {
		db_bind_int(c, 1, job_id);
		if (!(rc = db_one(c)))
			id = db_col_int(c, 0);
		db_done(c);
	}
	db_release(c);
	return rc ? rc : upload_reader_open(db, k, id, out);
}

void
upload_reader_use(struct upload_reader *r, struct db_conn *c)
{
	r->conn = c;
}

static int
fetch(struct upload_reader *r)
{
	struct db_conn *c = r->conn;
	int rc;

	if (!c && (rc = db_acquire(r->db, DB_READ, &c)))
		return rc;
	if (!(rc = db_prep(c, UPLOAD_CHUNK))) {
		db_bind_int(c, 1, r->id);
		db_bind_int(c, 2, r->seq);
		if (!(rc = db_one(c))) {
			const char *s = db_col_text(c, 0);
			sodium_memzero(r->plain.data, r->plain.len);
			buf_reset(&r->plain);
			rc = pii_open(r->key, s, strlen(s), &r->plain);
		}
		db_done(c);
	}
	if (c != r->conn)
		db_release(c);
	if (rc == ERR_NOTFOUND)
		rc = ERR_INTERNAL;     /* counted at open: a chunk went missing */
	if (!rc) {
		r->seq++;
		r->off = 0;
	}
	return rc;
}

int
upload_read(void *ctx, char *dst, size_t max, size_t *got)
{
	struct upload_reader *r = ctx;
	int rc;

	*got = 0;
	if (r->off == r->plain.len) {
		if (r->seq >= r->chunks)
			return 0;
		if ((rc = fetch(r)))
			return rc;
	}
	*got = r->plain.len - r->off < max ? r->plain.len - r->off : max;
	memcpy(dst, r->plain.data + r->off, *got);
	r->off += *got;
	return 0;
}

int
upload_rewind(void *ctx)
{
	struct upload_reader *r = ctx;

	r->seq = 0;
	r->off = r->plain.len = 0;
	return 0;
}

void
upload_reader_close(struct upload_reader *r)
{
	if (!r)
		return;
	if (r->plain.data)
		sodium_memzero(r->plain.data, r->plain.cap);
	buf_free(&r->plain);
	free(r);
}
