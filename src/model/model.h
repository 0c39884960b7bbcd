/*
 * model.h - the learned model: a logistic regression over hashed features
 * (features.h), fused with the rule and policy evidence into one score.
 *
 * A model is immutable once loaded and shared read-only by every scan
 * thread of an engine.  The file format is in model_file.c and
 * docs/accuracy.md; training is in train.c.
 */
#ifndef TSGI_MODEL_H
#define TSGI_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"
#include "../core/doc.h"
#include "../core/verdict.h"
#include "../rules/rules.h"
#include "../text/normalize.h"
#include "tsguard.h"

struct tsgi_model;

/* Everything the features are computed from; all borrowed. */
typedef struct tsgi_model_in {
	const tsg_engine *engine;
	const tsgi_ruleset *rules; /* names the rule hits            */
	const tsgi_doc *doc;
	const tsgi_text *text;
	const tsgi_hit *hits;
	size_t nhits;
	const tsg_indicator *ind;
	size_t nind;
	const char *lang;          /* "en", "es", "de", "fr"          */
	tsgi_arena *arena;         /* for the reason's strings        */
} tsgi_model_in;

/* Loads a model file.  On success *out is a new model the caller releases
 * with tsgi_model_free().  On failure *out is NULL, `err` says why, and
 * the status is TSG_EIO (unreadable), TSG_ENOMEM, or TSG_EMODEL for a file
 * that is damaged, truncated, not a model, or made for another version. */
tsg_status tsgi_model_load(const char *path, struct tsgi_model **out,
                           char *err, size_t errlen);

/* As tsgi_model_load() from `len` bytes in memory (not retained). */
tsg_status tsgi_model_load_mem(const void *buf, size_t len,
                               struct tsgi_model **out, char *err,
                               size_t errlen);

/* NULL is a no-op. */
void tsgi_model_free(struct tsgi_model *m);

/* The model's provenance text (what it was trained on, how); borrowed. */
const char *tsgi_model_info(const struct tsgi_model *m);

/* The model's logit (log-odds of scam) for a message. */
double tsgi_model_logit(const struct tsgi_model *m, const tsgi_model_in *in);

/* The fused score in [0,1] from the model logit `z` and the noisy-OR
 * `rule_score` of the rule and policy reasons:
 *   score = sigmoid(a*z + b*rule_score + c),  a, b, c fitted on train. */
double tsgi_model_fuse(const struct tsgi_model *m, double z,
                       double rule_score);

/* The channels the model is applied to when data/tsguard.conf has no
 * `model.channels` key.  Not web: the corpus holds one scam page, and the
 * rules alone already separate pages. */
#define TSGI_MODEL_CHANNELS_DEFAULT "email sms chat text call"

/*
 * Whether `ch` is named in `list`, channel names (tsg_channel_name)
 * separated by spaces or commas.  A NULL list means the default above.
 */
bool tsgi_model_channel_listed(const char *list, tsg_channel ch);

/* Checks a `model.channels` value: every name a known channel other than
 * "auto".  On failure says which name in `err`. */
bool tsgi_model_channels_valid(const char *list, char *err, size_t errlen);

/* Whether the engine applies its model to channel `ch` (the engine's
 * `model.channels`); false without a model. */
bool tsgi_model_applies(const tsg_engine *e, tsg_channel ch);

/* Model evidence alone (no rule or policy reason with weight > 0) never
 * makes a scam: its fused score is capped at threshold.scam minus this
 * (0.69 with the shipped thresholds), which is "suspicious" at most. */
#define TSGI_MODEL_ALONE_MARGIN 0.01

/*
 * Scores a message: returns the model's probability in [0,1] and writes
 * the fused score to *score (tsgi_model_fuse, capped as above when
 * `rule_evidence` is false, i.e. no rule or policy reason has weight > 0).
 *
 * Adds the reason "model.words" to `vb`, naming the words and signals that
 * pushed the score and quoting the words as evidence, whenever
 *   - the fusion moves the message to a higher class than the rule score
 *     alone gives (clean -> suspicious, clean or suspicious -> scam), so
 *     a flagged verdict is never without a reason; or
 *   - the model is for scam (logit > 0), raised the score by at least
 *     TSGI_MODEL_REASON_MIN and the fused score is at least `t_suspicious`.
 * Classes compare scores rounded to 3 decimals, as the verdict does.  The
 * reason's weight is what the model added (fused minus rule score).
 */
#define TSGI_MODEL_REASON_MIN 0.05
double tsgi_model_apply(const struct tsgi_model *m, const tsgi_model_in *in,
                        double rule_score, bool rule_evidence,
                        double t_suspicious, double t_scam, tsgi_vb *vb,
                        double *score);

#endif
