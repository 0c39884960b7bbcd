/*
 * test_store.c - the store suite, run against one backend:
 *   test_store sqlite      a database in a fresh temporary folder
 *   test_store postgresql  $TSGUARD_PG_URL (exit 77 when it is not set)
 * Both run the same cases: schema and reopening, idempotent batches,
 * unknown fields kept, indicators, campaigns saved and looked up, hubs,
 * two writers at once, ingest killed mid-way losing no acknowledged
 * report, and incremental clustering through the store.
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

#include "../../src/intel/intel.h"
#include "../../src/store/store.h"
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
			world_report *r = &w->r[i];
			tsgi_sind ind[WORLD_MAX_INDS];
			for (int k = 0; k < r->ninds; k++)
				ind[k] = (tsgi_sind){.kind = r->inds[k].kind,
				                     .value = r->inds[k].value,
				                     .detail = *r->inds[k].detail ? r->inds[k].detail : NULL,
				                     .host = *r->inds[k].host ? r->inds[k].host : NULL,
				                     .domain = *r->inds[k].domain ? r->inds[k].domain : NULL,
				                     .flags = r->inds[k].flags,
				                     .start = -1,
				                     .end = -1};
			tsgi_sreport sr = {.id = r->id, .t = r->t, .channel = r->channel,
			                   .brands = r->brand, .score = -1, .content = "",
			                   .raw = "{}", .inds = ind, .n_inds = (size_t)r->ninds};
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
	};
	int rc = cmocka_run_group_tests_name(backend, tests, NULL, NULL);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return rc;
}
