/* Reading CSV files as Excel and WPS save them: UTF-8 with or without a
 * BOM, or GBK/GB18030 (detected; converted with iconv). Parsing works on
 * bytes with libcsv — GBK trail bytes never collide with ',' '"' CR LF —
 * and each field is converted afterwards, so a bad byte is reported with its
 * row and column instead of garbling the rest of the file. */
#ifndef CHANGAI_CSVIN_H
#define CHANGAI_CSVIN_H

#include <stddef.h>

enum csv_encoding { CSV_UTF8 = 1, CSV_UTF8_BOM, CSV_GB18030 };

#define CSV_MAX_FIELDS 64
#define CSV_MAX_FIELD_BYTES 4096

struct csvin;                      /* opaque */

struct csv_row {
	long number;                   /* record number in the file, header = 1 */
	int nfields;
	const char *field[CSV_MAX_FIELDS];   /* UTF-8, NUL-terminated, trimmed */
	int bad_field;                 /* index of a field that failed to convert, or -1 */
};

/* Opens a reader over data[0..len) (not copied: data must outlive the
 * reader). Refuses what is not CSV text: an .xlsx/.xls/zip/PDF signature,
 * NUL bytes in the first 64 KiB, an empty file. On refusal returns
 * ERR_INVALID with *why_en / *why_zh set (static text). The caller frees
 * the reader with csvin_close. */
int csvin_open(const char *data, size_t len, struct csvin **out,
    const char **why_en, const char **why_zh);
void csvin_close(struct csvin *r);
enum csv_encoding csvin_encoding(const struct csvin *r);
/* Total number of records (including the header), counted once at open so
 * progress can say done/total. */
long csvin_records(const struct csvin *r);

/* Returns 1 with the next record in row (valid until the next call), 0 at
 * the end, or ERR_INVALID for a malformed file (unterminated quote, a field
 * over CSV_MAX_FIELD_BYTES, more than CSV_MAX_FIELDS fields) with the
 * record number in row->number. Empty lines are skipped. */
int csvin_next(struct csvin *r, struct csv_row *row);

/* Skips records until the next one returned is record number `number`
 * (resuming an interrupted import). */
int csvin_seek_record(struct csvin *r, long number);

/* Text for a cell of a CSV file we write for Excel (errors.csv, exports):
 * quotes when needed, and neutralises formula injection: a cell starting
 * with = + - @ TAB or CR gets a leading apostrophe. Appends to out. */
struct buf;
int csv_put_cell(struct buf *out, const char *cell, int last_in_row);

#endif
