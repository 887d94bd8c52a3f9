#include "http/metrics.h"

#include <stdlib.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"

static const int status_codes[METRIC_STATUSES] = {200, 201, 202, 204, 304,
    400, 401, 403, 404, 409, 413, 415, 422, 423, 429, 500};
/* upper bounds in microseconds; the last bucket is +Inf */
static const uint64_t bucket_us[METRIC_BUCKETS - 1] = {250, 500, 1000, 2500,
    5000, 10000, 25000, 50000, 100000, 250000, 1000000};

int
metrics_init(struct metrics *m, size_t n)
{
	m->routes = calloc(n, sizeof(*m->routes));
	m->names = calloc(n, sizeof(*m->names));
	m->methods = calloc(n, sizeof(*m->methods));
	m->n = n;
	m->started = (uint64_t)clock_real();
	if (!m->routes || !m->names || !m->methods) {
		metrics_free(m);
		return ERR_NOMEM;
	}
	return 0;
}

void
metrics_free(struct metrics *m)
{
	free(m->routes);
	free(m->names);
	free(m->methods);
	m->routes = NULL;
	m->names = m->methods = NULL;
}

void
metrics_record(struct metrics *m, size_t slot, int status, uint64_t latency_ns,
    uint64_t db_ns)
{
	struct route_metrics *rm;
	uint64_t us = latency_ns / 1000;
	size_t i, s = METRIC_STATUSES - 1;

	if (slot >= m->n)
		return;
	rm = &m->routes[slot];
	for (i = 0; i < METRIC_STATUSES; i++) {
		if (status_codes[i] == status) {
			s = i;
			break;
		}
	}
	/* unknown codes count as 500's slot only when they are 5xx */
	if (i == METRIC_STATUSES && status < 500)
		s = 5;
	atomic_fetch_add_explicit(&rm->by_status[s], 1, memory_order_relaxed);
	for (i = 0; i < METRIC_BUCKETS - 1 && us > bucket_us[i]; i++)
		;
	atomic_fetch_add_explicit(&rm->buckets[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&rm->latency_us_sum, us, memory_order_relaxed);
	atomic_fetch_add_explicit(&rm->db_us_sum, db_ns / 1000, memory_order_relaxed);
}

int
metrics_render(struct metrics *m, int64_t open_sessions, struct buf *out)
{
	size_t r, i;
	int rc = 0;

	rc |= buf_puts(out, "# HELP changai_requests_total Requests by route and status.\n"
	    "# TYPE changai_requests_total counter\n");
	for (r = 0; r < m->n; r++) {
		for (i = 0; i < METRIC_STATUSES; i++) {
			uint64_t v = atomic_load_explicit(&m->routes[r].by_status[i],
			    memory_order_relaxed);
			if (!v)
				continue;
			rc |= buf_printf(out, "changai_requests_total{method=\"%s\","
			    "route=\"%s\",status=\"%d\"} %llu\n", m->methods[r],
			    m->names[r], status_codes[i], (unsigned long long)v);
		}
	}
	rc |= buf_puts(out, "# HELP changai_request_duration_seconds Request latency.\n"
	    "# TYPE changai_request_duration_seconds histogram\n");
	for (r = 0; r < m->n; r++) {
		struct route_metrics *rm = &m->routes[r];
		uint64_t cum = 0;

		for (i = 0; i < METRIC_BUCKETS; i++)
			cum += atomic_load_explicit(&rm->buckets[i], memory_order_relaxed);
		if (!cum)
			continue;
		cum = 0;
		for (i = 0; i < METRIC_BUCKETS; i++) {
			cum += atomic_load_explicit(&rm->buckets[i], memory_order_relaxed);
			if (i < METRIC_BUCKETS - 1)
				rc |= buf_printf(out, "changai_request_duration_seconds_bucket"
				    "{method=\"%s\",route=\"%s\",le=\"%g\"} %llu\n",
				    m->methods[r], m->names[r], (double)bucket_us[i] / 1e6,
				    (unsigned long long)cum);
			else
				rc |= buf_printf(out, "changai_request_duration_seconds_bucket"
				    "{method=\"%s\",route=\"%s\",le=\"+Inf\"} %llu\n",
				    m->methods[r], m->names[r], (unsigned long long)cum);
		}
		rc |= buf_printf(out, "changai_request_duration_seconds_sum{method=\"%s\","
		    "route=\"%s\"} %.6f\n", m->methods[r], m->names[r],
		    (double)atomic_load_explicit(&rm->latency_us_sum,
		    memory_order_relaxed) / 1e6);
		rc |= buf_printf(out, "changai_request_duration_seconds_count{method=\"%s\","
		    "route=\"%s\"} %llu\n", m->methods[r], m->names[r],
		    (unsigned long long)cum);
	}
	rc |= buf_puts(out, "# HELP changai_db_seconds_total Time spent in the store.\n"
	    "# TYPE changai_db_seconds_total counter\n");
	for (r = 0; r < m->n; r++) {
		uint64_t v = atomic_load_explicit(&m->routes[r].db_us_sum,
		    memory_order_relaxed);
		if (v)
			rc |= buf_printf(out, "changai_db_seconds_total{method=\"%s\","
			    "route=\"%s\"} %.6f\n", m->methods[r], m->names[r],
			    (double)v / 1e6);
	}
	rc |= buf_printf(out, "# HELP changai_open_sessions Sessions not yet idle or expired.\n"
	    "# TYPE changai_open_sessions gauge\nchangai_open_sessions %lld\n"
	    "# HELP changai_start_time_seconds Process start.\n"
	    "# TYPE changai_start_time_seconds gauge\nchangai_start_time_seconds %llu\n",
	    (long long)open_sessions, (unsigned long long)m->started);
	/* a server on a set clock says so where operators look */
	rc |= buf_printf(out, "# HELP changai_clock_set 1 when business dates come from a "
	    "test clock (CHANGAI_TEST_CLOCK).\n# TYPE changai_clock_set gauge\n"
	    "changai_clock_set %d\n# HELP changai_clock_offset_seconds Business clock "
	    "minus real time.\n# TYPE changai_clock_offset_seconds gauge\n"
	    "changai_clock_offset_seconds %lld\n", clock_is_set(),
	    (long long)clock_offset());
	return rc ? ERR_TOOBIG : 0;
}
