/*
 * engine_int.h - what a compiled engine holds.  Immutable after
 * tsg_engine_open() returns; shared read-only by every thread.
 */
#ifndef TSGI_ENGINE_INT_H
#define TSGI_ENGINE_INT_H

#include <stdatomic.h>

#include "../brands/brands.h"
#include "../rules/rules.h"
#include "config.h"
#include "tsguard.h"

struct tsgi_model; /* model/model.h */

struct tsg_engine {
	atomic_int refs;
	tsg_status status;
	char errmsg[8192];
	char *data_dir;
	tsgi_ruleset *rules;
	tsgi_brands *brands;
	tsgi_config *config;
	struct tsgi_model *model; /* NULL without a model */
	/* Per rule, the policy rule lists naming it (tsgi_policy_prepare). */
	unsigned char *policy_lists;
	double t_scam, t_suspicious;
	const char *default_region;
};

/* Resolves the data folder: explicit, $TSGUARD_DATA, installed, source. */
const char *tsgi_default_data_dir(void);

#endif
