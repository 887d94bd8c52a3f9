/* libFuzzer: the input is a little program driving the jw_* API (one
 * opcode byte, then its operands), run against the writer and against a
 * model of the writer's rules (jw.h). Checked: a document the writer
 * accepts parses with jansson; the writer accepts exactly the programs
 * the model does (unless the buffer ceiling stopped it first); and the
 * buffer never passes its ceiling. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/jw.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct in {
	const uint8_t *p;
	size_t n;
};

static unsigned
byte(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint64_t
u64(struct in *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | byte(in);
	return v;
}

/* A string operand: a length byte (mod 48), then that many bytes. */
static size_t
text(struct in *in, char *out)
{
	size_t len = byte(in) % 48, i;

	for (i = 0; i < len && in->n; i++)
		out[i] = (char)byte(in);
	out[i] = '\0';
	return i;
}

/* The rules of jw.h, kept apart from jw.c. */
struct model {
	int bad;
	int depth;
	char kind[64];
	int want;          /* a key was written, its value is due */
	int top;           /* a top-level value was written */
};

static void
m_value(struct model *m)
{
	if (m->bad)
		return;
	if (m->depth == 0) {
		if (m->top)
			m->bad = 1;
		m->top = 1;
	} else if (m->kind[m->depth - 1] == 'o') {
		if (!m->want)
			m->bad = 1;
		m->want = 0;
	}
}

static void
m_open(struct model *m, char k)
{
	m_value(m);
	if (m->bad)
		return;
	/* JW_MAXDEPTH counts the top level too: 31 containers fit */
	if (m->depth + 1 >= JW_MAXDEPTH) {
		m->bad = 1;
		return;
	}
	m->kind[m->depth++] = k;
}

static void
m_close(struct model *m, char k)
{
	if (m->bad)
		return;
	if (m->depth == 0 || m->kind[m->depth - 1] != k || m->want)
		m->bad = 1;
	else
		m->depth--;
}

static void
m_key(struct model *m, const char *k)
{
	if (m->bad)
		return;
	if (m->depth == 0 || m->kind[m->depth - 1] != 'o' || m->want)
		m->bad = 1;
	m->want = 1;
	/* a key must be text too */
	if (!utf8_valid(k, strlen(k)))
		m->bad = 1;
}

static void
m_str(struct model *m, const char *s, size_t n)
{
	m_value(m);
	if (!m->bad && s && !utf8_valid(s, n))
		m->bad = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const raws[] = {"{}", "[1,2]", "\"r\"", "null",
	    "{\"a\":[true]}"};
	struct in in = {data, size};
	struct model m;
	struct buf b;
	struct jw w;
	char s1[49], s2[49];
	size_t n;
	int rc, steps = 0;
	uint64_t u;
	double d;

	memset(&m, 0, sizeof(m));
	/* the first byte picks a ceiling: small ones exercise ERR_TOOBIG */
	buf_init(&b, (size_t)64 << (byte(&in) % 10));
	jw_init(&w, &b);
	while (in.n && steps++ < 4096) {
		switch (byte(&in) % 18) {
		case 0: jw_obj_open(&w); m_open(&m, 'o'); break;
		case 1: jw_obj_close(&w); m_close(&m, 'o'); break;
		case 2: jw_arr_open(&w); m_open(&m, 'a'); break;
		case 3: jw_arr_close(&w); m_close(&m, 'a'); break;
		case 4:
			text(&in, s1);
			jw_key(&w, s1);
			m_key(&m, s1);
			break;
		case 5:
			text(&in, s1);
			jw_str(&w, s1);
			m_str(&m, s1, strlen(s1));
			break;
		case 6:
			/* may hold NUL bytes: jw_strn must refuse those */
			n = text(&in, s1);
			jw_strn(&w, s1, n);
			m_str(&m, s1, n);
			break;
		case 7:
			u = u64(&in);
			jw_int(&w, (int64_t)u);
			m_value(&m);
			break;
		case 8:
			u = u64(&in);
			memcpy(&d, &u, sizeof(d));
						jw_double(&w, d, (int)(byte(&in) % 14) - 2);
			m_value(&m);
			break;
		case 9: jw_bool(&w, (int)(byte(&in) & 1)); m_value(&m); break;
		case 10: jw_null(&w); m_value(&m); break;
		case 11: jw_str(&w, NULL); m_str(&m, NULL, 0); break;
		case 12:
			n = byte(&in) % (sizeof(raws) / sizeof(raws[0]));
			jw_raw(&w, raws[n], strlen(raws[n]));
			m_value(&m);
			break;
		case 13:
			text(&in, s1);
			text(&in, s2);
			/* computed keys: the jw_k* shorthands take literals */
			jw_key(&w, s1);
			jw_str(&w, s2);
			m_key(&m, s1);
			m_str(&m, s2, strlen(s2));
			break;
		case 14:
			text(&in, s1);
			u = u64(&in);
			jw_key(&w, s1);
			jw_int(&w, (int64_t)u);
			m_key(&m, s1);
			m_value(&m);
			break;
		case 15:
			text(&in, s1);
			jw_key(&w, s1);
			jw_bool(&w, 1);
			m_key(&m, s1);
			m_value(&m);
			break;
		case 16:
			text(&in, s1);
			jw_key(&w, s1);
			jw_null(&w);
			m_key(&m, s1);
			m_value(&m);
			break;
		case 17:
			text(&in, s1);
			/* any epoch: 0 is null, the rest an ISO string (or ""
			 * where the calendar gives out) */
			u = u64(&in);
			jw_key(&w, s1);
			jw_time(&w, (byte(&in) & 1) ? 0 :
			    (int64_t)u >> (byte(&in) % 64));
			m_key(&m, s1);
			m_value(&m);
			break;
		}
	}
	rc = jw_finish(&w);
	/* unclosed, a dangling key, or no document at all */
	if (!m.bad && (m.depth || m.want || !m.top))
		m.bad = 1;

	if (b.len > b.max || (b.data && b.data[b.len] != '\0'))
		abort();
	if (rc == 0) {
		json_error_t je;
		json_t *j;

		if (m.bad)
			abort();               /* accepted what it must refuse */
		j = json_loadb(b.data ? b.data : "", b.len, JSON_DECODE_ANY, &je);
		if (!j)
			abort();
		json_decref(j);
	} else if (rc == ERR_INVALID) {
		if (!m.bad)
			abort();               /* refused a good program */
	} else if (rc != ERR_TOOBIG) {
		abort();
	}
	buf_free(&b);
	return 0;
}
