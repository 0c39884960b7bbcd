/*
 * verdict.h - building a tsg_verdict's reasons from spans.
 *
 * Rules, policy, channels and the model all add reasons the same way: an
 * id, a category, the sentence a person reads, a weight and evidence spans
 * in doc->buf coordinates.  The builder turns spans into segment-relative
 * evidence with quotes that are valid UTF-8.
 */
#ifndef TSGI_VERDICT_H
#define TSGI_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "doc.h"
#include "tsguard.h"

typedef struct tsgi_vb {
	tsgi_arena *a;
	const tsgi_doc *doc;
	tsg_reason *r;
	size_t n, cap;
	bool oom;
} tsgi_vb;

typedef struct tsgi_rawspan {
	size_t start, end; /* bytes of doc->buf */
} tsgi_rawspan;

/*
 * Adds a reason.  `id`, `category` and `message` must outlive the verdict
 * (engine data or arena strings).  Spans are sorted, merged when they
 * overlap, cut to TSG_MAX_EVIDENCE and quoted.  Returns the reason, or NULL
 * on ENOMEM (vb->oom is set).
 */
tsg_reason *tsgi_vb_add(tsgi_vb *vb, const char *id, const char *category,
                        const char *message, double weight,
                        const tsgi_rawspan *spans, size_t nspans);

/* True when a reason with `id` is already present. */
bool tsgi_vb_has(const tsgi_vb *vb, const char *id);

/* Quotes raw bytes [start,end) as valid UTF-8 of at most TSG_MAX_QUOTE
 * bytes (invalid bytes become U+FFFD, controls become spaces). */
char *tsgi_quote(tsgi_arena *a, const char *buf, size_t start, size_t end);

#endif
