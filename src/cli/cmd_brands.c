/*
 * cmd_brands.c - `tsguard brands check|list`.
 */
#include <string.h>

#include "../brands/brands.h"
#include "../core/engine_int.h"
#include "cli.h"

int tsgi_cmd_brands(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	const char *file = NULL;
	const char *dir = NULL;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--data") && i + 1 < argc)
			dir = argv[++i];
		else
			file = argv[i];
	}
	if (!sub || (strcmp(sub, "check") && strcmp(sub, "list"))) {
		fprintf(stderr, "usage: tsguard brands check|list [--data DIR] [FILE]\n");
		return TSGI_EXIT_ERROR;
	}
	char path[4096];
	if (!file) {
		snprintf(path, sizeof path, "%s/data/brands.json",
		         dir ? dir : tsgi_default_data_dir());
		file = path;
	}
	tsgi_brands *b = NULL;
	tsgi_errors errs = {0};
	size_t nerr = tsgi_brands_load(file, &b, &errs);
	fflush(stdout);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	if (!strcmp(sub, "check")) {
		if (!nerr)
			printf("%zu brands: ok\n", tsgi_brands_count(b));
		else
			printf("%zu error%s\n", nerr, nerr == 1 ? "" : "s");
	} else {
		for (size_t i = 0; i < tsgi_brands_count(b); i++) {
			const tsgi_brand *br = tsgi_brands_at(b, i);
			if (!br->id)
				continue;
			/* id, kind, policy bits (I = never initiates, R = remote
			 * only if asked, G = no gift cards or crypto), counts, help. */
			printf("%-14s %-8s %c%c%c %2zu names %2zu domains %zu phones  %-24s "
			       "%s\n",
			       br->id, br->kind ? br->kind : "?",
			       br->policy & TSGI_POLICY_NEVER_INITIATES ? 'I' : '-',
			       br->policy & TSGI_POLICY_NO_REMOTE ? 'R' : '-',
			       br->policy & TSGI_POLICY_NO_GIFT_CRYPTO ? 'G' : '-',
			       br->nnames, br->ndomains, br->nphones,
			       br->display ? br->display : "?",
			       br->help_url ? br->help_url : "");
		}
	}
	tsgi_errors_free(&errs);
	tsgi_brands_free(b);
	/* 1 when the registry has errors, as the lint contract says. */
	return nerr ? 1 : 0;
}
