/*
 * sms.c - the SMS and chat channels: a short text, scanned as the caller's
 * bytes (one segment "body", offsets into the input), plus what the sender
 * ID says.  Owner: channels.
 *
 * Sender (tsg_input.sender), recorded in doc->from_addr and as a signal:
 *   sms.sender_alnum      an alphanumeric sender ID ("AMAZON", "USPS-Info");
 *                         its text is also added as a segment "sender" so
 *                         brand rules see a sender that names a company
 *   sms.sender_shortcode  3 to 6 digits
 *   sms.sender_phone      a phone number (7 or more digits)
 *   sms.sender_email      an email address (iMessage, email-to-SMS)
 * Link shorteners are flagged by the URL extractor (indicator
 * url.shortener); emoji and homoglyphs are folded by normalisation.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "channel.h"

static const char *classify(const char *s)
{
	size_t digits = 0, letters = 0, n = 0;
	bool at = false;
	for (const char *p = s; *p; p++, n++) {
		if (g_ascii_isdigit(*p))
			digits++;
		else if (g_ascii_isalpha(*p))
			letters++;
		else if (*p == '@')
			at = true;
	}
	if (at)
		return "sms.sender_email";
	if (letters)
		return "sms.sender_alnum";
	if (digits >= 3 && digits <= 6 && digits == n)
		return "sms.sender_shortcode";
	if (digits >= 7)
		return "sms.sender_phone";
	return NULL;
}

tsg_status tsgi_sms_parse(tsgi_arena *a, const tsg_input *in, tsgi_doc *doc,
                          char *err, size_t errlen)
{
	if (!tsgi_doc_alias(a, doc, in->data, in->len, "body"))
		goto oom;
	const char *s = in->sender;
	if (s && *s) {
		/* Sender IDs are short; anything long is not an ID. */
		char id[128];
		size_t l = strnlen(s, sizeof id - 1);
		memcpy(id, s, l);
		id[l] = '\0';
		g_strstrip(id);
		const char *kind = classify(id);
		doc->from_addr = tsgi_arena_strdup(a, id);
		if (!doc->from_addr)
			goto oom;
		if (kind && !tsgi_doc_signal(a, doc, kind, id, false, 0, 0))
			goto oom;
		if (kind && !strcmp(kind, "sms.sender_alnum") &&
		    tsgi_doc_add_segment(a, doc, id, strlen(id), "sender", -1) < 0)
			goto oom;
	}
	return TSG_OK;
oom:
	snprintf(err, errlen, "out of memory");
	return TSG_ENOMEM;
}
