/*
 * store.c - the store interface: chooses a backend from the URL and
 * dispatches to it.
 */
#include "store.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "tsguard_limits.h"

const char *tsgi_store_default_url(const char *url)
{
	if (url && *url)
		return url;
	const char *env = getenv("TSGUARD_DB");
	if (env && *env)
		return env;
	return "sqlite:./tsguard.db";
}

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

tsg_status tsgi_store_open(const char *url, tsgi_store **out, char *err,
                           size_t errlen)
{
	*out = NULL;
	url = tsgi_store_default_url(url);
	if (strlen(url) >= TSG_MAX_DB_URL) {
		snprintf(err, errlen, "database URL longer than %u bytes",
		         TSG_MAX_DB_URL);
		return TSG_ELIMIT;
	}
	if (has_prefix(url, "sqlite:")) {
		const char *path = url + 7;
		/* sqlite:///abs/path and sqlite://rel are accepted too. */
		if (has_prefix(path, "//"))
			path += 2;
		if (!*path) {
			snprintf(err, errlen, "sqlite: needs a path (sqlite:./tsguard.db)");
			return TSG_EINVAL;
		}
		return tsgi_store_sqlite_open(path, out, err, errlen);
	}
	if (has_prefix(url, "postgresql://") || has_prefix(url, "postgres://") ||
	    strchr(url, '=') != NULL)
		return tsgi_store_pg_open(url, out, err, errlen);
	snprintf(err, errlen,
	         "unknown database '%s' (use sqlite:PATH or postgresql://...)", url);
	return TSG_EINVAL;
}

void tsgi_store_close(tsgi_store *s)
{
	if (s)
		s->ops->close(s);
}

const char *tsgi_store_backend(const tsgi_store *s)
{
	return s->ops->name;
}

const char *tsgi_store_errmsg(const tsgi_store *s)
{
	return s ? s->errmsg : "";
}

void tsgi_store_seterr(tsgi_store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
	va_end(ap);
}

void tsgi_store_vkey(int kind, const char *value, char *out, size_t cap)
{
	size_t i = 0;
	bool fold = kind != TSG_IND_BTC && kind != TSG_IND_TRON;
	if (!cap)
		return;
	for (; value[i] && i + 1 < cap; i++)
		out[i] = fold ? (char)tolower((unsigned char)value[i]) : value[i];
	out[i] = '\0';
}

/* Every operation first lets the backend make its handle usable. */
#define READY(s)                                                       \
	do {                                                           \
		tsg_status rst_ = (s)->ops->ready ? (s)->ops->ready(s) : TSG_OK; \
		if (rst_ != TSG_OK)                                    \
			return rst_;                                   \
	} while (0)

tsg_status tsgi_store_add(tsgi_store *s, const tsgi_sreport *reps, size_t n,
                          size_t *added)
{
	*added = 0;
	if (n == 0)
		return TSG_OK;
	READY(s);
	return s->ops->add(s, reps, n, added);
}

tsg_status tsgi_store_count(tsgi_store *s, long long *n)
{
	READY(s);
	return s->ops->count(s, n);
}

tsg_status tsgi_store_each_report(tsgi_store *s, unsigned flags,
                                  const char *campaign, tsgi_report_cb cb,
                                  void *ctx)
{
	READY(s);
	return s->ops->each_report(s, flags, NULL, campaign, cb, ctx);
}

tsg_status tsgi_store_each_indicator(tsgi_store *s, tsgi_ind_cb cb, void *ctx)
{
	READY(s);
	return s->ops->each_indicator(s, cb, ctx);
}

struct get_ctx {
	tsgi_report_cb cb;
	void *ctx;
	bool found;
};

static int get_cb(void *ctx, const tsgi_sreport *r)
{
	struct get_ctx *g = ctx;
	g->found = true;
	return g->cb(g->ctx, r);
}

tsg_status tsgi_store_get(tsgi_store *s, const char *id, tsgi_report_cb cb,
                          void *ctx)
{
	READY(s);
	struct get_ctx g = {cb, ctx, false};
	tsg_status st = s->ops->each_report(s, TSGI_READ_CONTENT | TSGI_READ_RAW,
	                                    id, NULL, get_cb, &g);
	if (st == TSG_OK && !g.found) {
		tsgi_store_seterr(s, "no report with id '%s'", id);
		return TSG_ENOTFOUND;
	}
	return st;
}

tsg_status tsgi_store_save_assign(tsgi_store *s, const tsgi_assign *a,
                                  size_t n, bool replace_all,
                                  const char *const *hubs, size_t n_hubs)
{
	READY(s);
	return s->ops->save_assign(s, a, n, replace_all, hubs, n_hubs);
}

tsg_status tsgi_store_each_hub(tsgi_store *s, tsgi_str_cb cb, void *ctx)
{
	READY(s);
	return s->ops->each_hub(s, cb, ctx);
}

tsg_status tsgi_store_lookup(tsgi_store *s, const char *const *keys, size_t n,
                             tsgi_lookup_cb cb, void *ctx)
{
	if (n == 0)
		return TSG_OK;
	READY(s);
	return s->ops->lookup(s, keys, n, cb, ctx);
}

tsg_status tsgi_store_key_stats(tsgi_store *s, const char *key,
                                tsgi_key_stats *out)
{
	memset(out, 0, sizeof *out);
	READY(s);
	return s->ops->key_stats(s, key, out);
}

tsg_status tsgi_store_key_campaigns(tsgi_store *s, const char *key,
                                    size_t limit, tsgi_str_cb cb, void *ctx)
{
	READY(s);
	return s->ops->key_campaigns(s, key, limit, cb, ctx);
}

tsg_status tsgi_store_wipe(tsgi_store *s)
{
	READY(s);
	return s->ops->wipe(s);
}
