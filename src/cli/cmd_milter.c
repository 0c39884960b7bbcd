/*
 * cmd_milter.c - `tsguard milter`: options in, tsgi_milter_run() out.  The
 * filter itself lives in src/server/milter.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../server/server.h"
#include "cli.h"

static void milter_usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: tsguard milter --socket unix:PATH|inet:PORT@HOST "
	    "[--action tag|quarantine|reject] [--at scam|suspicious]\n\n"
	    "  --socket S      where the MTA connects (inet:8891@127.0.0.1)\n"
	    "  --action A      tag (default) adds X-Tsguard-Verdict, "
	    "X-Tsguard-Score and\n"
	    "                  X-Tsguard-Reasons; quarantine also holds "
	    "the mail in the\n"
	    "                  MTA's quarantine; reject refuses it with 550 "
	    "5.7.1\n"
	    "  --at C          the least verdict the action applies to "
	    "(default scam)\n"
	    "  --timeout S     seconds to wait on the MTA (default 60)\n"
	    "  --data DIR, --rules PATH, --model FILE   as for scan\n\n"
	    "Signals: SIGUSR1 reloads rules, brands and model; SIGTERM "
	    "stops.\n");
}

int tsgi_cmd_milter(int argc, char **argv)
{
	tsgi_engine_opts eo = {0};
	tsgi_milter_cfg cfg = {
	    .action = TSGI_MILTER_TAG, .action_at = TSG_SCAM, .timeout = 60};
	bool bad = false;
	for (int i = 1; i < argc && !bad; i++) {
		const char *a = argv[i];
		if (tsgi_cli_engine_opt(argc, argv, &i, &eo, &bad))
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			milter_usage(stdout);
			return 0;
		}
		if (a[0] != '-' || i + 1 >= argc) {
			tsgi_cli_err("milter",
				     a[0] == '-' ? "%s needs a value"
						 : "unexpected argument '%s'",
				     a);
			milter_usage(stderr);
			return TSGI_EXIT_ERROR;
		}
		const char *v = argv[++i];
		if (!strcmp(a, "--socket")) {
			cfg.socket = v;
		} else if (!strcmp(a, "--action")) {
			if (!strcmp(v, "tag"))
				cfg.action = TSGI_MILTER_TAG;
			else if (!strcmp(v, "quarantine"))
				cfg.action = TSGI_MILTER_QUARANTINE;
			else if (!strcmp(v, "reject"))
				cfg.action = TSGI_MILTER_REJECT;
			else {
				tsgi_cli_err("milter", "unknown action '%s'",
					     v);
				return TSGI_EXIT_ERROR;
			}
		} else if (!strcmp(a, "--at")) {
			if (!strcmp(v, "scam"))
				cfg.action_at = TSG_SCAM;
			else if (!strcmp(v, "suspicious"))
				cfg.action_at = TSG_SUSPICIOUS;
			else {
				tsgi_cli_err("milter",
					     "--at takes scam or suspicious");
				return TSGI_EXIT_ERROR;
			}
		} else if (!strcmp(a, "--timeout")) {
			char *end;
			errno = 0;
			unsigned long t = strtoul(v, &end, 10);
			if (errno || *end || !*v || t < 1 || t > 3600) {
				tsgi_cli_err("milter",
					     "--timeout takes 1..3600 seconds");
				return TSGI_EXIT_ERROR;
			}
			cfg.timeout = (unsigned)t;
		} else {
			tsgi_cli_err("milter", "unknown option '%s'", a);
			milter_usage(stderr);
			return TSGI_EXIT_ERROR;
		}
	}
	if (bad)
		return TSGI_EXIT_ERROR;
	if (!cfg.socket || (strncmp(cfg.socket, "unix:", 5) &&
			    strncmp(cfg.socket, "local:", 6) &&
			    strncmp(cfg.socket, "inet:", 5) &&
			    strncmp(cfg.socket, "inet6:", 6))) {
		tsgi_cli_err("milter",
			     "--socket takes unix:PATH or inet:PORT@HOST");
		milter_usage(stderr);
		return TSGI_EXIT_ERROR;
	}
	if (tsgi_slot_init(&eo) != TSG_OK)
		return TSGI_EXIT_ERROR;
	int rc = tsgi_milter_run(&cfg);
	tsgi_slot_shutdown();
	return rc;
}
