/*
 * channel.c - channel detection and dispatch.
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

/* True when the first line looks like an RFC 5322 header field of a name
 * mail software writes first. */
static bool looks_like_email(const char *p, size_t n)
{
	static const char *const first[] = {
		"return-path:", "received:", "from:", "delivered-to:", "message-id:",
		"mime-version:", "date:", "x-", "dkim-signature:", "arc-", "to:",
		"subject:", "authentication-results:", "reply-to:", "content-type:",
		"from ",
	};
	for (size_t i = 0; i < sizeof first / sizeof *first; i++)
		if (starts_ci(p, n, first[i])) {
			/* Require a second header-looking line too. */
			const char *nl = memchr(p, '\n', n);
			if (!nl)
				return false;
			size_t rest = n - (size_t)(nl + 1 - p);
			const char *q = nl + 1;
			size_t k = 0;
			while (k < rest && k < 80 &&
			       (isalnum((unsigned char)q[k]) || q[k] == '-'))
				k++;
			return k > 0 && k < rest && (q[k] == ':' || q[0] == ' ' ||
			                             q[0] == '\t');
		}
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
	if (starts_ci(p, n, "<!doctype html") || starts_ci(p, n, "<html") ||
	    starts_ci(p, n, "<head") || starts_ci(p, n, "<body") ||
	    starts_ci(p, n, "<?php") || starts_ci(p, n, "<script") ||
	    starts_ci(p, n, "<!--") || starts_ci(p, n, "<meta"))
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
