/* A growable byte buffer with a hard ceiling, the only way this program
 * builds strings of unknown length. Appends past the ceiling fail with
 * ERR_TOOBIG and leave the buffer unchanged, so a request can never grow
 * memory without bound. The buffer always keeps a NUL after its bytes. */
#ifndef CHANGAI_BUF_H
#define CHANGAI_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *data;     /* owned; freed by buf_free */
	size_t len;
	size_t cap;
	size_t max;     /* ceiling on len */
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
/* Room for extra more bytes (and the NUL). Inline: the JSON writer calls
 * it for every comma and string, and nearly always the room is there. */
int buf_grow_(struct buf *b, size_t extra);
static inline int
buf_reserve(struct buf *b, size_t extra)
{
	/* len + extra < cap implies both are within max (cap <= max + 1) */
	if (extra < b->cap && b->len < b->cap - extra)
		return 0;
	return buf_grow_(b, extra);
}

static inline int
buf_append(struct buf *b, const void *p, size_t n)
{
	int rc = buf_reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Hands the bytes to the caller (free() them); the buffer becomes empty. */
char *buf_steal(struct buf *b, size_t *len);

#endif
