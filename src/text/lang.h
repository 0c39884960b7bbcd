/*
 * lang.h - telling English, Spanish, German and French apart.
 *
 * Counts very common function words of each language in the normalised
 * text.  Good enough to pick advice text; short or mixed messages fall back
 * to English.
 */
#ifndef TSGI_LANG_H
#define TSGI_LANG_H

#include "normalize.h"

/* The languages tsguard reads, in the order of the TSGI_LANG_* bits of
 * the rule set (en, es, de, fr). */
#define TSGI_NLANGS 4
extern const char *const tsgi_lang_codes[TSGI_NLANGS];

/* Index of `code` ("es") in tsgi_lang_codes, or -1 (NULL or another). */
int tsgi_lang_index(const char *code);

/* The same for the n bytes at s, which need not end in NUL ("es" in
 * "message.es", a word of a configuration list). */
int tsgi_lang_index_n(const char *s, size_t n);

/* Returns "en", "es", "de" or "fr" (static strings of tsgi_lang_codes). */
const char *tsgi_lang_detect(const tsgi_text *t);

#endif
