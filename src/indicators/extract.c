/*
 * extract.c - running the extractors and keeping their results tidy.
 */
#include "indicators.h"

#include <string.h>

#include "tsguard_limits.h"

void tsgi_ind_norm_span(const tsgi_extract *x, size_t nstart, size_t nend,
                        size_t *raw_start, size_t *raw_end)
{
	tsgi_text_raw_span(x->text, nstart, nend, raw_start, raw_end);
}

bool tsgi_ind_region_span(const tsgi_extract *x, const tsg_indicator *v,
                          size_t *raw_start, size_t *raw_end)
{
	size_t base = x->doc->nsegs && v->segment >= 0 &&
	                      (size_t)v->segment < x->doc->nsegs
	                  ? x->doc->segs[v->segment].off
	                  : 0;
	if (base + v->start < x->base || base + v->end - x->base > x->raw_len)
		return false;
	*raw_start = base + v->start - x->base;
	*raw_end = base + v->end - x->base;
	return true;
}

bool tsgi_ind_add(tsgi_extract *x, const tsg_indicator *ind, size_t raw_start,
                  size_t raw_end)
{
	if (!ind->value)
		return false;
	for (size_t i = 0; i < x->n; i++)
		if (x->v[i].kind == ind->kind && !strcmp(x->v[i].value, ind->value))
			return false;
	if (x->n >= TSG_MAX_INDICATORS) {
		x->limits_hit |= TSG_LIMIT_INDICATORS;
		return false;
	}
	if (!tsgi_arena_grow(x->arena, (void **)&x->v, &x->cap, sizeof *x->v,
	                     x->n + 1)) {
		x->oom = true;
		return false;
	}
	tsg_indicator *o = &x->v[x->n++];
	*o = *ind;
	raw_start += x->base;
	raw_end += x->base;
	int seg = tsgi_doc_segment_at(x->doc, raw_start);
	size_t base = x->doc->nsegs ? x->doc->segs[seg].off : 0;
	o->segment = seg;
	o->start = raw_start >= base ? raw_start - base : 0;
	o->end = raw_end >= base ? raw_end - base : 0;
	return true;
}

bool tsgi_extract_all(tsgi_extract *x)
{
	static const tsgi_extractor_fn order[] = {
		tsgi_extract_urls,   tsgi_extract_emails, tsgi_extract_remote,
		tsgi_extract_crypto, tsgi_extract_iban,   tsgi_extract_phones,
		tsgi_extract_money,  tsgi_extract_payments,
	};
	for (size_t i = 0; i < sizeof order / sizeof *order && !x->oom; i++)
		order[i](x);
	return !x->oom;
}

bool tsgi_extract_links(tsgi_extract *x)
{
	static const tsgi_extractor_fn order[] = {
		tsgi_extract_urls,          tsgi_extract_emails,
		tsgi_extract_tel,           tsgi_extract_remote_links,
		tsgi_extract_payment_links,
	};
	for (size_t i = 0; i < sizeof order / sizeof *order && !x->oom; i++)
		order[i](x);
	return !x->oom;
}
