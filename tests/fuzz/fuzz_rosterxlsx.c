/* An .xlsx roster as the import reads it: the first sheet written out as
 * CSV text (roster_xlsx_csv), then read back by the CSV reader. Whatever
 * the workbook holds, the text must read back without a parse error and
 * with no more records than the sheet had rows; the converter adds blank
 * lines only, so the last record's number is at most the last row's. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "workers/csvin.h"
#include "workers/import.h"
#include "xlsx/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why_en = NULL, *why_zh = NULL;
	struct xlsx_sheet *sheet = NULL;
	struct xlsx_err xe;
	struct csvin *csv = NULL;
	struct csv_row row;
	struct buf out;
	long rows = 0, last = 0, records = 0;
	int rc;

	if (xlsx_read(data, size, NULL, &sheet, &xe))
		return 0;
	rows = sheet->nrows;
	last = rows ? sheet->rows[rows - 1].number : 0;
	xlsx_free(sheet);
	buf_init(&out, (size_t)1 << 30);
	rc = roster_xlsx_csv(data, size, &out, &why_en, &why_zh);
	if (rc || !out.len || csvin_open(out.data, out.len, &csv, &why_en, &why_zh))
		goto out;
	/* the import stops at the first record it cannot parse: so here */
	while ((rc = csvin_next(csv, &row)) == 1) {
		if (row.number > last || ++records > rows) {
			fprintf(stderr, "record %ld (%ld of them) past the sheet's "
			    "%ld rows, the last %ld\n", row.number, records, rows, last);
			abort();
		}
	}
	csvin_close(csv);
out:
	buf_free(&out);
	return 0;
}
