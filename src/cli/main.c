/*
 * main.c - `tsguard COMMAND ...`: dispatch to the subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} k_commands[] = {
	{"scan", tsgi_cmd_scan, "say whether messages are scams, and why"},
	{"extract", tsgi_cmd_extract, "print phone numbers, hosts, remote-access IDs, payment handles"},
	{"rules", tsgi_cmd_rules, "check or test the rule files (rules check|test)"},
	{"brands", tsgi_cmd_brands, "check or list the brand registry (brands check|list)"},
	{"ingest", tsgi_cmd_ingest, "file victim reports into the store"},
	{"campaigns", tsgi_cmd_campaigns, "group reports into campaigns (call centers)"},
	{"lookup", tsgi_cmd_lookup, "have we seen this number, host, address or wallet?"},
	{"export", tsgi_cmd_export, "export campaigns as STIX 2.1, MISP or CSV"},
	{"casefile", tsgi_cmd_casefile, "write a self-contained HTML case report"},
	{"train", tsgi_cmd_train, "train the model from labelled JSONL"},
	{"eval", tsgi_cmd_eval, "measure accuracy on labelled JSONL"},
	{"serve", tsgi_cmd_serve, "run the HTTP API"},
	{"milter", tsgi_cmd_milter, "run the mail filter (milter)"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: tsguard COMMAND [OPTIONS] [ARGS]\n\n"
	           "Protects people from tech-support scam call centers.\n\n"
	           "commands:\n");
	for (size_t i = 0; i < sizeof k_commands / sizeof *k_commands; i++)
		fprintf(f, "  %-10s %s\n", k_commands[i].name, k_commands[i].help);
	fprintf(f, "\n`tsguard COMMAND --help` shows a command's options; "
	           "`man tsguard` has the manual.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return TSGI_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("tsguard %s\n", tsg_version());
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof k_commands / sizeof *k_commands; i++)
		if (!strcmp(argv[1], k_commands[i].name))
			return k_commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "tsguard: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return TSGI_EXIT_ERROR;
}
