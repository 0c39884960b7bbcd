/*
 * web.c - the web channel: an HTML page (or a PHP scam kit read as HTML)
 * becomes its title and visible text as segments, plus behaviour signals
 * read from markup and inline script.  Owner: channels.
 *
 * Segments: "title", "body" (visible text), "dialog" (the strings the page
 * shows in alert/confirm/prompt/document.write, which a person reads as
 * page text).
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
 * whether any sits in a loop. */
static size_t calls(const script *sc, const char *name, bool *looped)
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
		cnt++;
		if (in_loop(sc, at))
			*looped = true;
	}
	return cnt;
}

/* An event name followed closely by a statement that cancels it. */
static bool blocks_event(const script *sc, const char *event, const char *const *keys)
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
			return true;
		for (size_t i = 0; keys[i]; i++)
			if (has_in(sc, at, HANDLER_WINDOW, keys[i]))
				return true;
	}
	return false;
}

/* A beforeunload handler that asks to stay: it sets returnValue or returns
 * a message.  Analytics code also listens to beforeunload, to send a last
 * beacon; that returns nothing. */
static bool beforeunload_trap(const script *sc)
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
				return true;
	}
	return false;
}

/* A page that reads the phone number to show from its own query string:
 * a quoted parameter name handed to a getter (URLSearchParams.get,
 * getParameterByName, $.urlParam, ...), or "?phone=" in script. */
static const char *phone_param(const script *sc)
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
			size_t back = at > 40 ? at - 40 : 0;
			if ((has_in(sc, back, at - back, "get") ||
			     has_in(sc, back, at - back, "param")) &&
			    at && sc->s[at - 1] == '(')
				return names[i];
		}
	}
	static const char *const q[] = {"?phone=", "&phone=", "?number=", "&number=",
	                                "?tel=", "&tel=", "?ph=", "&ph=", "?pn=",
	                                "&pn=", NULL};
	bool loc = has(sc, "location.search") || has(sc, "location.href") ||
	           has(sc, "urlsearchparams");
	for (size_t i = 0; loc && q[i]; i++)
		if (has(sc, q[i]))
			return q[i];
	return NULL;
}

static bool sig(tsgi_arena *a, tsgi_doc *d, const char *name, const char *detail)
{
	return tsgi_doc_signal(a, d, name, detail, false, 0, 0);
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

/* The text of string literals passed to alert/confirm/prompt/document.write,
 * taken from the original (not lower-cased) script. */
static void dialog_strings(const char *orig, size_t n, tsgi_buf *out)
{
	static const char *const fns[] = {"alert(", "confirm(", "prompt(",
	                                  "document.write(", NULL};
	for (size_t f = 0; fns[f]; f++) {
		size_t l = strlen(fns[f]);
		const char *p = orig;
		size_t left = n;
		const char *hit;
		while ((hit = memmem(p, left, fns[f], l))) {
			size_t at = (size_t)(hit - orig) + l;
			while (at < n && (orig[at] == ' ' || orig[at] == '\n'))
				at++;
			if (at < n && (orig[at] == '"' || orig[at] == '\'' || orig[at] == '`'))
				js_string(orig, n, at, out);
			p = hit + l;
			left = n - (size_t)(p - orig);
		}
	}
}

static bool behaviour(tsgi_arena *a, tsgi_doc *d, const tsgi_html *h,
                      const char *visible_lower, size_t vlen)
{
	char *low = g_ascii_strdown(h->script.s ? h->script.s : "", (gssize)h->script.len);
	script sc = {low, h->script.len};
	bool ok = true, looped;

	if (has(&sc, "requestfullscreen") || has(&sc, "enterfullscreen"))
		ok &= sig(a, d, "web.fullscreen", "requestFullscreen");
	if (has(&sc, "keyboard.lock("))
		ok &= sig(a, d, "web.keyboard_lock", "navigator.keyboard.lock");
	if (has(&sc, "requestpointerlock"))
		ok &= sig(a, d, "web.pointer_lock", "requestPointerLock");
	if (h->beforeunload_attr || beforeunload_trap(&sc))
		ok &= sig(a, d, "web.beforeunload", "onbeforeunload");

	size_t nd = calls(&sc, "alert", &looped);
	bool l2, l3;
	nd += calls(&sc, "confirm", &l2) + calls(&sc, "prompt", &l3);
	if (nd >= 6 || (nd && (looped || l2 || l3)))
		ok &= sig(a, d, "web.dialog_loop", "alert/confirm/prompt");

	size_t nh = calls(&sc, "pushstate", &looped);
	if (nh >= 3 || (nh && looped))
		ok &= sig(a, d, "web.history_flood", "history.pushState");

	size_t nw = calls(&sc, "window.open", &looped);
	if (nw >= 6 || (nw && looped))
		ok &= sig(a, d, "web.window_open_loop", "window.open");

	bool audio = h->audio_autoplay;
	const char *pp = sc.s;
	while (!audio && (pp = memmem(pp, sc.n - (size_t)(pp - sc.s), ".play(", 6))) {
		size_t at = (size_t)(pp - sc.s);
		size_t from = at > 400 ? at - 400 : 0;
		if (has_in(&sc, from, at - from, "audio") ||
		    has_in(&sc, from, at - from, ".mp3") ||
		    has_in(&sc, from, at - from, ".wav") ||
		    has_in(&sc, from, at - from, ".ogg"))
			audio = true;
		pp += 6;
	}
	if (audio)
		ok &= sig(a, d, "web.audio", h->audio.len ? h->audio.s : "audio");

	if (blocks_event(&sc, "contextmenu", NULL))
		ok &= sig(a, d, "web.block_contextmenu", "contextmenu");
	static const char *const keys[] = {"123", "f12", "116", "\"f5\"", "'f5'",
	                                   "ctrlkey", "metakey", "altkey", NULL};
	if (blocks_event(&sc, "keydown", keys) || blocks_event(&sc, "keyup", keys) ||
	    blocks_event(&sc, "keypress", keys))
		ok &= sig(a, d, "web.block_keys", "keydown");

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
	if (timer && scan_words && progress && threat)
		ok &= sig(a, d, "web.fake_scan", "scan progress");

	const char *qp = phone_param(&sc);
	if (qp)
		ok &= sig(a, d, "web.phone_from_query", qp);

	if (h->refresh.len) {
		const char *u = strstr(h->refresh.s, "url=");
		if (!u)
			u = strstr(h->refresh.s, "URL=");
		ok &= sig(a, d, "web.meta_refresh", u ? u + 4 : h->refresh.s);
	}
	if (h->cursor_none)
		ok &= sig(a, d, "web.hidden_cursor", "cursor:none");
	g_free(low);
	return ok;
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
	if (h.script.len)
		dialog_strings(h.script.s, h.script.len, &dlg);
	int seg = dlg.len ? tsgi_doc_add_segment(a, doc, dlg.s, dlg.len, "dialog", -1)
	                  : 0;
	tsgi_buf_free(&dlg);
	if (seg < 0)
		goto oom;
	char *vis = g_ascii_strdown(h.text.s ? h.text.s : "", (gssize)h.text.len);
	bool ok = behaviour(a, doc, &h, vis, h.text.len);
	g_free(vis);
	if (!ok)
		goto oom;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
	st = TSG_ENOMEM;
out:
	tsgi_html_free(&h);
	return st;
}
