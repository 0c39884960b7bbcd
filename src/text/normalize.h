/*
 * normalize.h - the text every rule and extractor reads.
 *
 * The normalised text is what rules match against:
 *   - invalid UTF-8 becomes U+FFFD, NUL and other controls become spaces;
 *   - NFKC with case folding (full-width letters, ligatures, ß -> ss);
 *   - diacritics removed (é -> e), so patterns are plain ASCII;
 *   - format and other default-ignorable characters (zero-width space,
 *     joiners, soft hyphen, BOM, variation selectors) removed;
 *   - runs of white space collapsed to one ' ', none at either end;
 *   - letters of other scripts that are confusable with a Latin letter or
 *     digit (UTS #39 skeleton of one character, e.g. Cyrillic і, Greek ο)
 *     replaced by it, so "Mіcrosoft" reads "microsoft";
 *   - any Unicode decimal digit becomes its ASCII digit, and within a word
 *     made only of digits and o/l/i, the letters become 0/1/1 ("1-8OO");
 *   - dashes (non-breaking hyphen, en and em dash) and the minus sign
 *     become '-', so "1‑888‑555‑0199" reads "1-888-555-0199".
 *
 * map[i] is the byte offset in the source of the character that produced
 * normalised byte i; map[len] is the source length.  Evidence found in the
 * normalised text is reported as source[map[start] .. map[end]).
 */
#ifndef TSGI_NORMALIZE_H
#define TSGI_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "tsguard.h"

typedef struct tsgi_text {
	char *s;       /* NUL-terminated, valid UTF-8                         */
	size_t len;
	uint32_t *map; /* len + 1 entries                                     */
	const char *src; /* the source (borrowed) */
	size_t src_len;
	/* Word index support: starts of words (bytes of s), sorted.  Filled by
	 * tsgi_text_index_words() on demand. */
	uint32_t *words;
	size_t nwords;
} tsgi_text;

/* One-time global initialisation (ICU instances, confusable table).
 * Thread-safe and idempotent; returns TSG_OK or TSG_EENGINE. */
tsg_status tsgi_normalize_init(void);

/* Normalises `len` bytes of `src` into `out`, allocating from `a`.
 * Returns TSG_OK, or TSG_ENOMEM (arena budget or memory). */
tsg_status tsgi_normalize(tsgi_arena *a, const char *src, size_t len,
                          tsgi_text *out);

/* Converts a normalised span [nstart, nend) to source offsets.  The end is
 * the source offset of the first character after the span, so that a
 * multi-byte character at the end is included whole. */
void tsgi_text_raw_span(const tsgi_text *t, size_t nstart, size_t nend,
                        size_t *raw_start, size_t *raw_end);

/* Fills out->words.  TSG_OK or TSG_ENOMEM. */
tsg_status tsgi_text_index_words(tsgi_arena *a, tsgi_text *t);

/* Word number (from 0) of the word containing or following byte `off`. */
size_t tsgi_text_word_at(const tsgi_text *t, size_t off);

/*
 * Normalises a short NUL-terminated string the same way into a malloc'ed
 * NUL-terminated string (caller frees), or NULL on ENOMEM.  Used for names
 * in the brand registry and for lookups.
 */
char *tsgi_normalize_str(const char *s);

/* UTS #39 skeleton of a UTF-8 string, malloc'ed; NULL on failure. */
char *tsgi_skeleton(const char *s);

#endif
