/* The names of audit actions for people, from every module's descriptor. */
#include <string.h>

#include "audit/audit.h"

/* Set once at start, before any thread reads it. */
static const struct audit_label *const *registered;

void
audit_labels_use(const struct audit_label *const *list)
{
	registered = list;
}

const struct audit_label *
audit_label_find(const char *action)
{
	for (size_t i = 0; action && registered && registered[i]; i++)
		if (!strcmp(registered[i]->action, action))
			return registered[i];
	return NULL;
}

const struct audit_label *
audit_label_at(size_t i)
{
	for (size_t k = 0; registered && registered[k]; k++)
		if (k == i)
			return registered[k];
	return NULL;
}
