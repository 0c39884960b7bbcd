/*
 * money.c - money amounts, and gift cards asked for as payment.
 *
 * Owner: indicators.  Reads the normalised text (lower case, white space
 * collapsed, digits folded), and reports raw spans through the map.
 *
 * Amounts.  A number with a currency next to it, before or after, with at
 * most one space between: "$499.99", "us$ 1,299", "€49,99", "49,99 €",
 * "499 dollars", "1.299,00 eur", "rs. 4999", "₹4,999".  Thousands are
 * grouped by ',' or '.' in threes; a final ',' or '.' with one or two
 * digits is the decimal part.  value: the amount with two decimals
 * ("499.99", "1299.00"); detail: the ISO 4217 code.  A bare number is never
 * money.
 *
 * Gift cards.  A card brand counts when it is followed by "card(s)" or
 * stands within GIFT_NEAR bytes of a gift-card phrase ("gift card",
 * "tarjeta de regalo", "geschenkkarte", "carte cadeau", ...).  value: the
 * brand id ("google_play", "apple", "amazon", ...); detail: a card code
 * given within GIFT_CODE_NEAR bytes after the brand (10-20 letters and
 * digits in groups, at least two digits; upper case, separators removed),
 * else NULL.  A gift-card phrase with no brand near it gives one indicator
 * with value "unspecified".  Indicators are deduplicated by value, so a
 * second code for the same brand is not reported.
 */
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "indicators.h"
#include "keywords.h"

#define GIFT_NEAR 80u
#define GIFT_CODE_NEAR 160u
#define MONEY_MAX_INT_DIGITS 12u

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit((char)c);
}

static bool is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || c >= 0x80;
}

typedef struct currency {
	const char *text; /* as it reads in normalised text */
	const char *iso;
} currency;

/* Before the amount.  Longest first where one is a suffix of another. */
static const currency k_prefix[] = {
	{"us$", "USD"}, {"au$", "AUD"}, {"a$", "AUD"},  {"ca$", "CAD"},
	{"c$", "CAD"},  {"$", "USD"},   {"\xe2\x82\xac", "EUR"}, /* € */
	{"\xc2\xa3", "GBP"},                                     /* £ */
	{"\xe2\x82\xb9", "INR"},                                 /* ₹ */
	{"usd", "USD"}, {"eur", "EUR"}, {"gbp", "GBP"}, {"inr", "INR"},
	{"aud", "AUD"}, {"cad", "CAD"}, {"rs.", "INR"}, {"rs", "INR"},
};

/* After the amount. */
static const currency k_suffix[] = {
	{"usd", "USD"},     {"dollars", "USD"}, {"dollar", "USD"},
	{"eur", "EUR"},     {"euros", "EUR"},   {"euro", "EUR"},
	{"\xe2\x82\xac", "EUR"}, {"$", "USD"},  {"gbp", "GBP"},
	{"\xc2\xa3", "GBP"}, {"inr", "INR"},    {"rupees", "INR"},
	{"\xe2\x82\xb9", "INR"}, {"aud", "AUD"}, {"cad", "CAD"},
};

/*
 * Parses the amount at t[p] into out ("1299.00").  Returns the end offset,
 * or 0 when the digits there are not an amount.
 */
static size_t parse_amount(const char *t, size_t len, size_t p, char *out,
                           size_t cap)
{
	char ip[MONEY_MAX_INT_DIGITS + 1], dec[3] = "00";
	size_t n = 0, q = p;
	char thousands = 0;
	while (q < len && is_digit(t[q])) {
		if (n >= MONEY_MAX_INT_DIGITS)
			return 0;
		ip[n++] = t[q++];
	}
	if (n == 0)
		return 0;
	for (;;) {
		if (q + 1 >= len || (t[q] != ',' && t[q] != '.') || !is_digit(t[q + 1]))
			break;
		size_t g = q + 1, e = g;
		while (e < len && is_digit(t[e]))
			e++;
		size_t glen = e - g;
		if (glen == 3 && (thousands == 0 || thousands == t[q]) && n <= 3 + 3 * 3) {
			if (n + 3 > MONEY_MAX_INT_DIGITS)
				return 0;
			thousands = t[q];
			memcpy(ip + n, t + g, 3);
			n += 3;
			q = e;
			continue;
		}
		if ((glen == 1 || glen == 2) && t[q] != thousands) {
			dec[0] = t[g];
			dec[1] = glen == 2 ? t[g + 1] : '0';
			q = e;
		}
		break;
	}
	if (q < len && (is_alnum((unsigned char)t[q]) ||
	                ((t[q] == '.' || t[q] == ',') && q + 1 < len && is_digit(t[q + 1]))))
		return 0;
	ip[n] = '\0';
	/* strip leading zeros but keep one */
	const char *d = ip;
	while (d[0] == '0' && d[1])
		d++;
	if ((size_t)snprintf(out, cap, "%s.%s", d, dec) >= cap)
		return 0;
	return q;
}

static void add_money(tsgi_extract *x, const char *value, const char *iso,
                      size_t ns, size_t ne)
{
	tsg_indicator ind = {.kind = TSG_IND_MONEY, .detail = iso};
	ind.value = tsgi_arena_strdup(x->arena, value);
	if (!ind.value) {
		x->oom = true;
		return;
	}
	size_t rs, re;
	tsgi_ind_norm_span(x, ns, ne, &rs, &re);
	tsgi_ind_add(x, &ind, rs, re);
}

/* Currency ending at t[e] (exclusive), i.e. written just before an amount. */
static const currency *prefix_at(const char *t, size_t e, size_t *start)
{
	for (size_t k = 0; k < G_N_ELEMENTS(k_prefix); k++) {
		size_t n = strlen(k_prefix[k].text);
		if (n > e || memcmp(t + e - n, k_prefix[k].text, n))
			continue;
		size_t b = e - n;
		/* a currency written in letters must start a word */
		if (b > 0 && is_letter((unsigned char)t[b]) && is_alnum((unsigned char)t[b - 1]))
			continue;
		*start = b;
		return &k_prefix[k];
	}
	return NULL;
}

static const currency *suffix_at(const char *t, size_t len, size_t p, size_t *end)
{
	for (size_t k = 0; k < G_N_ELEMENTS(k_suffix); k++) {
		size_t n = strlen(k_suffix[k].text);
		if (p + n > len || memcmp(t + p, k_suffix[k].text, n))
			continue;
		if (is_letter((unsigned char)t[p]) && p + n < len &&
		    is_alnum((unsigned char)t[p + n]))
			continue;
		*end = p + n;
		return &k_suffix[k];
	}
	return NULL;
}

static void amounts(tsgi_extract *x)
{
	const char *t = x->text->s;
	size_t len = x->text->len;
	for (size_t p = 0; p < len && !x->oom; p++) {
		if (!is_digit(t[p]) || (p > 0 && (is_digit(t[p - 1]) ||
		                                   ((t[p - 1] == '.' || t[p - 1] == ',') &&
		                                    p > 1 && is_digit(t[p - 2])))))
			continue;
		if (p > 0 && is_alnum((unsigned char)t[p - 1]) && t[p - 1] != '$')
			continue;
		char value[32];
		size_t e = parse_amount(t, len, p, value, sizeof value);
		if (!e)
			continue;
		size_t b, ce;
		const currency *c = NULL;
		size_t before = p > 0 && t[p - 1] == ' ' ? p - 1 : p;
		if ((c = prefix_at(t, before, &b)) != NULL) {
			add_money(x, value, c->iso, b, e);
		} else {
			size_t after = e < len && t[e] == ' ' ? e + 1 : e;
			if ((c = suffix_at(t, len, after, &ce)) != NULL)
				add_money(x, value, c->iso, p, ce);
		}
		p = e - 1;
	}
}

typedef struct gift_brand {
	const char *text; /* in normalised text */
	const char *id;
} gift_brand;

static const gift_brand k_gift_brands[] = {
	{"google play", "google_play"}, {"googleplay", "google_play"},
	{"play store", "google_play"},  {"itunes", "apple"},
	{"app store", "apple"},         {"apple", "apple"},
	{"amazon", "amazon"},           {"steam", "steam"},
	{"target", "target"},           {"walmart", "walmart"},
	{"ebay", "ebay"},               {"sephora", "sephora"},
	{"best buy", "best_buy"},       {"bestbuy", "best_buy"},
	{"vanilla", "vanilla"},         {"onevanilla", "vanilla"},
	{"razer gold", "razer_gold"},   {"nordstrom", "nordstrom"},
	{"home depot", "home_depot"},   {"xbox", "xbox"},
	{"playstation", "playstation"}, {"paysafecard", "paysafecard"},
	{"neosurf", "neosurf"},         {"visa gift", "visa"},
	{"green dot", "green_dot"},     {"moneypak", "green_dot"},
	{"transcash", "transcash"},     {"pcs mastercard", "pcs"},
	{"coupon pcs", "pcs"},          {"coupons pcs", "pcs"},
	{"recharge pcs", "pcs"},        {"recharges pcs", "pcs"},
	{"ticket pcs", "pcs"},          {"tickets pcs", "pcs"},
};

static const char *const k_gift_phrases[] = {
	"gift card",       "giftcard",         "gift voucher",  "e-gift",
	"egift",           "prepaid card",     "tarjeta de regalo",
	"tarjetas de regalo", "geschenkkarte", "geschenkkarten", "gutscheinkarte",
	"carte cadeau",    "cartes cadeaux",   "carte-cadeau",  "cartes-cadeaux",
	"paysafecard",     "moneypak",         "neosurf",       "transcash",
	/* "PCS" alone is also "pieces": the voucher only with its words */
	"pcs mastercard",  "coupon pcs",       "coupons pcs",   "recharge pcs",
	"recharges pcs",   "ticket pcs",       "tickets pcs",
};

static bool word_at(const char *t, size_t len, size_t p, size_t n)
{
	return (p == 0 || !is_alnum((unsigned char)t[p - 1])) &&
	       (p + n >= len || !is_alnum((unsigned char)t[p + n]) ||
	        (t[p + n] == 's' && (p + n + 1 >= len || !is_alnum((unsigned char)t[p + n + 1]))));
}

/* A card code at t[p]: groups of letters and digits separated by '-' (or
 * by ' ' when every group has 4 or 5 characters), 10-20 in all, at least
 * two digits; all digits only as a 16- or 19-digit card number. */
static size_t read_code(const char *t, size_t len, size_t p, char *out)
{
	size_t n = 0, digits = 0, q = p, end = 0;
	bool spaced = false, dashed = false, bad_for_space = false;
	while (q < len && is_alnum((unsigned char)t[q])) {
		size_t g = q;
		while (q < len && is_alnum((unsigned char)t[q]))
			q++;
		size_t glen = q - g;
		if (n + glen > 20)
			break;
		if (spaced && glen != 4 && glen != 5)
			break;
		size_t gdigits = 0;
		for (size_t i = g; i < q; i++)
			gdigits += is_digit(t[i]);
		/* a word such as "code" must not start a spaced code */
		if ((glen != 4 && glen != 5) || (n == 0 && !gdigits))
			bad_for_space = true;
		for (size_t i = g; i < q; i++)
			out[n++] = g_ascii_toupper(t[i]);
		digits += gdigits;
		end = q;
		if (q + 1 < len && t[q] == '-' && !spaced &&
		    is_alnum((unsigned char)t[q + 1])) {
			dashed = true;
			q++;
		} else if (q + 1 < len && t[q] == ' ' && !bad_for_space && !dashed &&
		           is_alnum((unsigned char)t[q + 1])) {
			spaced = true;
			q++;
		} else
			break;
	}
	out[n] = '\0';
	if (n < 10 || n > 20 || digits < 2)
		return 0;
	if (digits == n && n != 16 && n != 19)
		return 0;
	return end;
}

typedef struct gift_state {
	tsgi_extract *x;
	size_t *phrases; /* normalised offsets of gift-card phrases, sorted */
	size_t nphrases, cap;
	size_t first_phrase_end;
	bool any_brand;
} gift_state;

static bool on_phrase(void *ctx, size_t k, size_t p)
{
	gift_state *st = ctx;
	size_t n = strlen(k_gift_phrases[k]);
	if (!word_at(st->x->text->s, st->x->text->len, p, n))
		return true;
	if (!tsgi_arena_grow(st->x->arena, (void **)&st->phrases, &st->cap,
	                     sizeof *st->phrases, st->nphrases + 1)) {
		st->x->oom = true;
		return false;
	}
	if (!st->nphrases)
		st->first_phrase_end = p + n;
	st->phrases[st->nphrases++] = p;
	return true;
}

/* True when a gift-card phrase starts within [a, b). */
static bool phrase_near(const gift_state *st, size_t a, size_t b)
{
	size_t lo = 0, hi = st->nphrases;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->phrases[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < st->nphrases && st->phrases[lo] < b;
}

static bool on_brand(void *ctx, size_t k, size_t p)
{
	gift_state *st = ctx;
	tsgi_extract *x = st->x;
	const char *t = x->text->s;
	size_t len = x->text->len;
	const gift_brand *gb = &k_gift_brands[k];
	size_t n = strlen(gb->text);
	if (!word_at(t, len, p, n))
		return true;
	size_t e = p + n;
	bool card = e + 5 <= len && !memcmp(t + e, " card", 5);
	if (!card && !phrase_near(st, p > GIFT_NEAR ? p - GIFT_NEAR : 0, e + GIFT_NEAR))
		return true;
	tsg_indicator ind = {.kind = TSG_IND_GIFTCARD, .value = gb->id};
	char code[21];
	size_t lim = e + GIFT_CODE_NEAR < len ? e + GIFT_CODE_NEAR : len, ce = 0;
	for (size_t q = e; q < lim && !ce; q++)
		if (q == 0 || !is_alnum((unsigned char)t[q - 1]))
			ce = read_code(t, len, q, code);
	if (ce) {
		ind.detail = tsgi_arena_strdup(x->arena, code);
		if (!ind.detail) {
			x->oom = true;
			return false;
		}
	}
	size_t rs, re;
	tsgi_ind_norm_span(x, p, ce ? ce : e, &rs, &re);
	tsgi_ind_add(x, &ind, rs, re);
	st->any_brand = true;
	return true;
}

static tsgi_keywords g_phrase_kw, g_brand_kw;
static pthread_once_t g_kw_once = PTHREAD_ONCE_INIT;

static void init_keywords(void)
{
	tsgi_keywords_init(&g_phrase_kw, k_gift_phrases, G_N_ELEMENTS(k_gift_phrases),
	                   sizeof *k_gift_phrases);
	tsgi_keywords_init(&g_brand_kw, k_gift_brands, G_N_ELEMENTS(k_gift_brands),
	                   sizeof *k_gift_brands);
}

static void gift_cards(tsgi_extract *x)
{
	pthread_once(&g_kw_once, init_keywords);
	gift_state st = {.x = x};
	const char *t = x->text->s;
	size_t len = x->text->len;
	tsgi_keywords_scan(&g_phrase_kw, t, len, on_phrase, &st);
	if (x->oom)
		return;
	/* A brand counts near a phrase or as "<brand> card": without either,
	 * its scan would find nothing. */
	if (st.nphrases || memmem(t, len, " card", 5))
		tsgi_keywords_scan(&g_brand_kw, t, len, on_brand, &st);
	if (st.any_brand || x->oom || !st.nphrases)
		return;
	tsg_indicator ind = {.kind = TSG_IND_GIFTCARD, .value = "unspecified"};
	size_t rs, re;
	tsgi_ind_norm_span(x, st.phrases[0], st.first_phrase_end, &rs, &re);
	tsgi_ind_add(x, &ind, rs, re);
}

void tsgi_extract_money(tsgi_extract *x)
{
	if (tsgi_has_digit(x->text->s, x->text->len))
		amounts(x); /* every amount starts at a digit */
	if (!x->oom)
		gift_cards(x);
}
