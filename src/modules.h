/* The one registry of capabilities. Each module (src/NAME/) exports one
 * descriptor, NAME_module, from src/NAME/module.c; src/modules.c lists
 * them, and the server's router, the job runner, `changai check`,
 * `changai sweep` and `changai demo` walk that list. Adding a capability
 * adds one line there and nothing in main.c, http/ or db/. Statements need
 * no line at all: the build gathers every src/NAME/sql.h
 * (scripts/gen-sql.sh); migrations are files in src/db/migrations/. */
#ifndef CHANGAI_MODULES_H
#define CHANGAI_MODULES_H

#include <stdint.h>
#include <stdio.h>

#include "base/buf.h"
#include "db/db.h"
#include "jobs/jobs.h"

struct route;
struct metric;
struct fact_source;
struct audit_label;
struct notice_kind;
struct pii_key;

/* What `changai demo` gives each module's demo step, in registry order
 * after the demo's orgs and accounts exist. */
struct demo_opts {
	const struct pii_key *key;
	int64_t workers;        /* --workers N: the city at scale; 0 if not asked */
};

/* One line of `changai check`, "NAME: SUMMARY". run writes the summary
 * (what it looked at, how many differ; NUL-terminated, at most n bytes),
 * appends the details of each difference to report, and returns the
 * number of problems found, or < 0 when it could not look. */
struct module_check {
	const char *name;
	int (*run)(struct db_conn *c, struct buf *report, char *summary, size_t n);
};

struct module {
	const char *name;
	/* NULL-terminated route tables; the router matches in registry order */
	const struct route *const *routes;
	const struct job_kind *jobs;         /* NULL-kind terminated, or NULL */
	const struct job_tick *ticks;        /* NULL-name terminated, or NULL */
	const struct module_check *checks;   /* NULL-name terminated, or NULL */
	int (*demo)(struct db *db, const struct demo_opts *o);   /* or NULL */
	/* what the evaluation index can read of this module (base/metric.h);
	 * NULL-name terminated, or NULL */
	const struct metric *metrics;
	/* the 公示 kinds whose subjects this module owns (notices/notices.h):
	 * NULL-name terminated, or NULL */
	const struct notice_kind *notice_kinds;
	/* what the points ledger's rules can turn into points (base/fact.h):
	 * NULL-name terminated, or NULL */
	const struct fact_source *facts;
	/* what this module's audit actions are called (audit/audit.h):
	 * NULL-action terminated, or NULL */
	const struct audit_label *audit_labels;
};

/* Every module, NULL-terminated (src/modules.c). */
extern const struct module *const modules[];

/* The registry flattened for the parts below it, which never see it: each
 * allocates a NULL-terminated array the caller frees. */
int modules_route_tables(const struct route ***out);
int modules_job_kinds(struct job_kind **out);
/* Registers every module's notice kinds with the notices capability. */
int modules_notice_kinds(void);
/* Every module's metrics, as a NULL-terminated array of pointers. */
int modules_metrics(const struct metric ***out);
/* Every module's audit labels, as a NULL-terminated array of pointers. */
int modules_audit_labels(const struct audit_label ***out);
/* Every module's fact sources, as a NULL-terminated array of pointers. */
int modules_facts(const struct fact_source ***out);
/* Every module's ticks; TICK_SWEEP ones run every sweep_interval seconds
 * (0: not on this node). *n is the count. */
int modules_ticks(int64_t sweep_interval, struct job_tick **out, int *n);

/* `changai check`'s module lines to out; returns the problems found or < 0. */
int modules_check(struct db_conn *c, struct buf *report, FILE *out);
/* `changai sweep`: every tick not TICK_SERVE_ONLY, once, its line to out. */
int modules_sweep(struct db *db, FILE *out);
/* `changai demo`: every module's demo step, in order. */
int modules_demo(struct db *db, const struct demo_opts *o);

#endif
