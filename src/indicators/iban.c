/*
 * iban.c - International Bank Account Numbers (ISO 13616).
 *
 * Owner: indicators.  Reads x->raw.  A candidate starts a word with a
 * country code in capitals and two check digits; its letters and digits are
 * collected, single spaces allowed between them (the printed form
 * "DE89 3704 0044 0532 0130 00"), until the country's length is reached.
 * It is reported when the character after it does not continue the word
 * and the ISO 7064 mod-97 check gives 1.  The value is the IBAN without
 * spaces in upper case; the detail is the country code.
 *
 * The per-country lengths are the SWIFT IBAN registry's; they are part of
 * the format, not data people edit.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "indicators.h"

#define IBAN_MAX 34

typedef struct country_len {
	char cc[3];
	unsigned char len;
} country_len;

/* Sorted by country code. */
static const country_len k_lengths[] = {
	{"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20},
	{"BE", 16}, {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28},
	{"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
	{"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
	{"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23},
	{"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22},
	{"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30},
	{"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
	{"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19},
	{"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18},
	{"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25},
	{"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
	{"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23},
	{"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29},
	{"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

static int cmp_cc(const void *key, const void *elem)
{
	return strncmp(key, ((const country_len *)elem)->cc, 2);
}

static unsigned iban_length(const char *cc)
{
	const country_len *c =
		bsearch(cc, k_lengths, G_N_ELEMENTS(k_lengths), sizeof *k_lengths, cmp_cc);
	return c ? c->len : 0;
}

/* ISO 7064 MOD 97-10 over the rearranged IBAN: true when it gives 1. */
static bool mod97_ok(const char *iban, size_t n)
{
	unsigned r = 0;
	for (size_t k = 0; k < n; k++) {
		char c = iban[(k + 4) % n];
		if (c >= '0' && c <= '9')
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else if (c >= 'A' && c <= 'Z')
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			return false;
	}
	return r == 1;
}

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void candidate(tsgi_extract *x, size_t i)
{
	const char *s = x->raw;
	size_t len = x->raw_len;
	unsigned want = iban_length(s + i);
	if (!want)
		return;
	char iban[IBAN_MAX + 1];
	size_t n = 0, p = i;
	while (p < len && n < want) {
		unsigned char c = (unsigned char)s[p];
		if (is_alnum(c)) {
			iban[n++] = g_ascii_toupper((gchar)c);
			p++;
		} else if (c == ' ' && n >= 4 && p + 1 < len &&
		           is_alnum((unsigned char)s[p + 1])) {
			p++;
		} else {
			return;
		}
	}
	if (n != want || (p < len && is_alnum((unsigned char)s[p])))
		return;
	if (!mod97_ok(iban, n))
		return;
	tsg_indicator ind = {.kind = TSG_IND_IBAN};
	ind.value = tsgi_arena_strndup(x->arena, iban, n);
	ind.detail = tsgi_arena_strndup(x->arena, iban, 2);
	if (!ind.value || !ind.detail) {
		x->oom = true;
		return;
	}
	tsgi_ind_add(x, &ind, i, p);
}

void tsgi_extract_iban(tsgi_extract *x)
{
	const char *s = x->raw;
	if (!tsgi_has_digit(s, x->raw_len))
		return; /* check digits follow the country code */
	for (size_t i = 0; i + 15 <= x->raw_len && !x->oom; i++)
		if (is_upper(s[i]) && is_upper(s[i + 1]) && is_digit(s[i + 2]) &&
		    is_digit(s[i + 3]) && (i == 0 || !is_alnum((unsigned char)s[i - 1])))
			candidate(x, i);
}
