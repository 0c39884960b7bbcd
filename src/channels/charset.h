/*
 * charset.h - turning bytes of a declared (or unknown) charset into UTF-8.
 *
 * Shared by the email parser (MIME charset parameters) and the web parser
 * (<meta charset>).  Never fails on bad input: an unknown or lying charset
 * falls back to UTF-8 when the bytes are valid UTF-8, else to Windows-1252,
 * which maps every byte.  Invalid sequences that survive are replaced later
 * by normalisation.
 */
#ifndef TSGI_CHARSET_H
#define TSGI_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Converts `len` bytes in `charset` (may be NULL or "") to UTF-8.  Returns a
 * g_malloc'ed NUL-terminated string the caller frees with g_free() and sets
 * *outlen, or returns NULL when the input can be used as it is (already
 * UTF-8 or ASCII).  Sets *oom on memory exhaustion (GLib aborts on that
 * itself, so in practice never).
 */
char *tsgi_charset_to_utf8(const char *in, size_t len, const char *charset,
                           size_t *outlen);

/* True when `charset` names UTF-8 or US-ASCII (or is NULL/empty). */
bool tsgi_charset_is_utf8(const char *charset);

#endif
