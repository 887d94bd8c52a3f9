/* Settings (security policy and product knobs) and code lists, kept in the
 * store with DOMAIN.md's defaults. Reads go through a small cache in the
 * server context that reloads every few seconds, so every node of a
 * multi-node deployment sees a change within that time. */
#ifndef CHANGAI_SETTINGS_H
#define CHANGAI_SETTINGS_H

#include <pthread.h>
#include <stdint.h>

struct db;
struct db_conn;
struct buf;

enum setting_id {
	SET_LOCKOUT_THRESHOLD,
	SET_LOCKOUT_MINUTES,
	SET_SESSION_IDLE_MINUTES,
	SET_SESSION_MAX_HOURS,
	SET_PASSWORD_EXPIRY_DAYS,
	SET_PASSWORD_MIN_LENGTH,
	SET_LOGIN_IP_PER_MINUTE,
	SET_DUE_SOON_DAYS,
	SET_AUDIT_RETENTION_DAYS,
	SET_EXPORT_FILE_HOURS,
	SET_TOKEN_MAX_DAYS,
	SET_PASSWORD_HISTORY,
	SET_SESSIONS_PER_USER,
	SET_STEP_UP_MINUTES,
	SET_UNMASK_ROWS_PER_DAY,
	SET_SECOND_FACTOR_REQUIRED,
	SET_SECOND_FACTOR_EVERYONE,
	SET__MAX
};

struct setting_def {
	const char *key;
	int64_t dflt, min, max;
	const char *doc_en;
	const char *doc_zh;
	/* 1: part of the security policy, which the security admin of the
	 * whole city sets; 0: a product knob for the city admin. 三权分立:
	 * the system admin does not set the rules that guard the accounts. */
	int security;
};
extern const struct setting_def setting_defs[SET__MAX];
int setting_by_key(const char *key);     /* index or -1 */

struct settings_cache {
	pthread_mutex_t lock;
	int64_t loaded_at;
	int64_t values[SET__MAX];
};
void settings_cache_init(struct settings_cache *c);
void settings_cache_free(struct settings_cache *c);
/* The current value; reloads from the store when the cache is stale. */
int64_t settings_get(struct settings_cache *c, struct db *db, enum setting_id id);
void settings_invalidate(struct settings_cache *c);

/* Reads every setting (stored or default) into values. */
int settings_load(struct db_conn *conn, int64_t values[SET__MAX]);
/* Writes one setting after checking its bounds (ERR_INVALID outside). */
int settings_put(struct db_conn *conn, enum setting_id id, int64_t value,
    int64_t by_user);

/* Code lists. A list name is [a-z_]{1,32}; a code is 1..32 printable
 * ASCII characters without spaces. */
int codes_valid_list_name(const char *name);
int codes_valid_code(const char *code);
/* A code as an official enters it. */
struct code_entry {
	const char *list, *code, *label_zh, *label_en;
	int64_t sort;
	int active;
};
/* Creates or replaces a code (in the caller's transaction); *existed says
 * which, and the code as it was is written to from when from is given. */
struct jw;
int codes_put(struct db_conn *conn, const struct code_entry *e, struct jw *from,
    int *existed);
/* The current row of a code statement (CODE_GET, CODE_LIST) as an object. */
void codes_row_json(struct jw *w, struct db_conn *conn);
/* A code list's Chinese labels, for files people read (exports). */
#define CODES_LABELS_MAX 64
struct code_labels {
	int n;
	struct {
		char code[33];
		char label[64 * 4 + 1];
	} e[CODES_LABELS_MAX];
};
int codes_labels_load(struct db_conn *conn, const char *list, struct code_labels *out);
/* The label of code, or the code itself when the list does not have it. */
const char *codes_label(const struct code_labels *l, const char *code);
/* 0 when code is in the list (active or not), ERR_NOTFOUND when not. */
int codes_exists(struct db_conn *conn, const char *list, const char *code);

#endif
