/*
 * normalize.c - UTF-8 validation, NFKC case folding, diacritic and
 * default-ignorable stripping, confusable and digit folding, with an offset
 * map back to the source.
 *
 * The hot path is ASCII: one table lookup per byte.  Non-ASCII characters
 * go through ICU one code point at a time, which keeps the offset map exact
 * (every output byte maps to the code point that produced it).  Combining
 * marks are dropped wherever they stand, which is what stripping diacritics
 * after an NFD decomposition would do, without needing the base letter to
 * be re-emitted.
 */
#include "normalize.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/utf8.h>
#include <unicode/utf16.h>

#include "tsguard_limits.h"

static const UNormalizer2 *g_nfkc_cf;
static const UNormalizer2 *g_nfd;
static USpoofChecker *g_spoof;
static bool g_ok;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/* BMP code point -> ASCII letter/digit it is confusable with, or 0. */
static unsigned char g_confusable[0x10000];

/* ASCII classes: 0 = space/control, otherwise the lower-case byte. */
static unsigned char g_ascii[128];

static bool skip_script(UScriptCode sc)
{
	return sc == USCRIPT_HAN || sc == USCRIPT_HANGUL ||
	       sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA ||
	       sc == USCRIPT_YI;
}

static void build_confusables(void)
{
	UErrorCode err = U_ZERO_ERROR;
	for (UChar32 c = 0x80; c < 0x10000; c++) {
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		int8_t type = u_charType(c);
		if (type != U_LOWERCASE_LETTER && type != U_UPPERCASE_LETTER &&
		    type != U_OTHER_LETTER && type != U_DECIMAL_DIGIT_NUMBER &&
		    type != U_TITLECASE_LETTER)
			continue;
		err = U_ZERO_ERROR;
		if (skip_script(uscript_getScript(c, &err)))
			continue;
		UChar in[2];
		int32_t n = 0;
		U16_APPEND_UNSAFE(in, n, c);
		UChar out[8];
		err = U_ZERO_ERROR;
		int32_t m = uspoof_getSkeleton(g_spoof, 0, in, n, out, 8, &err);
		if (U_FAILURE(err) || m != 1 || out[0] >= 0x80)
			continue;
		unsigned char ch = (unsigned char)out[0];
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			g_confusable[c] = ch;
	}
}

static void init_once(void)
{
	UErrorCode err = U_ZERO_ERROR;
	g_nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
	if (U_FAILURE(err))
		return;
	g_nfd = unorm2_getNFDInstance(&err);
	if (U_FAILURE(err))
		return;
	g_spoof = uspoof_open(&err);
	if (U_FAILURE(err))
		return;
	for (int c = 0; c < 128; c++) {
		unsigned char v = (unsigned char)c;
		if (c <= 0x20 || c == 0x7f)
			v = 0;
		else if (c >= 'A' && c <= 'Z')
			v = (unsigned char)(c - 'A' + 'a');
		g_ascii[c] = v;
	}
	build_confusables();
	g_ok = true;
}

tsg_status tsgi_normalize_init(void)
{
	pthread_once(&g_once, init_once);
	return g_ok ? TSG_OK : TSG_EENGINE;
}

/* Output under construction. */
struct out {
	tsgi_arena *a;
	char *s;
	uint32_t *map;
	size_t len, cap;
	bool pending_space;
	uint32_t pending_off;
	bool oom;
};

static bool out_reserve(struct out *o, size_t extra)
{
	if (o->len + extra + 2 <= o->cap)
		return true;
	size_t ncap = o->cap * 2;
	while (ncap < o->len + extra + 2)
		ncap *= 2;
	char *ns = tsgi_arena_alloc(o->a, ncap);
	uint32_t *nm = ns ? tsgi_arena_alloc(o->a, ncap * sizeof *nm) : NULL;
	if (!nm) {
		o->oom = true;
		return false;
	}
	memcpy(ns, o->s, o->len);
	memcpy(nm, o->map, o->len * sizeof *nm);
	o->s = ns;
	o->map = nm;
	o->cap = ncap;
	return true;
}

static inline void out_space(struct out *o, uint32_t off)
{
	if (!o->pending_space) {
		o->pending_space = true;
		o->pending_off = off;
	}
}

/* Emits `n` bytes all mapped to source offset `off`. */
static inline void out_bytes(struct out *o, const char *b, size_t n,
                             uint32_t off)
{
	if (!out_reserve(o, n + 1))
		return;
	if (o->pending_space) {
		if (o->len) {
			o->s[o->len] = ' ';
			o->map[o->len++] = o->pending_off;
		}
		o->pending_space = false;
	}
	for (size_t i = 0; i < n; i++) {
		o->s[o->len] = b[i];
		o->map[o->len++] = off;
	}
}

static void emit_cp(struct out *o, UChar32 c, uint32_t off)
{
	if (c < 0x80) {
		unsigned char v = g_ascii[c];
		if (!v)
			out_space(o, off);
		else
			out_bytes(o, (const char *)&v, 1, off);
		return;
	}
	if (u_isUWhiteSpace(c) || u_iscntrl(c)) {
		out_space(o, off);
		return;
	}
	int8_t type = u_charType(c);
	if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
	    type == U_COMBINING_SPACING_MARK || type == U_FORMAT_CHAR ||
	    u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
		return;
	if (type == U_DECIMAL_DIGIT_NUMBER) {
		char d = (char)('0' + u_charDigitValue(c));
		out_bytes(o, &d, 1, off);
		return;
	}
	/* Dashes and the minus sign are '-': "1‑888‑555‑0199" written with
	 * non-breaking hyphens (U+2011) is a phone number like any other. */
	if (type == U_DASH_PUNCTUATION || c == 0x2212) {
		out_bytes(o, "-", 1, off);
		return;
	}
	if (c < 0x10000 && g_confusable[c]) {
		char d = (char)g_confusable[c];
		out_bytes(o, &d, 1, off);
		return;
	}
	char buf[4];
	int32_t n = 0;
	U8_APPEND_UNSAFE(buf, n, c);
	out_bytes(o, buf, (size_t)n, off);
}

/* Folds one non-ASCII source code point: NFKC_Casefold, then NFD so that
 * the marks it leaves can be dropped by emit_cp(). */
static void fold_cp(struct out *o, UChar32 c, uint32_t off)
{
	UChar in[2], cf[32], nfd[96];
	int32_t n = 0;
	U16_APPEND_UNSAFE(in, n, c);
	UErrorCode err = U_ZERO_ERROR;
	int32_t m = unorm2_normalize(g_nfkc_cf, in, n, cf, 32, &err);
	if (U_FAILURE(err)) {
		emit_cp(o, 0xFFFD, off);
		return;
	}
	err = U_ZERO_ERROR;
	int32_t k = unorm2_normalize(g_nfd, cf, m, nfd, 96, &err);
	if (U_FAILURE(err)) {
		emit_cp(o, 0xFFFD, off);
		return;
	}
	for (int32_t i = 0; i < k;) {
		UChar32 r;
		U16_NEXT(nfd, i, k, r);
		emit_cp(o, r, off);
	}
}

static inline bool is_foldable(char c) { return c == 'o' || c == 'l' || c == 'i'; }
static inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z');
}

/* Within words made only of digits and o/l/i with at least one digit, turns
 * the letters into digits: "8oo" -> "800", "l23" -> "123". */
static void fold_digit_words(char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		/* Only words that contain a digit can change: find the next one. */
		while (i < len && !is_digit(s[i]))
			i++;
		if (i >= len)
			break;
		size_t w = i;
		while (w > 0 && is_alnum(s[w - 1]))
			w--;
		size_t j = i;
		while (j < len && is_alnum(s[j]))
			j++;
		bool letter = false, other = false;
		for (size_t k = w; k < j; k++) {
			if (is_foldable(s[k]))
				letter = true;
			else if (!is_digit(s[k]))
				other = true;
		}
		if (letter && !other) {
			for (size_t k = w; k < j; k++) {
				if (s[k] == 'o')
					s[k] = '0';
				else if (s[k] == 'l' || s[k] == 'i')
					s[k] = '1';
			}
		}
		i = j;
	}
}

tsg_status tsgi_normalize(tsgi_arena *a, const char *src, size_t len,
                          tsgi_text *out)
{
	memset(out, 0, sizeof *out);
	if (tsgi_normalize_init() != TSG_OK)
		return TSG_EENGINE;
	if (len > UINT32_MAX - 1)
		len = UINT32_MAX - 1;
	struct out o = {.a = a};
	o.cap = len + len / 8 + 64;
	o.s = tsgi_arena_alloc(a, o.cap);
	o.map = o.s ? tsgi_arena_alloc(a, o.cap * sizeof *o.map) : NULL;
	if (!o.map)
		return TSG_ENOMEM;

	const unsigned char *p = (const unsigned char *)src;
	size_t i = 0;
	while (i < len && !o.oom) {
		/* ASCII fast path, with the output state in locals so that the
		 * compiler keeps it in registers. */
		char *os = o.s;
		uint32_t *om = o.map;
		size_t olen = o.len, ocap = o.cap;
		bool pend = o.pending_space;
		uint32_t poff = o.pending_off;
		while (i < len) {
			unsigned char b = p[i];
			if (b >= 0x80)
				break;
			unsigned char v = g_ascii[b];
			if (!v) {
				if (!pend) {
					pend = true;
					poff = (uint32_t)i;
				}
				i++;
				continue;
			}
			if (olen + 3 > ocap) {
				o.len = olen;
				if (!out_reserve(&o, 2))
					break;
				os = o.s;
				om = o.map;
				ocap = o.cap;
			}
			if (pend) {
				if (olen) {
					os[olen] = ' ';
					om[olen++] = poff;
				}
				pend = false;
			}
			os[olen] = (char)v;
			om[olen++] = (uint32_t)i;
			i++;
		}
		o.len = olen;
		o.pending_space = pend;
		o.pending_off = poff;
		if (i >= len || o.oom)
			break;
		size_t start = i;
		UChar32 c;
		int32_t ii = (int32_t)0;
		/* U8_NEXT works on int32_t indexes; decode from a local window. */
		size_t avail = len - i < 4 ? len - i : 4;
		U8_NEXT_OR_FFFD(p + i, ii, (int32_t)avail, c);
		i += (size_t)ii;
		fold_cp(&o, c, (uint32_t)start);
	}
	if (o.oom)
		return TSG_ENOMEM;
	o.s[o.len] = '\0';
	o.map[o.len] = (uint32_t)len;
	fold_digit_words(o.s, o.len);
	out->s = o.s;
	out->len = o.len;
	out->map = o.map;
	out->src = src;
	out->src_len = len;
	return TSG_OK;
}

void tsgi_text_raw_span(const tsgi_text *t, size_t nstart, size_t nend,
                        size_t *raw_start, size_t *raw_end)
{
	if (nstart > t->len)
		nstart = t->len;
	if (nend > t->len)
		nend = t->len;
	if (nend < nstart)
		nend = nstart;
	*raw_start = t->map[nstart];
	if (nend == nstart) {
		*raw_end = *raw_start;
		return;
	}
	/* End after the whole source character that produced the last byte. */
	size_t last = t->map[nend - 1];
	unsigned char lead = (unsigned char)t->src[last];
	size_t clen = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3
	              : lead >= 0xC0 ? 2 : 1;
	if (last + clen > t->src_len)
		clen = t->src_len - last;
	*raw_end = last + clen;
}

tsg_status tsgi_text_index_words(tsgi_arena *a, tsgi_text *t)
{
	if (t->words)
		return TSG_OK;
	/* A word starts at a non-space after a space or at offset 0.  The
	 * counting pass is branch-free so that it vectorises on long texts. */
	const unsigned char *s = (const unsigned char *)t->s;
	size_t n = t->len && s[0] != ' ';
	for (size_t i = 1; i < t->len; i++)
		n += (size_t)((s[i] != ' ') & (s[i - 1] == ' '));
	t->words = tsgi_arena_alloc(a, (n + 1) * sizeof *t->words);
	if (!t->words)
		return TSG_ENOMEM;
	size_t k = 0;
	if (t->len && s[0] != ' ')
		t->words[k++] = 0;
	for (size_t i = 1; i < t->len && k < n; i++)
		if (s[i] != ' ' && s[i - 1] == ' ')
			t->words[k++] = (uint32_t)i;
	t->nwords = k;
	return TSG_OK;
}

size_t tsgi_text_word_at(const tsgi_text *t, size_t off)
{
	size_t lo = 0, hi = t->nwords;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->words[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

char *tsgi_normalize_str(const char *s)
{
	size_t len = strlen(s);
	tsgi_arena *a = tsgi_arena_new(len * 16 + 4096);
	if (!a)
		return NULL;
	tsgi_text t;
	char *r = NULL;
	if (tsgi_normalize(a, s, len, &t) == TSG_OK)
		r = strdup(t.s);
	tsgi_arena_free(a);
	return r;
}

char *tsgi_skeleton(const char *s)
{
	if (tsgi_normalize_init() != TSG_OK)
		return NULL;
	UErrorCode err = U_ZERO_ERROR;
	int32_t n = uspoof_getSkeletonUTF8(g_spoof, 0, s, -1, NULL, 0, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		return NULL;
	char *r = malloc((size_t)n + 1);
	if (!r)
		return NULL;
	err = U_ZERO_ERROR;
	uspoof_getSkeletonUTF8(g_spoof, 0, s, -1, r, n + 1, &err);
	if (U_FAILURE(err)) {
		free(r);
		return NULL;
	}
	return r;
}
