/*
 * cmd_lookup.c - `tsguard lookup VALUE`: is this number, URL, domain,
 * address or wallet known, in which campaign, how often, since when?
 * Answered from the store's indexes; no engine is loaded.
 */
#include <string.h>

#include "../intel/intel.h"
#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: tsguard lookup [--db URL] [--region CC] [--json] VALUE...\n\n"
	           "VALUE is a phone number in any format, a URL, a domain, an email\n"
	           "address, a wallet or an IBAN.  Exit status: 0 known, 1 unknown,\n"
	           "2 error (with several values: 0 when all are known).\n");
}

int tsgi_cmd_lookup(int argc, char **argv)
{
	const char *db = NULL, *region = NULL;
	const char *vals[256];
	size_t nv = 0;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--db") || !strcmp(a, "--region")) {
			if (i + 1 >= argc) {
				tsgi_cli_err("lookup", "%s needs a value", a);
				return TSGI_EXIT_ERROR;
			}
			if (!strcmp(a, "--db"))
				db = argv[++i];
			else
				region = argv[++i];
		} else if (!strcmp(a, "--")) {
			for (i++; i < argc && nv < 256; i++)
				vals[nv++] = argv[i];
		} else if (a[0] == '-' && a[1] && a[1] != '+' && !(a[1] >= '0' && a[1] <= '9')) {
			tsgi_cli_err("lookup", "unknown option %s", a);
			return TSGI_EXIT_ERROR;
		} else if (nv < 256) {
			vals[nv++] = a;
		}
	}
	if (!nv) {
		usage(stderr);
		return TSGI_EXIT_ERROR;
	}
	char err[1024];
	tsgi_store *s;
	if (tsgi_store_open(db, &s, err, sizeof err) != TSG_OK) {
		tsgi_cli_err("lookup", "%s", err);
		return TSGI_EXIT_ERROR;
	}
	int rc = 0;
	for (size_t i = 0; i < nv; i++) {
		tsgi_lookup_result res;
		tsg_status st = tsgi_lookup(s, vals[i], region, &res);
		if (st == TSG_EINVAL) {
			tsgi_cli_err("lookup", "empty value");
			rc = TSGI_EXIT_ERROR;
			continue;
		}
		if (st != TSG_OK) {
			tsgi_cli_err("lookup", "%s", tsgi_store_errmsg(s));
			rc = TSGI_EXIT_ERROR;
			break;
		}
		if (json) {
			tsgi_lookup_json(&res, stdout);
		} else if (!res.known) {
			printf("%s (%s %s): unknown\n", vals[i], res.kind, res.canon);
		} else {
			char t1[32], t2[32];
			tsgi_format_time(res.first, t1, sizeof t1);
			tsgi_format_time(res.last, t2, sizeof t2);
			printf("%s (%s %s): KNOWN, %lld report%s, first %s, last %s", vals[i],
			       res.kind, res.canon, res.reports, res.reports == 1 ? "" : "s",
			       t1, t2);
			for (size_t k = 0; k < res.ncampaigns && k < 8; k++)
				printf("%s%s", k ? ", " : ", campaign ", res.campaigns[k]);
			if (res.ncampaigns > 8)
				printf(" (+%zu more)", res.ncampaigns - 8);
			if (res.unclustered)
				printf(", %zu not yet clustered", res.unclustered);
			putchar('\n');
		}
		if (!res.known && rc == 0)
			rc = 1;
	}
	tsgi_store_close(s);
	return rc;
}
