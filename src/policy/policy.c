/*
 * policy.c - the brand contact policy turned into reasons.
 *
 * The rules find what a message says; this file asks whether the company or
 * agency it claims to be would ever say it.  It runs after the rules, on the
 * brands the message names (the registry's brand.ID helper rules), the
 * helper rules of rules/05-policy.rules (policy.opener, policy.claim,
 * policy.problem, policy.ask_*), the indicators and the caller's contact
 * direction.  Semantics are documented in docs/brands.md; every weight,
 * message template and the lists of rule ids that count as an ask are
 * policy.* keys of data/tsguard.conf, so tuning never touches C.
 *
 * Nothing here allocates outside the scan arena (vb->a), and nothing fails
 * but memory: on ENOMEM vb->oom is set and the scan reports it.
 */
#include "policy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "../text/normalize.h"
#include "tsguard_limits.h"

/* What the message shows, gathered once. */
typedef struct facts {
	const tsgi_brand *brand;  /* the brand the policy is checked against   */
	tsgi_rawspan brand_span;  /* its first mention (raw bytes), if any      */
	bool has_brand_span;
	const tsgi_hit *opener, *claim, *problem;
	bool scam_rule;           /* a weighted scam rule holds                 */
	bool cta;                 /* a call to action (policy.cta.rules)         */
	bool from_name_brand;     /* the sender's display name names the brand   */
	const char *sender_host;  /* sender's domain or page host, lower case    */
	bool sender_official;
	size_t callbacks;         /* unofficial phone numbers                    */
} facts;

/* ---- small helpers ------------------------------------------------------ */

static const tsgi_rule *hit_rule(const tsgi_policy_in *in, const tsgi_hit *h)
{
	return tsgi_ruleset_rule(in->engine->rules, (size_t)h->rule);
}

static const tsgi_hit *find_hit(const tsgi_policy_in *in, const char *id)
{
	for (size_t i = 0; i < in->nhits; i++)
		if (!strcmp(hit_rule(in, &in->hits[i])->id, id))
			return &in->hits[i];
	return NULL;
}

/* True when the space-separated list `list` holds `id`. */
static bool list_has(const char *list, const char *id)
{
	size_t n = strlen(id);
	const char *p = list;
	while (p && *p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t k = strcspn(p, " ,");
		if (k == n && !strncmp(p, id, n))
			return true;
		p += k;
	}
	return false;
}

/* The rule lists the policy consults: config key and default. */
enum {
	PL_OPENER,
	PL_CLAIM,
	PL_PROBLEM,
	PL_CTA,
	PL_ASK_REMOTE,
	PL_ASK_GIFTCARD,
	PL_ASK_CRYPTO,
	PL_COUNT
};
static const char *const k_lists[PL_COUNT][2] = {
	{"policy.opener.rules", "policy.opener"},
	{"policy.claim.rules", "policy.claim"},
	{"policy.problem.rules", "policy.problem"},
	{"policy.cta.rules", "h.call"},
	{"policy.forbidden_ask.remote.rules", "policy.ask_remote"},
	{"policy.forbidden_ask.giftcard.rules", "policy.ask_giftcard"},
	{"policy.forbidden_ask.crypto.rules", "policy.ask_crypto"},
};

bool tsgi_policy_prepare(tsg_engine *e)
{
	size_t n = tsgi_ruleset_count(e->rules);
	free(e->policy_lists);
	e->policy_lists = calloc(n ? n : 1, 1);
	if (!e->policy_lists)
		return false;
	for (int l = 0; l < PL_COUNT; l++) {
		const char *list = tsgi_config_str(e->config, k_lists[l][0], k_lists[l][1]);
		for (size_t i = 0; i < n; i++)
			if (list_has(list, tsgi_ruleset_rule(e->rules, i)->id))
				e->policy_lists[i] |= (unsigned char)(1u << l);
	}
	return true;
}

/* The first hit of a rule named in policy list `l`, or NULL. */
static const tsgi_hit *find_listed(const tsgi_policy_in *in, int l)
{
	for (size_t i = 0; i < in->nhits; i++)
		if (in->engine->policy_lists[in->hits[i].rule] & (1u << l))
			return &in->hits[i];
	return NULL;
}

/* Raw span of a hit's first span (hits carry normalised offsets). */
static bool hit_span(const tsgi_policy_in *in, const tsgi_hit *h,
                     tsgi_rawspan *out)
{
	if (!h || !h->nspans)
		return false;
	tsgi_text_raw_span(in->text, h->spans[0].start, h->spans[0].end,
	                   &out->start, &out->end);
	return true;
}

/* Raw span of an indicator (they carry segment-relative offsets). */
static tsgi_rawspan ind_span(const tsgi_policy_in *in, const tsg_indicator *x)
{
	size_t base = 0;
	if (in->doc->nsegs && x->segment >= 0 && (size_t)x->segment < in->doc->nsegs)
		base = in->doc->segs[x->segment].off;
	tsgi_rawspan r = {base + x->start, base + x->end};
	if (r.end > in->doc->len)
		r.end = in->doc->len;
	if (r.start > r.end)
		r.start = r.end;
	return r;
}

static bool any_claimed_owns(const tsgi_policy_in *in, const char *host)
{
	for (size_t i = 0; i < in->nbrands; i++) {
		const tsgi_brand *b = tsgi_brands_find(in->engine->brands, in->brands[i]);
		if (b && tsgi_brand_owns_host(b, host))
			return true;
	}
	return false;
}

static bool phone_official(const tsgi_policy_in *in, const tsg_indicator *x)
{
	return (x->flags & TSG_IND_F_OFFICIAL) ||
	       tsgi_brands_by_phone(in->engine->brands, x->value) != NULL;
}

/* Copies the domain of an address ("Name <a@b.com>", "a@B.com") or the
 * host of a URL into the arena, lower case; NULL when there is none. */
static const char *host_of(tsgi_arena *a, const char *s)
{
	if (!s || !*s)
		return NULL;
	const char *p = strstr(s, "://");
	const char *at = strrchr(s, '@');
	if (p)
		p += 3;
	else if (at)
		p = at + 1;
	else
		return NULL;
	size_t n = 0;
	while (p[n] && p[n] != '>' && p[n] != '/' && p[n] != ':' && p[n] != '?' &&
	       p[n] != '#' && !isspace((unsigned char)p[n]))
		n++;
	while (n && p[n - 1] == '.')
		n--;
	if (!n || n > 253)
		return NULL;
	char *h = tsgi_arena_strndup(a, p, n);
	if (!h)
		return NULL;
	for (char *q = h; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return h;
}

/* True when `hay` contains `needle` as whole words (space-separated). */
static bool has_words(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return false;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
		bool left = p == hay || !isalnum((unsigned char)p[-1]);
		bool right = !isalnum((unsigned char)p[n]);
		if (left && right)
			return true;
	}
	return false;
}

/* True when host[0..n) contains one of the brand's name tokens:
 * "microsoft-support-desk.com", "paypal.secure-login.net". */
static bool flat_has_token(const tsgi_brand *b, const char *host, size_t n)
{
	char flat[256];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < sizeof flat; i++)
		if (isalnum((unsigned char)host[i]))
			flat[k++] = host[i];
	flat[k] = '\0';
	for (size_t i = 0; i < b->nhost_tokens; i++)
		if (strstr(flat, b->host_tokens[i]))
			return true;
	return false;
}

/* True when the brand's id is a whole word of host[0..n) before its last
 * label, between dots and dashes: a short name that is too common inside
 * words to be a token ("meta-appeal-center.com", "hp-support.net"; not
 * "metallica.com"). */
static bool host_has_id(const tsgi_brand *b, const char *host, size_t n)
{
	size_t idn = b->id ? strlen(b->id) : 0;
	if (!idn)
		return false;
	const char *end = host + n;
	const char *last = memrchr(host, '.', n);
	if (!last)
		last = end; /* a tenant's part of a shared host: all of it */
	for (const char *p = host; p < last;) {
		size_t k = strcspn(p, ".-");
		if (p + k > end)
			k = (size_t)(end - p);
		if (k == idn && !memcmp(p, b->id, idn))
			return true;
		p += k + 1;
	}
	return false;
}

/* Whether host[0..n) (lower-case punycode) carries a name token of brand
 * b, or its id as a word.  An internationalised label is read back in Unicode and through the
 * normalisation's look-alike folding, so "xn--amzon-verify-..." written
 * with a Cyrillic а reads "amazon-verify". */
static bool host_imitates(const tsgi_brand *b, const char *host, size_t n)
{
	if (flat_has_token(b, host, n) || host_has_id(b, host, n))
		return true;
	char ace[256];
	if (n >= sizeof ace || !memmem(host, n, "xn--", 4))
		return false;
	memcpy(ace, host, n);
	ace[n] = '\0';
	char *u = NULL;
	bool hit = false;
	if (idn2_to_unicode_8z8z(ace, &u, 0) == IDN2_OK && u) {
		char *norm = tsgi_normalize_str(u);
		hit = norm && flat_has_token(b, norm, strlen(norm));
		free(norm);
	}
	idn2_free(u);
	return hit;
}

/*
 * Renders a message template: {brand}, {number}, {host} are replaced.
 * Returns an arena string, or NULL on ENOMEM.
 */
static const char *render(tsgi_arena *a, const char *tmpl, const char *brand,
                          const char *number, const char *host)
{
	static const char *const keys[] = {"{brand}", "{number}", "{host}"};
	const char *vals[] = {brand ? brand : "", number ? number : "",
	                      host ? host : ""};
	size_t need = 1;
	for (const char *p = tmpl; *p;) {
		bool done = false;
		for (int k = 0; k < 3 && !done; k++)
			if (!strncmp(p, keys[k], strlen(keys[k]))) {
				need += strlen(vals[k]);
				p += strlen(keys[k]);
				done = true;
			}
		if (!done) {
			need++;
			p++;
		}
	}
	char *out = tsgi_arena_alloc(a, need);
	if (!out)
		return NULL;
	size_t o = 0;
	for (const char *p = tmpl; *p;) {
		bool done = false;
		for (int k = 0; k < 3 && !done; k++)
			if (!strncmp(p, keys[k], strlen(keys[k]))) {
				size_t l = strlen(vals[k]);
				memcpy(out + o, vals[k], l);
				o += l;
				p += strlen(keys[k]);
				done = true;
			}
		if (!done)
			out[o++] = *p++;
	}
	out[o] = '\0';
	return out;
}

/* Template `key` in the message's language, with an English default. */
static const char *tmpl(const tsgi_policy_in *in, const char *key,
                        const char *dflt)
{
	const char *t = tsgi_config_text(in->engine->config, key, in->lang);
	return t ? t : dflt;
}

static double weight(const tsgi_policy_in *in, const char *key, double dflt)
{
	double w = tsgi_config_num(in->engine->config, key, dflt);
	return w < 0 ? 0 : w > 1 ? 1 : w;
}

/* Evidence list: the brand mention first, then the rest. */
typedef struct spans {
	tsgi_rawspan v[TSG_MAX_EVIDENCE];
	size_t n;
} spans;

static void spans_add(spans *s, tsgi_rawspan r)
{
	if (s->n < TSG_MAX_EVIDENCE && r.end > r.start)
		s->v[s->n++] = r;
}

static spans spans_brand(const facts *f)
{
	spans s = {.n = 0};
	if (f->has_brand_span)
		spans_add(&s, f->brand_span);
	return s;
}

bool tsgi_policy_reason_id(const char *id, size_t n)
{
	static const char *const k_ids[] = {
		"policy.unsolicited", "policy.unofficial_number",
		"policy.unofficial_sender", "policy.lookalike_link",
		"policy.hidden_link", "policy.unofficial_address",
		"policy.forbidden_ask"};
	for (size_t i = 0; i < sizeof k_ids / sizeof *k_ids; i++)
		if (strlen(k_ids[i]) == n && !memcmp(k_ids[i], id, n))
			return true;
	return false;
}

static void add_reason(tsgi_vb *vb, const char *id, const char *message,
                       double w, const spans *s)
{
	if (!message) {
		vb->oom = true;
		return;
	}
	if (w <= 0 || tsgi_vb_has(vb, id))
		return;
	tsgi_vb_add(vb, id, "any", message, w, s->v, s->n);
}

/* ---- choosing the brand -------------------------------------------------- */

/* The claimed brand the policy checks: the one whose mention is nearest the
 * policy.claim evidence, else the one mentioned first. */
static void choose_brand(const tsgi_policy_in *in, facts *f)
{
	size_t claim_at = (size_t)-1;
	tsgi_rawspan cs;
	if (hit_span(in, f->claim, &cs))
		claim_at = cs.start;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < in->nbrands; i++) {
		const tsgi_brand *b = tsgi_brands_find(in->engine->brands, in->brands[i]);
		if (!b)
			continue;
		char id[160];
		snprintf(id, sizeof id, "brand.%s", b->id);
		const tsgi_hit *h = find_hit(in, id);
		tsgi_rawspan r = {0, 0};
		bool has = hit_span(in, h, &r);
		size_t d = !has                     ? (size_t)-2
		           : claim_at == (size_t)-1 ? r.start
		           : r.start > claim_at     ? r.start - claim_at
		                                    : claim_at - r.start;
		for (size_t k = 0; has && claim_at != (size_t)-1 && k < h->nspans; k++) {
			tsgi_rawspan q;
			tsgi_text_raw_span(in->text, h->spans[k].start, h->spans[k].end,
			                   &q.start, &q.end);
			size_t dk = q.start > claim_at ? q.start - claim_at
			                               : claim_at - q.start;
			if (dk < d) {
				d = dk;
				r = q;
			}
		}
		if (!f->brand || d < best_d) {
			f->brand = b;
			f->brand_span = r;
			f->has_brand_span = has;
			best_d = d;
		}
	}
}

/* ---- the facts ------------------------------------------------------------ */

static bool from_name_names(const tsgi_policy_in *in, const tsgi_brand *b)
{
	for (size_t i = 0; i < in->doc->nsigs; i++)
		if (!strcmp(in->doc->sigs[i].name, "email.display_name_brand"))
			return true;
	if (!in->doc->from_name || !*in->doc->from_name)
		return false;
	char *norm = tsgi_normalize_str(in->doc->from_name);
	if (!norm)
		return false;
	bool yes = false;
	for (size_t i = 0; !yes && i < b->nnames; i++)
		yes = b->norm_names[i] && has_words(norm, b->norm_names[i]);
	free(norm);
	return yes;
}

static void gather(const tsgi_policy_in *in, tsgi_vb *vb, facts *f)
{
	f->opener = find_listed(in, PL_OPENER);
	f->claim = find_listed(in, PL_CLAIM);
	f->problem = find_listed(in, PL_PROBLEM);
	f->cta = find_listed(in, PL_CTA) != NULL;
	for (size_t i = 0; i < in->nhits; i++) {
		const tsgi_rule *r = hit_rule(in, &in->hits[i]);
		if (r->weight > 0 && r->category && strcmp(r->category, "any") &&
		    strcmp(r->category, "other"))
			f->scam_rule = true;
	}
	choose_brand(in, f);
	if (!f->brand)
		return;
	f->from_name_brand = from_name_names(in, f->brand);

	/* Sender: the caller's sender, the email From, or the page's URL. */
	const char *cands[] = {in->sender, in->doc->from_addr, in->doc->page_url};
	for (size_t i = 0; i < 3 && !f->sender_host; i++)
		f->sender_host = host_of(vb->a, cands[i]);
	f->sender_official = f->sender_host && any_claimed_owns(in, f->sender_host);

	for (size_t i = 0; i < in->nind; i++)
		if (in->ind[i].kind == TSG_IND_PHONE && !phone_official(in, &in->ind[i]))
			f->callbacks++;
}

/* ---- the reasons --------------------------------------------------------- */

static void reason_unofficial_number(const tsgi_policy_in *in, tsgi_vb *vb,
                                     const facts *f, bool strong)
{
	if (!f->callbacks || !(strong || f->cta))
		return;
	spans s = spans_brand(f);
	const char *first = NULL;
	for (size_t i = 0; i < in->nind; i++) {
		const tsg_indicator *x = &in->ind[i];
		if (x->kind != TSG_IND_PHONE || phone_official(in, x))
			continue;
		if (!first)
			first = x->value;
		spans_add(&s, ind_span(in, x));
	}
	const char *m = render(vb->a,
	                       tmpl(in, "policy.unofficial_number.message",
	                            "{number} is not an official {brand} number"),
	                       f->brand->display, first, NULL);
	add_reason(vb, "policy.unofficial_number", m,
	           weight(in, "policy.unofficial_number.weight", 0.5), &s);
}

/* The host of link, domain or address x when it imitates the brand's name
 * from outside the brand's own domains (micros0ft-help.com,
 * microsoft.com.security-alert.xyz, paypal-service@gmail.com), else NULL. */
static const char *imitating_host(const tsgi_policy_in *in, const facts *f,
                                  const tsg_indicator *x)
{
	if (x->kind != TSG_IND_URL && x->kind != TSG_IND_DOMAIN &&
	    x->kind != TSG_IND_EMAIL)
		return NULL;
	const char *h = x->host ? x->host : x->domain;
	if (!h || any_claimed_owns(in, h))
		return NULL;
	/* On a host the brand runs for others (a tenant, a forum), only the
	 * tenant's own part can imitate it. */
	size_t pl = tsgi_brand_host_prefix(f->brand, h);
	bool imitates = pl && host_imitates(f->brand, h, pl);
	if (x->kind == TSG_IND_EMAIL && !imitates) {
		/* the local part: paypal-service@gmail.com */
		const char *at = strchr(x->value, '@');
		imitates = at && at > x->value &&
		           host_imitates(f->brand, x->value, (size_t)(at - x->value));
	}
	return imitates ? h : NULL;
}

/* The host of link x when a shortener none of the claimed brands runs
 * hides it (bit.ly, not amzn.to): the reader cannot see where it goes.
 * Platforms that wrap every link they carry (t.co on X, lnkd.in on
 * LinkedIn) hide nothing.  Else NULL. */
static const char *hidden_host(const tsgi_policy_in *in, const facts *f,
                               const tsg_indicator *x)
{
	(void)f;
	static const char *const k_wrappers[] = {"t.co", "lnkd.in"};
	if (x->kind != TSG_IND_URL || !(x->flags & TSG_IND_F_SHORTENER) ||
	    (x->flags & TSG_IND_F_OFFICIAL) || !x->host ||
	    any_claimed_owns(in, x->host))
		return NULL;
	for (size_t i = 0; i < sizeof k_wrappers / sizeof *k_wrappers; i++)
		if (!strcmp(x->host, k_wrappers[i]))
			return NULL;
	return x->host;
}

/* An address a link of a mail's HTML writes to ("Report the user" ->
 * mailto:unusual.sign-in.activity@techconsulting-pay-3.com), off the
 * brand's domains: the brand's own buttons lead to its own sites.  Only
 * the targets of links (the doc's links segment) of an email: a plain-text
 * list footer's "mailto:list-request@..." or a news page's "write to the
 * author" link is no button of the brand's. */
static const char *mailto_host(const tsgi_policy_in *in, const facts *f,
                               const tsg_indicator *x)
{
	(void)f;
	const tsgi_doc *d = in->doc;
	const char *h = x->host ? x->host : x->domain;
	if (x->kind != TSG_IND_EMAIL || !h || d->channel != TSG_CHANNEL_EMAIL ||
	    !d->links_len || !d->buf || any_claimed_owns(in, h))
		return NULL;
	tsgi_rawspan r = ind_span(in, x);
	static const char k_mailto[] = "mailto:";
	size_t n = sizeof k_mailto - 1;
	if (r.start < d->links_off + n || r.end > d->links_off + d->links_len ||
	    strncasecmp(d->buf + r.start - n, k_mailto, n))
		return NULL;
	return h;
}

/* imitating_host, hidden_host or mailto_host */
typedef const char *(*host_fn)(const tsgi_policy_in *, const facts *,
                               const tsg_indicator *);

static bool any_host(const tsgi_policy_in *in, const facts *f, host_fn fn)
{
	for (size_t i = 0; i < in->nind; i++)
		if (fn(in, f, &in->ind[i]))
			return true;
	return false;
}

/* Adds reason `id` about `host`: its sentence is the template
 * "<id>.message" (default `dflt`), its weight "<id>.weight" (default 0.4). */
static void add_host_reason(const tsgi_policy_in *in, tsgi_vb *vb,
                            const facts *f, const char *id, const char *dflt,
                            const char *host, const spans *s)
{
	char key[64];
	snprintf(key, sizeof key, "%s.message", id);
	const char *m =
		render(vb->a, tmpl(in, key, dflt), f->brand->display, NULL, host);
	snprintf(key, sizeof key, "%s.weight", id);
	add_reason(vb, id, m, weight(in, key, 0.4), s);
}

/* The sender itself is off the brand's domains while the message speaks as
 * the brand. */
static void reason_unofficial_sender(const tsgi_policy_in *in, tsgi_vb *vb,
                                     const facts *f, bool strong)
{
	if (f->sender_official || !f->sender_host ||
	    !(strong || f->from_name_brand))
		return;
	spans s = spans_brand(f);
	const char *host = f->sender_host;
	/* Quote the address where the text shows it. */
	size_t n = tsgi_doc_scan_len(in->doc);
	const char *p = in->doc->buf && n
	                    ? memmem(in->doc->buf, n, host, strlen(host))
	                    : NULL;
	if (p)
		spans_add(&s, (tsgi_rawspan){(size_t)(p - in->doc->buf),
		                             (size_t)(p - in->doc->buf) + strlen(host)});
	add_host_reason(in, vb, f, "policy.unofficial_sender",
	                "Claims to be {brand} but comes from {host}, a domain "
	                "that does not belong to {brand}",
	                host, &s);
}

/* Reason `id` about the links and addresses `fn` picks, quoting each after
 * the brand and naming the first in the sentence. */
static void reason_hosts(const tsgi_policy_in *in, tsgi_vb *vb,
                         const facts *f, host_fn fn, const char *id,
                         const char *dflt)
{
	spans s = spans_brand(f);
	const char *host = NULL;
	for (size_t i = 0; i < in->nind; i++) {
		const char *h = fn(in, f, &in->ind[i]);
		if (!h)
			continue;
		if (!host)
			host = h;
		spans_add(&s, ind_span(in, &in->ind[i]));
	}
	if (host)
		add_host_reason(in, vb, f, id, dflt, host, &s);
}

/* Links and addresses in the text that imitate the brand's name
 * (apple-billing-update.com, paypal-service@gmail.com). */
static void reason_lookalike_link(const tsgi_policy_in *in, tsgi_vb *vb,
                                  const facts *f)
{
	if (!f->sender_official)
		reason_hosts(in, vb, f, imitating_host, "policy.lookalike_link",
		             "Claims to be {brand} but points to {host}, a domain "
		             "that does not belong to {brand}");
}

/* A button of the brand's that writes to someone else's address. */
static void reason_unofficial_address(const tsgi_policy_in *in, tsgi_vb *vb,
                                      const facts *f)
{
	if (!f->sender_official)
		reason_hosts(in, vb, f, mailto_host, "policy.unofficial_address",
		             "Claims to be {brand} but its link writes to an "
		             "address at {host}, a domain that does not belong to "
		             "{brand}");
}

/* A problem with the brand sent with a shortened link. */
static void reason_hidden_link(const tsgi_policy_in *in, tsgi_vb *vb,
                               const facts *f)
{
	if (!f->sender_official && (f->problem || f->scam_rule))
		reason_hosts(in, vb, f, hidden_host, "policy.hidden_link",
		             "Names {brand} with a problem but hides its link "
		             "behind {host}: {brand} links to its own sites");
}

static void reason_unsolicited(const tsgi_policy_in *in, tsgi_vb *vb,
                               const facts *f, bool asks)
{
	if (!(f->brand->policy & TSGI_POLICY_NEVER_INITIATES) ||
	    in->contact == TSG_CONTACT_REQUESTED || f->sender_official)
		return;
	if (!(in->contact == TSG_CONTACT_UNSOLICITED || f->opener))
		return;
	/* What the brand never does is reach out to be called back or let in:
	 * an account notice without a number to call is not this reason. */
	if (!(f->callbacks || asks || in->doc->channel == TSG_CHANNEL_CALL))
		return;
	spans s = spans_brand(f);
	tsgi_rawspan r;
	if (hit_span(in, f->opener, &r))
		spans_add(&s, r);
	bool agency = f->brand->kind && !strcmp(f->brand->kind, "agency");
	const char *m = render(
		vb->a,
		tmpl(in,
		     agency ? "policy.unsolicited.agency.message"
		            : "policy.unsolicited.message",
		     agency ? "{brand} does not call, text or email you out of the blue "
		              "to demand payment"
		            : "{brand} never contacts you first about tech support"),
		f->brand->display, NULL, NULL);
	add_reason(vb, "policy.unsolicited", m,
	           weight(in, "policy.unsolicited.weight", 0.45), &s);
}

/* Which asks the message makes; returns true when any forbidden one. */
static bool reason_forbidden_ask(const tsgi_policy_in *in, tsgi_vb *vb,
                                 const facts *f, bool add)
{
	bool remote = false, gift = false, crypto = false;
	spans s = spans_brand(f);
	tsgi_rawspan r;
	unsigned pol = f->brand->policy;
	if ((pol & TSGI_POLICY_NO_REMOTE) && in->contact != TSG_CONTACT_REQUESTED) {
		const tsgi_hit *h = find_listed(in, PL_ASK_REMOTE);
		if (hit_span(in, h, &r)) {
			remote = true;
			spans_add(&s, r);
		}
		for (size_t i = 0; i < in->nind; i++)
			if (in->ind[i].kind == TSG_IND_REMOTE) {
				remote = true;
				spans_add(&s, ind_span(in, &in->ind[i]));
			}
	}
	if (pol & TSGI_POLICY_NO_GIFT_CRYPTO) {
		const tsgi_hit *h = find_listed(in, PL_ASK_GIFTCARD);
		if (hit_span(in, h, &r)) {
			gift = true;
			spans_add(&s, r);
		}
		h = find_listed(in, PL_ASK_CRYPTO);
		if (hit_span(in, h, &r)) {
			crypto = true;
			spans_add(&s, r);
		}
		for (size_t i = 0; i < in->nind; i++) {
			const tsg_indicator *x = &in->ind[i];
			/* A gift card counts when its code is given or asked for. */
			if (x->kind == TSG_IND_GIFTCARD && (x->detail || gift)) {
				gift = true;
				spans_add(&s, ind_span(in, x));
			}
			if (x->kind == TSG_IND_BTC || x->kind == TSG_IND_ETH ||
			    x->kind == TSG_IND_TRON) {
				crypto = true;
				spans_add(&s, ind_span(in, x));
			}
		}
	}
	if (!(remote || gift || crypto) || !add)
		return remote || gift || crypto;
	/* One reason; its sentence names each ask. */
	const char *parts[3] = {NULL, NULL, NULL};
	if (remote)
		parts[0] = tmpl(in, "policy.forbidden_ask.remote.message",
		                "{brand} never asks for remote access to your computer "
		                "unless you opened the case yourself.");
	if (gift)
		parts[1] = tmpl(in, "policy.forbidden_ask.giftcard.message",
		                "{brand} never asks to be paid in gift cards.");
	if (crypto)
		parts[2] = tmpl(in, "policy.forbidden_ask.crypto.message",
		                "{brand} never asks to be paid in cryptocurrency.");
	const char *joined = "";
	for (int i = 0; i < 3; i++)
		if (parts[i])
			joined = *joined ? tsgi_arena_printf(vb->a, "%s %s", joined, parts[i])
			                 : parts[i];
	const char *m = joined ? render(vb->a, joined, f->brand->display, NULL, NULL)
	                       : NULL;
	add_reason(vb, "policy.forbidden_ask", m,
	           weight(in, "policy.forbidden_ask.weight", 0.6), &s);
	return true;
}

/* The brand's advice in the message's language, after the sentence for
 * what the message carries: on a call advice.call ("Hang up ..."), with a
 * phone number advice.number ("Do not call the number ..."), otherwise
 * nothing, so that a phishing email with only a link is not told about a
 * number it does not have. */
static const char *brand_advice(const tsgi_policy_in *in, tsgi_arena *a,
                                const tsgi_brand *brand)
{
	const char *body = tsgi_brand_advice(brand, in->lang);
	bool number = false;
	for (size_t i = 0; i < in->nind && !number; i++)
		number = in->ind[i].kind == TSG_IND_PHONE;
	const char *key = in->doc && in->doc->channel == TSG_CHANNEL_CALL
	                      ? "advice.call"
	                  : number ? "advice.number"
	                           : NULL;
	const char *lead =
		key ? tsgi_config_text(in->engine->config, key, in->lang) : NULL;
	if (!lead || !*lead)
		return body;
	const char *s = tsgi_arena_printf(a, "%s %s", lead, body);
	return s ? s : body;
}

/* The advice when no brand is checked: advice.payment when a weighted
 * rule of the payment stage holds (gift cards, crypto, a wire, savings
 * moved "to keep them safe": the person may be about to pay), otherwise
 * advice.generic. */
static const char *generic_advice(const tsgi_policy_in *in)
{
	const tsgi_config *c = in->engine->config;
	for (size_t i = 0; i < in->nhits; i++) {
		const tsgi_rule *r = hit_rule(in, &in->hits[i]);
		if (r->stage == 4 && r->weight > 0) {
			const char *p = tsgi_config_text(c, "advice.payment", in->lang);
			if (p)
				return p;
			break;
		}
	}
	const char *g = tsgi_config_text(c, "advice.generic", in->lang);
	return g ? g : "";
}

const char *tsgi_policy_advice(const tsgi_policy_in *in,
                               const tsgi_brand *brand, tsg_class cls,
                               tsgi_arena *a)
{
	if (cls == TSG_CLEAN) {
		const char *c =
			tsgi_config_text(in->engine->config, "advice.clean", in->lang);
		return c ? c : "";
	}
	return brand ? brand_advice(in, a, brand) : generic_advice(in);
}

const tsgi_brand *tsgi_policy_apply(const tsgi_policy_in *in, tsgi_vb *vb)
{
	const tsg_engine *e = in->engine;
	if (!in->nbrands || !e->brands)
		return NULL;
	facts f = {0};
	gather(in, vb, &f);
	if (!f.brand)
		return NULL;

	/* The gate: the message speaks as the brand, or names it with a
	 * problem and a number to call or a link that imitates its name
	 * ("your account is locked, verify at microsoft.com.alert.xyz"). */
	bool strong = f.claim || f.opener || f.from_name_brand ||
	              in->contact == TSG_CONTACT_UNSOLICITED;
	bool gate = strong || ((f.problem || f.scam_rule) &&
	                       (f.callbacks || any_host(in, &f, imitating_host) ||
	                        any_host(in, &f, hidden_host) ||
	                        any_host(in, &f, mailto_host)));
	if (!gate)
		return f.brand;

	bool asks = reason_forbidden_ask(in, vb, &f, false);
	reason_unsolicited(in, vb, &f, asks);
	reason_unofficial_number(in, vb, &f, strong);
	reason_unofficial_sender(in, vb, &f, strong);
	reason_lookalike_link(in, vb, &f);
	reason_hidden_link(in, vb, &f);
	reason_unofficial_address(in, vb, &f);
	reason_forbidden_ask(in, vb, &f, true);
	return f.brand;
}
