/* The server context: the only long-lived mutable state of the program.
 * Created by `changai serve`, shared by the request threads. */
#ifndef CHANGAI_SERVER_H
#define CHANGAI_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "http/metrics.h"
#include "settings/settings.h"

struct db;
struct MHD_Daemon;
struct compiled_route;

struct pii_key;
struct job_runner;

/* Where the body of an RF_SPOOL route goes as it arrives, instead of
 * memory (main.c wires it to the store's uploads). begin is called with the
 * sender's user id at the first piece; end gives the upload's id to the
 * handler (req_upload); abort drops a body that was never finished (the
 * client went away, it was too big, a write failed); release runs after the
 * handler and deletes an upload that no job took. */
struct body_spool {
	void *ctx;
	int (*begin)(void *ctx, int64_t actor_id, void **writer);
	int (*write)(void *writer, const char *data, size_t len);
	int (*end)(void *writer, int64_t *id, int64_t *bytes);
	void (*abort)(void *writer);
	void (*release)(void *ctx, int64_t id);
};

struct server_config {
	const char *listen;        /* "127.0.0.1:8080", "[::1]:8080" */
	const char *web_dir;       /* the built console; may not exist */
	unsigned threads;          /* request threads */
	unsigned max_connections;
	unsigned connection_timeout;   /* seconds a connection may idle mid-request */
	size_t max_body;           /* bytes of JSON body */
	size_t max_upload;         /* bytes of a raw upload (RF_RAW_BODY) */
	size_t max_spool;          /* bytes of a spooled upload (RF_SPOOL) */
	const struct body_spool *spool;  /* NULL: RF_SPOOL routes answer 503 */
	size_t max_header;         /* bytes of all request headers together */
	size_t max_url;
	/* every module's route tables, NULL-terminated (not owned); the
	 * server's own (health, session, OpenAPI) are matched first */
	const struct route *const *routes;
	const struct pii_key *pii;      /* personal-data key (not owned) */
	struct job_runner *jobs;        /* to wake on new jobs (not owned) */
	const char *metrics_token;      /* /metrics wants it as a Bearer token; NULL: off */
	/* the session cookie: 1 Secure and named __Host-…, 0 plain (http on
	 * a development machine), -1 Secure unless listening on loopback */
	int secure_cookie;
	unsigned max_per_address;  /* connections one address may hold at once */
	int64_t header_seconds;    /* a request's headers complete within this */
	int64_t body_min_rate;     /* bytes a second a body keeps up after header_seconds */
};

struct conn_watch;

struct server {
	struct server_config cfg;
	struct db *db;
	struct settings_cache settings;
	struct metrics metrics;
	int web_fd;                /* open directory of web_dir, or -1 */
	struct compiled_route *routes;
	size_t nroutes;
	struct MHD_Daemon *mhd;
	uint16_t port;             /* the bound port (useful with port 0) */
	int secure_cookie;         /* cfg.secure_cookie resolved: 0 or 1 */
	struct conn_watch *watch;  /* slow clients' deadlines (http/watch.c) */
};

void server_config_defaults(struct server_config *cfg);
/* Starts listening; returns at once. srv must outlive server_stop. */
int server_start(struct server *srv, struct db *db, const struct server_config *cfg);
void server_stop(struct server *srv);

#endif
