/*
 * bench_scan.c - single-thread scan throughput, the way `scan --jsonl` does
 * it, against a baseline that only reads and parses the JSON lines.
 *
 *   bench_scan [CORPUS.jsonl] [RUNS]
 *
 * Reads the SMS and call-transcript records of the corpus (default:
 * ../shared/corpus/train.jsonl from the project root), keeps their JSON
 * lines in memory, and times per run:
 *   parse     tsgi_record_read only (the baseline)
 *   scan      parse + tsg_scan_run + verdict JSON
 * on SMS lines and on call lines, and on one long text (all transcripts and
 * documentation texts joined, cut to 16 MB) for MB/s.  For the long text
 * it also times stages alone, as the ceiling of the full scan:
 * normalisation (tsgi_normalize) and the rule pack's Hyperscan database
 * over the normalised text, with start of match and an empty callback,
 * then the same patterns without start of match (the prefilter database
 * run to the end).
 * For the SMS it times the two pattern passes alone over the normalised
 * texts: the prefilter (stopped at the first match) and the full database
 * with start of match, and counts the SMS the prefilter lets skip it.
 * Times are CPU time of the thread (one core's work, whatever else the
 * machine runs); prints the median of RUNS runs (default 5).  Figures,
 * not assertions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "bench_corpus.h"
#include "bench_util.h"
#include "../src/core/arena.h"
#include "../src/core/engine_int.h"
#include "../src/core/record.h"
#include "../src/rules/rules_int.h"
#include "../src/text/normalize.h"
#include "tsguard.h"
#include "tsguard_limits.h"

struct lines {
	char **v;
	size_t *len;
	size_t n, cap, bytes, content_bytes;
};

static void push(struct lines *l, const char *s, size_t n, size_t content)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		l->len = realloc(l->len, l->cap * sizeof *l->len);
		if (!l->v || !l->len)
			exit(1);
	}
	l->v[l->n] = strndup(s, n);
	l->len[l->n++] = n;
	l->bytes += n;
	l->content_bytes += content;
}

/* One timed pass; returns seconds. */
static double pass(tsg_scan *s, const struct lines *l, bool scan)
{
	double t0 = bench_cpu_now();
	size_t flagged = 0;
	for (size_t i = 0; i < l->n; i++) {
		tsgi_record r;
		char err[256];
		if (tsgi_record_read(l->v[i], l->len[i], NULL, &r, err, sizeof err) ==
		        TSG_OK &&
		    scan) {
			const tsg_verdict *v;
			if (tsg_scan_run(s, &r.in, &v) == TSG_OK) {
				char *js = tsg_verdict_json(v, TSG_JSON_COMPACT);
				flagged += v->cls != TSG_CLEAN;
				free(js);
			}
		}
		tsgi_record_free(&r);
	}
	double dt = bench_cpu_now() - t0;
	if (flagged > l->n)
		fprintf(stderr, "impossible\n");
	return dt;
}

static void report(const char *name, tsg_scan *s, const struct lines *l, int runs)
{
	double tp[32], ts[32];
	for (int r = 0; r < runs; r++) {
		tp[r] = pass(s, l, false);
		ts[r] = pass(s, l, true);
	}
	double mp = bench_median(tp, runs), ms = bench_median(ts, runs);
	printf("%-6s %7zu msgs %6.1f MB | parse only: %9.0f msg/s %7.1f MB/s | "
	       "scan: %9.0f msg/s %7.1f MB/s (%.2f us/msg)\n",
	       name, l->n, (double)l->bytes / 1e6, (double)l->n / mp,
	       (double)l->bytes / 1e6 / mp, (double)l->n / ms,
	       (double)l->bytes / 1e6 / ms, ms / (double)l->n * 1e6);
}

static int no_op(unsigned id, unsigned long long from, unsigned long long to,
                 unsigned flags, void *ctx)
{
	(void)id, (void)from, (void)to, (void)flags;
	(*(size_t *)ctx)++;
	return 0;
}

static int stop_at_first(unsigned id, unsigned long long from,
                         unsigned long long to, unsigned flags, void *ctx)
{
	(void)id, (void)from, (void)to, (void)flags;
	*(bool *)ctx = true;
	return 1;
}

/* Times the prefilter and the full database alone over the normalised
 * SMS texts; prints them per message and the share that matches nothing. */
static void sms_stages(const tsg_engine *e, const struct lines *texts, int runs)
{
	const tsgi_ruleset *rs = e->rules;
	tsgi_arena *a = tsgi_arena_new(TSG_MAX_ARENA);
	hs_scratch_t *scratch = NULL;
	tsgi_text *t = calloc(texts->n + 1, sizeof *t);
	if (!a || !t || !rs->prefilter ||
	    hs_clone_scratch(rs->scratch, &scratch) != HS_SUCCESS)
		exit(1);
	for (size_t i = 0; i < texts->n; i++)
		if (tsgi_normalize(a, texts->v[i], texts->len[i], &t[i]) != TSG_OK)
			exit(1);
	double tp[32], tf[32];
	size_t none = 0, matches = 0;
	for (int r = 0; r < runs; r++) {
		none = 0;
		double t0 = bench_cpu_now();
		for (size_t i = 0; i < texts->n; i++) {
			bool any = false;
			hs_scan(rs->prefilter, t[i].s, (unsigned)t[i].len, 0, scratch,
			        stop_at_first, &any);
			none += !any;
		}
		tp[r] = bench_cpu_now() - t0;
		t0 = bench_cpu_now();
		for (size_t i = 0; i < texts->n; i++)
			hs_scan(rs->db, t[i].s, (unsigned)t[i].len, 0, scratch, no_op,
			        &matches);
		tf[r] = bench_cpu_now() - t0;
	}
	size_t pre = 0;
	hs_database_size(rs->prefilter, &pre);
	printf("sms    stages alone: prefilter %.2f us/msg (database %.1f MB), full "
	       "pass %.2f us/msg; %.1f%% match no pattern\n",
	       bench_median(tp, runs) / (double)texts->n * 1e6, (double)pre / 1e6,
	       bench_median(tf, runs) / (double)texts->n * 1e6,
	       texts->n ? 100.0 * (double)none / (double)texts->n : 0.0);
	hs_free_scratch(scratch);
	free(t);
	tsgi_arena_free(a);
}

/* Times normalisation alone, the Hyperscan database alone (th) and the
 * same patterns without start of match (tp: the prefilter database, here
 * run over the whole text rather than stopped at the first match) on
 * `text`.  The last is the ceiling the rule pack sets on a scan, whatever
 * the rest of the pipeline costs. */
static size_t long_stages(const tsg_engine *e, const char *text, size_t len,
                          int runs, double *tn, double *th, double *tp)
{
	tsgi_arena *a = tsgi_arena_new(TSG_MAX_ARENA);
	const tsgi_ruleset *rs = e->rules;
	hs_scratch_t *scratch = NULL;
	if (!a || !rs->prefilter ||
	    hs_clone_scratch(rs->scratch, &scratch) != HS_SUCCESS)
		exit(1);
	size_t matches = 0;
	for (int r = 0; r < runs; r++) {
		tsgi_arena_reset(a);
		tsgi_text t;
		double t0 = bench_cpu_now();
		if (tsgi_normalize(a, text, len, &t) != TSG_OK)
			exit(1);
		tn[r] = bench_cpu_now() - t0;
		t0 = bench_cpu_now();
		matches = 0;
		hs_scan(rs->db, t.s, (unsigned)t.len, 0, scratch, no_op, &matches);
		th[r] = bench_cpu_now() - t0;
		size_t ignored = 0;
		t0 = bench_cpu_now();
		hs_scan(rs->prefilter, t.s, (unsigned)t.len, 0, scratch, no_op,
		        &ignored);
		tp[r] = bench_cpu_now() - t0;
	}
	hs_free_scratch(scratch);
	tsgi_arena_free(a);
	return matches;
}

int main(int argc, char **argv)
{
	char def[4096];
	const char *src = getenv("TSGUARD_SRC");
	snprintf(def, sizeof def, "%s/../shared/corpus/train.jsonl", src ? src : ".");
	const char *path = argc > 1 ? argv[1] : def;
	int runs = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
	if (runs < 1 || runs > 31)
		runs = 5;
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bench_scan: cannot open %s\n", path);
		return 2;
	}
	struct lines sms = {0}, call = {0}, smstext = {0};
	char *longtext = malloc(TSG_MAX_INPUT);
	size_t longlen = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)n, 0, NULL);
		const char *ch = json_string_value(json_object_get(o, "channel"));
		json_t *c = json_object_get(o, "content");
		if (ch && json_is_string(c)) {
			size_t cl = json_string_length(c);
			if (!strcmp(ch, "sms")) {
				push(&sms, line, (size_t)n - 1, cl);
				push(&smstext, json_string_value(c), cl, cl);
			}
			else if (!strcmp(ch, "call"))
				push(&call, line, (size_t)n - 1, cl);
			bench_long_add(longtext, &longlen, ch, c);
		}
		json_decref(o);
	}
	free(line);
	fclose(f);

	tsg_engine *e = NULL;
	if (tsg_engine_open(NULL, &e) != TSG_OK) {
		fprintf(stderr, "bench_scan: %s\n", tsg_engine_errmsg(e));
		return 2;
	}
	tsg_scan *s = tsg_scan_new(e);
	printf("tsguard %s, %zu rules, single thread, median of %d runs\n",
	       tsg_version(), tsg_engine_rule_count(e), runs);
	report("sms", s, &sms, runs);
	if (smstext.n)
		sms_stages(e, &smstext, runs);
	report("call", s, &call, runs);

	double tl[32];
	for (int r = 0; r < runs; r++) {
		tsg_input in = {.data = longtext, .len = longlen,
		                .channel = TSG_CHANNEL_TEXT};
		const tsg_verdict *v;
		double t0 = bench_cpu_now();
		tsg_scan_run(s, &in, &v);
		tl[r] = bench_cpu_now() - t0;
	}
	double ml = bench_median(tl, runs);
	double tn[32], th[32], tp[32];
	size_t nm = long_stages(e, longtext, longlen, runs, tn, th, tp);
	size_t dbsize = 0;
	hs_database_size(e->rules->db, &dbsize);
	printf("long   1 text of %.1f MB: %.1f MB/s | stages alone: normalise "
	       "%.1f MB/s, Hyperscan %.1f MB/s (database %.1f MB, %zu patterns, "
	       "%zu matches), without start of match %.1f MB/s\n",
	       (double)longlen / 1e6, (double)longlen / 1e6 / ml,
	       (double)longlen / 1e6 / bench_median(tn, runs),
	       (double)longlen / 1e6 / bench_median(th, runs), (double)dbsize / 1e6,
	       tsgi_ruleset_pattern_count(e->rules), nm,
	       (double)longlen / 1e6 / bench_median(tp, runs));
	tsg_scan_free(s);
	tsg_engine_unref(e);
	for (size_t i = 0; i < sms.n; i++)
		free(sms.v[i]);
	for (size_t i = 0; i < smstext.n; i++)
		free(smstext.v[i]);
	free(smstext.v);
	free(smstext.len);
	for (size_t i = 0; i < call.n; i++)
		free(call.v[i]);
	free(sms.v);
	free(sms.len);
	free(call.v);
	free(call.len);
	free(longtext);
	return 0;
}
