/* fuzz_rules.c - the rule file parser and compiler. */
#include <stdint.h>
#include <stdlib.h>

#include "../src/rules/rules.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Thousands of throwaway rule sets: none goes to the database cache. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TSGUARD_CACHE", "off", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tsgi_ruleset *rs = tsgi_ruleset_new();
	tsgi_errors errs = {0};
	if (!rs)
		return 0;
	if (tsgi_ruleset_parse(rs, "fuzz.rules", (const char *)data, size, &errs) == 0 &&
	    tsgi_ruleset_count(rs) > 0 && size < 4096)
		tsgi_ruleset_compile(rs, &errs);
	tsgi_errors_free(&errs);
	tsgi_ruleset_free(rs);
	return 0;
}
