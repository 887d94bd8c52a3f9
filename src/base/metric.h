/* Computed metrics: a number about one unit (an org's subtree) that a
 * capability knows how to read from its own tables, for the evaluation
 * index's indicators. Each module lists its metrics in its descriptor;
 * the registry hands the flattened list here once at start, so a reader
 * (the evaluation index) finds them by name without knowing the modules. */
#ifndef CHANGAI_METRIC_H
#define CHANGAI_METRIC_H

#include <stddef.h>
#include <stdint.h>

struct db_conn;

/* Where a module's readers keep what one query read for a unit, so the
 * metrics that share it run it once per unit (the registry's five come
 * from one statistics read). The caller empties it for each unit. */
#define METRIC_MEMO_SLOTS 4
#define METRIC_MEMO_BYTES 256
struct metric_memo {
	struct metric_memo_slot {
		const void *owner;      /* the reader's own tag; NULL: free */
		_Alignas(8) unsigned char data[METRIC_MEMO_BYTES];
	} slot[METRIC_MEMO_SLOTS];
};
/* The slot owner keeps for this unit: *filled 1 when it holds what owner
 * stored earlier, 0 when it is new (owner's to fill); NULL when memo is
 * NULL or full. */
void *metric_memo_slot(struct metric_memo *memo, const void *owner, int *filled);

/* The unit and the period a metric is read for. */
struct metric_unit {
	int64_t org_id;
	const char *path;       /* the org's path: its subtree */
	const char *from, *to;  /* the period, YYYY-MM-DD, inclusive */
	const char *as_of;      /* the business day it is read on (the clock) */
	struct metric_memo *memo;   /* NULL: read everything afresh */
};

struct metric {
	const char *name;       /* "workers.high_skill_ratio" */
	const char *unit;       /* "people", "ratio" (0..1), … */
	const char *title_en, *title_zh;
	/* Reads the value: *have 0 when the unit has none (no workers to take
	 * a ratio of, no plan); filters (NUL-terminated, at most n bytes) says
	 * what was read, for the explanation. 0 or ERR_*. */
	int (*read)(struct db_conn *c, const struct metric_unit *u, double *x,
	    int *have, char *filters, size_t n);
};

/* The list every lookup reads, NULL-terminated; the caller keeps it alive. */
void metrics_use(const struct metric *const *list);
const struct metric *metric_find(const char *name);   /* NULL when unknown */
/* The i-th metric, or NULL past the end. */
const struct metric *metric_at(size_t i);

#endif
