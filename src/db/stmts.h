/* The statement table. Each module owns its SQL in MODULE/sql.h as an
 * X-macro list of entries
 *     X(ID, SQL("portable text"))           same text for both engines
 *     X(ID, "sqlite text", "postgres text")  where the dialects differ
 * The build gathers every module's list (scripts/gen-sql.sh), this header
 * makes them one enum and db/stmts.c one array. */
#ifndef CHANGAI_DB_STMTS_H
#define CHANGAI_DB_STMTS_H

#define SQL(s) s, s

/* DB_ALL_SQL: every module's list, gathered by scripts/gen-sql.sh */
#include "module_sql.h"

#define DB_ENUM_(id, ...) id,
enum db_stmt_id {
	DB_ALL_SQL(DB_ENUM_)
	DB_STMT__MAX
};
#undef DB_ENUM_

struct db_stmt_text {
	const char *name;
	const char *sqlite;
	const char *pg;
};
extern const struct db_stmt_text db_stmt_texts[DB_STMT__MAX];

#endif
