/*
 * rules_eval.c - one Hyperscan pass, then every rule's expression evaluated
 * over span sets.
 *
 * Each atom yields (truth, spans).  Spans are kept per value up to
 * SPAN_CAP so that proximity tests stay bounded (near() is quadratic in the
 * spans of its two sides).
 */
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "tsguard_limits.h"

#define SPAN_CAP 64u

struct tsgi_matcher {
	const tsgi_ruleset *rs;
	hs_scratch_t *scratch;
};

tsgi_matcher *tsgi_matcher_new(const tsgi_ruleset *rs)
{
	tsgi_matcher *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->rs = rs;
	if (rs->scratch && hs_clone_scratch(rs->scratch, &m->scratch) != HS_SUCCESS) {
		free(m);
		return NULL;
	}
	return m;
}

void tsgi_matcher_free(tsgi_matcher *m)
{
	if (!m)
		return;
	if (m->scratch)
		hs_free_scratch(m->scratch);
	free(m);
}

struct match {
	uint32_t pat, start, end;
};

/* Matches of one scan.  Per-pattern counters are only allocated once a
 * message has many matches (long texts), so that short messages cost
 * nothing proportional to the number of patterns. */
#define COUNT_AFTER 1024u

struct collect {
	tsgi_arena *a;
	struct match *v;
	size_t n, cap;
	uint16_t *count; /* per pattern, NULL until COUNT_AFTER matches */
	size_t npats;
	bool dropped;
	bool oom;
};

static int on_match(unsigned int id, unsigned long long from,
                    unsigned long long to, unsigned int flags, void *ctx)
{
	(void)flags;
	struct collect *c = ctx;
	if (c->n >= TSG_MAX_MATCHES) {
		c->dropped = true;
		return 0;
	}
	if (c->n >= COUNT_AFTER && !c->count) {
		c->count = tsgi_arena_calloc(c->a, c->npats, sizeof *c->count);
		if (!c->count) {
			c->oom = true;
			return 1;
		}
		for (size_t i = 0; i < c->n; i++)
			if (c->count[c->v[i].pat] < UINT16_MAX)
				c->count[c->v[i].pat]++;
	}
	if (c->count) {
		if (c->count[id] >= TSG_MAX_MATCHES_PER_PATTERN) {
			c->dropped = true;
			return 0;
		}
		c->count[id]++;
	}
	if (c->n == c->cap &&
	    !tsgi_arena_grow(c->a, (void **)&c->v, &c->cap, sizeof *c->v, c->n + 1)) {
		c->oom = true;
		return 1; /* stop scanning */
	}
	c->v[c->n++] = (struct match){id, (uint32_t)from, (uint32_t)to};
	return 0;
}

/* Prefilter: stops the scan at the first match. */
static int on_any(unsigned int id, unsigned long long from,
                  unsigned long long to, unsigned int flags, void *ctx)
{
	(void)id, (void)from, (void)to, (void)flags;
	*(bool *)ctx = true;
	return 1;
}

static int cmp_match(const void *x, const void *y)
{
	const struct match *a = x, *b = y;
	if (a->pat != b->pat)
		return a->pat < b->pat ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (a->end > b->end) - (a->end < b->end);
}

typedef struct val {
	bool t;
	tsgi_span *v;
	uint32_t n;
} val;

struct ev {
	const tsgi_ruleset *rs;
	const tsgi_eval_ctx *ctx;
	tsgi_arena *a;
	tsgi_text *text; /* words indexed on demand */
	/* matches sorted by (pattern, start), with spans[] parallel to them */
	const struct match *m;
	size_t nm;
	tsgi_span *spans;
	/* per rule results */
	val *rule_val;
	bool *rule_done;
	val brand_val;
	bool brand_done;
	uint64_t *matched; /* bit per atom the message has (rules_gate.c) */
	bool oom;
};

static tsgi_span *span_alloc(struct ev *e, size_t n)
{
	tsgi_span *s = tsgi_arena_alloc(e->a, (n ? n : 1) * sizeof *s);
	if (!s)
		e->oom = true;
	return s;
}

/* Norm offset of the first normalised byte at or after raw offset `raw`. */
static uint32_t raw_to_norm(const tsgi_text *t, size_t raw)
{
	size_t lo = 0, hi = t->len;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->map[mid] < raw)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

static val concat(struct ev *e, val x, val y, bool t)
{
	val r = {.t = t};
	uint32_t n = x.n + y.n;
	if (n > SPAN_CAP)
		n = SPAN_CAP;
	if (n == 0)
		return r;
	r.v = span_alloc(e, n);
	if (!r.v)
		return r;
	uint32_t k = 0;
	for (uint32_t i = 0; i < x.n && k < n; i++)
		r.v[k++] = x.v[i];
	for (uint32_t i = 0; i < y.n && k < n; i++)
		r.v[k++] = y.v[i];
	r.n = k;
	return r;
}

static val eval(struct ev *e, const tsgi_rule *r, int node);

/* Whether a sentence ends in the normalised text between two spans: a '.',
 * '!' or '?' followed by a space, in [from, to).  Decimal points and
 * dotted names ("3.5", "bit.ly") have no space after the dot. */
static bool sentence_break(const tsgi_text *t, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to && i + 1 < t->len; i++) {
		char c = t->s[i];
		if ((c == '.' || c == '!' || c == '?') && t->s[i + 1] == ' ')
			return true;
	}
	return false;
}

static val eval_near(struct ev *e, const tsgi_expr *x, val a, val b)
{
	val r = {0};
	if (!a.t || !b.t || !a.n || !b.n)
		return r;
	if (!e->text->words && tsgi_text_index_words(e->a, e->text) != TSG_OK) {
		e->oom = true;
		return r;
	}
	bool *ua = tsgi_arena_calloc(e->a, a.n + b.n, sizeof(bool));
	/* Word numbers of b's spans, looked up once rather than per pair. */
	size_t *wb = tsgi_arena_alloc(e->a, 2 * (size_t)b.n * sizeof *wb);
	if (!ua || !wb) {
		e->oom = true;
		return r;
	}
	bool *ub = ua + a.n;
	for (uint32_t j = 0; j < b.n; j++) {
		wb[2 * j] = tsgi_text_word_at(e->text, b.v[j].start);
		wb[2 * j + 1] =
			tsgi_text_word_at(e->text, b.v[j].end ? b.v[j].end - 1 : 0);
	}
	uint32_t pairs = 0;
	for (uint32_t i = 0; i < a.n; i++) {
		size_t wa0 = tsgi_text_word_at(e->text, a.v[i].start);
		size_t wa1 = tsgi_text_word_at(e->text, a.v[i].end ? a.v[i].end - 1 : 0);
		for (uint32_t j = 0; j < b.n; j++) {
			size_t wb0 = wb[2 * j], wb1 = wb[2 * j + 1];
			size_t gap;
			if (x->kind == TSGI_E_BEFORE && b.v[j].start < a.v[i].start)
				continue;
			if (wb0 > wa1)
				gap = wb0 - wa1;
			else if (wa0 > wb1)
				gap = wa0 - wb1;
			else
				gap = 0; /* overlapping */
			if (gap > x->n)
				continue;
			if (x->sentence && gap > 0) {
				bool a_first = a.v[i].start <= b.v[j].start;
				uint32_t from = a_first ? a.v[i].end : b.v[j].end;
				uint32_t to = a_first ? b.v[j].start : a.v[i].start;
				if (sentence_break(e->text, from, to))
					continue;
			}
			ua[i] = ub[j] = true;
			pairs++;
		}
	}
	if (!pairs)
		return r;
	r.t = true;
	r.v = span_alloc(e, a.n + b.n);
	if (!r.v)
		return r;
	for (uint32_t i = 0; i < a.n; i++)
		if (ua[i])
			r.v[r.n++] = a.v[i];
	for (uint32_t j = 0; j < b.n; j++)
		if (ub[j] && r.n < SPAN_CAP)
			r.v[r.n++] = b.v[j];
	return r;
}

/* Whether signal i has a span in the scanned text (not in the doc's
 * evidence-only tail, which the verdict quotes by itself). */
static bool scanned_span(const tsgi_doc *d, size_t i)
{
	return d->sigs[i].has_span && d->sigs[i].end <= tsgi_doc_scan_len(d);
}

static val eval_signal(struct ev *e, const char *name)
{
	const tsgi_doc *d = e->ctx->doc;
	val r = {0};
	uint32_t n = 0;
	for (size_t i = 0; i < d->nsigs; i++)
		if (!strcmp(d->sigs[i].name, name)) {
			r.t = true;
			if (scanned_span(d, i))
				n++;
		}
	if (!n)
		return r;
	r.v = span_alloc(e, n);
	if (!r.v)
		return r;
	for (size_t i = 0; i < d->nsigs && r.n < SPAN_CAP; i++)
		if (!strcmp(d->sigs[i].name, name) && scanned_span(d, i)) {
			tsgi_span s = {raw_to_norm(e->text, d->sigs[i].start),
			               raw_to_norm(e->text, d->sigs[i].end)};
			if (s.end < s.start)
				s.end = s.start;
			r.v[r.n++] = s;
		}
	return r;
}

static bool ind_matches(const tsg_indicator *ind, const tsgi_expr *x)
{
	if ((int)ind->kind != x->ref)
		return false;
	if (x->flags == 0x80000000u)
		return !(ind->flags & TSG_IND_F_OFFICIAL);
	return (ind->flags & x->flags) == x->flags;
}

static val eval_ind(struct ev *e, const tsgi_expr *x)
{
	val r = {0};
	uint32_t n = 0;
	for (size_t i = 0; i < e->ctx->nind; i++)
		if (ind_matches(&e->ctx->ind[i], x))
			n++;
	if (!n)
		return r;
	r.t = true;
	if (n > SPAN_CAP)
		n = SPAN_CAP;
	r.v = span_alloc(e, n);
	if (!r.v)
		return r;
	for (size_t i = 0; i < e->ctx->nind && r.n < n; i++) {
		const tsg_indicator *ind = &e->ctx->ind[i];
		if (!ind_matches(ind, x))
			continue;
		/* Indicator spans are segment-relative; make them buffer-absolute. */
		size_t base = 0;
		const tsgi_doc *d = e->ctx->doc;
		if (ind->segment >= 0 && (size_t)ind->segment < d->nsegs)
			base = d->segs[ind->segment].off;
		r.v[r.n++] = (tsgi_span){raw_to_norm(e->text, base + ind->start),
		                         raw_to_norm(e->text, base + ind->end)};
	}
	return r;
}

static val eval_rule(struct ev *e, int idx);

static val eval(struct ev *e, const tsgi_rule *r, int node)
{
	val none = {0};
	if (node < 0 || e->oom)
		return none;
	const tsgi_expr *x = &r->expr[node];
	switch (x->kind) {
	case TSGI_E_PATTERN: {
		size_t lo = 0, hi = e->nm;
		uint32_t p = (uint32_t)x->ref;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (e->m[mid].pat < p)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t end = lo;
		while (end < e->nm && e->m[end].pat == p)
			end++;
		val v = {.t = end > lo, .v = e->spans + lo, .n = (uint32_t)(end - lo)};
		if (v.n > SPAN_CAP)
			v.n = SPAN_CAP;
		return v;
	}
	case TSGI_E_SIGNAL:
		return eval_signal(e, x->name);
	case TSGI_E_IND:
		return eval_ind(e, x);
	case TSGI_E_RULE:
		return eval_rule(e, x->ref);
	case TSGI_E_BRAND: {
		/* Every brand rule, evaluated once per message. */
		if (!e->brand_done) {
			val acc = {0};
			for (size_t i = 0; i < e->rs->nbrand_rules; i++) {
				val b = eval_rule(e, e->rs->brand_rules[i]);
				if (b.t)
					acc = concat(e, acc, b, true);
			}
			e->brand_val = acc;
			e->brand_done = true;
		}
		return e->brand_val;
	}
	case TSGI_E_CONTACT:
		return (val){.t = (int)e->ctx->contact == x->ref};
	case TSGI_E_CHANNEL:
		return (val){.t = (int)e->ctx->channel == x->ref};
	case TSGI_E_AND: {
		val a = eval(e, r, x->a);
		if (!a.t)
			return none;
		val b = eval(e, r, x->b);
		if (!b.t)
			return none;
		return concat(e, a, b, true);
	}
	case TSGI_E_OR: {
		val a = eval(e, r, x->a);
		val b = eval(e, r, x->b);
		if (!a.t && !b.t)
			return none;
		return concat(e, a.t ? a : none, b.t ? b : none, true);
	}
	case TSGI_E_NOT: {
		val a = eval(e, r, x->a);
		return (val){.t = !a.t};
	}
	case TSGI_E_NEAR:
	case TSGI_E_BEFORE: {
		val a = eval(e, r, x->a);
		if (!a.t)
			return none;
		val b = eval(e, r, x->b);
		return eval_near(e, x, a, b);
	}
	}
	return none;
}

/* Whether the message has an atom of rule idx's gate (rules_gate.c). */
static bool gate_open(const struct ev *e, int idx)
{
	const uint64_t *g = e->rs->gate_bits + (size_t)idx * e->rs->gate_words;
	for (size_t w = 0; w < e->rs->gate_words; w++)
		if (g[w] & e->matched[w])
			return true;
	return false;
}

/* Drops from a brand rule's value the spans that lie inside a span of an
 * `instrument` rule ("Google Play" in "Google Play gift cards"): naming a
 * card to pay with is not a claim to be its company. */
static val unclaim(struct ev *e, val v)
{
	for (size_t k = 0; k < e->rs->ninstrument_rules && v.n; k++) {
		val in = eval_rule(e, e->rs->instrument_rules[k]);
		if (!in.t)
			continue;
		tsgi_span *out = span_alloc(e, v.n);
		if (!out)
			return v;
		uint32_t n = 0;
		for (uint32_t i = 0; i < v.n; i++) {
			bool inside = false;
			for (uint32_t j = 0; j < in.n && !inside; j++)
				inside = in.v[j].start <= v.v[i].start &&
				         v.v[i].end <= in.v[j].end;
			if (!inside)
				out[n++] = v.v[i];
		}
		v = (val){.t = n > 0, .v = out, .n = n};
	}
	return v;
}

static val eval_rule(struct ev *e, int idx)
{
	if (e->rule_done[idx])
		return e->rule_val[idx];
	const tsgi_rule *r = &e->rs->rules[idx];
	val v = {0};
	bool channel_ok = !r->channels || (r->channels & (1u << e->ctx->channel));
	if (channel_ok && (!r->gated || gate_open(e, idx)))
		v = eval(e, r, r->root);
	if (v.t && r->brand && e->rs->ninstrument_rules)
		v = unclaim(e, v);
	e->rule_val[idx] = v;
	e->rule_done[idx] = true;
	return v;
}

tsg_status tsgi_rules_eval(tsgi_matcher *m, tsgi_arena *a,
                           const tsgi_eval_ctx *ctx, tsgi_hit **hits,
                           size_t *nhits, unsigned *limits)
{
	const tsgi_ruleset *rs = m->rs;
	*hits = NULL;
	*nhits = 0;
	if (!rs->db)
		return TSG_EENGINE;
	struct collect c = {.a = a, .npats = rs->npats};
	const tsgi_text *t = ctx->text;
	bool any = t->len > 0;
	if (any && rs->prefilter) {
		/* Most messages match no pattern: find out cheaply first. */
		any = false;
		hs_error_t he = hs_scan(rs->prefilter, t->s, (unsigned)t->len, 0,
		                        m->scratch, on_any, &any);
		if (he != HS_SUCCESS && he != HS_SCAN_TERMINATED)
			return TSG_EENGINE;
	}
	if (any) {
		hs_error_t he = hs_scan(rs->db, t->s, (unsigned)t->len, 0, m->scratch,
		                        on_match, &c);
		if (c.oom)
			return TSG_ENOMEM;
		if (he != HS_SUCCESS)
			return TSG_EENGINE;
	}
	if (c.dropped)
		*limits |= TSG_LIMIT_MATCHES;

	/* Sort by (pattern, start, end); keep the longest match per start. */
	if (c.n > 1)
		qsort(c.v, c.n, sizeof *c.v, cmp_match);
	size_t k = 0;
	for (size_t i = 0; i < c.n; i++) {
		if (k && c.v[k - 1].pat == c.v[i].pat && c.v[k - 1].start == c.v[i].start)
			c.v[k - 1].end = c.v[i].end;
		else
			c.v[k++] = c.v[i];
	}
	c.n = k;

	struct ev e = {.rs = rs, .ctx = ctx, .a = a, .m = c.v, .nm = c.n};
	e.text = (tsgi_text *)ctx->text; /* only words[] is filled in */
	e.spans = tsgi_arena_alloc(a, (c.n ? c.n : 1) * sizeof *e.spans);
	e.rule_val = tsgi_arena_calloc(a, rs->nrules, sizeof *e.rule_val);
	e.rule_done = tsgi_arena_calloc(a, rs->nrules, sizeof *e.rule_done);
	if (!e.spans || !e.rule_val || !e.rule_done)
		return TSG_ENOMEM;
	e.matched = tsgi_arena_calloc(a, rs->gate_words + 1, sizeof *e.matched);
	if (!e.matched)
		return TSG_ENOMEM;
	for (size_t i = 0; i < c.n; i++) {
		e.spans[i] = (tsgi_span){c.v[i].start, c.v[i].end};
		tsgi_bit_set(e.matched, c.v[i].pat);
	}
	for (size_t i = 0; i < ctx->nind; i++)
		if ((unsigned)ctx->ind[i].kind < TSG_IND__COUNT)
			tsgi_bit_set(e.matched, rs->npats + (size_t)ctx->ind[i].kind);
	for (size_t i = 0; ctx->doc && i < ctx->doc->nsigs; i++) {
		int id = tsgi_ruleset_signal_id(rs, ctx->doc->sigs[i].name);
		if (id >= 0)
			tsgi_bit_set(e.matched, rs->npats + TSG_IND__COUNT + (size_t)id);
	}

	/* A gated rule is false unless the message has an atom of its gate:
	 * evaluate the ungated rules and the rules of the atoms present (rules
	 * they refer to are evaluated on demand as usual; results do not
	 * depend on the order). */
	for (size_t i = 0; i < rs->nungated_rules; i++)
		eval_rule(&e, rs->ungated_rules[i]);
	for (size_t w = 0; w < rs->gate_words; w++)
		for (uint64_t bits = e.matched[w]; bits; bits &= bits - 1) {
			size_t t = w * 64 + (size_t)__builtin_ctzll(bits);
			for (size_t j = rs->atom_off[t]; j < rs->atom_off[t + 1]; j++)
				if (!e.rule_done[rs->atom_rules[j]])
					eval_rule(&e, rs->atom_rules[j]);
		}
	size_t nh = 0;
	for (size_t i = 0; i < rs->nrules; i++)
		nh += e.rule_val[i].t;
	if (e.oom)
		return TSG_ENOMEM;
	tsgi_hit *h = tsgi_arena_calloc(a, nh ? nh : 1, sizeof *h);
	if (!h)
		return TSG_ENOMEM;
	k = 0;
	for (size_t i = 0; i < rs->nrules; i++) {
		if (!e.rule_val[i].t)
			continue;
		h[k].rule = (int)i;
		h[k].spans = e.rule_val[i].v;
		h[k].nspans = e.rule_val[i].n;
		k++;
	}
	*hits = h;
	*nhits = k;
	return TSG_OK;
}
