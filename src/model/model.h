/*
 * model.h - the learned model: a logistic regression over hashed features.
 */
#ifndef TSGI_MODEL_H
#define TSGI_MODEL_H

#include <stddef.h>

#include "../core/arena.h"
#include "../core/doc.h"
#include "../core/verdict.h"
#include "../rules/rules.h"
#include "../text/normalize.h"
#include "tsguard.h"

struct tsgi_model;

/* Everything the features are computed from. */
typedef struct tsgi_model_in {
	const tsg_engine *engine;
	const tsgi_doc *doc;
	const tsgi_text *text;
	const tsgi_hit *hits;
	size_t nhits;
	const tsg_indicator *ind;
	size_t nind;
	tsgi_arena *arena;
} tsgi_model_in;

/* Loads a model file; on failure writes why into `err`.  Refuses damaged
 * or mismatched files with TSG_EMODEL. */
tsg_status tsgi_model_load(const char *path, struct tsgi_model **out,
                           char *err, size_t errlen);
void tsgi_model_free(struct tsgi_model *m);

/* Scores a message; may add a reason naming the strongest features.
 * Returns the model's probability in [0,1]. */
double tsgi_model_apply(const struct tsgi_model *m, const tsgi_model_in *in,
                        tsgi_vb *vb);

#endif
