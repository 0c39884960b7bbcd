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
#include "../core/config.h"
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
 * `rule_score` of the rule and policy reasons, with the a, b, c the model
 * file holds (fitted by `tsguard train`):
 *   score = sigmoid(a*z + b*rule_score + c)
 * A scan uses the engine's fusion instead (tsgi_model_fusion), where
 * data/tsguard.conf may set them. */
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

/* Checks `model.floor.rules` once the rules are loaded: every name a
 * policy reason or a rule with a weight.  With `own_rules` (the caller's
 * rule files instead of the shipped pack) a rule name missing from them is
 * let pass.  On failure says which name in `err`. */
bool tsgi_model_floor_valid(const tsg_engine *e, bool own_rules, char *err,
                            size_t errlen);

/*
 * Whether `lang` (en, es, de, fr) is named in a `model.languages` value,
 * language codes separated by spaces or commas; a NULL list names all.
 * The shipped configuration names only en: the corpus has scams in
 * English only, and a model that saw Spanish, German or French text only
 * in ham and spam learns those languages as signs of ham.
 */
bool tsgi_model_lang_listed(const char *list, const char *lang);

/* Whether the engine applies its model to channel `ch` and language `lang`
 * (the engine's `model.channels` and `model.languages`); false without a
 * model. */
bool tsgi_model_applies(const tsg_engine *e, tsg_channel ch, const char *lang);

/*
 * The model lifts a message above the class of its rule score only when
 * its probability is at least `model.lift.min_probability` (default 0.5);
 * below that the rules' class is a ceiling, from there on a floor.
 *
 * Model evidence alone (no rule or policy reason with weight > 0) makes a
 * scam only when the model is sure and its reason quotes the text:
 *   - its probability is at least `model.alone.min_probability`
 *     (data/tsguard.conf; absent or outside [0,1]: never), and
 *   - the reason "model.words" quotes the words that pushed the score in
 *     at least `model.alone.min_quotes` separate places of the text
 *     (1..4; default below), each with its byte span as evidence.
 * Otherwise its fused score is capped at threshold.scam minus the margin
 * below (0.69 with the shipped thresholds), "suspicious" at most.
 */
#define TSGI_MODEL_ALONE_MARGIN 0.01
#define TSGI_MODEL_ALONE_MIN_QUOTES 2

/*
 * The fusion settings of an engine (data/tsguard.conf, docs/accuracy.md):
 *   score = sigmoid(a*z + b*r + c)
 * with z the model's logit and r the noisy-OR of the rule and policy
 * reasons; a, b, c are model.fusion.a/b/c, or the values `tsguard train`
 * fitted and stored in the model file when the keys are absent.
 */
typedef struct tsgi_fusion {
	double t_suspicious, t_scam; /* threshold.suspicious, threshold.scam */
	double a, b, c;
	double lift_min_p;         /* model.lift.min_probability (0.5)       */
	double alone_min_p;        /* model.alone.min_probability; 2: never  */
	unsigned alone_min_quotes; /* model.alone.min_quotes, 1..4           */
} tsgi_fusion;

/* Reads the model.* settings and thresholds of the engine's configuration
 * into its model, once, when the engine is built (after the model loads;
 * a key out of range counts as absent).  Nothing to do without a model. */
void tsgi_model_prepare(tsg_engine *e);

/* Fills `out` with the fusion settings tsgi_model_prepare() read.  The
 * engine must have a model. */
void tsgi_model_fusion(const tsg_engine *e, tsgi_fusion *out);

/* Checks the model.* keys of a configuration: numbers in range
 * (model.fusion.a > 0, model.fusion.b >= 0, probabilities in [0,1],
 * model.alone.min_quotes a whole number 1..4) and model.channels.  On
 * failure says which key in `err`. */
bool tsgi_model_conf_valid(const tsgi_config *c, char *err, size_t errlen);

/*
 * Scores a message: returns the model's probability in [0,1] and writes
 * the fused score to *score (the fusion `fu`, then held to the class the
 * model leans to, then capped as above when the rule score alone is
 * clean: no rule or policy reason, or only weak ones).
 *
 * Adds the reason "model.words" to `vb`, naming the words and signals that
 * pushed the score and quoting the words as evidence, whenever
 *   - the fusion moves the message to a higher class than the rule score
 *     alone gives (clean -> suspicious, clean or suspicious -> scam), so
 *     a flagged verdict is never without a reason; or
 *   - the model is for scam (logit > 0), raised the score by at least
 *     TSGI_MODEL_REASON_MIN and the fused score is at least t_suspicious.
 * Classes compare scores rounded to 3 decimals, as the verdict does.  The
 * reason's weight is what the model added (fused minus rule score).
 */
#define TSGI_MODEL_REASON_MIN 0.05
double tsgi_model_apply(const struct tsgi_model *m, const tsgi_model_in *in,
                        double rule_score,
                        const tsgi_fusion *fu, tsgi_vb *vb, double *score);

#endif
