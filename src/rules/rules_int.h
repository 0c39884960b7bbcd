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
	/* Gating (rules_gate.c).  Atoms: patterns [0, npats), indicator
	 * kinds [npats, npats + TSG_IND__COUNT), then the signal names.
	 * ungated_rules: rules every message evaluates; atom_rules[atom_off[t]
	 * .. atom_off[t+1]): the gated rules whose gate holds atom t;
	 * gate_bits + i * gate_words: rule i's gate as a bit set. */
	int *ungated_rules;
	size_t nungated_rules;
	const char **signal_names;
	size_t nsignal_names;
	size_t natoms, gate_words;
	size_t *atom_off;
	int *atom_rules;
	uint64_t *gate_bits;
	hs_database_t *db;        /* every pattern, start of match */
	hs_database_t *prefilter; /* the same without it: any match at all? */
	hs_scratch_t *scratch; /* prototype, cloned per matcher */
};

/* Sets bit i of a bit set of 64-bit words (gates, atoms a message has). */
static inline void tsgi_bit_set(uint64_t *s, size_t i)
{
	s[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* Computes every rule's gate and the per-atom rule lists (above).  False
 * on ENOMEM. */
bool tsgi_ruleset_gate(tsgi_ruleset *rs);

/* Index of a signal name among those the rules test, or -1. */
int tsgi_ruleset_signal_id(const tsgi_ruleset *rs, const char *name);

/* Frees the compiled database and scratch (used by free and recompile). */
void tsgi_ruleset_release_db(tsgi_ruleset *rs);

#endif
