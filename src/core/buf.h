/*
 * buf.h - a growable byte buffer with a maximum size (after curl's dynbuf),
 * and a streaming JSON writer on top of it.
 *
 * The JSON writer exists because verdicts are written on the hot path (one
 * per message, 100k+ per second): building a Jansson tree per verdict costs
 * more than the scan.  Input JSON is still parsed with Jansson.
 */
#ifndef TSGI_BUF_H
#define TSGI_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct tsgi_buf {
	char *s;
	size_t len, cap, max;
	bool failed; /* an append hit the maximum or memory */
} tsgi_buf;

void tsgi_buf_init(tsgi_buf *b, size_t max);
void tsgi_buf_free(tsgi_buf *b);
void tsgi_buf_reset(tsgi_buf *b);
/* The slow path of tsgi_buf_add(): grows the buffer or fails. */
bool tsgi_buf_add_grow(tsgi_buf *b, const void *p, size_t n);

/* Appends n bytes; false (and b->failed) past the maximum or on ENOMEM.
 * Inline: a verdict is written in dozens of small appends that fit. */
static inline bool tsgi_buf_add(tsgi_buf *b, const void *p, size_t n)
{
	if (b->failed || n >= b->cap - b->len || n > b->max - b->len ||
	    b->len > b->max)
		return tsgi_buf_add_grow(b, p, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return true;
}

static inline bool tsgi_buf_addc(tsgi_buf *b, char c)
{
	return tsgi_buf_add(b, &c, 1);
}

bool tsgi_buf_adds(tsgi_buf *b, const char *s);
bool tsgi_buf_printf(tsgi_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Returns the buffer's string (malloc'ed, caller frees) and empties b. */
char *tsgi_buf_take(tsgi_buf *b);

/* JSON writer: tracks whether a comma is needed at each nesting level. */
typedef struct tsgi_jw {
	tsgi_buf *b;
	unsigned depth;
	bool first[32];
	bool pretty;
	bool after_key;
} tsgi_jw;

void tsgi_jw_init(tsgi_jw *w, tsgi_buf *b, bool pretty);
void tsgi_jw_obj(tsgi_jw *w);          /* { */
void tsgi_jw_obj_end(tsgi_jw *w);      /* } */
void tsgi_jw_arr(tsgi_jw *w);          /* [ */
void tsgi_jw_arr_end(tsgi_jw *w);      /* ] */
void tsgi_jw_key(tsgi_jw *w, const char *k);
void tsgi_jw_str(tsgi_jw *w, const char *s); /* NULL writes null */
void tsgi_jw_strn(tsgi_jw *w, const char *s, size_t n);
void tsgi_jw_int(tsgi_jw *w, long long v);
void tsgi_jw_num(tsgi_jw *w, double v);
void tsgi_jw_bool(tsgi_jw *w, bool v);
void tsgi_jw_null(tsgi_jw *w);
/* Writes pre-rendered JSON as one value. */
void tsgi_jw_raw(tsgi_jw *w, const char *json, size_t n);

/* Appends `s` as a JSON string literal (quotes included); invalid UTF-8 is
 * replaced by U+FFFD. */
void tsgi_json_escape(tsgi_buf *b, const char *s, size_t n);

#endif
