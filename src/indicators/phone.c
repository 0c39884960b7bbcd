/*
 * phone.c - phone numbers in text, reported in E.164.
 *
 * Owner: indicators.  Reads x->text (normalised: lower case, Unicode digits
 * as ASCII, "1-8OO" already "1-800", zero-width characters gone, white
 * space collapsed), so full-width digits and split numbers need no special
 * case here.  Runs after the URL, email, remote-access, crypto and IBAN
 * extractors and never reports a number inside what they found.
 *
 * Two linear passes, each cutting the text into groups of digits that one
 * splitter turns into numbers:
 *
 *   1. Digit runs.  A run starts at a digit, '+' or '(' and continues
 *      through digit groups joined by at most three separator characters
 *      (space, '-', en/em dash, '.', '/') plus any parentheses ("+1 -
 *      (888) - (596) - (1028)"), or by a '+' glued between digits
 *      ("1+888...").  Runs stop at
 *      anything else, so "10:30" and "1,350.59" are never one run.
 *   2. Number words.  A sequence of number words, with short digit groups
 *      among them, becomes digit chunks (phone_spoken.c).  Numbers found
 *      this way carry TSG_IND_F_SPOKEN.
 *
 * The splitter takes, from each group, the longest sequence of whole
 * groups that is a valid number in the default region (phone_plan.c), then
 * goes on after it.  Groups are never cut, so a 16-digit card number or an
 * order number is never read as a phone by taking part of it.
 *
 * What must not be a phone is decided before splitting, by blocking
 * groups:
 *   - shapes: dates (2023-01-17, 01/17/2023, 17.01.2023), IPv4 addresses,
 *     calendar rows ("25 26 27 28"), four or more groups of four digits
 *     and the 4-6-5 layout (cards, tracking IDs), a decimal
 *     tail ("399.99"), a group glued to ':' or ',' and a digit (times,
 *     thousands), a run after a currency sign ($, €, £, ¥, ₹);
 *   - context: a word such as order, invoice, ref, tracking, id, account,
 *     zip, anydesk or teamviewer (or '#') among the three words before the
 *     run, unless a word such as "call", "phone" or "at" comes first;
 *     letters glued to the run ("ref12345678", "1z999aa1") likewise;
 *   - other indicators: any span the earlier extractors reported (a
 *     TSG_IND_REMOTE ID, a URL, an IBAN) or a remote-access ID with the same
 *     digits.
 * A blocked run still yields a number that starts after a space and is
 * written as a phone ("Order #12345 888-555-0199").
 *
 * Vanity numbers: after a NANP toll-free prefix ("1-800-", "1 888 "), the
 * letters of the words that follow are keypad digits, the first seven only
 * ("1-800-MICROSOFT" -> +18006427676).  A space before the letters is only
 * accepted when the original text has them in capitals.
 */
#include <string.h>

#include "indicators.h"
#include "phone_int.h"

enum { CTX_NONE = 0, CTX_POS, CTX_NEG };

typedef struct run {
	tsgi_pgroup g[TSG_MAX_PHONE_GROUPS];
	size_t ng;
	size_t start;   /* first character: '+', '(' or the first digit */
	bool plus;      /* written with '+' */
	bool neg;       /* the context says this is not a phone */
	bool pos;       /* the context says a phone follows ("llame al") */
	const char *country; /* a country named just before ("France:"), or NULL */
	bool spoken;
} run;

static inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static inline bool is_alnum(char c)
{
	return is_lower(c) || is_digit(c) || (unsigned char)c >= 0x80;
}

/* ---- words around a number ---- */

typedef struct cue {
	const char *w;
	uint8_t len;
	const char *region; /* k_countries: the country's ISO code */
} cue;
#define CUE(s) {s, sizeof s - 1, NULL}

/* Words that say the digits after them are something else. */
static const cue k_neg_words[] = {
	CUE("order"), CUE("orders"), CUE("invoice"), CUE("inv"), CUE("ref"),
	CUE("reference"), CUE("refno"), CUE("tracking"), CUE("track"),
	CUE("id"), CUE("ids"), CUE("receipt"), CUE("transaction"), CUE("txn"),
	CUE("trx"), CUE("confirmation"), CUE("account"), CUE("acct"),
	CUE("case"), CUE("ticket"), CUE("serial"), CUE("sku"), CUE("model"),
	CUE("item"), CUE("customer"), CUE("member"), CUE("membership"),
	CUE("policy"), CUE("claim"), CUE("pin"), CUE("code"), CUE("otp"),
	CUE("passcode"), CUE("password"), CUE("zip"), CUE("zipcode"),
	CUE("postal"), CUE("postcode"), CUE("card"), CUE("visa"),
	CUE("mastercard"), CUE("amex"), CUE("iban"), CUE("swift"),
	CUE("routing"), CUE("anydesk"), CUE("teamviewer"), CUE("ultraviewer"),
	CUE("rustdesk"), CUE("session"), CUE("license"), CUE("licence"),
	CUE("key"), CUE("product"), CUE("reservation"), CUE("booking"),
	CUE("version"), CUE("build"), CUE("kb"), CUE("imei"), CUE("ssn"),
	CUE("shipment"), CUE("parcel"), CUE("package"), CUE("awb"),
	CUE("pedido"), CUE("factura"), CUE("referencia"), CUE("seguimiento"),
	CUE("cuenta"), CUE("tarjeta"), CUE("bestellung"), CUE("bestellnummer"),
	CUE("rechnung"), CUE("rechnungsnummer"), CUE("sendungsnummer"),
	CUE("kundennummer"), CUE("konto"), CUE("commande"), CUE("facture"),
	CUE("suivi"), CUE("compte"), CUE("carte"), CUE("nr"), CUE("isbn"),
};

/* Words that say a phone number follows. */
static const cue k_pos_words[] = {
	CUE("call"), CUE("calls"), CUE("called"), CUE("calling"), CUE("phone"),
	CUE("tel"), CUE("telephone"), CUE("telefono"), CUE("telefon"),
	CUE("dial"), CUE("contact"), CUE("reach"), CUE("helpline"),
	CUE("hotline"), CUE("toll"), CUE("tollfree"), CUE("free"),
	CUE("freephone"), CUE("line"), CUE("mobile"), CUE("cell"),
	CUE("whatsapp"), CUE("sms"), CUE("text"), CUE("fax"), CUE("at"),
	CUE("on"), CUE("support"), CUE("service"), CUE("services"),
	CUE("care"), CUE("help"), CUE("helpdesk"), CUE("desk"), CUE("team"),
	CUE("department"), CUE("dept"), CUE("center"), CUE("centre"),
	CUE("agent"), CUE("representative"), CUE("llame"), CUE("llamar"),
	CUE("llamenos"), CUE("marque"), CUE("anrufen"), CUE("rufen"),
	CUE("appelez"), CUE("appeler"), CUE("ph"),
};

/* Country names that say which plan the number after them is written in:
 * a pop-up or a page lists "UK: 0800 ...", "France : 09 70 ...",
 * "Deutschland 0800 ...".  One word each, as the normalised text has it
 * (lower case, no accents). */
#define COUNTRY(s, r) {s, sizeof s - 1, r}

static const cue k_countries[] = {
	COUNTRY("uk", "GB"), COUNTRY("gb", "GB"), COUNTRY("britain", "GB"),
	COUNTRY("england", "GB"), COUNTRY("kingdom", "GB"),
	COUNTRY("usa", "US"), COUNTRY("states", "US"), COUNTRY("canada", "CA"),
	COUNTRY("kanada", "CA"), COUNTRY("france", "FR"), COUNTRY("francia", "FR"),
	COUNTRY("frankreich", "FR"), COUNTRY("germany", "DE"),
	COUNTRY("deutschland", "DE"), COUNTRY("allemagne", "DE"),
	COUNTRY("alemania", "DE"), COUNTRY("spain", "ES"), COUNTRY("espana", "ES"),
	COUNTRY("espagne", "ES"), COUNTRY("spanien", "ES"),
	COUNTRY("australia", "AU"), COUNTRY("australie", "AU"),
	COUNTRY("australien", "AU"), COUNTRY("belgium", "BE"),
	COUNTRY("belgique", "BE"), COUNTRY("belgien", "BE"),
	COUNTRY("belgica", "BE"), COUNTRY("switzerland", "CH"),
	COUNTRY("suisse", "CH"), COUNTRY("schweiz", "CH"), COUNTRY("suiza", "CH"),
	COUNTRY("austria", "AT"), COUNTRY("osterreich", "AT"),
	COUNTRY("autriche", "AT"), COUNTRY("ireland", "IE"),
	COUNTRY("irlande", "IE"), COUNTRY("irland", "IE"), COUNTRY("irlanda", "IE"),
	COUNTRY("italy", "IT"), COUNTRY("italia", "IT"), COUNTRY("italie", "IT"),
	COUNTRY("italien", "IT"), COUNTRY("mexico", "MX"), COUNTRY("india", "IN"),
	COUNTRY("zealand", "NZ"),
};

/* The entry of `list` that is the word w[0..len), or NULL. */
static const cue *find_cue(const cue *list, size_t n, const char *w,
                           size_t len)
{
	/* the length and first letter first: memcmp() only for the few left */
	for (size_t i = 0; i < n; i++)
		if (list[i].len == len && list[i].w[0] == w[0] &&
		    !memcmp(list[i].w, w, len))
			return &list[i];
	return NULL;
}

#define FIND_CUE(list, w, len) find_cue(list, sizeof list / sizeof *list, w, len)
#define IN_CUES(list, w, len) (FIND_CUE(list, w, len) != NULL)

/* The word that ends at s[e] (after skipping spaces and punctuation back
 * from it) in the same sentence: its start in *ws and its length, or 0. */
static size_t word_before(const char *s, size_t e, size_t *ws)
{
	while (e > 0 && !is_alnum(s[e - 1])) {
		if (strchr(".!?;|:\n", s[e - 1]))
			return 0;
		e--;
	}
	size_t p = e;
	while (p > 0 && is_alnum(s[p - 1]) && e - p < 32)
		p--;
	*ws = p;
	return e - p;
}

/* Whether the country word starting at s[p] names the plan of the number
 * after it.  Not when it is where the number calls ("2p per min to call
 * Germany 0844 ...") or the tail of the number before it ("0930 830 13 22
 * aus Osterreich, 01 90 87 43 54 aus Deutschland"). */
static bool country_applies(const char *s, size_t p)
{
	static const cue k_dest[] = {
		CUE("call"), CUE("calls"), CUE("calling"), CUE("dial"),
		CUE("ring"), CUE("to"), CUE("appeler"), CUE("appelez"),
		CUE("vers"), CUE("llamar"), CUE("nach"), CUE("anrufen")};
	static const cue k_from[] = {CUE("from"), CUE("aus"), CUE("de"),
	                             CUE("desde"), CUE("depuis"), CUE("von")};
	static const cue k_article[] = {CUE("the"), CUE("l"), CUE("la"),
	                                CUE("le"), CUE("el"), CUE("die")};
	size_t ws, n = word_before(s, p, &ws);
	if (n && IN_CUES(k_article, s + ws, n))
		n = word_before(s, ws, &ws);
	if (!n)
		return true;
	if (is_digit(s[ws]) || IN_CUES(k_dest, s + ws, n))
		return false;
	if (!IN_CUES(k_from, s + ws, n))
		return true;
	n = word_before(s, ws, &ws);
	return !n || !is_digit(s[ws]);
}

/* "caller ID 888-555-0199": the ID is the caller's number.  `w` (length
 * n) starts at s[p]. */
static bool caller_id(const char *s, size_t p, const char *w, size_t n)
{
	if (!(n == 2 && !memcmp(w, "id", 2)))
		return false;
	while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '-'))
		p--;
	return p >= 6 && !memcmp(s + p - 6, "caller", 6);
}

/* Reads up to three words before s[start].  After a word that says a
 * phone follows, it reads on only for a country ("in the UK, call ..."),
 * which it puts in *country. */
static int context_before(const char *s, size_t start, const char **country)
{
	size_t p = start;
	int ctx = CTX_NONE;
	for (int words = 0; words < 3; words++) {
		while (p > 0 && !is_alnum(s[p - 1])) {
			char c = s[p - 1];
			if (c == '#')
				return ctx == CTX_POS ? CTX_POS : CTX_NEG;
			if (c == '!' || c == '?' || c == ';' || c == '|' ||
			    start - p > 24)
				return ctx;
			p--;
		}
		if (p == 0)
			return ctx;
		size_t e = p;
		while (p > 0 && is_alnum(s[p - 1]) && e - p < 32)
			p--;
		const char *w = s + p;
		size_t n = e - p;
		if (is_digit(w[0]))
			return ctx;
		const cue *cc = FIND_CUE(k_countries, w, n);
		if (cc && country_applies(s, p)) {
			*country = cc->region;
			return CTX_POS;
		}
		if (ctx == CTX_POS)
			continue;
		if (IN_CUES(k_pos_words, w, n))
			ctx = CTX_POS;
		else if (IN_CUES(k_neg_words, w, n))
			return caller_id(s, p, w, n) ? CTX_POS : CTX_NEG;
	}
	return ctx;
}

/* A currency sign right before s[p] (one space allowed). */
static bool currency_before(const char *s, size_t p)
{
	if (p > 0 && s[p - 1] == ' ')
		p--;
	if (p >= 1 && s[p - 1] == '$')
		return true;
	if (p >= 2 && (unsigned char)s[p - 2] == 0xc2 &&
	    ((unsigned char)s[p - 1] == 0xa3 || (unsigned char)s[p - 1] == 0xa5))
		return true; /* £ ¥ */
	if (p >= 3 && (unsigned char)s[p - 3] == 0xe2 &&
	    (unsigned char)s[p - 2] == 0x82 &&
	    ((unsigned char)s[p - 1] == 0xac || (unsigned char)s[p - 1] == 0xb9))
		return true; /* € ₹ */
	return false;
}

/* ---- reporting ---- */

static bool digits_equal(const char *v, const char *d, size_t n)
{
	size_t k = 0;
	for (; *v; v++) {
		if (!is_digit(*v))
			continue;
		if (k >= n || *v != d[k])
			return false;
		k++;
	}
	return k == n && n > 0;
}

/* True when an earlier extractor owns this span or these digits.  A
 * spoken number may not overlap a written one either: in "+34 900 838
 * 112 o su equipo" the "o" is Spanish "or", not a spoken zero. */
static bool taken(const tsgi_extract *x, size_t rs, size_t re, const char *d,
                  size_t n, bool spoken)
{
	for (size_t i = 0; i < x->n; i++) {
		const tsg_indicator *v = &x->v[i];
		if ((v->kind == TSG_IND_PHONE && !spoken) || v->kind == TSG_IND_MONEY)
			continue;
		size_t vs, ve;
		if (tsgi_ind_region_span(x, v, &vs, &ve) && vs < re && rs < ve)
			return true;
		if (v->kind == TSG_IND_REMOTE && digits_equal(v->value, d, n))
			return true;
	}
	return false;
}

static void report(tsgi_extract *x, const tsgi_phone_num *num, size_t ns,
                   size_t ne, unsigned extra, const char *d, size_t n)
{
	size_t rs, re;
	tsgi_ind_norm_span(x, ns, ne, &rs, &re);
	if (taken(x, rs, re, d, n, extra & TSG_IND_F_SPOKEN))
		return;
	tsg_indicator ind = {
		.kind = TSG_IND_PHONE,
		.region = num->region,
		.flags = num->flags | extra,
	};
	ind.value = tsgi_arena_strdup(x->arena, num->e164);
	if (!ind.value) {
		x->oom = true;
		return;
	}
	const tsgi_brand *br =
		x->brands ? tsgi_brands_by_phone(x->brands, num->e164) : NULL;
	if (br) {
		ind.flags |= TSG_IND_F_OFFICIAL;
		ind.brand = br->id;
	}
	tsgi_ind_add(x, &ind, rs, re);
}

/* ---- the splitter ---- */

static const char *region_of(const tsgi_extract *x)
{
	return x->region && *x->region ? x->region : "US";
}

/* Groups i..j are "written as a phone": a '+', or some separator other
 * than a space between them. */
static bool formatted(const run *r, size_t i, size_t j)
{
	if (i == 0 && r->plus)
		return true;
	for (size_t k = i + 1; k <= j; k++)
		if (r->g[k].sep & ~TSGI_PSEP_SPACE)
			return true;
	return false;
}

/* Groups i..j are the whole run and the space-separated blocks of 2 to 4
 * digits a national number is written in ("900 555 123", "91 234 56 78"),
 * 8 digits or more in all.  Part of a longer run ("223 759 419 949", a
 * meeting ID) is not. */
static bool spaced_blocks(const run *r, size_t i, size_t j)
{
	if (i != 0 || j + 1 != r->ng)
		return false;
	size_t n = 0;
	for (size_t k = i; k <= j; k++) {
		if (r->g[k].n < 2 || r->g[k].n > 4 ||
		    (k > i && r->g[k].sep != TSGI_PSEP_SPACE))
			return false;
		n += r->g[k].n;
	}
	return j > i && n >= 8;
}

/* Whether digits d (groups i..j of r) are read in the message language's
 * country before the default region: only numbers that look like phones
 * there, written with separators or in spaced blocks, after a cue ("llame
 * al", "appelez le") or with the national trunk 0.  A bare "922381518" in
 * a Spanish or Portuguese subject line is an order number, not a Spanish
 * phone; "900 555 123" is one, cue or not. */
static bool lang_fits(const tsgi_extract *x, const run *r, size_t i, size_t j,
                      const char *d)
{
	return x->lang_region && (formatted(r, i, j) || spaced_blocks(r, i, j) ||
	                          r->pos || d[0] == '0');
}

static void split(tsgi_extract *x, run *r)
{
	const char *s = x->text->s;
	size_t i = 0;
	while (i < r->ng && !x->oom) {
		if (r->g[i].blocked) {
			i++;
			continue;
		}
		size_t jmax = i, tot = r->g[i].n;
		while (jmax + 1 < r->ng && !r->g[jmax + 1].blocked &&
		       tot + r->g[jmax + 1].n <= TSGI_PHONE_MAX_CAND)
			tot += r->g[++jmax].n;
		bool found = false;
		for (size_t j = jmax + 1; j-- > i;) {
			if (r->neg && !formatted(r, i, j))
				continue;
			char d[TSGI_PHONE_MAX_CAND + 1];
			size_t n = 0;
			bool spoken = false;
			for (size_t k = i; k <= j; k++) {
				memcpy(d + n, r->g[k].d, r->g[k].n);
				n += r->g[k].n;
				spoken |= r->g[k].spoken;
			}
			tsgi_phone_num num;
			bool plus = r->plus && i == 0;
			/* a country named before the run, then the message
			 * language's, then the default region */
			if (!(i == 0 && r->country &&
			      tsgi_phone_parse(d, n, plus, r->country, &num)) &&
			    !(lang_fits(x, r, i, j, d) &&
			      tsgi_phone_parse(d, n, plus, x->lang_region, &num)) &&
			    !tsgi_phone_parse(d, n, plus, region_of(x), &num))
				continue;
			size_t ns = i == 0 ? r->start : r->g[i].start;
			if (i > 0 && !r->spoken && ns > 0 && s[ns - 1] == '(')
				ns--;
			report(x, &num, ns, r->g[j].end, spoken ? TSG_IND_F_SPOKEN : 0, d,
			       n);
			i = j + 1;
			found = true;
			break;
		}
		if (!found)
			i++;
	}
}

/* ---- digit runs ---- */

/* One separator character at s[p]: its length and kind, or 0. */
static size_t sep_at(const char *s, size_t len, size_t p, unsigned *bits)
{
	switch (s[p]) {
	case ' ': *bits = TSGI_PSEP_SPACE; return 1;
	case '-': *bits = TSGI_PSEP_DASH; return 1;
	case '.': *bits = TSGI_PSEP_DOT; return 1;
	case '/': *bits = TSGI_PSEP_SLASH; return 1;
	case '(':
	case ')': *bits = TSGI_PSEP_PAREN; return 1;
	default: break;
	}
	/* en dash, em dash, minus sign */
	if (p + 2 < len && (unsigned char)s[p] == 0xe2 &&
	    (((unsigned char)s[p + 1] == 0x80 &&
	      ((unsigned char)s[p + 2] == 0x93 || (unsigned char)s[p + 2] == 0x94)) ||
	     ((unsigned char)s[p + 1] == 0x88 && (unsigned char)s[p + 2] == 0x92))) {
		*bits = TSGI_PSEP_DASH;
		return 3;
	}
	return 0;
}

static bool add_group(run *r, const char *s, size_t a, size_t b, unsigned sep)
{
	if (r->ng >= TSG_MAX_PHONE_GROUPS)
		return false;
	tsgi_pgroup *g = &r->g[r->ng++];
	memset(g, 0, sizeof *g);
	g->start = a;
	g->end = b;
	g->sep = (uint8_t)sep;
	if (b - a > TSGI_PHONE_MAX_CAND) {
		g->toolong = true;
		g->blocked = true;
	} else {
		memcpy(g->d, s + a, b - a);
		g->n = (uint8_t)(b - a);
	}
	return true;
}

/* Blocks group 0 and the groups joined to it without a space; with
 * `neg`, the rest of the run then needs phone formatting. */
static void block_lead(run *r, bool neg)
{
	r->neg |= neg;
	r->g[0].blocked = true;
	for (size_t k = 1; k < r->ng && !(r->g[k].sep & TSGI_PSEP_SPACE); k++)
		r->g[k].blocked = true;
}

/* The words before the run: a negative context ("order number") blocks its
 * lead, a positive one ("llame al") marks it (lang_fits). */
static void read_context(const char *s, run *r)
{
	r->country = NULL;
	int ctx = context_before(s, r->start, &r->country);
	if (ctx == CTX_NEG)
		block_lead(r, true);
	r->pos = ctx == CTX_POS;
}

static bool only(unsigned sep, unsigned bit) { return sep == bit; }

static void block_range(run *r, size_t a, size_t b)
{
	for (size_t k = a; k < b && k < r->ng; k++)
		r->g[k].blocked = true;
}

static unsigned small_val(const tsgi_pgroup *g)
{
	unsigned v = 0;
	for (size_t k = 0; k < g->n; k++)
		v = v * 10u + (unsigned)(g->d[k] - '0');
	return v;
}

/* Dates, IPv4 addresses, calendar rows, card-like blocks, decimals. */
static void block_shapes(run *r)
{
	tsgi_pgroup *g = r->g;
	size_t ng = r->ng;
	for (size_t k = 0; k + 2 < ng; k++) {
		unsigned sp = g[k + 1].sep;
		if (sp != g[k + 2].sep ||
		    !(only(sp, TSGI_PSEP_DASH) || only(sp, TSGI_PSEP_SLASH) ||
		      only(sp, TSGI_PSEP_DOT)))
			continue;
		if ((k > 0 && g[k].sep == sp) || (k + 3 < ng && g[k + 3].sep == sp))
			continue; /* part of a longer chain: a phone format */
		unsigned a = g[k].n, b = g[k + 1].n, c = g[k + 2].n;
		bool small_ab = a >= 1 && a <= 2 && b >= 1 && b <= 2;
		if ((a == 4 && b >= 1 && b <= 2 && c >= 1 && c <= 2) ||
		    (small_ab && (c == 4 || c == 2)))
			block_range(r, k, k + 3);
	}
	for (size_t k = 0; k + 3 < ng; k++) {
		bool ip = true;
		for (size_t q = k; q < k + 4; q++)
			if (g[q].n < 1 || g[q].n > 3 ||
			    (q > k && !only(g[q].sep, TSGI_PSEP_DOT)))
				ip = false;
		if (ip && !(k > 0 && only(g[k].sep, TSGI_PSEP_DOT)) &&
		    !(k + 4 < ng && only(g[k + 4].sep, TSGI_PSEP_DOT)))
			block_range(r, k, k + 4); /* five dotted pairs are French */
	}
	for (size_t k = 0; k < ng;) {
		size_t e = k;
		while (e < ng && g[e].n == 4 &&
		       (e == k || only(g[e].sep, TSGI_PSEP_SPACE) ||
		        only(g[e].sep, TSGI_PSEP_DASH)))
			e++;
		if (e - k >= 4) {
			block_range(r, k, e < ng && g[e].n < 4 ? e + 1 : e);
			k = e;
		} else {
			k = e > k ? e : k + 1;
		}
	}
	/* Calendar rows and counting: four or more small groups, each one more
	 * than the last ("25 26 27 28 29 30"). */
	for (size_t k = 0; k < ng;) {
		size_t e = k + 1;
		while (e < ng && g[e].n >= 1 && g[e].n <= 2 && g[e - 1].n >= 1 &&
		       g[e - 1].n <= 2 &&
		       small_val(&g[e]) == small_val(&g[e - 1]) + 1u)
			e++;
		if (e - k >= 4)
			block_range(r, k, e);
		k = e;
	}
	/* American Express and Diners layouts: 4-6-5 and 4-6-4. */
	for (size_t k = 0; k + 2 < ng; k++)
		if (g[k].n == 4 && g[k + 1].n == 6 &&
		    (g[k + 2].n == 5 || g[k + 2].n == 4) &&
		    !(g[k + 1].sep & ~(TSGI_PSEP_SPACE | TSGI_PSEP_DASH)) &&
		    !(g[k + 2].sep & ~(TSGI_PSEP_SPACE | TSGI_PSEP_DASH)))
			block_range(r, k, k + 3);
	size_t dots = 0;
	for (size_t k = 1; k < ng; k++)
		dots += (g[k].sep & TSGI_PSEP_DOT) != 0;
	if (ng >= 2 && dots == 1 && only(g[ng - 1].sep, TSGI_PSEP_DOT) &&
	    g[ng - 1].n == 2)
		block_range(r, ng - 2, ng);
}

static char keypad(char c)
{
	static const char k[26] = "22233344455566677778889999";
	return is_lower(c) ? k[c - 'a'] : 0;
}

static bool raw_upper(const tsgi_extract *x, size_t np)
{
	if (!x->raw || !x->text->map)
		return false;
	size_t rp = x->text->map[np];
	return rp < x->raw_len && x->raw[rp] >= 'A' && x->raw[rp] <= 'Z';
}

static bool toll_free_area(const tsgi_pgroup *g)
{
	if (g->n != 3 || g->d[0] != '8' || g->blocked)
		return false;
	return (g->d[1] == g->d[2] && g->d[1] >= '3' && g->d[1] <= '8') ||
	       (g->d[1] == '0' && g->d[2] == '0');
}

/*
 * A vanity number: groups ending in a toll-free prefix (and maybe a few
 * digits), then letters.  On success reports it, drops the groups it used
 * from the run and returns where it ended; else returns 0.
 */
static size_t vanity(tsgi_extract *x, run *r, size_t e)
{
	const char *s = x->text->s;
	size_t len = x->text->len;
	if (r->ng == 0 || e >= len)
		return 0;
	/* Locate the area code: in the last or second-to-last group. */
	size_t area = r->ng, first = 0;
	char sym[8];
	size_t nsym = 0;
	for (size_t a = r->ng; a-- > 0 && a + 2 >= r->ng;) {
		tsgi_pgroup area_g = r->g[a];
		bool glued1 = area_g.n == 4 && area_g.d[0] == '1';
		if (glued1) {
			memmove(area_g.d, area_g.d + 1, 3);
			area_g.n = 3;
		}
		if (!toll_free_area(&area_g))
			continue;
		size_t tail = 0;
		for (size_t k = a + 1; k < r->ng; k++)
			tail += r->g[k].blocked ? 99 : r->g[k].n;
		if (tail >= 7)
			continue;
		area = a;
		first = (!glued1 && a > 0 && r->g[a - 1].n == 1 &&
		         r->g[a - 1].d[0] == '1' && !r->g[a - 1].blocked)
		            ? a - 1
		            : a;
		for (size_t k = a + 1; k < r->ng; k++) {
			memcpy(sym + nsym, r->g[k].d, r->g[k].n);
			nsym += r->g[k].n;
		}
		break;
	}
	if (area == r->ng)
		return 0;
	size_t p = e;
	bool need_upper = false;
	if (s[p] == '-' || s[p] == '.')
		p++;
	else if (s[p] == ' ')
		p++, need_upper = true;
	/* Each word is all letters or all digits: "MY-APPLE", "555-HELP". */
	size_t letters = 0;
	int word = 0; /* 1 letters, 2 digits, 0 between words */
	while (nsym < 7 && p < len) {
		char c = s[p];
		if (is_lower(c)) {
			if ((need_upper && !raw_upper(x, p)) || word == 2)
				return 0;
			sym[nsym++] = keypad(c);
			letters++;
			word = 1;
			p++;
		} else if (is_digit(c)) {
			if (word == 1)
				return 0;
			sym[nsym++] = c;
			word = 2;
			p++;
		} else if ((c == '-' || c == '.') && p + 1 < len &&
		           (is_lower(s[p + 1]) || is_digit(s[p + 1]))) {
			word = 0;
			p++;
		} else {
			break;
		}
	}
	if (nsym < 7 || letters == 0)
		return 0;
	while (p < len && word == 1 && is_lower(s[p])) /* "MICROSOFT": 7 count */
		p++;
	if (p < len && is_alnum(s[p]))
		return 0;
	const tsgi_pgroup *ag = &r->g[area];
	char d[12];
	d[0] = '1';
	memcpy(d + 1, ag->d + (ag->n == 4 ? 1 : 0), 3);
	memcpy(d + 4, sym, 7);
	tsgi_phone_num num;
	if (!tsgi_phone_parse(d, 11, false, "US", &num) ||
	    !(num.flags & TSG_IND_F_TOLL_FREE))
		return 0;
	size_t ns = first == 0 ? r->start : r->g[first].start;
	report(x, &num, ns, p, 0, d, 11);
	r->ng = first;
	return p;
}

/* Reads the run that starts at s[i]; returns where scanning goes on. */
static size_t digit_run(tsgi_extract *x, size_t i)
{
	const char *s = x->text->s;
	size_t len = x->text->len;
	run r;
	r.ng = 0;
	r.start = i;
	r.plus = false;
	r.neg = false;
	r.pos = false;
	r.country = NULL;
	r.spoken = false;
	size_t p = i;
	if (s[p] == '+') {
		r.plus = true;
		p++;
		if (p < len && (s[p] == '(' || s[p] == ' '))
			p++;
	} else if (s[p] == '(') {
		p++;
	} else if (s[p] == 'l') {
		add_group(&r, "1", 0, 1, 0);
		r.g[0].start = p;
		r.g[0].end = p + 1;
		p++;
		unsigned b;
		while (p < len && !is_digit(s[p]) && sep_at(s, len, p, &b))
			p++;
	}
	unsigned pending = 0;
	while (p < len && is_digit(s[p])) {
		size_t q = p;
		while (q < len && is_digit(s[q]))
			q++;
		if (!add_group(&r, s, p, q, pending))
			break;
		p = q;
		pending = 0;
		/* At most three separators, parentheses aside: ") - (" joins. */
		size_t nsep = 0, sq = q;
		unsigned b;
		size_t l;
		while (sq < len && nsep <= 3 && (l = sep_at(s, len, sq, &b))) {
			pending |= b;
			nsep += b != TSGI_PSEP_PAREN;
			sq += l;
		}
		/* "1+888..." and "1833+983-2747": a '+' glued between digits. */
		if (nsep == 0 && sq + 1 < len && s[sq] == '+' && is_digit(s[sq + 1])) {
			pending = TSGI_PSEP_DASH;
			sq++;
		}
		if (sq == q || nsep > 3 || sq - q > 8 || sq >= len || !is_digit(s[sq]))
			break;
		p = sq;
	}
	if (r.ng == 0)
		return i + 1;
	size_t e = r.g[r.ng - 1].end;
	if (currency_before(s, r.start))
		return e;

	/* Left edge. */
	size_t st = r.start;
	if (st >= 2 && (s[st - 1] == ',' || s[st - 1] == '.' || s[st - 1] == ':') &&
	    is_digit(s[st - 2]))
		r.g[0].blocked = true;
	size_t gl = st;
	if (gl >= 2 && s[gl - 1] == '-' && is_lower(s[gl - 2]))
		gl--;
	if (gl > 0 && is_alnum(s[gl - 1]) && s[r.start] != 'l') {
		size_t w = gl;
		while (w > 0 && is_alnum(s[w - 1]) && gl - w < 32)
			w--;
		if (!IN_CUES(k_pos_words, s + w, gl - w))
			block_lead(&r, false);
	}
	read_context(s, &r);

	block_shapes(&r);

	/* Right edge. */
	size_t end = e;
	size_t v = vanity(x, &r, e);
	if (v) {
		end = v;
	} else if (e < len) {
		char c = s[e];
		if (((c == ':' || c == ',') && e + 1 < len && is_digit(s[e + 1])) ||
		    c == '%' || is_alnum(c))
			r.g[r.ng - 1].blocked = true;
	}
	if (r.ng)
		split(x, &r);
	return end;
}

static void digit_pass(tsgi_extract *x)
{
	const char *s = x->text->s;
	size_t len = x->text->len;
	size_t i = 0;
	while (i < len && !x->oom) {
		char c = s[i];
		bool start = false;
		if (is_digit(c)) {
			start = true;
		} else if (c == '+' && i + 1 < len) {
			size_t q = i + 1;
			if (s[q] == '(' || s[q] == ' ')
				q++;
			start = q < len && is_digit(s[q]);
		} else if (c == '(' && i + 1 < len) {
			start = is_digit(s[i + 1]);
		} else if (c == 'l' && (i == 0 || !is_alnum(s[i - 1])) &&
		           i + 2 < len && (s[i + 1] == '-' || s[i + 1] == ' ') &&
		           s[i + 2] == '8') {
			start = true; /* "l-800": a letter l for 1 */
		}
		if (!start) {
			if (is_alnum(c)) {
				/* Skip the rest of a word: digits glued to letters
				 * ("abc123") start no run of their own here; the
				 * left-edge check handles them when they do. */
				size_t w = i;
				while (w < len && is_lower(s[w]))
					w++;
				i = w > i ? w : i + 1;
				continue;
			}
			i++;
			continue;
		}
		size_t next = digit_run(x, i);
		i = next > i ? next : i + 1;
	}
}

/* ---- spoken numbers ---- */

static void spoken_pass(tsgi_extract *x)
{
	const char *s = x->text->s;
	size_t len = x->text->len;
	size_t i = 0;
	run r;
	while (i < len && !x->oom) {
		if (!is_alnum(s[i])) {
			i++;
			continue;
		}
		size_t e = i;
		while (e < len && is_alnum(s[e]))
			e++;
		if (!tsgi_phone_spoken_may_start(s[i]) ||
		    !tsgi_phone_spoken_starts(s + i, e - i)) {
			i = e; /* tsgi_phone_spoken() would stop after this word */
			continue;
		}
		size_t ng = 0;
		bool any = false;
		size_t next = tsgi_phone_spoken(s, len, i, r.g, TSG_MAX_PHONE_GROUPS,
		                                &ng, &any);
		if (any && ng) {
			r.ng = ng;
			r.start = r.g[0].start;
			r.plus = false;
			r.neg = false;
			r.spoken = true;
			read_context(s, &r);
			split(x, &r);
		}
		i = next > i ? next : i + 1;
	}
}

void tsgi_extract_phones(tsgi_extract *x)
{
	if (!x || !x->text || !x->text->s || x->oom)
		return;
	/* every run digit_pass() reads has a digit ("l-8" too) */
	if (tsgi_has_digit(x->text->s, x->text->len))
		digit_pass(x);
	spoken_pass(x);
}
