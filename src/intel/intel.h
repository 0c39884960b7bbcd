/*
 * intel.h - turning stored reports into campaigns, and campaigns into what
 * investigators use.
 *
 * The pieces, one file each:
 *   report.c     a report JSONL line -> tsgi_sreport (docs/store.md)
 *   hubs.c       data/hubs.json and the link key of an indicator: which
 *                infrastructure two reports must share to be linked
 *   cluster.c    the clustering core: union-find over reports through
 *                link keys, with time windows, hub detection and
 *                corroborated near-matches.  Pure computation on arrays.
 *   campaigns.c  the in-memory dataset loaded from a store, campaign ids,
 *                per-campaign aggregates, saving assignments back
 *   lookup.c     "have we seen this value?"
 *   stix.c, misp.c, csv.c, casefile.c   the exports
 *
 * Everything here is internal (tsgi_); the CLI commands are thin shells.
 */
#ifndef TSGI_INTEL_H
#define TSGI_INTEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../brands/brands.h"
#include "../store/store.h"
#include "tsguard.h"

/* ------------------------------------------------------------------------
 * Reports (report.c)
 * ---------------------------------------------------------------------- */

/* A parsed report line; the strings live in `json` or in this struct. */
typedef struct tsgi_report_in {
	tsgi_sreport r;   /* r.inds/n_inds unset                            */
	char *id;         /* owned copies                                   */
	char *received_at, *channel, *contact, *sender, *country, *currency;
	char *content;
	char *raw;        /* the line, re-serialised compactly              */
	char *lang;
	tsg_channel ch;   /* parsed channel (AUTO when absent or unknown)   */
	tsg_contact ct;
} tsgi_report_in;

/*
 * Parses one report line of `len` bytes: an object with a string or
 * integer "id" and a string "content" (required), "received_at"
 * (RFC 3339 or YYYY-MM-DD; default `now`), "channel", "contact", "sender",
 * "lang", "victim": {"country", "loss": {"amount", "currency"}}.  Unknown
 * fields are kept in r.raw.  On failure returns TSG_EPARSE or TSG_EINVAL
 * with a message in err.  Release with tsgi_report_in_free() in every
 * case.
 */
tsg_status tsgi_report_parse(const char *line, size_t len, long long now,
                             tsgi_report_in *out, char *err, size_t errlen);
void tsgi_report_in_free(tsgi_report_in *r);

/* Parses an RFC 3339 timestamp or a YYYY-MM-DD date (slice s, n bytes) to
 * seconds since the epoch; false when malformed. */
bool tsgi_parse_time(const char *s, size_t n, long long *out);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" (buf >= 21 bytes). */
void tsgi_format_time(long long t, char *buf, size_t cap);

/* A version-5 UUID (36 characters and NUL into out) of the `n` parts,
 * joined by 0x1f, in namespace `ns`: stable ids for the exports. */
void tsgi_uuid5(char out[37], const unsigned char ns[16],
                const char *const *parts, size_t n);

/* ------------------------------------------------------------------------
 * Link keys (hubs.c)
 * ---------------------------------------------------------------------- */

/* What a link key stands for; each has its own time window. */
typedef enum tsgi_link_class {
	TSGI_LINK_NONE = 0, /* never links (official, hub, money, gift card)  */
	TSGI_LINK_PHONE,
	TSGI_LINK_HOST,     /* full host on a shared platform / short link    */
	TSGI_LINK_DOMAIN,   /* registrable domain                             */
	TSGI_LINK_EMAIL,    /* a mailbox on a free-mail provider              */
	TSGI_LINK_REMOTE,
	TSGI_LINK_WALLET,
	TSGI_LINK_BANK,
	TSGI_LINK__COUNT
} tsgi_link_class;

/* Largest gap, in seconds, between two consecutive sightings of one link
 * key that still links them; 0 means no limit.  Numbers are recycled
 * fastest, so their window is the shortest (docs/store.md). */
#define TSGI_WINDOW_PHONE (60LL * 86400)
#define TSGI_WINDOW_HOST (365LL * 86400)
#define TSGI_WINDOW_DOMAIN (365LL * 86400)
#define TSGI_WINDOW_EMAIL (365LL * 86400)
#define TSGI_WINDOW_REMOTE (180LL * 86400)
#define TSGI_WINDOW_WALLET 0LL
#define TSGI_WINDOW_BANK 0LL

long long tsgi_link_window(tsgi_link_class c);

typedef struct tsgi_hubs tsgi_hubs;

/* Loads data/hubs.json.  On failure *out is NULL and err says why (with
 * the file name). */
tsg_status tsgi_hubs_load(const char *path, tsgi_hubs **out, char *err,
                          size_t errlen);
/* Loads <data_dir>/data/hubs.json for the engine's data folder. */
tsg_status tsgi_hubs_load_engine(const tsg_engine *e, tsgi_hubs **out,
                                 char *err, size_t errlen);
void tsgi_hubs_free(tsgi_hubs *h);

/*
 * The link key of one indicator, written into out ("phone:+18885550199",
 * "domain:evil-support.com", "host:fix.github.io", ...), and its class;
 * TSGI_LINK_NONE (out = "") when the indicator must never link: official
 * numbers and domains (flag or registry `b`, which may be NULL), money,
 * gift cards, free-mail domains, listed hub domains.
 */
tsgi_link_class tsgi_link_key(const tsgi_hubs *h, const tsgi_brands *b,
                              const tsgi_sind *ind, char *out, size_t cap);

/* ------------------------------------------------------------------------
 * Clustering core (cluster.c)
 * ---------------------------------------------------------------------- */

#define TSGI_NO_LABEL UINT32_MAX

/* Hub detection: a link key with at least HUB_MIN_DEGREE reports is
 * tested; it is a hub when, without it, its reports fall in at least
 * HUB_PIECES separate groups of HUB_PIECE reports or more. */
#define TSGI_HUB_MIN_DEGREE 12u
#define TSGI_HUB_PIECES 3u
#define TSGI_HUB_PIECE 3u
/* Report visits spent on hub tests per round (bounds the time). */
#define TSGI_HUB_BUDGET 80000000ull
#define TSGI_HUB_ROUNDS 4

typedef struct tsgi_cluster_in {
	size_t nrep;
	const long long *t;      /* time of each report                      */
	const uint32_t *brand;   /* brand id per report, 0 = none            */
	const uint32_t *prior;   /* prior campaign label per report, or
	                            TSGI_NO_LABEL for a new report; NULL for a
	                            full clustering                          */
	size_t nocc;             /* (report, key) pairs                      */
	const uint32_t *occ_rep;
	const uint32_t *occ_key;
	size_t nkeys;
	const uint8_t *key_class;     /* tsgi_link_class per key             */
	const char *const *key_str;   /* for near-matches and determinism    */
	uint8_t *key_hub;             /* in: 1 = known hub; out: 2 = new hub */
} tsgi_cluster_in;

typedef struct tsgi_cluster_stats {
	size_t edges;        /* unions that joined two groups              */
	size_t hubs_found;   /* keys newly judged hubs                     */
	size_t hub_tests;
	size_t near_joined;  /* reports joined through a near-match        */
	size_t rounds;
} tsgi_cluster_stats;

/*
 * Clusters reports.  Writes root[i] (a report index; equal roots = same
 * campaign) for every report.  Deterministic: the same input gives the
 * same partition whatever the order of occurrences.  Returns TSG_ENOMEM
 * or TSG_OK.
 */
tsg_status tsgi_cluster_run(const tsgi_cluster_in *in, uint32_t *root,
                            tsgi_cluster_stats *stats);

/* ------------------------------------------------------------------------
 * Dataset and campaigns (campaigns.c)
 * ---------------------------------------------------------------------- */

typedef struct tsgi_ds_ind {
	int kind;
	const char *value, *detail, *host, *domain;
	unsigned flags;
	uint32_t key;        /* link key index or TSGI_NO_LABEL            */
} tsgi_ds_ind;

typedef struct tsgi_ds_report {
	long long seq, t;
	const char *id, *channel, *contact, *sender, *country, *currency;
	const char *brands, *category;
	double loss;
	bool has_loss;
	uint32_t brand;      /* first brand, interned; 0 = none            */
	uint32_t prior;      /* stored campaign label or TSGI_NO_LABEL      */
	uint32_t camp;       /* index into campaigns after clustering       */
	uint32_t occ, nocc;  /* its indicators: ds->occ_ind[occ .. +nocc)   */
} tsgi_ds_report;

typedef struct tsgi_named_count {
	const char *name;
	double n;            /* a count, or an amount for losses            */
} tsgi_named_count;

typedef struct tsgi_camp_ind {
	uint32_t ind;        /* index into ds->ind                          */
	uint32_t count;
	long long first, last;
	bool linked;         /* it links reports (not official or a hub)    */
} tsgi_camp_ind;

typedef struct tsgi_campaign {
	char id[24];          /* "TSG-C-" + 12 hex digits                   */
	uint32_t *reps;       /* report indices, by time                    */
	size_t nreps;
	tsgi_camp_ind *inds;  /* by count, then kind and value              */
	size_t ninds;
	tsgi_named_count *brands, *channels, *countries, *losses;
	size_t nbrands, nchannels, ncountries, nlosses;
	long long first, last;
} tsgi_campaign;

typedef struct tsgi_dataset tsgi_dataset;

/* A new empty dataset.  `h` and `b` are borrowed and must outlive it (b
 * may be NULL).  NULL on ENOMEM. */
tsgi_dataset *tsgi_ds_new(const tsgi_hubs *h, const tsgi_brands *b);
void tsgi_ds_free(tsgi_dataset *ds);

/* Adds a report (strings copied; r->inds ignored) and returns its index,
 * or TSGI_NO_LABEL on ENOMEM.  Reports must come in seq order. */
uint32_t tsgi_ds_add_report(tsgi_dataset *ds, const tsgi_sreport *r);
/* Adds an indicator to the report with store sequence `seq`; unknown
 * seqs are ignored.  False on ENOMEM. */
bool tsgi_ds_add_ind(tsgi_dataset *ds, long long seq, const tsgi_sind *d);

/* Loads every report, indicator, assignment and hub from the store. */
tsg_status tsgi_ds_load(tsgi_dataset *ds, tsgi_store *s, char *err,
                        size_t errlen);

/*
 * Clusters the dataset and builds the campaigns.  With `rebuild` false,
 * reports that already have a campaign stay together (campaigns only
 * grow or merge) and only new reports create links; with true, everything
 * is decided again.  Stats may be NULL.
 */
tsg_status tsgi_ds_cluster(tsgi_dataset *ds, bool rebuild,
                           tsgi_cluster_stats *stats);

/* Writes the assignments (changed rows only unless `rebuild`) and hubs. */
tsg_status tsgi_ds_save(tsgi_dataset *ds, tsgi_store *s, bool rebuild,
                        char *err, size_t errlen);

size_t tsgi_ds_nreports(const tsgi_dataset *ds);
const tsgi_ds_report *tsgi_ds_report_at(const tsgi_dataset *ds, size_t i);
const tsgi_ds_ind *tsgi_ds_ind_at(const tsgi_dataset *ds, size_t i);
/* The indicator indices of report i: *n of them. */
const uint32_t *tsgi_ds_report_inds(const tsgi_dataset *ds, size_t i,
                                    size_t *n);
/* Evidence spans of report i's indicators, in the same order: start, end
 * byte offsets into the report content, -1 when unknown. */
const int32_t *tsgi_ds_report_spans(const tsgi_dataset *ds, size_t i);
size_t tsgi_ds_ncampaigns(const tsgi_dataset *ds);
const tsgi_campaign *tsgi_ds_campaign_at(const tsgi_dataset *ds, size_t i);
const tsgi_campaign *tsgi_ds_campaign_find(const tsgi_dataset *ds,
                                           const char *id);
/* The brand registry given to tsgi_ds_new (may be NULL). */
const tsgi_brands *tsgi_ds_brands(const tsgi_dataset *ds);

/* Writes the campaigns with at least min_reports reports as JSON (an
 * array, one object per campaign) or as a human table. */
void tsgi_campaigns_json(const tsgi_dataset *ds, size_t min_reports, FILE *f);
void tsgi_campaigns_text(const tsgi_dataset *ds, size_t min_reports, FILE *f);

/* Stable id of a campaign whose earliest report has id `report_id`. */
void tsgi_campaign_id(const char *report_id, char out[24]);

/* ------------------------------------------------------------------------
 * Lookup (lookup.c)
 * ---------------------------------------------------------------------- */

typedef struct tsgi_lookup_result {
	bool known;
	char kind[16];        /* what the query was read as                  */
	char canon[512];      /* its canonical form                          */
	long long reports, first, last;
	char campaigns[8][24];
	size_t ncampaigns;    /* distinct campaigns (up to 8 listed)         */
	size_t unclustered;   /* reports not yet in a campaign               */
} tsgi_lookup_result;

/* Reads `query` as a phone number (any format; `region` for national
 * numbers), URL, domain, email address or wallet, and looks it up. */
tsg_status tsgi_lookup(tsgi_store *s, const char *query, const char *region,
                       tsgi_lookup_result *res);
void tsgi_lookup_json(const tsgi_lookup_result *res, FILE *f);

/* ------------------------------------------------------------------------
 * Exports (stix.c, misp.c, csv.c, casefile.c)
 * ---------------------------------------------------------------------- */

/* Campaign selection for exports: NULL campaign = every campaign with at
 * least min_reports reports. */
typedef struct tsgi_export_sel {
	const char *campaign;
	size_t min_reports;
	long long now;        /* timestamp written as created/modified      */
} tsgi_export_sel;

/* Each writes to f and returns TSG_OK, TSG_ENOTFOUND (no such campaign)
 * or TSG_ENOMEM. */
tsg_status tsgi_export_stix(const tsgi_dataset *ds, const tsgi_export_sel *sel,
                            FILE *f);
tsg_status tsgi_export_misp(const tsgi_dataset *ds, const tsgi_export_sel *sel,
                            FILE *f);
tsg_status tsgi_export_csv(const tsgi_dataset *ds, const tsgi_export_sel *sel,
                           FILE *f);
/* The case file needs the report texts: read from `s`. */
tsg_status tsgi_casefile(const tsgi_dataset *ds, tsgi_store *s,
                         const char *campaign, long long now, FILE *f,
                         char *err, size_t errlen);

/* True when the selection includes campaign c. */
bool tsgi_export_wants(const tsgi_export_sel *sel, const tsgi_campaign *c);

/* How many campaigns of ds the selection includes. */
size_t tsgi_export_count(const tsgi_dataset *ds, const tsgi_export_sel *sel);

#endif
