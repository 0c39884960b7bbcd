/*
 * email_addr.c - email addresses and the display name beside them.
 *
 * Owner: indicators.  Reads x->raw.  An address is found from its '@' (or
 * the defanged "[at]" / "(at)", which sets TSG_IND_F_DEFANGED): the local
 * part is read leftwards (letters, digits, . _ + -, not across a %XX escape; at most
 * TSG_MAX_EMAIL_LOCAL bytes), the domain rightwards with the host reader of
 * host.c, which also accepts "[.]" and IDN and requires a real TLD.
 *
 * The value is the address in lower case with the domain in punycode;
 * host and domain are filled, and OFFICIAL is set as for links.  The detail
 * is the display name when the address is written as `Name <addr>` or
 * `"Name" <addr>` (a header line or a pasted signature): the text before
 * '<' back to a comma, colon, semicolon, angle bracket or line break, or
 * the quoted string, at most TSG_MAX_DISPLAY_NAME bytes, made valid UTF-8.
 *
 * The user information of a URL ("http://microsoft.com@evil.example") is
 * not an address; url.c reports the real host of such links.
 */
#include <glib.h>
#include <string.h>

#include "host.h"

static bool local_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' ||
	       c == '-';
}

static bool ieq(const char *s, size_t len, size_t p, const char *lit)
{
	size_t n = strlen(lit);
	return p + n <= len && g_ascii_strncasecmp(s + p, lit, n) == 0;
}

/* The display name before the address that starts at raw offset `a`, or
 * NULL.  Allocated in the arena. */
static const char *display_name(tsgi_extract *x, size_t a)
{
	const char *s = x->raw;
	size_t p = a;
	if (p == 0 || s[p - 1] != '<')
		return NULL;
	p--;
	while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t'))
		p--;
	size_t e = p, b;
	if (p > 0 && s[p - 1] == '"') {
		e = p - 1;
		b = e;
		while (b > 0 && e - b < TSG_MAX_DISPLAY_NAME && s[b - 1] != '"' &&
		       s[b - 1] != '\n')
			b--;
		if (b == 0 || s[b - 1] != '"')
			return NULL;
	} else {
		b = e;
		while (b > 0 && e - b < TSG_MAX_DISPLAY_NAME &&
		       !strchr(",:;<>\"\r\n", s[b - 1]))
			b--;
	}
	while (b < e && (s[b] == ' ' || s[b] == '\t'))
		b++;
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (b == e)
		return NULL;
	char *valid = g_utf8_make_valid(s + b, (gssize)(e - b));
	/* NUL bytes in the name would cut it; the valid prefix is kept */
	char *name = tsgi_arena_strdup(x->arena, valid);
	g_free(valid);
	if (!name)
		x->oom = true;
	return name;
}

/* An address whose '@' (or "[at]") is s[at..at+atlen). */
static void try_address(tsgi_extract *x, size_t at, size_t atlen, bool dfg)
{
	const char *s = x->raw;
	size_t len = x->raw_len;
	size_t a = at;
	while (a > 0 && at - a < TSG_MAX_EMAIL_LOCAL &&
	       local_char((unsigned char)s[a - 1]))
		a--;
	if (a > 0 && local_char((unsigned char)s[a - 1]))
		return; /* local part longer than the limit */
	/* "body=call%20help@example.com": the "20" belongs to the escape */
	if (a > 0 && s[a - 1] == '%' && at - a > 2 && g_ascii_isxdigit(s[a]) &&
	    g_ascii_isxdigit(s[a + 1]))
		a += 2;
	while (a < at && s[a] == '.')
		a++;
	if (a == at || s[at - 1] == '.')
		return;
	if (a >= 3 && !memcmp(s + a - 3, "://", 3))
		return; /* user information of a URL */
	tsgi_hostscan h;
	if (!tsgi_host_read(s, len, at + atlen, &h))
		return;
	tsg_indicator ind = {.kind = TSG_IND_EMAIL};
	if (!tsgi_host_fill(x, &h, TSGI_HOST_NEED_DOMAIN, &ind))
		return;
	char *v = tsgi_arena_printf(x->arena, "%.*s@%s", (int)(at - a), s + a,
	                            ind.host);
	if (!v) {
		x->oom = true;
		return;
	}
	for (char *c = v; *c; c++)
		*c = g_ascii_tolower(*c);
	ind.value = v;
	ind.detail = display_name(x, a);
	if (dfg || h.defanged)
		ind.flags |= TSG_IND_F_DEFANGED;
	tsgi_ind_add(x, &ind, a, h.end);
}

void tsgi_extract_emails(tsgi_extract *x)
{
	const char *s = x->raw;
	size_t len = x->raw_len;
	for (size_t i = 1; i + 1 < len && !x->oom; i++) {
		if (s[i] == '@')
			try_address(x, i, 1, false);
		else if ((s[i] == '[' || s[i] == '(') &&
		         (ieq(s, len, i, "[at]") || ieq(s, len, i, "(at)")))
			try_address(x, i, 4, true);
	}
}
