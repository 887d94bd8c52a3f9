/* The store: one interface, two backends (SQLite file, PostgreSQL URL).
 *
 * SQL is never passed in by callers. Every statement lives in a module's
 * X-macro table (see db/stmts.h) and is prepared on every connection when
 * the connection opens, so a statement that does not prepare fails
 * start-up, not a request. Callers pick a statement by id, bind $1..$n,
 * step through rows and finish it.
 *
 * One statement at a time per connection: finish (db_done) before the next
 * db_prep. PostgreSQL streams rows in single-row mode and cannot interleave.
 *
 * Ownership: db_open allocates the store, db_close frees it. A connection
 * belongs to the store; db_acquire lends it to one thread until db_release.
 * Text returned by db_col_text belongs to the connection and is valid until
 * the next db_step, db_done or db_prep on it. */
#ifndef CHANGAI_DB_H
#define CHANGAI_DB_H

#include <stddef.h>
#include <stdint.h>

#include "db/stmts.h"

struct buf;
struct db;
struct db_conn;

enum db_kind { DB_SQLITE = 1, DB_PG = 2 };
enum db_mode { DB_READ = 0, DB_WRITE = 1 };
enum { DB_DONE = 0, DB_ROW = 1 };

/* url: "postgres://…" / "postgresql://…" selects PostgreSQL, anything else
 * is a SQLite file path (created if absent). readers: size of the
 * connection pool for reads (SQLite: plus one writer; PostgreSQL: the pool
 * serves both). Migrations are not run here: see db_migrate. */
int db_open(const char *url, int readers, struct db **out);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);

/* Applies pending migrations (each in its own transaction) and prepares
 * the statement table on every connection. Must succeed before any
 * db_acquire. *from and *to receive the schema versions before and after. */
int db_migrate(struct db *db, int *from, int *to);
int db_schema_version(struct db_conn *c, int *version);
int db_latest_version(const struct db *db);

/* DB_WRITE on SQLite returns the single writer connection (blocking until
 * it is free); DB_READ returns a read-only one. */
int db_acquire(struct db *db, enum db_mode mode, struct db_conn **out);
void db_release(struct db_conn *c);
struct db *db_of(struct db_conn *c);

/* Transactions. SQLite writers use BEGIN IMMEDIATE. A failed db_commit
 * has rolled the transaction back. */
int db_begin(struct db_conn *c);
int db_commit(struct db_conn *c);
void db_rollback(struct db_conn *c);
/* Fixed administrative SQL (string literals only; checked by make lint),
 * outside the statement table. 0 or an error mapped as for db_step. */
int db_exec_literal(struct db_conn *c, const char *sql);

/* Statements. Binding errors are sticky and surface at db_step. */
int db_prep(struct db_conn *c, enum db_stmt_id id);
void db_bind_int(struct db_conn *c, int idx, int64_t v);
void db_bind_text(struct db_conn *c, int idx, const char *s); /* NULL binds null */
void db_bind_null(struct db_conn *c, int idx);
/* A finite double; it reads back exactly (PostgreSQL: 17 digits). */
void db_bind_double(struct db_conn *c, int idx, double v);
/* DB_ROW, DB_DONE, or a negative error: ERR_CONFLICT for unique and
 * foreign-key violations, ERR_INVALID for CHECK, NOT NULL and trigger
 * RAISE, ERR_BUSY, ERR_INTERNAL for misuse (a bad or missing bind, a
 * db_prep while rows are pending), ERR_DB otherwise. On PostgreSQL any
 * error inside a transaction aborts it: roll back. */
int db_step(struct db_conn *c);
int64_t db_col_int(struct db_conn *c, int col);
double db_col_double(struct db_conn *c, int col);
const char *db_col_text(struct db_conn *c, int col);  /* NULL for SQL NULL */
/* The column's text into dst (n bytes, truncated at a character), "" for
 * SQL NULL. */
void db_col_copy(struct db_conn *c, int col, char *dst, size_t n);
int db_col_null(struct db_conn *c, int col);
void db_done(struct db_conn *c);
/* Steps to the end; 0 or the error. */
int db_run(struct db_conn *c);
/* Steps once expecting a row: 0 with the row current, ERR_NOTFOUND when
 * there is none (the statement is then finished). */
int db_one(struct db_conn *c);
/* Runs a one-row INSERT: 0 with *id the new row's id, or ERR_NOTFOUND when
 * it inserted nothing (ON CONFLICT DO NOTHING). The PostgreSQL text ends in
 * RETURNING id; the SQLite text need not, its rowid is read directly
 * (RETURNING costs SQLite a temporary table per row). */
int db_insert(struct db_conn *c, int64_t *id);
/* Rows changed by the last finished INSERT/UPDATE/DELETE. */
int64_t db_changes(struct db_conn *c);

/* The last error text of this connection, for logs (never for clients). */
const char *db_errmsg(struct db_conn *c);
/* Nanoseconds spent in the store on this connection since the last call. */
uint64_t db_take_time_ns(struct db_conn *c);

/* Administration. */
/* Online consistent copy to `file`: SQLite backup API; PostgreSQL runs
 * pg_dump -Fc (or returns ERR_IO with the command in msg). */
int db_backup(struct db *db, const char *file, struct buf *msg);
/* Engine-level checks (SQLite integrity_check and foreign_key_check);
 * problems are appended to report as lines. Returns the number found. */
int db_engine_check(struct db_conn *c, struct buf *report);

#endif
