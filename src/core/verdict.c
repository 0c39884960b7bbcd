/*
 * verdict.c - reasons and their evidence.
 */
#include "verdict.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "tsguard_limits.h"

char *tsgi_quote(tsgi_arena *a, const char *buf, size_t start, size_t end)
{
	if (end < start)
		end = start;
	size_t n = end - start;
	size_t cap = (n < TSG_MAX_QUOTE ? n : TSG_MAX_QUOTE) * 3 + 8;
	char *out = tsgi_arena_alloc(a, cap);
	if (!out)
		return NULL;
	const uint8_t *p = (const uint8_t *)buf + start;
	int32_t i = 0, len = (int32_t)(n > INT32_MAX ? INT32_MAX : n);
	size_t k = 0;
	bool space = false;
	while (i < len) {
		UChar32 c;
		int32_t before = i;
		U8_NEXT_OR_FFFD(p, i, len, c);
		if (c < 0x20 || c == 0x7f) {
			space = true;
			continue;
		}
		if (space && k) {
			if (k + 1 > TSG_MAX_QUOTE)
				break;
			out[k++] = ' ';
		}
		space = false;
		uint8_t tmp[4];
		int32_t m = 0;
		bool err = false;
		if (c == 0xFFFD && (i - before != 3 || p[before] != 0xEF))
			c = 0xFFFD; /* invalid bytes: written as the replacement char */
		U8_APPEND(tmp, m, 4, c, err);
		if (err || k + (size_t)m > TSG_MAX_QUOTE)
			break;
		memcpy(out + k, tmp, (size_t)m);
		k += (size_t)m;
	}
	out[k] = '\0';
	return out;
}

static int cmp_span(const void *a, const void *b)
{
	const tsgi_rawspan *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

bool tsgi_vb_has(const tsgi_vb *vb, const char *id)
{
	for (size_t i = 0; i < vb->n; i++)
		if (!strcmp(vb->r[i].rule_id, id))
			return true;
	return false;
}

tsg_reason *tsgi_vb_add(tsgi_vb *vb, const char *id, const char *category,
                        const char *message, double weight,
                        const tsgi_rawspan *spans, size_t nspans)
{
	if (!tsgi_arena_grow(vb->a, (void **)&vb->r, &vb->cap, sizeof *vb->r,
	                     vb->n + 1)) {
		vb->oom = true;
		return NULL;
	}
	tsg_reason *r = &vb->r[vb->n];
	memset(r, 0, sizeof *r);
	r->rule_id = id;
	r->category = category;
	r->message = message;
	r->weight = weight;
	r->turn = -1;
	if (nspans) {
		tsgi_rawspan *s = tsgi_arena_alloc(vb->a, nspans * sizeof *s);
		tsg_evidence *ev =
			s ? tsgi_arena_alloc(vb->a, nspans * sizeof *ev) : NULL;
		if (!ev) {
			vb->oom = true;
			return NULL;
		}
		memcpy(s, spans, nspans * sizeof *s);
		qsort(s, nspans, sizeof *s, cmp_span);
		size_t m = 0;
		for (size_t i = 0; i < nspans; i++) {
			if (m && s[i].start <= s[m - 1].end) {
				if (s[i].end > s[m - 1].end)
					s[m - 1].end = s[i].end;
			} else {
				s[m++] = s[i];
			}
		}
		if (m > TSG_MAX_EVIDENCE)
			m = TSG_MAX_EVIDENCE;
		const tsgi_doc *d = vb->doc;
		for (size_t i = 0; i < m; i++) {
			int seg = tsgi_doc_segment_at(d, s[i].start);
			size_t base = d->nsegs ? d->segs[seg].off : 0;
			ev[i].segment = seg;
			ev[i].start = s[i].start - base;
			ev[i].end = s[i].end - base;
			ev[i].text = tsgi_quote(vb->a, d->buf, s[i].start, s[i].end);
			if (!ev[i].text) {
				vb->oom = true;
				return NULL;
			}
			if (i == 0 && d->nsegs && d->segs[seg].turn >= 0)
				r->turn = d->segs[seg].turn;
		}
		r->evidence = ev;
		r->n_evidence = m;
	}
	vb->n++;
	return r;
}
