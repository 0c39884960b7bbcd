/*
 * model_int.h - what a loaded model holds (model.c, model_file.c,
 * train.c).  Immutable after loading.
 */
#ifndef TSGI_MODEL_INT_H
#define TSGI_MODEL_INT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "features.h"

/* File format version written and read by this build.  Version 2:
 * weights quantised to 8-bit integers with one scale. */
#define TSGI_MODEL_FILE_VERSION 2u

/* Quantised weights: w = q * scale with |q| <= TSGI_MODEL_QMAX, scale =
 * max|w| / TSGI_MODEL_QMAX.  8 bits make the table 128 KB with 2^17
 * buckets (a quarter of the float table: fewer cache misses per character
 * n-gram) and scoring sums integers, exactly and in any order.  The step
 * (~0.03 against a largest weight ~3.4) drops the smallest weights; 5-fold
 * cross-validation on train catches as many scams as with floats at the
 * same false-positive rate (docs/accuracy.md). */
#define TSGI_MODEL_QMAX 127

/* What the engine's configuration says about its model (model.c). */
struct tsgi_model_conf {
	unsigned channels; /* bit ch: applied to channel ch (model.channels) */
	unsigned langs;    /* TSGI_LANG_* bits it is applied to (model.languages) */
	const char *floor_rules; /* model.floor.rules, engine config string */
	const char *block_rules; /* model.lift.block.rules, likewise       */
	const char *block_except; /* model.lift.block.except, likewise     */
	tsgi_fusion fusion;
};

struct tsgi_model {
	tsgi_feat_params fp;
	double bias;
	double fuse_a, fuse_b, fuse_c; /* score = sigmoid(a*z + b*r + c) */
	double scale;                  /* weight of a quantum, > 0        */
	int8_t *q;                     /* 2^fp.bits quantised weights     */
	char *info;                    /* provenance, NUL-terminated      */
	/* The owning engine's settings (tsgi_model_prepare). */
	struct tsgi_model_conf conf;
};

/* An empty model (all weights 0) with parameters `fp`; NULL on ENOMEM. */
struct tsgi_model *tsgi_model_new(const tsgi_feat_params *fp);

/*
 * Sets the model's weights from w[0 .. 2^bits) (float, as trained):
 * chooses the scale from the largest |w| and rounds each weight to the
 * nearest quantum (half away from zero).  Deterministic.  Returns the
 * number of nonzero quantised weights, or SIZE_MAX when a weight is not
 * finite (the model is left unchanged then).
 */
size_t tsgi_model_set_weights(struct tsgi_model *m, const float *w);

/* The weight of bucket i, dequantised. */
static inline double tsgi_model_weight(const struct tsgi_model *m, size_t i)
{
	return m->q[i] * m->scale;
}

/*
 * Serialises `m` into a malloc'ed buffer (*out, *len; caller frees).
 * Deterministic: the same model gives the same bytes.  TSG_ENOMEM or
 * TSG_EINVAL (a header number that is not finite, a scale <= 0).
 */
tsg_status tsgi_model_serialize(const struct tsgi_model *m, uint8_t **out,
                                size_t *len, char *err, size_t errlen);

/* Writes the model file atomically (temporary file + rename).  TSG_EIO
 * with errno text on failure. */
tsg_status tsgi_model_save(const struct tsgi_model *m, const char *path,
                           char *err, size_t errlen);

static inline double tsgi_sigmoid(double z)
{
	if (z >= 0) {
		double e = exp(-z);
		return 1.0 / (1.0 + e);
	}
	double e = exp(z);
	return e / (1.0 + e);
}

#endif
