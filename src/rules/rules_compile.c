/*
 * rules_compile.c - every pattern of every rule into one Hyperscan database
 * with start-of-match reporting, so that one pass over the text finds all
 * evidence with its exact span.
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>
#include <unistd.h>

#include "../text/normalize.h"
#include "rules_int.h"
#include "tsguard_limits.h"

void tsgi_ruleset_release_db(tsgi_ruleset *rs)
{
	if (rs->scratch)
		hs_free_scratch(rs->scratch);
	if (rs->db)
		hs_free_database(rs->db);
	if (rs->prefilter)
		hs_free_database(rs->prefilter);
	rs->scratch = NULL;
	rs->db = NULL;
	rs->prefilter = NULL;
}

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Digits and signs written for letters to slip a name past filters
 * ("Micros0ft", "PayPa1", "@pple"), for the letters of words of
 * LEET_MIN_WORD letters or more: shorter names ("bt", "ups") would match
 * ordinary tokens such as "b7". */
#define LEET_MIN_WORD 5u
static const char *leet_class(char c)
{
	switch (c) {
	case 'a': return "[a4@]";
	case 'e': return "[e3]";
	case 'i': return "[i1]";
	case 'l': return "[l1]";
	case 'o': return "[o0]";
	case 's': return "[s5$]";
	case 't': return "[t7]";
	default: return NULL;
	}
}

/* Escapes a normalised brand name into a regex with word boundaries where
 * the name begins or ends with a word character; letters of long words
 * also accept their look-alike digits (leet_class). */
static char *literal_regex(tsgi_arena *a, const char *lit)
{
	size_t n = strlen(lit);
	char *out = tsgi_arena_alloc(a, n * 8 + 8);
	if (!out)
		return NULL;
	size_t k = 0;
	if (n && word_char(lit[0])) {
		out[k++] = '\\';
		out[k++] = 'b';
	}
	for (size_t i = 0, word = 0; i < n; i++) {
		char c = lit[i];
		if (c == ' ') {
			memcpy(out + k, "[ -]?", 5); /* "geek squad", "geeksquad" */
			k += 5;
			continue;
		}
		if (i == 0 || !(lit[i - 1] >= 'a' && lit[i - 1] <= 'z')) {
			/* a word starts: how many letters has it? */
			word = 0;
			while (lit[i + word] >= 'a' && lit[i + word] <= 'z')
				word++;
		}
		const char *cls = word >= LEET_MIN_WORD ? leet_class(c) : NULL;
		if (cls) {
			memcpy(out + k, cls, strlen(cls));
			k += strlen(cls);
			continue;
		}
		if (!word_char(c) && (unsigned char)c < 0x80)
			out[k++] = '\\';
		out[k++] = c;
	}
	if (n && word_char(lit[n - 1])) {
		out[k++] = '\\';
		out[k++] = 'b';
	}
	out[k] = '\0';
	return out;
}

bool tsgi_ruleset_add_brand(tsgi_ruleset *rs, const char *brand,
                            const char *const *names, size_t n)
{
	char id[160];
	snprintf(id, sizeof id, "brand.%s", brand);
	tsgi_rule r = {0};
	r.id = tsgi_arena_strdup(rs->a, id);
	r.file = "brands";
	r.category = "any";
	r.langs = TSGI_LANG_ANY;
	r.brand = tsgi_arena_strdup(rs->a, brand);
	r.pat_first = (int)rs->npats;
	r.root = -1;
	size_t cap_expr = 0;
	for (size_t i = 0; i < n && r.pat_count < (int)TSG_MAX_PATTERNS_PER_RULE;
	     i++) {
		char *norm = tsgi_normalize_str(names[i]);
		if (!norm)
			return false;
		/* Non-ASCII names (after folding) cannot be patterns; skip. */
		bool ascii = norm[0] != '\0';
		for (const char *c = norm; *c; c++)
			if ((unsigned char)*c >= 0x80)
				ascii = false;
		char *re = ascii ? literal_regex(rs->a, norm) : NULL;
		free(norm);
		if (!ascii)
			continue;
		if (!re ||
		    !tsgi_arena_grow(rs->a, (void **)&rs->pats, &rs->cappats,
		                     sizeof(tsgi_pattern), rs->npats + 1) ||
		    !tsgi_arena_grow(rs->a, (void **)&r.expr, &cap_expr,
		                     sizeof(tsgi_expr), (size_t)r.nexpr + 2))
			return false;
		tsgi_pattern *pt = &rs->pats[rs->npats++];
		pt->name = "name";
		pt->regex = re;
		pt->rule = (int)rs->nrules;
		pt->line = 0;
		int leaf = r.nexpr++;
		r.expr[leaf] = (tsgi_expr){.kind = TSGI_E_PATTERN, .a = -1, .b = -1,
		                           .ref = r.pat_first + r.pat_count};
		r.pat_count++;
		if (r.root < 0) {
			r.root = leaf;
		} else {
			int o = r.nexpr++;
			r.expr[o] = (tsgi_expr){.kind = TSGI_E_OR, .a = r.root, .b = leaf};
			r.root = o;
		}
	}
	if (r.root < 0)
		return true; /* nothing matchable */
	if (!tsgi_arena_grow(rs->a, (void **)&rs->rules, &rs->caprules,
	                     sizeof(tsgi_rule), rs->nrules + 1))
		return false;
	rs->rules[rs->nrules++] = r;
	return true;
}

/*
 * The compiled database cache.
 *
 * Compiling a few hundred patterns with start-of-match tracking takes
 * seconds; loading a serialised database takes milliseconds.  The cache key
 * is a SHA-256 over the Hyperscan version, the platform and every
 * (pattern, flags, id), so any change to a rule file or to the library
 * makes a new entry.  Entries are written to a temporary file and renamed,
 * so concurrent processes never read a half-written one; a damaged entry
 * fails to deserialise and is simply recompiled.  The folder is
 * $TSGUARD_CACHE, else $XDG_CACHE_HOME/tsguard, else ~/.cache/tsguard;
 * TSGUARD_CACHE=off disables the cache.
 */
static bool cache_dir(char *out, size_t cap)
{
	const char *env = getenv("TSGUARD_CACHE");
	if (env && !strcmp(env, "off"))
		return false;
	if (env && *env)
		return snprintf(out, cap, "%s", env) < (int)cap;
	const char *xdg = getenv("XDG_CACHE_HOME");
	if (xdg && *xdg)
		return snprintf(out, cap, "%s/tsguard", xdg) < (int)cap;
	const char *home = getenv("HOME");
	if (home && *home)
		return snprintf(out, cap, "%s/.cache/tsguard", home) < (int)cap;
	return false;
}

static bool cache_key(const tsgi_ruleset *rs, const unsigned *flags, char *out,
                      size_t cap)
{
	GChecksum *h = g_checksum_new(G_CHECKSUM_SHA256);
	if (!h)
		return false;
	const char *ver = hs_version();
	g_checksum_update(h, (const guchar *)ver, (gssize)strlen(ver) + 1);
	hs_platform_info_t plat;
	if (hs_populate_platform(&plat) == HS_SUCCESS)
		g_checksum_update(h, (const guchar *)&plat, sizeof plat);
	for (size_t i = 0; i < rs->npats; i++) {
		g_checksum_update(h, (const guchar *)rs->pats[i].regex,
		                  (gssize)strlen(rs->pats[i].regex) + 1);
		g_checksum_update(h, (const guchar *)&flags[i], sizeof flags[i]);
	}
	int n = snprintf(out, cap, "%s", g_checksum_get_string(h));
	g_checksum_free(h);
	return n > 0 && (size_t)n < cap;
}

static hs_database_t *cache_load(const char *path)
{
	gchar *bytes = NULL;
	gsize len = 0;
	if (!g_file_get_contents(path, &bytes, &len, NULL))
		return NULL;
	hs_database_t *db = NULL;
	if (hs_deserialize_database(bytes, len, &db) != HS_SUCCESS)
		db = NULL;
	g_free(bytes);
	if (db)
		utime(path, NULL); /* used now: the last to be pruned */
	return db;
}

struct cached {
	char *path;
	time_t mtime;
};

static int newest_first(const void *x, const void *y)
{
	const struct cached *a = x, *b = y;
	return (a->mtime < b->mtime) - (a->mtime > b->mtime);
}

/* Deletes the least recently used databases of the cache folder beyond
 * TSG_HS_CACHE_KEEP (every rule set, test or edit leaves one behind).
 * Best effort: a file another process removed or cannot be read is
 * skipped. */
static void cache_prune(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	if (!d)
		return;
	struct cached *v = NULL;
	size_t n = 0, cap = 0;
	for (const char *name; (name = g_dir_read_name(d));) {
		struct stat st;
		if (!g_str_has_suffix(name, ".hsdb"))
			continue;
		char *path = g_build_filename(dir, name, NULL);
		if (stat(path, &st) != 0 || n == SIZE_MAX / sizeof *v / 2) {
			g_free(path);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			struct cached *nv = realloc(v, cap * sizeof *v);
			if (!nv) {
				g_free(path);
				break;
			}
			v = nv;
		}
		v[n++] = (struct cached){path, st.st_mtime};
	}
	g_dir_close(d);
	if (n > TSG_HS_CACHE_KEEP)
		qsort(v, n, sizeof *v, newest_first);
	for (size_t i = 0; i < n; i++) {
		if (i >= TSG_HS_CACHE_KEEP)
			unlink(v[i].path);
		g_free(v[i].path);
	}
	free(v);
}

static void cache_store(const char *dir, const char *path, const hs_database_t *db)
{
	char *bytes = NULL;
	size_t len = 0;
	if (g_mkdir_with_parents(dir, 0700) != 0 ||
	    hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
		return;
	char tmp[4300];
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	if (g_file_set_contents(tmp, bytes, (gssize)len, NULL) &&
	    rename(tmp, path) == 0)
		cache_prune(dir);
	unlink(tmp);
	free(bytes);
}

/* Compiles every pattern with the Hyperscan flags `mode` into *out, or
 * loads the same database from the cache.  Errors name file:line; returns
 * their number. */
static size_t compile_db(const tsgi_ruleset *rs, unsigned mode,
                         hs_database_t **out, tsgi_errors *errs)
{
	*out = NULL;
	const char **exprs = malloc(rs->npats * sizeof *exprs);
	unsigned *flags = malloc(rs->npats * sizeof *flags);
	unsigned *ids = malloc(rs->npats * sizeof *ids);
	size_t nerr = 0;
	if (!exprs || !flags || !ids) {
		tsgi_errors_add(errs, false, "rules", 0, "out of memory");
		nerr = 1;
		goto out;
	}
	for (size_t i = 0; i < rs->npats; i++) {
		exprs[i] = rs->pats[i].regex;
		flags[i] = mode;
		ids[i] = (unsigned)i;
	}
	char dir[4096], key[80], cpath[4200];
	bool cache = cache_dir(dir, sizeof dir) && cache_key(rs, flags, key, sizeof key);
	if (cache) {
		snprintf(cpath, sizeof cpath, "%s/%s.hsdb", dir, key);
		*out = cache_load(cpath);
		if (*out)
			goto out;
	}
	hs_compile_error_t *cerr = NULL;
	if (hs_compile_multi(exprs, flags, ids, (unsigned)rs->npats, HS_MODE_BLOCK,
	                     NULL, out, &cerr) != HS_SUCCESS) {
		int bad = cerr ? cerr->expression : -1;
		if (cerr)
			hs_free_compile_error(cerr);
		/* Find every bad pattern, not just the first. */
		for (size_t i = 0; i < rs->npats; i++) {
			hs_database_t *one = NULL;
			hs_compile_error_t *e1 = NULL;
			if (hs_compile(exprs[i], flags[i], HS_MODE_BLOCK, NULL, &one,
			               &e1) != HS_SUCCESS) {
				const tsgi_pattern *pt = &rs->pats[i];
				const tsgi_rule *r = &rs->rules[pt->rule];
				tsgi_errors_add(errs, false, r->file, pt->line,
				                "pattern '%s' of rule '%s': %s", pt->name, r->id,
				                e1 ? e1->message : "does not compile");
				nerr++;
			}
			if (e1)
				hs_free_compile_error(e1);
			if (one)
				hs_free_database(one);
		}
		if (nerr == 0) {
			tsgi_errors_add(errs, false, "rules", 0,
			                "the pattern set does not compile as a whole "
			                "(first failing pattern index %d)",
			                bad);
			nerr = 1;
		}
		goto out;
	}
	if (cache)
		cache_store(dir, cpath, *out);
out:
	free(exprs);
	free(flags);
	free(ids);
	return nerr;
}

/* Indexes of the rules with a brand (instrument false) or of the
 * `instrument` rules, in an arena array; NULL on ENOMEM. */
static int *rules_where(tsgi_ruleset *rs, bool instrument, size_t *n)
{
	int *v = tsgi_arena_calloc(rs->a, rs->nrules + 1, sizeof(int));
	*n = 0;
	for (size_t i = 0; v && i < rs->nrules; i++)
		if (instrument ? rs->rules[i].instrument : rs->rules[i].brand != NULL)
			v[(*n)++] = (int)i;
	return v;
}

size_t tsgi_ruleset_compile(tsgi_ruleset *rs, tsgi_errors *errs)
{
	tsgi_ruleset_release_db(rs);
	rs->brand_rules = rules_where(rs, false, &rs->nbrand_rules);
	rs->instrument_rules = rules_where(rs, true, &rs->ninstrument_rules);
	if (!rs->brand_rules || !rs->instrument_rules || !tsgi_ruleset_gate(rs)) {
		tsgi_errors_add(errs, false, "rules", 0, "out of memory");
		return 1;
	}
	if (rs->npats == 0) {
		tsgi_errors_add(errs, false, "rules", 0, "no patterns to compile");
		return 1;
	}
	size_t nerr = compile_db(rs, HS_FLAG_SOM_LEFTMOST, &rs->db, errs);
	if (nerr)
		return nerr;
	if (hs_alloc_scratch(rs->db, &rs->scratch) != HS_SUCCESS) {
		tsgi_errors_add(errs, false, "rules", 0, "cannot allocate scratch");
		return 1;
	}
	return 0;
}

bool tsgi_ruleset_prefilter(tsgi_ruleset *rs)
{
	if (!rs->db || rs->prefilter)
		return rs->db != NULL;
	tsgi_errors quiet = {0};
	size_t nerr = compile_db(rs, 0, &rs->prefilter, &quiet);
	tsgi_errors_free(&quiet);
	if (nerr || hs_alloc_scratch(rs->prefilter, &rs->scratch) != HS_SUCCESS) {
		if (rs->prefilter)
			hs_free_database(rs->prefilter);
		rs->prefilter = NULL;
		return false;
	}
	return true;
}
