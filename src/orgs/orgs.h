/* The organisation tree: city → district → street/park → enterprise, and
 * departments. Each org carries its materialised path ("/1/12/305/"), so
 * "everything under X" is one index range and a move re-paths a subtree
 * with one UPDATE. */
#ifndef CHANGAI_ORGS_H
#define CHANGAI_ORGS_H

#include <stdint.h>

#include "base/jw.h"
#include "db/db.h"
#include "scope/scope.h"

struct db_conn;
struct why;
struct buf;

#define ORG_MAX_DEPTH 8

struct org {
	int64_t id, parent_id, depth, employees, created, updated, children;
	int64_t disabled;       /* when it was disabled (停用); 0: in use */
	int above_scale, has_union;
	/* sized for the declared limits in characters, at 4 bytes each */
	char kind[16];
	char name[100 * 4 + 1];
	char code[32 * 4 + 1];
	char path[ORG_PATH_MAX];
	char uscc[24];
	char uscc_note[200 * 4 + 1];
	char industry[4 * 4 + 1];
	char ownership[16];
};

/* Where a kind may hang: 1 if `kind` may have a parent of `parent_kind`
 * (NULL parent_kind: may it be a root?). */
int orgs_parent_ok(const char *kind, const char *parent_kind);

/* Reads the org if it lies in [lo, hi); ERR_NOTFOUND otherwise. */
int orgs_get_in(struct db_conn *c, int64_t id, const char *lo, const char *hi,
    struct org *o);
/* Reads the org if any grant of p with one of roles covers it. */
int orgs_get_scoped(struct db_conn *c, const struct principal *p,
    unsigned roles, int64_t id, struct org *o);
/* Reads the current row of an ORG_COLS statement. */
/* Reads any org, in or out of anyone's scope: for callers that already
 * decided access (a query filter, the command line). ERR_NOTFOUND. */
int orgs_get(struct db_conn *c, int64_t id, struct org *o);
/* An org's materialised path (at most n bytes). ERR_NOTFOUND. */
int orgs_path_of(struct db_conn *c, int64_t id, char *path, size_t n);
/* Finds a child of parent_id of the given kind by its exact name. */
int orgs_child_named(struct db_conn *c, int64_t parent_id, const char *kind,
    const char *name, struct org *o);
/* Every org of a kind in the subtree of path, in id order: fn(ctx, org)
 * for each until it returns non-zero (which is returned). The statement
 * is done before fn sees a row, so fn may use c. */
int orgs_each_of_kind(struct db_conn *c, const char *path, const char *kind,
    int (*fn)(void *ctx, const struct org *o), void *ctx);
void orgs_read_row(struct db_conn *c, struct org *o);
void orgs_json(struct jw *w, const struct org *o);

/* Inserts o (parent_id, kind, name and attributes set) under its parent,
 * computing path and depth; o->id/path/depth receive the result. Runs in
 * the caller's transaction. */
int orgs_insert(struct db_conn *c, struct org *o);
/* Inside a write transaction, before reading the row an edit starts from:
 * on PostgreSQL two edits of one org then apply one after the other. */
int orgs_lock(struct db_conn *c, int64_t id);
int orgs_update(struct db_conn *c, const struct org *o);
/* Moves org under new_parent with its whole subtree. ERR_INVALID when the
 * new parent lies inside the subtree (a cycle) or the depth would exceed
 * ORG_MAX_DEPTH. Runs in the caller's transaction. */
int orgs_move(struct db_conn *c, const struct org *o, const struct org *new_parent);

/* Disables o (停用): refused for the root, while a child unit is in use or
 * while active_workers (the caller counts them in the registry) are on
 * its roster; why says which. Enables it again when disable is 0 (its
 * parent must be in use). Runs in the caller's transaction, o read in it. */
int orgs_set_disabled(struct db_conn *c, struct org *o, int disable,
    int64_t active_workers, struct why *why);

/* Whether people may be placed in an org (registered, transferred in,
 * imported), given its disabled column: not in a disabled unit.
 * ERR_INVALID with why (field as the caller's request names the org), or 0. */
int orgs_placeable(int64_t disabled, const char *field, struct why *why);

/* Recomputes every path from the parent links; appends each difference to
 * report and returns how many there were. */
int orgs_check(struct db_conn *c, struct buf *report, int64_t *count);


#endif
