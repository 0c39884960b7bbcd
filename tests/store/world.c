/*
 * world.c - the simulated world (see world.h).
 */
#include "world.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsguard.h"

#define DAY 86400LL
#define T0 1640995200LL /* 2022-01-01 */

typedef struct rng {
	unsigned long long s;
} rng;

static unsigned long long next(rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static double unif(rng *r)
{
	return (double)(next(r) >> 11) / 9007199254740992.0;
}

static unsigned pick(rng *r, unsigned n)
{
	return (unsigned)(next(r) % n);
}

typedef struct phone {
	char e164[20];
	long long from, to;
} phone;

typedef struct center {
	size_t size;
	const char *brand, *lang;
	const char *const *countries;
	int ncountries;
	long long start, end;
	phone phones[24];
	int nphones;
	char domains[3][64];
	int ndomains;
	char shared_host[96]; /* on a shared platform, or "" */
	char path_url[128];   /* sites.google.com/view/..., or "" */
	char shortlink[64];
	char remote[2][16];
	int nremote;
	char btc[40];
	char iban[40];
	char mailbox[64];
	const char *channels[3];
} center;

static const char *const brands[] = {"microsoft", "apple", "amazon", "paypal",
                                     "norton", "mcafee", "geeksquad", "hp"};
static const char *const brand_names[] = {"Microsoft", "Apple", "Amazon",
                                          "PayPal", "Norton", "McAfee",
                                          "Geek Squad", "HP"};
/* Official numbers and domains victims mention; Microsoft's come from
 * the registry (data/brands.json) and are NOT flagged here, so that the
 * registry check is what keeps them from linking. */
static const char *const official_phone[] = {
	"+18006427676", "+18002752273", "+18882804331", "+18882211161",
	"+18664636275", "+18666229410", "+18004335778", "+18004746836"};
static const char *const official_domain[] = {
	"microsoft.com", "apple.com", "amazon.com", "paypal.com",
	"norton.com", "mcafee.com", "bestbuy.com", "hp.com"};

static const char *const c_en[] = {"US", "US", "US", "GB", "CA", "AU"};
static const char *const c_es[] = {"ES", "MX", "AR"};
static const char *const c_de[] = {"DE", "AT", "CH"};
static const char *const c_fr[] = {"FR", "BE", "CA"};

static const char *currency_of(const char *cc)
{
	if (!strcmp(cc, "US"))
		return "USD";
	if (!strcmp(cc, "GB"))
		return "GBP";
	if (!strcmp(cc, "CA"))
		return "CAD";
	if (!strcmp(cc, "AU"))
		return "AUD";
	if (!strcmp(cc, "MX"))
		return "MXN";
	if (!strcmp(cc, "AR"))
		return "ARS";
	if (!strcmp(cc, "CH"))
		return "CHF";
	return "EUR";
}

static const char *const words[] = {"secure", "fix", "help", "care", "desk",
                                    "alert", "shield", "guard", "pc", "tech",
                                    "online", "support", "assist", "service",
                                    "center", "expert", "rapid", "safe"};

static void make_phone(rng *r, const char *lang, char out[20])
{
	if (!strcmp(lang, "en"))
		snprintf(out, 20, "+1%s%03u%04u",
		         (const char *const[]){"888", "877", "866", "855", "844"}[pick(r, 5)],
		         200 + pick(r, 799), pick(r, 10000));
	else if (!strcmp(lang, "es"))
		snprintf(out, 20, "+349%u%07u", 1 + pick(r, 8), pick(r, 10000000));
	else if (!strcmp(lang, "de"))
		snprintf(out, 20, "+4930%08u", pick(r, 100000000));
	else
		snprintf(out, 20, "+331%08u", pick(r, 100000000));
}


/* Real wallets and accounts carry check digits, and the extractors check
 * them: the world's must be valid too.  A P2PKH address for a payload
 * derived from `seed` (version 0, base58check). */
static void btc_address(const char *seed, char *out, size_t cap)
{
	static const char b58[] =
		"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
	guint8 raw[25], d[32];
	gsize dl = sizeof d;
	GChecksum *h = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(h, (const guchar *)seed, (gssize)strlen(seed));
	g_checksum_get_digest(h, d, &dl);
	g_checksum_free(h);
	raw[0] = 0;
	memcpy(raw + 1, d, 20);
	for (int round = 0; round < 2; round++) {
		h = g_checksum_new(G_CHECKSUM_SHA256);
		g_checksum_update(h, round ? d : raw, round ? 32 : 21);
		dl = sizeof d;
		g_checksum_get_digest(h, d, &dl);
		g_checksum_free(h);
	}
	memcpy(raw + 21, d, 4);
	/* base58: repeated division of the big-endian number by 58 */
	char tmp[40];
	size_t n = 0;
	guint8 num[25];
	memcpy(num, raw, sizeof num);
	size_t start = 0;
	while (start < sizeof num && num[start] == 0)
		start++;
	size_t zeros = start;
	while (start < sizeof num) {
		unsigned rem = 0;
		for (size_t i = start; i < sizeof num; i++) {
			unsigned v = rem * 256 + num[i];
			num[i] = (guint8)(v / 58);
			rem = v % 58;
		}
		tmp[n++] = b58[rem];
		while (start < sizeof num && num[start] == 0)
			start++;
	}
	size_t k = 0;
	for (size_t i = 0; i < zeros && k + 1 < cap; i++)
		out[k++] = '1';
	while (n && k + 1 < cap)
		out[k++] = tmp[--n];
	out[k] = '\0';
}

/* An IBAN of country cc (ES, DE or FR) with valid check digits, its
 * account number made of a and b. */
static void iban_make(const char *cc, unsigned a, unsigned b, char *out,
                      size_t cap)
{
	size_t blen = !strcmp(cc, "ES") ? 20 : !strcmp(cc, "DE") ? 18 : 23;
	char bban[32];
	snprintf(bban, sizeof bban, "%010u%010u%03u", a, b, (a ^ b) % 1000);
	bban[blen] = '\0';
	/* mod 97 of BBAN, then the country letters as numbers, then "00" */
	char digits[64];
	snprintf(digits, sizeof digits, "%s%u%u00", bban, (unsigned)(cc[0] - 'A' + 10),
	         (unsigned)(cc[1] - 'A' + 10));
	unsigned m = 0;
	for (const char *p = digits; *p; p++)
		m = (m * 10 + (unsigned)(*p - '0')) % 97;
	snprintf(out, cap, "%s%02u%s", cc, 98 - m, bban);
}

static void make_center(rng *r, center *c, int idx)
{
	int b = (int)pick(r, 8);
	c->brand = brands[b];
	double u = unif(r);
	c->lang = u < 0.55 ? "en" : u < 0.72 ? "es" : u < 0.86 ? "de" : "fr";
	if (!strcmp(c->lang, "en")) {
		c->countries = c_en;
		c->ncountries = 6;
	} else if (!strcmp(c->lang, "es")) {
		c->countries = c_es;
		c->ncountries = 3;
	} else if (!strcmp(c->lang, "de")) {
		c->countries = c_de;
		c->ncountries = 3;
	} else {
		c->countries = c_fr;
		c->ncountries = 3;
	}
	long long len = (90 + (long long)c->size * 2) * DAY;
	if (len > 700 * DAY)
		len = 700 * DAY;
	c->start = T0 + (long long)(unif(r) * 900.0) * DAY;
	c->end = c->start + len;
	/* Phones rotate: consecutive windows overlapping by a fifth. */
	int np = 1 + (int)(c->size / 40) + (int)pick(r, 2);
	if (np > 20)
		np = 20;
	long long seg = len / np;
	for (int i = 0; i < np; i++) {
		make_phone(r, c->lang, c->phones[i].e164);
		c->phones[i].from = c->start + i * seg - (i ? seg / 5 : 0);
		c->phones[i].to = c->start + (i + 1) * seg;
	}
	c->nphones = np;
	c->ndomains = 1 + (int)pick(r, 2);
	for (int i = 0; i < c->ndomains; i++)
		snprintf(c->domains[i], sizeof c->domains[i], "%s-%s-%s%u.%s", c->brand,
		         words[pick(r, 18)], words[pick(r, 18)], pick(r, 1000),
		         (const char *const[]){"com", "net", "online", "info"}[pick(r, 4)]);
	c->shared_host[0] = c->path_url[0] = c->shortlink[0] = '\0';
	if (idx % 4 == 1)
		snprintf(c->shared_host, sizeof c->shared_host, "%s-%s%u.azurewebsites.net",
		         c->brand, words[pick(r, 18)], pick(r, 100000));
	if (idx % 5 == 2)
		snprintf(c->path_url, sizeof c->path_url,
		         "https://sites.google.com/view/%s-%s%u", c->brand,
		         words[pick(r, 18)], pick(r, 100000));
	if (idx % 3 == 0)
		snprintf(c->shortlink, sizeof c->shortlink, "https://bit.ly/%08x",
		         (unsigned)next(r));
	c->nremote = 1 + (int)pick(r, 2);
	for (int i = 0; i < c->nremote; i++)
		snprintf(c->remote[i], sizeof c->remote[i], "%03u%03u%03u",
		         100 + pick(r, 900), pick(r, 1000), pick(r, 1000));
	static const char b58[] =
		"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
	c->btc[0] = '\0';
	if (pick(r, 2)) {
		char seed[34];
		for (int i = 0; i < 33; i++)
			seed[i] = b58[pick(r, 58)];
		seed[33] = '\0';
		btc_address(seed, c->btc, sizeof c->btc);
	}
	c->iban[0] = '\0';
	if (strcmp(c->lang, "en")) {
		const char *cc = !strcmp(c->lang, "es")   ? "ES"
		                 : !strcmp(c->lang, "de") ? "DE"
		                                          : "FR";
		(void)pick(r, 100); /* once the check digits; now computed */
		unsigned a = pick(r, 1000000000), b = pick(r, 1000000000);
		iban_make(cc, a, b, c->iban, sizeof c->iban);
	}
	snprintf(c->mailbox, sizeof c->mailbox, "%s.%s%u@%s", c->brand,
	         words[pick(r, 18)], pick(r, 10000),
	         (const char *const[]){"gmail.com", "outlook.com", "yahoo.com"}[pick(r, 3)]);
	static const char *const ch[] = {"call", "sms", "email", "web", "chat"};
	for (int i = 0; i < 3; i++)
		c->channels[i] = ch[pick(r, 5)];
}

/* ---- text ---------------------------------------------------------------- */

static void fmt_phone(rng *r, const char *e164, char *out, size_t cap)
{
	const char *d = e164 + 1;
	if (!strncmp(e164, "+1", 2)) {
		const char *n = d + 1;
		switch (pick(r, 4)) {
		case 0:
			snprintf(out, cap, "(%.3s) %.3s-%.4s", n, n + 3, n + 6);
			break;
		case 1:
			snprintf(out, cap, "%.3s-%.3s-%.4s", n, n + 3, n + 6);
			break;
		case 2:
			snprintf(out, cap, "+1 %.3s %.3s %.4s", n, n + 3, n + 6);
			break;
		default:
			snprintf(out, cap, "1.%.3s.%.3s.%.4s", n, n + 3, n + 6);
		}
	} else if (pick(r, 2)) {
		snprintf(out, cap, "+%.2s %.3s %.3s %s", d, d + 2, d + 5, d + 8);
	} else {
		snprintf(out, cap, "00%s", d);
	}
}

static void defang(rng *r, const char *url, char *out, size_t cap)
{
	if (pick(r, 5)) {
		snprintf(out, cap, "%s", url);
		return;
	}
	size_t n = 0;
	for (const char *p = url; *p && n + 4 < cap; p++) {
		if (!strncmp(p, "https", 5) && p == url) {
			memcpy(out + n, "hxxps", 5);
			n += 5;
			p += 4;
		} else if (*p == '.') {
			memcpy(out + n, "[.]", 3);
			n += 3;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

typedef struct text_parts {
	char phone[64], url[200], remote[32], wallet[64], mailbox[80];
	char official[96], hub[64], money[24], gift[24];
} text_parts;

static char *compose(const char *lang, const char *brand, const text_parts *p)
{
	GString *s = g_string_new(NULL);
	bool en = !strcmp(lang, "en"), es = !strcmp(lang, "es"),
	     de = !strcmp(lang, "de");
	if (en)
		g_string_append_printf(s, "I got a warning that my computer was infected "
		                          "and had to contact %s support.", brand);
	else if (es)
		g_string_append_printf(s, "Me llamaron del soporte técnico de %s diciendo "
		                          "que mi ordenador tenía un virus.", brand);
	else if (de)
		g_string_append_printf(s, "Ein angeblicher %s-Support meldete, mein "
		                          "Computer sei infiziert.", brand);
	else
		g_string_append_printf(s, "Le support %s m'a appelé, mon ordinateur "
		                          "serait infecté.", brand);
	if (*p->phone)
		g_string_append_printf(s, en   ? " The number was %s."
		                          : es ? " El número era %s."
		                          : de ? " Die Nummer war %s."
		                               : " Le numéro était %s.",
		                       p->phone);
	if (*p->mailbox)
		g_string_append_printf(s, " The email came from %s.", p->mailbox);
	if (*p->url)
		g_string_append_printf(s, en   ? " They sent me to %s ."
		                          : es ? " Me mandaron a %s ."
		                          : de ? " Ich sollte %s öffnen."
		                               : " Ils m'ont envoyé sur %s .",
		                       p->url);
	if (*p->hub)
		g_string_append_printf(s, " First I had to download a cleaner from %s.",
		                       p->hub);
	if (*p->remote)
		g_string_append_printf(s, " They connected with AnyDesk, ID %s.", p->remote);
	if (*p->wallet)
		g_string_append_printf(s, " I sent the money to %s.", p->wallet);
	if (*p->gift)
		g_string_append_printf(s, " They asked for %s gift cards.", p->gift);
	if (*p->money)
		g_string_append_printf(s, " I paid %s.", p->money);
	if (*p->official)
		g_string_append_printf(s, " Afterwards I called the real %s.",
		                       p->official);
	return g_string_free(s, FALSE);
}

/* ---- reports --------------------------------------------------------------- */

static void add_ind(world_report *w, int kind, const char *value,
                    const char *detail, const char *host, const char *domain,
                    unsigned flags)
{
	if (w->ninds >= WORLD_MAX_INDS)
		return;
	world_ind *x = &w->inds[w->ninds++];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	g_strlcpy(x->value, value, sizeof x->value);
	if (detail)
		g_strlcpy(x->detail, detail, sizeof x->detail);
	if (host)
		g_strlcpy(x->host, host, sizeof x->host);
	if (domain)
		g_strlcpy(x->domain, domain, sizeof x->domain);
	x->flags = flags;
}

static void url_parts(const char *url, char *host, size_t hcap)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t n = strcspn(h, "/?#:");
	if (n >= hcap)
		n = hcap - 1;
	memcpy(host, h, n);
	host[n] = '\0';
}

static const char *reg_domain(const char *host)
{
	/* Registrable domain of the hosts this world makes. */
	if (strstr(host, ".azurewebsites.net"))
		return host; /* on the public suffix list's private section */
	if (!strcmp(host, "sites.google.com") || !strcmp(host, "bit.ly"))
		return !strcmp(host, "bit.ly") ? "bit.ly" : "google.com";
	return host;
}

static bool typo_ok(GHashTable *all, const char *p)
{
	return !g_hash_table_contains(all, p);
}

world *world_make(int ncenters, size_t nvictims, unsigned long long seed,
                  bool with_text)
{
	rng r = {seed * 2654435761ull + 88172645463325252ull};
	world *w = calloc(1, sizeof *w);
	center *cs = calloc((size_t)ncenters, sizeof *cs);
	if (!w || !cs) {
		free(w);
		free(cs);
		return NULL;
	}
	w->ncenters = ncenters;
	/* Zipf sizes (s = 1.1), at least 2 reports per center. */
	double hsum = 0;
	for (int i = 0; i < ncenters; i++)
		hsum += 1.0 / pow(i + 1, 1.1);
	size_t assigned = 0;
	for (int i = 0; i < ncenters; i++) {
		cs[i].size = (size_t)((double)nvictims / hsum / pow(i + 1, 1.1));
		if (cs[i].size < 2)
			cs[i].size = 2;
		assigned += cs[i].size;
	}
	while (assigned < nvictims) {
		cs[assigned % (size_t)ncenters].size++;
		assigned++;
	}
	while (assigned > nvictims) {
		for (int i = 0; i < ncenters && assigned > nvictims; i++)
			if (cs[i].size > 2) {
				cs[i].size--;
				assigned--;
			}
	}
	GHashTable *all = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (int i = 0; i < ncenters; i++) {
		make_center(&r, &cs[i], i);
		/* Numbers bought in a block: center i's first number is one more
		 * than center i-1's (same language). */
		if (i % 6 == 3 && !strcmp(cs[i].lang, cs[i - 1].lang)) {
			char *p = cs[i].phones[0].e164;
			memcpy(p, cs[i - 1].phones[0].e164, 20);
			size_t n = strlen(p);
			p[n - 1] = p[n - 1] == '9' ? '0' : (char)(p[n - 1] + 1);
			w->n_block++;
		}
		/* Recycled: center i reuses center i-10's first number when its
		 * own first use is 150+ days after that number's last use. */
		if (i >= 10 && i % 5 == 0 &&
		    cs[i].phones[0].from > cs[i - 10].phones[0].to + 150 * DAY) {
			memcpy(cs[i].phones[0].e164, cs[i - 10].phones[0].e164, 20);
			w->n_recycled++;
		}
		for (int k = 0; k < cs[i].nphones; k++)
			g_hash_table_add(all, g_strdup(cs[i].phones[k].e164));
	}
	w->r = calloc(nvictims ? nvictims : 1, sizeof *w->r);
	if (!w->r) {
		g_hash_table_destroy(all);
		free(cs);
		free(w);
		return NULL;
	}
	size_t k = 0;
	for (int ci = 0; ci < ncenters; ci++) {
		center *c = &cs[ci];
		for (size_t v = 0; v < c->size && k < nvictims; v++, k++) {
			world_report *rep = &w->r[k];
			rep->truth = ci;
			rep->t = c->start + (long long)(unif(&r) * (double)(c->end - c->start));
			rep->brand = c->brand;
			rep->lang = c->lang;
			rep->country = c->countries[pick(&r, (unsigned)c->ncountries)];
			rep->currency = currency_of(rep->country);
			rep->channel = c->channels[pick(&r, 3)];
			rep->loss = pick(&r, 3) ? (double)(100 + pick(&r, 20) * 50) - 0.01 : 0;
			if (rep->loss <= 0)
				rep->currency = NULL;
			text_parts tp;
			memset(&tp, 0, sizeof tp);
			/* The number active at that time. */
			int pi = 0;
			for (int q = 0; q < c->nphones; q++)
				if (rep->t >= c->phones[q].from && rep->t <= c->phones[q].to)
					pi = q;
			bool typo = unif(&r) < 0.04;
			if (typo) {
				char p[20];
				snprintf(p, sizeof p, "%s", c->phones[pi].e164);
				for (int tries = 0; tries < 20; tries++) {
					size_t n = strlen(p);
					size_t pos = n - 1 - pick(&r, 6);
					char old = p[pos];
					p[pos] = (char)('0' + (old - '0' + 1 + pick(&r, 9)) % 10);
					if (typo_ok(all, p))
						break;
					p[pos] = old;
				}
				add_ind(rep, TSG_IND_PHONE, p, NULL, NULL, NULL, 0);
				if (with_text)
					fmt_phone(&r, p, tp.phone, sizeof tp.phone);
				w->n_typos++;
			} else {
				bool any = false;
				if (unif(&r) < 0.8) {
					add_ind(rep, TSG_IND_PHONE, c->phones[pi].e164, NULL, NULL, NULL,
					        0);
					if (with_text)
						fmt_phone(&r, c->phones[pi].e164, tp.phone, sizeof tp.phone);
					any = true;
				}
				if (unif(&r) < 0.5) {
					char url[200], host[96];
					double u = unif(&r);
					if (*c->shared_host && u < 0.5)
						snprintf(url, sizeof url, "https://%s/scan", c->shared_host);
					else if (*c->path_url && u < 0.8)
						snprintf(url, sizeof url, "%s", c->path_url);
					else
						snprintf(url, sizeof url, "https://www.%s/%s",
						         c->domains[pick(&r, (unsigned)c->ndomains)],
						         words[pick(&r, 18)]);
					url_parts(url, host, sizeof host);
					const char *dom = reg_domain(host);
					char dbuf[96];
					if (!strncmp(host, "www.", 4) && dom == host) {
						snprintf(dbuf, sizeof dbuf, "%s", host + 4);
						dom = dbuf;
					}
					add_ind(rep, TSG_IND_URL, url, NULL, host, dom, 0);
					if (with_text)
						defang(&r, url, tp.url, sizeof tp.url);
					any = true;
				}
				if (unif(&r) < 0.3) {
					const char *id = c->remote[pick(&r, (unsigned)c->nremote)];
					add_ind(rep, TSG_IND_REMOTE, id, "anydesk", NULL, NULL, 0);
					if (with_text)
						snprintf(tp.remote, sizeof tp.remote, "%.3s %.3s %.3s", id,
						         id + 3, id + 6);
					any = true;
				}
				if (unif(&r) < 0.2 && (*c->btc || *c->iban)) {
					bool btc = *c->btc && (!*c->iban || pick(&r, 2));
					add_ind(rep, btc ? TSG_IND_BTC : TSG_IND_IBAN,
					        btc ? c->btc : c->iban, NULL, NULL, NULL, 0);
					if (with_text)
						snprintf(tp.wallet, sizeof tp.wallet, "%s",
						         btc ? c->btc : c->iban);
					any = true;
				}
				if (!strcmp(rep->channel, "email") && unif(&r) < 0.8) {
					const char *at = strchr(c->mailbox, '@');
					add_ind(rep, TSG_IND_EMAIL, c->mailbox, NULL, at + 1, at + 1, 0);
					if (with_text)
						snprintf(tp.mailbox, sizeof tp.mailbox, "%s", c->mailbox);
					any = true;
				}
				if (*c->shortlink && unif(&r) < 0.15) {
					add_ind(rep, TSG_IND_URL, c->shortlink, NULL, "bit.ly", "bit.ly",
					        TSG_IND_F_SHORTENER);
					any = true;
				}
				if (!any) {
					add_ind(rep, TSG_IND_PHONE, c->phones[pi].e164, NULL, NULL, NULL,
					        0);
					if (with_text)
						fmt_phone(&r, c->phones[pi].e164, tp.phone, sizeof tp.phone);
				}
			}
			/* Traps named by victims of every center. */
			int b = 0;
			while (strcmp(brands[b], c->brand))
				b++;
			if (unif(&r) < 0.15) {
				bool ms = b == 0;
				if (pick(&r, 2)) {
					add_ind(rep, TSG_IND_PHONE, official_phone[b], NULL, NULL, NULL,
					        ms ? 0 : TSG_IND_F_OFFICIAL);
					if (with_text)
						fmt_phone(&r, official_phone[b], tp.official,
						          sizeof tp.official);
				} else {
					add_ind(rep, TSG_IND_DOMAIN, official_domain[b], NULL,
					        official_domain[b], official_domain[b],
					        ms ? 0 : TSG_IND_F_OFFICIAL);
					if (with_text)
						snprintf(tp.official, sizeof tp.official, "%s at %s",
						         brand_names[b], official_domain[b]);
				}
				w->n_official++;
			}
			if (unif(&r) < 0.12) {
				add_ind(rep, TSG_IND_DOMAIN, "pc-cleaner-download.com", NULL,
				        "pc-cleaner-download.com", "pc-cleaner-download.com", 0);
				if (with_text)
					snprintf(tp.hub, sizeof tp.hub, "pc-cleaner-download.com");
				w->n_hub++;
			}
			if (unif(&r) < 0.08)
				add_ind(rep, TSG_IND_DOMAIN, "gmail.com", NULL, "gmail.com",
				        "gmail.com", 0);
			if (unif(&r) < 0.3) {
				add_ind(rep, TSG_IND_GIFTCARD, "google_play", NULL, NULL, NULL, 0);
				if (with_text)
					snprintf(tp.gift, sizeof tp.gift, "Google Play");
			}
			if (unif(&r) < 0.4) {
				add_ind(rep, TSG_IND_MONEY, "499.99", "USD", NULL, NULL, 0);
				if (with_text)
					snprintf(tp.money, sizeof tp.money, "$499.99");
			}
			snprintf(rep->id, sizeof rep->id, "w%llx-%zu", seed, k);
			if (with_text)
				rep->content = compose(rep->lang, brand_names[b], &tp);
		}
	}
	w->n = k;
	g_hash_table_destroy(all);
	free(cs);
	return w;
}

void world_free(world *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++)
		g_free(w->r[i].content);
	free(w->r);
	free(w);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

bool world_write_jsonl(const world *w, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	for (size_t i = 0; i < w->n; i++) {
		const world_report *r = &w->r[i];
		char ts[32];
		time_t t = (time_t)r->t;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(f, "{\"id\":\"%s\",\"received_at\":\"%s\",\"channel\":\"%s\","
		           "\"lang\":\"%s\",\"content\":",
		        r->id, ts, r->channel, r->lang);
		json_str(f, r->content ? r->content : "");
		fprintf(f, ",\"victim\":{\"country\":\"%s\"", r->country);
		if (r->currency)
			fprintf(f, ",\"loss\":{\"amount\":%.2f,\"currency\":\"%s\"}", r->loss,
			        r->currency);
		fprintf(f, "},\"truth\":%d}\n", r->truth);
	}
	return fclose(f) == 0;
}

void world_score(const world *w, const unsigned *label, double *purity,
                 double *ari)
{
	/* Contingency table through a hash of (label, truth) pairs. */
	GHashTable *cell = g_hash_table_new(g_int64_hash, g_int64_equal);
	GHashTable *lab = g_hash_table_new(g_direct_hash, g_direct_equal);
	gint64 *keys = malloc((w->n ? w->n : 1) * sizeof *keys);
	double *tru = calloc((size_t)w->ncenters + 1, sizeof *tru);
	for (size_t i = 0; i < w->n; i++) {
		keys[i] = ((gint64)label[i] << 20) | (gint64)w->r[i].truth;
		gpointer v = g_hash_table_lookup(cell, &keys[i]);
		g_hash_table_insert(cell, &keys[i],
		                    GSIZE_TO_POINTER(GPOINTER_TO_SIZE(v) + 1));
		gpointer lv = g_hash_table_lookup(lab, GUINT_TO_POINTER(label[i] + 1));
		g_hash_table_insert(lab, GUINT_TO_POINTER(label[i] + 1),
		                    GSIZE_TO_POINTER(GPOINTER_TO_SIZE(lv) + 1));
		tru[w->r[i].truth]++;
	}
	/* Purity: each predicted cluster counts its majority truth. */
	GHashTable *best = g_hash_table_new(g_direct_hash, g_direct_equal);
	double sum_cells = 0;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, cell);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		gint64 key = *(gint64 *)k;
		unsigned l = (unsigned)(key >> 20);
		size_t n = GPOINTER_TO_SIZE(v);
		size_t b = GPOINTER_TO_SIZE(g_hash_table_lookup(best, GUINT_TO_POINTER(l + 1)));
		if (n > b)
			g_hash_table_insert(best, GUINT_TO_POINTER(l + 1), GSIZE_TO_POINTER(n));
		sum_cells += (double)n * ((double)n - 1) / 2;
	}
	double pur = 0;
	g_hash_table_iter_init(&it, best);
	while (g_hash_table_iter_next(&it, &k, &v))
		pur += (double)GPOINTER_TO_SIZE(v);
	*purity = w->n ? pur / (double)w->n : 1;
	double sum_a = 0, sum_b = 0;
	g_hash_table_iter_init(&it, lab);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		double n = (double)GPOINTER_TO_SIZE(v);
		sum_a += n * (n - 1) / 2;
	}
	for (int i = 0; i < w->ncenters; i++)
		sum_b += tru[i] * (tru[i] - 1) / 2;
	double total = (double)w->n * ((double)w->n - 1) / 2;
	double expected = total > 0 ? sum_a * sum_b / total : 0;
	double maxi = (sum_a + sum_b) / 2;
	*ari = maxi - expected != 0 ? (sum_cells - expected) / (maxi - expected) : 1;
	g_hash_table_destroy(cell);
	g_hash_table_destroy(lab);
	g_hash_table_destroy(best);
	free(keys);
	free(tru);
}
