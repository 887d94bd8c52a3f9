/* libFuzzer: the identifier, policy and text parsers of base/, fed the
 * input as one NUL-terminated string (and b64url_decode the raw bytes).
 * Each acceptance is cross-checked with a property that must follow from
 * it, so a parser that says yes to garbage fails too, not only one that
 * crashes. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "base/valid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
uscc(const char *s)
{
	char out[19], body[18];
	int co = 9, rc = valid_uscc(s, &co);

	if (co != 0 && co != 1)
		abort();
	if (rc == 0 || co) {
		/* well formed: its body completes to a valid code, which is
		 * s itself exactly when s passed */
		if (strlen(s) != 18 || valid_uscc_complete(s, out) == 0)
			abort();           /* 18 chars are not 17 */
		memcpy(body, s, 17);
		body[17] = '\0';
		if (valid_uscc_complete(body, out) || valid_uscc(out, NULL))
			abort();
		if ((rc == 0) != (strcmp(out, s) == 0))
			abort();
	}
	if (rc != 0 && rc != ERR_INVALID)
		abort();
}

static void
resident(const char *s)
{
	char norm[19], birth[11];

	if (valid_resident_id(s, "2025-06-01", norm) == 0) {
		if (strlen(s) != 18 || strlen(norm) != 18)
			abort();
		for (int i = 0; i < 18; i++)
			if (norm[i] != toupper((unsigned char)s[i]))
				abort();
		/* the normal form is itself valid, and so without a date */
		if (valid_resident_id(norm, "2025-06-01", NULL) ||
		    valid_resident_id(s, NULL, NULL))
			abort();
		/* born on or before "today" */
		snprintf(birth, sizeof(birth), "%.4s-%.2s-%.2s", s + 6, s + 10,
		    s + 12);
		if (date_valid(birth) || strcmp(birth, "2025-06-01") > 0)
			abort();
	}
}

static void
dates(const char *s)
{
	char iso[32], back[32];
	int64_t e;

	if (date_valid(s) == 0) {
		/* a valid date is a valid midnight */
		snprintf(iso, sizeof(iso), "%sT00:00:00Z", s);
		if (time_parse_iso(iso, &e))
			abort();
	}
	if (time_parse_iso(s, &e) == 0) {
		/* one spelling per instant */
		time_iso(e, back, sizeof(back));
		if (strcmp(back, s))
			abort();
	}
}

static void
others(const char *s, size_t n)
{
	const char *why = "unset";
	int64_t v;
	int rc;

	if (valid_mobile(s) == 0 && (strlen(s) != 11 || s[0] != '1'))
		abort();
	rc = valid_password(s, "zhang", 8, &why);
	if ((rc == 0) != (why == NULL))
		abort();
	if (rc == 0 && (strlen(s) > 128 || !utf8_valid(s, strlen(s))))
		abort();
	/* with the input's own first bytes as the username it never
	 * passes: the password contains them */
	if (strlen(s) >= 3) {
		char user[4];

		memcpy(user, s, 3);
		user[3] = '\0';
		if (valid_password(s, user, 8, &why) == 0)
			abort();
	}
	if (valid_username(s) == 0 && (strlen(s) < 3 || strlen(s) > 32))
		abort();
	if (parse_int64(s, -1000, 1000, &v) == 0 && (v < -1000 || v > 1000))
		abort();
	if (utf8_valid(s, n) && utf8_chars(s, n) > n)
		abort();
}

static void
b64(const uint8_t *data, size_t size)
{
	unsigned char out[4096];
	char enc[4 * (sizeof(out) / 3 + 1) + 1];
	long n;

	if (size > 4096)
		return;
	n = b64url_decode((const char *)data, size, out, sizeof(out));
	if (n < 0)
		return;
	/* canonical: what decodes re-encodes to exactly the input */
	if (b64url_encode(out, (size_t)n, enc) != size ||
	    memcmp(enc, data, size))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	uscc(s);
	resident(s);
	valid_mobile(s);
	dates(s);
	others(s, size);
	b64(data, size);
	free(s);
	return 0;
}
