/* HTTP handlers for settings and code lists. */
#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "db/db.h"
#include "http/http.h"
#include "settings/settings.h"

/* Settings and code lists are city-wide: only an admin of the root org,
 * and for the security policy only a security admin of the root org. */
static int
is_root_admin(struct req *r)
{
	return scope_root_admin(req_who(r));
}

static int
is_root_security_admin(struct req *r)
{
	const struct principal *p = req_who(r);

	for (int i = 0; i < p->ngrants; i++)
		if (p->grants[i].role == ROLE_SECURITY_ADMIN &&
		    p->grants[i].path[0] == '/' && strchr(p->grants[i].path + 1, '/') &&
		    !strchr(strchr(p->grants[i].path + 1, '/') + 1, '/'))
			return 1;
	return 0;
}

static int
write_settings(struct req *r, int status)
{
	struct jw *w = req_json(r, status);
	int i;

	jw_obj_open(w);
	jw_key(w, "values");
	jw_obj_open(w);
	for (i = 0; i < SET__MAX; i++) {
		jw_key(w, setting_defs[i].key);
		jw_int(w, req_setting(r, i));
	}
	jw_obj_close(w);
	jw_key(w, "definitions");
	jw_arr_open(w);
	for (i = 0; i < SET__MAX; i++) {
		jw_obj_open(w);
		jw_kstr(w, "key", setting_defs[i].key);
		jw_kint(w, "default", setting_defs[i].dflt);
		jw_kint(w, "min", setting_defs[i].min);
		jw_kint(w, "max", setting_defs[i].max);
		jw_kstr(w, "description", setting_defs[i].doc_en);
		jw_kstr(w, "description_zh", setting_defs[i].doc_zh);
		jw_kstr(w, "owner", setting_defs[i].security ? "security_admin" : "admin");
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
	return 0;
}

static int
h_settings_get(struct req *r)
{
	return write_settings(r, 200);
}

static int
h_settings_patch(struct req *r)
{
	json_t *body = req_body(r), *v;
	int64_t old[SET__MAX];
	const char *key;
	struct tx t;
	int rc, changed = 0;

	json_object_foreach(body, key, v) {
		int id = setting_by_key(key);
		json_int_t iv = json_integer_value(v);
		if (id >= 0 && setting_defs[id].security && !is_root_security_admin(r))
			return req_error(r, 403, "forbidden", key,
			    "the security policy is set by the security admin of the whole city",
			    "安全策略由市级安全管理员设置");
		if (id >= 0 && !setting_defs[id].security && !is_root_admin(r))
			return req_error(r, 403, "forbidden", key,
			    "only an administrator of the whole city may change this setting",
			    "只有市级管理员可以修改此项系统设置");
		if (id < 0 || iv < setting_defs[id].min || iv > setting_defs[id].max)
			return req_error(r, 422, "validation_failed", key,
			    "is out of range", "超出允许范围");
	}
	if ((rc = tx_begin(&t, r, "settings.update")))
		return rc;
	tx_target(&t, "settings");
	if ((rc = settings_load(t.c, old)))
		goto out;
	json_object_foreach(body, key, v) {
		int id = setting_by_key(key);
		json_int_t iv = json_integer_value(v);
		if (old[id] == iv)
			continue;
		rc = settings_put(t.c, (enum setting_id)id, iv, req_who(r)->user_id);
		if (rc)
			goto out;
		jw_key(tx_summary(&t), key);
		jw_obj_open(&t.w);
		jw_kint(&t.w, "from", old[id]);
		jw_kint(&t.w, "to", iv);
		jw_obj_close(&t.w);
		changed++;
	}
	/* nothing changed: nothing to commit, nothing to audit */
	if (changed && (rc = tx_commit(&t)))
		goto out;
	settings_invalidate(req_settings(r));
out:
	tx_end(&t);
	return rc ? rc : write_settings(r, 200);
}

static int
h_code_lists(struct req *r)
{
	struct db_conn *c;
	struct jw *w;
	int64_t n = 0;
	int rc;

	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = db_prep(c, CODE_LISTS)))
		return rc;
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_key(w, "items");
	jw_arr_open(w);
	while ((rc = db_step(c)) == DB_ROW) {
		jw_obj_open(w);
		jw_kstr(w, "list", db_col_text(c, 0));
		jw_kint(w, "count", db_col_int(c, 1));
		jw_obj_close(w);
		n++;
	}
	db_done(c);
	jw_arr_close(w);
	jw_knull(w, "next");
	jw_kint(w, "total", n);
	jw_obj_close(w);
	return rc < 0 ? rc : 0;
}

static int
h_code_list(struct req *r)
{
	const char *list = req_param_str(r, 0);
	int all = (int)req_query_int(r, "all", 0), rc, n = 0;
	struct db_conn *c;
	struct jw *w;

	if (!codes_valid_list_name(list))
		return ERR_NOTFOUND;
	rc = req_db(r, DB_READ, &c);
	if (rc || (rc = db_prep(c, CODE_LIST)))
		return rc;
	db_bind_text(c, 1, list);
	w = req_json(r, 200);
	jw_obj_open(w);
	jw_kstr(w, "list", list);
	jw_key(w, "items");
	jw_arr_open(w);
	while ((rc = db_step(c)) == DB_ROW) {
		if (!all && !db_col_int(c, 4))
			continue;
		codes_row_json(w, c);
		n++;
	}
	db_done(c);
	jw_arr_close(w);
	jw_knull(w, "next");
	jw_kint(w, "total", n);
	jw_obj_close(w);
	if (rc < 0)
		return rc;
	if (n == 0 && !all) {
		/* an unknown list is a 404, an emptied one is an empty list */
		rc = db_prep(c, CODE_LIST);
		if (rc)
			return rc;
		db_bind_text(c, 1, list);
		rc = db_one(c);
		db_done(c);
		if (rc == ERR_NOTFOUND)
			return req_error(r, 404, "not_found", NULL, "no such code list",
			    "代码表不存在");
	}
	return 0;
}

static int
h_code_put(struct req *r)
{
	const char *list = req_param_str(r, 0), *code = req_param_str(r, 1);
	json_t *b = req_body(r);
	struct code_entry e = {
		.list = list,
		.code = code,
		.label_zh = json_string_value(json_object_get(b, "label_zh")),
		.label_en = json_string_value(json_object_get(b, "label_en")),
		.sort = json_integer_value(json_object_get(b, "sort")),
		.active = json_object_get(b, "active") ?
		    json_is_true(json_object_get(b, "active")) : 1,
	};
	char target[160];
	struct buf from_text;
	struct jw from, *w;
	struct tx t;
	int rc, existed = 0;

	if (!is_root_admin(r))
		return req_error(r, 403, "forbidden", NULL,
		    "only an administrator of the whole city may change code lists",
		    "只有市级管理员可以修改代码表");
	if (!codes_valid_list_name(list))
		return req_error(r, 422, "validation_failed", "list",
		    "list names are lower-case letters and _", "代码表名称只能包含小写字母和下划线");
	if (!codes_valid_code(code))
		return req_error(r, 422, "validation_failed", "code",
		    "codes are 1-32 printable characters", "代码应为1到32个可见字符");
	if ((rc = tx_begin(&t, r, "code.update")))
		return rc;
	buf_init(&from_text, 4096);
	jw_init(&from, &from_text);
	if ((rc = codes_put(t.c, &e, &from, &existed)) ||
	    (existed && (rc = jw_finish(&from))))
		goto out;
	if (!existed)
		t.ae.action = "code.create";
	snprintf(target, sizeof(target), "code:%s/%s", list, code);
	tx_target(&t, target);
	w = tx_summary(&t);
	if (existed) {
		jw_key(w, "from");
		jw_raw(w, from_text.data, from_text.len);
	}
	jw_key(w, "to");
	jw_obj_open(w);
	jw_kstr(w, "label_zh", e.label_zh);
	jw_kstr(w, "label_en", e.label_en);
	jw_kint(w, "sort", e.sort);
	jw_kbool(w, "active", e.active);
	jw_obj_close(w);
	if ((rc = tx_commit(&t)))
		goto out;
	w = req_json(r, existed ? 200 : 201);
	jw_obj_open(w);
	jw_kstr(w, "list", list);
	jw_kstr(w, "code", code);
	jw_kstr(w, "label_zh", e.label_zh);
	jw_kstr(w, "label_en", e.label_en);
	jw_kint(w, "sort", e.sort);
	jw_kbool(w, "active", e.active);
	jw_obj_close(w);
out:
	tx_end(&t);
	buf_free(&from_text);
	return rc;
}

static const struct field settings_patch_body[] = {
	{"lockout_threshold", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"lockout_minutes", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"session_idle_minutes", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"session_max_hours", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"password_expiry_days", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"password_min_length", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"login_ip_per_minute", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"due_soon_days", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"audit_retention_days", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"export_file_hours", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"token_max_days", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"password_history", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"sessions_per_user", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"step_up_minutes", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"unmask_rows_per_day", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"second_factor_required", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"second_factor_everyone", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

static const struct field code_put_body[] = {
	{"label_zh", FT_STRING, F_REQUIRED, 1, 64, NULL, "Chinese label", NULL},
	{"label_en", FT_STRING, F_REQUIRED, 1, 128, NULL, "English label", NULL},
	{"sort", FT_INT, 0, 0, 100000, NULL, "display order", NULL},
	{"active", FT_BOOL, 0, 0, 0, NULL, "offered in drop-downs", NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

static const struct qfield code_list_query[] = {
	{"all", QT_BOOL, 0, 0, NULL, "include inactive codes"},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct route settings_routes[] = {
	{HTTP_GET, "/api/v1/settings", h_settings_get, ROLES_ANY, 0, NULL, NULL,
	    "settings", "Current settings with their bounds and defaults"},
	{HTTP_PATCH, "/api/v1/settings", h_settings_patch,
	    ROLE_ADMIN | ROLE_SECURITY_ADMIN, 0,
	    settings_patch_body, NULL, "settings", "Change settings (city admin; audited)"},
	{HTTP_GET, "/api/v1/codes", h_code_lists, ROLES_ANY, 0, NULL, NULL,
	    "settings", "The code lists"},
	{HTTP_GET, "/api/v1/codes/{list}", h_code_list, ROLES_ANY, 0, NULL,
	    code_list_query, "settings", "One code list"},
	{HTTP_PUT, "/api/v1/codes/{list}/{code}", h_code_put, ROLE_ADMIN, 0,
	    code_put_body, NULL, "settings", "Create or change a code (city admin; audited)"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
