/*
 * web.c - the web channel: an HTML page (or a PHP scam kit read as HTML)
 * becomes its title and visible text as segments, plus behaviour signals
 * read from markup and inline script.  Owner: channels.
 *
 * Segments: "title", "body" (visible text), "dialog" (the strings the page
 * shows in alert/confirm/prompt/document.write or writes into an element,
 * which a person reads as page text, and the phone numbers its script keeps
 * in string literals).
 *
 * Signals (names are what rules/81-web.rules refers to; docs/channels.md
 * lists them with their meaning):
 *   web.fullscreen web.keyboard_lock web.pointer_lock web.beforeunload
 *   web.dialog_loop web.history_flood web.audio web.window_open_loop
 *   web.block_contextmenu web.block_keys web.fake_scan web.phone_from_query
 *   web.meta_refresh web.hidden_cursor
 *
 * The checks are substring heuristics over lower-cased script text, not a
 * JavaScript interpreter: each looks for the construct a browser locker
 * needs (a call, usually inside a loop or a key handler), and each is only
 * one reason among several in the rules, so one benign use of an API does
 * not make a page a scam.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "channel.h"
#include "html_text.h"
#include "tsguard_limits.h"

/* Bytes looked back from a call for a loop around it. */
#define LOOP_WINDOW 120u
/* Bytes looked ahead from an event name for the blocking statement. */
#define HANDLER_WINDOW 250u

typedef struct script {
	const char *s; /* lower-cased */
	size_t n;
} script;

#define NOWHERE SIZE_MAX

/* Offset of the first `needle` in the script, or NOWHERE. */
static size_t find_at(const script *sc, const char *needle)
{
	const char *p = memmem(sc->s, sc->n, needle, strlen(needle));
	return p ? (size_t)(p - sc->s) : NOWHERE;
}

static const char *find_from(const script *sc, size_t from, const char *needle)
{
	if (from >= sc->n)
		return NULL;
	return memmem(sc->s + from, sc->n - from, needle, strlen(needle));
}

static bool has(const script *sc, const char *needle)
{
	return find_from(sc, 0, needle) != NULL;
}

/* True when `needle` occurs in s[from, from+win). */
static bool has_in(const script *sc, size_t from, size_t win, const char *needle)
{
	if (from >= sc->n)
		return false;
	size_t n = sc->n - from < win ? sc->n - from : win;
	return memmem(sc->s + from, n, needle, strlen(needle)) != NULL;
}

static bool ident_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '$';
}

/* True when a loop construct precedes position `pos` closely. */
static bool in_loop(const script *sc, size_t pos)
{
	size_t from = pos > LOOP_WINDOW ? pos - LOOP_WINDOW : 0;
	size_t win = pos - from;
	return has_in(sc, from, win, "while") || has_in(sc, from, win, "for(") ||
	       has_in(sc, from, win, "for (") ||
	       has_in(sc, from, win, "setinterval") ||
	       has_in(sc, from, win, "onbeforeunload") ||
	       has_in(sc, from, win, "onunload");
}

/* Counts calls `name(` not preceded by an identifier character, and says
 * whether any sits in a loop; *where is the first call in a loop, else the
 * first call (left alone when there is none). */
static size_t calls(const script *sc, const char *name, bool *looped,
                    size_t *where)
{
	size_t cnt = 0, l = strlen(name);
	const char *p;
	size_t from = 0;
	*looped = false;
	while ((p = find_from(sc, from, name))) {
		size_t at = (size_t)(p - sc->s);
		from = at + l;
		if (at && ident_char(sc->s[at - 1]))
			continue;
		size_t k = from;
		while (k < sc->n && sc->s[k] == ' ')
			k++;
		if (k >= sc->n || sc->s[k] != '(')
			continue;
		if (++cnt == 1)
			*where = at;
		if (!*looped && in_loop(sc, at)) {
			*looped = true;
			*where = at;
		}
	}
	return cnt;
}

/* An event name followed closely by a statement that cancels it: where
 * the event name is, or NOWHERE. */
static size_t blocks_event(const script *sc, const char *event,
                           const char *const *keys)
{
	const char *p;
	size_t from = 0;
	while ((p = find_from(sc, from, event))) {
		size_t at = (size_t)(p - sc->s);
		from = at + 1;
		if (!has_in(sc, at, HANDLER_WINDOW, "preventdefault") &&
		    !has_in(sc, at, HANDLER_WINDOW, "return false") &&
		    !has_in(sc, at, HANDLER_WINDOW, "returnvalue=false") &&
		    !has_in(sc, at, HANDLER_WINDOW, "returnvalue = false"))
			continue;
		if (!keys)
			return at;
		for (size_t i = 0; keys[i]; i++)
			if (has_in(sc, at, HANDLER_WINDOW, keys[i]))
				return at;
	}
	return NOWHERE;
}

/* A beforeunload handler that asks to stay: it sets returnValue or returns
 * a message.  Analytics code also listens to beforeunload, to send a last
 * beacon; that returns nothing. */
static size_t beforeunload_trap(const script *sc)
{
	const char *p;
	size_t from = 0;
	while ((p = find_from(sc, from, "beforeunload"))) {
		size_t at = (size_t)(p - sc->s);
		from = at + 1;
		static const char *const traps[] = {
			"returnvalue", "return \"", "return '", "return `",
			"return msg", "return message", "return confirm", NULL};
		for (size_t i = 0; traps[i]; i++)
			if (has_in(sc, at, LOOP_WINDOW * 2, traps[i]))
				return at;
	}
	return NOWHERE;
}

/* Whether the function called at the '(' at `paren` reads a parameter of
 * the page's address: `.get(` (URLSearchParams), or a name holding
 * "param", "query" or "url" (getParameterByName, getQueryVariable,
 * getUrlParam).  getElementById("ph") finds an element, not a parameter. */
static bool param_getter(const script *sc, size_t paren)
{
	size_t b = paren;
	while (b > 0 && paren - b < 40 &&
	       (g_ascii_isalnum(sc->s[b - 1]) || sc->s[b - 1] == '_' ||
	        sc->s[b - 1] == '$'))
		b--;
	size_t n = paren - b;
	const char *id = sc->s + b;
	if (n == 3 && !memcmp(id, "get", 3))
		return true;
	static const char *const parts[] = {"param", "query", "url"};
	for (size_t k = 0; k < sizeof parts / sizeof *parts; k++)
		if (g_strstr_len(id, (gssize)n, parts[k]))
			return true;
	return false;
}

/* A page that reads the phone number to show from its own query string:
 * a quoted parameter name handed to a getter (URLSearchParams.get,
 * getParameterByName, $.urlParam, ...), or "?phone=" in script; *where
 * is where it was found. */
static const char *phone_param(const script *sc, size_t *where)
{
	static const char *const names[] = {
		"'phone'", "\"phone\"", "'number'", "\"number\"", "'tel'", "\"tel\"",
		"'ph'", "\"ph\"", "'pn'", "\"pn\"", "'num'", "\"num\"",
		"'phonenumber'", "\"phonenumber\"", "'phone_number'", "\"phone_number\"",
		NULL};
	for (size_t i = 0; names[i]; i++) {
		const char *p;
		size_t from = 0;
		while ((p = find_from(sc, from, names[i]))) {
			size_t at = (size_t)(p - sc->s);
			from = at + 1;
			if (at && sc->s[at - 1] == '(' && param_getter(sc, at - 1)) {
				*where = at;
				return names[i];
			}
		}
	}
	static const char *const q[] = {"?phone=", "&phone=", "?number=", "&number=",
	                                "?tel=", "&tel=", "?ph=", "&ph=", "?pn=",
	                                "&pn=", NULL};
	bool loc = has(sc, "location.search") || has(sc, "location.href") ||
	           has(sc, "urlsearchparams");
	for (size_t i = 0; loc && q[i]; i++)
		if ((*where = find_at(sc, q[i])) != NOWHERE)
			return q[i];
	return NULL;
}

static bool sig(tsgi_arena *a, tsgi_doc *d, const char *name, const char *detail)
{
	return tsgi_doc_signal(a, d, name, detail, false, 0, 0);
}

/* Where a statement quoted back from a construct starts after. */
static bool stmt_edge(char c)
{
	return c == ';' || c == '{' || c == '}' || c == '\n' || c == '\r';
}

/* Where a statement quoted from `at` stops: a semicolon, a line end, or the
 * brace that opens a function body ("function (e) {", "=> {"); an object
 * literal among the arguments ("pushState({}, ...)") does not stop it. */
static bool stmt_end(const script *sc, size_t at, size_t i)
{
	char c = sc->s[i];
	if (c == ';' || c == '\n' || c == '\r')
		return true;
	if (c != '{')
		return false;
	size_t k = i;
	while (k > at && sc->s[k - 1] == ' ')
		k--;
	return k > at && (sc->s[k - 1] == ')' || sc->s[k - 1] == '>');
}

/* A signal found at script offset `at`, quoting the statement around it
 * ("document.documentElement.requestFullscreen()"), at most
 * TSG_MAX_STATEMENT_SIDE bytes each way. */
static bool sig_at(tsgi_arena *a, tsgi_doc *d, const char *name,
                   const char *detail, const script *sc, size_t at)
{
	if (at >= sc->n)
		return sig(a, d, name, detail);
	size_t lo = at, hi = at;
	size_t side = TSG_MAX_STATEMENT_SIDE;
	while (lo > 0 && at - lo < side && !stmt_edge(sc->s[lo - 1]))
		lo--;
	while (hi < sc->n && hi - at < side && !stmt_end(sc, at, hi))
		hi++;
	while (lo < at && (sc->s[lo] == ' ' || sc->s[lo] == '\t'))
		lo++;
	while (hi > at + 1 && (sc->s[hi - 1] == ' ' || sc->s[hi - 1] == '\t'))
		hi--;
	/* do not cut a UTF-8 character */
	while (lo < at && ((unsigned char)sc->s[lo] & 0xC0) == 0x80)
		lo++;
	while (hi < sc->n && ((unsigned char)sc->s[hi] & 0xC0) == 0x80)
		hi++;
	/* relative to the script for now: see keep_evidence() */
	return tsgi_doc_signal(a, d, name, detail, true, lo, hi);
}

/* Reads a JS string literal at s[i] (a quote) into `b`. */
static void js_string(const char *s, size_t n, size_t i, tsgi_buf *b)
{
	char q = s[i++];
	size_t start = b->len;
	while (i < n && s[i] != q && s[i] != '\n' && b->len - start < 2048) {
		if (s[i] == '\\' && i + 1 < n) {
			char c = s[i + 1];
			tsgi_buf_addc(b, c == 'n' ? '\n' : c);
			i += 2;
			continue;
		}
		tsgi_buf_addc(b, s[i++]);
	}
	tsgi_buf_addc(b, '\n');
}

/* The text of string literals passed to alert/confirm/prompt/document.write
 * or assigned to an element's innerText/textContent/innerHTML (what the page
 * shows, e.g. "3 threats found. Call 1-888-..." written by a fake scan),
 * taken from the original (not lower-cased) script. */
static void dialog_strings(const char *orig, size_t n, tsgi_buf *out)
{
	static const struct {
		const char *name;
		bool assign; /* name = "..." rather than name("...") */
	} fns[] = {{"alert(", false},     {"confirm(", false},
	           {"prompt(", false},    {"document.write(", false},
	           {".innerText", true},  {".textContent", true},
	           {".innerHTML", true}};
	for (size_t f = 0; f < sizeof fns / sizeof *fns; f++) {
		size_t l = strlen(fns[f].name);
		const char *p = orig;
		size_t left = n;
		const char *hit;
		while ((hit = memmem(p, left, fns[f].name, l))) {
			size_t at = (size_t)(hit - orig) + l;
			while (at < n && (orig[at] == ' ' || orig[at] == '\n'))
				at++;
			bool ok = !fns[f].assign;
			if (fns[f].assign && at < n && orig[at] == '=' &&
			    (at + 1 >= n || orig[at + 1] != '=')) {
				ok = true;
				for (at++; at < n && (orig[at] == ' ' || orig[at] == '\n');)
					at++;
			}
			if (ok && at < n &&
			    (orig[at] == '"' || orig[at] == '\'' || orig[at] == '`'))
				js_string(orig, n, at, out);
			p = hit + l;
			left = n - (size_t)(p - orig);
		}
	}
}

/* A string literal that holds only a phone number written as one: 10 to
 * 15 digits with '+' or separators ("1-888-555-0163", "+1 (888)
 * 555 0163").  A bare digit string is an ID or a timestamp. */
static bool phone_literal(const char *s, size_t n)
{
	size_t digits = 0, seps = 0;
	for (size_t i = 0; i < n; i++) {
		if (g_ascii_isdigit(s[i]))
			digits++;
		else if (strchr("+-.() ", s[i]))
			seps++;
		else
			return false;
	}
	return digits >= 10 && digits <= 15 && seps > 0;
}

/* The phone numbers a script keeps in string literals ("var phone =
 * '1-888-...'"), which the page then shows through a variable the parser
 * cannot follow: added to the dialog text, so the number is extracted and
 * read like shown text. */
static void phone_strings(const char *orig, size_t n, tsgi_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		char q = orig[i];
		if (q != '"' && q != '\'' && q != '`')
			continue;
		size_t e = i + 1;
		while (e < n && orig[e] != q && orig[e] != '\n' && e - i <= 32)
			e++;
		if (e < n && orig[e] == q && phone_literal(orig + i + 1, e - i - 1)) {
			tsgi_buf_add(out, orig + i + 1, e - i - 1);
			tsgi_buf_addc(out, '\n');
		}
		/* go on after the literal, or after the quote when it was long */
		if (e < n && orig[e] == q)
			i = e;
	}
}

/* Signals quoting a start tag of h->markup: their doc indexes. */
typedef struct tag_sigs {
	size_t idx[4];
	size_t n;
} tag_sigs;

/* A signal found from markup, quoting its tag (span relative to
 * h->markup for now: see keep_evidence()), or without a span when the tag
 * was not kept. */
static bool sig_tag(tsgi_arena *a, tsgi_doc *d, const char *name,
                    const char *detail, const struct tsgi_html_tag *t,
                    tag_sigs *ts)
{
	if (!t->end || ts->n >= sizeof ts->idx / sizeof *ts->idx)
		return sig(a, d, name, detail);
	ts->idx[ts->n++] = d->nsigs;
	return tsgi_doc_signal(a, d, name, detail, true, t->start, t->end);
}

static bool behaviour(tsgi_arena *a, tsgi_doc *d, const tsgi_html *h,
                      const char *visible_lower, size_t vlen, tag_sigs *ts)
{
	char *low = g_ascii_strdown(h->script.s ? h->script.s : "", (gssize)h->script.len);
	script sc = {low, h->script.len};
	bool ok = true, looped;
	size_t at;

	if ((at = find_at(&sc, "requestfullscreen")) != NOWHERE ||
	    (at = find_at(&sc, "enterfullscreen")) != NOWHERE)
		ok &= sig_at(a, d, "web.fullscreen", "requestFullscreen", &sc, at);
	if ((at = find_at(&sc, "keyboard.lock(")) != NOWHERE)
		ok &= sig_at(a, d, "web.keyboard_lock", "navigator.keyboard.lock", &sc, at);
	if ((at = find_at(&sc, "requestpointerlock")) != NOWHERE)
		ok &= sig_at(a, d, "web.pointer_lock", "requestPointerLock", &sc, at);
	if ((at = beforeunload_trap(&sc)) != NOWHERE)
		ok &= sig_at(a, d, "web.beforeunload", "onbeforeunload", &sc, at);
	else if (h->beforeunload_attr)
		/* <body onbeforeunload=...>: the handler is in the script text */
		ok &= sig_at(a, d, "web.beforeunload", "onbeforeunload", &sc,
		             find_at(&sc, "onbeforeunload="));

	size_t w1 = NOWHERE, w2 = NOWHERE, w3 = NOWHERE;
	size_t nd = calls(&sc, "alert", &looped, &w1);
	bool l2, l3;
	nd += calls(&sc, "confirm", &l2, &w2) + calls(&sc, "prompt", &l3, &w3);
	if (nd >= 6 || (nd && (looped || l2 || l3))) {
		/* quote a call in a loop, else the first call */
		at = looped ? w1 : l2 ? w2 : l3 ? w3 : w1 != NOWHERE ? w1
		                                      : w2 != NOWHERE ? w2 : w3;
		ok &= sig_at(a, d, "web.dialog_loop", "alert/confirm/prompt", &sc, at);
	}

	at = NOWHERE;
	size_t nh = calls(&sc, "pushstate", &looped, &at);
	if (nh >= 3 || (nh && looped))
		ok &= sig_at(a, d, "web.history_flood", "history.pushState", &sc, at);

	at = NOWHERE;
	size_t nw = calls(&sc, "window.open", &looped, &at);
	if (nw >= 6 || (nw && looped))
		ok &= sig_at(a, d, "web.window_open_loop", "window.open", &sc, at);

	bool audio = h->audio_autoplay;
	size_t play = NOWHERE;
	const char *pp = sc.s;
	while (!audio && (pp = memmem(pp, sc.n - (size_t)(pp - sc.s), ".play(", 6))) {
		size_t p = (size_t)(pp - sc.s);
		size_t from = p > 400 ? p - 400 : 0;
		if (has_in(&sc, from, p - from, "audio") ||
		    has_in(&sc, from, p - from, ".mp3") ||
		    has_in(&sc, from, p - from, ".wav") ||
		    has_in(&sc, from, p - from, ".ogg")) {
			audio = true;
			play = p;
		}
		pp += 6;
	}
	const char *what = h->audio.len ? h->audio.s : "audio";
	if (play != NOWHERE)
		ok &= sig_at(a, d, "web.audio", what, &sc, play);
	else if (audio)
		ok &= sig_tag(a, d, "web.audio", what, &h->audio_tag, ts);

	if ((at = blocks_event(&sc, "contextmenu", NULL)) != NOWHERE)
		ok &= sig_at(a, d, "web.block_contextmenu", "contextmenu", &sc, at);
	static const char *const keys[] = {"123", "f12", "116", "\"f5\"", "'f5'",
	                                   "ctrlkey", "metakey", "altkey", NULL};
	if ((at = blocks_event(&sc, "keydown", keys)) != NOWHERE ||
	    (at = blocks_event(&sc, "keyup", keys)) != NOWHERE ||
	    (at = blocks_event(&sc, "keypress", keys)) != NOWHERE)
		ok &= sig_at(a, d, "web.block_keys", "keydown", &sc, at);

	script vis = {visible_lower, vlen};
	bool timer = has(&sc, "setinterval") || has(&sc, "settimeout");
	bool scan_words = has(&sc, "scanning") || has(&sc, "scan complete") ||
	                  has(&sc, "files scanned") || has(&sc, "quick scan") ||
	                  has(&sc, "full scan") || has(&vis, "scanning") ||
	                  has(&vis, "files scanned");
	bool progress = has(&sc, "progress") || has(&sc, "%'") ||
	                has(&sc, "%\"") || has(&vis, "progress") || has(&vis, "%");
	bool threat = has(&sc, "threat") || has(&sc, "virus") ||
	              has(&sc, "infect") || has(&sc, "malware") ||
	              has(&vis, "threat") || has(&vis, "virus") ||
	              has(&vis, "infect") || has(&vis, "malware");
	if (timer && scan_words && progress && threat) {
		/* Quote the timer that drives the fake progress. */
		size_t t = find_at(&sc, "setinterval");
		if (t == NOWHERE)
			t = find_at(&sc, "settimeout");
		ok &= sig_at(a, d, "web.fake_scan", "scan progress", &sc, t);
	}

	const char *qp = phone_param(&sc, &at);
	if (qp)
		ok &= sig_at(a, d, "web.phone_from_query", qp, &sc, at);

	if (h->refresh.len) {
		const char *u = strstr(h->refresh.s, "url=");
		if (!u)
			u = strstr(h->refresh.s, "URL=");
		ok &= sig_tag(a, d, "web.meta_refresh", u ? u + 4 : h->refresh.s,
		              &h->refresh_tag, ts);
	}
	if (h->cursor_none)
		ok &= sig_tag(a, d, "web.hidden_cursor", "cursor:none", &h->cursor_tag,
		              ts);
	g_free(low);
	return ok;
}

/* Keeps `text` as an evidence-only segment when a signal from `first` on
 * quotes it (from_tags: the signals of ts, else the others), making their
 * spans doc->buf offsets; a span the input cap cut off is dropped.  False
 * on ENOMEM. */
static bool keep_evidence(tsgi_arena *a, tsgi_doc *d, size_t first,
                          const tsgi_buf *text, const char *label,
                          const tag_sigs *ts, bool from_tags)
{
	int seg = -1;
	for (size_t i = first; i < d->nsigs; i++) {
		tsgi_signal *g = &d->sigs[i];
		bool tagged = false;
		for (size_t k = 0; k < ts->n; k++)
			tagged |= ts->idx[k] == i;
		if (!g->has_span || tagged != from_tags)
			continue;
		if (seg < 0 &&
		    (seg = tsgi_doc_add_evidence(a, d, text->s, text->len, label)) < 0)
			return false;
		if (g->end > d->segs[seg].len) {
			g->has_span = false;
			g->start = g->end = 0;
			continue;
		}
		g->start += d->segs[seg].off;
		g->end += d->segs[seg].off;
	}
	return true;
}

tsg_status tsgi_web_parse(tsgi_arena *a, const tsg_input *in, tsgi_doc *doc,
                          char *err, size_t errlen)
{
	tsgi_html h;
	tsg_status st = TSG_OK;
	if (!tsgi_html_extract(in->data, in->len, TSGI_HTML_BEHAVIOUR, &h))
		goto oom;
	doc->limits_hit |= h.limits;
	if (h.title.len &&
	    tsgi_doc_add_segment(a, doc, h.title.s, h.title.len, "title", -1) < 0)
		goto oom;
	if (tsgi_doc_add_segment(a, doc, h.text.s ? h.text.s : "", h.text.len,
	                         "body", -1) < 0)
		goto oom;
	tsgi_buf dlg;
	tsgi_buf_init(&dlg, TSG_MAX_TURN_BYTES);
	if (h.script.len) {
		dialog_strings(h.script.s, h.script.len, &dlg);
		phone_strings(h.script.s, h.script.len, &dlg);
	}
	int seg = dlg.len ? tsgi_doc_add_segment(a, doc, dlg.s, dlg.len, "dialog", -1)
	                  : 0;
	tsgi_buf_free(&dlg);
	if (seg < 0 ||
	    (h.links.len && tsgi_doc_add_links(a, doc, h.links.s, h.links.len) < 0))
		goto oom;
	size_t nsigs = doc->nsigs;
	tag_sigs ts = {.n = 0};
	char *vis = g_ascii_strdown(h.text.s ? h.text.s : "", (gssize)h.text.len);
	bool ok = behaviour(a, doc, &h, vis, h.text.len, &ts);
	g_free(vis);
	/* The page's script and the tags behind markup signals, kept for
	 * quoting only when a signal points into them. */
	if (!ok || !keep_evidence(a, doc, nsigs, &h.script, "script", &ts, false) ||
	    !keep_evidence(a, doc, nsigs, &h.markup, "markup", &ts, true))
		goto oom;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
	st = TSG_ENOMEM;
out:
	tsgi_html_free(&h);
	return st;
}
