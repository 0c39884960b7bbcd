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
 * Each feature string is hashed (seeded, namespace-salted) into one of
 * 2^bits buckets.  An occurrence in a text namespace has the value
 * 1/sqrt(N), N being the number of occurrences in that namespace, so a long
 * email does not outvote a short SMS; META features have the value 1.
 * Only the first max_text bytes of the normalised text feed the text
 * namespaces (TSG_MAX_MODEL_TEXT bounds it).
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
#define TSGI_FEATURES_VERSION 2u

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

/*
 * Calls `fn` once per feature occurrence of the message, in a fixed order
 * (WORD, BIGRAM, CHAR, META), and fills counts[ns] with the occurrences per
 * namespace.  Allocates nothing; never fails.
 */
void tsgi_features_each(const tsgi_feat_params *p, const tsgi_model_in *in,
                        tsgi_feat_fn fn, void *ctx,
                        size_t counts[TSGI_NS__COUNT]);

/*
 * Sets sums[ns] to the sum, from 0.0, of w[f->idx] over the features f
 * of namespace ns of `in`, added in the order tsgi_features_each() visits
 * them, so the sums are bit for bit those of a callback doing the same.
 * Fills counts[] like tsgi_features_each().  w has 2^p->bits entries.
 */
void tsgi_features_sum(const tsgi_feat_params *p, const tsgi_model_in *in,
                       const float *w, double sums[TSGI_NS__COUNT],
                       size_t counts[TSGI_NS__COUNT]);

/* The value of one occurrence in namespace `ns` given the counts. */
double tsgi_feat_value(tsgi_ns ns, const size_t counts[TSGI_NS__COUNT]);

/* Hashes `n` bytes (folding ASCII digits to '0') into a bucket. */
uint32_t tsgi_feat_hash(const tsgi_feat_params *p, tsgi_ns ns, const char *s,
                        size_t n);

#endif
