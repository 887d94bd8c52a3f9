/* src/base/jw.h: the streaming JSON writer every response goes through.
 * Exact bytes are checked where the format is ours to choose (escapes,
 * number spelling); every successful document is also parsed back with
 * jansson, because "the client can parse it" is the property that matters. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"


struct fx {
	struct buf b;
	struct jw w;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	buf_init(&f->b, 1u << 16);
	jw_init(&f->w, &f->b);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	buf_free(&f->b);
	free(f);
	return 0;
}

/* Finishes the document, which must succeed, equal `want` when given, and
 * parse with jansson (any top-level value). Returns the parsed value. */
static json_t *
done(struct fx *f, const char *want)
{
	json_error_t je;
	json_t *j;

	assert_int_equal(jw_finish(&f->w), 0);
	assert_non_null(f->b.data);
	if (want)
		assert_string_equal(f->b.data, want);
	j = json_loadb(f->b.data, f->b.len, JSON_DECODE_ANY |
	    JSON_REJECT_DUPLICATES, &je);
	if (!j)
		fail_msg("jansson refuses %s: %s", f->b.data, je.text);
	return j;
}

/* The first failure sticks: finish reports it. */
static void
refused(struct fx *f)
{
	assert_int_equal(jw_finish(&f->w), ERR_INVALID);
	/* and stays: a second finish says the same */
	assert_int_equal(jw_finish(&f->w), ERR_INVALID);
}

static void
test_structure(void **state)
{
	struct fx *f = *state;
	json_t *j;

	jw_obj_open(&f->w);
	jw_key(&f->w, "a");
	jw_arr_open(&f->w);
	jw_int(&f->w, 1);
	jw_obj_open(&f->w);
	jw_kbool(&f->w, "b", 1);
	jw_kbool(&f->w, "f", 0);
	jw_obj_close(&f->w);
	jw_arr_open(&f->w);
	jw_arr_close(&f->w);
	jw_obj_open(&f->w);
	jw_obj_close(&f->w);
	jw_arr_close(&f->w);
	jw_knull(&f->w, "c");
	jw_kstr(&f->w, "d", "x");
	jw_kint(&f->w, "e", -7);
	jw_kstr(&f->w, "n", NULL);
	jw_key(&f->w, "r");
	jw_raw(&f->w, "{\"pre\":[1]}", 11);
	jw_obj_close(&f->w);
	j = done(f, "{\"a\":[1,{\"b\":true,\"f\":false},[],{}],\"c\":null,"
	    "\"d\":\"x\",\"e\":-7,\"n\":null,\"r\":{\"pre\":[1]}}");
	assert_int_equal(json_integer_value(json_object_get(j, "e")), -7);
	json_decref(j);
}

static void
test_top_level_scalar(void **state)
{
	struct fx *f = *state;
	json_t *j;

	/* a lone value is a document too (a count, a string) */
	jw_int(&f->w, 42);
	j = done(f, "42");
	json_decref(j);
}

static void
test_int_extremes(void **state)
{
	struct fx *f = *state;
	json_t *j;

	jw_arr_open(&f->w);
	jw_int(&f->w, INT64_MAX);
	jw_int(&f->w, INT64_MIN);
	jw_int(&f->w, 0);
	jw_arr_close(&f->w);
	j = done(f, "[9223372036854775807,-9223372036854775808,0]");
	assert_true(json_integer_value(json_array_get(j, 0)) == INT64_MAX);
	assert_true(json_integer_value(json_array_get(j, 1)) == INT64_MIN);
	json_decref(j);
}

static void
test_escaping(void **state)
{
	struct fx *f = *state;
	const char *s = "q\"b\\s/n\nr\rt\t\x01\x1f\x7f<tag>\xe4\xb8\xad\xe6\x96\x87";
	json_t *j;

	jw_str(&f->w, s);
	/* control chars as \u00XX (short forms for \n \r \t), '<' as
	 * \u003c so the JSON can sit in HTML, CJK and '/' as they are */
	j = done(f, "\"q\\\"b\\\\s/n\\nr\\rt\\t\\u0001\\u001f\\u007f"
	    "\\u003ctag>\xe4\xb8\xad\xe6\x96\x87\"");
	assert_string_equal(json_string_value(j), s);
	json_decref(j);
}

static void
test_escaping_keys(void **state)
{
	struct fx *f = *state;
	json_t *j;

	/* computed keys (literal ones are quoted at compile time) */
	jw_obj_open(&f->w);
	jw_key(&f->w, "a\"<\n\xe5\x90\x8d");
	jw_int(&f->w, 1);
	jw_obj_close(&f->w);
	j = done(f, "{\"a\\\"\\u003c\\n\xe5\x90\x8d\":1}");
	assert_int_equal(json_integer_value(json_object_get(j,
	    "a\"<\n\xe5\x90\x8d")), 1);
	json_decref(j);
}

static void
test_no_script_breakout(void **state)
{
	struct fx *f = *state;
	json_t *j;

	jw_str(&f->w, "</script><script>alert(1)</script>");
	j = done(f, NULL);
	assert_null(strchr(f->b.data, '<'));
	assert_string_equal(json_string_value(j),
	    "</script><script>alert(1)</script>");
	json_decref(j);
}

static void
test_every_control_char(void **state)
{
	struct fx *f = *state;
	char s[33];
	json_t *j;

	for (int i = 1; i < 32; i++)
		s[i - 1] = (char)i;
	s[31] = 0x7f;
	s[32] = '\0';
	jw_str(&f->w, s);
	j = done(f, NULL);
	/* nothing below 0x20 (nor DEL) reaches the output raw */
	for (size_t i = 0; i < f->b.len; i++)
		assert_true((unsigned char)f->b.data[i] >= 0x20 &&
		    (unsigned char)f->b.data[i] != 0x7f);
	assert_string_equal(json_string_value(j), s);
	json_decref(j);
}

static void
test_strn(void **state)
{
	struct fx *f = *state;
	json_t *j;

	/* only n bytes are taken */
	jw_arr_open(&f->w);
	jw_strn(&f->w, "abcdef", 3);
	jw_strn(&f->w, "", 0);
	jw_strn(&f->w, NULL, 5);
	jw_arr_close(&f->w);
	j = done(f, "[\"abc\",\"\",null]");
	json_decref(j);
}

/* The writer copies runs of eight plain bytes at once: every byte that
 * needs an escape must be caught wherever it falls in such a run. Each
 * string is compared with a byte-at-a-time reference escaper. */
static size_t
reference_escape(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	out[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = in[i];

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			out[o++] = '\\';
			out[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else if (c < 0x20 || c == '<' || c == 0x7f) {
			out[o++] = '\\';
			out[o++] = 'u';
			out[o++] = '0';
			out[o++] = '0';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o++] = '"';
	out[o] = '\0';
	return o;
}

static void
test_escaping_runs(void **state)
{
	struct fx *f = *state;
	static const unsigned char special[] = {'"', '\\', '<', 0x7f, 0x01,
	    0x1f, '\n', 0x20, 0x7e, 0xe4, 0xb8, 0xad};
	unsigned char in[40];
	char want[40 * 6 + 3];
	uint64_t seed = 42;

	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(round % 40);

		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			in[i] = (unsigned char)('a' + (seed >> 60));
		}
		/* one or two odd bytes at varying places in the run */
		if (n) {
			size_t at = (size_t)(seed >> 20) % n;
			unsigned char c = special[(seed >> 40) % sizeof(special)];

			if (c >= 0x80) {
				if (at + 3 > n)
					at = n >= 3 ? n - 3 : 0;
				if (n >= 3)
					memcpy(in + at, "\xe4\xb8\xad", 3);
			} else {
				in[at] = c;
				in[(at * 7 + 3) % n] = special[(seed >> 30) % 7];
			}
		}
		buf_reset(&f->b);
		jw_init(&f->w, &f->b);
		jw_strn(&f->w, (const char *)in, n);
		assert_int_equal(jw_finish(&f->w), 0);
		reference_escape(in, n, want);
		assert_string_equal(f->b.data, want);
	}
}

/* Strings built from random tokens: ASCII runs, escapes, and every
 * UTF-8 shape the writer treats differently (two, three and four bytes;
 * the E0 and ED leads whose ranges are narrowed; runs of CJK). With no
 * bad token the output must equal the reference; with one, through both
 * jw_strn and the fused jw_kstrn, the document must be refused. */
static void
test_utf8_token_runs(void **state)
{
	struct fx *f = *state;
	static const char *const good[] = {"a", "abcdefgh", "\"", "\\", "<",
	    "\x01", "\n", "\x7f", "\xc3\xa9", "\xe4\xb8\xad", "\xe4\xb8\xad\xe5\x9b\xbd",
	    "\xe0\xa4\x85", "\xed\x9f\xbf", "\xef\xbf\xbd", "\xf0\x9f\x98\x80",
	    "\xf4\x8f\xbf\xbf", "\xe9\xbe\xa5\xe9\xbe\xa5\xe9\xbe\xa5"};
	/* overlong, surrogate, past U+10FFFF, stray continuation, truncated
	 * lead before ASCII, a CJK lead with one bad continuation */
	static const char *const bad[] = {"\xc0\xaf", "\xe0\x80\xaf",
	    "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", "\xe4\xb8" "a",
	    "\xe4" "a" "\xad", "\xff"};
	unsigned char in[128];
	char want[128 * 6 + 3];
	uint64_t seed = 7;

	for (int round = 0; round < 20000; round++) {
		size_t n = 0;
		int broken = round % 3 == 0;
		size_t bad_at = 0;
		int tokens;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		tokens = (int)(seed >> 59);
		if (broken)
			bad_at = tokens ? (size_t)(seed >> 33) % (size_t)tokens : 0;
		for (int t = 0; t <= tokens; t++) {
			const char *tok;
			size_t len;

			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			tok = broken && (size_t)t == bad_at ?
			    bad[(seed >> 40) % (sizeof(bad) / sizeof(bad[0]))] :
			    good[(seed >> 40) % (sizeof(good) / sizeof(good[0]))];
			len = strlen(tok);
			if (n + len > sizeof(in))
				break;
			memcpy(in + n, tok, len);
			n += len;
			if (broken && (size_t)t == bad_at)
				bad_at = (size_t)-1;   /* placed */
		}
		buf_reset(&f->b);
		jw_init(&f->w, &f->b);
		jw_strn(&f->w, (const char *)in, n);
		if (broken && bad_at == (size_t)-1) {
			assert_int_equal(jw_finish(&f->w), ERR_INVALID);
			buf_reset(&f->b);
			jw_init(&f->w, &f->b);
			jw_obj_open(&f->w);
			jw_kstrn(&f->w, "k", (const char *)in, n);
			assert_int_equal(jw_finish(&f->w), ERR_INVALID);
			continue;
		}
		assert_int_equal(jw_finish(&f->w), 0);
		reference_escape(in, n, want);
		assert_string_equal(f->b.data, want);
	}
}

/* The fused "key": value writers write what key-then-value writes. */
static void
test_fused_same_as_separate(void **state)
{
	struct fx *f = *state;
	struct buf b2;
	struct jw w2;

	buf_init(&b2, 1u << 16);
	jw_init(&w2, &b2);
	jw_obj_open(&f->w);
	jw_kstr(&f->w, "s", "\xe5\x90\x8d<\"x\"");
	jw_kstrn(&f->w, "t", "abcdef", 3);
	jw_kstr(&f->w, "n", NULL);
	jw_kint(&f->w, "i", INT64_MIN);
	jw_kint(&f->w, "j", 0);
	jw_kbool(&f->w, "b", 1);
	jw_kbool(&f->w, "c", 0);
	jw_knull(&f->w, "z");
	jw_obj_close(&f->w);
	jw_obj_open(&w2);
	jw_key(&w2, "s");
	jw_str(&w2, "\xe5\x90\x8d<\"x\"");
	jw_key(&w2, "t");
	jw_strn(&w2, "abc", 3);
	jw_key(&w2, "n");
	jw_null(&w2);
	jw_key(&w2, "i");
	jw_int(&w2, INT64_MIN);
	jw_key(&w2, "j");
	jw_int(&w2, 0);
	jw_key(&w2, "b");
	jw_bool(&w2, 1);
	jw_key(&w2, "c");
	jw_bool(&w2, 0);
	jw_key(&w2, "z");
	jw_null(&w2);
	jw_obj_close(&w2);
	assert_int_equal(jw_finish(&w2), 0);
	json_decref(done(f, b2.data));
	assert_string_equal(f->b.data, "{\"s\":\"\xe5\x90\x8d\\u003c\\\"x\\\"\","
	    "\"t\":\"abc\",\"n\":null,\"i\":-9223372036854775808,\"j\":0,"
	    "\"b\":true,\"c\":false,\"z\":null}");
	buf_free(&b2);
}

/* A fused writer refused (in an array, after a dangling key, invalid
 * text) writes not a byte, and the refusal sticks. */
static void
test_fused_misuse(void **state)
{
	struct fx *f = *state;
	size_t len;

	jw_arr_open(&f->w);
	len = f->b.len;
	jw_kint(&f->w, "k", 1);
	assert_int_equal(f->b.len, len);
	jw_kstr(&f->w, "k", "v");
	jw_arr_close(&f->w);
	refused(f);

	buf_reset(&f->b);
	jw_init(&f->w, &f->b);
	jw_obj_open(&f->w);
	jw_key(&f->w, "a");
	len = f->b.len;
	jw_kbool(&f->w, "b", 1);
	assert_int_equal(f->b.len, len);
	refused(f);

	buf_reset(&f->b);
	jw_init(&f->w, &f->b);
	jw_obj_open(&f->w);
	jw_kint(&f->w, "a", 1);
	len = f->b.len;
	jw_kstr(&f->w, "b", "ok\xe4\xb8");
	assert_int_equal(f->b.len, len);
	assert_int_equal(f->b.data[len], '\0');
	jw_knull(&f->w, "c");
	assert_int_equal(f->b.len, len);
	refused(f);

	/* at top level */
	buf_reset(&f->b);
	jw_init(&f->w, &f->b);
	jw_knull(&f->w, "c");
	assert_int_equal(f->b.len, 0);
	refused(f);
}

static void
test_fused_ceiling(void **state)
{
	struct buf small;
	struct jw w;

	(void)state;
	buf_init(&small, 16);
	jw_init(&w, &small);
	jw_obj_open(&w);
	jw_kstr(&w, "k", "longer than the ceiling");
	jw_obj_close(&w);
	assert_int_equal(jw_finish(&w), ERR_TOOBIG);
	assert_true(small.len <= 16);
	buf_free(&small);
}

/* A stored object's members join the open object and close it; anything
 * but an object, or a merge where no object is open, is refused. */
static void
test_obj_merge_close(void **state)
{
	struct fx *f = *state;
	json_t *j;

	jw_arr_open(&f->w);
	jw_obj_open(&f->w);
	jw_kint(&f->w, "id", 7);
	jw_obj_merge_close(&f->w, "{\"a\":1,\"b\":\"x\"}", 15);
	jw_obj_open(&f->w);
	jw_obj_merge_close(&f->w, "{\"a\":2}", 7);
	jw_obj_open(&f->w);
	jw_kint(&f->w, "id", 8);
	jw_obj_merge_close(&f->w, "{}", 2);
	jw_arr_close(&f->w);
	j = done(f, "[{\"id\":7,\"a\":1,\"b\":\"x\"},{\"a\":2},{\"id\":8}]");
	json_decref(j);

	buf_reset(&f->b);
	jw_init(&f->w, &f->b);
	jw_obj_open(&f->w);
	jw_obj_merge_close(&f->w, "[1]", 3);
	refused(f);

	buf_reset(&f->b);
	jw_init(&f->w, &f->b);
	jw_arr_open(&f->w);
	jw_obj_merge_close(&f->w, "{}", 2);
	refused(f);

	buf_reset(&f->b);
	jw_init(&f->w, &f->b);
	jw_obj_open(&f->w);
	jw_key(&f->w, "k");
	jw_obj_merge_close(&f->w, "{\"a\":1}", 7);
	refused(f);
}

static void
test_invalid_utf8_refused(void **state)
{
	struct fx *f = *state;

	jw_arr_open(&f->w);
	jw_str(&f->w, "ok");
	jw_str(&f->w, "bad\xff");
	jw_arr_close(&f->w);
	refused(f);
}

static void
test_nul_in_string_refused(void **state)
{
	struct fx *f = *state;

	jw_strn(&f->w, "a\0b", 3);
	refused(f);
}

static void
test_surrogate_refused(void **state)
{
	struct fx *f = *state;

	jw_str(&f->w, "\xed\xa0\x80");
	refused(f);
}

static void
test_invalid_utf8_key(void **state)
{
	struct fx *f = *state;

	/* a computed key gets the UTF-8 check values get */
	jw_obj_open(&f->w);
	jw_key(&f->w, "k\xff");
	jw_int(&f->w, 1);
	jw_obj_close(&f->w);
	refused(f);
}

/* ---- misuse ---- */

static void
test_key_in_array(void **state)
{
	struct fx *f = *state;
	size_t len;

	jw_arr_open(&f->w);
	len = f->b.len;
	jw_key(&f->w, "k");
	/* refused on the spot: not a byte of it is written */
	assert_int_equal(f->b.len, len);
	jw_int(&f->w, 1);
	jw_arr_close(&f->w);
	refused(f);
}

static void
test_key_at_top_level(void **state)
{
	struct fx *f = *state;

	jw_key(&f->w, "k");
	refused(f);
}

static void
test_value_without_key(void **state)
{
	struct fx *f = *state;
	size_t len;

	jw_obj_open(&f->w);
	len = f->b.len;
	jw_int(&f->w, 1);
	assert_int_equal(f->b.len, len);
	jw_obj_close(&f->w);
	refused(f);
}

static void
test_two_keys_in_a_row(void **state)
{
	struct fx *f = *state;

	jw_obj_open(&f->w);
	jw_key(&f->w, "a");
	jw_key(&f->w, "b");
	jw_int(&f->w, 1);
	jw_obj_close(&f->w);
	refused(f);
}

static void
test_dangling_key(void **state)
{
	struct fx *f = *state;

	/* a key whose value never comes, closed or not */
	jw_obj_open(&f->w);
	jw_key(&f->w, "a");
	jw_obj_close(&f->w);
	refused(f);
}

static void
test_unclosed(void **state)
{
	struct fx *f = *state;

	jw_obj_open(&f->w);
	jw_key(&f->w, "a");
	jw_arr_open(&f->w);
	jw_arr_close(&f->w);
	refused(f);
}

static void
test_mismatched_close(void **state)
{
	struct fx *f = *state;

	jw_obj_open(&f->w);
	jw_arr_close(&f->w);
	refused(f);
}

static void
test_close_nothing(void **state)
{
	struct fx *f = *state;

	jw_int(&f->w, 1);
	jw_obj_close(&f->w);
	refused(f);
}

static void
test_two_top_level(void **state)
{
	struct fx *f = *state;

	jw_obj_open(&f->w);
	jw_obj_close(&f->w);
	jw_obj_open(&f->w);
	jw_obj_close(&f->w);
	refused(f);
}

static void
test_two_top_level_scalars(void **state)
{
	struct fx *f = *state;

	jw_int(&f->w, 1);
	jw_int(&f->w, 2);
	refused(f);
}

static void
test_error_sticks(void **state)
{
	struct fx *f = *state;
	size_t len;

	jw_obj_open(&f->w);
	jw_int(&f->w, 1);           /* the mistake */
	len = f->b.len;
	/* a perfectly good continuation changes nothing any more */
	jw_kint(&f->w, "a", 1);
	jw_obj_close(&f->w);
	assert_int_equal(f->b.len, len);
	refused(f);
}

static void
nest(struct fx *f, int levels)
{
	for (int i = 0; i < levels; i++)
		jw_arr_open(&f->w);
	jw_int(&f->w, 1);
	for (int i = 0; i < levels; i++)
		jw_arr_close(&f->w);
}

static void
test_depth_ok(void **state)
{
	struct fx *f = *state;
	json_t *j;

	/* the deepest nesting the stack holds (JW_MAXDEPTH counts the top
	 * level too) */
	nest(f, JW_MAXDEPTH - 1);
	j = done(f, NULL);
	json_decref(j);
}

static void
test_depth_refused(void **state)
{
	struct fx *f = *state;

	nest(f, JW_MAXDEPTH + 1);
	refused(f);
}

static void
test_depth_exact_limit(void **state)
{
	struct fx *f = *state;

	/* JW_MAXDEPTH nested containers is one too many: the per-level
	 * counters (count[0] is the top level) would need JW_MAXDEPTH + 1
	 * slots, so a writer that allowed it would write past count[] into
	 * the rest of struct jw, where ASan cannot see it */
	nest(f, JW_MAXDEPTH);
	refused(f);
}

static void
test_depth_far_refused(void **state)
{
	struct fx *f = *state;

	/* far past the stack: refused, and no write outside it (ASan) */
	for (int i = 0; i < 200; i++) {
		jw_obj_open(&f->w);
		jw_key(&f->w, "k");
	}
	refused(f);
}

static void
test_ceiling(void **state)
{
	struct buf small;
	struct jw w;

	(void)state;
	buf_init(&small, 16);
	jw_init(&w, &small);
	jw_arr_open(&w);
	jw_str(&w, "this is longer than sixteen bytes");
	jw_arr_close(&w);
	assert_int_equal(jw_finish(&w), ERR_TOOBIG);
	assert_true(small.len <= 16);
	buf_free(&small);
}

/* ---- numbers, times ---- */

static void
dbl(double v, int decimals, const char *want)
{
	struct buf b;
	struct jw w;
	json_t *j;

	buf_init(&b, 1024);
	jw_init(&w, &b);
	jw_double(&w, v, decimals);
	assert_int_equal(jw_finish(&w), 0);
	if (strcmp(b.data, want))
		fail_msg("jw_double(%g, %d) = \"%s\", want \"%s\"", v, decimals,
		    b.data, want);
	j = json_loads(b.data, JSON_DECODE_ANY, NULL);
	assert_non_null(j);
	json_decref(j);
	buf_free(&b);
}

static void
test_double_trimming(void **state)
{
	(void)state;
	dbl(0.5, 4, "0.5");
	dbl(1.0, 4, "1");
	dbl(0.0, 4, "0");
	dbl(-0.5, 2, "-0.5");
	dbl(0.3386, 4, "0.3386");
	dbl(0.33864, 4, "0.3386");
	dbl(1234.5678, 2, "1234.57");
	dbl(2.5, 0, "2");            /* %.0f rounds half to even */
	/* zeros before the point are not trailing zeros */
	dbl(10.0, 0, "10");
	dbl(100.0, 2, "100");
	dbl(120.5, 3, "120.5");
	/* decimals outside 0..10 fall back to 4 */
	dbl(1.23456789, 11, "1.2346");
	dbl(1.23456789, -1, "1.2346");
	dbl(1.23456789, 10, "1.23456789");
}

static void
test_double_not_finite(void **state)
{
	(void)state;
	/* JSON has no NaN or Infinity */
	dbl(NAN, 4, "null");
	dbl(INFINITY, 4, "null");
	dbl(-INFINITY, 4, "null");
}

static void
huge(double v, int decimals)
{
	struct buf b;
	struct jw w;
	char *end;

	buf_init(&b, 4096);
	jw_init(&w, &b);
	jw_double(&w, v, decimals);
	assert_int_equal(jw_finish(&w), 0);
	/* a JSON number and nothing else: no NUL, no stray stack bytes */
	assert_int_equal(strlen(b.data), b.len);
	assert_int_equal(strspn(b.data, "0123456789.eE+-"), b.len);
	assert_true(fabs(strtod(b.data, &end) / v - 1) < 1e-9);
	assert_true(*end == '\0');
	buf_free(&b);
}

static void
test_double_huge(void **state)
{
	(void)state;
	/* jw_double formats into a 64-byte stack buffer and then uses
	 * snprintf's return (the untruncated length, 304 for 1e300 with 2
	 * decimals) as the length: memchr and buf_append read past the
	 * buffer, so stack bytes land in the response (ASan:
	 * stack-buffer-overflow in jw_double). Values come from callers'
	 * arithmetic (ratios), so a division by a tiny number is enough.
	 * Any spelling of the number will do here. */
	huge(1e300, 2);
	huge(-1.7e308, 10);
}

static void
test_ktime(void **state)
{
	struct fx *f = *state;
	json_t *j;

	jw_obj_open(&f->w);
	jw_ktime(&f->w, "never", 0);
	jw_ktime(&f->w, "at", 1769846400);
	jw_ktime(&f->w, "before1970", -86400);
	jw_obj_close(&f->w);
	j = done(f, "{\"never\":null,\"at\":\"2026-01-31T08:00:00Z\","
	    "\"before1970\":\"1969-12-31T00:00:00Z\"}");
	json_decref(j);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_structure),
		T(test_top_level_scalar),
		T(test_int_extremes),
		T(test_escaping),
		T(test_escaping_keys),
		T(test_no_script_breakout),
		T(test_every_control_char),
		T(test_strn),
		T(test_escaping_runs),
		T(test_utf8_token_runs),
		T(test_fused_same_as_separate),
		T(test_fused_misuse),
		T(test_fused_ceiling),
		T(test_obj_merge_close),
		T(test_invalid_utf8_refused),
		T(test_nul_in_string_refused),
		T(test_surrogate_refused),
		T(test_invalid_utf8_key),
		T(test_key_in_array),
		T(test_key_at_top_level),
		T(test_value_without_key),
		T(test_two_keys_in_a_row),
		T(test_dangling_key),
		T(test_unclosed),
		T(test_mismatched_close),
		T(test_close_nothing),
		T(test_two_top_level),
		T(test_two_top_level_scalars),
		T(test_error_sticks),
		T(test_depth_ok),
		T(test_depth_refused),
		T(test_depth_exact_limit),
		T(test_depth_far_refused),
		T(test_ceiling),
		T(test_double_trimming),
		T(test_double_not_finite),
		T(test_double_huge),
		T(test_ktime),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
