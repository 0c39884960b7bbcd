/* fuzz_common.h - one engine per fuzzing process, loaded on first use. */
#ifndef TSG_FUZZ_COMMON_H
#define TSG_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tsguard.h"

static tsg_engine *fuzz_engine(void)
{
	static tsg_engine *e;
	if (!e) {
		if (tsg_engine_open(NULL, &e) != TSG_OK) {
			fprintf(stderr, "fuzz: engine: %s\n", tsg_engine_errmsg(e));
			abort(); /* a harness problem, not a finding */
		}
	}
	return e;
}

/* The whole scan of one input on a fixed channel, so that a channel
 * parser's output also goes through normalisation, extraction, rules and
 * the model.  Aborts (a finding) when a verdict breaks its contract. */
static inline void fuzz_scan_channel(const uint8_t *data, size_t size, tsg_channel ch)
{
	static tsg_scan *s;
	if (!s)
		s = tsg_scan_new(fuzz_engine());
	if (!s)
		abort();
	tsg_input in = {.data = (const char *)data, .len = size, .channel = ch};
	const tsg_verdict *v;
	if (tsg_scan_run(s, &in, &v) != TSG_OK)
		return;
	if (!(v->score >= 0.0 && v->score <= 1.0))
		abort(); /* a score is always in [0,1] */
	if (v->cls != TSG_CLEAN && v->n_reasons == 0)
		abort(); /* a flagged verdict always says why */
	char *js = tsg_verdict_json(v, TSG_JSON_COMPACT);
	if (!js)
		abort();
	free(js);
}

#endif
