/*
 * milter_none.c - stands in for milter.c when libmilter is not installed,
 * so that `tsguard milter` says so instead of the build failing.
 */
#include <stdio.h>

#include "server.h"

int tsgi_milter_run(const tsgi_milter_cfg *cfg)
{
	(void)cfg;
	fprintf(stderr, "tsguard milter: this build has no libmilter "
			"(install libmilter-dev and rebuild)\n");
	return 2;
}
