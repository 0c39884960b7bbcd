/*
 * train.h - training a model from labelled corpus files.
 *
 * Spam is neither scam nor ham: the model learns scam against not-scam,
 * with spam as a negative of reduced weight (spam_weight per example;
 * 0 leaves spam out).  Scam is rare (~1%): each scam example weighs
 * scam_weight, or, when that is 0, enough that all scam examples together
 * weigh `scam_share` times all negatives together.
 *
 * Leakage guard: every record of the `exclude` files (the test split) is
 * normalised and its text hashed; a train record with the same normalised
 * text is reported and dropped, and so is a repeat within train.
 *
 * The fusion weights (model.h) are fitted on out-of-fold logits: the train
 * set is cut into `folds` parts by the records' "group", a model is trained
 * on all parts but one and scores the one left out, so that the fusion sees
 * the model as it behaves on unseen messages.  The shipped weights are then
 * trained on all of train.
 */
#ifndef TSGI_TRAIN_H
#define TSGI_TRAIN_H

#include <stdio.h>

#include "features.h"
#include "logreg.h"
#include "tsguard.h"

typedef struct tsgi_train_opts {
	const char *const *files; /* train JSONL files                   */
	size_t nfiles;
	const char *const *exclude; /* test JSONL files (leakage guard)  */
	size_t nexclude;
	tsgi_feat_params fp;
	tsgi_ftrl_params ftrl;
	double scam_weight; /* per scam example; 0 = from scam_share        */
	double scam_share;
	double spam_weight; /* per spam example; 0 = spam left out          */
	unsigned folds;     /* >= 2; 0 or 1 = fusion from in-sample logits  */
	double t_scam;      /* threshold for the out-of-fold summary in log */
	FILE *log;          /* progress and the leakage report; NULL = quiet */
} tsgi_train_opts;

/* Fills the defaults documented in docs/accuracy.md. */
void tsgi_train_defaults(tsgi_train_opts *o);

/*
 * Trains a model.  `e` must be an engine without a model (its scores are
 * the rule evidence the fusion learns from).  On success *out is a new
 * model the caller frees with tsgi_model_free().  Fails with TSG_EINVAL
 * (bad options, no scam or no negative example), TSG_EIO (a file cannot
 * be read) or TSG_ENOMEM; `err` says why.
 */
tsg_status tsgi_train(tsg_engine *e, const tsgi_train_opts *o,
                      struct tsgi_model **out, char *err, size_t errlen);

#endif
