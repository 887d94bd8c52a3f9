/* The access model: who the caller is (a principal with grants), what the
 * roles are, and the one access decision. Nothing here is HTTP: the server
 * fills a principal from a session or a token, and modules, jobs and the
 * command line decide with the same functions. */
#ifndef CHANGAI_SCOPE_H
#define CHANGAI_SCOPE_H

#include <stddef.h>
#include <stdint.h>

/* Roles as bits, so a route can allow several. */
enum role {
	ROLE_ADMIN = 1u << 0,
	ROLE_OPERATOR = 1u << 1,
	ROLE_VIEWER = 1u << 2,
	ROLE_DEPARTMENT = 1u << 3,
	ROLE_EXPERT = 1u << 4,
	ROLE_SECURITY_ADMIN = 1u << 5,
	ROLE_AUDITOR = 1u << 6,
};
#define ROLES_BUSINESS (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER | ROLE_DEPARTMENT | ROLE_EXPERT)
#define ROLES_ANY (ROLES_BUSINESS | ROLE_SECURITY_ADMIN | ROLE_AUDITOR)
/* the roles that read the roster, and so the only ones pii may come with */
#define PII_ROLES (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER)
const char *role_name(unsigned role);
unsigned role_parse(const char *name);   /* 0 when unknown */

#define PRINCIPAL_MAX_GRANTS 32
#define ORG_PATH_MAX 200

struct grant {
	int64_t id;
	int64_t org_id;
	unsigned role;
	int pii;
	char path[ORG_PATH_MAX];
};

/* Who is calling: filled by the server from the session cookie or bearer
 * token before the handler runs. */
struct principal {
	int64_t user_id;
	int64_t session_id;      /* 0 when authenticated by an API token */
	int64_t token_id;        /* 0 when authenticated by a session */
	int64_t home_org_id;
	int must_change;
	int64_t stepped_up;      /* when the session last proved its user again */
	int has_totp;            /* an authenticator is enrolled */
	int must_enrol;          /* the policy wants one and there is none */
	char username[64];
	char name[64 * 4 + 1];      /* 64 characters of UTF-8 */
	char csrf[65];
	int ngrants;
	struct grant grants[PRINCIPAL_MAX_GRANTS];
};

/* The single access decision: does the caller hold a grant with one of
 * `roles` whose subtree contains `path`? 1 yes, 0 no. */
int scope_allows(const struct principal *p, unsigned roles, const char *path);
/* The first grant with one of `roles` (the default scope of lists), or NULL. */
const struct grant *scope_default(const struct principal *p, unsigned roles);
/* The first grant with one of `roles` on `path` or below it (a unit's
 * account looking up at what covers it), or NULL. */
const struct grant *scope_below(const struct principal *p, unsigned roles, const char *path);
/* Any grant with one of `roles`, anywhere? */
int scope_has_role(const struct principal *p, unsigned roles);
/* An admin grant on the root org (a path of one component): what city-wide
 * things (settings, code lists, the calendar) need. */
int scope_root_admin(const struct principal *p);
/* Whether a grant covering `path` that reads the roster (PII_ROLES) carries
 * the pii flag: a pii flag on another grant unmasks nothing. */
int scope_pii(const struct principal *p, const char *path);
/* The half-open range [lo, hi) of paths in the subtree of `path`:
 * hi is `path` with its final '/' replaced by '0'. */
void path_range(const char *path, char *lo, char *hi, size_t n);

#endif
