/* The .xlsx reader. The first byte picks what the rest is: 0, the whole
 * file (zip container and all); 1, the worksheet XML; 2, the shared
 * strings beside a sheet that uses them; 3, the workbook and 4 its
 * relationships (the sheet found through them); 5, the styles beside a
 * sheet whose cells use formats 0-3 and one past any list. Modes 1-5 are
 * packed into a valid zip here, so the XML handlers see the mutations
 * instead of the CRC check. What is accepted must be well formed: rows
 * ascending, cells ascending within the column limit, every cell found by
 * xlsx_cell, only number cells marked percent. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/err.h"
#include "base/util.h"
#include "xlsx/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sheet_using_strings[] =
	"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	"<c r=\"C1\" t=\"s\"><v>2</v></c></row></sheetData></worksheet>";
static const char workbook[] =
	"<workbook xmlns:r=\"r\"><sheets><sheet name=\"s\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] =
	"<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
	"Target=\"worksheets/sheet1.xml\"/></Relationships>";
static const char sheet_using_styles[] =
	"<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>0.3</v></c>"
	"<c r=\"B1\" s=\"1\"><v>0.3</v></c><c r=\"C1\" s=\"2\"><v>1E-3</v></c>"
	"<c r=\"D1\" s=\"3\" t=\"inlineStr\"><is><t>30%</t></is></c>"
	"<c r=\"E1\" s=\"3\" t=\"b\"><v>1</v></c><c r=\"F1\" s=\"2147483647\"><v>2</v></c>"
	"</row></sheetData></worksheet>";
static const char sheet[] =
	"<worksheet><sheetData><row r=\"2\"><c r=\"B2\"><v>1</v></c></row></sheetData></worksheet>";

/* A stored zip of the parts, in memory; the caller frees *out. */
static int
pack(const char *const *names, const void *const *parts, const size_t *lens, int n,
    char **out, size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	int rc = -1;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_error_fini(&ze);
	if (!src)
		return -1;
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
	if (!za) {
		zip_source_free(src);
		zip_source_free(src);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(za, parts[i], lens[i], 0);
		zip_int64_t idx = s ? zip_file_add(za, names[i], s, 0) : -1;

		if (idx < 0) {
			zip_source_free(s);
			zip_discard(za);
			zip_source_free(src);
			return -1;
		}
		zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	if (zip_close(za)) {
		zip_discard(za);
		zip_source_free(src);
		return -1;
	}
	zip_stat_init(&st);
	if (!zip_source_stat(src, &st) && (st.valid & ZIP_STAT_SIZE) &&
	    !zip_source_open(src)) {
		*out = malloc(st.size ? st.size : 1);
		if (*out && zip_source_read(src, *out, st.size) == (zip_int64_t)st.size) {
			*outlen = st.size;
			rc = 0;
		} else {
			free(*out);
			*out = NULL;
		}
		zip_source_close(src);
	}
	zip_source_free(src);
	return rc;
}

static void
check(const struct xlsx_sheet *s, const struct xlsx_limits *lim)
{
	for (long i = 0; i < s->nrows; i++) {
		const struct xlsx_row *r = &s->rows[i];

		if (r->number < 1 || (i && r->number <= s->rows[i - 1].number) ||
		    r->ncells < 1)
			abort();
		for (int k = 0; k < r->ncells; k++) {
			const struct xlsx_cell *c = &r->cells[k];

			if (c->col < 0 || c->col >= lim->max_cols ||
			    (k && c->col <= r->cells[k - 1].col) || !c->text[0] ||
			    (c->percent && c->type != XT_NUMBER) ||
			    (c->percent != 0 && c->percent != 1) ||
			    xlsx_cell(r, c->col) != c ||
			    !utf8_valid(c->text, strlen(c->text)))
				abort();
			if (c->type == XT_NUMBER) {
				char d[11];
				(void)xlsx_serial_date(c->text, s->date1904, d);
			}
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sheet1 = "xl/worksheets/sheet1.xml";
	struct xlsx_limits lim;
	struct xlsx_sheet *s = NULL;
	struct xlsx_err e;
	const char *names[3];
	const void *parts[3];
	size_t lens[3], len = 0;
	char *zip = NULL;
	int n = 0, mode;

	if (size < 1)
		return 0;
	mode = data[0] % 6;
	data++;
	size--;
	xlsx_limits_default(&lim);
	lim.max_entry = lim.max_total = 1u << 20;
	lim.max_rows = 1000;
	lim.max_cells = 10000;
	lim.max_strings = 1000;
	lim.max_xfs = 1000;
	switch (mode) {
	case 0:
		if (!xlsx_read(data, size, &lim, &s, &e))
			check(s, &lim);
		xlsx_free(s);
		return 0;
	case 1:
		names[n] = sheet1, parts[n] = data, lens[n++] = size;
		break;
	case 2:
		names[n] = "xl/sharedStrings.xml", parts[n] = data, lens[n++] = size;
		names[n] = sheet1, parts[n] = sheet_using_strings,
		    lens[n++] = sizeof(sheet_using_strings) - 1;
		break;
	case 3:
	case 4:
		names[n] = "xl/workbook.xml";
		parts[n] = mode == 3 ? (const void *)data : workbook;
		lens[n++] = mode == 3 ? size : sizeof(workbook) - 1;
		names[n] = "xl/_rels/workbook.xml.rels";
		parts[n] = mode == 4 ? (const void *)data : rels;
		lens[n++] = mode == 4 ? size : sizeof(rels) - 1;
		names[n] = sheet1, parts[n] = sheet, lens[n++] = sizeof(sheet) - 1;
		break;
	case 5:
		names[n] = "xl/styles.xml", parts[n] = data, lens[n++] = size;
		names[n] = sheet1, parts[n] = sheet_using_styles,
		    lens[n++] = sizeof(sheet_using_styles) - 1;
		break;
	}
	if (pack(names, parts, lens, n, &zip, &len))
		return 0;
	if (!xlsx_read(zip, len, &lim, &s, &e))
		check(s, &lim);
	else if (!e.en || !e.zh)
		abort();        /* a refusal always says why */
	xlsx_free(s);
	free(zip);
	return 0;
}
