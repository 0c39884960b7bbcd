/*
 * bench_lookup - latency of `tsguard lookup` against a SQLite store.
 *
 *   bench_lookup [REPORTS] [LOOKUPS]   (default 200000 reports, 20000 lookups)
 *
 * Fills a store in a temporary folder with a simulated world, clusters it,
 * then times tsgi_lookup() for known phone numbers written in other
 * formats, known domains and unknown values.  Prints the median and 99th
 * percentile per lookup, with a baseline in the same run: the same
 * indicator looked up by a full scan (no index) for a few values.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "../src/intel/intel.h"
#include "../tests/store/world.h"

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
	size_t nl = argc > 2 ? strtoul(argv[2], NULL, 10) : 20000;
	char dir[] = "/tmp/tsg-bench-XXXXXX";
	if (!mkdtemp(dir))
		return 2;
	char url[300], err[1024], dbpath[256];
	snprintf(dbpath, sizeof dbpath, "%s/bench.db", dir);
	snprintf(url, sizeof url, "sqlite:%s", dbpath);
	tsgi_store *s;
	if (tsgi_store_open(url, &s, err, sizeof err) != TSG_OK) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	world *w = world_make((int)(n / 67 > 30 ? n / 67 : 30), n, 3, false);
	double t0 = bench_now();
	for (size_t i = 0; i < w->n; i += 1000) {
		tsgi_sreport batch[1000];
		tsgi_sind inds[1000][WORLD_MAX_INDS];
		size_t m = 0;
		for (size_t j = i; j < w->n && m < 1000; j++, m++) {
			world_report *r = &w->r[j];
			for (int k = 0; k < r->ninds; k++)
				inds[m][k] = (tsgi_sind){
					.kind = r->inds[k].kind, .value = r->inds[k].value,
					.host = *r->inds[k].host ? r->inds[k].host : NULL,
					.domain = *r->inds[k].domain ? r->inds[k].domain : NULL,
					.detail = *r->inds[k].detail ? r->inds[k].detail : NULL,
					.flags = r->inds[k].flags, .start = -1, .end = -1};
			batch[m] = (tsgi_sreport){.id = r->id, .t = r->t, .channel = r->channel,
			                          .brands = r->brand, .score = -1,
			                          .content = "", .raw = "{}",
			                          .inds = inds[m], .n_inds = (size_t)r->ninds};
		}
		size_t added;
		if (tsgi_store_add(s, batch, m, &added) != TSG_OK) {
			fprintf(stderr, "%s\n", tsgi_store_errmsg(s));
			return 2;
		}
	}
	printf("store: %zu reports ingested in %.1f s\n", w->n, bench_now() - t0);
	/* Queries: a known phone in national format, a known host, unknown. */
	char (*q)[160] = calloc(nl, sizeof *q);
	unsigned long long seed = 7;
	for (size_t i = 0; i < nl; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		const world_report *r = &w->r[(seed >> 33) % w->n];
		const world_ind *x = &r->inds[0];
		if (i % 3 == 2)
			snprintf(q[i], sizeof q[i], "+1 999 %03zu %04zu", i % 1000, i % 10000);
		else if (x->kind == TSG_IND_PHONE && !strncmp(x->value, "+1", 2))
			snprintf(q[i], sizeof q[i], "(%.3s) %.3s-%.4s", x->value + 2,
			         x->value + 5, x->value + 8);
		else if (*x->host)
			snprintf(q[i], sizeof q[i], "%s", x->host);
		else
			snprintf(q[i], sizeof q[i], "%s", x->value);
	}
	double *lat = calloc(nl, sizeof *lat);
	size_t known = 0;
	for (size_t i = 0; i < nl; i++) {
		tsgi_lookup_result res;
		double a = bench_now();
		tsgi_lookup(s, q[i], "US", &res);
		lat[i] = bench_now() - a;
		known += res.known;
	}
	qsort(lat, nl, sizeof *lat, bench_cmp_double);
	/* Baseline: the same question answered by a full scan. */
	sqlite3 *db;
	sqlite3_open(dbpath, &db);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM indicators WHERE lower(value) = ?1"
	                       " OR lower(host) = ?1", -1, &st, NULL);
	double scan[5];
	for (int i = 0; i < 5; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, w->r[i].inds[0].value, -1, SQLITE_STATIC);
		double a = bench_now();
		while (sqlite3_step(st) == SQLITE_ROW)
			;
		scan[i] = bench_now() - a;
	}
	qsort(scan, 5, sizeof *scan, bench_cmp_double);
	sqlite3_finalize(st);
	sqlite3_close(db);
	printf("lookups: %zu (%zu known), one core, SQLite store of %zu reports\n",
	       nl, known, w->n);
	printf("  indexed lookup   median %7.1f us   p99 %7.1f us\n",
	       lat[nl / 2] * 1e6, lat[nl * 99 / 100] * 1e6);
	printf("  baseline scan    median %7.1f us   (5 queries, no index)\n",
	       scan[2] * 1e6);
	free(lat);
	free(q);
	tsgi_store_close(s);
	world_free(w);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
