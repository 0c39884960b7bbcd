/*
 * cmd_extract.c - `tsguard extract [--json] FILE|-`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tsguard_limits.h"

int tsgi_cmd_extract(int argc, char **argv)
{
	tsgi_engine_opts eo = {0};
	bool json = false, bad = false;
	tsg_channel ch = TSG_CHANNEL_AUTO;
	const char *region = NULL;
	char *files[1024];
	int nfiles = 0;
	for (int i = 1; i < argc && !bad; i++) {
		if (tsgi_cli_engine_opt(argc, argv, &i, &eo, &bad))
			continue;
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: tsguard extract [--json] [--channel CH] "
			       "[--region CC] FILE...|-\n");
			return 0;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if ((!strcmp(a, "--channel") || !strcmp(a, "--region")) &&
		           i + 1 < argc) {
			if (!strcmp(a, "--region"))
				region = argv[++i];
			else if (tsg_channel_parse(argv[++i], &ch) != TSG_OK) {
				tsgi_cli_err("extract", "unknown channel '%s'", argv[i]);
				return TSGI_EXIT_ERROR;
			}
		} else if (a[0] == '-' && a[1]) {
			tsgi_cli_err("extract", "unknown option '%s'", a);
			return TSGI_EXIT_ERROR;
		} else if (nfiles < 1024) {
			files[nfiles++] = argv[i];
		}
	}
	if (bad || nfiles == 0) {
		fprintf(stderr, "usage: tsguard extract [--json] FILE...|-\n");
		return TSGI_EXIT_ERROR;
	}
	tsg_engine *e = tsgi_cli_engine(&eo);
	if (!e)
		return TSGI_EXIT_ERROR;
	tsg_scan *s = tsg_scan_new(e);
	int rc = TSGI_EXIT_CLEAN;
	for (int f = 0; s && f < nfiles; f++) {
		size_t len;
		bool trunc;
		char *data = tsgi_cli_read(files[f], TSG_MAX_INPUT, &len, &trunc);
		if (!data) {
			tsgi_cli_err("extract", "%s: %s", files[f], strerror(errno));
			rc = TSGI_EXIT_ERROR;
			continue;
		}
		tsg_input in = {.data = data, .len = len, .channel = ch,
		                .region = region};
		const tsg_indicator *ind;
		size_t n;
		if (tsg_scan_extract(s, &in, &ind, &n) != TSG_OK) {
			tsgi_cli_err("extract", "%s: %s", files[f], tsg_scan_errmsg(s));
			rc = TSGI_EXIT_ERROR;
			free(data);
			continue;
		}
		if (json) {
			char *js = tsg_indicators_json(ind, n, nfiles > 1 ? TSG_JSON_COMPACT : 0);
			if (js) {
				if (nfiles > 1)
					printf("{\"file\":\"%s\",\"indicators\":%s}\n", files[f], js);
				else
					puts(js);
				free(js);
			}
		} else {
			for (size_t i = 0; i < n; i++) {
				if (nfiles > 1)
					printf("%s: ", files[f]);
				printf("%-8s %s", tsg_indicator_kind_name(ind[i].kind),
				       ind[i].value);
				if (ind[i].detail)
					printf("  (%s)", ind[i].detail);
				if (ind[i].flags & TSG_IND_F_OFFICIAL)
					printf("  [official %s]", ind[i].brand ? ind[i].brand : "");
				if (ind[i].flags & TSG_IND_F_TOLL_FREE)
					printf("  [toll-free]");
				putchar('\n');
			}
		}
		free(data);
	}
	if (!s)
		rc = TSGI_EXIT_ERROR;
	tsg_scan_free(s);
	tsg_engine_unref(e);
	return rc;
}
