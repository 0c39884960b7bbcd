/*
 * email.c - the email channel: a raw RFC 5322 message, parsed with GMime 3.
 * Owner: channels.
 *
 * Segments, in order: "subject", "from-name" (the display name, so brand
 * rules see a name that claims a company), then one per text part:
 * "part N text/plain", "part N text/html" (visible text, html_text.c),
 * "part N application/pdf" (text extracted with poppler), and
 * "part N subject" for the subject of an attached message/rfc822.
 * Transfer encodings are decoded by GMime and every charset is converted
 * to UTF-8 (charset.c).
 *
 * Signals (neutral facts; the policy stage compares brands and domains):
 *   email.reply_to_differs  Reply-To's registrable domain is not From's
 *   email.spf_fail, email.dkim_fail, email.dmarc_fail, and email.auth_fail
 *                           for any of them (Authentication-Results,
 *                           Received-SPF)
 *   email.display_name_addr the display name holds an address whose domain
 *                           is not the sender's
 *   email.pdf_attachment    a PDF attachment was read (detail: file name)
 *   email.unparsed          GMime found no message, or no text in it (a
 *                           pasted body read as headers); the bytes were scanned
 *                           as text
 *
 * Hostile input: the message is cut at TSG_MAX_INPUT; before GMime sees it,
 * it is cut after TSG_MAX_MIME_HEADERS Content-Type headers (GMime's parser
 * recurses per nesting level); the walk stops at TSG_MAX_MIME_DEPTH and
 * TSG_MAX_MIME_PARTS, and PDF work is bounded by TSG_MAX_PDF_*.  Each cut
 * sets its TSG_LIMIT_* bit.  GMime is initialised once (pthread_once);
 * every object here belongs to one scan, so scans run in parallel.  Poppler
 * keeps global state, so PDF extraction is serialised by a mutex.
 */
#include <glib.h>
#include <gmime/gmime.h>
#include <libpsl.h>
#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "channel.h"
#include "charset.h"
#include "html_text.h"
#include "tsguard_limits.h"

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t poppler_lock = PTHREAD_MUTEX_INITIALIZER;

static void gmime_init_once(void) { g_mime_init(); }

typedef struct walk {
	tsgi_arena *a;
	tsgi_doc *d;
	size_t parts;
	size_t pdfs;
	tsgi_buf links; /* link targets of every HTML part */
	bool oom;
} walk;

/* ---- before GMime ---------------------------------------------------- */

/* Length of the prefix holding at most TSG_MAX_MIME_HEADERS Content-Type
 * header lines. */
static size_t cut_headers(const char *p, size_t n, unsigned *limits)
{
	size_t seen = 0;
	for (size_t i = 0; i < n;) {
		if (n - i >= 12 && !g_ascii_strncasecmp(p + i, "content-type", 12)) {
			size_t k = i + 12;
			while (k < n && (p[k] == ' ' || p[k] == '\t'))
				k++;
			if (k < n && p[k] == ':' && ++seen > TSG_MAX_MIME_HEADERS) {
				*limits |= TSG_LIMIT_MIME_PARTS;
				return i;
			}
		}
		const char *nl = memchr(p + i, '\n', n - i);
		if (!nl)
			break;
		i = (size_t)(nl - p) + 1;
	}
	return n;
}

/* ---- helpers --------------------------------------------------------- */

static const char *domain_of(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;
	return at && at[1] ? at + 1 : NULL;
}

/* Registrable domain (eTLD+1), lower case, g_malloc'ed; NULL if none. */
static char *reg_domain(const char *host)
{
	if (!host)
		return NULL;
	char *low = g_ascii_strdown(host, -1);
	g_strstrip(low);
	size_t l = strlen(low);
	while (l && (low[l - 1] == '>' || low[l - 1] == '.'))
		low[--l] = '\0';
	const char *r = psl_registrable_domain(psl_builtin(), low);
	char *out = g_strdup(r ? r : low);
	g_free(low);
	return out;
}

static bool same_domain(const char *a, const char *b)
{
	char *x = reg_domain(a), *y = reg_domain(b);
	bool same = x && y && !strcmp(x, y);
	g_free(x);
	g_free(y);
	return same;
}

static void add_seg(walk *w, const char *text, size_t len, const char *label)
{
	if (w->oom || !label) {
		w->oom = true;
		return;
	}
	if (tsgi_doc_add_segment(w->a, w->d, text, len, label, -1) < 0)
		w->oom = true;
}

static void emit(walk *w, const char *name, const char *detail)
{
	if (!w->oom && !tsgi_doc_signal(w->a, w->d, name, detail, false, 0, 0))
		w->oom = true;
}

/* Adds UTF-8 text (converted from `charset`) as a segment. */
static void add_text(walk *w, const char *bytes, size_t len, const char *charset,
                     bool html, const char *label)
{
	size_t ulen;
	char *u = tsgi_charset_to_utf8(bytes, len, charset, &ulen);
	const char *t = u ? u : (bytes ? bytes : "");
	size_t tl = u ? ulen : len;
	if (html) {
		tsgi_html h;
		if (!tsgi_html_extract(t, tl, 0, &h))
			w->oom = true;
		else {
			w->d->limits_hit |= h.limits;
			add_seg(w, h.text.s ? h.text.s : "", h.text.len, label);
			if (h.links.len && !tsgi_buf_add(&w->links, h.links.s, h.links.len))
				w->d->limits_hit |= TSG_LIMIT_HTML;
		}
		tsgi_html_free(&h);
	} else {
		add_seg(w, t, tl, label);
	}
	g_free(u);
}

/* The decoded (transfer-encoding removed) bytes of a leaf part. */
static GByteArray *decoded(GMimePart *part, GMimeStream **keep)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	if (!dw)
		return NULL;
	GMimeStream *mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(dw, mem);
	*keep = mem;
	return g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
}

/* ---- PDF ------------------------------------------------------------- */

static void pdf_text(walk *w, const guint8 *data, size_t len, const char *label)
{
	if (len > TSG_MAX_PDF_BYTES) {
		w->d->limits_hit |= TSG_LIMIT_INPUT_SIZE;
		return;
	}
	GString *all = g_string_new(NULL);
	pthread_mutex_lock(&poppler_lock);
	GBytes *bytes = g_bytes_new(data, len);
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, NULL);
	if (doc) {
		int pages = poppler_document_get_n_pages(doc);
		if (pages > (int)TSG_MAX_PDF_PAGES) {
			pages = (int)TSG_MAX_PDF_PAGES;
			w->d->limits_hit |= TSG_LIMIT_INPUT_SIZE;
		}
		for (int i = 0; i < pages && all->len < TSG_MAX_PDF_TEXT; i++) {
			PopplerPage *pg = poppler_document_get_page(doc, i);
			if (!pg)
				continue;
			char *t = poppler_page_get_text(pg);
			if (t) {
				g_string_append(all, t);
				g_string_append_c(all, '\n');
				g_free(t);
			}
			g_object_unref(pg);
		}
		g_object_unref(doc);
	}
	g_bytes_unref(bytes);
	pthread_mutex_unlock(&poppler_lock);
	if (all->len > TSG_MAX_PDF_TEXT) {
		g_string_truncate(all, TSG_MAX_PDF_TEXT);
		w->d->limits_hit |= TSG_LIMIT_INPUT_SIZE;
	}
	if (all->len)
		add_text(w, all->str, all->len, "utf-8", false, label);
	g_string_free(all, TRUE);
}

/* ---- the MIME tree --------------------------------------------------- */

static void headers(walk *w, GMimeMessage *msg, bool top, const char *prefix);

static void object(walk *w, GMimeObject *obj, unsigned depth)
{
	if (!obj || w->oom)
		return;
	if (depth > TSG_MAX_MIME_DEPTH) {
		w->d->limits_hit |= TSG_LIMIT_MIME_DEPTH;
		return;
	}
	if (w->parts >= TSG_MAX_MIME_PARTS) {
		w->d->limits_hit |= TSG_LIMIT_MIME_PARTS;
		return;
	}
	size_t n = ++w->parts;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int cnt = g_mime_multipart_get_count(mp);
		for (int i = 0; i < cnt && !w->oom; i++)
			object(w, g_mime_multipart_get_part(mp, i), depth + 1);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (inner) {
			char *pre = tsgi_arena_printf(w->a, "part %zu", n);
			headers(w, inner, false, pre ? pre : "part");
			object(w, g_mime_message_get_mime_part(inner), depth + 1);
		}
		return;
	}
	if (!GMIME_IS_PART(obj))
		return;
	GMimePart *part = GMIME_PART(obj);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : "text";
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : "plain";
	const char *fname = g_mime_part_get_filename(part);
	bool text = type && !g_ascii_strcasecmp(type, "text");
	bool pdf = (type && sub && !g_ascii_strcasecmp(type, "application") &&
	            !g_ascii_strcasecmp(sub, "pdf")) ||
	           (fname && g_str_has_suffix(fname, ".pdf")) ||
	           (fname && g_str_has_suffix(fname, ".PDF"));
	if (!text && !pdf)
		return;
	if (pdf && w->pdfs >= TSG_MAX_PDF_ATTACHMENTS) {
		w->d->limits_hit |= TSG_LIMIT_MIME_PARTS;
		return;
	}
	GMimeStream *keep = NULL;
	GByteArray *ba = decoded(part, &keep);
	if (ba) {
		const char *label = tsgi_arena_printf(w->a, "part %zu %s/%s", n,
		                                      type ? type : "?", sub ? sub : "?");
		if (pdf) {
			w->pdfs++;
			/* A text/plain part named .pdf is still text. */
			if (ba->len >= 5 && !memcmp(ba->data, "%PDF-", 5)) {
				emit(w, "email.pdf_attachment", fname ? fname : "attachment.pdf");
				pdf_text(w, ba->data, ba->len, label);
			} else if (text) {
				add_text(w, (const char *)ba->data, ba->len,
				         g_mime_content_type_get_parameter(ct, "charset"), false,
				         label);
			}
		} else {
			bool html = sub && !g_ascii_strcasecmp(sub, "html");
			add_text(w, (const char *)ba->data, ba->len,
			         g_mime_content_type_get_parameter(ct, "charset"), html, label);
		}
	}
	if (keep)
		g_object_unref(keep);
}

/* ---- headers --------------------------------------------------------- */

static InternetAddressMailbox *first_mailbox(InternetAddressList *l)
{
	if (!l)
		return NULL;
	int n = internet_address_list_length(l);
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			return INTERNET_ADDRESS_MAILBOX(ia);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			InternetAddressMailbox *m =
				first_mailbox(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)));
			if (m)
				return m;
		}
	}
	return NULL;
}

static void auth_results(walk *w, GMimeMessage *msg)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	int n = hl ? g_mime_header_list_get_count(hl) : 0;
	bool spf = false, dkim = false, dmarc = false;
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);
		const char *val = g_mime_header_get_value(h);
		if (!name || !val)
			continue;
		bool ar = !g_ascii_strcasecmp(name, "Authentication-Results");
		bool rs = !g_ascii_strcasecmp(name, "Received-SPF");
		if (!ar && !rs)
			continue;
		char *low = g_ascii_strdown(val, -1);
		if (ar) {
			/* "spf=fail", "spf=softfail", "dkim=fail", "dmarc=fail" with
			 * optional spaces around '='. */
			char *tight = g_strdup(low);
			size_t k = 0;
			for (const char *p = low; *p; p++)
				if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
					tight[k++] = *p;
			tight[k] = '\0';
			spf |= strstr(tight, "spf=fail") || strstr(tight, "spf=softfail");
			dkim |= strstr(tight, "dkim=fail") != NULL;
			dmarc |= strstr(tight, "dmarc=fail") != NULL;
			g_free(tight);
		} else {
			const char *v = low;
			while (*v == ' ' || *v == '\t')
				v++;
			spf |= g_str_has_prefix(v, "fail") || g_str_has_prefix(v, "softfail");
		}
		g_free(low);
	}
	char detail[64] = "";
	if (spf) {
		emit(w, "email.spf_fail", "spf=fail");
		g_strlcat(detail, "spf=fail ", sizeof detail);
	}
	if (dkim) {
		emit(w, "email.dkim_fail", "dkim=fail");
		g_strlcat(detail, "dkim=fail ", sizeof detail);
	}
	if (dmarc) {
		emit(w, "email.dmarc_fail", "dmarc=fail");
		g_strlcat(detail, "dmarc=fail ", sizeof detail);
	}
	if (detail[0]) {
		detail[strlen(detail) - 1] = '\0';
		emit(w, "email.auth_fail", detail);
	}
}

static void headers(walk *w, GMimeMessage *msg, bool top, const char *prefix)
{
	const char *subj = g_mime_message_get_subject(msg);
	if (subj && *subj)
		add_seg(w, subj, strlen(subj),
		        top ? "subject" : tsgi_arena_printf(w->a, "%s subject", prefix));
	if (!top)
		return;
	InternetAddressMailbox *from = first_mailbox(g_mime_message_get_from(msg));
	InternetAddressMailbox *rt = first_mailbox(g_mime_message_get_reply_to(msg));
	const char *fname = from ? internet_address_get_name(INTERNET_ADDRESS(from)) : NULL;
	const char *faddr = from ? internet_address_mailbox_get_addr(from) : NULL;
	const char *raddr = rt ? internet_address_mailbox_get_addr(rt) : NULL;
	tsgi_doc *d = w->d;
	if (subj)
		d->subject = tsgi_arena_strdup(w->a, subj);
	if (fname && *fname) {
		d->from_name = tsgi_arena_strdup(w->a, fname);
		add_seg(w, fname, strlen(fname), "from-name");
	}
	if (faddr)
		d->from_addr = tsgi_arena_strdup(w->a, faddr);
	if (raddr)
		d->reply_to = tsgi_arena_strdup(w->a, raddr);
	if ((subj && !d->subject) || (fname && *fname && !d->from_name) ||
	    (faddr && !d->from_addr) || (raddr && !d->reply_to))
		w->oom = true;
	const char *fdom = domain_of(faddr), *rdom = domain_of(raddr);
	/* A From without a usable address ("Facebook <>") that still wants
	 * replies somewhere also counts. */
	if (rdom && (!fdom || !same_domain(fdom, rdom)))
		emit(w, "email.reply_to_differs", raddr);
	/* "PayPal Service <service@paypal.com>" <x@evil.example> */
	if (fname && fdom) {
		const char *at = strchr(fname, '@');
		if (at) {
			size_t e = 1;
			while (at[e] && (g_ascii_isalnum(at[e]) || at[e] == '.' || at[e] == '-'))
				e++;
			char *dn = g_strndup(at + 1, e - 1);
			if (strchr(dn, '.') && !same_domain(dn, fdom))
				emit(w, "email.display_name_addr", fname);
			g_free(dn);
		}
	}
	auth_results(w, msg);
}

/* Whether bytes hold anything but white space. */
static bool has_text(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isspace(p[i]))
			return true;
	return false;
}

/* Whether the header block (up to the first empty line) names a header
 * every mail has; an image-only mail has them, a pasted body has none. */
static bool mail_headers(const char *p, size_t n)
{
	static const char *const k[] = {"from:", "to:", "subject:", "date:",
	                                "message-id:", "mime-version:",
	                                "content-type:", "received:",
	                                "return-path:"};
	for (size_t i = 0; i < n;) {
		size_t e = i;
		while (e < n && p[e] != '\n')
			e++;
		size_t l = e - i;
		if (l == 0 || (l == 1 && p[i] == '\r'))
			return false; /* the end of the header block */
		for (size_t j = 0; j < G_N_ELEMENTS(k); j++)
			if (l >= strlen(k[j]) && !g_ascii_strncasecmp(p + i, k[j], strlen(k[j])))
				return true;
		i = e + 1;
	}
	return false;
}

/* Whether a segment of the parsed message holds any text. */
static bool any_text(const tsgi_doc *d)
{
	for (size_t i = 0; i < d->nsegs; i++)
		if (has_text(d->buf + d->segs[i].off, d->segs[i].len))
			return true;
	return false;
}

tsg_status tsgi_email_parse(tsgi_arena *a, const tsg_input *in, tsgi_doc *doc,
                            char *err, size_t errlen)
{
	pthread_once(&gmime_once, gmime_init_once);
	size_t len = in->len;
	if (len > TSG_MAX_INPUT) {
		len = TSG_MAX_INPUT;
		doc->limits_hit |= TSG_LIMIT_INPUT_SIZE;
	}
	len = cut_headers(in->data, len, &doc->limits_hit);
	walk w = {.a = a, .d = doc};
	tsgi_buf_init(&w.links, TSG_MAX_HTML_LINKS);
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(in->data, len);
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
	GMimeObject *body = msg ? g_mime_message_get_mime_part(msg) : NULL;
	if (msg) {
		headers(&w, msg, true, "");
		object(&w, body, 0);
	}
	/* Not a message GMime could read, or one whose every line it took for
	 * a header (a pasted body that starts "From the desk of ..."): scan the
	 * bytes as text rather than nothing. */
	if ((!body || (!any_text(doc) && !mail_headers(in->data, len))) &&
	    !w.oom && has_text(in->data, len)) {
		emit(&w, "email.unparsed", NULL);
		add_text(&w, in->data, len, NULL, false, "body");
	}
	if (msg)
		g_object_unref(msg);
	g_object_unref(p);
	g_object_unref(st);
	if (!w.oom && doc->nsegs == 0)
		add_seg(&w, "", 0, "body");
	if (!w.oom && w.links.len &&
	    tsgi_doc_add_links(a, doc, w.links.s, w.links.len) < 0)
		w.oom = true;
	tsgi_buf_free(&w.links);
	if (w.oom) {
		snprintf(err, errlen, "out of memory");
		return TSG_ENOMEM;
	}
	return TSG_OK;
}
