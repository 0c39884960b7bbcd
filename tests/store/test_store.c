/*
 * test_store.c - the store suite, run against one backend:
 *   test_store sqlite      a database in a fresh temporary folder
 *   test_store postgresql  $TSGUARD_PG_URL (exit 77 when it is not set)
 * Both run the same cases: schema and reopening, idempotent batches,
 * unknown fields kept, indicators, campaigns saved and looked up, hubs,
 * two writers at once, ingest killed mid-way losing no acknowledged
 * report, incremental clustering through the store, and the lookup
 * summaries: exact against the rows they summarise after re-ingest, two
 * handles and two processes writing, campaign saves and a migration from
 * schema 1, and lookups that take each path of lookup.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "../../src/intel/intel.h"
#include "../../src/store/store.h"
#include "../../src/store/store_int.h"
#include "tsguard_limits.h"
#include "world.h"

static char url[4096];
static char tmpdir[256];

static tsgi_store *open_store(void)
{
	tsgi_store *s = NULL;
	char err[1024];
	tsg_status st = tsgi_store_open(url, &s, err, sizeof err);
	if (st != TSG_OK)
		fprintf(stderr, "open %s: %s\n", url, err);
	assert_int_equal(st, TSG_OK);
	return s;
}

static tsgi_store *fresh(void)
{
	tsgi_store *s = open_store();
	assert_int_equal(tsgi_store_wipe(s), TSG_OK);
	return s;
}

static tsgi_sreport rep(const char *id, long long t, const char *raw)
{
	return (tsgi_sreport){.id = id, .t = t, .received_at = "2024-01-01",
	                      .channel = "sms", .country = "US", .loss = 10.5,
	                      .currency = "USD", .brands = "microsoft",
	                      .score = 0.9, .content = "call +1 888 555 0101",
	                      .raw = raw};
}

static void test_open_twice(void **state)
{
	(void)state;
	tsgi_store *a = open_store();
	tsgi_store *b = open_store(); /* migrations are idempotent */
	long long n;
	assert_int_equal(tsgi_store_count(b, &n), TSG_OK);
	tsgi_store_close(a);
	tsgi_store_close(b);
	tsgi_store *bad = NULL;
	char err[256];
	assert_int_equal(tsgi_store_open("mysql://x", &bad, err, sizeof err),
	                 TSG_EINVAL);
	assert_null(bad);
	assert_int_equal(tsgi_store_open("sqlite:", &bad, err, sizeof err), TSG_EINVAL);
}

static void test_idempotent(void **state)
{
	(void)state;
	tsgi_store *s = fresh();
	tsgi_sind ind[2] = {
		{.kind = TSG_IND_PHONE, .value = "+18885550101", .flags = 0, .start = 5,
		 .end = 20},
		{.kind = TSG_IND_URL, .value = "https://Evil-Help.com/x",
		 .host = "evil-help.com", .domain = "evil-help.com", .start = -1,
		 .end = -1}};
	tsgi_sreport r[3] = {rep("r1", 100, "{\"id\":\"r1\",\"x_extra\":[1,2]}"),
	                     rep("r2", 200, "{}"), rep("r3", 300, "{}")};
	r[0].inds = ind;
	r[0].n_inds = 2;
	size_t added;
	assert_int_equal(tsgi_store_add(s, r, 3, &added), TSG_OK);
	assert_int_equal(added, 3);
	assert_int_equal(tsgi_store_add(s, r, 3, &added), TSG_OK);
	assert_int_equal(added, 0);
	long long n;
	assert_int_equal(tsgi_store_count(s, &n), TSG_OK);
	assert_int_equal(n, 3);
	tsgi_store_close(s);
}

struct got {
	int n;
	char raw[256], content[256];
};

static int got_cb(void *ctx, const tsgi_sreport *r)
{
	struct got *g = ctx;
	g->n++;
	snprintf(g->raw, sizeof g->raw, "%s", r->raw ? r->raw : "");
	snprintf(g->content, sizeof g->content, "%s", r->content ? r->content : "");
	return 0;
}

static void test_fields_kept(void **state)
{
	(void)state;
	tsgi_store *s = open_store(); /* data of test_idempotent */
	struct got g = {0};
	assert_int_equal(tsgi_store_get(s, "r1", got_cb, &g), TSG_OK);
	assert_int_equal(g.n, 1);
	assert_non_null(strstr(g.raw, "x_extra"));
	assert_string_equal(g.content, "call +1 888 555 0101");
	assert_int_equal(tsgi_store_get(s, "nope", got_cb, &g), TSG_ENOTFOUND);
	tsgi_store_close(s);
}

struct lk {
	int rows;
	long long reports;
	char camp[64];
};

static int lk_cb(void *ctx, const tsgi_lookup_row *row)
{
	struct lk *l = ctx;
	l->rows++;
	l->reports += row->reports;
	snprintf(l->camp, sizeof l->camp, "%s", row->campaign ? row->campaign : "");
	return 0;
}

static void test_assign_and_lookup(void **state)
{
	(void)state;
	tsgi_store *s = open_store();
	struct lk l = {0};
	const char *k[1] = {"+18885550101"};
	assert_int_equal(tsgi_store_lookup(s, k, 1, lk_cb, &l), TSG_OK);
	assert_int_equal(l.rows, 1);
	assert_string_equal(l.camp, "");
	tsgi_assign a[1] = {{1, "TSG-C-000000000001"}};
	const char *hubs[1] = {"domain:hub.example"};
	assert_int_equal(tsgi_store_save_assign(s, a, 1, true, hubs, 1), TSG_OK);
	memset(&l, 0, sizeof l);
	assert_int_equal(tsgi_store_lookup(s, k, 1, lk_cb, &l), TSG_OK);
	assert_string_equal(l.camp, "TSG-C-000000000001");
	/* Lookups by host and case-folded URL. */
	memset(&l, 0, sizeof l);
	const char *k2[1] = {"evil-help.com"};
	assert_int_equal(tsgi_store_lookup(s, k2, 1, lk_cb, &l), TSG_OK);
	assert_int_equal(l.rows, 1);
	tsgi_lookup_result res;
	assert_int_equal(tsgi_lookup(s, "(888) 555-0101", "US", &res), TSG_OK);
	assert_true(res.known);
	assert_int_equal(res.reports, 1);
	assert_int_equal(res.ncampaigns, 1);
	assert_int_equal(tsgi_lookup(s, "https://EVIL-help.com/x", NULL, &res), TSG_OK);
	assert_true(res.known);
	assert_int_equal(tsgi_lookup(s, "+1 999 555 0101", NULL, &res), TSG_OK);
	assert_false(res.known);
	tsgi_store_close(s);
}

/* Two processes add overlapping batches at the same time. */
static void writer(int which)
{
	tsgi_store *s = NULL;
	char err[1024];
	if (tsgi_store_open(url, &s, err, sizeof err) != TSG_OK)
		_exit(3);
	for (int b = 0; b < 40; b++) {
		tsgi_sreport r[25];
		char ids[25][32];
		for (int i = 0; i < 25; i++) {
			/* Writer 0 adds 0..999, writer 1 adds 500..1499. */
			snprintf(ids[i], sizeof ids[i], "c-%d", which * 500 + b * 25 + i);
			r[i] = rep(ids[i], b, "{}");
		}
		size_t added;
		if (tsgi_store_add(s, r, 25, &added) != TSG_OK) {
			fprintf(stderr, "writer %d: %s\n", which, tsgi_store_errmsg(s));
			_exit(4);
		}
	}
	tsgi_store_close(s);
	_exit(0);
}

static void test_two_writers(void **state)
{
	(void)state;
	tsgi_store *s = fresh();
	tsgi_store_close(s);
	pid_t p[2];
	for (int i = 0; i < 2; i++) {
		p[i] = fork();
		assert_true(p[i] >= 0);
		if (p[i] == 0)
			writer(i);
	}
	for (int i = 0; i < 2; i++) {
		int status;
		assert_int_equal(waitpid(p[i], &status, 0), p[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	s = open_store();
	long long n;
	assert_int_equal(tsgi_store_count(s, &n), TSG_OK);
	assert_int_equal(n, 1500);
	tsgi_store_close(s);
}

/* `tsguard ingest --ack` killed with SIGKILL at several moments: every id
 * it acknowledged is stored; running it again stores the rest. */
static void test_kill_ingest(void **state)
{
	(void)state;
	const char *bin = getenv("TSGUARD_BIN");
	if (!bin) {
		skip();
		return;
	}
	char path[512];
	snprintf(path, sizeof path, "%s/kill.jsonl", tmpdir);
	world *w = world_make(20, 3000, 42, true);
	assert_non_null(w);
	assert_true(world_write_jsonl(w, path));
	tsgi_store *s = fresh();
	tsgi_store_close(s);
	for (int round = 0; round < 3; round++) {
		int fd[2];
		assert_int_equal(pipe(fd), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			dup2(fd[1], 1);
			close(fd[0]);
			close(fd[1]);
			execl(bin, bin, "ingest", "--quiet", "--ack", "--batch", "40",
			      "--db", url, path, (char *)NULL);
			_exit(127);
		}
		close(fd[1]);
		FILE *acks = fdopen(fd[0], "r");
		char line[128];
		char **acked = calloc(w->n + 1, sizeof *acked);
		size_t na = 0;
		/* Kill after a number of acknowledgements that grows per round. */
		size_t kill_after = 100 + (size_t)round * 700;
		while (na < kill_after && fgets(line, sizeof line, acks)) {
			line[strcspn(line, "\n")] = '\0';
			acked[na++] = strdup(line);
		}
		kill(pid, SIGKILL);
		int status;
		waitpid(pid, &status, 0);
		/* Drain what was written before the kill: also acknowledged. */
		while (fgets(line, sizeof line, acks) && na < w->n) {
			line[strcspn(line, "\n")] = '\0';
			acked[na++] = strdup(line);
		}
		fclose(acks);
		s = open_store();
		size_t missing = 0;
		for (size_t i = 0; i < na; i++) {
			struct got g = {0};
			if (tsgi_store_get(s, acked[i], got_cb, &g) != TSG_OK)
				missing++;
			free(acked[i]);
		}
		free(acked);
		long long n;
		tsgi_store_count(s, &n);
		printf("kill round %d: %zu acknowledged, %lld stored, %zu missing\n",
		       round, na, n, missing);
		assert_int_equal(missing, 0);
		tsgi_store_close(s);
	}
	/* The rest goes in on a re-run; nothing twice. */
	pid_t pid = fork();
	if (pid == 0) {
		execl(bin, bin, "ingest", "--quiet", "--db", url, path, (char *)NULL);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	s = open_store();
	long long n;
	tsgi_store_count(s, &n);
	assert_int_equal(n, (long long)w->n);
	tsgi_store_close(s);
	world_free(w);
}

/* A world report as the store takes it; ind holds its indicators. */
static tsgi_sreport world_sreport(const world_report *r,
                                  tsgi_sind ind[WORLD_MAX_INDS])
{
	for (int k = 0; k < r->ninds; k++)
		ind[k] = (tsgi_sind){.kind = r->inds[k].kind,
		                     .value = r->inds[k].value,
		                     .detail = *r->inds[k].detail ? r->inds[k].detail : NULL,
		                     .host = *r->inds[k].host ? r->inds[k].host : NULL,
		                     .domain = *r->inds[k].domain ? r->inds[k].domain : NULL,
		                     .flags = r->inds[k].flags,
		                     .start = -1,
		                     .end = -1};
	return (tsgi_sreport){.id = r->id, .t = r->t, .channel = r->channel,
	                      .brands = r->brand, .score = -1, .content = "",
	                      .raw = "{}", .inds = ind, .n_inds = (size_t)r->ninds};
}

/* Clustering through the store: load, cluster, save, add more, cluster
 * incrementally; ids of the first run survive. */
static void test_store_campaigns(void **state)
{
	(void)state;
	char err[1024], hp[4096];
	const char *src = getenv("TSGUARD_SRC");
	snprintf(hp, sizeof hp, "%s/data/hubs.json", src ? src : ".");
	tsgi_hubs *h;
	assert_int_equal(tsgi_hubs_load(hp, &h, err, sizeof err), TSG_OK);
	world *w = world_make(10, 300, 5, false);
	tsgi_store *s = fresh();
	for (int part = 0; part < 2; part++) {
		size_t from = part ? 200 : 0, to = part ? w->n : 200;
		for (size_t i = from; i < to; i++) {
			tsgi_sind ind[WORLD_MAX_INDS];
			tsgi_sreport sr = world_sreport(&w->r[i], ind);
			size_t added;
			assert_int_equal(tsgi_store_add(s, &sr, 1, &added), TSG_OK);
		}
		tsgi_dataset *ds = tsgi_ds_new(h, NULL);
		assert_int_equal(tsgi_ds_load(ds, s, err, sizeof err), TSG_OK);
		assert_int_equal(tsgi_ds_nreports(ds), to);
		assert_int_equal(tsgi_ds_cluster(ds, false, NULL), TSG_OK);
		assert_int_equal(tsgi_ds_save(ds, s, false, err, sizeof err), TSG_OK);
		printf("store campaigns part %d: %zu reports, %zu campaigns\n", part,
		       tsgi_ds_nreports(ds), tsgi_ds_ncampaigns(ds));
		tsgi_ds_free(ds);
	}
	/* A rebuild from the store gives the same partition as the stored
	 * incremental one. */
	tsgi_dataset *a = tsgi_ds_new(h, NULL), *b = tsgi_ds_new(h, NULL);
	assert_int_equal(tsgi_ds_load(a, s, err, sizeof err), TSG_OK);
	assert_int_equal(tsgi_ds_load(b, s, err, sizeof err), TSG_OK);
	assert_int_equal(tsgi_ds_cluster(a, false, NULL), TSG_OK);
	assert_int_equal(tsgi_ds_cluster(b, true, NULL), TSG_OK);
	assert_int_equal(tsgi_ds_ncampaigns(a), tsgi_ds_ncampaigns(b));
	tsgi_ds_free(a);
	tsgi_ds_free(b);
	tsgi_store_close(s);
	tsgi_hubs_free(h);
	world_free(w);
}

/* ---- lookup summaries -------------------------------------------------- */

/* Adds w->r[from, to) in batches of `batch` (descending batch order when
 * `down`); returns how many were new. */
static size_t add_range(tsgi_store *s, const world *w, size_t from, size_t to,
                        size_t batch, bool down)
{
	enum { MAXB = 100 };
	static tsgi_sind ind[MAXB][WORLD_MAX_INDS];
	tsgi_sreport r[MAXB];
	size_t total = 0, nb = batch ? (to - from + batch - 1) / batch : 0;
	assert_true(batch > 0 && batch <= MAXB);
	for (size_t b = 0; b < nb; b++) {
		size_t lo = from + (down ? nb - 1 - b : b) * batch;
		size_t hi = lo + batch < to ? lo + batch : to;
		for (size_t i = lo; i < hi; i++)
			r[i - lo] = world_sreport(&w->r[i], ind[i - lo]);
		size_t added;
		tsg_status st = tsgi_store_add(s, r, hi - lo, &added);
		if (st != TSG_OK)
			fail_msg("adding reports %zu..%zu: %s", lo, hi, tsgi_store_errmsg(s));
		total += added;
	}
	return total;
}

/* The reference: the same figures aggregated from the indicator rows. */
struct ref {
	long long items, first, last, clustered;
	GHashTable *camps;
};

static int ref_row(void *ctx, const tsgi_lookup_row *row)
{
	struct ref *r = ctx;
	if (!r->items || row->first < r->first)
		r->first = row->first;
	if (!r->items || row->last > r->last)
		r->last = row->last;
	r->items += row->reports;
	if (row->campaign) {
		r->clustered += row->reports;
		g_hash_table_add(r->camps, g_strdup(row->campaign));
	}
	return 0;
}

/* Walks tsgi_store_key_campaigns(): ascending, each one in the rows. */
struct camp_walk {
	GHashTable *want;
	char prev[64];
	long long n;
	bool ordered, known;
};

static int camp_walk_cb(void *ctx, const char *c)
{
	struct camp_walk *cw = ctx;
	if (cw->n && strcmp(cw->prev, c) >= 0)
		cw->ordered = false;
	if (!g_hash_table_contains(cw->want, c))
		cw->known = false;
	snprintf(cw->prev, sizeof cw->prev, "%s", c);
	cw->n++;
	return 0;
}

/* The lookup keys named by w->r[0, n). */
static GHashTable *world_keys(const world *w, size_t n)
{
	GHashTable *keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < w->r[i].ninds; k++) {
			const world_ind *x = &w->r[i].inds[k];
			char vkey[TSG_MAX_URL + 64];
			tsgi_store_vkey(x->kind, x->value, vkey, sizeof vkey);
			g_hash_table_add(keys, g_strdup(vkey));
			if (*x->host)
				g_hash_table_add(keys, g_strdup(x->host));
			if (*x->domain)
				g_hash_table_add(keys, g_strdup(x->domain));
		}
	return keys;
}

/* Every key of w->r[0, n) (all of them stored): the summaries equal the
 * row aggregate.  The world's URLs carry their own host, so every item of
 * a URL key also names its host.  Returns the keys checked. */
static size_t check_summaries(tsgi_store *s, const world *w, size_t n,
                              int line)
{
	GHashTable *keys = world_keys(w, n);
	GHashTableIter it;
	gpointer key;
	size_t checked = 0;
	g_hash_table_iter_init(&it, keys);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const char *k = key;
		struct ref r = {.camps = g_hash_table_new_full(g_str_hash, g_str_equal,
		                                               g_free, NULL)};
		tsgi_key_stats ks;
		assert_int_equal(tsgi_store_lookup(s, &k, 1, ref_row, &r), TSG_OK);
		assert_int_equal(tsgi_store_key_stats(s, k, &ks), TSG_OK);
		char host[TSG_MAX_HOST + 1];
		long long with_host =
			tsgi_store_url_host(k, host, sizeof host) && strcmp(host, k) ? r.items
			                                                              : 0;
		long long ncamps = g_hash_table_size(r.camps);
		if (ks.items != r.items || ks.first != r.first || ks.last != r.last ||
		    ks.clustered != r.clustered || ks.campaigns != ncamps ||
		    ks.with_host != with_host)
			fail_msg("%s:%d: key '%s': summary items %lld first %lld last %lld "
			         "clustered %lld campaigns %lld with_host %lld; rows say "
			         "%lld %lld %lld %lld %lld %lld",
			         __FILE__, line, k, ks.items, ks.first, ks.last, ks.clustered,
			         ks.campaigns, ks.with_host, r.items, r.first, r.last,
			         r.clustered, ncamps, with_host);
		/* The campaigns, in order, complete. */
		struct camp_walk cw = {.want = r.camps, .ordered = true, .known = true};
		assert_int_equal(tsgi_store_key_campaigns(s, k, 0, camp_walk_cb, &cw),
		                 TSG_OK);
		if (cw.n != ncamps || !cw.ordered || !cw.known)
			fail_msg("%s:%d: key '%s': %lld campaigns listed (want %lld)%s%s",
			         __FILE__, line, k, cw.n, ncamps,
			         cw.ordered ? "" : ", out of order",
			         cw.known ? "" : ", one not in the rows");
		g_hash_table_destroy(r.camps);
		checked++;
	}
	g_hash_table_destroy(keys);
	return checked;
}

/* What tsgi_lookup() answers, computed from the rows of its keys the way
 * lookup.c did before the summaries: each (campaign, kind, value) row
 * once, campaigns in row order. */
struct ref_lookup {
	tsgi_lookup_result *res;
	GHashTable *rows, *camps;
};

static int ref_lookup_row(void *ctx, const tsgi_lookup_row *row)
{
	struct ref_lookup *a = ctx;
	tsgi_lookup_result *res = a->res;
	char *tag = g_strdup_printf("%s|%d|%s", row->campaign ? row->campaign : "",
	                            row->kind, row->value);
	if (!g_hash_table_add(a->rows, tag))
		return 0;
	if (!res->known || row->first < res->first)
		res->first = row->first;
	if (!res->known || row->last > res->last)
		res->last = row->last;
	res->known = true;
	res->reports += row->reports;
	if (!row->campaign) {
		res->unclustered += (size_t)row->reports;
		return 0;
	}
	if (g_hash_table_add(a->camps, g_strdup(row->campaign))) {
		if (res->ncampaigns < 8)
			snprintf(res->campaigns[res->ncampaigns], sizeof res->campaigns[0],
			         "%s", row->campaign);
		res->ncampaigns++;
	}
	return 0;
}

/* tsgi_lookup(query) equals the row aggregate of its keys: the canonical
 * form, and for a URL its host too. */
static void check_lookup(tsgi_store *s, const char *query, int line)
{
	tsgi_lookup_result got, want = {0};
	assert_int_equal(tsgi_lookup(s, query, "US", &got), TSG_OK);
	const char *keys[2] = {got.canon, NULL};
	char host[TSG_MAX_HOST + 1];
	size_t nk = 1;
	if (!strcmp(got.kind, "url") &&
	    tsgi_store_url_host(got.canon, host, sizeof host) &&
	    strcmp(host, got.canon))
		keys[nk++] = host;
	struct ref_lookup a = {
		.res = &want,
		.rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.camps = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
	assert_int_equal(tsgi_store_lookup(s, keys, nk, ref_lookup_row, &a), TSG_OK);
	g_hash_table_destroy(a.rows);
	g_hash_table_destroy(a.camps);
	if (!want.known && !strcmp(got.kind, "domain"))
		return; /* answered for the registrable domain: see the callers */
	bool same = got.known == want.known && got.reports == want.reports &&
	            (!got.known || (got.first == want.first && got.last == want.last)) &&
	            got.ncampaigns == want.ncampaigns &&
	            got.unclustered == want.unclustered;
	for (size_t i = 0; same && i < got.ncampaigns && i < 8; i++)
		same = !strcmp(got.campaigns[i], want.campaigns[i]);
	if (!same)
		fail_msg("%s:%d: lookup '%s' (%s %s): known %d reports %lld "
		         "campaigns %zu (%s) unclustered %zu; rows say %d %lld %zu (%s) %zu",
		         __FILE__, line, query, got.kind, got.canon, got.known,
		         got.reports, got.ncampaigns, got.campaigns[0], got.unclustered,
		         want.known, want.reports, want.ncampaigns, want.campaigns[0],
		         want.unclustered);
}

/* Every phone, URL (and its host) and mailbox of w->r[0, n) looked up. */
static size_t check_lookups(tsgi_store *s, const world *w, size_t n, int line)
{
	GHashTable *q = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < w->r[i].ninds; k++) {
			const world_ind *x = &w->r[i].inds[k];
			if (x->kind == TSG_IND_PHONE || x->kind == TSG_IND_URL ||
			    x->kind == TSG_IND_EMAIL)
				g_hash_table_add(q, g_strdup(x->value));
			if (x->kind == TSG_IND_URL)
				g_hash_table_add(q, g_strdup(x->host));
		}
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, q);
	while (g_hash_table_iter_next(&it, &v, NULL))
		check_lookup(s, v, line);
	size_t nq = g_hash_table_size(q);
	g_hash_table_destroy(q);
	return nq;
}

/* Takes the store back to schema 1: drops the summaries and sets the
 * version, as a file or database written by the previous tsguard. */
static void downgrade_to_v1(void)
{
	static const char *const drop =
		"DROP TABLE lookup_stats; DROP TABLE lookup_campaigns;"
		" DROP TABLE lookup_clustered;";
	if (!strncmp(url, "sqlite:", 7)) {
		sqlite3 *db;
		char *msg = NULL;
		assert_int_equal(sqlite3_open(url + 7, &db), SQLITE_OK);
		char sql[256];
		snprintf(sql, sizeof sql, "%s PRAGMA user_version=1", drop);
		if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
			fail_msg("downgrade: %s", msg);
		sqlite3_close(db);
	} else {
		PGconn *c = PQconnectdb(url);
		assert_int_equal(PQstatus(c), CONNECTION_OK);
		char sql[256];
		snprintf(sql, sizeof sql, "%s UPDATE tsg_meta SET v='1' WHERE k='schema'",
		         drop);
		PGresult *res = PQexec(c, sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			fail_msg("downgrade: %s", PQresultErrorMessage(res));
		PQclear(res);
		PQfinish(c);
	}
}

/* A writer process of step FORK2: adds w->r[from, to), upwards or
 * downwards, so that the two lock summary rows in opposite batch orders. */
static void summary_writer(const world *w, size_t from, size_t to, bool down)
{
	tsgi_store *s = NULL;
	char err[1024];
	if (tsgi_store_open(url, &s, err, sizeof err) != TSG_OK) {
		fprintf(stderr, "writer: %s\n", err);
		_exit(3);
	}
	enum { B = 20 };
	tsgi_sind ind[B][WORLD_MAX_INDS];
	tsgi_sreport r[B];
	size_t nb = (to - from + B - 1) / B;
	for (size_t b = 0; b < nb; b++) {
		size_t lo = from + (down ? nb - 1 - b : b) * B;
		size_t hi = lo + B < to ? lo + B : to;
		for (size_t i = lo; i < hi; i++)
			r[i - lo] = world_sreport(&w->r[i], ind[i - lo]);
		size_t added;
		if (tsgi_store_add(s, r, hi - lo, &added) != TSG_OK) {
			fprintf(stderr, "writer: %s\n", tsgi_store_errmsg(s));
			_exit(4);
		}
	}
	tsgi_store_close(s);
	_exit(0);
}

/* Clusters what is stored and saves it (incrementally or rebuilt). */
static void cluster_save(tsgi_store *s, bool rebuild)
{
	char err[1024], hp[4096];
	const char *src = getenv("TSGUARD_SRC");
	snprintf(hp, sizeof hp, "%s/data/hubs.json", src ? src : ".");
	tsgi_hubs *h;
	assert_int_equal(tsgi_hubs_load(hp, &h, err, sizeof err), TSG_OK);
	tsgi_dataset *ds = tsgi_ds_new(h, NULL);
	assert_int_equal(tsgi_ds_load(ds, s, err, sizeof err), TSG_OK);
	assert_int_equal(tsgi_ds_cluster(ds, rebuild, NULL), TSG_OK);
	if (tsgi_ds_save(ds, s, rebuild, err, sizeof err) != TSG_OK)
		fail_msg("saving campaigns: %s", err);
	tsgi_ds_free(ds);
	tsgi_hubs_free(h);
}

enum sum_op {
	ADD_A,      /* handle a adds [from, to) in batches of `batch`          */
	ADD_B,      /* the same through handle b                               */
	INTERLEAVE, /* a adds batch k, then b adds batches k and k+1, ...      */
	FORK2,      /* two processes add [from, to) at once, opposite orders   */
	CLUSTER,    /* cluster and save incrementally                          */
	REBUILD,    /* cluster and save everything again                       */
	DOWNGRADE,  /* back to schema 1, reopen: the migration back-fills      */
};

struct sum_step {
	int line;
	enum sum_op op;
	size_t from, to, batch;
	long long added; /* new reports the step must report, -1: no check */
};

static const struct sum_step sum_steps[] = {
	{__LINE__, ADD_A, 0, 500, 100, 500},
	{__LINE__, ADD_A, 0, 500, 37, 0},     /* the same again: nothing new */
	{__LINE__, ADD_B, 250, 800, 50, 300}, /* a second handle, half known */
	{__LINE__, INTERLEAVE, 800, 1200, 25, 400},
	{__LINE__, CLUSTER, 0, 0, 0, -1},
	{__LINE__, ADD_B, 0, 1200, 100, 0},   /* re-ingest after clustering */
	{__LINE__, FORK2, 1200, 1700, 20, 500},
	{__LINE__, CLUSTER, 0, 0, 0, -1},     /* incremental: new reports join */
	{__LINE__, DOWNGRADE, 0, 0, 0, -1},
	{__LINE__, ADD_A, 1700, 2000, 60, 300},
	{__LINE__, REBUILD, 0, 0, 0, -1},
	{__LINE__, DOWNGRADE, 0, 0, 0, -1},
	{__LINE__, ADD_A, 0, 2000, 100, 0},
};

/* Key -> its summary as text, to see that a back-fill rebuilds the same. */
static GHashTable *snapshot(tsgi_store *s, const world *w, size_t n)
{
	GHashTable *keys = world_keys(w, n);
	GHashTable *snap = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, keys);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		tsgi_key_stats ks;
		assert_int_equal(tsgi_store_key_stats(s, key, &ks), TSG_OK);
		g_hash_table_insert(snap, g_strdup(key),
		                    g_strdup_printf("%lld %lld %lld %lld %lld %lld",
		                                    ks.items, ks.first, ks.last,
		                                    ks.with_host, ks.clustered,
		                                    ks.campaigns));
	}
	g_hash_table_destroy(keys);
	return snap;
}

static void test_summary_exact(void **state)
{
	(void)state;
	world *w = world_make(25, 2000, 11, false);
	assert_non_null(w);
	tsgi_store *a = fresh(), *b = open_store();
	size_t stored = 0;
	for (size_t i = 0; i < sizeof sum_steps / sizeof sum_steps[0]; i++) {
		const struct sum_step *st = &sum_steps[i];
		long long added = -1;
		GHashTable *before = NULL;
		switch (st->op) {
		case ADD_A:
		case ADD_B:
			added = (long long)add_range(st->op == ADD_A ? a : b, w, st->from,
			                             st->to, st->batch, false);
			break;
		case INTERLEAVE:
			added = 0;
			for (size_t x = st->from; x < st->to; x += st->batch) {
				size_t y = x + 2 * st->batch < st->to ? x + 2 * st->batch : st->to;
				size_t e = x + st->batch < st->to ? x + st->batch : st->to;
				added += (long long)add_range(a, w, x, e, st->batch, false);
				added += (long long)add_range(b, w, x, y, st->batch, false);
			}
			break;
		case FORK2: {
			pid_t p[2];
			for (int k = 0; k < 2; k++) {
				p[k] = fork();
				assert_true(p[k] >= 0);
				if (p[k] == 0)
					summary_writer(w, st->from, st->to, k == 1);
			}
			for (int k = 0; k < 2; k++) {
				int status;
				assert_int_equal(waitpid(p[k], &status, 0), p[k]);
				if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
					fail_msg("%s:%d: writer %d failed", __FILE__, st->line, k);
			}
			long long before_n = (long long)stored, n;
			assert_int_equal(tsgi_store_count(a, &n), TSG_OK);
			added = n - before_n;
			break;
		}
		case CLUSTER:
		case REBUILD:
			cluster_save(a, st->op == REBUILD);
			break;
		case DOWNGRADE:
			before = snapshot(a, w, stored);
			tsgi_store_close(a);
			tsgi_store_close(b);
			downgrade_to_v1();
			a = open_store(); /* migrates: back-fill */
			b = open_store();
			break;
		}
		if (st->added >= 0 && added != st->added)
			fail_msg("%s:%d: %lld reports added, want %lld", __FILE__, st->line,
			         added, st->added);
		if (added > 0)
			stored += (size_t)added;
		long long n;
		assert_int_equal(tsgi_store_count(a, &n), TSG_OK);
		assert_int_equal(n, (long long)stored);
		if (before) {
			GHashTable *after = snapshot(a, w, stored);
			GHashTableIter it;
			gpointer k, v;
			g_hash_table_iter_init(&it, before);
			while (g_hash_table_iter_next(&it, &k, &v)) {
				const char *got = g_hash_table_lookup(after, k);
				if (!got || strcmp(got, v))
					fail_msg("%s:%d: key '%s' back-filled as '%s', was '%s'",
					         __FILE__, st->line, (const char *)k, got ? got : "?",
					         (const char *)v);
			}
			g_hash_table_destroy(before);
			g_hash_table_destroy(after);
		}
		size_t nkeys = check_summaries(a, w, stored, st->line);
		size_t nq = check_lookups(b, w, stored, st->line);
		printf("summary step %zu (line %d): %zu reports, %zu keys, %zu lookups "
		       "exact\n",
		       i, st->line, stored, nkeys, nq);
	}
	tsgi_store_close(a);
	tsgi_store_close(b);
	world_free(w);
}

/* Lookups that take each path of lookup.c, on hand-made reports. */
static void test_lookup_paths(void **state)
{
	(void)state;
	tsgi_store *s = fresh();
	/* r1: a URL whose stored host is another (indicators written by
	 *     hand): the row aggregate answers.
	 * r2, r3: two URLs on one host in one report count twice for the host.
	 * r4..r13: ten campaigns name hub.example; r14 names it unclustered. */
	tsgi_sind i1[1] = {{.kind = TSG_IND_URL, .value = "https://odd.example/a",
	                    .host = "elsewhere.example", .domain = "elsewhere.example",
	                    .start = -1, .end = -1}};
	tsgi_sind i2[2] = {{.kind = TSG_IND_URL, .value = "https://two.example/a",
	                    .host = "two.example", .domain = "two.example",
	                    .start = -1, .end = -1},
	                   {.kind = TSG_IND_URL, .value = "https://two.example/b",
	                    .host = "two.example", .domain = "two.example",
	                    .start = -1, .end = -1}};
	tsgi_sind i3[1] = {{.kind = TSG_IND_URL, .value = "https://two.example/a",
	                    .host = "two.example", .domain = "two.example",
	                    .start = -1, .end = -1}};
	tsgi_sind ihub[1] = {{.kind = TSG_IND_DOMAIN, .value = "hub.example",
	                      .host = "hub.example", .domain = "hub.example",
	                      .start = -1, .end = -1}};
	tsgi_sreport r[14];
	char ids[14][16];
	for (int i = 0; i < 14; i++) {
		snprintf(ids[i], sizeof ids[i], "p%d", i + 1);
		r[i] = rep(ids[i], 1000 + i, "{}");
		r[i].inds = ihub;
		r[i].n_inds = 1;
	}
	r[0].inds = i1;
	r[1].inds = i2;
	r[1].n_inds = 2;
	r[2].inds = i3;
	size_t added;
	assert_int_equal(tsgi_store_add(s, r, 14, &added), TSG_OK);
	assert_int_equal(added, 14);
	assert_int_equal(tsgi_store_add(s, r, 14, &added), TSG_OK);
	assert_int_equal(added, 0);
	/* Campaigns in descending id order, to see them listed ascending. */
	tsgi_assign as[12];
	char camp[12][24];
	for (int i = 0; i < 12; i++) {
		snprintf(camp[i], sizeof camp[i], "TSG-C-%012d", 20 - i);
		as[i] = (tsgi_assign){.seq = i + 1, .campaign = camp[i]};
	}
	as[11].campaign = camp[0]; /* r12 joins r1's campaign */
	assert_int_equal(tsgi_store_save_assign(s, as, 12, true, NULL, 0), TSG_OK);
	/* Move r2 to another campaign: its items leave the old one. */
	tsgi_assign mv[1] = {{.seq = 2, .campaign = "TSG-C-000000000099"}};
	assert_int_equal(tsgi_store_save_assign(s, mv, 1, false, NULL, 0), TSG_OK);
	static const struct {
		int line;
		const char *query;
		bool known;
		long long reports;
		size_t ncampaigns, unclustered;
		const char *first_campaign;
	} cases[] = {
		/* row aggregate: the URL and its parsed host differ in the rows */
		{__LINE__, "https://odd.example/a", true, 1, 1, 0, "TSG-C-000000000020"},
		{__LINE__, "elsewhere.example", true, 1, 1, 0, "TSG-C-000000000020"},
		/* a URL inside its host: the host's totals, the URL's campaign first */
		{__LINE__, "https://two.example/a", true, 3, 2, 0, "TSG-C-000000000018"},
		{__LINE__, "https://TWO.example/b", true, 3, 2, 0, "TSG-C-000000000099"},
		{__LINE__, "two.example", true, 3, 2, 0, "TSG-C-000000000018"},
		{__LINE__, "www.two.example", false, 0, 0, 0, ""},
		/* a hub: 11 reports in 9 campaigns (r12 is in r1's), more than
		 * the 8 listed; r13 and r14 not clustered; a subdomain that is
		 * unknown itself falls back to it */
		{__LINE__, "hub.example", true, 11, 9, 2, "TSG-C-000000000010"},
		{__LINE__, "sub.hub.example", true, 11, 9, 2, "TSG-C-000000000010"},
		{__LINE__, "+1 999 555 0101", false, 0, 0, 0, ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tsgi_lookup_result res;
		assert_int_equal(tsgi_lookup(s, cases[i].query, "US", &res), TSG_OK);
		const char *c0 = res.ncampaigns ? res.campaigns[0] : "";
		if (res.known != cases[i].known || res.reports != cases[i].reports ||
		    res.ncampaigns != cases[i].ncampaigns ||
		    res.unclustered != cases[i].unclustered ||
		    strcmp(c0, cases[i].first_campaign))
			fail_msg("%s:%d: %s: known %d reports %lld campaigns %zu "
			         "unclustered %zu first '%s'",
			         __FILE__, cases[i].line, cases[i].query, res.known, res.reports,
			         res.ncampaigns, res.unclustered, c0);
		check_lookup(s, cases[i].query, cases[i].line);
	}
	tsgi_store_close(s);
}

int main(int argc, char **argv)
{
	const char *backend = argc > 1 ? argv[1] : "sqlite";
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tsg-store-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	if (!strcmp(backend, "postgresql")) {
		const char *pg = getenv("TSGUARD_PG_URL");
		if (!pg || !*pg) {
			printf("TSGUARD_PG_URL not set: skipping the PostgreSQL suite\n");
			rmdir(tmpdir);
			return 77;
		}
		snprintf(url, sizeof url, "%s", pg);
	} else {
		snprintf(url, sizeof url, "sqlite:%s/test.db", tmpdir);
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_twice),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_fields_kept),
		cmocka_unit_test(test_assign_and_lookup),
		cmocka_unit_test(test_two_writers),
		cmocka_unit_test(test_kill_ingest),
		cmocka_unit_test(test_store_campaigns),
		cmocka_unit_test(test_summary_exact),
		cmocka_unit_test(test_lookup_paths),
	};
	int rc = cmocka_run_group_tests_name(backend, tests, NULL, NULL);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return rc;
}
