/* Writing CSV for Excel: one cell at a time, quoted when needed and safe
 * from formula injection. */
#include "base/csv.h"

#include <string.h>

#include "base/buf.h"
#include "base/err.h"

int
csv_put_cell(struct buf *out, const char *cell, int last_in_row)
{
	const char *s = cell ? cell : "", *q;
	size_t n = strlen(s), start = out->len;
	int quote, rc;

	/* Quote when the reader would otherwise split the cell or trim it
	 * (ours trims; Excel keeps blanks only inside quotes). */
	quote = n && (strpbrk(s, ",\"\r\n") || s[0] == ' ' || s[n - 1] == ' ' ||
	    s[0] == '\t' || s[n - 1] == '\t');
	if (quote && (rc = buf_putc(out, '"')))
		goto fail;
	/* A cell Excel would run as a formula (=cmd|' /C calc'!A0, +1, -1,
	 * @SUM(..), or one hidden behind a tab or CR) gets an apostrophe:
	 * Excel then shows the text itself (OWASP CSV injection). */
	if (n && strchr("=+-@\t\r", s[0]) && (rc = buf_putc(out, '\'')))
		goto fail;
	/* Runs up to each quote go in one piece; the quote is doubled. */
	while ((q = strchr(s, '"')) != NULL) {
		if ((rc = buf_append(out, s, (size_t)(q - s) + 1)) ||
		    (rc = buf_putc(out, '"')))
			goto fail;
		s = q + 1;
	}
	if ((rc = buf_puts(out, s)))
		goto fail;
	if (quote && (rc = buf_putc(out, '"')))
		goto fail;
	if ((rc = last_in_row ? buf_puts(out, "\r\n") : buf_putc(out, ',')))
		goto fail;
	return 0;
fail:
	/* Leave the buffer as it was: half a cell would shift every column
	 * after it. */
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	return rc;
}
