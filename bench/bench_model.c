/*
 * bench_model.c - scan throughput with the model and without it, same run.
 *
 *   bench_model [CORPUS.jsonl] [MODEL.tsgm] [RUNS]
 *
 * Loads every record of the corpus file (default ../shared/corpus/test.jsonl
 * from the project root; emails and pages read from their paths) into
 * memory, opens two engines on the same rules, one without a model and one
 * with MODEL (default data/model.tsgm), and times single-thread passes of
 * tsg_scan_run over each channel's records, alternating the two engines.
 * Times are the thread's CPU time, so that other processes on a shared
 * machine do not land in one engine's passes.  Prints the median of RUNS
 * runs (default 5) and the model's cost as a share of throughput.
 * Figures, not assertions.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "../src/core/record.h"
#include "tsguard.h"

struct recs {
	tsgi_record *v;
	size_t n, cap, bytes;
};

/* One pass, in CPU time of this thread: the figure compares two engines
 * run one after the other, and wall time would also count the time other
 * processes on a shared machine take the core away. */
static double pass(tsg_scan *s, const struct recs *r, tsg_channel ch)
{
	double t0 = bench_cpu_now();
	for (size_t i = 0; i < r->n; i++) {
		if (ch != TSG_CHANNEL_AUTO && r->v[i].in.channel != ch)
			continue;
		const tsg_verdict *v;
		tsg_scan_run(s, &r->v[i].in, &v);
	}
	return bench_cpu_now() - t0;
}

int main(int argc, char **argv)
{
	const char *src = getenv("TSGUARD_SRC") ? getenv("TSGUARD_SRC") : ".";
	char defc[4096], defm[4096];
	snprintf(defc, sizeof defc, "%s/../shared/corpus/test.jsonl", src);
	snprintf(defm, sizeof defm, "%s/data/model.tsgm", src);
	const char *path = argc > 1 ? argv[1] : defc;
	const char *model = argc > 2 ? argv[2] : defm;
	int runs = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 5;
	if (runs < 1 || runs > 31)
		runs = 5;
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bench_model: cannot open %s (no corpus)\n", path);
		return 77;
	}
	char *pc = strdup(path);
	const char *base = dirname(pc);
	struct recs r = {0};
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (r.n == r.cap) {
			r.cap = r.cap ? r.cap * 2 : 1024;
			r.v = realloc(r.v, r.cap * sizeof *r.v);
			if (!r.v)
				return 2;
		}
		char err[256];
		if (tsgi_record_parse(line, (size_t)n, base, &r.v[r.n], err,
		                      sizeof err) == TSG_OK) {
			r.bytes += r.v[r.n].in.len;
			r.n++;
		} else {
			tsgi_record_free(&r.v[r.n]);
		}
	}
	free(line);
	fclose(f);

	tsg_engine *e0 = NULL, *e1 = NULL;
	tsg_engine_config c0 = {.model_path = ""}, c1 = {.model_path = model};
	if (tsg_engine_open(&c0, &e0) != TSG_OK ||
	    tsg_engine_open(&c1, &e1) != TSG_OK) {
		fprintf(stderr, "bench_model: %s%s\n", tsg_engine_errmsg(e0),
		        tsg_engine_errmsg(e1));
		return 2;
	}
	tsg_scan *s0 = tsg_scan_new(e0), *s1 = tsg_scan_new(e1);
	printf("tsguard %s, %zu records (%.1f MB), single thread, median of %d "
	       "runs\n",
	       tsg_version(), r.n, (double)r.bytes / 1e6, runs);
	printf("%-6s %8s %14s %14s %8s\n", "set", "msgs", "no model msg/s",
	       "model msg/s", "cost");
	static const tsg_channel chans[] = {TSG_CHANNEL_AUTO, TSG_CHANNEL_SMS,
	                                    TSG_CHANNEL_EMAIL, TSG_CHANNEL_CALL,
	                                    TSG_CHANNEL_WEB, TSG_CHANNEL_CHAT};
	for (size_t c = 0; c < sizeof chans / sizeof *chans; c++) {
		size_t k = 0;
		for (size_t i = 0; i < r.n; i++)
			k += chans[c] == TSG_CHANNEL_AUTO || r.v[i].in.channel == chans[c];
		if (!k)
			continue;
		double t0[32], t1[32];
		for (int i = 0; i < runs; i++) {
			t0[i] = pass(s0, &r, chans[c]);
			t1[i] = pass(s1, &r, chans[c]);
		}
		double m0 = bench_median(t0, runs), m1 = bench_median(t1, runs);
		printf("%-6s %8zu %14.0f %14.0f %7.1f%%\n",
		       chans[c] == TSG_CHANNEL_AUTO ? "all" : tsg_channel_name(chans[c]),
		       k, (double)k / m0, (double)k / m1, 100.0 * (1.0 - m0 / m1));
	}
	tsg_scan_free(s0);
	tsg_scan_free(s1);
	tsg_engine_unref(e0);
	tsg_engine_unref(e1);
	for (size_t i = 0; i < r.n; i++)
		tsgi_record_free(&r.v[i]);
	free(r.v);
	free(pc);
	return 0;
}
