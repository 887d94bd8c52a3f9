#include <string.h>

#include "base/metric.h"

/* Set once at start, before any thread reads it. */
static const struct metric *const *registered;

void
metrics_use(const struct metric *const *list)
{
	registered = list;
}

const struct metric *
metric_find(const char *name)
{
	for (size_t i = 0; name && registered && registered[i]; i++)
		if (!strcmp(registered[i]->name, name))
			return registered[i];
	return NULL;
}

const struct metric *
metric_at(size_t i)
{
	for (size_t k = 0; registered && registered[k]; k++)
		if (k == i)
			return registered[k];
	return NULL;
}

void *
metric_memo_slot(struct metric_memo *memo, const void *owner, int *filled)
{
	*filled = 0;
	for (int i = 0; memo && i < METRIC_MEMO_SLOTS; i++) {
		struct metric_memo_slot *s = &memo->slot[i];

		if (s->owner == owner) {
			*filled = 1;
			return s->data;
		}
		if (!s->owner) {
			s->owner = owner;
			return s->data;
		}
	}
	return NULL;
}
