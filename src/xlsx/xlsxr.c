/* The .xlsx reader: libzip opens the package from memory, expat parses
 * each part as a stream (SAX), so a part is never held whole and every
 * byte passes a counter before it is parsed. Parts read, in order:
 * xl/workbook.xml (the first sheet's relationship id, date1904),
 * xl/_rels/workbook.xml.rels (where that sheet, the shared strings and
 * the styles are), the shared strings, the styles (only which cell
 * formats show numbers as percentages), then the sheet. A package whose
 * workbook does not resolve falls back to xl/worksheets/sheet1.xml, as
 * other readers do; one without styles has no percent cells. */
#include <expat.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "xlsx/xlsx.h"

#define MAX_SHEETS 64           /* <sheet> elements remembered from the workbook */
#define MAX_ENTRIES 10000       /* zip entries in one package */
#define MAX_DEPTH 64            /* XML nesting: a worksheet needs 6 */
#define PATH_BYTES 256
#define EXCEL_ROWS 1048576L

enum part { P_WORKBOOK, P_RELS, P_STRINGS, P_STYLES, P_SHEET };

struct cellrec {
	int col;
	enum xlsx_type type;
	int percent;
	size_t off;             /* into text */
};
/* A custom number format (<numFmt>): its id and whether it shows a
 * percentage. */
struct numfmt {
	long id;
	int percent;
};
struct rowrec {
	long number;
	long first, n;          /* into cells */
};

struct reader {
	zip_t *za;
	struct xlsx_limits lim;
	struct xlsx_err *e;
	size_t total;           /* uncompressed bytes read from all parts */
	int rc;                 /* the first error a handler met */
	XML_Parser xp;
	enum part part;
	int depth;
	/* workbook and relationships */
	int nsheets, best;
	char sheet_rid[MAX_SHEETS][64];
	char sheet_names[MAX_SHEETS][128];
	int date1904;
	char sheet_path[PATH_BYTES], sst_path[PATH_BYTES], styles_path[PATH_BYTES];
	/* shared strings: NUL-terminated, one after another */
	struct buf sst;
	size_t *sst_off;
	long nsst, sst_cap;
	int in_si, in_rph, capture;
	struct buf chars;       /* the text of the element being read */
	/* styles: the custom number formats, and per cell format (the xf a
	 * cell's s attribute indexes) its numFmtId, then (styles_resolve)
	 * whether it is a percent format */
	struct numfmt fmts[XLSX_MAX_NUMFMTS];
	int nfmts;
	long *xfs;
	long nxfs, xfs_cap;
	int fmts_depth, xfs_depth, xfs_seen;   /* depth of <numFmts>, <cellXfs>; 0 outside */
	/* the sheet */
	struct buf text;
	struct cellrec *cells;
	long ncells, cells_cap;
	struct rowrec *rows;
	long nrows, rows_cap;
	int in_row, in_cell, in_is, have_value;
	long cur_row, last_row, row_first;
	int cur_col, last_col;
	long cur_xf;
	char cell_t[16];
};

static int
fail(struct reader *rd, int rc, const char *en, const char *zh)
{
	if (!rd->rc) {
		rd->rc = rc;
		rd->e->en = en;
		rd->e->zh = zh;
	}
	if (rd->xp)
		XML_StopParser(rd->xp, XML_FALSE);
	return rc;
}

static int
malformed(struct reader *rd)
{
	return fail(rd, ERR_INVALID, "the .xlsx file is damaged or not a spreadsheet",
	    "该 .xlsx 文件已损坏或不是电子表格");
}

static int
nomem(struct reader *rd)
{
	return fail(rd, ERR_NOMEM, "out of memory reading the .xlsx file",
	    "读取 .xlsx 文件时内存不足");
}

static int
toobig(struct reader *rd)
{
	return fail(rd, ERR_TOOBIG, "the .xlsx file is too large to import",
	    "该 .xlsx 文件过大，无法导入");
}

void
xlsx_limits_default(struct xlsx_limits *l)
{
	l->max_entry = XLSX_MAX_ENTRY;
	l->max_total = XLSX_MAX_TOTAL;
	l->max_rows = XLSX_MAX_ROWS;
	l->max_cols = XLSX_MAX_COLS;
	l->max_cells = XLSX_MAX_CELLS;
	l->max_strings = XLSX_MAX_STRINGS;
	l->max_xfs = XLSX_MAX_XFS;
}

int
xlsx_sniff(const void *data, size_t len)
{
	return len >= 4 && !memcmp(data, "PK\x03\x04", 4);
}

/* The local name: "x:c" and "c" are the same element to us, since some
 * writers prefix the spreadsheetml namespace. */
static const char *
local(const XML_Char *name)
{
	const char *colon = strrchr(name, ':');
	return colon ? colon + 1 : name;
}

static const char *
attr(const XML_Char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

static int
grow(void **p, long *cap, long n, size_t size, long max)
{
	long nc;
	void *bigger;

	if (n < *cap)
		return 0;
	if (n >= max)
		return ERR_TOOBIG;
	nc = *cap ? *cap * 2 : 64;
	if (nc > max)
		nc = max;
	bigger = realloc(*p, (size_t)nc * size);
	if (!bigger)
		return ERR_NOMEM;
	*p = bigger;
	*cap = nc;
	return 0;
}

/* ---- workbook and relationships ---- */

static void
workbook_start(struct reader *rd, const char *name, const XML_Char **atts)
{
	if (!strcmp(name, "workbookPr")) {
		const char *d = attr(atts, "date1904");
		rd->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
	} else if (!strcmp(name, "sheet") && rd->nsheets < MAX_SHEETS) {
		const char *id = attr(atts, "id"), *nm = attr(atts, "name");

		if (!id || str_copy(rd->sheet_rid[rd->nsheets], sizeof(rd->sheet_rid[0]), id))
			return;
		str_copy(rd->sheet_names[rd->nsheets], sizeof(rd->sheet_names[0]),
		    nm ? nm : "");
		rd->nsheets++;
	}
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail);
}

/* A relationship target as a package path: relative to xl/, or absolute
 * from the package root. Targets that climb out are not followed. */
static int
rel_path(const char *target, char *out, size_t n)
{
	int w;

	if (strstr(target, "..") || strchr(target, '\\') || !*target)
		return ERR_INVALID;
	if (target[0] == '/')
		w = snprintf(out, n, "%s", target + 1);
	else
		w = snprintf(out, n, "xl/%s", target);
	return w < 0 || (size_t)w >= n ? ERR_INVALID : 0;
}

static void
rels_start(struct reader *rd, const char *name, const XML_Char **atts)
{
	const char *id, *target, *type;

	if (strcmp(name, "Relationship"))
		return;
	id = attr(atts, "Id");
	target = attr(atts, "Target");
	type = attr(atts, "Type");
	if (!id || !target || !type)
		return;
	if (ends_with(type, "/sharedStrings")) {
		if (!rd->sst_path[0] && rel_path(target, rd->sst_path, sizeof(rd->sst_path)))
			rd->sst_path[0] = '\0';
		return;
	}
	if (ends_with(type, "/styles")) {
		if (!rd->styles_path[0] &&
		    rel_path(target, rd->styles_path, sizeof(rd->styles_path)))
			rd->styles_path[0] = '\0';
		return;
	}
	if (!ends_with(type, "/worksheet"))
		return;
	for (int k = 0; k < rd->nsheets; k++) {
		char path[PATH_BYTES];

		/* the earliest sheet in the workbook's order wins */
		if (strcmp(rd->sheet_rid[k], id) || (rd->best >= 0 && k >= rd->best))
			continue;
		if (!rel_path(target, path, sizeof(path))) {
			str_copy(rd->sheet_path, sizeof(rd->sheet_path), path);
			rd->best = k;
		}
	}
}

/* ---- shared strings ---- */

static void
strings_start(struct reader *rd, const char *name)
{
	if (!strcmp(name, "si")) {
		rd->in_si = 1;
		rd->in_rph = 0;
		buf_reset(&rd->chars);
	} else if (!strcmp(name, "rPh")) {
		rd->in_rph = 1;       /* phonetic guide: not part of the text */
	} else if (!strcmp(name, "t") && rd->in_si && !rd->in_rph) {
		rd->capture = 1;
	}
}

static void
strings_end(struct reader *rd, const char *name)
{
	int rc;

	if (!strcmp(name, "t")) {
		rd->capture = 0;
	} else if (!strcmp(name, "rPh")) {
		rd->in_rph = 0;
	} else if (!strcmp(name, "si") && rd->in_si) {
		rd->in_si = 0;
		rc = grow((void **)&rd->sst_off, &rd->sst_cap, rd->nsst,
		    sizeof(*rd->sst_off), rd->lim.max_strings);
		if (rc == ERR_TOOBIG) {
			toobig(rd);
			return;
		}
		if (rc) {
			nomem(rd);
			return;
		}
		rd->sst_off[rd->nsst] = rd->sst.len;
		if (buf_append(&rd->sst, rd->chars.data ? rd->chars.data : "", rd->chars.len) ||
		    buf_putc(&rd->sst, '\0')) {
			toobig(rd);
			return;
		}
		rd->nsst++;
	}
}

/* ---- styles ---- */

/* 1 when a custom format code shows a percentage: a '%' that is a
 * placeholder, not text. Text is "quoted", a backslash escapes the next
 * character, '_' (a space as wide as the next character) and '*' (fill
 * with it) take the next character as an argument, and [brackets] hold
 * colours, conditions and locales. So 0% and 0.0%;[Red]-0.0% are
 * percentages, 0.00"%" and 0\% are plain numbers with a sign after. */
static int
percent_code(const char *code)
{
	int quoted = 0, bracket = 0;

	for (const char *p = code; *p; p++) {
		if (quoted) {
			quoted = *p != '"';
			continue;
		}
		if (bracket) {
			bracket = *p != ']';
			continue;
		}
		switch (*p) {
		case '"':
			quoted = 1;
			break;
		case '[':
			bracket = 1;
			break;
		case '\\':
		case '_':
		case '*':
			if (p[1])
				p++;
			break;
		case '%':
			return 1;
		}
	}
	return 0;
}

static void
styles_start(struct reader *rd, const char *name, const XML_Char **atts)
{
	const char *v;
	int64_t id = 0;
	int rc;

	if (!strcmp(name, "numFmts")) {
		if (!rd->fmts_depth)
			rd->fmts_depth = rd->depth;
	} else if (!strcmp(name, "cellXfs")) {
		/* one list; a second would renumber what cells point at */
		if (!rd->xfs_seen) {
			rd->xfs_seen = 1;
			rd->xfs_depth = rd->depth;
		}
	} else if (!strcmp(name, "numFmt") && rd->fmts_depth &&
	    rd->depth == rd->fmts_depth + 1) {
		const char *code = attr(atts, "formatCode");

		v = attr(atts, "numFmtId");
		if (!v || !code || parse_int64(v, 0, INT32_MAX, &id)) {
			malformed(rd);
			return;
		}
		for (int k = 0; k < rd->nfmts; k++)
			if (rd->fmts[k].id == id)
				return;         /* the first definition counts */
		if (rd->nfmts >= XLSX_MAX_NUMFMTS) {
			fail(rd, ERR_TOOBIG, "the workbook has too many number formats",
			    "工作簿中的数字格式过多");
			return;
		}
		rd->fmts[rd->nfmts].id = (long)id;
		rd->fmts[rd->nfmts].percent = percent_code(code);
		rd->nfmts++;
	} else if (!strcmp(name, "xf") && rd->xfs_depth &&
	    rd->depth == rd->xfs_depth + 1) {
		/* cellStyleXfs holds xf elements too: only those of cellXfs
		 * are what s indexes. No numFmtId is General (0). */
		v = attr(atts, "numFmtId");
		if (v && parse_int64(v, 0, INT32_MAX, &id)) {
			malformed(rd);
			return;
		}
		rc = grow((void **)&rd->xfs, &rd->xfs_cap, rd->nxfs, sizeof(*rd->xfs),
		    rd->lim.max_xfs);
		if (rc == ERR_TOOBIG) {
			fail(rd, rc, "the workbook has too many cell formats",
			    "工作簿中的单元格格式过多");
			return;
		}
		if (rc) {
			nomem(rd);
			return;
		}
		rd->xfs[rd->nxfs++] = (long)id;
	}
}

static void
styles_end(struct reader *rd, const char *name)
{
	/* rd->depth is already the parent's */
	if (!strcmp(name, "numFmts") && rd->depth + 1 == rd->fmts_depth)
		rd->fmts_depth = 0;
	else if (!strcmp(name, "cellXfs") && rd->depth + 1 == rd->xfs_depth)
		rd->xfs_depth = 0;
}

static int
numfmt_cmp(const void *a, const void *b)
{
	const struct numfmt *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* Turns each cell format's numFmtId into 1 (a percentage) or 0, once,
 * so a cell is a lookup. A custom format of the same id overrides the
 * built-in one; of the built-ins 9 (0%) and 10 (0.00%) are percentages. */
static void
styles_resolve(struct reader *rd)
{
	qsort(rd->fmts, (size_t)rd->nfmts, sizeof(rd->fmts[0]), numfmt_cmp);
	for (long i = 0; i < rd->nxfs; i++) {
		struct numfmt key = {rd->xfs[i], 0};
		const struct numfmt *f = bsearch(&key, rd->fmts, (size_t)rd->nfmts,
		    sizeof(rd->fmts[0]), numfmt_cmp);

		rd->xfs[i] = f ? f->percent : (key.id == 9 || key.id == 10);
	}
}

/* ---- the sheet ---- */

/* "B12" → col 1, row 12; row 0 when the reference has no digits. */
static int
parse_ref(const char *s, int *col, long *row)
{
	long c = 0, r = 0;
	int letters = 0, digits = 0;

	for (; *s >= 'A' && *s <= 'Z'; s++) {
		if (++letters > 3)
			return ERR_INVALID;
		c = c * 26 + (*s - 'A' + 1);
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 7)
			return ERR_INVALID;
		r = r * 10 + (*s - '0');
	}
	if (*s || !letters || (digits && r < 1))
		return ERR_INVALID;
	*col = (int)(c - 1);
	*row = r;
	return 0;
}

static void
sheet_start(struct reader *rd, const char *name, const XML_Char **atts)
{
	if (!strcmp(name, "row")) {
		const char *r = attr(atts, "r");
		int64_t n;

		if (rd->in_row) {
			malformed(rd);
			return;
		}
		if (r) {
			if (parse_int64(r, 1, EXCEL_ROWS, &n) || n <= rd->last_row) {
				malformed(rd);
				return;
			}
			rd->cur_row = (long)n;
		} else {
			rd->cur_row = rd->last_row + 1;
		}
		if (rd->cur_row > EXCEL_ROWS) {
			malformed(rd);
			return;
		}
		rd->in_row = 1;
		rd->last_col = -1;
		rd->row_first = rd->ncells;
	} else if (!strcmp(name, "c")) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t"), *xf = attr(atts, "s");
		long row = 0;
		int col = rd->last_col + 1;
		int64_t style = 0;

		if (!rd->in_row || rd->in_cell) {
			malformed(rd);
			return;
		}
		if (r && (parse_ref(r, &col, &row) || (row && row != rd->cur_row) ||
		    col <= rd->last_col)) {
			malformed(rd);
			return;
		}
		if (col >= rd->lim.max_cols) {
			fail(rd, ERR_TOOBIG, "the sheet has too many columns",
			    "工作表的列数过多");
			return;
		}
		if (str_copy(rd->cell_t, sizeof(rd->cell_t), t ? t : "n") ||
		    (xf && parse_int64(xf, 0, INT32_MAX, &style))) {
			malformed(rd);
			return;
		}
		/* a style past the cell formats (or with no styles part at
		 * all) is General, as Excel shows it */
		rd->cur_xf = (long)style;
		rd->cur_col = col;
		rd->last_col = col;
		rd->in_cell = 1;
		rd->in_is = 0;
		rd->in_rph = 0;
		rd->have_value = 0;
		buf_reset(&rd->chars);
	} else if (rd->in_cell) {
		if (!strcmp(name, "v") && !rd->in_is) {
			buf_reset(&rd->chars);
			rd->capture = 1;
		} else if (!strcmp(name, "is")) {
			rd->in_is = 1;
			buf_reset(&rd->chars);
			rd->have_value = 1;
		} else if (!strcmp(name, "rPh")) {
			rd->in_rph = 1;
		} else if (!strcmp(name, "t") && rd->in_is && !rd->in_rph) {
			rd->capture = 1;
		}
	}
}

static int
number_ok(const char *s)
{
	char *end;
	double d;

	if (!*s || strlen(s) > 64)
		return 0;
	d = strtod(s, &end);
	return !*end && isfinite(d);
}

/* The text the cell shows, appended to rd->text; 0 when there is none. */
static int
cell_value(struct reader *rd, enum xlsx_type *type, const char **s, size_t *n)
{
	const char *v = rd->chars.data ? rd->chars.data : "";
	const char *t = rd->cell_t;
	int64_t idx;

	*type = XT_STRING;
	*s = v;
	*n = rd->chars.len;
	if (!strcmp(t, "s")) {
		if (parse_int64(v, 0, INT32_MAX, &idx) || idx >= rd->nsst)
			return malformed(rd);
		*s = rd->sst.data + rd->sst_off[idx];
		*n = strlen(*s);
	} else if (!strcmp(t, "b")) {
		if (strcmp(v, "0") && strcmp(v, "1"))
			return malformed(rd);
		*type = XT_BOOL;
		*s = v[0] == '1' ? "TRUE" : "FALSE";
		*n = strlen(*s);
	} else if (!strcmp(t, "e")) {
		*type = XT_ERROR;
	} else if (!strcmp(t, "n")) {
		if (*n && !number_ok(v))
			return malformed(rd);
		*type = XT_NUMBER;
	} else if (strcmp(t, "inlineStr") && strcmp(t, "str") && strcmp(t, "d")) {
		return malformed(rd);
	}
	return 0;
}

static void
sheet_end(struct reader *rd, const char *name)
{
	if (!strcmp(name, "row") && rd->in_row) {
		long n = rd->ncells - rd->row_first;
		int rc;

		rd->in_row = 0;
		rd->last_row = rd->cur_row;
		if (!n)
			return;
		rc = grow((void **)&rd->rows, &rd->rows_cap, rd->nrows, sizeof(*rd->rows),
		    rd->lim.max_rows);
		if (rc == ERR_TOOBIG) {
			fail(rd, rc, "the sheet has too many rows", "工作表的行数过多");
			return;
		}
		if (rc) {
			nomem(rd);
			return;
		}
		rd->rows[rd->nrows].number = rd->cur_row;
		rd->rows[rd->nrows].first = rd->row_first;
		rd->rows[rd->nrows].n = n;
		rd->nrows++;
	} else if (!strcmp(name, "c") && rd->in_cell) {
		enum xlsx_type type;
		const char *s;
		size_t n;
		int rc;

		rd->in_cell = 0;
		rd->capture = 0;
		if (!rd->have_value || cell_value(rd, &type, &s, &n) || !n)
			return;
		rc = grow((void **)&rd->cells, &rd->cells_cap, rd->ncells, sizeof(*rd->cells),
		    rd->lim.max_cells);
		if (rc == ERR_TOOBIG) {
			fail(rd, rc, "the sheet has too many cells", "工作表的单元格过多");
			return;
		}
		if (rc) {
			nomem(rd);
			return;
		}
		rd->cells[rd->ncells].col = rd->cur_col;
		rd->cells[rd->ncells].type = type;
		rd->cells[rd->ncells].percent = type == XT_NUMBER &&
		    rd->cur_xf < rd->nxfs && rd->xfs[rd->cur_xf];
		rd->cells[rd->ncells].off = rd->text.len;
		if (buf_append(&rd->text, s, n) || buf_putc(&rd->text, '\0')) {
			toobig(rd);
			return;
		}
		rd->ncells++;
	} else if (rd->in_cell) {
		if (!strcmp(name, "v") && !rd->in_is) {
			rd->capture = 0;
			rd->have_value = 1;
		} else if (!strcmp(name, "t")) {
			rd->capture = 0;
		} else if (!strcmp(name, "rPh")) {
			rd->in_rph = 0;
		} else if (!strcmp(name, "is")) {
			rd->in_is = 0;
		}
	}
}

/* ---- expat glue ---- */

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct reader *rd = ud;
	const char *n = local(name);

	if (rd->rc)
		return;
	if (++rd->depth > MAX_DEPTH) {
		malformed(rd);
		return;
	}
	switch (rd->part) {
	case P_WORKBOOK:
		workbook_start(rd, n, atts);
		break;
	case P_RELS:
		rels_start(rd, n, atts);
		break;
	case P_STRINGS:
		strings_start(rd, n);
		break;
	case P_STYLES:
		styles_start(rd, n, atts);
		break;
	case P_SHEET:
		sheet_start(rd, n, atts);
		break;
	}
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct reader *rd = ud;

	if (rd->rc)
		return;
	rd->depth--;
	if (rd->part == P_STRINGS)
		strings_end(rd, local(name));
	else if (rd->part == P_STYLES)
		styles_end(rd, local(name));
	else if (rd->part == P_SHEET)
		sheet_end(rd, local(name));
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct reader *rd = ud;

	if (rd->rc || !rd->capture || len <= 0)
		return;
	if (buf_append(&rd->chars, s, (size_t)len))
		fail(rd, ERR_TOOBIG, "a cell holds too much text", "单元格内容过长");
}

/* A document type could declare entities: spreadsheets never need one. */
static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal)
{
	struct reader *rd = ud;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	fail(rd, ERR_INVALID, "the .xlsx file holds a document type declaration",
	    "该 .xlsx 文件含有文档类型声明（DOCTYPE），已拒绝");
}

static void XMLCALL
on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
    int value_len, const XML_Char *base, const XML_Char *sysid,
    const XML_Char *pubid, const XML_Char *notation)
{
	(void)name;
	(void)is_param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	on_doctype(ud, NULL, NULL, NULL, 0);
}

/* Finds a part: ERR_NOTFOUND when the package has none of that name. */
static int
find_part(struct reader *rd, const char *name, zip_uint64_t *idx)
{
	zip_int64_t i = zip_name_locate(rd->za, name, ZIP_FL_NOCASE);

	if (i < 0)
		return ERR_NOTFOUND;
	*idx = (zip_uint64_t)i;
	return 0;
}

/* Streams one part through expat with the handlers of part. */
static int
parse_part(struct reader *rd, zip_uint64_t idx, enum part part)
{
	zip_stat_t st;
	zip_file_t *zf = NULL;
	size_t entry = 0;
	int rc = 0;

	zip_stat_init(&st);
	if (zip_stat_index(rd->za, idx, 0, &st))
		return malformed(rd);
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE)
		return fail(rd, ERR_INVALID, "the .xlsx file is encrypted: save it without a password",
		    "该 .xlsx 文件已加密，请取消密码后重新保存");
	if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE &&
	    st.comp_method != ZIP_CM_DEFLATE)
		return malformed(rd);
	if ((st.valid & ZIP_STAT_SIZE) && st.size > rd->lim.max_entry)
		return toobig(rd);
	rd->xp = XML_ParserCreate(NULL);
	if (!rd->xp)
		return nomem(rd);
	XML_SetUserData(rd->xp, rd);
	XML_SetElementHandler(rd->xp, on_start, on_end);
	XML_SetCharacterDataHandler(rd->xp, on_text);
	XML_SetStartDoctypeDeclHandler(rd->xp, on_doctype);
	XML_SetEntityDeclHandler(rd->xp, on_entity);
	XML_SetParamEntityParsing(rd->xp, XML_PARAM_ENTITY_PARSING_NEVER);
	rd->part = part;
	rd->depth = 0;
	rd->capture = 0;
	zf = zip_fopen_index(rd->za, idx, 0);
	if (!zf) {
		rc = malformed(rd);
		goto out;
	}
	for (;;) {
		enum { CHUNK = 64 << 10 };
		void *b = XML_GetBuffer(rd->xp, CHUNK);
		zip_int64_t n;

		if (!b) {
			rc = nomem(rd);
			goto out;
		}
		n = zip_fread(zf, b, CHUNK);
		if (n < 0) {
			rc = malformed(rd);
			goto out;
		}
		entry += (size_t)n;
		rd->total += (size_t)n;
		if (entry > rd->lim.max_entry || rd->total > rd->lim.max_total) {
			rc = toobig(rd);
			goto out;
		}
		if (XML_ParseBuffer(rd->xp, (int)n, n == 0) != XML_STATUS_OK) {
			rc = rd->rc ? rd->rc : malformed(rd);
			goto out;
		}
		if (rd->rc) {
			rc = rd->rc;
			goto out;
		}
		if (n == 0)
			break;
	}
out:
	if (zf)
		zip_fclose(zf);
	XML_ParserFree(rd->xp);
	rd->xp = NULL;
	return rc;
}

/* Where the first worksheet, the shared strings and the styles are. */
static int
locate(struct reader *rd, zip_uint64_t *sheet, int *have_sst, zip_uint64_t *sst,
    int *have_styles, zip_uint64_t *styles)
{
	zip_uint64_t idx;
	int rc;

	rd->best = -1;
	if (!find_part(rd, "xl/workbook.xml", &idx)) {
		if ((rc = parse_part(rd, idx, P_WORKBOOK)))
			return rc;
		if (!find_part(rd, "xl/_rels/workbook.xml.rels", &idx) &&
		    (rc = parse_part(rd, idx, P_RELS)))
			return rc;
	}
	if (rd->best < 0 || find_part(rd, rd->sheet_path, sheet)) {
		/* the workbook did not lead to a sheet: the usual name */
		rd->best = -1;
		if (find_part(rd, "xl/worksheets/sheet1.xml", sheet))
			return fail(rd, ERR_INVALID,
			    "the file has no worksheet: it is not an Excel (.xlsx) spreadsheet",
			    "文件中没有工作表：不是 Excel（.xlsx）电子表格");
	}
	*have_sst = !find_part(rd, rd->sst_path[0] ? rd->sst_path :
	    "xl/sharedStrings.xml", sst);
	*have_styles = !find_part(rd, rd->styles_path[0] ? rd->styles_path :
	    "xl/styles.xml", styles);
	return 0;
}

static void
reader_free(struct reader *rd)
{
	buf_free(&rd->sst);
	buf_free(&rd->chars);
	buf_free(&rd->text);
	free(rd->sst_off);
	free(rd->xfs);
	free(rd->cells);
	free(rd->rows);
	if (rd->za)
		zip_discard(rd->za);
}

/* Moves what the reader gathered into one sheet the caller owns. */
static int
finish(struct reader *rd, struct xlsx_sheet **out)
{
	struct xlsx_sheet *s = calloc(1, sizeof(*s));
	size_t tlen;

	if (!s)
		return ERR_NOMEM;
	/* a sheet without cells still gets a text block, so text_ is never NULL */
	if (buf_putc(&rd->text, '\0')) {
		free(s);
		return ERR_NOMEM;
	}
	s->text_ = buf_steal(&rd->text, &tlen);
	s->cells_ = calloc((size_t)rd->ncells + 1, sizeof(*s->cells_));
	s->rows = calloc((size_t)rd->nrows + 1, sizeof(*s->rows));
	if (!s->text_ || !s->cells_ || !s->rows) {
		xlsx_free(s);
		return ERR_NOMEM;
	}
	for (long i = 0; i < rd->ncells; i++) {
		s->cells_[i].col = rd->cells[i].col;
		s->cells_[i].type = rd->cells[i].type;
		s->cells_[i].percent = rd->cells[i].percent;
		s->cells_[i].text = s->text_ + rd->cells[i].off;
	}
	for (long i = 0; i < rd->nrows; i++) {
		s->rows[i].number = rd->rows[i].number;
		s->rows[i].ncells = (int)rd->rows[i].n;
		s->rows[i].cells = s->cells_ + rd->rows[i].first;
	}
	s->nrows = rd->nrows;
	s->date1904 = rd->date1904;
	if (rd->best >= 0)
		str_copy(s->name, sizeof(s->name), rd->sheet_names[rd->best]);
	*out = s;
	return 0;
}

int
xlsx_read(const void *data, size_t len, const struct xlsx_limits *lim,
    struct xlsx_sheet **out, struct xlsx_err *e)
{
	struct reader *rd = calloc(1, sizeof(*rd));
	zip_source_t *src = NULL;
	zip_error_t ze;
	zip_uint64_t sheet = 0, sst = 0, styles = 0;
	int have_sst = 0, have_styles = 0, rc;

	*out = NULL;
	e->en = e->zh = NULL;
	if (!rd) {
		e->en = "out of memory reading the .xlsx file";
		e->zh = "读取 .xlsx 文件时内存不足";
		return ERR_NOMEM;
	}
	rd->e = e;
	if (lim)
		rd->lim = *lim;
	else
		xlsx_limits_default(&rd->lim);
	buf_init(&rd->sst, rd->lim.max_total);
	buf_init(&rd->text, rd->lim.max_total);
	buf_init(&rd->chars, XLSX_MAX_CELL_BYTES);
	if (!xlsx_sniff(data, len)) {
		rc = fail(rd, ERR_INVALID, "the file is not an Excel (.xlsx) spreadsheet",
		    "文件不是 Excel（.xlsx）电子表格");
		goto out;
	}
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		rc = nomem(rd);
		goto out;
	}
	/* not ZIP_CHECKCONS: it refuses the zip64 records libxlsxwriter (and so
	 * our own large exports) write; every part read is CRC-checked and
	 * counted here regardless */
	rd->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	zip_error_fini(&ze);
	if (!rd->za) {
		zip_source_free(src);
		rc = fail(rd, ERR_INVALID, "the .xlsx file is damaged (not a complete zip archive)",
		    "该 .xlsx 文件已损坏（不是完整的压缩包）");
		goto out;
	}
	if (zip_get_num_entries(rd->za, 0) > MAX_ENTRIES) {
		rc = malformed(rd);
		goto out;
	}
	if ((rc = locate(rd, &sheet, &have_sst, &sst, &have_styles, &styles)))
		goto out;
	if (have_sst && (rc = parse_part(rd, sst, P_STRINGS)))
		goto out;
	if (have_styles) {
		if ((rc = parse_part(rd, styles, P_STYLES)))
			goto out;
		styles_resolve(rd);
	}
	if ((rc = parse_part(rd, sheet, P_SHEET)))
		goto out;
	rc = finish(rd, out);
	if (rc)
		nomem(rd);
out:
	reader_free(rd);
	free(rd);
	return rc;
}

void
xlsx_free(struct xlsx_sheet *s)
{
	if (!s)
		return;
	free(s->rows);
	free(s->cells_);
	free(s->text_);
	free(s);
}

const struct xlsx_cell *
xlsx_cell(const struct xlsx_row *r, int col)
{
	int lo = 0, hi = r->ncells;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (r->cells[mid].col == col)
			return &r->cells[mid];
		if (r->cells[mid].col < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
xlsx_col_name(int col, char out[4])
{
	char tmp[4];
	int n = 0, k = 0;

	if (col < 0 || col >= 16384) {
		str_copy(out, 4, "?");
		return;
	}
	col++;
	while (col > 0 && n < 3) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	while (n > 0)
		out[k++] = tmp[--n];
	out[k] = '\0';
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void
civil(long days, long *y, int *m, int *d)
{
	long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int
xlsx_serial_date(const char *number, int date1904, char out[11])
{
	char *end;
	double v = strtod(number, &end);
	long serial, days, y;
	int m, d;

	if (*end || end == number || !isfinite(v) || v < 1 || v > 3000000)
		return ERR_INVALID;
	serial = (long)floor(v);
	if (date1904)
		days = serial - 24107;          /* 1904-01-01 is day -24107 */
	else if (serial >= 61)
		days = serial - 25569;          /* 1899-12-30 is day -25569 */
	else
		days = serial - 25568;          /* before Excel's phantom 1900-02-29 */
	civil(days, &y, &m, &d);
	if (y < 1900 || y > 9999)
		return ERR_INVALID;
	snprintf(out, 11, "%04ld-%02d-%02d", y, m, d);
	return 0;
}
