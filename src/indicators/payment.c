/*
 * payment.c - payment-app handles: where a refund scam's "difference" goes.
 *
 * Reported as TSG_IND_PAYMENT with value "<service>:<handle>" (lower case)
 * and detail the service:
 *   cashapp  a $cashtag near "Cash App" / "cashtag", or a cash.app/$tag link
 *   venmo    an @handle near "Venmo", or a venmo.com/u/handle link
 *   paypal   a paypal.me/handle link
 *   zelle    an email address or phone number near "Zelle" (Zelle has no
 *            handles of its own: it pays to an address or a number)
 *   bizum    a phone number near "Bizum" (Spain's bank-to-bank app pays to
 *            a mobile number)
 *   paylib   a phone number near "Paylib" (France's, likewise)
 * A $word or @word without the service named nearby is not a handle: "$USD",
 * a tweet's @mention.  Runs after the URL, email and phone extractors,
 * whose indicators it reads.
 */
#include <string.h>

#include <glib.h>

#include "host.h"
#include "indicators.h"
#include "tsguard_limits.h"

/* Bytes before and after a handle where the service's name must appear. */
#define PAY_CONTEXT_BEFORE 80u
#define PAY_CONTEXT_AFTER 40u

static bool handle_char(unsigned char c, bool dash)
{
	return g_ascii_isalnum(c) || c == '_' || (dash && c == '-');
}

/* Whether one of `names` (lower case) occurs in s[a..b), in any case. */
static bool named_near(const char *s, size_t len, size_t a, size_t b,
                       const char *const *names)
{
	if (b > len)
		b = len;
	for (size_t i = 0; names[i]; i++) {
		size_t n = strlen(names[i]);
		char c = names[i][0]; /* lower case; compare the rest only there */
		for (size_t p = a; p + n <= b; p++)
			if (g_ascii_tolower(s[p]) == c &&
			    !g_ascii_strncasecmp(s + p, names[i], n))
				return true;
	}
	return false;
}

/* Whether s[p] ends a sentence or a paragraph: ". ", "!\n", a blank line. */
static bool sentence_end(const char *s, size_t len, size_t p)
{
	if (p + 1 >= len || !g_ascii_isspace(s[p + 1]))
		return false;
	return s[p] == '.' || s[p] == '!' || s[p] == '?' ||
	       (s[p] == '\n' && s[p + 1] == '\n');
}

/* Narrows [*a, *b) around [rs, re) to the sentence that holds it. */
static void sentence_of(const char *s, size_t len, size_t rs, size_t re,
                        size_t *a, size_t *b)
{
	for (size_t p = rs; p > *a; p--)
		if (sentence_end(s, len, p - 1)) {
			*a = p;
			break;
		}
	if (*b > len)
		*b = len;
	for (size_t p = re; p < *b; p++)
		if (sentence_end(s, len, p)) {
			*b = p;
			break;
		}
}

static void add(tsgi_extract *x, const char *service, const char *handle,
                size_t hn, size_t raw_start, size_t raw_end)
{
	size_t sn = strlen(service);
	char *v = tsgi_arena_alloc(x->arena, sn + hn + 2);
	if (!v) {
		x->oom = true;
		return;
	}
	memcpy(v, service, sn);
	v[sn] = ':';
	for (size_t i = 0; i < hn; i++)
		v[sn + 1 + i] = g_ascii_tolower(handle[i]);
	v[sn + 1 + hn] = '\0';
	tsg_indicator ind = {.kind = TSG_IND_PAYMENT, .value = v, .detail = service};
	tsgi_ind_add(x, &ind, raw_start, raw_end);
}

/* Currency codes written as "$USD": never cashtags. */
static bool currency_code(const char *h, size_t n)
{
	static const char *const k[] = {"usd", "cad", "aud", "nzd", "hkd",
	                                "sgd", "mxn", "usdt", "usdc"};
	for (size_t i = 0; i < G_N_ELEMENTS(k); i++)
		if (strlen(k[i]) == n && !g_ascii_strncasecmp(h, k[i], n))
			return true;
	return false;
}

/* $cashtags and @handles in the normalised text, with the service named
 * nearby. */
static void tagged(tsgi_extract *x, char sigil, const char *service,
                   const char *const *names, size_t min, bool dash)
{
	const char *t = x->text->s;
	size_t len = x->text->len;
	for (const char *p = memchr(t, sigil, len); p && !x->oom;
	     p = memchr(p + 1, sigil, len - (size_t)(p + 1 - t))) {
		size_t at = (size_t)(p - t);
		/* an address's '@', or a '$' inside a word */
		if (at > 0 && handle_char((unsigned char)t[at - 1], true))
			continue;
		size_t e = at + 1;
		if (e >= len || !g_ascii_isalpha(t[e]))
			continue;
		while (e < len && e - at - 1 < TSG_MAX_PAY_HANDLE &&
		       handle_char((unsigned char)t[e], dash))
			e++;
		size_t hn = e - at - 1;
		if (hn < min || hn >= TSG_MAX_PAY_HANDLE ||
		    (e < len && (handle_char((unsigned char)t[e], dash) || t[e] == '@')))
			continue;
		if (sigil == '$' && currency_code(t + at + 1, hn))
			continue;
		size_t a = at > PAY_CONTEXT_BEFORE ? at - PAY_CONTEXT_BEFORE : 0;
		if (!named_near(t, len, a, e + PAY_CONTEXT_AFTER, names))
			continue;
		size_t rs, re;
		tsgi_ind_norm_span(x, at, e, &rs, &re);
		add(x, service, t + at, hn + 1, rs, re);
	}
}

/* The first path segment of a URL value after its host, without a
 * leading '$' or '@'; its length in *n. */
static const char *first_segment(const char *url, const char *host, size_t *n)
{
	const char *h = strstr(url, host);
	if (!h)
		return NULL;
	const char *p = h + strlen(host);
	if (*p != '/')
		return NULL;
	p++;
	if (!strncmp(p, "u/", 2))
		p += 2; /* venmo.com/u/handle */
	if (*p == '$' || *p == '@')
		p++;
	size_t k = 0;
	while (handle_char((unsigned char)p[k], true))
		k++;
	*n = k;
	return k >= 2 && k < TSG_MAX_PAY_HANDLE ? p : NULL;
}

/* Payment pages: the service, and the sigil its handles are written
 * with. */
static const struct {
	const char *host, *service, *prefix;
} k_pay_pages[] = {{"cash.app", "cashapp", "$"},
                   {"venmo.com", "venmo", "@"},
                   {"paypal.me", "paypal", ""}};

/* Services that pay to an address or a phone number of their country,
 * named near it. */
static const struct {
	const char *service;
	const char *const names[2];
	const char *cc; /* E.164 prefix of the numbers it pays to */
	bool email;     /* pays to an email address too */
} k_pay_to[] = {
	{"zelle", {"zelle", NULL}, "+1", true},
	{"bizum", {"bizum", NULL}, "+34", false},
	{"paylib", {"paylib", NULL}, "+33", false},
};

/* Links to a payment page, and addresses or numbers near a service's name
 * (k_pay_to). */
static void from_indicators(tsgi_extract *x)
{
	size_t n0 = x->n;
	for (size_t i = 0; i < n0 && !x->oom; i++) {
		const tsg_indicator v = x->v[i];
		size_t rs, re;
		if (!tsgi_ind_region_span(x, &v, &rs, &re))
			continue;
		if (v.kind == TSG_IND_URL && v.host) {
			for (size_t j = 0; j < G_N_ELEMENTS(k_pay_pages); j++) {
				if (!tsgi_host_under(v.host, k_pay_pages[j].host))
					continue;
				size_t n;
				const char *seg = first_segment(v.value, v.host, &n);
				if (!seg)
					continue;
				char h[TSG_MAX_PAY_HANDLE + 2];
				size_t pl = strlen(k_pay_pages[j].prefix);
				memcpy(h, k_pay_pages[j].prefix, pl);
				memcpy(h + pl, seg, n);
				add(x, k_pay_pages[j].service, h, pl + n, rs, re);
			}
		} else if (v.kind == TSG_IND_EMAIL || v.kind == TSG_IND_PHONE) {
			size_t a = rs > PAY_CONTEXT_BEFORE ? rs - PAY_CONTEXT_BEFORE : 0;
			size_t b = re + PAY_CONTEXT_AFTER;
			bool narrowed = false;
			for (size_t j = 0; j < G_N_ELEMENTS(k_pay_to) && !x->oom; j++) {
				if (v.kind == TSG_IND_PHONE
				        ? strncmp(v.value, k_pay_to[j].cc,
				                  strlen(k_pay_to[j].cc))
				        : !k_pay_to[j].email)
					continue;
				/* the sentence only once some service can pay to it */
				if (!narrowed) {
					sentence_of(x->raw, x->raw_len, rs, re, &a, &b);
					narrowed = true;
				}
				if (named_near(x->raw, x->raw_len, a, b, k_pay_to[j].names))
					add(x, k_pay_to[j].service, v.value, strlen(v.value), rs,
					    re);
			}
		}
	}
}

void tsgi_extract_payments(tsgi_extract *x)
{
	static const char *const cashapp[] = {"cash app", "cashapp", "cash-app",
	                                      "cashtag", "cash tag", NULL};
	static const char *const venmo[] = {"venmo", NULL};
	const char *t = x->text->s;
	size_t len = x->text->len;
	if (memchr(t, '$', len))
		tagged(x, '$', "cashapp", cashapp, 1, false);
	if (!x->oom && memchr(t, '@', len))
		tagged(x, '@', "venmo", venmo, 5, true);
	if (!x->oom)
		from_indicators(x);
}

void tsgi_extract_payment_links(tsgi_extract *x)
{
	from_indicators(x);
}

static bool is_service(const char *service, const char *s, size_t n)
{
	return strlen(service) == n && !g_ascii_strncasecmp(s, service, n);
}

bool tsgi_payment_service(const char *s, size_t n)
{
	for (size_t i = 0; i < G_N_ELEMENTS(k_pay_pages); i++)
		if (is_service(k_pay_pages[i].service, s, n))
			return true;
	for (size_t i = 0; i < G_N_ELEMENTS(k_pay_to); i++)
		if (is_service(k_pay_to[i].service, s, n))
			return true;
	return false;
}
