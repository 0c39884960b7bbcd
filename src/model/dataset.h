/*
 * dataset.h - labelled corpus files (JSONL) as read by `train` and `eval`.
 *
 * One record per line, as for `scan --jsonl` (core/record.h) plus
 *   "label": "scam" | "spam" | "ham"   (required)
 *   "category", "lang", "group", "source" (optional strings)
 * A "path" is read relative to the JSONL file's folder.
 */
#ifndef TSGI_DATASET_H
#define TSGI_DATASET_H

#include <stdio.h>

#include "../core/record.h"
#include "tsguard.h"

typedef enum tsgi_label {
	TSGI_LABEL_HAM = 0,
	TSGI_LABEL_SPAM = 1,
	TSGI_LABEL_SCAM = 2,
} tsgi_label;

typedef struct tsgi_labelled {
	tsgi_record rec;      /* the input, ready for tsg_scan_run()        */
	tsgi_label label;
	const char *category; /* borrowed from the record; NULL when absent */
	const char *lang;     /* the record's "lang" or NULL                */
	const char *group;    /* split key, or NULL                         */
	const char *file;     /* the JSONL path as given                    */
	size_t lineno;
} tsgi_labelled;

/* Called once per readable record; the record is freed after the call.
 * Return non-zero to stop reading. */
typedef int (*tsgi_labelled_fn)(void *ctx, const tsgi_labelled *r);

/*
 * Calls `fn` for every record of `path` in order.  A record that cannot be
 * read (bad JSON, no label, missing file) is reported to `log` (when not
 * NULL) as "FILE:LINE: message", counted in *skipped and skipped.  Returns
 * TSG_EIO when the file cannot be opened (err says why), else TSG_OK.
 */
tsg_status tsgi_jsonl_each(const char *path, tsgi_labelled_fn fn, void *ctx,
                           FILE *log, size_t *skipped, char *err,
                           size_t errlen);

/* "ham", "spam" or "scam". */
const char *tsgi_label_name(tsgi_label l);

#endif
