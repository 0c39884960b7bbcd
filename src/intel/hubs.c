/*
 * hubs.c - which infrastructure links two reports (link keys), and which
 * never does (data/hubs.json, the brand registry).
 *
 * The rules, in order (docs/store.md explains each):
 *   - money amounts and gift-card brands never link: every victim pays
 *     the same 499.99 in the same Google Play cards;
 *   - official numbers and domains never link (the OFFICIAL flag from the
 *     extractor, or the registry): victims mention the real Microsoft;
 *   - a host on a shared platform (github.io, azurewebsites.net) links by
 *     its full host; on a path platform (sites.google.com, t.me) by host
 *     and first path segment; a short link by the whole URL;
 *   - listed hub domains (search engines, remote-tool vendors, exchanges)
 *     and free-mail domains never link as domains; a free-mail mailbox
 *     links as that mailbox;
 *   - everything else links by registrable domain (eTLD+1).
 */
#include <ctype.h>
#include <glib.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/engine_int.h"
#include "intel.h"
#include "tsguard_limits.h"

struct tsgi_hubs {
	GHashTable *free_mail, *shared, *path_platforms, *never;
};

long long tsgi_link_window(tsgi_link_class c)
{
	switch (c) {
	case TSGI_LINK_PHONE:
		return TSGI_WINDOW_PHONE;
	case TSGI_LINK_HOST:
		return TSGI_WINDOW_HOST;
	case TSGI_LINK_DOMAIN:
		return TSGI_WINDOW_DOMAIN;
	case TSGI_LINK_EMAIL:
		return TSGI_WINDOW_EMAIL;
	case TSGI_LINK_REMOTE:
		return TSGI_WINDOW_REMOTE;
	case TSGI_LINK_WALLET:
		return TSGI_WINDOW_WALLET;
	case TSGI_LINK_BANK:
		return TSGI_WINDOW_BANK;
	default:
		return 0;
	}
}

void tsgi_hubs_free(tsgi_hubs *h)
{
	if (!h)
		return;
	if (h->free_mail)
		g_hash_table_destroy(h->free_mail);
	if (h->shared)
		g_hash_table_destroy(h->shared);
	if (h->path_platforms)
		g_hash_table_destroy(h->path_platforms);
	if (h->never)
		g_hash_table_destroy(h->never);
	free(h);
}

static bool load_list(json_t *root, const char *key, GHashTable *set,
                      const char *path, char *err, size_t errlen)
{
	json_t *arr = json_object_get(root, key);
	if (!json_is_array(arr)) {
		snprintf(err, errlen, "%s: \"%s\" must be an array of host names", path,
		         key);
		return false;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > TSG_MAX_HOST) {
			snprintf(err, errlen, "%s: \"%s\"[%zu] is not a host name", path, key,
			         i);
			return false;
		}
		char *s = g_ascii_strdown(json_string_value(v), -1);
		g_hash_table_add(set, s);
	}
	return true;
}

tsg_status tsgi_hubs_load(const char *path, tsgi_hubs **out, char *err,
                          size_t errlen)
{
	*out = NULL;
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
		return TSG_EDATA;
	}
	tsgi_hubs *h = calloc(1, sizeof *h);
	if (!h) {
		json_decref(root);
		snprintf(err, errlen, "out of memory");
		return TSG_ENOMEM;
	}
	h->free_mail = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	h->shared = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	h->path_platforms =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	h->never = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (!json_is_object(root) ||
	    !load_list(root, "free_mail", h->free_mail, path, err, errlen) ||
	    !load_list(root, "shared_hosting", h->shared, path, err, errlen) ||
	    !load_list(root, "path_platforms", h->path_platforms, path, err,
	               errlen) ||
	    !load_list(root, "never_link", h->never, path, err, errlen)) {
		if (!json_is_object(root))
			snprintf(err, errlen, "%s: not a JSON object", path);
		json_decref(root);
		tsgi_hubs_free(h);
		return TSG_EDATA;
	}
	json_decref(root);
	*out = h;
	return TSG_OK;
}

tsg_status tsgi_hubs_load_engine(const tsg_engine *e, tsgi_hubs **out,
                                 char *err, size_t errlen)
{
	const char *dir = e && e->data_dir ? e->data_dir : tsgi_default_data_dir();
	char path[4096];
	snprintf(path, sizeof path, "%s/data/hubs.json", dir);
	return tsgi_hubs_load(path, out, err, errlen);
}

/* True when host or one of its parent domains is in set. */
static bool in_suffix_set(GHashTable *set, const char *host)
{
	for (const char *p = host; p && *p;) {
		if (g_hash_table_contains(set, p))
			return true;
		p = strchr(p, '.');
		if (p)
			p++;
	}
	return false;
}

/* The host of a URL value "scheme://host[:port]/path" (lower case), and
 * where its path starts. */
static bool url_host(const char *url, char *host, size_t cap, const char **path)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	const char *at = p;
	/* user:pass@ */
	for (const char *q = p; *q && *q != '/' && *q != '?' && *q != '#'; q++)
		if (*q == '@')
			at = q + 1;
	p = at;
	size_t n = 0;
	while (p[n] && p[n] != '/' && p[n] != ':' && p[n] != '?' && p[n] != '#')
		n++;
	if (n == 0 || n >= cap)
		return false;
	for (size_t i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)p[i]);
	host[n] = '\0';
	const char *q = p + n;
	while (*q && *q != '/' && *q != '?' && *q != '#')
		q++;
	*path = q;
	return true;
}

static tsgi_link_class put(char *out, size_t cap, tsgi_link_class c,
                           const char *prefix, const char *a, const char *b)
{
	int n = snprintf(out, cap, "%s%s%s", prefix, a, b ? b : "");
	if (n < 0 || (size_t)n >= cap) {
		out[0] = '\0';
		return TSGI_LINK_NONE;
	}
	return c;
}

static tsgi_link_class host_key(const tsgi_hubs *h, const tsgi_brands *b,
                                const char *host, const char *domain,
                                const char *path, bool shortener,
                                const char *url, char *out, size_t cap)
{
	if (shortener && url)
		return put(out, cap, TSGI_LINK_HOST, "url:", url, NULL);
	if (g_hash_table_contains(h->path_platforms, host)) {
		/* Link by host and the first path segment (/view/NAME counts as
		 * two). */
		char seg[512];
		size_t n = 0, segs = 0;
		const char *p = path;
		while (*p == '/' && n + 1 < sizeof seg && segs < 2) {
			size_t start = n;
			seg[n++] = *p++;
			while (*p && *p != '/' && *p != '?' && *p != '#' && n + 1 < sizeof seg)
				seg[n++] = (char)tolower((unsigned char)*p++);
			segs++;
			if (!(n - start == 5 && !memcmp(seg + start, "/view", 5)))
				break;
		}
		seg[n] = '\0';
		if (n <= 1)
			return TSGI_LINK_NONE; /* the platform's home page */
		return put(out, cap, TSGI_LINK_HOST, "host:", host, seg);
	}
	if (in_suffix_set(h->shared, host)) {
		/* The platform itself (github.io) links nothing. */
		if (g_hash_table_contains(h->shared, host))
			return TSGI_LINK_NONE;
		return put(out, cap, TSGI_LINK_HOST, "host:", host, NULL);
	}
	if (in_suffix_set(h->never, host) || in_suffix_set(h->free_mail, host))
		return TSGI_LINK_NONE;
	if (b && tsgi_brands_by_host(b, host))
		return TSGI_LINK_NONE;
	return put(out, cap, TSGI_LINK_DOMAIN, "domain:",
	           domain && *domain ? domain : host, NULL);
}

tsgi_link_class tsgi_link_key(const tsgi_hubs *h, const tsgi_brands *b,
                              const tsgi_sind *ind, char *out, size_t cap)
{
	out[0] = '\0';
	if (!ind->value || !*ind->value)
		return TSGI_LINK_NONE;
	if (ind->flags & TSG_IND_F_OFFICIAL)
		return TSGI_LINK_NONE;
	switch (ind->kind) {
	case TSG_IND_PHONE:
		if (b && tsgi_brands_by_phone(b, ind->value))
			return TSGI_LINK_NONE;
		return put(out, cap, TSGI_LINK_PHONE, "phone:", ind->value, NULL);
	case TSG_IND_URL: {
		char host[TSG_MAX_HOST + 1];
		const char *path = "";
		bool ok = url_host(ind->value, host, sizeof host, &path);
		if (!ok)
			path = "";
		if (ind->host && *ind->host) {
			size_t i = 0;
			for (; ind->host[i] && i < TSG_MAX_HOST; i++)
				host[i] = (char)tolower((unsigned char)ind->host[i]);
			host[i] = '\0';
		} else if (!ok) {
			return TSGI_LINK_NONE;
		}
		return host_key(h, b, host, ind->domain, path,
		                (ind->flags & TSG_IND_F_SHORTENER) != 0, ind->value, out,
		                cap);
	}
	case TSG_IND_DOMAIN: {
		char host[TSG_MAX_HOST + 1];
		size_t i = 0;
		const char *v = ind->host && *ind->host ? ind->host : ind->value;
		for (; v[i] && i < TSG_MAX_HOST; i++)
			host[i] = (char)tolower((unsigned char)v[i]);
		host[i] = '\0';
		return host_key(h, b, host, ind->domain, "", false, NULL, out, cap);
	}
	case TSG_IND_EMAIL: {
		const char *at = strrchr(ind->value, '@');
		if (!at || !at[1])
			return TSGI_LINK_NONE;
		char host[TSG_MAX_HOST + 1];
		size_t i = 0;
		for (const char *p = at + 1; *p && i < TSG_MAX_HOST; p++)
			host[i++] = (char)tolower((unsigned char)*p);
		host[i] = '\0';
		if (in_suffix_set(h->free_mail, host) || in_suffix_set(h->shared, host))
			return put(out, cap, TSGI_LINK_EMAIL, "email:", ind->value, NULL);
		if (in_suffix_set(h->never, host) || (b && tsgi_brands_by_host(b, host)))
			return TSGI_LINK_NONE;
		return put(out, cap, TSGI_LINK_DOMAIN, "domain:",
		           ind->domain && *ind->domain ? ind->domain : host, NULL);
	}
	case TSG_IND_REMOTE: {
		int n = snprintf(out, cap, "remote:%s:%s",
		                 ind->detail ? ind->detail : "any", ind->value);
		if (n < 0 || (size_t)n >= cap) {
			out[0] = '\0';
			return TSGI_LINK_NONE;
		}
		return TSGI_LINK_REMOTE;
	}
	case TSG_IND_BTC:
	case TSG_IND_TRON:
		return put(out, cap, TSGI_LINK_WALLET, "wallet:", ind->value, NULL);
	case TSG_IND_ETH: {
		tsgi_link_class c = put(out, cap, TSGI_LINK_WALLET, "wallet:", ind->value,
		                        NULL);
		for (char *p = out; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		return c;
	}
	case TSG_IND_IBAN:
		return put(out, cap, TSGI_LINK_BANK, "iban:", ind->value, NULL);
	case TSG_IND_PAYMENT: /* an account at a payment app */
		return put(out, cap, TSGI_LINK_BANK, "pay:", ind->value, NULL);
	default: /* money, gift cards */
		return TSGI_LINK_NONE;
	}
}
