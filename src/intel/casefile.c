/*
 * casefile.c - one campaign as a self-contained HTML case file for
 * investigators: no script, no external resource, readable offline and
 * printable.  Sections: summary, timeline (inline SVG), indicators,
 * victims by country, losses, sample narratives with the extracted
 * evidence highlighted.  Every byte that comes from a report is
 * HTML-escaped; invalid UTF-8 is replaced by U+FFFD.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "intel.h"
#include "tsguard_limits.h"

static void esc(FILE *f, const char *s, size_t n)
{
	const char *end = s + n;
	while (s < end) {
		const char *next;
		gunichar c = g_utf8_get_char_validated(s, end - s);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			fputs("\xEF\xBF\xBD", f);
			s++;
			continue;
		}
		next = g_utf8_next_char(s);
		switch (c) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		case 0:
			fputs(" ", f);
			break;
		default:
			fwrite(s, 1, (size_t)(next - s), f);
		}
		s = next;
	}
}

static void escs(FILE *f, const char *s)
{
	if (s)
		esc(f, s, strlen(s));
}

static void timeline(FILE *f, const tsgi_dataset *ds, const tsgi_campaign *c)
{
	enum { W = 720, H = 160, NB = 60 };
	long long span = c->last - c->first;
	long long bucket = span / NB + 1;
	if (bucket < 86400)
		bucket = 86400;
	size_t counts[NB + 1] = {0}, maxc = 1;
	for (size_t i = 0; i < c->nreps; i++) {
		long long b = (tsgi_ds_report_at(ds, c->reps[i])->t - c->first) / bucket;
		if (b < 0)
			b = 0;
		if (b > NB)
			b = NB;
		if (++counts[b] > maxc)
			maxc = counts[b];
	}
	long long nb = span / bucket + 1;
	if (nb > NB + 1)
		nb = NB + 1;
	double bw = (double)(W - 40) / (double)nb;
	char t1[32], t2[32];
	tsgi_format_time(c->first, t1, sizeof t1);
	tsgi_format_time(c->last, t2, sizeof t2);
	fprintf(f,
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	        "role=\"img\" aria-label=\"reports over time\">\n"
	        "<line x1=\"30\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n",
	        W, H + 30, H, W - 10, H);
	for (long long b = 0; b < nb; b++) {
		double h = (double)counts[b] / (double)maxc * (H - 20);
		fprintf(f,
		        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		        "fill=\"#b33\"><title>%zu report(s)</title></rect>\n",
		        30 + b * bw, H - h, bw > 2 ? bw - 1 : bw, h, counts[b]);
	}
	fprintf(f,
	        "<text x=\"30\" y=\"%d\" font-size=\"12\">%.10s</text>\n"
	        "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%.10s"
	        "</text>\n<text x=\"4\" y=\"16\" font-size=\"12\">%zu</text>\n</svg>\n",
	        H + 20, t1, W - 10, H + 20, t2, maxc);
}

struct sample_ctx {
	FILE *f;
	const tsgi_dataset *ds;
	size_t rep;
};

typedef struct span {
	int32_t s, e;
	const char *kind;
} span;

static int span_cmp(const void *a, const void *b)
{
	const span *x = a, *y = b;
	return x->s < y->s ? -1 : x->s > y->s;
}

static int print_sample(void *ctx, const tsgi_sreport *r)
{
	struct sample_ctx *sc = ctx;
	FILE *f = sc->f;
	const char *text = r->content ? r->content : "";
	size_t len = strlen(text);
	size_t n;
	const uint32_t *inds = tsgi_ds_report_inds(sc->ds, sc->rep, &n);
	const int32_t *spans = tsgi_ds_report_spans(sc->ds, sc->rep);
	span *sp = calloc(n ? n : 1, sizeof *sp);
	size_t ns = 0;
	for (size_t i = 0; sp && spans && i < n; i++) {
		if (spans[2 * i] < 0 || (size_t)spans[2 * i + 1] > len)
			continue;
		sp[ns++] = (span){spans[2 * i], spans[2 * i + 1],
		                  tsg_indicator_kind_name((tsg_indicator_kind)tsgi_ds_ind_at(
		                      sc->ds, inds[i])->kind)};
	}
	if (ns)
		qsort(sp, ns, sizeof *sp, span_cmp);
	fputs("<article><h3>", f);
	escs(f, r->id);
	fputs(" <small>", f);
	escs(f, r->received_at);
	fputs(" · ", f);
	escs(f, r->channel ? r->channel : "unknown channel");
	if (r->country) {
		fputs(" · ", f);
		escs(f, r->country);
	}
	fputs("</small></h3>\n<p class=\"narrative\">", f);
	size_t at = 0;
	for (size_t i = 0; i < ns; i++) {
		size_t s = (size_t)sp[i].s, e = (size_t)sp[i].e;
		if (s < at)
			continue; /* overlapping spans: keep the first */
		esc(f, text + at, s - at);
		fputs("<mark title=\"", f);
		escs(f, sp[i].kind);
		fputs("\">", f);
		esc(f, text + s, e - s);
		fputs("</mark>", f);
		at = e;
	}
	esc(f, text + at, len - at);
	fputs("</p></article>\n", f);
	free(sp);
	return 0;
}

tsg_status tsgi_casefile(const tsgi_dataset *ds, tsgi_store *s,
                         const char *campaign, long long now, FILE *f,
                         char *err, size_t errlen)
{
	const tsgi_campaign *c = tsgi_ds_campaign_find(ds, campaign);
	if (!c) {
		snprintf(err, errlen, "no campaign '%s' (run `tsguard campaigns` first)",
		         campaign);
		return TSG_ENOTFOUND;
	}
	char t1[32], t2[32], tn[32];
	tsgi_format_time(c->first, t1, sizeof t1);
	tsgi_format_time(c->last, t2, sizeof t2);
	tsgi_format_time(now, tn, sizeof tn);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
	      "'none'; style-src 'unsafe-inline'\">\n<title>Case file ",
	      f);
	escs(f, c->id);
	fputs("</title>\n<style>body{font:14px/1.45 sans-serif;margin:2em;max-width:"
	      "60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
	      "padding:2px 8px;text-align:left}mark{background:#fd6}"
	      ".narrative{white-space:pre-wrap;background:#f6f6f6;padding:.5em}"
	      "small{color:#666}</style></head><body>\n",
	      f);
	fputs("<h1>Case file: ", f);
	escs(f, c->id);
	fputs("</h1>\n<section><h2>Summary</h2><ul>\n", f);
	fprintf(f, "<li>%zu victim report%s from %.10s to %.10s (%.0f days)</li>\n",
	        c->nreps, c->nreps == 1 ? "" : "s", t1, t2,
	        (double)(c->last - c->first) / 86400.0);
	if (c->nbrands) {
		fputs("<li>Impersonates: ", f);
		for (size_t i = 0; i < c->nbrands; i++) {
			if (i)
				fputs(", ", f);
			escs(f, c->brands[i].name);
			fprintf(f, " (%.0f)", c->brands[i].n);
		}
		fputs("</li>\n", f);
	}
	fputs("<li>Channels: ", f);
	for (size_t i = 0; i < c->nchannels; i++) {
		if (i)
			fputs(", ", f);
		escs(f, c->channels[i].name);
		fprintf(f, " (%.0f)", c->channels[i].n);
	}
	fputs("</li>\n", f);
	size_t linked = 0;
	for (size_t i = 0; i < c->ninds; i++)
		linked += c->inds[i].linked;
	fprintf(f, "<li>%zu indicator%s link these reports</li>\n", linked,
	        linked == 1 ? "" : "s");
	fprintf(f, "<li>Generated by tsguard %s at %s</li></ul></section>\n",
	        tsg_version(), tn);

	fputs("<section><h2>Timeline</h2>\n", f);
	timeline(f, ds, c);
	fputs("</section>\n<section><h2>Indicators</h2>\n<table><tr><th>Kind</th>"
	      "<th>Value</th><th>Detail</th><th>Reports</th><th>First seen</th>"
	      "<th>Last seen</th><th>Links</th></tr>\n",
	      f);
	for (size_t i = 0; i < c->ninds; i++) {
		const tsgi_camp_ind *ci = &c->inds[i];
		const tsgi_ds_ind *x = tsgi_ds_ind_at(ds, ci->ind);
		char a[32], b[32];
		tsgi_format_time(ci->first, a, sizeof a);
		tsgi_format_time(ci->last, b, sizeof b);
		fputs("<tr><td>", f);
		escs(f, tsg_indicator_kind_name((tsg_indicator_kind)x->kind));
		fputs("</td><td>", f);
		escs(f, x->value);
		fputs("</td><td>", f);
		escs(f, x->detail);
		fprintf(f, "</td><td>%u</td><td>%.10s</td><td>%.10s</td><td>%s</td></tr>\n",
		        ci->count, a, b,
		        ci->linked ? "yes"
		                   : (x->flags & TSG_IND_F_OFFICIAL ? "no (official)"
		                                                    : "no (common)"));
	}
	fputs("</table></section>\n<section><h2>Victims by country</h2>\n<table>"
	      "<tr><th>Country</th><th>Reports</th></tr>\n",
	      f);
	for (size_t i = 0; i < c->ncountries; i++) {
		fputs("<tr><td>", f);
		escs(f, c->countries[i].name);
		fprintf(f, "</td><td>%.0f</td></tr>\n", c->countries[i].n);
	}
	fputs("</table></section>\n<section><h2>Losses</h2>\n<table><tr><th>"
	      "Currency</th><th>Total reported</th></tr>\n",
	      f);
	for (size_t i = 0; i < c->nlosses; i++) {
		fputs("<tr><td>", f);
		escs(f, c->losses[i].name);
		fprintf(f, "</td><td>%.2f</td></tr>\n", c->losses[i].n);
	}
	if (!c->nlosses)
		fputs("<tr><td colspan=\"2\">none reported</td></tr>\n", f);
	fputs("</table></section>\n<section><h2>Sample narratives</h2>\n", f);
	/* Samples spread evenly over the campaign's time line. */
	size_t want = c->nreps < TSG_MAX_CASE_SAMPLES ? c->nreps : TSG_MAX_CASE_SAMPLES;
	tsg_status st = TSG_OK;
	for (size_t k = 0; k < want; k++) {
		size_t idx = want == 1 ? 0 : k * (c->nreps - 1) / (want - 1);
		struct sample_ctx sc = {f, ds, c->reps[idx]};
		st = tsgi_store_get(s, tsgi_ds_report_at(ds, c->reps[idx])->id,
		                    print_sample, &sc);
		if (st != TSG_OK && st != TSG_ENOTFOUND) {
			snprintf(err, errlen, "%s", tsgi_store_errmsg(s));
			return st;
		}
	}
	fputs("</section>\n</body></html>\n", f);
	return ferror(f) ? TSG_EIO : TSG_OK;
}
