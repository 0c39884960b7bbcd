/*
 * train.c - from labelled JSONL to a model (see train.h).
 *
 * Each record goes once through the engine's pipeline (channel, normalise,
 * indicators, rules, policy) and becomes a sparse vector, aggregated in a
 * dense scratch array so that no per-record sort is needed.  Everything
 * after that works on the vectors in memory.
 */
#include "train.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/engine_int.h"
#include "../core/scan_int.h"
#include "dataset.h"
#include "model_int.h"
#include "tsguard_limits.h"

void tsgi_train_defaults(tsgi_train_opts *o)
{
	memset(o, 0, sizeof *o);
	o->fp = (tsgi_feat_params){
		.bits = 17, .seed = 1, .cmin = 3, .cmax = 4, .max_text = 12000};
	o->ftrl = (tsgi_ftrl_params){
		.alpha = 0.1, .beta = 1.0, .l1 = 1.0, .l2 = 1.0, .epochs = 3,
		.seed = 1};
	o->scam_share = 0.5;
	o->spam_weight = 0.5;
	o->folds = 5;
	o->t_scam = 0.7;
}

static uint64_t hash64(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	h ^= 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

/* ---- reading the corpus ------------------------------------------------ */

typedef struct sample {
	char *id;
	tsgi_label label;
	uint64_t group;
	double rule_score;
	tsg_channel channel;
	bool applied; /* in model.channels and model.languages: counts in the fusion */
} sample;

struct reader {
	const tsgi_train_opts *o;
	tsg_scan *scan;
	bool features;       /* false: hashes only (exclude files)          */
	GHashTable *exclude; /* text hash -> 1                              */
	GHashTable *seen;    /* text hash -> 1, train                       */
	size_t leaked, dups, failed;
	/* samples and their vectors */
	sample *s;
	tsgi_sparse_set d;
	size_t scap, fcap, nfeat;
	/* dense aggregation scratch */
	float *acc;
	uint32_t *touched;
	size_t ntouched, tcap;
	double ns_val[TSGI_NS__COUNT];
	bool oom;
};

static void agg_fn(void *ctx, const tsgi_feat *f)
{
	struct reader *r = ctx;
	if (r->acc[f->idx] == 0.0f) {
		if (r->ntouched == r->tcap) {
			size_t nc = r->tcap ? r->tcap * 2 : 4096;
			uint32_t *nt = realloc(r->touched, nc * sizeof *nt);
			if (!nt) {
				r->oom = true;
				return;
			}
			r->touched = nt;
			r->tcap = nc;
		}
		r->touched[r->ntouched++] = f->idx;
	}
	r->acc[f->idx] += (float)r->ns_val[f->ns];
	if (r->acc[f->idx] == 0.0f) /* cannot happen with positive values */
		r->acc[f->idx] = 1e-30f;
}

static void count_fn(void *ctx, const tsgi_feat *f)
{
	(void)ctx;
	(void)f;
}

static bool add_sample(struct reader *r, const tsgi_labelled *L, double score,
                       tsgi_model_in *min)
{
	const tsgi_train_opts *o = r->o;
	size_t counts[TSGI_NS__COUNT];
	tsgi_features_each(&o->fp, min, count_fn, NULL, counts);
	for (int ns = 0; ns < TSGI_NS__COUNT; ns++)
		r->ns_val[ns] = tsgi_feat_value((tsgi_ns)ns, counts);
	r->ntouched = 0;
	tsgi_features_each(&o->fp, min, agg_fn, r, counts);
	if (r->oom)
		return false;
	size_t i = r->d.n;
	if (i == r->scap) {
		size_t nc = r->scap ? r->scap * 2 : 1024;
		void *p;
		if (!(p = realloc(r->s, nc * sizeof *r->s)))
			return false;
		r->s = p;
		if (!(p = realloc(r->d.off, nc * sizeof *r->d.off)))
			return false;
		r->d.off = p;
		if (!(p = realloc(r->d.len, nc * sizeof *r->d.len)))
			return false;
		r->d.len = p;
		if (!(p = realloc(r->d.y, nc * sizeof *r->d.y)))
			return false;
		r->d.y = p;
		if (!(p = realloc(r->d.sw, nc * sizeof *r->d.sw)))
			return false;
		r->d.sw = p;
		r->scap = nc;
	}
	if (r->nfeat + r->ntouched > r->fcap) {
		size_t nc = r->fcap ? r->fcap : 1u << 16;
		while (nc < r->nfeat + r->ntouched)
			nc *= 2;
		void *p;
		if (!(p = realloc(r->d.idx, nc * sizeof *r->d.idx)))
			return false;
		r->d.idx = p;
		if (!(p = realloc(r->d.val, nc * sizeof *r->d.val)))
			return false;
		r->d.val = p;
		r->fcap = nc;
	}
	r->d.off[i] = r->nfeat;
	r->d.len[i] = (uint32_t)r->ntouched;
	for (size_t k = 0; k < r->ntouched; k++) {
		uint32_t ix = r->touched[k];
		r->d.idx[r->nfeat + k] = ix;
		r->d.val[r->nfeat + k] = r->acc[ix];
		r->acc[ix] = 0.0f;
	}
	r->nfeat += r->ntouched;
	r->d.y[i] = L->label == TSGI_LABEL_SCAM;
	r->d.sw[i] = 1.0f; /* set once the class totals are known */
	const char *g = L->group ? L->group : L->rec.id ? L->rec.id : "";
	r->s[i] = (sample){
		.id = strdup(L->rec.id ? L->rec.id : "?"),
		.label = L->label,
		.group = hash64(g, strlen(g), 7),
		.rule_score = score,
		.channel = min->doc->channel,
		.applied = tsgi_model_channel_listed(
				   tsgi_config_str(min->engine->config, "model.channels",
			                       NULL),
				   min->doc->channel) &&
			       tsgi_model_lang_listed(
				   tsgi_config_str(min->engine->config, "model.languages",
			                       NULL),
				   min->lang),
	};
	r->d.n++;
	return r->s[i].id != NULL;
}

static int read_fn(void *ctx, const tsgi_labelled *L)
{
	struct reader *r = ctx;
	const tsg_verdict *v;
	if (tsg_scan_run(r->scan, &L->rec.in, &v) != TSG_OK) {
		if (r->o->log)
			fprintf(r->o->log, "%s:%zu: %s: %s, skipped\n", L->file, L->lineno,
			        L->rec.id ? L->rec.id : "?", tsg_scan_errmsg(r->scan));
		r->failed++;
		return 0;
	}
	tsg_scan *s = r->scan;
	uint64_t h = hash64(s->text.s, s->text.len, 0);
	gpointer key = GSIZE_TO_POINTER((gsize)h | 1u);
	if (!r->features) {
		g_hash_table_add(r->exclude, key);
		return 0;
	}
	if (r->exclude && g_hash_table_contains(r->exclude, key)) {
		if (r->o->log && r->leaked < 20)
			fprintf(r->o->log,
			        "leakage guard: %s (%s:%zu) has the same normalised text "
			        "as a test record, dropped from train\n",
			        L->rec.id ? L->rec.id : "?", L->file, L->lineno);
		r->leaked++;
		return 0;
	}
	if (g_hash_table_contains(r->seen, key)) {
		r->dups++;
		return 0;
	}
	g_hash_table_add(r->seen, key);
	tsgi_model_in min = {
		.engine = s->e,
		.rules = s->e->rules,
		.doc = &s->doc,
		.text = &s->text,
		.hits = s->hits,
		.nhits = s->nhits,
		.ind = s->ind,
		.nind = s->nind_text, /* as the scan does: not link targets */
		.lang = s->lang,
		.arena = s->a,
	};
	if (!add_sample(r, L, v->score, &min)) {
		r->oom = true;
		return 1;
	}
	return 0;
}

static void reader_free(struct reader *r)
{
	for (size_t i = 0; i < r->d.n; i++)
		free(r->s[i].id);
	free(r->s);
	free(r->d.idx);
	free(r->d.val);
	free(r->d.off);
	free(r->d.len);
	free(r->d.y);
	free(r->d.sw);
	free(r->acc);
	free(r->touched);
	if (r->exclude)
		g_hash_table_destroy(r->exclude);
	if (r->seen)
		g_hash_table_destroy(r->seen);
	tsg_scan_free(r->scan);
}

/* ---- out-of-fold logits and the fusion --------------------------------- */

static double auc_of(const double *score, const uint8_t *pos, const bool *use,
                     size_t n);

static bool fit_fusion(const struct reader *r, const tsgi_train_opts *o,
                       const double *z, struct tsgi_model *m)
{
	size_t n = r->d.n;
	double *x = malloc(n * 3 * sizeof *x);
	double *sw = malloc(n * sizeof *sw);
	if (!x || !sw) {
		free(x);
		free(sw);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		x[i * 3] = z[i];
		x[i * 3 + 1] = r->s[i].rule_score;
		x[i * 3 + 2] = 1.0;
		/* Only where the model will be applied (model.channels). */
		sw[i] = r->s[i].applied ? r->d.sw[i] : 0.0;
	}
	double beta[3];
	bool ok = tsgi_logreg_dense(x, r->d.y, sw, n, 3, 1e-3, beta);
	/* The fit is ill-posed when the out-of-fold logits alone separate
	 * the classes: then a handful of records decide b, which can come out
	 * negative (rules lowering the score).  Such a fit is not used; the
	 * shipped data/tsguard.conf sets model.fusion.* anyway (chosen by
	 * scripts/cv-model.py), and these values only serve without them. */
	if (!ok || !isfinite(beta[0]) || !isfinite(beta[1]) ||
	    !isfinite(beta[2]) || beta[0] <= 0 || beta[1] < 0) {
		beta[0] = 2.0;
		beta[1] = 8.0;
		beta[2] = 0.0;
		if (o->log)
			fprintf(o->log, "fusion fit unusable (did not converge, or a "
			                "negative weight); using a=2 b=8 c=0\n");
	}
	m->fuse_a = beta[0];
	m->fuse_b = beta[1];
	m->fuse_c = beta[2];
	free(x);
	free(sw);
	return true;
}

/* Mann-Whitney AUC of scam against ham among used examples. */
static int cmp_pair(const void *a, const void *b)
{
	const double *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static double auc_of(const double *score, const uint8_t *pos, const bool *use,
                     size_t n)
{
	double *p = malloc(n * 2 * sizeof *p);
	if (!p)
		return NAN;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (use[i]) {
			p[m * 2] = score[i];
			p[m * 2 + 1] = pos[i];
			m++;
		}
	qsort(p, m, 2 * sizeof *p, cmp_pair);
	double rank_sum = 0, npos = 0;
	for (size_t i = 0; i < m;) {
		size_t j = i;
		while (j < m && p[j * 2] == p[i * 2])
			j++;
		double mid = (double)(i + j + 1) / 2.0; /* ranks from 1 */
		for (size_t k = i; k < j; k++)
			if (p[k * 2 + 1] > 0) {
				rank_sum += mid;
				npos++;
			}
		i = j;
	}
	double nneg = (double)m - npos;
	free(p);
	if (npos == 0 || nneg == 0)
		return NAN;
	return (rank_sum - npos * (npos + 1) / 2) / (npos * nneg);
}

/* ---- the whole run ----------------------------------------------------- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

tsg_status tsgi_train(tsg_engine *e, const tsgi_train_opts *o,
                      struct tsgi_model **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!e || e->status != TSG_OK || e->model) {
		snprintf(err, errlen, "training needs a working engine without a "
		                      "model");
		return TSG_EINVAL;
	}
	const tsgi_feat_params *fp = &o->fp;
	if (fp->bits < TSG_MODEL_MIN_BITS || fp->bits > TSG_MODEL_MAX_BITS ||
	    fp->cmin < 1 || fp->cmax > 8 || fp->cmin > fp->cmax ||
	    fp->max_text > TSG_MAX_MODEL_TEXT || o->nfiles == 0 ||
	    o->ftrl.epochs < 1 || o->ftrl.alpha <= 0 || o->spam_weight < 0 ||
	    o->scam_weight < 0 || o->scam_share < 0) {
		snprintf(err, errlen, "invalid training options");
		return TSG_EINVAL;
	}
	double t0 = now();
	tsg_status st = TSG_OK;
	struct tsgi_model *m = NULL;
	double *z = NULL;
	bool *use = NULL;
	float *w = NULL;
	struct reader r = {.o = o};
	r.scan = tsg_scan_new(e);
	r.seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	r.acc = calloc((size_t)1 << fp->bits, sizeof *r.acc);
	if (!r.scan || !r.acc) {
		st = TSG_ENOMEM;
		goto oom;
	}
	size_t skipped = 0;
	if (o->nexclude) {
		r.exclude = g_hash_table_new(g_direct_hash, g_direct_equal);
		for (size_t i = 0; i < o->nexclude && st == TSG_OK; i++)
			st = tsgi_jsonl_each(o->exclude[i], read_fn, &r, o->log, &skipped,
			                     err, errlen);
		if (st != TSG_OK)
			goto out;
	}
	r.features = true;
	for (size_t i = 0; i < o->nfiles && st == TSG_OK; i++)
		st = tsgi_jsonl_each(o->files[i], read_fn, &r, o->log, &skipped, err,
		                     errlen);
	if (st != TSG_OK)
		goto out;
	if (r.oom) {
		st = TSG_ENOMEM;
		goto oom;
	}
	size_t n = r.d.n, nscam = 0, nham = 0, nspam = 0;
	for (size_t i = 0; i < n; i++) {
		nscam += r.s[i].label == TSGI_LABEL_SCAM;
		nham += r.s[i].label == TSGI_LABEL_HAM;
		nspam += r.s[i].label == TSGI_LABEL_SPAM;
	}
	double neg = (double)nham + o->spam_weight * (double)nspam;
	if (nscam == 0 || neg <= 0) {
		snprintf(err, errlen, "training needs scam and ham examples (have %zu "
		                      "scam, %zu ham, %zu spam)",
		         nscam, nham, nspam);
		st = TSG_EINVAL;
		goto out;
	}
	double wscam = o->scam_weight > 0 ? o->scam_weight
	                                  : o->scam_share * neg / (double)nscam;
	if (wscam < 1.0)
		wscam = 1.0;
	for (size_t i = 0; i < n; i++)
		r.d.sw[i] = r.s[i].label == TSGI_LABEL_SCAM   ? (float)wscam
		            : r.s[i].label == TSGI_LABEL_SPAM ? (float)o->spam_weight
		                                              : 1.0f;
	double t1 = now();
	if (o->log)
		fprintf(o->log,
		        "read %zu records in %.1fs: %zu scam, %zu ham, %zu spam; "
		        "dropped %zu duplicated in test (leakage guard), %zu repeated "
		        "in train, %zu unreadable; %zu features stored\n",
		        n + r.leaked + r.dups, t1 - t0, nscam, nham, nspam, r.leaked,
		        r.dups, skipped + r.failed, r.nfeat);

	m = tsgi_model_new(fp);
	z = malloc(n * sizeof *z);
	use = malloc(n * sizeof *use);
	w = malloc(((size_t)1 << fp->bits) * sizeof *w);
	if (!m || !z || !use || !w) {
		st = TSG_ENOMEM;
		goto oom;
	}

	/* Out-of-fold logits. */
	unsigned K = o->folds >= 2 ? o->folds : 1;
	for (unsigned k = 0; k < K; k++) {
		double b = 0;
		for (size_t i = 0; i < n; i++)
			use[i] = K == 1 || r.s[i].group % K != k;
		if (!tsgi_ftrl_train(&r.d, use, &o->ftrl, fp->bits, w, &b)) {
			st = TSG_ENOMEM;
			goto oom;
		}
		for (size_t i = 0; i < n; i++)
			if (!use[i] || K == 1)
				z[i] = tsgi_sparse_logit(&r.d, i, w, b);
	}
	if (!fit_fusion(&r, o, z, m)) {
		st = TSG_ENOMEM;
		goto oom;
	}
	if (o->log) {
		uint8_t *pos = r.d.y;
		for (size_t i = 0; i < n; i++)
			use[i] = r.s[i].label != TSGI_LABEL_SPAM && r.s[i].applied;
		double *fs = malloc(n * sizeof *fs);
		if (fs) {
			size_t tp = 0, fn = 0, fpos = 0, nh = 0;
			for (size_t i = 0; i < n; i++) {
				fs[i] = tsgi_model_fuse(m, z[i], r.s[i].rule_score);
				if (!r.s[i].applied)
					continue;
				if (r.s[i].label == TSGI_LABEL_SCAM)
					{
					tp += fs[i] >= o->t_scam;
					fn += fs[i] < o->t_scam;
				}
				else if (r.s[i].label == TSGI_LABEL_HAM) {
					nh++;
					fpos += fs[i] >= o->t_scam;
				}
			}
			fprintf(o->log,
			        "out-of-fold (%u folds by group, channels in "
			        "model.channels): model AUC %.4f, fused AUC "
			        "%.4f; at %.2f: scam recall %.3f (%zu/%zu), ham FPR %.4f%% "
			        "(%zu/%zu)\n",
			        K, auc_of(z, pos, use, n), auc_of(fs, pos, use, n),
			        o->t_scam, tp + fn ? (double)tp / (double)(tp + fn) : 0.0, tp,
			        tp + fn, nh ? 100.0 * (double)fpos / (double)nh : 0.0, fpos,
			        nh);
			fprintf(o->log, "fusion: score = sigmoid(%.4f*z + %.4f*rules + "
			                "%.4f)\n",
			        m->fuse_a, m->fuse_b, m->fuse_c);
			free(fs);
		}
	}

	/* The shipped weights: all of train, quantised. */
	if (!tsgi_ftrl_train(&r.d, NULL, &o->ftrl, fp->bits, w, &m->bias)) {
		st = TSG_ENOMEM;
		goto oom;
	}
	size_t nnz = tsgi_model_set_weights(m, w);
	if (nnz == SIZE_MAX) {
		snprintf(err, errlen, "training diverged: a weight is not finite");
		st = TSG_EINVAL;
		goto out;
	}
	char info[TSG_MAX_MODEL_INFO];
	int k = snprintf(info, sizeof info,
	                 "tsguard %s; trained on %zu records (%zu scam, %zu ham, "
	                 "%zu spam at weight %g; scam weight %.3g) from",
	                 TSG_VERSION_STRING, n, nscam, nham, nspam, o->spam_weight,
	                 wscam);
	for (size_t i = 0; i < o->nfiles && k > 0 && (size_t)k < sizeof info; i++)
		k += snprintf(info + k, sizeof info - (size_t)k, " %s",
		              base_name(o->files[i]));
	if (k > 0 && (size_t)k < sizeof info)
		k += snprintf(info + k, sizeof info - (size_t)k,
		              "; %zu dropped as duplicates of", r.leaked);
	for (size_t i = 0; i < o->nexclude && k > 0 && (size_t)k < sizeof info; i++)
		k += snprintf(info + k, sizeof info - (size_t)k, " %s",
		              base_name(o->exclude[i]));
	if (k > 0 && (size_t)k < sizeof info)
		snprintf(info + k, sizeof info - (size_t)k,
		         "; ftrl alpha %g beta %g l1 %g l2 %g epochs %u seed %llu; "
		         "%zu nonzero 8-bit weights (step %.3g)",
		         o->ftrl.alpha, o->ftrl.beta, o->ftrl.l1, o->ftrl.l2,
		         o->ftrl.epochs, (unsigned long long)o->ftrl.seed, nnz,
		         m->scale);
	char *dup = strdup(info);
	if (!dup) {
		st = TSG_ENOMEM;
		goto oom;
	}
	free(m->info);
	m->info = dup;
	if (o->log)
		fprintf(o->log, "trained in %.1fs (%.1fs reading); %zu nonzero weights "
		                "of %zu\n",
		        now() - t0, t1 - t0, nnz, (size_t)1 << fp->bits);
	*out = m;
	m = NULL;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	tsgi_model_free(m);
	free(z);
	free(use);
	free(w);
	reader_free(&r);
	return st;
}
