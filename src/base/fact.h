/* Facts: things a capability has recorded about a worker or an org (a
 * level up, an accepted plan report), listed from its own tables in the
 * order it recorded them, for the points ledger's rules. Each module
 * lists its sources in its descriptor; the registry hands the flattened
 * list here once at start, so the ledger finds a source by name without
 * knowing the module, and the module never knows the ledger. */
#ifndef CHANGAI_FACT_H
#define CHANGAI_FACT_H

#include <stddef.h>
#include <stdint.h>

struct db_conn;

#define FACT_TEXT_MAX 160

/* One fact, copied out so the reader may write while it holds them. */
struct fact {
	int64_t seq;            /* the source's order (a row id); unique in it */
	int64_t holder_id;      /* the worker or the org it is about */
	int64_t org_id;         /* the org it belongs to (a worker's org) */
	char on_date[11];       /* the business day it happened */
	double amount;          /* what a rule's condition reads (the new level) */
	char text[FACT_TEXT_MAX];   /* for the ledger: "技能等级 3 → 4" */
};

/* What to list: facts with seq > after, about holders whose org path is
 * in [lo, hi), on a day in [from, to] (to "" : no end), at most max. */
struct fact_scan {
	int64_t after;
	const char *lo, *hi;
	const char *from, *to;
	int max;
};

struct fact_source {
	const char *name;           /* "workers.level_up" */
	const char *holder_kind;    /* "worker" or "org" */
	const char *title_en, *title_zh;
	const char *amount_en, *amount_zh;   /* what amount is, for conditions */
	/* Fills out with up to s->max facts in seq order (*n of them) and sets
	 * *settled: the seq up to which nothing can still become a fact (a
	 * report still waiting for review holds it back), which the next
	 * scan starts after. 0 or ERR_*. */
	int (*scan)(struct db_conn *c, const struct fact_scan *s, struct fact *out,
	    int *n, int64_t *settled);
};

/* The list every lookup reads, NULL-terminated; the caller keeps it alive. */
void facts_use(const struct fact_source *const *list);
const struct fact_source *fact_source_find(const char *name);   /* NULL: unknown */
const struct fact_source *fact_source_at(size_t i);             /* NULL past the end */

#endif
