/* Text for a cell of a CSV file we write for Excel (errors.csv, the audit
 * export): quotes when needed, and neutralises formula injection: a cell
 * starting with = + - @ TAB or CR gets a leading apostrophe. Appends to
 * out, then ',' or, when last_in_row, CR LF. On failure (ERR_TOOBIG) out
 * is left as it was. */
#ifndef CHANGAI_CSV_H
#define CHANGAI_CSV_H

struct buf;
int csv_put_cell(struct buf *out, const char *cell, int last_in_row);

#endif
