/*
 * features.c - hashed features of one message (see features.h).
 *
 * Words, bigrams and META names: FNV-1a over the bytes, salted by seed and
 * namespace and finished with the MurmurHash3 mixer so that the low bits
 * spread well.  Character n-grams: the bytes packed into a 64-bit word,
 * salted per length, mixed by multiply-xorshift-multiply and cut to the
 * top bits.  ASCII digits hash as '0' everywhere: phone numbers, amounts
 * and codes become shapes ("000-000-0000") that generalise across
 * messages.
 */
#include "features.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
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

static inline unsigned char fold_digit(unsigned char c)
{
	return c >= '0' && c <= '9' ? '0' : c;
}

/* Per-length salt of the character n-grams, from the seed. */
static uint64_t char_salt(const tsgi_feat_params *p, uint32_t n)
{
	uint32_t a = fmix32(p->seed + 0x9e3779b9u * (uint32_t)(TSGI_NS_CHAR + 1));
	uint32_t b = fmix32(a ^ (0x85ebca6bu * n));
	return (uint64_t)fmix32(b + n) << 32 | b;
}

/* The bucket of a packed, salted gram: two multiplies and a shift mix
 * every input bit into the top bits, which are kept. */
static inline uint32_t char_idx(const tsgi_feat_params *p, uint64_t x)
{
	x *= 0x9e3779b97f4a7c15ull;
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ull;
	return (uint32_t)(x >> (64 - p->bits));
}

/* Words: FNV-1a of the word alone, salted afterwards, so that a bigram
 * can reuse the hashes of its two words instead of reading them again. */
static inline uint32_t word_u(const char *s, size_t n)
{
	return h_feed(2166136261u, s, n);
}

static inline uint32_t ns_salt(const tsgi_feat_params *p, tsgi_ns ns)
{
	return fmix32(p->seed + 0x9e3779b9u * (uint32_t)(ns + 1));
}

static inline uint32_t bigram_idx(const tsgi_feat_params *p, uint32_t salt,
                                  uint32_t u1, uint32_t u2)
{
	return h_end(p, fmix32(u1 ^ salt) ^ u2);
}

uint32_t tsgi_feat_hash(const tsgi_feat_params *p, tsgi_ns ns, const char *s,
                        size_t n)
{
	if (ns == TSGI_NS_WORD)
		return h_end(p, word_u(s, n) ^ ns_salt(p, TSGI_NS_WORD));
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

/* Feature prefix + name, cut to 159 bytes.  With `strings` false the
 * callback is known not to read f->s (tsgi_features_sum), so the two parts
 * are hashed in place, as the one string they make. */
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
	const char *nm = name ? name : "";
	size_t lp = strlen(prefix), ln = strlen(nm);
	if (lp > sizeof tmp - 1)
		lp = sizeof tmp - 1;
	if (ln > sizeof tmp - 1 - lp)
		ln = sizeof tmp - 1 - lp;
	if (lp + ln == 0)
		return;
	memcpy(tmp, prefix, lp);
	memcpy(tmp + lp, nm, ln);
	tmp[lp + ln] = '\0';
	meta(p, fn, ctx, counts, tmp);
}

/* META: rules, signals, indicators, language. */
static WALK_INLINE void walk_meta(const tsgi_feat_params *p,
                                  const tsgi_model_in *in, tsgi_feat_fn fn,
                                  void *ctx, size_t counts[TSGI_NS__COUNT],
                                  bool strings)
{
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

static WALK_INLINE void walk(const tsgi_feat_params *p,
                             const tsgi_model_in *in, unsigned mask,
                             tsgi_feat_fn fn, void *ctx,
                             size_t counts[TSGI_NS__COUNT], bool strings)
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
	uint32_t pu = 0;
	uint32_t salt_w = ns_salt(p, TSGI_NS_WORD),
	         salt_b = ns_salt(p, TSGI_NS_BIGRAM);
	bool want_w = mask & TSGI_NSM(TSGI_NS_WORD),
	     want_b = mask & TSGI_NSM(TSGI_NS_BIGRAM);
	for (size_t i = 0; (want_w || want_b) && i < len;) {
		if (!word_byte((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && word_byte((unsigned char)s[j]))
			j++;
		size_t n = j - i;
		if (n <= MAX_WORD) {
			uint32_t u = word_u(s + i, n);
			if (want_w) {
				tsgi_feat f = {.ns = TSGI_NS_WORD, .s = s + i, .n = n,
				               .off = i, .end = j,
				               .idx = h_end(p, u ^ salt_w)};
				emit(fn, ctx, counts, &f);
			}
			if (want_b && pw != SIZE_MAX) {
				tsgi_feat b = {.ns = TSGI_NS_BIGRAM, .s = s + pw, .n = pwn,
				               .s2 = s + i, .n2 = n, .off = pw, .end = j,
				               .idx = bigram_idx(p, salt_b, pu, u)};
				emit(fn, ctx, counts, &b);
			}
			pw = i;
			pwn = n;
			pu = u;
		} else {
			pw = SIZE_MAX; /* a long token breaks the bigram chain */
		}
		i = j;
	}

	/* Character n-grams, spaces included, read once with a rolling
	 * window: `win` holds the last 8 bytes (digits folded), `wb` which of
	 * them are word bytes.  The grams ending at byte j are emitted by
	 * length.  Grams made only of spaces and punctuation say nothing and
	 * are skipped. */
	if (mask & TSGI_NSM(TSGI_NS_CHAR)) {
		uint64_t salt[9] = {0};
		for (uint32_t n = p->cmin; n <= p->cmax; n++)
			salt[n] = char_salt(p, n);
		uint64_t win = 0;
		uint32_t wb = 0;
		if (p->cmin == 3 && p->cmax == 4) { /* the usual lengths, unrolled */
			for (size_t j = 0; j < len; j++) {
				unsigned char c = (unsigned char)s[j];
				win = win << 8 | fold_digit(c);
				wb = wb << 1 | (uint32_t)word_byte(c);
				if (j >= 2 && (wb & 7u)) {
					tsgi_feat f = {.ns = TSGI_NS_CHAR, .s = s + j - 2, .n = 3,
					               .off = j - 2, .end = j + 1,
					               .idx = char_idx(p, (win & 0xffffffu) ^ salt[3])};
					emit(fn, ctx, counts, &f);
				}
				if (j >= 3 && (wb & 15u)) {
					tsgi_feat f = {.ns = TSGI_NS_CHAR, .s = s + j - 3, .n = 4,
					               .off = j - 3, .end = j + 1,
					               .idx = char_idx(p, (win & 0xffffffffu) ^ salt[4])};
					emit(fn, ctx, counts, &f);
				}
			}
		} else {
			for (size_t j = 0; j < len; j++) {
				unsigned char c = (unsigned char)s[j];
				win = win << 8 | fold_digit(c);
				wb = wb << 1 | (uint32_t)word_byte(c);
				for (uint32_t n = p->cmin; n <= p->cmax && n <= j + 1; n++) {
					if (!(wb & ((1u << n) - 1u)))
						continue;
					uint64_t g = n == 8 ? win : win & ((1ull << (8 * n)) - 1u);
					tsgi_feat f = {.ns = TSGI_NS_CHAR, .s = s + j + 1 - n,
					               .n = n, .off = j + 1 - n, .end = j + 1,
					               .idx = char_idx(p, g ^ salt[n])};
					emit(fn, ctx, counts, &f);
				}
			}
		}
	}

	if (mask & TSGI_NSM(TSGI_NS_META))
		walk_meta(p, in, fn, ctx, counts, strings);
}

void tsgi_features_each(const tsgi_feat_params *p, const tsgi_model_in *in,
                        tsgi_feat_fn fn, void *ctx,
                        size_t counts[TSGI_NS__COUNT])
{
	walk(p, in, TSGI_NSM_ALL, fn, ctx, counts, true);
}

void tsgi_features_some(const tsgi_feat_params *p, const tsgi_model_in *in,
                        unsigned mask, tsgi_feat_fn fn, void *ctx,
                        size_t counts[TSGI_NS__COUNT])
{
	walk(p, in, mask, fn, ctx, counts, true);
}

struct sum_ctx {
	const int8_t *q;
	tsgi_feat_top *top;
	int64_t s[TSGI_NS__COUNT];
};

static WALK_INLINE void sum_cb(void *ctx, const tsgi_feat *f)
{
	struct sum_ctx *c = ctx;
	int32_t q = c->q[f->idx];
	c->s[f->ns] += q;
	if ((f->ns == TSGI_NS_WORD || f->ns == TSGI_NS_BIGRAM) && q > 0 && c->top)
		tsgi_feat_top_add(&c->top[f->ns == TSGI_NS_BIGRAM], f, q);
}

void tsgi_features_sum(const tsgi_feat_params *p, const tsgi_model_in *in,
                       const int8_t *q, int64_t sums[TSGI_NS__COUNT],
                       size_t counts[TSGI_NS__COUNT], tsgi_feat_top top[2])
{
	/* Local sums and counts, copied out at the end: once the walk is
	 * inlined they live in registers instead of going through memory the
	 * caller's pointers might share.  Integer sums: exact in any order. */
	struct sum_ctx c = {.q = q, .top = top};
	if (top)
		memset(top, 0, 2 * sizeof *top);
	size_t n[TSGI_NS__COUNT];
	walk(p, in, TSGI_NSM_ALL, sum_cb, &c, n, false);
	for (int i = 0; i < TSGI_NS__COUNT; i++) {
		sums[i] = c.s[i];
		counts[i] = n[i];
	}
}
