/*
 * campaigns.c - the in-memory dataset: reports and indicators loaded from
 * a store, clustered (cluster.c) into campaigns with stable ids and the
 * aggregates investigators read (indicators with counts and first/last
 * seen, brands, channels, victim countries, losses per currency, span).
 *
 * Memory: strings are interned in one GStringChunk; an indicator value
 * named by many reports is stored once.  A million reports with three
 * indicators each take a few hundred megabytes.
 *
 * Campaign ids: "TSG-C-" + the first 12 hex digits of SHA-256 of the id of
 * the campaign's earliest report (by received_at, then id), so the same
 * data gives the same ids.  In an incremental run a campaign keeps its
 * stored id as it grows; when two stored campaigns merge, the id of the
 * one holding the older report survives.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "intel.h"
#include "tsguard_limits.h"

struct tsgi_dataset {
	const tsgi_hubs *hubs;
	const tsgi_brands *brands;
	GStringChunk *strs;
	tsgi_ds_report *rep;
	size_t nrep, caprep;
	tsgi_ds_ind *ind;
	size_t nind, capind;
	GHashTable *ind_index;   /* "kind\x1fvalue" -> index + 1           */
	uint32_t *occ_rep, *occ_ind;
	int32_t *occ_span;       /* start, end per occurrence (-1 unknown)  */
	size_t nocc, capocc;
	uint32_t *rocc;          /* indicator indices grouped by report     */
	int32_t *rspan;          /* their spans, grouped the same way       */
	const char **keys;
	uint8_t *key_class, *key_hub;
	size_t nkeys, capkeys;
	GHashTable *key_index;   /* key -> index + 1                        */
	GHashTable *brand_index; /* brand -> id (1..)                      */
	uint32_t nbrand_ids;
	const char **labels;     /* prior campaign ids                      */
	size_t nlabels, caplabels;
	GHashTable *label_index;
	GHashTable *stored_hubs; /* link keys judged hubs earlier           */
	tsgi_campaign *camp;
	size_t ncamp;
	bool clustered;
};

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap : 1024;
	while (ncap < need)
		ncap *= 2;
	void *np = realloc(*p, ncap * elem);
	if (!np)
		return false;
	*p = np;
	*cap = ncap;
	return true;
}

static const char *intern(tsgi_dataset *ds, const char *s)
{
	return s ? g_string_chunk_insert_const(ds->strs, s) : NULL;
}

tsgi_dataset *tsgi_ds_new(const tsgi_hubs *h, const tsgi_brands *b)
{
	tsgi_dataset *ds = calloc(1, sizeof *ds);
	if (!ds)
		return NULL;
	ds->hubs = h;
	ds->brands = b;
	ds->strs = g_string_chunk_new(1 << 20);
	ds->ind_index = g_hash_table_new(g_str_hash, g_str_equal);
	ds->key_index = g_hash_table_new(g_str_hash, g_str_equal);
	ds->brand_index = g_hash_table_new(g_str_hash, g_str_equal);
	ds->label_index = g_hash_table_new(g_str_hash, g_str_equal);
	ds->stored_hubs = g_hash_table_new(g_str_hash, g_str_equal);
	return ds;
}

static void free_campaigns(tsgi_dataset *ds)
{
	for (size_t i = 0; i < ds->ncamp; i++) {
		tsgi_campaign *c = &ds->camp[i];
		free(c->reps);
		free(c->inds);
		free(c->brands);
		free(c->channels);
		free(c->countries);
		free(c->losses);
	}
	free(ds->camp);
	ds->camp = NULL;
	ds->ncamp = 0;
}

void tsgi_ds_free(tsgi_dataset *ds)
{
	if (!ds)
		return;
	free_campaigns(ds);
	free(ds->rep);
	free(ds->ind);
	free(ds->occ_rep);
	free(ds->occ_ind);
	free(ds->occ_span);
	free(ds->rocc);
	free(ds->rspan);
	free(ds->keys);
	free(ds->key_class);
	free(ds->key_hub);
	free(ds->labels);
	g_hash_table_destroy(ds->ind_index);
	g_hash_table_destroy(ds->key_index);
	g_hash_table_destroy(ds->brand_index);
	g_hash_table_destroy(ds->label_index);
	g_hash_table_destroy(ds->stored_hubs);
	g_string_chunk_free(ds->strs);
	free(ds);
}

static uint32_t brand_id(tsgi_dataset *ds, const char *brands)
{
	if (!brands || !*brands)
		return 0;
	char first[128];
	size_t n = 0;
	while (brands[n] && brands[n] != ',' && n + 1 < sizeof first) {
		first[n] = brands[n];
		n++;
	}
	first[n] = '\0';
	gpointer v = g_hash_table_lookup(ds->brand_index, first);
	if (v)
		return GPOINTER_TO_UINT(v);
	ds->nbrand_ids++;
	g_hash_table_insert(ds->brand_index, (gpointer)intern(ds, first),
	                    GUINT_TO_POINTER(ds->nbrand_ids));
	return ds->nbrand_ids;
}

static uint32_t label_id(tsgi_dataset *ds, const char *label)
{
	if (!label || !*label)
		return TSGI_NO_LABEL;
	gpointer v = g_hash_table_lookup(ds->label_index, label);
	if (v)
		return GPOINTER_TO_UINT(v) - 1;
	if (!grow((void **)&ds->labels, &ds->caplabels, ds->nlabels + 1,
	          sizeof *ds->labels))
		return TSGI_NO_LABEL;
	const char *s = intern(ds, label);
	ds->labels[ds->nlabels] = s;
	g_hash_table_insert(ds->label_index, (gpointer)s,
	                    GUINT_TO_POINTER(ds->nlabels + 1));
	return (uint32_t)ds->nlabels++;
}

uint32_t tsgi_ds_add_report(tsgi_dataset *ds, const tsgi_sreport *r)
{
	if (ds->nrep >= TSG_MAX_STORE_REPORTS ||
	    !grow((void **)&ds->rep, &ds->caprep, ds->nrep + 1, sizeof *ds->rep))
		return TSGI_NO_LABEL;
	tsgi_ds_report *d = &ds->rep[ds->nrep];
	memset(d, 0, sizeof *d);
	d->seq = r->seq ? r->seq : (long long)ds->nrep + 1;
	d->t = r->t;
	d->id = g_string_chunk_insert(ds->strs, r->id ? r->id : "");
	d->channel = intern(ds, r->channel);
	d->contact = intern(ds, r->contact);
	d->sender = r->sender ? g_string_chunk_insert(ds->strs, r->sender) : NULL;
	d->country = intern(ds, r->country);
	d->currency = intern(ds, r->currency);
	d->brands = intern(ds, r->brands);
	d->category = intern(ds, r->category);
	d->loss = r->loss;
	d->has_loss = r->currency != NULL;
	d->brand = brand_id(ds, r->brands);
	d->prior = label_id(ds, r->campaign);
	d->camp = TSGI_NO_LABEL;
	return (uint32_t)ds->nrep++;
}

static uint32_t find_seq(const tsgi_dataset *ds, long long seq)
{
	size_t a = 0, b = ds->nrep;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (ds->rep[m].seq < seq)
			a = m + 1;
		else
			b = m;
	}
	return a < ds->nrep && ds->rep[a].seq == seq ? (uint32_t)a : TSGI_NO_LABEL;
}

bool tsgi_ds_add_ind(tsgi_dataset *ds, long long seq, const tsgi_sind *d)
{
	uint32_t r = find_seq(ds, seq);
	if (r == TSGI_NO_LABEL || !d->value || d->kind < 0 || d->kind >= TSG_IND__COUNT)
		return true;
	char kbuf[TSG_MAX_URL + 64];
	int n = snprintf(kbuf, sizeof kbuf, "%d\x1f%s", d->kind, d->value);
	if (n < 0 || (size_t)n >= sizeof kbuf)
		return true; /* longer than any canonical value can be */
	uint32_t idx;
	gpointer v = g_hash_table_lookup(ds->ind_index, kbuf);
	if (v) {
		idx = GPOINTER_TO_UINT(v) - 1;
		ds->ind[idx].flags |= d->flags & TSG_IND_F_OFFICIAL;
	} else {
		if (!grow((void **)&ds->ind, &ds->capind, ds->nind + 1, sizeof *ds->ind))
			return false;
		tsgi_ds_ind *x = &ds->ind[ds->nind];
		x->kind = d->kind;
		x->value = g_string_chunk_insert(ds->strs, d->value);
		x->detail = intern(ds, d->detail);
		x->host = intern(ds, d->host);
		x->domain = intern(ds, d->domain);
		x->flags = d->flags;
		x->key = TSGI_NO_LABEL;
		idx = (uint32_t)ds->nind++;
		g_hash_table_insert(ds->ind_index, g_string_chunk_insert(ds->strs, kbuf),
		                    GUINT_TO_POINTER(idx + 1));
	}
	if (ds->nocc == ds->capocc) {
		size_t cap1 = ds->capocc, cap2 = ds->capocc, cap3 = ds->capocc;
		if (!grow((void **)&ds->occ_rep, &cap1, ds->nocc + 1,
		          sizeof *ds->occ_rep) ||
		    !grow((void **)&ds->occ_ind, &cap2, ds->nocc + 1,
		          sizeof *ds->occ_ind) ||
		    !grow((void **)&ds->occ_span, &cap3, ds->nocc + 1,
		          2 * sizeof *ds->occ_span))
			return false;
		ds->capocc = cap1 < cap2 ? cap1 : cap2;
		if (cap3 < ds->capocc)
			ds->capocc = cap3;
	}
	ds->occ_rep[ds->nocc] = r;
	ds->occ_ind[ds->nocc] = idx;
	bool span_ok = d->start >= 0 && d->end > d->start && d->end <= INT32_MAX;
	ds->occ_span[2 * ds->nocc] = span_ok ? (int32_t)d->start : -1;
	ds->occ_span[2 * ds->nocc + 1] = span_ok ? (int32_t)d->end : -1;
	ds->nocc++;
	ds->clustered = false;
	return true;
}

/* ---- loading ----------------------------------------------------------- */

struct load_ctx {
	tsgi_dataset *ds;
	bool oom;
};

static int load_report(void *ctx, const tsgi_sreport *r)
{
	struct load_ctx *l = ctx;
	if (tsgi_ds_add_report(l->ds, r) == TSGI_NO_LABEL) {
		l->oom = true;
		return 1;
	}
	return 0;
}

static int load_ind(void *ctx, long long seq, const tsgi_sind *d)
{
	struct load_ctx *l = ctx;
	if (!tsgi_ds_add_ind(l->ds, seq, d)) {
		l->oom = true;
		return 1;
	}
	return 0;
}

static int load_hub(void *ctx, const char *key)
{
	struct load_ctx *l = ctx;
	g_hash_table_add(l->ds->stored_hubs, (gpointer)intern(l->ds, key));
	return 0;
}

tsg_status tsgi_ds_load(tsgi_dataset *ds, tsgi_store *s, char *err,
                        size_t errlen)
{
	struct load_ctx l = {ds, false};
	tsg_status st = tsgi_store_each_report(s, 0, NULL, load_report, &l);
	if (st == TSG_OK && !l.oom)
		st = tsgi_store_each_indicator(s, load_ind, &l);
	if (st == TSG_OK && !l.oom)
		st = tsgi_store_each_hub(s, load_hub, &l);
	if (l.oom) {
		snprintf(err, errlen, "out of memory (or more than %u reports)",
		         TSG_MAX_STORE_REPORTS);
		return TSG_ENOMEM;
	}
	if (st != TSG_OK)
		snprintf(err, errlen, "%s", tsgi_store_errmsg(s));
	return st;
}

/* ---- clustering --------------------------------------------------------- */

void tsgi_campaign_id(const char *report_id, char out[24])
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(ck, (const guchar *)report_id, (gssize)strlen(report_id));
	snprintf(out, 24, "TSG-C-%.12s", g_checksum_get_string(ck));
	g_checksum_free(ck);
}

static uint32_t key_intern(tsgi_dataset *ds, const char *key, tsgi_link_class c)
{
	gpointer v = g_hash_table_lookup(ds->key_index, key);
	if (v)
		return GPOINTER_TO_UINT(v) - 1;
	size_t cap1 = ds->capkeys, cap2 = ds->capkeys, cap3 = ds->capkeys;
	if (!grow((void **)&ds->keys, &cap1, ds->nkeys + 1, sizeof *ds->keys) ||
	    !grow((void **)&ds->key_class, &cap2, ds->nkeys + 1, 1) ||
	    !grow((void **)&ds->key_hub, &cap3, ds->nkeys + 1, 1))
		return TSGI_NO_LABEL;
	ds->capkeys = cap1;
	const char *s = intern(ds, key);
	ds->keys[ds->nkeys] = s;
	ds->key_class[ds->nkeys] = (uint8_t)c;
	ds->key_hub[ds->nkeys] = 0;
	g_hash_table_insert(ds->key_index, (gpointer)s,
	                    GUINT_TO_POINTER(ds->nkeys + 1));
	return (uint32_t)ds->nkeys++;
}

static bool build_keys(tsgi_dataset *ds)
{
	char key[TSG_MAX_URL + 64];
	for (size_t i = 0; i < ds->nind; i++) {
		tsgi_ds_ind *x = &ds->ind[i];
		tsgi_sind d = {.kind = x->kind, .value = x->value, .detail = x->detail,
		               .host = x->host, .domain = x->domain, .flags = x->flags};
		tsgi_link_class c = tsgi_link_key(ds->hubs, ds->brands, &d, key, sizeof key);
		x->key = TSGI_NO_LABEL;
		if (c == TSGI_LINK_NONE)
			continue;
		x->key = key_intern(ds, key, c);
		if (x->key == TSGI_NO_LABEL)
			return false;
	}
	return true;
}

/* Groups occurrences by report (rocc, with rep[i].occ/nocc). */
static bool group_occ(tsgi_dataset *ds)
{
	free(ds->rocc);
	free(ds->rspan);
	ds->rocc = malloc((ds->nocc ? ds->nocc : 1) * sizeof *ds->rocc);
	ds->rspan = malloc((ds->nocc ? ds->nocc : 1) * 2 * sizeof *ds->rspan);
	if (!ds->rocc || !ds->rspan)
		return false;
	for (size_t i = 0; i < ds->nrep; i++)
		ds->rep[i].nocc = 0;
	for (size_t i = 0; i < ds->nocc; i++)
		ds->rep[ds->occ_rep[i]].nocc++;
	uint32_t at = 0;
	for (size_t i = 0; i < ds->nrep; i++) {
		ds->rep[i].occ = at;
		at += ds->rep[i].nocc;
		ds->rep[i].nocc = 0;
	}
	for (size_t i = 0; i < ds->nocc; i++) {
		tsgi_ds_report *r = &ds->rep[ds->occ_rep[i]];
		uint32_t at2 = r->occ + r->nocc++;
		ds->rocc[at2] = ds->occ_ind[i];
		ds->rspan[2 * at2] = ds->occ_span[2 * i];
		ds->rspan[2 * at2 + 1] = ds->occ_span[2 * i + 1];
	}
	return true;
}

static int nc_add(tsgi_named_count **v, size_t *n, const char *name, double by)
{
	if (!name)
		return 0;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].name, name)) {
			(*v)[i].n += by;
			return 0;
		}
	tsgi_named_count *nv = realloc(*v, (*n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	*v = nv;
	nv[*n] = (tsgi_named_count){name, by};
	(*n)++;
	return 0;
}

static int nc_cmp(const void *a, const void *b)
{
	const tsgi_named_count *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int camp_cmp(const void *a, const void *b)
{
	const tsgi_campaign *x = a, *y = b;
	if (x->nreps != y->nreps)
		return x->nreps > y->nreps ? -1 : 1;
	return strcmp(x->id, y->id);
}

typedef struct ind_sort {
	tsgi_camp_ind ci;
	const tsgi_ds_ind *x;
} ind_sort;

static int ind_cmp(const void *a, const void *b)
{
	const ind_sort *x = a, *y = b;
	if (x->ci.linked != y->ci.linked)
		return x->ci.linked ? -1 : 1;
	if (x->ci.count != y->ci.count)
		return x->ci.count > y->ci.count ? -1 : 1;
	if (x->x->kind != y->x->kind)
		return x->x->kind < y->x->kind ? -1 : 1;
	return strcmp(x->x->value, y->x->value);
}

static bool build_campaign(tsgi_dataset *ds, tsgi_campaign *c, uint32_t *slot,
                           uint32_t *stamp, uint32_t stampv, bool keep_prior)
{
	/* reps are sorted by time already (see below).  A campaign that
	 * holds reports of stored campaigns keeps the id of the oldest of
	 * them (incremental runs; after a merge the older id survives);
	 * otherwise the id is derived from its earliest report. */
	const tsgi_ds_report *first = &ds->rep[c->reps[0]];
	const char *keep = NULL;
	for (size_t i = 0; keep_prior && i < c->nreps && !keep; i++) {
		uint32_t l = ds->rep[c->reps[i]].prior;
		if (l != TSGI_NO_LABEL)
			keep = ds->labels[l];
	}
	if (keep && strlen(keep) < sizeof c->id)
		memcpy(c->id, keep, strlen(keep) + 1);
	else
		tsgi_campaign_id(first->id, c->id);
	c->first = first->t;
	c->last = ds->rep[c->reps[c->nreps - 1]].t;
	ind_sort *is = NULL;
	size_t nis = 0, capis = 0;
	for (size_t i = 0; i < c->nreps; i++) {
		const tsgi_ds_report *r = &ds->rep[c->reps[i]];
		if (r->brands) {
			const char *p = r->brands;
			while (*p) {
				const char *e = strchr(p, ',');
				size_t n = e ? (size_t)(e - p) : strlen(p);
				char b[128];
				if (n && n < sizeof b) {
					memcpy(b, p, n);
					b[n] = '\0';
					if (nc_add(&c->brands, &c->nbrands, intern(ds, b), 1))
						goto oom;
				}
				p += n + (e != NULL);
			}
		}
		if (nc_add(&c->channels, &c->nchannels, r->channel ? r->channel : "unknown",
		           1) ||
		    nc_add(&c->countries, &c->ncountries, r->country ? r->country : "??", 1))
			goto oom;
		if (r->has_loss && nc_add(&c->losses, &c->nlosses, r->currency, r->loss))
			goto oom;
		for (uint32_t j = r->occ; j < r->occ + r->nocc; j++) {
			uint32_t x = ds->rocc[j];
			if (stamp[x] != stampv) {
				stamp[x] = stampv;
				if (!grow((void **)&is, &capis, nis + 1, sizeof *is))
					goto oom;
				const tsgi_ds_ind *d = &ds->ind[x];
				bool linked = d->key != TSGI_NO_LABEL && !ds->key_hub[d->key];
				is[nis] = (ind_sort){{x, 0, r->t, r->t, linked}, d};
				slot[x] = (uint32_t)nis++;
			}
			ind_sort *e = &is[slot[x]];
			/* A report naming an indicator twice counts once: the
			 * occurrence list may repeat (kind,value) only through
			 * duplicate adds, which the extractor never makes. */
			e->ci.count++;
			if (r->t < e->ci.first)
				e->ci.first = r->t;
			if (r->t > e->ci.last)
				e->ci.last = r->t;
		}
	}
	if (nis)
		qsort(is, nis, sizeof *is, ind_cmp);
	c->inds = malloc((nis ? nis : 1) * sizeof *c->inds);
	if (!c->inds)
		goto oom;
	for (size_t i = 0; i < nis; i++)
		c->inds[i] = is[i].ci;
	c->ninds = nis;
	free(is);
	if (c->nbrands)
		qsort(c->brands, c->nbrands, sizeof *c->brands, nc_cmp);
	if (c->nchannels)
		qsort(c->channels, c->nchannels, sizeof *c->channels, nc_cmp);
	if (c->ncountries)
		qsort(c->countries, c->ncountries, sizeof *c->countries, nc_cmp);
	if (c->nlosses)
		qsort(c->losses, c->nlosses, sizeof *c->losses, nc_cmp);
	return true;
oom:
	free(is);
	return false;
}

typedef struct rep_key {
	uint32_t root;
	uint32_t rep;
	long long t;
	const char *id;
} rep_key;

static int rep_key_cmp(const void *a, const void *b)
{
	const rep_key *x = a, *y = b;
	if (x->root != y->root)
		return x->root < y->root ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(x->id, y->id);
}

tsg_status tsgi_ds_cluster(tsgi_dataset *ds, bool rebuild,
                           tsgi_cluster_stats *stats)
{
	free_campaigns(ds);
	tsg_status st = TSG_ENOMEM;
	uint32_t *occ_key = NULL, *occ_rep = NULL, *root = NULL, *brand = NULL,
	         *prior = NULL, *slot = NULL, *stamp = NULL;
	long long *t = NULL;
	rep_key *rk = NULL;
	if (!build_keys(ds) || !group_occ(ds))
		goto out;
	for (size_t k = 0; k < ds->nkeys; k++)
		ds->key_hub[k] = !rebuild && g_hash_table_contains(ds->stored_hubs,
		                                                   ds->keys[k]);
	size_t n = ds->nrep;
	occ_key = malloc((ds->nocc ? ds->nocc : 1) * sizeof *occ_key);
	occ_rep = malloc((ds->nocc ? ds->nocc : 1) * sizeof *occ_rep);
	root = malloc((n ? n : 1) * sizeof *root);
	brand = malloc((n ? n : 1) * sizeof *brand);
	t = malloc((n ? n : 1) * sizeof *t);
	if (!occ_key || !occ_rep || !root || !brand || !t)
		goto out;
	size_t no = 0;
	for (size_t i = 0; i < ds->nocc; i++) {
		uint32_t k = ds->ind[ds->occ_ind[i]].key;
		if (k == TSGI_NO_LABEL)
			continue;
		occ_key[no] = k;
		occ_rep[no] = ds->occ_rep[i];
		no++;
	}
	bool any_prior = false;
	for (size_t i = 0; i < n; i++) {
		t[i] = ds->rep[i].t;
		brand[i] = ds->rep[i].brand;
		any_prior |= ds->rep[i].prior != TSGI_NO_LABEL;
	}
	if (!rebuild && any_prior) {
		prior = malloc((n ? n : 1) * sizeof *prior);
		if (!prior)
			goto out;
		for (size_t i = 0; i < n; i++)
			prior[i] = ds->rep[i].prior;
	}
	tsgi_cluster_in in = {
		.nrep = n,
		.t = t,
		.brand = brand,
		.prior = prior,
		.nocc = no,
		.occ_rep = occ_rep,
		.occ_key = occ_key,
		.nkeys = ds->nkeys,
		.key_class = ds->key_class,
		.key_str = ds->keys,
		.key_hub = ds->key_hub,
	};
	st = tsgi_cluster_run(&in, root, stats);
	if (st != TSG_OK)
		goto out;
	st = TSG_ENOMEM;
	/* Group by root, each group by time. */
	rk = malloc((n ? n : 1) * sizeof *rk);
	if (!rk)
		goto out;
	for (size_t i = 0; i < n; i++)
		rk[i] = (rep_key){root[i], (uint32_t)i, ds->rep[i].t, ds->rep[i].id};
	if (n)
		qsort(rk, n, sizeof *rk, rep_key_cmp);
	size_t ncamp = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || rk[i].root != rk[i - 1].root)
			ncamp++;
	ds->camp = calloc(ncamp ? ncamp : 1, sizeof *ds->camp);
	slot = malloc((ds->nind ? ds->nind : 1) * sizeof *slot);
	stamp = calloc(ds->nind ? ds->nind : 1, sizeof *stamp);
	if (!ds->camp || !slot || !stamp)
		goto out;
	ds->ncamp = ncamp;
	size_t ci = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && rk[j].root == rk[i].root)
			j++;
		tsgi_campaign *c = &ds->camp[ci];
		c->nreps = j - i;
		c->reps = malloc(c->nreps * sizeof *c->reps);
		if (!c->reps)
			goto out;
		for (size_t k = i; k < j; k++)
			c->reps[k - i] = rk[k].rep;
		if (!build_campaign(ds, c, slot, stamp, (uint32_t)ci + 1, prior != NULL))
			goto out;
		ci++;
		i = j;
	}
	if (ds->ncamp)
		qsort(ds->camp, ds->ncamp, sizeof *ds->camp, camp_cmp);
	for (size_t i = 0; i < ds->ncamp; i++)
		for (size_t k = 0; k < ds->camp[i].nreps; k++)
			ds->rep[ds->camp[i].reps[k]].camp = (uint32_t)i;
	ds->clustered = true;
	st = TSG_OK;
out:
	free(occ_key);
	free(occ_rep);
	free(root);
	free(brand);
	free(prior);
	free(t);
	free(rk);
	free(slot);
	free(stamp);
	if (st != TSG_OK)
		free_campaigns(ds);
	return st;
}

tsg_status tsgi_ds_save(tsgi_dataset *ds, tsgi_store *s, bool rebuild,
                        char *err, size_t errlen)
{
	if (!ds->clustered) {
		snprintf(err, errlen, "nothing clustered");
		return TSG_EINVAL;
	}
	tsgi_assign *a = malloc((ds->nrep ? ds->nrep : 1) * sizeof *a);
	const char **hubs = malloc((ds->nkeys ? ds->nkeys : 1) * sizeof *hubs);
	size_t na = 0, nh = 0;
	if (!a || !hubs) {
		free(a);
		free(hubs);
		snprintf(err, errlen, "out of memory");
		return TSG_ENOMEM;
	}
	for (size_t i = 0; i < ds->nrep; i++) {
		const tsgi_ds_report *r = &ds->rep[i];
		const char *cid = ds->camp[r->camp].id;
		if (!rebuild && r->prior != TSGI_NO_LABEL &&
		    !strcmp(ds->labels[r->prior], cid))
			continue;
		a[na++] = (tsgi_assign){r->seq, cid};
	}
	for (size_t k = 0; k < ds->nkeys; k++)
		if (ds->key_hub[k])
			hubs[nh++] = ds->keys[k];
	tsg_status st = tsgi_store_save_assign(s, a, na, rebuild, hubs, nh);
	if (st != TSG_OK)
		snprintf(err, errlen, "%s", tsgi_store_errmsg(s));
	free(a);
	free(hubs);
	return st;
}

size_t tsgi_ds_nreports(const tsgi_dataset *ds)
{
	return ds->nrep;
}

const tsgi_ds_report *tsgi_ds_report_at(const tsgi_dataset *ds, size_t i)
{
	return &ds->rep[i];
}

const tsgi_ds_ind *tsgi_ds_ind_at(const tsgi_dataset *ds, size_t i)
{
	return &ds->ind[i];
}

const uint32_t *tsgi_ds_report_inds(const tsgi_dataset *ds, size_t i,
                                    size_t *n)
{
	*n = ds->rocc ? ds->rep[i].nocc : 0;
	return ds->rocc ? ds->rocc + ds->rep[i].occ : NULL;
}

const int32_t *tsgi_ds_report_spans(const tsgi_dataset *ds, size_t i)
{
	return ds->rspan ? ds->rspan + 2 * (size_t)ds->rep[i].occ : NULL;
}

size_t tsgi_ds_ncampaigns(const tsgi_dataset *ds)
{
	return ds->ncamp;
}

const tsgi_campaign *tsgi_ds_campaign_at(const tsgi_dataset *ds, size_t i)
{
	return &ds->camp[i];
}

const tsgi_campaign *tsgi_ds_campaign_find(const tsgi_dataset *ds,
                                           const char *id)
{
	for (size_t i = 0; i < ds->ncamp; i++)
		if (!strcmp(ds->camp[i].id, id))
			return &ds->camp[i];
	return NULL;
}

const tsgi_brands *tsgi_ds_brands(const tsgi_dataset *ds)
{
	return ds->brands;
}

/* ---- output -------------------------------------------------------------- */

static void jw_counts(tsgi_jw *w, const char *key, const tsgi_named_count *v,
                      size_t n, bool amounts)
{
	tsgi_jw_key(w, key);
	tsgi_jw_obj(w);
	for (size_t i = 0; i < n; i++) {
		tsgi_jw_key(w, v[i].name);
		if (amounts)
			tsgi_jw_num(w, v[i].n);
		else
			tsgi_jw_int(w, (long long)v[i].n);
	}
	tsgi_jw_obj_end(w);
}

void tsgi_campaigns_json(const tsgi_dataset *ds, size_t min_reports, FILE *f)
{
	tsgi_buf b;
	tsgi_buf_init(&b, (size_t)1 << 34);
	tsgi_jw w;
	tsgi_jw_init(&w, &b, false);
	fputs("[", f);
	bool first = true;
	for (size_t i = 0; i < ds->ncamp; i++) {
		const tsgi_campaign *c = &ds->camp[i];
		if (c->nreps < min_reports)
			continue;
		tsgi_buf_reset(&b);
		tsgi_jw_init(&w, &b, false);
		char t1[32], t2[32];
		tsgi_format_time(c->first, t1, sizeof t1);
		tsgi_format_time(c->last, t2, sizeof t2);
		tsgi_jw_obj(&w);
		tsgi_jw_key(&w, "id");
		tsgi_jw_str(&w, c->id);
		tsgi_jw_key(&w, "report_count");
		tsgi_jw_int(&w, (long long)c->nreps);
		tsgi_jw_key(&w, "first_seen");
		tsgi_jw_str(&w, t1);
		tsgi_jw_key(&w, "last_seen");
		tsgi_jw_str(&w, t2);
		tsgi_jw_key(&w, "span_days");
		tsgi_jw_num(&w, (double)(c->last - c->first) / 86400.0);
		jw_counts(&w, "brands", c->brands, c->nbrands, false);
		jw_counts(&w, "channels", c->channels, c->nchannels, false);
		jw_counts(&w, "victim_countries", c->countries, c->ncountries, false);
		jw_counts(&w, "loss", c->losses, c->nlosses, true);
		tsgi_jw_key(&w, "indicators");
		tsgi_jw_arr(&w);
		for (size_t k = 0; k < c->ninds; k++) {
			const tsgi_camp_ind *ci = &c->inds[k];
			const tsgi_ds_ind *x = &ds->ind[ci->ind];
			tsgi_format_time(ci->first, t1, sizeof t1);
			tsgi_format_time(ci->last, t2, sizeof t2);
			tsgi_jw_obj(&w);
			tsgi_jw_key(&w, "kind");
			tsgi_jw_str(&w, tsg_indicator_kind_name((tsg_indicator_kind)x->kind));
			tsgi_jw_key(&w, "value");
			tsgi_jw_str(&w, x->value);
			if (x->detail) {
				tsgi_jw_key(&w, "detail");
				tsgi_jw_str(&w, x->detail);
			}
			tsgi_jw_key(&w, "count");
			tsgi_jw_int(&w, ci->count);
			tsgi_jw_key(&w, "first_seen");
			tsgi_jw_str(&w, t1);
			tsgi_jw_key(&w, "last_seen");
			tsgi_jw_str(&w, t2);
			tsgi_jw_key(&w, "links");
			tsgi_jw_bool(&w, ci->linked);
			if (x->flags & TSG_IND_F_OFFICIAL) {
				tsgi_jw_key(&w, "official");
				tsgi_jw_bool(&w, true);
			}
			tsgi_jw_obj_end(&w);
		}
		tsgi_jw_arr_end(&w);
		tsgi_jw_key(&w, "reports");
		tsgi_jw_arr(&w);
		for (size_t k = 0; k < c->nreps; k++)
			tsgi_jw_str(&w, ds->rep[c->reps[k]].id);
		tsgi_jw_arr_end(&w);
		tsgi_jw_obj_end(&w);
		fputs(first ? "\n" : ",\n", f);
		first = false;
		if (b.s)
			fwrite(b.s, 1, b.len, f);
	}
	fputs(first ? "]\n" : "\n]\n", f);
	tsgi_buf_free(&b);
}

void tsgi_campaigns_text(const tsgi_dataset *ds, size_t min_reports, FILE *f)
{
	size_t shown = 0;
	for (size_t i = 0; i < ds->ncamp; i++) {
		const tsgi_campaign *c = &ds->camp[i];
		if (c->nreps < min_reports)
			continue;
		char t1[32], t2[32];
		tsgi_format_time(c->first, t1, sizeof t1);
		tsgi_format_time(c->last, t2, sizeof t2);
		fprintf(f, "%s  %zu report%s  %.10s .. %.10s", c->id, c->nreps,
		        c->nreps == 1 ? "" : "s", t1, t2);
		if (c->nbrands)
			fprintf(f, "  brand %s", c->brands[0].name);
		for (size_t k = 0; k < c->nlosses && k < 3; k++)
			fprintf(f, "  %s %.2f", c->losses[k].name, c->losses[k].n);
		fputc('\n', f);
		size_t listed = 0;
		for (size_t k = 0; k < c->ninds && listed < 6; k++) {
			if (!c->inds[k].linked)
				continue;
			const tsgi_ds_ind *x = &ds->ind[c->inds[k].ind];
			fprintf(f, "    %-7s %s (%u)\n",
			        tsg_indicator_kind_name((tsg_indicator_kind)x->kind), x->value,
			        c->inds[k].count);
			listed++;
		}
		shown++;
	}
	fprintf(f, "%zu campaign%s", shown, shown == 1 ? "" : "s");
	if (min_reports > 1)
		fprintf(f, " with %zu or more reports", min_reports);
	fprintf(f, " (%zu reports)\n", ds->nrep);
}
