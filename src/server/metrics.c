/*
 * metrics.c - request, latency and verdict counters, rendered in the
 * Prometheus text exposition format (version 0.0.4).
 *
 * Every counter is a relaxed atomic: the figures are read by a scraper a few
 * times a minute and need no ordering among themselves.  Status codes are
 * folded into a small fixed set so the table is static; anything else is
 * counted as "other".
 */
#include <stdatomic.h>
#include <stdio.h>

#include "server.h"

static const char *const k_route_names[TSGI_ROUTE__COUNT] = {
    "index",	"scan", "scan_batch", "reports", "lookup", "campaigns",
    "campaign", "stix", "healthz",    "metrics", "other",
};

const char *tsgi_route_name(tsgi_route r)
{
	return (unsigned)r < TSGI_ROUTE__COUNT ? k_route_names[r] : "other";
}

static const int k_statuses[] = {200, 204, 400, 401, 403, 404, 405, 408,
				 411, 413, 415, 422, 429, 431, 500, 503};
#define N_STATUS (sizeof k_statuses / sizeof *k_statuses + 1) /* + other */

/* Upper bounds of the latency buckets, in seconds. */
static const double k_buckets[] = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,   0.1,     0.25,   0.5,   1,	    2.5,   5,	 10};
#define N_BUCKET (sizeof k_buckets / sizeof *k_buckets)

static struct {
	atomic_ulong requests[TSGI_ROUTE__COUNT][N_STATUS];
	atomic_ulong hist[TSGI_ROUTE__COUNT]
			 [N_BUCKET + 1]; /* last: +Inf only */
	atomic_ulong hist_count[TSGI_ROUTE__COUNT];
	atomic_ullong hist_sum_ns[TSGI_ROUTE__COUNT];
	atomic_ulong verdicts[3];
	atomic_ulong reloads_ok, reloads_failed, slow_drops;
	atomic_long inflight;
} g_m;

static size_t status_index(int status)
{
	for (size_t i = 0; i < N_STATUS - 1; i++)
		if (k_statuses[i] == status)
			return i;
	return N_STATUS - 1;
}

void tsgi_metrics_request(tsgi_route r, int status, double seconds)
{
	if ((unsigned)r >= TSGI_ROUTE__COUNT)
		r = TSGI_ROUTE_OTHER;
	atomic_fetch_add_explicit(&g_m.requests[r][status_index(status)], 1,
				  memory_order_relaxed);
	size_t b = 0;
	while (b < N_BUCKET && seconds > k_buckets[b])
		b++;
	/* Stored per bucket, summed into cumulative counts when rendered. */
	atomic_fetch_add_explicit(&g_m.hist[r][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&g_m.hist_count[r], 1, memory_order_relaxed);
	if (seconds < 0)
		seconds = 0;
	atomic_fetch_add_explicit(&g_m.hist_sum_ns[r],
				  (unsigned long long)(seconds * 1e9),
				  memory_order_relaxed);
}

void tsgi_metrics_verdict(tsg_class c)
{
	if ((unsigned)c < 3)
		atomic_fetch_add_explicit(&g_m.verdicts[c], 1,
					  memory_order_relaxed);
}

void tsgi_metrics_reload(bool ok)
{
	atomic_fetch_add_explicit(ok ? &g_m.reloads_ok : &g_m.reloads_failed, 1,
				  memory_order_relaxed);
}

void tsgi_metrics_slow_drop(void)
{
	atomic_fetch_add_explicit(&g_m.slow_drops, 1, memory_order_relaxed);
}

void tsgi_metrics_inflight(int delta)
{
	atomic_fetch_add_explicit(&g_m.inflight, delta, memory_order_relaxed);
}

long tsgi_metrics_inflight_now(void)
{
	return atomic_load(&g_m.inflight);
}

static unsigned long ld(atomic_ulong *p)
{
	return atomic_load_explicit(p, memory_order_relaxed);
}

void tsgi_metrics_render(tsgi_buf *b)
{
	tsgi_buf_adds(b, "# HELP tsguard_http_requests_total HTTP requests by "
			 "route and status.\n"
			 "# TYPE tsguard_http_requests_total counter\n");
	for (size_t r = 0; r < TSGI_ROUTE__COUNT; r++)
		for (size_t s = 0; s < N_STATUS; s++) {
			unsigned long n = ld(&g_m.requests[r][s]);
			if (!n)
				continue;
			char code[16];
			if (s < N_STATUS - 1)
				snprintf(code, sizeof code, "%d",
					 k_statuses[s]);
			else
				snprintf(code, sizeof code, "other");
			tsgi_buf_printf(
			    b,
			    "tsguard_http_requests_total{route=\"%s\","
			    "status=\"%s\"} %lu\n",
			    k_route_names[r], code, n);
		}

	tsgi_buf_adds(b,
		      "# HELP tsguard_http_request_duration_seconds Time from "
		      "request headers to response sent.\n"
		      "# TYPE tsguard_http_request_duration_seconds "
		      "histogram\n");
	for (size_t r = 0; r < TSGI_ROUTE__COUNT; r++) {
		unsigned long count = ld(&g_m.hist_count[r]);
		if (!count)
			continue;
		unsigned long cum = 0;
		for (size_t i = 0; i < N_BUCKET; i++) {
			cum += ld(&g_m.hist[r][i]);
			tsgi_buf_printf(
			    b,
			    "tsguard_http_request_duration_seconds_bucket{"
			    "route=\"%s\",le=\"%g\"} %lu\n",
			    k_route_names[r], k_buckets[i], cum);
		}
		cum += ld(&g_m.hist[r][N_BUCKET]);
		tsgi_buf_printf(b,
				"tsguard_http_request_duration_seconds_bucket{"
				"route=\"%s\",le=\"+Inf\"} %lu\n",
				k_route_names[r], cum);
		double sum = (double)atomic_load_explicit(
				 &g_m.hist_sum_ns[r], memory_order_relaxed) /
			     1e9;
		tsgi_buf_printf(
		    b,
		    "tsguard_http_request_duration_seconds_sum{route=\"%s\"}"
		    " %.9f\n"
		    "tsguard_http_request_duration_seconds_count{route="
		    "\"%s\"} %lu\n",
		    k_route_names[r], sum, k_route_names[r], cum);
	}

	tsgi_buf_adds(
	    b, "# HELP tsguard_verdicts_total Verdicts given, by class.\n"
	       "# TYPE tsguard_verdicts_total counter\n");
	for (int c = 0; c < 3; c++)
		tsgi_buf_printf(
		    b, "tsguard_verdicts_total{verdict=\"%s\"} %lu\n",
		    tsg_class_name((tsg_class)c), ld(&g_m.verdicts[c]));

	tsgi_buf_printf(
	    b,
	    "# HELP tsguard_reloads_total Engine reloads, by result.\n"
	    "# TYPE tsguard_reloads_total counter\n"
	    "tsguard_reloads_total{result=\"ok\"} %lu\n"
	    "tsguard_reloads_total{result=\"failed\"} %lu\n",
	    ld(&g_m.reloads_ok), ld(&g_m.reloads_failed));
	tsgi_buf_printf(
	    b,
	    "# HELP tsguard_engine_generation Generation of the engine "
	    "in use (1 at start, +1 per reload).\n"
	    "# TYPE tsguard_engine_generation gauge\n"
	    "tsguard_engine_generation %u\n",
	    tsgi_slot_generation());
	tsgi_buf_printf(b,
			"# HELP tsguard_slow_clients_dropped_total Connections "
			"closed for not sending a request in time.\n"
			"# TYPE tsguard_slow_clients_dropped_total counter\n"
			"tsguard_slow_clients_dropped_total %lu\n",
			ld(&g_m.slow_drops));
	tsgi_buf_printf(b,
			"# HELP tsguard_http_requests_in_flight Requests being "
			"handled.\n"
			"# TYPE tsguard_http_requests_in_flight gauge\n"
			"tsguard_http_requests_in_flight %ld\n",
			atomic_load(&g_m.inflight));
}
