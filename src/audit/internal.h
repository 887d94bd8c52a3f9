/* Shared by the audit module's files; not part of its interface. */
#ifndef CHANGAI_AUDIT_INTERNAL_H
#define CHANGAI_AUDIT_INTERNAL_H

#include <stdint.h>

struct buf;
struct db_conn;

/* The hash before row 1. */
extern const char audit_genesis[];

/* NULL-safe text column with the empty string for NULL; org_path is the
 * only nullable text and is hashed as "" when absent. */
const char *audit_col(struct db_conn *c, int i);

/* One stored row as the chain hashes it (org_path "" when NULL). */
struct audit_row {
	int64_t id, at, actor_id, org_id;
	const char *actor, *ip, *org_path, *action, *target, *result, *summary;
	const char *hash;        /* as stored: 64 hex, or "k:" + 64 hex */
};

/* Whether r->hash is the row's hash or MAC after `prev`, under the key's
 * rules (a keyed row needs the key; from its `since` every row is keyed).
 * 0, or ERR_INVALID with why naming the row. */
int audit_row_check(const struct audit_row *r, const char *prev, struct buf *why);

/* The archive record's MAC, "changai-archive|SEQ|HASH" under the key. */
void audit_archive_mac(int64_t upto, const char *hash, char out[65]);

#endif
