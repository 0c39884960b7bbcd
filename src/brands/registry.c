/*
 * registry.c - loading data/brands.json with Jansson.
 *
 * Validation is strict because the registry decides what counts as
 * "official": a typo in a domain would let a scam through or flag the real
 * company.  Every problem is reported with the line of the brand object.
 */
#include "brands.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "tsguard_limits.h"

struct tsgi_brands {
	tsgi_arena *a;
	tsgi_brand *v;
	size_t n, cap;
};

static const char *const k_langs[4] = {"en", "es", "de", "fr"};

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
	for (size_t i = 0; b && i < b->n; i++)
		if (!strcmp(b->v[i].id, id))
			return &b->v[i];
	return NULL;
}

bool tsgi_brand_owns_host(const tsgi_brand *br, const char *host)
{
	size_t hl = strlen(host);
	for (size_t i = 0; i < br->ndomains; i++) {
		const char *d = br->domains[i];
		size_t dl = strlen(d);
		if (hl == dl && !strcmp(host, d))
			return true;
		if (hl > dl && host[hl - dl - 1] == '.' && !strcmp(host + hl - dl, d))
			return true;
	}
	return false;
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
	for (size_t i = 0; b && i < b->n; i++)
		for (size_t j = 0; j < b->v[i].nphones; j++)
			if (!strcmp(b->v[i].phones[j], e164))
				return &b->v[i];
	return NULL;
}

const char *tsgi_brand_advice(const tsgi_brand *br, const char *lang)
{
	for (int i = 0; i < 4; i++)
		if (lang && !strcmp(lang, k_langs[i]) && br->advice[i])
			return br->advice[i];
	return br->advice[0];
}

bool tsgi_brands_add_rules(const tsgi_brands *b, tsgi_ruleset *rs)
{
	for (size_t i = 0; b && i < b->n; i++)
		if (!tsgi_ruleset_add_brand(rs, b->v[i].id, b->v[i].names,
		                            b->v[i].nnames))
			return false;
	return true;
}

/* ---- loading ---------------------------------------------------------- */

struct loader {
	tsgi_brands *b;
	tsgi_errors *errs;
	const char *path;
	size_t nerr;
};

static void lerr(struct loader *l, int line, const char *id, const char *msg)
{
	tsgi_errors_add(l->errs, false, l->path, line, "brand '%s': %s",
	                id ? id : "?", msg);
	l->nerr++;
}

static int obj_line(json_t *o)
{
	(void)o;
	return 0;
}

/* Appends the strings of array `arr` to a growing list. */
static bool add_strings(struct loader *l, json_t *arr, const char ***v,
                        size_t *n, size_t *cap, const char *id,
                        const char *field, int line)
{
	if (!arr)
		return true;
	if (!json_is_array(arr)) {
		char m[160];
		snprintf(m, sizeof m, "'%s' must be an array of strings", field);
		lerr(l, line, id, m);
		return true;
	}
	size_t i;
	json_t *s;
	json_array_foreach(arr, i, s)
	{
		if (!json_is_string(s) || json_string_length(s) == 0) {
			char m[160];
			snprintf(m, sizeof m, "'%s' has an empty or non-string entry", field);
			lerr(l, line, id, m);
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
	if (!*d || strlen(d) > 253 || d[0] == '.' || !strchr(d, '.'))
		return false;
	for (const char *p = d; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
		      *p == '.' || *p == '-'))
			return false;
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

static const char *sdup(struct loader *l, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? tsgi_arena_strdup(l->b->a, json_string_value(v))
	                         : NULL;
}

static bool load_brand(struct loader *l, json_t *o, size_t index)
{
	tsgi_brand br = {0};
	int line = obj_line(o);
	char idbuf[32];
	snprintf(idbuf, sizeof idbuf, "#%zu", index + 1);
	br.id = sdup(l, o, "id");
	const char *id = br.id ? br.id : idbuf;
	if (!br.id)
		lerr(l, line, id, "missing 'id'");
	else {
		for (const char *p = br.id; *p; p++)
			if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
			      *p == '_')) {
				lerr(l, line, id, "'id' must be lower-case [a-z0-9_]");
				break;
			}
		if (tsgi_brands_find(l->b, br.id))
			lerr(l, line, id, "duplicate id");
	}
	br.display = sdup(l, o, "name");
	if (!br.display)
		lerr(l, line, id, "missing 'name' (the display name)");
	br.kind = sdup(l, o, "kind");
	if (!br.kind || (strcmp(br.kind, "company") && strcmp(br.kind, "agency")))
		lerr(l, line, id, "'kind' must be \"company\" or \"agency\"");
	br.category = sdup(l, o, "category");
	if (!br.category)
		br.category = "tech_support";
	br.help_url = sdup(l, o, "help_url");
	if (!br.help_url || strncmp(br.help_url, "https://", 8))
		lerr(l, line, id, "'help_url' must be an https:// URL");

	size_t cap = 0;
	const char **names = NULL;
	size_t nn = 0;
	if (br.display && !tsgi_arena_grow(l->b->a, (void **)&names, &cap,
	                                   sizeof *names, 1))
		return false;
	if (br.display)
		names[nn++] = br.display;
	json_t *jn = json_object_get(o, "names");
	if (jn && !json_is_object(jn))
		lerr(l, line, id, "'names' must map a language to an array");
	for (int i = 0; jn && json_is_object(jn) && i < 4; i++)
		if (!add_strings(l, json_object_get(jn, k_langs[i]), &names, &nn, &cap,
		                 id, "names", line))
			return false;
	if (!add_strings(l, json_object_get(o, "aliases"), &names, &nn, &cap, id,
	                 "aliases", line))
		return false;
	br.names = names;
	br.nnames = nn;

	const char **doms = NULL;
	size_t nd = 0;
	cap = 0;
	if (!add_strings(l, json_object_get(o, "domains"), &doms, &nd, &cap, id,
	                 "domains", line))
		return false;
	for (size_t i = 0; i < nd; i++)
		if (!valid_domain(doms[i])) {
			char m[400];
			snprintf(m, sizeof m,
			         "domain '%s' is not a lower-case host name", doms[i]);
			lerr(l, line, id, m);
		}
	if (nd == 0)
		lerr(l, line, id, "no official 'domains'");
	br.domains = doms;
	br.ndomains = nd;

	json_t *jp = json_object_get(o, "phones");
	const char **ph = NULL, **rg = NULL;
	size_t np = 0, capp = 0, capr = 0;
	if (jp && !json_is_object(jp))
		lerr(l, line, id, "'phones' must map a country code to an array");
	const char *cc;
	json_t *arr;
	if (jp && json_is_object(jp)) {
		json_object_foreach(jp, cc, arr)
		{
			size_t before = np;
			if (strlen(cc) != 2 || !isupper((unsigned char)cc[0]) ||
			    !isupper((unsigned char)cc[1]))
				lerr(l, line, id, "phone country must be ISO 3166 (\"US\")");
			if (!add_strings(l, arr, &ph, &np, &capp, id, "phones", line))
				return false;
			for (size_t i = before; i < np; i++) {
				if (!valid_e164(ph[i])) {
					char m[300];
					snprintf(m, sizeof m, "phone '%s' is not E.164 (+CC...)",
					         ph[i]);
					lerr(l, line, id, m);
				}
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
	if (pol && !json_is_object(pol))
		lerr(l, line, id, "'policy' must be an object");
	if (json_is_true(json_object_get(pol, "never_initiates_contact")))
		br.policy |= TSGI_POLICY_NEVER_INITIATES;
	if (json_is_true(json_object_get(pol, "remote_access_only_if_requested")))
		br.policy |= TSGI_POLICY_NO_REMOTE;
	if (json_is_true(json_object_get(pol, "never_gift_cards_or_crypto")))
		br.policy |= TSGI_POLICY_NO_GIFT_CRYPTO;

	json_t *adv = json_object_get(o, "advice");
	for (int i = 0; i < 4; i++)
		br.advice[i] = json_is_object(adv) ? sdup(l, adv, k_langs[i]) : NULL;
	if (!br.advice[0])
		lerr(l, line, id, "missing English 'advice.en'");
	for (int i = 1; i < 4; i++)
		if (!br.advice[i]) {
			char m[120];
			snprintf(m, sizeof m, "missing 'advice.%s'", k_langs[i]);
			lerr(l, line, id, m);
		}
	br.line = line;
	if (!tsgi_arena_grow(l->b->a, (void **)&l->b->v, &l->b->cap, sizeof br,
	                     l->b->n + 1))
		return false;
	l->b->v[l->b->n++] = br;
	return true;
}

size_t tsgi_brands_load(const char *path, tsgi_brands **out, tsgi_errors *errs)
{
	struct loader l = {.errs = errs, .path = path};
	*out = NULL;
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		tsgi_errors_add(errs, false, path, jerr.line, "%s", jerr.text);
		return 1;
	}
	tsgi_brands *b = calloc(1, sizeof *b);
	if (b)
		b->a = tsgi_arena_new(TSG_MAX_DATA_FILE * 4u);
	if (!b || !b->a) {
		free(b);
		json_decref(root);
		tsgi_errors_add(errs, false, path, 0, "out of memory");
		return 1;
	}
	l.b = b;
	json_t *arr = json_object_get(root, "brands");
	if (!json_is_array(arr)) {
		tsgi_errors_add(errs, false, path, 0, "top level needs a \"brands\" array");
		l.nerr++;
	} else {
		size_t i;
		json_t *o;
		json_array_foreach(arr, i, o)
		{
			if (!json_is_object(o)) {
				tsgi_errors_add(errs, false, path, 0,
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
	}
	json_decref(root);
	*out = b;
	return l.nerr;
}
