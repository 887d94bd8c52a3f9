#include "settings/settings.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"
#include "db/db.h"

/* DOMAIN.md "Accounts" and "Plans" give these defaults. */
const struct setting_def setting_defs[SET__MAX] = {
	[SET_LOCKOUT_THRESHOLD] = {"lockout_threshold", 5, 3, 20,
	    "failed logins from one address before the account locks there",
	    "同一地址连续登录失败锁定次数", 1},
	[SET_LOCKOUT_MINUTES] = {"lockout_minutes", 15, 1, 1440,
	    "minutes an account stays locked at first (doubling with each lock after)",
	    "账号首次锁定时长（分钟，再次锁定时加倍）", 1},
	[SET_SESSION_IDLE_MINUTES] = {"session_idle_minutes", 30, 1, 240,
	    "minutes of inactivity before a session ends", "会话空闲超时（分钟）", 1},
	[SET_SESSION_MAX_HOURS] = {"session_max_hours", 12, 1, 24,
	    "hours after which a session ends regardless", "会话最长有效期（小时）", 1},
	[SET_PASSWORD_EXPIRY_DAYS] = {"password_expiry_days", 90, 0, 365,
	    "days before a password must be changed (0 = never)",
	    "密码有效期（天，0 为不过期）", 1},
	[SET_PASSWORD_MIN_LENGTH] = {"password_min_length", 10, 10, 64,
	    "minimum password length", "密码最小长度", 1},
	[SET_LOGIN_IP_PER_MINUTE] = {"login_ip_per_minute", 30, 5, 10000,
	    "login attempts one address may make per minute",
	    "同一地址每分钟登录尝试次数上限", 1},
	[SET_DUE_SOON_DAYS] = {"due_soon_days", 30, 1, 365,
	    "days before a deadline when a task counts as due soon",
	    "临近截止提醒天数", 0},
	[SET_AUDIT_RETENTION_DAYS] = {"audit_retention_days", 180, 180, 3650,
	    "days audit records are kept (at least 180)", "审计记录保留天数（不少于180）", 1},
	/* an export file holds a roster, full ID numbers included when unmasked:
	 * it goes when its creator has had time to fetch it */
	[SET_EXPORT_FILE_HOURS] = {"export_file_hours", 24, 1, 168,
	    "hours an export file is kept for its creator to download, then deleted",
	    "导出文件保留时长（小时，到期删除）", 1},
	[SET_TOKEN_MAX_DAYS] = {"token_max_days", 90, 1, 365,
	    "the longest an API token lasts (the default for a new one)",
	    "API 令牌最长有效期（天）", 1},
	[SET_PASSWORD_HISTORY] = {"password_history", 5, 0, 24,
	    "earlier passwords a user may not choose again",
	    "不得重复使用的历史密码个数", 1},
	[SET_SESSIONS_PER_USER] = {"sessions_per_user", 5, 1, 50,
	    "sessions one user may hold at once (the oldest ends first)",
	    "每个用户同时在线会话数上限（超出时结束最早的会话）", 1},
	[SET_STEP_UP_MINUTES] = {"step_up_minutes", 10, 1, 120,
	    "minutes personal data may be shown in full after the user proves itself again",
	    "再次验证身份后可查看完整个人敏感信息的时长（分钟）", 1},
	[SET_UNMASK_ROWS_PER_DAY] = {"unmask_rows_per_day", 10000, 0, 10000000,
	    "records one user may see unmasked in a day (lists, reads, exports)",
	    "每个用户每天可查看完整个人敏感信息的记录数上限（含列表、详情和导出）", 1},
	[SET_SECOND_FACTOR_REQUIRED] = {"second_factor_required", 1, 0, 1,
	    "1: accounts with admin, security admin or auditor grants must use an authenticator code",
	    "1：持有系统管理员、安全管理员、审计员角色的账号必须使用动态验证码（双因素认证）", 1},
	[SET_SECOND_FACTOR_EVERYONE] = {"second_factor_everyone", 0, 0, 1,
	    "1: every account must use an authenticator code",
	    "1：所有账号都必须使用动态验证码", 1},
};

/* How long a cached value may be served: a change reaches every node of a
 * multi-node deployment within this time. */
#define CACHE_SECONDS 5

int
setting_by_key(const char *key)
{
	for (int i = 0; i < SET__MAX; i++)
		if (!strcmp(setting_defs[i].key, key))
			return i;
	return -1;
}

void
settings_cache_init(struct settings_cache *c)
{
	pthread_mutex_init(&c->lock, NULL);
	c->loaded_at = 0;
	for (int i = 0; i < SET__MAX; i++)
		c->values[i] = setting_defs[i].dflt;
}

void
settings_cache_free(struct settings_cache *c)
{
	pthread_mutex_destroy(&c->lock);
}

void
settings_invalidate(struct settings_cache *c)
{
	pthread_mutex_lock(&c->lock);
	c->loaded_at = 0;
	pthread_mutex_unlock(&c->lock);
}

int
settings_load(struct db_conn *conn, int64_t values[SET__MAX])
{
	int rc, i;

	for (i = 0; i < SET__MAX; i++)
		values[i] = setting_defs[i].dflt;
	rc = db_prep(conn, SETTING_LIST);
	if (rc)
		return rc;
	while ((rc = db_step(conn)) == DB_ROW) {
		int64_t v;
		i = setting_by_key(db_col_text(conn, 0));
		/* a stored value outside today's bounds falls back to the default */
		if (i >= 0 && !parse_int64(db_col_text(conn, 1), setting_defs[i].min,
		    setting_defs[i].max, &v))
			values[i] = v;
	}
	db_done(conn);
	return rc < 0 ? rc : 0;
}

int64_t
settings_get(struct settings_cache *c, struct db *db, enum setting_id id)
{
	int64_t now = clock_real(), v, fresh[SET__MAX];
	struct db_conn *conn;
	int stale;

	pthread_mutex_lock(&c->lock);
	stale = now - c->loaded_at >= CACHE_SECONDS;
	v = c->values[id];
	pthread_mutex_unlock(&c->lock);
	if (!stale || !db)
		return v;
	if (db_acquire(db, DB_READ, &conn))
		return v;
	if (!settings_load(conn, fresh)) {
		pthread_mutex_lock(&c->lock);
		memcpy(c->values, fresh, sizeof(fresh));
		c->loaded_at = now;
		v = c->values[id];
		pthread_mutex_unlock(&c->lock);
	}
	db_release(conn);
	return v;
}

int
settings_put(struct db_conn *conn, enum setting_id id, int64_t value,
    int64_t by_user)
{
	char txt[24];
	int rc;

	if ((int)id < 0 || id >= SET__MAX || value < setting_defs[id].min ||
	    value > setting_defs[id].max)
		return ERR_INVALID;
	snprintf(txt, sizeof(txt), "%lld", (long long)value);
	rc = db_prep(conn, SETTING_PUT);
	if (rc)
		return rc;
	db_bind_text(conn, 1, setting_defs[id].key);
	db_bind_text(conn, 2, txt);
	db_bind_int(conn, 3, clock_now());
	if (by_user)
		db_bind_int(conn, 4, by_user);
	else
		db_bind_null(conn, 4);
	return db_run(conn);
}

int
codes_valid_list_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '_'))
			return 0;
	return 1;
}

int
codes_valid_code(const char *code)
{
	size_t n = strlen(code);

	if (n == 0 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (code[i] <= 0x20 || code[i] >= 0x7f)
			return 0;
	return 1;
}

int
codes_labels_load(struct db_conn *conn, const char *list, struct code_labels *out)
{
	int rc = db_prep(conn, CODE_LIST);

	out->n = 0;
	if (rc)
		return rc;
	db_bind_text(conn, 1, list);
	while ((rc = db_step(conn)) == DB_ROW && out->n < CODES_LABELS_MAX) {
		db_col_copy(conn, 0, out->e[out->n].code, sizeof(out->e[out->n].code));
		db_col_copy(conn, 1, out->e[out->n].label, sizeof(out->e[out->n].label));
		out->n++;
	}
	db_done(conn);
	return rc < 0 ? rc : 0;
}

const char *
codes_label(const struct code_labels *l, const char *code)
{
	for (int i = 0; code && *code && i < l->n; i++)
		if (!strcmp(l->e[i].code, code))
			return l->e[i].label;
	return code ? code : "";
}

int
codes_exists(struct db_conn *conn, const char *list, const char *code)
{
	int rc = db_prep(conn, CODE_GET);

	if (rc)
		return rc;
	db_bind_text(conn, 1, list);
	db_bind_text(conn, 2, code);
	rc = db_one(conn);
	db_done(conn);
	return rc;
}

void
codes_row_json(struct jw *w, struct db_conn *conn)
{
	jw_obj_open(w);
	jw_kstr(w, "code", db_col_text(conn, 0));
	jw_kstr(w, "label_zh", db_col_text(conn, 1));
	jw_kstr(w, "label_en", db_col_text(conn, 2));
	jw_kint(w, "sort", db_col_int(conn, 3));
	jw_kbool(w, "active", (int)db_col_int(conn, 4));
	jw_obj_close(w);
}

int
codes_put(struct db_conn *conn, const struct code_entry *e, struct jw *from,
    int *existed)
{
	int rc = db_prep(conn, CODE_GET);

	if (rc)
		return rc;
	db_bind_text(conn, 1, e->list);
	db_bind_text(conn, 2, e->code);
	rc = db_one(conn);
	*existed = rc == 0;
	if (*existed && from)
		codes_row_json(from, conn);
	db_done(conn);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	if ((rc = db_prep(conn, CODE_PUT)))
		return rc;
	db_bind_text(conn, 1, e->list);
	db_bind_text(conn, 2, e->code);
	db_bind_text(conn, 3, e->label_zh);
	db_bind_text(conn, 4, e->label_en);
	db_bind_int(conn, 5, e->sort);
	db_bind_int(conn, 6, e->active);
	return db_run(conn);
}
