/*
 * lookup.c - "have we seen this?" for one value typed by a person.
 *
 * The query is read as, in this order: a URL (has "://" or starts with
 * "www."), an email address (has '@'), a phone number (only digits and
 * + - . ( ) spaces, 7-15 digits), a wallet or IBAN, else a domain.  It is
 * turned into the canonical forms the store indexes (lower-case value,
 * host, registrable domain, E.164) and answered from the indexes
 * (tsgi_store_lookup): the cost does not grow with the store.
 */
#include <ctype.h>
#include <libpsl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../indicators/indicators.h"
#include "intel.h"
#include "tsguard_limits.h"

struct agg {
	tsgi_lookup_result *res;
	char seen[32][600]; /* (campaign, kind, value) rows already counted */
	size_t nseen;
};

static int on_row(void *ctx, const tsgi_lookup_row *row)
{
	struct agg *a = ctx;
	tsgi_lookup_result *res = a->res;
	char tag[600];
	snprintf(tag, sizeof tag, "%s|%d|%s", row->campaign ? row->campaign : "",
	         row->kind, row->value);
	for (size_t i = 0; i < a->nseen; i++)
		if (!strcmp(a->seen[i], tag))
			return 0;
	if (a->nseen < 32)
		snprintf(a->seen[a->nseen++], sizeof a->seen[0], "%s", tag);
	if (!res->known || row->first < res->first)
		res->first = row->first;
	if (!res->known || row->last > res->last)
		res->last = row->last;
	res->known = true;
	res->reports += row->reports;
	if (!row->campaign) {
		res->unclustered += (size_t)row->reports;
		return 0;
	}
	for (size_t i = 0; i < res->ncampaigns && i < 8; i++)
		if (!strcmp(res->campaigns[i], row->campaign))
			return 0;
	if (res->ncampaigns < 8)
		snprintf(res->campaigns[res->ncampaigns], sizeof res->campaigns[0], "%s",
		         row->campaign);
	res->ncampaigns++;
	return 0;
}

/* Copies src into dst (cap bytes), cutting it when longer. */
static void copy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static bool phone_like(const char *q, char *digits, size_t cap)
{
	size_t n = 0, nd = 0;
	for (const char *p = q; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= cap)
				return false;
			digits[n++] = *p;
			nd++;
		} else if (*p == '+' && nd == 0 && n == 0) {
			digits[n++] = '+';
		} else if (!strchr(" -.()/\t", *p)) {
			return false;
		}
	}
	digits[n] = '\0';
	return nd >= 7 && nd <= TSG_MAX_PHONE_DIGITS + 3;
}

/* E.164 candidates when the canonicaliser cannot decide. */
static size_t phone_fallback(const char *digits, const char *region,
                             char out[3][72])
{
	size_t n = 0;
	const char *d = digits[0] == '+' ? digits + 1 : digits;
	if (digits[0] == '+') {
		snprintf(out[n++], 72, "+%s", d);
		return n;
	}
	if (!strncmp(d, "00", 2)) {
		snprintf(out[n++], 72, "+%s", d + 2);
		return n;
	}
	if (!strncmp(d, "011", 3)) {
		snprintf(out[n++], 72, "+%s", d + 3);
		return n;
	}
	size_t len = strlen(d);
	if ((!region || !strcmp(region, "US") || !strcmp(region, "CA")) && len == 10)
		snprintf(out[n++], 72, "+1%s", d);
	else if (len == 11 && d[0] == '1')
		snprintf(out[n++], 72, "+%s", d);
	else if (region && !strcmp(region, "GB") && d[0] == '0')
		snprintf(out[n++], 72, "+44%s", d + 1);
	else if (region && !strcmp(region, "FR") && d[0] == '0')
		snprintf(out[n++], 72, "+33%s", d + 1);
	else if (region && !strcmp(region, "DE") && d[0] == '0')
		snprintf(out[n++], 72, "+49%s", d + 1);
	snprintf(out[n++], 72, "+%s", d);
	return n;
}

static bool all_of(const char *s, const char *set)
{
	for (; *s; s++)
		if (!strchr(set, *s))
			return false;
	return true;
}

static const char *wallet_kind(const char *q)
{
	size_t n = strlen(q);
	static const char b58[] =
		"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
	if (n == 42 && (q[0] == '0') && (q[1] == 'x' || q[1] == 'X') &&
	    all_of(q + 2, "0123456789abcdefABCDEF"))
		return "eth";
	if ((n >= 26 && n <= 35) && (q[0] == '1' || q[0] == '3') && all_of(q, b58))
		return "btc";
	if (n >= 14 && n <= 74 && (!strncmp(q, "bc1", 3) || !strncmp(q, "BC1", 3)))
		return "btc";
	if (n == 34 && q[0] == 'T' && all_of(q, b58))
		return "tron";
	return NULL;
}

static bool iban_like(const char *q, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = q; *p; p++) {
		if (*p == ' ')
			continue;
		if (!isalnum((unsigned char)*p) || n + 1 >= cap)
			return false;
		out[n++] = (char)toupper((unsigned char)*p);
	}
	out[n] = '\0';
	return n >= 15 && n <= 34 && isalpha((unsigned char)out[0]) &&
	       isalpha((unsigned char)out[1]) && isdigit((unsigned char)out[2]) &&
	       isdigit((unsigned char)out[3]);
}

tsg_status tsgi_lookup(tsgi_store *s, const char *query, const char *region,
                       tsgi_lookup_result *res)
{
	memset(res, 0, sizeof *res);
	char q[TSG_MAX_URL + 1];
	/* Trim blanks. */
	while (*query && isspace((unsigned char)*query))
		query++;
	snprintf(q, sizeof q, "%s", query);
	size_t qn = strlen(q);
	while (qn && isspace((unsigned char)q[qn - 1]))
		q[--qn] = '\0';
	if (!qn)
		return TSG_EINVAL;
	const char *keys[6];
	size_t nk = 0;
	char k0[TSG_MAX_URL + 1], k1[TSG_MAX_HOST + 1], k2[TSG_MAX_HOST + 1];
	char ph[3][72];
	char digits[64];
	if (strstr(q, "://") || !strncasecmp(q, "www.", 4)) {
		snprintf(res->kind, sizeof res->kind, "url");
		copy(k0, sizeof k0, q);
		lower(k0);
		keys[nk++] = k0;
		const char *h = strstr(k0, "://");
		h = h ? h + 3 : k0;
		size_t hn = strcspn(h, "/:?#");
		if (hn && hn < sizeof k1) {
			memcpy(k1, h, hn);
			k1[hn] = '\0';
			keys[nk++] = k1;
		}
		copy(res->canon, sizeof res->canon, k0);
	} else if (strchr(q, '@')) {
		snprintf(res->kind, sizeof res->kind, "email");
		copy(k0, sizeof k0, q);
		lower(k0);
		keys[nk++] = k0;
		copy(res->canon, sizeof res->canon, k0);
	} else if (phone_like(q, digits, sizeof digits)) {
		snprintf(res->kind, sizeof res->kind, "phone");
		char e164[40];
		unsigned flags = 0;
		const char *country = NULL;
		if (tsgi_phone_canon(digits, region ? region : "US", e164, sizeof e164,
		                     &flags, &country)) {
			snprintf(ph[0], sizeof ph[0], "%s", e164);
			keys[nk++] = ph[0];
		} else {
			size_t n = phone_fallback(digits, region, ph);
			for (size_t i = 0; i < n; i++)
				keys[nk++] = ph[i];
		}
		copy(res->canon, sizeof res->canon, keys[0]);
	} else if (wallet_kind(q)) {
		snprintf(res->kind, sizeof res->kind, "%s", wallet_kind(q));
		copy(k0, sizeof k0, q);
		if (!strcmp(res->kind, "eth"))
			lower(k0);
		keys[nk++] = k0;
		copy(res->canon, sizeof res->canon, k0);
	} else if (iban_like(q, k0, sizeof k0)) {
		snprintf(res->kind, sizeof res->kind, "iban");
		copy(res->canon, sizeof res->canon, k0);
		lower(k0);
		keys[nk++] = k0;
	} else {
		snprintf(res->kind, sizeof res->kind, "domain");
		copy(k1, sizeof k1, q);
		lower(k1);
		size_t n = strlen(k1);
		while (n && k1[n - 1] == '.')
			k1[--n] = '\0';
		keys[nk++] = k1;
		const char *reg = psl_registrable_domain(psl_builtin(), k1);
		if (reg && strcmp(reg, k1)) {
			copy(k2, sizeof k2, reg);
			/* A parent domain is not the same value: only report it
			 * when the host itself is unknown (see below). */
		} else {
			k2[0] = '\0';
		}
		copy(res->canon, sizeof res->canon, k1);
	}
	struct agg *a = calloc(1, sizeof *a);
	if (!a)
		return TSG_ENOMEM;
	a->res = res;
	tsg_status st = tsgi_store_lookup(s, keys, nk, on_row, a);
	if (st == TSG_OK && !res->known && !strcmp(res->kind, "domain") && k2[0]) {
		const char *pk[1] = {k2};
		st = tsgi_store_lookup(s, pk, 1, on_row, a);
	}
	free(a);
	return st;
}

void tsgi_lookup_json(const tsgi_lookup_result *res, FILE *f)
{
	tsgi_buf b;
	tsgi_buf_init(&b, 1u << 20);
	tsgi_jw w;
	tsgi_jw_init(&w, &b, false);
	tsgi_jw_obj(&w);
	tsgi_jw_key(&w, "query_kind");
	tsgi_jw_str(&w, res->kind);
	tsgi_jw_key(&w, "canonical");
	tsgi_jw_str(&w, res->canon);
	tsgi_jw_key(&w, "known");
	tsgi_jw_bool(&w, res->known);
	if (res->known) {
		char t1[32], t2[32];
		tsgi_format_time(res->first, t1, sizeof t1);
		tsgi_format_time(res->last, t2, sizeof t2);
		tsgi_jw_key(&w, "reports");
		tsgi_jw_int(&w, res->reports);
		tsgi_jw_key(&w, "first_seen");
		tsgi_jw_str(&w, t1);
		tsgi_jw_key(&w, "last_seen");
		tsgi_jw_str(&w, t2);
		tsgi_jw_key(&w, "campaigns");
		tsgi_jw_arr(&w);
		for (size_t i = 0; i < res->ncampaigns && i < 8; i++)
			tsgi_jw_str(&w, res->campaigns[i]);
		tsgi_jw_arr_end(&w);
		tsgi_jw_key(&w, "unclustered_reports");
		tsgi_jw_int(&w, (long long)res->unclustered);
	}
	tsgi_jw_obj_end(&w);
	if (b.s)
		fprintf(f, "%s\n", b.s);
	tsgi_buf_free(&b);
}
