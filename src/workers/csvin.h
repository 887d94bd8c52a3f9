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
 * reader). Refuses what is not CSV text: an .xlsx/.xls/zip/PDF/UTF-16
 * signature, NUL bytes in the first 64 KiB, an empty file or one with no
 * rows. On refusal returns ERR_INVALID with *why_en / *why_zh set (static
 * text; also set, to "out of memory", with ERR_NOMEM). A NUL byte later in
 * the file only makes its field bad (bad_field). The caller frees the
 * reader with csvin_close. */
int csvin_open(const char *data, size_t len, struct csvin **out,
    const char **why_en, const char **why_zh);

/* A file read in pieces (an upload kept in the store), so a reader holds a
 * window of a few MiB, never the file. read() fills dst with up to max
 * bytes and sets *got (0 at the end); rewind() starts over. Both return 0
 * or a negative error code, which the reader then returns. */
struct csv_source {
	void *ctx;
	int (*read)(void *ctx, char *dst, size_t max, size_t *got);
	int (*rewind)(void *ctx);
	size_t window;     /* 0: 4 MiB. Tests pass small windows; a record
	                    * may then be at most (window - 1) / 2 bytes */
};
/* As csvin_open, over a stream: the source is read once at open (to count
 * the records and tell the encoding) and again as records are read;
 * seeking back rewinds it. The source must outlive the reader. */
int csvin_open_stream(const struct csv_source *src, struct csvin **out,
    const char **why_en, const char **why_zh);
void csvin_close(struct csvin *r);
enum csv_encoding csvin_encoding(const struct csvin *r);
/* Total number of records (including the header), counted once at open so
 * progress can say done/total: exactly the number of times csvin_next will
 * return 1 (or ERR_INVALID) before it returns 0. Blank lines and lines of
 * only commas and blanks (Excel writes those below a formatted area) are
 * not records. */
long csvin_records(const struct csvin *r);

/* Returns 1 with the next record in row (valid until the next call), 0 at
 * the end, or ERR_INVALID for a malformed file (unterminated quote, a
 * record over 1 MiB, a field over CSV_MAX_FIELD_BYTES after trimming, more
 * than CSV_MAX_FIELDS non-empty fields) with the record number in
 * row->number and the reason from csvin_last_error. After a field or
 * column-count error the next call goes on with the following record;
 * after an unterminated quote or an over-long record every later call
 * returns ERR_INVALID again. A stream whose source fails returns the
 * source's error code from then on. row->number is the row number Excel shows for
 * the record (blank lines count, a quoted line break does not). Empty
 * lines are skipped. field[nfields..CSV_MAX_FIELDS-1] point to "". */
int csvin_next(struct csvin *r, struct csv_row *row);

/* Why the last csvin_next or csvin_seek_record returned ERR_INVALID
 * (static English and Chinese text; NULL before any error). */
void csvin_last_error(const struct csvin *r, const char **why_en,
    const char **why_zh);

/* Skips records until the next one returned is the first with a number
 * >= `number` (resuming an interrupted import); a number at or before the
 * current position starts over from the top. 0, or ERR_INVALID when a
 * record before it cannot be split. */
int csvin_seek_record(struct csvin *r, long number);

/* csv_put_cell, for the files we write */
#include "base/csv.h"

#endif
