/* The statement table. Each module owns its SQL in MODULE/sql.h as an
 * X-macro list of entries
 *     X(ID, SQL("portable text"))           same text for both engines
 *     X(ID, "sqlite text", "postgres text")  where the dialects differ
 * This header gathers them into one enum; db/stmts.c into one array. */
#ifndef CHANGAI_DB_STMTS_H
#define CHANGAI_DB_STMTS_H

#define SQL(s) s, s

#include "accounts/sql.h"
#include "audit/sql.h"
#include "calendar/sql.h"
#include "jobs/sql.h"
#include "notices/sql.h"
#include "orgs/sql.h"
#include "plans/sql.h"
#include "settings/sql.h"
#include "workers/sql.h"

#define DB_ALL_SQL(X) \
	ACCOUNTS_SQL(X) \
	AUDIT_SQL(X) \
	CALENDAR_SQL(X) \
	JOBS_SQL(X) \
	NOTICES_SQL(X) \
	ORGS_SQL(X) \
	PLANS_SQL(X) \
	SETTINGS_SQL(X) \
	WORKERS_SQL(X)

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
