/* src/scope/scope.c: the single access decision (checklist AC-06). A grant
 * covers its org's subtree, named by a materialised path that ends in '/'
 * ("/1/2/"); the trap is a plain string prefix, under which /1/2 would also
 * cover /1/20. Tables below walk role x relation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "scope/scope.h"

static void
grant(struct principal *p, int64_t org_id, unsigned role, int pii,
    const char *path)
{
	struct grant *g = &p->grants[p->ngrants++];

	memset(g, 0, sizeof(*g));
	g->id = p->ngrants;
	g->org_id = org_id;
	g->role = role;
	g->pii = pii;
	snprintf(g->path, sizeof(g->path), "%s", path);
}

/* operator at district /1/2/, viewer with pii at /1/5/, auditor at /1/ */
static void
sample(struct principal *p)
{
	memset(p, 0, sizeof(*p));
	p->user_id = 9;
	grant(p, 2, ROLE_OPERATOR, 0, "/1/2/");
	grant(p, 5, ROLE_VIEWER, 1, "/1/5/");
	grant(p, 1, ROLE_AUDITOR, 0, "/1/");
}

static void
test_relation_table(void **state)
{
	/* one grant, operator at /1/2/; every relation of a target org */
	static const struct {
		const char *path;
		int allowed;
		const char *why;
	} t[] = {
		{"/1/2/", 1, "the org itself"},
		{"/1/2/3/", 1, "a child"},
		{"/1/2/3/44/", 1, "a grandchild"},
		{"/1/2/20/", 1, "a child whose id starts like the parent's"},
		{"/1/20/", 0, "a sibling sharing the digit prefix"},
		{"/1/20/2/", 0, "below that sibling"},
		{"/1/21/", 0, "another sibling"},
		{"/1/3/", 0, "a sibling"},
		{"/1/", 0, "the parent"},
		{"/", 0, "the root"},
		{"/12/", 0, "an unrelated tree"},
		{"/1/2", 0, "the path without its final slash"},
		{"", 0, "empty"},
	};
	struct principal p;

	(void)state;
	memset(&p, 0, sizeof(p));
	grant(&p, 2, ROLE_OPERATOR, 0, "/1/2/");
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		if (scope_allows(&p, ROLE_OPERATOR, t[i].path) != t[i].allowed)
			fail_msg("%s (%s): want %d", t[i].path, t[i].why,
			    t[i].allowed);
}

static void
test_role_masks(void **state)
{
	struct principal p;

	(void)state;
	sample(&p);
	/* the operator grant serves masks that include operator only */
	assert_int_equal(scope_allows(&p, ROLE_OPERATOR, "/1/2/3/"), 1);
	assert_int_equal(scope_allows(&p, ROLE_ADMIN | ROLE_OPERATOR, "/1/2/3/"),
	    1);
	assert_int_equal(scope_allows(&p, ROLE_ADMIN, "/1/2/3/"), 0);
	assert_int_equal(scope_allows(&p, ROLE_VIEWER, "/1/2/3/"), 0);
	/* the viewer grant covers /1/5/ only for viewer masks */
	assert_int_equal(scope_allows(&p, ROLE_VIEWER, "/1/5/9/"), 1);
	assert_int_equal(scope_allows(&p, ROLE_OPERATOR, "/1/5/9/"), 0);
	assert_int_equal(scope_allows(&p, ROLES_BUSINESS, "/1/5/9/"), 1);
	/* the auditor's wide grant does not lend business roles anything */
	assert_int_equal(scope_allows(&p, ROLES_BUSINESS, "/1/7/"), 0);
	assert_int_equal(scope_allows(&p, ROLE_AUDITOR, "/1/7/"), 1);
	assert_int_equal(scope_allows(&p, ROLES_ANY, "/1/7/"), 1);
	assert_int_equal(scope_allows(&p, ROLE_SECURITY_ADMIN, "/1/7/"), 0);
	/* an empty mask allows nothing */
	assert_int_equal(scope_allows(&p, 0, "/1/2/"), 0);
	/* outside every grant */
	assert_int_equal(scope_allows(&p, ROLES_ANY, "/2/"), 0);
}

static void
test_multiple_grants(void **state)
{
	struct principal p;

	(void)state;
	/* the covering grant may be any one of them, in any position */
	memset(&p, 0, sizeof(p));
	grant(&p, 3, ROLE_OPERATOR, 0, "/1/3/");
	grant(&p, 4, ROLE_OPERATOR, 0, "/1/4/");
	grant(&p, 20, ROLE_OPERATOR, 0, "/1/20/");
	assert_int_equal(scope_allows(&p, ROLE_OPERATOR, "/1/3/8/"), 1);
	assert_int_equal(scope_allows(&p, ROLE_OPERATOR, "/1/4/"), 1);
	assert_int_equal(scope_allows(&p, ROLE_OPERATOR, "/1/20/5/"), 1);
	assert_int_equal(scope_allows(&p, ROLE_OPERATOR, "/1/2/"), 0);
	assert_int_equal(scope_allows(&p, ROLE_OPERATOR, "/1/"), 0);
	/* a full grant table; only the last one matches */
	memset(&p, 0, sizeof(p));
	for (int i = 0; i < PRINCIPAL_MAX_GRANTS - 1; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/9/%d/", 100 + i);
		grant(&p, 100 + i, ROLE_VIEWER, 0, path);
	}
	grant(&p, 7, ROLE_VIEWER, 0, "/7/");
	assert_int_equal(p.ngrants, PRINCIPAL_MAX_GRANTS);
	assert_int_equal(scope_allows(&p, ROLE_VIEWER, "/7/1/"), 1);
	assert_int_equal(scope_allows(&p, ROLE_VIEWER, "/9/1/"), 0);
	/* ngrants bounds the search: a grant past it does not count */
	p.ngrants--;
	assert_int_equal(scope_allows(&p, ROLE_VIEWER, "/7/1/"), 0);
	p.grants[p.ngrants].pii = 1;
	p.grants[p.ngrants].role = ROLE_AUDITOR;
	assert_int_equal(scope_pii(&p, "/7/1/"), 0);
	assert_null(scope_default(&p, ROLE_AUDITOR));
	assert_int_equal(scope_has_role(&p, ROLE_AUDITOR), 0);
}

static void
test_degenerate(void **state)
{
	struct principal p;

	(void)state;
	sample(&p);
	assert_int_equal(scope_allows(NULL, ROLES_ANY, "/1/2/"), 0);
	assert_int_equal(scope_allows(&p, ROLES_ANY, NULL), 0);
	/* a grant with an empty path is a broken row: it covers nothing,
	 * rather than everything */
	memset(&p, 0, sizeof(p));
	grant(&p, 1, ROLE_ADMIN, 1, "");
	assert_int_equal(scope_allows(&p, ROLES_ANY, "/1/"), 0);
	assert_int_equal(scope_allows(&p, ROLES_ANY, ""), 0);
	assert_int_equal(scope_pii(&p, "/1/"), 0);
	/* no grants at all */
	memset(&p, 0, sizeof(p));
	assert_int_equal(scope_allows(&p, ROLES_ANY, "/1/"), 0);
	assert_null(scope_default(&p, ROLES_ANY));
	assert_int_equal(scope_has_role(&p, ROLES_ANY), 0);
}

static void
test_default_and_has_role(void **state)
{
	struct principal p;
	const struct grant *g;

	(void)state;
	sample(&p);
	/* the first grant, in order, that carries one of the roles */
	g = scope_default(&p, ROLES_ANY);
	assert_non_null(g);
	assert_ptr_equal(g, &p.grants[0]);
	g = scope_default(&p, ROLE_VIEWER | ROLE_AUDITOR);
	assert_ptr_equal(g, &p.grants[1]);
	assert_string_equal(g->path, "/1/5/");
	g = scope_default(&p, ROLE_AUDITOR);
	assert_ptr_equal(g, &p.grants[2]);
	assert_null(scope_default(&p, ROLE_ADMIN | ROLE_EXPERT));
	assert_null(scope_default(NULL, ROLES_ANY));

	assert_int_equal(scope_has_role(&p, ROLE_AUDITOR), 1);
	assert_int_equal(scope_has_role(&p, ROLE_SECURITY_ADMIN), 0);
	assert_int_equal(scope_has_role(NULL, ROLES_ANY), 0);
}

static void
test_below(void **state)
{
	struct principal p;

	(void)state;
	sample(&p);
	grant(&p, 22, ROLE_VIEWER, 0, "/1/22/");
	/* a grant at the path or anywhere below it, with one of the roles */
	assert_ptr_equal(scope_below(&p, ROLE_OPERATOR, "/1/"), &p.grants[0]);
	assert_ptr_equal(scope_below(&p, ROLE_OPERATOR, "/1/2/"), &p.grants[0]);
	assert_ptr_equal(scope_below(&p, ROLE_VIEWER, "/1/"), &p.grants[1]);
	/* a grant above the path is not below it */
	assert_null(scope_below(&p, ROLE_OPERATOR, "/1/2/3/"));
	assert_null(scope_below(&p, ROLE_AUDITOR, "/1/2/"));
	/* /1/22/ shares a prefix with /1/2 but is its sibling */
	assert_null(scope_below(&p, ROLE_VIEWER, "/1/2/"));
	assert_ptr_equal(scope_below(&p, ROLE_VIEWER, "/1/22/"), &p.grants[3]);
	assert_null(scope_below(&p, ROLE_ADMIN, "/1/"));
	assert_null(scope_below(NULL, ROLES_ANY, "/1/"));
}

static void
test_pii(void **state)
{
	struct principal p;

	(void)state;
	sample(&p);
	/* only the viewer grant at /1/5/ carries pii */
	assert_int_equal(scope_pii(&p, "/1/5/"), 1);
	assert_int_equal(scope_pii(&p, "/1/5/9/"), 1);
	assert_int_equal(scope_pii(&p, "/1/50/"), 0);
	assert_int_equal(scope_pii(&p, "/1/2/3/"), 0);
	/* the wide auditor grant has no pii, so /1/7/ stays masked */
	assert_int_equal(scope_pii(&p, "/1/7/"), 0);
	assert_int_equal(scope_pii(&p, "/1/"), 0);
	assert_int_equal(scope_pii(NULL, "/1/5/"), 0);
}

/* In range, by the same comparison the SQL makes (BINARY collation). */
static int
in_range(const char *lo, const char *hi, const char *path)
{
	return strcmp(path, lo) >= 0 && strcmp(path, hi) < 0;
}

static void
test_path_range(void **state)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];

	(void)state;
	path_range("/1/2/", lo, hi, sizeof(lo));
	assert_string_equal(lo, "/1/2/");
	assert_string_equal(hi, "/1/20");
	assert_true(in_range(lo, hi, "/1/2/"));
	assert_true(in_range(lo, hi, "/1/2/3/"));
	assert_true(in_range(lo, hi, "/1/2/99999/1/"));
	assert_false(in_range(lo, hi, "/1/20/"));
	assert_false(in_range(lo, hi, "/1/3/"));
	assert_false(in_range(lo, hi, "/1/"));
	assert_false(in_range(lo, hi, "/1/1/"));
	assert_false(in_range(lo, hi, "/1/2"));
	assert_false(in_range(lo, hi, "/1/29/"));

	/* the range and scope_allows agree on every path here */
	{
		static const char *const paths[] = {"/1/2/", "/1/2/3/",
		    "/1/20/", "/1/3/", "/1/", "/1/2/0/", "/1/2/20/", "/1/21/"};
		struct principal p;

		memset(&p, 0, sizeof(p));
		grant(&p, 2, ROLE_VIEWER, 0, "/1/2/");
		for (size_t i = 0; i < ARRAY_LEN(paths); i++)
			assert_int_equal(in_range(lo, hi, paths[i]),
			    scope_allows(&p, ROLE_VIEWER, paths[i]));
	}

	/* the root's range is everything that starts with '/' */
	path_range("/", lo, hi, sizeof(lo));
	assert_string_equal(lo, "/");
	assert_string_equal(hi, "0");
	assert_true(in_range(lo, hi, "/987/"));
}

static void
test_path_range_small_buffer(void **state)
{
	char lo[5], hi[5];

	(void)state;
	/* a path that does not fit must not yield a wider range: here lo
	 * and hi come out equal, an empty range */
	path_range("/1/2/3/", lo, hi, sizeof(lo));
	assert_true(strcmp(lo, hi) >= 0);
	assert_false(in_range(lo, hi, "/1/2/3/"));
	assert_false(in_range(lo, hi, "/1/2/"));
}

static void
test_role_names(void **state)
{
	/* the names of API.md */
	static const struct {
		unsigned bit;
		const char *name;
	} r[] = {
		{ROLE_ADMIN, "admin"}, {ROLE_OPERATOR, "operator"},
		{ROLE_VIEWER, "viewer"}, {ROLE_DEPARTMENT, "department"},
		{ROLE_EXPERT, "expert"}, {ROLE_SECURITY_ADMIN, "security_admin"},
		{ROLE_AUDITOR, "auditor"},
	};
	unsigned all = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(r); i++) {
		assert_string_equal(role_name(r[i].bit), r[i].name);
		assert_int_equal(role_parse(r[i].name), r[i].bit);
		assert_int_equal(role_parse(role_name(r[i].bit)), r[i].bit);
		all |= r[i].bit;
	}
	assert_int_equal(all, ROLES_ANY);
	/* unknown names, near misses included */
	assert_int_equal(role_parse(""), 0);
	assert_int_equal(role_parse("root"), 0);
	assert_int_equal(role_parse("Admin"), 0);
	assert_int_equal(role_parse("admin "), 0);
	assert_int_equal(role_parse("security-admin"), 0);
	assert_int_equal(role_parse("unknown"), 0);
	/* a mask of several roles, or none, has no single name */
	assert_string_equal(role_name(0), "unknown");
	assert_string_equal(role_name(ROLE_ADMIN | ROLE_VIEWER), "unknown");
	assert_string_equal(role_name(1u << 20), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relation_table),
		cmocka_unit_test(test_role_masks),
		cmocka_unit_test(test_multiple_grants),
		cmocka_unit_test(test_degenerate),
		cmocka_unit_test(test_default_and_has_role),
		cmocka_unit_test(test_below),
		cmocka_unit_test(test_pii),
		cmocka_unit_test(test_path_range),
		cmocka_unit_test(test_path_range_small_buffer),
		cmocka_unit_test(test_role_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
