/*
 * host.h - host names as the URL and email extractors read them.
 *
 * Reading a host is two steps.  tsgi_host_read() takes the bytes as written
 * (case, defanged dots such as "[.]" or "(dot)", ideographic full stops,
 * letters of any script) and produces one dotted string.
 * tsgi_host_fill() turns that into what an indicator carries: punycode in
 * lower case (libidn2), a check that the top-level domain is real (libpsl's
 * built-in list, without the implicit "*" rule), the registrable domain
 * (eTLD+1), and the shortener and official-brand flags.
 */
#ifndef TSGI_HOST_H
#define TSGI_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "indicators.h"
#include "tsguard_limits.h"

typedef struct tsgi_hostscan {
	/* The host with ASCII folded to lower case and every separator
	 * written as '.'; non-ASCII letters kept as UTF-8.  NUL-terminated. */
	char buf[TSG_MAX_HOST * 4 + 1];
	size_t len;
	size_t end;       /* raw offset just after the host                  */
	size_t tld_start; /* raw offset of the last label                    */
	unsigned nlabels;
	bool defanged;    /* a "[.]", "(dot)", ... separator was used        */
	bool ascii;       /* only ASCII bytes                                */
} tsgi_hostscan;

/*
 * Reads the longest host name that starts at s[pos] (s has `len` bytes and
 * need not be NUL-terminated).  A separator counts only when a label
 * follows it, so the full stop ending a sentence is never part of a host.
 * Returns false when no label starts at `pos` or the host is longer than
 * TSG_MAX_HOST allows; `h` is then undefined.
 */
bool tsgi_host_read(const char *s, size_t len, size_t pos, tsgi_hostscan *h);

/* Options of tsgi_host_fill(). */
#define TSGI_HOST_ALLOW_IP 0x1u     /* accept a dotted IPv4 address        */
#define TSGI_HOST_NEED_DOMAIN 0x2u  /* refuse a host that is a public suffix */

/*
 * Canonicalises a host read by tsgi_host_read() and fills ind->host,
 * ind->domain (both in x->arena), and in ind->flags TSG_IND_F_SHORTENER and
 * TSG_IND_F_OFFICIAL (with ind->brand).  Returns false, touching nothing
 * but ind's host fields, when the text is not a usable host: IDNA refused
 * it, a label is empty or too long, or the top-level domain is not in the
 * public suffix list.  Sets x->oom on allocation failure.
 */
bool tsgi_host_fill(tsgi_extract *x, const tsgi_hostscan *h, unsigned opts,
                    tsg_indicator *ind);

/* Same for a host given as a NUL-terminated string (already lower case
 * ASCII or UTF-8).  Used for lookups and tests. */
bool tsgi_host_canon(tsgi_extract *x, const char *host, unsigned opts,
                     tsg_indicator *ind);

/* True when `c` can be part of a host label (ASCII letter, digit, '-', '_';
 * bytes of non-ASCII letters are checked by tsgi_host_read()). */
static inline bool tsgi_host_ascii_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* True when `host` is `dom` or a host under it ("get.anydesk.com" under
 * "anydesk.com"; "notanydesk.com" is not). */
static inline bool tsgi_host_under(const char *host, const char *dom)
{
	size_t n = strlen(host), m = strlen(dom);
	return n >= m && !strcmp(host + n - m, dom) &&
	       (n == m || host[n - m - 1] == '.');
}

/* shorteners.c: true when `host` (lower-case punycode) is a link
 * shortener, or "www." in front of one. */
bool tsgi_shortener_is(const char *host);

/* shorteners.c: the sorted table itself, for its unit test. */
const char *const *tsgi_shorteners(size_t *n);

#endif
