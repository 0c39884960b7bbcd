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

#define TSGI_KEYWORDS_MAX 64u

/* Called for each match of word `index` at t[start..start+strlen(word)).
 * Return false to stop the scan. */
typedef bool (*tsgi_keyword_fn)(void *ctx, size_t index, size_t start);

/*
 * Scans t[0..len) for the words of `table`: `n` (at most TSGI_KEYWORDS_MAX)
 * elements of `stride` bytes, each starting with a `const char *` word in
 * lower case.  A match must start a word (the byte before is not an ASCII
 * letter or digit); where it ends is for the callback to judge.  Matches
 * are reported in text order, and by table order at the same position.
 */
void tsgi_keywords_scan(const char *t, size_t len, const void *table, size_t n,
                        size_t stride, tsgi_keyword_fn fn, void *ctx);

#endif
