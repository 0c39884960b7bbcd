/*
 * features.c - hashed features of one message (see features.h).
 *
 * The hash is FNV-1a over the bytes, salted by seed and namespace and
 * finished with the MurmurHash3 mixer so that the low bits spread well.
 * ASCII digits hash as '0': phone numbers, amounts and codes become
 * shapes ("000-000-0000") that generalise across messages.
 */
#include "features.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tsguard_limits.h"

static uint32_t fmix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static uint32_t h_start(const tsgi_feat_params *p, tsgi_ns ns)
{
	return 2166136261u ^ fmix32(p->seed + 0x9e3779b9u * (uint32_t)(ns + 1));
}

static uint32_t h_feed(uint32_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= '0' && c <= '9')
			c = '0';
		h ^= c;
		h *= 16777619u;
	}
	return h;
}

static uint32_t h_end(const tsgi_feat_params *p, uint32_t h)
{
	return fmix32(h) & ((1u << p->bits) - 1u);
}

uint32_t tsgi_feat_hash(const tsgi_feat_params *p, tsgi_ns ns, const char *s,
                        size_t n)
{
	return h_end(p, h_feed(h_start(p, ns), s, n));
}

double tsgi_feat_value(tsgi_ns ns, const size_t counts[TSGI_NS__COUNT])
{
	if (ns == TSGI_NS_META || counts[ns] == 0)
		return 1.0;
	return 1.0 / sqrt((double)counts[ns]);
}

/* A word is a run of ASCII letters and digits and of non-ASCII bytes (the
 * normalised text is valid UTF-8, so this never splits a character). */
static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Words longer than this (URLs, base64, hashes) are left to the character
 * n-grams. */
#define MAX_WORD 32u

/* The feature walk below is written once and instantiated twice: through
 * tsgi_features_each() with any callback, and through tsgi_features_sum()
 * with sum_cb, which the compiler then inlines into the walk (no indirect
 * call per feature).  Both visit the same features in the same order. */
#if defined(__GNUC__)
#define WALK_INLINE inline __attribute__((always_inline))
#else
#define WALK_INLINE inline
#endif

static WALK_INLINE void emit(tsgi_feat_fn fn, void *ctx, size_t *counts,
                             tsgi_feat *f)
{
	counts[f->ns]++;
	fn(ctx, f);
}

static void meta(const tsgi_feat_params *p, tsgi_feat_fn fn, void *ctx,
                 size_t *counts, const char *name)
{
	tsgi_feat f = {.ns = TSGI_NS_META, .s = name, .n = strlen(name),
	               .off = SIZE_MAX, .end = SIZE_MAX};
	f.idx = tsgi_feat_hash(p, TSGI_NS_META, f.s, f.n);
	emit(fn, ctx, counts, &f);
}

/* Feature prefix + name.  With `strings` false the callback is known not
 * to read f->s (tsgi_features_sum), so the two parts are hashed in place,
 * as the one string snprintf() would make, cut to the same 159 bytes. */
static WALK_INLINE void meta2(const tsgi_feat_params *p, tsgi_feat_fn fn,
                              void *ctx, size_t *counts, const char *prefix,
                              const char *name, bool strings)
{
	if (!strings) {
		const char *nm = name ? name : "";
		size_t lp = strlen(prefix), ln = strlen(nm);
		if (lp > 159)
			lp = 159;
		if (ln > 159 - lp)
			ln = 159 - lp;
		if (lp + ln == 0)
			return;
		tsgi_feat f = {.ns = TSGI_NS_META, .n = lp + ln, .off = SIZE_MAX,
		               .end = SIZE_MAX};
		f.idx = h_end(p, h_feed(h_feed(h_start(p, TSGI_NS_META), prefix, lp),
		                        nm, ln));
		emit(fn, ctx, counts, &f);
		return;
	}
	char tmp[160];
	int k = snprintf(tmp, sizeof tmp, "%s%s", prefix, name ? name : "");
	if (k > 0)
		meta(p, fn, ctx, counts, tmp);
}

static WALK_INLINE void walk(const tsgi_feat_params *p,
                             const tsgi_model_in *in, tsgi_feat_fn fn,
                             void *ctx, size_t counts[TSGI_NS__COUNT],
                             bool strings)
{
	for (int i = 0; i < TSGI_NS__COUNT; i++)
		counts[i] = 0;
	const char *s = in->text && in->text->s ? in->text->s : "";
	size_t len = in->text && in->text->s ? in->text->len : 0;
	size_t cap = p->max_text < TSG_MAX_MODEL_TEXT ? p->max_text
	                                              : TSG_MAX_MODEL_TEXT;
	if (len > cap) {
		len = cap;
		while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--; /* do not cut a character */
	}

	/* Words and bigrams. */
	size_t pw = SIZE_MAX, pwn = 0;
	for (size_t i = 0; i < len;) {
		if (!word_byte((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && word_byte((unsigned char)s[j]))
			j++;
		size_t n = j - i;
		if (n <= MAX_WORD) {
			tsgi_feat f = {.ns = TSGI_NS_WORD, .s = s + i, .n = n,
			               .off = i, .end = j};
			f.idx = tsgi_feat_hash(p, TSGI_NS_WORD, f.s, n);
			emit(fn, ctx, counts, &f);
			if (pw != SIZE_MAX) {
				tsgi_feat b = {.ns = TSGI_NS_BIGRAM, .s = s + pw, .n = pwn,
				               .s2 = s + i, .n2 = n, .off = pw, .end = j};
				uint32_t h = h_feed(h_start(p, TSGI_NS_BIGRAM), b.s, pwn);
				h = h_feed(h, " ", 1);
				b.idx = h_end(p, h_feed(h, b.s2, n));
				emit(fn, ctx, counts, &b);
			}
			pw = i;
			pwn = n;
		} else {
			pw = SIZE_MAX; /* a long token breaks the bigram chain */
		}
		i = j;
	}

	/* Character n-grams, spaces included: one incremental hash per start
	 * position yields every length cmin..cmax.  Grams made only of spaces
	 * and punctuation say nothing and are skipped. */
	uint32_t h0 = h_start(p, TSGI_NS_CHAR);
	for (size_t i = 0; i < len; i++) {
		uint32_t h = h0;
		int any = 0;
		for (uint32_t n = 1; n <= p->cmax && i + n <= len; n++) {
			h = h_feed(h, s + i + n - 1, 1);
			any |= word_byte((unsigned char)s[i + n - 1]);
			if (n < p->cmin || !any)
				continue;
			tsgi_feat f = {.ns = TSGI_NS_CHAR, .s = s + i, .n = n,
			               .off = i, .end = i + n, .idx = h_end(p, h)};
			emit(fn, ctx, counts, &f);
		}
	}

	/* META: rules, signals, indicators, language. */
	const tsgi_ruleset *rs = in->rules;
	for (size_t i = 0; rs && i < in->nhits; i++) {
		const tsgi_rule *r = tsgi_ruleset_rule(rs, (size_t)in->hits[i].rule);
		if (r && r->id)
			meta2(p, fn, ctx, counts, "r:", r->id, strings);
	}
	for (size_t i = 0; in->doc && i < in->doc->nsigs; i++)
		meta2(p, fn, ctx, counts, "s:", in->doc->sigs[i].name, strings);
	unsigned kinds = 0, tollfree = 0, official = 0, shortener = 0,
	         defanged = 0, spoken = 0;
	for (size_t i = 0; i < in->nind; i++) {
		const tsg_indicator *d = &in->ind[i];
		if ((unsigned)d->kind < 32 && !(kinds & (1u << d->kind))) {
			kinds |= 1u << d->kind;
			meta2(p, fn, ctx, counts, "i:", tsg_indicator_kind_name(d->kind),
			      strings);
		}
		tollfree |= d->kind == TSG_IND_PHONE && (d->flags & TSG_IND_F_TOLL_FREE);
		official |= (d->flags & TSG_IND_F_OFFICIAL) != 0;
		shortener |= (d->flags & TSG_IND_F_SHORTENER) != 0;
		defanged |= (d->flags & TSG_IND_F_DEFANGED) != 0;
		spoken |= (d->flags & TSG_IND_F_SPOKEN) != 0;
		if (d->kind == TSG_IND_REMOTE && d->detail)
			meta2(p, fn, ctx, counts, "i:remote:", d->detail, strings);
		if (d->kind == TSG_IND_GIFTCARD && d->value)
			meta2(p, fn, ctx, counts, "i:giftcard:", d->value, strings);
	}
	if (tollfree)
		meta(p, fn, ctx, counts, "i:phone:tollfree");
	if (official)
		meta(p, fn, ctx, counts, "i:official");
	if (shortener)
		meta(p, fn, ctx, counts, "i:url:shortener");
	if (defanged)
		meta(p, fn, ctx, counts, "i:defanged");
	if (spoken)
		meta(p, fn, ctx, counts, "i:spoken");
	meta2(p, fn, ctx, counts, "lang:", in->lang ? in->lang : "?", strings);
	/* No channel and no length feature (features version 2): in the corpus
	 * 251 of 260 calls are scams, so "ch:call" and the short-text length
	 * buckets learned "call => scam" instead of what the message says.
	 * The model judges content; data/tsguard.conf model.channels says
	 * where it is applied at all. */
}

void tsgi_features_each(const tsgi_feat_params *p, const tsgi_model_in *in,
                        tsgi_feat_fn fn, void *ctx,
                        size_t counts[TSGI_NS__COUNT])
{
	walk(p, in, fn, ctx, counts, true);
}

struct sum_ctx {
	const float *w;
	double s[TSGI_NS__COUNT];
};

static void sum_cb(void *ctx, const tsgi_feat *f)
{
	struct sum_ctx *c = ctx;
	c->s[f->ns] += c->w[f->idx];
}

void tsgi_features_sum(const tsgi_feat_params *p, const tsgi_model_in *in,
                       const float *w, double sums[TSGI_NS__COUNT],
                       size_t counts[TSGI_NS__COUNT])
{
	/* Local sums and counts, copied out at the end: once the walk is
	 * inlined they live in registers instead of going through memory the
	 * caller's pointers might share.  Same additions, same order. */
	struct sum_ctx c = {.w = w};
	size_t n[TSGI_NS__COUNT];
	walk(p, in, sum_cb, &c, n, false);
	for (int i = 0; i < TSGI_NS__COUNT; i++) {
		sums[i] = c.s[i];
		counts[i] = n[i];
	}
}
