/* Reading CSV as Excel and WPS write it (csvin.h).
 *
 * Records are found by scan_record(), which follows libcsv 3.0.3's own
 * state machine (non-strict mode, default blank and line-end sets) reduced
 * to what decides where a record ends; each record is then handed to libcsv
 * alone. So the record count known at open, csvin_seek_record and
 * csvin_next agree by construction, memory per record is bounded, and a
 * damaged record cannot swallow the rest of the file unnoticed: libcsv must
 * report exactly one row for each slice, or the file is refused.
 *
 * Why not CSV_STRICT: strict mode refuses a quote inside an unquoted field
 * (5"3, 3/4"管工). Excel never writes one, but WPS and hand-edited files do,
 * and the only sensible reading is the literal quote, which is what
 * non-strict libcsv gives and what Excel itself shows when it opens such a
 * file. What strict mode would catch that matters, an unclosed quote at the
 * end of the file, scan_record reports itself. */
#include "workers/csvin.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"

/* A record (all its fields and quotes) may not exceed this many bytes in
 * the file: 64 fields of 4 KiB with every quote doubled fit. */
#define RECORD_MAX ((size_t)1 << 20)
/* One field as stored in the file, before trimming and conversion: room to
 * trim padding, and GB18030 text grows by half at most in UTF-8. */
#define RAW_FIELD_MAX (4 * CSV_MAX_FIELD_BYTES)
#define CONV_MAX (2 * RAW_FIELD_MAX)
#define SNIFF_BYTES (64 * 1024)
/* A stream's window: room for a record of RECORD_MAX wherever it starts. */
#define CSVIN_WINDOW (4 * RECORD_MAX)

struct csvin {
	const unsigned char *data;   /* the whole file, or the stream's window */
	size_t len;
	size_t body;              /* first byte after a BOM */
	size_t record_max;        /* RECORD_MAX, less for a small test window */
	/* reading a stream: the window holds the bytes from just before pos
	 * on, at least record_max + 1 of them past a record's start unless the
	 * stream ends sooner (see next_span) */
	struct csv_source src;
	unsigned char *win;       /* NULL: reading from memory */
	size_t win_cap;
	int eof;                  /* the window holds the stream's last byte */
	int src_err;              /* the source failed: an error code */
	size_t pos;               /* where the next scan starts */
	long number;              /* Excel row number of the last record passed */
	long records;
	enum csv_encoding enc;
	int check_utf8;           /* UTF-8 with damage somewhere: check fields */
	int has_nul;              /* NUL bytes past the sniffed start */
	int fatal;                /* the file cannot be split past r->number */
	iconv_t cd;               /* GB18030 → UTF-8, or (iconv_t)-1 */
	struct csv_parser p;
	int parser_ready;
	const char *why_en, *why_zh;

	/* the record being parsed (libcsv callbacks) */
	struct csv_row *row;
	int nf;                   /* fields seen, including dropped ones */
	int rows;                 /* rows libcsv reported for this slice */
	const char *ferr_en, *ferr_zh;
	size_t used;              /* bytes of arena in use */
	char *arena;              /* CSV_MAX_FIELDS * (CSV_MAX_FIELD_BYTES + 1) */
	char *conv;               /* CONV_MAX, GB18030 conversion output */
};

#define ARENA_BYTES ((size_t)CSV_MAX_FIELDS * (CSV_MAX_FIELD_BYTES + 1))

static const char empty_field[] = "";

/* ---- record boundaries ----------------------------------------------- */

/* libcsv's parser states (libcsv.c), by the same names. */
enum { FIELD_NOT_BEGUN, FIELD_BEGUN, FIELD_MIGHT_HAVE_ENDED };

/* Bytes that end an unquoted field. A quote inside an unquoted field is a
 * literal character in non-strict libcsv, so it is not here. */
static const unsigned char ends_unquoted[256] = {
	['\r'] = 1, ['\n'] = 1, [','] = 1,
};

struct span {
	size_t start, end;        /* the record's bytes, line end included */
	long blank;               /* empty lines skipped before it */
	int term;                 /* ended by CR or LF (else by the file's end) */
	int content;              /* has a byte other than , " blanks */
};

/* Finds the record at or after pos. Returns 1 with *sp, 0 at the end of the
 * data (sp->start is then len), ERR_INVALID for a quote never closed,
 * ERR_TOOBIG for a record over record_max (sp->blank and sp->start are
 * valid in every case).
 *
 * Blank lines count the way Excel numbers rows: CR LF is one line end, and
 * the LF after the CR that ended a record is part of that record's end. */
static int
scan_record(const unsigned char *d, size_t len, size_t pos, size_t record_max,
    struct span *sp)
{
	size_t i = pos, lim;
	int st, quoted = 0, spaces = 0;

	sp->blank = 0;
	sp->content = 0;
	for (; i < len; i++) {
		unsigned char c = d[i];

		if (c == ' ' || c == '\t')
			continue;
		if (c == '\n') {
			if (!(i > 0 && d[i - 1] == '\r'))
				sp->blank++;
			continue;
		}
		if (c == '\r') {
			sp->blank++;
			continue;
		}
		break;
	}
	sp->start = i;
	if (i >= len)
		return 0;
	lim = len - i > record_max ? i + record_max : len;
	st = FIELD_NOT_BEGUN;
	for (; i < lim; i++) {
		unsigned char c = d[i];

		switch (st) {
		case FIELD_NOT_BEGUN:
			if (c == ' ' || c == '\t' || c == ',')
				break;
			if (c == '\r' || c == '\n')
				goto ended;
			st = FIELD_BEGUN;
			quoted = c == '"';
			if (!quoted)
				sp->content = 1;
			break;
		case FIELD_BEGUN:
			if (quoted) {
				const unsigned char *q = memchr(d + i, '"', lim - i);
				size_t k;

				if (!q) {
					i = lim;
					goto out_of_bytes;
				}
				for (k = i; !sp->content && d + k < q; k++)
					if (d[k] != ' ' && d[k] != '\t' &&
					    d[k] != '\r' && d[k] != '\n')
						sp->content = 1;
				i = (size_t)(q - d);
				st = FIELD_MIGHT_HAVE_ENDED;
				spaces = 0;
			} else {
				while (i < lim && !ends_unquoted[d[i]])
					i++;
				if (i == lim)
					goto out_of_bytes;
				if (d[i] != ',')
					goto ended;
				st = FIELD_NOT_BEGUN;
			}
			break;
		default:        /* FIELD_MIGHT_HAVE_ENDED: after a quote */
			if (c == ',') {
				st = FIELD_NOT_BEGUN;
				quoted = 0;
			} else if (c == '\r' || c == '\n') {
				goto ended;
			} else if (c == ' ' || c == '\t') {
				spaces = 1;
			} else if (c == '"') {
				/* "" is a literal quote; after blanks libcsv
				 * keeps the quote and stays here */
				if (spaces)
					spaces = 0;
				else
					st = FIELD_BEGUN;
				sp->content = 1;
			} else {
				st = FIELD_BEGUN;
				spaces = 0;
				sp->content = 1;
			}
			break;
		}
	}
out_of_bytes:
	if (lim < len)
		return ERR_TOOBIG;
	if (st == FIELD_BEGUN && quoted)
		return ERR_INVALID;
	sp->end = len;
	sp->term = 0;
	return 1;
ended:
	sp->end = i + 1;
	sp->term = 1;
	return 1;
}

/* ---- encodings ------------------------------------------------------- */

struct utf8_tally {
	size_t multi;             /* well-formed multi-byte characters */
	size_t bad;               /* ill-formed sequences */
	int truncated;            /* the data ends inside a character */
	int decided;              /* plainly not UTF-8: counting stopped */
};

/* Counts rather than stops, so a UTF-8 file with one damaged character is
 * told apart from a GBK file (most GBK pairs are not UTF-8); it does stop
 * once the damage is plainly more than 1 %, which in a GBK file is within
 * its first lines. NUL counts as ASCII here: it is reported per field.
 * Adds to *t (zeroed by the caller): a stream is counted record by record,
 * and as records end at ASCII bytes no character spans two calls. */
static void
utf8_count(const unsigned char *s, size_t n, struct utf8_tally *t)
{
	size_t i = 0;

	if (t->decided)
		return;
	t->truncated = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t need, k;
		uint32_t cp;

		if (c < 0x80) {
			/* ASCII runs are most of a roster: 8 bytes a step */
			while (i + 8 <= n) {
				uint64_t w;

				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080ull)
					break;
				i += 8;
			}
			while (i < n && s[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else {
			t->bad++;
			i++;
			if (t->bad > 64 && t->bad * 100 > t->multi) {
				t->decided = 1;     /* plainly not UTF-8: GBK */
				return;
			}
			continue;
		}
		for (k = 1; k <= need && i + k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				break;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (k <= need) {
			if (i + k == n)
				t->truncated = 1;
			else
				t->bad++;
			i += k;
			if (t->bad > 64 && t->bad * 100 > t->multi) {
				t->decided = 1;
				return;
			}
			continue;
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			t->bad++;
		else
			t->multi++;
		i += need + 1;
	}
}

/* Blanks around a field, in UTF-8: ASCII space and tab, line ends left by
 * Alt+Enter, U+3000 (ideographic space), NBSP and a stray U+FEFF. Lead
 * bytes C2, E3 and EF are never continuation bytes, so matching from the
 * end cannot cut a character. */
static void
trim(const char **sp, size_t *np)
{
	const unsigned char *s = (const unsigned char *)*sp;
	size_t n = *np;

	for (;;) {
		if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' ||
		    s[0] == '\n')) {
			s++;
			n--;
		} else if (n >= 2 && s[0] == 0xc2 && s[1] == 0xa0) {
			s += 2;
			n -= 2;
		} else if (n >= 3 && ((s[0] == 0xe3 && s[1] == 0x80 &&
		    s[2] == 0x80) || (s[0] == 0xef && s[1] == 0xbb &&
		    s[2] == 0xbf))) {
			s += 3;
			n -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		    s[n - 1] == '\r' || s[n - 1] == '\n')) {
			n--;
		} else if (n >= 2 && s[n - 2] == 0xc2 && s[n - 1] == 0xa0) {
			n -= 2;
		} else if (n >= 3 && ((s[n - 3] == 0xe3 && s[n - 2] == 0x80 &&
		    s[n - 1] == 0x80) || (s[n - 3] == 0xef && s[n - 2] == 0xbb &&
		    s[n - 1] == 0xbf))) {
			n -= 3;
		} else {
			break;
		}
	}
	*sp = (const char *)s;
	*np = n;
}

static int
is_ascii(const unsigned char *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			return 0;
	}
	for (; i < n; i++)
		if (s[i] & 0x80)
			return 0;
	return 1;
}

/* Most cells are a few bytes; gcc turns a variable memcpy into rep movsq,
 * whose start-up costs more than such a cell (measured: 15 % of reading). */
static void
copy_small(char *dst, const char *src, size_t n)
{
	if (n > 32) {
		memcpy(dst, src, n);
		return;
	}
	while (n--)
		*dst++ = *src++;
}

/* ---- libcsv callbacks ------------------------------------------------ */

/* libcsv grows its field buffer without limit; refusing past RAW_FIELD_MAX
 * makes csv_parse stop with CSV_ENOMEM, which we report as a field over the
 * limit. Stateless, as the callback has no context argument. */
static void *
capped_realloc(void *p, size_t n)
{
	if (n > RAW_FIELD_MAX)
		return NULL;
	return realloc(p, n);
}

static void
field_error(struct csvin *r, const char *en, const char *zh)
{
	if (!r->ferr_en) {
		r->ferr_en = en;
		r->ferr_zh = zh;
	}
}

/* One field: convert (GB18030) or check (damaged UTF-8), trim, store. A
 * field that does not convert is stored empty and named in bad_field, so
 * the row can still be reported with the rest of its cells. */
static void
on_field(void *s, size_t n, void *arg)
{
	struct csvin *r = arg;
	struct csv_row *row = r->row;
	const char *txt = s;
	size_t tn = n;
	int idx = r->nf++, bad = 0;

	if (r->rows || r->ferr_en)
		return;
	if (r->enc == CSV_GB18030 && !is_ascii(s, n)) {
		char *in = s, *out = r->conv;
		size_t inleft = n, outleft = CONV_MAX;

		if (iconv(r->cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
			/* EILSEQ: a byte GB18030 does not have; EINVAL: the
			 * text ends inside a character; E2BIG cannot happen
			 * (CONV_MAX covers the worst growth). No //IGNORE:
			 * the official sees which cell is damaged instead. */
			bad = 1;
			iconv(r->cd, NULL, NULL, NULL, NULL);
		}
		txt = r->conv;
		tn = CONV_MAX - outleft;
	} else if (r->check_utf8 && !is_ascii(s, n) && !utf8_valid(s, n)) {
		bad = 1;
	}
	if (!bad && r->has_nul && memchr(txt, '\0', tn))
		bad = 1;
	if (!bad)
		trim(&txt, &tn);
	if (idx >= CSV_MAX_FIELDS) {
		/* Excel writes empty cells up to the widest row: those may
		 * run past the limit harmlessly. */
		if (bad || tn)
			field_error(r, "a row has more than 64 columns",
			    "某行超过 64 列");
		return;
	}
	if (bad) {
		if (row->bad_field < 0)
			row->bad_field = idx;
		tn = 0;
	} else if (tn > CSV_MAX_FIELD_BYTES) {
		field_error(r, "a cell is longer than 4096 bytes (is a quote "
		    "left open?)", "某个单元格超过 4096 字节（是否有引号未闭合？）");
		return;
	}
	copy_small(r->arena + r->used, txt, tn);
	r->arena[r->used + tn] = '\0';
	row->field[idx] = r->arena + r->used;
	r->used += tn + 1;
	row->nfields = idx + 1;
}

static void
on_row(int c, void *arg)
{
	struct csvin *r = arg;

	(void)c;
	r->rows++;
}

/* ---- the reader ------------------------------------------------------ */

static int
refuse(const char **why_en, const char **why_zh, const char *en,
    const char *zh)
{
	if (why_en)
		*why_en = en;
	if (why_zh)
		*why_zh = zh;
	return ERR_INVALID;
}

/* Signatures of what officials upload by mistake, with what to do instead. */
static int
sniff(const unsigned char *d, size_t len, const char **why_en,
    const char **why_zh)
{
	if (len >= 4 && d[0] == 'P' && d[1] == 'K' &&
	    ((d[2] == 3 && d[3] == 4) || (d[2] == 5 && d[3] == 6) ||
	    (d[2] == 7 && d[3] == 8)))
		return refuse(why_en, why_zh,
		    "this is an Excel workbook (.xlsx) or a zip file, not CSV: "
		    "in Excel choose Save As, \"CSV UTF-8 (Comma delimited)\"",
		    "这是 Excel 工作簿（.xlsx）或压缩包，不是 CSV 文件：请在 Excel "
		    "中“另存为”，选择“CSV UTF-8（逗号分隔）”后再上传");
	if (len >= 8 && !memcmp(d, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
		return refuse(why_en, why_zh,
		    "this is an old Excel (.xls) or WPS (.et) workbook, not CSV: "
		    "choose Save As, \"CSV UTF-8 (Comma delimited)\"",
		    "这是旧版 Excel（.xls）或 WPS（.et）工作簿，不是 CSV 文件：请"
		    "“另存为”，选择“CSV UTF-8（逗号分隔）”后再上传");
	if (len >= 5 && !memcmp(d, "%PDF-", 5))
		return refuse(why_en, why_zh,
		    "this is a PDF, not CSV: export the roster from Excel as "
		    "\"CSV UTF-8 (Comma delimited)\"",
		    "这是 PDF 文件，不是 CSV 文件：请从 Excel 另存为"
		    "“CSV UTF-8（逗号分隔）”");
	if (len >= 2 && ((d[0] == 0xff && d[1] == 0xfe) ||
	    (d[0] == 0xfe && d[1] == 0xff)))
		return refuse(why_en, why_zh,
		    "this is \"Unicode text\" (UTF-16), not CSV: choose Save As, "
		    "\"CSV UTF-8 (Comma delimited)\"",
		    "这是“Unicode 文本”（UTF-16），不是 CSV 文件：请“另存为”，"
		    "选择“CSV UTF-8（逗号分隔）”");
	if (memchr(d, '\0', len < SNIFF_BYTES ? len : SNIFF_BYTES))
		return refuse(why_en, why_zh,
		    "the file contains NUL bytes: it is not CSV text",
		    "文件含有空字节（NUL），不是 CSV 文本文件");
	return 0;
}

/* ---- the window over a stream ---------------------------------------- */

/* Reads until the window is full or the stream ends, after moving the
 * bytes from just before pos (the byte before a record tells CR LF from a
 * lone LF) to the front. */
static int
refill(struct csvin *r)
{
	size_t keep = r->pos > 0 ? r->pos - 1 : 0;

	if (!r->win || r->eof)
		return 0;
	memmove(r->win, r->win + keep, r->len - keep);
	r->len -= keep;
	r->pos -= keep;
	r->body = r->body > keep ? r->body - keep : 0;
	while (r->len < r->win_cap) {
		size_t got = 0;
		int rc = r->src.read(r->src.ctx, (char *)r->win + r->len,
		    r->win_cap - r->len, &got);

		if (rc < 0)
			return r->src_err = rc;
		if (got == 0) {
			r->eof = 1;
			break;
		}
		r->len += got;
	}
	r->data = r->win;
	return 0;
}

/* scan_record over the whole file or a stream's window. A scan that ran
 * into the window's end (not the stream's) is not believed: the blank
 * lines before the record are passed, the window moved to start at the
 * record and filled, and the record scanned again; with the window at
 * least 2 * record_max + 1 bytes, the second scan sees the record's end or
 * more than record_max of it. Returns what scan_record does, or the
 * source's error. */
static int
next_span(struct csvin *r, struct span *sp)
{
	int rc;

	for (;;) {
		if (r->win && !r->eof && r->len - r->pos <= r->record_max &&
		    (rc = refill(r)))
			return rc;
		rc = scan_record(r->data, r->len, r->pos, r->record_max, sp);
		if (!r->win || r->eof || rc == ERR_TOOBIG ||
		    (rc == 1 && sp->term && sp->end < r->len))
			break;
		/* ran into the window's end: the blank lines passed are
		 * counted here, so the caller's r->number + sp->blank + 1
		 * stays right */
		r->number += sp->blank;
		r->pos = sp->start;
		if ((rc = refill(r)))
			return rc;
	}
	return rc;
}

/* Back to the file's first record. */
static int
restart(struct csvin *r)
{
	int rc;

	r->number = 0;
	r->fatal = 0;
	if (!r->win) {
		r->pos = r->body;
		return 0;
	}
	if ((rc = r->src.rewind(r->src.ctx)) < 0)
		return r->src_err = rc;
	r->len = r->pos = 0;
	r->eof = 0;
	if ((rc = refill(r)))
		return rc;
	r->body = r->pos = r->len >= 3 && r->win[0] == 0xef &&
	    r->win[1] == 0xbb && r->win[2] == 0xbf ? 3 : 0;
	return 0;
}

/* Counts the records csvin_next will return: blank lines and rows of
 * nothing but commas (Excel writes those below a formatted area) are not
 * records. A record that cannot be split ends the count; csvin_next will
 * report it. A stream's characters and NUL bytes are counted on the same
 * pass (*t, r->has_nul), as it cannot be read twice for free. */
static int
count_records(struct csvin *r, struct utf8_tally *t)
{
	struct span sp;
	long n = 0;
	int rc;

	while ((rc = next_span(r, &sp)) == 1) {
		n += sp.content;
		if (r->win) {
			utf8_count(r->data + sp.start, sp.end - sp.start, t);
			if (!r->has_nul && memchr(r->data + sp.start, '\0',
			    sp.end - sp.start))
				r->has_nul = 1;
		}
		r->pos = sp.end;
	}
	if (r->src_err)
		return r->src_err;
	r->records = rc < 0 ? n + 1 : n;
	return restart(r);
}

/* Both ways of opening: the whole file in memory (data), or a stream (src,
 * data NULL) of which the first window is already read. */
static int
open_reader(struct csvin *r, const char **why_en, const char **why_zh)
{
	struct utf8_tally t;
	int rc;

	memset(&t, 0, sizeof(t));
	if (r->len == 0)
		return refuse(why_en, why_zh, "the file is empty", "文件为空");
	if ((rc = sniff(r->data, r->len, why_en, why_zh)))
		return rc;
	if (r->len >= 3 && r->data[0] == 0xef && r->data[1] == 0xbb &&
	    r->data[2] == 0xbf)
		r->body = 3;
	r->pos = r->body;
	if (!r->win) {
		r->has_nul = r->len > SNIFF_BYTES && memchr(r->data + SNIFF_BYTES,
		    '\0', r->len - SNIFF_BYTES) != NULL;
		utf8_count(r->data + r->body, r->len - r->body, &t);
	}
	r->arena = malloc(ARENA_BYTES);
	r->conv = malloc(CONV_MAX);
	if (!r->arena || !r->conv || csv_init(&r->p, 0))
		return ERR_NOMEM;
	r->parser_ready = 1;
	/* One allocation of the whole cap: no regrowth in the hot path. */
	csv_set_realloc_func(&r->p, capped_realloc);
	csv_set_blk_size(&r->p, RAW_FIELD_MAX);
	if ((rc = count_records(r, &t))) {
		refuse(why_en, why_zh, "the stored file cannot be read",
		    "无法读取已保存的文件");
		return rc;
	}
	if (r->records == 0)
		return refuse(why_en, why_zh, "the file has no rows",
		    "文件中没有数据行");

	/* BOM → UTF-8; valid UTF-8 → UTF-8; else GB18030 (library-choices
	 * §5). One refinement: a file that is UTF-8 but for a character cut
	 * at its very end, or for under 1 % damaged sequences, stays UTF-8
	 * with the damaged cells reported, because decoding it as GB18030
	 * would turn every Chinese character into a wrong one without any
	 * error. Real GBK text is invalid UTF-8 far more often than that. */
	if (r->body) {
		r->enc = CSV_UTF8_BOM;
		r->check_utf8 = t.bad || t.truncated;
	} else if (!t.bad && !t.truncated) {
		r->enc = CSV_UTF8;
	} else if (t.multi > 0 && t.bad * 100 <= t.multi) {
		r->enc = CSV_UTF8;
		r->check_utf8 = 1;
	} else {
		r->enc = CSV_GB18030;
		r->cd = iconv_open("UTF-8", "GB18030");
		if (r->cd == (iconv_t)-1)
			return refuse(why_en, why_zh,
			    "the file is GBK/GB18030 and this server cannot "
			    "convert it: save it as \"CSV UTF-8\"",
			    "文件为 GBK/GB18030 编码，服务器无法转换：请另存为"
			    "“CSV UTF-8”");
	}
	return 0;
}

static struct csvin *
new_reader(const char **why_en, const char **why_zh)
{
	struct csvin *r = calloc(1, sizeof(*r));

	if (why_en)
		*why_en = NULL;
	if (why_zh)
		*why_zh = NULL;
	if (!r) {
		refuse(why_en, why_zh, "out of memory", "服务器内存不足");
		return NULL;
	}
	r->cd = (iconv_t)-1;
	r->record_max = RECORD_MAX;
	return r;
}

static int
opened(struct csvin *r, int rc, struct csvin **out, const char **why_en,
    const char **why_zh)
{
	if (rc == ERR_NOMEM)
		refuse(why_en, why_zh, "out of memory", "服务器内存不足");
	if (rc) {
		csvin_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int
csvin_open(const char *data, size_t len, struct csvin **out,
    const char **why_en, const char **why_zh)
{
	struct csvin *r;

	if (out)
		*out = NULL;
	if (!out)
		return ERR_INVALID;
	if (!(r = new_reader(why_en, why_zh)))
		return ERR_NOMEM;
	r->data = (const unsigned char *)data;
	r->len = data ? len : 0;
	return opened(r, open_reader(r, why_en, why_zh), out, why_en, why_zh);
}

int
csvin_open_stream(const struct csv_source *src, struct csvin **out,
    const char **why_en, const char **why_zh)
{
	struct csvin *r;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !src || !src->read || !src->rewind)
		return ERR_INVALID;
	if (!(r = new_reader(why_en, why_zh)))
		return ERR_NOMEM;
	r->src = *src;
	r->win_cap = src->window ? src->window : CSVIN_WINDOW;
	if (r->win_cap < 2 * RECORD_MAX + 1)
		r->record_max = (r->win_cap - 1) / 2;
	if (r->win_cap < 3 || !(r->win = malloc(r->win_cap)))
		rc = r->win_cap < 3 ? ERR_INVALID : ERR_NOMEM;
	else if ((rc = refill(r)))
		refuse(why_en, why_zh, "the stored file cannot be read",
		    "无法读取已保存的文件");
	else
		rc = open_reader(r, why_en, why_zh);
	return opened(r, rc, out, why_en, why_zh);
}

void
csvin_close(struct csvin *r)
{
	if (!r)
		return;
	if (r->parser_ready)
		csv_free(&r->p);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r->arena);
	free(r->conv);
	free(r->win);
	free(r);
}

enum csv_encoding
csvin_encoding(const struct csvin *r)
{
	return r->enc;
}

long
csvin_records(const struct csvin *r)
{
	return r->records;
}

void
csvin_last_error(const struct csvin *r, const char **why_en,
    const char **why_zh)
{
	if (why_en)
		*why_en = r->why_en;
	if (why_zh)
		*why_zh = r->why_zh;
}

/* Reports a record that cannot be split; everything after it is lost to
 * the reader, so this state sticks. */
static int
fail_split(struct csvin *r, int rc, long number, struct csv_row *row)
{
	r->fatal = 1;
	r->number = number;
	r->pos = r->len;
	r->eof = 1;
	if (r->src_err) {
		r->why_en = "the stored file cannot be read";
		r->why_zh = "无法读取已保存的文件";
	} else if (rc == ERR_TOOBIG) {
		r->why_en = "a row is longer than 1 MiB: probably a quote (\") "
		    "that is never closed";
		r->why_zh = "某行超过 1 MiB：可能有引号（\"）未闭合";
	} else if (rc == ERR_INVALID) {
		r->why_en = "a quote (\") opened in this row is never closed";
		r->why_zh = "该行有引号（\"）未闭合";
	} else {
		r->why_en = "internal error: the CSV parser disagrees on where "
		    "this row ends";
		r->why_zh = "内部错误：CSV 解析器对该行的结束位置判断不一致";
	}
	if (row)
		row->number = number;
	return r->src_err ? r->src_err : ERR_INVALID;
}

int
csvin_next(struct csvin *r, struct csv_row *row)
{
	struct span sp;
	long number;
	size_t done, n;
	int rc, i;

	row->nfields = 0;
	row->bad_field = -1;
	if (r->fatal) {
		row->number = r->number;
		return r->src_err ? r->src_err : ERR_INVALID;
	}
	for (;;) {
		rc = next_span(r, &sp);
		if (rc == 0) {
			r->pos = r->len;
			row->number = r->number;
			return 0;
		}
		number = r->number + sp.blank + 1;
		if (rc < 0)
			return fail_split(r, rc, number, row);
		r->number = number;
		r->pos = sp.end;
		if (sp.content)
			break;
	}

	row->number = number;
	r->row = row;
	r->nf = 0;
	r->rows = 0;
	r->used = 0;
	r->ferr_en = r->ferr_zh = NULL;
	n = sp.end - sp.start;
	done = csv_parse(&r->p, r->data + sp.start, n, on_field, on_row, r);
	if (done < n) {
		field_error(r, "a cell is longer than 4096 bytes (is a quote "
		    "left open?)", "某个单元格超过 4096 字节（是否有引号未闭合？）");
	} else if (!sp.term) {
		csv_fini(&r->p, on_field, on_row, r);
	}
	r->row = NULL;
	if (r->ferr_en) {
		/* The record's end is known, so the next call goes on with the
		 * record after it: reset libcsv's half-parsed state. */
		csv_fini(&r->p, NULL, NULL, NULL);
		r->why_en = r->ferr_en;
		r->why_zh = r->ferr_zh;
		row->nfields = 0;
		row->bad_field = -1;
		return ERR_INVALID;
	}
	if (r->rows != 1) {
		csv_fini(&r->p, NULL, NULL, NULL);
		row->nfields = 0;
		return fail_split(r, ERR_INTERNAL, number, row);
	}
	for (i = row->nfields; i < CSV_MAX_FIELDS; i++)
		row->field[i] = empty_field;
	return 1;
}

int
csvin_seek_record(struct csvin *r, long number)
{
	struct span sp;
	int rc;

	/* Back: start over (from memory, or by rewinding the stream). */
	if (number <= r->number && (rc = restart(r)))
		return fail_split(r, rc, 0, NULL);
	if (r->fatal)
		return r->src_err ? r->src_err : ERR_INVALID;
	for (;;) {
		long next;

		rc = next_span(r, &sp);
		if (rc == 0)
			return 0;
		next = r->number + sp.blank + 1;
		if (next >= number) {
			/* csvin_next returns (or reports) it; with a stream
			 * the scan is repeated there, from the same place */
			return 0;
		}
		if (rc < 0)
			return fail_split(r, rc, next, NULL);
		r->number = next;
		r->pos = sp.end;
	}
}
