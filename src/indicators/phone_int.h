/*
 * phone_int.h - the pieces of phone extraction, shared by its three files.
 *
 *   phone_plan.c    numbering plans: country calling codes, national
 *                   formats and validity rules, E.164 output;
 *   phone_spoken.c  number words in English, Spanish, German and French,
 *                   turned into digit chunks ("eight hundred" -> "800");
 *   phone.c         the extractor: one pass over digit runs, one pass over
 *                   number words, both cut into groups that the same
 *                   splitter turns into numbers.
 *
 * Owner: indicators.  Nothing here allocates; every buffer is the caller's.
 */
#ifndef TSGI_PHONE_INT_H
#define TSGI_PHONE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsguard_limits.h"

/* Digits a group or a candidate may hold: a full E.164 number plus the
 * longest international prefix ("011"). */
#define TSGI_PHONE_MAX_CAND (TSG_MAX_PHONE_DIGITS + 3u)

/* A parsed number. */
typedef struct tsgi_phone_num {
	char e164[TSGI_PHONE_MAX_CAND + 2]; /* "+18885550199"                */
	unsigned flags;                      /* TSG_IND_F_TOLL_FREE or 0      */
	const char *region;                  /* static ISO code, or NULL      */
} tsgi_phone_num;

/*
 * Reads `n` digits (no separators) as a phone number dialled in `region`
 * (ISO 3166, any case; NULL means "US").  `plus` says the writer put '+'
 * before them.  Handles "00"/"011" international prefixes, national trunk
 * prefixes and the few fallbacks documented in phone_plan.c.  True and
 * *out filled when the digits are a valid number; false otherwise.
 */
bool tsgi_phone_parse(const char *d, size_t n, bool plus, const char *region,
                      tsgi_phone_num *out);

/* True when `region` belongs to the North American Numbering Plan. */
bool tsgi_phone_region_nanp(const char *region);

/* Separator bits between two groups of a number. */
#define TSGI_PSEP_SPACE 0x01u
#define TSGI_PSEP_DASH 0x02u
#define TSGI_PSEP_DOT 0x04u
#define TSGI_PSEP_SLASH 0x08u
#define TSGI_PSEP_PAREN 0x10u

/* One group: a run of digits as written ("888"), or one chunk of spoken
 * words ("eight hundred" -> "800"). */
typedef struct tsgi_pgroup {
	size_t start, end;  /* span in the normalised text                  */
	char d[TSGI_PHONE_MAX_CAND + 1];
	uint8_t n;          /* digits in d; 0 with `toolong` set            */
	uint8_t sep;        /* TSGI_PSEP_* bits before this group; 0 first  */
	bool toolong;       /* more digits than any number has              */
	bool blocked;       /* may not be part of a number (date, IP, ...)  */
	bool spoken;        /* produced by number words                     */
} tsgi_pgroup;

/*
 * Reads a sequence of number words (and short digit groups between them)
 * starting at the word that begins at s[pos].  Fills at most `cap` groups
 * into g and sets *ng; *any_word says whether a number word (not only
 * digits) was read.  Returns the offset where reading stopped, always
 * greater than `pos`.  A word that is not a number word yields *ng == 0.
 */
size_t tsgi_phone_spoken(const char *s, size_t len, size_t pos,
                         tsgi_pgroup *g, size_t cap, size_t *ng,
                         bool *any_word);

/* Whether a spoken number can start with the word w[0..n): digits, or a
 * number word that is not "and" (a cheap test, so that a scan calls
 * tsgi_phone_spoken() only where it can find something). */
bool tsgi_phone_spoken_starts(const char *w, size_t n);

/* Bit i set when some number word starts with letter 'a' + i
 * (acdefhnoqstuvyz); phone_spoken.c checks it against its word list. */
#define TSGI_SPOKEN_INITIALS 0x033d60bdu

/* The first byte of a word tsgi_phone_spoken_starts() can accept: a digit
 * or one of those letters.  Inline, so most words cost no call. */
static inline bool tsgi_phone_spoken_may_start(char c)
{
	if (c >= '0' && c <= '9')
		return true;
	return c >= 'a' && c <= 'z' &&
	       ((TSGI_SPOKEN_INITIALS >> (unsigned)(c - 'a')) & 1u);
}

#endif
