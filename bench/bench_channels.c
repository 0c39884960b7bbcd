/*
 * bench_channels.c - figures for the channel parsers (docs/benchmarks.md,
 * docs/channels.md).  Prints, never asserts:
 *
 *   emails per second (full scan) over the corpus emails, with their
 *   average size; pages per second over the corpus web pages;
 *   pathological inputs timed: 10,000 nested MIME parts, a 50 MB HTML page,
 *   a page of 1 million tags (flat) and 1 million nested tags;
 *   live call screening: turns to detection on the corpus scam calls, each
 *   split into sentence turns and fed one turn at a time as
 *   `scan --stream` does.
 *
 * Medians over RUNS runs.  Usage: bench_channels [--no-model] [PROJECT_ROOT];
 * the corpus
 * is PROJECT_ROOT/../shared/corpus (default root: $TSGUARD_SRC, else ".").
 * --no-model measures rules and policy alone.
 * Set TSGUARD_DATA to the project root for the rules.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "tsguard.h"

#define RUNS 5

typedef struct blob {
	char *data;
	size_t len;
} blob;

typedef struct set {
	blob *v;
	size_t n, cap;
	size_t bytes;
} set;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (b) {
		b[n] = '\0';
		*len = (size_t)n;
	}
	return b;
}

static void add(set *s, char *data, size_t len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = (blob){data, len};
	s->bytes += len;
}

/* Loads emails and pages (by path) and scam call texts from one split. */
static void load(const char *corpus, const char *split, set *email, set *web,
                 set *calls)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.jsonl", corpus, split);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	while ((got = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)got, 0, NULL);
		const char *ch = json_string_value(json_object_get(o, "channel"));
		const char *p = json_string_value(json_object_get(o, "path"));
		const char *label = json_string_value(json_object_get(o, "label"));
		const char *content = json_string_value(json_object_get(o, "content"));
		if (ch && p && (!strcmp(ch, "email") || !strcmp(ch, "web"))) {
			char full[4096];
			size_t len;
			snprintf(full, sizeof full, "%s/%s", corpus, p);
			char *d = slurp(full, &len);
			if (d)
				add(!strcmp(ch, "email") ? email : web, d, len);
		} else if (ch && !strcmp(ch, "call") && label && !strcmp(label, "scam") &&
		           content) {
			add(calls, strdup(content), strlen(content));
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
}

static double time_set(tsg_scan *s, const set *st, tsg_channel ch)
{
	double t0 = bench_now();
	for (size_t i = 0; i < st->n; i++) {
		tsg_input in = {.data = st->v[i].data, .len = st->v[i].len, .channel = ch};
		const tsg_verdict *v;
		tsg_scan_run(s, &in, &v);
	}
	return bench_now() - t0;
}

static void rate(tsg_scan *s, const set *st, tsg_channel ch, const char *what)
{
	if (!st->n) {
		printf("%-8s no corpus files found\n", what);
		return;
	}
	double t[RUNS];
	for (int r = 0; r < RUNS; r++)
		t[r] = time_set(s, st, ch);
	double m = bench_median(t, RUNS);
	printf("%-8s %zu files, average %.1f KB: %.0f per second (median of %d runs, "
	       "%.2f s per pass)\n",
	       what, st->n, (double)st->bytes / (double)st->n / 1024.0,
	       (double)st->n / m, RUNS, m);
}

static void patho(tsg_scan *s, const char *what, const char *data, size_t len,
                  tsg_channel ch)
{
	double t[3];
	unsigned limits = 0;
	for (int r = 0; r < 3; r++) {
		double t0 = bench_now();
		tsg_input in = {.data = data, .len = len, .channel = ch};
		const tsg_verdict *v = NULL;
		tsg_scan_run(s, &in, &v);
		t[r] = bench_now() - t0;
		limits = v ? v->limits_hit : 0;
	}
	printf("  %-34s %8.1f MB  %8.3f s (median of 3), limits 0x%02x\n", what,
	       (double)len / 1e6, bench_median(t, 3), limits);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail,
                    size_t *len)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *b = malloc(hl + ul * n + tl + 1);
	memcpy(b, head, hl);
	for (size_t i = 0; i < n; i++)
		memcpy(b + hl + i * ul, unit, ul);
	memcpy(b + hl + ul * n, tail, tl + 1);
	*len = hl + ul * n + tl;
	return b;
}

/* ---- turns to detection ------------------------------------------------ */

/* Splits a transcript into sentence turns: at . ? ! followed by a space,
 * and, for unpunctuated speech-recognition text, every 20 words. */
static size_t sentences(const char *t, size_t n, size_t *starts, size_t max)
{
	size_t k = 0, words = 0;
	starts[k++] = 0;
	for (size_t i = 0; i + 1 < n && k < max; i++) {
		if (t[i] == ' ')
			words++;
		bool end = (t[i] == '.' || t[i] == '?' || t[i] == '!') && t[i + 1] == ' ';
		if (end || (t[i] == ' ' && words >= 20)) {
			starts[k++] = i + 1;
			words = 0;
		}
	}
	return k;
}

static void turns_to_detection(tsg_scan *s, const set *calls)
{
	if (!calls->n) {
		printf("calls: no corpus calls found\n");
		return;
	}
	size_t detected = 0, total_turns = 0;
	double *tt = malloc(calls->n * sizeof *tt), *frac = malloc(calls->n * sizeof *frac);
	size_t starts[4096];
	for (size_t c = 0; c < calls->n; c++) {
		const char *t = calls->v[c].data;
		size_t n = calls->v[c].len;
		size_t k = sentences(t, n, starts, 4096);
		total_turns += k;
		json_t *arr = json_array();
		for (size_t i = 0; i < k; i++) {
			size_t e = i + 1 < k ? starts[i + 1] : n;
			json_t *o = json_object();
			json_object_set_new(o, "text", json_stringn(t + starts[i], e - starts[i]));
			json_array_append_new(arr, o);
			char *js = json_dumps(arr, JSON_COMPACT);
			tsg_input in = {.data = js, .len = strlen(js), .channel = TSG_CHANNEL_CALL};
			const tsg_verdict *v;
			bool hit = tsg_scan_run(s, &in, &v) == TSG_OK && v->cls == TSG_SCAM;
			free(js);
			if (hit) {
				tt[detected] = (double)(i + 1);
				frac[detected] = (double)(i + 1) / (double)k;
				detected++;
				break;
			}
		}
		json_decref(arr);
	}
	printf("calls: %zu scam calls, %.1f sentence turns on average; alerted on "
	       "%zu (%.1f%%)\n",
	       calls->n, (double)total_turns / (double)calls->n, detected,
	       100.0 * (double)detected / (double)calls->n);
	if (detected) {
		double sum = 0;
		for (size_t i = 0; i < detected; i++)
			sum += tt[i];
		double mean = sum / (double)detected;
		double med = bench_median(tt, detected);
		printf("calls: turns to detection median %.0f, mean %.1f; share of the "
		       "call heard at the alert median %.0f%%\n",
		       med, mean, 100.0 * bench_median(frac, detected));
	}
	free(tt);
	free(frac);
}

int main(int argc, char **argv)
{
	const char *root = getenv("TSGUARD_SRC");
	bool no_model = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-model"))
			no_model = true;
		else
			root = argv[i];
	}
	if (!root)
		root = ".";
	char corpus[4096];
	snprintf(corpus, sizeof corpus, "%s/../shared/corpus", root);
	tsg_engine *e;
	tsg_engine_config cfg = {.model_path = no_model ? "" : NULL};
	if (tsg_engine_open(&cfg, &e) != TSG_OK) {
		fprintf(stderr, "engine: %s\n", tsg_engine_errmsg(e));
		return 1;
	}
	tsg_scan *s = tsg_scan_new(e);
	set email = {0}, web = {0}, calls = {0};
	load(corpus, "train", &email, &web, &calls);
	load(corpus, "test", &email, &web, &calls);

	printf("tsguard %s channel benchmark (full scan: parse, normalise, extract, "
	       "rules, policy%s)\n", tsg_version(), no_model ? "; no model" : ", model");
	rate(s, &email, TSG_CHANNEL_EMAIL, "emails");
	rate(s, &web, TSG_CHANNEL_WEB, "pages");

	printf("pathological inputs:\n");
	size_t len;
	char *m = repeat("From: a@b.example\nSubject: deep\n",
	                 "Content-Type: multipart/mixed; boundary=b\n\n--b\n", 10000,
	                 "Content-Type: text/plain\n\nhello\n", &len);
	patho(s, "10,000 nested MIME parts", m, len, TSG_CHANNEL_EMAIL);
	free(m);
	m = repeat("From: a@b\nContent-Type: multipart/mixed; boundary=z\n\n",
	           "--z\nContent-Type: text/plain\n\nx\n", 10000, "--z--\n", &len);
	patho(s, "10,000 sibling MIME parts", m, len, TSG_CHANNEL_EMAIL);
	free(m);
	m = repeat("<html><body>",
	           "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n",
	           50u * 1000u * 1000u / 64u, "</body></html>", &len);
	patho(s, "50 MB HTML page", m, len, TSG_CHANNEL_WEB);
	free(m);
	m = repeat("<html><body>", "<b>x</b>", 1000000, "</body></html>", &len);
	patho(s, "1 million tags (flat)", m, len, TSG_CHANNEL_WEB);
	free(m);
	m = repeat("<html><body>", "<div>", 1000000, "x</body></html>", &len);
	patho(s, "1 million tags (nested)", m, len, TSG_CHANNEL_WEB);
	free(m);

	turns_to_detection(s, &calls);

	for (size_t i = 0; i < email.n; i++)
		free(email.v[i].data);
	for (size_t i = 0; i < web.n; i++)
		free(web.v[i].data);
	for (size_t i = 0; i < calls.n; i++)
		free(calls.v[i].data);
	free(email.v);
	free(web.v);
	free(calls.v);
	tsg_scan_free(s);
	tsg_engine_unref(e);
	return 0;
}
