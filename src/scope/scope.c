/* The access decision, in one place. Scope is a subtree of the
 * organisation tree named by its materialised path; a grant covers every
 * org whose path starts with the grant's path. */
#include <stdio.h>
#include <string.h>

#include "scope/scope.h"

static const struct {
	unsigned bit;
	const char *name;
} roles[] = {
	{ROLE_ADMIN, "admin"},
	{ROLE_OPERATOR, "operator"},
	{ROLE_VIEWER, "viewer"},
	{ROLE_DEPARTMENT, "department"},
	{ROLE_EXPERT, "expert"},
	{ROLE_SECURITY_ADMIN, "security_admin"},
	{ROLE_AUDITOR, "auditor"},
};

const char *
role_name(unsigned role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].bit == role)
			return roles[i].name;
	return "unknown";
}

unsigned
role_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcmp(roles[i].name, name))
			return roles[i].bit;
	return 0;
}

static int
path_within(const char *grant_path, const char *path)
{
	size_t n = strlen(grant_path);

	/* paths end in '/', so a prefix match is a subtree match */
	return n > 0 && !strncmp(grant_path, path, n);
}

int
scope_allows(const struct principal *p, unsigned roles_mask, const char *path)
{
	int i;

	if (!p || !path)
		return 0;
	for (i = 0; i < p->ngrants; i++)
		if ((p->grants[i].role & roles_mask) &&
		    path_within(p->grants[i].path, path))
			return 1;
	return 0;
}

const struct grant *
scope_default(const struct principal *p, unsigned roles_mask)
{
	int i;

	for (i = 0; p && i < p->ngrants; i++)
		if (p->grants[i].role & roles_mask)
			return &p->grants[i];
	return NULL;
}

const struct grant *
scope_below(const struct principal *p, unsigned roles_mask, const char *path)
{
	size_t n = strlen(path);

	/* paths end in '/', so a prefix is an ancestor, never a sibling */
	for (int i = 0; p && i < p->ngrants; i++)
		if ((p->grants[i].role & roles_mask) && !strncmp(p->grants[i].path, path, n))
			return &p->grants[i];
	return NULL;
}

int
scope_has_role(const struct principal *p, unsigned roles_mask)
{
	return scope_default(p, roles_mask) != NULL;
}

int
scope_pii(const struct principal *p, const char *path)
{
	int i;

	for (i = 0; p && i < p->ngrants; i++)
		if (p->grants[i].pii && (p->grants[i].role & PII_ROLES) &&
		    path_within(p->grants[i].path, path))
			return 1;
	return 0;
}

void
path_range(const char *path, char *lo, char *hi, size_t n)
{
	size_t len = strlen(path);

	snprintf(lo, n, "%s", path);
	snprintf(hi, n, "%s", path);
	/* '0' sorts right after '/', so [path, path-with-'0') is the subtree */
	if (len > 0 && len < n)
		hi[len - 1] = '0';
}

int
scope_root_admin(const struct principal *p)
{
	for (int i = 0; p && i < p->ngrants; i++) {
		const char *path = p->grants[i].path;

		if (p->grants[i].role == ROLE_ADMIN && path[0] == '/' &&
		    strchr(path + 1, '/') && !strchr(strchr(path + 1, '/') + 1, '/'))
			return 1;
	}
	return 0;
}
