/*
 * bench_patterns.c - what each pattern of the rule pack costs Hyperscan,
 * for rule authors.
 *
 *   bench_patterns [CORPUS.jsonl] [TOP]
 *
 * Builds the long text bench_scan uses (all transcripts and documentation
 * texts of the corpus train split joined), normalises it, compiles every
 * pattern of the engine's rule pack alone into its own database, once with
 * start of match (as the engine's full pass) and once without (as its
 * prefilter), and times each database over the text: the fastest of 3
 * passes, in CPU time of the thread.  Prints the TOP (default 15) costliest
 * patterns with start of match, their cost without it, and the sums.  One
 * pattern per database is not how the engine runs them (it scans all at
 * once, sharing the literal matching), but it shows which patterns are
 * expensive on their own.
 *
 * Then the pack as the engine compiles it, all patterns in one database,
 * and the same split by the shape of the patterns: plain words and
 * phrases; finite patterns (also classes, alternatives and optional parts);
 * patterns with repeats (`*`, `+`, `{m,n}`).  Each group is timed over the
 * same text with and without start of match, so a reader sees what the
 * pack's own matching costs before any other stage of a scan.  One more
 * row compiles the whole pack with every word boundary (`\b`) removed,
 * to show what the boundaries cost; its matches are not the engine's.
 * Figures, not assertions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>
#include <jansson.h>

#include "bench_corpus.h"
#include "bench_util.h"
#include "../src/core/arena.h"
#include "../src/core/engine_int.h"
#include "../src/rules/rules_int.h"
#include "../src/text/normalize.h"
#include "tsguard.h"
#include "tsguard_limits.h"

static int count(unsigned id, unsigned long long from, unsigned long long to,
                 unsigned flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	++*(size_t *)ctx;
	return 0;
}

/* Fastest of 3 passes of db over t, in seconds (-1 without a database or
 * scratch); frees db. */
static double fastest(hs_database_t *db, const tsgi_text *t, size_t *matches)
{
	hs_scratch_t *s = NULL;
	double best = -1;
	if (db && hs_alloc_scratch(db, &s) == HS_SUCCESS) {
		for (int r = 0; r < 3; r++) {
			*matches = 0;
			double t0 = bench_cpu_now();
			hs_scan(db, t->s, (unsigned)t->len, 0, s, count, matches);
			double d = bench_cpu_now() - t0;
			if (best < 0 || d < best)
				best = d;
		}
	}
	hs_free_scratch(s);
	hs_free_database(db);
	return best;
}

/* Fastest of 3 passes of `regex` alone over t, in seconds; -1 when it does
 * not compile alone with `flags`. */
static double cost(const char *regex, unsigned flags, const tsgi_text *t,
                   size_t *matches)
{
	hs_database_t *db = NULL;
	hs_compile_error_t *err = NULL;
	if (hs_compile(regex, flags, HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
		hs_free_compile_error(err);
		return -1;
	}
	return fastest(db, t, matches);
}

/* The shapes of the one-database figures; a pattern's is the first that
 * fits it.  SHAPE_ALL takes every pattern, SHAPE_NO_B every pattern
 * without its word boundaries. */
enum shape { SHAPE_WORDS, SHAPE_FINITE, SHAPE_REPEATS, SHAPE_ALL, SHAPE_NO_B };

/* A copy of `re` without its "\b" assertions (malloc'd), or NULL. */
static char *without_b(const char *re)
{
	char *c = malloc(strlen(re) + 1), *w = c;
	for (const char *p = re; c && *p; p++) {
		if (p[0] == '\\' && p[1] == 'b') {
			p++;
			continue;
		}
		if (p[0] == '\\' && p[1]) /* keep other escapes whole */
			*w++ = *p++;
		*w++ = *p;
	}
	if (c)
		*w = '\0';
	return c;
}

static enum shape shape_of(const char *re)
{
	enum shape sh = SHAPE_WORDS;
	for (const char *p = re; *p; p++) {
		if (*p == '\\') {
			if (!*++p)
				break;
			if (strchr("wWsSdD", *p))
				sh = SHAPE_FINITE; /* a class */
		} else if (*p == '*' || *p == '+' || *p == '{') {
			return SHAPE_REPEATS;
		} else if (strchr("[?|(.", *p)) {
			sh = SHAPE_FINITE;
		}
	}
	return sh;
}

/* The patterns of shape `want` (all with SHAPE_ALL or SHAPE_NO_B) in one
 * database with `flags`: fastest of 3 passes over t in seconds, their number in *n, the
 * matches in *matches; -1 when they do not compile together. */
static double cost_group(const tsgi_ruleset *rs, enum shape want,
                         unsigned flags, const tsgi_text *t, size_t *n,
                         size_t *matches)
{
	size_t np = tsgi_ruleset_pattern_count(rs);
	const char **ex = malloc(np * sizeof *ex);
	unsigned *fl = malloc(np * sizeof *fl), *ids = malloc(np * sizeof *ids);
	*n = 0;
	char **copies = want == SHAPE_NO_B ? calloc(np, sizeof *copies) : NULL;
	for (size_t i = 0; ex && fl && ids && i < np; i++) {
		const char *re = tsgi_ruleset_pattern(rs, i)->regex;
		if (want < SHAPE_ALL && shape_of(re) != want)
			continue;
		if (want == SHAPE_NO_B && copies && (copies[*n] = without_b(re)))
			re = copies[*n];
		ex[*n] = re;
		fl[*n] = flags;
		ids[*n] = (unsigned)*n;
		++*n;
	}
	hs_database_t *db = NULL;
	hs_compile_error_t *err = NULL;
	if (*n && hs_compile_multi(ex, fl, ids, (unsigned)*n, HS_MODE_BLOCK, NULL,
	                           &db, &err) != HS_SUCCESS) {
		hs_free_compile_error(err);
		db = NULL;
	}
	for (size_t i = 0; copies && i < *n; i++)
		free(copies[i]);
	free(copies);
	free(ex);
	free(fl);
	free(ids);
	return fastest(db, t, matches);
}

static void print_groups(const tsgi_ruleset *rs, const tsgi_text *t)
{
	static const char *const names[] = {"plain words", "finite", "repeats",
	                                    "the whole pack", "pack without \\b"};
	static const enum shape order[] = {SHAPE_ALL, SHAPE_NO_B, SHAPE_REPEATS,
	                                   SHAPE_FINITE, SHAPE_WORDS};
	printf("\none database per group, over the same text (fastest of 3):\n");
	printf("%-16s %8s %14s %14s %8s\n", "patterns", "count", "som MB/s",
	       "plain MB/s", "matches");
	for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
		enum shape g = order[k];
		size_t n = 0, m = 0, m2 = 0;
		double som = cost_group(rs, g, HS_FLAG_SOM_LEFTMOST, t, &n, &m);
		double plain = cost_group(rs, g, 0, t, &n, &m2);
		printf("%-16s %8zu %14.1f %14.1f %8zu\n", names[g], n,
		       som > 0 ? (double)t->len / som / 1e6 : 0,
		       plain > 0 ? (double)t->len / plain / 1e6 : 0, m);
	}
}

struct row {
	size_t pat, matches;
	double som, plain;
};

static int by_som(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return (x->som < y->som) - (x->som > y->som);
}

int main(int argc, char **argv)
{
	char def[4096];
	const char *src = getenv("TSGUARD_SRC");
	snprintf(def, sizeof def, "%s/../shared/corpus/train.jsonl", src ? src : ".");
	const char *path = argc > 1 ? argv[1] : def;
	size_t top = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 15;
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bench_patterns: cannot open %s\n", path);
		return 2;
	}
	char *text = malloc(TSG_MAX_INPUT), *line = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	while (text && (n = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)n, 0, NULL);
		bench_long_add(text, &len,
		               json_string_value(json_object_get(o, "channel")),
		               json_object_get(o, "content"));
		json_decref(o);
	}
	free(line);
	fclose(f);
	tsg_engine *e = NULL;
	if (!text || tsg_engine_open(NULL, &e) != TSG_OK) {
		fprintf(stderr, "bench_patterns: %s\n", tsg_engine_errmsg(e));
		return 2;
	}
	tsgi_arena *a = tsgi_arena_new(TSG_MAX_ARENA);
	tsgi_text t;
	if (!a || tsgi_normalize(a, text, len, &t) != TSG_OK)
		return 2;
	const tsgi_ruleset *rs = e->rules;
	size_t np = tsgi_ruleset_pattern_count(rs);
	struct row *v = calloc(np, sizeof *v);
	double sum_som = 0, sum_plain = 0;
	size_t refused = 0;
	for (size_t i = 0; v && i < np; i++) {
		const char *re = tsgi_ruleset_pattern(rs, i)->regex;
		size_t m = 0;
		v[i] = (struct row){.pat = i};
		v[i].som = cost(re, HS_FLAG_SOM_LEFTMOST, &t, &v[i].matches);
		v[i].plain = cost(re, 0, &t, &m);
		refused += v[i].som < 0;
		sum_som += v[i].som > 0 ? v[i].som : 0;
		sum_plain += v[i].plain > 0 ? v[i].plain : 0;
	}
	qsort(v, np, sizeof *v, by_som);
	printf("tsguard %s: %zu patterns, one per database, over %.1f MB of "
	       "normalised long text; fastest of 3 passes\n",
	       tsg_version(), np, (double)t.len / 1e6);
	printf("sum: %.1f ms with start of match, %.1f ms without%s\n",
	       sum_som * 1e3, sum_plain * 1e3,
	       refused ? " (some patterns do not compile alone)" : "");
	printf("%10s %10s %8s  rule/pattern\n", "som ms", "plain ms", "matches");
	for (size_t k = 0; k < top && k < np; k++) {
		const tsgi_pattern *p = tsgi_ruleset_pattern(rs, v[k].pat);
		printf("%10.2f %10.2f %8zu  %s/%s\n", v[k].som * 1e3, v[k].plain * 1e3,
		       v[k].matches, rs->rules[p->rule].id, p->name);
	}
	print_groups(rs, &t);
	free(v);
	free(text);
	tsgi_arena_free(a);
	tsg_engine_unref(e);
	return 0;
}
