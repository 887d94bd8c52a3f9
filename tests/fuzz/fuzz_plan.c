/* Plan templates and evidence files: the input is split into cells on
 * '\x1f' and rows on '\n'; the first row is a header. Checks that header
 * mapping, row checking and date reading never crash and that what they
 * accept is well formed; and feeds the raw bytes to the evidence type
 * detector under a few file names. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "plans/plans.h"
#include "plans/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
split(char *line, const char **cells, int max)
{
	int n = 0;
	char *p = line;

	while (n < max) {
		char *sep = strchr(p, '\x1f');
		cells[n++] = p;
		if (!sep)
			break;
		*sep = '\0';
		p = sep + 1;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"a.pdf", "b.png", "c.xlsx", "d.docx",
	    "e.jpg", "f.exe", ""};
	char *text, *line, *next;
	const char *cells[PIC__MAX + 4];
	int colmap[PIC__MAX], header = 1;
	long row = 1;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		(void)plan_evidence_type(data, size, names[i]);
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = text; line; line = next) {
		const char *missing = NULL, *v[PIC__MAX];
		struct plan_import_row out;
		struct why e;
		char date[11];
		int n;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		n = split(line, cells, PIC__MAX + 4);
		if (header) {
			if (plan_import_header(cells, n, colmap, &missing))
				break;
			header = 0;
			continue;
		}
		row++;
		for (int c = 0; c < PIC__MAX; c++)
			v[c] = colmap[c] >= 0 && colmap[c] < n ? cells[colmap[c]] : "";
		if (plan_import_fields(v, row, &out, &e) == 0) {
			/* what is accepted is well formed */
			if (out.deadline[0] && date_valid(out.deadline))
				abort();
			if (out.nowners < 1 || out.nowners > PLAN_MAX_OWNERS)
				abort();
			if (!utf8_valid(out.title, strlen(out.title)))
				abort();
		}
		if (plan_import_date(line, date) == 0 && date_valid(date))
			abort();
	}
	free(text);
	return 0;
}
