/* libFuzzer: request bodies through body_parse, against a spec with every
 * field type and flag. Beyond "no crash, no sanitizer report": a success
 * hands back an object that still validates; a failure hands back nothing
 * and an error the server can write (status and code agree, the field
 * name is valid UTF-8 without control characters). */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const kinds[] = {"city", "district", "street", NULL};

static const struct field spec[] = {
	{"name", FT_STRING, F_REQUIRED, 1, 20, NULL, NULL, NULL},
	{"note", FT_STRING, F_NULLABLE, 0, 0, NULL, NULL, NULL},
	{"count", FT_INT, 0, -5, 100, NULL, NULL, NULL},
	{"big", FT_INT, 0, 0, 0, NULL, NULL, NULL},
	{"flag", FT_BOOL, 0, 0, 0, NULL, NULL, NULL},
	{"kind", FT_ENUM, F_NULLABLE, 0, 0, kinds, NULL, NULL},
	{"day", FT_DATE, 0, 0, 0, NULL, NULL, NULL},
	{"org_id", FT_ID, 0, 0, 0, NULL, NULL, NULL},
	{"ids", FT_ID_ARRAY, 0, 0, 5, NULL, NULL, NULL},
	{"extra", FT_OBJECT, 0, 0, 0, NULL, NULL, NULL},
	{"score", FT_NUMBER, 0, 0, 0, NULL, NULL, NULL},
	{NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

static void
check_field(const char *f)
{
	size_t n = strnlen(f, 64);

	if (n == 64 || !utf8_valid(f, n))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)f[i] < 0x20 || f[i] == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *out = (json_t *)1;
	struct verr e;
	int rc;

	memset(&e, 0, sizeof(e));
	/* data is not NUL-terminated: body_parse must honour size */
	rc = body_parse(spec, (const char *)data, size, &out, &e);
	if (rc == 0) {
		if (!out || !json_is_object(out))
			abort();
		if (body_validate(spec, out, &e) != 0)
			abort();
		json_decref(out);
		return 0;
	}
	if (out)
		abort();
	if (rc == ERR_BADREQ) {
		if (e.status != 400 || strcmp(e.code, "bad_request"))
			abort();
	} else if (rc == ERR_INVALID) {
		if (e.status != 422 || strcmp(e.code, "validation_failed"))
			abort();
	} else {
		abort();
	}
	if (!e.msg_en || !e.msg_zh)
		abort();
	check_field(e.field);
	return 0;
}
