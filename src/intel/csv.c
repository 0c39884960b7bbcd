/*
 * csv.c - campaigns as CSV (RFC 4180): one row per (campaign, indicator)
 * with the campaign's report count and span, for spreadsheets and
 * blocklists.  Fields that start with = + - @ are prefixed with ' so that
 * a spreadsheet does not run them as formulas.
 */
#include <string.h>

#include "intel.h"

static void field(FILE *f, const char *s, bool last)
{
	if (!s)
		s = "";
	bool formula = strchr("=+-@", s[0]) && s[0];
	fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s == '\r' || *s == '\n' ? ' ' : *s, f);
	}
	fputc('"', f);
	fputs(last ? "\r\n" : ",", f);
}

tsg_status tsgi_export_csv(const tsgi_dataset *ds, const tsgi_export_sel *sel,
                           FILE *f)
{
	size_t n = tsgi_export_count(ds, sel);
	if (sel->campaign && !n)
		return TSG_ENOTFOUND;
	fputs("campaign,campaign_reports,campaign_first_seen,campaign_last_seen,"
	      "brand,kind,value,detail,count,first_seen,last_seen,links\r\n",
	      f);
	for (size_t i = 0; i < tsgi_ds_ncampaigns(ds); i++) {
		const tsgi_campaign *c = tsgi_ds_campaign_at(ds, i);
		if (!tsgi_export_wants(sel, c))
			continue;
		char cf[32], cl[32], nr[32];
		tsgi_format_time(c->first, cf, sizeof cf);
		tsgi_format_time(c->last, cl, sizeof cl);
		snprintf(nr, sizeof nr, "%zu", c->nreps);
		for (size_t k = 0; k < c->ninds; k++) {
			const tsgi_camp_ind *ci = &c->inds[k];
			const tsgi_ds_ind *x = tsgi_ds_ind_at(ds, ci->ind);
			char ff[32], fl[32], cnt[32];
			tsgi_format_time(ci->first, ff, sizeof ff);
			tsgi_format_time(ci->last, fl, sizeof fl);
			snprintf(cnt, sizeof cnt, "%u", ci->count);
			field(f, c->id, false);
			field(f, nr, false);
			field(f, cf, false);
			field(f, cl, false);
			field(f, c->nbrands ? c->brands[0].name : "", false);
			field(f, tsg_indicator_kind_name((tsg_indicator_kind)x->kind), false);
			field(f, x->value, false);
			field(f, x->detail, false);
			field(f, cnt, false);
			field(f, ff, false);
			field(f, fl, false);
			field(f, ci->linked ? "yes" : "no", true);
		}
	}
	return TSG_OK;
}
