/* The engine-independent half of the store: the connection pool, the
 * statement state machine, parameter checks, timing and migrations. The
 * rules are enforced here rather than in each backend so that a mistake
 * caught on SQLite in a unit test is the same mistake on PostgreSQL. */
#include "db/db_impl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#define DB_MAX_CONNS 256

void
db_conn_seterr(struct db_conn *c, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
	/* libpq messages span lines (and end in one), which would show up
	 * escaped in the one-line log. */
	for (n = 0; c->errmsg[n]; n++)
		if (c->errmsg[n] == '\n' || c->errmsg[n] == '\t' ||
		    c->errmsg[n] == '\r')
			c->errmsg[n] = ' ';
	while (n > 0 && c->errmsg[n - 1] == ' ')
		c->errmsg[--n] = '\0';
}

const char *
db_stmt_name(int id)
{
	if (id < 0 || id >= (int)DB_STMT__MAX)
		return "(none)";
	return db_stmt_texts[id].name;
}

static int
is_pg_url(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 ||
	    strncmp(url, "postgresql://", 13) == 0;
}

/* A usage error: sticks until the next db_prep and is logged, because it
 * is a bug in the caller that tests should make loud. */
static void
stick(struct db_conn *c, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
stick(struct db_conn *c, int rc, const char *fmt, ...)
{
	va_list ap;

	if (c->err)
		return;
	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
	c->err = rc;
	log_error("db: %s", c->errmsg);
}

/* Ends the current statement; `ok` says whether its row count counts. */
static void
end_stmt(struct db_conn *c, int ok)
{
	uint64_t t0;

	if (c->state != DB_ST_READY && c->state != DB_ST_ROWS)
		return;
	t0 = time_mono_ns();
	c->db->ops->finish(c, ok && c->state == DB_ST_ROWS);
	c->time_ns += time_mono_ns() - t0;
	c->state = DB_ST_DONE;
	c->last = DB_DONE;
}

int
db_open(const char *url, int readers, struct db **out)
{
	struct db *db = NULL;
	int rc, i;

	if (!out)
		return ERR_INTERNAL;
	*out = NULL;
	if (!url || !*url)
		return ERR_INVALID;
	db = calloc(1, sizeof(*db));
	if (!db)
		return ERR_NOMEM;
	db->kind = is_pg_url(url) ? DB_PG : DB_SQLITE;
	if (db->kind == DB_PG) {
		db->ops = &db_pg_ops;
		db->migs = migrations_pg;
		db->nmigs = migrations_pg_count;
		/* A pool of one would deadlock a writer waiting on a reader. */
		db->nconns = readers < 2 ? 2 : readers;
	} else {
		db->ops = &db_sqlite_ops;
		db->migs = migrations_sqlite;
		db->nmigs = migrations_sqlite_count;
		db->nconns = 1 + (readers < 1 ? 1 : readers);
	}
	if (db->nconns > DB_MAX_CONNS)
		db->nconns = DB_MAX_CONNS;
	rc = ERR_NOMEM;
	db->url = strdup(url);
	db->conns = calloc((size_t)db->nconns, sizeof(*db->conns));
	if (!db->url || !db->conns)
		goto out;
	rc = ERR_INTERNAL;
	if (pthread_mutex_init(&db->mu, NULL) != 0)
		goto out;
	if (pthread_cond_init(&db->cv, NULL) != 0) {
		pthread_mutex_destroy(&db->mu);
		goto out;
	}
	db->sync_ready = 1;
	for (i = 0; i < db->nconns; i++) {
		struct db_conn *c = &db->conns[i];

		c->db = db;
		c->cur = -1;
		c->writer = db->kind == DB_SQLITE && i == 0;
		c->mode = c->writer ? DB_WRITE : DB_READ;
		rc = db->ops->open_conn(c);
		if (rc)
			goto out;
	}
	*out = db;
	db = NULL;
	rc = 0;
out:
	db_close(db);
	return rc;
}

void
db_close(struct db *db)
{
	int i;

	if (!db)
		return;
	if (db->conns) {
		for (i = 0; i < db->nconns; i++)
			db->ops->close_conn(&db->conns[i]);
		free(db->conns);
	}
	if (db->sync_ready) {
		pthread_cond_destroy(&db->cv);
		pthread_mutex_destroy(&db->mu);
	}
	free(db->url);
	free(db);
}

enum db_kind
db_kind(const struct db *db)
{
	return db->kind;
}

struct db *
db_of(struct db_conn *c)
{
	return c->db;
}

int
db_latest_version(const struct db *db)
{
	int i, v = 0;

	for (i = 0; i < db->nmigs; i++)
		if (db->migs[i].version > v)
			v = db->migs[i].version;
	return v;
}

/* Lends connections [lo, hi) to the caller: the first free one. */
static struct db_conn *
take(struct db *db, int lo, int hi)
{
	struct db_conn *c = NULL;
	int i;

	pthread_mutex_lock(&db->mu);
	for (;;) {
		for (i = lo; i < hi; i++) {
			if (!db->conns[i].in_use) {
				c = &db->conns[i];
				break;
			}
		}
		if (c)
			break;
		pthread_cond_wait(&db->cv, &db->mu);
	}
	c->in_use = 1;
	pthread_mutex_unlock(&db->mu);
	return c;
}

static void
give_back(struct db_conn *c)
{
	struct db *db = c->db;

	pthread_mutex_lock(&db->mu);
	c->in_use = 0;
	/* Writers and readers share one condvar, so wake them all. */
	pthread_cond_broadcast(&db->cv);
	pthread_mutex_unlock(&db->mu);
}

/* Brings a connection just taken into a usable state. */
static int
ready(struct db_conn *c)
{
	int rc;

	c->state = DB_ST_NONE;
	c->cur = -1;
	c->err = 0;
	c->errmsg[0] = '\0';
	rc = c->db->ops->check(c);
	if (rc)
		return rc;
	if (c->db->migrated && !c->prepared) {
		rc = c->db->ops->prepare_all(c, 0);
		if (rc)
			return rc;
		c->prepared = 1;
	}
	return 0;
}

int
db_acquire(struct db *db, enum db_mode mode, struct db_conn **out)
{
	struct db_conn *c;
	int lo = 0, hi = db->nconns, rc;

	*out = NULL;
	if (db->kind == DB_SQLITE) {
		if (mode == DB_WRITE)
			hi = 1;
		else
			lo = 1;
	}
	c = take(db, lo, hi);
	c->mode = mode;
	rc = ready(c);
	if (rc) {
		log_error("db: connection unusable: %s", c->errmsg);
		give_back(c);
		return rc;
	}
	*out = c;
	return 0;
}

void
db_release(struct db_conn *c)
{
	if (!c)
		return;
	end_stmt(c, 1);
	if (c->db->ops->in_txn(c)) {
		log_warn("db: connection released inside a transaction; "
		    "rolling back");
		c->db->ops->rollback(c);
	}
	c->state = DB_ST_NONE;
	c->cur = -1;
	c->err = 0;
	give_back(c);
}

int
db_begin(struct db_conn *c)
{
	uint64_t t0;
	int rc;

	end_stmt(c, 1);
	t0 = time_mono_ns();
	rc = c->db->ops->begin(c);
	c->time_ns += time_mono_ns() - t0;
	return rc;
}

int
db_commit(struct db_conn *c)
{
	uint64_t t0;
	int rc;

	end_stmt(c, 1);
	t0 = time_mono_ns();
	rc = c->db->ops->commit(c);
	c->time_ns += time_mono_ns() - t0;
	return rc;
}

void
db_rollback(struct db_conn *c)
{
	uint64_t t0;

	end_stmt(c, 1);
	t0 = time_mono_ns();
	c->db->ops->rollback(c);
	c->time_ns += time_mono_ns() - t0;
}

int
db_exec_literal(struct db_conn *c, const char *sql)
{
	uint64_t t0;
	int rc;

	end_stmt(c, 1);
	t0 = time_mono_ns();
	rc = c->db->ops->exec(c, sql);
	c->time_ns += time_mono_ns() - t0;
	return rc;
}

int
db_prep(struct db_conn *c, enum db_stmt_id id)
{
	int rc, i = (int)id;

	if (c->state == DB_ST_ROWS) {
		/* Finishing silently would hand the outer loop's next db_step
		 * the inner statement; PostgreSQL cannot interleave anyway. */
		int prev = c->cur;

		end_stmt(c, 1);
		c->state = DB_ST_NONE;
		c->cur = -1;
		c->err = 0;
		stick(c, ERR_INTERNAL, "db_prep(%s) while %s still has a row: "
		    "call db_done first", db_stmt_name(i), db_stmt_name(prev));
		return ERR_INTERNAL;
	}
	end_stmt(c, 0);
	c->state = DB_ST_NONE;
	c->cur = -1;
	c->err = 0;
	c->bound = 0;
	c->nparams = 0;
	c->errmsg[0] = '\0';
	if (i < 0 || i >= (int)DB_STMT__MAX) {
		stick(c, ERR_INTERNAL, "db_prep: no statement %d", i);
		return ERR_INTERNAL;
	}
	if (!c->prepared) {
		stick(c, ERR_INTERNAL, "db_prep(%s): statements are not prepared "
		    "(db_migrate has not run)", db_stmt_name(i));
		return ERR_INTERNAL;
	}
	rc = c->db->ops->prep(c, i);
	if (rc) {
		stick(c, rc, "db_prep(%s): %s", db_stmt_name(i), c->errmsg);
		return rc;
	}
	c->cur = i;
	c->state = DB_ST_READY;
	return 0;
}

static int
can_bind(struct db_conn *c, int idx)
{
	if (c->err)
		return 0;
	if (c->state != DB_ST_READY) {
		stick(c, ERR_INTERNAL, "%s: bind $%d outside prep..step",
		    db_stmt_name(c->cur), idx);
		return 0;
	}
	if (idx < 1 || idx > c->nparams) {
		stick(c, ERR_INTERNAL, "%s has no parameter $%d (it has %d)",
		    db_stmt_name(c->cur), idx, c->nparams);
		return 0;
	}
	return 1;
}

static void
bound(struct db_conn *c, int idx, int rc)
{
	if (rc) {
		stick(c, rc, "%s: binding $%d: %s", db_stmt_name(c->cur), idx,
		    c->errmsg);
		return;
	}
	c->bound |= UINT64_C(1) << (idx - 1);
}

void
db_bind_int(struct db_conn *c, int idx, int64_t v)
{
	if (can_bind(c, idx))
		bound(c, idx, c->db->ops->bind_int(c, idx, v));
}

void
db_bind_text(struct db_conn *c, int idx, const char *s)
{
	if (!s) {
		db_bind_null(c, idx);
		return;
	}
	if (can_bind(c, idx))
		bound(c, idx, c->db->ops->bind_text(c, idx, s));
}

void
db_col_copy(struct db_conn *c, int col, char *dst, size_t n)
{
	const char *s = db_col_text(c, col);

	str_copy(dst, n, s ? s : "");
}

void
db_bind_double(struct db_conn *c, int idx, double v)
{
	if (can_bind(c, idx))
		bound(c, idx, c->db->ops->bind_double(c, idx, v));
}

void
db_bind_null(struct db_conn *c, int idx)
{
	if (can_bind(c, idx))
		bound(c, idx, c->db->ops->bind_null(c, idx));
}

int
db_step(struct db_conn *c)
{
	uint64_t t0, all;
	int rc, k;

	if (c->err) {
		end_stmt(c, 0);
		return c->err;
	}
	switch (c->state) {
	case DB_ST_NONE:
		stick(c, ERR_INTERNAL, "db_step without db_prep");
		return ERR_INTERNAL;
	case DB_ST_DONE:
		return c->last;
	case DB_ST_READY:
		all = c->nparams ? (UINT64_C(1) << c->nparams) - 1 : 0;
		if (c->bound != all) {
			/* SQLite would bind NULL, PostgreSQL would refuse: refuse on both. */
			for (k = 0; k < c->nparams; k++)
				if (!(c->bound & (UINT64_C(1) << k)))
					break;
			stick(c, ERR_INTERNAL, "%s: parameter $%d is not bound",
			    db_stmt_name(c->cur), k + 1);
			end_stmt(c, 0);
			return ERR_INTERNAL;
		}
		break;
	case DB_ST_ROWS:
		break;
	}
	t0 = time_mono_ns();
	rc = c->db->ops->step(c);
	if (rc == DB_ROW) {
		c->state = DB_ST_ROWS;
	} else {
		if (rc < 0)
			c->changes = 0;
		c->db->ops->finish(c, rc == DB_DONE);
		c->state = DB_ST_DONE;
		c->last = rc;
	}
	c->time_ns += time_mono_ns() - t0;
	return rc;
}

int64_t
db_col_int(struct db_conn *c, int col)
{
	if (c->state != DB_ST_ROWS)
		return 0;
	return c->db->ops->col_int(c, col);
}

double
db_col_double(struct db_conn *c, int col)
{
	if (c->state != DB_ST_ROWS)
		return 0;
	return c->db->ops->col_double(c, col);
}

const char *
db_col_text(struct db_conn *c, int col)
{
	if (c->state != DB_ST_ROWS)
		return NULL;
	return c->db->ops->col_text(c, col);
}

int
db_col_null(struct db_conn *c, int col)
{
	if (c->state != DB_ST_ROWS)
		return 1;
	return c->db->ops->col_null(c, col);
}

void
db_done(struct db_conn *c)
{
	end_stmt(c, 1);
}

int
db_run(struct db_conn *c)
{
	int rc;

	while ((rc = db_step(c)) == DB_ROW)
		;
	db_done(c);
	return rc < 0 ? rc : 0;
}

int
db_one(struct db_conn *c)
{
	int rc = db_step(c);

	if (rc == DB_ROW)
		return 0;
	db_done(c);
	return rc == DB_DONE ? ERR_NOTFOUND : rc;
}

int
db_insert(struct db_conn *c, int64_t *id)
{
	int rc = db_step(c);

	if (rc == DB_ROW) {
		*id = db_col_int(c, 0);
		db_done(c);
		return 0;
	}
	db_done(c);
	if (rc != DB_DONE)
		return rc;
	if (c->changes <= 0)
		return ERR_NOTFOUND;
	if (c->db->kind != DB_SQLITE)
		return ERR_INTERNAL;     /* a PostgreSQL text without RETURNING */
	*id = c->last_rowid;
	return 0;
}

int64_t
db_changes(struct db_conn *c)
{
	return c->changes;
}

const char *
db_errmsg(struct db_conn *c)
{
	return c->errmsg;
}

uint64_t
db_take_time_ns(struct db_conn *c)
{
	uint64_t t = c->time_ns;

	c->time_ns = 0;
	return t;
}

static int
version_of(struct db_conn *c, int *version)
{
	int64_t v = 0;
	int rc;

	rc = c->db->ops->query_int(c,
	    "SELECT COALESCE(MAX(version), 0) FROM schema_version", &v);
	if (rc)
		return rc;
	*version = (int)v;
	return 0;
}

int
db_schema_version(struct db_conn *c, int *version)
{
	int64_t exists = 0;
	int rc;

	*version = 0;
	end_stmt(c, 1);
	rc = c->db->ops->query_int(c, c->db->ops->sql_version_exists, &exists);
	if (rc || !exists)
		return rc;
	return version_of(c, version);
}

static int
name_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* Opens a migration transaction. On PostgreSQL it also takes the advisory
 * lock, so nodes starting together apply each migration once. */
static int
migrate_begin(struct db_conn *c)
{
	int rc = c->db->ops->begin(c);

	if (rc || !c->db->ops->sql_migrate_lock)
		return rc;
	rc = c->db->ops->exec(c, c->db->ops->sql_migrate_lock);
	if (rc)
		c->db->ops->rollback(c);
	return rc;
}

/* Applies m unless another node got there first; *cur follows. */
static int
migrate_one(struct db_conn *c, const struct migration *m, int *cur)
{
	const struct db_ops *ops = c->db->ops;
	char ins[256];
	int rc, now;

	if (!name_ok(m->name)) {
		log_error("db: migration %d has a bad name", m->version);
		return ERR_INTERNAL;
	}
	rc = migrate_begin(c);
	if (rc)
		goto fail;
	rc = version_of(c, &now);
	if (rc)
		goto fail;
	if (now >= m->version) {
		ops->rollback(c);
		*cur = now;
		return 0;
	}
	rc = ops->exec(c, m->sql);
	if (rc)
		goto fail;
	/* Every value is ours: a number, a checked [A-Za-z0-9_] name, a number. */
	snprintf(ins, sizeof(ins), "INSERT INTO schema_version "
	    "(version, name, applied_at) VALUES (%d, '%s', %lld)",
	    m->version, m->name, (long long)clock_real());
	rc = ops->exec(c, ins);
	if (rc)
		goto fail;
	rc = ops->commit(c);
	if (rc)
		goto fail;
	log_info("db: applied migration %04d_%s", m->version, m->name);
	*cur = m->version;
	return 0;
fail:
	log_error("db: migration %04d_%s failed: %s", m->version, m->name,
	    c->errmsg);
	ops->rollback(c);
	return rc;
}

int
db_migrate(struct db *db, int *from, int *to)
{
	const struct db_ops *ops = db->ops;
	struct db_conn *c;
	int rc, i, held = 0, cur = 0, start, latest = db_latest_version(db);

	if (from)
		*from = 0;
	if (to)
		*to = 0;
	/* Hold every connection: statements are re-prepared on all of them. */
	for (held = 0; held < db->nconns; held++)
		take(db, held, held + 1);
	c = &db->conns[0];
	c->mode = DB_WRITE;
	for (i = 0; i < db->nconns; i++) {
		rc = ready(&db->conns[i]);
		if (rc) {
			log_error("db: connection unusable: %s", db->conns[i].errmsg);
			goto out;
		}
	}

	rc = migrate_begin(c);
	if (!rc)
		rc = ops->exec(c, ops->sql_version_table);
	if (!rc)
		rc = ops->commit(c);
	if (rc) {
		log_error("db: cannot create schema_version: %s", c->errmsg);
		ops->rollback(c);
		goto out;
	}
	rc = version_of(c, &cur);
	if (rc) {
		log_error("db: cannot read schema_version: %s", c->errmsg);
		goto out;
	}
	if (from)
		*from = cur;
	start = cur;
	if (cur > latest) {
		log_error("db: the store is at schema version %d, newer than "
		    "this program (%d)", cur, latest);
		rc = ERR_DB;
		goto out;
	}
	for (i = 0; i < db->nmigs; i++) {
		if (db->migs[i].version <= cur)
			continue;
		rc = migrate_one(c, &db->migs[i], &cur);
		if (rc)
			goto out;
	}

	db->migrated = 0;
	if (cur != start) {
		/* Connections opened before the schema changed start afresh:
		 * SQLite readers that cached the old schema (and their FTS5
		 * tables) were seen failing to prepare against the new one
		 * after a table was rebuilt. */
		for (i = 0; i < db->nconns; i++) {
			ops->close_conn(&db->conns[i]);
			rc = ops->open_conn(&db->conns[i]);
			if (!rc)
				rc = ready(&db->conns[i]);
			if (rc)
				goto out;
		}
	}
	for (i = 0; i < db->nconns; i++) {
		db->conns[i].prepared = 0;
		rc = ops->prepare_all(&db->conns[i], i == 0);
		if (rc)
			goto out;
		db->conns[i].prepared = 1;
	}
	db->migrated = 1;
	if (to)
		*to = cur;
out:
	for (i = 0; i < held; i++) {
		db->conns[i].mode = db->conns[i].writer ? DB_WRITE : DB_READ;
		give_back(&db->conns[i]);
	}
	return rc;
}

int
db_backup(struct db *db, const char *file, struct buf *msg)
{
	if (!file || !*file)
		return ERR_INVALID;
	return db->ops->backup(db, file, msg);
}

int
db_engine_check(struct db_conn *c, struct buf *report)
{
	uint64_t t0;
	int rc;

	end_stmt(c, 1);
	t0 = time_mono_ns();
	rc = c->db->ops->engine_check(c, report);
	c->time_ns += time_mono_ns() - t0;
	return rc;
}
