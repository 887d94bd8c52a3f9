/* SQLite backend: one file in WAL mode, one writer connection and a pool
 * of readers made read-only with query_only, so a write through a read
 * connection fails in tests instead of racing the writer. Connections use
 * SQLITE_OPEN_NOMUTEX because the pool already lends each to one thread. */
#include "db/db_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#define LITE_FLAGS (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | \
	SQLITE_OPEN_NOMUTEX)

static int
lite_map(int rc)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_FOREIGNKEY:
	case SQLITE_CONSTRAINT_ROWID:
		return ERR_CONFLICT;
	}
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return ERR_INVALID;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ERR_BUSY;
	case SQLITE_NOMEM:
		return ERR_NOMEM;
	}
	return ERR_DB;
}

static int
lite_fail(struct db_conn *c, int rc)
{
	db_conn_seterr(c, "%s (sqlite %d)", sqlite3_errmsg(c->lite), rc);
	return lite_map(rc);
}

/* The one place this backend runs SQL text: fixed administrative
 * statements and compiled-in migrations, never request data. */
static int
lite_exec(struct db_conn *c, const char *sql)
{
	int rc = sqlite3_exec(c->lite, sql, NULL, NULL, NULL); /* lint: sql-ok */

	return rc == SQLITE_OK ? 0 : lite_fail(c, rc);
}

static int
lite_query_int(struct db_conn *c, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(c->lite, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		rc = lite_fail(c, rc);
		goto out;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = ERR_NOTFOUND;
	} else {
		rc = lite_fail(c, rc);
	}
out:
	sqlite3_finalize(st);
	return rc;
}

static int
set_wal(struct db_conn *c)
{
	sqlite3_stmt *st = NULL;
	const char *mode;
	int rc;

	rc = sqlite3_prepare_v2(c->lite, "PRAGMA journal_mode=WAL", -1, &st,
	    NULL);
	if (rc != SQLITE_OK) {
		rc = lite_fail(c, rc);
		goto out;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = lite_fail(c, rc);
		goto out;
	}
	/* The pragma answers with the mode it got, not an error. */
	mode = (const char *)sqlite3_column_text(st, 0);
	if (!mode || strcmp(mode, "wal") != 0) {
		db_conn_seterr(c, "journal_mode is %s, not wal",
		    mode ? mode : "unknown");
		rc = ERR_DB;
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* SQLite keeps allocation statistics behind a process-wide mutex taken on
 * every malloc and free; nothing here reads them, and with many readers
 * that lock is shared by every request. Must precede initialisation. */
static void
lite_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* The writer's page cache in MiB: CHANGAI_SQLITE_WRITER_CACHE_MIB (16 to
 * 65536, default 256). It is most of what an import costs in memory, and
 * what makes one fast: the random-key indexes of a city's roster want
 * their pages at hand. A node's memory is the node's business, so this is
 * an environment setting, not one kept in the store. */
static int64_t
writer_cache_mib(void)
{
	const char *e = getenv("CHANGAI_SQLITE_WRITER_CACHE_MIB");
	int64_t v;

	if (!e || !*e)
		return 256;
	if (parse_int64(e, 16, 65536, &v)) {
		log_warn("CHANGAI_SQLITE_WRITER_CACHE_MIB=%s is not a number from 16 "
		    "to 65536; using 256", e);
		return 256;
	}
	return v;
}

static int
lite_open_conn(struct db_conn *c)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	int rc;

	pthread_once(&configured, lite_configure);
	rc = sqlite3_open_v2(c->db->url, &c->lite, LITE_FLAGS, NULL);
	if (rc != SQLITE_OK) {
		db_conn_seterr(c, "%s", c->lite ? sqlite3_errmsg(c->lite) :
		    sqlite3_errstr(rc));
		rc = ERR_DB;
		goto out;
	}
	sqlite3_extended_result_codes(c->lite, 1);
	/* busy_timeout first: WAL setup itself may wait on another process. */
	rc = lite_exec(c, "PRAGMA busy_timeout=5000");
	if (!rc && c->writer)
		rc = set_wal(c);
	if (!rc)
		rc = lite_exec(c, "PRAGMA foreign_keys=ON; "
		    "PRAGMA synchronous=NORMAL");
	if (!rc && !c->writer)
		rc = lite_exec(c, "PRAGMA query_only=1");
	/* The writer applies imports: random-key indexes (keyed hashes) need
	 * their pages in memory or every insert is a pread. It is allocated
	 * as used, so an idle writer costs nothing. It checkpoints every
	 * 65536 pages (256 MiB of WAL): an index page an import rewrites many
	 * times is copied into the store once per checkpoint, and the 1M-row
	 * import ran 5% faster than with 8192; the WAL file is cut back to
	 * 64 MiB after each. Readers keep a modest cache: a page of a roster
	 * rarely needs more. */
	if (!rc && c->writer) {
		char pragma[64];

		snprintf(pragma, sizeof(pragma), "PRAGMA cache_size=-%lld",
		    (long long)writer_cache_mib() * 1024);
		rc = lite_exec(c, pragma);
	}
	if (!rc)
		rc = lite_exec(c, c->writer ? "PRAGMA temp_store=MEMORY; "
		    "PRAGMA wal_autocheckpoint=65536; "
		    "PRAGMA journal_size_limit=67108864" :
		    "PRAGMA cache_size=-16384");
out:
	if (rc)
		log_error("db: cannot open %s: %s", c->db->url, c->errmsg);
	return rc;
}

static void
finalize_all(struct db_conn *c)
{
	int i;

	for (i = 0; i < DB_NSTMT; i++) {
		sqlite3_finalize(c->lstmts[i]);
		c->lstmts[i] = NULL;
	}
	c->lst = NULL;
}

static void
lite_close_conn(struct db_conn *c)
{
	finalize_all(c);
	if (c->lite && sqlite3_close(c->lite) != SQLITE_OK)
		log_warn("db: closing %s: %s", c->db->url,
		    sqlite3_errmsg(c->lite));
	c->lite = NULL;
}

static int
lite_check(struct db_conn *c)
{
	(void)c;
	return 0;
}

/* Parameters must be exactly $1..$n: SQLite numbers named parameters by
 * first appearance, and PostgreSQL needs every $k up to the highest. */
static int
check_params(sqlite3_stmt *st, const char **why)
{
	uint64_t seen = 0;
	int64_t k;
	int i, n = sqlite3_bind_parameter_count(st);
	const char *name;

	if (n > DB_MAX_PARAMS) {
		*why = "more than 32 parameters";
		return ERR_INTERNAL;
	}
	for (i = 1; i <= n; i++) {
		name = sqlite3_bind_parameter_name(st, i);
		if (!name || name[0] != '$' ||
		    parse_int64(name + 1, 1, n, &k) != 0 ||
		    (seen & (UINT64_C(1) << (k - 1)))) {
			*why = "parameters must be $1..$n";
			return ERR_INTERNAL;
		}
		seen |= UINT64_C(1) << (k - 1);
	}
	return 0;
}

static int
lite_prepare_all(struct db_conn *c, int first)
{
	sqlite3_stmt *st;
	const char *tail, *why;
	int i, rc, failed = 0;

	(void)first;
	finalize_all(c);
	for (i = 0; i < (int)DB_STMT__MAX; i++) {
		st = NULL;
		tail = NULL;
		why = NULL;
		rc = sqlite3_prepare_v3(c->lite, db_stmt_texts[i].sqlite, -1,
		    SQLITE_PREPARE_PERSISTENT, &st, &tail);
		if (rc != SQLITE_OK) {
			why = sqlite3_errmsg(c->lite);
		} else if (!st) {
			why = "empty statement";
		} else if (tail && tail[strspn(tail, " \t\r\n;")] != '\0') {
			/* prepare stops at the first statement; the rest would
			 * be dropped without a word. */
			why = "more than one statement";
		} else {
			check_params(st, &why);
		}
		if (why) {
			log_error("db: statement %s does not prepare on SQLite: %s",
			    db_stmt_texts[i].name, why);
			db_conn_seterr(c, "statement %s: %s",
			    db_stmt_texts[i].name, why);
			sqlite3_finalize(st);
			failed++;
			continue;
		}
		c->lstmts[i] = st;
		memset(c->lpos[i], 0, sizeof(c->lpos[i]));
		for (int n = 1; n <= DB_MAX_PARAMS; n++) {
			char name[16];
			snprintf(name, sizeof(name), "$%d", n);
			c->lpos[i][n] = (unsigned char)sqlite3_bind_parameter_index(st, name);
		}
	}
	return failed ? ERR_DB : 0;
}

static int
lite_prep(struct db_conn *c, int id)
{
	c->lst = c->lstmts[id];
	c->lcur = c->lpos[id];
	if (!c->lst) {
		db_conn_seterr(c, "not prepared");
		return ERR_INTERNAL;
	}
	c->nparams = sqlite3_bind_parameter_count(c->lst);
	return 0;
}

/* Binding by name: SQLite's positions follow first appearance in the
 * text, so "$2 … $1" would silently swap values by position. */
static int
param_index(struct db_conn *c, int idx)
{
	int i = idx >= 1 && idx <= DB_MAX_PARAMS ? c->lcur[idx] : 0;

	if (i == 0)
		db_conn_seterr(c, "no parameter $%d", idx);
	return i;
}

static int
lite_bind_int(struct db_conn *c, int idx, int64_t v)
{
	int i = param_index(c, idx), rc;

	if (!i)
		return ERR_INTERNAL;
	rc = sqlite3_bind_int64(c->lst, i, v);
	return rc == SQLITE_OK ? 0 : lite_fail(c, rc);
}

static int
lite_bind_double(struct db_conn *c, int idx, double v)
{
	int i = param_index(c, idx), rc;

	if (!i)
		return ERR_INTERNAL;
	rc = sqlite3_bind_double(c->lst, i, v);
	return rc == SQLITE_OK ? 0 : lite_fail(c, rc);
}

static int
lite_bind_text(struct db_conn *c, int idx, const char *s)
{
	int i = param_index(c, idx), rc;

	if (!i)
		return ERR_INTERNAL;
	rc = sqlite3_bind_text(c->lst, i, s, -1, SQLITE_TRANSIENT);
	return rc == SQLITE_OK ? 0 : lite_fail(c, rc);
}

static int
lite_bind_null(struct db_conn *c, int idx)
{
	int i = param_index(c, idx), rc;

	if (!i)
		return ERR_INTERNAL;
	rc = sqlite3_bind_null(c->lst, i);
	return rc == SQLITE_OK ? 0 : lite_fail(c, rc);
}

static int
lite_step(struct db_conn *c)
{
	int rc = sqlite3_step(c->lst);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return lite_fail(c, rc);
}

static void
lite_finish(struct db_conn *c, int ok)
{
	if (!c->lst)
		return;
	/* reset repeats the step's error, which was already reported. */
	sqlite3_reset(c->lst);
	sqlite3_clear_bindings(c->lst);
	/* After reset so INSERT … RETURNING read with db_one counts too. */
	if (ok && !sqlite3_stmt_readonly(c->lst)) {
		c->changes = sqlite3_changes64(c->lite);
		c->last_rowid = sqlite3_last_insert_rowid(c->lite);
	}
	c->lst = NULL;
}

static int64_t
lite_col_int(struct db_conn *c, int col)
{
	return sqlite3_column_int64(c->lst, col);
}

static double
lite_col_double(struct db_conn *c, int col)
{
	return sqlite3_column_double(c->lst, col);
}

static const char *
lite_col_text(struct db_conn *c, int col)
{
	return (const char *)sqlite3_column_text(c->lst, col);
}

static int
lite_col_null(struct db_conn *c, int col)
{
	return sqlite3_column_type(c->lst, col) == SQLITE_NULL;
}

static int
lite_begin(struct db_conn *c)
{
	/* IMMEDIATE takes the write lock now, so a transaction never fails
	 * half-way with BUSY when it first writes. */
	return lite_exec(c, c->writer ? "BEGIN IMMEDIATE" : "BEGIN");
}

static int
lite_in_txn(struct db_conn *c)
{
	return c->lite && !sqlite3_get_autocommit(c->lite);
}

static void
lite_rollback(struct db_conn *c)
{
	if (lite_in_txn(c) && lite_exec(c, "ROLLBACK") != 0)
		log_warn("db: rollback: %s", c->errmsg);
}

static int
lite_commit(struct db_conn *c)
{
	int rc = lite_exec(c, "COMMIT");

	/* A failed COMMIT (deferred constraint, BUSY) leaves the transaction
	 * open on SQLite but closed on PostgreSQL; close it here too. */
	if (rc) {
		char msg[DB_ERRMSG_MAX];

		snprintf(msg, sizeof(msg), "%s", c->errmsg);
		lite_rollback(c);
		db_conn_seterr(c, "%s", msg);
	}
	return rc;
}

static int
lite_backup(struct db *db, const char *file, struct buf *msg)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *bk = NULL;
	int rc, src_rc, fd, created = 0, tries = 0;

	/* O_EXCL: never overwrite, not even a file that appears meanwhile.
	 * 0600: the copy holds personal data. */
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (msg)
			buf_printf(msg, "backup: %s: %s", file, errno == EEXIST ?
			    "already exists" : strerror(errno));
		rc = ERR_IO;
		goto out;
	}
	close(fd);
	created = 1;

	/* A fresh connection: the pool's readers stay available meanwhile. */
	rc = sqlite3_open_v2(db->url, &src, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(src, 5000);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(src, "PRAGMA query_only=1", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		if (msg)
			buf_printf(msg, "backup: open %s: %s", db->url,
			    src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
		rc = ERR_DB;
		goto out;
	}
	rc = sqlite3_open_v2(file, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (msg)
			buf_printf(msg, "backup: open %s: %s", file,
			    dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		rc = ERR_IO;
		goto out;
	}
	bk = sqlite3_backup_init(dst, "main", src, "main");
	if (!bk) {
		if (msg)
			buf_printf(msg, "backup: %s", sqlite3_errmsg(dst));
		rc = ERR_DB;
		goto out;
	}
	/* All pages in one step: one read transaction, so the copy is a
	 * consistent snapshot; in WAL mode it does not block the writer. */
	do {
		src_rc = sqlite3_backup_step(bk, -1);
		if (src_rc == SQLITE_BUSY || src_rc == SQLITE_LOCKED)
			sqlite3_sleep(100);
	} while ((src_rc == SQLITE_BUSY || src_rc == SQLITE_LOCKED) &&
	    ++tries < 100);
	rc = sqlite3_backup_finish(bk);
	bk = NULL;
	if (src_rc != SQLITE_DONE || rc != SQLITE_OK) {
		if (msg)
			buf_printf(msg, "backup: %s", sqlite3_errstr(
			    src_rc != SQLITE_DONE ? src_rc : rc));
		rc = lite_map(src_rc != SQLITE_DONE ? src_rc : rc);
		goto out;
	}
	rc = sqlite3_close(dst);
	dst = NULL;
	if (rc != SQLITE_OK) {
		if (msg)
			buf_printf(msg, "backup: closing %s: %s", file,
			    sqlite3_errstr(rc));
		rc = ERR_IO;
		goto out;
	}
	rc = 0;
out:
	if (bk)
		sqlite3_backup_finish(bk);
	sqlite3_close(dst);
	sqlite3_close(src);
	if (rc && created)
		unlink(file);
	return rc;
}

static int
lite_engine_check(struct db_conn *c, struct buf *report)
{
	sqlite3_stmt *st = NULL;
	const char *line, *table, *parent;
	int rc, found = 0;

	rc = sqlite3_prepare_v2(c->lite, "PRAGMA integrity_check", -1, &st,
	    NULL);
	if (rc != SQLITE_OK) {
		rc = lite_fail(c, rc);
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		line = (const char *)sqlite3_column_text(st, 0);
		if (line && strcmp(line, "ok") == 0)
			continue;
		found++;
		if (report)
			buf_printf(report, "%s\n", line ? line : "(null)");
	}
	if (rc != SQLITE_DONE) {
		rc = lite_fail(c, rc);
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;

	rc = sqlite3_prepare_v2(c->lite, "PRAGMA foreign_key_check", -1, &st,
	    NULL);
	if (rc != SQLITE_OK) {
		rc = lite_fail(c, rc);
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		table = (const char *)sqlite3_column_text(st, 0);
		parent = (const char *)sqlite3_column_text(st, 2);
		found++;
		if (report)
			buf_printf(report, "foreign key: table %s rowid %lld "
			    "→ parent %s\n", table ? table : "?",
			    (long long)sqlite3_column_int64(st, 1),
			    parent ? parent : "?");
	}
	if (rc != SQLITE_DONE) {
		rc = lite_fail(c, rc);
		goto out;
	}
	rc = found;
out:
	sqlite3_finalize(st);
	return rc;
}

const struct db_ops db_sqlite_ops = {
	.open_conn = lite_open_conn,
	.close_conn = lite_close_conn,
	.check = lite_check,
	.exec = lite_exec,
	.query_int = lite_query_int,
	.prepare_all = lite_prepare_all,
	.prep = lite_prep,
	.bind_int = lite_bind_int,
	.bind_double = lite_bind_double,
	.bind_text = lite_bind_text,
	.bind_null = lite_bind_null,
	.step = lite_step,
	.finish = lite_finish,
	.col_int = lite_col_int,
	.col_double = lite_col_double,
	.col_text = lite_col_text,
	.col_null = lite_col_null,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.in_txn = lite_in_txn,
	.backup = lite_backup,
	.engine_check = lite_engine_check,
	.sql_version_table = "CREATE TABLE IF NOT EXISTS schema_version ("
	    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	    "applied_at INTEGER NOT NULL) STRICT",
	.sql_version_exists = "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name = 'schema_version'",
	.sql_migrate_lock = NULL,
};
