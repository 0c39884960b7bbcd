/*
 * store_int.h - what a backend provides: one function per operation of
 * store.h, with the same contracts.  store.c dispatches; each backend
 * lives in its own file and knows nothing of the other.
 */
#ifndef TSGI_STORE_INT_H
#define TSGI_STORE_INT_H

#include "store.h"

typedef struct tsgi_store_ops {
	const char *name;
	void (*close)(tsgi_store *s);
	/* Optional: makes the handle usable before each operation (PostgreSQL
	 * reconnects after a server restart). */
	tsg_status (*ready)(tsgi_store *s);
	tsg_status (*add)(tsgi_store *s, const tsgi_sreport *reps, size_t n,
	                  size_t *added);
	tsg_status (*count)(tsgi_store *s, long long *n);
	tsg_status (*each_report)(tsgi_store *s, unsigned flags, const char *id,
	                          const char *campaign, tsgi_report_cb cb,
	                          void *ctx);
	tsg_status (*each_indicator)(tsgi_store *s, tsgi_ind_cb cb, void *ctx);
	tsg_status (*save_assign)(tsgi_store *s, const tsgi_assign *a, size_t n,
	                          bool replace_all, const char *const *hubs,
	                          size_t n_hubs);
	tsg_status (*each_hub)(tsgi_store *s, tsgi_str_cb cb, void *ctx);
	tsg_status (*lookup)(tsgi_store *s, const char *const *keys, size_t n,
	                     tsgi_lookup_cb cb, void *ctx);
	tsg_status (*key_stats)(tsgi_store *s, const char *key,
	                        tsgi_key_stats *out);
	tsg_status (*key_campaigns)(tsgi_store *s, const char *key, size_t limit,
	                            tsgi_str_cb cb, void *ctx);
	tsg_status (*wipe)(tsgi_store *s);
} tsgi_store_ops;

/* Every backend's handle starts with this header. */
struct tsgi_store {
	const tsgi_store_ops *ops;
	char errmsg[1024];
};

/* Backends: open `target` (the part after "sqlite:", or the whole
 * PostgreSQL connection string).  Same contract as tsgi_store_open(). */
tsg_status tsgi_store_sqlite_open(const char *path, tsgi_store **out,
                                  char *err, size_t errlen);
tsg_status tsgi_store_pg_open(const char *conninfo, tsgi_store **out,
                              char *err, size_t errlen);

/* Sets s->errmsg (printf-style). */
void tsgi_store_seterr(tsgi_store *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The lower-case lookup key stored beside each value: base58 and other
 * case-sensitive kinds (BTC, TRON) keep their case.  Writes into out
 * (cap bytes, truncated). */
void tsgi_store_vkey(int kind, const char *value, char *out, size_t cap);

/* Schema version both backends migrate to.
 *   1  reports, indicators, assign, hubs
 *   2  the lookup summaries (lookup_stats, lookup_campaigns,
 *      lookup_clustered), back-filled from the rows of version 1 */
#define TSGI_STORE_SCHEMA 2

/*
 * Lookup summaries (summary.c): a batch accumulator that turns reports
 * into lookup_stats deltas, one row per key, and the SQL both backends run
 * to keep the campaign summaries in step with `assign`.
 *
 * Use: per report, tsgi_sum_ind_add() per indicator row and
 * tsgi_sum_report_end() (or tsgi_sum_add_report()), then
 * tsgi_sum_finish() for the rows to upsert (key order, so that two
 * writers lock rows in the same order), then tsgi_sum_reset().  Memory
 * grows with the batch (the caller bounds it: TSG_MAX_INGEST_BATCH
 * reports).  The functions returning bool return false only on ENOMEM,
 * after which only tsgi_sum_reset() and tsgi_sum_free() may be called.
 */
typedef struct tsgi_sum tsgi_sum;

/* One indicator as the summaries see it; borrowed for the call.  vkey
 * NULL: computed with tsgi_store_vkey(). */
typedef struct tsgi_sum_ind {
	int kind;
	const char *value, *vkey, *host, *domain; /* host, domain may be NULL */
	long long t;                              /* the report's time        */
} tsgi_sum_ind;

/* One lookup_stats delta: add items and with_host, widen [first, last].
 * key points into the accumulator (valid until reset or free). */
typedef struct tsgi_sum_row {
	const char *key;
	long long items, first, last, with_host;
} tsgi_sum_row;

tsgi_sum *tsgi_sum_new(void); /* NULL on ENOMEM */
void tsgi_sum_free(tsgi_sum *m); /* NULL is a no-op */
void tsgi_sum_reset(tsgi_sum *m);
/* Adds one indicator row of the current report (copied). */
bool tsgi_sum_ind_add(tsgi_sum *m, const tsgi_sum_ind *d);
/* Ends the current report: its rows become deltas. */
bool tsgi_sum_report_end(tsgi_sum *m);
/* Adds one whole report as ingest hands it over (its indicators, then
 * report_end). */
bool tsgi_sum_add_report(tsgi_sum *m, const tsgi_sreport *r);
/* Reports added since the last reset. */
size_t tsgi_sum_nreports(const tsgi_sum *m);
/* The merged deltas, borrowed from m. */
bool tsgi_sum_finish(tsgi_sum *m, const tsgi_sum_row **rows, size_t *n);

/* NULL-terminated lists of statements, run in order inside the caller's
 * transaction (summary.c says what each does).  tsgi_sum_sql_assign
 * expects the temporary tables tsg_new_assign(report_seq, campaign,
 * old_c), filled with the assignments to write, and
 * tsg_assign_delta(key, campaign, d). */
extern const char *const tsgi_sum_sql_assign[];
extern const char *const tsgi_sum_sql_unassign_all[];
extern const char *const tsgi_sum_sql_backfill[];

#endif
