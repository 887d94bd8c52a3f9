/* The audit trail: append-only, hash-chained. Each row's hash is
 * SHA-256(previous hash || length-prefixed fields of the row), so editing,
 * inserting or deleting any row breaks the chain from there on. */
#ifndef CHANGAI_AUDIT_H
#define CHANGAI_AUDIT_H

#include <stddef.h>
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

/* "k:" + 64 hex (a keyed row) or 64 hex, and the NUL */
#define AUDIT_HASH_MAX 67

/* The audit key (kept outside the store, like the personal-data key): from
 * row `since` on every row is HMAC-SHA-256 under it, so nobody who can
 * only write the store can rewrite the trail. audit_key_load reads the key
 * file, or creates one (mode 0600) keyed from create_since when create is
 * set and the file is missing. ERR_NOTFOUND, ERR_INVALID (malformed or
 * readable by others), ERR_IO. */
int audit_key_load(const char *path, int64_t create_since, int create);
void audit_key_use(const unsigned char key[32], int64_t since);
int audit_key_set(void);
/* The server's anchors file (NULL until set), for its periodic anchors
 * and GET /audit/verify. */
void audit_anchors_path_set(const char *path);
const char *audit_anchors_path(void);
int audit_head_seq(struct db_conn *c, int64_t *seq);
/* Whether any row is keyed already (then a missing key is an error). */
int audit_keyed_rows(struct db_conn *c, int *any);

/* Anchors: lines "changai-anchor 1 TIME SEQ HASH MAC" appended to a file
 * outside the store (an operator ships it to another machine), each MAC'd
 * with the audit key, so cutting rows off the end — the head rewound — is
 * found by verify. */
struct audit_anchor {
	int64_t at, seq;
	char hash[AUDIT_HASH_MAX];
};
int audit_anchor_write(struct db_conn *c, const char *path, int64_t *seq);
/* Reads and checks every line; *out (free()) sorted by the caller's
 * verify. ERR_INVALID with *bad_line for a forged or malformed line. */
int audit_anchors_read(const char *path, struct audit_anchor **out, size_t *n,
    size_t *bad_line);

/* The string `key` of the summary of the first record of action on target
 * (the hash a sealing recorded, say); *found 0 when there is none. */
int audit_summary_text(struct db_conn *c, const char *action,
    const char *target, const char *key, char *out, size_t n, int *found);
/* Recomputes the chain: every row's hash or MAC (rows from the key's
 * `since` must be keyed), a first row after 1 only with an archive record
 * under the key, the head, and the anchors given (each must match its row;
 * none may lie past the end). Returns 0 when intact (*rows = count),
 * ERR_INVALID when broken: *broken_id names the first bad row and why
 * explains. */
int audit_verify(struct db_conn *c, struct audit_anchor *anchors,
    size_t nanchors, int64_t *rows, int64_t *broken_id, struct buf *why);

/* Archiving under the retention setting. audit_archive moves the oldest
 * rows, those recorded more than retention_days ago or, when `before` (real
 * epoch seconds) is not 0, before it — refused (ERR_INVALID) if that is
 * within the retention — up to the first younger one, to a new file at path (JSON lines: a header, then each row
 * with its hashes; mode 0600, refused if it exists), and in one write
 * transaction records where they went (the last row's hash under the key,
 * the file's SHA-256), deletes them and appends "audit.archive" by `who`.
 * The trail must verify first: a broken trail is never archived. The file
 * is deleted again if anything fails. ERR_INVALID with why (no key, a
 * broken trail), ERR_NOTFOUND (nothing that old), ERR_CONFLICT (the file exists),
 * ERR_IO. */
struct audit_archive_info {
	int64_t from_seq, upto_seq, rows;
	char upto_hash[AUDIT_HASH_MAX];
	char file_sha256[65];
};
int audit_archive(struct db *db, int64_t retention_days, int64_t before,
    const char *path, const struct audit_entry *who,
    struct audit_archive_info *info, struct buf *why);
/* Checks an archive file: its rows chain from its first row's predecessor
 * to its last, each hash or MAC recomputed; and, with a store (c not NULL),
 * that the store's archive record for it names the same last row, MAC and
 * file SHA-256, and that the rows before it are in an earlier archive
 * record. 0, or ERR_INVALID with why; ERR_NOTFOUND, ERR_IO. */
int audit_archive_check(struct db_conn *c, const char *path,
    struct audit_archive_info *info, struct buf *why);

/* The hash of one row given its predecessor's; exposed for tests. */
void audit_row_hash(const char *prev_hash, int64_t id, int64_t at,
    int64_t actor_id, const char *actor, const char *ip, int64_t org_id,
    const char *org_path, const char *action, const char *target,
    const char *result, const char *summary, char out[65]);

/* What an action is called, for people: each module lists its actions
 * in its descriptor (.audit_labels); the registry hands the flattened
 * list here once at start. */
struct audit_label {
	const char *action;         /* "points.award" */
	const char *zh, *en;        /* "手动加减分", "Award points by hand" */
};
void audit_labels_use(const struct audit_label *const *list);
const struct audit_label *audit_label_find(const char *action);   /* NULL: unknown */
const struct audit_label *audit_label_at(size_t i);              /* NULL past the end */

#endif
