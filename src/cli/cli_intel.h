/*
 * cli_intel.h - what the intelligence commands (ingest, campaigns, lookup,
 * export, casefile) share: the store, the engine whose brand registry
 * says what is official, the hub lists, and the clustered dataset.
 */
#ifndef TSGI_CLI_INTEL_H
#define TSGI_CLI_INTEL_H

#include "../intel/intel.h"
#include "cli.h"

typedef struct tsgi_cli_intel {
	tsg_engine *engine;
	tsgi_hubs *hubs;
	tsgi_store *store;
	tsgi_dataset *ds;
	tsgi_cluster_stats stats;
} tsgi_cli_intel;

/* Opens everything and clusters (incrementally unless `rebuild`), saving
 * the assignment when `save`.  On failure prints why, leaves nothing open
 * and returns false.  (cmd_campaigns.c) */
bool tsgi_cli_intel_open(const char *cmd, const char *db,
                         const tsgi_engine_opts *eo, bool rebuild, bool save,
                         tsgi_cli_intel *out);
void tsgi_cli_intel_close(tsgi_cli_intel *in);

/* $SOURCE_DATE_EPOCH when set (reproducible exports), else now.
 * (cmd_export.c) */
long long tsgi_cli_now(void);

#endif
