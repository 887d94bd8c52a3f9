/* Deadlines for slow clients. libmicrohttpd's connection timeout counts
 * only silence, so a client that drips a header line every few seconds
 * holds its slot forever; this watch closes a connection that has not sent
 * its first request's headers within a deadline or sends a body slower
 * than a minimum rate. A connection kept alive after an answer is left to
 * libmicrohttpd's silence timeout (connection_timeout, 30 s): a later
 * request on it is bounded by that, not held forever. Private to
 * src/http/. */
#ifndef CHANGAI_HTTP_WATCH_H
#define CHANGAI_HTTP_WATCH_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>

struct watched;

struct conn_watch {
	pthread_mutex_t lock;
	pthread_t thread;
	int running;
	int64_t header_seconds;     /* headers complete within this */
	int64_t body_min_rate;      /* bytes a second, after header_seconds */
	struct watched *head;
	uint64_t closed_slow;       /* for the log and the tests */
};

int watch_start(struct conn_watch *w, int64_t header_seconds, int64_t body_min_rate);
void watch_stop(struct conn_watch *w);
/* MHD_OPTION_NOTIFY_CONNECTION */
void watch_notify(void *cls, struct MHD_Connection *mc, void **socket_context,
    enum MHD_ConnectionNotificationCode code);
/* The phases of a connection's request, from the access handler. */
void watch_headers_done(struct conn_watch *w, struct MHD_Connection *mc);
void watch_body(struct conn_watch *w, struct MHD_Connection *mc, size_t n);
void watch_handling(struct conn_watch *w, struct MHD_Connection *mc);
void watch_answered(struct conn_watch *w, struct MHD_Connection *mc);

#endif
