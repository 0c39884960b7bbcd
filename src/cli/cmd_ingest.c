/*
 * cmd_ingest.c - `tsguard ingest`: report JSONL into the store.
 *
 * Each line is parsed (report.c), scanned by the engine (verdict, brands,
 * indicators; the victim's country is the phone region) and queued; every
 * --batch reports (and at the end) the queue is written in one transaction.
 * A report is ACKNOWLEDGED when the transaction holding it has committed:
 * with --ack its id is then printed on stdout, and the final count on
 * stderr counts only committed reports.  A kill at any moment loses at most
 * the reports of the batch in flight, none of which was acknowledged;
 * running the same file again stores them (ids already stored are
 * skipped), so ingest is idempotent.
 *
 * Exit status: 0 every line stored (or already there), 1 some lines were
 * rejected (each reported on stderr with its line number), 2 error.
 */
#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../intel/intel.h"
#include "../store/store.h"
#include "cli.h"
#include "tsguard_limits.h"

#define DEFAULT_BATCH 500u

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: tsguard ingest [--db URL] [--batch N] [--ack] [--quiet]\n"
	        "                      [--region CC] FILE.jsonl|-\n\n"
	        "  --db URL      sqlite:PATH or postgresql://... (default $TSGUARD_DB,\n"
	        "                else sqlite:./tsguard.db)\n"
	        "  --batch N     reports per transaction (default %u, max %u)\n"
	        "  --ack         print each report id once it is committed\n"
	        "  --quiet       no progress bar\n"
	        "  --region CC   phone region when a report has no victim country\n"
	        "  --data DIR, --rules PATH, --model FILE   engine options\n\n"
	        "Exit status: 0 all stored, 1 some lines rejected, 2 error.\n",
	        DEFAULT_BATCH, TSG_MAX_INGEST_BATCH);
}

typedef struct pending {
	tsgi_report_in in;
	tsgi_sind *inds;
	size_t n_inds;
	char *brands, *category;
} pending;

typedef struct ingest {
	tsgi_store *store;
	tsg_scan *scan;
	GStringChunk *strs; /* indicator strings of the batch in flight */
	pending *q;
	size_t nq, batch;
	const char *region;
	bool ack, progress;
	size_t added, dup, bad, lines;
	size_t bytes, total;
	time_t last_bar;
} ingest;

static const char *chunk(ingest *g, const char *s)
{
	return s ? g_string_chunk_insert(g->strs, s) : NULL;
}

static void free_pending(pending *p)
{
	tsgi_report_in_free(&p->in);
	free(p->inds);
	free(p->brands);
	free(p->category);
}

static void bar(ingest *g, bool final)
{
	if (!g->progress)
		return;
	time_t now = time(NULL);
	if (!final && now == g->last_bar)
		return;
	g->last_bar = now;
	if (g->total) {
		int width = 30;
		double frac = (double)g->bytes / (double)g->total;
		if (frac > 1)
			frac = 1;
		int fill = (int)(frac * width);
		fprintf(stderr, "\r[%.*s%*s] %3.0f%%  %zu stored, %zu already, %zu bad",
		        fill, "##############################", width - fill, "",
		        frac * 100, g->added, g->dup, g->bad);
	} else {
		fprintf(stderr, "\r%zu lines: %zu stored, %zu already, %zu bad", g->lines,
		        g->added, g->dup, g->bad);
	}
	if (final)
		fputc('\n', stderr);
}

/* Commits the queue.  Retries a few times when the backend is busy or
 * unreachable; on final failure nothing of the batch is acknowledged. */
static bool flush(ingest *g)
{
	if (!g->nq)
		return true;
	tsgi_sreport *reps = calloc(g->nq, sizeof *reps);
	if (!reps) {
		tsgi_cli_err("ingest", "out of memory");
		return false;
	}
	for (size_t i = 0; i < g->nq; i++) {
		reps[i] = g->q[i].in.r;
		reps[i].inds = g->q[i].inds;
		reps[i].n_inds = g->q[i].n_inds;
		reps[i].brands = g->q[i].brands;
		reps[i].category = g->q[i].category;
	}
	size_t added = 0;
	tsg_status st = TSG_ESTORE;
	for (int attempt = 0; attempt < 5; attempt++) {
		st = tsgi_store_add(g->store, reps, g->nq, &added);
		if (st == TSG_OK || st != TSG_EUNAVAIL)
			break;
		sleep(1u << attempt);
	}
	free(reps);
	if (st != TSG_OK) {
		tsgi_cli_err("ingest", "%s (the last %zu reports were not stored)",
		             tsgi_store_errmsg(g->store), g->nq);
		return false;
	}
	g->added += added;
	g->dup += g->nq - added;
	if (g->ack) {
		for (size_t i = 0; i < g->nq; i++)
			printf("%s\n", g->q[i].in.id);
		fflush(stdout);
	}
	for (size_t i = 0; i < g->nq; i++)
		free_pending(&g->q[i]);
	g->nq = 0;
	g_string_chunk_clear(g->strs);
	return true;
}

static char *join_brands(const tsg_verdict *v)
{
	if (!v || !v->n_brands)
		return NULL;
	GString *s = g_string_new(NULL);
	for (size_t i = 0; i < v->n_brands; i++) {
		if (i)
			g_string_append_c(s, ',');
		g_string_append(s, v->brands[i]);
	}
	char *out = strdup(s->str);
	g_string_free(s, TRUE);
	return out;
}

/* Parses, scans and queues one line.  False on a fatal error. */
static bool one_line(ingest *g, const char *line, size_t len, size_t lineno)
{
	pending p = {0};
	char err[512];
	tsg_status st = tsgi_report_parse(line, len, (long long)time(NULL), &p.in,
	                                  err, sizeof err);
	if (st != TSG_OK) {
		tsgi_cli_err("ingest", "line %zu%s%s%s: %s", lineno,
		             p.in.id ? " (id " : "", p.in.id ? p.in.id : "",
		             p.in.id ? ")" : "", err);
		g->bad++;
		free_pending(&p);
		return st != TSG_ENOMEM;
	}
	tsg_input in = {
		.data = p.in.content,
		.len = strlen(p.in.content),
		.channel = p.in.ch,
		.contact = p.in.ct,
		.id = p.in.id,
		.sender = p.in.sender,
		.lang = p.in.lang,
		.region = p.in.country ? p.in.country : g->region,
	};
	const tsg_verdict *v = NULL;
	const tsg_indicator *ind = NULL;
	size_t nind = 0;
	bool one_segment = true;
	if (tsg_scan_run(g->scan, &in, &v) == TSG_OK) {
		ind = v->indicators;
		nind = v->n_indicators;
		one_segment = v->n_segments <= 1;
		p.brands = join_brands(v);
		p.category = v->category ? strdup(v->category) : NULL;
		p.in.r.score = v->score;
	} else if (tsg_scan_extract(g->scan, &in, &ind, &nind) != TSG_OK) {
		tsgi_cli_err("ingest", "line %zu (id %s): scan failed: %s; stored "
		                       "without indicators",
		             lineno, p.in.id, tsg_scan_errmsg(g->scan));
		nind = 0;
	}
	if (nind > TSG_MAX_REPORT_INDICATORS)
		nind = TSG_MAX_REPORT_INDICATORS;
	p.inds = calloc(nind ? nind : 1, sizeof *p.inds);
	if (!p.inds) {
		free_pending(&p);
		tsgi_cli_err("ingest", "out of memory");
		return false;
	}
	for (size_t i = 0; i < nind; i++) {
		const tsg_indicator *x = &ind[i];
		/* Offsets of decoded segments (email parts, HTML) do not point
		 * into the stored content; keep spans only for one-segment
		 * inputs. */
		bool span = one_segment && x->segment == 0 && x->end <= in.len;
		p.inds[p.n_inds++] = (tsgi_sind){
			.kind = (int)x->kind,
			.value = chunk(g, x->value),
			.detail = chunk(g, x->detail),
			.host = chunk(g, x->host),
			.domain = chunk(g, x->domain),
			.brand = chunk(g, x->brand),
			.flags = x->flags,
			.start = span ? (long long)x->start : -1,
			.end = span ? (long long)x->end : -1,
		};
	}
	g->q[g->nq++] = p;
	if (g->nq >= g->batch)
		return flush(g);
	return true;
}

int tsgi_cmd_ingest(int argc, char **argv)
{
	tsgi_engine_opts eo = {0};
	const char *db = NULL, *path = NULL, *region = NULL;
	bool ack = false, quiet = false, bad = false;
	unsigned long batch = DEFAULT_BATCH;
	for (int i = 1; i < argc && !bad; i++) {
		const char *a = argv[i];
		if (tsgi_cli_engine_opt(argc, argv, &i, &eo, &bad))
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--ack")) {
			ack = true;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			quiet = true;
		} else if (!strcmp(a, "--db") || !strcmp(a, "--batch") ||
		           !strcmp(a, "--region")) {
			if (i + 1 >= argc) {
				tsgi_cli_err("ingest", "%s needs a value", a);
				return TSGI_EXIT_ERROR;
			}
			const char *v = argv[++i];
			if (!strcmp(a, "--db")) {
				db = v;
			} else if (!strcmp(a, "--region")) {
				region = v;
			} else {
				char *end;
				errno = 0;
				batch = strtoul(v, &end, 10);
				if (errno || *end || batch == 0 || batch > TSG_MAX_INGEST_BATCH) {
					tsgi_cli_err("ingest", "--batch must be 1..%u",
					             TSG_MAX_INGEST_BATCH);
					return TSGI_EXIT_ERROR;
				}
			}
		} else if (a[0] == '-' && a[1]) {
			tsgi_cli_err("ingest", "unknown option %s", a);
			usage(stderr);
			return TSGI_EXIT_ERROR;
		} else if (path) {
			tsgi_cli_err("ingest", "one input file at a time");
			return TSGI_EXIT_ERROR;
		} else {
			path = a;
		}
	}
	if (bad)
		return TSGI_EXIT_ERROR;
	if (!path) {
		usage(stderr);
		return TSGI_EXIT_ERROR;
	}
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		tsgi_cli_err("ingest", "%s: %s", path, strerror(errno));
		return TSGI_EXIT_ERROR;
	}
	int rc = TSGI_EXIT_ERROR;
	char err[1024];
	ingest g = {.batch = batch, .region = region, .ack = ack};
	tsg_engine *e = tsgi_cli_engine(&eo);
	if (!e)
		goto out;
	tsg_status st = tsgi_store_open(db, &g.store, err, sizeof err);
	if (st != TSG_OK) {
		tsgi_cli_err("ingest", "%s", err);
		goto out;
	}
	g.scan = tsg_scan_new(e);
	g.strs = g_string_chunk_new(1 << 16);
	g.q = calloc(batch, sizeof *g.q);
	if (!g.scan || !g.q) {
		tsgi_cli_err("ingest", "out of memory");
		goto out;
	}
	struct stat sb;
	if (!quiet && isatty(STDERR_FILENO)) {
		g.progress = true;
		if (f != stdin && fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
			g.total = (size_t)sb.st_size;
	}
	bool ok = true;
	for (;;) {
		char *line;
		size_t len;
		int r = tsgi_cli_read_line(f, &line, &len, &g.bytes);
		if (r == 0)
			break;
		g.lines++;
		if (r == 2) {
			tsgi_cli_err("ingest", "line %zu: longer than %u bytes "
			                       "(TSG_MAX_LINE)",
			             g.lines, TSG_MAX_LINE);
			g.bad++;
			continue;
		}
		size_t k = 0;
		while (k < len && (line[k] == ' ' || line[k] == '\t'))
			k++;
		if (k < len)
			ok = one_line(&g, line, len, g.lines);
		free(line);
		bar(&g, false);
		if (!ok)
			break;
	}
	if (ok && ferror(f)) {
		tsgi_cli_err("ingest", "%s: read error", path);
		ok = false;
	}
	if (ok)
		ok = flush(&g);
	bar(&g, true);
	if (!quiet)
		fprintf(stderr, "tsguard ingest: %zu stored, %zu already stored, %zu "
		                "rejected (%s)\n",
		        g.added, g.dup, g.bad, tsgi_store_backend(g.store));
	rc = !ok ? TSGI_EXIT_ERROR : g.bad ? 1 : 0;
out:
	for (size_t i = 0; g.q && i < g.nq; i++)
		free_pending(&g.q[i]);
	free(g.q);
	if (g.strs)
		g_string_chunk_free(g.strs);
	tsg_scan_free(g.scan);
	tsgi_store_close(g.store);
	tsg_engine_unref(e);
	if (f != stdin)
		fclose(f);
	return rc;
}
