/*
 * brands.h - the brand registry (data/brands.json, docs/brands.md).
 *
 * For each company or agency that scammers impersonate: its names in each
 * language, its official domains, support numbers and help URL, its contact
 * policy (what it never does), and advice text in each language.  The
 * registry is loaded once into the engine and is read-only afterwards.
 */
#ifndef TSGI_BRANDS_H
#define TSGI_BRANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "../rules/rules.h"

/* Contact-policy bits. */
#define TSGI_POLICY_NEVER_INITIATES 0x1u  /* never contacts you first       */
#define TSGI_POLICY_NO_REMOTE 0x2u        /* no remote access unless asked  */
#define TSGI_POLICY_NO_GIFT_CRYPTO 0x4u   /* never takes gift cards, crypto */

typedef struct tsgi_brand {
	const char *id;           /* "microsoft"                              */
	const char *display;      /* "Microsoft"                              */
	const char *kind;         /* "company" or "agency"                    */
	const char *category;     /* default scam category when impersonated  */
	const char *const *names; /* every name and alias, all languages      */
	size_t nnames;
	/* The names normalised as rules see text (normalize.h); NULL entries
	 * for names that normalise to nothing.  Same count as names. */
	const char *const *norm_names;
	/* Names reduced to letters and digits, 5 or more of them
	 * ("geeksquad", "bankofamerica"): a host containing one imitates the
	 * brand. */
	const char *const *host_tokens;
	size_t nhost_tokens;
	const char *const *domains; /* official registrable domains or hosts  */
	size_t ndomains;
	/* Hosts under an official domain where anyone can publish (a form,
	 * a shared document); never official (sites.google.com). */
	const char *const *user_hosts;
	size_t nuser_hosts;
	const char *const *phones;  /* official numbers, E.164                */
	const char *const *phone_regions; /* ISO country of each phone        */
	size_t nphones;
	const char *help_url;
	unsigned policy;            /* TSGI_POLICY_* bits                      */
	const char *advice[4];      /* en, es, de, fr (NULL falls back to en)  */
	int line;                   /* where it starts in the file             */
} tsgi_brand;

typedef struct tsgi_brands tsgi_brands;

/* Loads and validates the registry: the schema of each brand, then the
 * registry as a whole (a domain, phone or name claimed by two brands, a
 * free-mail or public-suffix domain listed as official).  Errors name the
 * line of the offending value or of the brand's "id".  Problems go to `errs` as file:line;
 * *out is set to a registry (possibly partial) unless memory failed.
 * Returns the number of errors added. */
size_t tsgi_brands_load(const char *path, tsgi_brands **out, tsgi_errors *errs);
void tsgi_brands_free(tsgi_brands *b);

size_t tsgi_brands_count(const tsgi_brands *b);
const tsgi_brand *tsgi_brands_at(const tsgi_brands *b, size_t i);
const tsgi_brand *tsgi_brands_find(const tsgi_brands *b, const char *id);

/* True when `domain` (a registrable domain or host) is a free-mail
 * provider listed in the registry's "free_mail_domains". */
bool tsgi_brands_is_free_mail(const tsgi_brands *b, const char *domain);

/* The brand whose official domain is `host` or a parent of it, or NULL. */
const tsgi_brand *tsgi_brands_by_host(const tsgi_brands *b, const char *host);

/* The brand that lists `e164` as an official number, or NULL. */
const tsgi_brand *tsgi_brands_by_phone(const tsgi_brands *b, const char *e164);

/* True when `host` is, or is under, one of `br`'s official domains and is
 * not one of its user-content hosts.  Case-sensitive: pass lower case. */
bool tsgi_brand_owns_host(const tsgi_brand *br, const char *host);

/* True when `host` is, or is under, one of `br`'s domains, user-content
 * hosts included: the organisation runs it, whoever wrote the page. */
bool tsgi_brand_runs_host(const tsgi_brand *br, const char *host);

/* Length of the part of `host` left of the brand domain it is under
 * ("microsoft-alert" of "microsoft-alert.azurewebsites.net"), 0 when it
 * is a domain itself, or strlen(host) when the brand does not run it. */
size_t tsgi_brand_host_prefix(const tsgi_brand *br, const char *host);

/* Advice in `lang` (en, es, de, fr), falling back to English. */
const char *tsgi_brand_advice(const tsgi_brand *br, const char *lang);

/* Adds one detection rule per brand to `rs` (see tsgi_ruleset_add_brand).
 * Returns false on ENOMEM. */
bool tsgi_brands_add_rules(const tsgi_brands *b, tsgi_ruleset *rs);

#endif
