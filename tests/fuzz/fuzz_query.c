/* libFuzzer: query strings through query_validate and cursor_decode.
 * The input is split on '&' into pairs and each pair on its first '='
 * (percent-decoding happens before us, in libmicrohttpd, so keys and
 * values are raw bytes here; "k" without '=' has a NULL value), at most
 * QARGS_MAX pairs, like the server's collect_arg. When validation passes,
 * every value must really satisfy its declared type. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ID_MAX (1LL << 53)

static const char *const statuses[] = {"active", "left", NULL};

static const struct qfield spec[] = {
	{"limit", QT_INT, 1, 500, NULL, NULL},
	{"org", QT_ID, 0, 0, NULL, NULL},
	{"q", QT_STRING, 0, 10, NULL, NULL},
	{"code", QT_STRING, 2, 0, NULL, NULL},
	{"status", QT_ENUM, 0, 0, statuses, NULL},
	{"union", QT_BOOL, 0, 0, NULL, NULL},
	{"after", QT_CURSOR, 0, 0, NULL, NULL},
	{"since", QT_DATE, 0, 0, NULL, NULL},
	{NULL, 0, 0, 0, NULL, NULL},
};

static const struct qfield *
lookup(const char *k)
{
	for (const struct qfield *f = spec; f->name; f++)
		if (!strcmp(f->name, k))
			return f;
	return NULL;
}

/* A value that passed must satisfy its type, checked independently. */
static void
check_passed(const struct qfield *f, const char *v)
{
	int64_t iv;

	if (!v || !utf8_valid(v, strlen(v)))
		abort();
	switch (f->type) {
	case QT_INT:
		if (parse_int64(v, f->min, f->max, &iv))
			abort();
		break;
	case QT_ID:
		if (parse_int64(v, 1, ID_MAX, &iv))
			abort();
		break;
	case QT_CURSOR:
		if (cursor_decode(v, &iv) || iv < 0 || iv > ID_MAX)
			abort();
		break;
	case QT_DATE:
		if (date_valid(v))
			abort();
		break;
	case QT_BOOL:
		if (strcmp(v, "0") && strcmp(v, "1") && strcmp(v, "true") &&
		    strcmp(v, "false"))
			abort();
		break;
	case QT_ENUM:
		if (strcmp(v, "active") && strcmp(v, "left"))
			abort();
		break;
	case QT_STRING:
		for (const char *p = v; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
		break;
	}
}

static void
check_cursor(const char *v)
{
	char again[40];
	int64_t id, id2;

	if (cursor_decode(v, &id))
		return;
	if (id < 0 || id > ID_MAX)
		abort();
	/* what decodes re-encodes to something that decodes the same */
	cursor_encode(id, again);
	if (cursor_decode(again, &id2) || id2 != id)
		abort();
	/* one spelling per id */
	if (strcmp(again, v))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qargs q;
	struct verr e;
	char *s, *p;
	int rc;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&q, 0, sizeof(q));
	for (p = s; p && q.n < QARGS_MAX; ) {
		char *amp = strchr(p, '&'), *eq;

		if (amp)
			*amp = '\0';
		eq = strchr(p, '=');
		if (eq)
			*eq = '\0';
		q.key[q.n] = p;
		q.val[q.n] = eq ? eq + 1 : NULL;
		q.n++;
		p = amp ? amp + 1 : NULL;
	}

	memset(&e, 0, sizeof(e));
	rc = query_validate(spec, &q, &e);
	if (rc == 0) {
		for (int i = 0; i < q.n; i++) {
			const struct qfield *f = lookup(q.key[i]);

			if (!f)
				abort();
			for (int j = 0; j < i; j++)
				if (!strcmp(q.key[i], q.key[j]))
					abort();
			check_passed(f, q.val[i]);
		}
	} else {
		if (rc != ERR_BADREQ || e.status != 400 ||
		    strcmp(e.code, "bad_request") || !e.msg_en || !e.msg_zh)
			abort();
		if (strnlen(e.field, 64) == 64)
			abort();
		/* the echoed name must be writable as JSON (see the report:
		 * duplicate and high-byte keys are echoed raw) */
		if (!utf8_valid(e.field, strlen(e.field)))
			abort();
	}
	for (int i = 0; i < q.n; i++)
		if (q.val[i])
			check_cursor(q.val[i]);
	free(s);
	return 0;
}
