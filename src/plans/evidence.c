/* Evidence files of progress reports, kept in the store as base64url text
 * chunks (both engines hold text alike; no data directory to back up or
 * share between nodes). The type comes from the bytes: a file named .pdf
 * that is not a PDF is refused, as is anything not on the list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"
#include "db/db.h"
#include "plans/plans.h"

#define CHUNK_BYTES (192u * 1024)   /* a multiple of 3: no padding inside */

static int
has_prefix(const void *data, size_t len, const char *magic, size_t n)
{
	return len >= n && !memcmp(data, magic, n);
}

/* An Office Open XML zip holds its parts as local file headers; the part
 * names tell a workbook (xl/) from a document (word/). Only the headers
 * in the first 64 KiB are looked at: both formats put their
 * [Content_Types].xml and main folder first. */
static const char *
ooxml_kind(const unsigned char *p, size_t len)
{
	size_t end = len < 65536 ? len : 65536, i = 0;
	int types = 0;
	const char *kind = NULL;

	while (i + 30 <= end) {
		size_t name_len, extra, comp;

		if (memcmp(p + i, "PK\x03\x04", 4))
			break;
		comp = (size_t)p[i + 18] | (size_t)p[i + 19] << 8 |
		    (size_t)p[i + 20] << 16 | (size_t)p[i + 21] << 24;
		name_len = (size_t)p[i + 26] | (size_t)p[i + 27] << 8;
		extra = (size_t)p[i + 28] | (size_t)p[i + 29] << 8;
		if (i + 30 + name_len > len)
			break;
		if (name_len == 19 && !memcmp(p + i + 30, "[Content_Types].xml", 19))
			types = 1;
		else if (name_len > 3 && !memcmp(p + i + 30, "xl/", 3) && !kind)
			kind = "xlsx";
		else if (name_len > 5 && !memcmp(p + i + 30, "word/", 5) && !kind)
			kind = "docx";
		/* a data descriptor leaves the size 0 here: stop walking */
		if (!comp)
			break;
		i += 30 + name_len + extra + comp;
	}
	return types ? kind : NULL;
}

static const char *
extension(const char *filename)
{
	const char *dot = filename ? strrchr(filename, '.') : NULL;
	return dot ? dot + 1 : "";
}

const char *
plan_evidence_type(const void *data, size_t len, const char *filename)
{
	const char *ext = extension(filename), *kind = NULL;

	if (has_prefix(data, len, "%PDF-", 5))
		kind = "pdf";
	else if (has_prefix(data, len, "\xFF\xD8\xFF", 3))
		kind = "jpg";
	else if (has_prefix(data, len, "\x89PNG\r\n\x1a\n", 8))
		kind = "png";
	else if (has_prefix(data, len, "PK\x03\x04", 4))
		kind = ooxml_kind(data, len);
	if (!kind)
		return NULL;
	if (!strcasecmp(kind, ext) || (!strcmp(kind, "jpg") && !strcasecmp(ext, "jpeg")))
		;
	else
		return NULL;
	if (!strcmp(kind, "pdf"))
		return "application/pdf";
	if (!strcmp(kind, "jpg"))
		return "image/jpeg";
	if (!strcmp(kind, "png"))
		return "image/png";
	if (!strcmp(kind, "xlsx"))
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
}

int
plans_evidence_put(struct db_conn *c, const struct plan_report *r,
    const char *filename, const char *mime, const void *data, size_t len,
    int64_t user_id, int64_t *id)
{
	char digest[CRYPTO_DIGEST_HEX];
	char *text = NULL;
	size_t off = 0;
	int64_t seq = 0;
	int rc;

	crypto_sha256_hex(data, len, digest);
	if ((rc = db_prep(c, PLAN_EVIDENCE_INSERT)))
		return rc;
	db_bind_int(c, 1, r->id);
	db_bind_int(c, 2, r->plan_id);
	db_bind_int(c, 3, r->node_id);
	db_bind_text(c, 4, filename);
	db_bind_text(c, 5, mime);
	db_bind_int(c, 6, (int64_t)len);
	db_bind_text(c, 7, digest);
	if (user_id)
		db_bind_int(c, 8, user_id);
	else
		db_bind_null(c, 8);
	db_bind_int(c, 9, clock_now());
	rc = db_one(c);
	if (!rc)
		*id = db_col_int(c, 0);
	db_done(c);
	if (rc)
		return rc;
	text = malloc(CHUNK_BYTES / 3 * 4 + 1);
	if (!text)
		return ERR_NOMEM;
	while (off < len && !rc) {
		size_t n = len - off > CHUNK_BYTES ? CHUNK_BYTES : len - off;

		b64url_encode((const unsigned char *)data + off, n, text);
		if ((rc = db_prep(c, PLAN_EVIDENCE_CHUNK_INSERT)))
			break;
		db_bind_int(c, 1, *id);
		db_bind_int(c, 2, seq++);
		db_bind_text(c, 3, text);
		rc = db_run(c);
		off += n;
	}
	free(text);
	return rc;
}

static void
evidence_read_row(struct db_conn *c, struct plan_evidence *e)
{
	const char *s;

	memset(e, 0, sizeof(*e));
	e->id = db_col_int(c, 0);
	e->report_id = db_col_int(c, 1);
	e->plan_id = db_col_int(c, 2);
	e->node_id = db_col_int(c, 3);
	s = db_col_text(c, 4);
	str_copy(e->filename, sizeof(e->filename), s ? s : "");
	s = db_col_text(c, 5);
	str_copy(e->mime, sizeof(e->mime), s ? s : "");
	e->size = db_col_int(c, 6);
	s = db_col_text(c, 7);
	str_copy(e->sha256, sizeof(e->sha256), s ? s : "");
	e->created = db_col_int(c, 8);
}

int
plans_evidence_get(struct db_conn *c, int64_t plan_id, int64_t id,
    struct plan_evidence *e)
{
	int rc = db_prep(c, PLAN_EVIDENCE_GET);

	if (rc)
		return rc;
	db_bind_int(c, 1, id);
	db_bind_int(c, 2, plan_id);
	rc = db_one(c);
	if (!rc)
		evidence_read_row(c, e);
	db_done(c);
	return rc;
}

int
plans_evidence_data(struct db_conn *c, int64_t id, struct buf *out)
{
	unsigned char *raw = malloc(CHUNK_BYTES + 4);
	int rc;

	if (!raw)
		return ERR_NOMEM;
	rc = db_prep(c, PLAN_EVIDENCE_CHUNKS);
	if (rc)
		goto out;
	db_bind_int(c, 1, id);
	while ((rc = db_step(c)) == DB_ROW) {
		const char *s = db_col_text(c, 0);
		long n = s ? b64url_decode(s, strlen(s), raw, CHUNK_BYTES + 4) : -1;

		if (n < 0) {
			rc = ERR_INTERNAL;
			break;
		}
		if ((rc = buf_append(out, raw, (size_t)n)))
			break;
	}
	db_done(c);
out:
	free(raw);
	return rc < 0 ? rc : 0;
}

int
plans_evidence_of_plan(struct db_conn *c, int64_t plan_id,
    struct plan_evidence **out, size_t *n)
{
	struct plan_evidence *e = NULL;
	size_t cap = 0;
	int rc = db_prep(c, PLAN_EVIDENCE_OF_PLAN);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	db_bind_int(c, 1, plan_id);
	while ((rc = db_step(c)) == DB_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct plan_evidence *bigger;

			if (nc > 65536) {
				rc = ERR_TOOBIG;
				break;
			}
			bigger = realloc(e, nc * sizeof(*e));
			if (!bigger) {
				rc = ERR_NOMEM;
				break;
			}
			e = bigger;
			cap = nc;
		}
		evidence_read_row(c, &e[(*n)++]);
	}
	db_done(c);
	if (rc < 0) {
		free(e);
		*n = 0;
		return rc;
	}
	*out = e;
	return 0;
}

void
plans_evidence_json(struct jw *w, const struct plan_evidence *e)
{
	jw_obj_open(w);
	jw_kint(w, "id", e->id);
	jw_kint(w, "report_id", e->report_id);
	jw_kstr(w, "filename", e->filename);
	jw_kstr(w, "type", e->mime);
	jw_kint(w, "size", e->size);
	jw_kstr(w, "sha256", e->sha256);
	jw_ktime(w, "created", e->created);
	jw_obj_close(w);
}
