/*
 * html_text.c - visible text and behaviour facts of an HTML document, with
 * Gumbo.  Owner: channels.  Contract in html_text.h.
 */
#include "html_text.h"

#include <glib.h>
#include <gumbo.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "tsguard.h"
#include "tsguard_limits.h"

void tsgi_html_free(tsgi_html *h)
{
	if (!h)
		return;
	tsgi_buf_free(&h->text);
	tsgi_buf_free(&h->title);
	tsgi_buf_free(&h->links);
	tsgi_buf_free(&h->script);
	tsgi_buf_free(&h->refresh);
	tsgi_buf_free(&h->audio);
	tsgi_buf_free(&h->markup);
}

/* ---- before the parser ---------------------------------------------- */

static const char *memcasemem(const char *h, size_t n, const char *needle)
{
	size_t l = strlen(needle);
	if (l == 0 || n < l)
		return NULL;
	for (size_t i = 0; i + l <= n; i++)
		if (g_ascii_tolower(h[i]) == needle[0] && !g_ascii_strncasecmp(h + i, needle, l))
			return h + i;
	return NULL;
}

/* The charset a document declares in its first bytes, copied into `out`. */
static void declared_charset(const char *p, size_t n, char *out, size_t outlen)
{
	out[0] = '\0';
	if (n > 4096)
		n = 4096;
	const char *c = memcasemem(p, n, "charset=");
	if (!c)
		return;
	c += 8;
	const char *end = p + n;
	while (c < end && (*c == '"' || *c == '\'' || *c == ' '))
		c++;
	size_t k = 0;
	while (c + k < end && k + 1 < outlen &&
	       (g_ascii_isalnum(c[k]) || c[k] == '-' || c[k] == '_' || c[k] == ':'))
		k++;
	memcpy(out, c, k);
	out[k] = '\0';
}

/* Blanks PHP blocks in place (lengths kept) so that code never reads as
 * page text. */
static void blank_php(char *p, size_t n)
{
	size_t i = 0;
	while (i + 1 < n) {
		if (p[i] == '<' && p[i + 1] == '?' &&
		    ((i + 4 < n && !g_ascii_strncasecmp(p + i + 2, "php", 3)) ||
		     (i + 2 < n && p[i + 2] == '='))) {
			size_t j = i + 2;
			while (j + 1 < n && !(p[j] == '?' && p[j + 1] == '>'))
				j++;
			size_t stop = j + 1 < n ? j + 2 : n;
			memset(p + i, ' ', stop - i);
			i = stop;
		} else {
			i++;
		}
	}
}

static bool tag_is(const char *name, size_t l, const char *const *set)
{
	for (size_t i = 0; set[i]; i++)
		if (strlen(set[i]) == l && !g_ascii_strncasecmp(name, set[i], l))
			return true;
	return false;
}

/*
 * Estimates how deep the tree gets and returns the length to hand to the
 * parser: the whole document, or the part before the tag that takes the
 * estimate past TSG_MAX_HTML_OPEN_TAGS.  Void and implicitly closed
 * elements do not count; raw text (script, style, textarea, title) and
 * comments are skipped.  The estimate only has to be an upper bound for
 * pathological input, not exact.
 */
static size_t cut_deep(const char *p, size_t n, unsigned *limits)
{
	static const char *const flat[] = {
		"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
		"meta", "param", "source", "track", "wbr", "p", "li", "td", "th",
		"tr", "option", "dt", "dd", "keygen", "frame", "basefont", NULL};
	static const char *const raw[] = {"script", "style", "textarea", "title",
	                                  "xmp", "plaintext", NULL};
	size_t depth = 0;
	size_t i = 0;
	while (i < n) {
		const char *lt = memchr(p + i, '<', n - i);
		if (!lt)
			break;
		i = (size_t)(lt - p);
		size_t tag_at = i;
		i++;
		if (i + 2 < n && !memcmp(p + i, "!--", 3)) {
			const char *e = memmem(p + i, n - i, "-->", 3);
			i = e ? (size_t)(e - p) + 3 : n;
			continue;
		}
		bool close = i < n && p[i] == '/';
		if (close)
			i++;
		size_t s = i;
		while (i < n && (g_ascii_isalnum(p[i]) || p[i] == '-' || p[i] == ':'))
			i++;
		size_t l = i - s;
		if (l == 0 || !g_ascii_isalpha(p[s]))
			continue;
		const char *gt = memchr(p + i, '>', n - i);
		size_t after = gt ? (size_t)(gt - p) + 1 : n;
		if (close) {
			if (depth && !tag_is(p + s, l, flat))
				depth--;
			i = after;
			continue;
		}
		if (tag_is(p + s, l, raw)) {
			/* Jump to the matching close tag. */
			char endtag[16] = "</";
			memcpy(endtag + 2, p + s, l < 12 ? l : 12);
			endtag[2 + (l < 12 ? l : 12)] = '\0';
			const char *e = memcasemem(p + after, n - after, endtag);
			i = e ? (size_t)(e - p) : n;
			continue;
		}
		bool selfclose = gt && gt > p + s && gt[-1] == '/';
		if (!selfclose && !tag_is(p + s, l, flat)) {
			if (++depth > TSG_MAX_HTML_OPEN_TAGS) {
				*limits |= TSG_LIMIT_HTML;
				return tag_at;
			}
		}
		i = after;
	}
	return n;
}

/* ---- the walk ------------------------------------------------------- */

static bool is_block(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_BR: case GUMBO_TAG_LI:
	case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_TR: case GUMBO_TAG_TD:
	case GUMBO_TAG_TH: case GUMBO_TAG_TABLE: case GUMBO_TAG_H1:
	case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
	case GUMBO_TAG_H6: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
	case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_NAV:
	case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE:
	case GUMBO_TAG_FORM: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
	case GUMBO_TAG_HR: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_FIGURE:
	case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_MAIN: case GUMBO_TAG_BUTTON:
	case GUMBO_TAG_OPTION: case GUMBO_TAG_SELECT: case GUMBO_TAG_MARQUEE:
	case GUMBO_TAG_CENTER: case GUMBO_TAG_CAPTION: case GUMBO_TAG_BODY:
		return true;
	default:
		return false;
	}
}

static bool skipped(GumboTag t)
{
	return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE ||
	       t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_TEMPLATE ||
	       t == GUMBO_TAG_TITLE || t == GUMBO_TAG_IFRAME ||
	       t == GUMBO_TAG_OBJECT;
}

static void newline(tsgi_buf *b)
{
	if (b->len && b->s[b->len - 1] != '\n')
		tsgi_buf_addc(b, '\n');
}

/* Appends the text children of `el` (script bodies, titles). */
static void child_text(const GumboElement *el, tsgi_buf *b)
{
	for (unsigned i = 0; i < el->children.length; i++) {
		const GumboNode *c = el->children.data[i];
		if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE ||
		    c->type == GUMBO_NODE_CDATA)
			tsgi_buf_adds(b, c->v.text.text);
	}
}

static bool style_cursor_none(const char *style)
{
	char tight[256];
	size_t k = 0;
	for (const char *p = style; *p && k + 1 < sizeof tight; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n')
			tight[k++] = (char)g_ascii_tolower(*p);
	tight[k] = '\0';
	return strstr(tight, "cursor:none") != NULL;
}

/* Handlers a person triggers on purpose (a share button's onclick opening
 * a window is not a locker); page-driven ones (onload, onbeforeunload,
 * onmouseover, onkeydown, oncontextmenu...) are kept. */
static bool user_event(const char *name)
{
	static const char *const ev[] = {"onclick", "ondblclick", "onsubmit",
	                                 "onchange", "oninput", "onerror",
	                                 "onmousedown", "onmouseup", "ontouchstart",
	                                 "onfocus", "onblur", "onreset", NULL};
	for (size_t i = 0; ev[i]; i++)
		if (!g_ascii_strcasecmp(name, ev[i]))
			return true;
	return false;
}

/* Keeps el's start tag, as written, in h->markup for quoting (the first
 * one only per fact). */
static void keep_tag(const GumboElement *el, tsgi_html *h, struct tsgi_html_tag *t)
{
	size_t n = el->original_tag.length;
	if (t->end || !el->original_tag.data || n == 0)
		return;
	if (n > TSG_MAX_TAG_QUOTE)
		n = TSG_MAX_TAG_QUOTE;
	size_t start = h->markup.len;
	if (!tsgi_buf_add(&h->markup, el->original_tag.data, n) ||
	    !tsgi_buf_addc(&h->markup, '\n'))
		return;
	*t = (struct tsgi_html_tag){start, start + n};
}

static void element_facts(const GumboElement *el, tsgi_html *h)
{
	const GumboVector *at = &el->attributes;
	for (unsigned i = 0; i < at->length; i++) {
		const GumboAttribute *a = at->data[i];
		if ((a->name[0] == 'o' || a->name[0] == 'O') &&
		    (a->name[1] == 'n' || a->name[1] == 'N') && !user_event(a->name)) {
			tsgi_buf_adds(&h->script, a->name);
			tsgi_buf_addc(&h->script, '=');
			tsgi_buf_adds(&h->script, a->value);
			tsgi_buf_addc(&h->script, '\n');
			if ((el->tag == GUMBO_TAG_BODY || el->tag == GUMBO_TAG_HTML ||
			     el->tag == GUMBO_TAG_FRAMESET) &&
			    !g_ascii_strcasecmp(a->name, "onbeforeunload"))
				h->beforeunload_attr = true;
		}
	}
	if (el->tag == GUMBO_TAG_BODY || el->tag == GUMBO_TAG_HTML) {
		const GumboAttribute *st = gumbo_get_attribute(at, "style");
		if (st && style_cursor_none(st->value)) {
			h->cursor_none = true;
			keep_tag(el, h, &h->cursor_tag);
		}
	} else if (el->tag == GUMBO_TAG_META) {
		const GumboAttribute *he = gumbo_get_attribute(at, "http-equiv");
		const GumboAttribute *ct = gumbo_get_attribute(at, "content");
		if (he && ct && !g_ascii_strcasecmp(he->value, "refresh") &&
		    h->refresh.len == 0) {
			tsgi_buf_adds(&h->refresh, ct->value);
			keep_tag(el, h, &h->refresh_tag);
		}
	} else if (el->tag == GUMBO_TAG_AUDIO) {
		if (gumbo_get_attribute(at, "autoplay")) {
			h->audio_autoplay = true;
			keep_tag(el, h, &h->audio_tag);
			const GumboAttribute *src = gumbo_get_attribute(at, "src");
			for (unsigned i = 0; !src && i < el->children.length; i++) {
				const GumboNode *c = el->children.data[i];
				if (c->type == GUMBO_NODE_ELEMENT &&
				    c->v.element.tag == GUMBO_TAG_SOURCE)
					src = gumbo_get_attribute(&c->v.element.attributes, "src");
			}
			if (src && h->audio.len == 0)
				tsgi_buf_adds(&h->audio, src->value);
		}
	}
}

/* Keeps el's link target when a person could follow it (html_text.h).
 * Past TSG_MAX_HTML_LINKS the rest are dropped (TSG_LIMIT_HTML). */
static void element_link(const GumboElement *el, tsgi_html *h)
{
	const char *name = el->tag == GUMBO_TAG_A || el->tag == GUMBO_TAG_AREA
	                       ? "href"
	                   : el->tag == GUMBO_TAG_FORM   ? "action"
	                   : el->tag == GUMBO_TAG_IFRAME ? "src"
	                                                 : NULL;
	const GumboAttribute *at =
		name ? gumbo_get_attribute(&el->attributes, name) : NULL;
	if (!at || h->links.failed)
		return;
	const char *v = at->value;
	v += strspn(v, " \t\r\n");
	static const char *const k_schemes[] = {"http://", "https://", "mailto:",
	                                        "tel:"};
	bool ok = false;
	for (size_t i = 0; i < G_N_ELEMENTS(k_schemes) && !ok; i++)
		ok = !g_ascii_strncasecmp(v, k_schemes[i], strlen(k_schemes[i]));
	size_t n = strcspn(v, " \t\r\n");
	if (!ok || n > TSG_MAX_HTML_LINK)
		return;
	if (!tsgi_buf_add(&h->links, v, n) || !tsgi_buf_addc(&h->links, '\n'))
		h->limits |= TSG_LIMIT_HTML;
}

struct frame {
	const GumboNode *n;
	unsigned i;
	bool quiet; /* inside <head>: no visible text */
};

static void walk(const GumboNode *root, unsigned flags, tsgi_html *h)
{
	struct frame st[TSG_MAX_HTML_DEPTH];
	size_t top = 0;
	st[top++] = (struct frame){root, 0, false};
	while (top) {
		struct frame *f = &st[top - 1];
		const GumboVector *kids = f->n->type == GUMBO_NODE_DOCUMENT
		                              ? &f->n->v.document.children
		                              : &f->n->v.element.children;
		if (f->i >= kids->length) {
			if (f->n->type == GUMBO_NODE_ELEMENT && is_block(f->n->v.element.tag))
				newline(&h->text);
			top--;
			continue;
		}
		const GumboNode *c = kids->data[f->i++];
		bool quiet = f->quiet;
		switch (c->type) {
		case GUMBO_NODE_TEXT:
		case GUMBO_NODE_CDATA:
			if (!quiet)
				tsgi_buf_adds(&h->text, c->v.text.text);
			break;
		case GUMBO_NODE_WHITESPACE:
			if (!quiet && h->text.len && h->text.s[h->text.len - 1] != ' ' &&
			    h->text.s[h->text.len - 1] != '\n')
				tsgi_buf_addc(&h->text, ' ');
			break;
		case GUMBO_NODE_ELEMENT:
		case GUMBO_NODE_TEMPLATE: {
			const GumboElement *el = &c->v.element;
			if (++h->elements > TSG_MAX_HTML_NODES) {
				h->limits |= TSG_LIMIT_HTML;
				return;
			}
			element_link(el, h);
			if (flags & TSGI_HTML_BEHAVIOUR)
				element_facts(el, h);
			if (el->tag == GUMBO_TAG_TITLE) {
				if (h->title.len == 0)
					child_text(el, &h->title);
				break;
			}
			if (el->tag == GUMBO_TAG_SCRIPT) {
				if (flags & TSGI_HTML_BEHAVIOUR) {
					child_text(el, &h->script);
					tsgi_buf_addc(&h->script, '\n');
				}
				break;
			}
			if (skipped(el->tag))
				break;
			if (is_block(el->tag))
				newline(&h->text);
			if (top >= TSG_MAX_HTML_DEPTH) {
				h->limits |= TSG_LIMIT_HTML;
				break;
			}
			st[top++] = (struct frame){c, 0,
			                           quiet || el->tag == GUMBO_TAG_HEAD};
			break;
		}
		default:
			break;
		}
	}
}

bool tsgi_html_extract(const char *html, size_t len, unsigned flags,
                       tsgi_html *h)
{
	memset(h, 0, sizeof *h);
	tsgi_buf_init(&h->text, TSG_MAX_INPUT);
	tsgi_buf_init(&h->title, TSG_MAX_TURN_BYTES);
	tsgi_buf_init(&h->links, TSG_MAX_HTML_LINKS);
	tsgi_buf_init(&h->script, TSG_MAX_INPUT);
	tsgi_buf_init(&h->refresh, 4096);
	tsgi_buf_init(&h->audio, 4096);
	tsgi_buf_init(&h->markup, 16 * TSG_MAX_TAG_QUOTE);
	if (!html || len == 0) {
		html = "";
		len = 0;
	}
	if (len > TSG_MAX_INPUT) {
		len = TSG_MAX_INPUT;
		h->limits |= TSG_LIMIT_INPUT_SIZE;
	}
	char cs[64];
	declared_charset(html, len, cs, sizeof cs);
	size_t ulen = 0;
	char *conv = tsgi_charset_to_utf8(html, len, cs, &ulen);
	/* A private copy: PHP blanking writes to it. */
	char *work = conv ? conv : g_try_malloc(len + 1);
	if (!work)
		return false;
	if (!conv) {
		memcpy(work, html, len);
		ulen = len;
	}
	work[ulen] = '\0';
	if (memmem(work, ulen, "<?", 2))
		blank_php(work, ulen);
	size_t plen = cut_deep(work, ulen, &h->limits);

	GumboOptions opts = kGumboDefaultOptions;
	opts.max_errors = 0;
	GumboOutput *out = gumbo_parse_with_options(&opts, work, plen);
	if (out) {
		walk(out->document, flags, h);
		gumbo_destroy_output(&opts, out);
	}
	g_free(work);
	bool failed = (h->text.failed && h->text.len < TSG_MAX_INPUT - 4096);
	if (h->text.failed || h->script.failed)
		h->limits |= TSG_LIMIT_INPUT_SIZE;
	return !failed;
}
