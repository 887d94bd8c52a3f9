/* Internals shared by db.c and the two backends (sqlite.c, postgres.c).
 * No other module includes this.
 *
 * db.c owns everything the engines have in common: the pool, the
 * statement state machine (so misuse is caught the same way on both),
 * parameter bookkeeping, timing and migrations. A backend only talks to
 * its library through struct db_ops. */
#ifndef CHANGAI_DB_IMPL_H
#define CHANGAI_DB_IMPL_H

#include <pthread.h>
#include <stdint.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "db/db.h"
#include "db/migrations.h"

/* PostgreSQL parameters are kept per connection; SQLite statements with
 * more are refused when the table is prepared, so both engines agree. */
#define DB_MAX_PARAMS 32
#define DB_ERRMSG_MAX 512
/* Statement arrays are sized one larger so an empty table still compiles. */
#define DB_NSTMT ((int)DB_STMT__MAX + 1)

enum db_state {
	DB_ST_NONE,     /* no statement, or db_prep failed */
	DB_ST_READY,    /* prepared, binding */
	DB_ST_ROWS,     /* stepped, a row is current */
	DB_ST_DONE      /* finished; db_step repeats the last result */
};

struct db_pg_param {
	char *text;     /* owned copy of bound text */
	size_t cap;
	char num[32];   /* bound numbers, formatted (%.17g of a double fits) */
};

struct db_conn {
	struct db *db;
	int in_use;             /* guarded by db->mu */
	int writer;             /* SQLite's single writer */
	enum db_mode mode;      /* as acquired */
	int prepared;           /* the statement table is prepared here */

	/* The statement in progress (db.c). */
	int cur;                /* enum db_stmt_id, or -1 */
	enum db_state state;
	int nparams;
	uint64_t bound;         /* bit n-1 set once $n is bound */
	int err;                /* sticky until the next db_prep */
	int last;               /* what db_step returned when it finished */
	int64_t changes;
	int64_t last_rowid;     /* SQLite: of the last finished INSERT */
	uint64_t time_ns;
	char errmsg[DB_ERRMSG_MAX];

	/* SQLite */
	sqlite3 *lite;
	sqlite3_stmt *lstmts[DB_NSTMT];
	sqlite3_stmt *lst;      /* current */
	/* SQLite position of $n for every statement, looked up once at
	 * prepare: by-name lookups per bind cost more than the bind */
	unsigned char lpos[DB_NSTMT][DB_MAX_PARAMS + 1];
	unsigned char *lcur;    /* lpos of the current statement */

	/* PostgreSQL */
	PGconn *pg;
	PGresult *row;          /* current PGRES_SINGLE_TUPLE */
	int pg_sent;            /* a query is in flight */
	const char *pvals[DB_MAX_PARAMS];
	struct db_pg_param params[DB_MAX_PARAMS];
};

/* Every function returns 0 or a negative ERR_* and leaves a message in
 * c->errmsg on failure. */
struct db_ops {
	int (*open_conn)(struct db_conn *c);
	void (*close_conn)(struct db_conn *c);
	/* Makes a connection just lent out usable (PostgreSQL reconnects). */
	int (*check)(struct db_conn *c);
	/* Fixed administrative SQL, possibly several statements. */
	int (*exec)(struct db_conn *c, const char *sql);
	/* First column of the first row of fixed SQL; ERR_NOTFOUND if none. */
	int (*query_int)(struct db_conn *c, const char *sql, int64_t *out);
	/* Prepares the whole table, logging each statement that fails.
	 * `first`: the first connection of the store (records shared facts). */
	int (*prepare_all)(struct db_conn *c, int first);
	/* Selects statement id and sets c->nparams. */
	int (*prep)(struct db_conn *c, int id);
	int (*bind_int)(struct db_conn *c, int idx, int64_t v);
	int (*bind_text)(struct db_conn *c, int idx, const char *s);
	int (*bind_double)(struct db_conn *c, int idx, double v);
	int (*bind_null)(struct db_conn *c, int idx);
	/* DB_ROW, DB_DONE or an error. */
	int (*step)(struct db_conn *c);
	/* Ends the statement so the connection can run another; `ok`: it ran
	 * without error, so its row count becomes db_changes. Idempotent. */
	void (*finish)(struct db_conn *c, int ok);
	int64_t (*col_int)(struct db_conn *c, int col);
	double (*col_double)(struct db_conn *c, int col);
	const char *(*col_text)(struct db_conn *c, int col);
	int (*col_null)(struct db_conn *c, int col);
	int (*begin)(struct db_conn *c);
	/* On failure the transaction is over (rolled back) all the same. */
	int (*commit)(struct db_conn *c);
	void (*rollback)(struct db_conn *c);
	int (*in_txn)(struct db_conn *c);
	int (*backup)(struct db *db, const char *file, struct buf *msg);
	int (*engine_check)(struct db_conn *c, struct buf *report);

	/* Dialect text used by migrations. */
	const char *sql_version_table;   /* CREATE TABLE IF NOT EXISTS … */
	const char *sql_version_exists;  /* 1 if schema_version exists */
	const char *sql_migrate_lock;    /* run after BEGIN, or NULL */
};

struct db {
	enum db_kind kind;
	const struct db_ops *ops;
	char *url;
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* a connection was released */
	int sync_ready;
	struct db_conn *conns;  /* SQLite: [0] is the writer */
	int nconns;
	int migrated;
	const struct migration *migs;
	int nmigs;
	/* Parameter count of each statement, from PostgreSQL's description. */
	int pg_nparams[DB_NSTMT];
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

/* Sets c->errmsg (trailing whitespace dropped). */
void db_conn_seterr(struct db_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *db_stmt_name(int id);

#endif
