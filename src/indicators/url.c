/*
 * url.c - links and bare domains.
 *
 * Owner: indicators.  Reads x->raw, because a URL's path is case-sensitive.
 * One left-to-right pass; at the start of each word it tries, in order:
 *
 *   1. a link with a scheme: http, https, or the defanged hxxp/hxxps, with
 *      "://", "[:]//", "[://]" or the JSON-escaped ":\/\/";  the host follows
 *      the last '@' of the authority, so "http://microsoft.com@evil.example"
 *      reports evil.example;
 *   2. a link without a scheme that starts with "www.";
 *   3. a bare host name ("evil-support.online"), reported as TSG_IND_DOMAIN,
 *      or as TSG_IND_URL when a path follows ("bit.ly/3xYz").
 *
 * Bare hosts are where false positives live ("e.g.", "file.txt", "3.5",
 * "now.Call"), so they must end in a real top-level domain (libpsl, see
 * host.c), must not end in a label of mixed case, must not be the local
 * part of an email address, and must not end in one of the few real TLDs
 * that are mostly file extensions (.md, .py, .sh, ...) unless defanged or
 * followed by a path.
 *
 * The URL value is scheme (lower case, "http" for hxxp), "://", the host in
 * lower-case punycode, the port when given, and the path, query and
 * fragment as written, with defanged dots restored and "\/" unescaped,
 * cut at TSG_MAX_URL bytes.  A link written without a scheme gets "http://".
 *
 * Phone numbers carried in query parameters (?phone=18885550199, &tel=,
 * ?number=) are canonicalised by tsgi_phone_canon() and reported as
 * TSG_IND_PHONE with the parameter value's span.
 */
#include <glib.h>
#include <string.h>

#include "host.h"

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool ieq(const char *s, size_t len, size_t p, const char *lit)
{
	size_t n = strlen(lit);
	return p + n <= len && g_ascii_strncasecmp(s + p, lit, n) == 0;
}

/* True when the character that ends just before s[i] is a letter or digit
 * of any script, i.e. s[i] is not at the start of a word. */
static bool prev_is_word(const char *s, size_t i)
{
	if (i == 0)
		return false;
	unsigned char c = (unsigned char)s[i - 1];
	if (c < 0x80)
		return is_alnum(c);
	size_t k = i - 1;
	while (k > 0 && i - k < 4 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	gunichar u = g_utf8_get_char_validated(s + k, (gssize)(i - k));
	return u != (gunichar)-1 && u != (gunichar)-2 && g_unichar_isalnum(u);
}

/* A scheme at s[i]; returns the offset after its separator, or 0. */
static size_t scheme(const char *s, size_t len, size_t i, bool *tls,
                     bool *defanged)
{
	static const struct {
		const char *sep;
		bool defanged;
	} k_seps[] = {
		{"://", false},   {":\\/\\/", false}, {"[:]//", true},
		{"[://]", true},  {":[//]", true},
	};
	if (i + 4 > len)
		return 0;
	char a = g_ascii_tolower(s[i]), b = g_ascii_tolower(s[i + 1]),
	     c = g_ascii_tolower(s[i + 2]), d = g_ascii_tolower(s[i + 3]);
	bool dfg;
	if (a != 'h' || d != 'p')
		return 0;
	if (b == 't' && c == 't')
		dfg = false;
	else if (b == 'x' && c == 'x')
		dfg = true;
	else
		return 0;
	size_t p = i + 4;
	*tls = p < len && g_ascii_tolower(s[p]) == 's';
	if (*tls)
		p++;
	for (size_t k = 0; k < G_N_ELEMENTS(k_seps); k++) {
		size_t n = strlen(k_seps[k].sep);
		if (p + n <= len && !memcmp(s + p, k_seps[k].sep, n)) {
			*defanged = dfg || k_seps[k].defanged;
			return p + n;
		}
	}
	return 0;
}

static bool path_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("<>\"'`{}|\\^", c);
}

static size_t count_char(const char *s, size_t a, size_t b, char c)
{
	size_t n = 0;
	for (size_t i = a; i < b; i++)
		n += s[i] == c;
	return n;
}

/* End of the path, query and fragment that start at s[p] ('/', '?', '#'):
 * printable ASCII up to a space, quote or angle bracket, without trailing
 * sentence punctuation or an unbalanced closing bracket. */
static size_t path_end(const char *s, size_t len, size_t p, bool *defanged)
{
	size_t ps = p;
	while (p < len) {
		if (s[p] == '\\' && p + 1 < len && s[p + 1] == '/')
			p += 2;
		else if (s[p] == '[' && ieq(s, len, p, "[.]")) {
			*defanged = true;
			p += 3;
		} else if (path_char((unsigned char)s[p]))
			p++;
		else
			break;
	}
	while (p > ps + 1) {
		char c = s[p - 1];
		if (strchr(".,;:!?*", c))
			p--;
		else if (c == ')' && count_char(s, ps, p, '(') < count_char(s, ps, p, ')'))
			p--;
		else if (c == ']' && count_char(s, ps, p, '[') < count_char(s, ps, p, ']'))
			p--;
		else
			break;
	}
	return p;
}

static bool phone_param_name(const char *s, size_t n)
{
	static const char *const k_names[] = {
		"phone",    "tel",        "telephone",      "number",
		"phonenumber", "phone_number", "phoneno", "phone_no",
		"callback", "callbacknumber", "mobile",     "num",
		"ph",       "call",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(k_names); i++)
		if (strlen(k_names[i]) == n && !g_ascii_strncasecmp(s, k_names[i], n))
			return true;
	return false;
}

/* Reads a phone number from a query value s[a..b): digits with '+', '-',
 * '.', '(', ')' and percent-encoded separators.  Anything else (letters)
 * means it is not a number. */
static bool param_digits(const char *s, size_t a, size_t b, char *d, size_t cap)
{
	size_t n = 0, ndig = 0;
	for (size_t q = a; q < b;) {
		char c = s[q];
		if (c == '%' && q + 2 < b && g_ascii_isxdigit(s[q + 1]) &&
		    g_ascii_isxdigit(s[q + 2])) {
			int code = g_ascii_xdigit_value(s[q + 1]) * 16 +
			           g_ascii_xdigit_value(s[q + 2]);
			q += 3;
			if (code == '+' && n == 0)
				d[n++] = '+';
			else if (code >= '0' && code <= '9') {
				if (n + 2 > cap || ++ndig > TSG_MAX_PHONE_DIGITS)
					return false;
				d[n++] = (char)code;
			} else if (!strchr(" -.()", code))
				return false;
			continue;
		}
		q++;
		if (c >= '0' && c <= '9') {
			if (n + 2 > cap || ++ndig > TSG_MAX_PHONE_DIGITS)
				return false;
			d[n++] = c;
		} else if (c == '+' && n == 0) {
			d[n++] = '+';
		} else if (!strchr("-.()", c)) {
			return false;
		}
	}
	d[n] = '\0';
	return ndig >= 7;
}

/* The phone number written in s[a..b) (digits, '+', separators, %-escapes),
 * recorded when it is one. */
static void add_phone(tsgi_extract *x, size_t a, size_t b)
{
	char digits[TSG_MAX_PHONE_DIGITS + 2], e164[32];
	unsigned flags = 0;
	const char *cc = NULL;
	if (!param_digits(x->raw, a, b, digits, sizeof digits) ||
	    !tsgi_phone_canon(digits, x->region ? x->region : "US", e164,
	                      sizeof e164, &flags, &cc))
		return;
	tsg_indicator ind = {.kind = TSG_IND_PHONE, .region = cc, .flags = flags};
	ind.value = tsgi_arena_strdup(x->arena, e164);
	if (!ind.value) {
		x->oom = true;
		return;
	}
	const tsgi_brand *br = x->brands ? tsgi_brands_by_phone(x->brands, e164) : NULL;
	if (br) {
		ind.flags |= TSG_IND_F_OFFICIAL;
		ind.brand = br->id;
	}
	tsgi_ind_add(x, &ind, a, b);
}

/* Phone numbers in the query string of the path s[ps..pe). */
static void phone_params(tsgi_extract *x, size_t ps, size_t pe)
{
	const char *s = x->raw;
	const char *q = memchr(s + ps, '?', pe - ps);
	if (!q)
		return;
	size_t p = (size_t)(q - s) + 1;
	for (unsigned k = 0; p < pe && k < TSG_MAX_URL_PARAMS && !x->oom; k++) {
		size_t e = p;
		while (e < pe && s[e] != '&' && s[e] != ';' && s[e] != '#')
			e++;
		const char *eq = memchr(s + p, '=', e - p);
		if (eq && phone_param_name(s + p, (size_t)(eq - s) - p))
			add_phone(x, (size_t)(eq - s) + 1, e);
		if (e < pe && s[e] == '#')
			break;
		p = e + 1;
	}
}

/* Appends s[0..n) to v (length *vn), silently cut at TSG_MAX_URL. */
static void put(char *v, size_t *vn, const char *s, size_t n)
{
	if (*vn + n > TSG_MAX_URL)
		n = TSG_MAX_URL - *vn;
	memcpy(v + *vn, s, n);
	*vn += n;
}

/* Reports a link whose host (already in `ind`) ends at raw offset p; reads
 * the port and path that follow.  Returns the raw end of the link. */
static size_t emit_url(tsgi_extract *x, size_t start, size_t p,
                       const char *scheme_name, tsg_indicator *ind, bool dfg)
{
	const char *s = x->raw;
	size_t len = x->raw_len;
	char v[TSG_MAX_URL + 1];
	size_t vn = 0;
	put(v, &vn, scheme_name, strlen(scheme_name));
	put(v, &vn, "://", 3);
	put(v, &vn, ind->host, strlen(ind->host));
	if (p + 1 < len && s[p] == ':' && g_ascii_isdigit(s[p + 1])) {
		size_t q = p + 1;
		while (q < len && g_ascii_isdigit(s[q]) && q - p <= 5)
			q++;
		if (q >= len || !is_alnum((unsigned char)s[q])) {
			put(v, &vn, s + p, q - p);
			p = q;
		}
	}
	size_t ps = p, pe = p;
	if (p < len && (s[p] == '/' || s[p] == '?' || s[p] == '#' ||
	                (s[p] == '\\' && p + 1 < len && s[p + 1] == '/')))
		pe = path_end(s, len, p, &dfg);
	for (size_t q = ps; q < pe;) {
		if (s[q] == '\\' && q + 1 < pe && s[q + 1] == '/') {
			put(v, &vn, "/", 1);
			q += 2;
		} else if (s[q] == '[' && ieq(s, pe, q, "[.]")) {
			put(v, &vn, ".", 1);
			q += 3;
		} else {
			put(v, &vn, s + q, 1);
			q++;
		}
	}
	ind->kind = TSG_IND_URL;
	ind->value = tsgi_arena_strndup(x->arena, v, vn);
	if (!ind->value) {
		x->oom = true;
		return pe;
	}
	if (dfg)
		ind->flags |= TSG_IND_F_DEFANGED;
	tsgi_ind_add(x, ind, start, pe);
	phone_params(x, ps, pe);
	return pe;
}

/* A link with a scheme or "www." at s[i]; returns its end or 0. */
static size_t try_link(tsgi_extract *x, size_t i)
{
	const char *s = x->raw;
	size_t len = x->raw_len;
	bool tls = false, dfg = false;
	size_t p = scheme(s, len, i, &tls, &dfg);
	if (p) {
		size_t at = 0;
		for (size_t q = p; q < len && q - p < 256 &&
		                   !strchr("/?#<>\"' \t\r\n\\", s[q]);
		     q++)
			if (s[q] == '@')
				at = q + 1;
		if (at)
			p = at;
	} else if ((s[i] == 'w' || s[i] == 'W') &&
	           (ieq(s, len, i, "www.") || ieq(s, len, i, "www[.]"))) {
		p = i;
	} else {
		return 0;
	}
	tsgi_hostscan h;
	if (!tsgi_host_read(s, len, p, &h))
		return 0;
	tsg_indicator ind = {.kind = TSG_IND_URL};
	if (!tsgi_host_fill(x, &h, TSGI_HOST_ALLOW_IP, &ind))
		return p > i ? h.end : 0;
	return emit_url(x, i, h.end, tls ? "https" : "http", &ind,
	                dfg || h.defanged);
}

/* Real TLDs that are mostly file extensions in running text. */
static bool file_extension(const char *tld)
{
	static const char *const k_ext[] = {
		"md", "mov", "pl", "pm", "ps", "py", "rs", "sh", "zip",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(k_ext); i++)
		if (!strcmp(tld, k_ext[i]))
			return true;
	return false;
}

static bool mixed_case(const char *s, size_t n)
{
	bool up = false, low = false;
	for (size_t i = 0; i < n; i++) {
		up |= s[i] >= 'A' && s[i] <= 'Z';
		low |= s[i] >= 'a' && s[i] <= 'z';
	}
	return up && low;
}

/* A bare host at s[i]; returns its end (also when it was refused, so the
 * caller skips it) or 0 when no host starts here. */
static size_t try_bare(tsgi_extract *x, size_t i)
{
	const char *s = x->raw;
	size_t len = x->raw_len;
	if (i > 0 && strchr("@./\\:=%&?#~+-_$", s[i - 1]))
		return 0;
	if (i >= 4 && (ieq(s, len, i - 4, "[at]") || ieq(s, len, i - 4, "(at)")))
		return 0; /* the domain of a defanged email address */
	tsgi_hostscan h;
	if (!tsgi_host_read(s, len, i, &h))
		return 0;
	size_t e = h.end;
	if (h.nlabels < 2 || (e < len && s[e] == '@'))
		return e;
	/* A path of more than its slash ("Microsoft.Skype.Presence.App/" in
	 * a configuration note has none). */
	bool dfg = false;
	bool path = e + 1 < len && s[e] == '/' && path_char((unsigned char)s[e + 1]) &&
	            path_end(s, len, e, &dfg) > e + 1;
	const char *tld = strrchr(h.buf, '.') + 1;
	if (!h.defanged && !path &&
	    (mixed_case(s + h.tld_start, e - h.tld_start) || file_extension(tld)))
		return e;
	tsg_indicator ind = {.kind = TSG_IND_DOMAIN};
	if (!tsgi_host_fill(x, &h, TSGI_HOST_NEED_DOMAIN, &ind))
		return e;
	if (path)
		return emit_url(x, i, e, "http", &ind, h.defanged);
	ind.value = ind.host;
	if (h.defanged)
		ind.flags |= TSG_IND_F_DEFANGED;
	tsgi_ind_add(x, &ind, i, e);
	return e;
}

/* Cheap test before tsgi_host_read(): a host of two labels or more needs
 * a separator or a non-ASCII letter after the first run of ASCII label
 * characters.  Most words fail here. */
static bool may_be_host(const char *s, size_t len, size_t i)
{
	while (i < len && (unsigned char)s[i] < 0x80 &&
	       tsgi_host_ascii_char((unsigned char)s[i]))
		i++;
	if (i + 1 >= len)
		return false;
	unsigned char c = (unsigned char)s[i];
	return c == '.' || c == '[' || c == '(' || c == '{' || c >= 0x80;
}

void tsgi_extract_urls(tsgi_extract *x)
{
	const char *s = x->raw;
	size_t len = x->raw_len, i = 0;
	while (i < len && !x->oom) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80 && !tsgi_host_ascii_char(c)) {
			i++;
			continue;
		}
		size_t end = 0;
		if (!prev_is_word(s, i)) {
			if (c == 'h' || c == 'H' || c == 'w' || c == 'W')
				end = try_link(x, i);
			if (!end && may_be_host(s, len, i))
				end = try_bare(x, i);
		}
		if (end > i) {
			i = end;
			continue;
		}
		/* not at a word start, or nothing here: skip the rest of the word */
		i++;
		while (i < len && ((unsigned char)s[i] >= 0x80 || is_alnum((unsigned char)s[i])))
			i++;
	}
}

void tsgi_extract_tel(tsgi_extract *x)
{
	const char *s = x->raw;
	size_t len = x->raw_len;
	for (size_t i = 0; i < len && !x->oom;) {
		size_t e = i;
		while (e < len && s[e] != '\n')
			e++;
		if (e - i > 4 && !g_ascii_strncasecmp(s + i, "tel:", 4)) {
			size_t ve = i + 4; /* up to ";ext=" or "?" */
			while (ve < e && s[ve] != ';' && s[ve] != '?')
				ve++;
			add_phone(x, i + 4, ve);
		}
		i = e + 1;
	}
}
