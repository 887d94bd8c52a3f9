/* What the HTTP handlers of plans share (api.c, statement_api.c,
 * files_api.c). Private to src/plans/. */
#ifndef CHANGAI_PLANS_API_H
#define CHANGAI_PLANS_API_H

#include "http/http.h"
#include "plans/plans.h"

#define PLAN_MANAGERS (ROLE_ADMIN | ROLE_OPERATOR)
#define PLAN_USERS (ROLE_ADMIN | ROLE_OPERATOR | ROLE_VIEWER | ROLE_DEPARTMENT)

/* Loads plan {id} (the first path id) with the caller's access on a
 * connection of `mode`. Returns 0, ERR_NOTFOUND when the caller cannot
 * see it, or an error already answered (403) when its access is below
 * `need` although it sees the plan. */
int plan_load(struct req *r, enum db_mode mode, int need, struct db_conn **c,
    struct plan *pl, struct plan_access *a);
/* An audit record about a plan in the caller's open transaction. */
int plan_audit(struct req *r, struct db_conn *c, const struct plan *pl,
    const char *action, const char *target, const char *summary);
/* ?as_of= or today (UTC). */
void plan_as_of(struct req *r, char out[11]);
int plan_due_setting(struct req *r);
/* The owner filter ?owner=ORG into v (404 naming owner when absent). */
int plan_owner_filter(struct req *r, struct db_conn *c, struct plan_view *v);

#endif
