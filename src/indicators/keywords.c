/*
 * keywords.c - one-pass word list search (see keywords.h).
 *
 * The text is walked a word at a time: a tight loop skips the letters and
 * digits inside a word, and only at a word start is the first byte looked
 * up in a per-call bucket of the words that begin with it.
 */
#include "keywords.h"

#include <stdint.h>
#include <string.h>

/* ASCII letters and digits. */
static const uint8_t k_alnum[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

void tsgi_keywords_scan(const char *t, size_t len, const void *table, size_t n,
                        size_t stride, tsgi_keyword_fn fn, void *ctx)
{
	const char *words[TSGI_KEYWORDS_MAX];
	size_t lens[TSGI_KEYWORDS_MAX];
	uint8_t head[256], next[TSGI_KEYWORDS_MAX]; /* buckets, 0xff ends */
	if (n > TSGI_KEYWORDS_MAX)
		n = TSGI_KEYWORDS_MAX;
	memset(head, 0xff, sizeof head);
	/* insert in reverse so that each bucket lists words in table order */
	for (size_t i = n; i-- > 0;) {
		words[i] = *(const char *const *)(const void *)((const char *)table +
		                                               i * stride);
		lens[i] = strlen(words[i]);
		unsigned char c = (unsigned char)words[i][0];
		next[i] = head[c];
		head[c] = (uint8_t)i;
	}
	const unsigned char *s = (const unsigned char *)t;
	size_t p = 0;
	while (p < len) {
		/* s[p] starts a word, or is a byte between words */
		for (uint8_t i = head[s[p]]; i != 0xff; i = next[i])
			if (lens[i] <= len - p && !memcmp(t + p, words[i], lens[i]) &&
			    !fn(ctx, i, p))
				return;
		if (k_alnum[s[p]]) {
			p++;
			while (p < len && k_alnum[s[p]])
				p++;
		} else {
			p++;
		}
	}
}
