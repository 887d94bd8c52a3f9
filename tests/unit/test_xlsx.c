/* The .xlsx reader (xlsx/xlsx.h): workbooks written here by libxlsxwriter
 * (shared and inline strings, numbers, booleans, skipped cells and rows,
 * a named first sheet), packages put together by hand with libzip (a
 * relationship to an unusual sheet name, prefixed elements), and hostile
 * ones: not a zip, no worksheet, a part past the size cap, a DOCTYPE,
 * encryption, a truncated file, a cell far to the right. Percent cells:
 * formats written by libxlsxwriter as Excel does, styles parts by hand
 * (found through the relationships, xf lists that are not cellXfs, codes
 * where a % is text), no styles part at all, and hostile styles. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "base/err.h"
#include "base/util.h"
#include "xlsx/xlsx.h"

/* Reads a whole file; the caller frees. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	p = malloc((size_t)n);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void
tmp_path(char *out, size_t n)
{
	assert_int_equal(temp_file("changai-xlsx-test", out, n), 0);
}

/* A workbook like a plan template: two sheets, the first named, a title
 * row, a header, data rows with gaps. */
static char *
make_book(int constant_memory, int zip64, size_t *len)
{
	char path[256];
	lxw_workbook_options opt = {0};
	lxw_workbook *wb;
	lxw_worksheet *ws, *other;
	char *data;

	tmp_path(path, sizeof(path));
	opt.constant_memory = (uint8_t)constant_memory;
	opt.use_zip64 = (uint8_t)zip64;
	wb = workbook_new_opt(path, &opt);
	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, "方案");
	other = workbook_add_worksheet(wb, "说明");
	worksheet_write_string(ws, 0, 0, "江北区实施方案", NULL);
	worksheet_write_string(ws, 1, 0, "方面", NULL);
	worksheet_write_string(ws, 1, 2, "分项", NULL);       /* B2 skipped */
	worksheet_write_number(ws, 2, 0, 12, NULL);
	worksheet_write_number(ws, 2, 1, 0.25, NULL);
	worksheet_write_boolean(ws, 2, 2, 1, NULL);
	worksheet_write_string(ws, 2, 3, "甲、乙", NULL);
	worksheet_write_string(ws, 2, 4, "", NULL);           /* empty: absent */
	/* rows 4 and 5 are empty; 6 has one cell far right */
	worksheet_write_string(ws, 5, 30, "远处", NULL);
	worksheet_write_number(ws, 6, 0, 46203, NULL);
	worksheet_write_string(other, 0, 0, "不是第一张表", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	data = slurp(path, len);
	unlink(path);
	return data;
}

static void
check_book(const struct xlsx_sheet *s)
{
	const struct xlsx_cell *c;

	assert_string_equal(s->name, "方案");
	assert_int_equal(s->date1904, 0);
	assert_int_equal(s->nrows, 5);
	assert_int_equal(s->rows[0].number, 1);
	assert_string_equal(xlsx_cell(&s->rows[0], 0)->text, "江北区实施方案");
	assert_int_equal(s->rows[1].number, 2);
	assert_int_equal(s->rows[1].ncells, 2);
	assert_null(xlsx_cell(&s->rows[1], 1));
	assert_string_equal(xlsx_cell(&s->rows[1], 2)->text, "分项");
	c = xlsx_cell(&s->rows[2], 0);
	assert_int_equal(c->type, XT_NUMBER);
	assert_string_equal(c->text, "12");
	assert_string_equal(xlsx_cell(&s->rows[2], 1)->text, "0.25");
	c = xlsx_cell(&s->rows[2], 2);
	assert_int_equal(c->type, XT_BOOL);
	assert_string_equal(c->text, "TRUE");
	c = xlsx_cell(&s->rows[2], 3);
	assert_int_equal(c->type, XT_STRING);
	assert_string_equal(c->text, "甲、乙");
	assert_null(xlsx_cell(&s->rows[2], 4));
	assert_int_equal(s->rows[3].number, 6);
	assert_int_equal(s->rows[3].ncells, 1);
	assert_string_equal(xlsx_cell(&s->rows[3], 30)->text, "远处");
	assert_int_equal(s->rows[4].number, 7);
}

static void
t_good(void **state)
{
	/* shared strings, inline strings; zip64 records as our large exports */
	for (int v = 0; v < 4; v++) {
		struct xlsx_sheet *s = NULL;
		struct xlsx_err e;
		size_t len;
		char *data = make_book(v & 1, v >> 1, &len);

		assert_true(xlsx_sniff(data, len));
		if (xlsx_read(data, len, NULL, &s, &e))
			fprintf(stderr, "  variant %d refused: %s\n", v, e.en);
		assert_non_null(s);
		check_book(s);
		xlsx_free(s);
		free(data);
	}
	(void)state;
}

/* A zip of the given parts (name, content pairs), deflated. */
static char *
make_zip(const char *const *parts, int nparts, int encrypt, size_t *len)
{
	char path[256];
	zip_t *za;
	int err = 0;
	char *data;

	tmp_path(path, sizeof(path));
	za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(za);
	for (int i = 0; i < nparts; i++) {
		zip_source_t *src = zip_source_buffer(za, parts[2 * i + 1],
		    strlen(parts[2 * i + 1]), 0);
		zip_int64_t idx;

		assert_non_null(src);
		idx = zip_file_add(za, parts[2 * i], src, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		if (encrypt)
			assert_int_equal(zip_file_set_encryption(za, (zip_uint64_t)idx,
			    ZIP_EM_AES_256, "secret"), 0);
	}
	assert_int_equal(zip_close(za), 0);
	data = slurp(path, len);
	unlink(path);
	return data;
}

static int
read_parts(const char *const *parts, int n, const struct xlsx_limits *lim,
    struct xlsx_sheet **s, struct xlsx_err *e)
{
	size_t len;
	char *data = make_zip(parts, n, 0, &len);
	int rc = xlsx_read(data, len, lim, s, e);

	free(data);
	return rc;
}

#define SHEET_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"

static void
t_relationships(void **state)
{
	/* the workbook names its sheet "data/plan.xml"; prefixed elements;
	 * shared strings with rich runs and a phonetic guide; no r on cells */
	static const char *const parts[] = {
		"xl/workbook.xml",
		"<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<x:workbookPr date1904=\"1\"/><x:sheets><x:sheet name=\"清单\" sheetId=\"1\" "
		"r:id=\"rId7\"/></x:sheets></x:workbook>",
		"xl/_rels/workbook.xml.rels",
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"strs.xml\"/>"
		"<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/data/plan.xml\"/>"
		"</Relationships>",
		"xl/strs.xml",
		"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<si><t>方面</t></si><si><r><t>技能</t></r><r><t xml:space=\"preserve\">提升 </t></r>"
		"<rPh><t>jineng</t></rPh></si></sst>",
		"xl/data/plan.xml",
		"<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<x:sheetData><x:row><x:c t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c>"
		"<x:c t=\"inlineStr\"><x:is><x:t>内联</x:t></x:is></x:c></x:row>"
		"<x:row><x:c t=\"str\"><x:f>A1</x:f><x:v>公式</x:v></x:c><x:c t=\"e\"><x:v>#N/A</x:v></x:c>"
		"</x:row></x:sheetData></x:worksheet>",
		/* a decoy the fallback would take */
		"xl/worksheets/sheet1.xml", SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
		"<is><t>错</t></is></c></row>" SHEET_TAIL,
	};
	struct xlsx_sheet *s = NULL;
	struct xlsx_err e;

	assert_int_equal(read_parts(parts, 5, NULL, &s, &e), 0);
	assert_string_equal(s->name, "清单");
	assert_int_equal(s->date1904, 1);
	assert_int_equal(s->nrows, 2);
	assert_string_equal(xlsx_cell(&s->rows[0], 0)->text, "方面");
	assert_string_equal(xlsx_cell(&s->rows[0], 1)->text, "技能提升 ");
	assert_string_equal(xlsx_cell(&s->rows[0], 2)->text, "内联");
	assert_int_equal(s->rows[1].number, 2);
	assert_string_equal(xlsx_cell(&s->rows[1], 0)->text, "公式");
	assert_int_equal(xlsx_cell(&s->rows[1], 1)->type, XT_ERROR);
	xlsx_free(s);
	(void)state;
}

static void
t_sheet_order(void **state)
{
	/* a chartsheet first, and relationships listed in another order: the
	 * first worksheet in the workbook's order is read */
	static const char *const parts[] = {
		"xl/workbook.xml",
		"<workbook xmlns:r=\"r\"><sheets><sheet name=\"图\" r:id=\"rId1\"/>"
		"<sheet name=\"第二\" r:id=\"rId2\"/><sheet name=\"第三\" r:id=\"rId3\"/>"
		"</sheets></workbook>",
		"xl/_rels/workbook.xml.rels",
		"<Relationships><Relationship Id=\"rId3\" Type=\"x/worksheet\" Target=\"worksheets/c.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"x/worksheet\" Target=\"../b.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"x/worksheet\" Target=\"worksheets/b.xml\"/>"
		"<Relationship Id=\"rId1\" Type=\"x/chartsheet\" Target=\"chartsheets/a.xml\"/>"
		"</Relationships>",
		"xl/worksheets/b.xml", SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>2</v></c></row>" SHEET_TAIL,
		"xl/worksheets/c.xml", SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>3</v></c></row>" SHEET_TAIL,
		"xl/chartsheets/a.xml", "<chartsheet/>",
	};
	struct xlsx_sheet *s = NULL;
	struct xlsx_err e;

	assert_int_equal(read_parts(parts, 5, NULL, &s, &e), 0);
	assert_string_equal(s->name, "第二");
	assert_string_equal(xlsx_cell(&s->rows[0], 0)->text, "2");
	xlsx_free(s);
	(void)state;
}

static void
t_fallback(void **state)
{
	static const char *const parts[] = {
		"xl/worksheets/sheet1.xml", SHEET_HEAD "<row r=\"3\"><c r=\"B3\"><v>7</v></c></row>"
		SHEET_TAIL,
	};
	struct xlsx_sheet *s = NULL;
	struct xlsx_err e;

	assert_int_equal(read_parts(parts, 1, NULL, &s, &e), 0);
	assert_int_equal(s->nrows, 1);
	assert_int_equal(s->rows[0].number, 3);
	assert_int_equal(s->rows[0].cells[0].col, 1);
	assert_string_equal(s->name, "");
	xlsx_free(s);
	(void)state;
}

static void
refused(const char *const *parts, int n, const struct xlsx_limits *lim, int want,
    const char *zh_part)
{
	struct xlsx_sheet *s = (struct xlsx_sheet *)1;
	struct xlsx_err e;

	assert_int_equal(read_parts(parts, n, lim, &s, &e), want);
	assert_null(s);
	assert_non_null(e.en);
	assert_non_null(e.zh);
	if (zh_part && !strstr(e.zh, zh_part)) {
		fprintf(stderr, "  message: %s\n", e.zh);
		fail();
	}
}

static void
t_no_sheet(void **state)
{
	static const char *const docx[] = {
		"word/document.xml", "<document/>",
		"[Content_Types].xml", "<Types/>",
	};
	struct xlsx_sheet *s = (struct xlsx_sheet *)1;
	struct xlsx_err e;

	refused(docx, 2, NULL, ERR_INVALID, "没有工作表");
	/* not a zip at all, and nothing */
	assert_int_equal(xlsx_read("方面,大项\n", 13, NULL, &s, &e), ERR_INVALID);
	assert_null(s);
	assert_non_null(strstr(e.zh, "不是 Excel"));
	assert_int_equal(xlsx_read("", 0, NULL, &s, &e), ERR_INVALID);
	assert_int_equal(xlsx_read("PK\x03\x04\x14\x00\x06\x00binary", 14, NULL, &s, &e),
	    ERR_INVALID);
	assert_non_null(strstr(e.zh, "损坏"));
	(void)state;
}

static void
t_oversized(void **state)
{
	struct xlsx_limits lim;
	size_t n = (2u << 20) + 100, off;
	char *xml = malloc(n + 200), *big = malloc(XLSX_MAX_ENTRY + 4096);
	const char *parts[2] = {"xl/worksheets/sheet1.xml", xml};

	assert_non_null(xml);
	assert_non_null(big);
	/* 2 MiB of blanks inside a valid sheet: deflates to a few KiB */
	off = (size_t)snprintf(xml, 200, "%s", SHEET_HEAD);
	memset(xml + off, ' ', n - off);
	snprintf(xml + n, 200, "%s", SHEET_TAIL);
	xlsx_limits_default(&lim);
	lim.max_entry = 1u << 20;
	refused(parts, 1, &lim, ERR_TOOBIG, "过大");
	/* the same within a total cap over two parts */
	lim.max_entry = 4u << 20;
	lim.max_total = 1u << 20;
	refused(parts, 1, &lim, ERR_TOOBIG, "过大");
	/* and past the default cap of one part */
	off = (size_t)snprintf(big, 200, "%s", SHEET_HEAD);
	memset(big + off, ' ', XLSX_MAX_ENTRY + 1 - off);
	snprintf(big + XLSX_MAX_ENTRY + 1, 200, "%s", SHEET_TAIL);
	parts[1] = big;
	refused(parts, 1, NULL, ERR_TOOBIG, "过大");
	free(big);
	free(xml);
	(void)state;
}

static void
t_limits(void **state)
{
	static const char *const wide[] = {"xl/worksheets/sheet1.xml",
	    SHEET_HEAD "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row>" SHEET_TAIL};
	static const char *const rows[] = {"xl/worksheets/sheet1.xml",
	    SHEET_HEAD "<row><c><v>1</v></c></row><row><c><v>2</v></c></row>"
	    "<row><c><v>3</v></c></row>" SHEET_TAIL};
	static const char *const strings[] = {
		"xl/sharedStrings.xml", "<sst><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>",
		"xl/worksheets/sheet1.xml", SHEET_HEAD SHEET_TAIL};
	struct xlsx_limits lim;

	refused(wide, 1, NULL, ERR_TOOBIG, "列数");
	xlsx_limits_default(&lim);
	lim.max_rows = 2;
	refused(rows, 1, &lim, ERR_TOOBIG, "行数");
	xlsx_limits_default(&lim);
	lim.max_cells = 2;
	refused(rows, 1, &lim, ERR_TOOBIG, "单元格");
	xlsx_limits_default(&lim);
	lim.max_strings = 2;
	refused(strings, 2, &lim, ERR_TOOBIG, "过大");
	(void)state;
}

static void
t_malformed(void **state)
{
	static const char *const cases[] = {
		/* a DOCTYPE, with and without entities */
		"<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY a \"aaaa\">]>"
		"<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&a;</t></is></c></row>"
		"</sheetData></worksheet>",
		"<!DOCTYPE worksheet SYSTEM \"file:///etc/passwd\"><worksheet/>",
		/* rows backwards, cells backwards, a cell outside a row */
		SHEET_HEAD "<row r=\"2\"/><row r=\"1\"/>" SHEET_TAIL,
		SHEET_HEAD "<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>1</v></c></row>" SHEET_TAIL,
		SHEET_HEAD "<c r=\"A1\"><v>1</v></c>" SHEET_TAIL,
		/* a reference into another row, a bad reference, a bad number */
		SHEET_HEAD "<row r=\"1\"><c r=\"A2\"><v>1</v></c></row>" SHEET_TAIL,
		SHEET_HEAD "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>" SHEET_TAIL,
		SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>twelve</v></c></row>" SHEET_TAIL,
		/* a shared string that does not exist, an odd boolean, an odd type */
		SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>" SHEET_TAIL,
		SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"b\"><v>2</v></c></row>" SHEET_TAIL,
		SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"q\"><v>2</v></c></row>" SHEET_TAIL,
		/* not XML, and cut short */
		"this is not xml",
		SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</v>",
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *parts[2] = {"xl/worksheets/sheet1.xml", cases[i]};
		fprintf(stderr, "  case %zu\n", i);
		refused(parts, 1, NULL, ERR_INVALID, i < 2 ? "DOCTYPE" : NULL);
	}
	(void)state;
}

static void
t_encrypted(void **state)
{
	static const char *const parts[] = {"xl/worksheets/sheet1.xml",
	    SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" SHEET_TAIL};
	struct xlsx_sheet *s = (struct xlsx_sheet *)1;
	struct xlsx_err e;
	size_t len;
	char *data = make_zip(parts, 1, 1, &len);

	assert_int_equal(xlsx_read(data, len, NULL, &s, &e), ERR_INVALID);
	assert_null(s);
	assert_non_null(strstr(e.zh, "加密"));
	free(data);
	(void)state;
}

static void
t_truncated(void **state)
{
	size_t len;
	char *data = make_book(0, 0, &len);

	/* every cut short of the whole: refused, never a crash or a sheet */
	for (size_t cut = 0; cut < len; cut += cut < 64 ? 1 : 97) {
		struct xlsx_sheet *s = (struct xlsx_sheet *)1;
		struct xlsx_err e;
		char *part = malloc(cut + 1);

		assert_non_null(part);
		memcpy(part, data, cut);
		assert_true(xlsx_read(part, cut, NULL, &s, &e) < 0);
		assert_null(s);
		assert_non_null(e.en);
		free(part);
	}
	/* a byte flipped in the compressed sheet: the CRC or inflate fails */
	{
		struct xlsx_sheet *s = NULL;
		struct xlsx_err e;
		int bad = 0;

		for (size_t at = 100; at < len; at += 211) {
			int rc;

			data[at] ^= 0x5a;
			rc = xlsx_read(data, len, NULL, &s, &e);
			data[at] ^= 0x5a;
			if (rc)
				bad++;
			else
				xlsx_free(s);
			s = NULL;
		}
		assert_true(bad > 0);
	}
	free(data);
	(void)state;
}

/* The cell at row, col (0-based), which must exist. */
static const struct xlsx_cell *
at(const struct xlsx_sheet *s, long row, int col)
{
	const struct xlsx_cell *c = NULL;

	for (long i = 0; i < s->nrows; i++)
		if (s->rows[i].number == row + 1)
			c = xlsx_cell(&s->rows[i], col);
	assert_non_null(c);
	return c;
}

static void
t_percent_written(void **state)
{
	char path[256];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *pct, *pct1, *lit, *esc, *red, *date, *text;
	struct xlsx_sheet *s = NULL;
	struct xlsx_err e;
	size_t len;
	char *data;

	tmp_path(path, sizeof(path));
	wb = workbook_new(path);
	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, "占比");
	pct = workbook_add_format(wb);
	format_set_num_format(pct, "0%");          /* built-in 9 */
	pct1 = workbook_add_format(wb);
	format_set_num_format(pct1, "0.0%");       /* custom */
	lit = workbook_add_format(wb);
	format_set_num_format(lit, "0.00\"%\"");   /* % as text: 0.5 shows 0.50% */
	esc = workbook_add_format(wb);
	format_set_num_format(esc, "0\\%");        /* escaped: also text */
	red = workbook_add_format(wb);
	format_set_num_format(red, "[Red]0.00\"pts\"%;-0%");
	date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	text = workbook_add_format(wb);
	format_set_num_format(text, "@");
	worksheet_write_number(ws, 0, 0, 0.3, pct);
	worksheet_write_number(ws, 0, 1, 0.125, pct1);
	worksheet_write_number(ws, 0, 2, 0.5, lit);
	worksheet_write_number(ws, 0, 3, 0.3, NULL);
	worksheet_write_number(ws, 0, 4, 0.3, esc);
	worksheet_write_number(ws, 0, 5, 0.25, red);
	worksheet_write_number(ws, 0, 6, 46203, date);
	worksheet_write_string(ws, 0, 7, "30%", pct);     /* text, not a number */
	worksheet_write_boolean(ws, 0, 8, 1, pct);
	worksheet_write_number(ws, 0, 9, 12, text);
	worksheet_write_formula_num(ws, 0, 10, "=A1/2", pct, 0.15);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	data = slurp(path, &len);
	unlink(path);
	assert_int_equal(xlsx_read(data, len, NULL, &s, &e), 0);
	assert_int_equal(at(s, 0, 0)->type, XT_NUMBER);
	assert_string_equal(at(s, 0, 0)->text, "0.3");
	assert_true(at(s, 0, 0)->percent);
	assert_string_equal(at(s, 0, 1)->text, "0.125");
	assert_true(at(s, 0, 1)->percent);
	assert_false(at(s, 0, 2)->percent);
	assert_false(at(s, 0, 3)->percent);
	assert_false(at(s, 0, 4)->percent);
	assert_true(at(s, 0, 5)->percent);
	assert_false(at(s, 0, 6)->percent);
	assert_int_equal(at(s, 0, 7)->type, XT_STRING);
	assert_false(at(s, 0, 7)->percent);
	assert_int_equal(at(s, 0, 8)->type, XT_BOOL);
	assert_false(at(s, 0, 8)->percent);
	assert_false(at(s, 0, 9)->percent);
	assert_string_equal(at(s, 0, 10)->text, "0.15");
	assert_true(at(s, 0, 10)->percent);
	xlsx_free(s);
	free(data);
	(void)state;
}

#define STYLES_HEAD "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"

static void
t_percent_styles(void **state)
{
	/* the styles at an unusual path through the relationships; a
	 * cellStyleXfs list of percent xfs before cellXfs (cells do not
	 * index it); custom formats after the xfs that use them, one
	 * redefining built-in 9; quoted and skipped %; s past the list */
	static const char *const parts[] = {
		"xl/workbook.xml",
		"<workbook xmlns:r=\"r\"><sheets><sheet name=\"s\" r:id=\"rId1\"/></sheets></workbook>",
		"xl/_rels/workbook.xml.rels",
		"<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"x/styles\" Target=\"look/st.xml\"/></Relationships>",
		"xl/look/st.xml",
		STYLES_HEAD "<cellStyleXfs count=\"2\"><xf numFmtId=\"10\"/><xf numFmtId=\"10\"/>"
		"</cellStyleXfs><cellXfs>"
		"<xf numFmtId=\"0\" xfId=\"1\"/>"          /* 0: General */
		"<xf numFmtId=\"10\" applyNumberFormat=\"1\"><alignment/></xf>"  /* 1: 0.00% */
		"<xf numFmtId=\"165\"/>"                     /* 2: 0.0"%" */
		"<xf numFmtId=\"166\"/>"                     /* 3: "x"0_%* % ...: text */
		"<xf numFmtId=\"167\"/>"                     /* 4: #,##0.0"个"% */
		"<xf numFmtId=\"9\"/>"                       /* 5: redefined below */
		"<xf/>"                                        /* 6: General */
		"</cellXfs><numFmts><numFmt numFmtId=\"165\" formatCode=\"0.0&quot;%&quot;\"/>"
		"<numFmt numFmtId=\"166\" formatCode=\"&quot;x&quot;0_%* [$%-804]\\%\"/>"
		"<numFmt numFmtId=\"167\" formatCode=\"#,##0.0&quot;个&quot;%\"/>"
		"<numFmt numFmtId=\"9\" formatCode=\"0.00\"/></numFmts>"
		"<cellXfs><xf numFmtId=\"10\"/></cellXfs></styleSheet>",
		/* the default path, not the one the workbook names: a decoy */
		"xl/styles.xml", STYLES_HEAD "<cellXfs><xf/><xf/><xf numFmtId=\"9\"/><xf numFmtId=\"9\"/>"
		"<xf/><xf numFmtId=\"9\"/><xf numFmtId=\"9\"/><xf numFmtId=\"9\"/></cellXfs></styleSheet>",
		"xl/worksheets/sheet1.xml", SHEET_HEAD "<row r=\"1\">"
		"<c r=\"A1\"><v>0.3</v></c><c r=\"B1\" s=\"1\"><v>0.3</v></c>"
		"<c r=\"C1\" s=\"2\"><v>0.3</v></c><c r=\"D1\" s=\"3\"><v>0.3</v></c>"
		"<c r=\"E1\" s=\"4\"><v>0.3</v></c><c r=\"F1\" s=\"5\"><v>0.3</v></c>"
		"<c r=\"G1\" s=\"6\"><v>0.3</v></c><c r=\"H1\" s=\"7\"><v>0.3</v></c>"
		"<c r=\"I1\" s=\"1\" t=\"str\"><f>A1</f><v>0.3</v></c>"
		"</row>" SHEET_TAIL,
	};
	static const int want[] = {0, 1, 0, 0, 1, 0, 0, 0, 0};
	struct xlsx_sheet *s = NULL;
	struct xlsx_err e;

	assert_int_equal(read_parts(parts, 5, NULL, &s, &e), 0);
	for (int k = 0; k < (int)ARRAY_LEN(want); k++) {
		if (at(s, 0, k)->percent != want[k])
			fprintf(stderr, "  column %d: percent %d\n", k, at(s, 0, k)->percent);
		assert_int_equal(at(s, 0, k)->percent, want[k]);
	}
	xlsx_free(s);
	(void)state;
}

static void
t_percent_no_styles(void **state)
{
	/* cells point at formats, but the package has no styles part (as the
	 * API tests' hand-made files): General, not percent */
	static const char *const parts[] = {
		"xl/worksheets/sheet1.xml", SHEET_HEAD "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0.3</v></c>"
		"<c r=\"B1\" s=\"0\"><v>0.5</v></c></row>" SHEET_TAIL,
	};
	static const char *const empty[] = {
		"xl/styles.xml", STYLES_HEAD "</styleSheet>",
		"xl/worksheets/sheet1.xml", SHEET_HEAD "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0.3</v></c>"
		"</row>" SHEET_TAIL,
	};
	struct xlsx_sheet *s = NULL;
	struct xlsx_err e;

	assert_int_equal(read_parts(parts, 1, NULL, &s, &e), 0);
	assert_int_equal(at(s, 0, 0)->type, XT_NUMBER);
	assert_false(at(s, 0, 0)->percent);
	assert_false(at(s, 0, 1)->percent);
	xlsx_free(s);
	s = NULL;
	assert_int_equal(read_parts(empty, 2, NULL, &s, &e), 0);
	assert_false(at(s, 0, 0)->percent);
	xlsx_free(s);
	(void)state;
}

static void
t_percent_hostile(void **state)
{
	static const char *const sheet =
	    SHEET_HEAD "<row r=\"1\"><c r=\"A1\" s=\"0\"><v>1</v></c></row>" SHEET_TAIL;
	const char *parts[] = {"xl/styles.xml", NULL, "xl/worksheets/sheet1.xml", sheet};
	struct xlsx_limits lim;
	char *many;
	size_t off = 0, cap = (XLSX_MAX_NUMFMTS + 2) * 64 + 256;

	/* a DOCTYPE in the styles, a numFmtId that is no number, a numFmt
	 * without its code, not XML */
	parts[1] = "<!DOCTYPE styleSheet [<!ENTITY a \"0%\">]>" STYLES_HEAD
	    "<numFmts><numFmt numFmtId=\"164\" formatCode=\"&a;\"/></numFmts></styleSheet>";
	refused(parts, 2, NULL, ERR_INVALID, "DOCTYPE");
	parts[1] = STYLES_HEAD "<cellXfs><xf numFmtId=\"nine\"/></cellXfs></styleSheet>";
	refused(parts, 2, NULL, ERR_INVALID, "损坏");
	parts[1] = STYLES_HEAD "<cellXfs><xf numFmtId=\"-9\"/></cellXfs></styleSheet>";
	refused(parts, 2, NULL, ERR_INVALID, "损坏");
	parts[1] = STYLES_HEAD "<numFmts><numFmt numFmtId=\"164\"/></numFmts></styleSheet>";
	refused(parts, 2, NULL, ERR_INVALID, "损坏");
	parts[1] = STYLES_HEAD "<cellXfs><xf></cellXfs>";
	refused(parts, 2, NULL, ERR_INVALID, "损坏");
	/* a style index that is no number */
	parts[1] = STYLES_HEAD "</styleSheet>";
	parts[3] = SHEET_HEAD "<row r=\"1\"><c r=\"A1\" s=\"1x\"><v>1</v></c></row>" SHEET_TAIL;
	refused(parts, 2, NULL, ERR_INVALID, "损坏");
	parts[3] = sheet;
	/* more cell formats than the limit */
	parts[1] = STYLES_HEAD "<cellXfs><xf/><xf/><xf/></cellXfs></styleSheet>";
	xlsx_limits_default(&lim);
	lim.max_xfs = 2;
	refused(parts, 2, &lim, ERR_TOOBIG, "单元格格式");
	/* more custom number formats than any workbook has */
	many = malloc(cap);
	assert_non_null(many);
	off += (size_t)snprintf(many + off, cap - off, "%s<numFmts>", STYLES_HEAD);
	for (int i = 0; i <= XLSX_MAX_NUMFMTS; i++)
		off += (size_t)snprintf(many + off, cap - off,
		    "<numFmt numFmtId=\"%d\" formatCode=\"0%%\"/>", 164 + i);
	snprintf(many + off, cap - off, "</numFmts></styleSheet>");
	parts[1] = many;
	refused(parts, 2, NULL, ERR_TOOBIG, "数字格式");
	/* the styles count towards the total: each part under the total,
	 * both together over it (and just under: read) */
	off = (size_t)snprintf(many, cap, "%s", STYLES_HEAD);
	memset(many + off, ' ', 4096);
	snprintf(many + off + 4096, cap - off - 4096, "</styleSheet>");
	xlsx_limits_default(&lim);
	lim.max_total = strlen(many) + strlen(sheet) - 1;
	refused(parts, 2, &lim, ERR_TOOBIG, "过大");
	lim.max_total++;
	{
		struct xlsx_sheet *s = NULL;
		struct xlsx_err e;

		assert_int_equal(read_parts(parts, 2, &lim, &s, &e), 0);
		xlsx_free(s);
	}
	/* and a styles part past the cap of one part */
	lim.max_entry = strlen(many) - 1;
	refused(parts, 2, &lim, ERR_TOOBIG, "过大");
	free(many);
	(void)state;
}

static void
t_helpers(void **state)
{
	char d[11], c[4];

	assert_int_equal(xlsx_serial_date("46203", 0, d), 0);
	assert_string_equal(d, "2026-06-30");
	assert_int_equal(xlsx_serial_date("46203.75", 0, d), 0);
	assert_string_equal(d, "2026-06-30");
	assert_int_equal(xlsx_serial_date("1", 0, d), 0);
	assert_string_equal(d, "1900-01-01");
	assert_int_equal(xlsx_serial_date("61", 0, d), 0);
	assert_string_equal(d, "1900-03-01");
	assert_int_equal(xlsx_serial_date("44741", 1, d), 0);   /* 46203 - 1462 */
	assert_string_equal(d, "2026-06-30");
	assert_int_equal(xlsx_serial_date("0", 0, d), ERR_INVALID);
	assert_int_equal(xlsx_serial_date("-5", 0, d), ERR_INVALID);
	assert_int_equal(xlsx_serial_date("1e300", 0, d), ERR_INVALID);
	assert_int_equal(xlsx_serial_date("nan", 0, d), ERR_INVALID);
	assert_int_equal(xlsx_serial_date("12x", 0, d), ERR_INVALID);
	xlsx_col_name(0, c);
	assert_string_equal(c, "A");
	xlsx_col_name(25, c);
	assert_string_equal(c, "Z");
	xlsx_col_name(26, c);
	assert_string_equal(c, "AA");
	xlsx_col_name(16383, c);
	assert_string_equal(c, "XFD");
	assert_false(xlsx_sniff("PK", 2));
	assert_false(xlsx_sniff("%PDF-1.4", 8));
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_good),
		cmocka_unit_test(t_relationships),
		cmocka_unit_test(t_sheet_order),
		cmocka_unit_test(t_fallback),
		cmocka_unit_test(t_no_sheet),
		cmocka_unit_test(t_oversized),
		cmocka_unit_test(t_limits),
		cmocka_unit_test(t_malformed),
		cmocka_unit_test(t_encrypted),
		cmocka_unit_test(t_truncated),
		cmocka_unit_test(t_percent_written),
		cmocka_unit_test(t_percent_styles),
		cmocka_unit_test(t_percent_no_styles),
		cmocka_unit_test(t_percent_hostile),
		cmocka_unit_test(t_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
