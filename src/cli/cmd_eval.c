/*
 * cmd_eval.c - `tsguard eval`: scans labelled JSONL with the engine (and
 * its model) and prints accuracy per channel, category and language.  The
 * figures are computed in src/model/eval.c.
 */
#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "../core/engine_int.h"
#include "../core/scan_int.h"
#include "../model/dataset.h"
#include "../model/eval.h"
#include "../model/model.h"
#include "../text/lang.h"
#include "cli.h"

static void eval_usage(FILE *f)
{
	fprintf(f,
	        "usage: tsguard eval [options] DATA.jsonl...\n\n"
	        "  --threshold X     scam when score >= X (default: threshold.scam)\n"
	        "  --errors          list the misclassified ids\n"
	        "  --json            print JSON instead of a table\n"
	        "  --markdown FILE   write the docs/accuracy.md report to FILE\n"
	        "                    (notes below its marker line are kept)\n"
	        "  --command TEXT    markdown: a command that reproduces the report\n"
	        "                    (repeatable)\n"
	        "  --corpus FILE     markdown: also name FILE (the train split) in\n"
	        "                    the corpus version (repeatable)\n"
	        "  --model FILE, --data DIR, --rules PATH   the engine to measure\n");
}

struct eval_ctx {
	tsg_scan *scan;
	tsgi_eval_set set;
	size_t failed;
	bool oom;
};

static int eval_fn(void *ctx, const tsgi_labelled *L)
{
	struct eval_ctx *c = ctx;
	const tsg_verdict *v;
	if (tsg_scan_run(c->scan, &L->rec.in, &v) != TSG_OK) {
		fprintf(stderr, "%s:%zu: %s, skipped\n", L->file, L->lineno,
		        tsg_scan_errmsg(c->scan));
		c->failed++;
		return 0;
	}
	/* The language the engine would guess, from the text it normalised. */
	const char *guess = tsgi_lang_detect(&c->scan->text);
	if (!tsgi_eval_add(&c->set, L->rec.id, L->label, v->channel, L->category,
	                   L->lang, guess, v->score)) {
		c->oom = true;
		return 1;
	}
	return 0;
}

/* "train.jsonl: 36984 lines, sha256 0123456789abcdef" for each file. */
static char *corpus_version(char **files, size_t n)
{
	GString *s = g_string_new(NULL);
	for (size_t i = 0; i < n; i++) {
		FILE *f = fopen(files[i], "rb");
		if (!f)
			continue;
		GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
		unsigned char buf[65536];
		size_t got, lines = 0;
		while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
			g_checksum_update(c, buf, (gssize)got);
			for (size_t k = 0; k < got; k++)
				lines += buf[k] == '\n';
		}
		fclose(f);
		const char *slash = strrchr(files[i], '/');
		g_string_append_printf(s, "%s%s: %zu lines, sha256 %.16s", i ? "; " : "",
		                       slash ? slash + 1 : files[i], lines,
		                       g_checksum_get_string(c));
		g_checksum_free(c);
	}
	return g_string_free(s, FALSE);
}

/* The notes of an existing report: everything after the marker line. */
static char *kept_notes(const char *path)
{
	size_t len;
	bool trunc;
	char *old = tsgi_cli_read(path, 1u << 20, &len, &trunc);
	if (!old)
		return NULL;
	char *keep = NULL;
	const char *mark = strstr(old, TSGI_EVAL_NOTES_MARK);
	if (mark) {
		mark += strlen(TSGI_EVAL_NOTES_MARK);
		if (*mark == '\n')
			mark++;
		keep = strdup(mark);
	}
	free(old);
	return keep;
}

int tsgi_cmd_eval(int argc, char **argv)
{
	tsgi_engine_opts eo = {0};
	tsgi_eval_report rep = {.threshold = -1};
	bool json = false, bad = false;
	const char *md = NULL;
	char **files = calloc((size_t)argc + 1, sizeof *files);
	const char **cmds = calloc((size_t)argc + 1, sizeof *cmds);
	char **vfiles = calloc((size_t)argc + 1, sizeof *vfiles);
	size_t nf = 0, nc = 0, nv = 0;
	int rc = TSGI_EXIT_ERROR;
	struct eval_ctx c = {0};
	tsg_engine *e = NULL;
	if (!files || !cmds || !vfiles)
		goto out;
	for (int i = 1; i < argc && !bad; i++) {
		const char *a = argv[i];
		if (tsgi_cli_engine_opt(argc, argv, &i, &eo, &bad))
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			eval_usage(stdout);
			rc = 0;
			goto out;
		} else if (!strcmp(a, "--errors")) {
			rep.errors = true;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--threshold") || !strcmp(a, "--markdown") ||
		           !strcmp(a, "--command") || !strcmp(a, "--corpus")) {
			if (i + 1 >= argc) {
				tsgi_cli_err("eval", "%s needs a value", a);
				goto out;
			}
			const char *v = argv[++i];
			if (!strcmp(a, "--markdown")) {
				md = v;
			} else if (!strcmp(a, "--command")) {
				cmds[nc++] = v;
			} else if (!strcmp(a, "--corpus")) {
				vfiles[nv++] = argv[i];
			} else {
				char *end;
				errno = 0;
				double t = strtod(v, &end);
				if (errno || end == v || *end || !(t >= 0 && t <= 1)) {
					tsgi_cli_err("eval", "--threshold must be in [0, 1]");
					goto out;
				}
				rep.threshold = t;
			}
		} else if (a[0] == '-' && a[1]) {
			tsgi_cli_err("eval", "unknown option '%s'", a);
			eval_usage(stderr);
			goto out;
		} else {
			files[nf++] = argv[i];
			vfiles[nv++] = argv[i];
		}
	}
	if (bad)
		goto out;
	if (nf == 0) {
		eval_usage(stderr);
		goto out;
	}
	e = tsgi_cli_engine(&eo);
	if (!e)
		goto out;
	if (rep.threshold < 0)
		rep.threshold = e->t_scam;
	rep.t_suspicious = e->t_suspicious < rep.threshold ? e->t_suspicious
	                                                   : rep.threshold;
	rep.model_info = e->model ? tsgi_model_info(e->model) : "none (rules only)";
	c.scan = tsg_scan_new(e);
	if (!c.scan) {
		tsgi_cli_err("eval", "out of memory");
		goto out;
	}
	size_t skipped = 0;
	for (size_t i = 0; i < nf; i++) {
		char err[512];
		if (tsgi_jsonl_each(files[i], eval_fn, &c, stderr, &skipped, err,
		                    sizeof err) != TSG_OK) {
			tsgi_cli_err("eval", "%s", err);
			goto out;
		}
		if (c.oom) {
			tsgi_cli_err("eval", "out of memory");
			goto out;
		}
	}
	if (skipped + c.failed)
		fprintf(stderr, "tsguard eval: %zu records skipped\n",
		        skipped + c.failed);
	if (md) {
		char *corpus = corpus_version(vfiles, nv);
		char *keep = kept_notes(md);
		rep.corpus = corpus;
		rep.commands = cmds;
		rep.ncommands = nc;
		FILE *f = fopen(md, "w");
		if (!f) {
			tsgi_cli_err("eval", "%s: %s", md, strerror(errno));
			g_free(corpus);
			free(keep);
			goto out;
		}
		tsgi_eval_print_markdown(f, &c.set, &rep, keep);
		bool ok = fclose(f) == 0;
		g_free(corpus);
		free(keep);
		if (!ok) {
			tsgi_cli_err("eval", "%s: write failed", md);
			goto out;
		}
	}
	if (json) {
		char *js = tsgi_eval_json(&c.set, &rep);
		if (!js) {
			tsgi_cli_err("eval", "out of memory");
			goto out;
		}
		puts(js);
		free(js);
	} else {
		tsgi_eval_print_text(stdout, &c.set, &rep);
	}
	rc = fflush(stdout) == 0 ? 0 : TSGI_EXIT_ERROR;
out:
	tsgi_eval_free(&c.set);
	tsg_scan_free(c.scan);
	tsg_engine_unref(e);
	free(files);
	free(cmds);
	free(vfiles);
	return rc;
}
