/* What a handler sees of HTTP. Handlers are thin: read validated input from
 * the request, check scope, call a module, write JSON. Everything here is
 * owned by the request and freed when it ends.
 *
 * The server validates before a handler runs: the route's declared body
 * fields (unknown fields → 400, wrong types → 422), its query parameters,
 * authentication, the CSRF header on writes, and the route's role mask. */
#ifndef CHANGAI_HTTP_H
#define CHANGAI_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/jw.h"
#include "db/db.h"
#include "scope/scope.h"

struct req;
struct server;

enum http_method { HTTP_GET = 1, HTTP_POST, HTTP_PATCH, HTTP_PUT, HTTP_DELETE };

/* Declared inputs. */
enum field_type {
	FT_STRING = 1, FT_INT, FT_BOOL, FT_ENUM, FT_DATE, FT_ID, FT_ID_ARRAY,
	FT_OBJECT, FT_NUMBER,
	FT_ARRAY                       /* objects, each checked against items */
};
enum { F_REQUIRED = 1, F_NULLABLE = 2 };
struct field {
	const char *name;
	enum field_type type;
	unsigned flags;
	int64_t min, max;              /* strings: characters; ints: values */
	const char *const *choices;    /* FT_ENUM, NULL-terminated */
	const char *doc;
	const struct field *items;     /* FT_ARRAY: each element's fields */
};
enum query_type { QT_INT = 1, QT_ID, QT_STRING, QT_ENUM, QT_BOOL, QT_CURSOR, QT_DATE };
struct qfield {
	const char *name;
	enum query_type type;
	int64_t min, max;
	const char *const *choices;
	const char *doc;
};

/* A validation failure: what the client is told. */
struct verr {
	int status;                 /* 400 or 422 */
	const char *code;           /* "bad_request" / "validation_failed" */
	long row;                   /* FT_ARRAY: the element (1-based), else 0 */
	char field[64];
	const char *msg_en;
	const char *msg_zh;
	/* the body's other fields that failed too (422s of top-level fields):
	 * a form shows every error at once, not one per save */
#define VERR_MORE 12
	int nmore;
	struct {
		char field[64];
		const char *msg_en, *msg_zh;
	} more[VERR_MORE];
};
/* Parses and checks a JSON body against spec (NULL-name terminated).
 * On success *out owns the parsed object (json_decref it). */
int body_parse(const struct field *spec, const char *data, size_t len,
    json_t **out, struct verr *err);
int body_validate(const struct field *spec, json_t *root, struct verr *err);

/* Query parameters as the server received them (already percent-decoded). */
#define QARGS_MAX 32
struct qargs {
	int n;
	const char *key[QARGS_MAX];
	const char *val[QARGS_MAX];
};
int query_validate(const struct qfield *spec, const struct qargs *q,
    struct verr *err);
/* Opaque list cursors: "after" values are base64url("c1:<int64>"). */
void cursor_encode(int64_t id, char out[40]);
int cursor_decode(const char *s, int64_t *id);

/* A list page, {"items": [...], "next": cursor or null, "total": n}, from
 * a statement that fetched limit + 1 rows:
 *     w = page_open(&pg, r, limit);
 *     while ((rc = db_step(c)) == DB_ROW && page_row(&pg, db_col_int(c, 0)))
 *             ...write one item to w...
 *     db_done(c);
 *     return rc < 0 ? rc : page_close(&pg, total);
 * page_row is 1 for a row to show (its id is the next cursor) and 0 for
 * the probe row past the limit. total < 0 leaves total out; page_close_more
 * leaves the object open for keys of the caller's own (it closes it). */
struct page {
	struct jw *w;
	int64_t limit, rows, last;
};
struct jw *page_open(struct page *pg, struct req *r, int64_t limit);
int page_row(struct page *pg, int64_t id);
int page_close(struct page *pg, int64_t total);
struct jw *page_close_more(struct page *pg, int64_t total);

enum route_flags {
	RF_PUBLIC = 1,           /* no authentication */
	RF_PASSWORD_CHANGE = 2,  /* allowed while a password change or a
	                          * second-factor enrolment is due */
	RF_RAW_BODY = 4,         /* body is not JSON (file uploads) */
	RF_SMALL_UPLOAD = 8,     /* a raw body of at most SMALL_UPLOAD bytes */
	RF_SPOOL = 16,           /* a raw body kept in the store as it arrives,
	                          * never in memory (req_upload) */
};
/* plan templates and evidence files: a document, not a roster */
#define SMALL_UPLOAD (10u << 20)
struct route {
	enum http_method method;
	const char *pattern;            /* "/api/v1/orgs/{id}", "{name}" for text */
	int (*handler)(struct req *r);
	unsigned roles;                 /* who may call (any grant with one of these) */
	unsigned flags;
	const struct field *body;       /* NULL: no body accepted */
	const struct qfield *query;     /* NULL: no query parameters accepted */
	const char *tag;
	const char *summary;
};

/* Handler side of a request. */
const struct principal *req_who(struct req *r);
const char *req_ip(struct req *r);
const char *req_user_agent(struct req *r);
const char *req_query(struct req *r, const char *key);   /* NULL if absent */
int64_t req_query_int(struct req *r, const char *key, int64_t dflt);
int64_t req_param_id(struct req *r, int i);              /* {id} segments, in order */
const char *req_param_str(struct req *r, int i);         /* {name} segments */
json_t *req_body(struct req *r);                         /* validated object */
const char *req_raw_body(struct req *r, size_t *len);
/* The spooled body of an RF_SPOOL route: its upload id and size (0 bytes:
 * nothing was sent). */
int req_upload(struct req *r, int64_t *id, int64_t *bytes);
const char *req_cookie_token(struct req *r);
/* The session cookie's name and whether it is Secure (server_config). */
const char *req_cookie_name(struct req *r);
int req_cookie_secure(struct req *r);
/* What the server holds for every request (not owned): the store, the
 * personal-data key, the settings cache; and waking the job runner after
 * queueing a job. Handlers never see struct server. */
struct pii_key;
struct settings_cache;
struct db *req_store(struct req *r);
const struct pii_key *req_pii_key(struct req *r);
struct settings_cache *req_settings(struct req *r);
void req_jobs_kick(struct req *r);
/* The store connection for this request, acquired on first use and released
 * when the request ends. Asking for DB_WRITE after DB_READ swaps it. */
int req_db(struct req *r, enum db_mode mode, struct db_conn **out);
/* Returns the connection to the pool early (before calling a module that
 * acquires its own, which on SQLite would wait for the single writer). */
void req_db_release(struct req *r);
int64_t req_setting(struct req *r, int setting);

/* Writes "can": every "METHOD /api/v1/pattern" of the route table whose
 * roles one of p's grants holds: what the console may offer p, from the
 * one table the server enforces (the console keeps no copy of roles). */
void req_can_json(struct req *r, const struct principal *p, struct jw *w);

/* Starts an audit record for this request: actor and source address from
 * the caller, result "ok", summary "{}"; the handler fills the rest. */
struct audit_entry;
void req_audit_entry(struct req *r, struct audit_entry *e, const char *action,
    const char *target);

/* Responses. */
struct jw *req_json(struct req *r, int status);
int req_status_only(struct req *r, int status);
int req_text(struct req *r, int status, const char *type, const char *body,
    size_t len);
int req_header(struct req *r, const char *name, const char *value);
/* Sends an open file (the request takes fd over and closes it) as a
 * download named `filename` (UTF-8; sent RFC 5987-encoded). */
/* The next req_file is shown in the console's own frame (a PDF or image
 * preview): inline, framed by this origin only, nothing else loaded. */
void req_preview(struct req *r);
int req_file(struct req *r, int status, const char *type, int fd,
    uint64_t size, const char *filename);
/* Sends the file at path as a download and unlinks it at once (the open
 * descriptor keeps it until sent). */
int req_file_path(struct req *r, const char *path, const char *type,
    const char *filename);
/* Sends the standard error envelope. field may be NULL. */
/* Before showing personal data in full (unmask=1 by a pii holder): a
 * session that stepped up within step_up_minutes, a purpose (when
 * need_purpose), and rows within the user's unmask_rows_per_day. Answers
 * 403 step_up_required / unmask_limit or 422 purpose otherwise: the
 * caller checks req_answered(). req_unmask_spent counts what was shown. */
int req_unmask_gate(struct req *r, int64_t rows, int need_purpose);
/* Releases the request's store connection first: never call it inside a
 * transaction the request holds. */
void req_unmask_spent(struct req *r, int64_t rows);
/* 1 once an answer is written (an error a helper answered, say), so the
 * caller rolls back and returns instead of going on. */
int req_answered(struct req *r);
int req_error(struct req *r, int status, const char *code, const char *field,
    const char *msg_en, const char *msg_zh);
int req_verr(struct req *r, const struct verr *e);
/* Maps a module's ERR_* to a standard error response. */
int req_fail(struct req *r, int err);
/* The same, with the module's reason when it gave one (why->en set): the
 * status of err, the field, the row and both texts. An answer already
 * written stays. */
int req_why(struct req *r, int err, const struct why *why);

/* One audited write, on the stack: the change and its audit row commit
 * together or not at all.
 *     if ((rc = tx_begin(&t, r, "plan.delete")))
 *             return rc;
 *     tx_about(&t, "plan", pl.id, pl.org_id, pl.org_path);
 *     if (!(rc = plans_delete(t.c, pl.id, &why)))
 *             rc = tx_commit(&t);
 *     tx_end(&t);
 *     return rc ? req_why(r, rc, &why) : req_status_only(r, 204);
 * tx_begin takes the request's write connection and begins (nothing to
 * end when it fails); the audit row's actor and address are the caller's,
 * its result "ok". tx_summary opens the summary object on first use (the
 * caller adds keys; one bound for every summary); without it the summary
 * is "{}". tx_commit closes the summary, appends the audit row and
 * commits; tx_end rolls back what was not committed and frees. */
#define TX_SUMMARY_MAX (64u << 10)
struct tx {
	struct req *r;
	struct db_conn *c;          /* the transaction's connection */
	struct audit_entry ae;
	char target[128];
	char org_path[ORG_PATH_MAX];
	struct buf sum;
	struct jw w;
	int summary_open, committed;
	int also;                   /* rows written by tx_also */
	struct audit_entry row;     /* the open tx_row */
	char row_target[128];
	char row_path[ORG_PATH_MAX];
	struct buf row_sum;
	struct jw row_w;
};
int tx_begin(struct tx *t, struct req *r, const char *action);
/* What the row is about: target "kind:id" and the org that scopes it. */
void tx_about(struct tx *t, const char *kind, int64_t id, int64_t org_id,
    const char *org_path);
/* A target that is not "kind:id" (a code, a setting's name). */
void tx_target(struct tx *t, const char *target);
struct jw *tx_summary(struct tx *t);
/* The writer for a summary the caller writes whole (one JSON value). */
struct jw *tx_summary_raw(struct tx *t);
int tx_commit(struct tx *t);
void tx_end(struct tx *t);
/* A change that is several audited things (a plan handed down to many
 * orgs): tx_also appends one more audit row now, in the transaction, with
 * the tx's actor; tx_commit_each commits when every row was written that
 * way (ERR_INTERNAL when none was: no change commits unaudited). */
int tx_also(struct tx *t, const char *action, const char *kind, int64_t id,
    int64_t org_id, const char *org_path, const char *summary);
/* The same with a summary written in place: tx_row opens the row's
 * summary object (the caller adds keys), tx_row_end appends the row. */
struct jw *tx_row(struct tx *t, const char *action, const char *kind, int64_t id,
    int64_t org_id, const char *org_path);
int tx_row_end(struct tx *t);
int tx_commit_each(struct tx *t);

/* The server's own routes (http/openapi.c); the modules' come from the
 * registry (src/modules.c) through server_config. Each array ends with an
 * entry whose pattern is NULL. */
extern const struct route http_routes[];

#endif
