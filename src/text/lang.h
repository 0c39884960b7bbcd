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

/* Returns "en", "es", "de" or "fr" (static strings). */
const char *tsgi_lang_detect(const tsgi_text *t);

#endif
