/*
 * indicators.h - extracting the scammers' infrastructure from a document.
 *
 * Each kind of indicator lives in its own file and exposes one function
 * with the signature of tsgi_extractor_fn.  The extractors read the document
 * text two ways:
 *   - x->raw / x->raw_len: the document buffer as given (case preserved,
 *     possibly invalid UTF-8, NUL bytes possible).  Case-sensitive formats
 *     (Bitcoin base58, EIP-55, URLs' paths) read this.
 *   - x->text: the normalised text (lower case, digits folded, zero-width
 *     removed; see normalize.h) with map[] back to raw offsets.  Phone
 *     numbers and anything obfuscated read this.
 *
 * Every indicator reports its span as raw offsets [start, end) through
 * tsgi_ind_add(), which converts them to segment-relative offsets, dedupes
 * by (kind, value) and enforces TSG_MAX_INDICATORS.
 */
#ifndef TSGI_INDICATORS_H
#define TSGI_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>

#include "../brands/brands.h"
#include "../core/arena.h"
#include "../core/doc.h"
#include "../text/normalize.h"
#include "tsguard.h"

typedef struct tsgi_extract {
	tsgi_arena *arena;
	const tsgi_doc *doc;
	const char *raw; /* doc->buf + base */
	size_t raw_len;
	size_t base;     /* offset of raw in doc->buf: 0, or the links segment's */
	const tsgi_text *text;
	const char *region;         /* default ISO country for phones, "US" */
	const char *lang_region;    /* the message language's country, tried
	                               first for numbers written as phones
	                               (phone.c), or NULL */
	const tsgi_brands *brands;  /* registry for the OFFICIAL flag; may be NULL */
	tsg_indicator *v;
	size_t n, cap;
	unsigned limits_hit;        /* TSG_LIMIT_INDICATORS when full */
	bool oom;
} tsgi_extract;

typedef void (*tsgi_extractor_fn)(tsgi_extract *x);

/* Whether s[0..n) holds an ASCII digit.  Most short messages hold none, and
 * an extractor whose every find starts at a digit returns at once.  The
 * inner loop has no branch, so compilers vectorise it. */
static inline bool tsgi_has_digit(const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 64 <= n; i += 64) {
		unsigned any = 0;
		for (size_t k = 0; k < 64; k++)
			any |= (unsigned char)(s[i + k] - '0') < 10u;
		if (any)
			return true;
	}
	for (; i < n; i++)
		if ((unsigned char)(s[i] - '0') < 10u)
			return true;
	return false;
}

/*
 * Records an indicator.  `ind->value` and the other strings must already
 * live in x->arena (use tsgi_arena_strdup).  `raw_start`/`raw_end` are raw
 * offsets; ind->start/end/segment are filled in here.  A second indicator
 * with the same kind and value is dropped.  Returns false when it was not
 * added (duplicate, limit or memory).
 */
bool tsgi_ind_add(tsgi_extract *x, const tsg_indicator *ind, size_t raw_start,
                  size_t raw_end);

/* Converts a normalised-text span to raw offsets. */
void tsgi_ind_norm_span(const tsgi_extract *x, size_t nstart, size_t nend,
                        size_t *raw_start, size_t *raw_end);

/* The raw offsets (relative to x->raw) of an indicator already recorded,
 * for an extractor that derives one indicator from another; false when it
 * lies outside the region being read (the scanned text while the link
 * targets are, tsgi_extract_links). */
bool tsgi_ind_region_span(const tsgi_extract *x, const tsg_indicator *v,
                          size_t *raw_start, size_t *raw_end);

/* The extractors, one per file. */
void tsgi_extract_phones(tsgi_extract *x);   /* phone.c    */
void tsgi_extract_urls(tsgi_extract *x);     /* url.c: URLs, bare domains */
void tsgi_extract_emails(tsgi_extract *x);   /* email_addr.c */
void tsgi_extract_remote(tsgi_extract *x);   /* remote.c   */
void tsgi_extract_crypto(tsgi_extract *x);   /* crypto.c: BTC, ETH, TRON */
void tsgi_extract_iban(tsgi_extract *x);     /* iban.c     */
void tsgi_extract_money(tsgi_extract *x);    /* money.c: amounts, gift cards */
void tsgi_extract_payments(tsgi_extract *x); /* payment.c: payment-app handles */

/* For link targets (tsgi_extract_links), which have no normalised text:
 * tel: links (url.c), remote-access tools by their hosts and ScreenConnect
 * sessions (remote.c), payment pages (payment.c). */
void tsgi_extract_tel(tsgi_extract *x);
void tsgi_extract_remote_links(tsgi_extract *x);
void tsgi_extract_payment_links(tsgi_extract *x);

/* payment.c: whether s[0..n) names a service whose handles it reports
 * ("cashapp", "zelle", "bizum", ...; any case), as in the value
 * "service:handle". */
bool tsgi_payment_service(const char *s, size_t n);

/*
 * phone.c: canonicalises a number given as its digits (a leading '+' when
 * the writer gave one; "00"/"011" prefixes are handled) for the default
 * `region` (ISO 3166, e.g. "US").  On success writes E.164 ("+18885550199")
 * into `out`, sets *flags (TSG_IND_F_TOLL_FREE) and *country (static ISO
 * code, or NULL) and returns true; false when the digits cannot be a phone
 * number there.  Used by the URL extractor for ?phone= parameters and by
 * lookups.
 */
bool tsgi_phone_canon(const char *digits, const char *region, char *out,
                      size_t cap, unsigned *flags, const char **country);

/* Runs every extractor in a fixed order.  False on ENOMEM. */
bool tsgi_extract_all(tsgi_extract *x);

/* Runs the extractors of hosts, addresses, tel: numbers, remote-access
 * tools and payment pages over a document's link targets
 * (tsgi_doc.links_off): x->raw and raw_len are that segment, x->base its
 * offset, and x->v already holds the indicators of the scanned text.  They
 * read the bytes only (links are not normalised text); x->text may be
 * empty.  False on ENOMEM. */
bool tsgi_extract_links(tsgi_extract *x);

#endif
