/* Reading .xlsx files as officials send them: the first worksheet as rows
 * of text cells, nothing else (formulas are their cached values). Of the
 * styles one fact is kept: whether a number cell is formatted as a
 * percentage, since Excel stores a typed "30%" as 0.3 and only the style
 * says it was 30%. The input is hostile until proven otherwise: every
 * part read (the styles too) is capped in uncompressed bytes, as are the
 * whole file, rows, columns, cells, shared strings and cell and number
 * formats; encrypted or oddly packed parts and XML with a DOCTYPE are
 * refused. Knows nothing of what the rows mean. */
#ifndef CHANGAI_XLSX_H
#define CHANGAI_XLSX_H

#include <stddef.h>

/* Defaults; a caller may pass tighter ones (xlsx_limits_default first). */
#define XLSX_MAX_ENTRY (32u << 20)      /* uncompressed bytes of one part */
#define XLSX_MAX_TOTAL (64u << 20)      /* uncompressed bytes of all parts read */
#define XLSX_MAX_ROWS 100000
#define XLSX_MAX_COLS 256
#define XLSX_MAX_CELLS 1000000
#define XLSX_MAX_STRINGS 500000         /* shared strings */
#define XLSX_MAX_CELL_BYTES (128u << 10) /* Excel's 32,767 characters in UTF-8 */
#define XLSX_MAX_XFS 65536              /* cell formats (Excel allows 64,000) */
#define XLSX_MAX_NUMFMTS 1024           /* custom number formats (Excel: about 250) */

struct xlsx_limits {
	size_t max_entry, max_total;
	long max_rows, max_cells, max_strings, max_xfs;
	int max_cols;
};
void xlsx_limits_default(struct xlsx_limits *l);

enum xlsx_type { XT_STRING, XT_NUMBER, XT_BOOL, XT_ERROR };

struct xlsx_cell {
	int col;                /* 0 = A */
	enum xlsx_type type;
	const char *text;       /* numbers as written ("12", "0.5"); booleans "TRUE"/"FALSE" */
	int percent;            /* XT_NUMBER shown as a percentage: text "0.3" shows 30% */
};
struct xlsx_row {
	long number;            /* as Excel shows it, 1 = the first row */
	int ncells;
	const struct xlsx_cell *cells;   /* ascending col; absent cells are not listed */
};

/* The first worksheet. Owned by the caller: xlsx_free. */
struct xlsx_sheet {
	long nrows;
	struct xlsx_row *rows;  /* ascending number; empty rows are not listed */
	int date1904;           /* the workbook counts dates from 1904 */
	char name[128];         /* the sheet's tab name, "" if unknown */
	struct xlsx_cell *cells_;
	char *text_;
};

/* Why a file was refused, in English and Chinese (static strings). */
struct xlsx_err {
	const char *en, *zh;
};

/* Reads the first worksheet of the .xlsx in data (not kept). 0 and *out,
 * or ERR_INVALID (not an .xlsx, malformed, encrypted, a DOCTYPE, no
 * worksheet), ERR_TOOBIG (over a limit) or ERR_NOMEM, with *e set. lim may
 * be NULL for the defaults. */
int xlsx_read(const void *data, size_t len, const struct xlsx_limits *lim,
    struct xlsx_sheet **out, struct xlsx_err *e);
void xlsx_free(struct xlsx_sheet *s);

/* The cell at col of r, or NULL when absent. */
const struct xlsx_cell *xlsx_cell(const struct xlsx_row *r, int col);
/* "A" for 0, "AB" for 27: out holds at least 4 bytes. */
void xlsx_col_name(int col, char out[4]);
/* An Excel date serial (days since 1899-12-30, or 1904-01-01) as
 * YYYY-MM-DD; ERR_INVALID outside years 1900-9999. */
int xlsx_serial_date(const char *number, int date1904, char out[11]);
/* 1 when data starts as a zip archive does. */
int xlsx_sniff(const void *data, size_t len);

#endif
