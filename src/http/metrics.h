/* Counters for /metrics (Prometheus text format). Lock-free: relaxed
 * atomics, one slot per route and status class. */
#ifndef CHANGAI_METRICS_H
#define CHANGAI_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define METRIC_STATUSES 16
#define METRIC_BUCKETS 12

struct route_metrics {
	atomic_uint_fast64_t by_status[METRIC_STATUSES];
	atomic_uint_fast64_t buckets[METRIC_BUCKETS];   /* latency, cumulative at print */
	atomic_uint_fast64_t latency_us_sum;
	atomic_uint_fast64_t db_us_sum;
};

struct metrics {
	struct route_metrics *routes;   /* nroutes + extra slots */
	size_t n;
	const char **names;             /* label per slot, not owned */
	const char **methods;
	uint64_t started;
};

int metrics_init(struct metrics *m, size_t n);
void metrics_free(struct metrics *m);
void metrics_record(struct metrics *m, size_t slot, int status,
    uint64_t latency_ns, uint64_t db_ns);
/* Appends the Prometheus text; open_sessions is read by the caller. */
int metrics_render(struct metrics *m, int64_t open_sessions, struct buf *out);

#endif
