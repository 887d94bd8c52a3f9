#include "db/stmts.h"

#define DB_TEXT__(id, lite, pg) {#id, lite, pg},
#define DB_TEXT_(id, ...) DB_TEXT__(id, __VA_ARGS__)
const struct db_stmt_text db_stmt_texts[DB_STMT__MAX] = {
	DB_ALL_SQL(DB_TEXT_)
};
