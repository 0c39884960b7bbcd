/*
 * record.c - JSON input records.
 *
 * Two readers fill the same fields.  The flat reader (flat_*) reads the
 * common shape, one object of string, number, boolean or null members,
 * straight from the line without building a tree: it is the hot path of
 * `scan --jsonl` and the HTTP API.  It accepts only input that it proves
 * valid JSON (RFC 8259, strict UTF-8) and hands everything else (nested
 * values, escaped keys, numbers near the integer range, duplicate keys and
 * every error) to Jansson, so that one parser decides what is invalid and
 * words the error.  fuzz/fuzz_record.c checks that both readers agree.
 */
#include "record.h"

#include <errno.h>
#include <glib.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsguard_limits.h"

void tsgi_record_free(tsgi_record *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->data);
	free(r->sender);
	free(r->lang);
	free(r->region);
	if (r->json)
		json_decref((json_t *)r->json);
	memset(r, 0, sizeof *r);
}

/* The members a record reads; everything else is skipped. */
enum {
	F_ID,
	F_CHANNEL,
	F_CONTACT,
	F_SENDER,
	F_LANG,
	F_REGION,
	F_CONTENT,
	F_BASE64,
	F_PATH,
	F_COUNT
};
static const char *const k_fields[F_COUNT] = {
	"id",     "channel", "contact",        "sender", "lang",
	"region", "content", "content_base64", "path",
};

enum { V_ABSENT, V_NULL, V_STRING, V_INTEGER, V_OTHER };

/* One member's value.  Strings are NUL-terminated: `s` points into the
 * Jansson tree or into `own` (malloc'ed, decoded from the line). */
struct field {
	int kind;
	const char *s;
	size_t len;
	long long ival;
	char *own;
};

static int field_index(const char *k, size_t n)
{
	for (int i = 0; i < F_COUNT; i++)
		if (strlen(k_fields[i]) == n && !memcmp(k_fields[i], k, n))
			return i;
	return -1;
}

/* ---- the flat reader ---- */

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static long hex4(const char *p, const char *end)
{
	if (end - p < 4)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = g_ascii_xdigit_value(p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Length of the valid UTF-8 sequence at p (2-4 bytes, no overlong forms,
 * no surrogates, at most U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	size_t n;
	uint32_t v;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10FFFF ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	return n;
}

/* Checks the string whose opening quote is at p.  Sets *close to its
 * closing quote and *esc when it holds escapes.  false: not valid JSON. */
static bool flat_string(const char *p, const char *end, const char **close,
                        bool *esc)
{
	const unsigned char *q = (const unsigned char *)p + 1;
	const unsigned char *e = (const unsigned char *)end;
	*esc = false;
	while (q < e) {
		unsigned c = *q;
		if (c == '"') {
			*close = (const char *)q;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c < 0x80 && c != '\\') {
			q++;
			continue;
		}
		if (c >= 0x80) {
			size_t n = utf8_seq(q, e);
			if (!n)
				return false;
			q += n;
			continue;
		}
		*esc = true;
		if (q + 1 >= e)
			return false;
		switch (q[1]) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			q += 2;
			continue;
		case 'u':
			break;
		default:
			return false;
		}
		long u = hex4((const char *)q + 2, end);
		if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF))
			return false;
		q += 6;
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (e - q < 6 || q[0] != '\\' || q[1] != 'u')
				return false;
			long lo = hex4((const char *)q + 2, end);
			if (lo < 0xDC00 || lo > 0xDFFF)
				return false;
			q += 6;
		}
	}
	return false;
}

/* Copies the body of a string flat_string() accepted, decoding escapes,
 * into a malloc'ed NUL-terminated buffer.  NULL: out of memory. */
static char *flat_decode(const char *p, const char *close, bool esc, size_t *len)
{
	size_t n = (size_t)(close - p);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	if (!esc) {
		memcpy(out, p, n);
		out[n] = '\0';
		*len = n;
		return out;
	}
	char *o = out;
	while (p < close) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		char c = p[1];
		p += 2;
		switch (c) {
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u': {
			uint32_t v = (uint32_t)hex4(p, close);
			p += 4;
			if (v >= 0xD800 && v <= 0xDBFF) {
				uint32_t lo = (uint32_t)hex4(p + 2, close);
				v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			}
			o += g_unichar_to_utf8((gunichar)v, o);
			break;
		}
		default: /* '"', '\\', '/' */
			*o++ = c;
			break;
		}
	}
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

/* A number the flat reader is sure Jansson reads the same: JSON grammar,
 * and an integer of at most 18 digits (a json_int_t) or a real without an
 * exponent of at most 18 digits.  Returns the end, or NULL. */
static const char *flat_number(const char *p, const char *end, bool *integer,
                               long long *ival)
{
	bool neg = false;
	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	if (p >= end || *p < '0' || *p > '9')
		return NULL;
	long long v = 0;
	int digits = 0;
	if (*p == '0') {
		p++;
		digits = 1;
		if (p < end && *p >= '0' && *p <= '9')
			return NULL;
	} else {
		while (p < end && *p >= '0' && *p <= '9') {
			v = v * 10 + (*p++ - '0');
			if (++digits > 18)
				return NULL;
		}
	}
	*integer = true;
	if (p < end && *p == '.') {
		*integer = false;
		p++;
		if (p >= end || *p < '0' || *p > '9')
			return NULL;
		while (p < end && *p >= '0' && *p <= '9') {
			p++;
			if (++digits > 18)
				return NULL;
		}
	}
	if (p < end && (*p == 'e' || *p == 'E'))
		return NULL;
	*ival = neg ? -v : v;
	return p;
}

/* Reads a flat record.  true: the fields are filled (strings owned by
 * f[i].own); false: leave it to Jansson (nothing is left allocated). */
static bool flat_read(const char *text, size_t len, struct field *f)
{
	const char *p = text, *end = text + len;
	struct {
		const char *k;
		size_t n;
	} keys[TSG_RECORD_FLAT_KEYS];
	size_t nkeys = 0;
	p = skip_ws(p, end);
	if (p >= end || *p != '{')
		return false;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}') {
		p++;
		goto tail;
	}
	for (;;) {
		if (p >= end || *p != '"')
			goto fail;
		const char *kc;
		bool kesc;
		if (!flat_string(p, end, &kc, &kesc) || kesc ||
		    nkeys == TSG_RECORD_FLAT_KEYS)
			goto fail;
		const char *k = p + 1;
		size_t kn = (size_t)(kc - k);
		for (size_t i = 0; i < nkeys; i++)
			if (keys[i].n == kn && !memcmp(keys[i].k, k, kn))
				goto fail; /* duplicate: Jansson words it */
		keys[nkeys].k = k;
		keys[nkeys++].n = kn;
		int fi = field_index(k, kn);
		p = skip_ws(kc + 1, end);
		if (p >= end || *p != ':')
			goto fail;
		p = skip_ws(p + 1, end);
		if (p >= end)
			goto fail;
		int kind;
		long long ival = 0;
		if (*p == '"') {
			const char *vc;
			bool vesc;
			if (!flat_string(p, end, &vc, &vesc))
				goto fail;
			kind = V_STRING;
			if (fi >= 0) {
				f[fi].own = flat_decode(p + 1, vc, vesc, &f[fi].len);
				if (!f[fi].own)
					goto fail;
				f[fi].s = f[fi].own;
			}
			p = vc + 1;
		} else if (end - p >= 4 && !memcmp(p, "null", 4)) {
			kind = V_NULL;
			p += 4;
		} else if (end - p >= 4 && !memcmp(p, "true", 4)) {
			kind = V_OTHER;
			p += 4;
		} else if (end - p >= 5 && !memcmp(p, "false", 5)) {
			kind = V_OTHER;
			p += 5;
		} else {
			bool integer;
			p = flat_number(p, end, &integer, &ival);
			if (!p)
				goto fail;
			kind = integer ? V_INTEGER : V_OTHER;
		}
		if (fi >= 0) {
			f[fi].kind = kind;
			f[fi].ival = ival;
		}
		p = skip_ws(p, end);
		if (p < end && *p == ',') {
			p = skip_ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}') {
			p++;
			break;
		}
		goto fail;
	}
tail:
	if (skip_ws(p, end) == end)
		return true;
fail:
	for (int i = 0; i < F_COUNT; i++)
		free(f[i].own);
	memset(f, 0, F_COUNT * sizeof *f);
	return false;
}

/* ---- the Jansson reader ---- */

static void tree_fields(json_t *o, struct field *f)
{
	for (int i = 0; i < F_COUNT; i++) {
		json_t *v = json_object_get(o, k_fields[i]);
		if (!v)
			f[i].kind = V_ABSENT;
		else if (json_is_null(v))
			f[i].kind = V_NULL;
		else if (json_is_string(v)) {
			f[i].kind = V_STRING;
			f[i].s = json_string_value(v);
			f[i].len = json_string_length(v);
		} else if (json_is_integer(v)) {
			f[i].kind = V_INTEGER;
			f[i].ival = (long long)json_integer_value(v);
		} else {
			f[i].kind = V_OTHER;
		}
	}
}

/* ---- from fields to a record ---- */

static char *opt_str(const struct field *f)
{
	return f->kind == V_STRING ? strdup(f->s) : NULL;
}

static char *read_path(const char *base, const char *rel, size_t *len,
                       char *err, size_t errlen, tsg_status *st)
{
	if (!base) {
		snprintf(err, errlen, "\"path\" is not accepted here");
		*st = TSG_EINVAL;
		return NULL;
	}
	char full[4096];
	if (rel[0] == '/')
		snprintf(full, sizeof full, "%s", rel);
	else
		snprintf(full, sizeof full, "%s/%s", base, rel);
	FILE *f = fopen(full, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot open \"path\" %s: %s", rel, strerror(errno));
		*st = TSG_EIO;
		return NULL;
	}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			if (cap >= TSG_MAX_INPUT)
				break; /* the scan cuts at TSG_MAX_INPUT and says so */
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		if (!got)
			break;
		n += got;
	}
	fclose(f);
	if (!buf) {
		snprintf(err, errlen, "out of memory reading %s", rel);
		*st = TSG_ENOMEM;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The content bytes, malloc'ed and NUL-terminated: taken over from the
 * flat reader, or copied out of the tree. */
static char *take_string(struct field *f)
{
	if (f->own) {
		char *s = f->own;
		f->own = NULL;
		return s;
	}
	char *s = malloc(f->len + 1);
	if (s) {
		memcpy(s, f->s, f->len);
		s[f->len] = '\0';
	}
	return s;
}

static tsg_status fill(tsgi_record *r, struct field *f, const char *base_dir,
                       char *err, size_t errlen)
{
	if (f[F_ID].kind == V_STRING) {
		r->id = strdup(f[F_ID].s);
	} else if (f[F_ID].kind == V_INTEGER) {
		char tmp[32];
		snprintf(tmp, sizeof tmp, "%lld", f[F_ID].ival);
		r->id = strdup(tmp);
	}
	r->in.id = r->id;

	r->in.channel = TSG_CHANNEL_AUTO;
	if (f[F_CHANNEL].kind != V_ABSENT && f[F_CHANNEL].kind != V_NULL &&
	    (f[F_CHANNEL].kind != V_STRING ||
	     tsg_channel_parse(f[F_CHANNEL].s, &r->in.channel) != TSG_OK)) {
		snprintf(err, errlen,
		         "unknown \"channel\" (email, sms, call, web, chat, text)");
		return TSG_EINVAL;
	}
	if (f[F_CONTACT].kind != V_ABSENT && f[F_CONTACT].kind != V_NULL &&
	    (f[F_CONTACT].kind != V_STRING ||
	     tsg_contact_parse(f[F_CONTACT].s, &r->in.contact) != TSG_OK)) {
		snprintf(err, errlen,
		         "unknown \"contact\" (unsolicited, requested, unknown)");
		return TSG_EINVAL;
	}
	r->sender = opt_str(&f[F_SENDER]);
	r->lang = opt_str(&f[F_LANG]);
	r->region = opt_str(&f[F_REGION]);
	r->in.sender = r->sender;
	r->in.lang = r->lang;
	r->in.region = r->region;

	struct field *content = &f[F_CONTENT], *b64 = &f[F_BASE64],
		     *path = &f[F_PATH];
	int given = (content->kind != V_ABSENT) + (b64->kind != V_ABSENT) +
	            (path->kind != V_ABSENT);
	if (given != 1) {
		snprintf(err, errlen, given ? "give only one of \"content\", "
		                              "\"content_base64\" and \"path\""
		                            : "record has no \"content\", "
		                              "\"content_base64\" or \"path\"");
		return TSG_EINVAL;
	}
	tsg_status st = TSG_OK;
	if (content->kind != V_ABSENT) {
		if (content->kind != V_STRING) {
			snprintf(err, errlen, "\"content\" must be a string");
			return TSG_EINVAL;
		}
		r->in.len = content->len;
		r->data = take_string(content);
		if (!r->data) {
			snprintf(err, errlen, "out of memory");
			return TSG_ENOMEM;
		}
	} else if (b64->kind != V_ABSENT) {
		if (b64->kind != V_STRING) {
			snprintf(err, errlen, "\"content_base64\" must be a string");
			return TSG_EINVAL;
		}
		const char *s = b64->s;
		for (const char *p = s; *p; p++)
			if (!(g_ascii_isalnum(*p) || *p == '+' || *p == '/' || *p == '=' ||
			      *p == '\n' || *p == '\r')) {
				snprintf(err, errlen, "\"content_base64\" is not base64");
				return TSG_EINVAL;
			}
		gsize n = 0;
		guchar *raw = g_base64_decode(s, &n);
		r->data = malloc(n + 1);
		if (!r->data) {
			g_free(raw);
			snprintf(err, errlen, "out of memory");
			return TSG_ENOMEM;
		}
		if (n)
			memcpy(r->data, raw, n);
		r->data[n] = '\0';
		g_free(raw);
		r->in.len = n;
	} else {
		if (path->kind != V_STRING) {
			snprintf(err, errlen, "\"path\" must be a string");
			return TSG_EINVAL;
		}
		r->data = read_path(base_dir, path->s, &r->in.len, err, errlen, &st);
		if (!r->data)
			return st;
	}
	r->in.data = r->data;
	return TSG_OK;
}

static tsg_status parse(const char *text, size_t len, const char *base_dir,
                        bool keep_tree, tsgi_record *r, char *err,
                        size_t errlen)
{
	memset(r, 0, sizeof *r);
	struct field f[F_COUNT] = {{0}};
	if (!keep_tree && flat_read(text, len, f)) {
		tsg_status st = fill(r, f, base_dir, err, errlen);
		for (int i = 0; i < F_COUNT; i++)
			free(f[i].own);
		return st;
	}
	json_error_t jerr;
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!o) {
		snprintf(err, errlen, "invalid JSON at column %d: %s", jerr.column,
		         jerr.text);
		return TSG_EPARSE;
	}
	r->json = o;
	if (!json_is_object(o)) {
		snprintf(err, errlen, "record is not a JSON object");
		return TSG_EPARSE;
	}
	tree_fields(o, f);
	return fill(r, f, base_dir, err, errlen);
}

tsg_status tsgi_record_parse(const char *text, size_t len, const char *base_dir,
                             tsgi_record *r, char *err, size_t errlen)
{
	return parse(text, len, base_dir, true, r, err, errlen);
}

tsg_status tsgi_record_read(const char *text, size_t len, const char *base_dir,
                            tsgi_record *r, char *err, size_t errlen)
{
	return parse(text, len, base_dir, false, r, err, errlen);
}
