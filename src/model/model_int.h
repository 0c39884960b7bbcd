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

/* File format version written and read by this build. */
#define TSGI_MODEL_FILE_VERSION 1u

struct tsgi_model {
	tsgi_feat_params fp;
	double bias;
	double fuse_a, fuse_b, fuse_c; /* score = sigmoid(a*z + b*r + c) */
	float *w;                      /* 2^fp.bits weights, owned        */
	char *info;                    /* provenance, NUL-terminated      */
};

/* An empty model (all weights 0) with parameters `fp`; NULL on ENOMEM. */
struct tsgi_model *tsgi_model_new(const tsgi_feat_params *fp);

/*
 * Serialises `m` into a malloc'ed buffer (*out, *len; caller frees).
 * Deterministic: the same model gives the same bytes.  TSG_ENOMEM or
 * TSG_EINVAL (a weight that is not finite).
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
