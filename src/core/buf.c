/*
 * buf.c - bounded growable buffer and streaming JSON writer.
 */
#include "buf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

void tsgi_buf_init(tsgi_buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void tsgi_buf_free(tsgi_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

void tsgi_buf_reset(tsgi_buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->s)
		b->s[0] = '\0';
}

bool tsgi_buf_add_grow(tsgi_buf *b, const void *p, size_t n)
{
	if (b->failed)
		return false;
	if (n > b->max || b->len > b->max - n) {
		b->failed = true;
		return false;
	}
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 256;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		char *ns = realloc(b->s, ncap);
		if (!ns) {
			b->failed = true;
			return false;
		}
		b->s = ns;
		b->cap = ncap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return true;
}

bool tsgi_buf_adds(tsgi_buf *b, const char *s)
{
	return tsgi_buf_add(b, s, strlen(s));
}

bool tsgi_buf_printf(tsgi_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	if ((size_t)n < sizeof tmp)
		return tsgi_buf_add(b, tmp, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (!big)
		return false;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	bool ok = tsgi_buf_add(b, big, (size_t)n);
	free(big);
	return ok;
}

char *tsgi_buf_take(tsgi_buf *b)
{
	if (b->failed) {
		tsgi_buf_free(b);
		return NULL;
	}
	if (!b->s && !tsgi_buf_add(b, "", 0))
		return NULL;
	char *s = b->s;
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void tsgi_json_escape(tsgi_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	tsgi_buf_addc(b, '"');
	const uint8_t *p = (const uint8_t *)s;
	size_t run = 0, i = 0;
	while (i < n) {
		uint8_t c = p[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			run++;
			continue;
		}
		if (run)
			tsgi_buf_add(b, s + i - run, run);
		run = 0;
		if (c < 0x80) {
			char esc[6] = {'\\', 0};
			size_t k = 2;
			switch (c) {
			case '"': esc[1] = '"'; break;
			case '\\': esc[1] = '\\'; break;
			case '\n': esc[1] = 'n'; break;
			case '\r': esc[1] = 'r'; break;
			case '\t': esc[1] = 't'; break;
			default:
				esc[1] = 'u';
				tsgi_buf_add(b, esc, 2);
				char h[4] = {'0', '0', hex[c >> 4], hex[c & 15]};
				tsgi_buf_add(b, h, 4);
				k = 0;
			}
			if (k)
				tsgi_buf_add(b, esc, k);
			i++;
			continue;
		}
		int32_t j = 0, len = (int32_t)(n - i < 4 ? n - i : 4);
		UChar32 cp;
		U8_NEXT(p + i, j, len, cp);
		if (cp < 0) {
			tsgi_buf_add(b, "\xEF\xBF\xBD", 3);
			i += (size_t)(j ? j : 1);
		} else {
			tsgi_buf_add(b, s + i, (size_t)j);
			i += (size_t)j;
		}
	}
	if (run)
		tsgi_buf_add(b, s + i - run, run);
	tsgi_buf_addc(b, '"');
}

void tsgi_jw_init(tsgi_jw *w, tsgi_buf *b, bool pretty)
{
	memset(w, 0, sizeof *w);
	w->b = b;
	w->pretty = pretty;
	w->first[0] = true;
}

static void indent(tsgi_jw *w)
{
	if (!w->pretty)
		return;
	tsgi_buf_addc(w->b, '\n');
	for (unsigned i = 0; i < w->depth; i++)
		tsgi_buf_add(w->b, "  ", 2);
}

/* Before a value in an array or a key in an object. */
static void sep(tsgi_jw *w)
{
	if (!w->first[w->depth])
		tsgi_buf_addc(w->b, ',');
	w->first[w->depth] = false;
	if (w->depth)
		indent(w);
}

/* Before any value: a value right after its key needs no separator. */
static void value_start(tsgi_jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	sep(w);
}

static void open(tsgi_jw *w, char c)
{
	value_start(w);
	tsgi_buf_addc(w->b, c);
	if (w->depth + 1 < sizeof w->first / sizeof *w->first)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_(tsgi_jw *w, char c)
{
	bool empty = w->first[w->depth];
	if (w->depth)
		w->depth--;
	if (!empty)
		indent(w);
	tsgi_buf_addc(w->b, c);
}

void tsgi_jw_obj(tsgi_jw *w) { open(w, '{'); }
void tsgi_jw_obj_end(tsgi_jw *w) { close_(w, '}'); }
void tsgi_jw_arr(tsgi_jw *w) { open(w, '['); }
void tsgi_jw_arr_end(tsgi_jw *w) { close_(w, ']'); }

void tsgi_jw_key(tsgi_jw *w, const char *k)
{
	sep(w);
	tsgi_json_escape(w->b, k, strlen(k));
	tsgi_buf_add(w->b, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = true;
}

void tsgi_jw_strn(tsgi_jw *w, const char *s, size_t n)
{
	value_start(w);
	tsgi_json_escape(w->b, s, n);
}

void tsgi_jw_str(tsgi_jw *w, const char *s)
{
	if (!s) {
		tsgi_jw_null(w);
		return;
	}
	tsgi_jw_strn(w, s, strlen(s));
}

/* Decimal digits of v, as "%lld" writes them, without the printf machinery
 * (verdicts are mostly offsets and small numbers). */
static void add_int(tsgi_buf *b, long long v)
{
	char tmp[24];
	size_t k = sizeof tmp;
	unsigned long long u = (unsigned long long)v;
	if (v < 0)
		u = 0ull - u;
	do {
		tmp[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--k] = '-';
	tsgi_buf_add(b, tmp + k, sizeof tmp - k);
}

void tsgi_jw_int(tsgi_jw *w, long long v)
{
	value_start(w);
	add_int(w->b, v);
}

/*
 * Writes v as "%.6g" would.  Scores and weights are nearly always whole
 * thousandths below 1000 (the verdict rounds its score so): for those,
 * "%.6g" prints exactly the thousandths with trailing zeros dropped, since
 * at most six significant digits are needed and the double is within
 * 1e-16 of the decimal.  Everything else goes through printf.
 */
void tsgi_jw_num(tsgi_jw *w, double v)
{
	value_start(w);
	if (!isfinite(v)) {
		tsgi_buf_adds(w->b, "null");
		return;
	}
	double m = fabs(v) * 1000.0;
	if (m < 999999.5) {
		long long k = llround(m);
		if ((double)k / 1000.0 == fabs(v)) {
			char tmp[16];
			size_t n = 0;
			if (signbit(v))
				tmp[n++] = '-';
			long long ip = k / 1000, fr = k % 1000;
			char d[8];
			size_t nd = 0;
			do {
				d[nd++] = (char)('0' + ip % 10);
				ip /= 10;
			} while (ip);
			while (nd)
				tmp[n++] = d[--nd];
			if (fr) {
				tmp[n++] = '.';
				tmp[n++] = (char)('0' + fr / 100);
				tmp[n++] = (char)('0' + fr / 10 % 10);
				tmp[n++] = (char)('0' + fr % 10);
				while (tmp[n - 1] == '0')
					n--;
			}
			tsgi_buf_add(w->b, tmp, n);
			return;
		}
	}
	tsgi_buf_printf(w->b, "%.6g", v);
}

void tsgi_jw_bool(tsgi_jw *w, bool v)
{
	value_start(w);
	tsgi_buf_adds(w->b, v ? "true" : "false");
}

void tsgi_jw_null(tsgi_jw *w)
{
	value_start(w);
	tsgi_buf_adds(w->b, "null");
}

void tsgi_jw_raw(tsgi_jw *w, const char *json, size_t n)
{
	value_start(w);
	tsgi_buf_add(w->b, json, n);
}
