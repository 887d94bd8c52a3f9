/* PostgreSQL backend over libpq. Each connection prepares the statement
 * table as "s<id>"; parameters go as text and the server infers their
 * types from the statement, as it would for literals. Rows stream in
 * single-row mode so a large export never sits in memory whole. */
#include "db/db_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"

/* Any constant will do as long as every node uses the same one. */
#define PG_MIGRATE_LOCK "SELECT pg_advisory_xact_lock(7263001)"

static int
pg_map_state(const char *state)
{
	static const struct {
		const char *state;
		int err;
	} map[] = {
		{"23505", ERR_CONFLICT},        /* unique_violation */
		{"23503", ERR_CONFLICT},        /* foreign_key_violation */
		{"23514", ERR_INVALID},         /* check_violation */
		{"23502", ERR_INVALID},         /* not_null_violation */
		{"P0001", ERR_INVALID},         /* RAISE EXCEPTION in a trigger */
		{"40001", ERR_BUSY},            /* serialization_failure */
		{"40P01", ERR_BUSY},            /* deadlock_detected */
	};
	size_t i;

	if (!state)
		return ERR_DB;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(state, map[i].state) == 0)
			return map[i].err;
	return ERR_DB;
}

/* Keeps the primary message only: DETAIL quotes row values, which may be
 * personal data, and errmsg ends up in logs. */
static int
pg_fail(struct db_conn *c, const PGresult *r)
{
	const char *state = NULL, *msg = NULL;

	if (r) {
		state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	}
	if (!msg)
		msg = PQerrorMessage(c->pg);
	db_conn_seterr(c, "%s (SQLSTATE %s)", msg, state ? state : "none");
	return pg_map_state(state);
}

static void
pg_notice(void *arg, const char *message)
{
	size_t n = strlen(message);

	(void)arg;
	while (n > 0 && message[n - 1] == '\n')
		n--;
	log_warn("db: postgres: %.*s", (int)n, message);
}

/* The one place this backend runs SQL text: fixed administrative
 * statements and compiled-in migrations, never request data. */
static int
pg_exec(struct db_conn *c, const char *sql)
{
	PGresult *r = PQexec(c->pg, sql); /* lint: sql-ok */
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = pg_fail(c, r);
	PQclear(r);
	return rc;
}

static int
pg_query_int(struct db_conn *c, const char *sql, int64_t *out)
{
	PGresult *r = PQexec(c->pg, sql); /* lint: sql-ok */
	int rc = 0;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = pg_fail(c, r);
		goto out;
	}
	if (PQntuples(r) < 1 || PQnfields(r) < 1) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	*out = PQgetisnull(r, 0, 0) ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
out:
	PQclear(r);
	return rc;
}

static int
pg_setup(struct db_conn *c)
{
	PQsetNoticeProcessor(c->pg, pg_notice, NULL);
	return pg_exec(c, "SET client_min_messages = warning; "
	    "SET TIME ZONE 'UTC'");
}

static int
pg_open_conn(struct db_conn *c)
{
	int rc;

	c->pg = PQconnectdb(c->db->url);
	if (!c->pg) {
		db_conn_seterr(c, "out of memory");
		rc = ERR_NOMEM;
		goto out;
	}
	if (PQstatus(c->pg) != CONNECTION_OK) {
		db_conn_seterr(c, "%s", PQerrorMessage(c->pg));
		rc = ERR_DB;
		goto out;
	}
	rc = pg_setup(c);
out:
	/* The URL may carry a password: log the error only. */
	if (rc)
		log_error("db: cannot connect to PostgreSQL: %s", c->errmsg);
	return rc;
}

/* Reads and drops whatever the current query still has to send, so the
 * connection can take the next one. */
static void
drain(struct db_conn *c, int ok)
{
	PGresult *r;
	ExecStatusType st;

	PQclear(c->row);
	c->row = NULL;
	if (!c->pg_sent)
		return;
	while ((r = PQgetResult(c->pg)) != NULL) {
		st = PQresultStatus(r);
		if (ok && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) &&
		    strncmp(PQcmdStatus(r), "SELECT", 6) != 0 &&
		    *PQcmdTuples(r))
			c->changes = strtoll(PQcmdTuples(r), NULL, 10);
		else if (st == PGRES_FATAL_ERROR) {
			/* Only after rows were read, by db_done: the caller has
			 * moved on, but a transaction will now fail at commit. */
			pg_fail(c, r);
			log_error("db: statement failed after its first rows: %s",
			    c->errmsg);
		}
		PQclear(r);
	}
	c->pg_sent = 0;
}

static void
pg_close_conn(struct db_conn *c)
{
	int i;

	if (c->pg && PQstatus(c->pg) == CONNECTION_OK)
		drain(c, 0);
	PQclear(c->row);
	c->row = NULL;
	PQfinish(c->pg);
	c->pg = NULL;
	for (i = 0; i < DB_MAX_PARAMS; i++) {
		free(c->params[i].text);
		c->params[i].text = NULL;
		c->params[i].cap = 0;
	}
}

static int
pg_prepare_all(struct db_conn *c, int first)
{
	PGresult *r;
	char name[16];
	int i, n, rc, failed = 0;

	/* db_migrate may run again; names must be free. */
	rc = pg_exec(c, "DEALLOCATE ALL");
	if (rc) {
		log_error("db: DEALLOCATE ALL: %s", c->errmsg);
		return rc;
	}
	for (i = 0; i < (int)DB_STMT__MAX; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		r = PQprepare(c->pg, name, db_stmt_texts[i].pg, 0, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_fail(c, r);
			PQclear(r);
			log_error("db: statement %s does not prepare on PostgreSQL: "
			    "%s", db_stmt_texts[i].name, c->errmsg);
			failed++;
			continue;
		}
		PQclear(r);
		if (!first)
			continue;
		/* The count is the same on every connection: ask once. */
		r = PQdescribePrepared(c->pg, name);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_fail(c, r);
			PQclear(r);
			log_error("db: describing %s: %s", db_stmt_texts[i].name,
			    c->errmsg);
			failed++;
			continue;
		}
		n = PQnparams(r);
		PQclear(r);
		if (n > DB_MAX_PARAMS) {
			log_error("db: statement %s has %d parameters (at most %d)",
			    db_stmt_texts[i].name, n, DB_MAX_PARAMS);
			failed++;
			continue;
		}
		c->db->pg_nparams[i] = n;
	}
	if (failed) {
		db_conn_seterr(c, "%d statements do not prepare", failed);
		return ERR_DB;
	}
	return 0;
}

static int
pg_check(struct db_conn *c)
{
	int rc;

	if (PQstatus(c->pg) != CONNECTION_BAD)
		return 0;
	log_warn("db: PostgreSQL connection lost; reconnecting");
	PQclear(c->row);
	c->row = NULL;
	c->pg_sent = 0;
	c->prepared = 0;
	PQreset(c->pg);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		db_conn_seterr(c, "%s", PQerrorMessage(c->pg));
		return ERR_DB;
	}
	rc = pg_setup(c);
	if (rc)
		return rc;
	/* The caller re-prepares the statement table (prepared is 0). */
	return 0;
}

static int
pg_prep(struct db_conn *c, int id)
{
	int i;

	for (i = 0; i < DB_MAX_PARAMS; i++)
		c->pvals[i] = NULL;
	c->nparams = c->db->pg_nparams[id];
	c->pg_sent = 0;
	return 0;
}

static int
pg_bind_int(struct db_conn *c, int idx, int64_t v)
{
	struct db_pg_param *p = &c->params[idx - 1];

	snprintf(p->num, sizeof(p->num), "%" PRId64, v);
	c->pvals[idx - 1] = p->num;
	return 0;
}

static int
pg_bind_double(struct db_conn *c, int idx, double v)
{
	struct db_pg_param *p = &c->params[idx - 1];

	/* 17 significant digits name one double exactly */
	snprintf(p->num, sizeof(p->num), "%.17g", v);
	c->pvals[idx - 1] = p->num;
	return 0;
}

static int
pg_bind_text(struct db_conn *c, int idx, const char *s)
{
	struct db_pg_param *p = &c->params[idx - 1];
	size_t n = strlen(s) + 1, cap;
	char *t;

	if (n > p->cap) {
		cap = p->cap ? p->cap : 64;
		while (cap < n)
			cap *= 2;
		t = realloc(p->text, cap);
		if (!t) {
			db_conn_seterr(c, "out of memory");
			return ERR_NOMEM;
		}
		p->text = t;
		p->cap = cap;
	}
	memcpy(p->text, s, n);
	c->pvals[idx - 1] = p->text;
	return 0;
}

static int
pg_bind_null(struct db_conn *c, int idx)
{
	c->pvals[idx - 1] = NULL;
	return 0;
}

static int
pg_step(struct db_conn *c)
{
	PGresult *r;
	ExecStatusType st;
	char name[16];
	int rc;

	if (!c->pg_sent) {
		snprintf(name, sizeof(name), "s%d", c->cur);
		if (!PQsendQueryPrepared(c->pg, name, c->nparams, c->pvals, NULL,
		    NULL, 0)) {
			db_conn_seterr(c, "%s", PQerrorMessage(c->pg));
			return ERR_DB;
		}
		c->pg_sent = 1;
		if (!PQsetSingleRowMode(c->pg))
			log_warn("db: single-row mode refused for %s",
			    db_stmt_name(c->cur));
	}
	PQclear(c->row);
	c->row = NULL;
	r = PQgetResult(c->pg);
	if (!r) {
		c->pg_sent = 0;
		db_conn_seterr(c, "no result: %s", PQerrorMessage(c->pg));
		return ERR_DB;
	}
	st = PQresultStatus(r);
	if (st == PGRES_SINGLE_TUPLE) {
		c->row = r;
		return DB_ROW;
	}
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		/* SELECT reports its row count too; only writes count. */
		if (strncmp(PQcmdStatus(r), "SELECT", 6) != 0 && *PQcmdTuples(r))
			c->changes = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
		drain(c, 1);
		return DB_DONE;
	}
	rc = pg_fail(c, r);
	PQclear(r);
	drain(c, 0);
	return rc;
}

static void
pg_finish(struct db_conn *c, int ok)
{
	drain(c, ok);
}

static int
pg_col_ok(struct db_conn *c, int col)
{
	return c->row && col >= 0 && col < PQnfields(c->row);
}

static const char *
pg_col_text(struct db_conn *c, int col)
{
	if (!pg_col_ok(c, col) || PQgetisnull(c->row, 0, col))
		return NULL;
	return PQgetvalue(c->row, 0, col);
}

static int64_t
pg_col_int(struct db_conn *c, int col)
{
	const char *v = pg_col_text(c, col);

	return v ? strtoll(v, NULL, 10) : 0;
}

static double
pg_col_double(struct db_conn *c, int col)
{
	const char *v = pg_col_text(c, col);

	return v ? strtod(v, NULL) : 0;
}

static int
pg_col_null(struct db_conn *c, int col)
{
	return !pg_col_ok(c, col) || PQgetisnull(c->row, 0, col);
}

static int
pg_begin(struct db_conn *c)
{
	/* A read transaction sees one snapshot, as on a SQLite reader, and
	 * is refused writes, as SQLite's query_only readers are. */
	if (c->mode == DB_READ)
		return pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ, "
		    "READ ONLY");
	return pg_exec(c, "BEGIN");
}

static int
pg_in_txn(struct db_conn *c)
{
	PGTransactionStatusType t = PQtransactionStatus(c->pg);

	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

static void
pg_rollback(struct db_conn *c)
{
	if (pg_in_txn(c) && pg_exec(c, "ROLLBACK") != 0)
		log_warn("db: rollback: %s", c->errmsg);
}

static int
pg_commit(struct db_conn *c)
{
	PGresult *r;
	int rc = 0;

	r = PQexec(c->pg, "COMMIT");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = pg_fail(c, r);
	} else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
		/* COMMIT of a transaction an earlier error aborted "succeeds"
		 * by rolling back. */
		db_conn_seterr(c, "transaction aborted by an earlier error; "
		    "rolled back");
		rc = ERR_DB;
	}
	PQclear(r);
	return rc;
}

/* The URL for messages, with any password in it masked. */
static void
put_url(struct buf *msg, const char *url)
{
	const char *auth = strstr(url, "://"), *at, *colon;

	if (auth) {
		auth += 3;
		at = strchr(auth, '@');
		colon = strchr(auth, ':');
		if (at && colon && colon < at && !memchr(auth, '/', (size_t)(at - auth))) {
			buf_append(msg, url, (size_t)(colon - url));
			buf_puts(msg, ":***");
			buf_puts(msg, at);
			return;
		}
	}
	buf_puts(msg, url);
}

static int
pg_backup(struct db *db, const char *file, struct buf *msg)
{
	/* posix_spawn does not write to argv; the casts only drop const. */
	char *argv[] = {
		(char *)"pg_dump", (char *)"-Fc", (char *)"-f", (char *)file,
		(char *)db->url, NULL
	};
	pid_t pid;
	int rc, fd, status, created = 0;

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
	/* The URL travels in argv (visible in ps); use a ~/.pgpass or
	 * PGPASSWORD rather than a password in the URL. */
	rc = posix_spawnp(&pid, "pg_dump", NULL, NULL, argv, environ);
	if (rc != 0) {
		if (msg) {
			buf_printf(msg, "backup: cannot run pg_dump (%s); run: "
			    "pg_dump -Fc -f %s ", strerror(rc), file);
			put_url(msg, db->url);
		}
		rc = ERR_IO;
		goto out;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			if (msg)
				buf_printf(msg, "backup: waitpid: %s", strerror(errno));
			rc = ERR_IO;
			goto out;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (msg)
			buf_printf(msg, "backup: pg_dump failed (%s %d)",
			    WIFEXITED(status) ? "exit status" : "signal",
			    WIFEXITED(status) ? WEXITSTATUS(status) :
			    WIFSIGNALED(status) ? WTERMSIG(status) : -1);
		rc = ERR_IO;
		goto out;
	}
	rc = 0;
out:
	if (rc && created)
		unlink(file);
	return rc;
}

static int
pg_engine_check(struct db_conn *c, struct buf *report)
{
	int64_t one = 0;
	int rc;

	/* The engine enforces constraints itself; only prove it answers. */
	(void)report;
	rc = pg_query_int(c, "SELECT 1", &one);
	if (!rc && one != 1)
		rc = ERR_DB;
	return rc;
}

const struct db_ops db_pg_ops = {
	.open_conn = pg_open_conn,
	.close_conn = pg_close_conn,
	.check = pg_check,
	.exec = pg_exec,
	.query_int = pg_query_int,
	.prepare_all = pg_prepare_all,
	.prep = pg_prep,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.finish = pg_finish,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_txn = pg_in_txn,
	.backup = pg_backup,
	.engine_check = pg_engine_check,
	.sql_version_table = "CREATE TABLE IF NOT EXISTS schema_version ("
	    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	    "applied_at BIGINT NOT NULL)",
	.sql_version_exists = "SELECT count(*) FROM pg_catalog.pg_tables "
	    "WHERE schemaname = current_schema() "
	    "AND tablename = 'schema_version'",
	.sql_migrate_lock = PG_MIGRATE_LOCK,
};
