/*
 * policy.h - the seed rule in code: a company that never contacts you first,
 * and is contacting you first, is not that company.
 *
 * Runs after the rules.  Looks at which brands the message claims, who
 * opened the contact, the numbers and hosts it gives, and what it asks for,
 * against each brand's contact policy in the registry; adds the policy
 * reasons and picks the advice.
 */
#ifndef TSGI_POLICY_H
#define TSGI_POLICY_H

#include "../core/engine_int.h"
#include "../core/verdict.h"
#include "../rules/rules.h"
#include "../text/normalize.h"

typedef struct tsgi_policy_in {
	const tsg_engine *engine;
	const tsgi_doc *doc;
	const tsgi_text *text;
	const tsgi_hit *hits; /* rule hits, in rule order */
	size_t nhits;
	const char *const *brands; /* brand ids the message claims */
	size_t nbrands;
	const tsg_indicator *ind;
	size_t nind;
	tsg_contact contact;
	const char *lang;
	const char *sender; /* tsg_input.sender, or NULL */
} tsgi_policy_in;

/*
 * Adds policy reasons to `vb` and returns the brand the message was checked
 * against (the first claimed brand of the registry), or NULL.  Consumes
 * nothing; strings it adds to `vb` live in vb->a.  The semantics (when each
 * of policy.unsolicited, policy.unofficial_number, policy.unofficial_sender,
 * policy.lookalike_link and policy.forbidden_ask fires) are in docs/brands.md; weights and
 * message templates are the policy.* keys of data/tsguard.conf.
 */
const tsgi_brand *tsgi_policy_apply(const tsgi_policy_in *in, tsgi_vb *vb);

/*
 * The advice for a verdict of class `cls` (arena `a` or engine storage;
 * never NULL): advice.clean for a clean one; else the brand's advice
 * (tsgi_policy_apply's brand) after advice.call on a call or
 * advice.number when the message holds a phone number; without a brand,
 * advice.payment when a weighted payment-stage rule holds, else
 * advice.generic.  Called once per scan, after scoring, so a clean
 * message costs one lookup.
 */
const char *tsgi_policy_advice(const tsgi_policy_in *in,
                               const tsgi_brand *brand, tsg_class cls,
                               tsgi_arena *a);

/* Whether the n bytes at `id` are the id of a reason the policy adds
 * (policy.unsolicited, policy.unofficial_number, policy.unofficial_sender,
 * policy.lookalike_link, policy.forbidden_ask). */
bool tsgi_policy_reason_id(const char *id, size_t n);

/*
 * Reads the rule lists the policy consults (the policy.*.rules keys of the
 * configuration) once, into e->policy_lists: for each rule, a bit per list
 * that names it.  Called when the engine is built, after the rules compile;
 * false when out of memory.  The engine frees the array.
 */
bool tsgi_policy_prepare(tsg_engine *e);

#endif
