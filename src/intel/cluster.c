/*
 * cluster.c - the clustering core: reports -> campaigns.
 *
 * Reports are nodes; each link key (a phone number, a domain, a wallet...)
 * joins the reports that name it.  Four refinements make the groups match
 * call centers rather than coincidences (docs/store.md):
 *
 *  1. Time windows.  A key links two of its sightings only when no gap
 *     longer than its window (tsgi_link_window) separates them, so a
 *     number recycled months later by another operation starts a new
 *     chain.  Only time-adjacent sightings are joined; this makes the
 *     result independent of the order in which reports arrive, which is
 *     what lets `campaigns` run incrementally.
 *  2. Hubs.  Keys listed in data/hubs.json never get here (hubs.c).  For
 *     the rest, a key with many reports is tested: without it, do its
 *     reports fall into TSGI_HUB_PIECES or more separate groups of
 *     TSGI_HUB_PIECE+ reports, of which it names only a small share
 *     (coverage < TSGI_HUB_COVERAGE)?  A call center's own domain is named
 *     by most of its victims; a tutorial site or download page that every
 *     operation sends victims to is named by a few in each.  Hubs are
 *     dropped and the clustering is redone (at most TSGI_HUB_ROUNDS).
 *  3. Near-matches.  A report left alone whose only phone number is one
 *     digit off a known number joins that number's campaign only when
 *     other evidence agrees: the same impersonated brand, within the
 *     number's time window, and exactly one such campaign.
 *  4. Incremental runs.  With prior labels, reports of one stored
 *     campaign start joined, and only edges touching a new report are
 *     added.
 *
 * Cost: sorting the (key, time, report) triples, then near-linear
 * union-find; hub tests are bounded by TSGI_HUB_BUDGET report visits per
 * round.
 */
#include <stdlib.h>
#include <string.h>

#include "intel.h"
#include "union_find.h"

/* Share of a hub candidate's groups' reports that name it, below which it
 * is a hub. */
#define TSGI_HUB_COVERAGE 0.30

typedef struct occ3 {
	uint32_t key, rep;
	long long t;
} occ3;

typedef struct cctx {
	const tsgi_cluster_in *in;
	uint32_t *kstart, *kocc; /* reports per key, by (time, report)     */
	uint32_t *rstart, *rkey; /* keys per report                        */
	uint8_t *isnew;
	uint32_t *label_first;   /* first report of each prior label       */
	size_t nlabels;
	long long *kwin;
	tsgi_uf uf, luf;
	uint32_t *stamp_key, *stamp_root;
	uint32_t stamp;
	uint32_t *touched;
	size_t ntouched;
} cctx;

static int occ_cmp(const void *a, const void *b)
{
	const occ3 *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->rep != y->rep)
		return x->rep < y->rep ? -1 : 1;
	return 0;
}

static bool key_usable(const cctx *c, uint32_t k)
{
	return c->in->key_class[k] != TSGI_LINK_NONE && c->in->key_hub[k] == 0;
}

static size_t degree(const cctx *c, uint32_t k)
{
	return c->kstart[k + 1] - c->kstart[k];
}

/* Joins the time-adjacent sightings of key k in uf.  In an incremental
 * run only edges touching a new report are added (old ones are implied
 * by the prior labels).  `touch` records nodes for a later reset. */
static size_t link_key(cctx *c, tsgi_uf *uf, uint32_t k, bool touch)
{
	const long long *t = c->in->t;
	long long w = c->kwin[k];
	size_t joined = 0;
	for (uint32_t i = c->kstart[k]; i + 1 < c->kstart[k + 1]; i++) {
		uint32_t a = c->kocc[i], b = c->kocc[i + 1];
		if (w && t[b] - t[a] > w)
			continue;
		if (c->in->prior && !c->isnew[a] && !c->isnew[b])
			continue;
		if (touch) {
			c->touched[c->ntouched++] = a;
			c->touched[c->ntouched++] = b;
		}
		joined += tsgi_uf_union(uf, a, b);
	}
	return joined;
}

static void prior_unions(cctx *c, tsgi_uf *uf, const uint32_t *reps, size_t n)
{
	if (!c->in->prior)
		return;
	for (size_t i = 0; i < n; i++) {
		uint32_t r = reps ? reps[i] : (uint32_t)i;
		uint32_t l = c->in->prior[r];
		if (l != TSGI_NO_LABEL && l < c->nlabels && c->label_first[l] != r)
			tsgi_uf_union(uf, r, c->label_first[l]);
	}
}

static size_t build_global(cctx *c)
{
	size_t joined = 0;
	tsgi_uf_reset(&c->uf);
	prior_unions(c, &c->uf, NULL, c->in->nrep);
	for (uint32_t k = 0; k < c->in->nkeys; k++)
		if (key_usable(c, k))
			joined += link_key(c, &c->uf, k, false);
	return joined;
}

/* Leave-one-out test of key h inside its component (members: cm[0..n)).
 * Returns true when h is a hub.  *work counts report visits. */
static bool hub_test(cctx *c, uint32_t h, const uint32_t *cm, size_t n,
                     unsigned long long *work)
{
	c->ntouched = 0;
	if (++c->stamp == 0) {
		memset(c->stamp_key, 0, c->in->nkeys * sizeof *c->stamp_key);
		memset(c->stamp_root, 0, c->in->nrep * sizeof *c->stamp_root);
		c->stamp = 1;
	}
	prior_unions(c, &c->luf, cm, n);
	for (size_t i = 0; i < n; i++) {
		uint32_t r = cm[i];
		c->touched[c->ntouched++] = r;
		if (c->in->prior && c->in->prior[r] != TSGI_NO_LABEL &&
		    c->in->prior[r] < c->nlabels)
			c->touched[c->ntouched++] = c->label_first[c->in->prior[r]];
		for (uint32_t j = c->rstart[r]; j < c->rstart[r + 1]; j++) {
			uint32_t k = c->rkey[j];
			if (k == h || !key_usable(c, k) || c->stamp_key[k] == c->stamp)
				continue;
			c->stamp_key[k] = c->stamp;
			link_key(c, &c->luf, k, true);
			*work += degree(c, k);
		}
	}
	*work += n;
	/* Pieces among h's reports. */
	size_t pieces = 0, in_pieces = 0, named = 0;
	for (uint32_t i = c->kstart[h]; i < c->kstart[h + 1]; i++) {
		uint32_t r = c->kocc[i];
		uint32_t root = tsgi_uf_find(&c->luf, r);
		uint32_t sz = c->luf.size[root];
		if (sz < TSGI_HUB_PIECE)
			continue;
		named++;
		if (c->stamp_root[root] != c->stamp) {
			c->stamp_root[root] = c->stamp;
			pieces++;
			in_pieces += sz;
		}
	}
	for (size_t i = 0; i < c->ntouched; i++) {
		uint32_t r = c->touched[i];
		c->luf.parent[r] = r;
		c->luf.size[r] = 1;
	}
	for (uint32_t i = c->kstart[h]; i < c->kstart[h + 1]; i++) {
		uint32_t r = c->kocc[i];
		c->luf.parent[r] = r;
		c->luf.size[r] = 1;
	}
	return pieces >= TSGI_HUB_PIECES &&
	       (double)named < TSGI_HUB_COVERAGE * (double)in_pieces;
}

typedef struct cand {
	uint32_t key;
	uint32_t deg;
	uint32_t root; /* the largest group the key's reports are in */
	const char *str;
} cand;

static int cand_cmp(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->deg != y->deg)
		return x->deg > y->deg ? -1 : 1;
	return strcmp(x->str, y->str);
}

/* One round of hub detection; returns the number of new hubs. */
static size_t hub_round(cctx *c, tsgi_cluster_stats *st, bool *oom)
{
	size_t nrep = c->in->nrep, found = 0;
	uint32_t *cstart = calloc(nrep + 1, sizeof *cstart);
	uint32_t *cmem = malloc((nrep ? nrep : 1) * sizeof *cmem);
	uint32_t *root = malloc((nrep ? nrep : 1) * sizeof *root);
	cand *cs = malloc((c->in->nkeys ? c->in->nkeys : 1) * sizeof *cs);
	size_t ncs = 0;
	if (!cstart || !cmem || !root || !cs) {
		*oom = true;
		goto out;
	}
	for (uint32_t r = 0; r < nrep; r++) {
		root[r] = tsgi_uf_find(&c->uf, r);
		cstart[root[r] + 1]++;
	}
	for (size_t i = 0; i < nrep; i++)
		cstart[i + 1] += cstart[i];
	{
		uint32_t *fill = malloc((nrep ? nrep : 1) * sizeof *fill);
		if (!fill) {
			*oom = true;
			goto out;
		}
		memcpy(fill, cstart, nrep * sizeof *fill);
		for (uint32_t r = 0; r < nrep; r++)
			cmem[fill[root[r]]++] = r;
		free(fill);
	}
	for (uint32_t k = 0; k < c->in->nkeys; k++) {
		if (!key_usable(c, k) || degree(c, k) < TSGI_HUB_MIN_DEGREE)
			continue;
		/* A key may span several groups (time windows, or an
		 * incremental run); test it in the largest. */
		uint32_t r0 = root[c->kocc[c->kstart[k]]];
		size_t csize = cstart[r0 + 1] - cstart[r0];
		for (uint32_t i = c->kstart[k] + 1; i < c->kstart[k + 1]; i++) {
			uint32_t ri = root[c->kocc[i]];
			size_t si = cstart[ri + 1] - cstart[ri];
			if (si > csize || (si == csize && ri < r0)) {
				r0 = ri;
				csize = si;
			}
		}
		if (csize < TSGI_HUB_PIECES * TSGI_HUB_PIECE ||
		    csize <= degree(c, k))
			continue;
		cs[ncs++] = (cand){k, (uint32_t)degree(c, k), r0, c->in->key_str[k]};
	}
	if (ncs)
		qsort(cs, ncs, sizeof *cs, cand_cmp);
	unsigned long long work = 0;
	for (size_t i = 0; i < ncs && work < TSGI_HUB_BUDGET; i++) {
		uint32_t k = cs[i].key;
		uint32_t r0 = cs[i].root;
		st->hub_tests++;
		if (hub_test(c, k, cmem + cstart[r0], cstart[r0 + 1] - cstart[r0],
		             &work)) {
			c->in->key_hub[k] = 2;
			found++;
		}
	}
out:
	free(cstart);
	free(cmem);
	free(root);
	free(cs);
	return found;
}

/* ---- near-matches ------------------------------------------------------ */

static uint64_t variant_hash(const char *s, size_t skip)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)skip;
	for (size_t i = 0; s[i]; i++) {
		h ^= i == skip ? (unsigned char)'?' : (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

typedef struct vent {
	uint64_t h;
	uint32_t key;
} vent;

static int vent_cmp(const void *a, const void *b)
{
	const vent *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* First entry whose hash is >= h. */
static size_t lower_bound(const vent *v, size_t nv, uint64_t h)
{
	size_t a = 0, b = nv;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (v[m].h < h)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

static bool one_off(const char *a, const char *b)
{
	size_t diff = 0, i = 0;
	for (; a[i] && b[i]; i++)
		diff += a[i] != b[i];
	return !a[i] && !b[i] && diff == 1;
}

static size_t near_matches(cctx *c, bool *oom)
{
	const tsgi_cluster_in *in = c->in;
	size_t nv = 0, cap = 0, joined = 0;
	vent *v = NULL;
	for (uint32_t k = 0; k < in->nkeys; k++) {
		if (in->key_class[k] != TSGI_LINK_PHONE || in->key_hub[k] ||
		    degree(c, k) < 2)
			continue;
		const char *s = in->key_str[k];
		size_t len = strlen(s);
		for (size_t i = 6; i < len; i++) { /* after "phone:" */
			if (nv == cap) {
				size_t ncap = cap ? cap * 2 : 1024;
				vent *nvv = realloc(v, ncap * sizeof *v);
				if (!nvv) {
					*oom = true;
					free(v);
					return 0;
				}
				v = nvv;
				cap = ncap;
			}
			v[nv++] = (vent){variant_hash(s, i), k};
		}
	}
	if (!nv) {
		free(v);
		return 0;
	}
	qsort(v, nv, sizeof *v, vent_cmp);
	uint32_t picked_root = 0, picked_rep = 0;
	for (uint32_t r = 0; r < in->nrep; r++) {
		if (in->prior && !c->isnew[r])
			continue;
		if (tsgi_uf_size(&c->uf, r) != 1 || in->brand[r] == 0)
			continue;
		size_t nroots = 0;
		for (uint32_t j = c->rstart[r]; j < c->rstart[r + 1] && nroots < 2; j++) {
			uint32_t k = c->rkey[j];
			if (in->key_class[k] != TSGI_LINK_PHONE || degree(c, k) != 1)
				continue;
			const char *s = in->key_str[k];
			size_t len = strlen(s);
			for (size_t i = 6; i < len && nroots < 2; i++) {
				vent probe = {variant_hash(s, i), 0};
				size_t at = lower_bound(v, nv, probe.h);
				for (; at < nv && v[at].h == probe.h && nroots < 2; at++) {
					uint32_t q = v[at].key;
					if (!one_off(s + 6, in->key_str[q] + 6))
						continue;
					long long w = c->kwin[q];
					/* Corroboration: a sighting of q within the window
					 * from a report claiming the same brand. */
					for (uint32_t o = c->kstart[q]; o < c->kstart[q + 1]; o++) {
						uint32_t x = c->kocc[o];
						long long dt = in->t[x] - in->t[r];
						if (dt < 0)
							dt = -dt;
						if ((w && dt > w) || in->brand[x] != in->brand[r])
							continue;
						uint32_t root = tsgi_uf_find(&c->uf, x);
						if (nroots == 0) {
							picked_root = root;
							picked_rep = x;
							nroots = 1;
						} else if (root != picked_root) {
							nroots = 2;
						}
						break;
					}
				}
			}
		}
		if (nroots == 1) {
			tsgi_uf_union(&c->uf, r, picked_rep);
			joined++;
		}
	}
	free(v);
	return joined;
}

/* ---- driver ------------------------------------------------------------ */

static void cctx_free(cctx *c)
{
	free(c->kstart);
	free(c->kocc);
	free(c->rstart);
	free(c->rkey);
	free(c->isnew);
	free(c->label_first);
	free(c->kwin);
	free(c->stamp_key);
	free(c->stamp_root);
	free(c->touched);
	tsgi_uf_free(&c->uf);
	tsgi_uf_free(&c->luf);
}

tsg_status tsgi_cluster_run(const tsgi_cluster_in *in, uint32_t *rootv,
                            tsgi_cluster_stats *stats)
{
	tsgi_cluster_stats dummy;
	tsgi_cluster_stats *st = stats ? stats : &dummy;
	memset(st, 0, sizeof *st);
	cctx c = {.in = in};
	size_t nrep = in->nrep, nkeys = in->nkeys;
	tsg_status ret = TSG_ENOMEM;
	occ3 *o = malloc((in->nocc ? in->nocc : 1) * sizeof *o);
	if (!o)
		return TSG_ENOMEM;
	size_t no = 0;
	for (size_t i = 0; i < in->nocc; i++) {
		uint32_t k = in->occ_key[i], r = in->occ_rep[i];
		if (k >= nkeys || r >= nrep || in->key_class[k] == TSGI_LINK_NONE)
			continue;
		o[no++] = (occ3){k, r, in->t[r]};
	}
	if (no)
		qsort(o, no, sizeof *o, occ_cmp);
	/* Drop a report naming the same key twice. */
	size_t nd = 0;
	for (size_t i = 0; i < no; i++)
		if (nd == 0 || o[nd - 1].key != o[i].key || o[nd - 1].rep != o[i].rep)
			o[nd++] = o[i];
	c.kstart = calloc(nkeys + 1, sizeof *c.kstart);
	c.kocc = malloc((nd ? nd : 1) * sizeof *c.kocc);
	c.rstart = calloc(nrep + 1, sizeof *c.rstart);
	c.rkey = malloc((nd ? nd : 1) * sizeof *c.rkey);
	c.isnew = malloc(nrep ? nrep : 1);
	c.kwin = malloc((nkeys ? nkeys : 1) * sizeof *c.kwin);
	c.stamp_key = calloc(nkeys ? nkeys : 1, sizeof *c.stamp_key);
	c.stamp_root = calloc(nrep ? nrep : 1, sizeof *c.stamp_root);
	c.touched = malloc((2 * nd + 2 * nrep + 2) * sizeof *c.touched);
	if (!c.kstart || !c.kocc || !c.rstart || !c.rkey || !c.isnew || !c.kwin ||
	    !c.stamp_key || !c.stamp_root || !c.touched ||
	    !tsgi_uf_init(&c.uf, nrep) || !tsgi_uf_init(&c.luf, nrep))
		goto out;
	for (size_t i = 0; i < nd; i++) {
		c.kstart[o[i].key + 1]++;
		c.rstart[o[i].rep + 1]++;
		c.kocc[i] = o[i].rep; /* already grouped by key in order */
	}
	for (size_t k = 0; k < nkeys; k++)
		c.kstart[k + 1] += c.kstart[k];
	for (size_t r = 0; r < nrep; r++)
		c.rstart[r + 1] += c.rstart[r];
	{
		uint32_t *fill = malloc((nrep ? nrep : 1) * sizeof *fill);
		if (!fill)
			goto out;
		memcpy(fill, c.rstart, nrep * sizeof *fill);
		for (size_t i = 0; i < nd; i++)
			c.rkey[fill[o[i].rep]++] = o[i].key;
		free(fill);
	}
	free(o);
	o = NULL;
	for (size_t k = 0; k < nkeys; k++)
		c.kwin[k] = tsgi_link_window((tsgi_link_class)in->key_class[k]);
	for (size_t r = 0; r < nrep; r++)
		c.isnew[r] = !in->prior || in->prior[r] == TSGI_NO_LABEL;
	if (in->prior) {
		uint32_t maxl = 0;
		for (size_t r = 0; r < nrep; r++)
			if (in->prior[r] != TSGI_NO_LABEL && in->prior[r] + 1 > maxl)
				maxl = in->prior[r] + 1;
		c.nlabels = maxl;
		c.label_first = malloc((maxl ? maxl : 1) * sizeof *c.label_first);
		if (!c.label_first)
			goto out;
		for (size_t l = 0; l < maxl; l++)
			c.label_first[l] = TSGI_NO_LABEL;
		for (size_t r = 0; r < nrep; r++)
			if (in->prior[r] != TSGI_NO_LABEL &&
			    c.label_first[in->prior[r]] == TSGI_NO_LABEL)
				c.label_first[in->prior[r]] = (uint32_t)r;
	}
	bool oom = false;
	for (int round = 0; round < TSGI_HUB_ROUNDS; round++) {
		st->rounds++;
		st->edges = build_global(&c);
		size_t found = hub_round(&c, st, &oom);
		if (oom)
			goto out;
		st->hubs_found += found;
		if (!found)
			break;
		if (round + 1 == TSGI_HUB_ROUNDS)
			st->edges = build_global(&c);
	}
	st->near_joined = near_matches(&c, &oom);
	if (oom)
		goto out;
	for (uint32_t r = 0; r < nrep; r++)
		rootv[r] = tsgi_uf_find(&c.uf, r);
	ret = TSG_OK;
out:
	free(o);
	cctx_free(&c);
	return ret;
}
