/* The audit trail: append-only, hash-chained. Each row's hash is
 * SHA-256(previous hash || length-prefixed fields of the row), so editing,
 * inserting or deleting any row breaks the chain from there on. */
#ifndef CHANGAI_AUDIT_H
#define CHANGAI_AUDIT_H

#include <stdint.h>

struct db;
struct db_conn;
struct buf;

struct audit_entry {
	int64_t actor_id;        /* 0 for the system / anonymous */
	const char *actor;       /* username, or "-" */
	const char *ip;
	int64_t org_id;          /* the org the action concerns, 0 if none */
	const char *org_path;    /* its path, which scopes auditors' reads */
	const char *action;      /* "org.create", "session.login", … */
	const char *target;      /* "org:12", "user:5", "" */
	const char *result;      /* "ok", "fail", "denied" */
	const char *summary;     /* JSON text of what changed, or "{}" */
};

/* Appends inside the caller's open write transaction, so the record and the
 * change it describes commit or vanish together (fail-closed). */
int audit_append(struct db_conn *c, const struct audit_entry *e);
/* Appends in a transaction of its own (login failures, reads). */
int audit_append_tx(struct db *db, const struct audit_entry *e);

/* Recomputes the chain. Returns 0 when intact (*rows = count), ERR_INVALID
 * when broken: *broken_id names the first bad row and why explains. */
int audit_verify(struct db_conn *c, int64_t *rows, int64_t *broken_id,
    struct buf *why);

/* The hash of one row given its predecessor's; exposed for tests. */
void audit_row_hash(const char *prev_hash, int64_t id, int64_t at,
    int64_t actor_id, const char *actor, const char *ip, int64_t org_id,
    const char *org_path, const char *action, const char *target,
    const char *result, const char *summary, char out[65]);

#endif
