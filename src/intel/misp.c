/*
 * misp.c - campaigns as MISP events (docs/store.md, "MISP").
 *
 * One event per campaign; several are wrapped as {"response": [...]} like
 * MISP's own restSearch output.  Object templates used (misp-objects):
 *   phone-number  c4b5a67c-63d2-11ec-90d6-0242ac120003 v1  (phone-number,
 *                 country-code, text)
 *   url           60efb77b-40b5-4c46-871b-ed1ed999fce5 v3  (url, host,
 *                 first-seen, last-seen)
 *   btc-wallet    22910C83-DD0E-4ED2-9823-45F8CAD562A4 v2  (wallet-address)
 *   rmm           2cdcfb2a-dd74-4d88-ae02-6f381b312666 v3  (rmm-type, guid)
 * Domains are "domain" attributes and mailboxes "email-src" attributes
 * (category "Network activity" / "Payload delivery"); IBANs "iban" and
 * other wallets "text" attributes in "Financial fraud".  UUIDs are derived
 * from the campaign and value, so re-exports update rather than duplicate.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "intel.h"

static void uuid5(char out[40], const char *a, const char *b)
{
	static const unsigned char ns[16] = {0x1d, 0x5e, 0x73, 0x0a, 0x2b, 0x44,
	                                     0x50, 0x91, 0xa3, 0x6c, 0x5f, 0x08,
	                                     0x3e, 0x21, 0x9c, 0x4b};
	const char *parts[] = {a, b};
	tsgi_uuid5(out, ns, parts, 2);
}

static void attr(tsgi_jw *w, const char *camp, const char *type,
                 const char *relation, const char *category, const char *value,
                 bool to_ids, const char *comment)
{
	char u[40];
	uuid5(u, camp, relation ? relation : type);
	char u2[40];
	uuid5(u2, u, value);
	tsgi_jw_obj(w);
	tsgi_jw_key(w, "uuid");
	tsgi_jw_str(w, u2);
	tsgi_jw_key(w, "type");
	tsgi_jw_str(w, type);
	if (relation) {
		tsgi_jw_key(w, "object_relation");
		tsgi_jw_str(w, relation);
	}
	tsgi_jw_key(w, "category");
	tsgi_jw_str(w, category);
	tsgi_jw_key(w, "value");
	tsgi_jw_str(w, value);
	tsgi_jw_key(w, "to_ids");
	tsgi_jw_bool(w, to_ids);
	tsgi_jw_key(w, "disable_correlation");
	tsgi_jw_bool(w, false);
	if (comment) {
		tsgi_jw_key(w, "comment");
		tsgi_jw_str(w, comment);
	}
	tsgi_jw_obj_end(w);
}

static void object_head(tsgi_jw *w, const char *camp, const char *name,
                        const char *meta, const char *tmpl, const char *ver,
                        const char *value, const char *first, const char *last)
{
	char u[40];
	uuid5(u, camp, value);
	tsgi_jw_obj(w);
	tsgi_jw_key(w, "uuid");
	tsgi_jw_str(w, u);
	tsgi_jw_key(w, "name");
	tsgi_jw_str(w, name);
	tsgi_jw_key(w, "meta-category");
	tsgi_jw_str(w, meta);
	tsgi_jw_key(w, "template_uuid");
	tsgi_jw_str(w, tmpl);
	tsgi_jw_key(w, "template_version");
	tsgi_jw_str(w, ver);
	tsgi_jw_key(w, "distribution");
	tsgi_jw_str(w, "5");
	tsgi_jw_key(w, "first_seen");
	tsgi_jw_str(w, first);
	tsgi_jw_key(w, "last_seen");
	tsgi_jw_str(w, last);
	tsgi_jw_key(w, "Attribute");
	tsgi_jw_arr(w);
}

static void event(tsgi_jw *w, const tsgi_dataset *ds, const tsgi_campaign *c,
                  long long now)
{
	char u[40], date[32], info[512], ts[32];
	uuid5(u, "event", c->id);
	tsgi_format_time(c->first, date, sizeof date);
	date[10] = '\0';
	snprintf(info, sizeof info,
	         "tsguard campaign %s: tech-support scam, %zu victim report%s%s%s",
	         c->id, c->nreps, c->nreps == 1 ? "" : "s",
	         c->nbrands ? ", impersonating " : "",
	         c->nbrands ? c->brands[0].name : "");
	snprintf(ts, sizeof ts, "%lld", now);
	tsgi_jw_obj(w);
	tsgi_jw_key(w, "Event");
	tsgi_jw_obj(w);
	tsgi_jw_key(w, "uuid");
	tsgi_jw_str(w, u);
	tsgi_jw_key(w, "info");
	tsgi_jw_str(w, info);
	tsgi_jw_key(w, "date");
	tsgi_jw_str(w, date);
	tsgi_jw_key(w, "timestamp");
	tsgi_jw_str(w, ts);
	tsgi_jw_key(w, "published");
	tsgi_jw_bool(w, false);
	tsgi_jw_key(w, "analysis");
	tsgi_jw_str(w, "2");
	tsgi_jw_key(w, "threat_level_id");
	tsgi_jw_str(w, "2");
	tsgi_jw_key(w, "distribution");
	tsgi_jw_str(w, "0");
	tsgi_jw_key(w, "Tag");
	tsgi_jw_arr(w);
	tsgi_jw_obj(w);
	tsgi_jw_key(w, "name");
	tsgi_jw_str(w, "tlp:amber");
	tsgi_jw_obj_end(w);
	tsgi_jw_obj(w);
	tsgi_jw_key(w, "name");
	tsgi_jw_str(w, "circl:incident-classification=\"scam\"");
	tsgi_jw_obj_end(w);
	tsgi_jw_arr_end(w);

	tsgi_jw_key(w, "Attribute");
	tsgi_jw_arr(w);
	attr(w, c->id, "text", NULL, "Other", c->id, false, "tsguard campaign id");
	for (size_t k = 0; k < c->ninds; k++) {
		const tsgi_camp_ind *ci = &c->inds[k];
		const tsgi_ds_ind *x = tsgi_ds_ind_at(ds, ci->ind);
		if (!ci->linked)
			continue;
		if (x->kind == TSG_IND_DOMAIN)
			attr(w, c->id, "domain", NULL, "Network activity", x->value, true,
			     NULL);
		else if (x->kind == TSG_IND_EMAIL)
			attr(w, c->id, "email-src", NULL, "Payload delivery", x->value, true,
			     NULL);
		else if (x->kind == TSG_IND_IBAN)
			attr(w, c->id, "iban", NULL, "Financial fraud", x->value, true, NULL);
		else if (x->kind == TSG_IND_ETH || x->kind == TSG_IND_TRON ||
		         x->kind == TSG_IND_PAYMENT)
			attr(w, c->id, "text", NULL, "Financial fraud", x->value, false,
			     tsg_indicator_kind_name((tsg_indicator_kind)x->kind));
	}
	tsgi_jw_arr_end(w);

	tsgi_jw_key(w, "Object");
	tsgi_jw_arr(w);
	for (size_t k = 0; k < c->ninds; k++) {
		const tsgi_camp_ind *ci = &c->inds[k];
		const tsgi_ds_ind *x = tsgi_ds_ind_at(ds, ci->ind);
		if (!ci->linked)
			continue;
		char f[32], l[32], cnt[64];
		tsgi_format_time(ci->first, f, sizeof f);
		tsgi_format_time(ci->last, l, sizeof l);
		snprintf(cnt, sizeof cnt, "named in %u report%s", ci->count,
		         ci->count == 1 ? "" : "s");
		switch (x->kind) {
		case TSG_IND_PHONE:
			object_head(w, c->id, "phone-number", "mobile",
			            "c4b5a67c-63d2-11ec-90d6-0242ac120003", "1", x->value, f,
			            l);
			attr(w, c->id, "phone-number", "phone-number", "Person", x->value,
			     true, NULL);
			attr(w, c->id, "text", "text", "Person", cnt, false, NULL);
			break;
		case TSG_IND_URL:
			object_head(w, c->id, "url", "network",
			            "60efb77b-40b5-4c46-871b-ed1ed999fce5", "3", x->value, f, l);
			attr(w, c->id, "url", "url", "Network activity", x->value, true, NULL);
			if (x->host)
				attr(w, c->id, "hostname", "host", "Network activity", x->host,
				     false, NULL);
			attr(w, c->id, "datetime", "first-seen", "Other", f, false, NULL);
			attr(w, c->id, "datetime", "last-seen", "Other", l, false, NULL);
			break;
		case TSG_IND_BTC:
			object_head(w, c->id, "btc-wallet", "financial",
			            "22910C83-DD0E-4ED2-9823-45F8CAD562A4", "2", x->value, f,
			            l);
			attr(w, c->id, "btc", "wallet-address", "Financial fraud", x->value,
			     true, NULL);
			break;
		case TSG_IND_REMOTE:
			object_head(w, c->id, "rmm", "misc",
			            "2cdcfb2a-dd74-4d88-ae02-6f381b312666", "3", x->value, f, l);
			attr(w, c->id, "text", "rmm-type", "Other",
			     x->detail ? x->detail : "unknown", false, NULL);
			attr(w, c->id, "text", "guid", "Other", x->value, true, NULL);
			attr(w, c->id, "comment", "comment", "Other", cnt, false, NULL);
			break;
		default:
			continue;
		}
		tsgi_jw_arr_end(w); /* Attribute */
		tsgi_jw_obj_end(w); /* Object */
	}
	tsgi_jw_arr_end(w);
	tsgi_jw_obj_end(w);
	tsgi_jw_obj_end(w);
}

tsg_status tsgi_export_misp(const tsgi_dataset *ds, const tsgi_export_sel *sel,
                            FILE *f)
{
	size_t n = tsgi_export_count(ds, sel);
	if (sel->campaign && !n)
		return TSG_ENOTFOUND;
	tsgi_buf b;
	tsgi_buf_init(&b, (size_t)1 << 34);
	tsgi_jw w;
	tsgi_jw_init(&w, &b, true);
	bool wrap = !sel->campaign;
	if (wrap) {
		tsgi_jw_obj(&w);
		tsgi_jw_key(&w, "response");
		tsgi_jw_arr(&w);
	}
	for (size_t i = 0; i < tsgi_ds_ncampaigns(ds); i++) {
		const tsgi_campaign *c = tsgi_ds_campaign_at(ds, i);
		if (tsgi_export_wants(sel, c))
			event(&w, ds, c, sel->now);
	}
	if (wrap) {
		tsgi_jw_arr_end(&w);
		tsgi_jw_obj_end(&w);
	}
	tsg_status st = TSG_OK;
	if (b.failed || !b.s)
		st = b.failed ? TSG_ENOMEM : TSG_OK;
	if (st == TSG_OK && b.s)
		fprintf(f, "%s\n", b.s);
	tsgi_buf_free(&b);
	return st;
}
