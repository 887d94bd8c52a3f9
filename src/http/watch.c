#include "http/watch.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

/* KEPT: answered and kept alive, waiting for the next request; the bytes
 * of its headers cannot be seen from here, so an idle connection is
 * libmicrohttpd's to time out (its silence timeout), not cut early under a
 * client about to reuse it */
enum phase { WAIT_HEADERS, BODY, HANDLING, KEPT };

struct watched {
	int fd;
	enum phase phase;
	int64_t since;              /* monotonic seconds the phase began */
	uint64_t bytes;             /* of the body so far */
	int cut;                    /* shut down already */
	struct sockaddr_storage peer;  /* who the fd was connected to */
	socklen_t peer_len;
	struct watched *prev, *next;
};

static int64_t
mono(void)
{
	return (int64_t)(time_mono_ns() / 1000000000u);
}

static struct watched *
of(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? (struct watched *)ci->socket_context : NULL;
}

void
watch_notify(void *cls, struct MHD_Connection *mc, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct conn_watch *w = cls;
	struct watched *x = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);

		x = calloc(1, sizeof(*x));
		if (!x)
			return;     /* unwatched, as before: MHD's timeout still holds */
		x->fd = ci ? ci->connect_fd : -1;
		x->peer_len = sizeof(x->peer);
		if (x->fd >= 0 && getpeername(x->fd, (struct sockaddr *)&x->peer, &x->peer_len))
			x->fd = -1;
		x->phase = WAIT_HEADERS;
		x->since = mono();
		pthread_mutex_lock(&w->lock);
		x->next = w->head;
		if (w->head)
			w->head->prev = x;
		w->head = x;
		pthread_mutex_unlock(&w->lock);
		*socket_context = x;
		return;
	}
	if (!x)
		return;
	pthread_mutex_lock(&w->lock);
	if (x->prev)
		x->prev->next = x->next;
	else
		w->head = x->next;
	if (x->next)
		x->next->prev = x->prev;
	pthread_mutex_unlock(&w->lock);
	free(x);
	*socket_context = NULL;
}

static void
set_phase(struct conn_watch *w, struct MHD_Connection *mc, enum phase p)
{
	struct watched *x = of(mc);

	if (!x)
		return;
	pthread_mutex_lock(&w->lock);
	x->phase = p;
	x->since = mono();
	x->bytes = 0;
	pthread_mutex_unlock(&w->lock);
}

void
watch_headers_done(struct conn_watch *w, struct MHD_Connection *mc)
{
	set_phase(w, mc, BODY);
}

void
watch_handling(struct conn_watch *w, struct MHD_Connection *mc)
{
	set_phase(w, mc, HANDLING);
}

void
watch_answered(struct conn_watch *w, struct MHD_Connection *mc)
{
	set_phase(w, mc, KEPT);
}

void
watch_body(struct conn_watch *w, struct MHD_Connection *mc, size_t n)
{
	struct watched *x = of(mc);

	if (!x)
		return;
	pthread_mutex_lock(&w->lock);
	x->bytes += n;
	pthread_mutex_unlock(&w->lock);
}

/* Whether fd is still this connection's socket: should the library close
 * it before telling us, a new connection may have the same number. */
static int
same_peer(const struct watched *x)
{
	struct sockaddr_storage now;
	socklen_t len = sizeof(now);

	return !getpeername(x->fd, (struct sockaddr *)&now, &len) &&
	    len == x->peer_len && !memcmp(&now, &x->peer, len);
}

static void *
run(void *arg)
{
	struct conn_watch *w = arg;
	struct timespec tick = {1, 0};

	for (;;) {
		int64_t now;

		nanosleep(&tick, NULL);
		pthread_mutex_lock(&w->lock);
		if (!w->running) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		now = mono();
		for (struct watched *x = w->head; x; x = x->next) {
			int64_t age = now - x->since;
			int slow = 0;

			if (x->cut || x->fd < 0)
				continue;
			if (x->phase == WAIT_HEADERS && age > w->header_seconds)
				slow = 1;
			else if (x->phase == BODY && age > w->header_seconds &&
			    x->bytes < (uint64_t)(w->body_min_rate * age))
				slow = 1;
			if (slow && same_peer(x)) {
				/* MHD sees the end of the stream and closes it */
				shutdown(x->fd, SHUT_RDWR);
				x->cut = 1;
				w->closed_slow++;
			}
		}
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

int
watch_start(struct conn_watch *w, int64_t header_seconds, int64_t body_min_rate)
{
	pthread_mutex_init(&w->lock, NULL);
	w->header_seconds = header_seconds;
	w->body_min_rate = body_min_rate;
	w->head = NULL;
	w->closed_slow = 0;
	w->running = 1;
	if (pthread_create(&w->thread, NULL, run, w)) {
		w->running = 0;
		pthread_mutex_destroy(&w->lock);
		return ERR_INTERNAL;
	}
	return 0;
}

void
watch_stop(struct conn_watch *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->lock);
	w->running = 0;
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
}
