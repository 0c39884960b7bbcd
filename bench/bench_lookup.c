/*
 * bench_lookup - latency of `tsguard lookup` against a SQLite store.
 *
 *   bench_lookup [REPORTS] [LOOKUPS]   (default 200000 reports, 20000 lookups)
 *
 * Fills a store in a temporary folder with a simulated world and saves the
 * world's call centers as its campaigns (the shape `tsguard campaigns`
 * gives, without the clustering time), then times tsgi_lookup() for
 * known phone numbers written in other formats, known hosts and unknown
 * numbers; then for the hub values: the ten values, hosts and URLs named
 * by the most reports (common amounts, gift cards, the download site every
 * center uses, free mail, the largest centers' mailboxes, a short link),
 * 20 times each.  Prints the median and 99th percentile per lookup, with
 * a baseline in the same run: the same indicator looked up by a full scan
 * (no index) for a few values.  Last, the time of an incremental campaign
 * save: 1000 reports moving.
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
	double t_ingest = bench_now() - t0;
	/* Campaigns: one per center of the world (a fresh store numbers the
	 * reports 1..n in the order they were added). */
	tsgi_assign *as = calloc(w->n, sizeof *as);
	char (*cid)[24] = calloc((size_t)w->ncenters, sizeof *cid);
	for (int c = 0; c < w->ncenters; c++)
		snprintf(cid[c], sizeof cid[c], "TSG-C-%012x", (unsigned)c);
	for (size_t i = 0; i < w->n; i++)
		as[i] = (tsgi_assign){.seq = (long long)i + 1, .campaign = cid[w->r[i].truth]};
	t0 = bench_now();
	if (tsgi_store_save_assign(s, as, w->n, true, NULL, 0) != TSG_OK) {
		fprintf(stderr, "%s\n", tsgi_store_errmsg(s));
		return 2;
	}
	printf("store: %zu reports ingested in %.1f s, %d campaigns saved in %.1f s\n",
	       w->n, t_ingest, w->ncenters, bench_now() - t0);
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
	/* Hub values: the most named values, hosts and URL (read from the
	 * rows, not timed). */
	sqlite3 *db;
	sqlite3_open(dbpath, &db);
	sqlite3_stmt *st;
	enum { NHUB = 10, HUB_REPS = 20 };
	char hub[NHUB][160];
	size_t nhub = 0;
	static const char *const hub_sql[] = {
		"SELECT vkey FROM indicators GROUP BY vkey ORDER BY COUNT(*) DESC LIMIT 6",
		"SELECT host FROM indicators WHERE host IS NOT NULL GROUP BY host"
		" ORDER BY COUNT(*) DESC LIMIT 3",
		"SELECT vkey FROM indicators WHERE kind = 'url' GROUP BY vkey"
		" ORDER BY COUNT(*) DESC LIMIT 1",
	};
	for (size_t k = 0; k < sizeof hub_sql / sizeof hub_sql[0]; k++) {
		sqlite3_prepare_v2(db, hub_sql[k], -1, &st, NULL);
		while (sqlite3_step(st) == SQLITE_ROW && nhub < NHUB)
			snprintf(hub[nhub++], sizeof hub[0], "%s",
			         (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	double hlat[NHUB * HUB_REPS];
	long long hmin = -1, hmax = 0;
	size_t nh = 0;
	for (int rep = 0; rep < HUB_REPS; rep++)
		for (size_t k = 0; k < nhub; k++) {
			tsgi_lookup_result res;
			double a = bench_now();
			tsgi_lookup(s, hub[k], "US", &res);
			hlat[nh++] = bench_now() - a;
			if (hmin < 0 || res.reports < hmin)
				hmin = res.reports;
			if (res.reports > hmax)
				hmax = res.reports;
		}
	qsort(hlat, nh, sizeof *hlat, bench_cmp_double);
	/* Baseline: the same question answered by a full scan. */
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
	printf("  hub values       median %7.1f us   p99 %7.1f us   max %7.1f us"
	       "   (%zu values named by %lld to %lld reports, %d times each)\n",
	       hlat[nh / 2] * 1e6, hlat[nh * 99 / 100] * 1e6, hlat[nh - 1] * 1e6,
	       nhub, hmin, hmax, HUB_REPS);
	printf("  baseline scan    median %7.1f us   (5 queries, no index)\n",
	       scan[2] * 1e6);
	/* An incremental save: the first 1000 reports move to the next
	 * center's campaign (after the lookups, which it would change). */
	size_t nmove = w->n < 1000 ? w->n : 1000;
	for (size_t i = 0; i < nmove; i++)
		as[i].campaign = cid[(w->r[i].truth + 1) % w->ncenters];
	t0 = bench_now();
	if (tsgi_store_save_assign(s, as, nmove, false, NULL, 0) != TSG_OK) {
		fprintf(stderr, "%s\n", tsgi_store_errmsg(s));
		return 2;
	}
	printf("campaigns: %zu reports moved to another campaign in %.3f s\n", nmove,
	       bench_now() - t0);
	free(as);
	free(lat);
	free(q);
	free(cid);
	tsgi_store_close(s);
	world_free(w);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
