/* Schema migrations compiled into the program. scripts/embed-sql.sh turns
 * src/db/migrations/{sqlite,pg,common}/NNNN_name.sql into build/gen/
 * migrations.c: for each version the dialect's own file wins over common/,
 * and every version exists for both dialects. Arrays are in ascending
 * version order. */
#ifndef CHANGAI_DB_MIGRATIONS_H
#define CHANGAI_DB_MIGRATIONS_H

struct migration {
	int version;
	const char *name;       /* the file name without NNNN_ and .sql */
	const char *sql;        /* the file's bytes, verbatim */
};

extern const struct migration migrations_sqlite[];
extern const int migrations_sqlite_count;
extern const struct migration migrations_pg[];
extern const int migrations_pg_count;

#endif
