#include <string.h>

#include "audit/audit.h"
#include "http/internal.h"

void
req_audit_entry(struct req *r, struct audit_entry *e, const char *action,
    const char *target)
{
	memset(e, 0, sizeof(*e));
	e->actor_id = r->authed ? r->who.user_id : 0;
	e->actor = r->authed ? r->who.username : "-";
	e->ip = r->ip;
	e->action = action;
	e->target = target ? target : "";
	e->result = "ok";
	e->summary = "{}";
}
