/*
 * model.c - scoring a message with a loaded model, fusing the model with the
 * rule evidence, and naming the features that pushed the score.
 *
 * Scoring is one pass over the message's features summing the 8-bit
 * weights per namespace in integers (no allocation), which also keeps the
 * strongest words and bigrams.  Only when the model adds a reason, or may
 * decide alone, does a short second pass name the signals (and, when no
 * word pushed for scam, the strongest character n-grams).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/engine_int.h"
#include "../policy/policy.h"
#include "../rules/rules.h"
#include "../text/lang.h"
#include "model.h"
#include "model_int.h"

/* The logit from the per-namespace integer sums. */
static double logit_of(const struct tsgi_model *m,
                       const int64_t sums[TSGI_NS__COUNT],
                       const size_t counts[TSGI_NS__COUNT])
{
	double s = 0;
	for (int ns = 0; ns < TSGI_NS__COUNT; ns++)
		s += (double)sums[ns] * tsgi_feat_value((tsgi_ns)ns, counts);
	return m->bias + s * m->scale;
}

double tsgi_model_logit(const struct tsgi_model *m, const tsgi_model_in *in)
{
	int64_t sums[TSGI_NS__COUNT];
	size_t counts[TSGI_NS__COUNT];
	tsgi_features_sum(&m->fp, in, m->q, sums, counts, NULL);
	return logit_of(m, sums, counts);
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
	double val[TSGI_NS__COUNT]; /* a quantum's contribution per namespace */
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
	int q = c->m->q[f->idx];
	if (q <= 0)
		return;
	double contrib = q * c->val[f->ns];
	if (f->ns == TSGI_NS_CHAR)
		keep(c->chars, f, contrib);
	else if (meta_shown(f))
		keep(c->meta, f, contrib);
}

/* Keeps the strongest features for scam of each kind: the words and
 * bigrams from the scoring pass's lists (`top`), the signals and, only
 * when no word or bigram pushed for scam, the character n-grams from a
 * second walk of those namespaces alone.  `counts` are the scoring pass's
 * (the values depend on all occurrences). */
static void explain(const struct tsgi_model *m, const tsgi_model_in *in,
                    const size_t counts[TSGI_NS__COUNT],
                    const tsgi_feat_top top[2], struct explain_ctx *c)
{
	memset(c, 0, sizeof *c);
	c->m = m;
	for (int ns = 0; ns < TSGI_NS__COUNT; ns++)
		c->val[ns] = m->scale * tsgi_feat_value((tsgi_ns)ns, counts);
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < TSGI_FEAT_TOP && top[k].q[i] > 0; i++)
			keep(c->words, &top[k].f[i],
			     (double)top[k].q[i] * c->val[top[k].f[i].ns]);
	size_t dummy[TSGI_NS__COUNT];
	unsigned mask = TSGI_NSM(TSGI_NS_META);
	if (!(c->words[0].c > 0))
		mask |= TSGI_NSM(TSGI_NS_CHAR);
	tsgi_features_some(&m->fp, in, mask, explain_fn, c, dummy);
}

static int cmp_off(const void *a, const void *b)
{
	const size_t *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* The places in the message the reason quotes for words: the source
 * spans of the kept words and bigrams, overlapping or touching ones
 * counted once, exactly as the verdict merges its evidence. */
static unsigned word_quotes(const tsgi_model_in *in,
                            const struct explain_ctx *c)
{
	size_t sp[TOP][2];
	size_t n = 0;
	for (int i = 0; i < TOP && c->words[i].c > 0 && in->text; i++)
		if (c->words[i].f.off != SIZE_MAX) {
			tsgi_text_raw_span(in->text, c->words[i].f.off, c->words[i].f.end,
			                   &sp[n][0], &sp[n][1]);
			n++;
		}
	qsort(sp, n, sizeof *sp, cmp_off);
	unsigned k = 0;
	size_t end = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && sp[i][0] <= end) {
			if (sp[i][1] > end)
				end = sp[i][1];
			continue;
		}
		k++;
		end = sp[i][1];
	}
	return k;
}

/* Index of the reason's language in tsgi_lang_codes (English for any
 * other). */
static int lang_ix(const char *lang)
{
	int i = tsgi_lang_index(lang);
	return i < 0 ? 0 : i;
}

/* What a person reads for an indicator feature, in language l (lang_ix). */
static const char *meta_label(const tsgi_feat *f, int l)
{
	enum { TOLL, PHONE, REMOTE, GIFT, CRYPTO, MONEY, SHORT, LINK, EMAIL, IBAN,
	       DEFANGED, SPOKEN };
	static const char *const labels[][TSGI_NLANGS] = {
		[TOLL] = {"toll-free number", "número gratuito", "gebührenfreie Nummer",
		          "numéro gratuit"},
		[PHONE] = {"phone number", "número de teléfono", "Telefonnummer",
		           "numéro de téléphone"},
		[REMOTE] = {"remote-access tool", "programa de acceso remoto",
		            "Fernzugriffsprogramm", "logiciel d'accès à distance"},
		[GIFT] = {"gift card", "tarjeta regalo", "Geschenkkarte", "carte cadeau"},
		[CRYPTO] = {"crypto address", "dirección de criptomonedas",
		            "Krypto-Adresse", "adresse crypto"},
		[MONEY] = {"money amount", "importe", "Geldbetrag", "montant"},
		[SHORT] = {"link shortener", "acortador de enlaces", "Linkverkürzer",
		           "raccourcisseur de liens"},
		[LINK] = {"link", "enlace", "Link", "lien"},
		[EMAIL] = {"email address", "dirección de correo", "E-Mail-Adresse",
		           "adresse e-mail"},
		[IBAN] = {"bank account", "cuenta bancaria", "Bankkonto",
		          "compte bancaire"},
		[DEFANGED] = {"disguised link", "enlace disfrazado", "getarnter Link",
		              "lien déguisé"},
		[SPOKEN] = {"spelled-out number", "número dicho en palabras",
		            "ausgeschriebene Nummer", "numéro écrit en lettres"},
	};
	/* Feature names, whole or (prefix) followed by a tool or card name. */
	static const struct {
		const char *name;
		bool prefix;
		int label;
	} k[] = {
		{"i:phone:tollfree", false, TOLL}, {"i:phone", false, PHONE},
		{"i:remote", false, REMOTE},       {"i:remote:", true, REMOTE},
		{"i:giftcard", false, GIFT},       {"i:giftcard:", true, GIFT},
		{"i:btc", false, CRYPTO},          {"i:eth", false, CRYPTO},
		{"i:tron", false, CRYPTO},         {"i:money", false, MONEY},
		{"i:url:shortener", false, SHORT}, {"i:url", false, LINK},
		{"i:email", false, EMAIL},         {"i:iban", false, IBAN},
		{"i:defanged", false, DEFANGED},   {"i:spoken", false, SPOKEN},
	};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
		size_t n = strlen(k[i].name);
		if ((k[i].prefix ? f->n > n : f->n == n) && !memcmp(k[i].name, f->s, n))
			return labels[k[i].label][l];
	}
	return NULL;
}

static void add_reason(const tsgi_model_in *in, const struct explain_ctx *c,
                       double p, double weight, tsgi_vb *vb)
{
	static const char *const k_head[TSGI_NLANGS] = {
		"The learned model rates this %.0f%% likely a scam",
		"El modelo aprendido estima en un %.0f %% la probabilidad de estafa",
		"Das gelernte Modell hält dies zu %.0f %% für Betrug",
		"Le modèle appris estime à %.0f %% le risque d'arnaque"};
	static const char *const k_words[TSGI_NLANGS] = {
		"words", "palabras", "Wörter", "mots"};
	static const char *const k_letters[TSGI_NLANGS] = {
		"letters", "letras", "Buchstaben", "lettres"};
	static const char *const k_signals[TSGI_NLANGS] = {
		"signals", "señales", "Signale", "signaux"};
	int l = lang_ix(in->lang);
	char msg[640];
	size_t k = 0;
	int w = snprintf(msg, sizeof msg, k_head[l], p * 100.0);
	k = w > 0 ? (size_t)w : 0;
	tsgi_rawspan spans[TOP];
	size_t nspans = 0;
	const struct top *list = c->words[0].c > 0 ? c->words : c->chars;
	const char *head = c->words[0].c > 0 ? k_words[l] : k_letters[l];
	for (int i = 0; i < TOP && list[i].c > 0 && k < sizeof msg; i++) {
		const tsgi_feat *f = &list[i].f;
		if (f->s2)
			w = snprintf(msg + k, sizeof msg - k, "%s%s%s'%.*s %.*s'",
			             i ? ", " : "; ", i ? "" : k_words[l], i ? "" : ": ",
			             (int)f->n, f->s, (int)f->n2, f->s2);
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
	for (int i = 0; i < TOP && c->meta[i].c > 0 && k < sizeof msg; i++) {
		const char *label = meta_label(&c->meta[i].f, l);
		bool dup = !label;
		for (size_t j = 0; j < nseen && !dup; j++)
			dup = !strcmp(seen[j], label);
		if (dup)
			continue;
		w = snprintf(msg + k, sizeof msg - k, "%s%s%s%s",
		             nseen ? ", " : "; ", nseen ? "" : k_signals[l],
		             nseen ? "" : ": ", label);
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

static bool is_name(const char *s, size_t n, void *ctx)
{
	const char *name = ctx;
	return strlen(name) == n && !memcmp(name, s, n);
}

/* Whether the model must not raise the verdict: a rule that `list` names
 * (model.lift.block.rules: a contact the reader started, a channel they
 * trust, a warning about scams) holds, and nothing of a scam's later
 * stages does: no policy reason and no weighted rule of call stage 3 or 4
 * (remote access, a payment) but those `except` names (a remote tool
 * named, not asked for).  A problem (stage 2) alone does not count: a
 * bank's real fraud alert describes one too, and sends you to the number
 * on your card. */
static bool lift_blocked(const char *list, const char *except,
                         const tsgi_model_in *in, const tsgi_vb *vb)
{
	bool named = false;
	for (size_t i = 0; list && *list && i < in->nhits; i++) {
		const tsgi_rule *r = tsgi_ruleset_rule(in->rules,
		                                       (size_t)in->hits[i].rule);
		if (r->weight > 0 && r->stage >= 3 &&
		    !each_name(except, is_name, (void *)r->id))
			return false;
		named |= each_name(list, is_name, (void *)r->id);
	}
	for (size_t i = 0; named && vb && i < vb->n; i++)
		if (vb->r[i].rule_id && vb->r[i].weight > 0 &&
		    !strncmp(vb->r[i].rule_id, "policy.", 7))
			return false;
	return named;
}

/* Whether a reason in `vb` is one `list` names (model.floor.rules). */
static bool floor_reason(const char *list, const tsgi_vb *vb)
{
	for (size_t i = 0; list && *list && vb && i < vb->n; i++)
		if (vb->r[i].rule_id && vb->r[i].weight > 0 &&
		    each_name(list, is_name, (void *)vb->r[i].rule_id))
			return true;
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

/* The TSGI_LANG_* bit of the n bytes at s ("en"), or 0. */
static unsigned lang_bit(const char *s, size_t n)
{
	int i = tsgi_lang_index_n(s, n);
	return i < 0 ? 0 : 1u << i;
}

static bool lang_fn(const char *s, size_t n, void *ctx)
{
	*(unsigned *)ctx |= lang_bit(s, n);
	return false;
}

/* The TSGI_LANG_* bits a model.languages value names; all without one. */
static unsigned langs_listed(const char *list)
{
	unsigned bits = 0;
	if (!list)
		return TSGI_LANG_ANY;
	each_name(list, lang_fn, &bits);
	return bits;
}

bool tsgi_model_lang_listed(const char *list, const char *lang)
{
	return (langs_listed(list) & tsgi_lang_bit(lang)) != 0;
}

static bool bad_lang_fn(const char *s, size_t n, void *ctx)
{
	if (lang_bit(s, n))
		return false;
	struct bad_ctx *b = ctx;
	snprintf(b->err, b->errlen, "model.languages: unknown language '%.*s' "
	         "(en, es, de, fr)", (int)(n > 40 ? 40 : n), s);
	return true;
}

struct floor_ctx {
	const tsgi_ruleset *rules;
	bool own_rules;
	bool block; /* model.lift.block.rules: any rule, no policy reason */
	bool except; /* model.lift.block.except: likewise                 */
	char *err;
	size_t errlen;
};

/* True (stop) at a name that is neither a policy reason nor a rule that
 * can be a reason (weight > 0); for the block list, at a name that is no
 * rule of the pack.  With rules of the caller's instead of the pack the
 * configuration was written for, only policy names are checked. */
static bool bad_floor_fn(const char *s, size_t n, void *ctx)
{
	struct floor_ctx *f = ctx;
	if (!f->block && tsgi_policy_reason_id(s, n))
		return false;
	if (f->own_rules && !(n > 7 && !memcmp(s, "policy.", 7)))
		return false;
	for (size_t i = 0; i < tsgi_ruleset_count(f->rules); i++) {
		const tsgi_rule *r = tsgi_ruleset_rule(f->rules, i);
		if ((f->block || r->weight > 0) && strlen(r->id) == n &&
		    !memcmp(r->id, s, n))
			return false;
	}
	snprintf(f->err, f->errlen, "%s: '%.*s' is %s",
	         f->except  ? "model.lift.block.except"
	         : f->block ? "model.lift.block.rules"
	                    : "model.floor.rules",
	         (int)(n > 64 ? 64 : n), s,
	         f->block ? "not a rule of the pack"
	                  : "neither a policy reason nor a rule with a weight");
	return true;
}

bool tsgi_model_floor_valid(const tsg_engine *e, bool own_rules, char *err,
                            size_t errlen)
{
	struct floor_ctx f = {e->rules, own_rules, false, false, err, errlen};
	if (each_name(tsgi_config_str(e->config, "model.floor.rules", ""),
	              bad_floor_fn, &f))
		return false;
	f.block = true;
	if (each_name(tsgi_config_str(e->config, "model.lift.block.rules", ""),
	              bad_floor_fn, &f))
		return false;
	f.except = true;
	return !each_name(tsgi_config_str(e->config, "model.lift.block.except", ""),
	                  bad_floor_fn, &f);
}

/* ---- settings from data/tsguard.conf ----------------------------------- */

/* A number key in [lo, hi], else `dflt` (absent, not a number or out of
 * range). */
static double conf_num(const tsgi_config *c, const char *key, double lo,
                       double hi, double dflt)
{
	double v = tsgi_config_num(c, key, NAN);
	return isfinite(v) && v >= lo && v <= hi ? v : dflt;
}

static void read_conf(const tsg_engine *e, struct tsgi_model_conf *out)
{
	const tsgi_config *c = e->config;
	const struct tsgi_model *m = e->model;
	out->channels = 0;
	const char *list = tsgi_config_str(c, "model.channels", NULL);
	for (int ch = TSG_CHANNEL_AUTO + 1; ch < TSG_CHANNEL__COUNT; ch++)
		if (tsgi_model_channel_listed(list, (tsg_channel)ch))
			out->channels |= 1u << ch;
	out->langs = langs_listed(tsgi_config_str(c, "model.languages", NULL));
	out->floor_rules = tsgi_config_str(c, "model.floor.rules", "");
	out->block_rules = tsgi_config_str(c, "model.lift.block.rules", "");
	out->block_except = tsgi_config_str(c, "model.lift.block.except", "");
	tsgi_fusion *f = &out->fusion;
	f->t_suspicious = e->t_suspicious;
	f->t_scam = e->t_scam;
	f->a = conf_num(c, "model.fusion.a", 1e-6, 1e6, m->fuse_a);
	f->b = conf_num(c, "model.fusion.b", 0, 1e6, m->fuse_b);
	f->c = conf_num(c, "model.fusion.c", -1e6, 1e6, m->fuse_c);
	f->lift_min_p = conf_num(c, "model.lift.min_probability", 0, 1, 0.5);
	f->alone_min_p = conf_num(c, "model.alone.min_probability", 0, 1, 2.0);
	double q = conf_num(c, "model.alone.min_quotes", 1, TSGI_FEAT_TOP,
	                    TSGI_MODEL_ALONE_MIN_QUOTES);
	f->alone_min_quotes = (unsigned)q;
}

bool tsgi_model_conf_valid(const tsgi_config *c, char *err, size_t errlen)
{
	static const struct {
		const char *key;
		double lo, hi;
	} k[] = {
		{"model.fusion.a", 1e-6, 1e6},
		{"model.fusion.b", 0, 1e6},
		{"model.fusion.c", -1e6, 1e6},
		{"model.lift.min_probability", 0, 1},
		{"model.alone.min_probability", 0, 1},
		{"model.alone.min_quotes", 1, TSGI_FEAT_TOP},
	};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
		if (!tsgi_config_str(c, k[i].key, NULL))
			continue;
		double v = tsgi_config_num(c, k[i].key, NAN);
		if (!(isfinite(v) && v >= k[i].lo && v <= k[i].hi) ||
		    (!strcmp(k[i].key, "model.alone.min_quotes") && v != floor(v))) {
			snprintf(err, errlen, "%s: want a number in [%g, %g]%s",
			         k[i].key, k[i].lo, k[i].hi,
			         i == sizeof k / sizeof *k - 1 ? ", a whole one" : "");
			return false;
		}
	}
	struct bad_ctx b = {err, errlen};
	return tsgi_model_channels_valid(tsgi_config_str(c, "model.channels", NULL),
	                                 err, errlen) &&
	       !each_name(tsgi_config_str(c, "model.languages", ""), bad_lang_fn,
	                  &b);
}

void tsgi_model_prepare(tsg_engine *e)
{
	if (e && e->model)
		read_conf(e, &e->model->conf);
}

bool tsgi_model_applies(const tsg_engine *e, tsg_channel ch, const char *lang)
{
	if (!e || !e->model || ch <= TSG_CHANNEL_AUTO || ch >= TSG_CHANNEL__COUNT)
		return false;
	return ((e->model->conf.channels >> ch) & 1u) &&
	       (e->model->conf.langs & tsgi_lang_bit(lang));
}

void tsgi_model_fusion(const tsg_engine *e, tsgi_fusion *out)
{
	*out = e->model->conf.fusion;
}

/* ---- scoring ----------------------------------------------------------- */

static int class_of(double score, double t_suspicious, double t_scam)
{
	double r = round(score * 1000.0) / 1000.0;
	return r >= t_scam ? 2 : r >= t_suspicious ? 1 : 0;
}

double tsgi_model_apply(const struct tsgi_model *m, const tsgi_model_in *in,
                        double rule_score,
                        const tsgi_fusion *fu, tsgi_vb *vb, double *score)
{
	int64_t sums[TSGI_NS__COUNT];
	size_t counts[TSGI_NS__COUNT];
	tsgi_feat_top top[2];
	tsgi_features_sum(&m->fp, in, m->q, sums, counts, top);
	double z = logit_of(m, sums, counts);
	double p = tsgi_sigmoid(z);
	double fused = tsgi_sigmoid(fu->a * z + fu->b * rule_score + fu->c);
	double t_suspicious = fu->t_suspicious, t_scam = fu->t_scam;
	/* The model moves the class only the way it leans, and up only when
	 * it is fairly sure: below model.lift.min_probability it never lifts
	 * the message above the class of the rules' score; from there on it
	 * never drops it below.  Within a class the fused score stands (it
	 * ranks). */
	int rc = class_of(rule_score, t_suspicious, t_scam);
	bool lifts = z > 0 && p >= fu->lift_min_p;
	/* Not when the message speaks of a contact the reader started or a
	 * channel they trust, with no later scam stage (model.lift.block.rules);
	 * that list is only read then. */
	if (lifts &&
	    lift_blocked(m->conf.block_rules, m->conf.block_except, in, vb))
		lifts = false;
	if (!lifts) {
		double ceil = rc == 0 ? t_suspicious - 0.001
		              : rc == 1 ? t_scam - 0.001
		                        : 1.0;
		if (fused > ceil)
			fused = ceil > rule_score ? ceil : rule_score;
	}
	/* Where the model would drop the rules' class: it may when it does not
	 * lift, unless a reason named in model.floor.rules (the brand policy's
	 * "never asks for gift cards or remote access") holds; then the score
	 * stays at the rules' own, so an ask only scammers make does not read
	 * as a borderline scam because the model never saw its kind.  That
	 * list is only read then, not on every message. */
	double floor_ = rc == 2 ? t_scam : rc == 1 ? t_suspicious : 0.0;
	if (fused < floor_ && lifts)
		fused = floor_;
	else if (fused < rule_score && floor_ > 0 &&
	         floor_reason(m->conf.floor_rules, vb))
		fused = rule_score;
	/* Model evidence alone makes a scam only when the model is sure
	 * (p >= model.alone.min_probability) and its reason quotes the text
	 * in at least model.alone.min_quotes places; otherwise it is capped
	 * just below threshold.scam ("suspicious" at most).  "Alone" means
	 * the rules' class is clean: with no reason at all, or with weak
	 * ones, which must not let a model below that certainty jump two
	 * classes. */
	struct explain_ctx c;
	bool explained = false;
	double cap = t_scam - TSGI_MODEL_ALONE_MARGIN;
	if (rc == 0 && fused > cap) {
		bool sure = p >= fu->alone_min_p;
		if (sure) {
			explain(m, in, counts, top, &c);
			explained = true;
			sure = word_quotes(in, &c) >= fu->alone_min_quotes;
		}
		if (!sure)
			fused = cap > 0 ? cap : 0;
	}
	/* What the model added: the fused score against the rule evidence
	 * alone (z = 0 would still be an opinion). */
	double gain = fused - rule_score;
	bool moved = class_of(fused, t_suspicious, t_scam) > rc;
	bool helped = z > 0 && gain >= TSGI_MODEL_REASON_MIN &&
	              fused >= t_suspicious;
	if (vb && in->arena && (moved || helped)) {
		if (!explained)
			explain(m, in, counts, top, &c);
		add_reason(in, &c, p, gain > 0 ? round(gain * 1000.0) / 1000.0 : 0.0,
		           vb);
	}
	*score = fused;
	return p;
}
