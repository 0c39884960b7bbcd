/*
 * channel.c - channel detection and dispatch.  Owner: channels.
 *
 * Detection reads only the first bytes: RFC 5322 header fields make an
 * email, markup an HTML page, a JSON array or object with transcript keys a
 * call; anything else is plain text.  A wrong guess is never fatal (every
 * parser degrades to text), and --channel overrides it.
 */
#include "channel.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool starts_ci(const char *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && !strncasecmp(p, lit, l);
}

/* Length of a header field name at p ("Subject" in "Subject: x"), or 0
 * when the line is not "name:" with a token name. */
static size_t field_name(const char *p, size_t n)
{
	size_t k = 0;
	while (k < n && k < 80 &&
	       (isalnum((unsigned char)p[k]) || p[k] == '-' || p[k] == '_'))
		k++;
	return k > 0 && k < n && p[k] == ':' ? k : 0;
}

/* True when the message starts with RFC 5322 header fields: at least two
 * header lines (continuation lines count) before the first blank line,
 * one of them a field that mail software writes.  An mbox "From " line
 * may come first. */
static bool looks_like_email(const char *p, size_t n)
{
	static const char *const known[] = {
		"return-path", "received", "from", "delivered-to", "message-id",
		"mime-version", "date", "dkim-signature", "to", "subject",
		"authentication-results", "reply-to", "content-type", "sender",
		"x-mailer", "x-original-to", "arc-seal", "cc", NULL};
	size_t i = 0, fields = 0;
	bool mail = false;
	if (starts_ci(p, n, "from ")) {
		const char *nl = memchr(p, '\n', n);
		if (!nl)
			return false;
		i = (size_t)(nl - p) + 1;
	}
	for (int line = 0; line < 40 && i < n; line++) {
		const char *q = p + i;
		size_t rest = n - i;
		const char *nl = memchr(q, '\n', rest);
		size_t ll = nl ? (size_t)(nl - q) : rest;
		if (ll == 0 || (ll == 1 && q[0] == '\r'))
			break;
		if (q[0] == ' ' || q[0] == '\t') {
			if (fields == 0)
				return false;
		} else {
			size_t k = field_name(q, ll);
			if (!k)
				break; /* judge by the fields seen so far */
			fields++;
			for (size_t f = 0; known[f]; f++)
				if (strlen(known[f]) == k && !strncasecmp(q, known[f], k))
					mail = true;
			if (k > 2 && !strncasecmp(q, "x-", 2))
				mail = true;
		}
		if (!nl)
			break;
		i += ll + 1;
	}
	return mail && fields >= 2;
}

/* True for HTML: a document start, a PHP kit, or markup made of known
 * tags within the first bytes. */
static bool looks_like_html(const char *p, size_t n)
{
	if (starts_ci(p, n, "<!doctype html") || starts_ci(p, n, "<html") ||
	    starts_ci(p, n, "<head") || starts_ci(p, n, "<body") ||
	    starts_ci(p, n, "<?php") || starts_ci(p, n, "<script") ||
	    starts_ci(p, n, "<!--") || starts_ci(p, n, "<meta"))
		return true;
	size_t look = n < 2048 ? n : 2048;
	if (memmem(p, look, "<html", 5) || memmem(p, look, "<HTML", 5) ||
	    memmem(p, look, "<body", 5) || memmem(p, look, "<BODY", 5))
		return true;
	if (n < 2 || p[0] != '<' || !isalpha((unsigned char)p[1]))
		return false;
	static const char *const tags[] = {"<div", "<p>", "<p ", "<span", "<table",
	                                   "<a ", "<style", "<title", "<form",
	                                   "<iframe", "<link", "<h1", "<img", NULL};
	for (size_t t = 0; tags[t]; t++)
		if (starts_ci(p, n, tags[t]))
			return memchr(p, '>', look) != NULL;
	return false;
}

tsg_channel tsgi_channel_detect(const char *data, size_t len)
{
	size_t i = 0;
	/* Skip a BOM and leading white space. */
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	const char *p = data + i;
	size_t n = len - i;
	if (looks_like_email(p, n))
		return TSG_CHANNEL_EMAIL;
	if (looks_like_html(p, n))
		return TSG_CHANNEL_WEB;
	if (n && (p[0] == '[' || p[0] == '{')) {
		size_t look = n < 4096 ? n : 4096;
		const char *keys[] = {"\"speaker\"", "\"segments\"", "\"turns\"",
		                      "\"text\""};
		for (size_t k = 0; k < 4; k++)
			if (memmem(p, look, keys[k], strlen(keys[k])))
				return TSG_CHANNEL_CALL;
	}
	return TSG_CHANNEL_TEXT;
}

tsg_status tsgi_channel_parse(tsgi_arena *a, const tsg_input *in,
                              tsg_channel ch, tsgi_doc *doc, char *err,
                              size_t errlen)
{
	tsgi_doc_init(doc, ch);
	switch (ch) {
	case TSG_CHANNEL_EMAIL:
		return tsgi_email_parse(a, in, doc, err, errlen);
	case TSG_CHANNEL_WEB:
		return tsgi_web_parse(a, in, doc, err, errlen);
	case TSG_CHANNEL_CALL:
		return tsgi_call_parse(a, in, doc, err, errlen);
	case TSG_CHANNEL_SMS:
	case TSG_CHANNEL_CHAT:
		return tsgi_sms_parse(a, in, doc, err, errlen);
	case TSG_CHANNEL_TEXT:
	case TSG_CHANNEL_AUTO:
	case TSG_CHANNEL__COUNT:
		break;
	}
	if (!tsgi_doc_alias(a, doc, in->data, in->len, "body")) {
		snprintf(err, errlen, "out of memory");
		return TSG_ENOMEM;
	}
	return TSG_OK;
}
