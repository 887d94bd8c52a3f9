/* The request as the server keeps it; shared by the files of http/ only.
 * Modules see struct req through http.h's functions. */
#ifndef CHANGAI_HTTP_INTERNAL_H
#define CHANGAI_HTTP_INTERNAL_H

#include <microhttpd.h>

#include "base/buf.h"
#include "base/jw.h"
#include "http/http.h"
#include "http/server.h"

#define ROUTE_MAX_SEGS 12
#define ROUTE_MAX_PARAMS 4

enum seg_kind { SEG_LITERAL, SEG_ID, SEG_NAME };

struct compiled_route {
	const struct route *route;
	int nseg;
	enum seg_kind kind[ROUTE_MAX_SEGS];
	char lit[ROUTE_MAX_SEGS][32];
};

#define REQ_MAX_HEADERS 8

struct req {
	struct server *srv;
	struct MHD_Connection *mc;
	enum http_method method;
	const char *url;                   /* MHD's, valid for the request */
	const struct compiled_route *cr;
	size_t slot;                       /* metrics slot */
	int64_t ids[ROUTE_MAX_PARAMS];
	int nids;
	char names[ROUTE_MAX_PARAMS][64];
	int nnames;
	struct qargs q;
	int q_overflow;
	struct buf body;
	int body_too_big;
	/* RF_SPOOL: the body goes to cfg.spool as it arrives */
	void *spool_writer;
	int64_t spool_actor, spool_bytes, upload_id, upload_bytes;
	int spool_failed;
	json_t *json;
	struct principal who;
	int authed;
	char ip[64];
	struct db_conn *conn;
	enum db_mode conn_mode;
	int read_tx;                       /* conn holds our read transaction */
	/* response */
	int status;
	int responded;
	struct buf out;
	const char *ctype;
	int nheaders;
	char *hname[REQ_MAX_HEADERS];
	char *hvalue[REQ_MAX_HEADERS];
	int fd;                            /* static file, or -1 */
	uint64_t fsize;
	int cacheable;                     /* static: may be cached */
	int preview;                       /* a file the console shows in a frame */
	struct jw jw;
	uint64_t t0;
	uint64_t db_ns;
};

/* static.c: serves a file of the built console, or 404 */
int static_serve(struct req *r, const char *path);
/* openapi.c */
void openapi_render(struct server *srv, struct jw *w);
void release_db(struct req *r);

#endif
