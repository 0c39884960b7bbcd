/*
 * logreg.h - logistic regression on sparse hashed features (FTRL-Proximal)
 * and on a few dense features (Newton's method, for the score fusion).
 *
 * Why FTRL-Proximal: it is logistic regression trained online with a
 * per-coordinate learning rate (McMahan et al., "Ad Click Prediction: a View
 * from the Trenches", KDD 2013).  One pass costs O(features), it needs no
 * learning-rate tuning per data set, and its L1 term leaves most of the
 * 2^bits buckets at exactly zero, which keeps the shipped file small.
 * Training is deterministic: the example order comes from a seeded
 * generator and the arithmetic is sequential.
 */
#ifndef TSGI_LOGREG_H
#define TSGI_LOGREG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A set of sparse examples: example i has features idx/val[off[i] ..
 * off[i]+len[i]) (indexes unique and sorted), label y[i] in {0,1} and
 * sample weight sw[i] > 0 (0 = left out). */
typedef struct tsgi_sparse_set {
	uint32_t *idx;
	float *val;
	size_t *off;
	uint32_t *len;
	uint8_t *y;
	float *sw;
	size_t n;
} tsgi_sparse_set;

typedef struct tsgi_ftrl_params {
	double alpha, beta; /* learning rate alpha / (beta + sqrt(n))      */
	double l1, l2;      /* regularisation                              */
	unsigned epochs;
	uint64_t seed;      /* example order                               */
} tsgi_ftrl_params;

/*
 * Trains on the examples whose `use[i]` is true (all when `use` is NULL)
 * into w[0 .. 2^bits) and *bias.  Returns false on ENOMEM.
 */
bool tsgi_ftrl_train(const tsgi_sparse_set *d, const bool *use,
                     const tsgi_ftrl_params *p, uint32_t bits, float *w,
                     double *bias);

/* The logit of example i under w and bias. */
double tsgi_sparse_logit(const tsgi_sparse_set *d, size_t i, const float *w,
                         double bias);

/*
 * Fits beta[0..k) minimising the weighted log loss of
 * sigmoid(sum_j beta[j] * x[i*k + j]) against y[i] with weights sw[i],
 * plus l2/2 * |beta|^2, by Newton's method (k <= 8).  Returns false when
 * it did not converge (beta then holds the last iterate).
 */
bool tsgi_logreg_dense(const double *x, const uint8_t *y, const double *sw,
                       size_t n, size_t k, double l2, double *beta);

/* A small deterministic generator (xorshift64*). */
static inline uint64_t tsgi_rand_next(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ull;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

#endif
