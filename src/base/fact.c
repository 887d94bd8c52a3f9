#include <string.h>

#include "base/fact.h"

/* Set once at start, before any thread reads it. */
static const struct fact_source *const *registered;

void
facts_use(const struct fact_source *const *list)
{
	registered = list;
}

const struct fact_source *
fact_source_find(const char *name)
{
	for (size_t i = 0; name && registered && registered[i]; i++)
		if (!strcmp(registered[i]->name, name))
			return registered[i];
	return NULL;
}

const struct fact_source *
fact_source_at(size_t i)
{
	for (size_t k = 0; registered && registered[k]; k++)
		if (k == i)
			return registered[k];
	return NULL;
}
