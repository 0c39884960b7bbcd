/*
 * keywords.h - finding a short list of words in normalised text, one pass.
 *
 * The remote-access and gift-card extractors look for a few dozen fixed
 * words ("anydesk", "google play", "gift card").  Searching for each with
 * memmem() costs one pass per word, which dominated extraction time on
 * short messages; this walks the text once and compares only at word
 * starts whose first byte begins some word.
 */
#ifndef TSGI_KEYWORDS_H
#define TSGI_KEYWORDS_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>

#define TSGI_KEYWORDS_MAX 64u

/* Called for each match of word `index` at t[start..start+strlen(word)).
 * Return false to stop the scan. */
typedef bool (*tsgi_keyword_fn)(void *ctx, size_t index, size_t start);

/*
 * A word list prepared for searching: a bitmap of the first two bytes of
 * the words (for a one-byte word, its byte followed by any byte), and
 * buckets by first byte with each word's length and second byte.  The
 * scan tests the bitmap at every position where a word could start and
 * walks a bucket only when the pair is set, so it neither measures the
 * words again nor calls memcmp() for a candidate whose second byte
 * differs.  Built once per table (the callers keep it in a static behind
 * pthread_once) and read-only after that, so threads share it.
 */
typedef struct tsgi_keywords {
	uint64_t pairs[65536 / 64]; /* bit (b0 << 8 | b1) */
	const char *words[TSGI_KEYWORDS_MAX];
	size_t lens[TSGI_KEYWORDS_MAX];
	uint8_t second[TSGI_KEYWORDS_MAX]; /* words[i][1], '\0' for one byte */
	uint8_t next[TSGI_KEYWORDS_MAX];   /* bucket chains, 0xff ends      */
	uint8_t head[256];
} tsgi_keywords;

/*
 * Fills kw from `table`: `n` (at most TSGI_KEYWORDS_MAX; more are ignored)
 * elements of `stride` bytes, each starting with a `const char *` word in
 * lower case.  kw keeps pointers to the words, not copies.
 */
void tsgi_keywords_init(tsgi_keywords *kw, const void *table, size_t n,
                        size_t stride);

/*
 * Scans t[0..len) for the words of kw.  A match must start a word (the
 * byte before is not an ASCII letter or digit); where it ends is for the
 * callback to judge.  Matches are reported in text order, and by table
 * order at the same position.
 */
void tsgi_keywords_scan(const tsgi_keywords *kw, const char *t, size_t len,
                        tsgi_keyword_fn fn, void *ctx);

#endif
