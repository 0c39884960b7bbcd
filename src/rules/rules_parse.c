/*
 * rules_parse.c - the rule file format (docs/rules.md).
 *
 *   rule alert.infected
 *     category  tech_support
 *     lang      en
 *     weight    0.45
 *     message   Says your computer is infected
 *     pattern   inf   /\b(computer|pc)\s+(is|has been)\s+infected\b/
 *     pattern   virus /\bvirus(es)?\s+(detected|found)\b/
 *     match     inf or virus
 *     expect    Your computer is infected!
 *     reject    I cleaned my infected computer last year.
 *   end
 *
 * Parsing collects every error it can (file:line) instead of stopping at the
 * first, so that `tsguard rules check` lists them all at once.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../text/lang.h"
#include "rules_int.h"
#include "tsguard_limits.h"

/* ---- errors ----------------------------------------------------------- */

void tsgi_errors_add(tsgi_errors *e, bool warning, const char *file, int line,
                     const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (e->n == e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 16;
		char **nv = realloc(e->v, ncap * sizeof *nv);
		if (!nv)
			return;
		e->v = nv;
		e->cap = ncap;
	}
	char full[1400];
	if (line > 0)
		snprintf(full, sizeof full, "%s:%d: %s%s", file, line,
		         warning ? "warning: " : "", msg);
	else
		snprintf(full, sizeof full, "%s: %s%s", file,
		         warning ? "warning: " : "", msg);
	char *s = strdup(full);
	if (!s)
		return;
	e->v[e->n++] = s;
	if (warning)
		e->warnings++;
}

void tsgi_errors_free(tsgi_errors *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	memset(e, 0, sizeof *e);
}

size_t tsgi_errors_count(const tsgi_errors *e) { return e->n - e->warnings; }

/* ---- rule set storage ------------------------------------------------- */

tsgi_ruleset *tsgi_ruleset_new(void)
{
	tsgi_ruleset *rs = calloc(1, sizeof *rs);
	if (!rs)
		return NULL;
	rs->a = tsgi_arena_new((size_t)1 << 30);
	if (!rs->a) {
		free(rs);
		return NULL;
	}
	return rs;
}

void tsgi_ruleset_free(tsgi_ruleset *rs)
{
	if (!rs)
		return;
	tsgi_ruleset_release_db(rs);
	tsgi_arena_free(rs->a);
	free(rs);
}

size_t tsgi_ruleset_count(const tsgi_ruleset *rs) { return rs->nrules; }
const tsgi_rule *tsgi_ruleset_rule(const tsgi_ruleset *rs, size_t i)
{
	return &rs->rules[i];
}
const tsgi_pattern *tsgi_ruleset_pattern(const tsgi_ruleset *rs, size_t i)
{
	return &rs->pats[i];
}
size_t tsgi_ruleset_pattern_count(const tsgi_ruleset *rs) { return rs->npats; }

/* The TSGI_LANG_* bits follow tsgi_lang_codes. */
_Static_assert(TSGI_LANG_EN == 1u && TSGI_LANG_ES == 2u && TSGI_LANG_DE == 4u &&
                   TSGI_LANG_FR == 8u && TSGI_NLANGS == 4,
               "language bits and codes disagree");
_Static_assert(sizeof ((tsgi_rule *)0)->message_in /
                       sizeof *((tsgi_rule *)0)->message_in == TSGI_NLANGS,
               "a message per language");

unsigned tsgi_lang_bit(const char *code)
{
	int i = tsgi_lang_index(code);
	return i < 0 ? 0 : 1u << i;
}

/* ---- parser state ----------------------------------------------------- */

struct parser {
	tsgi_ruleset *rs;
	tsgi_errors *errs;
	const char *file;
	int line;
	size_t nerr;
	/* the rule being built */
	bool in_rule;
	tsgi_rule r;
	const char *match_src;
	int match_line;
	size_t cap_expect, cap_reject;
	/* expression parsing */
	const char *p;
	size_t cap_expr;
	bool used[TSG_MAX_PATTERNS_PER_RULE];
};

static void perr(struct parser *ps, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void perr(struct parser *ps, int line, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tsgi_errors_add(ps->errs, false, ps->file, line, "%s", msg);
	ps->nerr++;
}

static void pwarn(struct parser *ps, int line, const char *msg)
{
	tsgi_errors_add(ps->errs, true, ps->file, line, "%s", msg);
}

static char *adup(struct parser *ps, const char *s, size_t n)
{
	return tsgi_arena_strndup(ps->rs->a, s, n);
}

static bool valid_id(const char *s, size_t n)
{
	if (n == 0 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(isalnum(c) || c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* Returns the next token of *p separated by any of `seps` (NUL-terminating
 * it in place), or NULL at the end. */
static char *next_token(char **p, const char *seps)
{
	char *s = *p;
	while (*s && strchr(seps, *s))
		s++;
	if (!*s)
		return NULL;
	char *t = s;
	while (*s && !strchr(seps, *s))
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return t;
}

/* ---- expressions ------------------------------------------------------ */

static void skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

static int new_node(struct parser *ps, tsgi_expr_kind k)
{
	if ((size_t)ps->r.nexpr >= 4 * TSG_MAX_PATTERNS_PER_RULE + 64) {
		perr(ps, ps->match_line, "expression too large");
		return -1;
	}
	if (!tsgi_arena_grow(ps->rs->a, (void **)&ps->r.expr, &ps->cap_expr,
	                     sizeof(tsgi_expr), (size_t)ps->r.nexpr + 1)) {
		perr(ps, ps->match_line, "out of memory");
		return -1;
	}
	tsgi_expr *e = &ps->r.expr[ps->r.nexpr];
	memset(e, 0, sizeof *e);
	e->kind = k;
	e->a = e->b = -1;
	return ps->r.nexpr++;
}

static size_t word_len(const char *p)
{
	size_t n = 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '.' ||
	       p[n] == ':' || p[n] == '-')
		n++;
	return n;
}

static bool is_kw(const char *p, size_t n, const char *kw)
{
	return strlen(kw) == n && !strncmp(p, kw, n);
}


const char *tsgi_rule_message(const tsgi_rule *r, const char *lang)
{
	int l = tsgi_lang_index(lang);
	return l > 0 && r->message_in[l] ? r->message_in[l] : r->message;
}

static int parse_or(struct parser *ps, unsigned depth);

static int parse_atom(struct parser *ps, const char *w, size_t n)
{
	int node;
	if (n > 7 && !strncmp(w, "signal:", 7)) {
		node = new_node(ps, TSGI_E_SIGNAL);
		if (node >= 0)
			ps->r.expr[node].name = adup(ps, w + 7, n - 7);
		return node;
	}
	if (n > 10 && !strncmp(w, "indicator:", 10)) {
		char kind[64] = {0}, flag[64] = {0};
		const char *k = w + 10;
		size_t kn = n - 10;
		const char *dot = memchr(k, '.', kn);
		size_t klen = dot ? (size_t)(dot - k) : kn;
		if (klen >= sizeof kind || (dot && kn - klen - 1 >= sizeof flag)) {
			perr(ps, ps->match_line, "indicator name too long");
			return -1;
		}
		memcpy(kind, k, klen);
		if (dot)
			memcpy(flag, dot + 1, kn - klen - 1);
		int ref = tsg_indicator_kind_parse(kind);
		if (ref < 0) {
			perr(ps, ps->match_line, "unknown indicator kind '%s'", kind);
			return -1;
		}
		unsigned flags = 0;
		if (dot) {
			if (!strcmp(flag, "toll_free"))
				flags = TSG_IND_F_TOLL_FREE;
			else if (!strcmp(flag, "official"))
				flags = TSG_IND_F_OFFICIAL;
			else if (!strcmp(flag, "unofficial"))
				flags = 0x80000000u; /* negated official */
			else if (!strcmp(flag, "shortener"))
				flags = TSG_IND_F_SHORTENER;
			else if (!strcmp(flag, "defanged"))
				flags = TSG_IND_F_DEFANGED;
			else {
				perr(ps, ps->match_line,
				     "unknown indicator flag '%s' (toll_free, official, "
				     "unofficial, shortener, defanged)",
				     flag);
				return -1;
			}
		}
		node = new_node(ps, TSGI_E_IND);
		if (node >= 0) {
			ps->r.expr[node].ref = ref;
			ps->r.expr[node].flags = flags;
		}
		return node;
	}
	if (n > 5 && !strncmp(w, "rule:", 5)) {
		for (size_t i = 0; i < ps->rs->nrules; i++) {
			if (strlen(ps->rs->rules[i].id) == n - 5 &&
			    !strncmp(ps->rs->rules[i].id, w + 5, n - 5)) {
				node = new_node(ps, TSGI_E_RULE);
				if (node >= 0)
					ps->r.expr[node].ref = (int)i;
				return node;
			}
		}
		perr(ps, ps->match_line,
		     "rule '%.*s' is not defined before this rule", (int)(n - 5), w + 5);
		return -1;
	}
	if (n > 8 && !strncmp(w, "contact:", 8)) {
		char v[32] = {0};
		memcpy(v, w + 8, n - 8 < 31 ? n - 8 : 31);
		tsg_contact c;
		if (tsg_contact_parse(v, &c) != TSG_OK) {
			perr(ps, ps->match_line, "unknown contact '%s'", v);
			return -1;
		}
		node = new_node(ps, TSGI_E_CONTACT);
		if (node >= 0)
			ps->r.expr[node].ref = (int)c;
		return node;
	}
	if (n > 8 && !strncmp(w, "channel:", 8)) {
		char v[32] = {0};
		memcpy(v, w + 8, n - 8 < 31 ? n - 8 : 31);
		tsg_channel c;
		if (tsg_channel_parse(v, &c) != TSG_OK) {
			perr(ps, ps->match_line, "unknown channel '%s'", v);
			return -1;
		}
		node = new_node(ps, TSGI_E_CHANNEL);
		if (node >= 0)
			ps->r.expr[node].ref = (int)c;
		return node;
	}
	if (is_kw(w, n, "brand"))
		return new_node(ps, TSGI_E_BRAND);
	for (int i = 0; i < ps->r.pat_count; i++) {
		const tsgi_pattern *pt = &ps->rs->pats[ps->r.pat_first + i];
		if (strlen(pt->name) == n && !strncmp(pt->name, w, n)) {
			node = new_node(ps, TSGI_E_PATTERN);
			if (node >= 0)
				ps->r.expr[node].ref = ps->r.pat_first + i;
			ps->used[i] = true;
			return node;
		}
	}
	perr(ps, ps->match_line, "'%.*s' is not a pattern of this rule", (int)n, w);
	return -1;
}

static int parse_unary(struct parser *ps, unsigned depth)
{
	if (depth > TSG_MAX_EXPR_DEPTH) {
		perr(ps, ps->match_line, "expression nested deeper than %u",
		     TSG_MAX_EXPR_DEPTH);
		return -1;
	}
	skip_ws(ps);
	if (*ps->p == '(') {
		ps->p++;
		int e = parse_or(ps, depth + 1);
		skip_ws(ps);
		if (e < 0)
			return -1;
		if (*ps->p != ')') {
			perr(ps, ps->match_line, "expected ')'");
			return -1;
		}
		ps->p++;
		return e;
	}
	size_t n = word_len(ps->p);
	if (n == 0) {
		perr(ps, ps->match_line, "expected a pattern name, atom or '(' at '%s'",
		     *ps->p ? ps->p : "end of line");
		return -1;
	}
	const char *w = ps->p;
	ps->p += n;
	if (is_kw(w, n, "not")) {
		int c = parse_unary(ps, depth + 1);
		if (c < 0)
			return -1;
		int node = new_node(ps, TSGI_E_NOT);
		if (node >= 0)
			ps->r.expr[node].a = c;
		return node;
	}
	if (is_kw(w, n, "near") || is_kw(w, n, "before")) {
		bool before = is_kw(w, n, "before");
		skip_ws(ps);
		if (*ps->p != '(') {
			perr(ps, ps->match_line, "expected '(' after %s",
			     before ? "before" : "near");
			return -1;
		}
		ps->p++;
		int a = parse_or(ps, depth + 1);
		skip_ws(ps);
		if (a < 0)
			return -1;
		if (*ps->p != ',') {
			perr(ps, ps->match_line, "expected ',' in %s(a, b, N)",
			     before ? "before" : "near");
			return -1;
		}
		ps->p++;
		int b = parse_or(ps, depth + 1);
		skip_ws(ps);
		if (b < 0)
			return -1;
		if (*ps->p != ',') {
			perr(ps, ps->match_line, "expected ', N' in near(a, b, N)");
			return -1;
		}
		ps->p++;
		skip_ws(ps);
		unsigned long words = 0;
		size_t digits = 0;
		while (isdigit((unsigned char)*ps->p) && digits < 6) {
			words = words * 10 + (unsigned long)(*ps->p - '0');
			ps->p++;
			digits++;
		}
		if (digits == 0 || words == 0 || words > TSG_MAX_PROXIMITY_WORDS) {
			perr(ps, ps->match_line, "word distance must be 1..%u",
			     TSG_MAX_PROXIMITY_WORDS);
			return -1;
		}
		skip_ws(ps);
		bool sentence = false;
		if (*ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			const char *kw = ps->p;
			while (isalpha((unsigned char)*ps->p))
				ps->p++;
			if (!is_kw(kw, (size_t)(ps->p - kw), "sentence")) {
				perr(ps, ps->match_line, "expected 'sentence' as the fourth "
				     "argument of %s(a, b, N, sentence)",
				     before ? "before" : "near");
				return -1;
			}
			sentence = true;
			skip_ws(ps);
		}
		if (*ps->p != ')') {
			perr(ps, ps->match_line, "expected ')' closing %s(...)",
			     before ? "before" : "near");
			return -1;
		}
		ps->p++;
		int node = new_node(ps, before ? TSGI_E_BEFORE : TSGI_E_NEAR);
		if (node >= 0) {
			ps->r.expr[node].a = a;
			ps->r.expr[node].b = b;
			ps->r.expr[node].n = (unsigned)words;
			ps->r.expr[node].sentence = sentence;
		}
		return node;
	}
	return parse_atom(ps, w, n);
}

static int parse_and(struct parser *ps, unsigned depth)
{
	int left = parse_unary(ps, depth);
	while (left >= 0) {
		skip_ws(ps);
		size_t n = word_len(ps->p);
		if (!is_kw(ps->p, n, "and"))
			break;
		ps->p += n;
		int right = parse_unary(ps, depth);
		if (right < 0)
			return -1;
		int node = new_node(ps, TSGI_E_AND);
		if (node < 0)
			return -1;
		ps->r.expr[node].a = left;
		ps->r.expr[node].b = right;
		left = node;
	}
	return left;
}

static int parse_or(struct parser *ps, unsigned depth)
{
	int left = parse_and(ps, depth);
	while (left >= 0) {
		skip_ws(ps);
		size_t n = word_len(ps->p);
		if (!is_kw(ps->p, n, "or"))
			break;
		ps->p += n;
		int right = parse_and(ps, depth);
		if (right < 0)
			return -1;
		int node = new_node(ps, TSGI_E_OR);
		if (node < 0)
			return -1;
		ps->r.expr[node].a = left;
		ps->r.expr[node].b = right;
		left = node;
	}
	return left;
}

/* ---- rule fields ------------------------------------------------------ */

static const char *const k_categories[] = {
	"tech_support", "refund", "account_alert", "government", "other", "any",
};

static void rule_begin(struct parser *ps, const char *id, size_t n)
{
	memset(&ps->r, 0, sizeof ps->r);
	ps->in_rule = true;
	ps->match_src = NULL;
	ps->cap_expect = ps->cap_reject = ps->cap_expr = 0;
	memset(ps->used, 0, sizeof ps->used);
	ps->r.line = ps->line;
	ps->r.file = ps->file;
	ps->r.weight = -1;
	ps->r.langs = TSGI_LANG_ANY;
	ps->r.pat_first = (int)ps->rs->npats;
	ps->r.root = -1;
	if (!valid_id(id, n))
		perr(ps, ps->line, "rule id '%.*s' must be 1-128 of [A-Za-z0-9_.-]",
		     (int)n, id);
	ps->r.id = adup(ps, id, n);
	for (size_t i = 0; i < ps->rs->nrules; i++)
		if (ps->r.id && !strcmp(ps->rs->rules[i].id, ps->r.id))
			perr(ps, ps->line, "duplicate rule id '%s' (first at %s:%d)",
			     ps->r.id, ps->rs->rules[i].file, ps->rs->rules[i].line);
}

static void add_pattern(struct parser *ps, const char *v)
{
	const char *name = v;
	size_t nn = 0;
	while (name[nn] && !isspace((unsigned char)name[nn]))
		nn++;
	const char *q = name + nn;
	while (isspace((unsigned char)*q))
		q++;
	if (nn == 0 || *q != '/') {
		perr(ps, ps->line, "pattern needs a name and a /regex/");
		return;
	}
	if (!valid_id(name, nn) || strchr(".:", name[0])) {
		perr(ps, ps->line, "pattern name '%.*s' is not a plain name", (int)nn,
		     name);
		return;
	}
	if (is_kw(name, nn, "and") || is_kw(name, nn, "or") ||
	    is_kw(name, nn, "not") || is_kw(name, nn, "near") ||
	    is_kw(name, nn, "brand") || is_kw(name, nn, "before")) {
		perr(ps, ps->line, "pattern name '%.*s' is a keyword", (int)nn, name);
		return;
	}
	const char *end = q + strlen(q);
	while (end > q + 1 && isspace((unsigned char)end[-1]))
		end--;
	if (end <= q + 1 || end[-1] != '/') {
		perr(ps, ps->line, "pattern must end with '/'");
		return;
	}
	const char *re = q + 1;
	size_t rn = (size_t)(end - 1 - re);
	if (rn == 0) {
		perr(ps, ps->line, "empty pattern");
		return;
	}
	for (size_t i = 0; i < rn; i++) {
		unsigned char c = (unsigned char)re[i];
		if (c >= 0x80) {
			perr(ps, ps->line,
			     "pattern has a non-ASCII character; rules match "
			     "normalised text without accents (write 'e' for 'é', "
			     "'ss' for 'ß')");
			return;
		}
		if (c >= 'A' && c <= 'Z' && (i == 0 || re[i - 1] != '\\')) {
			perr(ps, ps->line,
			     "pattern has upper-case '%c'; rules match lower-case "
			     "normalised text",
			     c);
			return;
		}
	}
	if (ps->r.pat_count >= (int)TSG_MAX_PATTERNS_PER_RULE) {
		perr(ps, ps->line, "more than %u patterns in one rule",
		     TSG_MAX_PATTERNS_PER_RULE);
		return;
	}
	for (int i = 0; i < ps->r.pat_count; i++)
		if (is_kw(name, nn, ps->rs->pats[ps->r.pat_first + i].name))
			perr(ps, ps->line, "duplicate pattern name '%.*s'", (int)nn, name);
	if (!tsgi_arena_grow(ps->rs->a, (void **)&ps->rs->pats, &ps->rs->cappats,
	                     sizeof(tsgi_pattern), ps->rs->npats + 1)) {
		perr(ps, ps->line, "out of memory");
		return;
	}
	tsgi_pattern *pt = &ps->rs->pats[ps->rs->npats++];
	pt->name = adup(ps, name, nn);
	pt->regex = adup(ps, re, rn);
	pt->rule = (int)ps->rs->nrules;
	pt->line = ps->line;
	ps->r.pat_count++;
}

/* Parses an optional "[contact=unsolicited channel=sms]" prefix. */
static const char *example_opts(struct parser *ps, const char *v,
                                tsgi_example *ex)
{
	ex->contact = TSG_CONTACT_UNKNOWN;
	ex->channel = TSG_CHANNEL_TEXT;
	if (*v != '[')
		return v;
	const char *close = strchr(v, ']');
	if (!close) {
		perr(ps, ps->line, "example options need a closing ']'");
		return v;
	}
	char buf[256];
	size_t n = (size_t)(close - v - 1);
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, v + 1, n);
	buf[n] = '\0';
	char *cur = buf;
	for (char *tok; (tok = next_token(&cur, " "));) {
		char *eq = strchr(tok, '=');
		if (!eq) {
			perr(ps, ps->line, "example option '%s' needs key=value", tok);
			continue;
		}
		*eq = '\0';
		if (!strcmp(tok, "contact")) {
			if (tsg_contact_parse(eq + 1, &ex->contact) != TSG_OK)
				perr(ps, ps->line, "unknown contact '%s'", eq + 1);
		} else if (!strcmp(tok, "channel")) {
			if (tsg_channel_parse(eq + 1, &ex->channel) != TSG_OK)
				perr(ps, ps->line, "unknown channel '%s'", eq + 1);
		} else {
			perr(ps, ps->line, "unknown example option '%s'", tok);
		}
	}
	v = close + 1;
	while (*v == ' ')
		v++;
	return v;
}

static void add_example(struct parser *ps, const char *v, bool expect)
{
	tsgi_example ex = {0};
	v = example_opts(ps, v, &ex);
	if (!*v) {
		perr(ps, ps->line, "empty example");
		return;
	}
	ex.text = adup(ps, v, strlen(v));
	ex.line = ps->line;
	tsgi_example **arr = expect ? &ps->r.expect : &ps->r.reject;
	size_t *n = expect ? &ps->r.nexpect : &ps->r.nreject;
	size_t *cap = expect ? &ps->cap_expect : &ps->cap_reject;
	if (!tsgi_arena_grow(ps->rs->a, (void **)arr, cap, sizeof ex, *n + 1)) {
		perr(ps, ps->line, "out of memory");
		return;
	}
	(*arr)[(*n)++] = ex;
}

static void rule_field(struct parser *ps, const char *key, size_t kn,
                       const char *v)
{
	if (is_kw(key, kn, "category")) {
		bool ok = false;
		for (size_t i = 0; i < sizeof k_categories / sizeof *k_categories; i++)
			if (!strcmp(v, k_categories[i]))
				ok = true;
		if (!ok)
			perr(ps, ps->line,
			     "unknown category '%s' (tech_support, refund, "
			     "account_alert, government, other, any)",
			     v);
		ps->r.category = adup(ps, v, strlen(v));
	} else if (is_kw(key, kn, "lang")) {
		unsigned bits = 0;
		char buf[128];
		snprintf(buf, sizeof buf, "%s", v);
		char *cur = buf;
		for (char *t; (t = next_token(&cur, " ,"));) {
			if (!strcmp(t, "any"))
				bits |= TSGI_LANG_ANY;
			else if (strlen(t) == 2 && tsgi_lang_bit(t))
				bits |= tsgi_lang_bit(t);
			else
				perr(ps, ps->line, "unknown language '%s' (en, es, de, fr, any)",
				     t);
		}
		ps->r.langs = bits ? bits : TSGI_LANG_ANY;
	} else if (is_kw(key, kn, "weight")) {
		char *end = NULL;
		errno = 0;
		double w = strtod(v, &end);
		if (errno || end == v || *end || w < 0 || w > 1)
			perr(ps, ps->line, "weight must be a number in [0,1], not '%s'", v);
		else
			ps->r.weight = w;
	} else if (is_kw(key, kn, "message")) {
		ps->r.message = ps->r.message_in[0] = adup(ps, v, strlen(v));
	} else if (kn == 10 && !strncmp(key, "message.", 8)) {
		int l = tsgi_lang_index_n(key + 8, 2); /* message_in's index */
		if (l <= 0)
			perr(ps, ps->line, "'%.*s': messages are in es, de or fr "
			                   "(message is English)", (int)kn, key);
		else if (ps->r.message_in[l])
			perr(ps, ps->line, "a second message in %.2s", key + 8);
		else
			ps->r.message_in[l] = adup(ps, v, strlen(v));
	} else if (is_kw(key, kn, "brand")) {
		if (!valid_id(v, strlen(v)))
			perr(ps, ps->line, "brand id '%s' is not a plain id", v);
		ps->r.brand = adup(ps, v, strlen(v));
	} else if (is_kw(key, kn, "instrument")) {
		if (strcmp(v, "yes"))
			perr(ps, ps->line, "instrument takes 'yes'");
		else
			ps->r.instrument = true;
	} else if (is_kw(key, kn, "stage")) {
		if (strlen(v) != 1 || v[0] < '1' || v[0] > '4')
			perr(ps, ps->line, "stage must be 1 (claim), 2 (problem), "
			                   "3 (remote access) or 4 (payment)");
		else
			ps->r.stage = v[0] - '0';
	} else if (is_kw(key, kn, "channel")) {
		char buf[128];
		snprintf(buf, sizeof buf, "%s", v);
		char *cur = buf;
		for (char *t; (t = next_token(&cur, " ,"));) {
			tsg_channel c;
			if (tsg_channel_parse(t, &c) != TSG_OK || c == TSG_CHANNEL_AUTO)
				perr(ps, ps->line, "unknown channel '%s'", t);
			else
				ps->r.channels |= 1u << c;
		}
	} else if (is_kw(key, kn, "pattern")) {
		add_pattern(ps, v);
	} else if (is_kw(key, kn, "match")) {
		if (ps->match_src)
			perr(ps, ps->line, "a rule has one 'match' line");
		ps->match_src = adup(ps, v, strlen(v));
		ps->match_line = ps->line;
	} else if (is_kw(key, kn, "expect")) {
		add_example(ps, v, true);
	} else if (is_kw(key, kn, "reject")) {
		add_example(ps, v, false);
	} else {
		perr(ps, ps->line, "unknown field '%.*s'", (int)kn, key);
	}
}

static void rule_end(struct parser *ps)
{
	tsgi_rule *r = &ps->r;
	ps->in_rule = false;
	size_t before = ps->nerr;
	if (!r->category)
		perr(ps, r->line, "rule '%s' has no category", r->id);
	if (r->weight < 0)
		perr(ps, r->line, "rule '%s' has no weight", r->id);
	if (!r->message && r->weight > 0)
		perr(ps, r->line, "rule '%s' has no message", r->id);
	if (ps->match_src) {
		ps->p = ps->match_src;
		r->root = parse_or(ps, 0);
		skip_ws(ps);
		if (r->root >= 0 && *ps->p)
			perr(ps, ps->match_line, "unexpected '%s' in match", ps->p);
	} else if (r->pat_count > 0) {
		/* Default: any pattern. */
		int left = -1;
		for (int i = 0; i < r->pat_count; i++) {
			int n = new_node(ps, TSGI_E_PATTERN);
			if (n < 0)
				break;
			r->expr[n].ref = r->pat_first + i;
			ps->used[i] = true;
			if (left >= 0) {
				int o = new_node(ps, TSGI_E_OR);
				if (o < 0)
					break;
				r->expr[o].a = left;
				r->expr[o].b = n;
				n = o;
			}
			left = n;
		}
		r->root = left;
	} else {
		perr(ps, r->line, "rule '%s' has neither patterns nor a match line",
		     r->id);
	}
	for (int i = 0; i < r->pat_count; i++)
		if (!ps->used[i]) {
			char w[200];
			snprintf(w, sizeof w, "pattern '%s' is not used by the match line",
			         ps->rs->pats[r->pat_first + i].name);
			pwarn(ps, ps->rs->pats[r->pat_first + i].line, w);
		}
	if (r->weight > 0 && r->nexpect == 0)
		pwarn(ps, r->line, "rule has no 'expect' example");
	for (int l = 1; l < TSGI_NLANGS && r->weight > 0 && r->message; l++)
		if (!r->message_in[l]) {
			char w[64];
			snprintf(w, sizeof w, "rule has no message in %s",
			         tsgi_lang_codes[l]);
			pwarn(ps, r->line, w);
		}
	for (int l = 1; l < TSGI_NLANGS; l++)
		if (r->message_in[l] && !r->message)
			perr(ps, r->line, "rule '%s' has a message in %s but none in "
			                  "English", r->id, tsgi_lang_codes[l]);
	if (r->instrument) {
		bool brand_atom = false;
		for (int i = 0; i < r->nexpr; i++)
			brand_atom |= r->expr[i].kind == TSGI_E_BRAND;
		if (r->brand || brand_atom)
			perr(ps, r->line,
			     "instrument rule '%s' may not claim or test a brand", r->id);
	}
	if (ps->nerr != before || ps->rs->nrules >= TSG_MAX_RULES) {
		if (ps->rs->nrules >= TSG_MAX_RULES)
			perr(ps, r->line, "more than %u rules", TSG_MAX_RULES);
		/* Drop the rule's patterns so that indexes stay consistent. */
		ps->rs->npats = (size_t)r->pat_first;
		return;
	}
	if (!tsgi_arena_grow(ps->rs->a, (void **)&ps->rs->rules, &ps->rs->caprules,
	                     sizeof(tsgi_rule), ps->rs->nrules + 1)) {
		perr(ps, r->line, "out of memory");
		ps->rs->npats = (size_t)r->pat_first;
		return;
	}
	ps->rs->rules[ps->rs->nrules++] = *r;
}

size_t tsgi_ruleset_parse(tsgi_ruleset *rs, const char *file, const char *text,
                          size_t len, tsgi_errors *errs)
{
	struct parser ps = {.rs = rs, .errs = errs};
	ps.file = tsgi_arena_strdup(rs->a, file);
	if (memchr(text, '\0', len)) {
		perr(&ps, 0, "file contains a NUL byte");
		return ps.nerr;
	}
	const char *p = text, *end = text + len;
	char *line = malloc(TSG_MAX_RULE_LINE + 1);
	if (!line) {
		perr(&ps, 0, "out of memory");
		return ps.nerr;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		ps.line++;
		size_t n = (size_t)(le - p);
		p = nl ? nl + 1 : end;
		if (n > TSG_MAX_RULE_LINE) {
			perr(&ps, ps.line, "line longer than %u bytes", TSG_MAX_RULE_LINE);
			continue;
		}
		memcpy(line, le - n, n);
		line[n] = '\0';
		while (n && (line[n - 1] == '\r' || isspace((unsigned char)line[n - 1])))
			line[--n] = '\0';
		char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		char *key = s;
		size_t kn = 0;
		while (key[kn] && !isspace((unsigned char)key[kn]))
			kn++;
		char *v = key + kn;
		while (isspace((unsigned char)*v))
			v++;
		if (is_kw(key, kn, "rule")) {
			if (ps.in_rule) {
				perr(&ps, ps.line, "'rule' inside rule '%s' (missing 'end'?)",
				     ps.r.id);
				rule_end(&ps);
			}
			rule_begin(&ps, v, strlen(v));
		} else if (is_kw(key, kn, "end")) {
			if (!ps.in_rule)
				perr(&ps, ps.line, "'end' outside a rule");
			else
				rule_end(&ps);
		} else if (!ps.in_rule) {
			perr(&ps, ps.line, "'%.*s' outside a rule", (int)kn, key);
		} else if (!*v) {
			perr(&ps, ps.line, "field '%.*s' has no value", (int)kn, key);
		} else {
			rule_field(&ps, key, kn, v);
		}
	}
	if (ps.in_rule) {
		perr(&ps, ps.r.line, "rule '%s' has no 'end'", ps.r.id);
		rule_end(&ps);
	}
	free(line);
	return ps.nerr;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t load_file(tsgi_ruleset *rs, const char *path, tsgi_errors *errs)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		tsgi_errors_add(errs, false, path, 0, "cannot open: %s", strerror(errno));
		return 1;
	}
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			if (cap >= TSG_MAX_DATA_FILE) {
				free(buf);
				fclose(f);
				tsgi_errors_add(errs, false, path, 0, "larger than %u bytes",
				                TSG_MAX_DATA_FILE);
				return 1;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf) {
		tsgi_errors_add(errs, false, path, 0, "out of memory");
		return 1;
	}
	size_t n = tsgi_ruleset_parse(rs, path, buf, len, errs);
	free(buf);
	return n;
}

size_t tsgi_ruleset_load(tsgi_ruleset *rs, const char *path, tsgi_errors *errs)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		tsgi_errors_add(errs, false, path, 0, "cannot open: %s", strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(rs, path, errs);
	DIR *d = opendir(path);
	if (!d) {
		tsgi_errors_add(errs, false, path, 0, "cannot open folder: %s",
		                strerror(errno));
		return 1;
	}
	char *names[TSG_MAX_RULE_FILES];
	size_t n = 0, nerr = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l < 7 || strcmp(de->d_name + l - 6, ".rules") || de->d_name[0] == '.')
			continue;
		if (n == TSG_MAX_RULE_FILES) {
			tsgi_errors_add(errs, false, path, 0, "more than %u rule files",
			                TSG_MAX_RULE_FILES);
			nerr++;
			break;
		}
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		char full[4096];
		snprintf(full, sizeof full, "%s/%s", path, names[i]);
		nerr += load_file(rs, full, errs);
		free(names[i]);
	}
	return nerr;
}
