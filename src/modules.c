/* The registry. The order is the router's matching order and the order
 * of the demo steps (plans' demo needs the demo's orgs and accounts, which
 * exist before any module step runs). */
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/fact.h"
#include "base/metric.h"
#include "http/http.h"
#include "modules.h"
#include "notices/notices.h"

extern const struct module accounts_module, orgs_module, audit_module,
    settings_module, workers_module, jobs_module, plans_module,
    calendar_module, notices_module, evaluation_module, points_module, inbox_module,
    announcements_module;

const struct module *const modules[] = {
	&accounts_module,
	&orgs_module,
	&audit_module,
	&settings_module,
	&workers_module,
	&jobs_module,
	&plans_module,
	&calendar_module,
	&notices_module,
	&evaluation_module,
	&points_module,
	&inbox_module,
	&announcements_module,
	NULL,
};

int
modules_route_tables(const struct route ***out)
{
	const struct route **all;
	size_t n = 0, k = 0;

	for (size_t m = 0; modules[m]; m++)
		for (size_t t = 0; modules[m]->routes && modules[m]->routes[t]; t++)
			n++;
	if (!(all = calloc(n + 1, sizeof(*all))))
		return ERR_NOMEM;
	for (size_t m = 0; modules[m]; m++)
		for (size_t t = 0; modules[m]->routes && modules[m]->routes[t]; t++)
			all[k++] = modules[m]->routes[t];
	*out = all;
	return 0;
}

int
modules_job_kinds(struct job_kind **out)
{
	struct job_kind *all;
	size_t n = 0, k = 0;

	for (size_t m = 0; modules[m]; m++)
		for (size_t j = 0; modules[m]->jobs && modules[m]->jobs[j].kind; j++)
			n++;
	if (!(all = calloc(n + 1, sizeof(*all))))
		return ERR_NOMEM;
	for (size_t m = 0; modules[m]; m++)
		for (size_t j = 0; modules[m]->jobs && modules[m]->jobs[j].kind; j++)
			all[k++] = modules[m]->jobs[j];
	*out = all;
	return 0;
}

int
modules_metrics(const struct metric ***out)
{
	const struct metric **all;
	size_t n = 0, k = 0;

	for (size_t m = 0; modules[m]; m++)
		for (size_t j = 0; modules[m]->metrics && modules[m]->metrics[j].name; j++)
			n++;
	if (!(all = calloc(n + 1, sizeof(*all))))
		return ERR_NOMEM;
	for (size_t m = 0; modules[m]; m++)
		for (size_t j = 0; modules[m]->metrics && modules[m]->metrics[j].name; j++)
			all[k++] = &modules[m]->metrics[j];
	*out = all;
	return 0;
}

int
modules_audit_labels(const struct audit_label ***out)
{
	const struct audit_label **all;
	size_t n = 0, k = 0;

	for (size_t m = 0; modules[m]; m++)
		for (size_t j = 0; modules[m]->audit_labels && modules[m]->audit_labels[j].action; j++)
			n++;
	if (!(all = calloc(n + 1, sizeof(*all))))
		return ERR_NOMEM;
	for (size_t m = 0; modules[m]; m++)
		for (size_t j = 0; modules[m]->audit_labels && modules[m]->audit_labels[j].action; j++)
			all[k++] = &modules[m]->audit_labels[j];
	*out = all;
	return 0;
}

int
modules_facts(const struct fact_source ***out)
{
	const struct fact_source **all;
	size_t n = 0, k = 0;

	for (size_t m = 0; modules[m]; m++)
		for (size_t j = 0; modules[m]->facts && modules[m]->facts[j].name; j++)
			n++;
	if (!(all = calloc(n + 1, sizeof(*all))))
		return ERR_NOMEM;
	for (size_t m = 0; modules[m]; m++)
		for (size_t j = 0; modules[m]->facts && modules[m]->facts[j].name; j++)
			all[k++] = &modules[m]->facts[j];
	*out = all;
	return 0;
}

int
modules_notice_kinds(void)
{
	int rc;

	for (size_t m = 0; modules[m]; m++)
		for (size_t k = 0; modules[m]->notice_kinds && modules[m]->notice_kinds[k].name; k++)
			if ((rc = notices_kind_register(&modules[m]->notice_kinds[k])))
				return rc;
	return 0;
}

int
modules_ticks(int64_t sweep_interval, struct job_tick **out, int *n)
{
	struct job_tick *all;
	size_t count = 0, k = 0;

	for (size_t m = 0; modules[m]; m++)
		for (size_t t = 0; modules[m]->ticks && modules[m]->ticks[t].name; t++)
			count++;
	if (!(all = calloc(count + 1, sizeof(*all))))
		return ERR_NOMEM;
	for (size_t m = 0; modules[m]; m++) {
		for (size_t t = 0; modules[m]->ticks && modules[m]->ticks[t].name; t++) {
			all[k] = modules[m]->ticks[t];
			if (all[k].flags & TICK_SWEEP)
				all[k].interval = sweep_interval;
			k++;
		}
	}
	*out = all;
	*n = (int)count;
	return 0;
}

int
modules_check(struct db_conn *c, struct buf *report, FILE *out)
{
	int problems = 0;

	for (size_t m = 0; modules[m]; m++) {
		const struct module_check *k = modules[m]->checks;

		for (; k && k->name; k++) {
			char summary[256] = "";
			int n = k->run(c, report, summary, sizeof(summary));

			if (n < 0)
				return n;
			fprintf(out, "%s: %s\n", k->name, summary);
			problems += n;
		}
	}
	return problems;
}

int
modules_sweep(struct db *db, FILE *out)
{
	for (size_t m = 0; modules[m]; m++) {
		const struct job_tick *t = modules[m]->ticks;

		for (; t && t->name; t++) {
			char said[256] = "";
			int rc;

			if (t->flags & TICK_SERVE_ONLY)
				continue;
			if ((rc = t->run(db, said, sizeof(said))) < 0)
				return rc;
			if (said[0])
				fprintf(out, "%s\n", said);
		}
	}
	return 0;
}

int
modules_demo(struct db *db, const struct demo_opts *o)
{
	for (size_t m = 0; modules[m]; m++) {
		int rc;

		if (modules[m]->demo && (rc = modules[m]->demo(db, o)))
			return rc;
	}
	return 0;
}
