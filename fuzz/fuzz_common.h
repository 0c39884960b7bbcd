/* fuzz_common.h - one engine per fuzzing process, loaded on first use. */
#ifndef TSG_FUZZ_COMMON_H
#define TSG_FUZZ_COMMON_H

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

#endif
