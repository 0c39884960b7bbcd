/*
 * doc.c - building the text a scan reads from channel output.
 */
#include "doc.h"

#include <string.h>

#include "tsguard_limits.h"

void tsgi_doc_init(tsgi_doc *d, tsg_channel channel)
{
	memset(d, 0, sizeof *d);
	d->channel = channel;
}

bool tsgi_doc_alias(tsgi_arena *a, tsgi_doc *d, const char *data, size_t len,
                    const char *label)
{
	if (len > TSG_MAX_INPUT) {
		len = TSG_MAX_INPUT;
		d->limits_hit |= TSG_LIMIT_INPUT_SIZE;
	}
	d->buf = (char *)data; /* never written through while buf_is_input */
	d->len = len;
	d->buf_is_input = true;
	d->cap = 0;
	d->nsegs = 0;
	if (!tsgi_arena_grow(a, (void **)&d->segs, &d->segcap, sizeof *d->segs, 1))
		return false;
	d->segs[0] = (tsgi_seg){.off = 0, .len = len, .label = label, .turn = -1};
	d->nsegs = 1;
	return true;
}

static bool reserve(tsgi_arena *a, tsgi_doc *d, size_t extra)
{
	if (d->buf_is_input) {
		/* Turn an aliased doc into an owned one before appending. */
		char *nb = tsgi_arena_alloc(a, d->len + extra + 1);
		if (!nb)
			return false;
		memcpy(nb, d->buf, d->len);
		d->buf = nb;
		d->cap = d->len + extra + 1;
		d->buf_is_input = false;
		return true;
	}
	if (d->len + extra + 1 <= d->cap)
		return true;
	size_t ncap = d->cap ? d->cap * 2 : 4096;
	while (ncap < d->len + extra + 1)
		ncap *= 2;
	char *nb = tsgi_arena_alloc(a, ncap);
	if (!nb)
		return false;
	if (d->len)
		memcpy(nb, d->buf, d->len);
	d->buf = nb;
	d->cap = ncap;
	return true;
}

static size_t clamp(tsgi_doc *d, size_t len)
{
	if (d->len >= TSG_MAX_INPUT) {
		if (len)
			d->limits_hit |= TSG_LIMIT_INPUT_SIZE;
		return 0;
	}
	if (len > TSG_MAX_INPUT - d->len) {
		d->limits_hit |= TSG_LIMIT_INPUT_SIZE;
		return TSG_MAX_INPUT - d->len;
	}
	return len;
}

int tsgi_doc_add_segment(tsgi_arena *a, tsgi_doc *d, const char *text,
                         size_t len, const char *label, int turn)
{
	len = clamp(d, len);
	size_t sep = d->len ? 2 : 0;
	if (!reserve(a, d, len + sep))
		return -1;
	if (!tsgi_arena_grow(a, (void **)&d->segs, &d->segcap, sizeof *d->segs,
	                     d->nsegs + 1))
		return -1;
	if (sep) {
		d->buf[d->len++] = '\n';
		d->buf[d->len++] = '\n';
	}
	tsgi_seg *s = &d->segs[d->nsegs];
	s->off = d->len;
	s->len = len;
	s->label = label;
	s->turn = turn;
	s->speaker = NULL;
	if (len)
		memcpy(d->buf + d->len, text, len);
	d->len += len;
	d->buf[d->len] = '\0';
	return (int)d->nsegs++;
}

int tsgi_doc_add_evidence(tsgi_arena *a, tsgi_doc *d, const char *text,
                          size_t len, const char *label)
{
	if (!d->has_evidence) {
		d->has_evidence = true;
		d->scan_len = d->len;
	}
	/* Dropping evidence for room is not an input the scan cut short. */
	unsigned limits = d->limits_hit;
	int seg = tsgi_doc_add_segment(a, d, text, len, label, -1);
	d->limits_hit = limits;
	return seg;
}

int tsgi_doc_add_links(tsgi_arena *a, tsgi_doc *d, const char *text,
                       size_t len)
{
	int seg = tsgi_doc_add_evidence(a, d, text, len, "links");
	if (seg >= 0) {
		d->links_off = d->segs[seg].off;
		d->links_len = d->segs[seg].len;
	}
	return seg;
}

bool tsgi_doc_append(tsgi_arena *a, tsgi_doc *d, const char *text, size_t len)
{
	if (d->nsegs == 0)
		return tsgi_doc_add_segment(a, d, text, len, "body", -1) >= 0;
	len = clamp(d, len);
	if (!reserve(a, d, len))
		return false;
	if (len)
		memcpy(d->buf + d->len, text, len);
	d->len += len;
	d->buf[d->len] = '\0';
	d->segs[d->nsegs - 1].len += len;
	return true;
}

bool tsgi_doc_signal(tsgi_arena *a, tsgi_doc *d, const char *name,
                     const char *detail, bool has_span, size_t start,
                     size_t end)
{
	if (!tsgi_arena_grow(a, (void **)&d->sigs, &d->sigcap, sizeof *d->sigs,
	                     d->nsigs + 1))
		return false;
	tsgi_signal *s = &d->sigs[d->nsigs];
	s->name = name;
	s->detail = detail ? tsgi_arena_strdup(a, detail) : NULL;
	if (detail && !s->detail)
		return false;
	s->has_span = has_span;
	s->start = start;
	s->end = end;
	d->nsigs++;
	return true;
}

int tsgi_doc_segment_at(const tsgi_doc *d, size_t off)
{
	if (d->nsegs == 0)
		return 0;
	size_t lo = 0, hi = d->nsegs;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (d->segs[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo;
}
