/*
 * test_url.c - links, bare domains and email addresses (url.c, host.c,
 * shorteners.c, email_addr.c).
 */
#include "ind_check.h"

#include "../../src/indicators/host.h"

#define URL TSG_IND_URL
#define DOM TSG_IND_DOMAIN
#define EM TSG_IND_EMAIL
#define PH TSG_IND_PHONE
#define DF TSG_IND_F_DEFANGED
#define SH TSG_IND_F_SHORTENER
#define OF TSG_IND_F_OFFICIAL

static const ind_case k_urls[] = {
	/* plain links: scheme and host lower-cased, path kept */
	CASE("Go to https://Secure-Login.Example.COM/Path/To?x=1 now", URL,
	     "https://secure-login.example.com/Path/To?x=1", NULL, 0,
	     "secure-login.example.com", "example.com"),
	CASE("HTTP://EVIL.EXAMPLE.NET", URL, "http://evil.example.net", NULL, 0,
	     "evil.example.net", "example.net", DF),
	CASE("(see http://example.org/a_(b))", URL, "http://example.org/a_(b)"),
	CASE("(see http://example.org/page).", URL, "http://example.org/page"),
	CASE("link: http://example.org/x, then", URL, "http://example.org/x"),
	CASE("<a href=\"https://pay.example.com/inv?id=9\">pay</a>", URL,
	     "https://pay.example.com/inv?id=9"),
	CASE("http://203.0.113.7:8080/panel", URL, "http://203.0.113.7:8080/panel",
	     NULL, 0, "203.0.113.7", "203.0.113.7"),
	CASE("{\"u\":\"https:\\/\\/kit.example.com\\/a\\/b\"}", URL,
	     "https://kit.example.com/a/b"),
	/* user information: the real host is after the '@' */
	CASE("http://microsoft.com@evil.example.net/login", URL,
	     "http://evil.example.net/login", NULL, 0, "evil.example.net"),
	CASE("http://microsoft.com@evil.example.net/login", EM, NULL),
	/* shared platforms keep the full host, domain is eTLD+1 */
	CASE("https://scam-page.pages.dev/", URL, "https://scam-page.pages.dev/", NULL,
	     0, "scam-page.pages.dev", "scam-page.pages.dev"),
	CASE("https://x1.z13.web.core.windows.net/a", URL,
	     "https://x1.z13.web.core.windows.net/a", NULL, 0,
	     "x1.z13.web.core.windows.net"),
	CASE("http://www.bbc.co.uk/news", URL, "http://www.bbc.co.uk/news", NULL, 0,
	     "www.bbc.co.uk", "bbc.co.uk"),
	/* defanged */
	CASE("hxxp://evil[.]example[.]com/path", URL, "http://evil.example.com/path",
	     NULL, DF, "evil.example.com"),
	CASE("hXXps://evil(dot)example(dot)com", URL, "https://evil.example.com",
	     NULL, DF),
	CASE("hxxps[:]//evil[.]example.com/x[.]php", URL,
	     "https://evil.example.com/x.php", NULL, DF),
	CASE("visit evil-support[.]online today", DOM, "evil-support.online", NULL,
	     DF, "evil-support.online", "evil-support.online"),
	CASE("visit evil-support[dot]online today", DOM, "evil-support.online", NULL, DF),
	/* IDN to punycode */
	CASE("https://bücher.example/x", URL, NULL),
	CASE("https://bücher.de/x", URL, "https://xn--bcher-kva.de/x", NULL, 0,
	     "xn--bcher-kva.de", "xn--bcher-kva.de"),
	CASE("mіcrosoft.com support", DOM, "xn--mcrosoft-thh.com"),
	CASE("https://пример.рф/", URL, "https://xn--e1afmkfd.xn--p1ai/"),
	/* www without scheme */
	CASE("Visit www.Example.com/help.", URL, "http://www.example.com/help"),
	CASE("Visit www.example.com.", URL, "http://www.example.com"),
	/* shorteners */
	CASE("https://bit.ly/3AbCdEf", URL, "https://bit.ly/3AbCdEf", NULL, SH,
	     "bit.ly", "bit.ly"),
	CASE("tap bit.ly/3AbCdEf now", URL, "http://bit.ly/3AbCdEf", NULL, SH),
	CASE("https://tinyurl.com/y3x4z", URL, "https://tinyurl.com/y3x4z", NULL, SH),
	CASE("https://www.tinyurl.com/y3x4z", URL, "https://www.tinyurl.com/y3x4z",
	     NULL, SH),
	CASE("https://t.co/abc", URL, "https://t.co/abc", NULL, SH),
	CASE("https://cutt.ly/abc", URL, "https://cutt.ly/abc", NULL, SH),
	CASE("https://rb.gy/abc", URL, "https://rb.gy/abc", NULL, SH),
	CASE("https://example.com/abc", URL, "https://example.com/abc", NULL, 0,
	     NULL, NULL, SH),
	/* official hosts from the brand registry */
	CASE("https://support.microsoft.com/contactus", URL,
	     "https://support.microsoft.com/contactus", NULL, OF,
	     "support.microsoft.com", "microsoft.com"),
	CASE("https://microsoft-support.online/help", URL,
	     "https://microsoft-support.online/help", NULL, 0, NULL, NULL, OF),
	/* bare domains */
	CASE("Call or visit microsoft-help-desk.com today", DOM,
	     "microsoft-help-desk.com", NULL, 0, "microsoft-help-desk.com",
	     "microsoft-help-desk.com"),
	CASE("Amazon.com order", DOM, "amazon.com"),
	CASE("see e.g. the manual", DOM, NULL),
	CASE("open file.txt and notes.docx", DOM, NULL),
	CASE("version 3.5 and 10.0.19045", DOM, NULL),
	CASE("run setup.py and read README.md", DOM, NULL),
	/* a namespace, not a host, even before a lone slash */
	CASE("list *Microsoft.Skype.Presence.App/* in EwsAllowList", DOM, NULL),
	CASE("list *Microsoft.Skype.Presence.App/* in EwsAllowList", URL, NULL),
	CASE("Go to Amazon.Com/refund now", URL, "http://amazon.com/refund"),
	CASE("Please call now.Call us", DOM, NULL),
	CASE("i.e. the U.S. office at 5 p.m.", DOM, NULL),
	CASE("192.168.1.1 is the router", DOM, NULL),
	CASE("mail help@gmail.com", DOM, NULL),
	CASE("localhost:8080 and http://localhost/x", URL, NULL),
	/* phone numbers in query parameters are phones (via tsgi_phone_canon) */
	CASE("https://help.example.com/c?id=7&phone=18885550199", PH, "+18885550199"),
	CASE("https://help.example.com/c?Tel=%2B1%20888-555-0199#x", PH, "+18885550199"),
	CASE("https://help.example.com/c?number=(888)555-0199", PH, "+18885550199"),
	CASE("https://help.example.com/c?order=18885550199", URL,
	     "https://help.example.com/c?order=18885550199"),
	CASE("https://help.example.com/c?phone=abc123", PH, NULL),
};

static const ind_case k_emails[] = {
	CASE("From: \"Microsoft Support\" <Help.Desk@GMail.com>", EM,
	     "help.desk@gmail.com", "Microsoft Support", 0, "gmail.com", "gmail.com",
	     OF),
	CASE("Reply-To: Windows Defender Team <alerts@secure-mail.example.org>", EM,
	     "alerts@secure-mail.example.org", "Windows Defender Team", 0,
	     "secure-mail.example.org", "example.org"),
	CASE("write to billing@paypal.com", EM, "billing@paypal.com", "", OF,
	     "paypal.com", "paypal.com"),
	CASE("To: a@example.com, Bob <bob@example.net>", EM, "bob@example.net", "Bob"),
	CASE("To: a@example.com, Bob <bob@example.net>", EM, "a@example.com", ""),
	CASE("mailto:refund.team@example.co.uk?subject=x", EM,
	     "refund.team@example.co.uk", "", 0, "example.co.uk", "example.co.uk"),
	CASE("contact: desk[at]example[.]com", EM, "desk@example.com", NULL, DF),
	CASE("user@localhost and me@host", EM, NULL),
	CASE("version@2.5 and @handle", EM, NULL),
	CASE("soporte@bücher.de", EM, "soporte@xn--bcher-kva.de"),
	CASE("ID: john@ad", EM, NULL),
	CASE("mailto:x@example.com?body=yes%20merci@hotmail.com", EM,
	     "merci@hotmail.com"),
	CASE("mailto:x@example.com?body=yes%20merci@hotmail.com", EM,
	     "x@example.com"),
	CASE("\"Unclosed <x@example.com>", EM, "x@example.com", "Unclosed"),
};

static void test_urls(void **state)
{
	(void)state;
	RUN_CASES(k_urls);
}

static void test_emails(void **state)
{
	(void)state;
	RUN_CASES(k_emails);
}

static void test_shorteners_sorted(void **state)
{
	(void)state;
	size_t n;
	const char *const *v = tsgi_shorteners(&n);
	assert_true(n > 10);
	for (size_t i = 1; i < n; i++)
		if (strcmp(v[i - 1], v[i]) >= 0)
			fail_msg("shorteners.c: \"%s\" before \"%s\"", v[i - 1], v[i]);
	assert_true(tsgi_shortener_is("bit.ly"));
	assert_true(tsgi_shortener_is("www.bit.ly"));
	assert_false(tsgi_shortener_is("bit.ly.example.com"));
}

/* Hostile bytes never crash and spans stay inside the input. */
static void test_bad_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t len;
	} k_inputs[] = {
#define S(lit) {lit, sizeof lit - 1}
		S("http://"), S("hxxp://[.]"), S("http://\xff\xfe.com/"), S("www."),
		S("a."), S(".com"), S("http://a.com:99999999/"), S("x@"), S("@x.com"),
		S("[at]"), S("(dot)com"), S("http://exa\0mple.com/p"),
		S("\xe3\x80\x82\xe3\x80\x82"), S("https://xn--.com"),
		S("http://-a-.com"), S("a@b@c.com"), S("bit.ly/\0\0"),
		S("x.com\xe2\x80"), S("hxxp[:]//"), S("a@\xc3"),
#undef S
	};
	for (size_t i = 0; i < sizeof k_inputs / sizeof *k_inputs; i++) {
		tsg_input in = {.data = k_inputs[i].s, .len = k_inputs[i].len,
		                .channel = TSG_CHANNEL_TEXT};
		const tsg_indicator *ind;
		size_t n;
		assert_int_equal(tsg_scan_extract(g_scan, &in, &ind, &n), TSG_OK);
		for (size_t k = 0; k < n; k++)
			assert_true(ind[k].end <= in.len);
	}
	/* a very long host and path are cut, not overflowed */
	size_t len = 200000;
	char *big = malloc(len + 1);
	assert_non_null(big);
	memcpy(big, "http://", 7);
	for (size_t i = 7; i < len; i++)
		big[i] = (i % 50 == 0) ? '.' : (i > 100000 ? '/' : 'a');
	big[len] = '\0';
	tsg_input in = {.data = big, .len = len, .channel = TSG_CHANNEL_TEXT};
	const tsg_indicator *ind;
	size_t n;
	assert_int_equal(tsg_scan_extract(g_scan, &in, &ind, &n), TSG_OK);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_emails),
		cmocka_unit_test(test_shorteners_sorted),
		cmocka_unit_test(test_bad_bytes),
	};
	return cmocka_run_group_tests(tests, ind_setup, ind_teardown);
}
