/*
 * lang.c - stop-word language guess over normalised (accent-free) text.
 */
#include "lang.h"

#include <string.h>

static const char *const k_words[4][24] = {
	{"the", "and", "you", "your", "is", "to", "of", "this", "that", "for",
	 "are", "have", "with", "please", "call", "we", "not", "it", "be", "will",
	 NULL},
	{"el", "la", "de", "que", "y", "en", "los", "su", "por", "para", "es",
	 "con", "una", "usted", "las", "del", "llame", "se", "su", "esta", NULL},
	{"der", "die", "und", "sie", "das", "ist", "ihr", "ihre", "nicht", "mit",
	 "den", "zu", "ein", "eine", "bitte", "wir", "auf", "von", "fur", "sich",
	 NULL},
	{"le", "la", "les", "et", "vous", "votre", "est", "des", "de", "pour",
	 "une", "un", "pas", "avec", "nous", "sur", "du", "appelez", "au", "ce",
	 NULL},
};

static const char *const k_codes[4] = {"en", "es", "de", "fr"};

const char *tsgi_lang_detect(const tsgi_text *t)
{
	int score[4] = {0};
	const char *s = t->s, *end = t->s + t->len;
	size_t words = 0;
	while (s < end && words < 400) {
		while (s < end && !(*s >= 'a' && *s <= 'z'))
			s++;
		const char *w = s;
		while (s < end && *s >= 'a' && *s <= 'z')
			s++;
		size_t n = (size_t)(s - w);
		if (!n)
			continue;
		words++;
		for (int l = 0; l < 4; l++)
			for (int i = 0; k_words[l][i]; i++)
				if (strlen(k_words[l][i]) == n && !memcmp(k_words[l][i], w, n))
					score[l]++;
	}
	int best = 0;
	for (int l = 1; l < 4; l++)
		if (score[l] > score[best])
			best = l;
	return k_codes[best];
}
