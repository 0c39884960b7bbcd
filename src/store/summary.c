/*
 * summary.c - the lookup summaries both backends keep beside the rows.
 *
 * A lookup asks about a key: a lower-cased value, a host or a registrable
 * domain (store.h, tsgi_store_lookup).  What it reports counts *items*:
 * distinct (report, kind, value) triples with an indicator row whose vkey,
 * host or domain equals the key.  Aggregating the rows at query time costs
 * one row read per item, which for a hub (a download site, sites.google.com)
 * is tens of thousands; so the store keeps per key, updated in the
 * transaction that writes the rows:
 *
 *   lookup_stats      key, items, first_t, last_t, with_host    (ingest)
 *   lookup_campaigns  key, campaign, items                      (campaigns)
 *   lookup_clustered  key, items, campaigns                     (campaigns)
 *
 * This file holds what the two backends share: the batch accumulator that
 * turns reports into lookup_stats deltas (so that ingest and the migration
 * back-fill count the same way) and the SQL, portable between SQLite and
 * PostgreSQL, that keeps the campaign tables in step with `assign`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_int.h"
#include "tsguard_limits.h"

/* One (item, key) pair of the report being added; strings are offsets
 * into the pool because the pool moves as it grows. */
typedef struct sum_trip {
	int kind;
	size_t value, key;
	long long t;
} sum_trip;

typedef struct sum_ent {
	size_t key;
	long long items, first, last, with_host;
} sum_ent;

struct tsgi_sum {
	char *pool;
	size_t plen, pcap;
	sum_trip *trip; /* scratch for one report */
	size_t ntrip, tcap;
	sum_ent *ent; /* one per (report, item, key); merged by finish */
	size_t nent, ecap;
	tsgi_sum_row *rows; /* merged: one per key, in strcmp order */
	size_t nrows, rcap, nreports;
	bool finished;
};

tsgi_sum *tsgi_sum_new(void)
{
	return calloc(1, sizeof(tsgi_sum));
}

void tsgi_sum_free(tsgi_sum *m)
{
	if (!m)
		return;
	free(m->pool);
	free(m->trip);
	free(m->ent);
	free(m->rows);
	free(m);
}

void tsgi_sum_reset(tsgi_sum *m)
{
	m->plen = m->ntrip = m->nent = m->nrows = m->nreports = 0;
	m->finished = false;
}

size_t tsgi_sum_nreports(const tsgi_sum *m)
{
	return m->nreports;
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 64;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			return false;
		n *= 2;
	}
	void *q = realloc(*p, n * size);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

/* Copies s into the pool and returns its offset; SIZE_MAX on ENOMEM. */
static size_t pool_add(tsgi_sum *m, const char *s)
{
	size_t n = strlen(s);
	if (!grow((void **)&m->pool, &m->pcap, m->plen + n + 1, 1))
		return SIZE_MAX;
	size_t off = m->plen;
	memcpy(m->pool + off, s, n + 1);
	m->plen += n + 1;
	return off;
}

static bool trip_add(tsgi_sum *m, int kind, size_t value, size_t key,
		     long long t)
{
	if (key == SIZE_MAX ||
	    !grow((void **)&m->trip, &m->tcap, m->ntrip + 1, sizeof *m->trip))
		return false;
	m->trip[m->ntrip++] = (sum_trip){kind, value, key, t};
	return true;
}

/* qsort has no context argument: the pool being sorted is set here for the
 * duration of one call (a handle is used by one thread at a time). */
static _Thread_local const char *sort_pool;

static int trip_cmp(const void *a, const void *b)
{
	const sum_trip *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int c = strcmp(sort_pool + x->value, sort_pool + y->value);
	return c ? c : strcmp(sort_pool + x->key, sort_pool + y->key);
}

static int ent_cmp(const void *a, const void *b)
{
	const sum_ent *x = a, *y = b;
	return strcmp(sort_pool + x->key, sort_pool + y->key);
}

/* Turns the triples of one report into entries: one per distinct
 * (kind, value, key), with with_host set when the item also names the
 * key's URL host (tsgi_store_url_host) as another of its keys. */
bool tsgi_sum_report_end(tsgi_sum *m)
{
	m->finished = false;
	sort_pool = m->pool;
	if (m->ntrip > 1)
		qsort(m->trip, m->ntrip, sizeof *m->trip, trip_cmp);
	for (size_t g = 0; g < m->ntrip;) {
		size_t e = g + 1; /* [g, e): one item */
		while (e < m->ntrip && m->trip[e].kind == m->trip[g].kind &&
		       !strcmp(m->pool + m->trip[e].value,
			       m->pool + m->trip[g].value))
			e++;
		for (size_t i = g; i < e;) {
			size_t j = i + 1; /* [i, j): one key of the item */
			long long lo = m->trip[i].t, hi = m->trip[i].t;
			while (j < e && !strcmp(m->pool + m->trip[j].key,
						m->pool + m->trip[i].key)) {
				if (m->trip[j].t < lo)
					lo = m->trip[j].t;
				if (m->trip[j].t > hi)
					hi = m->trip[j].t;
				j++;
			}
			const char *key = m->pool + m->trip[i].key;
			char host[TSG_MAX_HOST + 1];
			long long with_host = 0;
			if (tsgi_store_url_host(key, host, sizeof host) &&
			    strcmp(host, key))
				for (size_t k = g; k < e; k++)
					if (!strcmp(m->pool + m->trip[k].key,
						    host)) {
						with_host = 1;
						break;
					}
			if (!grow((void **)&m->ent, &m->ecap, m->nent + 1,
				  sizeof *m->ent))
				return false;
			m->ent[m->nent++] =
			    (sum_ent){m->trip[i].key, 1, lo, hi, with_host};
			i = j;
		}
		g = e;
	}
	m->ntrip = 0;
	m->nreports++;
	return true;
}

bool tsgi_sum_ind_add(tsgi_sum *m, const tsgi_sum_ind *d)
{
	m->finished = false;
	size_t value = pool_add(m, d->value);
	if (value == SIZE_MAX)
		return false;
	size_t vkey;
	if (d->vkey) {
		vkey = pool_add(m, d->vkey);
	} else {
		/* The key the indicators table stores (same function). */
		size_t cap = TSG_MAX_URL + 64;
		if (!grow((void **)&m->pool, &m->pcap, m->plen + cap, 1))
			return false;
		tsgi_store_vkey(d->kind, d->value, m->pool + m->plen, cap);
		vkey = m->plen;
		m->plen += strlen(m->pool + vkey) + 1;
	}
	if (!trip_add(m, d->kind, value, vkey, d->t))
		return false;
	if (d->host && !trip_add(m, d->kind, value, pool_add(m, d->host), d->t))
		return false;
	if (d->domain &&
	    !trip_add(m, d->kind, value, pool_add(m, d->domain), d->t))
		return false;
	return true;
}

bool tsgi_sum_add_report(tsgi_sum *m, const tsgi_sreport *r)
{
	for (size_t i = 0; i < r->n_inds; i++) {
		const tsgi_sind *d = &r->inds[i];
		tsgi_sum_ind x = {.kind = d->kind,
				  .value = d->value,
				  .host = d->host,
				  .domain = d->domain,
				  .t = r->t};
		if (!tsgi_sum_ind_add(m, &x))
			return false;
	}
	return tsgi_sum_report_end(m);
}

bool tsgi_sum_finish(tsgi_sum *m, const tsgi_sum_row **rows, size_t *n)
{
	if (!m->finished) {
		sort_pool = m->pool;
		if (m->nent > 1)
			qsort(m->ent, m->nent, sizeof *m->ent, ent_cmp);
		if (!grow((void **)&m->rows, &m->rcap, m->nent,
			  sizeof *m->rows))
			return false;
		m->nrows = 0;
		for (size_t i = 0; i < m->nent;) {
			sum_ent acc = m->ent[i];
			size_t j = i + 1;
			for (; j < m->nent && !strcmp(m->pool + m->ent[j].key,
						      m->pool + acc.key);
			     j++) {
				acc.items += m->ent[j].items;
				acc.with_host += m->ent[j].with_host;
				if (m->ent[j].first < acc.first)
					acc.first = m->ent[j].first;
				if (m->ent[j].last > acc.last)
					acc.last = m->ent[j].last;
			}
			m->rows[m->nrows++] =
			    (tsgi_sum_row){m->pool + acc.key, acc.items,
					   acc.first, acc.last, acc.with_host};
			i = j;
		}
		m->finished = true;
	}
	*rows = m->rows;
	*n = m->nrows;
	return true;
}

bool tsgi_store_url_host(const char *key, char *out, size_t cap)
{
	const char *h = strstr(key, "://");
	if (!h && strncasecmp(key, "www.", 4))
		return false;
	h = h ? h + 3 : key;
	size_t n = strcspn(h, "/:?#");
	if (!n || n > TSG_MAX_HOST || n >= cap)
		return false;
	memcpy(out, h, n);
	out[n] = '\0';
	return true;
}

/*
 * Campaign summaries.  tsgi_store_save_assign() loads the assignments to
 * write into tsg_new_assign (a temporary table: report_seq, campaign,
 * old_c) and runs these statements in its transaction, in order.  They
 * compute, per (key, campaign), how many items move in (+) or out (-),
 * apply that to lookup_campaigns, recount lookup_clustered for the keys
 * touched, then write `assign`.  The work is proportional to the
 * indicators of the reports whose campaign changes, plus the campaign rows
 * of the keys they name.
 */
const char *const tsgi_sum_sql_assign[] = {
    "DELETE FROM tsg_assign_delta",
    "UPDATE tsg_new_assign SET old_c = (SELECT a.campaign FROM assign a"
    " WHERE a.report_seq = tsg_new_assign.report_seq)",
    "DELETE FROM tsg_new_assign WHERE old_c IS NOT NULL AND old_c = campaign",
    /* x: the items of the moving reports, once per key (vkey, host,
     * domain: w picks the column), with the campaign they join and the
     * one they leave.  CROSS JOIN keeps SQLite from scanning indicators:
     * few reports move in an incremental save. */
    "WITH x AS (SELECT DISTINCT report_seq, kind, value, k, campaign, old_c"
    " FROM (SELECT n.report_seq, i.kind, i.value, n.campaign, n.old_c,"
    "  CASE w.w WHEN 1 THEN i.vkey WHEN 2 THEN i.host ELSE i.domain END AS k"
    "  FROM tsg_new_assign n CROSS JOIN indicators i"
    "  CROSS JOIN (SELECT 1 AS w UNION ALL SELECT 2 UNION ALL SELECT 3) w"
    "  WHERE i.report_seq = n.report_seq) y WHERE k IS NOT NULL)"
    " INSERT INTO tsg_assign_delta(key, campaign, d)"
    " SELECT k, c, SUM(d) FROM ("
    "  SELECT k, campaign AS c, COUNT(*) AS d FROM x GROUP BY k, campaign"
    "  UNION ALL SELECT k, old_c, -COUNT(*) FROM x WHERE old_c IS NOT NULL"
    "  GROUP BY k, old_c) u"
    " GROUP BY k, c HAVING SUM(d) <> 0",
    "INSERT INTO lookup_campaigns(key, campaign, items)"
    " SELECT key, campaign, d FROM tsg_assign_delta WHERE true"
    " ON CONFLICT (key, campaign) DO UPDATE"
    " SET items = lookup_campaigns.items + excluded.items",
    "DELETE FROM lookup_campaigns WHERE key IN"
    " (SELECT key FROM tsg_assign_delta) AND items <= 0",
    "DELETE FROM lookup_clustered WHERE key IN"
    " (SELECT key FROM tsg_assign_delta)",
    "INSERT INTO lookup_clustered(key, items, campaigns)"
    " SELECT key, SUM(items), COUNT(*) FROM lookup_campaigns"
    " WHERE key IN (SELECT key FROM tsg_assign_delta) GROUP BY key",
    "INSERT INTO assign(report_seq, campaign)"
    " SELECT report_seq, campaign FROM tsg_new_assign WHERE true"
    " ON CONFLICT (report_seq) DO UPDATE SET campaign = excluded.campaign",
    "DELETE FROM tsg_new_assign",
    NULL,
};

/* With replace_all: the campaign summaries go with `assign`. */
const char *const tsgi_sum_sql_unassign_all[] = {
    "DELETE FROM assign",
    "DELETE FROM lookup_campaigns",
    "DELETE FROM lookup_clustered",
    NULL,
};

/* Migration to schema 2: the campaign summaries from `assign`.  (The
 * lookup_stats back-fill goes through tsgi_sum_ind_add, see the backends.) */
const char *const tsgi_sum_sql_backfill[] = {
    "INSERT INTO lookup_campaigns(key, campaign, items)"
    " SELECT k, campaign, COUNT(*) FROM ("
    " SELECT DISTINCT report_seq, kind, value, k, campaign"
    " FROM (SELECT i.report_seq, i.kind, i.value, a.campaign,"
    "  CASE w.w WHEN 1 THEN i.vkey WHEN 2 THEN i.host ELSE i.domain END AS k"
    "  FROM indicators i JOIN assign a ON a.report_seq = i.report_seq"
    "  CROSS JOIN (SELECT 1 AS w UNION ALL SELECT 2 UNION ALL SELECT 3) w) y"
    " WHERE k IS NOT NULL) x GROUP BY k, campaign",
    "INSERT INTO lookup_clustered(key, items, campaigns)"
    " SELECT key, SUM(items), COUNT(*) FROM lookup_campaigns GROUP BY key",
    NULL,
};
