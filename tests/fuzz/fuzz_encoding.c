/* libFuzzer: charset detection and the CSV writer. The input is opened
 * with csvin_open (BOM / UTF-8 / GB18030 detection, iconv per field); each
 * field read is written back with csv_put_cell, and the input itself is
 * written as one raw cell. What must hold:
 *  - csv_put_cell's output is valid UTF-8 whenever its cell was;
 *  - a written cell never starts a formula (= + - @ TAB CR) outside quotes;
 *  - a row written with csv_put_cell reads back as the same fields, less
 *    the apostrophe put before a formula;
 *  - detection is stable: a UTF-8 file stays UTF-8 with a BOM added.
 * Links: src/workers/csvin.c src/base/buf.c src/base/util.c, and -lcsv. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "workers/csvin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* out[0..n) is one cell as written, with its ',' or CR LF. Its first
 * byte, after an opening quote, is never one Excel starts a formula with. */
static void
check_cell(const char *out, size_t n, const char *cell, int last)
{
	size_t i = 0, sep = last ? 2 : 1;

	if (n < sep || (last ? memcmp(out + n - 2, "\r\n", 2) :
	    out[n - 1] != ','))
		abort();
	n -= sep;
	if (n && out[0] == '"')
		i = 1;
	if (i < n && out[i] && strchr("=+-@\t\r", out[i]))
		abort();
	if (cell && utf8_valid(cell, strlen(cell)) && !utf8_valid(out, n))
		abort();
}

static void
round_trip(const struct csv_row *row)
{
	const char *en, *zh;
	struct csvin *r = NULL;
	struct csv_row back;
	struct buf b;
	int i, any = 0;

	buf_init(&b, 1 << 20);
	for (i = 0; i < row->nfields; i++) {
		size_t before = b.len;

		if (csv_put_cell(&b, row->field[i], i == row->nfields - 1))
			abort();
		check_cell(b.data + before, b.len - before, row->field[i],
		    i == row->nfields - 1);
		any |= row->field[i][0] != '\0';
		/* the apostrophe makes a cell at the limit one byte too long */
		if (strlen(row->field[i]) >= CSV_MAX_FIELD_BYTES &&
		    strchr("=+-@", row->field[i][0]))
			goto out;
	}
	if (!any)
		goto out;   /* a row of empty cells is not a record */
	if (csvin_open(b.data, b.len, &r, &en, &zh))
		goto out;   /* e.g. a cell that starts like PK\3\4 or %PDF- */
	if (csvin_encoding(r) != CSV_UTF8 || csvin_records(r) != 1 ||
	    csvin_next(r, &back) != 1 || back.nfields != row->nfields ||
	    back.bad_field != -1)
		abort();
	for (i = 0; i < row->nfields; i++) {
		const char *f = row->field[i], *g = back.field[i];

		if (f[0] && strchr("=+-@", f[0])) {
			if (g[0] != '\'')
				abort();
			g++;
		}
		if (strcmp(f, g))
			abort();
	}
	if (csvin_next(r, &back) != 0)
		abort();
out:
	csvin_close(r);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *en, *zh;
	struct csvin *r = NULL;
	struct csv_row row;
	struct buf b;
	char *cell;
	int rc, rows = 0;
	enum csv_encoding enc;

	/* the raw input as one cell, whatever its bytes */
	cell = malloc(size + 1);
	if (!cell)
		return 0;
	memcpy(cell, data, size);
	cell[size] = '\0';
	buf_init(&b, 4 * size + 16);
	if (csv_put_cell(&b, cell, 1))
		abort();
	check_cell(b.data, b.len, cell, 1);
	buf_free(&b);

	if (csvin_open((const char *)data, size, &r, &en, &zh))
		goto out;
	enc = csvin_encoding(r);
	while ((rc = csvin_next(r, &row)) != 0 && rows++ < 64) {
		if (rc == 1) {
			round_trip(&row);
			continue;
		}
		if (rc != ERR_INVALID)
			abort();
		csvin_last_error(r, &en, &zh);
		if (!en || !zh)
			abort();
		break;
	}
	csvin_close(r);
	r = NULL;

	/* A file read as UTF-8 without a BOM is still UTF-8 with one. */
	if (enc == CSV_UTF8 && size < (1 << 20)) {
		char *bom = malloc(size + 3);

		if (!bom)
			goto out;
		memcpy(bom, "\xef\xbb\xbf", 3);
		memcpy(bom + 3, data, size);
		if (csvin_open(bom, size + 3, &r, &en, &zh) ||
		    csvin_encoding(r) != CSV_UTF8_BOM)
			abort();
		csvin_close(r);
		r = NULL;
		free(bom);
	}
out:
	csvin_close(r);
	free(cell);
	return 0;
}
