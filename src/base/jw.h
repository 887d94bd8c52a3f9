/* Streaming JSON writer into a bounded buffer. Keeps a small stack of open
 * containers, inserts commas itself and refuses misuse (a key inside an
 * array, a value without a key inside an object). The first failure sticks:
 * later calls are no-ops and jw_finish() reports it, so callers may write a
 * whole document and check once. */
#ifndef CHANGAI_JW_H
#define CHANGAI_JW_H

#include <stdint.h>

#include "base/buf.h"

#define JW_MAXDEPTH 32

struct jw {
	struct buf *out;       /* not owned */
	int err;
	int depth;
	unsigned char kind[JW_MAXDEPTH];  /* 'o' object, 'a' array */
	unsigned char count[JW_MAXDEPTH]; /* 0 = empty so far, 1 = has members */
	int want_value;        /* a key was written; its value must follow */
};

void jw_init(struct jw *w, struct buf *out);
void jw_obj_open(struct jw *w);
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w);
void jw_arr_close(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);          /* NULL writes null */
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
void jw_double(struct jw *w, double v, int decimals);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
/* Writes already-serialised JSON as one value (trusted input only). */
void jw_raw(struct jw *w, const char *json, size_t n);
/* Adds the members of an already-serialised JSON object (trusted input
 * only: one the store built) to the open object, and closes it. */
void jw_obj_merge_close(struct jw *w, const char *obj, size_t n);
/* Returns 0, or the first error; checks every container was closed. */
int jw_finish(struct jw *w);

/* Epoch seconds as an ISO-8601 UTC string, or null when 0. */
void jw_time(struct jw *w, int64_t epoch);

/* Shorthands for "key": value inside an object. The key must be a string
 * literal of letters, digits, '_' and '-' (scripts/lint.sh checks): it is
 * quoted at compile time, because writing keys was the largest part of
 * writing a list. Computed keys go through jw_key, which escapes them. */
void jw_key_quoted(struct jw *w, const char *quoted, size_t n);
/* "key": value in one step, for the shorthands below */
void jw_kv_str(struct jw *w, const char *quoted, size_t kn, const char *s);
void jw_kv_strn(struct jw *w, const char *quoted, size_t kn, const char *s,
    size_t n);
void jw_kv_int(struct jw *w, const char *quoted, size_t kn, int64_t v);
void jw_kv_bool(struct jw *w, const char *quoted, size_t kn, int v);
void jw_kv_null(struct jw *w, const char *quoted, size_t kn);
#define JW_QUOTED_(k) ("\"" k "\":"), (sizeof("\"" k "\":") - 1)
#define jw_kstr(w, k, s) jw_kv_str((w), JW_QUOTED_(k), (s))
#define jw_kstrn(w, k, s, n) jw_kv_strn((w), JW_QUOTED_(k), (s), (n))
#define jw_kint(w, k, v) jw_kv_int((w), JW_QUOTED_(k), (v))
#define jw_kbool(w, k, v) jw_kv_bool((w), JW_QUOTED_(k), (v))
#define jw_knull(w, k) jw_kv_null((w), JW_QUOTED_(k))
#define jw_ktime(w, k, t) (jw_key_quoted((w), JW_QUOTED_(k)), jw_time((w), (t)))

#endif
