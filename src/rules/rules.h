/*
 * rules.h - rule sets: parsing rules/ *.rules, compiling every pattern into
 * one Hyperscan database, and evaluating rules against one message.
 *
 * The format is documented in docs/rules.md.  A rule is a boolean expression
 * over atoms; every atom yields a truth value and a set of spans in the
 * normalised text, so that `near(a, b, N)` can ask whether two atoms occur
 * within N words of each other and every hit can quote its evidence.
 */
#ifndef TSGI_RULES_H
#define TSGI_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/doc.h"
#include "../text/normalize.h"
#include "tsguard.h"

/* Language bits. */
#define TSGI_LANG_EN 0x1u
#define TSGI_LANG_ES 0x2u
#define TSGI_LANG_DE 0x4u
#define TSGI_LANG_FR 0x8u
#define TSGI_LANG_ANY 0xFu

typedef enum {
	TSGI_E_PATTERN, /* ref: pattern index                          */
	TSGI_E_SIGNAL,  /* name: channel signal                        */
	TSGI_E_IND,     /* ref: indicator kind, flags: required flags  */
	TSGI_E_RULE,    /* ref: rule index (earlier rule)              */
	TSGI_E_BRAND,   /* any brand mention                           */
	TSGI_E_CONTACT, /* ref: tsg_contact                            */
	TSGI_E_CHANNEL, /* ref: tsg_channel                            */
	TSGI_E_AND,
	TSGI_E_OR,
	TSGI_E_NOT,
	TSGI_E_NEAR, /* a, b within n words                          */
	TSGI_E_BEFORE, /* a then b within n words                    */
} tsgi_expr_kind;

typedef struct tsgi_expr {
	tsgi_expr_kind kind;
	int a, b;        /* children (node indexes) for operators           */
	int ref;         /* see kinds                                       */
	unsigned n;      /* word distance for NEAR                          */
	bool sentence;   /* NEAR, BEFORE: no sentence end between a and b   */
	unsigned flags;  /* indicator flags for IND                         */
	const char *name;
} tsgi_expr;

typedef struct tsgi_example {
	const char *text;
	int line;
	tsg_contact contact;
	tsg_channel channel;
} tsgi_example;

typedef struct tsgi_rule {
	const char *id;
	const char *file;
	int line;
	const char *category; /* tech_support, refund, account_alert,
	                         government, other, any          */
	unsigned langs;
	double weight;        /* 0 = helper rule, never reported        */
	const char *message;  /* English                                 */
	const char *message_in[4]; /* by language (tsgi_lang_codes): [0] ==
	                              message, then es, de, fr, or NULL   */
	const char *brand;    /* brand id a hit claims, or NULL          */
	int stage;            /* call stage 1..4, or 0                   */
	/* Finds names of things to pay with ("Google Play gift cards"): a
	 * brand name inside one of its spans claims no brand. */
	bool instrument;
	unsigned channels;    /* bit per tsg_channel allowed; 0 = all    */
	int pat_first, pat_count;
	tsgi_expr *expr;
	int nexpr, root;
	tsgi_example *expect, *reject;
	size_t nexpect, nreject;
	/* True when the rule cannot hold unless the message has one of the
	 * atoms of its gate: patterns, indicator kinds, signals (set by
	 * tsgi_ruleset_compile, see rules_gate.c); such rules are skipped
	 * without evaluation on messages that have none. */
	bool gated;
} tsgi_rule;

typedef struct tsgi_pattern {
	const char *name;
	const char *regex;
	int rule;
	int line;
} tsgi_pattern;

typedef struct tsgi_ruleset tsgi_ruleset;

/* A growable list of errors "file:line: message". */
typedef struct tsgi_errors {
	char **v;
	size_t n, cap;
	size_t warnings; /* how many of v are warnings (prefixed "warning:") */
} tsgi_errors;

void tsgi_errors_add(tsgi_errors *e, bool warning, const char *file, int line,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void tsgi_errors_free(tsgi_errors *e);
size_t tsgi_errors_count(const tsgi_errors *e); /* errors, not warnings */

/* Creates an empty rule set. NULL on ENOMEM. */
tsgi_ruleset *tsgi_ruleset_new(void);
void tsgi_ruleset_free(tsgi_ruleset *rs);

/* Parses one rule file (or every *.rules file in a folder, in name order)
 * and appends its rules.  Problems go to `errs`; returns the number of
 * errors added. */
size_t tsgi_ruleset_load(tsgi_ruleset *rs, const char *path, tsgi_errors *errs);

/* Parses rule text held in memory; `file` names it in errors. */
size_t tsgi_ruleset_parse(tsgi_ruleset *rs, const char *file, const char *text,
                          size_t len, tsgi_errors *errs);

/* Adds a helper rule that claims `brand` when any of the `n` literal names
 * (normalised, plain text, matched on word boundaries) occurs.  Used for
 * the brand registry.  Returns false on ENOMEM. */
bool tsgi_ruleset_add_brand(tsgi_ruleset *rs, const char *brand,
                            const char *const *names, size_t n);

/* Compiles the Hyperscan database.  Errors name the pattern's file:line.
 * Returns the number of errors added. */
size_t tsgi_ruleset_compile(tsgi_ruleset *rs, tsgi_errors *errs);

/* Adds to a compiled set its prefilter: the same patterns without start
 * of match, much cheaper to run, which tells whether anything matches at
 * all (most messages match nothing).  Scans give the same result with or
 * without it; the engine adds it, `rules check` does not need it.  False
 * when it could not be built (the set then works without it). */
bool tsgi_ruleset_prefilter(tsgi_ruleset *rs);

size_t tsgi_ruleset_count(const tsgi_ruleset *rs);
const tsgi_rule *tsgi_ruleset_rule(const tsgi_ruleset *rs, size_t i);
const tsgi_pattern *tsgi_ruleset_pattern(const tsgi_ruleset *rs, size_t i);
size_t tsgi_ruleset_pattern_count(const tsgi_ruleset *rs);

/* ---- matching one message --------------------------------------------- */

typedef struct tsgi_span {
	uint32_t start, end; /* bytes of the normalised text */
} tsgi_span;

/* Per-thread matcher state (Hyperscan scratch). */
typedef struct tsgi_matcher tsgi_matcher;
tsgi_matcher *tsgi_matcher_new(const tsgi_ruleset *rs);
void tsgi_matcher_free(tsgi_matcher *m);

/* What rule evaluation needs besides the text. */
typedef struct tsgi_eval_ctx {
	const tsgi_doc *doc;
	const tsgi_text *text;
	const tsg_indicator *ind;
	size_t nind;
	tsg_contact contact;
	tsg_channel channel;
	unsigned lang; /* TSGI_LANG_* of the message */
} tsgi_eval_ctx;

typedef struct tsgi_hit {
	int rule;
	tsgi_span *spans;
	size_t nspans;
} tsgi_hit;

/*
 * Runs the database over ctx->text and evaluates every rule.  On TSG_OK
 * *hits is an arena array of the rules that hold, in rule order.  Sets
 * TSG_LIMIT_MATCHES in *limits when matches were dropped.
 */
tsg_status tsgi_rules_eval(tsgi_matcher *m, tsgi_arena *a,
                           const tsgi_eval_ctx *ctx, tsgi_hit **hits,
                           size_t *nhits, unsigned *limits);

/* Language bit for an ISO code, 0 when unknown. */
unsigned tsgi_lang_bit(const char *code);

/* The rule's message in `lang` (en, es, de, fr), or the English one when
 * the rule has none in that language. */
const char *tsgi_rule_message(const tsgi_rule *r, const char *lang);

#endif
