/*
 * doc.h - what a channel parser hands to the scan.
 *
 * A channel (email, web, call, sms, text) turns the bytes that arrived into a
 * tsgi_doc: one text buffer split into segments (the body, the subject, each
 * MIME part, each transcript turn), plus signals that only that channel can
 * see (a display name that claims a brand, a page that asks for fullscreen).
 * Rules refer to signals by name as `signal:NAME`; the weight and the sentence
 * a person reads live in the rule files, not in C.
 *
 * Offsets in a doc are bytes of doc->buf.  For plain-text channels doc->buf
 * is the caller's input itself (buf_is_input), so evidence offsets are
 * offsets into what the user gave.
 */
#ifndef TSGI_DOC_H
#define TSGI_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "tsguard.h"

typedef struct tsgi_seg {
	size_t off, len;   /* bytes of doc->buf                              */
	const char *label; /* "body", "subject", "part 2 text/html", "turn 3" */
	int turn;          /* transcript turn, else -1                        */
	const char *speaker; /* transcript speaker, else NULL                  */
} tsgi_seg;

typedef struct tsgi_signal {
	const char *name;   /* "web.fullscreen", "email.reply_to_differs"      */
	const char *detail; /* optional text a rule message may quote as {detail} */
	size_t start, end;  /* evidence in doc->buf when has_span              */
	bool has_span;
} tsgi_signal;

typedef struct tsgi_doc {
	tsg_channel channel;
	char *buf; /* text to scan; NUL-terminated; may alias the input   */
	size_t len;
	bool buf_is_input;
	size_t cap; /* capacity of buf while building                     */

	tsgi_seg *segs;
	size_t nsegs, segcap;
	tsgi_signal *sigs;
	size_t nsigs, sigcap;

	/* Facts some channels know (NULL when not known). */
	const char *from_name;  /* email display name                   */
	const char *from_addr;  /* email address, SMS sender, caller ID  */
	const char *reply_to;
	const char *subject;
	const char *page_url;   /* web: the page's own URL when known    */

	unsigned limits_hit; /* TSG_LIMIT_* */

	/* Evidence-only segments (tsgi_doc_add_evidence) come last, from
	 * byte scan_len on: quoted by reasons, never scanned. */
	bool has_evidence;
	size_t scan_len;
	/* The evidence segment of link targets (tsgi_doc_add_links), read by
	 * the indicator extractors only; links_len 0 when there is none. */
	size_t links_off, links_len;
} tsgi_doc;

/* Bytes of doc->buf the scan reads: all but the evidence-only tail. */
static inline size_t tsgi_doc_scan_len(const tsgi_doc *d)
{
	return d->has_evidence ? d->scan_len : d->len;
}

/* Resets `d` to an empty document of `channel`. */
void tsgi_doc_init(tsgi_doc *d, tsg_channel channel);

/* Makes the doc one segment that aliases `data` (not copied; must outlive
 * the scan), cut at TSG_MAX_INPUT.  `label` is stored as given.  False on
 * ENOMEM. */
bool tsgi_doc_alias(tsgi_arena *a, tsgi_doc *d, const char *data, size_t len,
                    const char *label);

/*
 * Appends `len` bytes of text as a new segment (copied into the arena).  A
 * newline pair separates segments so that words never join across them.
 * Text beyond TSG_MAX_INPUT in total is dropped and TSG_LIMIT_INPUT_SIZE set.
 * Returns the segment index, or -1 on allocation failure.
 */
int tsgi_doc_add_segment(tsgi_arena *a, tsgi_doc *d, const char *text,
                         size_t len, const char *label, int turn);

/*
 * Appends an evidence-only segment (a web page's script): reasons may quote
 * it through signal spans, but rules, extractors and the model never read
 * it.  Must follow every scanned segment.  Returns the segment index, or
 * -1 on allocation failure.
 */
int tsgi_doc_add_evidence(tsgi_arena *a, tsgi_doc *d, const char *text,
                          size_t len, const char *label);

/* Appends the link targets of an HTML document or mail (html_text.h) as
 * the evidence segment "links": indicators are extracted from it, so the
 * host behind a "Verify now" button is reported and judged, but rules and
 * the model never read it, as a person never sees it.  Once per doc, after
 * every scanned segment.  Returns the segment index, or -1 on allocation
 * failure. */
int tsgi_doc_add_links(tsgi_arena *a, tsgi_doc *d, const char *text,
                       size_t len);

/* Appends text to the last segment (creating "body" if none).  Returns
 * false on allocation failure. */
bool tsgi_doc_append(tsgi_arena *a, tsgi_doc *d, const char *text, size_t len);

/* Records a signal; `detail` is copied.  Span is in doc->buf coordinates,
 * pass start == end == 0 and has_span false for none.  False on ENOMEM. */
bool tsgi_doc_signal(tsgi_arena *a, tsgi_doc *d, const char *name,
                     const char *detail, bool has_span, size_t start,
                     size_t end);

/* Index of the segment holding byte `off` of doc->buf (the last one whose
 * start is <= off). */
int tsgi_doc_segment_at(const tsgi_doc *d, size_t off);

#endif
