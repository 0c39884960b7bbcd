/*
 * scan.c - one message through the pipeline:
 *
 *   channel parser -> normalise -> extract indicators -> rules -> policy
 *   -> model -> score, class, category, brands, advice
 *
 * The scan context owns an arena; a verdict is a view into it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../channels/channel.h"
#include "../indicators/indicators.h"
#include "../model/model.h"
#include "../policy/policy.h"
#include "../text/lang.h"
#include "engine_int.h"
#include "scan_int.h"
#include "tsguard_limits.h"

tsg_scan *tsg_scan_new(tsg_engine *e)
{
	if (!e || e->status != TSG_OK)
		return NULL;
	tsg_scan *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->a = tsgi_arena_new(TSG_MAX_ARENA);
	s->m = tsgi_matcher_new(e->rules);
	if (!s->a || !s->m) {
		tsgi_arena_free(s->a);
		tsgi_matcher_free(s->m);
		free(s);
		return NULL;
	}
	s->e = tsg_engine_ref(e);
	return s;
}

void tsg_scan_free(tsg_scan *s)
{
	if (!s)
		return;
	tsgi_matcher_free(s->m);
	tsgi_arena_free(s->a);
	tsg_engine_unref(s->e);
	free(s);
}

const char *tsg_scan_errmsg(const tsg_scan *s) { return s ? s->err : ""; }

static tsg_status fail(tsg_scan *s, tsg_status st, const char *what)
{
	if (tsgi_arena_exhausted(s->a))
		snprintf(s->err, sizeof s->err,
		         "%s: scan memory budget (TSG_MAX_ARENA) exhausted", what);
	else
		snprintf(s->err, sizeof s->err, "%s: %s", what, tsg_strerror(st));
	return st;
}

bool tsgi_scan_rule_hit(const tsg_scan *s, const char *id)
{
	for (size_t i = 0; i < s->nhits; i++)
		if (!strcmp(tsgi_ruleset_rule(s->e->rules, (size_t)s->hits[i].rule)->id,
		            id))
			return true;
	return false;
}

/* Shared front half of scan and extract. */
static tsg_status front(tsg_scan *s, const tsg_input *in)
{
	tsgi_arena_reset(s->a);
	s->err[0] = '\0';
	s->hits = NULL;
	s->nhits = 0;
	memset(&s->v, 0, sizeof s->v);
	if (!in || (!in->data && in->len))
		return fail(s, TSG_EINVAL, "input");
	tsg_input local = *in;
	if (!local.data)
		local.data = "";
	tsg_channel ch = local.channel;
	if (ch == TSG_CHANNEL_AUTO || ch >= TSG_CHANNEL__COUNT)
		ch = tsgi_channel_detect(local.data, local.len);
	char perr[256] = "";
	tsg_status st = tsgi_channel_parse(s->a, &local, ch, &s->doc, perr, sizeof perr);
	if (st != TSG_OK) {
		snprintf(s->err, sizeof s->err, "%s channel: %s", tsg_channel_name(ch),
		         perr[0] ? perr : tsg_strerror(st));
		return st;
	}
	s->doc.channel = ch;
	st = tsgi_normalize(s->a, s->doc.buf, tsgi_doc_scan_len(&s->doc), &s->text);
	if (st != TSG_OK)
		return fail(s, st, "normalisation");
	int li = tsgi_lang_index(in->lang);
	if (li < 0)
		li = tsgi_lang_index(tsgi_lang_detect(&s->text));
	s->lang = tsgi_lang_codes[li];
	/* Without a region from the caller, numbers written as phones in a
	 * Spanish, German or French message are read in that language's
	 * country first ("0800 589 3341" is German, not British), then in the
	 * default region ("(305) 555-0123" in Spanish is still American). */
	static const char *const k_country[TSGI_NLANGS] = {NULL, "ES", "DE", "FR"};
	bool own_region = in->region && *in->region;
	const char *region = own_region ? in->region : s->e->default_region;
	const char *lang_region = own_region ? NULL : k_country[li];
	tsgi_extract x = {
		.arena = s->a,
		.doc = &s->doc,
		.raw = s->doc.buf,
		.raw_len = tsgi_doc_scan_len(&s->doc),
		.text = &s->text,
		.region = region,
		.lang_region = lang_region,
		.brands = s->e->brands,
	};
	if (!tsgi_extract_all(&x))
		return fail(s, TSG_ENOMEM, "indicator extraction");
	s->nind_text = x.n;
	/* The targets of HTML links: hosts, addresses and numbers a person
	 * reaches by clicking, which the scanned text may not show. */
	if (s->doc.links_len) {
		static const tsgi_text none = {.s = (char *)""};
		x.raw = s->doc.buf + s->doc.links_off;
		x.raw_len = s->doc.links_len;
		x.base = s->doc.links_off;
		x.text = &none;
		if (!tsgi_extract_links(&x))
			return fail(s, TSG_ENOMEM, "indicator extraction");
	}
	s->ind = x.v;
	s->nind = x.n;
	s->doc.limits_hit |= x.limits_hit;
	return TSG_OK;
}

tsg_status tsg_scan_extract(tsg_scan *s, const tsg_input *in,
                            const tsg_indicator **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	tsg_status st = front(s, in);
	if (st != TSG_OK)
		return st;
	*out = s->ind;
	*n = s->nind;
	return TSG_OK;
}

/* Spans in the doc's evidence-only tail (a page's script) of the signals
 * rule r names itself: where "The page tries to take over the whole
 * screen" quotes requestFullscreen().  Fills out (when not NULL) and
 * returns how many. */
static size_t signal_evidence(const tsgi_doc *d, const tsgi_rule *r,
                              tsgi_rawspan *out)
{
	size_t n = 0;
	if (!d->has_evidence)
		return 0;
	for (int k = 0; k < r->nexpr; k++) {
		if (r->expr[k].kind != TSGI_E_SIGNAL)
			continue;
		for (size_t j = 0; j < d->nsigs; j++) {
			const tsgi_signal *g = &d->sigs[j];
			if (!g->has_span || g->start < d->scan_len ||
			    strcmp(g->name, r->expr[k].name))
				continue;
			if (out)
				out[n] = (tsgi_rawspan){g->start, g->end};
			n++;
		}
	}
	return n;
}

/* Replaces "{brand}" in a rule message with the brand's display name, or
 * without a brand claimed with a word for one in the message's language. */
static const char *render_message(tsg_scan *s, const char *msg,
                                  const char *brand_display)
{
	static const char *const k_company[TSGI_NLANGS] = {
		"the company", "la empresa", "einer Firma", "l'entreprise"};
	const char *p = strstr(msg, "{brand}");
	if (!p)
		return msg;
	const char *b =
		brand_display ? brand_display : k_company[tsgi_lang_index(s->lang)];
	size_t head = (size_t)(p - msg), nb = strlen(b), tail = strlen(p + 7);
	char *out = tsgi_arena_alloc(s->a, head + nb + tail + 1);
	if (!out)
		return NULL;
	memcpy(out, msg, head);
	memcpy(out + head, b, nb);
	memcpy(out + head + nb, p + 7, tail + 1);
	return out;
}

static int cmp_reason(const void *a, const void *b)
{
	const tsg_reason *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return strcmp(x->rule_id, y->rule_id);
}

static const char *const k_categories[] = {
	"tech_support", "refund", "account_alert", "government", "other",
};

tsg_status tsg_scan_run(tsg_scan *s, const tsg_input *in,
                        const tsg_verdict **out)
{
	*out = NULL;
	tsg_status st = front(s, in);
	if (st != TSG_OK)
		return st;
	const tsg_engine *e = s->e;
	tsgi_eval_ctx ctx = {
		.doc = &s->doc,
		.text = &s->text,
		.ind = s->ind,
		.nind = s->nind_text, /* rules read what a person sees */
		.contact = in->contact,
		.channel = s->doc.channel,
		.lang = tsgi_lang_bit(s->lang),
	};
	tsgi_hit *hits;
	size_t nhits;
	unsigned limits = s->doc.limits_hit;
	st = tsgi_rules_eval(s->m, s->a, &ctx, &hits, &nhits, &limits);
	if (st != TSG_OK)
		return fail(s, st, "rule evaluation");
	s->hits = hits;
	s->nhits = nhits;

	/* Brands claimed. */
	const char **brands = tsgi_arena_calloc(s->a, TSG_MAX_BRANDS, sizeof *brands);
	size_t nb = 0;
	if (!brands)
		return fail(s, TSG_ENOMEM, "verdict");
	for (size_t i = 0; i < nhits && nb < TSG_MAX_BRANDS; i++) {
		const tsgi_rule *r = tsgi_ruleset_rule(e->rules, (size_t)hits[i].rule);
		if (!r->brand)
			continue;
		bool dup = false;
		for (size_t j = 0; j < nb; j++)
			if (!strcmp(brands[j], r->brand))
				dup = true;
		if (!dup)
			brands[nb++] = r->brand;
	}
	const tsgi_brand *first =
		nb ? tsgi_brands_find(e->brands, brands[0]) : NULL;

	/* Reasons from rules. */
	tsgi_vb vb = {.a = s->a, .doc = &s->doc};
	for (size_t i = 0; i < nhits; i++) {
		const tsgi_rule *r = tsgi_ruleset_rule(e->rules, (size_t)hits[i].rule);
		if (r->weight <= 0)
			continue;
		size_t nsig = signal_evidence(&s->doc, r, NULL);
		tsgi_rawspan *rs = tsgi_arena_alloc(
			s->a, (hits[i].nspans + nsig + 1) * sizeof *rs);
		if (!rs)
			return fail(s, TSG_ENOMEM, "verdict");
		for (size_t k = 0; k < hits[i].nspans; k++)
			tsgi_text_raw_span(&s->text, hits[i].spans[k].start,
			                   hits[i].spans[k].end, &rs[k].start, &rs[k].end);
		signal_evidence(&s->doc, r, rs + hits[i].nspans);
		const char *msg = render_message(s, tsgi_rule_message(r, s->lang),
		                                 first ? first->display : NULL);
		if (!msg || !tsgi_vb_add(&vb, r->id, r->category, msg, r->weight, rs,
		                         hits[i].nspans + nsig))
			return fail(s, TSG_ENOMEM, "verdict");
	}

	/* Policy reasons; the advice waits for the class. */
	tsgi_policy_in pin = {
		.engine = e,
		.doc = &s->doc,
		.text = &s->text,
		.hits = hits,
		.nhits = nhits,
		.brands = brands,
		.nbrands = nb,
		.ind = s->ind,
		.nind = s->nind,
		.contact = in->contact,
		.lang = s->lang,
		.sender = in->sender,
	};
	const tsgi_brand *checked = tsgi_policy_apply(&pin, &vb);

	if (vb.oom)
		return fail(s, TSG_ENOMEM, "verdict");

	/* Score: noisy-OR of the rule and policy reasons' weights; with a
	 * model, fused with the model's logit (model/model.h, docs/accuracy.md).
	 * The model's own reason does not count in the noisy-OR. */
	double keep = 1.0;
	double per_cat[5] = {0};
	for (size_t i = 0; i < vb.n; i++) {
		keep *= 1.0 - vb.r[i].weight;
		for (int c = 0; c < 5; c++)
			if (vb.r[i].category && !strcmp(vb.r[i].category, k_categories[c]))
				per_cat[c] += vb.r[i].weight;
	}
	double score = 1.0 - keep;
	if (score < 0)
		score = 0;
	if (score > 1)
		score = 1;
	double model_score = -1;
	/* The model is applied on the channels and languages
	 * data/tsguard.conf names in model.channels (default: not web) and
	 * model.languages (default: all; shipped: en es).  Model evidence
	 * alone (the rules' score is clean) makes a scam only when the model
	 * is sure and its reason quotes the text (model.alone.* keys,
	 * model.h); else it is capped below threshold.scam.  The rules' score
	 * is a floor when a reason named in model.floor.rules holds.  A
	 * verdict the model moves up always carries the model's reason. */
	if (tsgi_model_applies(e, s->doc.channel, s->lang)) {
		tsgi_model_in min = {
			.engine = e,
			.rules = e->rules,
			.doc = &s->doc,
			.text = &s->text,
			.hits = hits,
			.nhits = nhits,
			.ind = s->ind,
			.nind = s->nind_text,
			.lang = s->lang,
			.arena = s->a,
		};
		tsgi_fusion fu;
		tsgi_model_fusion(e, &fu);
		double fused = score;
		model_score = tsgi_model_apply(e->model, &min, score, &fu, &vb, &fused);
		score = fused;
		if (vb.oom)
			return fail(s, TSG_ENOMEM, "verdict");
	}
	if (vb.n)
		qsort(vb.r, vb.n, sizeof *vb.r, cmp_reason);

	tsg_verdict *v = &s->v;
	v->id = in->id ? tsgi_arena_strdup(s->a, in->id) : NULL;
	v->score = round(score * 1000.0) / 1000.0;
	v->cls = v->score >= e->t_scam         ? TSG_SCAM
	         : v->score >= e->t_suspicious ? TSG_SUSPICIOUS
	                                       : TSG_CLEAN;
	int best = -1;
	for (int c = 0; c < 5; c++)
		if (per_cat[c] > 0 && (best < 0 || per_cat[c] > per_cat[best]))
			best = c;
	v->category = v->cls == TSG_CLEAN ? "none"
	              : best >= 0         ? k_categories[best]
	              : first             ? first->category
	                                  : "other";
	v->channel = s->doc.channel;
	v->lang = s->lang;
	v->brands = brands;
	v->n_brands = nb;
	v->reasons = vb.r;
	v->n_reasons = vb.n;
	v->indicators = s->ind;
	v->n_indicators = s->nind;
	tsg_segment *segs =
		tsgi_arena_calloc(s->a, s->doc.nsegs ? s->doc.nsegs : 1, sizeof *segs);
	if (!segs)
		return fail(s, TSG_ENOMEM, "verdict");
	for (size_t i = 0; i < s->doc.nsegs; i++) {
		segs[i].label = s->doc.segs[i].label;
		segs[i].turn = s->doc.segs[i].turn;
	}
	v->segments = segs;
	v->n_segments = s->doc.nsegs;
	v->advice = tsgi_policy_advice(&pin, checked, v->cls, s->a);
	v->limits_hit = limits;
	v->model_score = model_score;
	*out = v;
	return TSG_OK;
}
