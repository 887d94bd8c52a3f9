#include "orgs/orgs.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "db/db.h"

static const struct {
	const char *kind;
	const char *parents;    /* space-separated; "" = root */
} placement[] = {
	{"city", ""},
	{"district", "city"},
	{"street", "district"},
	{"park", "district"},
	{"enterprise", "street park district"},
	{"department", "city district street"},
};

int
orgs_parent_ok(const char *kind, const char *parent_kind)
{
	for (size_t i = 0; i < ARRAY_LEN(placement); i++) {
		const char *p = placement[i].parents;
		size_t n;

		if (strcmp(placement[i].kind, kind))
			continue;
		if (!parent_kind)
			return *p == '\0';
		n = strlen(parent_kind);
		while (*p) {
			if (!strncmp(p, parent_kind, n) && (p[n] == ' ' || p[n] == '\0'))
				return 1;
			p = strchr(p, ' ');
			if (!p)
				break;
			p++;
		}
		return 0;
	}
	return 0;
}


void
orgs_read_row(struct db_conn *c, struct org *o)
{
	o->id = db_col_int(c, 0);
	o->parent_id = db_col_null(c, 1) ? 0 : db_col_int(c, 1);
	db_col_copy(c, 2, o->kind, sizeof(o->kind));
	db_col_copy(c, 3, o->name, sizeof(o->name));
	db_col_copy(c, 4, o->code, sizeof(o->code));
	db_col_copy(c, 5, o->path, sizeof(o->path));
	o->depth = db_col_int(c, 6);
	db_col_copy(c, 7, o->uscc, sizeof(o->uscc));
	db_col_copy(c, 8, o->uscc_note, sizeof(o->uscc_note));
	db_col_copy(c, 9, o->industry, sizeof(o->industry));
	o->above_scale = (int)db_col_int(c, 10);
	db_col_copy(c, 11, o->ownership, sizeof(o->ownership));
	o->has_union = (int)db_col_int(c, 12);
	o->employees = db_col_int(c, 13);
	o->created = db_col_int(c, 14);
	o->updated = db_col_int(c, 15);
	o->children = db_col_int(c, 16);
	o->disabled = db_col_int(c, 17);
}

static void
kstr_or_null(struct jw *w, const char *k, const char *v)
{
	jw_key(w, k);
	jw_str(w, v && *v ? v : NULL);
}

void
orgs_json(struct jw *w, const struct org *o)
{
	jw_obj_open(w);
	jw_kint(w, "id", o->id);
	if (o->parent_id)
		jw_kint(w, "parent_id", o->parent_id);
	else
		jw_knull(w, "parent_id");
	jw_kstr(w, "kind", o->kind);
	jw_kstr(w, "name", o->name);
	kstr_or_null(w, "code", o->code);
	jw_kstr(w, "path", o->path);
	jw_kint(w, "depth", o->depth);
	kstr_or_null(w, "uscc", o->uscc);
	kstr_or_null(w, "uscc_note", o->uscc_note);
	kstr_or_null(w, "industry", o->industry);
	jw_kbool(w, "above_scale", o->above_scale);
	kstr_or_null(w, "ownership", o->ownership);
	jw_kbool(w, "has_union", o->has_union);
	jw_kint(w, "employees", o->employees);
	jw_kint(w, "children", o->children);
	jw_kbool(w, "disabled", o->disabled != 0);
	if (o->disabled)
		jw_ktime(w, "disabled_at", o->disabled);
	jw_ktime(w, "created", o->created);
	jw_ktime(w, "updated", o->updated);
	jw_obj_close(w);
}

int
orgs_get(struct db_conn *c, int64_t id, struct org *o)
{
	int rc = db_prep(c, ORG_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	rc = db_one(c);
	if (!rc)
		orgs_read_row(c, o);
	db_done(c);
	return rc;
}

int
orgs_path_of(struct db_conn *c, int64_t id, char *path, size_t n)
{
	int rc = db_prep(c, ORG_PATH_BY_ID);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	rc = db_one(c);
	if (!rc)
		str_copy(path, n, db_col_text(c, 0));
	db_done(c);
	return rc;
}

int
orgs_each_of_kind(struct db_conn *c, const char *path, const char *kind,
    int (*fn)(void *ctx, const struct org *o), void *ctx)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int64_t after = 0;
	int rc;

	path_range(path, lo, hi, sizeof(lo));
	for (;;) {
		struct org page[32];
		int n = 0;

		if ((rc = db_prep(c, ORG_SUBTREE)))
			return rc;
		db_bind_text(c, 1, lo);
		db_bind_text(c, 2, hi);
		db_bind_int(c, 3, after);
		db_bind_text(c, 4, kind);
		db_bind_null(c, 5);
		db_bind_null(c, 6);
		db_bind_int(c, 7, (int64_t)ARRAY_LEN(page));
		while ((rc = db_step(c)) == DB_ROW)
			orgs_read_row(c, &page[n++]);
		db_done(c);
		if (rc < 0)
			return rc;
		for (int i = 0; i < n; i++)
			if ((rc = fn(ctx, &page[i])))
				return rc;
		if (n < (int)ARRAY_LEN(page))
			return 0;
		after = page[n - 1].id;
	}
}

int
orgs_child_named(struct db_conn *c, int64_t parent_id, const char *kind,
    const char *name, struct org *o)
{
	int rc = db_prep(c, ORG_CHILDREN);

	if (rc)
		return rc;
	db_bind_int(c, 1, parent_id);
	db_bind_int(c, 2, 0);
	db_bind_text(c, 3, kind);
	db_bind_int(c, 4, 1000);
	rc = ERR_NOTFOUND;
	while (db_step(c) == DB_ROW) {
		struct org row;

		orgs_read_row(c, &row);
		if (rc && !strcmp(row.name, name)) {
			*o = row;
			rc = 0;
		}
	}
	db_done(c);
	return rc;
}

int
orgs_get_in(struct db_conn *c, int64_t id, const char *lo, const char *hi,
    struct org *o)
{
	int rc = db_prep(c, ORG_GET_SCOPED);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	db_bind_text(c, 2, lo);
	db_bind_text(c, 3, hi);
	rc = db_one(c);
	if (!rc)
		orgs_read_row(c, o);
	db_done(c);
	return rc;
}

int
orgs_get_scoped(struct db_conn *c, const struct principal *p, unsigned roles,
    int64_t id, struct org *o)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX];
	int rc = ERR_NOTFOUND;

	for (int i = 0; p && i < p->ngrants && rc == ERR_NOTFOUND; i++) {
		if (!(p->grants[i].role & roles))
			continue;
		path_range(p->grants[i].path, lo, hi, sizeof(lo));
		rc = orgs_get_in(c, id, lo, hi, o);
	}
	return rc;
}

static void
bind_opt(struct db_conn *c, int idx, const char *s)
{
	db_bind_text(c, idx, s && *s ? s : NULL);
}

int
orgs_insert(struct db_conn *c, struct org *o)
{
	char parent_path[ORG_PATH_MAX], parent_kind[16], tmp[48];
	unsigned char rnd[12];
	int64_t parent_depth = -1;
	int rc, n;

	parent_path[0] = '\0';
	if (o->parent_id) {
		rc = db_prep(c, ORG_PATH_BY_ID);
		if (rc)
			return rc;
		db_bind_int(c, 1, o->parent_id);
		rc = db_one(c);
		if (!rc) {
			str_copy(parent_path, sizeof(parent_path), db_col_text(c, 0));
			str_copy(parent_kind, sizeof(parent_kind), db_col_text(c, 1));
			parent_depth = db_col_int(c, 2);
		}
		db_done(c);
		if (rc)
			return rc;
		if (!orgs_parent_ok(o->kind, parent_kind))
			return ERR_INVALID;
	} else if (!orgs_parent_ok(o->kind, NULL)) {
		return ERR_INVALID;
	}
	if (parent_depth + 1 >= ORG_MAX_DEPTH)
		return ERR_INVALID;
	/* the row needs a unique path before its id is known */
	randombytes_buf(rnd, sizeof(rnd));
	memcpy(tmp, "~new~", 5);
	b64url_encode(rnd, sizeof(rnd), tmp + 5);
	rc = db_prep(c, ORG_INSERT);
	if (rc)
		return rc;
	if (o->parent_id)
		db_bind_int(c, 1, o->parent_id);
	else
		db_bind_null(c, 1);
	db_bind_text(c, 2, o->kind);
	db_bind_text(c, 3, o->name);
	bind_opt(c, 4, o->code);
	db_bind_text(c, 5, tmp);
	db_bind_int(c, 6, parent_depth + 1);
	bind_opt(c, 7, o->uscc);
	bind_opt(c, 8, o->uscc_note);
	bind_opt(c, 9, o->industry);
	db_bind_int(c, 10, o->above_scale);
	bind_opt(c, 11, o->ownership);
	db_bind_int(c, 12, o->has_union);
	db_bind_int(c, 13, o->employees);
	db_bind_int(c, 14, clock_now());
	rc = db_one(c);
	if (!rc)
		o->id = db_col_int(c, 0);
	db_done(c);
	if (rc)
		return rc;
	n = snprintf(o->path, sizeof(o->path), "%s%s%lld/",
	    parent_path[0] ? parent_path : "", parent_path[0] ? "" : "/",
	    (long long)o->id);
	if (n < 0 || (size_t)n >= sizeof(o->path))
		return ERR_INVALID;
	o->depth = parent_depth + 1;
	rc = db_prep(c, ORG_SET_PATH);
	if (rc)
		return rc;
	db_bind_text(c, 1, o->path);
	db_bind_int(c, 2, o->id);
	return db_run(c);
}

int
orgs_lock(struct db_conn *c, int64_t id)
{
	int rc = db_prep(c, ORG_LOCK);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	rc = db_one(c);
	db_done(c);
	return rc;
}

int
orgs_update(struct db_conn *c, const struct org *o)
{
	int rc = db_prep(c, ORG_UPDATE);

	if (rc)
		return rc;
	db_bind_text(c, 1, o->name);
	bind_opt(c, 2, o->code);
	bind_opt(c, 3, o->uscc);
	bind_opt(c, 4, o->uscc_note);
	bind_opt(c, 5, o->industry);
	db_bind_int(c, 6, o->above_scale);
	bind_opt(c, 7, o->ownership);
	db_bind_int(c, 8, o->has_union);
	db_bind_int(c, 9, o->employees);
	db_bind_int(c, 10, clock_now());
	db_bind_int(c, 11, o->id);
	return db_run(c);
}

int
orgs_placeable(int64_t disabled, const char *field, struct why *why)
{
	if (disabled)
		return why_refuse(why, ERR_INVALID, field, "this organisation is disabled",
		    "该单位已停用");
	return 0;
}

int
orgs_set_disabled(struct db_conn *c, struct org *o, int disable,
    int64_t active_workers, struct why *why)
{
	struct org parent;
	int64_t n = 0;
	int rc;

	if (!!disable == !!o->disabled)
		return 0;
	if (disable && !o->parent_id)
		return why_refuse(why, ERR_INVALID, NULL,
		    "the root organisation cannot be disabled", "根组织不能停用");
	if (!disable && (rc = orgs_get(c, o->parent_id, &parent)))
		return rc;
	if (!disable && parent.disabled)
		return why_refuse(why, ERR_INVALID, NULL,
		    "its parent is disabled: enable the parent first",
		    "上级单位已停用，请先启用上级单位");
	if (disable) {
		if ((rc = db_prep(c, ORG_ACTIVE_CHILDREN)))
			return rc;
		db_bind_int(c, 1, o->id);
		if (!(rc = db_one(c)))
			n = db_col_int(c, 0);
		db_done(c);
		if (rc)
			return rc;
		if (n)
			return why_refuse(why, ERR_INVALID, NULL,
			    "units below it are still in use: disable or move them first",
			    "该单位仍有在用的下级单位，请先停用或调整这些下级单位");
		if (active_workers)
			return why_refuse(why, ERR_INVALID, NULL,
			    "workers are still on its roster: transfer them or record their leaving first",
			    "该单位仍有在册职工，请先办理调动或离职");
	}
	o->disabled = disable ? clock_now() : 0;
	if ((rc = db_prep(c, ORG_SET_DISABLED)))
		return rc;
	db_bind_int(c, 1, o->disabled);
	db_bind_int(c, 2, clock_now());
	db_bind_int(c, 3, o->id);
	return db_run(c);
}

int
orgs_move(struct db_conn *c, const struct org *o, const struct org *np)
{
	char lo[ORG_PATH_MAX], hi[ORG_PATH_MAX], newpath[ORG_PATH_MAX];
	int64_t delta, max_depth = o->depth;
	int rc, n;

	if (!strncmp(np->path, o->path, strlen(o->path)))
		return ERR_INVALID;       /* into its own subtree */
	if (!orgs_parent_ok(o->kind, np->kind))
		return ERR_INVALID;
	path_range(o->path, lo, hi, sizeof(lo));
	rc = db_prep(c, ORG_MAX_DEPTH_UNDER);
	if (rc)
		return rc;
	db_bind_text(c, 1, lo);
	db_bind_text(c, 2, hi);
	if (!(rc = db_one(c)))
		max_depth = db_col_int(c, 0);
	db_done(c);
	if (rc)
		return rc;
	delta = np->depth + 1 - o->depth;
	if (max_depth + delta >= ORG_MAX_DEPTH)
		return ERR_INVALID;
	n = snprintf(newpath, sizeof(newpath), "%s%lld/", np->path, (long long)o->id);
	if (n < 0 || (size_t)n >= sizeof(newpath))
		return ERR_INVALID;
	rc = db_prep(c, ORG_MOVE_SUBTREE);
	if (rc)
		return rc;
	db_bind_text(c, 1, newpath);
	db_bind_int(c, 2, (int64_t)strlen(o->path) + 1);
	db_bind_int(c, 3, delta);
	db_bind_int(c, 4, clock_now());
	db_bind_text(c, 5, lo);
	db_bind_text(c, 6, hi);
	rc = db_run(c);
	if (rc)
		return rc;
	rc = db_prep(c, ORG_SET_PARENT);
	if (rc)
		return rc;
	db_bind_int(c, 1, np->id);
	db_bind_int(c, 2, o->id);
	return db_run(c);
}

int
orgs_check(struct db_conn *c, struct buf *report, int64_t *count)
{
	char want[ORG_PATH_MAX];
	int rc, bad = 0;

	*count = 0;
	rc = db_prep(c, ORG_CHECK_ALL);
	if (rc)
		return rc;
	while ((rc = db_step(c)) == DB_ROW) {
		int64_t id = db_col_int(c, 0), depth = db_col_int(c, 2);
		const char *path = db_col_text(c, 1);

		(*count)++;
		if (db_col_null(c, 3)) {
			snprintf(want, sizeof(want), "/%lld/", (long long)id);
			if (strcmp(path, want) || depth != 0) {
				buf_printf(report, "org %lld: path %s, expected %s\n",
				    (long long)id, path, want);
				bad++;
			}
			continue;
		}
		snprintf(want, sizeof(want), "%s%lld/", db_col_text(c, 4), (long long)id);
		if (strcmp(path, want) || depth != db_col_int(c, 5) + 1) {
			buf_printf(report, "org %lld: path %s depth %lld, expected %s depth %lld\n",
			    (long long)id, path, (long long)depth, want,
			    (long long)(db_col_int(c, 5) + 1));
			bad++;
		}
	}
	db_done(c);
	return rc < 0 ? rc : bad;
}
