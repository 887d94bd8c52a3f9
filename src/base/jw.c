#include "base/jw.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"

void
jw_init(struct jw *w, struct buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

static inline void
put(struct jw *w, const char *s, size_t n)
{
	if (!w->err)
		w->err = buf_append(w->out, s, n);
}

/* Called before every value: handles commas and the key/value protocol. */
static int
pre_value(struct jw *w)
{
	if (w->err)
		return -1;
	if (w->depth == 0) {
		if (w->count[0]) {
			w->err = ERR_INVALID;      /* two top-level values */
			return -1;
		}
		w->count[0] = 1;
		return 0;
	}
	if (w->kind[w->depth - 1] == 'o') {
		if (!w->want_value) {
			w->err = ERR_INVALID;      /* value without a key */
			return -1;
		}
		w->want_value = 0;
		return 0;
	}
	if (w->count[w->depth])
		put(w, ",", 1);
	w->count[w->depth] = 1;
	return w->err ? -1 : 0;
}

static void
open_container(struct jw *w, char kind)
{
	if (pre_value(w))
		return;
	if (w->depth + 1 >= JW_MAXDEPTH) {
		w->err = ERR_INVALID;
		return;
	}
	w->kind[w->depth] = (unsigned char)kind;
	w->depth++;
	w->count[w->depth] = 0;
	put(w, kind == 'o' ? "{" : "[", 1);
}

static void
close_container(struct jw *w, char kind)
{
	if (w->err)
		return;
	if (w->depth == 0 || w->kind[w->depth - 1] != (unsigned char)kind ||
	    w->want_value) {
		w->err = ERR_INVALID;
		return;
	}
	w->depth--;
	put(w, kind == 'o' ? "}" : "]", 1);
}

void jw_obj_open(struct jw *w) { open_container(w, 'o'); }
void jw_obj_close(struct jw *w) { close_container(w, 'o'); }
void jw_arr_open(struct jw *w) { open_container(w, 'a'); }
void jw_arr_close(struct jw *w) { close_container(w, 'a'); }

/* Bytes written as they are: printable ASCII but '"', '\\' and '<'. */
static const unsigned char plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* SWAR tests on eight bytes at once. */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
static inline uint64_t
has_zero(uint64_t v)
{
	return (v - ONES) & ~v & HIGHS;
}

/* Eight bytes that are all in plain[]: printable ASCII (no high bit, none
 * below 0x20, no DEL) and none of '"', '\\', '<'. */
static inline int
plain8(uint64_t v)
{
	return !((v & HIGHS) | ((v - ONES * 0x20) & ~v & HIGHS) |
	    has_zero(v ^ (ONES * 0x7f)) | has_zero(v ^ (ONES * '"')) |
	    has_zero(v ^ (ONES * '\\')) | has_zero(v ^ (ONES * '<')));
}

/* Escapes into space reserved once for the worst case (every byte
 * becoming \u00XX) and checks UTF-8 on the way, so a string costs one
 * pass and one copy; `after` (a ':' after a key), when not NUL, follows
 * the closing quote. Invalid UTF-8 (or NUL) sets ERR_INVALID and writes
 * nothing: it would make the document unparseable for clients. */
static void
put_escaped(struct jw *w, const char *str, size_t n, char after)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	struct buf *b = w->out;
	char *o;
	size_t i = 0;

	if (w->err)
		return;
	if (n > (b->max - 3) / 6) {
		w->err = ERR_TOOBIG;
		return;
	}
	if ((w->err = buf_reserve(b, 6 * n + 3)))
		return;
	o = b->data + b->len;
	*o++ = '"';
	while (i < n) {
		unsigned char c = s[i];

		if (i + 8 <= n) {
			uint64_t v;

			memcpy(&v, s + i, 8);
			if (plain8(v)) {
				memcpy(o, s + i, 8);
				o += 8;
				i += 8;
				continue;
			}
		}
		if (plain[c]) {
			*o++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t k = utf8_seq_len(s + i, n - i);

			if (!k)
				goto invalid;
			/* two to four bytes: copied without a call */
			o[0] = (char)s[i];
			o[1] = (char)s[i + 1];
			if (k > 2)
				o[2] = (char)s[i + 2];
			if (k > 3)
				o[3] = (char)s[i + 3];
			o += k;
			i += k;
			continue;
		}
		if (c == 0)
			goto invalid;     /* NUL has no place in our text */
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			/* '<' keeps JSON safe to embed in HTML; the rest are
			 * control characters and DEL */
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
		i++;
	}
	*o++ = '"';
	if (after)
		*o++ = after;
	*o = '\0';
	b->len = (size_t)(o - b->data);
	return;
invalid:
	b->data[b->len] = '\0';
	w->err = ERR_INVALID;
}

/* What every key does first: it must stand in an object, after a value;
 * the comma before all but the first. 0 when the key may follow. */
static int
pre_key(struct jw *w)
{
	if (w->err)
		return -1;
	if (w->depth == 0 || w->kind[w->depth - 1] != 'o' || w->want_value) {
		w->err = ERR_INVALID;
		return -1;
	}
	if (w->count[w->depth])
		put(w, ",", 1);
	w->count[w->depth] = 1;
	w->want_value = 1;
	return 0;
}

void
jw_key(struct jw *w, const char *key)
{
	if (!pre_key(w))
		put_escaped(w, key, strlen(key), ':');
}

void
jw_strn(struct jw *w, const char *s, size_t n)
{
	if (pre_value(w))
		return;
	if (!s) {
		put(w, "null", 4);
		return;
	}
	put_escaped(w, s, n, '\0');
}

void
jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, s ? strlen(s) : 0);
}

void
jw_int(struct jw *w, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (pre_value(w))
		return;
	/* digits by hand: printf's machinery costs more than the rest of a
	 * list row */
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	put(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
jw_double(struct jw *w, double v, int decimals)
{
	char tmp[64];
	int n;

	if (pre_value(w))
		return;
	if (!isfinite(v)) {
		put(w, "null", 4);
		return;
	}
	if (decimals < 0 || decimals > 10)
		decimals = 4;
	/* large magnitudes in exponent form: %f would print 10^300 digits,
	 * and integers past 2^63 that parsers refuse */
	if (fabs(v) >= 1e15)
		n = snprintf(tmp, sizeof(tmp), "%.17g", v);
	else
		n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		w->err = ERR_INVALID;
		return;
	}
	/* trim trailing zeros so 0.5000 prints as 0.5 */
	if (memchr(tmp, '.', (size_t)n) && !memchr(tmp, 'e', (size_t)n)) {
		while (n > 1 && tmp[n - 1] == '0')
			n--;
		if (tmp[n - 1] == '.')
			n--;
	}
	put(w, tmp, (size_t)n);
}

void
jw_bool(struct jw *w, int v)
{
	if (pre_value(w))
		return;
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void
jw_null(struct jw *w)
{
	if (pre_value(w))
		return;
	put(w, "null", 4);
}

void
jw_raw(struct jw *w, const char *json, size_t n)
{
	if (pre_value(w))
		return;
	put(w, json, n);
}

int
jw_finish(struct jw *w)
{
	/* unclosed containers, a dangling key, or nothing written at all */
	if (!w->err && (w->depth != 0 || w->want_value || !w->count[0]))
		w->err = ERR_INVALID;
	return w->err;
}

void
jw_key_quoted(struct jw *w, const char *quoted, size_t n)
{
	if (!pre_key(w))
		put(w, quoted, n);
}

void
jw_time(struct jw *w, int64_t epoch)
{
	char iso[32];

	if (epoch == 0) {
		jw_null(w);
		return;
	}
	time_iso(epoch, iso, sizeof(iso));
	jw_str(w, iso);
}
