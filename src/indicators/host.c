/*
 * host.c - reading and canonicalising host names (see host.h).
 *
 * Owner: indicators.  The public suffix list is libpsl's built-in copy
 * (psl_builtin(): static, read-only, shared by all threads), so a scan never
 * opens a file.  IDNA is libidn2's UTS #46 non-transitional processing,
 * which also folds case of non-ASCII letters.
 */
#include "host.h"

#include <glib.h>
#include <idn2.h>
#include <libpsl.h>
#include <string.h>

/* Length in bytes of the letter or digit that starts at s[p], or 0.  ASCII
 * label characters count; so do UTF-8 letters, digits and combining marks
 * (an IDN label), but not punctuation such as an em dash or a curly quote. */
static size_t label_char(const char *s, size_t len, size_t p)
{
	unsigned char c = (unsigned char)s[p];
	if (c < 0x80)
		return tsgi_host_ascii_char(c) ? 1 : 0;
	gunichar u = g_utf8_get_char_validated(s + p, (gssize)(len - p));
	if (u == (gunichar)-1 || u == (gunichar)-2)
		return 0;
	if (!g_unichar_isalnum(u) && !g_unichar_ismark(u))
		return 0;
	return (size_t)g_utf8_skip[c];
}

static bool ieq(const char *s, size_t len, size_t p, const char *lit)
{
	size_t n = strlen(lit);
	if (p + n > len)
		return false;
	return g_ascii_strncasecmp(s + p, lit, n) == 0;
}

/* Length of a separator between labels at s[p], or 0.  *defanged is set for
 * the forms people write to stop a link from being clickable. */
static size_t separator(const char *s, size_t len, size_t p, bool *defanged)
{
	static const char *const k_defanged[] = {
		"[.]", "(.)", "{.}", "[dot]", "(dot)", "{dot}",
	};
	static const char *const k_stops[] = {
		"\xe3\x80\x82", /* U+3002 ideographic full stop */
		"\xef\xbc\x8e", /* U+FF0E fullwidth full stop   */
		"\xef\xbd\xa1", /* U+FF61 halfwidth ideographic full stop */
	};
	if (s[p] == '.')
		return 1;
	if (s[p] == '[' || s[p] == '(' || s[p] == '{') {
		for (size_t i = 0; i < G_N_ELEMENTS(k_defanged); i++)
			if (ieq(s, len, p, k_defanged[i])) {
				*defanged = true;
				return strlen(k_defanged[i]);
			}
		return 0;
	}
	if ((unsigned char)s[p] >= 0xe3)
		for (size_t i = 0; i < G_N_ELEMENTS(k_stops); i++)
			if (p + 3 <= len && !memcmp(s + p, k_stops[i], 3))
				return 3;
	return 0;
}

bool tsgi_host_read(const char *s, size_t len, size_t pos, tsgi_hostscan *h)
{
	h->len = 0;
	h->nlabels = 0;
	h->defanged = false;
	h->ascii = true;
	h->tld_start = pos;
	size_t p = pos;
	if (p >= len || !label_char(s, len, p))
		return false;
	for (;;) {
		/* one label */
		h->tld_start = p;
		h->nlabels++;
		size_t k;
		while (p < len && (k = label_char(s, len, p)) > 0) {
			if (h->len + k >= sizeof h->buf)
				return false;
			for (size_t i = 0; i < k; i++) {
				unsigned char c = (unsigned char)s[p + i];
				if (c >= 0x80)
					h->ascii = false;
				h->buf[h->len++] = (char)g_ascii_tolower((gchar)c);
			}
			p += k;
		}
		/* a separator counts only when another label follows */
		if (p >= len)
			break;
		bool dfg = false;
		size_t sep = separator(s, len, p, &dfg);
		if (!sep || p + sep >= len || !label_char(s, len, p + sep))
			break;
		if (h->len + 1 >= sizeof h->buf)
			return false;
		h->buf[h->len++] = '.';
		h->defanged |= dfg;
		p += sep;
	}
	h->buf[h->len] = '\0';
	h->end = p;
	return true;
}

static bool is_ipv4(const char *host)
{
	unsigned parts = 0, val = 0, digits = 0;
	for (const char *c = host;; c++) {
		if (*c >= '0' && *c <= '9') {
			val = val * 10 + (unsigned)(*c - '0');
			if (++digits > 3 || val > 255)
				return false;
		} else if (*c == '.' || *c == '\0') {
			if (!digits)
				return false;
			parts++;
			digits = val = 0;
			if (*c == '\0')
				break;
		} else {
			return false;
		}
	}
	return parts == 4;
}

/* Labels of 1..63 bytes, no hyphen at either end, whole name <= 253. */
static bool labels_ok(const char *host)
{
	size_t n = strlen(host);
	if (n == 0 || n > TSG_MAX_HOST)
		return false;
	const char *l = host;
	for (;;) {
		const char *dot = strchr(l, '.');
		size_t ln = dot ? (size_t)(dot - l) : strlen(l);
		if (ln == 0 || ln > 63 || l[0] == '-' || l[ln - 1] == '-')
			return false;
		if (!dot)
			return true;
		l = dot + 1;
	}
}

bool tsgi_host_canon(tsgi_extract *x, const char *host, unsigned opts,
                     tsg_indicator *ind)
{
	char ascii[TSG_MAX_HOST + 1];
	bool ok = true;
	char *idn = NULL;
	const char *h = host;
	for (const char *c = host; *c; c++)
		if ((unsigned char)*c >= 0x80) {
			if (idn2_to_ascii_8z(host, &idn,
			                     IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) !=
			    IDN2_OK)
				return false;
			h = idn;
			break;
		}
	size_t n = strlen(h);
	if (n > TSG_MAX_HOST) {
		ok = false;
		goto out;
	}
	for (size_t i = 0; i <= n; i++)
		ascii[i] = (char)g_ascii_tolower(h[i]);
	if (!labels_ok(ascii)) {
		ok = false;
		goto out;
	}
	const char *domain = NULL;
	if (is_ipv4(ascii)) {
		if (!(opts & TSGI_HOST_ALLOW_IP)) {
			ok = false;
			goto out;
		}
		domain = ascii;
	} else {
		const psl_ctx_t *psl = psl_builtin();
		const char *dot = strrchr(ascii, '.');
		if (!dot || !psl ||
		    !psl_is_public_suffix2(psl, dot + 1,
		                           PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) ||
		    strchr(dot + 1, '_')) {
			ok = false;
			goto out;
		}
		domain = psl_registrable_domain(psl, ascii);
		if (!domain) {
			if (opts & TSGI_HOST_NEED_DOMAIN) {
				ok = false;
				goto out;
			}
			domain = ascii; /* the host is itself a public suffix */
		}
	}
	ind->host = tsgi_arena_strdup(x->arena, ascii);
	ind->domain = tsgi_arena_strdup(x->arena, domain);
	if (!ind->host || !ind->domain) {
		x->oom = true;
		ok = false;
		goto out;
	}
	if (tsgi_shortener_is(ind->host))
		ind->flags |= TSG_IND_F_SHORTENER;
	const tsgi_brand *br =
		x->brands ? tsgi_brands_by_host(x->brands, ind->host) : NULL;
	if (br) {
		ind->flags |= TSG_IND_F_OFFICIAL;
		ind->brand = br->id;
	}
out:
	idn2_free(idn);
	return ok;
}

bool tsgi_host_fill(tsgi_extract *x, const tsgi_hostscan *h, unsigned opts,
                    tsg_indicator *ind)
{
	if (h->nlabels < 2)
		return false;
	return tsgi_host_canon(x, h->buf, opts, ind);
}
