/*
 * rules_gate.c - which atoms a rule needs, so that a message skips the
 * rules that cannot hold on it.
 *
 * An atom is something a message has or lacks before any rule is
 * evaluated: a pattern that matched, an indicator of a kind, a channel
 * signal by name.  A rule's gate is a set of atoms such that the rule is
 * false when the message has none of them:
 *
 *   pattern, indicator, signal   the atom itself
 *   rule:X                       X's gate
 *   brand                        the union of the brand rules' gates
 *   a and b, near(a, b)          the smaller of the two gates
 *   a or b                       the union
 *   not, contact, channel        none: the rule must always be evaluated
 *
 * The evaluator visits the ungated rules and, for each atom the message
 * has, the rules whose gate holds it.  The verdict is the same as
 * evaluating every rule: a skipped rule is one that is false.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

typedef struct gates {
	size_t natoms, words;
	uint64_t **rule; /* per rule: bit set of atoms, NULL = ungated */
} gates;

static size_t popcount_set(const uint64_t *s, size_t words)
{
	size_t n = 0;
	for (size_t i = 0; i < words; i++)
		n += (size_t)__builtin_popcountll(s[i]);
	return n;
}

int tsgi_ruleset_signal_id(const tsgi_ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->nsignal_names; i++)
		if (!strcmp(rs->signal_names[i], name))
			return (int)i;
	return -1;
}

/* Gate of one node into `out` (zeroed by the caller); false = none. */
static bool node_gate(tsgi_ruleset *rs, gates *g, int ri, int node, uint64_t *out)
{
	if (node < 0)
		return false;
	const tsgi_rule *r = &rs->rules[ri];
	const tsgi_expr *x = &r->expr[node];
	switch (x->kind) {
	case TSGI_E_PATTERN:
		tsgi_bit_set(out, (size_t)x->ref);
		return true;
	case TSGI_E_IND:
		if (x->ref < 0 || x->ref >= TSG_IND__COUNT)
			return false;
		tsgi_bit_set(out, rs->npats + (size_t)x->ref);
		return true;
	case TSGI_E_SIGNAL: {
		int id = tsgi_ruleset_signal_id(rs, x->name);
		if (id < 0)
			return false;
		tsgi_bit_set(out, rs->npats + TSG_IND__COUNT + (size_t)id);
		return true;
	}
	case TSGI_E_RULE:
		if (x->ref < 0 || x->ref >= ri || !g->rule[x->ref])
			return false;
		for (size_t w = 0; w < g->words; w++)
			out[w] |= g->rule[x->ref][w];
		return true;
	case TSGI_E_BRAND:
		for (size_t i = 0; i < rs->nbrand_rules; i++) {
			int b = rs->brand_rules[i];
			if (b >= ri || !g->rule[b])
				return false;
			for (size_t w = 0; w < g->words; w++)
				out[w] |= g->rule[b][w];
		}
		return rs->nbrand_rules > 0;
	case TSGI_E_AND:
	case TSGI_E_NEAR:
	case TSGI_E_BEFORE:
	case TSGI_E_OR: {
		uint64_t *b = calloc(g->words, sizeof *b);
		if (!b)
			return false;
		bool ga = node_gate(rs, g, ri, x->a, out);
		bool gb = node_gate(rs, g, ri, x->b, b);
		bool ok;
		if (x->kind == TSGI_E_OR) {
			ok = ga && gb;
			for (size_t w = 0; w < g->words; w++)
				out[w] |= b[w];
		} else if (ga && gb) {
			ok = true;
			if (popcount_set(b, g->words) < popcount_set(out, g->words))
				memcpy(out, b, g->words * sizeof *b);
		} else if (gb) {
			ok = true;
			memcpy(out, b, g->words * sizeof *b);
		} else {
			ok = ga;
		}
		free(b);
		return ok;
	}
	case TSGI_E_NOT:
	case TSGI_E_CONTACT:
	case TSGI_E_CHANNEL:
		return false;
	}
	return false;
}

/* Collects the distinct signal names the rules test. */
static bool collect_signals(tsgi_ruleset *rs)
{
	rs->nsignal_names = 0;
	size_t cap = 0;
	for (size_t i = 0; i < rs->nrules; i++)
		for (int k = 0; k < rs->rules[i].nexpr; k++)
			cap += rs->rules[i].expr[k].kind == TSGI_E_SIGNAL;
	rs->signal_names = tsgi_arena_calloc(rs->a, cap + 1, sizeof *rs->signal_names);
	if (!rs->signal_names)
		return false;
	for (size_t i = 0; i < rs->nrules; i++)
		for (int k = 0; k < rs->rules[i].nexpr; k++) {
			const tsgi_expr *x = &rs->rules[i].expr[k];
			if (x->kind == TSGI_E_SIGNAL && tsgi_ruleset_signal_id(rs, x->name) < 0)
				rs->signal_names[rs->nsignal_names++] = x->name;
		}
	return true;
}

bool tsgi_ruleset_gate(tsgi_ruleset *rs)
{
	if (!collect_signals(rs))
		return false;
	gates g = {.natoms = rs->npats + TSG_IND__COUNT + rs->nsignal_names};
	g.words = (g.natoms + 63) / 64;
	rs->natoms = g.natoms;
	rs->gate_words = g.words;
	g.rule = calloc(rs->nrules + 1, sizeof *g.rule);
	rs->gate_bits = tsgi_arena_calloc(rs->a, (rs->nrules + 1) * g.words,
	                                  sizeof *rs->gate_bits);
	/* Per atom, the rules gated on it (counts, then offsets). */
	rs->atom_off = tsgi_arena_calloc(rs->a, g.natoms + 1, sizeof *rs->atom_off);
	rs->ungated_rules = tsgi_arena_calloc(rs->a, rs->nrules + 1, sizeof(int));
	bool ok = g.rule && rs->gate_bits && rs->atom_off && rs->ungated_rules;
	size_t nlinks = 0;
	for (size_t i = 0; ok && i < rs->nrules; i++) {
		uint64_t *s = rs->gate_bits + i * g.words;
		tsgi_rule *r = &rs->rules[i];
		r->gated = node_gate(rs, &g, (int)i, r->root, s) &&
		           popcount_set(s, g.words) > 0;
		g.rule[i] = r->gated ? s : NULL;
		if (r->gated)
			nlinks += popcount_set(s, g.words);
	}
	rs->atom_rules = ok ? tsgi_arena_calloc(rs->a, nlinks + 1, sizeof(int)) : NULL;
	ok = ok && rs->atom_rules;
	if (ok) {
		rs->nungated_rules = 0;
		for (size_t i = 0; i < rs->nrules; i++) {
			if (!rs->rules[i].gated) {
				rs->ungated_rules[rs->nungated_rules++] = (int)i;
				continue;
			}
			for (size_t t = 0; t < g.natoms; t++)
				if (g.rule[i][t >> 6] >> (t & 63) & 1)
					rs->atom_off[t + 1]++;
		}
		for (size_t t = 0; t < g.natoms; t++)
			rs->atom_off[t + 1] += rs->atom_off[t];
		size_t *fill = calloc(g.natoms + 1, sizeof *fill);
		ok = fill != NULL;
		for (size_t i = 0; ok && i < rs->nrules; i++)
			for (size_t t = 0; g.rule[i] && t < g.natoms; t++)
				if (g.rule[i][t >> 6] >> (t & 63) & 1)
					rs->atom_rules[rs->atom_off[t] + fill[t]++] = (int)i;
		free(fill);
	}
	free(g.rule);
	return ok;
}
