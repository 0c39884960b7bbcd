/*
 * charset.c - best-effort conversion of declared charsets to UTF-8 (GLib
 * iconv).  Owner: channels.
 */
#include "charset.h"

#include <glib.h>
#include <string.h>
#include <strings.h>

bool tsgi_charset_is_utf8(const char *cs)
{
	return !cs || !*cs || !g_ascii_strcasecmp(cs, "utf-8") ||
	       !g_ascii_strcasecmp(cs, "utf8") ||
	       !g_ascii_strcasecmp(cs, "us-ascii") ||
	       !g_ascii_strcasecmp(cs, "ascii");
}

/* Windows-1252 is a superset of Latin-1 that mail and web software really
 * mean when they say iso-8859-1; every byte maps, so this cannot fail. */
static char *from_1252(const char *in, size_t len, size_t *outlen)
{
	gsize r = 0, w = 0;
	char *out = g_convert_with_fallback(in, (gssize)len, "UTF-8", "WINDOWS-1252",
	                                    "?", &r, &w, NULL);
	if (!out)
		out = g_convert_with_fallback(in, (gssize)len, "UTF-8", "ISO-8859-1",
		                              "?", &r, &w, NULL);
	if (out)
		*outlen = w;
	return out;
}

char *tsgi_charset_to_utf8(const char *in, size_t len, const char *charset,
                           size_t *outlen)
{
	*outlen = 0;
	if (!in || len == 0)
		return NULL; /* nothing to convert; GByteArrays of 0 bytes have no data */
	bool valid = g_utf8_validate_len(in, len, NULL);
	if (tsgi_charset_is_utf8(charset))
		return valid ? NULL : from_1252(in, len, outlen);
	gsize r = 0, w = 0;
	GError *ge = NULL;
	char *out = g_convert_with_fallback(in, (gssize)len, "UTF-8", charset, "?",
	                                    &r, &w, &ge);
	if (out && !ge) {
		*outlen = w;
		return out;
	}
	g_free(out);
	g_clear_error(&ge);
	/* Unknown charset name or bytes that do not fit it. */
	return valid ? NULL : from_1252(in, len, outlen);
}
