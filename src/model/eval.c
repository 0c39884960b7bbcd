/*
 * eval.c - accuracy figures and their rendering (see eval.h).
 */
#include "eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../text/lang.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

bool tsgi_eval_add(tsgi_eval_set *s, const char *id, tsgi_label label,
                   tsg_channel channel, const char *category, const char *lang,
                   const char *guess, double score)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		tsgi_eval_rec *nr = realloc(s->r, nc * sizeof *nr);
		if (!nr)
			return false;
		s->r = nr;
		s->cap = nc;
	}
	tsgi_eval_rec *r = &s->r[s->n];
	r->id = strdup(id ? id : "?");
	r->category = dup_or_null(category);
	r->lang = dup_or_null(lang);
	r->guess = guess;
	r->label = label;
	r->channel = channel;
	r->score = score;
	if (!r->id || (category && !r->category) || (lang && !r->lang)) {
		free(r->id);
		free(r->category);
		free(r->lang);
		return false;
	}
	s->n++;
	return true;
}

void tsgi_eval_free(tsgi_eval_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->r[i].id);
		free(s->r[i].category);
		free(s->r[i].lang);
	}
	free(s->r);
	memset(s, 0, sizeof *s);
}

static int cmp_pair(const void *a, const void *b)
{
	const double *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

double tsgi_eval_auc(const double *score, const uint8_t *pos, size_t n)
{
	if (n == 0)
		return NAN;
	double *p = malloc(n * 2 * sizeof *p);
	if (!p)
		return NAN;
	for (size_t i = 0; i < n; i++) {
		p[i * 2] = score[i];
		p[i * 2 + 1] = pos[i] ? 1 : 0;
	}
	qsort(p, n, 2 * sizeof *p, cmp_pair);
	double rank_sum = 0, npos = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && p[j * 2] == p[i * 2])
			j++;
		double mid = (double)(i + 1 + j) / 2.0; /* mean of ranks i+1..j */
		for (size_t k = i; k < j; k++)
			if (p[k * 2 + 1] > 0) {
				rank_sum += mid;
				npos++;
			}
		i = j;
	}
	free(p);
	double nneg = (double)n - npos;
	if (npos == 0 || nneg == 0)
		return NAN;
	return (rank_sum - npos * (npos + 1) / 2) / (npos * nneg);
}

void tsgi_eval_rates(tsgi_eval_metrics *m)
{
	m->precision = m->tp + m->fp ? (double)m->tp / (double)(m->tp + m->fp) : NAN;
	m->recall = m->tp + m->fn ? (double)m->tp / (double)(m->tp + m->fn) : NAN;
	m->fpr = m->fp + m->tn ? (double)m->fp / (double)(m->fp + m->tn) : NAN;
	m->f1 = isnan(m->precision) || isnan(m->recall) ||
	                m->precision + m->recall == 0
	            ? NAN
	            : 2 * m->precision * m->recall / (m->precision + m->recall);
}

static bool in_slice(const tsgi_eval_rec *r, const tsgi_eval_slice *sl)
{
	if (!sl)
		return true;
	if (sl->channel && r->channel != *sl->channel)
		return false;
	if (sl->lang) {
		const char *l = r->lang ? r->lang : "?";
		if (strcmp(l, sl->lang))
			return false;
	}
	if (sl->category &&
	    (r->label != TSGI_LABEL_SCAM || !r->category ||
	     strcmp(r->category, sl->category)))
		return false;
	return true;
}

void tsgi_eval_compute(const tsgi_eval_set *s, const tsgi_eval_slice *slice,
                       double threshold, double t_suspicious,
                       tsgi_eval_metrics *m)
{
	memset(m, 0, sizeof *m);
	double *sc = malloc((s->n ? s->n : 1) * sizeof *sc);
	uint8_t *pos = malloc(s->n ? s->n : 1);
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++) {
		const tsgi_eval_rec *r = &s->r[i];
		if (!in_slice(r, slice))
			continue;
		bool flag = r->score >= threshold;
		if (r->label == TSGI_LABEL_SPAM) {
			m->spam++;
			m->spam_flagged += flag;
			continue;
		}
		if (r->label == TSGI_LABEL_SCAM) {
			m->scam++;
			if (flag)
				m->tp++;
			else
				m->fn++;
		} else {
			m->ham++;
			if (flag)
				m->fp++;
			else
				m->tn++;
			m->ham_suspicious += r->score >= t_suspicious;
		}
		if (sc && pos) {
			sc[k] = r->score;
			pos[k] = r->label == TSGI_LABEL_SCAM;
			k++;
		}
	}
	tsgi_eval_rates(m);
	m->auc = sc && pos ? tsgi_eval_auc(sc, pos, k) : NAN;
	free(sc);
	free(pos);
}

/* ---- slices present in a set ------------------------------------------- */

typedef struct slice_list {
	tsgi_eval_slice v[64];
	char name[64][48];
	tsg_channel ch[TSG_CHANNEL__COUNT];
	size_t n;
} slice_list;

static void add_named(slice_list *l, const char *name, tsgi_eval_slice sl)
{
	if (l->n >= 64)
		return;
	l->v[l->n] = sl;
	snprintf(l->name[l->n], sizeof l->name[l->n], "%s", name);
	l->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every channel, scam category and language present, in a fixed order. */
static void slices(const tsgi_eval_set *s, slice_list *l)
{
	memset(l, 0, sizeof *l);
	add_named(l, "all", (tsgi_eval_slice){0});
	for (int c = 1; c < TSG_CHANNEL__COUNT; c++) {
		l->ch[c] = (tsg_channel)c;
		bool any = false;
		for (size_t i = 0; i < s->n && !any; i++)
			any = s->r[i].channel == (tsg_channel)c;
		if (any) {
			char nm[48];
			snprintf(nm, sizeof nm, "channel %s", tsg_channel_name((tsg_channel)c));
			add_named(l, nm, (tsgi_eval_slice){.channel = &l->ch[c]});
		}
	}
	const char *seen[64];
	size_t ns = 0;
	for (int pass = 0; pass < 2; pass++) {
		ns = 0;
		for (size_t i = 0; i < s->n; i++) {
			const char *v = pass == 0 ? (s->r[i].label == TSGI_LABEL_SCAM
			                                 ? s->r[i].category
			                                 : NULL)
			                          : (s->r[i].lang ? s->r[i].lang : "?");
			if (!v)
				continue;
			bool dup = false;
			for (size_t j = 0; j < ns && !dup; j++)
				dup = !strcmp(seen[j], v);
			if (!dup && ns < 64)
				seen[ns++] = v;
		}
		qsort(seen, ns, sizeof *seen, cmp_str);
		for (size_t j = 0; j < ns; j++) {
			char nm[48];
			snprintf(nm, sizeof nm, "%s %s", pass == 0 ? "category" : "lang",
			         seen[j]);
			/* seen[j] points into the set, which outlives the list */
			add_named(l, nm,
			          pass == 0 ? (tsgi_eval_slice){.category = seen[j]}
			                    : (tsgi_eval_slice){.lang = seen[j]});
		}
	}
}

static void fmt(char *b, size_t n, double v, int digits)
{
	if (isnan(v))
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%.*f", digits, v);
}

/* ---- language guess ---------------------------------------------------- */

/* For each language: records labelled with it that have a guess, and how
 * many of those the guess got right.  False when no record has both. */
static bool guess_counts(const tsgi_eval_set *s, size_t n[TSGI_NLANGS],
                         size_t right[TSGI_NLANGS])
{
	size_t any = 0;
	for (int l = 0; l < TSGI_NLANGS; l++)
		n[l] = right[l] = 0;
	for (size_t i = 0; i < s->n; i++) {
		const tsgi_eval_rec *r = &s->r[i];
		int l = r->guess ? tsgi_lang_index(r->lang) : -1;
		if (l < 0)
			continue;
		n[l]++;
		right[l] += !strcmp(r->guess, r->lang);
		any++;
	}
	return any > 0;
}

/* ---- text -------------------------------------------------------------- */

void tsgi_eval_print_text(FILE *f, const tsgi_eval_set *s,
                          const tsgi_eval_report *o)
{
	slice_list l;
	slices(s, &l);
	if (o->model_info)
		fprintf(f, "model: %s\n", o->model_info);
	fprintf(f, "threshold %.3f (scam when score >= threshold); %zu records\n\n",
	        o->threshold, s->n);
	fprintf(f, "%-24s %6s %6s %6s %5s %5s %5s %9s %9s %9s %9s %9s %10s\n",
	        "slice", "scam", "ham", "spam", "TP", "FN", "FP", "precision",
	        "recall", "FPR", "F1", "AUC", "spam_flag");
	for (size_t i = 0; i < l.n; i++) {
		tsgi_eval_metrics m;
		tsgi_eval_compute(s, &l.v[i], o->threshold, o->t_suspicious, &m);
		char p[16], r[16], fp[16], f1[16], auc[16];
		fmt(p, sizeof p, m.precision, 4);
		fmt(r, sizeof r, m.recall, 4);
		fmt(fp, sizeof fp, m.fpr, 5);
		fmt(f1, sizeof f1, m.f1, 4);
		fmt(auc, sizeof auc, m.auc, 4);
		fprintf(f, "%-24s %6zu %6zu %6zu %5zu %5zu %5zu %9s %9s %9s %9s %9s "
		           "%5zu/%-4zu\n",
		        l.name[i], m.scam, m.ham, m.spam, m.tp, m.fn, m.fp, p, r, fp, f1,
		        auc, m.spam_flagged, m.spam);
	}
	fprintf(f, "\nthreshold sweep (all records):\n%9s %9s %9s %9s %9s %6s\n",
	        "threshold", "precision", "recall", "FPR", "F1", "FP");
	for (int t = 1; t <= 19; t++) {
		tsgi_eval_metrics m;
		tsgi_eval_compute(s, NULL, t * 0.05, o->t_suspicious, &m);
		char p[16], r[16], fp[16], f1[16];
		fmt(p, sizeof p, m.precision, 4);
		fmt(r, sizeof r, m.recall, 4);
		fmt(fp, sizeof fp, m.fpr, 5);
		fmt(f1, sizeof f1, m.f1, 4);
		fprintf(f, "%9.2f %9s %9s %9s %9s %6zu\n", t * 0.05, p, r, fp, f1, m.fp);
	}
	size_t gn[TSGI_NLANGS], gr[TSGI_NLANGS];
	if (guess_counts(s, gn, gr)) {
		fprintf(f, "\nlanguage guessed from the text alone (records with a "
		           "lang):\n");
		for (int l = 0; l < TSGI_NLANGS; l++)
			if (gn[l])
				fprintf(f, "%9s %6zu/%-6zu %.4f\n", tsgi_lang_codes[l], gr[l], gn[l],
				        (double)gr[l] / (double)gn[l]);
	}
	if (o->errors) {
		fprintf(f, "\nmisclassified at %.3f:\n", o->threshold);
		for (size_t i = 0; i < s->n; i++) {
			const tsgi_eval_rec *r = &s->r[i];
			bool flag = r->score >= o->threshold;
			if (r->label == TSGI_LABEL_SCAM && !flag)
				fprintf(f, "  missed scam  %-40s %-6s %.3f\n", r->id,
				        tsg_channel_name(r->channel), r->score);
			else if (r->label == TSGI_LABEL_HAM && flag)
				fprintf(f, "  flagged ham  %-40s %-6s %.3f\n", r->id,
				        tsg_channel_name(r->channel), r->score);
		}
	}
}

/* ---- JSON -------------------------------------------------------------- */

static void jnum(tsgi_jw *w, const char *k, double v)
{
	tsgi_jw_key(w, k);
	if (isnan(v))
		tsgi_jw_null(w);
	else
		tsgi_jw_num(w, v);
}

static void jmetrics(tsgi_jw *w, const tsgi_eval_metrics *m)
{
	tsgi_jw_key(w, "scam");
	tsgi_jw_int(w, (long long)m->scam);
	tsgi_jw_key(w, "ham");
	tsgi_jw_int(w, (long long)m->ham);
	tsgi_jw_key(w, "spam");
	tsgi_jw_int(w, (long long)m->spam);
	tsgi_jw_key(w, "tp");
	tsgi_jw_int(w, (long long)m->tp);
	tsgi_jw_key(w, "fn");
	tsgi_jw_int(w, (long long)m->fn);
	tsgi_jw_key(w, "fp");
	tsgi_jw_int(w, (long long)m->fp);
	tsgi_jw_key(w, "tn");
	tsgi_jw_int(w, (long long)m->tn);
	tsgi_jw_key(w, "spam_flagged");
	tsgi_jw_int(w, (long long)m->spam_flagged);
	tsgi_jw_key(w, "ham_suspicious");
	tsgi_jw_int(w, (long long)m->ham_suspicious);
	jnum(w, "precision", m->precision);
	jnum(w, "recall", m->recall);
	jnum(w, "fpr", m->fpr);
	jnum(w, "f1", m->f1);
	jnum(w, "auc", m->auc);
}

char *tsgi_eval_json(const tsgi_eval_set *s, const tsgi_eval_report *o)
{
	slice_list l;
	slices(s, &l);
	tsgi_buf b;
	tsgi_buf_init(&b, (size_t)1 << 30);
	tsgi_jw w;
	tsgi_jw_init(&w, &b, true);
	tsgi_jw_obj(&w);
	tsgi_jw_key(&w, "threshold");
	tsgi_jw_num(&w, o->threshold);
	tsgi_jw_key(&w, "records");
	tsgi_jw_int(&w, (long long)s->n);
	tsgi_jw_key(&w, "model");
	tsgi_jw_str(&w, o->model_info);
	tsgi_jw_key(&w, "slices");
	tsgi_jw_arr(&w);
	for (size_t i = 0; i < l.n; i++) {
		tsgi_eval_metrics m;
		tsgi_eval_compute(s, &l.v[i], o->threshold, o->t_suspicious, &m);
		tsgi_jw_obj(&w);
		tsgi_jw_key(&w, "slice");
		tsgi_jw_str(&w, l.name[i]);
		jmetrics(&w, &m);
		tsgi_jw_key(&w, "sweep");
		tsgi_jw_arr(&w);
		for (int t = 1; t <= 19; t++) {
			tsgi_eval_metrics q;
			tsgi_eval_compute(s, &l.v[i], t * 0.05, o->t_suspicious, &q);
			tsgi_jw_obj(&w);
			jnum(&w, "threshold", t * 0.05);
			jmetrics(&w, &q);
			tsgi_jw_obj_end(&w);
		}
		tsgi_jw_arr_end(&w);
		tsgi_jw_obj_end(&w);
	}
	tsgi_jw_arr_end(&w);
	size_t gn[TSGI_NLANGS], gr[TSGI_NLANGS];
	if (guess_counts(s, gn, gr)) {
		tsgi_jw_key(&w, "lang_guess");
		tsgi_jw_arr(&w);
		for (int l = 0; l < TSGI_NLANGS; l++) {
			if (!gn[l])
				continue;
			tsgi_jw_obj(&w);
			tsgi_jw_key(&w, "lang");
			tsgi_jw_str(&w, tsgi_lang_codes[l]);
			tsgi_jw_key(&w, "records");
			tsgi_jw_int(&w, (long long)gn[l]);
			tsgi_jw_key(&w, "right");
			tsgi_jw_int(&w, (long long)gr[l]);
			tsgi_jw_obj_end(&w);
		}
		tsgi_jw_arr_end(&w);
	}
	if (o->errors) {
		tsgi_jw_key(&w, "errors");
		tsgi_jw_arr(&w);
		for (size_t i = 0; i < s->n; i++) {
			const tsgi_eval_rec *r = &s->r[i];
			bool flag = r->score >= o->threshold;
			if (!((r->label == TSGI_LABEL_SCAM && !flag) ||
			      (r->label == TSGI_LABEL_HAM && flag)))
				continue;
			tsgi_jw_obj(&w);
			tsgi_jw_key(&w, "id");
			tsgi_jw_str(&w, r->id);
			tsgi_jw_key(&w, "label");
			tsgi_jw_str(&w, tsgi_label_name(r->label));
			tsgi_jw_key(&w, "channel");
			tsgi_jw_str(&w, tsg_channel_name(r->channel));
			tsgi_jw_key(&w, "score");
			tsgi_jw_num(&w, r->score);
			tsgi_jw_obj_end(&w);
		}
		tsgi_jw_arr_end(&w);
	}
	tsgi_jw_obj_end(&w);
	if (b.failed) {
		tsgi_buf_free(&b);
		return NULL;
	}
	return tsgi_buf_take(&b);
}

/* ---- markdown ---------------------------------------------------------- */

static void md_row(FILE *f, const char *name, const tsgi_eval_metrics *m,
                   const char *target)
{
	char p[16], r[16], fp[16], f1[16], auc[16];
	fmt(p, sizeof p, m->precision, 3);
	fmt(r, sizeof r, m->recall, 3);
	if (isnan(m->fpr))
		snprintf(fp, sizeof fp, "-");
	else
		snprintf(fp, sizeof fp, "%.2f%%", 100 * m->fpr);
	fmt(f1, sizeof f1, m->f1, 3);
	fmt(auc, sizeof auc, m->auc, 4);
	fprintf(f, "| %s | %zu | %zu | %zu | %s (%zu/%zu) | %s (%zu) | %s | %s | %s "
	           "| %zu/%zu | %s |\n",
	        name, m->scam, m->ham, m->spam, r, m->tp, m->scam, fp, m->fp, p, f1,
	        auc, m->spam_flagged, m->spam, target);
}

static const char *channel_target(const char *ch, const tsgi_eval_metrics *m,
                                  char *buf, size_t n)
{
	if (!strcmp(ch, "email") || !strcmp(ch, "sms") || !strcmp(ch, "call")) {
		bool rec = !isnan(m->recall) && m->recall >= 0.95;
		bool fpr = isnan(m->fpr) || m->fpr <= 0.001;
		snprintf(buf, n, "recall >= 0.95: %s; ham FPR <= 0.1%%: %s",
		         m->scam == 0 ? "no scam in split" : rec ? "met" : "**MISSED**",
		         m->ham == 0 ? "no ham in split" : fpr ? "met" : "**MISSED**");
		return buf;
	}
	if (!strcmp(ch, "web")) {
		snprintf(buf, n, "every scam page: %s; no clean page flagged: %s",
		         m->scam == 0          ? "no scam page in split"
		         : m->tp == m->scam    ? "met"
		                               : "**MISSED**",
		         m->ham_suspicious == 0 ? "met" : "**MISSED**");
		return buf;
	}
	return "-";
}

void tsgi_eval_print_markdown(FILE *f, const tsgi_eval_set *s,
                              const tsgi_eval_report *o, const char *keep)
{
	slice_list l;
	slices(s, &l);
	fprintf(f, "# Accuracy on the corpus test split\n\n"
	           "Generated by `make accuracy`; do not edit above the notes "
	           "marker.\n\n");
	fprintf(f, "| what | value |\n|---|---|\n");
	for (size_t i = 0; i < o->ncommands; i++)
		fprintf(f, "| command %zu | `%s` |\n", i + 1, o->commands[i]);
	if (o->corpus)
		fprintf(f, "| corpus | %s |\n", o->corpus);
	if (o->model_info)
		fprintf(f, "| model | %s |\n", o->model_info);
	fprintf(f, "| threshold | score >= %.2f is scam (threshold.scam); "
	           "suspicious from %.2f |\n\n",
	        o->threshold, o->t_suspicious);
	fprintf(f, "Scam is the positive class, ham the negative; spam counts "
	           "neither way and is shown as the share flagged scam.\n\n");
	fprintf(f, "| slice | scam | ham | spam | scam recall | ham FPR (FP) | "
	           "precision | F1 | ROC-AUC | spam flagged | target |\n"
	           "|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < l.n; i++) {
		tsgi_eval_metrics m;
		tsgi_eval_compute(s, &l.v[i], o->threshold, o->t_suspicious, &m);
		char tb[160];
		const char *target = "-";
		if (!strncmp(l.name[i], "channel ", 8))
			target = channel_target(l.name[i] + 8, &m, tb, sizeof tb);
		md_row(f, l.name[i], &m, target);
	}
	fprintf(f, "\nCategory rows hold the scam records of that category only "
	           "(recall). Web: a clean page counts as flagged from the "
	           "suspicious threshold on.\n\n## Threshold sweep (all records)"
	           "\n\n| threshold | precision | scam recall | ham FPR | F1 | ham "
	           "FP |\n|---|---|---|---|---|---|\n");
	for (int t = 1; t <= 19; t++) {
		tsgi_eval_metrics m;
		tsgi_eval_compute(s, NULL, t * 0.05, o->t_suspicious, &m);
		char p[16], r[16], fp[16], f1[16];
		fmt(p, sizeof p, m.precision, 3);
		fmt(r, sizeof r, m.recall, 3);
		snprintf(fp, sizeof fp, "%.3f%%", isnan(m.fpr) ? 0 : 100 * m.fpr);
		fmt(f1, sizeof f1, m.f1, 3);
		fprintf(f, "| %.2f | %s | %s | %s | %s | %zu |\n", t * 0.05, p, r, fp,
		        f1, m.fp);
	}
	size_t gn[TSGI_NLANGS], gr[TSGI_NLANGS];
	if (guess_counts(s, gn, gr)) {
		fprintf(f, "\n## Language guessed from the text alone\n\n"
		           "The scan uses a record's `lang`; this is what the "
		           "engine would guess without it.\n\n"
		           "| lang | records | guessed right |\n|---|---|---|\n");
		for (int l = 0; l < TSGI_NLANGS; l++)
			if (gn[l])
				fprintf(f, "| %s | %zu | %.1f%% (%zu) |\n", tsgi_lang_codes[l],
				        gn[l], 100.0 * (double)gr[l] / (double)gn[l], gr[l]);
	}
	fprintf(f, "\n%s\n", TSGI_EVAL_NOTES_MARK);
	if (keep)
		fputs(keep, f);
}
