/*
 * registry.c - loading and linting data/brands.json (docs/brands.md).
 *
 * Validation is strict because the registry decides what counts as
 * "official": a typo in a domain would let a scam through or flag the real
 * company, and a misspelt policy key would silently switch a policy off.
 *
 * Jansson gives no line numbers for values, so the loader reads the raw
 * bytes itself, finds where each element of the "brands" array starts with
 * a small structural scan, and reports each problem at the line of the
 * offending value inside that brand (or at the brand's "id" line when the
 * value cannot be found verbatim, for example because it uses \u escapes).
 */
#include "brands.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <libpsl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../text/normalize.h"
#include "tsguard_limits.h"

struct tsgi_brands {
	tsgi_arena *a;
	tsgi_brand *v;
	size_t n, cap;
	const char **free_mail;
	size_t nfree_mail, capfree;
};

static const char *const k_langs[4] = {"en", "es", "de", "fr"};

static const char *const k_categories[] = {
	"tech_support", "refund", "account_alert", "government", "other",
};

/* Keys a brand object may carry; anything else is a typo. */
static const char *const k_brand_keys[] = {
	"id",     "name",   "kind",    "category", "names", "aliases",
	"domains", "user_content_hosts", "phones", "help_url", "policy",
	"advice", "notes",
};

static const char *const k_policy_keys[] = {
	"never_initiates_contact",
	"remote_access_only_if_requested",
	"never_gift_cards_or_crypto",
};

/* ITU calling codes of the countries the registry uses, to catch a number
 * filed under the wrong country.  Countries not listed are not checked. */
static const struct {
	const char cc[3];
	const char *prefix;
} k_calling[] = {
	{"US", "+1"},  {"CA", "+1"},  {"GB", "+44"}, {"DE", "+49"},
	{"ES", "+34"}, {"FR", "+33"}, {"AU", "+61"}, {"IN", "+91"},
	{"IE", "+353"}, {"IT", "+39"}, {"MX", "+52"}, {"AT", "+43"},
	{"CH", "+41"}, {"BE", "+32"}, {"NL", "+31"}, {"BR", "+55"},
};

size_t tsgi_brands_count(const tsgi_brands *b) { return b ? b->n : 0; }
const tsgi_brand *tsgi_brands_at(const tsgi_brands *b, size_t i)
{
	return &b->v[i];
}

void tsgi_brands_free(tsgi_brands *b)
{
	if (!b)
		return;
	tsgi_arena_free(b->a);
	free(b);
}

const tsgi_brand *tsgi_brands_find(const tsgi_brands *b, const char *id)
{
	for (size_t i = 0; b && id && i < b->n; i++)
		if (b->v[i].id && !strcmp(b->v[i].id, id))
			return &b->v[i];
	return NULL;
}

/* True when `host` equals `dom` or ends in "." + dom.  A trailing dot on
 * the host (fully qualified form) is ignored. */
static bool host_under(const char *host, const char *dom)
{
	size_t hl = strlen(host), dl = strlen(dom);
	if (hl && host[hl - 1] == '.')
		hl--;
	if (hl == dl && !strncmp(host, dom, dl))
		return true;
	return hl > dl && host[hl - dl - 1] == '.' &&
	       !strncmp(host + hl - dl, dom, dl);
}

bool tsgi_brand_owns_host(const tsgi_brand *br, const char *host)
{
	if (!br || !host || !*host)
		return false;
	for (size_t i = 0; i < br->nuser_hosts; i++)
		if (host_under(host, br->user_hosts[i]))
			return false;
	for (size_t i = 0; i < br->ndomains; i++)
		if (host_under(host, br->domains[i]))
			return true;
	return false;
}

bool tsgi_brand_runs_host(const tsgi_brand *br, const char *host)
{
	for (size_t i = 0; br && host && i < br->ndomains; i++)
		if (host_under(host, br->domains[i]))
			return true;
	return false;
}

size_t tsgi_brand_host_prefix(const tsgi_brand *br, const char *host)
{
	size_t hl = strlen(host), best = hl;
	for (size_t i = 0; br && i < br->ndomains; i++) {
		size_t dl = strlen(br->domains[i]);
		if (host_under(host, br->domains[i])) {
			size_t p = hl > dl ? hl - dl - 1 : 0;
			if (p < best)
				best = p;
		}
	}
	return best;
}

const tsgi_brand *tsgi_brands_by_host(const tsgi_brands *b, const char *host)
{
	for (size_t i = 0; b && i < b->n; i++)
		if (tsgi_brand_owns_host(&b->v[i], host))
			return &b->v[i];
	return NULL;
}

const tsgi_brand *tsgi_brands_by_phone(const tsgi_brands *b, const char *e164)
{
	for (size_t i = 0; b && e164 && i < b->n; i++)
		for (size_t j = 0; j < b->v[i].nphones; j++)
			if (!strcmp(b->v[i].phones[j], e164))
				return &b->v[i];
	return NULL;
}

bool tsgi_brands_is_free_mail(const tsgi_brands *b, const char *domain)
{
	for (size_t i = 0; b && domain && i < b->nfree_mail; i++)
		if (host_under(domain, b->free_mail[i]))
			return true;
	return false;
}

const char *tsgi_brand_advice(const tsgi_brand *br, const char *lang)
{
	for (int i = 0; i < 4; i++)
		if (lang && !strcmp(lang, k_langs[i]) && br->advice[i])
			return br->advice[i];
	return br->advice[0] ? br->advice[0] : "";
}

bool tsgi_brands_add_rules(const tsgi_brands *b, tsgi_ruleset *rs)
{
	for (size_t i = 0; b && i < b->n; i++)
		if (b->v[i].id && !tsgi_ruleset_add_brand(rs, b->v[i].id, b->v[i].names,
		                                          b->v[i].nnames))
			return false;
	return true;
}

/* ---- where things are in the raw text ---------------------------------- */

/* Start offsets of the elements of the top-level "brands" array, found by a
 * structural scan that understands strings and escapes but not values.
 * Returns the count stored (at most `max`). */
static size_t element_starts(const char *s, size_t n, size_t *out, size_t max)
{
	int depth = 0;
	bool in_brands = false, want = false;
	size_t k = 0;
	size_t ls = 0, ll = 0; /* the last string seen at depth 1 */
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_brands && depth == 2 && want && !isspace((unsigned char)c) &&
		    c != ',' && c != ']') {
			if (k < max)
				out[k++] = i;
			want = false;
		}
		if (c == '"') {
			size_t st = ++i;
			while (i < n && s[i] != '"') {
				if (s[i] == '\\')
					i++;
				i++;
			}
			if (depth == 1) {
				ls = st;
				ll = (i < n ? i : n) - st;
			}
		} else if (c == '{' || c == '[') {
			depth++;
			if (c == '[' && depth == 2 && ll == 6 && !memcmp(s + ls, "brands", 6))
				in_brands = want = true;
		} else if (c == '}' || c == ']') {
			if (depth == 2 && c == ']')
				in_brands = false;
			depth--;
		} else if (c == ',' && in_brands && depth == 2) {
			want = true;
		}
	}
	return k;
}

static int line_at(const char *s, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

/* Offset of the JSON string literal "`v`" (written without escapes) in
 * [from, to), or (size_t)-1. */
static size_t find_literal(const char *s, size_t from, size_t to, const char *v)
{
	size_t vl = strlen(v);
	for (size_t i = from; i + vl + 2 <= to; i++)
		if (s[i] == '"' && !memcmp(s + i + 1, v, vl) && s[i + 1 + vl] == '"')
			return i;
	return (size_t)-1;
}

/* Offset of the key "`k`" followed by ':' in [from, to), or (size_t)-1. */
static size_t find_key(const char *s, size_t from, size_t to, const char *k)
{
	size_t p = from;
	while ((p = find_literal(s, p, to, k)) != (size_t)-1) {
		size_t q = p + strlen(k) + 2;
		while (q < to && isspace((unsigned char)s[q]))
			q++;
		if (q < to && s[q] == ':')
			return p;
		p++;
	}
	return (size_t)-1;
}

/* ---- loading ---------------------------------------------------------- */

struct loader {
	tsgi_brands *b;
	tsgi_errors *errs;
	const char *path;
	const char *raw;
	size_t rawlen;
	size_t from, to; /* the current brand's bytes */
	int line;        /* the current brand's "id" line */
	const char *id;
	size_t nerr;
	psl_ctx_t *psl;
	size_t *spans; /* [from, to) of each loaded brand, two per brand */
};

/* Line of value `v` inside the current brand, else the brand's line. */
static int vline(const struct loader *l, const char *v)
{
	if (!v)
		return l->line;
	size_t p = find_literal(l->raw, l->from, l->to, v);
	return p == (size_t)-1 ? l->line : line_at(l->raw, p);
}

static int kline(const struct loader *l, const char *k)
{
	size_t p = find_key(l->raw, l->from, l->to, k);
	return p == (size_t)-1 ? l->line : line_at(l->raw, p);
}

static void lerr(struct loader *l, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void lerr(struct loader *l, int line, const char *fmt, ...)
{
	char m[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	tsgi_errors_add(l->errs, false, l->path, line, "brand '%s': %s",
	                l->id ? l->id : "?", m);
	l->nerr++;
}

static void lwarn(struct loader *l, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void lwarn(struct loader *l, int line, const char *fmt, ...)
{
	char m[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	tsgi_errors_add(l->errs, true, l->path, line, "brand '%s': %s",
	                l->id ? l->id : "?", m);
}

/* Appends the strings of array `arr` to a growing list. */
static bool add_strings(struct loader *l, json_t *arr, const char ***v,
                        size_t *n, size_t *cap, const char *field)
{
	if (!arr)
		return true;
	if (!json_is_array(arr)) {
		lerr(l, kline(l, field), "'%s' must be an array of strings", field);
		return true;
	}
	size_t i;
	json_t *s;
	json_array_foreach(arr, i, s)
	{
		if (!json_is_string(s) || json_string_length(s) == 0) {
			lerr(l, kline(l, field), "'%s' has an empty or non-string entry",
			     field);
			continue;
		}
		if (!tsgi_arena_grow(l->b->a, (void **)v, cap, sizeof **v, *n + 1))
			return false;
		(*v)[(*n)++] = tsgi_arena_strdup(l->b->a, json_string_value(s));
	}
	return true;
}

static bool valid_domain(const char *d)
{
	size_t n = strlen(d);
	if (!n || n > 253 || d[0] == '.' || d[n - 1] == '.' || !strchr(d, '.'))
		return false;
	size_t label = 0;
	for (const char *p = d; *p; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
		      *p == '-'))
			return false;
		if (label == 0 && *p == '-')
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

static bool valid_e164(const char *p)
{
	if (p[0] != '+' || !p[1] || p[1] == '0')
		return false;
	size_t n = 0;
	for (const char *q = p + 1; *q; q++, n++)
		if (!isdigit((unsigned char)*q))
			return false;
	return n >= 6 && n <= 15;
}

static const char *calling_code(const char *cc)
{
	for (size_t i = 0; i < sizeof k_calling / sizeof *k_calling; i++)
		if (!strcmp(k_calling[i].cc, cc))
			return k_calling[i].prefix;
	return NULL;
}

static const char *sdup(struct loader *l, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? tsgi_arena_strdup(l->b->a, json_string_value(v))
	                         : NULL;
}

static bool in_list(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, v[i]))
			return true;
	return false;
}

/* The host of an https:// URL, copied into `out`. */
static bool url_host(const char *url, char *out, size_t cap)
{
	if (strncmp(url, "https://", 8))
		return false;
	const char *h = url + 8;
	size_t n = strcspn(h, "/?#:");
	if (!n || n >= cap)
		return false;
	memcpy(out, h, n);
	out[n] = '\0';
	return true;
}

static void check_domains(struct loader *l, const tsgi_brand *br)
{
	for (size_t i = 0; i < br->ndomains; i++) {
		const char *d = br->domains[i];
		int ln = vline(l, d);
		if (!valid_domain(d)) {
			lerr(l, ln, "domain '%s' is not a lower-case host name", d);
			continue;
		}
		if (l->psl && psl_is_public_suffix2(l->psl, d, PSL_TYPE_ANY))
			lerr(l, ln,
			     "domain '%s' is a public suffix; list the organisation's own "
			     "domain or host under it",
			     d);
		if (in_list(d, l->b->free_mail, l->b->nfree_mail))
			lerr(l, ln,
			     "domain '%s' is a free-mail provider: anyone can send from it",
			     d);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(br->domains[j], d))
				lerr(l, ln, "domain '%s' is listed twice", d);
	}
	for (size_t i = 0; i < br->nuser_hosts; i++) {
		const char *h = br->user_hosts[i];
		int ln = vline(l, h);
		bool under = false;
		for (size_t j = 0; j < br->ndomains; j++)
			if (host_under(h, br->domains[j]))
				under = true;
		if (!valid_domain(h))
			lerr(l, ln, "user-content host '%s' is not a lower-case host name",
			     h);
		else if (!under)
			lerr(l, ln,
			     "user-content host '%s' is not under an official domain", h);
	}
}

/* Checks the names: each language present, matchable, no short ones. */
static void check_names(struct loader *l, json_t *jn, const tsgi_brand *br)
{
	for (int i = 0; jn && json_is_object(jn) && i < 4; i++) {
		json_t *a = json_object_get(jn, k_langs[i]);
		if (!json_is_array(a) || json_array_size(a) == 0)
			lerr(l, kline(l, "names"), "missing names in '%s' (names.%s)",
			     k_langs[i], k_langs[i]);
	}
	for (size_t i = 0; i < br->nnames; i++) {
		char *norm = tsgi_normalize_str(br->names[i]);
		if (!norm)
			continue;
		bool ascii = *norm != '\0';
		for (const char *c = norm; *c; c++)
			if ((unsigned char)*c >= 0x80)
				ascii = false;
		if (!ascii)
			lwarn(l, vline(l, br->names[i]),
			      "name '%s' is not plain ASCII after normalisation and is "
			      "never matched",
			      br->names[i]);
		else if (strlen(norm) < 3)
			lerr(l, vline(l, br->names[i]),
			     "name '%s' is shorter than 3 letters and would match too "
			     "often",
			     br->names[i]);
		free(norm);
	}
}

/* Fills norm_names and host_tokens from names. */
static bool derive_names(struct loader *l, tsgi_brand *br)
{
	const char **norm = tsgi_arena_calloc(l->b->a, br->nnames + 1, sizeof *norm);
	const char **tok = tsgi_arena_calloc(l->b->a, br->nnames + 1, sizeof *tok);
	if (!norm || !tok)
		return false;
	size_t nt = 0;
	for (size_t i = 0; i < br->nnames; i++) {
		char *n = tsgi_normalize_str(br->names[i]);
		if (!n)
			return false;
		bool empty = *n == '\0';
		if (!empty)
			norm[i] = tsgi_arena_strdup(l->b->a, n);
		size_t k = 0;
		for (size_t j = 0; n[j]; j++)
			if (isalnum((unsigned char)n[j]))
				n[k++] = n[j];
		n[k] = '\0';
		bool dup = false;
		for (size_t j = 0; j < nt; j++)
			if (!strcmp(tok[j], n))
				dup = true;
		if (k >= 5 && !dup)
			tok[nt++] = tsgi_arena_strdup(l->b->a, n);
		free(n);
		if ((!empty && !norm[i]) || (k >= 5 && !dup && !tok[nt - 1]))
			return false;
	}
	br->norm_names = norm;
	br->host_tokens = tok;
	br->nhost_tokens = nt;
	return true;
}

static bool load_brand(struct loader *l, json_t *o, size_t index)
{
	tsgi_brand br = {0};
	char idbuf[32];
	snprintf(idbuf, sizeof idbuf, "#%zu", index + 1);
	br.id = sdup(l, o, "id");
	l->id = br.id ? br.id : idbuf;
	{
		size_t p = find_key(l->raw, l->from, l->to, "id");
		l->line = line_at(l->raw, p == (size_t)-1 ? l->from : p);
	}
	const char *key;
	json_t *val;
	json_object_foreach(o, key, val)
	{
		if (!in_list(key, k_brand_keys, sizeof k_brand_keys / sizeof *k_brand_keys))
			lerr(l, kline(l, key), "unknown field '%s'", key);
	}
	if (!br.id)
		lerr(l, l->line, "missing 'id'");
	else {
		for (const char *p = br.id; *p; p++)
			if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
			      *p == '_')) {
				lerr(l, l->line, "'id' must be lower-case [a-z0-9_]");
				break;
			}
		const tsgi_brand *prev = tsgi_brands_find(l->b, br.id);
		if (prev)
			lerr(l, l->line, "duplicate id (first at line %d)", prev->line);
	}
	br.display = sdup(l, o, "name");
	if (!br.display)
		lerr(l, l->line, "missing 'name' (the display name)");
	br.kind = sdup(l, o, "kind");
	if (!br.kind || (strcmp(br.kind, "company") && strcmp(br.kind, "agency")))
		lerr(l, kline(l, "kind"), "'kind' must be \"company\" or \"agency\"");
	br.category = sdup(l, o, "category");
	if (!br.category)
		br.category = "tech_support";
	else if (!in_list(br.category, k_categories,
	                  sizeof k_categories / sizeof *k_categories))
		lerr(l, kline(l, "category"),
		     "'category' must be tech_support, refund, account_alert, "
		     "government or other");

	size_t cap = 0;
	const char **names = NULL;
	size_t nn = 0;
	if (br.display && !tsgi_arena_grow(l->b->a, (void **)&names, &cap,
	                                   sizeof *names, 1))
		return false;
	/* The display name is matched too, unless it is too short to be
	 * matched safely ("HP"); then the names must spell it out. */
	if (br.display && strlen(br.display) >= 3)
		names[nn++] = br.display;
	json_t *jn = json_object_get(o, "names");
	if (!jn)
		lerr(l, l->line, "missing 'names' (an array per language)");
	else if (!json_is_object(jn))
		lerr(l, kline(l, "names"), "'names' must map a language to an array");
	for (int i = 0; jn && json_is_object(jn) && i < 4; i++)
		if (!add_strings(l, json_object_get(jn, k_langs[i]), &names, &nn, &cap,
		                 "names"))
			return false;
	if (jn && json_is_object(jn)) {
		json_object_foreach(jn, key, val)
		{
			if (!in_list(key, k_langs, 4))
				lerr(l, kline(l, key), "names: unknown language '%s'", key);
		}
	}
	if (!add_strings(l, json_object_get(o, "aliases"), &names, &nn, &cap,
	                 "aliases"))
		return false;
	br.names = names;
	br.nnames = nn;
	check_names(l, jn, &br);
	if (!derive_names(l, &br))
		return false;

	const char **doms = NULL;
	size_t nd = 0;
	cap = 0;
	if (!add_strings(l, json_object_get(o, "domains"), &doms, &nd, &cap,
	                 "domains"))
		return false;
	if (nd == 0)
		lerr(l, l->line, "no official 'domains'");
	br.domains = doms;
	br.ndomains = nd;
	const char **uh = NULL;
	size_t nu = 0;
	cap = 0;
	if (!add_strings(l, json_object_get(o, "user_content_hosts"), &uh, &nu,
	                 &cap, "user_content_hosts"))
		return false;
	br.user_hosts = uh;
	br.nuser_hosts = nu;
	check_domains(l, &br);

	br.help_url = sdup(l, o, "help_url");
	char host[256];
	if (!br.help_url || !url_host(br.help_url, host, sizeof host))
		lerr(l, kline(l, "help_url"), "'help_url' must be an https:// URL");
	else if (!tsgi_brand_owns_host(&br, host))
		lerr(l, vline(l, br.help_url),
		     "'help_url' host '%s' is not under an official domain", host);

	json_t *jp = json_object_get(o, "phones");
	const char **ph = NULL, **rg = NULL;
	size_t np = 0, capp = 0, capr = 0;
	if (jp && !json_is_object(jp))
		lerr(l, kline(l, "phones"), "'phones' must map a country code to an array");
	const char *cc;
	json_t *arr;
	if (jp && json_is_object(jp)) {
		json_object_foreach(jp, cc, arr)
		{
			size_t before = np;
			if (strlen(cc) != 2 || !isupper((unsigned char)cc[0]) ||
			    !isupper((unsigned char)cc[1]))
				lerr(l, kline(l, cc),
				     "phone country '%s' must be ISO 3166 (\"US\")", cc);
			if (!add_strings(l, arr, &ph, &np, &capp, "phones"))
				return false;
			const char *pre = calling_code(cc);
			for (size_t i = before; i < np; i++) {
				if (!valid_e164(ph[i]))
					lerr(l, vline(l, ph[i]),
					     "phone '%s' is not E.164 (+CC then 6-15 digits)",
					     ph[i]);
				else if (pre && strncmp(ph[i], pre, strlen(pre)))
					lerr(l, vline(l, ph[i]),
					     "phone '%s' is filed under %s but does not start "
					     "with %s",
					     ph[i], cc, pre);
				for (size_t j = 0; j < i; j++)
					if (!strcmp(ph[j], ph[i]))
						lerr(l, vline(l, ph[i]), "phone '%s' is listed twice",
						     ph[i]);
				if (!tsgi_arena_grow(l->b->a, (void **)&rg, &capr, sizeof *rg,
				                     i + 1))
					return false;
				rg[i] = tsgi_arena_strdup(l->b->a, cc);
			}
		}
	}
	br.phones = ph;
	br.phone_regions = rg;
	br.nphones = np;

	json_t *pol = json_object_get(o, "policy");
	if (!pol)
		lerr(l, l->line, "missing 'policy'");
	else if (!json_is_object(pol))
		lerr(l, kline(l, "policy"), "'policy' must be an object");
	else {
		json_object_foreach(pol, key, val)
		{
			if (!in_list(key, k_policy_keys,
			             sizeof k_policy_keys / sizeof *k_policy_keys))
				lerr(l, kline(l, key), "policy: unknown key '%s'", key);
			else if (!json_is_boolean(val))
				lerr(l, kline(l, key), "policy: '%s' must be true or false",
				     key);
		}
	}
	if (json_is_true(json_object_get(pol, "never_initiates_contact")))
		br.policy |= TSGI_POLICY_NEVER_INITIATES;
	if (json_is_true(json_object_get(pol, "remote_access_only_if_requested")))
		br.policy |= TSGI_POLICY_NO_REMOTE;
	if (json_is_true(json_object_get(pol, "never_gift_cards_or_crypto")))
		br.policy |= TSGI_POLICY_NO_GIFT_CRYPTO;

	json_t *adv = json_object_get(o, "advice");
	if (adv && !json_is_object(adv))
		lerr(l, kline(l, "advice"), "'advice' must map a language to a text");
	for (int i = 0; i < 4; i++)
		br.advice[i] = json_is_object(adv) ? sdup(l, adv, k_langs[i]) : NULL;
	for (int i = 0; i < 4; i++) {
		if (!br.advice[i]) {
			lerr(l, json_is_object(adv) ? kline(l, "advice") : l->line,
			     "missing advice in '%s' (advice.%s)", k_langs[i], k_langs[i]);
			continue;
		}
		/* Advice must name the real channel. */
		bool names_channel = br.help_url && strstr(br.advice[i], br.help_url);
		for (size_t j = 0; !names_channel && j < br.ndomains; j++)
			names_channel = strstr(br.advice[i], br.domains[j]) != NULL;
		for (size_t j = 0; !names_channel && j < br.nphones; j++)
			names_channel = strstr(br.advice[i], br.phones[j]) != NULL;
		if (!names_channel)
			lwarn(l, vline(l, br.advice[i]),
			      "advice.%s names neither the help URL nor an official "
			      "domain",
			      k_langs[i]);
	}
	br.line = l->line;
	if (l->b->n >= 4096)
		return true; /* more brands than spans kept; checked by the caller */
	if (!tsgi_arena_grow(l->b->a, (void **)&l->b->v, &l->b->cap, sizeof br,
	                     l->b->n + 1))
		return false;
	l->spans[2 * l->b->n] = l->from;
	l->spans[2 * l->b->n + 1] = l->to;
	l->b->v[l->b->n++] = br;
	return true;
}

/* Line of `v` inside brand `x`'s bytes (recorded while loading). */
static int vline_of(struct loader *l, const tsgi_brand *x, const char *v)
{
	size_t i = (size_t)(x - l->b->v);
	l->from = l->spans[2 * i];
	l->to = l->spans[2 * i + 1];
	l->line = x->line;
	return vline(l, v);
}

/* Checks across brands: a domain, phone or name claimed by two brands. */
static void check_registry(struct loader *l)
{
	tsgi_brands *b = l->b;
	for (size_t i = 0; i < b->n; i++) {
		tsgi_brand *x = &b->v[i];
		l->id = x->id;
		if (!x->id)
			continue;
		for (size_t j = 0; j < i; j++) {
			const tsgi_brand *y = &b->v[j];
			if (!y->id)
				continue;
			for (size_t p = 0; p < x->ndomains; p++)
				for (size_t q = 0; q < y->ndomains; q++) {
					if (!host_under(x->domains[p], y->domains[q]) &&
					    !host_under(y->domains[q], x->domains[p]))
						continue;
					l->line = x->line;
					lerr(l, vline_of(l, x, x->domains[p]),
					     "domain '%s' overlaps '%s' of brand '%s' (line %d)",
					     x->domains[p], y->domains[q], y->id, y->line);
				}
			for (size_t p = 0; p < x->nphones; p++)
				for (size_t q = 0; q < y->nphones; q++) {
					if (strcmp(x->phones[p], y->phones[q]))
						continue;
					lerr(l, vline_of(l, x, x->phones[p]),
					     "phone '%s' is also claimed by brand '%s' (line %d)",
					     x->phones[p], y->id, y->line);
				}
		}
	}
	/* Names compare after normalisation, as they are matched. */
	size_t total = 0;
	for (size_t i = 0; i < b->n; i++)
		total += b->v[i].nnames;
	char **norm = calloc(total ? total : 1, sizeof *norm);
	const char **names = calloc(total ? total : 1, sizeof *names);
	size_t *owner = calloc(total ? total : 1, sizeof *owner);
	if (!norm || !owner || !names)
		goto out;
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++)
		for (size_t j = 0; j < b->v[i].nnames; j++, k++) {
			norm[k] = tsgi_normalize_str(b->v[i].names[j]);
			names[k] = b->v[i].names[j];
			owner[k] = i;
		}
	for (size_t p = 0; p < total; p++)
		for (size_t q = 0; q < p; q++)
			if (norm[p] && norm[q] && owner[p] != owner[q] &&
			    !strcmp(norm[p], norm[q])) {
				l->id = b->v[owner[p]].id;
				lerr(l, vline_of(l, &b->v[owner[p]], names[p]),
				     "name '%s' is also a name of brand '%s' (line %d)",
				     norm[p], b->v[owner[q]].id, b->v[owner[q]].line);
			}
out:
	for (size_t i = 0; norm && i < total; i++)
		free(norm[i]);
	free(norm);
	free((void *)names);
	free(owner);
}

/* Reads at most TSG_MAX_DATA_FILE bytes of `path`. */
static char *read_file(const char *path, size_t *len, bool *too_big)
{
	*too_big = false;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(TSG_MAX_DATA_FILE + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	size_t n = fread(buf, 1, TSG_MAX_DATA_FILE + 1, f);
	bool err = ferror(f);
	fclose(f);
	if (err) {
		free(buf);
		return NULL;
	}
	if (n > TSG_MAX_DATA_FILE) {
		*too_big = true;
		n = TSG_MAX_DATA_FILE;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static bool load_free_mail(struct loader *l, json_t *root)
{
	json_t *fm = json_object_get(root, "free_mail_domains");
	if (!fm)
		return true;
	l->id = "(registry)";
	l->from = 0;
	l->to = l->rawlen;
	l->line = 0;
	size_t k = 0;
	if (!add_strings(l, fm, &l->b->free_mail, &l->b->nfree_mail, &l->b->capfree,
	                 "free_mail_domains"))
		return false;
	for (k = 0; k < l->b->nfree_mail; k++)
		if (!valid_domain(l->b->free_mail[k]))
			lerr(l, vline(l, l->b->free_mail[k]),
			     "free-mail domain '%s' is not a lower-case host name",
			     l->b->free_mail[k]);
	return true;
}

size_t tsgi_brands_load(const char *path, tsgi_brands **out, tsgi_errors *errs)
{
	struct loader l = {.errs = errs, .path = path};
	*out = NULL;
	size_t rawlen = 0;
	bool too_big = false;
	char *raw = read_file(path, &rawlen, &too_big);
	if (!raw) {
		tsgi_errors_add(errs, false, path, 0, "cannot read: %s", strerror(errno));
		return 1;
	}
	if (too_big) {
		tsgi_errors_add(errs, false, path, 0,
		                "larger than TSG_MAX_DATA_FILE (%u bytes)",
		                TSG_MAX_DATA_FILE);
		free(raw);
		return 1;
	}
	json_error_t jerr;
	json_t *root = json_loadb(raw, rawlen, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		tsgi_errors_add(errs, false, path, jerr.line, "%s", jerr.text);
		free(raw);
		return 1;
	}
	tsgi_brands *b = calloc(1, sizeof *b);
	if (b)
		b->a = tsgi_arena_new(TSG_MAX_DATA_FILE * 4u);
	size_t *starts = calloc(4096, sizeof *starts);
	l.spans = calloc(2 * 4096, sizeof *l.spans);
	if (!b || !b->a || !starts || !l.spans) {
		free(l.spans);
		if (b)
			tsgi_arena_free(b->a);
		free(b);
		free(starts);
		free(raw);
		json_decref(root);
		tsgi_errors_add(errs, false, path, 0, "out of memory");
		return 1;
	}
	l.b = b;
	l.raw = raw;
	l.rawlen = rawlen;
	l.psl = (psl_ctx_t *)psl_builtin();
	json_t *arr = json_object_get(root, "brands");
	if (!json_is_object(root) || !json_is_array(arr)) {
		tsgi_errors_add(errs, false, path, 0, "top level needs a \"brands\" array");
		l.nerr++;
	} else if (!load_free_mail(&l, root)) {
		tsgi_errors_add(errs, false, path, 0, "out of memory");
		l.nerr++;
	} else {
		size_t nstarts = element_starts(raw, rawlen, starts, 4096);
		if (json_array_size(arr) > 4096) {
			tsgi_errors_add(errs, false, path, 0, "more than 4096 brands");
			l.nerr++;
		}
		size_t i;
		json_t *o;
		json_array_foreach(arr, i, o)
		{
			l.from = i < nstarts ? starts[i] : 0;
			l.to = i + 1 < nstarts ? starts[i + 1] : rawlen;
			if (!json_is_object(o)) {
				tsgi_errors_add(errs, false, path, line_at(raw, l.from),
				                "brands[%zu] is not an object", i);
				l.nerr++;
				continue;
			}
			if (!load_brand(&l, o, i)) {
				tsgi_errors_add(errs, false, path, 0, "out of memory");
				l.nerr++;
				break;
			}
		}
		check_registry(&l);
	}
	json_decref(root);
	free(starts);
	free(l.spans);
	free(raw);
	*out = b;
	return l.nerr;
}
