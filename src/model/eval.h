/*
 * eval.h - accuracy figures: confusion counts, precision, recall,
 * false-positive rate, F1 and ROC-AUC, per slice of a labelled set, and
 * their rendering as text, JSON and the docs/accuracy.md table.
 *
 * Positives are scam records; negatives are ham.  Spam counts neither for
 * nor against: it is reported apart as the share flagged.  A record is
 * flagged when its score is >= the threshold.
 */
#ifndef TSGI_EVAL_H
#define TSGI_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dataset.h"
#include "tsguard.h"

typedef struct tsgi_eval_rec {
	char *id, *category, *lang; /* owned; category/lang may be NULL */
	const char *guess;          /* static: the language guessed, or NULL */
	tsgi_label label;
	tsg_channel channel;
	double score;
} tsgi_eval_rec;

typedef struct tsgi_eval_set {
	tsgi_eval_rec *r;
	size_t n, cap;
} tsgi_eval_set;

/* Copies the strings but `guess` (static storage: the language the
 * engine guesses from the text alone, or NULL).  False on ENOMEM. */
bool tsgi_eval_add(tsgi_eval_set *s, const char *id, tsgi_label label,
                   tsg_channel channel, const char *category, const char *lang,
                   const char *guess, double score);
void tsgi_eval_free(tsgi_eval_set *s);

typedef struct tsgi_eval_metrics {
	size_t scam, ham, spam;
	size_t tp, fn, fp, tn, spam_flagged, ham_suspicious;
	double precision, recall, fpr, f1, auc; /* NAN when undefined */
} tsgi_eval_metrics;

/* Slices: NULL fields match everything. */
typedef struct tsgi_eval_slice {
	const tsg_channel *channel;
	const char *category; /* scam records of this category only */
	const char *lang;     /* "?" matches records without a language */
} tsgi_eval_slice;

/* Metrics of the records in `slice` at `threshold`; ham_suspicious counts
 * ham at or above `t_suspicious`. */
void tsgi_eval_compute(const tsgi_eval_set *s, const tsgi_eval_slice *slice,
                       double threshold, double t_suspicious,
                       tsgi_eval_metrics *m);

/* ROC-AUC of scores where pos[i] != 0 marks positives (Mann-Whitney, ties
 * count half).  NAN when either class is empty or memory fails. */
double tsgi_eval_auc(const double *score, const uint8_t *pos, size_t n);

/* Fills precision, recall, fpr and f1 from the counts. */
void tsgi_eval_rates(tsgi_eval_metrics *m);

typedef struct tsgi_eval_report {
	double threshold, t_suspicious;
	bool errors; /* list misclassified ids */
	const char *model_info; /* provenance of the model, or NULL */
	const char *const *commands; /* for markdown: how to reproduce */
	size_t ncommands;
	const char *corpus; /* for markdown: corpus version text */
} tsgi_eval_report;

void tsgi_eval_print_text(FILE *f, const tsgi_eval_set *s,
                          const tsgi_eval_report *o);
/* Returns a malloc'ed JSON document (caller frees), NULL on ENOMEM. */
char *tsgi_eval_json(const tsgi_eval_set *s, const tsgi_eval_report *o);
/* Writes the markdown report; `keep` (may be NULL) is appended verbatim
 * (the hand-written notes of the previous file). */
void tsgi_eval_print_markdown(FILE *f, const tsgi_eval_set *s,
                              const tsgi_eval_report *o, const char *keep);

/* The line that starts the kept notes of docs/accuracy.md. */
#define TSGI_EVAL_NOTES_MARK "<!-- notes: kept by make accuracy -->"

#endif
