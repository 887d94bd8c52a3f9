/* The store against a temporary SQLite file, and against PostgreSQL too
 * when CHANGAI_TEST_PG_URL is set (scripts/pg-temp.sh start DIR prints
 * one). Every test runs on both engines: that is the point of the layer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "db/db.h"

struct fx {
	const char *url;
	char dir[64];
	char path[128];
	struct db *db;
	int from, to;
	char run[48];           /* makes keys unique on a reused PG database */
};

static void
key(const struct fx *f, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s-%s", f->run, name);
}

static int
put_on(struct db_conn *c, const char *k, const char *v)
{
	assert_int_equal(db_prep(c, SETTING_PUT), 0);
	db_bind_text(c, 1, k);
	db_bind_text(c, 2, v);
	db_bind_int(c, 3, 1700000000);
	db_bind_null(c, 4);
	return db_run(c);
}

static int
put(struct db *db, const char *k, const char *v)
{
	struct db_conn *c;
	int rc;

	assert_int_equal(db_acquire(db, DB_WRITE, &c), 0);
	rc = put_on(c, k, v);
	db_release(c);
	return rc;
}

static int
get_on(struct db_conn *c, const char *k, char *out, size_t n)
{
	int rc;

	assert_int_equal(db_prep(c, SETTING_GET), 0);
	db_bind_text(c, 1, k);
	rc = db_one(c);
	if (rc == 0) {
		assert_non_null(db_col_text(c, 0));
		snprintf(out, n, "%s", db_col_text(c, 0));
		db_done(c);
	}
	return rc;
}

static int
get(struct db *db, const char *k, char *out, size_t n)
{
	struct db_conn *c;
	int rc;

	assert_int_equal(db_acquire(db, DB_READ, &c), 0);
	rc = get_on(c, k, out, n);
	db_release(c);
	return rc;
}

static void
rm_dir(const char *dir)
{
	char p[512];
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int
setup_common(void **state, const char *url)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/changai-test-db.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	f->url = url ? url : f->path;
	snprintf(f->run, sizeof(f->run), "t%ld-%llu", (long)getpid(),
	    (unsigned long long)time_mono_ns());
	*state = f;
	if (db_open(f->url, 2, &f->db) != 0)
		return -1;
	if (db_migrate(f->db, &f->from, &f->to) != 0)
		return -1;
	return 0;
}

static int
setup_sqlite(void **state)
{
	return setup_common(state, NULL);
}

static int
setup_pg(void **state)
{
	return setup_common(state, getenv("CHANGAI_TEST_PG_URL"));
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (!f)
		return 0;
	db_close(f->db);
	rm_dir(f->dir);
	free(f);
	return 0;
}

static void
test_migrate(void **state)
{
	struct fx *f = *state;
	struct db_conn *c;
	int from = -1, to = -1, v = -1, latest = db_latest_version(f->db);

	assert_true(latest >= 2);
	if (db_kind(f->db) == DB_SQLITE)
		assert_int_equal(f->from, 0);
	assert_int_equal(f->to, latest);
	assert_int_equal(db_acquire(f->db, DB_READ, &c), 0);
	assert_int_equal(db_schema_version(c, &v), 0);
	assert_int_equal(v, latest);
	db_release(c);
	/* Again: nothing to do, statements prepared afresh. */
	assert_int_equal(db_migrate(f->db, &from, &to), 0);
	assert_int_equal(from, latest);
	assert_int_equal(to, latest);
}

static void
test_codes_utf8(void **state)
{
	struct fx *f = *state;
	struct db_conn *c;

	assert_int_equal(db_acquire(f->db, DB_READ, &c), 0);
	assert_int_equal(db_prep(c, CODE_GET), 0);
	db_bind_text(c, 1, "education");
	db_bind_text(c, 2, "10");
	assert_int_equal(db_one(c), 0);
	assert_string_equal(db_col_text(c, 0), "10");
	assert_string_equal(db_col_text(c, 1), "研究生（博士）");
	assert_int_equal(db_col_int(c, 3), 10);
	assert_true(db_col_double(c, 3) == 10.0);
	assert_int_equal(db_col_int(c, 4), 1);
	assert_false(db_col_null(c, 1));
	db_done(c);
	db_release(c);
}

static void
test_settings_roundtrip(void **state)
{
	struct fx *f = *state;
	char k[96], v[256];

	key(f, "roundtrip", k, sizeof(k));
	assert_int_equal(get(f->db, k, v, sizeof(v)), ERR_NOTFOUND);
	assert_int_equal(put(f->db, k, "值 \"quoted\" \\ $1 ✓"), 0);
	assert_int_equal(get(f->db, k, v, sizeof(v)), 0);
	assert_string_equal(v, "值 \"quoted\" \\ $1 ✓");
}

static void
test_upsert(void **state)
{
	struct fx *f = *state;
	struct db_conn *c;
	char k[96], v[64];
	int seen = 0;

	key(f, "upsert", k, sizeof(k));
	assert_int_equal(db_acquire(f->db, DB_WRITE, &c), 0);
	assert_int_equal(put_on(c, k, "one"), 0);
	assert_int_equal(db_changes(c), 1);
	assert_int_equal(put_on(c, k, "two"), 0);
	assert_int_equal(db_changes(c), 1);
	db_release(c);
	assert_int_equal(get(f->db, k, v, sizeof(v)), 0);
	assert_string_equal(v, "two");

	assert_int_equal(db_acquire(f->db, DB_READ, &c), 0);
	assert_int_equal(db_prep(c, SETTING_LIST), 0);
	while (db_step(c) == DB_ROW)
		if (strcmp(db_col_text(c, 0), k) == 0)
			seen++;
	db_done(c);
	/* A SELECT leaves the last write's count alone on both engines. */
	assert_int_equal(seen, 1);
	db_release(c);
}

static void
test_conflicts(void **state)
{
	struct fx *f = *state;
	struct db_conn *c;

	assert_int_equal(db_acquire(f->db, DB_WRITE, &c), 0);

	/* Unique: no plain INSERT in the table yet, so use literals and
	 * leave nothing behind. */
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(db_exec_literal(c, "INSERT INTO settings "
	    "(key, value, updated) VALUES ('test-dup', 'a', 0)"), 0);
	assert_int_equal(db_exec_literal(c, "INSERT INTO settings "
	    "(key, value, updated) VALUES ('test-dup', 'b', 0)"), ERR_CONFLICT);
	db_rollback(c);

	/* Foreign key. */
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(db_exec_literal(c, "INSERT INTO users (username, name, "
	    "org_id, pw_hash, pw_changed, created, updated) VALUES "
	    "('nobody', 'x', 999999, 'x', 0, 0, 0)"), ERR_CONFLICT);
	db_rollback(c);

	/* CHECK through a prepared statement. */
	assert_int_equal(db_prep(c, CODE_PUT), 0);
	db_bind_text(c, 1, "education");
	db_bind_text(c, 2, "zz");
	db_bind_text(c, 3, "x");
	db_bind_text(c, 4, "x");
	db_bind_int(c, 5, 1);
	db_bind_int(c, 6, 2);
	assert_int_equal(db_run(c), ERR_INVALID);
	assert_true(strlen(db_errmsg(c)) > 0);

	/* A trigger's RAISE. */
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(db_exec_literal(c, "INSERT INTO audit (at, actor, ip, "
	    "action, target, result, summary, prev_hash, hash) VALUES "
	    "(0, 'test', '', 'test', '', '', '', '', '')"), 0);
	assert_int_equal(db_exec_literal(c, "DELETE FROM audit WHERE actor = "
	    "'test'"), ERR_INVALID);
	db_rollback(c);

	/* The connection is clean afterwards. */
	assert_int_equal(db_prep(c, CODE_GET), 0);
	db_bind_text(c, 1, "education");
	db_bind_text(c, 2, "zz");
	assert_int_equal(db_one(c), ERR_NOTFOUND);
	db_release(c);
}

static void
test_transactions(void **state)
{
	struct fx *f = *state;
	struct db_conn *c;
	char k[96], v[64];

	key(f, "txn", k, sizeof(k));
	assert_int_equal(db_acquire(f->db, DB_WRITE, &c), 0);
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(put_on(c, k, "gone"), 0);
	assert_int_equal(get_on(c, k, v, sizeof(v)), 0);
	db_rollback(c);
	assert_int_equal(get_on(c, k, v, sizeof(v)), ERR_NOTFOUND);

	/* Released mid-transaction: rolled back, not committed. */
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(put_on(c, k, "gone too"), 0);
	db_release(c);
	assert_int_equal(get(f->db, k, v, sizeof(v)), ERR_NOTFOUND);

	assert_int_equal(db_acquire(f->db, DB_WRITE, &c), 0);
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(put_on(c, k, "kept"), 0);
	assert_int_equal(db_commit(c), 0);
	db_release(c);
	assert_int_equal(get(f->db, k, v, sizeof(v)), 0);
	assert_string_equal(v, "kept");
}

static void
test_failed_commit(void **state)
{
	struct fx *f = *state;
	struct db_conn *c;
	char k[96], v[64];

	/* After an error inside a transaction PostgreSQL refuses to commit;
	 * SQLite would commit the rest. Callers must roll back on any error;
	 * here only check that db_commit reports it on PostgreSQL. */
	if (db_kind(f->db) != DB_PG)
		skip();
	key(f, "aborted", k, sizeof(k));
	assert_int_equal(db_acquire(f->db, DB_WRITE, &c), 0);
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(put_on(c, k, "x"), 0);
	assert_int_equal(db_exec_literal(c, "SELECT 1/0"), ERR_DB);
	assert_int_equal(db_commit(c), ERR_DB);
	db_release(c);
	assert_int_equal(get(f->db, k, v, sizeof(v)), ERR_NOTFOUND);
}

static void
test_null_binding(void **state)
{
	struct fx *f = *state;
	struct db_conn *c;
	char k[96];

	key(f, "null", k, sizeof(k));
	assert_int_equal(db_acquire(f->db, DB_WRITE, &c), 0);
	/* NULL text binds SQL NULL: value is NOT NULL. */
	assert_int_equal(db_prep(c, SETTING_PUT), 0);
	db_bind_text(c, 1, k);
	db_bind_text(c, 2, NULL);
	db_bind_int(c, 3, 0);
	db_bind_text(c, 4, NULL);
	assert_int_equal(db_run(c), ERR_INVALID);
	/* key = NULL matches nothing. */
	assert_int_equal(db_prep(c, SETTING_GET), 0);
	db_bind_null(c, 1);
	assert_int_equal(db_one(c), ERR_NOTFOUND);
	db_release(c);
}

static void
test_bind_errors(void **state)
{
	struct fx *f = *state;
	struct db_conn *c;
	int rows = 0;

	assert_int_equal(db_acquire(f->db, DB_READ, &c), 0);

	assert_int_equal(db_prep(c, SETTING_GET), 0);
	db_bind_text(c, 1, "x");
	db_bind_text(c, 2, "no such parameter");
	assert_int_equal(db_step(c), ERR_INTERNAL);
	assert_non_null(strstr(db_errmsg(c), "$2"));
	/* Sticky until the next db_prep. */
	assert_int_equal(db_step(c), ERR_INTERNAL);
	db_done(c);

	assert_int_equal(db_prep(c, SETTING_GET), 0);
	db_bind_int(c, 0, 1);
	assert_int_equal(db_one(c), ERR_INTERNAL);

	assert_int_equal(db_prep(c, SETTING_GET), 0);
	assert_int_equal(db_step(c), ERR_INTERNAL);
	assert_non_null(strstr(db_errmsg(c), "not bound"));

	/* A second statement while the first has rows is refused. */
	assert_int_equal(db_prep(c, CODE_LIST), 0);
	db_bind_text(c, 1, "education");
	assert_int_equal(db_step(c), DB_ROW);
	assert_int_equal(db_prep(c, SETTING_GET), ERR_INTERNAL);
	assert_int_equal(db_step(c), ERR_INTERNAL);

	/* Binding after stepping is refused too. */
	assert_int_equal(db_prep(c, CODE_LIST), 0);
	db_bind_text(c, 1, "education");
	assert_int_equal(db_step(c), DB_ROW);
	db_bind_text(c, 1, "gender");
	assert_int_equal(db_step(c), ERR_INTERNAL);

	/* And the connection still works. */
	assert_int_equal(db_prep(c, CODE_LIST), 0);
	db_bind_text(c, 1, "education");
	while (db_step(c) == DB_ROW)
		rows++;
	assert_int_equal(rows, 7);
	assert_true(db_take_time_ns(c) > 0);
	assert_int_equal(db_take_time_ns(c), 0);
	db_release(c);
}

struct waiter {
	struct db *db;
	enum db_mode mode;
	volatile int got;
};

static void *
waiter_main(void *arg)
{
	struct waiter *w = arg;
	struct db_conn *c;

	if (db_acquire(w->db, w->mode, &c) == 0) {
		__atomic_store_n(&w->got, 1, __ATOMIC_SEQ_CST);
		db_release(c);
	}
	return NULL;
}

/* With `held` lent out, a thread asking for `mode` waits until one
 * comes back. */
static void
expect_blocks(struct db *db, enum db_mode mode, struct db_conn *held)
{
	struct waiter w = {db, mode, 0};
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, waiter_main, &w), 0);
	usleep(100 * 1000);
	assert_int_equal(__atomic_load_n(&w.got, __ATOMIC_SEQ_CST), 0);
	db_release(held);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(w.got, 1);
}

static void
test_readers(void **state)
{
	struct fx *f = *state;
	struct db_conn *a, *b, *w;
	int ra, rb, na = 0, nb = 0;
	char k[96];

	assert_int_equal(db_acquire(f->db, DB_READ, &a), 0);
	assert_int_equal(db_acquire(f->db, DB_READ, &b), 0);
	assert_ptr_not_equal(a, b);
	/* Two cursors open at once, on two connections. */
	assert_int_equal(db_prep(a, CODE_LIST), 0);
	db_bind_text(a, 1, "education");
	assert_int_equal(db_prep(b, CODE_LIST), 0);
	db_bind_text(b, 1, "gender");
	do {
		ra = db_step(a);
		rb = db_step(b);
		na += ra == DB_ROW;
		nb += rb == DB_ROW;
	} while (ra == DB_ROW || rb == DB_ROW);
	assert_int_equal(ra, DB_DONE);
	assert_int_equal(rb, DB_DONE);
	assert_int_equal(na, 7);
	assert_int_equal(nb, 2);
	expect_blocks(f->db, DB_READ, b);
	db_release(a);

	if (db_kind(f->db) == DB_SQLITE) {
		/* Readers are read-only; the single writer is exclusive. */
		key(f, "readonly", k, sizeof(k));
		assert_int_equal(db_acquire(f->db, DB_READ, &a), 0);
		assert_int_not_equal(put_on(a, k, "x"), 0);
		db_release(a);
		assert_int_equal(db_acquire(f->db, DB_WRITE, &w), 0);
		expect_blocks(f->db, DB_WRITE, w);
	} else {
		/* The pool of two serves writes as well. */
		assert_int_equal(db_acquire(f->db, DB_WRITE, &a), 0);
		assert_int_equal(db_acquire(f->db, DB_READ, &b), 0);
		expect_blocks(f->db, DB_WRITE, b);
		db_release(a);
	}
}

static void
test_backup(void **state)
{
	struct fx *f = *state;
	struct db *copy = NULL;
	struct buf msg;
	char k[96], v[64], file[160], head[8] = {0};
	int from = -1, to = -1;
	FILE *fp;

	buf_init(&msg, 4096);
	key(f, "backup", k, sizeof(k));
	assert_int_equal(put(f->db, k, "saved"), 0);
	snprintf(file, sizeof(file), "%s/backup.copy", f->dir);
	assert_int_equal(db_backup(f->db, file, &msg), 0);
	assert_int_equal(access(file, R_OK), 0);

	if (db_kind(f->db) == DB_SQLITE) {
		assert_int_equal(db_open(file, 1, &copy), 0);
		assert_int_equal(db_migrate(copy, &from, &to), 0);
		assert_int_equal(from, db_latest_version(f->db));
		assert_int_equal(get(copy, k, v, sizeof(v)), 0);
		assert_string_equal(v, "saved");
		db_close(copy);
	} else {
		fp = fopen(file, "rb");
		assert_non_null(fp);
		assert_int_equal(fread(head, 1, 5, fp), 5);
		fclose(fp);
		assert_string_equal(head, "PGDMP");
	}

	/* Never overwrites. */
	buf_reset(&msg);
	assert_int_equal(db_backup(f->db, file, &msg), ERR_IO);
	assert_non_null(msg.data);
	assert_non_null(strstr(msg.data, "exists"));
	buf_free(&msg);
}

static void
test_engine_check(void **state)
{
	struct fx *f = *state;
	struct db_conn *c;
	struct buf report;

	buf_init(&report, 1 << 16);
	assert_int_equal(db_acquire(f->db, DB_WRITE, &c), 0);
	assert_int_equal(db_engine_check(c, &report), 0);
	assert_int_equal(report.len, 0);
	if (db_kind(f->db) == DB_SQLITE) {
		/* Sneak in an orphan to see the report line. */
		assert_int_equal(db_exec_literal(c, "PRAGMA foreign_keys=OFF; "
		    "INSERT INTO grants (user_id, org_id, role, created) "
		    "VALUES (424242, 1, 'viewer', 0); PRAGMA foreign_keys=ON"), 0);
		assert_int_equal(db_engine_check(c, &report), 2);
		assert_non_null(strstr(report.data,
		    "foreign key: table grants rowid "));
		assert_non_null(strstr(report.data, "→ parent users"));
		assert_int_equal(db_exec_literal(c,
		    "DELETE FROM grants WHERE user_id = 424242"), 0);
		buf_reset(&report);
		assert_int_equal(db_engine_check(c, &report), 0);
	}
	db_release(c);
	buf_free(&report);
}

static void
test_pg_reconnect(void **state)
{
	struct fx *f = *state;
	struct db_conn *a, *b, *c;
	char k[96], v[64];

	if (db_kind(f->db) != DB_PG)
		skip();
	key(f, "reconnect", k, sizeof(k));
	assert_int_equal(put(f->db, k, "still here"), 0);
	assert_int_equal(db_acquire(f->db, DB_READ, &a), 0);
	assert_int_equal(db_acquire(f->db, DB_READ, &b), 0);
	/* The server ends b's session, as a restart or idle timeout would. */
	assert_int_not_equal(db_exec_literal(b,
	    "SELECT pg_terminate_backend(pg_backend_pid())"), 0);
	db_release(b);
	/* a is held, so this is b again: reconnected and re-prepared. */
	assert_int_equal(db_acquire(f->db, DB_READ, &c), 0);
	assert_ptr_equal(c, b);
	assert_int_equal(get_on(c, k, v, sizeof(v)), 0);
	assert_string_equal(v, "still here");
	db_release(c);
	db_release(a);
}

struct migrator {
	const char *url;
	int rc, to;
};

static void *
migrator_main(void *arg)
{
	struct migrator *m = arg;
	struct db *db;
	int from;

	m->rc = db_open(m->url, 2, &db);
	if (m->rc)
		return NULL;
	m->rc = db_migrate(db, &from, &m->to);
	db_close(db);
	return NULL;
}

static void
test_pg_concurrent_migrate(void **state)
{
	struct fx *f = *state;
	struct db_conn *c;
	struct migrator m[3];
	pthread_t t[3];
	char url[1024];
	int i;

	if (db_kind(f->db) != DB_PG)
		skip();
	/* A fresh schema, reached through search_path, stands in for an
	 * empty database that three nodes start on at once. */
	snprintf(url, sizeof(url), "%s%coptions=-csearch_path%%3Dmigtest",
	    f->url, strchr(f->url, '?') ? '&' : '?');
	assert_int_equal(db_acquire(f->db, DB_WRITE, &c), 0);
	assert_int_equal(db_exec_literal(c, "DROP SCHEMA IF EXISTS migtest "
	    "CASCADE; CREATE SCHEMA migtest"), 0);
	for (i = 0; i < 3; i++) {
		m[i].url = url;
		m[i].rc = -1;
		assert_int_equal(pthread_create(&t[i], NULL, migrator_main,
		    &m[i]), 0);
	}
	for (i = 0; i < 3; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(m[i].rc, 0);
		assert_int_equal(m[i].to, db_latest_version(f->db));
	}
	assert_int_equal(db_exec_literal(c, "DROP SCHEMA migtest CASCADE"), 0);
	db_release(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_codes_utf8),
		cmocka_unit_test(test_settings_roundtrip),
		cmocka_unit_test(test_upsert),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_failed_commit),
		cmocka_unit_test(test_null_binding),
		cmocka_unit_test(test_bind_errors),
		cmocka_unit_test(test_readers),
		cmocka_unit_test(test_backup),
		cmocka_unit_test(test_engine_check),
		cmocka_unit_test(test_pg_reconnect),
		cmocka_unit_test(test_pg_concurrent_migrate),
	};
	int fails;

	printf("db_sqlite: a temporary SQLite file\n");
	fails = cmocka_run_group_tests_name("db_sqlite", tests, setup_sqlite,
	    teardown);
	if (getenv("CHANGAI_TEST_PG_URL") && *getenv("CHANGAI_TEST_PG_URL")) {
		printf("db_pg: CHANGAI_TEST_PG_URL\n");
		fails += cmocka_run_group_tests_name("db_pg", tests, setup_pg,
		    teardown);
	} else {
		printf("[  SKIPPED ] db_pg: set CHANGAI_TEST_PG_URL "
		    "(scripts/pg-temp.sh start DIR) to run it\n");
	}
	return fails ? 1 : 0;
}
