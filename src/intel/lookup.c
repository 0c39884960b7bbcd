/*
 * lookup.c - "have we seen this?" for one value typed by a person.
 *
 * The query is read as, in this order: a URL (has "://" or starts with
 * "www."), an email address (has '@'), a phone number (only digits and
 * + - . ( ) spaces, 7-15 digits), a wallet or IBAN, else a domain.  It is
 * turned into the canonical forms the store indexes (lower-case value,
 * host, registrable domain, E.164), the *keys*, and answered from the
 * store's per-key summaries (tsgi_store_key_stats): one row per key and
 * at most 8 campaign rows per key (16 for a URL's host), however many
 * reports name the value.
 *
 * What is counted (the same as aggregating the indicator rows, which the
 * tests check): items, i.e. distinct (report, kind, value) triples with an
 * indicator naming one of the keys.  The keys of one query name disjoint
 * sets of items, except a URL and its host: an item naming the URL names
 * the host too whenever its stored host is the URL's, which the summary's
 * with_host count tells; the URL then adds nothing to the totals, only
 * its campaigns, listed first.  Phone keys are E.164 numbers, which are
 * no host or domain, so an indicator names at most one of them.  When a
 * URL's items do not all name its host (indicators written by hand), the
 * answer is aggregated from the rows instead (tsgi_store_lookup).
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

#define LISTED (sizeof((tsgi_lookup_result *)0)->campaigns / \
                sizeof((tsgi_lookup_result *)0)->campaigns[0])

/* Distinct strings, in a growable array (linear search: campaigns of one
 * value, rows of the row aggregate). */
struct strset {
	char **v;
	size_t n, cap;
	bool nomem;
};

/* Adds s; true when it was not there yet. */
static bool strset_add(struct strset *set, const char *s)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->v[i], s))
			return false;
	if (set->n == set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 16;
		char **v = realloc(set->v, cap * sizeof *v);
		if (!v) {
			set->nomem = true;
			return true;
		}
		set->v = v;
		set->cap = cap;
	}
	if (!(set->v[set->n] = strdup(s))) {
		set->nomem = true;
		return true;
	}
	set->n++;
	return true;
}

static void strset_free(struct strset *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i]);
	free(set->v);
}

/* Campaigns in the order a person reads them: per key in query order,
 * ascending ids, each once; the first LISTED go into res. */
struct camps {
	tsgi_lookup_result *res;
	size_t listed;
	struct strset all; /* every campaign seen, when counting them */
	bool count;
};

static int on_campaign(void *ctx, const char *c)
{
	struct camps *l = ctx;
	tsgi_lookup_result *res = l->res;
	bool dup = false;
	for (size_t i = 0; i < l->listed; i++)
		if (!strncmp(res->campaigns[i], c, sizeof res->campaigns[0] - 1))
			dup = true;
	if (!dup && l->listed < LISTED)
		snprintf(res->campaigns[l->listed++], sizeof res->campaigns[0], "%s", c);
	if (l->count)
		strset_add(&l->all, c);
	return 0;
}

/* ---- the row aggregate: only for a URL whose items do not all name its
 * host (see the top of the file) ---- */

struct agg {
	tsgi_lookup_result *res;
	struct strset rows;  /* (campaign, kind, value) groups counted */
	struct strset camps; /* distinct campaigns */
};

static int on_row(void *ctx, const tsgi_lookup_row *row)
{
	struct agg *a = ctx;
	tsgi_lookup_result *res = a->res;
	char tag[TSG_MAX_URL + 128];
	snprintf(tag, sizeof tag, "%s|%d|%s", row->campaign ? row->campaign : "",
	         row->kind, row->value);
	/* Each key returns its own rows: a group named by two keys once. */
	if (!strset_add(&a->rows, tag))
		return 0;
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
	if (strset_add(&a->camps, row->campaign) && res->ncampaigns < LISTED)
		snprintf(res->campaigns[res->ncampaigns], sizeof res->campaigns[0], "%s",
		         row->campaign);
	res->ncampaigns = a->camps.n;
	return 0;
}

static tsg_status from_rows(tsgi_store *s, const char *const *keys, size_t n,
                            tsgi_lookup_result *res)
{
	struct agg a = {.res = res};
	tsg_status st = tsgi_store_lookup(s, keys, n, on_row, &a);
	if (st == TSG_OK && (a.rows.nomem || a.camps.nomem))
		st = TSG_ENOMEM;
	strset_free(&a.rows);
	strset_free(&a.camps);
	return st;
}

/* Answers for the keys (n <= 6) from the summaries, adding to res. */
static tsg_status answer(tsgi_store *s, const char *const *keys, size_t nk,
                         tsgi_lookup_result *res)
{
	const char *k[6];
	tsgi_key_stats ks[6];
	bool inside[6] = {false};
	size_t n = 0;
	for (size_t i = 0; i < nk && n < 6; i++) {
		bool dup = false;
		for (size_t j = 0; j < n; j++)
			dup |= !strcmp(k[j], keys[i]);
		if (!dup)
			k[n++] = keys[i];
	}
	for (size_t i = 0; i < n; i++) {
		tsg_status st = tsgi_store_key_stats(s, k[i], &ks[i]);
		if (st != TSG_OK)
			return st;
	}
	/* A URL whose items all name its host as well lies inside the host's. */
	for (size_t i = 0; i < n; i++) {
		char host[TSG_MAX_HOST + 1];
		if (!ks[i].items || !tsgi_store_url_host(k[i], host, sizeof host))
			continue;
		for (size_t j = 0; j < n; j++)
			if (j != i && !strcmp(k[j], host)) {
				if (ks[i].with_host != ks[i].items)
					return from_rows(s, k, n, res);
				inside[i] = true;
			}
	}
	size_t with_camps = 0, camp_key = 0;
	for (size_t i = 0; i < n; i++) {
		if (!ks[i].items)
			continue;
		if (!res->known || ks[i].first < res->first)
			res->first = ks[i].first;
		if (!res->known || ks[i].last > res->last)
			res->last = ks[i].last;
		res->known = true;
		if (inside[i])
			continue;
		res->reports += ks[i].items;
		res->unclustered += (size_t)(ks[i].items - ks[i].clustered);
		if (ks[i].campaigns) {
			with_camps++;
			camp_key = i;
		}
	}
	/* Two keys with campaigns of their own (phone alternatives): their
	 * campaigns are counted by reading them all. */
	struct camps l = {.res = res, .count = with_camps > 1};
	tsg_status st = TSG_OK;
	for (size_t i = 0; i < n && st == TSG_OK; i++) {
		if (!ks[i].campaigns)
			continue;
		if (!l.count && l.listed == LISTED)
			break;
		/* Up to `listed` of the first rows may be listed already. */
		st = tsgi_store_key_campaigns(s, k[i], l.count ? 0 : LISTED + l.listed,
		                              on_campaign, &l);
	}
	if (st == TSG_OK && l.all.nomem)
		st = TSG_ENOMEM;
	if (l.count)
		res->ncampaigns = l.all.n;
	else if (with_camps)
		res->ncampaigns = (size_t)ks[camp_key].campaigns;
	strset_free(&l.all);
	return st;
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

/* A payment-app handle as the extractor stores it (payment.c): "$tag" is
 * Cash App, "@handle" alone Venmo, or "service:handle" as written. */
static bool payment_key(const char *q, char *out, size_t cap)
{
	const char *colon = strchr(q, ':');
	int n = -1;
	if (q[0] == '$' && isalpha((unsigned char)q[1]))
		n = snprintf(out, cap, "cashapp:%s", q);
	else if (q[0] == '@' && isalpha((unsigned char)q[1]) && !strchr(q + 1, '@'))
		n = snprintf(out, cap, "venmo:%s", q);
	else if (colon && tsgi_payment_service(q, (size_t)(colon - q)))
		n = snprintf(out, cap, "%s", q);
	if (n < 0 || (size_t)n >= cap)
		return false;
	lower(out);
	return true;
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
		/* The same host the summaries count with_host against. */
		if (tsgi_store_url_host(k0, k1, sizeof k1))
			keys[nk++] = k1;
		copy(res->canon, sizeof res->canon, k0);
	} else if (payment_key(q, k0, sizeof k0)) {
		snprintf(res->kind, sizeof res->kind, "payment");
		keys[nk++] = k0;
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
	tsg_status st = answer(s, keys, nk, res);
	if (st == TSG_OK && !res->known && !strcmp(res->kind, "domain") && k2[0]) {
		const char *pk[1] = {k2};
		st = answer(s, pk, 1, res);
	}
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
