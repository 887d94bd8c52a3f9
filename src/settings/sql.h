/* SQL owned by the settings module: settings and code lists. */
#ifndef CHANGAI_SETTINGS_SQL_H
#define CHANGAI_SETTINGS_SQL_H

#define SETTINGS_SQL(X) \
	X(SETTING_LIST, SQL("SELECT key, value, updated FROM settings ORDER BY key")) \
	X(SETTING_GET, SQL("SELECT value FROM settings WHERE key = $1")) \
	X(SETTING_PUT, SQL("INSERT INTO settings (key, value, updated, updated_by) " \
		"VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET " \
		"value = excluded.value, updated = excluded.updated, " \
		"updated_by = excluded.updated_by")) \
	X(CODE_LISTS, SQL("SELECT list, count(*) FROM codes GROUP BY list ORDER BY list")) \
	X(CODE_LIST, SQL("SELECT code, label_zh, label_en, sort, active FROM codes " \
		"WHERE list = $1 ORDER BY sort, code")) \
	X(CODE_GET, SQL("SELECT code, label_zh, label_en, sort, active FROM codes " \
		"WHERE list = $1 AND code = $2")) \
	X(CODE_PUT, SQL("INSERT INTO codes (list, code, label_zh, label_en, sort, active) " \
		"VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (list, code) DO UPDATE SET " \
		"label_zh = excluded.label_zh, label_en = excluded.label_en, " \
		"sort = excluded.sort, active = excluded.active"))

#endif
