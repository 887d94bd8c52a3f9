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

/* Decimal digits of v ending at end; returns where they begin. */
static inline char *
int_digits(char *end, int64_t v)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char *p = end;

	/* digits by hand: printf's machinery costs more than the rest of a
	 * list row */
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return p;
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

/* A run of three-byte sequences whose lead byte admits every
 * continuation (E1-EC, EE, EF: most Chinese text), copied without going
 * back to the eight-byte test for each character; returns the bytes
 * consumed. */
static inline size_t
cjk_run(char *o, const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (n - i >= 3 && s[i] >= 0xe1 && s[i] <= 0xef && s[i] != 0xed &&
	    (s[i + 1] & 0xc0) == 0x80 && (s[i + 2] & 0xc0) == 0x80) {
		o[i] = (char)s[i];
		o[i + 1] = (char)s[i + 1];
		o[i + 2] = (char)s[i + 2];
		i += 3;
	}
	return i;
}

/* Writes s quoted and escaped at o, which has room for the worst case
 * (6n + 2: every byte becoming \u00XX), checking UTF-8 on the way, so a
 * string costs one pass and one copy. Returns the position after the
 * closing quote, or NULL for invalid UTF-8 or a NUL: such text would make
 * the document unparseable for clients. */
static char *
escape_into(char *o, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

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
			size_t k = cjk_run(o, s + i, n - i);

			if (k) {
				o += k;
				i += k;
				continue;
			}
			k = utf8_seq_len(s + i, n - i);
			if (!k)
				return NULL;
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
			return NULL;     /* NUL has no place in our text */
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
	return o;
}

/* Room for n bytes escaped (every byte as \u00XX at worst), their quotes
 * and one byte after; SIZE_MAX, more than any buffer's ceiling, where 6n
 * would overflow. */
static inline size_t
escaped_room(size_t n)
{
	return n > (SIZE_MAX - 3) / 6 ? SIZE_MAX : 6 * n + 3;
}

/* Ends what was written at o since the buffer's length: commits it, or
 * (o NULL: invalid text) drops it and sets ERR_INVALID. */
static inline int
commit(struct jw *w, char *o)
{
	struct buf *b = w->out;

	if (!o) {
		b->data[b->len] = '\0';
		w->err = ERR_INVALID;
		return -1;
	}
	*o = '\0';
	b->len = (size_t)(o - b->data);
	return 0;
}

/* A quoted, escaped string as a value. */
static void
put_escaped(struct jw *w, const char *str, size_t n)
{
	struct buf *b = w->out;
	size_t room = escaped_room(n);

	if (w->err)
		return;
	if (room > b->max) {
		w->err = ERR_TOOBIG;
		return;
	}
	if ((w->err = buf_reserve(b, room)))
		return;
	commit(w, escape_into(b->data + b->len, str, n));
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
	put_escaped(w, s, n);
}

void
jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, s ? strlen(s) : 0);
}

void
jw_int(struct jw *w, int64_t v)
{
	char tmp[24], *p = int_digits(tmp + sizeof(tmp), v);

	if (pre_value(w))
		return;
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
jw_obj_merge_close(struct jw *w, const char *obj, size_t n)
{
	struct buf *b = w->out;
	char *o;

	if (w->err)
		return;
	if (w->depth == 0 || w->kind[w->depth - 1] != 'o' || w->want_value ||
	    n < 2 || obj[0] != '{' || obj[n - 1] != '}') {
		w->err = ERR_INVALID;
		return;
	}
	if ((w->err = buf_reserve(b, n)))
		return;
	o = b->data + b->len;
	if (n > 2) {
		/* its members follow ours; its '}' closes the object */
		if (w->count[w->depth])
			*o++ = ',';
		memcpy(o, obj + 1, n - 1);
		o += n - 1;
	} else {
		*o++ = '}';
	}
	*o = '\0';
	b->len = (size_t)(o - b->data);
	w->depth--;
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

/* Every key goes through kv_open and kv_done. The fused "key": value
 * writers do in one reservation what a key and a value call would do in
 * four: a list row is mostly keys and short values, and the per-call
 * protocol was most of its cost. */

/* The comma (for all but an object's first member) and the quoted key,
 * with room for `room` more bytes after them: the position after the
 * key, or NULL (w->err set) when a key cannot stand here or there is no
 * room. The caller ends with kv_done; nothing counts until then. */
static inline char *
kv_open(struct jw *w, const char *quoted, size_t kn, size_t room)
{
	struct buf *b = w->out;
	char *o;

	if (w->err)
		return NULL;
	if (w->depth == 0 || w->kind[w->depth - 1] != 'o' || w->want_value) {
		w->err = ERR_INVALID;
		return NULL;
	}
	if (room > b->max) {
		w->err = ERR_TOOBIG;
		return NULL;
	}
	if ((w->err = buf_reserve(b, 1 + kn + room)))
		return NULL;
	o = b->data + b->len;
	if (w->count[w->depth])
		*o++ = ',';
	memcpy(o, quoted, kn);
	return o + kn;
}

/* Commits what kv_open began (o NULL: the text was invalid); a key alone
 * leaves its value wanted. */
static inline void
kv_done(struct jw *w, char *o, int want_value)
{
	if (!commit(w, o)) {
		w->count[w->depth] = 1;
		w->want_value = want_value;
	}
}

void
jw_key_quoted(struct jw *w, const char *quoted, size_t n)
{
	char *o = kv_open(w, quoted, n, 0);

	if (o)
		kv_done(w, o, 1);
}

void
jw_key(struct jw *w, const char *key)
{
	size_t n = strlen(key);
	char *o = kv_open(w, "", 0, escaped_room(n));

	if (!o)
		return;
	if ((o = escape_into(o, key, n)))
		*o++ = ':';
	kv_done(w, o, 1);
}

void
jw_kv_null(struct jw *w, const char *quoted, size_t kn)
{
	char *o = kv_open(w, quoted, kn, 4);

	if (!o)
		return;
	memcpy(o, "null", 4);
	kv_done(w, o + 4, 0);
}

void
jw_kv_strn(struct jw *w, const char *quoted, size_t kn, const char *s, size_t n)
{
	char *o;

	if (!s) {
		jw_kv_null(w, quoted, kn);
		return;
	}
	if (!(o = kv_open(w, quoted, kn, escaped_room(n))))
		return;
	kv_done(w, escape_into(o, s, n), 0);
}

void
jw_kv_str(struct jw *w, const char *quoted, size_t kn, const char *s)
{
	jw_kv_strn(w, quoted, kn, s, s ? strlen(s) : 0);
}

void
jw_kv_int(struct jw *w, const char *quoted, size_t kn, int64_t v)
{
	char tmp[24], *p = int_digits(tmp + sizeof(tmp), v);
	size_t n = (size_t)(tmp + sizeof(tmp) - p);
	char *o = kv_open(w, quoted, kn, n);

	if (!o)
		return;
	memcpy(o, p, n);
	kv_done(w, o + n, 0);
}

void
jw_kv_bool(struct jw *w, const char *quoted, size_t kn, int v)
{
	char *o = kv_open(w, quoted, kn, 5);

	if (!o)
		return;
	memcpy(o, v ? "true" : "false", v ? 4 : 5);
	kv_done(w, o + (v ? 4 : 5), 0);
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
