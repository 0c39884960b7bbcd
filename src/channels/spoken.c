/*
 * spoken.c - spoken web and mail addresses back to written form.  Contract
 * in spoken.h.  Works on words: maximal runs of letters, digits and the
 * characters an address holds (. _ - @); everything between words is kept.
 */
#include "spoken.h"

#include <glib.h>
#include <string.h>

typedef struct word {
	size_t s, n; /* in the pass's input */
} word;

static bool wch(char c)
{
	return g_ascii_isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@' ||
	       (unsigned char)c >= 0x80;
}

static size_t words(const char *t, size_t len, word **out)
{
	size_t cap = 64, n = 0;
	word *v = g_new(word, cap);
	for (size_t i = 0; i < len;) {
		while (i < len && !wch(t[i]))
			i++;
		if (i >= len)
			break;
		size_t s = i;
		while (i < len && wch(t[i]))
			i++;
		/* A sentence's final dot is not part of the word. */
		size_t e = i;
		while (e > s + 1 && t[e - 1] == '.')
			e--;
		if (n == cap) {
			cap *= 2;
			v = g_renew(word, v, cap);
		}
		v[n++] = (word){s, e - s};
	}
	*out = v;
	return n;
}

static bool is(const char *t, word w, const char *lit)
{
	size_t l = strlen(lit);
	return w.n == l && !g_ascii_strncasecmp(t + w.s, lit, l);
}

/* Only spaces (or nothing) between two words. */
static bool spaced(const char *t, word a, word b)
{
	for (size_t i = a.s + a.n; i < b.s; i++)
		if (t[i] != ' ' && t[i] != '\t' && t[i] != ',')
			return false;
	return true;
}

static bool tld(const char *t, word w)
{
	static const char *const tlds[] = {
		"com", "net", "org", "info", "biz", "us", "co", "uk", "io", "me",
		"gov", "edu", "ca", "au", "in", "de", "fr", "es", "online", "support",
		"tech", "site", "xyz", "help", "live", "ly", "app", "store", NULL};
	/* "microsoft.com" as one word: look at the part after the last dot. */
	size_t s = w.s, n = w.n;
	const char *dot = NULL;
	for (size_t i = 0; i < n; i++)
		if (t[s + i] == '.')
			dot = t + s + i;
	if (dot) {
		n = (size_t)(t + s + n - dot - 1);
		s = (size_t)(dot + 1 - t);
	}
	for (size_t i = 0; tlds[i]; i++)
		if (strlen(tlds[i]) == n && !g_ascii_strncasecmp(t + s, tlds[i], n))
			return true;
	return false;
}

static bool stop(const char *t, word w)
{
	static const char *const sw[] = {"the", "a", "an", "this", "that", "and",
	                                 "or", "is", "it", "its", NULL};
	for (size_t i = 0; sw[i]; i++)
		if (is(t, w, sw[i]))
			return true;
	return false;
}

/* Pass 0: "w w w" -> "www", "dotcom"/"dot-com" -> "dot com", and
 * "WORD dash WORD dot" -> "WORD-WORD dot". */
static bool pass0(const char *t, size_t len, tsgi_buf *o)
{
	word *w;
	size_t n = words(t, len, &w), prev = 0;
	bool changed = false;
	for (size_t i = 0; i < n; i++) {
		if (i + 2 < n && is(t, w[i], "w") && is(t, w[i + 1], "w") &&
		    is(t, w[i + 2], "w") && spaced(t, w[i], w[i + 1]) &&
		    spaced(t, w[i + 1], w[i + 2])) {
			tsgi_buf_add(o, t + prev, w[i].s - prev);
			tsgi_buf_adds(o, "www");
			prev = w[i + 2].s + w[i + 2].n;
			i += 2;
			changed = true;
		} else if (is(t, w[i], "dotcom") || is(t, w[i], "dot-com")) {
			tsgi_buf_add(o, t + prev, w[i].s - prev);
			tsgi_buf_adds(o, "dot com");
			prev = w[i].s + w[i].n;
			changed = true;
		} else if (i + 3 < n &&
		           (is(t, w[i + 1], "dash") || is(t, w[i + 1], "hyphen")) &&
		           is(t, w[i + 3], "dot") && !stop(t, w[i]) &&
		           spaced(t, w[i], w[i + 1]) && spaced(t, w[i + 1], w[i + 2])) {
			/* "support dash help dot net": the label is support-help */
			tsgi_buf_add(o, t + prev, w[i].s + w[i].n - prev);
			tsgi_buf_addc(o, '-');
			tsgi_buf_add(o, t + w[i + 2].s, w[i + 2].n);
			prev = w[i + 2].s + w[i + 2].n;
			i += 2;
			changed = true;
		}
	}
	tsgi_buf_add(o, t + prev, len - prev);
	g_free(w);
	return changed;
}

/* One element of a dotted chain: a word, or two words a recogniser split
 * ("any desk") when the chain started with "www" and a "dot" follows. */
static size_t element(const char *t, const word *w, size_t n, size_t k, bool www)
{
	if (www && k + 2 < n && !is(t, w[k + 1], "dot") && is(t, w[k + 2], "dot") &&
	    spaced(t, w[k], w[k + 1]))
		return 2;
	return 1;
}

/* Pass 1: WORD dot WORD ... -> WORD.WORD... ending in a TLD. */
static bool pass1(const char *t, size_t len, tsgi_buf *o)
{
	word *w;
	size_t n = words(t, len, &w), prev = 0;
	bool changed = false;
	size_t el[64][2]; /* element: first word, word count */
	for (size_t i = 0; i < n; i++) {
		if (stop(t, w[i]) || is(t, w[i], "dot"))
			continue;
		bool www = is(t, w[i], "www");
		size_t ne = 0, j = i;
		el[ne][0] = i;
		el[ne++][1] = 1;
		while (ne < 64 && j + 2 < n && is(t, w[j + 1], "dot") &&
		       !is(t, w[j + 2], "dot") && spaced(t, w[j], w[j + 1]) &&
		       spaced(t, w[j + 1], w[j + 2])) {
			size_t c = element(t, w, n, j + 2, www);
			el[ne][0] = j + 2;
			el[ne++][1] = c;
			j = j + 1 + c;
		}
		if (ne == 1 || !tld(t, w[j]))
			continue;
		tsgi_buf_add(o, t + prev, w[i].s - prev);
		for (size_t k = 0; k < ne; k++) {
			if (k)
				tsgi_buf_addc(o, '.');
			for (size_t m = 0; m < el[k][1]; m++)
				tsgi_buf_add(o, t + w[el[k][0] + m].s, w[el[k][0] + m].n);
		}
		prev = w[j].s + w[j].n;
		i = j;
		changed = true;
	}
	tsgi_buf_add(o, t + prev, len - prev);
	g_free(w);
	return changed;
}

/* Pass 2: WORD at [the rate [of]] DOMAIN -> WORD@DOMAIN. */
static bool pass2(const char *t, size_t len, tsgi_buf *o)
{
	word *w;
	size_t n = words(t, len, &w), prev = 0;
	bool changed = false;
	for (size_t i = 1; i + 1 < n; i++) {
		if (!is(t, w[i], "at") || stop(t, w[i - 1]))
			continue;
		size_t d = i + 1;
		if (d + 1 < n && is(t, w[d], "the") && is(t, w[d + 1], "rate")) {
			d += 2;
			if (d < n && is(t, w[d], "of"))
				d++;
		}
		if (d >= n || !memchr(t + w[d].s, '.', w[d].n) || !tld(t, w[d]) ||
		    memchr(t + w[i - 1].s, '@', w[i - 1].n) ||
		    !spaced(t, w[i - 1], w[i]) || !spaced(t, w[d - 1], w[d]))
			continue;
		if (w[i - 1].s < prev)
			continue;
		tsgi_buf_add(o, t + prev, w[i - 1].s + w[i - 1].n - prev);
		tsgi_buf_addc(o, '@');
		tsgi_buf_add(o, t + w[d].s, w[d].n);
		prev = w[d].s + w[d].n;
		i = d;
		changed = true;
	}
	tsgi_buf_add(o, t + prev, len - prev);
	g_free(w);
	return changed;
}

bool tsgi_spoken_addresses(const char *text, size_t len, tsgi_buf *out)
{
	tsgi_buf a, b;
	tsgi_buf_init(&a, out->max);
	tsgi_buf_init(&b, out->max);
	bool c0 = pass0(text, len, &a);
	bool c1 = pass1(a.s ? a.s : "", a.len, &b);
	bool c2 = pass2(b.s ? b.s : "", b.len, out);
	if (a.failed || b.failed)
		out->failed = true;
	tsgi_buf_free(&a);
	tsgi_buf_free(&b);
	return c0 || c1 || c2;
}
