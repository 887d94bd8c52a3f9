/* 公示 notices on a temporary SQLite store: the window on the calendar
 * (2025: Sunday 26 January worked before 春节), objections and answers,
 * the sweep that closes a notice after its last day and tells the owning
 * module through its kind's hook, and the detector that keeps ID and
 * mobile numbers out of public text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/pii.h"
#include "base/util.h"
#include "db/db.h"
#include "notices/notices.h"
#include "orgs/orgs.h"

struct fx {
	char dir[64], path[128];
	struct db *db;
	struct pii_key key;
	int64_t org_id;
};

/* what the owner's hook saw */
static int hook_calls, hook_listed, hook_withdrawn;

static int
count_subject(void *ctx, const struct notice_subject *s)
{
	(void)ctx;
	if (!strcmp(s->state, "listed"))
		hook_listed++;
	else
		hook_withdrawn++;
	return 0;
}

static int
on_closed(struct db_conn *c, const struct notice *n)
{
	hook_calls++;
	return notices_subjects_each(c, n->id, count_subject, NULL);
}

static const struct notice_kind honour_kind = {"test_honour", "评优公示", "work", 5, on_closed};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct db_conn *c;
	struct org root;
	int from, to;

	if (!f || crypto_init(1))
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/changai-test-notice.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	if (db_open(f->path, 1, &f->db) || db_migrate(f->db, &from, &to) ||
	    db_acquire(f->db, DB_WRITE, &c))
		return -1;
	memset(&root, 0, sizeof(root));
	str_copy(root.kind, sizeof(root.kind), "city");
	str_copy(root.name, sizeof(root.name), "宁波市");
	if (db_begin(c) || orgs_insert(c, &root) || db_commit(c))
		return -1;
	db_release(c);
	f->org_id = root.id;
	randombytes_buf(&f->key, sizeof(f->key));
	if (notices_kind_register(&honour_kind))
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char p[160];

	db_close(f->db);
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/store.db%s", f->dir, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
test_pii_detector(void **state)
{
	(void)state;
	assert_true(notice_text_has_pii("身份证 11010519491231002X 张三"));
	assert_true(notice_text_has_pii("11010519491231002x"));
	assert_true(notice_text_has_pii("手机13812345678"));
	assert_true(notice_text_has_pii("440524188001010014"));
	/* a failing check character, a digit run of another length, a landline */
	assert_false(notice_text_has_pii("330203199001011234"));
	assert_false(notice_text_has_pii("订单 1381234567890"));
	assert_false(notice_text_has_pii("0574-87654321"));
	assert_false(notice_text_has_pii("12345678901"));          /* 12… does not dial */
	assert_false(notice_text_has_pii("拟评为“甬江工匠” 2026年"));
	assert_false(notice_text_has_pii(""));
}

static void
test_kinds(void **state)
{
	static const struct notice_kind again = {"test_honour", "x", "work", 5, NULL};

	(void)state;
	assert_non_null(notices_kind_find("general"));
	assert_ptr_equal(notices_kind_find("test_honour"), &honour_kind);
	assert_int_equal(notices_kind_register(&again), ERR_CONFLICT);
	assert_null(notices_kind_find("nosuch"));
}

static void
test_lifecycle(void **state)
{
	struct fx *f = *state;
	struct notice_subject subs[3];
	struct why why = {0};
	struct notice *n = calloc(1, sizeof(*n));
	struct notice_objection_in o = {"李建华", "13812345678", "甬江某厂", "该同志材料不实，请核查", 2};
	struct db_conn *c;
	int64_t oid = 0, oid2 = 0;
	size_t closed = 9;

	assert_non_null(n);
	memset(subs, 0, sizeof(subs));
	for (int i = 0; i < 3; i++) {
		str_copy(subs[i].ref_kind, sizeof(subs[i].ref_kind), "worker");
		subs[i].ref_id = i + 1;
		snprintf(subs[i].name, sizeof(subs[i].name), "候选人%d", i + 1);
		str_copy(subs[i].text, sizeof(subs[i].text), "拟评为宁波工匠");
	}
	n->org_id = f->org_id;
	str_copy(n->kind, sizeof(n->kind), "test_honour");
	str_copy(n->title, sizeof(n->title), "宁波工匠拟命名人选公示");
	n->days = 3;
	assert_int_equal(db_acquire(f->db, DB_WRITE, &c), 0);
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(notices_create(c, n, subs, 3, &why), 0);
	/* Friday 24 January 2025, three working days: Sunday 26th is worked */
	assert_int_equal(notices_open(c, n, "2025-01-24", "2025-01-24", &why), 0);
	assert_string_equal(n->ends, "2025-01-27");
	assert_int_equal(db_commit(c), 0);
	assert_string_equal(notice_phase(n, "2025-01-23"), "before");
	assert_string_equal(notice_phase(n, "2025-01-27"), "open");
	assert_string_equal(notice_phase(n, "2025-01-28"), "ended");

	/* objections only inside the window */
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(notices_object(c, &f->key, n, &o, "10.0.0.7", "2025-01-28", 1737000000,
	    &oid, &why), ERR_CONFLICT);
	assert_int_equal(notices_object(c, &f->key, n, &o, "10.0.0.7", "2025-01-26", 1737000000,
	    &oid, &why), 0);
	o.subject_no = 0;
	assert_int_equal(notices_object(c, &f->key, n, &o, "10.0.0.7", "2025-01-26", 1737000010,
	    &oid2, &why), 0);
	o.phone = "8700123";
	assert_int_equal(notices_object(c, &f->key, n, &o, "10.0.0.7", "2025-01-26", 1737000020,
	    &oid2, &why), ERR_INVALID);
	assert_string_equal(why.field, "phone");
	assert_int_equal(db_commit(c), 0);
	db_release(c);

	/* the last day closes nothing; the day after waits for the answers */
	assert_int_equal(notices_sweep(f->db, "2025-01-27", &closed), 0);
	assert_int_equal(closed, 0);
	assert_int_equal(notices_sweep(f->db, "2025-01-28", &closed), 0);
	assert_int_equal(closed, 0);
	assert_int_equal(hook_calls, 0);

	assert_int_equal(db_acquire(f->db, DB_WRITE, &c), 0);
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(notices_respond(c, n, oid, "dismissed", "", 1, &why), ERR_INVALID);
	assert_string_equal(why.field, "reason");
	assert_int_equal(notices_respond(c, n, oid, "upheld", "属实", 1, &why), 0);
	assert_int_equal(notices_respond(c, n, oid, "upheld", "", 1, &why), ERR_CONFLICT);
	assert_int_equal(notices_respond(c, n, oid2, "dismissed", "不属于本公示范围", 1, &why), 0);
	assert_int_equal(notices_respond(c, n, 999, "upheld", "", 1, &why), ERR_NOTFOUND);
	assert_int_equal(db_commit(c), 0);
	db_release(c);

	assert_int_equal(notices_sweep(f->db, "2025-01-28", &closed), 0);
	assert_int_equal(closed, 1);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(hook_listed, 2);
	assert_int_equal(hook_withdrawn, 1);
	assert_int_equal(notices_sweep(f->db, "2025-02-10", &closed), 0);
	assert_int_equal(closed, 0);
	assert_int_equal(hook_calls, 1);
	free(n);
}

/* public text is checked before anything is written */
static void
test_refusals(void **state)
{
	struct fx *f = *state;
	struct notice_subject s;
	struct why why = {0};
	struct notice *n = calloc(1, sizeof(*n));
	struct db_conn *c;

	assert_non_null(n);
	memset(&s, 0, sizeof(s));
	str_copy(s.name, sizeof(s.name), "张三");
	str_copy(s.text, sizeof(s.text), "联系 13812345678");
	n->org_id = f->org_id;
	str_copy(n->kind, sizeof(n->kind), "general");
	str_copy(n->title, sizeof(n->title), "公示");
	assert_int_equal(db_acquire(f->db, DB_WRITE, &c), 0);
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(notices_create(c, n, &s, 1, &why), ERR_INVALID);
	assert_string_equal(why.field, "text");
	assert_int_equal(why.row, 1);
	str_copy(s.text, sizeof(s.text), "拟推荐");
	str_copy(s.ref_kind, sizeof(s.ref_kind), "Worker");
	assert_int_equal(notices_create(c, n, &s, 1, &why), ERR_INVALID);
	assert_string_equal(why.field, "ref.kind");
	s.ref_kind[0] = '\0';
	n->days = 61;
	assert_int_equal(notices_create(c, n, &s, 1, &why), ERR_INVALID);
	assert_string_equal(why.field, "days");
	n->days = 5;
	assert_int_equal(notices_create(c, n, &s, 1, &why), 0);
	/* a window of working days starts on one: Saturday 25 January 2025 is not */
	assert_int_equal(notices_open(c, n, "2025-01-25", "2025-01-20", &why), ERR_INVALID);
	assert_string_equal(why.field, "starts");
	assert_int_equal(notices_open(c, n, "2025-01-19", "2025-01-20", &why), ERR_INVALID);
	/* no start given on a holiday: the next working day */
	assert_int_equal(notices_open(c, n, NULL, "2025-01-30", &why), 0);
	assert_string_equal(n->starts, "2025-02-05");
	assert_string_equal(n->ends, "2025-02-10");      /* 5, 6, 7, Saturday 8, 10 */
	db_rollback(c);
	db_release(c);
	free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pii_detector),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
