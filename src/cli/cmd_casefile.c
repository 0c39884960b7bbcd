/*
 * cmd_casefile.c - `tsguard casefile --campaign ID --out case.html`.
 */
#include <string.h>

#include "cli_intel.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: tsguard casefile --campaign ID --out FILE.html [--db URL]\n\n"
	           "Writes a self-contained HTML case file for one campaign: summary,\n"
	           "timeline, indicators, victims by country, losses and sample\n"
	           "narratives with the evidence highlighted.\n");
}

int tsgi_cmd_casefile(int argc, char **argv)
{
	tsgi_engine_opts eo = {0};
	const char *db = NULL, *camp = NULL, *out = NULL;
	bool bad = false;
	for (int i = 1; i < argc && !bad; i++) {
		const char *a = argv[i];
		if (tsgi_cli_engine_opt(argc, argv, &i, &eo, &bad))
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--db") || !strcmp(a, "--campaign") ||
		           !strcmp(a, "--out")) {
			if (i + 1 >= argc) {
				tsgi_cli_err("casefile", "%s needs a value", a);
				return TSGI_EXIT_ERROR;
			}
			const char *v = argv[++i];
			if (!strcmp(a, "--db"))
				db = v;
			else if (!strcmp(a, "--campaign"))
				camp = v;
			else
				out = v;
		} else {
			tsgi_cli_err("casefile", "unknown argument %s", a);
			usage(stderr);
			return TSGI_EXIT_ERROR;
		}
	}
	if (bad)
		return TSGI_EXIT_ERROR;
	if (!camp || !out) {
		usage(stderr);
		return TSGI_EXIT_ERROR;
	}
	tsgi_cli_intel in;
	if (!tsgi_cli_intel_open("casefile", db, &eo, false, true, &in))
		return TSGI_EXIT_ERROR;
	int rc = TSGI_EXIT_ERROR;
	char err[1024] = "";
	if (!tsgi_ds_campaign_find(in.ds, camp)) {
		tsgi_cli_err("casefile", "no campaign '%s'", camp);
		goto done;
	}
	FILE *f = strcmp(out, "-") ? fopen(out, "wb") : stdout;
	if (!f) {
		tsgi_cli_err("casefile", "%s: cannot write", out);
		goto done;
	}
	tsg_status st = tsgi_casefile(in.ds, in.store, camp, tsgi_cli_now(), f, err,
	                              sizeof err);
	if (f != stdout && fclose(f) != 0 && st == TSG_OK)
		st = TSG_EIO;
	if (st != TSG_OK)
		tsgi_cli_err("casefile", "%s", *err ? err : tsg_strerror(st));
	else
		rc = 0;
done:
	tsgi_cli_intel_close(&in);
	return rc;
}
