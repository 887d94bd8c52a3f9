/* A roster upload as CSV or as .xlsx. An .xlsx is read whole (the reader
 * needs the zip's directory at its end) and its first sheet written out as
 * CSV text with one line per sheet row, blank lines for rows Excel left
 * empty, so the CSV reader, the import rules and every row number are the
 * same for both: row 7 of the workbook is row 7 of every error. Dates typed
 * as dates (number cells) in the date columns become YYYY-MM-DD. */
#include "workers/import.h"

#include <sodium.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "jobs/jobs.h"
#include "workers/record.h"
#include "xlsx/xlsx.h"

/* An .xlsx roster is read in memory: a sheet is at most XLSX_MAX_ROWS
 * rows, which a workbook holds in far fewer bytes than this. */
#define ROSTER_XLSX_MAX ((size_t)64 << 20)

static int
is_date_col(int col)
{
	return col == WC_BIRTH_DATE || col == WC_UNION_JOINED || col == WC_HIRED;
}

static int
put_field(struct buf *out, const char *s)
{
	int rc = buf_putc(out, '"');

	for (; !rc && *s; s++)
		rc = *s == '"' ? buf_puts(out, "\"\"") : buf_putc(out, *s);
	return rc ? rc : buf_putc(out, '"');
}

int
roster_xlsx_csv(const void *data, size_t len, struct buf *out,
    const char **why_en, const char **why_zh)
{
	struct xlsx_sheet *sheet = NULL;
	struct xlsx_err xe = {NULL, NULL};
	int kind[XLSX_MAX_COLS];
	long line = 1;
	int rc = xlsx_read(data, len, NULL, &sheet, &xe);

	if (rc) {
		*why_en = xe.en ? xe.en : "the .xlsx file cannot be read";
		*why_zh = xe.zh ? xe.zh : "无法读取该 .xlsx 文件";
		return rc == ERR_NOMEM ? rc : ERR_INVALID;
	}
	for (int i = 0; i < XLSX_MAX_COLS; i++)
		kind[i] = -1;
	for (long i = 0; i < sheet->nrows && !rc; i++) {
		const struct xlsx_row *row = &sheet->rows[i];
		int col = 0;

		for (; line < row->number && !rc; line++)
			rc = buf_putc(out, '\n');
		for (int k = 0; k < row->ncells && !rc; k++) {
			const struct xlsx_cell *cell = &row->cells[k];
			char day[11];
			const char *text = cell->text;

			if (cell->col >= XLSX_MAX_COLS)
				break;
			if (i == 0)
				kind[cell->col] = worker_col_lookup(cell->text);
			else if (cell->type == XT_NUMBER && kind[cell->col] >= 0 &&
			    is_date_col(kind[cell->col]) &&
			    !xlsx_serial_date(cell->text, sheet->date1904, day))
				text = day;
			for (; col < cell->col && !rc; col++)
				rc = buf_putc(out, ',');
			if (!rc)
				rc = put_field(out, text);
		}
		if (!rc)
			rc = buf_putc(out, '\n');
		line++;
	}
	xlsx_free(sheet);
	if (rc) {
		*why_en = "the .xlsx file is too large; save it as CSV";
		*why_zh = "该 .xlsx 文件过大，请另存为 CSV 后导入";
		return rc == ERR_NOMEM ? rc : ERR_INVALID;
	}
	return 0;
}

int
roster_open(struct upload_reader *u, struct buf *hold, struct csvin **out,
    const char **why_en, const char **why_zh)
{
	struct csv_source src = {u, upload_read, upload_rewind, 0};
	struct buf file;
	char head[4];
	size_t got = 0;
	int rc = upload_read(u, head, sizeof(head), &got);

	if (rc || (rc = upload_rewind(u)))
		return rc;
	if (!xlsx_sniff(head, got))
		return csvin_open_stream(&src, out, why_en, why_zh);
	buf_init(&file, ROSTER_XLSX_MAX);
	do {
		if ((rc = buf_reserve(&file, (size_t)1 << 20))) {
			*why_en = "an .xlsx roster is at most 64 MiB; save larger ones as CSV";
			*why_zh = "Excel 花名册不能超过 64 MiB，更大的请另存为 CSV 后导入";
			rc = ERR_INVALID;
			break;
		}
		rc = upload_read(u, file.data + file.len, (size_t)1 << 20, &got);
		file.len += got;
	} while (!rc && got);
	if (!rc)
		rc = roster_xlsx_csv(file.data, file.len, hold, why_en, why_zh);
	if (file.data)
		sodium_memzero(file.data, file.len);
	buf_free(&file);
	if (rc)
		return rc;
	return csvin_open(hold->data ? hold->data : "", hold->len, out, why_en, why_zh);
}
