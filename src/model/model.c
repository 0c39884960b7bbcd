/*
 * model.c - scoring a message with a loaded model, fusing the model with the
 * rule evidence, and naming the features that pushed the score.
 *
 * Scoring is one pass over the message's features summing weights per
 * namespace (no allocation).  Only when the model adds a reason does a
 * second pass keep the strongest features with their strings.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/engine_int.h"
#include "model.h"
#include "model_int.h"

double tsgi_model_logit(const struct tsgi_model *m, const tsgi_model_in *in)
{
	double sums[TSGI_NS__COUNT];
	size_t counts[TSGI_NS__COUNT];
	tsgi_features_sum(&m->fp, in, m->w, sums, counts);
	double z = m->bias;
	for (int ns = 0; ns < TSGI_NS__COUNT; ns++)
		z += sums[ns] * tsgi_feat_value((tsgi_ns)ns, counts);
	return z;
}

const char *tsgi_model_info(const struct tsgi_model *m)
{
	return m && m->info ? m->info : "";
}

double tsgi_model_fuse(const struct tsgi_model *m, double z, double rule_score)
{
	return tsgi_sigmoid(m->fuse_a * z + m->fuse_b * rule_score + m->fuse_c);
}

/* ---- explanation ------------------------------------------------------- */

#define TOP 4

struct top {
	tsgi_feat f;
	double c;
};

struct explain_ctx {
	const struct tsgi_model *m;
	const size_t *counts;
	struct top words[TOP], chars[TOP], meta[TOP];
};

static bool meta_shown(const tsgi_feat *f)
{
	return f->n > 2 && !strncmp(f->s, "i:", 2);
}

static void keep(struct top *t, const tsgi_feat *f, double c)
{
	for (int i = 0; i < TOP; i++)
		if (t[i].c > 0 && t[i].f.idx == f->idx && t[i].f.ns == f->ns) {
			t[i].c += c;
			goto sort;
		}
	if (c <= t[TOP - 1].c)
		return;
	t[TOP - 1].f = *f;
	t[TOP - 1].c = c;
sort:
	for (int i = TOP - 1; i > 0 && t[i].c > t[i - 1].c; i--) {
		struct top x = t[i];
		t[i] = t[i - 1];
		t[i - 1] = x;
	}
}

static void explain_fn(void *ctx, const tsgi_feat *f)
{
	struct explain_ctx *c = ctx;
	double contrib = c->m->w[f->idx] * tsgi_feat_value(f->ns, c->counts);
	if (contrib <= 0)
		return;
	if (f->ns == TSGI_NS_WORD || f->ns == TSGI_NS_BIGRAM)
		keep(c->words, f, contrib);
	else if (f->ns == TSGI_NS_CHAR)
		keep(c->chars, f, contrib);
	else if (meta_shown(f))
		keep(c->meta, f, contrib);
}

/* What a person reads for an indicator feature. */
static const char *meta_label(const tsgi_feat *f)
{
	static const struct {
		const char *name, *label;
	} k[] = {
		{"i:phone:tollfree", "toll-free number"},
		{"i:phone", "phone number"},
		{"i:remote", "remote-access tool"},
		{"i:giftcard", "gift card"},
		{"i:btc", "crypto address"},
		{"i:eth", "crypto address"},
		{"i:tron", "crypto address"},
		{"i:money", "money amount"},
		{"i:url:shortener", "link shortener"},
		{"i:url", "link"},
		{"i:email", "email address"},
		{"i:iban", "bank account"},
		{"i:defanged", "disguised link"},
		{"i:spoken", "spelled-out number"},
	};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++)
		if (strlen(k[i].name) == f->n && !memcmp(k[i].name, f->s, f->n))
			return k[i].label;
	if (f->n > 9 && !memcmp(f->s, "i:remote:", 9))
		return "remote-access tool";
	if (f->n > 11 && !memcmp(f->s, "i:giftcard:", 11))
		return "gift card";
	return NULL;
}

static void add_reason(const struct tsgi_model *m, const tsgi_model_in *in,
                       const size_t *counts, double p, double weight,
                       tsgi_vb *vb)
{
	struct explain_ctx c = {.m = m, .counts = counts};
	size_t dummy[TSGI_NS__COUNT];
	tsgi_features_each(&m->fp, in, explain_fn, &c, dummy);
	char msg[640];
	size_t k = 0;
	int w = snprintf(msg, sizeof msg, "The learned model rates this %.0f%% "
	                                   "likely a scam",
	                 p * 100.0);
	k = w > 0 ? (size_t)w : 0;
	tsgi_rawspan spans[TOP];
	size_t nspans = 0;
	const struct top *list = c.words[0].c > 0 ? c.words : c.chars;
	const char *head = c.words[0].c > 0 ? "words" : "letters";
	for (int i = 0; i < TOP && list[i].c > 0 && k < sizeof msg; i++) {
		const tsgi_feat *f = &list[i].f;
		if (f->s2)
			w = snprintf(msg + k, sizeof msg - k, "%s'%.*s %.*s'",
			             i ? ", " : "; words: ", (int)f->n, f->s, (int)f->n2,
			             f->s2);
		else
			w = snprintf(msg + k, sizeof msg - k, "%s%s%s'%.*s'",
			             i ? ", " : "; ", i ? "" : head, i ? "" : ": ",
			             (int)f->n, f->s);
		if (w > 0)
			k += (size_t)w;
		if (f->off != SIZE_MAX && in->text) {
			tsgi_text_raw_span(in->text, f->off, f->end, &spans[nspans].start,
			                   &spans[nspans].end);
			nspans++;
		}
	}
	const char *seen[TOP];
	size_t nseen = 0;
	for (int i = 0; i < TOP && c.meta[i].c > 0 && k < sizeof msg; i++) {
		const char *label = meta_label(&c.meta[i].f);
		bool dup = !label;
		for (size_t j = 0; j < nseen && !dup; j++)
			dup = !strcmp(seen[j], label);
		if (dup)
			continue;
		w = snprintf(msg + k, sizeof msg - k, "%s%s",
		             nseen ? ", " : "; signals: ", label);
		seen[nseen++] = label;
		if (w > 0)
			k += (size_t)w;
	}
	if (k >= sizeof msg) { /* cut at a character boundary */
		k = sizeof msg - 1;
		while (k && ((unsigned char)msg[k] & 0xC0) == 0x80)
			k--;
	}
	/* The feature strings come from the normalised text: valid UTF-8. */
	char *text = tsgi_arena_strndup(in->arena, msg, k);
	if (!text) {
		vb->oom = true;
		return;
	}
	tsgi_vb_add(vb, "model.words", NULL, text, weight, spans, nspans);
}

/* ---- where the model applies ------------------------------------------ */

/* Calls fn(name, len) for each name in a space/comma list; stops early
 * when fn returns true and returns true then. */
static bool each_name(const char *list, bool (*fn)(const char *, size_t,
                                                   void *),
                      void *ctx)
{
	for (const char *p = list; *p;) {
		if (*p == ' ' || *p == ',' || *p == '\t') {
			p++;
			continue;
		}
		size_t n = strcspn(p, " ,\t");
		if (fn(p, n, ctx))
			return true;
		p += n;
	}
	return false;
}

static bool is_channel(const char *s, size_t n, tsg_channel ch)
{
	const char *name = tsg_channel_name(ch);
	return name && strlen(name) == n && !memcmp(name, s, n);
}

static bool match_fn(const char *s, size_t n, void *ctx)
{
	return is_channel(s, n, *(const tsg_channel *)ctx);
}

bool tsgi_model_channel_listed(const char *list, tsg_channel ch)
{
	if (ch == TSG_CHANNEL_AUTO || ch >= TSG_CHANNEL__COUNT)
		return false;
	return each_name(list ? list : TSGI_MODEL_CHANNELS_DEFAULT, match_fn, &ch);
}

struct bad_ctx {
	char *err;
	size_t errlen;
};

static bool bad_fn(const char *s, size_t n, void *ctx)
{
	for (int ch = TSG_CHANNEL_AUTO + 1; ch < TSG_CHANNEL__COUNT; ch++)
		if (is_channel(s, n, (tsg_channel)ch))
			return false;
	struct bad_ctx *b = ctx;
	if (b->err && b->errlen)
		snprintf(b->err, b->errlen, "model.channels: unknown channel '%.*s' "
		                            "(email, sms, chat, text, call, web)",
		         (int)(n > 40 ? 40 : n), s);
	return true;
}

bool tsgi_model_channels_valid(const char *list, char *err, size_t errlen)
{
	struct bad_ctx b = {err, errlen};
	return !each_name(list ? list : "", bad_fn, &b);
}

bool tsgi_model_applies(const tsg_engine *e, tsg_channel ch)
{
	return e && e->model &&
	       tsgi_model_channel_listed(
		       tsgi_config_str(e->config, "model.channels", NULL), ch);
}

/* ---- scoring ----------------------------------------------------------- */

static int class_of(double score, double t_suspicious, double t_scam)
{
	double r = round(score * 1000.0) / 1000.0;
	return r >= t_scam ? 2 : r >= t_suspicious ? 1 : 0;
}

double tsgi_model_apply(const struct tsgi_model *m, const tsgi_model_in *in,
                        double rule_score, bool rule_evidence,
                        double t_suspicious, double t_scam, tsgi_vb *vb,
                        double *score)
{
	double sums[TSGI_NS__COUNT];
	size_t counts[TSGI_NS__COUNT];
	tsgi_features_sum(&m->fp, in, m->w, sums, counts);
	double z = m->bias;
	for (int ns = 0; ns < TSGI_NS__COUNT; ns++)
		z += sums[ns] * tsgi_feat_value((tsgi_ns)ns, counts);
	double p = tsgi_sigmoid(z);
	double fused = tsgi_model_fuse(m, z, rule_score);
	/* The model moves the class only the way it leans: a model that rates
	 * the message unlikely a scam (p <= 0.5) never lifts it above the
	 * class of the rules' score, one that rates it likely never drops it
	 * below.  Within a class the fused score stands (it ranks). */
	int rc = class_of(rule_score, t_suspicious, t_scam);
	if (z <= 0) {
		double ceil = rc == 0 ? t_suspicious - 0.001
		              : rc == 1 ? t_scam - 0.001
		                        : 1.0;
		if (fused > ceil)
			fused = ceil > rule_score ? ceil : rule_score;
	} else {
		double floor_ = rc == 2 ? t_scam : rc == 1 ? t_suspicious : 0.0;
		if (fused < floor_)
			fused = floor_;
	}
	/* The model alone may flag a message, never call it a scam. */
	double cap = t_scam - TSGI_MODEL_ALONE_MARGIN;
	if (!rule_evidence && fused > cap)
		fused = cap > 0 ? cap : 0;
	/* What the model added: the fused score against the rule evidence
	 * alone (z = 0 would still be an opinion). */
	double gain = fused - rule_score;
	bool moved = class_of(fused, t_suspicious, t_scam) > rc;
	bool helped = z > 0 && gain >= TSGI_MODEL_REASON_MIN &&
	              fused >= t_suspicious;
	if (vb && in->arena && (moved || helped))
		add_reason(m, in, counts, p,
		           gain > 0 ? round(gain * 1000.0) / 1000.0 : 0.0, vb);
	*score = fused;
	return p;
}
