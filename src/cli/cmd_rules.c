/*
 * cmd_rules.c - `tsguard rules check|test|list`.
 *
 * check: parse and compile every rule file, print every error as file:line.
 * test:  run each rule's `expect` and `reject` examples through the whole
 *        engine and report each failure as file:line.
 * list:  one line per rule, its message in English or in --lang es|de|fr.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/engine_int.h"
#include "../core/scan_int.h"
#include "../rules/rules.h"
#include "../text/lang.h"
#include "cli.h"

static void rules_usage(FILE *f)
{
	fprintf(f, "usage: tsguard rules check|test|list [--lang en|es|de|fr] "
	           "[--data DIR] [--rules PATH]...\n");
}

static int rules_check(const tsgi_engine_opts *eo)
{
	tsgi_ruleset *rs = tsgi_ruleset_new();
	tsgi_errors errs = {0};
	if (!rs) {
		tsgi_cli_err("rules", "out of memory");
		return TSGI_EXIT_ERROR;
	}
	char path[4096];
	size_t nerr = 0;
	if (eo->nrules) {
		for (size_t i = 0; i < eo->nrules; i++)
			nerr += tsgi_ruleset_load(rs, eo->rules[i], &errs);
	} else {
		snprintf(path, sizeof path, "%s/rules",
		         eo->data_dir ? eo->data_dir : tsgi_default_data_dir());
		nerr += tsgi_ruleset_load(rs, path, &errs);
	}
	if (!nerr)
		nerr += tsgi_ruleset_compile(rs, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	size_t nwarn = errs.warnings;
	if (nerr == 0)
		printf("%zu rules, %zu patterns: ok%s\n", tsgi_ruleset_count(rs),
		       tsgi_ruleset_pattern_count(rs),
		       nwarn ? " (with warnings)" : "");
	else
		printf("%zu error%s\n", nerr, nerr == 1 ? "" : "s");
	tsgi_errors_free(&errs);
	tsgi_ruleset_free(rs);
	return nerr ? TSGI_EXIT_FOUND : 0;
}

static bool run_example(tsg_scan *s, const tsgi_rule *r, const tsgi_example *ex,
                        bool expect, size_t *fails)
{
	tsg_input in = {
		.data = ex->text,
		.len = strlen(ex->text),
		.channel = ex->channel,
		.contact = ex->contact,
	};
	const tsg_verdict *v;
	if (tsg_scan_run(s, &in, &v) != TSG_OK) {
		printf("%s:%d: rule %s: scan failed: %s\n", r->file, ex->line, r->id,
		       tsg_scan_errmsg(s));
		(*fails)++;
		return false;
	}
	bool hit = tsgi_scan_rule_hit(s, r->id);
	if (hit != expect) {
		printf("%s:%d: rule %s: %s: %s\n", r->file, ex->line, r->id,
		       expect ? "expected a match, got none" : "matched but must not",
		       ex->text);
		(*fails)++;
		return false;
	}
	return true;
}

static int rules_test(const tsgi_engine_opts *eo)
{
	tsg_engine *e = tsgi_cli_engine(eo);
	if (!e)
		return TSGI_EXIT_ERROR;
	tsg_scan *s = tsg_scan_new(e);
	if (!s) {
		tsg_engine_unref(e);
		tsgi_cli_err("rules", "out of memory");
		return TSGI_EXIT_ERROR;
	}
	size_t n = 0, fails = 0;
	for (size_t i = 0; i < tsgi_ruleset_count(e->rules); i++) {
		const tsgi_rule *r = tsgi_ruleset_rule(e->rules, i);
		for (size_t j = 0; j < r->nexpect; j++, n++)
			run_example(s, r, &r->expect[j], true, &fails);
		for (size_t j = 0; j < r->nreject; j++, n++)
			run_example(s, r, &r->reject[j], false, &fails);
	}
	printf("%zu examples, %zu passed, %zu failed\n", n, n - fails, fails);
	tsg_scan_free(s);
	tsg_engine_unref(e);
	return fails ? TSGI_EXIT_FOUND : 0;
}

/* Prints the weighted rules with their message in language `li` (an
 * index of tsgi_lang_codes), in English where a rule has none. */
static int rules_list(const tsgi_engine_opts *eo, int li)
{
	tsg_engine *e = tsgi_cli_engine(eo);
	if (!e)
		return TSGI_EXIT_ERROR;
	for (size_t i = 0; i < tsgi_ruleset_count(e->rules); i++) {
		const tsgi_rule *r = tsgi_ruleset_rule(e->rules, i);
		if (r->weight > 0)
			printf("%-40s %-13s %.2f  %s\n", r->id, r->category, r->weight,
			       tsgi_rule_message(r, tsgi_lang_codes[li]));
	}
	tsg_engine_unref(e);
	return 0;
}

int tsgi_cmd_rules(int argc, char **argv)
{
	tsgi_engine_opts eo = {0};
	const char *sub = NULL;
	int lang = 0;
	bool bad = false;
	for (int i = 1; i < argc && !bad; i++) {
		if (tsgi_cli_engine_opt(argc, argv, &i, &eo, &bad))
			continue;
		if (!strcmp(argv[i], "--lang")) {
			lang = i + 1 < argc ? tsgi_lang_index(argv[++i]) : -1;
			if (lang < 0) {
				tsgi_cli_err("rules", "--lang takes en, es, de or fr");
				return TSGI_EXIT_ERROR;
			}
			continue;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			rules_usage(stdout);
			return 0;
		}
		if (!sub && argv[i][0] != '-')
			sub = argv[i];
		else {
			tsgi_cli_err("rules", "unexpected '%s'", argv[i]);
			return TSGI_EXIT_ERROR;
		}
	}
	if (bad || !sub) {
		rules_usage(stderr);
		return TSGI_EXIT_ERROR;
	}
	if (!strcmp(sub, "check"))
		return rules_check(&eo);
	if (!strcmp(sub, "test"))
		return rules_test(&eo);
	if (!strcmp(sub, "list"))
		return rules_list(&eo, lang);
	tsgi_cli_err("rules", "unknown subcommand '%s'", sub);
	return TSGI_EXIT_ERROR;
}
