/*
 * cmd_campaigns.c - `tsguard campaigns`: cluster the stored reports into
 * campaigns and list them.  Also the loader the export, casefile and
 * lookup commands share (tsgi_cli_intel_open).
 */
#include <stdlib.h>
#include <string.h>

#include "../core/engine_int.h"
#include "cli_intel.h"

bool tsgi_cli_intel_open(const char *cmd, const char *db,
                         const tsgi_engine_opts *eo, bool rebuild, bool save,
                         tsgi_cli_intel *out)
{
	char err[1024];
	memset(out, 0, sizeof *out);
	out->engine = tsgi_cli_engine(eo);
	if (!out->engine)
		return false;
	if (tsgi_hubs_load_engine(out->engine, &out->hubs, err, sizeof err) !=
	    TSG_OK) {
		tsgi_cli_err(cmd, "%s", err);
		goto fail;
	}
	if (tsgi_store_open(db, &out->store, err, sizeof err) != TSG_OK) {
		tsgi_cli_err(cmd, "%s", err);
		goto fail;
	}
	out->ds = tsgi_ds_new(out->hubs, out->engine->brands);
	if (!out->ds) {
		tsgi_cli_err(cmd, "out of memory");
		goto fail;
	}
	if (tsgi_ds_load(out->ds, out->store, err, sizeof err) != TSG_OK ||
	    tsgi_ds_cluster(out->ds, rebuild, &out->stats) != TSG_OK) {
		tsgi_cli_err(cmd, "%s", *err ? err : "out of memory");
		goto fail;
	}
	if (save &&
	    tsgi_ds_save(out->ds, out->store, rebuild, err, sizeof err) != TSG_OK) {
		tsgi_cli_err(cmd, "cannot save campaigns: %s", err);
		goto fail;
	}
	return true;
fail:
	tsgi_cli_intel_close(out);
	return false;
}

void tsgi_cli_intel_close(tsgi_cli_intel *in)
{
	tsgi_ds_free(in->ds);
	tsgi_store_close(in->store);
	tsgi_hubs_free(in->hubs);
	tsg_engine_unref(in->engine);
	memset(in, 0, sizeof *in);
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: tsguard campaigns [--db URL] [--json] [--min-reports N]\n"
	        "                         [--rebuild] [--stats]\n\n"
	        "Links stored reports that share scam infrastructure (phone numbers,\n"
	        "hosts and domains, remote-access IDs, wallets, bank accounts, sender\n"
	        "mailboxes) into campaigns, saves the assignment and lists them.\n\n"
	        "  --db URL          sqlite:PATH or postgresql://... (default\n"
	        "                    $TSGUARD_DB, else sqlite:./tsguard.db)\n"
	        "  --json            one JSON array of campaigns\n"
	        "  --min-reports N   list campaigns with at least N reports (default 2)\n"
	        "  --rebuild         decide every assignment again (default: keep\n"
	        "                    stored campaigns and link only new reports)\n"
	        "  --stats           print clustering statistics on stderr\n");
}

int tsgi_cmd_campaigns(int argc, char **argv)
{
	tsgi_engine_opts eo = {0};
	const char *db = NULL;
	bool json = false, rebuild = false, stats = false, bad = false;
	size_t min_reports = 2;
	for (int i = 1; i < argc && !bad; i++) {
		const char *a = argv[i];
		if (tsgi_cli_engine_opt(argc, argv, &i, &eo, &bad))
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--rebuild")) {
			rebuild = true;
		} else if (!strcmp(a, "--stats")) {
			stats = true;
		} else if (!strcmp(a, "--db") || !strcmp(a, "--min-reports")) {
			if (i + 1 >= argc) {
				tsgi_cli_err("campaigns", "%s needs a value", a);
				return TSGI_EXIT_ERROR;
			}
			const char *v = argv[++i];
			if (!strcmp(a, "--db")) {
				db = v;
			} else {
				char *end;
				unsigned long n = strtoul(v, &end, 10);
				if (*end || !*v || n > 1000000000ul) {
					tsgi_cli_err("campaigns", "--min-reports needs a number");
					return TSGI_EXIT_ERROR;
				}
				min_reports = n;
			}
		} else {
			tsgi_cli_err("campaigns", "unknown argument %s", a);
			usage(stderr);
			return TSGI_EXIT_ERROR;
		}
	}
	if (bad)
		return TSGI_EXIT_ERROR;
	tsgi_cli_intel in;
	if (!tsgi_cli_intel_open("campaigns", db, &eo, rebuild, true, &in))
		return TSGI_EXIT_ERROR;
	if (stats)
		fprintf(stderr,
		        "tsguard campaigns: %zu reports, %zu campaigns, %zu links, %zu "
		        "hubs found (%zu tested), %zu near-matches joined, %zu rounds\n",
		        tsgi_ds_nreports(in.ds), tsgi_ds_ncampaigns(in.ds),
		        in.stats.edges, in.stats.hubs_found, in.stats.hub_tests,
		        in.stats.near_joined, in.stats.rounds);
	if (json)
		tsgi_campaigns_json(in.ds, min_reports, stdout);
	else
		tsgi_campaigns_text(in.ds, min_reports, stdout);
	tsgi_cli_intel_close(&in);
	return fflush(stdout) == 0 ? 0 : TSGI_EXIT_ERROR;
}
