/*
 * scan_int.h - the per-message context.
 */
#ifndef TSGI_SCAN_INT_H
#define TSGI_SCAN_INT_H

#include "../rules/rules.h"
#include "../text/normalize.h"
#include "arena.h"
#include "doc.h"
#include "tsguard.h"

struct tsg_scan {
	tsg_engine *e;
	tsgi_arena *a;
	tsgi_matcher *m;
	char err[512];
	/* the message in flight */
	tsgi_doc doc;
	tsgi_text text;
	const char *lang;
	tsg_indicator *ind;
	size_t nind;
	size_t nind_text; /* the first nind_text are in the scanned text; the
	                   * rest come from link targets (policy only) */
	tsgi_hit *hits; /* rule hits of the last scan */
	size_t nhits;
	tsg_verdict v;
};

/* True when rule `id` held in the last tsg_scan_run() (including helper
 * rules of weight 0, which never become reasons).  For `rules test`. */
bool tsgi_scan_rule_hit(const tsg_scan *s, const char *id);

#endif
