/* libmicrohttpd glue: the request lifecycle, limits, the authentication and
 * CSRF gate, route dispatch and the security headers every response carries.
 *
 * MHD calls the access handler several times per request: once with the
 * headers, once per body chunk, once at the end. The first call builds the
 * struct req (and may answer at once: URL or headers too long, body too
 * large); the chunks go into a bounded buffer; the last call dispatches.
 * The request is freed in the completion callback. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sodium.h>
#include <unistd.h>

#include "accounts/accounts.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include "http/internal.h"
#include "http/watch.h"
#include "jobs/jobs.h"

/* metrics slots after the routes */
enum { SLOT_UNMATCHED, SLOT_STATIC, SLOT_HEALTHZ, SLOT_METRICS, SLOT__EXTRA };

static const char csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
	"object-src 'none'; base-uri 'none'; form-action 'self'; "
	"frame-ancestors 'none'";

/* A preview frame: the file itself, framed by the console only. */
static const char preview_csp[] =
	"default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
	"object-src 'self'; base-uri 'none'; form-action 'none'; "
	"frame-ancestors 'self'";

void
server_config_defaults(struct server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->listen = "127.0.0.1:8080";
	cfg->web_dir = "web/dist";
	cfg->threads = 2;
	cfg->max_connections = 1024;
	cfg->connection_timeout = 30;
	cfg->max_body = 1u << 20;
	cfg->max_upload = 256u << 20;
	/* a city's whole roster as CSV: 3.5 million rows of ~115 bytes */
	cfg->max_spool = (size_t)1 << 30;
	cfg->max_header = 8192;
	cfg->max_url = 2048;
	cfg->secure_cookie = -1;
	/* a few addresses cannot take every slot; behind a proxy, every
	 * connection is the proxy's: raise it there (the proxy limits per
	 * client) */
	cfg->max_per_address = 64;
	cfg->header_seconds = 15;
	cfg->body_min_rate = 1024;
}

/* ---- routes ---- */

static int
compile_route(const struct route *rt, struct compiled_route *cr)
{
	const char *p = rt->pattern;

	memset(cr, 0, sizeof(*cr));
	cr->route = rt;
	if (*p != '/')
		return ERR_INVALID;
	while (*p == '/') {
		const char *end;
		size_t n;

		p++;
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (cr->nseg >= ROUTE_MAX_SEGS || n == 0 || n >= sizeof(cr->lit[0]))
			return ERR_INVALID;
		/* "{id}", "{grant_id}": integer ids; other "{name}": text */
		if (p[0] == '{' && n >= 4 && !strncmp(p + n - 3, "id}", 3))
			cr->kind[cr->nseg] = SEG_ID;
		else if (p[0] == '{')
			cr->kind[cr->nseg] = SEG_NAME;
		else
			cr->kind[cr->nseg] = SEG_LITERAL;
		memcpy(cr->lit[cr->nseg], p, n);
		cr->lit[cr->nseg][n] = '\0';
		cr->nseg++;
		p += n;
	}
	return 0;
}

static int
name_segment_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 63)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

/* Matches path against one route; fills the request's parameters. */
static int
match_route(const struct compiled_route *cr, const char *path, struct req *r)
{
	const char *p = path;
	int seg = 0;

	r->nids = r->nnames = 0;
	while (*p == '/') {
		const char *end;
		size_t n;

		p++;
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (seg >= cr->nseg || n == 0)
			return 0;
		switch (cr->kind[seg]) {
		case SEG_LITERAL:
			if (strlen(cr->lit[seg]) != n || strncmp(cr->lit[seg], p, n))
				return 0;
			break;
		case SEG_ID: {
			char tmp[24];
			int64_t id;

			if (n >= sizeof(tmp) || r->nids >= ROUTE_MAX_PARAMS)
				return 0;
			memcpy(tmp, p, n);
			tmp[n] = '\0';
			if (tmp[0] == '0' || parse_int64(tmp, 1, 1LL << 53, &id))
				return 0;
			r->ids[r->nids++] = id;
			break;
		}
		case SEG_NAME:
			if (!name_segment_ok(p, n) || r->nnames >= ROUTE_MAX_PARAMS)
				return 0;
			memcpy(r->names[r->nnames], p, n);
			r->names[r->nnames][n] = '\0';
			r->nnames++;
			break;
		}
		seg++;
		p += n;
	}
	return *p == '\0' && seg == cr->nseg;
}

static enum http_method
parse_method(const char *m)
{
	if (!strcmp(m, "GET") || !strcmp(m, "HEAD")) return HTTP_GET;
	if (!strcmp(m, "POST")) return HTTP_POST;
	if (!strcmp(m, "PATCH")) return HTTP_PATCH;
	if (!strcmp(m, "PUT")) return HTTP_PUT;
	if (!strcmp(m, "DELETE")) return HTTP_DELETE;
	return 0;
}

static const char *
method_name(enum http_method m)
{
	switch (m) {
	case HTTP_GET: return "GET";
	case HTTP_POST: return "POST";
	case HTTP_PATCH: return "PATCH";
	case HTTP_PUT: return "PUT";
	case HTTP_DELETE: return "DELETE";
	}
	return "?";
}

/* ---- handler-side API ---- */

const struct principal *req_who(struct req *r) { return r->authed ? &r->who : NULL; }
const char *req_ip(struct req *r) { return r->ip; }
void
req_can_json(struct req *r, const struct principal *p, struct jw *w)
{
	jw_key(w, "can");
	jw_arr_open(w);
	for (size_t i = 0; i < r->srv->nroutes; i++) {
		const struct route *rt = r->srv->routes[i].route;
		char entry[160];

		if ((rt->flags & RF_PUBLIC) || strncmp(rt->pattern, "/api/", 5))
			continue;
		if (rt->roles && !scope_has_role(p, rt->roles))
			continue;
		snprintf(entry, sizeof(entry), "%s %s", method_name(rt->method), rt->pattern);
		jw_str(w, entry);
	}
	jw_arr_close(w);
}

struct db *req_store(struct req *r) { return r->srv->db; }
const struct pii_key *req_pii_key(struct req *r) { return r->srv->cfg.pii; }
struct settings_cache *req_settings(struct req *r) { return &r->srv->settings; }
void req_jobs_kick(struct req *r) { job_runner_kick(r->srv->cfg.jobs); }
json_t *req_body(struct req *r) { return r->json; }

const char *
req_user_agent(struct req *r)
{
	const char *ua = MHD_lookup_connection_value(r->mc, MHD_HEADER_KIND,
	    "User-Agent");
	return ua ? ua : "";
}

const char *
req_raw_body(struct req *r, size_t *len)
{
	*len = r->body.len;
	return r->body.data ? r->body.data : "";
}

int
req_upload(struct req *r, int64_t *id, int64_t *bytes)
{
	*id = r->upload_id;
	*bytes = r->upload_bytes;
	return r->upload_id ? 0 : ERR_NOTFOUND;
}

/* One piece of an RF_SPOOL body: to the store as it comes. A failure is
 * kept and told when the request is dispatched; what follows is dropped. */
static void
spool_piece(struct req *r, const char *data, size_t n)
{
	const struct body_spool *sp = r->srv->cfg.spool;
	int rc;

	if (r->body_too_big || r->spool_failed)
		return;
	if (!sp) {
		r->spool_failed = ERR_BUSY;
		return;
	}
	if (r->spool_bytes + (int64_t)n > (int64_t)r->srv->cfg.max_spool) {
		r->body_too_big = 1;
		goto drop;
	}
	r->spool_bytes += (int64_t)n;
	if (!r->spool_writer &&
	    (rc = sp->begin(sp->ctx, r->spool_actor, &r->spool_writer))) {
		r->spool_writer = NULL;
		r->spool_failed = rc;
		return;
	}
	if ((rc = sp->write(r->spool_writer, data, n))) {
		r->spool_failed = rc;
		goto drop;
	}
	return;
drop:
	if (r->spool_writer)
		sp->abort(r->spool_writer);
	r->spool_writer = NULL;
}

const char *
req_query(struct req *r, const char *key)
{
	for (int i = 0; i < r->q.n; i++)
		if (!strcmp(r->q.key[i], key))
			return r->q.val[i];
	return NULL;
}

int64_t
req_query_int(struct req *r, const char *key, int64_t dflt)
{
	const char *v = req_query(r, key);
	int64_t out;

	if (!v)
		return dflt;
	if (!strcmp(v, "true"))
		return 1;
	if (!strcmp(v, "false"))
		return 0;
	if (parse_int64(v, INT64_MIN + 1, INT64_MAX, &out))
		return dflt;
	return out;
}

int64_t
req_param_id(struct req *r, int i)
{
	return i >= 0 && i < r->nids ? r->ids[i] : 0;
}

const char *
req_param_str(struct req *r, int i)
{
	return i >= 0 && i < r->nnames ? r->names[i] : "";
}

const char *
req_cookie_name(struct req *r)
{
	/* __Host-: the browser keeps it only from a secure origin, for this
	 * host alone, path / — no subdomain or plain-http page can plant it */
	return r->srv->secure_cookie ? "__Host-" SESSION_COOKIE : SESSION_COOKIE;
}

int
req_cookie_secure(struct req *r)
{
	return r->srv->secure_cookie;
}

const char *
req_cookie_token(struct req *r)
{
	return MHD_lookup_connection_value(r->mc, MHD_COOKIE_KIND,
	    req_cookie_name(r));
}

int
req_db(struct req *r, enum db_mode mode, struct db_conn **out)
{
	int rc;

	if (r->conn && (r->conn_mode == mode || mode == DB_READ)) {
		*out = r->conn;
		return 0;
	}
	release_db(r);
	rc = db_acquire(r->srv->db, mode, &r->conn);
	if (rc)
		return rc;
	r->conn_mode = mode;
	*out = r->conn;
	return 0;
}

void
req_db_release(struct req *r)
{
	release_db(r);
}

void
release_db(struct req *r)
{
	if (r->conn && r->read_tx) {
		db_commit(r->conn);
		r->read_tx = 0;
	}
	if (r->conn) {
		r->db_ns += db_take_time_ns(r->conn);
		db_release(r->conn);
		r->conn = NULL;
	}
}

int64_t
req_setting(struct req *r, int setting)
{
	return settings_get(&r->srv->settings, r->srv->db, (enum setting_id)setting);
}

struct jw *
req_json(struct req *r, int status)
{
	buf_reset(&r->out);
	r->status = status;
	r->ctype = "application/json; charset=utf-8";
	r->responded = 1;
	jw_init(&r->jw, &r->out);
	return &r->jw;
}

int
req_status_only(struct req *r, int status)
{
	buf_reset(&r->out);
	r->status = status;
	r->ctype = NULL;
	r->responded = 1;
	return 0;
}

int
req_text(struct req *r, int status, const char *type, const char *body,
    size_t len)
{
	buf_reset(&r->out);
	r->status = status;
	r->ctype = type;
	r->responded = 1;
	return buf_append(&r->out, body, len);
}

int
req_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders >= REQ_MAX_HEADERS)
		return ERR_TOOBIG;
	r->hname[r->nheaders] = strdup(name);
	r->hvalue[r->nheaders] = strdup(value);
	if (!r->hname[r->nheaders] || !r->hvalue[r->nheaders]) {
		free(r->hname[r->nheaders]);
		free(r->hvalue[r->nheaders]);
		return ERR_NOMEM;
	}
	r->nheaders++;
	return 0;
}

void
req_preview(struct req *r)
{
	r->preview = 1;
}

int
req_file(struct req *r, int status, const char *type, int fd, uint64_t size,
    const char *filename)
{
	char disp[512];
	size_t o;

	buf_reset(&r->out);
	if (r->fd >= 0)
		close(r->fd);
	r->fd = fd;
	r->fsize = size;
	r->status = status;
	r->ctype = type;
	r->responded = 1;
	/* filename*=UTF-8'' with every byte outside [A-Za-z0-9.-_] escaped */
	o = (size_t)snprintf(disp, sizeof(disp), "%s; filename*=UTF-8''",
	    r->preview ? "inline" : "attachment");
	for (const unsigned char *p = (const unsigned char *)filename;
	    *p && o + 4 < sizeof(disp); p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_')
			disp[o++] = (char)*p;
		else
			o += (size_t)snprintf(disp + o, sizeof(disp) - o, "%%%02X", *p);
	}
	disp[o] = '\0';
	return req_header(r, "Content-Disposition", disp);
}

int
req_file_path(struct req *r, const char *path, const char *type,
    const char *filename)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	unlink(path);
	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return ERR_IO;
	}
	return req_file(r, 200, type, fd, (uint64_t)st.st_size, filename);
}

int
req_answered(struct req *r)
{
	return r->responded;
}

int
req_error(struct req *r, int status, const char *code, const char *field,
    const char *msg_en, const char *msg_zh)
{
	struct jw *w = req_json(r, status);

	jw_obj_open(w);
	jw_key(w, "error");
	jw_obj_open(w);
	jw_kstr(w, "code", code);
	jw_kstr(w, "message", msg_en);
	jw_kstr(w, "message_zh", msg_zh);
	if (field && *field) {
		jw_key(w, "details");
		jw_arr_open(w);
		jw_obj_open(w);
		jw_kstr(w, "field", field);
		jw_kstr(w, "message", msg_en);
		jw_kstr(w, "message_zh", msg_zh);
		jw_obj_close(w);
		jw_arr_close(w);
	}
	jw_obj_close(w);
	jw_obj_close(w);
	return jw_finish(w);
}

int
req_verr(struct req *r, const struct verr *e)
{
	struct jw *w;

	if (!e->row && !e->nmore)
		return req_error(r, e->status, e->code, e->field, e->msg_en, e->msg_zh);
	if (!e->row) {
		w = req_json(r, e->status);
		jw_obj_open(w);
		jw_key(w, "error");
		jw_obj_open(w);
		jw_kstr(w, "code", e->code);
		jw_kstr(w, "message", e->msg_en);
		jw_kstr(w, "message_zh", e->msg_zh);
		jw_key(w, "details");
		jw_arr_open(w);
		jw_obj_open(w);
		jw_kstr(w, "field", e->field);
		jw_kstr(w, "message", e->msg_en);
		jw_kstr(w, "message_zh", e->msg_zh);
		jw_obj_close(w);
		for (int i = 0; i < e->nmore; i++) {
			jw_obj_open(w);
			jw_kstr(w, "field", e->more[i].field);
			jw_kstr(w, "message", e->more[i].msg_en);
			jw_kstr(w, "message_zh", e->more[i].msg_zh);
			jw_obj_close(w);
		}
		jw_arr_close(w);
		jw_obj_close(w);
		jw_obj_close(w);
		return jw_finish(w);
	}
	w = req_json(r, e->status);
	jw_obj_open(w);
	jw_key(w, "error");
	jw_obj_open(w);
	jw_kstr(w, "code", e->code);
	jw_kstr(w, "message", e->msg_en);
	jw_kstr(w, "message_zh", e->msg_zh);
	jw_key(w, "details");
	jw_arr_open(w);
	jw_obj_open(w);
	jw_kstr(w, "field", e->field);
	jw_kint(w, "row", e->row);
	jw_kstr(w, "message", e->msg_en);
	jw_kstr(w, "message_zh", e->msg_zh);
	jw_obj_close(w);
	jw_arr_close(w);
	jw_obj_close(w);
	jw_obj_close(w);
	return jw_finish(w);
}

/* Every ERR_* as an answer: status, code and the generic reason. */
static const struct {
	int err, status;
	const char *code, *en, *zh;
} answers[] = {
	{ERR_INVALID, 422, "validation_failed", "the request breaks a rule", "请求不符合规则"},
	{ERR_NOTFOUND, 404, "not_found", "not found", "记录不存在"},
	{ERR_CONFLICT, 409, "conflict", "conflicts with an existing record", "与已有记录冲突"},
	{ERR_PERM, 403, "forbidden", "your role does not allow this", "您的角色无权执行此操作"},
	{ERR_AUTH, 401, "unauthenticated", "please log in", "请先登录"},
	{ERR_LOCKED, 423, "locked", "the account is locked", "账号已锁定"},
	{ERR_LIMIT, 429, "rate_limited", "too many requests, try again later", "请求过于频繁，请稍后再试"},
	{ERR_TOOBIG, 413, "payload_too_large", "the request is too large", "请求内容过大"},
	{ERR_BADREQ, 400, "bad_request", "the request is malformed", "请求格式错误"},
	{ERR_BUSY, 503, "busy", "the store is busy, try again", "系统繁忙，请重试"},
	{0, 500, "internal", "internal error", "系统内部错误"},
};

static size_t
answer_of(int err)
{
	size_t i;

	for (i = 0; answers[i].err && answers[i].err != err; i++)
		;
	return i;
}

int
req_fail(struct req *r, int err)
{
	size_t i = answer_of(err);

	if (err == ERR_BUSY)
		req_header(r, "Retry-After", "1");
	return req_error(r, answers[i].status, answers[i].code, NULL,
	    answers[i].en, answers[i].zh);
}

int
req_why(struct req *r, int err, const struct why *why)
{
	struct verr e;
	size_t i;

	if (r->responded)
		return err;
	if (!why || !why->en || !err)
		return req_fail(r, err ? err : ERR_INTERNAL);
	i = answer_of(err);
	memset(&e, 0, sizeof(e));
	e.status = answers[i].status;
	e.code = answers[i].code;
	e.row = why->row;
	str_copy(e.field, sizeof(e.field), why->field ? why->field : "");
	e.msg_en = why->en;
	e.msg_zh = why->zh ? why->zh : why->en;
	return req_verr(r, &e);
}

/* ---- request lifecycle ---- */

static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct req *r = cls;

	(void)kind;
	if (r->q.n >= QARGS_MAX) {
		r->q_overflow = 1;
		return MHD_NO;
	}
	r->q.key[r->q.n] = key;
	r->q.val[r->q.n] = value;
	r->q.n++;
	return MHD_YES;
}

static enum MHD_Result
sum_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	size_t *total = cls;

	(void)kind;
	*total += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* What request smuggling needs: more than one Content-Length, one beside a
 * Transfer-Encoding, a coding we do not speak (a front proxy may frame
 * "xchunked" differently), or a header name with blanks (a front proxy may
 * read "Content-Length : 5" as another header than we do). A control byte in
 * a value (a NUL that would cut the C string, a folded line) is refused too:
 * what we read must be what the client sent. */
struct framing {
	int content_length, transfer_encoding, blank_name, bad_coding, control;
};

static enum MHD_Result
scan_framing(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
    const char *value, size_t value_size)
{
	struct framing *f = cls;

	(void)kind;
	if (!strcasecmp(key, "Content-Length"))
		f->content_length++;
	else if (!strcasecmp(key, "Transfer-Encoding")) {
		f->transfer_encoding++;
		if (!value || strcasecmp(value, "chunked"))
			f->bad_coding = 1;
	}
	if (strpbrk(key, " \t") || strlen(key) != key_size)
		f->blank_name = 1;
	for (size_t i = 0; value && i < value_size; i++) {
		unsigned char c = (unsigned char)value[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			f->control = 1;
	}
	return MHD_YES;
}

static void
client_ip(struct MHD_Connection *mc, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	str_copy(out, n, "-");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)ci->client_addr;
		inet_ntop(AF_INET, &a->sin_addr, out, (socklen_t)n);
	} else if (ci->client_addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ci->client_addr;
		inet_ntop(AF_INET6, &a->sin6_addr, out, (socklen_t)n);
	}
}

static enum MHD_Result
send_response(struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ok;
	int i;

	if (r->fd >= 0) {
		resp = MHD_create_response_from_fd64(r->fsize, r->fd);
		if (resp)
			r->fd = -1;     /* MHD closes it */
	} else {
		size_t len;
		char *data = buf_steal(&r->out, &len);

		if (data)
			resp = MHD_create_response_from_buffer(len, data,
			    MHD_RESPMEM_MUST_FREE);
		else
			resp = MHD_create_response_from_buffer(0, (void *)"",
			    MHD_RESPMEM_PERSISTENT);
		if (!resp)
			free(data);
	}
	if (!resp)
		return MHD_NO;
	if (r->ctype)
		MHD_add_response_header(resp, "Content-Type", r->ctype);
	MHD_add_response_header(resp, "Content-Security-Policy",
	    r->preview ? preview_csp : csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", r->preview ? "SAMEORIGIN" : "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy",
	    "camera=(), microphone=(), geolocation=()");
	if (!r->cacheable)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	for (i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->hname[i], r->hvalue[i]);
	ok = MHD_queue_response(r->mc, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static void
req_free(struct req *r)
{
	int i;

	release_db(r);
	if (r->spool_writer)
		r->srv->cfg.spool->abort(r->spool_writer);
	if (r->upload_id)
		r->srv->cfg.spool->release(r->srv->cfg.spool->ctx, r->upload_id);
	buf_free(&r->body);
	buf_free(&r->out);
	if (r->json)
		json_decref(r->json);
	if (r->fd >= 0)
		close(r->fd);
	for (i = 0; i < r->nheaders; i++) {
		free(r->hname[i]);
		free(r->hvalue[i]);
	}
	sodium_memzero(&r->who, sizeof(r->who));
	free(r);
}

static void
on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct req *r = *con_cls;

	(void)toe;
	if (srv->watch)
		watch_answered(srv->watch, mc);
	if (!r)
		return;
	metrics_record(&srv->metrics, r->slot, r->status,
	    time_mono_ns() - r->t0, r->db_ns);
	req_free(r);
	*con_cls = NULL;
}

static int
is_write(enum http_method m)
{
	return m != HTTP_GET;
}

/* The Origin check complements the CSRF token: a browser always sends
 * Origin on cross-site writes, and it must name this host. */
static int
origin_ok(struct req *r)
{
	const char *origin = MHD_lookup_connection_value(r->mc, MHD_HEADER_KIND,
	    "Origin");
	const char *host = MHD_lookup_connection_value(r->mc, MHD_HEADER_KIND,
	    "Host");
	const char *p;

	if (!origin)
		return 1;
	if (!host)
		return 0;
	p = strstr(origin, "://");
	if (!p)
		return 0;
	return !strcmp(p + 3, host);
}

static int
content_type_json(struct req *r)
{
	const char *ct = MHD_lookup_connection_value(r->mc, MHD_HEADER_KIND,
	    "Content-Type");

	if (!ct)
		return 0;
	return !strncasecmp(ct, "application/json", 16) &&
	    (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

static const char *
bearer_token(struct req *r)
{
	const char *h = MHD_lookup_connection_value(r->mc, MHD_HEADER_KIND,
	    "Authorization");

	if (h && !strncasecmp(h, "Bearer ", 7))
		return h + 7;
	return NULL;
}

/* Who is calling, and may they call this route: the session or token,
 * the forced password change and enrolment, the route's roles, and for
 * writes the Origin and the CSRF token. Returns 0 to go on, 1 answered.
 * Run from the headers alone for a request with a body (before a byte of
 * it is read) and again at dispatch. */
static int
authorize(struct req *r, int *bearer)
{
	const struct route *rt = r->cr->route;
	const char *token;

	*bearer = 0;
	if (!(rt->flags & RF_PUBLIC)) {
		token = bearer_token(r);
		if (token)
			*bearer = 1;
		else
			token = req_cookie_token(r);
		/* one read transaction for authentication and the handler's
		 * reads: one snapshot, one round of locking */
		{
			struct db_conn *c;
			if (token && !req_db(r, DB_READ, &c) && !db_begin(c))
				r->read_tx = 1;
		}
		if (!token || !r->conn || accounts_authenticate_on(r->srv->db,
		    r->conn, &r->srv->settings, token, *bearer, &r->who)) {
			req_error(r, 401, "unauthenticated", NULL,
			    "please log in", "请先登录");
			return 1;
		}
		r->authed = 1;
		if (r->who.must_change && !(rt->flags & RF_PASSWORD_CHANGE)) {
			req_error(r, 403, "password_change_required", NULL,
			    "change your password first", "请先修改密码");
			return 1;
		}
		/* the policy wants a second factor: enrol it before anything */
		if (r->who.must_enrol && !(rt->flags & RF_PASSWORD_CHANGE)) {
			req_error(r, 403, "second_factor_enrolment_required", NULL,
			    "enrol an authenticator first (POST /api/v1/session/second-factor)",
			    "请先绑定身份验证器（双因素认证）");
			return 1;
		}
		if (rt->roles && !scope_has_role(&r->who, rt->roles)) {
			req_error(r, 403, "forbidden", NULL,
			    "your role does not allow this", "您的角色无权执行此操作");
			return 1;
		}
	}
	if (is_write(r->method)) {
		if (!origin_ok(r)) {
			req_error(r, 403, "forbidden", NULL,
			    "cross-origin request refused", "拒绝跨站请求");
			return 1;
		}
		if (r->authed && !*bearer) {
			const char *csrf = MHD_lookup_connection_value(r->mc,
			    MHD_HEADER_KIND, "X-CSRF-Token");
			if (!csrf || !crypto_str_equal(csrf, r->who.csrf)) {
				req_error(r, 403, "forbidden", "X-CSRF-Token",
				    "CSRF token missing or wrong",
				    "缺少或错误的 CSRF 令牌");
				return 1;
			}
		}
	}
	return 0;
}

static void
dispatch_api(struct req *r)
{
	const struct route *rt;
	struct verr ve;
	int rc, bearer = 0;

	if (!r->cr) {
		/* distinguish "no such path" from "no such method on it" */
		for (size_t i = 0; i < r->srv->nroutes; i++) {
			struct req probe = *r;
			if (match_route(&r->srv->routes[i], r->url, &probe)) {
				req_error(r, 405, "method_not_allowed", NULL,
				    "method not allowed", "不支持该请求方法");
				return;
			}
		}
		req_error(r, 404, "not_found", NULL, "no such endpoint",
		    "接口不存在");
		return;
	}
	rt = r->cr->route;
	if (r->q_overflow) {
		req_error(r, 400, "bad_request", NULL, "too many query parameters",
		    "查询参数过多");
		return;
	}
	if (query_validate(rt->query, &r->q, &ve)) {
		req_verr(r, &ve);
		return;
	}
	if (authorize(r, &bearer))
		return;
	if (r->body_too_big) {
		req_fail(r, ERR_TOOBIG);
		return;
	}
	if (r->spool_failed) {
		log_error("%s %s: keeping the upload: %s", method_name(r->method),
		    r->url, err_name(r->spool_failed));
		req_fail(r, r->spool_failed);
		return;
	}
	if (r->spool_writer) {
		void *w = r->spool_writer;

		r->spool_writer = NULL;        /* end frees it, even on failure */
		if ((rc = r->srv->cfg.spool->end(w, &r->upload_id, &r->upload_bytes))) {
			r->upload_id = 0;
			req_fail(r, rc);
			return;
		}
	}
	if (rt->flags & RF_RAW_BODY) {
		/* the handler checks the type of what it was sent */
	} else if (rt->body) {
		if (!content_type_json(r)) {
			req_error(r, 415, "unsupported_media_type", "Content-Type",
			    "send application/json", "请以 application/json 提交");
			return;
		}
		if (body_parse(rt->body, r->body.data, r->body.len, &r->json, &ve)) {
			req_verr(r, &ve);
			return;
		}
	} else if (r->body.len) {
		req_error(r, 400, "bad_request", NULL,
		    "this endpoint takes no request body", "此接口不接受请求内容");
		return;
	}
	rc = rt->handler(r);
	if (rc && !r->responded) {
		if (rc == ERR_DB || rc == ERR_INTERNAL || rc == ERR_NOMEM ||
		    rc == ERR_IO)
			log_error("%s %s: %s", method_name(r->method), r->url,
			    err_name(rc));
		req_fail(r, rc);
	} else if (!r->responded) {
		req_status_only(r, 204);
	} else if (r->ctype && !strncmp(r->ctype, "application/json", 16) &&
	    jw_finish(&r->jw)) {
		log_error("%s %s: response JSON incomplete", method_name(r->method),
		    r->url);
		req_fail(r, ERR_INTERNAL);
	}
}

static void
serve_metrics(struct req *r)
{
	struct db_conn *c;
	int64_t open = -1;
	int64_t idle = settings_get(&r->srv->settings, r->srv->db,
	    SET_SESSION_IDLE_MINUTES) * 60;

	if (!req_db(r, DB_READ, &c) &&
	    accounts_sessions_open(c, clock_real() - idle, clock_real(), &open))
		open = -1;   /* unknown: the gauge says so */
	release_db(r);
	buf_reset(&r->out);
	r->status = 200;
	r->responded = 1;
	r->ctype = "text/plain; version=0.0.4; charset=utf-8";
	if (metrics_render(&r->srv->metrics, open, &r->out))
		req_fail(r, ERR_INTERNAL);
}

static void
dispatch(struct req *r)
{
	const char *url = r->url;

	if (!strcmp(url, "/healthz") || !strcmp(url, "/metrics")) {
		if (r->method != HTTP_GET) {
			req_error(r, 405, "method_not_allowed", NULL,
			    "method not allowed", "不支持该请求方法");
			return;
		}
	}
	if (!strcmp(url, "/healthz")) {
		r->slot = r->srv->nroutes + SLOT_HEALTHZ;
		req_text(r, 200, "text/plain; charset=utf-8", "ok\n", 3);
		return;
	}
	if (!strcmp(url, "/metrics")) {
		/* the figures tell who is online and what is used: for the
		 * monitoring system holding CHANGAI_METRICS_TOKEN, nobody else */
		const char *want = r->srv->cfg.metrics_token, *got = bearer_token(r);

		r->slot = r->srv->nroutes + SLOT_METRICS;
		if (!want || !*want || !got || !crypto_str_equal(got, want)) {
			req_error(r, 404, "not_found", NULL, "no such endpoint", "接口不存在");
			return;
		}
		serve_metrics(r);
		return;
	}
	if (!strncmp(url, "/api/", 5) || !strcmp(url, "/api")) {
		dispatch_api(r);
		return;
	}
	r->slot = r->srv->nroutes + SLOT_STATIC;
	if (r->method != HTTP_GET) {
		req_error(r, 405, "method_not_allowed", NULL,
		    "method not allowed", "不支持该请求方法");
		return;
	}
	static_serve(r, url);
}

static struct req *
req_new(struct server *srv, struct MHD_Connection *mc, const char *url,
    const char *method)
{
	struct req *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->srv = srv;
	r->mc = mc;
	r->url = url;
	r->fd = -1;
	r->t0 = time_mono_ns();
	r->status = 500;
	r->method = parse_method(method);
	r->slot = srv->nroutes + SLOT_UNMATCHED;
	buf_init(&r->body, srv->cfg.max_body);
	buf_init(&r->out, 64u << 20);
	client_ip(mc, r->ip, sizeof(r->ip));
	return r;
}

/* Checks made with the headers alone. Returns 0 to go on, or answers. */
static int
early_checks(struct req *r)
{
	size_t hdr = 0;
	const char *cl;
	int64_t len;

	if (!r->method) {
		req_error(r, 405, "method_not_allowed", NULL, "method not allowed",
		    "不支持该请求方法");
		return 1;
	}
	if (strlen(r->url) > r->srv->cfg.max_url) {
		req_error(r, 414, "bad_request", NULL, "the URL is too long",
		    "URL 过长");
		return 1;
	}
	if (!utf8_valid(r->url, strlen(r->url))) {
		req_error(r, 400, "bad_request", NULL, "the URL is not valid UTF-8",
		    "URL 不是有效的 UTF-8");
		return 1;
	}
	{
		struct framing f = {0, 0, 0, 0, 0};

		MHD_get_connection_values_n(r->mc, MHD_HEADER_KIND, scan_framing, &f);
		if (f.content_length > 1 || (f.content_length && f.transfer_encoding) ||
		    f.transfer_encoding > 1 || f.bad_coding || f.blank_name || f.control) {
			/* answered and the connection closed: nothing after this
			 * request on it is read as another one */
			req_error(r, 400, "bad_request", NULL,
			    "ambiguous message framing (Content-Length twice, with "
			    "Transfer-Encoding, a coding other than chunked, a header "
			    "name with blanks or a control character in a header)",
			    "请求报文边界不明确（重复的 Content-Length、与 Transfer-Encoding "
			    "同时出现、非 chunked 的传输编码、头字段名含空白或头字段含控制字符）");
			req_header(r, "Connection", "close");
			return 1;
		}
	}
	MHD_get_connection_values(r->mc, MHD_HEADER_KIND, sum_header, &hdr);
	if (hdr > r->srv->cfg.max_header) {
		req_error(r, 431, "bad_request", NULL, "request headers are too large",
		    "请求头过大");
		return 1;
	}
	MHD_get_connection_values(r->mc, MHD_GET_ARGUMENT_KIND, collect_arg, r);
	{
		/* the limit is on the whole target, query string included */
		size_t target = strlen(r->url);
		MHD_get_connection_values(r->mc, MHD_GET_ARGUMENT_KIND, sum_header,
		    &target);
		if (target > r->srv->cfg.max_url) {
			req_error(r, 414, "bad_request", NULL, "the URL is too long",
			    "URL 过长");
			return 1;
		}
	}
	for (size_t i = 0; i < r->srv->nroutes; i++) {
		const struct compiled_route *cr = &r->srv->routes[i];
		if (cr->route->method == r->method && match_route(cr, r->url, r)) {
			r->cr = cr;
			r->slot = i;
			break;
		}
	}
	if (r->cr && (r->cr->route->flags & RF_RAW_BODY))
		r->body.max = r->srv->cfg.max_upload;
	if (r->cr && (r->cr->route->flags & RF_SMALL_UPLOAD) && r->body.max > SMALL_UPLOAD)
		r->body.max = SMALL_UPLOAD;
	if (r->cr && (r->cr->route->flags & RF_SPOOL))
		r->body.max = r->srv->cfg.max_spool;
	cl = MHD_lookup_connection_value(r->mc, MHD_HEADER_KIND, "Content-Length");
	/* who sends a body is known before a byte of it is read: a stranger's
	 * 200 MiB upload is refused from its headers (and so is one over the
	 * route's limit) */
	if (r->cr && ((cl && strcmp(cl, "0")) ||
	    MHD_lookup_connection_value(r->mc, MHD_HEADER_KIND, "Transfer-Encoding"))) {
		int bearer = 0;

		if (authorize(r, &bearer)) {
			req_header(r, "Connection", "close");
			release_db(r);
			return 1;
		}
		release_db(r);
		r->spool_actor = r->who.user_id;
		r->authed = 0;
	}
	if (cl && !parse_int64(cl, 0, INT64_MAX, &len) && (uint64_t)len > r->body.max) {
		if (r->cr && (r->cr->route->flags & RF_RAW_BODY)) {
			char en[96], zh[96];

			snprintf(en, sizeof(en), "the file is larger than %zu MiB", r->body.max >> 20);
			snprintf(zh, sizeof(zh), "文件超过 %zu MB", r->body.max >> 20);
			req_error(r, 413, "payload_too_large", "file", en, zh);
		} else {
			req_fail(r, ERR_TOOBIG);
		}
		req_header(r, "Connection", "close");
		return 1;
	}
	return 0;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *mc, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct req *r = *con_cls;

	(void)version;
	if (!r) {
		if (srv->watch)
			watch_headers_done(srv->watch, mc);
		r = req_new(srv, mc, url, method);
		if (!r)
			return MHD_NO;
		*con_cls = r;
		if (early_checks(r))
			return send_response(r);
		return MHD_YES;
	}
	if (r->responded) {
		/* answered from the headers alone; discard what follows */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (srv->watch)
			watch_body(srv->watch, mc, *upload_size);
		if (r->cr && (r->cr->route->flags & RF_SPOOL))
			spool_piece(r, upload_data, *upload_size);
		else if (!r->body_too_big &&
		    buf_append(&r->body, upload_data, *upload_size))
			r->body_too_big = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (srv->watch)
		watch_handling(srv->watch, mc);
	dispatch(r);
	release_db(r);
	return send_response(r);
}

/* ---- start / stop ---- */

static int
parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[128];
	const char *colon;
	int64_t port;
	size_t hn;

	memset(ss, 0, sizeof(*ss));
	if (listen[0] == '[') {
		const char *end = strchr(listen, ']');
		if (!end || end[1] != ':')
			return ERR_INVALID;
		hn = (size_t)(end - listen - 1);
		colon = end + 1;
		if (hn >= sizeof(host))
			return ERR_INVALID;
		memcpy(host, listen + 1, hn);
	} else {
		colon = strrchr(listen, ':');
		if (!colon)
			return ERR_INVALID;
		hn = (size_t)(colon - listen);
		if (hn >= sizeof(host))
			return ERR_INVALID;
		memcpy(host, listen, hn);
	}
	host[hn] = '\0';
	if (parse_int64(colon + 1, 0, 65535, &port))
		return ERR_INVALID;
	if (listen[0] == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return ERR_INVALID;
		*len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (!strcmp(host, "localhost"))
			str_copy(host, sizeof(host), "127.0.0.1");
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return ERR_INVALID;
		*len = sizeof(*a);
	}
	return 0;
}

static void
log_mhd(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_warn("http: %s", msg);
}

/* Route table t: the server's own first, then the modules' in order. */
static const struct route *
route_table(const struct server_config *cfg, size_t t)
{
	return t == 0 ? http_routes : cfg->routes[t - 1];
}

int
server_start(struct server *srv, struct db *db, const struct server_config *cfg)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	const union MHD_DaemonInfo *di;
	size_t n = 0, i, t;
	int rc;

	memset(srv, 0, sizeof(*srv));
	srv->cfg = *cfg;
	srv->db = db;
	srv->web_fd = -1;
	settings_cache_init(&srv->settings);
	rc = parse_listen(cfg->listen, &ss, &sslen);
	if (rc) {
		log_error("cannot parse listen address '%s' (want HOST:PORT)",
		    cfg->listen);
		goto out;
	}
	srv->secure_cookie = cfg->secure_cookie;
	if (srv->secure_cookie < 0) {
		/* only a browser on this very machine reaches a loopback
		 * listener over plain http; anything else comes through TLS */
		int loop = ss.ss_family == AF_INET6 ?
		    IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)&ss)->sin6_addr) :
		    (ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >> 24) == 127;
		srv->secure_cookie = !loop;
	}
	for (t = 0; t == 0 || (cfg->routes && cfg->routes[t - 1]); t++)
		for (i = 0; route_table(cfg, t)[i].pattern; i++)
			n++;
	srv->routes = calloc(n ? n : 1, sizeof(*srv->routes));
	if (!srv->routes) {
		rc = ERR_NOMEM;
		goto out;
	}
	rc = metrics_init(&srv->metrics, n + SLOT__EXTRA);
	if (rc)
		goto out;
	for (t = 0; t == 0 || (cfg->routes && cfg->routes[t - 1]); t++) {
		for (i = 0; route_table(cfg, t)[i].pattern; i++) {
			const struct route *rt = &route_table(cfg, t)[i];
			rc = compile_route(rt, &srv->routes[srv->nroutes]);
			if (rc) {
				log_error("bad route pattern %s", rt->pattern);
				goto out;
			}
			srv->metrics.names[srv->nroutes] = rt->pattern;
			srv->metrics.methods[srv->nroutes] = method_name(rt->method);
			srv->nroutes++;
		}
	}
	srv->metrics.names[n + SLOT_UNMATCHED] = "unmatched";
	srv->metrics.names[n + SLOT_STATIC] = "static";
	srv->metrics.names[n + SLOT_HEALTHZ] = "/healthz";
	srv->metrics.names[n + SLOT_METRICS] = "/metrics";
	for (i = n; i < n + SLOT__EXTRA; i++)
		srv->metrics.methods[i] = "GET";
	if (cfg->web_dir)
		srv->web_fd = open(cfg->web_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	srv->watch = calloc(1, sizeof(*srv->watch));
	if (!srv->watch || watch_start(srv->watch, cfg->header_seconds ? cfg->header_seconds : 15,
	    cfg->body_min_rate)) {
		free(srv->watch);
		srv->watch = NULL;
		rc = ERR_NOMEM;
		goto out;
	}
	srv->mhd = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
	    (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
	    0, NULL, NULL, on_request, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(cfg->threads ? cfg->threads : 1),
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->max_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->connection_timeout,
	    /* MHD's own ceiling on headers, arguments and read buffer; ours
	     * (max_header, max_url) are lower so clients get our JSON error
	     * first. MHD zeroes this pool for every request: no larger. */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)(cfg->max_per_address ? cfg->max_per_address : 64),
	    MHD_OPTION_NOTIFY_CONNECTION, watch_notify, srv->watch,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    MHD_OPTION_END);
	if (!srv->mhd) {
		log_error("cannot listen on %s", cfg->listen);
		rc = ERR_IO;
		goto out;
	}
	di = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : 0;
	rc = 0;
out:
	if (rc)
		server_stop(srv);
	return rc;
}

void
server_stop(struct server *srv)
{
	if (srv->mhd)
		MHD_stop_daemon(srv->mhd);
	srv->mhd = NULL;
	if (srv->watch) {
		watch_stop(srv->watch);
		free(srv->watch);
		srv->watch = NULL;
	}
	if (srv->web_fd >= 0)
		close(srv->web_fd);
	srv->web_fd = -1;
	free(srv->routes);
	srv->routes = NULL;
	metrics_free(&srv->metrics);
	settings_cache_free(&srv->settings);
}
