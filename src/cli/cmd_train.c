/*
 * cmd_train.c - `tsguard train`: labelled JSONL in, model file out.  The
 * work is in src/model/train.c; this parses options and reports.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../model/model_int.h"
#include "../model/train.h"
#include "cli.h"
#include "tsguard_limits.h"

static void train_usage(FILE *f)
{
	fprintf(f,
	        "usage: tsguard train --out FILE [options] DATA.jsonl...\n\n"
	        "  --out FILE          model file to write\n"
	        "  --exclude FILE      test split: records with the same normalised\n"
	        "                      text are reported and dropped from train\n"
	        "                      (repeatable)\n"
	        "  --seed N            hash and shuffle seed (default 1)\n"
	        "  --bits N            2^N hashed feature buckets (%u..%u, default "
	        "17)\n"
	        "  --epochs N          passes over the data (default 3)\n"
	        "  --spam-weight W     weight of a spam record as not-scam; 0 leaves\n"
	        "                      spam out (default 0.5)\n"
	        "  --scam-weight W     weight of a scam record (default: all scam\n"
	        "                      together weighs half the negatives)\n"
	        "  --folds K           folds for fitting the score fusion (default 5)\n"
	        "  --quiet             no progress on stderr\n"
	        "  --data DIR, --rules PATH   the rules whose hits are features\n",
	        TSG_MODEL_MIN_BITS, TSG_MODEL_MAX_BITS);
}

static bool num(const char *opt, const char *v, double lo, double hi,
                double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || !(d >= lo && d <= hi)) {
		tsgi_cli_err("train", "%s must be a number in [%g, %g]", opt, lo, hi);
		return false;
	}
	*out = d;
	return true;
}

int tsgi_cmd_train(int argc, char **argv)
{
	tsgi_train_opts o;
	tsgi_train_defaults(&o);
	o.log = stderr;
	tsgi_engine_opts eo = {0};
	const char *outp = NULL;
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	const char **excl = calloc((size_t)argc + 1, sizeof *excl);
	size_t nf = 0, nx = 0;
	bool bad = !files || !excl;
	int rc = TSGI_EXIT_ERROR;
	for (int i = 1; i < argc && !bad; i++) {
		const char *a = argv[i];
		if (tsgi_cli_engine_opt(argc, argv, &i, &eo, &bad))
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			train_usage(stdout);
			rc = 0;
			goto out;
		} else if (!strcmp(a, "--quiet")) {
			o.log = NULL;
		} else if (!strcmp(a, "--out") || !strcmp(a, "--exclude") ||
		           !strcmp(a, "--seed") || !strcmp(a, "--bits") ||
		           !strcmp(a, "--epochs") || !strcmp(a, "--spam-weight") ||
		           !strcmp(a, "--scam-weight") || !strcmp(a, "--folds")) {
			if (i + 1 >= argc) {
				tsgi_cli_err("train", "%s needs a value", a);
				goto out;
			}
			const char *v = argv[++i];
			double d = 0;
			if (!strcmp(a, "--out"))
				outp = v;
			else if (!strcmp(a, "--exclude"))
				excl[nx++] = v;
			else if (!strcmp(a, "--seed")) {
				bad = !num(a, v, 0, 4294967295.0, &d);
				o.fp.seed = (uint32_t)d;
				o.ftrl.seed = (uint64_t)d;
			} else if (!strcmp(a, "--bits")) {
				bad = !num(a, v, TSG_MODEL_MIN_BITS, TSG_MODEL_MAX_BITS, &d);
				o.fp.bits = (uint32_t)d;
			} else if (!strcmp(a, "--epochs")) {
				bad = !num(a, v, 1, 100, &d);
				o.ftrl.epochs = (unsigned)d;
			} else if (!strcmp(a, "--spam-weight")) {
				bad = !num(a, v, 0, 100, &d);
				o.spam_weight = d;
			} else if (!strcmp(a, "--scam-weight")) {
				bad = !num(a, v, 0, 1e6, &d);
				o.scam_weight = d;
			} else {
				bad = !num(a, v, 0, 50, &d);
				o.folds = (unsigned)d;
			}
		} else if (a[0] == '-' && a[1]) {
			tsgi_cli_err("train", "unknown option '%s'", a);
			train_usage(stderr);
			goto out;
		} else {
			files[nf++] = a;
		}
	}
	if (bad)
		goto out;
	if (!outp || nf == 0) {
		train_usage(stderr);
		goto out;
	}
	o.files = files;
	o.nfiles = nf;
	o.exclude = excl;
	o.nexclude = nx;
	/* The rule evidence the fusion learns from is the engine's score
	 * without any model. */
	eo.model = "";
	tsg_engine *e = tsgi_cli_engine(&eo);
	if (!e)
		goto out;
	char err[512] = "";
	struct tsgi_model *m = NULL;
	tsg_status st = tsgi_train(e, &o, &m, err, sizeof err);
	if (st == TSG_OK)
		st = tsgi_model_save(m, outp, err, sizeof err);
	if (st != TSG_OK) {
		tsgi_cli_err("train", "%s", err);
	} else {
		if (o.log)
			fprintf(o.log, "wrote %s\n", outp);
		rc = 0;
	}
	tsgi_model_free(m);
	tsg_engine_unref(e);
out:
	free(files);
	free(excl);
	return rc;
}
