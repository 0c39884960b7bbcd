/*
 * cmd_export.c - `tsguard export --format stix|misp|csv [--campaign ID]`.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_intel.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: tsguard export --format stix|misp|csv [--campaign ID]\n"
	        "                      [--min-reports N] [--db URL] [--out FILE]\n\n"
	        "Writes campaigns (all with --min-reports or more reports, default 2,\n"
	        "or the one named) as a STIX 2.1 bundle, MISP event JSON or CSV.\n"
	        "Set SOURCE_DATE_EPOCH to fix the created/modified timestamps.\n");
}

/* The time written into exports: $SOURCE_DATE_EPOCH (reproducible) or now. */
long long tsgi_cli_now(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (s && *s) {
		char *end;
		long long v = strtoll(s, &end, 10);
		if (!*end && v >= 0)
			return v;
	}
	return (long long)time(NULL);
}

int tsgi_cmd_export(int argc, char **argv)
{
	tsgi_engine_opts eo = {0};
	const char *db = NULL, *fmt = NULL, *camp = NULL, *out = NULL;
	size_t min_reports = 2;
	bool bad = false;
	for (int i = 1; i < argc && !bad; i++) {
		const char *a = argv[i];
		if (tsgi_cli_engine_opt(argc, argv, &i, &eo, &bad))
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--db") || !strcmp(a, "--format") ||
		           !strcmp(a, "--campaign") || !strcmp(a, "--out") ||
		           !strcmp(a, "--min-reports")) {
			if (i + 1 >= argc) {
				tsgi_cli_err("export", "%s needs a value", a);
				return TSGI_EXIT_ERROR;
			}
			const char *v = argv[++i];
			if (!strcmp(a, "--db"))
				db = v;
			else if (!strcmp(a, "--format"))
				fmt = v;
			else if (!strcmp(a, "--campaign"))
				camp = v;
			else if (!strcmp(a, "--out"))
				out = v;
			else {
				char *end;
				min_reports = strtoul(v, &end, 10);
				if (*end || !*v) {
					tsgi_cli_err("export", "--min-reports needs a number");
					return TSGI_EXIT_ERROR;
				}
			}
		} else {
			tsgi_cli_err("export", "unknown argument %s", a);
			usage(stderr);
			return TSGI_EXIT_ERROR;
		}
	}
	if (bad)
		return TSGI_EXIT_ERROR;
	if (!fmt || (strcmp(fmt, "stix") && strcmp(fmt, "misp") && strcmp(fmt, "csv"))) {
		tsgi_cli_err("export", "--format must be stix, misp or csv");
		return TSGI_EXIT_ERROR;
	}
	tsgi_cli_intel in;
	if (!tsgi_cli_intel_open("export", db, &eo, false, true, &in))
		return TSGI_EXIT_ERROR;
	FILE *f = out ? fopen(out, "wb") : stdout;
	int rc = TSGI_EXIT_ERROR;
	if (!f) {
		tsgi_cli_err("export", "%s: cannot write", out);
		goto done;
	}
	tsgi_export_sel sel = {camp, min_reports, tsgi_cli_now()};
	tsg_status st = !strcmp(fmt, "stix")   ? tsgi_export_stix(in.ds, &sel, f)
	                : !strcmp(fmt, "misp") ? tsgi_export_misp(in.ds, &sel, f)
	                                       : tsgi_export_csv(in.ds, &sel, f);
	if (st == TSG_ENOTFOUND)
		tsgi_cli_err("export", "no campaign '%s'", camp);
	else if (st != TSG_OK)
		tsgi_cli_err("export", "%s", tsg_strerror(st));
	else
		rc = 0;
	if (f != stdout) {
		if (fclose(f) != 0)
			rc = TSGI_EXIT_ERROR;
	} else if (fflush(stdout) != 0) {
		rc = TSGI_EXIT_ERROR;
	}
done:
	tsgi_cli_intel_close(&in);
	return rc;
}
