/*
 * engine.c - compiling rules, the brand registry and the configuration into
 * one immutable, reference-counted engine.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/model.h"
#include "../policy/policy.h"
#include "../text/normalize.h"
#include "engine_int.h"

#ifndef TSG_DATADIR
#define TSG_DATADIR "/usr/local/share/tsguard"
#endif

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *tsgi_default_data_dir(void)
{
	const char *env = getenv("TSGUARD_DATA");
	if (env && *env)
		return env;
	if (is_dir(TSG_DATADIR "/rules"))
		return TSG_DATADIR;
#ifdef TSG_SOURCE_DIR
	return TSG_SOURCE_DIR;
#else
	return ".";
#endif
}

static void set_err(tsg_engine *e, tsg_status st, const tsgi_errors *errs,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void set_err(tsg_engine *e, tsg_status st, const tsgi_errors *errs,
                    const char *fmt, ...)
{
	e->status = st;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(e->errmsg, sizeof e->errmsg, fmt, ap);
	va_end(ap);
	size_t k = n > 0 ? (size_t)n : 0;
	for (size_t i = 0; errs && i < errs->n && k < sizeof e->errmsg - 2; i++) {
		if (!strncmp(strchr(errs->v[i], ' ') ? strchr(errs->v[i], ' ') + 1 : "",
		             "warning:", 8))
			continue;
		int m = snprintf(e->errmsg + k, sizeof e->errmsg - k, "\n%s", errs->v[i]);
		if (m < 0)
			break;
		k += (size_t)m;
	}
}

tsg_status tsg_engine_open(const tsg_engine_config *cfg, tsg_engine **out)
{
	*out = NULL;
	tsg_engine *e = calloc(1, sizeof *e);
	if (!e)
		return TSG_ENOMEM;
	atomic_init(&e->refs, 1);
	*out = e;
	if (tsgi_normalize_init() != TSG_OK) {
		set_err(e, TSG_EENGINE, NULL, "ICU initialisation failed");
		return e->status;
	}
	const char *dir = cfg && cfg->data_dir ? cfg->data_dir : tsgi_default_data_dir();
	e->data_dir = strdup(dir);
	if (!e->data_dir) {
		set_err(e, TSG_ENOMEM, NULL, "out of memory");
		return e->status;
	}
	char path[4096];
	tsgi_errors errs = {0};

	snprintf(path, sizeof path, "%s/data/tsguard.conf", dir);
	if (tsgi_config_load(path, &e->config, &errs)) {
		set_err(e, TSG_EDATA, &errs, "configuration has errors:");
		goto fail;
	}
	e->t_scam = tsgi_config_num(e->config, "threshold.scam", 0.7);
	e->t_suspicious = tsgi_config_num(e->config, "threshold.suspicious", 0.4);
	e->default_region = tsgi_config_str(e->config, "default_region", "US");
	if (!(e->t_suspicious > 0 && e->t_suspicious <= e->t_scam &&
	      e->t_scam <= 1)) {
		set_err(e, TSG_EDATA, NULL,
		        "%s: need 0 < threshold.suspicious <= threshold.scam <= 1", path);
		goto fail;
	}

	char cerr[256];
	if (!tsgi_model_conf_valid(e->config, cerr, sizeof cerr)) {
		set_err(e, TSG_EDATA, NULL, "%s/data/tsguard.conf: %s",
		        dir, cerr);
		goto fail;
	}

	snprintf(path, sizeof path, "%s/data/brands.json", dir);
	if (tsgi_brands_load(path, &e->brands, &errs)) {
		set_err(e, TSG_EDATA, &errs, "brand registry has errors:");
		goto fail;
	}

	e->rules = tsgi_ruleset_new();
	if (!e->rules || !tsgi_brands_add_rules(e->brands, e->rules)) {
		set_err(e, TSG_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	size_t nerr = 0;
	if (cfg && cfg->rule_paths) {
		for (size_t i = 0; cfg->rule_paths[i]; i++)
			nerr += tsgi_ruleset_load(e->rules, cfg->rule_paths[i], &errs);
	} else {
		snprintf(path, sizeof path, "%s/rules", dir);
		nerr += tsgi_ruleset_load(e->rules, path, &errs);
	}
	if (!nerr)
		nerr += tsgi_ruleset_compile(e->rules, &errs);
	if (!nerr)
		tsgi_ruleset_prefilter(e->rules); /* a speed-up: fine without */
	if (!nerr && !tsgi_policy_prepare(e)) {
		set_err(e, TSG_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	if (nerr) {
		set_err(e, TSG_ERULES, &errs, "%zu error%s in rules:", nerr,
		        nerr == 1 ? "" : "s");
		goto fail;
	}
	if (!tsgi_model_floor_valid(e, cfg && cfg->rule_paths, cerr,
	                            sizeof cerr)) {
		set_err(e, TSG_EDATA, NULL, "%s/data/tsguard.conf: %s", dir, cerr);
		goto fail;
	}

	const char *mp = cfg ? cfg->model_path : NULL;
	if (!mp) {
		snprintf(path, sizeof path, "%s/data/model.tsgm", dir);
		mp = access(path, R_OK) == 0 ? path : "";
	}
	if (*mp) {
		char merr[512] = "";
		tsg_status st = tsgi_model_load(mp, &e->model, merr, sizeof merr);
		if (st != TSG_OK) {
			set_err(e, st, NULL, "%s: %s", mp, merr);
			goto fail;
		}
		tsgi_model_prepare(e);
	}
	tsgi_errors_free(&errs);
	return TSG_OK;
fail:
	tsgi_errors_free(&errs);
	return e->status;
}

tsg_engine *tsg_engine_ref(tsg_engine *e)
{
	atomic_fetch_add(&e->refs, 1);
	return e;
}

void tsg_engine_unref(tsg_engine *e)
{
	if (!e || atomic_fetch_sub(&e->refs, 1) != 1)
		return;
	tsgi_model_free(e->model);
	free(e->policy_lists);
	tsgi_ruleset_free(e->rules);
	tsgi_brands_free(e->brands);
	tsgi_config_free(e->config);
	free(e->data_dir);
	free(e);
}

const char *tsg_engine_errmsg(const tsg_engine *e)
{
	return e ? e->errmsg : "out of memory";
}

size_t tsg_engine_rule_count(const tsg_engine *e)
{
	return e && e->status == TSG_OK && e->rules ? tsgi_ruleset_count(e->rules)
	                                           : 0;
}
