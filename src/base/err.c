#include "base/err.h"

const char *
err_name(int err)
{
	switch (err) {
	case ERR_OK: return "ok";
	case ERR_NOMEM: return "out of memory";
	case ERR_INVALID: return "invalid";
	case ERR_NOTFOUND: return "not found";
	case ERR_CONFLICT: return "conflict";
	case ERR_DB: return "database error";
	case ERR_IO: return "i/o error";
	case ERR_PERM: return "forbidden";
	case ERR_AUTH: return "unauthenticated";
	case ERR_LOCKED: return "locked";
	case ERR_LIMIT: return "rate limited";
	case ERR_TOOBIG: return "too big";
	case ERR_BADREQ: return "bad request";
	case ERR_BUSY: return "busy";
	default: return "internal error";
	}
}

int
why_refuse(struct why *why, int err, const char *field, const char *en, const char *zh)
{
	*why = (struct why){field, en, zh, 0};
	return err;
}
