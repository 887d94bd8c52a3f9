/* libFuzzer: an uploaded roster file end to end. The input is opened with
 * csvin_open and every record read; each row also goes through
 * worker_col_lookup and worker_normalise with its cells taken by position.
 * Besides crashes, what must hold:
 *  - every field returned is NUL-free, trimmed, valid UTF-8 of at most
 *    CSV_MAX_FIELD_BYTES, whatever bytes the file had;
 *  - csvin_next returns (1 or ERR_INVALID) exactly csvin_records times,
 *    with increasing row numbers, and never an "internal" disagreement
 *    between our record splitter and libcsv;
 *  - csvin_seek_record(k) then csvin_next gives the row reading would;
 *  - a normalised record satisfies the rules it was checked against.
 * Links: src/workers/csvin.c src/workers/record.c src/base/buf.c
 * src/base/util.c src/base/valid.c, and -lcsv. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "base/valid.h"
#include "workers/csvin.h"
#include "workers/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEEN_MAX 256

struct seen {
	long number;
	int rc;
};

static void
check_field(const char *f)
{
	size_t n = strlen(f);

	if (n > CSV_MAX_FIELD_BYTES || !utf8_valid(f, n))
		abort();
	if (n && (f[0] == ' ' || f[0] == '\t' || f[n - 1] == ' ' ||
	    f[n - 1] == '\t' || f[n - 1] == '\n' || f[n - 1] == '\r'))
		abort();
}

static int
valid_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	return n < cap && utf8_valid(s, n);
}

static void
check_record(const struct worker_rec *w, const struct row_errors *e, int rc)
{
	int i;

	if (e->n < 0 || e->n > ROW_ERRORS_MAX || e->warnings < 0)
		abort();
	if ((rc == 0) != (e->n == 0) || (rc != 0 && rc != ERR_INVALID))
		abort();
	for (i = 0; i < e->n; i++)
		if (e->e[i].col < 0 || e->e[i].col >= WC__MAX ||
		    !e->e[i].reason_en || !*e->e[i].reason_en ||
		    !e->e[i].reason_zh || !*e->e[i].reason_zh)
			abort();
	if (rc)
		return;
	if (!w->name[0] || !valid_text(w->name, sizeof(w->name)) ||
	    utf8_chars(w->name, strlen(w->name)) > WORKER_NAME_MAX)
		abort();
	if (strlen(w->id_no) != 18 || strlen(w->birth_date) != 10 ||
	    strspn(w->id_no, "0123456789") < 17 ||
	    strncmp(w->birth_date, w->id_no + 6, 4))
		abort();
	if (strcmp(w->gender, "M") && strcmp(w->gender, "F"))
		abort();
	if (w->phone[0] && valid_mobile(w->phone))
		abort();
	if (w->skill_level < 0 || w->skill_level > 8 ||
	    (w->union_member != 0 && w->union_member != 1))
		abort();
	if (w->union_joined[0] && (!w->union_member ||
	    strlen(w->union_joined) != 10))
		abort();
	if (strcmp(w->status, "active") && strcmp(w->status, "left"))
		abort();
	if (!valid_text(w->org_name, sizeof(w->org_name)) ||
	    !valid_text(w->occupation, sizeof(w->occupation)) ||
	    !valid_text(w->org_code, sizeof(w->org_code)))
		abort();
	if (w->occupation_code[0] && strlen(w->occupation_code) != 10)
		abort();
	if (w->hired[0] && strcmp(w->hired, w->birth_date) <= 0)
		abort();
}

static void
one_row(const struct csv_row *row, int header)
{
	const char *cells[WC__MAX];
	struct worker_rec w;
	struct row_errors e;
	char mask[19];
	int i, rc;

	if (row->nfields < 1 || row->nfields > CSV_MAX_FIELDS ||
	    row->bad_field < -1 || row->bad_field >= row->nfields)
		abort();
	for (i = 0; i < CSV_MAX_FIELDS; i++) {
		if (!row->field[i])
			abort();
		check_field(row->field[i]);
		if (i >= row->nfields && row->field[i][0])
			abort();
	}
	if (row->bad_field >= 0 && row->field[row->bad_field][0])
		abort();
	for (i = 0; i < WC__MAX; i++)
		cells[i] = row->field[i];
	if (header) {
		for (i = 0; i < row->nfields; i++) {
			int col = worker_col_lookup(row->field[i]);

			if (col < -1 || col >= WC__MAX)
				abort();
		}
	}
	rc = worker_normalise(cells, "2026-01-01", &w, &e);
	check_record(&w, &e, rc);
	worker_mask_id(row->field[1], mask);
	if (strlen(mask) > 18)
		abort();
	worker_mask_phone(row->field[0], mask);
	if (strlen(mask) > 11)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen seen[SEEN_MAX];
	const char *en = NULL, *zh = NULL;
	struct csvin *r = NULL;
	struct csv_row row;
	long count = 0, last = 0, k;
	int rc, nseen = 0, i;

	rc = csvin_open((const char *)data, size, &r, &en, &zh);
	if (rc) {
		if (rc != ERR_INVALID || r || !en || !zh)
			abort();
		return 0;
	}
	if (csvin_records(r) < 1 || csvin_encoding(r) < CSV_UTF8 ||
	    csvin_encoding(r) > CSV_GB18030)
		abort();

	for (;;) {
		rc = csvin_next(r, &row);
		if (rc == 0)
			break;
		if (rc == 1) {
			one_row(&row, count == 0);
		} else if (rc == ERR_INVALID) {
			csvin_last_error(r, &en, &zh);
			if (!en || !zh || !strncmp(en, "internal", 8))
				abort();
			if (row.number == last)
				break;          /* it sticks: the end */
		} else {
			abort();
		}
		if (row.number <= last)
			abort();
		last = row.number;
		if (nseen < SEEN_MAX) {
			seen[nseen].number = row.number;
			seen[nseen].rc = rc;
			nseen++;
		}
		count++;
	}
	if (count != csvin_records(r))
		abort();

	/* Seeking agrees with reading: to a row read, and to a number
	 * between rows (blank lines, comma-only lines). */
	for (k = 1; nseen && k <= seen[nseen - 1].number && k <= 64; k++) {
		for (i = 0; i < nseen && seen[i].number < k; i++)
			;
		rc = csvin_seek_record(r, k);
		if (rc == ERR_INVALID) {
			/* only when a record before k cannot be split */
			if (i == 0 || seen[i - 1].rc != ERR_INVALID)
				abort();
			continue;
		}
		if (rc)
			abort();
		rc = csvin_next(r, &row);
		if (i == nseen || rc != seen[i].rc || row.number != seen[i].number)
			abort();
	}
	csvin_close(r);
	return 0;
}
