/*
 * store.h - the report store: one interface, two backends.
 *
 *   sqlite:PATH          embedded, the default ("sqlite:./tsguard.db"),
 *                        WAL journal, schema migrations keyed on
 *                        PRAGMA user_version (store_sqlite.c)
 *   postgresql://...     a PostgreSQL server through libpq; "postgres://"
 *                        and libpq keyword strings ("host=... dbname=...")
 *                        are accepted too (store_pg.c)
 *
 * The store holds five things (docs/store.md has the tables):
 *   reports     one row per report id, with the whole JSON line kept so
 *               that unknown fields survive;
 *   indicators  what the scan engine extracted from each report;
 *   assign      the campaign each report belongs to (written by
 *               `tsguard campaigns`, read by lookups and exports);
 *   hubs        link keys judged too common to link on;
 *   summaries   per lookup key: how many reports name it, when, in which
 *               campaigns (lookup_stats, lookup_campaigns,
 *               lookup_clustered), written in the same transaction as the
 *               rows they summarise, so that a lookup reads a few rows
 *               however many reports name the value (summary.c).
 *
 * Every write is one transaction: it happens whole or not at all, so a
 * killed process never leaves half a batch.  Two processes may write at
 * once on either backend (SQLite: WAL + busy timeout + BEGIN IMMEDIATE;
 * PostgreSQL: row-level ON CONFLICT).
 *
 * Ownership: strings handed to the store are copied or written before the
 * call returns; rows handed to callbacks are borrowed for the duration of
 * the callback only.  Errors are returned as tsg_status with a message in
 * tsgi_store_errmsg().
 */
#ifndef TSGI_STORE_H
#define TSGI_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsguard.h"

typedef struct tsgi_store tsgi_store;

/* One indicator of a report as stored. */
typedef struct tsgi_sind {
	int kind;            /* tsg_indicator_kind                            */
	const char *value;   /* canonical value, never NULL                   */
	const char *detail;  /* may be NULL                                   */
	const char *host;    /* may be NULL                                   */
	const char *domain;  /* may be NULL                                   */
	const char *brand;   /* official brand id, may be NULL                */
	unsigned flags;      /* TSG_IND_F_*                                   */
	long long start, end; /* evidence span in the content, -1 if unknown  */
} tsgi_sind;

/* One report as stored.  Times are seconds since the epoch (UTC). */
typedef struct tsgi_sreport {
	long long seq;          /* set by the store; 0 on insert             */
	const char *id;         /* never NULL                                */
	long long t;            /* received_at                               */
	const char *received_at; /* as written in the report                  */
	const char *channel;    /* may be NULL                                */
	const char *contact;
	const char *sender;
	const char *country;    /* victim country (ISO 3166), may be NULL     */
	double loss;            /* victim loss; valid when currency != NULL   */
	const char *currency;
	const char *brands;     /* brand ids claimed, comma-separated, or NULL */
	const char *category;   /* verdict category, may be NULL             */
	double score;           /* verdict score, -1 if not scanned          */
	const char *content;    /* only filled when asked for                */
	const char *raw;        /* the JSON line; only filled when asked for */
	const char *campaign;   /* assigned campaign id or NULL (reading)    */
	const tsgi_sind *inds;  /* on insert: the report's indicators        */
	size_t n_inds;
} tsgi_sreport;

/* What a lookup found for one campaign (or none: campaign NULL). */
typedef struct tsgi_lookup_row {
	const char *campaign;   /* NULL for reports not yet clustered        */
	long long reports;      /* distinct reports naming the value         */
	long long first, last;  /* received_at range                         */
	int kind;               /* kind of the stored indicator              */
	const char *value;      /* stored canonical value                    */
} tsgi_lookup_row;

/* One campaign assignment. */
typedef struct tsgi_assign {
	long long seq;
	const char *campaign;
} tsgi_assign;

typedef int (*tsgi_report_cb)(void *ctx, const tsgi_sreport *r);
typedef int (*tsgi_ind_cb)(void *ctx, long long seq, const tsgi_sind *ind);
typedef int (*tsgi_lookup_cb)(void *ctx, const tsgi_lookup_row *row);
typedef int (*tsgi_str_cb)(void *ctx, const char *s);

/* Reading flags for tsgi_store_each_report(). */
#define TSGI_READ_CONTENT 0x1u /* fill content                              */
#define TSGI_READ_RAW 0x2u     /* fill raw                                  */

/*
 * Resolves which store to use: `url` when not NULL, else $TSGUARD_DB, else
 * "sqlite:./tsguard.db".  Static or environment storage; never NULL.
 */
const char *tsgi_store_default_url(const char *url);

/*
 * Opens (and creates or migrates) the store named by `url` (see above).
 * On success *out is a new handle.  On failure *out is NULL and `err`
 * holds a message; the status is TSG_EINVAL for a URL that names no
 * backend, TSG_EUNAVAIL when the server cannot be reached and TSG_ESTORE
 * otherwise.  One handle per thread.
 */
tsg_status tsgi_store_open(const char *url, tsgi_store **out, char *err,
                           size_t errlen);

/* Closes the handle.  NULL is a no-op.  Nothing uncommitted exists. */
void tsgi_store_close(tsgi_store *s);

/* "sqlite" or "postgresql". */
const char *tsgi_store_backend(const tsgi_store *s);

/* The last error message, or "".  Borrowed. */
const char *tsgi_store_errmsg(const tsgi_store *s);

/*
 * Adds reports in ONE transaction.  A report whose id is already stored is
 * skipped whole (idempotent ingest); its indicators are not touched.  On
 * TSG_OK every report of the batch is durable (committed) and *added says
 * how many were new; on failure nothing of the batch was written.
 */
tsg_status tsgi_store_add(tsgi_store *s, const tsgi_sreport *reps, size_t n,
                          size_t *added);

/* Number of stored reports. */
tsg_status tsgi_store_count(tsgi_store *s, long long *n);

/*
 * Calls cb for each report in seq order (with its campaign, no
 * indicators); `campaign` non-NULL restricts to that campaign.  A callback
 * returning non-zero stops the walk (the status is still TSG_OK).
 */
tsg_status tsgi_store_each_report(tsgi_store *s, unsigned flags,
                                  const char *campaign, tsgi_report_cb cb,
                                  void *ctx);

/* Calls cb for every stored indicator in report seq order. */
tsg_status tsgi_store_each_indicator(tsgi_store *s, tsgi_ind_cb cb, void *ctx);

/* Fetches one report by id with content and raw JSON (cb called once) or
 * TSG_ENOTFOUND. */
tsg_status tsgi_store_get(tsgi_store *s, const char *id, tsgi_report_cb cb,
                          void *ctx);

/*
 * Writes campaign assignments in one transaction.  With `replace_all` the
 * previous assignments are dropped first.  Also replaces the stored hub
 * list with `hubs` (NULL-free array of n_hubs link keys).
 */
tsg_status tsgi_store_save_assign(tsgi_store *s, const tsgi_assign *a,
                                  size_t n, bool replace_all,
                                  const char *const *hubs, size_t n_hubs);

/* Calls cb for every stored hub link key. */
tsg_status tsgi_store_each_hub(tsgi_store *s, tsgi_str_cb cb, void *ctx);

/*
 * Looks up indicators whose canonical value, lower-cased value, host or
 * registrable domain equals one of `keys` (n of them), and calls cb once
 * per (campaign, stored value) with the report count and first/last time.
 * Found through indexes but aggregated from the rows: the time grows with
 * the number of reports naming a key (a hub is named by tens of
 * thousands).  tsgi_store_key_stats() answers from the summaries instead;
 * this is the reference the summaries are tested against.
 */
tsg_status tsgi_store_lookup(tsgi_store *s, const char *const *keys, size_t n,
                             tsgi_lookup_cb cb, void *ctx);

/*
 * What the summaries hold for one lookup key (a lower-cased value, a host
 * or a registrable domain, as for tsgi_store_lookup).  Counts are of
 * items: distinct (report, kind, value) triples with an indicator whose
 * vkey, host or domain equals the key; a report naming a host through two
 * URLs counts twice, as the rows of tsgi_store_lookup() do.
 */
typedef struct tsgi_key_stats {
	long long items;      /* 0: the key is unknown (the rest is 0 too)    */
	long long first, last; /* received_at range of those items            */
	long long with_host;  /* items that also name tsgi_store_url_host(key) */
	long long clustered;  /* items whose report has a campaign            */
	long long campaigns;  /* distinct campaigns among those reports       */
} tsgi_key_stats;

/* Fills *out for `key` (zeros when unknown).  Reads one row whatever the
 * number of reports naming the key. */
tsg_status tsgi_store_key_stats(tsgi_store *s, const char *key,
                                tsgi_key_stats *out);

/*
 * Calls cb with the campaigns whose reports name `key`, in ascending id
 * order, at most `limit` of them (0: all).  A callback returning non-zero
 * stops the walk.  Reads one row per campaign passed to cb.
 */
tsg_status tsgi_store_key_campaigns(tsgi_store *s, const char *key,
                                    size_t limit, tsgi_str_cb cb, void *ctx);

/*
 * The host a lookup of `key` as a URL also asks about: for a key with
 * "://" or starting with "www." (any case), the text after "://" (or from
 * the start) up to the first of "/:?#", when it is 1 to TSG_MAX_HOST
 * bytes.  Writes it to out (cap bytes) and returns true; false otherwise.
 * lookup.c and the summaries (with_host) must agree on it, hence here.
 */
bool tsgi_store_url_host(const char *key, char *out, size_t cap);

/* Deletes everything (tests only). */
tsg_status tsgi_store_wipe(tsgi_store *s);

#endif
