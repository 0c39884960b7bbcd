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

static void set_pair(tsgi_keywords *kw, unsigned a, unsigned b)
{
	unsigned k = a << 8 | b;
	kw->pairs[k >> 6] |= (uint64_t)1 << (k & 63);
}

void tsgi_keywords_init(tsgi_keywords *kw, const void *table, size_t n,
                        size_t stride)
{
	if (n > TSGI_KEYWORDS_MAX)
		n = TSGI_KEYWORDS_MAX;
	memset(kw->pairs, 0, sizeof kw->pairs);
	memset(kw->head, 0xff, sizeof kw->head);
	/* insert in reverse so that each bucket lists words in table order */
	for (size_t i = n; i-- > 0;) {
		const char *w = *(const char *const *)(const void *)((const char *)table +
		                                                      i * stride);
		kw->words[i] = w;
		kw->lens[i] = strlen(w);
		kw->second[i] = kw->lens[i] > 1 ? (uint8_t)w[1] : 0;
		unsigned char c = (unsigned char)w[0];
		kw->next[i] = kw->head[c];
		kw->head[c] = (uint8_t)i;
		if (kw->lens[i] > 1) {
			set_pair(kw, c, (unsigned char)w[1]);
		} else {
			/* a one-byte word (or the empty one, at a NUL byte) matches
			 * whatever follows, also the end of the text (read as 0) */
			for (unsigned b = 0; b < 256; b++)
				set_pair(kw, c, b);
		}
	}
}

/*
 * A position is tried when it starts a word or is a byte between words,
 * i.e. unless it and the byte before are both letters or digits; and only
 * when its first two bytes begin some word.  Both tests are computed
 * without branches, so the loop costs a few operations per byte and
 * branches only at real candidates.
 */
void tsgi_keywords_scan(const tsgi_keywords *kw, const char *t, size_t len,
                        tsgi_keyword_fn fn, void *ctx)
{
	const unsigned char *s = (const unsigned char *)t;
	unsigned prev = 0; /* k_alnum of the byte before; none before the text */
	for (size_t p = 0; p < len; p++) {
		unsigned c = s[p], c2 = p + 1 < len ? s[p + 1] : 0;
		unsigned cur = k_alnum[c], k = c << 8 | c2;
		unsigned hit = (unsigned)(kw->pairs[k >> 6] >> (k & 63)) & ~(prev & cur) & 1u;
		prev = cur;
		if (!hit)
			continue;
		for (uint8_t i = kw->head[c]; i != 0xff; i = kw->next[i]) {
			size_t n = kw->lens[i];
			if (n > len - p)
				continue;
			/* the first byte is the bucket's; the second before memcmp */
			if (n > 1 && (s[p + 1] != kw->second[i] ||
			              memcmp(t + p + 2, kw->words[i] + 2, n - 2)))
				continue;
			if (!fn(ctx, i, p))
				return;
		}
	}
}
