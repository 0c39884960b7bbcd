/*
 * stix.c - campaigns as a STIX 2.1 bundle (docs/store.md, "STIX").
 *
 * Per campaign:
 *   campaign                       name = the tsguard campaign id
 *   infrastructure                 the call center's lines, sites, accounts
 *   relationship campaign -uses-> infrastructure
 *   indicator per domain, URL and email address that links reports, with a
 *     STIX pattern; relationship indicator -indicates-> campaign; a
 *     sighting of the indicator with count and first/last seen
 *   phone-number per number: the SCO of the published extension
 *     extension-definition--14a97ee2-e666-5ada-a6bd-b7177f79e211
 *     (muchdogesec/stix2extensions, phone-number), referenced by id;
 *     relationship infrastructure -consists-of-> phone-number
 *   user-account per remote-access ID (account_type = the tool);
 *     infrastructure -consists-of-> it
 *   a sighting of the campaign: count = reports
 * Wallets and IBANs have no STIX object; they are listed in the
 * infrastructure description.
 *
 * Ids are UUIDv5 over (type, campaign, value), so exporting the same data
 * twice gives the same ids.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "intel.h"

#define PHONE_EXT "extension-definition--14a97ee2-e666-5ada-a6bd-b7177f79e211"

bool tsgi_export_wants(const tsgi_export_sel *sel, const tsgi_campaign *c)
{
	if (sel->campaign)
		return !strcmp(sel->campaign, c->id);
	return c->nreps >= (sel->min_reports ? sel->min_reports : 1);
}

size_t tsgi_export_count(const tsgi_dataset *ds, const tsgi_export_sel *sel)
{
	size_t n = 0;
	for (size_t i = 0; i < tsgi_ds_ncampaigns(ds); i++)
		n += tsgi_export_wants(sel, tsgi_ds_campaign_at(ds, i));
	return n;
}

/* "type--uuid5(name)" with a fixed tsguard namespace. */
static void stix_id(char out[96], const char *type, const char *a,
                    const char *b)
{
	static const unsigned char ns[16] = {0x6b, 0x2f, 0x8e, 0x1c, 0x4d, 0x3a,
	                                     0x5b, 0x7e, 0x9f, 0x10, 0x2a, 0x4c,
	                                     0x6e, 0x8d, 0x01, 0x77};
	const char *parts[] = {type, a, b};
	char u[37];
	tsgi_uuid5(u, ns, parts, 3);
	snprintf(out, 96, "%s--%s", type, u);
}

static void ts(char out[40], long long t)
{
	char b[32];
	tsgi_format_time(t, b, sizeof b);
	/* 2024-01-02T03:04:05Z -> 2024-01-02T03:04:05.000Z (timestamp_millis) */
	snprintf(out, 40, "%.19s.000Z", b);
}

/* Escapes a value for a STIX pattern string literal. */
static void pattern(char *out, size_t cap, const char *obj, const char *v)
{
	tsgi_buf b;
	tsgi_buf_init(&b, cap);
	tsgi_buf_printf(&b, "[%s = '", obj);
	for (; *v; v++) {
		if (*v == '\'' || *v == '\\')
			tsgi_buf_addc(&b, '\\');
		tsgi_buf_addc(&b, *v);
	}
	tsgi_buf_adds(&b, "']");
	snprintf(out, cap, "%s", b.failed || !b.s ? "" : b.s);
	tsgi_buf_free(&b);
}

static void common(tsgi_jw *w, const char *type, const char *id,
                   const char *created)
{
	tsgi_jw_obj(w);
	tsgi_jw_key(w, "type");
	tsgi_jw_str(w, type);
	tsgi_jw_key(w, "spec_version");
	tsgi_jw_str(w, "2.1");
	tsgi_jw_key(w, "id");
	tsgi_jw_str(w, id);
	if (created) {
		tsgi_jw_key(w, "created");
		tsgi_jw_str(w, created);
		tsgi_jw_key(w, "modified");
		tsgi_jw_str(w, created);
	}
}

static void relationship(tsgi_jw *w, const char *rtype, const char *src,
                         const char *dst, const char *created)
{
	char id[96], pair[200];
	snprintf(pair, sizeof pair, "%s|%s", src, dst);
	stix_id(id, "relationship", rtype, pair);
	common(w, "relationship", id, created);
	tsgi_jw_key(w, "relationship_type");
	tsgi_jw_str(w, rtype);
	tsgi_jw_key(w, "source_ref");
	tsgi_jw_str(w, src);
	tsgi_jw_key(w, "target_ref");
	tsgi_jw_str(w, dst);
	tsgi_jw_obj_end(w);
}

static void sighting(tsgi_jw *w, const char *of, long long count,
                     long long first, long long last, const char *created)
{
	char id[96], f[40], l[40];
	stix_id(id, "sighting", of, "");
	ts(f, first);
	ts(l, last);
	common(w, "sighting", id, created);
	tsgi_jw_key(w, "sighting_of_ref");
	tsgi_jw_str(w, of);
	tsgi_jw_key(w, "count");
	tsgi_jw_int(w, count > 999999999 ? 999999999 : count);
	tsgi_jw_key(w, "first_seen");
	tsgi_jw_str(w, f);
	tsgi_jw_key(w, "last_seen");
	tsgi_jw_str(w, l);
	tsgi_jw_key(w, "description");
	tsgi_jw_str(w, "victim reports naming it");
	tsgi_jw_obj_end(w);
}

/* The phone-number extension definition itself is published
 * (muchdogesec/stix2extensions) and bundles reference it by id only: the
 * OASIS bundle schema accepts an unknown object type only when it matches
 * exactly one of the SDO and SCO cores, and an extension-definition object
 * matches both, so carrying it would make the bundle fail validation. */

static void campaign_objects(tsgi_jw *w, const tsgi_dataset *ds,
                             const tsgi_campaign *c, const char *now,
                             GHashTable *seen)
{
	char cid[96], iid[96], f[40], l[40], desc[1024];
	stix_id(cid, "campaign", c->id, "");
	stix_id(iid, "infrastructure", c->id, "");
	ts(f, c->first);
	ts(l, c->last);
	common(w, "campaign", cid, now);
	tsgi_jw_key(w, "name");
	tsgi_jw_str(w, c->id);
	snprintf(desc, sizeof desc,
	         "Tech-support scam operation linked by tsguard from %zu victim "
	         "report%s%s%s.",
	         c->nreps, c->nreps == 1 ? "" : "s",
	         c->nbrands ? "; impersonates " : "",
	         c->nbrands ? c->brands[0].name : "");
	tsgi_jw_key(w, "description");
	tsgi_jw_str(w, desc);
	tsgi_jw_key(w, "first_seen");
	tsgi_jw_str(w, f);
	tsgi_jw_key(w, "last_seen");
	tsgi_jw_str(w, l);
	tsgi_jw_key(w, "objective");
	tsgi_jw_str(w, "financial gain from victims of fake technical support");
	tsgi_jw_obj_end(w);

	tsgi_buf idesc;
	tsgi_buf_init(&idesc, 1u << 20);
	tsgi_buf_printf(&idesc, "Phone lines, sites and accounts of %s.", c->id);
	for (size_t k = 0; k < c->ninds; k++) {
		const tsgi_ds_ind *x = tsgi_ds_ind_at(ds, c->inds[k].ind);
		if (c->inds[k].linked &&
		    (x->kind == TSG_IND_BTC || x->kind == TSG_IND_ETH ||
		     x->kind == TSG_IND_TRON || x->kind == TSG_IND_IBAN ||
		     x->kind == TSG_IND_PAYMENT))
			tsgi_buf_printf(&idesc, " %s %s (%u reports).",
			                tsg_indicator_kind_name((tsg_indicator_kind)x->kind),
			                x->value, c->inds[k].count);
	}
	common(w, "infrastructure", iid, now);
	tsgi_jw_key(w, "name");
	tsgi_jw_str(w, c->id);
	tsgi_jw_key(w, "description");
	tsgi_jw_str(w, idesc.s ? idesc.s : "");
	tsgi_jw_key(w, "infrastructure_types");
	tsgi_jw_arr(w);
	tsgi_jw_str(w, "hosting-malware");
	tsgi_jw_arr_end(w);
	tsgi_jw_key(w, "first_seen");
	tsgi_jw_str(w, f);
	tsgi_jw_key(w, "last_seen");
	tsgi_jw_str(w, l);
	tsgi_jw_obj_end(w);
	tsgi_buf_free(&idesc);
	relationship(w, "uses", cid, iid, now);
	sighting(w, cid, (long long)c->nreps, c->first, c->last, now);

	for (size_t k = 0; k < c->ninds; k++) {
		const tsgi_camp_ind *ci = &c->inds[k];
		const tsgi_ds_ind *x = tsgi_ds_ind_at(ds, ci->ind);
		if (!ci->linked)
			continue;
		char id[96], pat[4096], vf[40];
		const char *obj = NULL;
		switch (x->kind) {
		case TSG_IND_DOMAIN:
			obj = "domain-name:value";
			break;
		case TSG_IND_URL:
			obj = "url:value";
			break;
		case TSG_IND_EMAIL:
			obj = "email-addr:value";
			break;
		default:
			break;
		}
		if (obj) {
			stix_id(id, "indicator", c->id, x->value);
			pattern(pat, sizeof pat, obj, x->value);
			if (!*pat)
				continue;
			ts(vf, ci->first);
			common(w, "indicator", id, now);
			tsgi_jw_key(w, "name");
			tsgi_jw_str(w, x->value);
			tsgi_jw_key(w, "indicator_types");
			tsgi_jw_arr(w);
			tsgi_jw_str(w, "malicious-activity");
			tsgi_jw_arr_end(w);
			tsgi_jw_key(w, "pattern");
			tsgi_jw_str(w, pat);
			tsgi_jw_key(w, "pattern_type");
			tsgi_jw_str(w, "stix");
			tsgi_jw_key(w, "pattern_version");
			tsgi_jw_str(w, "2.1");
			tsgi_jw_key(w, "valid_from");
			tsgi_jw_str(w, vf);
			tsgi_jw_obj_end(w);
			relationship(w, "indicates", id, cid, now);
			relationship(w, "indicates", id, iid, now);
			sighting(w, id, ci->count, ci->first, ci->last, now);
		} else if (x->kind == TSG_IND_PHONE) {
			stix_id(id, "phone-number", x->value, "");
			relationship(w, "consists-of", iid, id, now);
			/* One SCO per number even when campaigns share it. */
			if (g_hash_table_contains(seen, id))
				continue;
			g_hash_table_add(seen, g_strdup(id));
			tsgi_jw_obj(w);
			tsgi_jw_key(w, "type");
			tsgi_jw_str(w, "phone-number");
			tsgi_jw_key(w, "spec_version");
			tsgi_jw_str(w, "2.1");
			tsgi_jw_key(w, "id");
			tsgi_jw_str(w, id);
			tsgi_jw_key(w, "number");
			tsgi_jw_str(w, x->value);
			tsgi_jw_key(w, "extensions");
			tsgi_jw_obj(w);
			tsgi_jw_key(w, PHONE_EXT);
			tsgi_jw_obj(w);
			tsgi_jw_key(w, "extension_type");
			tsgi_jw_str(w, "new-sco");
			tsgi_jw_obj_end(w);
			tsgi_jw_obj_end(w);
			tsgi_jw_obj_end(w);
		} else if (x->kind == TSG_IND_REMOTE) {
			stix_id(id, "user-account", x->detail ? x->detail : "", x->value);
			relationship(w, "consists-of", iid, id, now);
			if (g_hash_table_contains(seen, id))
				continue;
			g_hash_table_add(seen, g_strdup(id));
			tsgi_jw_obj(w);
			tsgi_jw_key(w, "type");
			tsgi_jw_str(w, "user-account");
			tsgi_jw_key(w, "spec_version");
			tsgi_jw_str(w, "2.1");
			tsgi_jw_key(w, "id");
			tsgi_jw_str(w, id);
			tsgi_jw_key(w, "user_id");
			tsgi_jw_str(w, x->value);
			tsgi_jw_key(w, "account_type");
			tsgi_jw_str(w, x->detail ? x->detail : "remote-access");
			tsgi_jw_obj_end(w);
		}
	}
}

tsg_status tsgi_export_stix(const tsgi_dataset *ds, const tsgi_export_sel *sel,
                            FILE *f)
{
	size_t n = tsgi_export_count(ds, sel);
	if (sel->campaign && !n)
		return TSG_ENOTFOUND;
	char now[40], bid[96], tag[64];
	ts(now, sel->now);
	snprintf(tag, sizeof tag, "%lld|%zu", sel->now, n);
	stix_id(bid, "bundle", sel->campaign ? sel->campaign : "all", tag);
	tsgi_buf b;
	tsgi_buf_init(&b, (size_t)1 << 34);
	tsgi_jw w;
	tsgi_jw_init(&w, &b, true);
	tsgi_jw_obj(&w);
	tsgi_jw_key(&w, "type");
	tsgi_jw_str(&w, "bundle");
	tsgi_jw_key(&w, "id");
	tsgi_jw_str(&w, bid);
	tsgi_jw_key(&w, "objects");
	tsgi_jw_arr(&w);
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                         NULL);
	for (size_t i = 0; i < tsgi_ds_ncampaigns(ds); i++) {
		const tsgi_campaign *c = tsgi_ds_campaign_at(ds, i);
		if (tsgi_export_wants(sel, c))
			campaign_objects(&w, ds, c, now, seen);
	}
	g_hash_table_destroy(seen);
	tsgi_jw_arr_end(&w);
	tsgi_jw_obj_end(&w);
	tsg_status st = TSG_OK;
	if (b.failed || !b.s)
		st = TSG_ENOMEM;
	else
		fprintf(f, "%s\n", b.s);
	tsgi_buf_free(&b);
	return st;
}
