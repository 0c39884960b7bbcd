/*
 * features.h - the hashed features of one message, shared by training and
 * scoring so that the two can never disagree.
 *
 * A message becomes a bag of hashed features in four namespaces:
 *
 *   WORD    word unigrams of the normalised text (digits folded to '0')
 *   BIGRAM  pairs of adjacent words
 *   CHAR    character n-grams (cmin..cmax bytes) of the normalised text,
 *           spaces included: robust to obfuscation such as "g1ft c4rds"
 *   META    one per rule hit ("r:alert.infected"), channel signal
 *           ("s:web.fullscreen"), indicator kind and flag ("i:phone",
 *           "i:phone:tollfree", "i:remote:anydesk") and language
 *           ("lang:de").  No channel and no length feature (version 2):
 *           they stood for the corpus make-up, not for the message
 *
 * A word or META string is hashed (FNV-1a, seeded and namespace-salted,
 * Murmur3 finaliser) into one of 2^bits buckets; a bigram combines the
 * FNV-1a hashes of its two words.  A
 * character n-gram is hashed from its bytes packed into one 64-bit word
 * (digits folded to '0', salted per length) by a multiply-xorshift mixer:
 * the text is read once, left to right, with a rolling window, so a
 * position costs two multiplies per length instead of one FNV step per
 * byte plus a finaliser (features version 3).  An occurrence in a text
 * namespace has the value 1/sqrt(N), N being the number of occurrences in
 * that namespace, so a long email does not outvote a short SMS; META
 * features have the value 1.  Only the first max_text bytes of the
 * normalised text feed the text namespaces (TSG_MAX_MODEL_TEXT bounds it).
 *
 * The extraction knows each feature's string while hashing; the callback
 * gets it, which is how the model names the words that pushed a score.
 */
#ifndef TSGI_FEATURES_H
#define TSGI_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef enum tsgi_ns {
	TSGI_NS_WORD = 0,
	TSGI_NS_BIGRAM,
	TSGI_NS_CHAR,
	TSGI_NS_META,
	TSGI_NS__COUNT
} tsgi_ns;

/* Version of the extraction below.  Bump it whenever a change would give
 * a message different features; model files record it and a file made for
 * another version is refused. */
#define TSGI_FEATURES_VERSION 3u

typedef struct tsgi_feat_params {
	uint32_t bits;     /* 2^bits buckets, TSGI_MODEL_MIN_BITS..MAX_BITS */
	uint32_t seed;     /* hash seed                                     */
	uint32_t cmin, cmax; /* character n-gram lengths, 1 <= cmin <= cmax <= 8 */
	uint32_t max_text; /* bytes of normalised text for text features     */
} tsgi_feat_params;

/* One feature occurrence.  `s`/`n` is the feature's text: a word, or the
 * first word of a bigram with `s2`/`n2` the second, or a META name; `off`
 * is its byte offset in the normalised text (META: SIZE_MAX).  The strings
 * are borrowed for the duration of the call and may contain digits that
 * the hash folded to '0'. */
typedef struct tsgi_feat {
	tsgi_ns ns;
	uint32_t idx;
	const char *s, *s2;
	size_t n, n2;
	size_t off, end; /* [off,end) in the normalised text */
} tsgi_feat;

typedef void (*tsgi_feat_fn)(void *ctx, const tsgi_feat *f);

/* Namespace masks for tsgi_features_some(). */
#define TSGI_NSM(ns) (1u << (ns))
#define TSGI_NSM_ALL ((1u << TSGI_NS__COUNT) - 1u)

/*
 * Calls `fn` once per feature occurrence of the message, in a fixed order
 * (WORD and BIGRAM interleaved, CHAR by end position then length, META),
 * and fills counts[ns] with the occurrences per namespace.  Allocates
 * nothing; never fails.
 */
void tsgi_features_each(const tsgi_feat_params *p, const tsgi_model_in *in,
                        tsgi_feat_fn fn, void *ctx,
                        size_t counts[TSGI_NS__COUNT]);

/* As tsgi_features_each() for the namespaces in `mask` (TSGI_NSM bits)
 * only; counts[] of the other namespaces are 0. */
void tsgi_features_some(const tsgi_feat_params *p, const tsgi_model_in *in,
                        unsigned mask, tsgi_feat_fn fn, void *ctx,
                        size_t counts[TSGI_NS__COUNT]);

/* The strongest features for scam of one namespace: up to TSGI_FEAT_TOP
 * distinct features with the largest positive weights (q[i] > 0,
 * descending; an unused slot has q 0), each at its first occurrence, the
 * earlier one winning a tie.  Strings borrowed from the text. */
#define TSGI_FEAT_TOP 4
typedef struct tsgi_feat_top {
	int32_t q[TSGI_FEAT_TOP];
	tsgi_feat f[TSGI_FEAT_TOP];
} tsgi_feat_top;

/* Offers an occurrence of `f` with weight `q` to `t`. */
static inline void tsgi_feat_top_add(tsgi_feat_top *t, const tsgi_feat *f,
                                     int32_t q)
{
	if (q <= t->q[TSGI_FEAT_TOP - 1])
		return; /* the common case: one comparison */
	int i = 0;
	for (; i < TSGI_FEAT_TOP && t->q[i] > 0; i++)
		if (t->f[i].idx == f->idx)
			return; /* kept already, at an earlier occurrence */
	i = TSGI_FEAT_TOP - 1;
	for (; i > 0 && t->q[i - 1] < q; i--) {
		t->q[i] = t->q[i - 1];
		t->f[i] = t->f[i - 1];
	}
	t->q[i] = q;
	t->f[i] = *f;
}

/*
 * Sets sums[ns] to the sum of q[f->idx] over the features f of namespace
 * ns of `in` (integers: exact, whatever the order) and fills counts[] like
 * tsgi_features_each().  When `top` is not NULL, also keeps the strongest
 * words in top[0] and bigrams in top[1] (zeroed first), so that the
 * explanation needs no second walk over the words.  q has 2^p->bits
 * entries.  No callback, no allocation: the scoring path.
 */
void tsgi_features_sum(const tsgi_feat_params *p, const tsgi_model_in *in,
                       const int8_t *q, int64_t sums[TSGI_NS__COUNT],
                       size_t counts[TSGI_NS__COUNT], tsgi_feat_top top[2]);

/* The value of one occurrence in namespace `ns` given the counts. */
double tsgi_feat_value(tsgi_ns ns, const size_t counts[TSGI_NS__COUNT]);

/* Hashes `n` bytes (folding ASCII digits to '0') into a bucket, as for
 * a word or META feature of namespace `ns`. */
uint32_t tsgi_feat_hash(const tsgi_feat_params *p, tsgi_ns ns, const char *s,
                        size_t n);

#endif
