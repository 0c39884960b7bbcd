/*
 * bench_campaigns - clustering time and quality on simulated worlds.
 *
 *   bench_campaigns [REPORTS] [RUNS]     (default 1000000 reports, 3 runs)
 *
 * Builds a world of REPORTS victim reports from REPORTS/67 call centers
 * (the 30-centers-per-2,000-victims density of tests/store/world.c, Zipf
 * sizes, every trap), loads it into a dataset and clusters it.  Prints the
 * median over RUNS of: the baseline (plain union-find over the same link
 * keys: no time windows, hubs or near-matches), the full clustering core,
 * and dataset + campaign building; then purity and ARI against the truth.
 * Figures, not assertions.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "../src/core/engine_int.h"
#include "../src/intel/intel.h"
#include "../src/intel/union_find.h"
#include "../tests/store/world.h"

static tsgi_dataset *load(const world *w, const tsgi_hubs *h,
                          const tsgi_brands *b)
{
	tsgi_dataset *ds = tsgi_ds_new(h, b);
	for (size_t i = 0; i < w->n; i++) {
		const world_report *r = &w->r[i];
		tsgi_sreport s = {.seq = (long long)i + 1, .id = r->id, .t = r->t,
		                  .channel = r->channel, .country = r->country,
		                  .currency = r->currency, .loss = r->loss,
		                  .brands = r->brand, .score = -1};
		tsgi_ds_add_report(ds, &s);
	}
	for (size_t i = 0; i < w->n; i++) {
		const world_report *r = &w->r[i];
		for (int k = 0; k < r->ninds; k++) {
			const world_ind *x = &r->inds[k];
			tsgi_sind d = {.kind = x->kind, .value = x->value,
			               .detail = *x->detail ? x->detail : NULL,
			               .host = *x->host ? x->host : NULL,
			               .domain = *x->domain ? x->domain : NULL,
			               .flags = x->flags, .start = -1, .end = -1};
			tsgi_ds_add_ind(ds, (long long)i + 1, &d);
		}
	}
	return ds;
}

/* Baseline: union every pair of reports sharing a link key. */
static double baseline(const world *w, const tsgi_hubs *h, const tsgi_brands *b)
{
	double t0 = bench_now();
	GHashTable *first = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	tsgi_uf uf;
	tsgi_uf_init(&uf, w->n);
	char key[4096];
	for (size_t i = 0; i < w->n; i++)
		for (int k = 0; k < w->r[i].ninds; k++) {
			const world_ind *x = &w->r[i].inds[k];
			tsgi_sind d = {.kind = x->kind, .value = x->value,
			               .detail = *x->detail ? x->detail : NULL,
			               .host = *x->host ? x->host : NULL,
			               .domain = *x->domain ? x->domain : NULL,
			               .flags = x->flags};
			if (tsgi_link_key(h, b, &d, key, sizeof key) == TSGI_LINK_NONE)
				continue;
			gpointer v = g_hash_table_lookup(first, key);
			if (v)
				tsgi_uf_union(&uf, (uint32_t)i, GPOINTER_TO_UINT(v) - 1);
			else
				g_hash_table_insert(first, g_strdup(key), GUINT_TO_POINTER(i + 1));
		}
	double t = bench_now() - t0;
	tsgi_uf_free(&uf);
	g_hash_table_destroy(first);
	return t;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	int runs = argc > 2 ? atoi(argv[2]) : 3;
	if (runs < 1 || runs > 50)
		runs = 3;
	const char *src = getenv("TSGUARD_SRC");
	char path[4096], err[1024];
	snprintf(path, sizeof path, "%s/data/hubs.json", src ? src : ".");
	tsgi_hubs *h;
	if (tsgi_hubs_load(path, &h, err, sizeof err) != TSG_OK) {
		fprintf(stderr, "bench_campaigns: %s (set TSGUARD_SRC)\n", err);
		return 2;
	}
	tsg_engine *e = NULL;
	tsg_engine_config cfg = {.data_dir = src, .model_path = ""};
	if (tsg_engine_open(&cfg, &e) != TSG_OK) {
		fprintf(stderr, "bench_campaigns: engine: %s\n", e ? tsg_engine_errmsg(e) : "");
		return 2;
	}
	int centers = (int)(n / 67 > 30 ? n / 67 : 30);
	double t0 = bench_now();
	world *w = world_make(centers, n, 1, false);
	printf("world: %zu reports from %d centers (generated in %.1f s)\n", w->n,
	       centers, bench_now() - t0);
	double *tb = calloc((size_t)runs, sizeof *tb), *tl = calloc((size_t)runs, sizeof *tl),
	       *tc = calloc((size_t)runs, sizeof *tc);
	double purity = 0, ari = 0;
	tsgi_cluster_stats st = {0};
	for (int r = 0; r < runs; r++) {
		tb[r] = baseline(w, h, e->brands);
		t0 = bench_now();
		tsgi_dataset *ds = load(w, h, e->brands);
		tl[r] = bench_now() - t0;
		t0 = bench_now();
		if (tsgi_ds_cluster(ds, true, &st) != TSG_OK) {
			fprintf(stderr, "bench_campaigns: out of memory\n");
			return 2;
		}
		tc[r] = bench_now() - t0;
		if (r == 0) {
			unsigned *lab = malloc(w->n * sizeof *lab);
			for (size_t i = 0; i < w->n; i++)
				lab[i] = tsgi_ds_report_at(ds, i)->camp;
			world_score(w, lab, &purity, &ari);
			free(lab);
			printf("campaigns: %zu (hubs found %zu, near-matches %zu, rounds %zu)\n",
			       tsgi_ds_ncampaigns(ds), st.hubs_found, st.near_joined, st.rounds);
		}
		tsgi_ds_free(ds);
	}
	printf("median of %d runs, one core:\n", runs);
	printf("  baseline union-find (no windows/hubs)   %8.2f s\n", bench_median(tb, runs));
	printf("  dataset load (intern, link keys)        %8.2f s\n", bench_median(tl, runs));
	printf("  cluster + campaigns (tsgi_ds_cluster)   %8.2f s\n", bench_median(tc, runs));
	printf("quality: purity %.4f  ARI %.4f\n", purity, ari);
	free(tb);
	free(tl);
	free(tc);
	world_free(w);
	tsg_engine_unref(e);
	tsgi_hubs_free(h);
	return 0;
}
