/*
 * rules_int.h - the rule set's private layout, shared by the parser, the
 * compiler and the evaluator.
 */
#ifndef TSGI_RULES_INT_H
#define TSGI_RULES_INT_H

#include <hs/hs.h>

#include "rules.h"

struct tsgi_ruleset {
	tsgi_arena *a; /* owns every string and array below */
	tsgi_rule *rules;
	size_t nrules, caprules;
	tsgi_pattern *pats;
	size_t npats, cappats;
	int *brand_rules; /* indexes of rules with a brand, for the `brand` atom */
	size_t nbrand_rules;
	int *instrument_rules; /* indexes of `instrument` rules */
	size_t ninstrument_rules;
	/* Indexes of the rules that can hold when no pattern matched (not
	 * `gated`): all a message without pattern matches needs evaluated. */
	int *ungated_rules;
	size_t nungated_rules;
	hs_database_t *db;
	hs_scratch_t *scratch; /* prototype, cloned per matcher */
};

/* Frees the compiled database and scratch (used by free and recompile). */
void tsgi_ruleset_release_db(tsgi_ruleset *rs);

#endif
