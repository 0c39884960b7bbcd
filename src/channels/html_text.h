/*
 * html_text.h - the visible text of an HTML document (Gumbo), shared by the
 * web channel and text/html email parts so there is one definition of
 * "what a person sees".
 *
 * Visible text excludes <script>, <style>, <noscript>, <template> and the
 * head (the title is returned apart).  Link targets a person would follow
 * (<a>/<area> href, <form> action, <iframe> src) that are absolute http(s),
 * mailto: or tel: links are returned apart, one per line: a mail's "Verify
 * now" button hides its host there, and a page its call link.  Block elements become line breaks so
 * words of neighbouring blocks never join.  With TSGI_HTML_BEHAVIOUR the
 * walk also collects what the page *does*: inline script bodies, on*
 * handler attributes, meta refresh, autoplaying audio and a hidden cursor;
 * web.c turns those into signals.
 *
 * Hostile input: the document is cut before the parser when its estimated
 * nesting exceeds TSG_MAX_HTML_OPEN_TAGS (Gumbo frees its tree
 * recursively), the walk stops descending at TSG_MAX_HTML_DEPTH and stops
 * at TSG_MAX_HTML_NODES; each sets TSG_LIMIT_HTML in `limits`.
 */
#ifndef TSGI_HTML_TEXT_H
#define TSGI_HTML_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"

#define TSGI_HTML_BEHAVIOUR 0x01u

typedef struct tsgi_html {
	tsgi_buf text;    /* visible text, UTF-8                              */
	tsgi_buf title;   /* <title>                                          */
	tsgi_buf links;   /* link targets, one per line (see above)           */
	tsgi_buf script;  /* BEHAVIOUR: inline scripts and on* attributes     */
	tsgi_buf refresh; /* BEHAVIOUR: meta refresh target (content value)   */
	tsgi_buf audio;   /* BEHAVIOUR: src of an autoplaying <audio>, or ""  */
	bool audio_autoplay;
	bool cursor_none;        /* body/html/page-covering style cursor:none */
	bool beforeunload_attr;  /* <body onbeforeunload=...>                  */
	/* BEHAVIOUR: the start tags behind the three facts above (as written,
	 * one per line, each cut at TSG_MAX_TAG_QUOTE bytes), for quoting;
	 * *_tag is where in `markup` that fact's tag is (end 0: none). */
	tsgi_buf markup;
	struct tsgi_html_tag {
		size_t start, end;
	} audio_tag, refresh_tag, cursor_tag;
	size_t elements;         /* elements walked                           */
	unsigned limits;         /* TSG_LIMIT_* bits                          */
} tsgi_html;

/*
 * Parses `len` bytes of HTML (any charset: a <meta charset> is honoured,
 * else UTF-8, else Windows-1252) into `h`, which the caller releases with
 * tsgi_html_free() whatever this returns.  Returns false only when memory
 * ran out.  PHP blocks (<?php ... ?>) are blanked first: scam kits are
 * often saved as .php and read as HTML.
 */
bool tsgi_html_extract(const char *html, size_t len, unsigned flags,
                       tsgi_html *h);

void tsgi_html_free(tsgi_html *h);

#endif
