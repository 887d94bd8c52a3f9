/* The CSV reader and writer (workers/csvin.h) on files as Excel and WPS
 * save them: UTF-8 with and without a BOM, GBK made here with iconv from
 * UTF-8 literals, quoting, line ends, damage, and what is not CSV at all. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "workers/csvin.h"
#include "workers/record.h"

static struct csvin *
open_ok(const char *data, size_t len)
{
	struct csvin *r = NULL;
	const char *en = NULL, *zh = NULL;
	int rc = csvin_open(data, len, &r, &en, &zh);

	if (rc)
		fprintf(stderr, "  refused: %s\n", en ? en : "?");
	assert_int_equal(rc, 0);
	assert_non_null(r);
	return r;
}

#define OPEN(lit) open_ok((lit), sizeof(lit) - 1)

static void
refused(const char *data, size_t len, const char *en_part, const char *zh_part)
{
	struct csvin *r = (struct csvin *)1;
	const char *en = NULL, *zh = NULL;

	assert_int_equal(csvin_open(data, len, &r, &en, &zh), ERR_INVALID);
	assert_null(r);
	assert_non_null(en);
	assert_non_null(zh);
	if (en_part)
		assert_non_null(strstr(en, en_part));
	if (zh_part)
		assert_non_null(strstr(zh, zh_part));
}

/* Converts UTF-8 text to GBK, as Chinese Excel saves "CSV". */
static size_t
to_gbk(const char *utf8, char *out, size_t outlen)
{
	iconv_t cd = iconv_open("GBK", "UTF-8");
	char *in = (char *)utf8, *o = out;
	size_t inleft = strlen(utf8), outleft = outlen;

	assert_true(cd != (iconv_t)-1);
	assert_int_not_equal(iconv(cd, &in, &inleft, &o, &outleft), (size_t)-1);
	iconv_close(cd);
	return outlen - outleft;
}

static void
expect_row(struct csvin *r, long number, int nfields, ...)
{
	struct csv_row row;
	va_list ap;
	int i;

	assert_int_equal(csvin_next(r, &row), 1);
	assert_int_equal(row.number, number);
	assert_int_equal(row.nfields, nfields);
	assert_int_equal(row.bad_field, -1);
	va_start(ap, nfields);
	for (i = 0; i < nfields; i++)
		assert_string_equal(row.field[i], va_arg(ap, const char *));
	va_end(ap);
	for (i = nfields; i < CSV_MAX_FIELDS; i++)
		assert_string_equal(row.field[i], "");
}

static void
expect_end(struct csvin *r)
{
	struct csv_row row;

	assert_int_equal(csvin_next(r, &row), 0);
	assert_int_equal(csvin_next(r, &row), 0);
}

/* ---- encodings ---- */

static void
t_utf8_bom(void **state)
{
	struct csvin *r = OPEN("\xef\xbb\xbf姓名,身份证号,技能等级\r\n"
	    "张三,11010519491231002X,高级工\r\n");

	(void)state;
	assert_int_equal(csvin_encoding(r), CSV_UTF8_BOM);
	assert_int_equal(csvin_records(r), 2);
	expect_row(r, 1, 3, "姓名", "身份证号", "技能等级");
	expect_row(r, 2, 3, "张三", "11010519491231002X", "高级工");
	expect_end(r);
	csvin_close(r);
}

static void
t_utf8_plain(void **state)
{
	struct csvin *r = OPEN("姓名,性别\n张三,男\n李四,女");

	(void)state;
	assert_int_equal(csvin_encoding(r), CSV_UTF8);
	assert_int_equal(csvin_records(r), 3);
	expect_row(r, 1, 2, "姓名", "性别");
	expect_row(r, 2, 2, "张三", "男");
	expect_row(r, 3, 2, "李四", "女");   /* no line end at the end */
	expect_end(r);
	csvin_close(r);

	r = OPEN("name,id_no\nJohn,1\n");     /* ASCII is UTF-8 */
	assert_int_equal(csvin_encoding(r), CSV_UTF8);
	csvin_close(r);
}

static void
t_gbk(void **state)
{
	char gbk[256];
	size_t n = to_gbk("姓名,性别,技能等级\r\n张三,男,高级工\r\n"
	    "\"王　五\",女,\"技师（二级）\"\r\n", gbk, sizeof(gbk));
	struct csvin *r = open_ok(gbk, n);

	(void)state;
	assert_int_equal(csvin_encoding(r), CSV_GB18030);
	assert_int_equal(csvin_records(r), 3);
	expect_row(r, 1, 3, "姓名", "性别", "技能等级");
	expect_row(r, 2, 3, "张三", "男", "高级工");
	expect_row(r, 3, 3, "王　五", "女", "技师（二级）");
	expect_end(r);
	csvin_close(r);
}

static void
t_gb18030_four_byte(void **state)
{
	/* 𠀀 (U+20000) is a four-byte GB18030 sequence: 95 32 82 36 */
	static const char data[] = "姓名\n\x95\x32\x82\x36\xd5\xc5\n";
	struct csvin *r;
	char hdr[16];
	size_t n = to_gbk("姓名", hdr, sizeof(hdr));
	char buf[64];

	(void)state;
	memcpy(buf, hdr, n);
	memcpy(buf + n, data + strlen("姓名"), sizeof(data) - 1 - strlen("姓名"));
	r = open_ok(buf, n + sizeof(data) - 1 - strlen("姓名"));
	assert_int_equal(csvin_encoding(r), CSV_GB18030);
	expect_row(r, 1, 1, "姓名");
	expect_row(r, 2, 1, "\xf0\xa0\x80\x80张");
	csvin_close(r);
}

/* A GBK file whose last character is cut in half: that field is bad, the
 * others are read. */
static void
t_truncated_gbk(void **state)
{
	char gbk[128];
	size_t n = to_gbk("姓名,工种\n张三,车工\n李四,钳工", gbk, sizeof(gbk));
	struct csv_row row;
	struct csvin *r = open_ok(gbk, n - 1);

	(void)state;
	assert_int_equal(csvin_encoding(r), CSV_GB18030);
	assert_int_equal(csvin_records(r), 3);
	expect_row(r, 1, 2, "姓名", "工种");
	expect_row(r, 2, 2, "张三", "车工");
	assert_int_equal(csvin_next(r, &row), 1);
	assert_int_equal(row.number, 3);
	assert_int_equal(row.nfields, 2);
	assert_string_equal(row.field[0], "李四");
	assert_int_equal(row.bad_field, 1);
	assert_string_equal(row.field[1], "");
	expect_end(r);
	csvin_close(r);
}

static void
t_truncated_utf8(void **state)
{
	/* "钳" is e9 92 b3; the file stops after e9 92 */
	static const char data[] = "姓名,工种\n张三,车工\n李四,\xe9\x92";
	struct csv_row row;
	struct csvin *r = OPEN(data);

	(void)state;
	assert_int_equal(csvin_encoding(r), CSV_UTF8);
	expect_row(r, 1, 2, "姓名", "工种");
	expect_row(r, 2, 2, "张三", "车工");
	assert_int_equal(csvin_next(r, &row), 1);
	assert_string_equal(row.field[0], "李四");
	assert_int_equal(row.bad_field, 1);
	assert_string_equal(row.field[1], "");
	expect_end(r);
	csvin_close(r);

	/* with a BOM, and only the lead byte left */
	r = OPEN("\xef\xbb\xbf" "a,b\nc,\xe9");
	assert_int_equal(csvin_encoding(r), CSV_UTF8_BOM);
	expect_row(r, 1, 2, "a", "b");
	assert_int_equal(csvin_next(r, &row), 1);
	assert_int_equal(row.bad_field, 1);
	csvin_close(r);
}

/* One damaged byte in a long UTF-8 file: still UTF-8, that cell is bad.
 * Decoding the file as GB18030 instead would garble every name. */
static void
t_damaged_utf8(void **state)
{
	struct buf b;
	struct csv_row row;
	struct csvin *r;
	int i, bad_rows = 0, rc;

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_puts(&b, "姓名,工种\n"), 0);
	for (i = 0; i < 200; i++)
		assert_int_equal(buf_printf(&b, "张三%d,%s\n", i,
		    i == 100 ? "车\xff工" : "数控车工"), 0);
	r = open_ok(b.data, b.len);
	assert_int_equal(csvin_encoding(r), CSV_UTF8);
	assert_int_equal(csvin_records(r), 201);
	while ((rc = csvin_next(r, &row)) == 1) {
		if (row.bad_field >= 0) {
			bad_rows++;
			assert_int_equal(row.number, 102);
			assert_int_equal(row.bad_field, 1);
			assert_string_equal(row.field[0], "张三100");
		} else if (row.number > 1) {
			assert_string_equal(row.field[1], "数控车工");
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(bad_rows, 1);
	csvin_close(r);
	buf_free(&b);
}

/* A GBK byte that is not GB18030 at all (0x80, 0xFF): that field only. */
static void
t_bad_gbk_byte(void **state)
{
	char gbk[128];
	size_t n = to_gbk("姓名,工种\n张三,车工\n", gbk, sizeof(gbk));
	struct csv_row row;
	struct csvin *r;

	(void)state;
	memcpy(gbk + n, "\xd5\xc5\xff,ok\n", 7);
	r = open_ok(gbk, n + 7);
	assert_int_equal(csvin_encoding(r), CSV_GB18030);
	expect_row(r, 1, 2, "姓名", "工种");
	expect_row(r, 2, 2, "张三", "车工");
	assert_int_equal(csvin_next(r, &row), 1);
	assert_int_equal(row.bad_field, 0);
	assert_string_equal(row.field[0], "");
	assert_string_equal(row.field[1], "ok");
	csvin_close(r);
}

/* ---- CSV syntax ---- */

static void
t_quoting(void **state)
{
	struct csvin *r = OPEN("a,b,c\n"
	    "\"x,y\",\"he said \"\"hi\"\"\",\"line1\r\nline2\"\n"
	    "\"\",\"\"\"\",plain\n"
	    "5\"3,3/4\"管工,\"end\"\n");

	(void)state;
	assert_int_equal(csvin_records(r), 4);
	expect_row(r, 1, 3, "a", "b", "c");
	expect_row(r, 2, 3, "x,y", "he said \"hi\"", "line1\r\nline2");
	/* the quoted line break does not make a new Excel row */
	expect_row(r, 3, 3, "", "\"", "plain");
	/* stray quotes in unquoted fields (WPS) are literal */
	expect_row(r, 4, 3, "5\"3", "3/4\"管工", "end");
	expect_end(r);
	csvin_close(r);
}

static void
t_line_ends_and_blanks(void **state)
{
	struct csvin *r = OPEN("\r\n"       /* row 1 blank */
	    "a,b\r\n"                         /* 2 */
	    "c,d\n"                           /* 3 */
	    "\n"                              /* 4 blank */
	    "   \r\n"                         /* 5 blank */
	    ",,,\r\n"                         /* 6 only commas: no record */
	    " , \" \" ,\r\n"                  /* 7 blanks and quotes */
	    "e,f\r"                           /* 8, old Mac line end */
	    "g,h\r\n\r\n\r\n");               /* 9, then blanks */

	(void)state;
	assert_int_equal(csvin_records(r), 4);
	expect_row(r, 2, 2, "a", "b");
	expect_row(r, 3, 2, "c", "d");
	expect_row(r, 8, 2, "e", "f");
	expect_row(r, 9, 2, "g", "h");
	expect_end(r);
	csvin_close(r);
}

static void
t_trim(void **state)
{
	struct csvin *r = OPEN("  a  ,\t b\t,\xe3\x80\x80" "张三\xe3\x80\x80,"
	    "\" c \",\"\xc2\xa0\x64\xc2\xa0\",\" 多\n行 \"\n");

	(void)state;
	expect_row(r, 1, 6, "a", "b", "张三", "c", "d", "多\n行");
	csvin_close(r);
}

static void
t_unterminated_quote(void **state)
{
	const char *en, *zh;
	struct csv_row row;
	struct csvin *r = OPEN("a,b\nc,\"d\ne,f\ng,h\n");

	(void)state;
	/* the open quote swallows the rest: one broken record */
	assert_int_equal(csvin_records(r), 2);
	expect_row(r, 1, 2, "a", "b");
	assert_int_equal(csvin_next(r, &row), ERR_INVALID);
	assert_int_equal(row.number, 2);
	csvin_last_error(r, &en, &zh);
	assert_non_null(strstr(en, "quote"));
	assert_non_null(strstr(zh, "引号"));
	/* it sticks */
	assert_int_equal(csvin_next(r, &row), ERR_INVALID);
	assert_int_equal(row.number, 2);
	csvin_close(r);
}

static void
t_field_limit(void **state)
{
	struct buf b;
	const char *en, *zh;
	struct csv_row row;
	struct csvin *r;
	int i;

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_puts(&b, "a,b\n1,"), 0);
	for (i = 0; i < CSV_MAX_FIELD_BYTES + 1; i++)
		assert_int_equal(buf_putc(&b, 'x'), 0);
	assert_int_equal(buf_puts(&b, "\n2,"), 0);
	for (i = 0; i < CSV_MAX_FIELD_BYTES; i++)     /* exactly the limit */
		assert_int_equal(buf_putc(&b, 'y'), 0);
	assert_int_equal(buf_puts(&b, "\n3,"), 0);
	for (i = 0; i < 3 * CSV_MAX_FIELD_BYTES; i++) /* padding trims away */
		assert_int_equal(buf_putc(&b, ' '), 0);
	assert_int_equal(buf_puts(&b, "z\n4,"), 0);
	for (i = 0; i < 5 * CSV_MAX_FIELD_BYTES; i++) /* past libcsv's cap */
		assert_int_equal(buf_putc(&b, 'w'), 0);
	assert_int_equal(buf_puts(&b, "\n5,end\n"), 0);
	r = open_ok(b.data, b.len);
	assert_int_equal(csvin_records(r), 6);
	expect_row(r, 1, 2, "a", "b");
	assert_int_equal(csvin_next(r, &row), ERR_INVALID);
	assert_int_equal(row.number, 2);
	csvin_last_error(r, &en, &zh);
	assert_non_null(strstr(en, "4096"));
	assert_non_null(strstr(zh, "4096"));
	/* the record's end is known: reading goes on */
	assert_int_equal(csvin_next(r, &row), 1);
	assert_int_equal(row.number, 3);
	assert_int_equal(strlen(row.field[1]), CSV_MAX_FIELD_BYTES);
	expect_row(r, 4, 2, "3", "z");
	assert_int_equal(csvin_next(r, &row), ERR_INVALID);
	assert_int_equal(row.number, 5);
	expect_row(r, 6, 2, "5", "end");
	expect_end(r);
	csvin_close(r);
	buf_free(&b);
}

static void
t_too_many_fields(void **state)
{
	struct buf b;
	const char *en, *zh;
	struct csv_row row;
	struct csvin *r;
	int i;

	(void)state;
	buf_init(&b, 1 << 16);
	/* 64 fields and ten empty ones after: Excel's trailing commas */
	for (i = 0; i < CSV_MAX_FIELDS; i++)
		assert_int_equal(buf_printf(&b, "%s%d", i ? "," : "", i), 0);
	assert_int_equal(buf_puts(&b, ",,,,,, ,,,,\n"), 0);
	/* 70 real fields */
	for (i = 0; i < 70; i++)
		assert_int_equal(buf_printf(&b, "%s%d", i ? "," : "", i), 0);
	assert_int_equal(buf_puts(&b, "\nlast\n"), 0);
	r = open_ok(b.data, b.len);
	assert_int_equal(csvin_next(r, &row), 1);
	assert_int_equal(row.nfields, CSV_MAX_FIELDS);
	assert_string_equal(row.field[63], "63");
	assert_int_equal(csvin_next(r, &row), ERR_INVALID);
	assert_int_equal(row.number, 2);
	csvin_last_error(r, &en, &zh);
	assert_non_null(strstr(en, "64"));
	expect_row(r, 3, 1, "last");
	csvin_close(r);
	buf_free(&b);
}

static void
t_long_record(void **state)
{
	struct buf b;
	struct csv_row row;
	struct csvin *r;
	size_t i;

	(void)state;
	/* an open quote in a 2 MiB file: refused as one record, not read
	 * into memory field by field */
	buf_init(&b, 4 << 20);
	assert_int_equal(buf_puts(&b, "a\n\"b"), 0);
	for (i = 0; i < ((size_t)2 << 20); i++)
		assert_int_equal(buf_putc(&b, i % 100 ? 'x' : '\n'), 0);
	r = open_ok(b.data, b.len);
	assert_int_equal(csvin_records(r), 2);
	expect_row(r, 1, 1, "a");
	assert_int_equal(csvin_next(r, &row), ERR_INVALID);
	assert_int_equal(row.number, 2);
	csvin_close(r);
	buf_free(&b);
}

/* ---- refusals ---- */

static void
t_refusals(void **state)
{
	static const char xlsx[] = "PK\x03\x04\x14\x00\x06\x00\x08\x00";
	static const char xls[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00";
	static const char utf16[] = "\xff\xfe\x59\x5d\x0d\x54";
	char nul[] = "a,b\nc,d\0e\n";

	(void)state;
	refused(xlsx, sizeof(xlsx) - 1, "CSV", "CSV");
	refused(xlsx, sizeof(xlsx) - 1, "xlsx", "另存为");
	refused(xls, sizeof(xls) - 1, "xls", "CSV");
	refused("%PDF-1.7\n", 9, "PDF", "PDF");
	refused(utf16, sizeof(utf16) - 1, "UTF-16", "UTF-16");
	refused(nul, sizeof(nul) - 1, "NUL", "NUL");
	refused("", 0, "empty", "空");
	refused(NULL, 0, "empty", "空");
	refused("\xef\xbb\xbf", 3, "no rows", NULL);
	refused("\r\n  \n\t\n", 6, "no rows", NULL);
	refused(",,,\n,,\n", 7, "no rows", NULL);
	{
		struct csvin *r = OPEN("\"\"\"\"\n");   /* one literal quote */
		struct csv_row row;

		assert_int_equal(csvin_records(r), 1);
		assert_int_equal(csvin_next(r, &row), 1);
		assert_string_equal(row.field[0], "\"");
		csvin_close(r);
	}
}

/* NUL bytes far into a file are one bad cell, not a refused file. */
static void
t_late_nul(void **state)
{
	struct buf b;
	struct csv_row row;
	struct csvin *r;
	int rc, bad = 0;

	(void)state;
	buf_init(&b, 1 << 20);
	while (b.len < 70 * 1024)
		assert_int_equal(buf_puts(&b, "张三,车工\n"), 0);
	assert_int_equal(buf_append(&b, "李四,车\0工\n", 15), 0);
	r = open_ok(b.data, b.len);
	while ((rc = csvin_next(r, &row)) == 1)
		if (row.bad_field >= 0) {
			bad++;
			assert_int_equal(row.bad_field, 1);
			assert_string_equal(row.field[0], "李四");
		}
	assert_int_equal(rc, 0);
	assert_int_equal(bad, 1);
	csvin_close(r);
	buf_free(&b);
}

/* ---- seeking ---- */

static void
t_seek(void **state)
{
	struct csv_row row;
	/* each record holds its own row number */
	struct csvin *r = OPEN("h\n2\n3\n\n5\n6\n,,\n8\n\"9\n9\"\n10\n");
	long n;

	(void)state;
	assert_int_equal(csvin_records(r), 8);
	assert_int_equal(csvin_seek_record(r, 5), 0);
	expect_row(r, 5, 1, "5");
	/* 2 is behind: start over */
	assert_int_equal(csvin_seek_record(r, 2), 0);
	expect_row(r, 2, 1, "2");
	/* 4 is a blank line: the next record after it */
	assert_int_equal(csvin_seek_record(r, 4), 0);
	expect_row(r, 5, 1, "5");
	/* 7 is a line of commas: skipped as csvin_next skips it */
	assert_int_equal(csvin_seek_record(r, 7), 0);
	expect_row(r, 8, 1, "8");
	expect_row(r, 9, 1, "9\n9");
	expect_row(r, 10, 1, "10");
	expect_end(r);
	assert_int_equal(csvin_seek_record(r, 1), 0);
	expect_row(r, 1, 1, "h");
	assert_int_equal(csvin_seek_record(r, 100), 0);
	expect_end(r);
	/* seeking never disagrees with reading: each number in turn */
	for (n = 1; n <= 11; n++) {
		int rc;

		assert_int_equal(csvin_seek_record(r, n), 0);
		rc = csvin_next(r, &row);
		if (rc == 1)
			assert_true(row.number >= n);
		else
			assert_int_equal(rc, 0);
	}
	csvin_close(r);

	/* a broken record ahead: seeking past it fails, up to it works */
	r = OPEN("a\nb\n\"c\nd\n");
	assert_int_equal(csvin_seek_record(r, 3), 0);
	assert_int_equal(csvin_next(r, &row), ERR_INVALID);
	assert_int_equal(row.number, 3);
	assert_int_equal(csvin_seek_record(r, 2), 0);
	expect_row(r, 2, 1, "b");
	assert_int_equal(csvin_seek_record(r, 5), ERR_INVALID);
	csvin_close(r);
}

/* The importer's way: header, then rows through worker_normalise. */
static void
t_with_record(void **state)
{
	char gbk[512];
	size_t n = to_gbk("姓名,身份证号,性别,技能等级,是否工会会员\r\n"
	    "张三,11010519491231002x,女,高级工（三级）,是\r\n", gbk, sizeof(gbk));
	struct csvin *r = open_ok(gbk, n);
	const char *cells[WC__MAX] = {0};
	int colmap[CSV_MAX_FIELDS], i;
	struct worker_rec w;
	struct row_errors e;
	struct csv_row row;

	(void)state;
	assert_int_equal(csvin_next(r, &row), 1);
	for (i = 0; i < row.nfields; i++)
		colmap[i] = worker_col_lookup(row.field[i]);
	assert_int_equal(csvin_next(r, &row), 1);
	for (i = 0; i < row.nfields; i++)
		if (colmap[i] >= 0)
			cells[colmap[i]] = row.field[i];
	assert_int_equal(worker_normalise(cells, "2026-01-01", &w, &e), 0);
	assert_string_equal(w.id_no, "11010519491231002X");
	assert_int_equal(w.skill_level, 4);
	assert_int_equal(w.union_member, 1);
	csvin_close(r);
}

/* ---- writing ---- */

static void
put(struct buf *b, const char *cell, int last, const char *want)
{
	buf_reset(b);
	assert_int_equal(csv_put_cell(b, cell, last), 0);
	assert_string_equal(b->data, want);
}

static void
t_put_cell(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	put(&b, "abc", 0, "abc,");
	put(&b, "abc", 1, "abc\r\n");
	put(&b, "", 0, ",");
	put(&b, NULL, 1, "\r\n");
	put(&b, "张三", 0, "张三,");
	put(&b, "a,b", 0, "\"a,b\",");
	put(&b, "he said \"hi\"", 0, "\"he said \"\"hi\"\"\",");
	put(&b, "\"", 0, "\"\"\"\",");
	put(&b, "line\nbreak", 0, "\"line\nbreak\",");
	put(&b, "cr\rhere", 0, "\"cr\rhere\",");
	put(&b, " padded ", 0, "\" padded \",");
	/* formula injection */
	put(&b, "=cmd|' /C calc'!A0", 0, "'=cmd|' /C calc'!A0,");
	put(&b, "+1", 0, "'+1,");
	put(&b, "-1", 0, "'-1,");
	put(&b, "@SUM(A1:A9)", 0, "'@SUM(A1:A9),");
	put(&b, "=1+1,2", 0, "\"'=1+1,2\",");
	put(&b, "\t=1+1", 0, "\"'\t=1+1\",");
	put(&b, "\r=1+1", 0, "\"'\r=1+1\",");
	put(&b, "=HYPERLINK(\"http://x\")", 1,
	    "\"'=HYPERLINK(\"\"http://x\"\")\"\r\n");
	put(&b, "a=1", 0, "a=1,");              /* only at the start */
	put(&b, "13812345678", 0, "13812345678,");

	/* a row built cell by cell reads back the same (less the apostrophe
	 * that keeps Excel from running a formula) */
	{
		static const char *const cells[] = {"张三", "a,b", "x\"y",
		    "多\r\n行", "=2+3", "last"};
		static const char *const back[] = {"张三", "a,b", "x\"y",
		    "多\r\n行", "'=2+3", "last"};
		struct csv_row row;
		struct csvin *r;
		size_t i;

		buf_reset(&b);
		for (i = 0; i < 6; i++)
			assert_int_equal(csv_put_cell(&b, cells[i], i == 5), 0);
		r = open_ok(b.data, b.len);
		assert_int_equal(csvin_next(r, &row), 1);
		assert_int_equal(row.nfields, 6);
		for (i = 0; i < 6; i++)
			assert_string_equal(row.field[i], back[i]);
		csvin_close(r);
	}
	buf_free(&b);

	/* full: the buffer stays as it was */
	buf_init(&b, 8);
	assert_int_equal(csv_put_cell(&b, "abc", 0), 0);
	assert_int_equal(csv_put_cell(&b, "a,b\"cdef", 0), ERR_TOOBIG);
	assert_string_equal(b.data, "abc,");
	assert_int_equal(b.len, 4);
	buf_free(&b);
}

/* ---- streams: the same reading as from memory ---- */

struct mem_source {
	const char *data;
	size_t len, pos, piece;
	int rewinds;
	int fail_pass;            /* on this pass (rewinds so far) ... */
	long fail_after;          /* ... reads past this byte fail (-1: never) */
};

static int
mem_read(void *ctx, char *dst, size_t max, size_t *got)
{
	struct mem_source *m = ctx;
	size_t n = m->len - m->pos;

	if (m->fail_after >= 0 && m->rewinds == m->fail_pass &&
	    m->pos >= (size_t)m->fail_after)
		return ERR_DB;
	if (n > max)
		n = max;
	if (n > m->piece)
		n = m->piece;
	memcpy(dst, m->data + m->pos, n);
	m->pos += n;
	*got = n;
	return 0;
}

static int
mem_rewind(void *ctx)
{
	struct mem_source *m = ctx;

	m->pos = 0;
	m->rewinds++;
	return 0;
}

static void
expect_same_row(const struct csv_row *a, const struct csv_row *b)
{
	int i;

	assert_int_equal(a->number, b->number);
	assert_int_equal(a->nfields, b->nfields);
	assert_int_equal(a->bad_field, b->bad_field);
	for (i = 0; i < a->nfields; i++)
		assert_string_equal(a->field[i], b->field[i]);
}

/* Reads data both ways, record by record, then seeks to the middle record
 * both ways; returns the number of records read. */
static long
same_reading(const char *data, size_t len, size_t window, size_t piece)
{
	struct mem_source m = {data, len, 0, piece, 0, 0, -1};
	struct csv_source src = {&m, mem_read, mem_rewind, window};
	struct csvin *a = open_ok(data, len), *b = NULL;
	struct csv_row ra, rb;
	const char *en, *zh;
	long n = 0, mid;
	int ca, cb;

	assert_int_equal(csvin_open_stream(&src, &b, &en, &zh), 0);
	assert_int_equal(csvin_encoding(a), csvin_encoding(b));
	assert_int_equal(csvin_records(a), csvin_records(b));
	do {
		ca = csvin_next(a, &ra);
		cb = csvin_next(b, &rb);
		assert_int_equal(ca, cb);
		if (ca == 1)
			expect_same_row(&ra, &rb);
		else
			assert_int_equal(ra.number, rb.number);
		n++;
	} while (ca != 0 && n < 1000000);
	mid = ra.number / 2;
	assert_int_equal(csvin_seek_record(a, mid), csvin_seek_record(b, mid));
	ca = csvin_next(a, &ra);
	cb = csvin_next(b, &rb);
	assert_int_equal(ca, cb);
	if (ca == 1)
		expect_same_row(&ra, &rb);
	assert_true(m.rewinds >= 2);       /* counted at open, then sought back */
	csvin_close(a);
	csvin_close(b);
	return n - 1;
}

static void
t_stream_small_window(void **state)
{
	/* records shorter than (64 - 1) / 2 bytes, so the two readings agree
	 * while the window moves every few records: blank runs longer than
	 * the window, CR LF split across reads, quoted line breaks */
	static const char text[] =
	    "\xef\xbb\xbf" "a,b\r\n1,2\r\n\r\n\r\n"
	    "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
	    "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
	    "\"x\ny\",3\r\n,,,\r\n张三,男\r4,5\n\"q\"\"r\",6\r\n"
	    "   \t  \n7,8";
	(void)state;
	for (size_t piece = 1; piece <= 7; piece++)
		assert_int_equal(same_reading(text, sizeof(text) - 1, 64, piece), 7);
}

static void
t_stream_encoding_late(void **state)
{
	/* GBK only after the first window: the stream still decides GB18030,
	 * counting the whole file at open */
	char gbk[4096], file[8192];
	struct mem_source m;
	struct csv_source src = {&m, mem_read, mem_rewind, 64};
	struct csvin *r = NULL;
	struct csv_row row;
	const char *en, *zh;
	size_t n = 0;
	long i;

	(void)state;
	n += (size_t)snprintf(file, sizeof(file), "a,b\n");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(file + n, sizeof(file) - n, "%ld,x\n", i);
	{
		size_t g = to_gbk("张三,李四\n王五,男\n", gbk, sizeof(gbk));
		memcpy(file + n, gbk, g);
		n += g;
	}
	m = (struct mem_source){file, n, 0, 5, 0, 0, -1};
	assert_int_equal(csvin_open_stream(&src, &r, &en, &zh), 0);
	assert_int_equal(csvin_encoding(r), CSV_GB18030);
	assert_int_equal(csvin_records(r), 43);
	assert_int_equal(csvin_seek_record(r, 42), 0);
	assert_int_equal(csvin_next(r, &row), 1);
	assert_string_equal(row.field[0], "张三");
	csvin_close(r);
	assert_int_equal(same_reading(file, n, 64, 3), 43);
}

static void
t_stream_large(void **state)
{
	/* a 12 MiB roster with the default window: records cut by every read
	 * and by the window's end, one record of 900 KiB, one over 1 MiB */
	struct buf b;
	long i;

	(void)state;
	buf_init(&b, (size_t)64 << 20);
	assert_int_equal(buf_puts(&b, "姓名,身份证号,备注\r\n"), 0);
	for (i = 0; i < 260000; i++) {
		char line[128];
		snprintf(line, sizeof(line), "职工%ld,3302%014ld,\"第%ld行\n备注\"\r\n",
		    i, i, i);
		assert_int_equal(buf_puts(&b, line), 0);
		if (i == 70000) {
			/* 900 KiB of cells: 300 fields would be refused; one
			 * long quoted cell is refused too, but the reader must
			 * split it the same way */
			assert_int_equal(buf_puts(&b, "\""), 0);
			for (int k = 0; k < 900 * 1024 / 8; k++)
				assert_int_equal(buf_puts(&b, "abcdefgh"), 0);
			assert_int_equal(buf_puts(&b, "\"\r\n"), 0);
		}
	}
	assert_true(b.len > ((size_t)12 << 20));
	assert_int_equal(same_reading(b.data, b.len, 0, 100000), 260002);
	/* and one record over 1 MiB ends it the same way */
	assert_int_equal(buf_puts(&b, "\""), 0);
	for (int k = 0; k < 1100 * 1024 / 8; k++)
		assert_int_equal(buf_puts(&b, "abcdefgh"), 0);
	assert_true(same_reading(b.data, b.len, 0, 65536) > 260002);
	buf_free(&b);
}

static void
t_stream_source_fails(void **state)
{
	static const char text[] = "a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n";
	struct mem_source m = {text, sizeof(text) - 1, 0, 2, 0, 0, 12};
	struct csv_source src = {&m, mem_read, mem_rewind, 16};
	struct csvin *r = NULL;
	struct csv_row row;
	const char *en, *zh;
	int rc;

	(void)state;
	assert_int_equal(csvin_open_stream(&src, &r, &en, &zh), ERR_DB);
	assert_null(r);
	assert_non_null(strstr(en, "cannot be read"));
	/* a source that fails on the second pass: the rows before the damage
	 * are read, then the source's error, again and again */
	m = (struct mem_source){text, sizeof(text) - 1, 0, 2, 0, 1, 20};
	assert_int_equal(csvin_open_stream(&src, &r, &en, &zh), 0);
	while ((rc = csvin_next(r, &row)) == 1)
		;
	assert_int_equal(rc, ERR_DB);
	assert_int_equal(csvin_next(r, &row), ERR_DB);
	csvin_close(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_utf8_bom),
		cmocka_unit_test(t_utf8_plain),
		cmocka_unit_test(t_gbk),
		cmocka_unit_test(t_gb18030_four_byte),
		cmocka_unit_test(t_truncated_gbk),
		cmocka_unit_test(t_truncated_utf8),
		cmocka_unit_test(t_damaged_utf8),
		cmocka_unit_test(t_bad_gbk_byte),
		cmocka_unit_test(t_quoting),
		cmocka_unit_test(t_line_ends_and_blanks),
		cmocka_unit_test(t_trim),
		cmocka_unit_test(t_unterminated_quote),
		cmocka_unit_test(t_field_limit),
		cmocka_unit_test(t_too_many_fields),
		cmocka_unit_test(t_long_record),
		cmocka_unit_test(t_refusals),
		cmocka_unit_test(t_late_nul),
		cmocka_unit_test(t_seek),
		cmocka_unit_test(t_with_record),
		cmocka_unit_test(t_put_cell),
		cmocka_unit_test(t_stream_small_window),
		cmocka_unit_test(t_stream_encoding_late),
		cmocka_unit_test(t_stream_large),
		cmocka_unit_test(t_stream_source_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
