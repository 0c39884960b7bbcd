/*
 * bench_extract.c - what indicator extraction adds to scan time.
 *
 * usage: bench_extract [CORPUS.jsonl] [REPETITIONS]
 *
 * Reads the SMS and call-transcript records (the "content" field) of a
 * corpus file, by default $TSGUARD_SRC/../shared/corpus/train.jsonl, and
 * times over the whole set, in one run:
 *
 *   norm     the front half of a scan without extraction: channel parse
 *            and normalisation (internal calls, the same ones
 *            tsg_scan_extract makes);
 *   extract  the same plus tsgi_extract_all(), with the engine's brand
 *            registry and default region;
 *   scan     the public tsg_scan_run(): parse, normalise, extract, rules,
 *            policy, verdict.
 *
 * Extraction is switched off by calling the stages directly through the
 * internal headers rather than by a flag in the public tsg_input: the
 * library's behaviour stays the same for every caller, and the benchmark
 * alone knows how the pipeline is put together.  Each figure is the median
 * of REPETITIONS passes (default 7).  extraction = extract - norm; its share
 * of scan time is extraction / (scan - extraction), the target being under
 * 30%.  Prints figures only; it never fails on a slow result.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "tsguard.h"
#include "tsguard_limits.h"

#include "../src/channels/channel.h"
#include "../src/core/arena.h"
#include "../src/core/doc.h"
#include "../src/core/engine_int.h"
#include "../src/indicators/indicators.h"
#include "../src/text/normalize.h"

#define MAX_REPS 51

typedef struct record {
	char *text;
	size_t len;
	tsg_channel ch;
} record;

static record *load(const char *path, size_t *n, size_t *bytes)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	record *v = NULL;
	size_t cap = 0;
	*n = *bytes = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t got;
	while ((got = getline(&line, &lcap, f)) > 0) {
		json_error_t err;
		json_t *o = json_loadb(line, (size_t)got, 0, &err);
		if (!o)
			continue;
		const char *chs = json_string_value(json_object_get(o, "channel"));
		json_t *c = json_object_get(o, "content");
		if (chs && json_is_string(c) &&
		    (!strcmp(chs, "sms") || !strcmp(chs, "call"))) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 1024;
				record *nv = realloc(v, cap * sizeof *v);
				if (!nv)
					break;
				v = nv;
			}
			size_t len = json_string_length(c);
			char *t = malloc(len + 1);
			if (t) {
				memcpy(t, json_string_value(c), len + 1);
				v[*n].text = t;
				v[*n].len = len;
				v[*n].ch = !strcmp(chs, "sms") ? TSG_CHANNEL_SMS : TSG_CHANNEL_CALL;
				(*n)++;
				*bytes += len;
			}
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
	return v;
}

/* One pass over all records; extract selects the indicator stage. */
static double pass_front(tsg_engine *e, tsgi_arena *a, const record *r, size_t n,
                         bool extract, size_t *nind)
{
	double t0 = bench_now();
	*nind = 0;
	for (size_t i = 0; i < n; i++) {
		tsgi_arena_reset(a);
		tsg_input in = {.data = r[i].text, .len = r[i].len, .channel = r[i].ch};
		tsgi_doc doc;
		tsgi_text text;
		char err[256];
		tsgi_doc_init(&doc, r[i].ch);
		if (tsgi_channel_parse(a, &in, r[i].ch, &doc, err, sizeof err) != TSG_OK)
			continue;
		if (tsgi_normalize(a, doc.buf, doc.len, &text) != TSG_OK)
			continue;
		if (!extract)
			continue;
		tsgi_extract x = {
			.arena = a,
			.doc = &doc,
			.raw = doc.buf,
			.raw_len = doc.len,
			.text = &text,
			.region = e->default_region,
			.brands = e->brands,
		};
		tsgi_extract_all(&x);
		*nind += x.n;
	}
	return bench_now() - t0;
}

static const struct {
	const char *name;
	tsgi_extractor_fn fn;
} k_extractors[] = {
	/* the order of tsgi_extract_all() */
	{"urls", tsgi_extract_urls},     {"emails", tsgi_extract_emails},
	{"remote", tsgi_extract_remote}, {"crypto", tsgi_extract_crypto},
	{"iban", tsgi_extract_iban},     {"phones", tsgi_extract_phones},
	{"money", tsgi_extract_money},
};
#define NEXTRACTORS (sizeof k_extractors / sizeof *k_extractors)

/* One pass timing each extractor on its own (adds clock overhead, so it
 * is reported as a breakdown, not as the headline figure). */
static void pass_breakdown(tsg_engine *e, tsgi_arena *a, const record *r,
                           size_t n, double *t)
{
	for (size_t i = 0; i < n; i++) {
		tsgi_arena_reset(a);
		tsg_input in = {.data = r[i].text, .len = r[i].len, .channel = r[i].ch};
		tsgi_doc doc;
		tsgi_text text;
		char err[256];
		tsgi_doc_init(&doc, r[i].ch);
		if (tsgi_channel_parse(a, &in, r[i].ch, &doc, err, sizeof err) != TSG_OK ||
		    tsgi_normalize(a, doc.buf, doc.len, &text) != TSG_OK)
			continue;
		tsgi_extract x = {
			.arena = a,
			.doc = &doc,
			.raw = doc.buf,
			.raw_len = doc.len,
			.text = &text,
			.region = e->default_region,
			.brands = e->brands,
		};
		for (size_t k = 0; k < NEXTRACTORS && !x.oom; k++) {
			double t0 = bench_now();
			k_extractors[k].fn(&x);
			t[k] += bench_now() - t0;
		}
	}
}

static double pass_scan(tsg_scan *s, const record *r, size_t n)
{
	double t0 = bench_now();
	for (size_t i = 0; i < n; i++) {
		tsg_input in = {.data = r[i].text, .len = r[i].len, .channel = r[i].ch};
		const tsg_verdict *v;
		tsg_scan_run(s, &in, &v);
	}
	return bench_now() - t0;
}

int main(int argc, char **argv)
{
	char def[4096];
	const char *path = argc > 1 ? argv[1] : NULL;
	int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 7;
	if (reps < 1 || reps > MAX_REPS)
		reps = 7;
	if (!path) {
		const char *src = getenv("TSGUARD_SRC");
		snprintf(def, sizeof def, "%s/../shared/corpus/train.jsonl", src ? src : ".");
		path = def;
	}
	size_t n, bytes;
	record *r = load(path, &n, &bytes);
	if (!r || !n) {
		fprintf(stderr, "bench_extract: no sms/call records in %s\n", path);
		return 77;
	}
	tsg_engine_config cfg = {.data_dir = getenv("TSGUARD_DATA")};
	if (!cfg.data_dir)
		cfg.data_dir = getenv("TSGUARD_SRC");
	tsg_engine *e = NULL;
	if (tsg_engine_open(&cfg, &e) != TSG_OK) {
		fprintf(stderr, "bench_extract: %s\n", tsg_engine_errmsg(e));
		tsg_engine_unref(e);
		return 1;
	}
	tsg_scan *s = tsg_scan_new(e);
	tsgi_arena *a = tsgi_arena_new(TSG_MAX_ARENA);
	if (!s || !a)
		return 1;
	double tn[MAX_REPS], tx[MAX_REPS], ts[MAX_REPS];
	size_t nind = 0;
	/* warm-up: ICU and Hyperscan scratch, page faults */
	pass_front(e, a, r, n, true, &nind);
	pass_scan(s, r, n);
	for (int k = 0; k < reps; k++) {
		tn[k] = pass_front(e, a, r, n, false, &nind);
		tx[k] = pass_front(e, a, r, n, true, &nind);
		ts[k] = pass_scan(s, r, n);
	}
	double mn = bench_median(tn, reps), mx = bench_median(tx, reps), ms = bench_median(ts, reps);
	double ext = mx - mn;
	double mb = (double)bytes / 1e6;
	printf("corpus        %s\n", path);
	printf("records       %zu sms+call, %.2f MB, %zu indicators, median of %d\n",
	       n, mb, nind, reps);
	printf("norm          %8.1f ms  %7.1f MB/s  (parse + normalise)\n", mn * 1e3,
	       mb / mn);
	printf("extract       %8.1f ms  %7.1f MB/s  (parse + normalise + extract)\n",
	       mx * 1e3, mb / mx);
	printf("scan          %8.1f ms  %7.1f MB/s  (tsg_scan_run, full)\n", ms * 1e3,
	       mb / ms);
	printf("extraction    %8.1f ms  = %.1f%% of norm, adds %.1f%% to scan "
	       "without it (target < 30%%)\n",
	       ext * 1e3, 100.0 * ext / mn, 100.0 * ext / (ms - ext));
	double tb[NEXTRACTORS] = {0};
	pass_breakdown(e, a, r, n, tb);
	printf("by extractor ");
	for (size_t k = 0; k < NEXTRACTORS; k++)
		printf(" %s %.1f ms%s", k_extractors[k].name, tb[k] * 1e3,
		       k + 1 < NEXTRACTORS ? "," : "\n");
	tsgi_arena_free(a);
	tsg_scan_free(s);
	tsg_engine_unref(e);
	for (size_t i = 0; i < n; i++)
		free(r[i].text);
	free(r);
	return 0;
}
