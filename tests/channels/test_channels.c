/*
 * test_channels.c - channel parsers on hostile and edge-case input:
 * detection, bad charsets, truncated base64, 8-bit headers, nesting and
 * part limits, invalid UTF-8, empty bodies, transcript forms, spoken
 * addresses, SMS senders, and homoglyph/emoji normalisation.  Table rows
 * print their file:line on failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/channels/channel.h"
#include "../../src/channels/spoken.h"
#include "../../src/core/arena.h"
#include "tsguard.h"
#include "tsguard_limits.h"

static tsg_engine *engine;
static tsg_scan *scan;

static int setup(void **st)
{
	(void)st;
	/* Rules only: the learned model has its own tests. */
	tsg_engine_config cfg = {.model_path = ""};
	if (tsg_engine_open(&cfg, &engine) != TSG_OK) {
		fprintf(stderr, "engine: %s\n", tsg_engine_errmsg(engine));
		return -1;
	}
	scan = tsg_scan_new(engine);
	return scan ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	tsg_scan_free(scan);
	tsg_engine_unref(engine);
	return 0;
}

static const tsg_verdict *run(const char *data, size_t len, tsg_channel ch,
                              const char *sender)
{
	tsg_input in = {.data = data, .len = len, .channel = ch, .sender = sender};
	const tsg_verdict *v = NULL;
	tsg_status st = tsg_scan_run(scan, &in, &v);
	if (st != TSG_OK)
		fail_msg("scan failed: %s", tsg_scan_errmsg(scan));
	return v;
}

static bool has_reason(const tsg_verdict *v, const char *id)
{
	for (size_t i = 0; i < v->n_reasons; i++)
		if (!strcmp(v->reasons[i].rule_id, id))
			return true;
	return false;
}

static bool has_segment(const tsg_verdict *v, const char *prefix)
{
	for (size_t i = 0; i < v->n_segments; i++)
		if (!strncmp(v->segments[i].label, prefix, strlen(prefix)))
			return true;
	return false;
}

/* ---- detection -------------------------------------------------------- */

static void test_detect(void **st)
{
	(void)st;
	static const struct {
		int line;
		const char *in;
		tsg_channel want;
	} t[] = {
		{__LINE__, "From: a@b.example\nSubject: hi\n\nbody", TSG_CHANNEL_EMAIL},
		{__LINE__, "Received: from x\n\tby y\nFrom: a@b\n\nbody", TSG_CHANNEL_EMAIL},
		{__LINE__, "\xEF\xBB\xBF  <!DOCTYPE html><html></html>", TSG_CHANNEL_WEB},
		{__LINE__, "<?php header('x'); ?><html><body>x</body></html>", TSG_CHANNEL_WEB},
		{__LINE__, "<div class=\"x\">Your PC is blocked</div>", TSG_CHANNEL_WEB},
		{__LINE__, "[{\"speaker\":\"a\",\"text\":\"hi\"}]", TSG_CHANNEL_CALL},
		{__LINE__, "{\"segments\":[{\"start\":0,\"text\":\"hi\"}]}", TSG_CHANNEL_CALL},
		{__LINE__, "From the desk of the manager: hello", TSG_CHANNEL_TEXT},
		{__LINE__, "Your computer is infected. Call 1-888-555-0199", TSG_CHANNEL_TEXT},
		{__LINE__, "{\"price\": 3}", TSG_CHANNEL_TEXT},
		{__LINE__, "", TSG_CHANNEL_TEXT},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		tsg_channel got = tsgi_channel_detect(t[i].in, strlen(t[i].in));
		if (got != t[i].want)
			fail_msg("%s:%d: detected %s, want %s", __FILE__, t[i].line,
			         tsg_channel_name(got), tsg_channel_name(t[i].want));
	}
}

/* ---- email ------------------------------------------------------------ */

static void test_email_edge_cases(void **st)
{
	(void)st;
	static const struct {
		int line;
		const char *in;
		const char *segment; /* a segment label prefix that must exist */
	} t[] = {
		{__LINE__, "From: a@b.example\nSubject: hi\nContent-Type: text/plain; "
		           "charset=x-no-such-charset\n\ncaf\xe9 au lait\n", "part 1"},
		{__LINE__, "From: a@b.example\nContent-Type: text/plain\n"
		           "Content-Transfer-Encoding: base64\n\nWW91ciBjb21wdXRlciBpcyBpbmZ\n",
		 "part 1"},
		{__LINE__, "From: Jos\xe9 <a@b.example>\nSubject: \xe9t\xe9 \xff\xfe\n\nhi\n",
		 "subject"},
		{__LINE__, "From: a@b.example\nSubject: empty\n\n", "subject"},
		{__LINE__, "From: a@b.example\nContent-Type: text/html\n\n<p>\xc3\x28 bad "
		           "utf8 \xf0\x28\x8c\x28</p>", "part 1 text/html"},
		{__LINE__, "From: a@b.example\nContent-Type: multipart/mixed; boundary=x\n\n"
		           "--x\nContent-Type: text/plain\n\ntruncated", "part 2"},
		{__LINE__, "\x01\x02 not an email at all", NULL},
		{__LINE__, "", NULL},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		size_t len = strlen(t[i].in);
		const tsg_verdict *v = run(t[i].in, len, TSG_CHANNEL_EMAIL, NULL);
		if (!v)
			fail_msg("%s:%d: no verdict", __FILE__, t[i].line);
		if (t[i].segment && !has_segment(v, t[i].segment))
			fail_msg("%s:%d: no segment '%s'", __FILE__, t[i].line, t[i].segment);
	}

	/* A pasted body whose first line reads as a header: scanned as text,
	 * not as an empty message; an image-only mail is not. */
	const char *body = "From the desk of Microsoft Windows: Dear User, your "
	                   "license will be suspended in 12 hours. To reactivate, "
	                   "call our licensing department at 1-844-330-2291.";
	const tsg_verdict *v = run(body, strlen(body), TSG_CHANNEL_EMAIL, NULL);
	assert_true(has_segment(v, "body"));
	assert_int_not_equal(v->cls, TSG_CLEAN);
	const char *image = "From: a@b.example\nSubject: photo\nContent-Type: "
	                    "image/png\nContent-Transfer-Encoding: base64\n\n"
	                    "iVBORw0KGgo=\n";
	v = run(image, strlen(image), TSG_CHANNEL_EMAIL, NULL);
	assert_false(has_segment(v, "body"));
}

static void test_email_qp_base64_html(void **st)
{
	(void)st;
	const char *m =
		"From: \"Microsoft\" <a@x.example>\nSubject: =?utf-8?B?SGVsbG8=?=\n"
		"MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"
		"--b\nContent-Type: text/html; charset=iso-8859-1\n"
		"Content-Transfer-Encoding: quoted-printable\n\n"
		"<script>your computer is infected</script><style>p{}</style>"
		"<p>caf=E9</p>\n"
		"--b--\n";
	const tsg_verdict *v = run(m, strlen(m), TSG_CHANNEL_EMAIL, NULL);
	assert_true(has_segment(v, "subject"));
	assert_true(has_segment(v, "from-name"));
	assert_true(has_segment(v, "part 2 text/html"));
	/* Script text is not visible text. */
	assert_false(has_reason(v, "alert.infected"));
}

static char *nested(unsigned depth)
{
	size_t cap = 256 + (size_t)depth * 128;
	char *b = malloc(cap), *p = b;
	p += snprintf(p, cap, "From: a@b.example\nSubject: deep\n");
	for (unsigned i = 0; i < depth; i++)
		p += snprintf(p, cap - (size_t)(p - b),
		              "Content-Type: multipart/mixed; boundary=b%u\n\n--b%u\n", i, i);
	p += snprintf(p, cap - (size_t)(p - b),
	              "Content-Type: text/plain\n\nYour computer is infected\n");
	return b;
}

static void test_email_limits(void **st)
{
	(void)st;
	char *m = nested(TSG_MAX_MIME_DEPTH + 10);
	const tsg_verdict *v = run(m, strlen(m), TSG_CHANNEL_EMAIL, NULL);
	assert_true(v->limits_hit & TSG_LIMIT_MIME_DEPTH);
	free(m);

	m = nested(10000); /* cut ahead of GMime, never a stack overflow */
	v = run(m, strlen(m), TSG_CHANNEL_EMAIL, NULL);
	assert_true(v->limits_hit & (TSG_LIMIT_MIME_DEPTH | TSG_LIMIT_MIME_PARTS));
	free(m);

	size_t cap = 64 + (TSG_MAX_MIME_PARTS + 50) * 48;
	char *b = malloc(cap), *p = b;
	p += snprintf(p, cap, "From: a@b\nContent-Type: multipart/mixed; boundary=z\n\n");
	for (unsigned i = 0; i < TSG_MAX_MIME_PARTS + 40; i++)
		p += snprintf(p, cap - (size_t)(p - b), "--z\nContent-Type: text/plain\n\np%u\n", i);
	v = run(b, (size_t)(p - b), TSG_CHANNEL_EMAIL, NULL);
	assert_true(v->limits_hit & TSG_LIMIT_MIME_PARTS);
	free(b);
}

/* ---- web -------------------------------------------------------------- */

static void test_web(void **st)
{
	(void)st;
	const char *page = "<html><head><title>Hi</title><style>.a{}</style></head>"
	                   "<body><script>var s = 'Your computer is infected';</script>"
	                   "<p>Nothing to see</p></body></html>";
	const tsg_verdict *v = run(page, strlen(page), TSG_CHANNEL_WEB, NULL);
	assert_false(has_reason(v, "alert.infected"));
	assert_true(has_segment(v, "title"));
	assert_int_equal(v->cls, TSG_CLEAN);

	const char *vis = "<p>Your computer is infected</p>";
	v = run(vis, strlen(vis), TSG_CHANNEL_WEB, NULL);
	assert_true(has_reason(v, "alert.infected"));

	/* A PHP kit: the PHP code is blanked, the HTML read. */
	const char *php = "<?php $n = $_GET['phone']; if ($x > 3) { echo 'Your "
	                  "computer is infected'; } ?><p>hello</p>";
	v = run(php, strlen(php), TSG_CHANNEL_WEB, NULL);
	assert_false(has_reason(v, "alert.infected"));

	/* The number from the page's address is a sign; an element looked up
	 * by the id "ph" is not. */
	const char *q = "<script>var n = new URLSearchParams(location.search)"
	                ".get('phone'); document.getElementById('ph').innerText = n;"
	                "</script><p>Call support</p>";
	v = run(q, strlen(q), TSG_CHANNEL_WEB, NULL);
	assert_true(has_reason(v, "web.phone_from_query"));
	const char *byid = "<script>var phone = '1-888-555-0163';"
	                   "document.getElementById(\"ph\").innerText = phone;"
	                   "</script><p>Call support <span id=ph></span></p>";
	v = run(byid, strlen(byid), TSG_CHANNEL_WEB, NULL);
	assert_false(has_reason(v, "web.phone_from_query"));
	/* ... and the number the script keeps in a string is extracted, while
	 * bare digit strings (IDs, timestamps) are not read as phones. */
	bool phone = false;
	for (size_t i = 0; i < v->n_indicators; i++)
		phone |= v->indicators[i].kind == TSG_IND_PHONE &&
		         !strcmp(v->indicators[i].value, "+18885550163");
	assert_true(phone);
	const char *ids = "<script>var t = '1700000000000', id = '18885550163';"
	                  "</script><p>Welcome</p>";
	v = run(ids, strlen(ids), TSG_CHANNEL_WEB, NULL);
	assert_int_equal(v->n_indicators, 0);

	/* Deep nesting is cut ahead of the parser and reported. */
	size_t n = 200000;
	char *deep = malloc(n * 5 + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(deep + i * 5, "<div>", 5);
	deep[n * 5] = '\0';
	v = run(deep, n * 5, TSG_CHANNEL_WEB, NULL);
	assert_true(v->limits_hit & TSG_LIMIT_HTML);
	free(deep);

	/* Invalid UTF-8 and NUL bytes. */
	const char bad[] = "<p>\xff\xfe\x00\xc3 Call \xe2\x28\xa1 now</p>";
	v = run(bad, sizeof bad - 1, TSG_CHANNEL_WEB, NULL);
	assert_non_null(v);
	v = run("", 0, TSG_CHANNEL_WEB, NULL);
	assert_int_equal(v->cls, TSG_CLEAN);
}

/* The indicator of kind k and value `value`, or NULL. */
static const tsg_indicator *find_ind(const tsg_verdict *v, tsg_indicator_kind k,
                                     const char *value)
{
	for (size_t i = 0; i < v->n_indicators; i++)
		if (v->indicators[i].kind == k && !strcmp(v->indicators[i].value, value))
			return &v->indicators[i];
	return NULL;
}

/* Link targets: extracted and judged by the brand policy, quoted from the
 * "links" segment, never read by the rules. */
static void test_links(void **st)
{
	(void)st;
	const char *page =
		"<p>Amazon security: your account is locked.</p>"
		"<a href=\" https://amazon-account-unlock.com/verify\">Unlock now</a>"
		"<a href=\"tel:+1-888-555-0147\">Call us</a>"
		"<a href=\"mailto:help@amazon-unlock.net?subject=x\">Mail us</a>"
		"<a href=\"https://download.anydesk.com/AnyDesk.exe\">Get help</a>"
		"<a href=\"/relative\">r</a><a href=\"javascript:go()\">j</a>"
		"<form action=\"https://collect.example.net/post\"></form>";
	const tsg_verdict *v = run(page, strlen(page), TSG_CHANNEL_WEB, NULL);
	const tsg_indicator *u = find_ind(v, TSG_IND_URL,
	                                  "https://amazon-account-unlock.com/verify");
	assert_non_null(u);
	assert_string_equal(v->segments[u->segment].label, "links");
	assert_non_null(find_ind(v, TSG_IND_PHONE, "+18885550147"));
	assert_non_null(find_ind(v, TSG_IND_EMAIL, "help@amazon-unlock.net"));
	assert_non_null(find_ind(v, TSG_IND_URL, "https://collect.example.net/post"));
	for (size_t i = 0; i < v->n_indicators; i++)
		assert_null(strstr(v->indicators[i].value, "relative"));
	assert_true(has_reason(v, "policy.lookalike_link"));
	/* the AnyDesk download is an indicator, but no rule reads it */
	assert_non_null(find_ind(v, TSG_IND_REMOTE, "anydesk"));
	assert_false(has_reason(v, "remote.tool"));
	bool quoted = false;
	for (size_t i = 0; i < v->n_reasons; i++)
		for (size_t k = 0; k < v->reasons[i].n_evidence; k++)
			quoted |= !strcmp(v->reasons[i].evidence[k].text,
			                  "https://amazon-account-unlock.com/verify");
	assert_true(quoted);

	/* A mail's HTML part: the button's host, after every scanned part. */
	const char *m =
		"From: Apple <no-reply@apple-id-billing.info>\nSubject: Apple ID\n"
		"MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"
		"--b\nContent-Type: text/html\n\n<p>Your Apple ID has been locked. "
		"Verify your account within 24 hours.</p>"
		"<a href=\"https://appleid-verify-unlock.com/login\">Verify now</a>\n"
		"--b\nContent-Type: text/plain\n\nYour Apple ID has been locked.\n"
		"--b--\n";
	v = run(m, strlen(m), TSG_CHANNEL_EMAIL, NULL);
	u = find_ind(v, TSG_IND_URL, "https://appleid-verify-unlock.com/login");
	assert_non_null(u);
	assert_int_equal((int)u->segment, (int)v->n_segments - 1);
	assert_true(has_reason(v, "policy.lookalike_link"));
}

/* ---- call ------------------------------------------------------------- */

static void test_call_forms(void **st)
{
	(void)st;
	static const struct {
		int line;
		const char *in;
		size_t turns;
	} t[] = {
		{__LINE__, "[{\"speaker\":\"a\",\"text\":\"one\"},{\"text\":\"two\"},\"three\"]", 3},
		{__LINE__, "{\"turns\":[{\"speaker\":\"a\",\"text\":\"one\",\"start\":1}]}", 1},
		{__LINE__, "{\"segments\":[{\"start\":0,\"end\":1,\"text\":\" a\"},"
		           "{\"start\":1,\"end\":2,\"text\":\" b\"}]}", 2},
		{__LINE__, "{\"text\":\"line one\\nline two\"}", 2},
		{__LINE__, "Agent: hello\n\n[00:01] Caller: hi\r\nthird\n", 3},
		{__LINE__, "[{\"text\": \"unterminated", 1}, /* invalid JSON: plain */
		{__LINE__, "[]", 1},                         /* empty: one empty turn */
		{__LINE__, "", 1},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		const tsg_verdict *v = run(t[i].in, strlen(t[i].in), TSG_CHANNEL_CALL, NULL);
		if (v->n_segments != t[i].turns)
			fail_msg("%s:%d: %zu turns, want %zu", __FILE__, t[i].line,
			         v->n_segments, t[i].turns);
		for (size_t k = 0; k < v->n_segments; k++)
			if (v->segments[k].turn != (int)k)
				fail_msg("%s:%d: segment %zu has turn %d", __FILE__, t[i].line, k,
				         v->segments[k].turn);
	}
}

static void test_spoken(void **st)
{
	(void)st;
	static const struct {
		int line;
		const char *in, *want;
	} t[] = {
		{__LINE__, "go to w w w dot any desk dot com now", "go to www.anydesk.com now"},
		{__LINE__, "visit microsoft dot com.", "visit microsoft.com."},
		{__LINE__, "email me at john at gmail dot com", "email me at john@gmail.com"},
		{__LINE__, "write to help at the rate support dot net",
		 "write to help@support.net"},
		{__LINE__, "it is at home", "it is at home"},
		{__LINE__, "the dot com bubble", "the dot com bubble"},
		{__LINE__, "see you at the game", "see you at the game"},
		{__LINE__, "go to fix dotcom", "go to fix.com"},
		{__LINE__, "go to support dash help dot net", "go to support-help.net"},
		{__LINE__, "type pc hyphen fix dot online", "type pc-fix.online"},
		{__LINE__, "make a dash for the door", "make a dash for the door"},
		{__LINE__, "a dash of salt", "a dash of salt"},
		{__LINE__, "", ""},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		tsgi_buf b;
		tsgi_buf_init(&b, 4096);
		tsgi_spoken_addresses(t[i].in, strlen(t[i].in), &b);
		const char *got = b.s ? b.s : "";
		if (strcmp(got, t[i].want))
			fail_msg("%s:%d: got '%s', want '%s'", __FILE__, t[i].line, got,
			         t[i].want);
		tsgi_buf_free(&b);
	}
}

/* ---- SMS -------------------------------------------------------------- */

static void test_sms_sender(void **st)
{
	(void)st;
	static const struct {
		int line;
		const char *sender, *signal;
	} t[] = {
		{__LINE__, "AMAZON", "sms.sender_alnum"},
		{__LINE__, "USPS-Info", "sms.sender_alnum"},
		{__LINE__, "28734", "sms.sender_shortcode"},
		{__LINE__, "+1 (888) 555-0101", "sms.sender_phone"},
		{__LINE__, "x@y.example", "sms.sender_email"},
	};
	tsgi_arena *a = tsgi_arena_new(1u << 20);
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		tsg_input in = {.data = "hi", .len = 2, .sender = t[i].sender};
		tsgi_doc d;
		char err[64];
		assert_int_equal(tsgi_channel_parse(a, &in, TSG_CHANNEL_SMS, &d, err,
		                                    sizeof err),
		                 TSG_OK);
		bool found = false;
		for (size_t k = 0; k < d.nsigs; k++)
			if (!strcmp(d.sigs[k].name, t[i].signal))
				found = true;
		if (!found)
			fail_msg("%s:%d: no signal %s", __FILE__, t[i].line, t[i].signal);
		/* The body keeps the caller's offsets. */
		assert_int_equal(d.segs[0].off, 0);
		tsgi_arena_reset(a);
	}
	tsgi_arena_free(a);
}

/* Homoglyphs and emoji are folded by normalisation: a Cyrillic "Аmаzоn"
 * with an emoji still claims the brand and trips the same rules as the
 * plain spelling. */
static void test_sms_homoglyphs(void **st)
{
	(void)st;
	const char *plain = "Your Amazon account is locked. Call 1-888-555-0175 now";
	const char *tricky = "Y\xd0\xbeur \xd0\x90m\xd0\xb0z\xd0\xben \xf0\x9f\x93\xa6 "
	                     "\xd0\xb0\xd1\x81\xd1\x81ount is l\xd0\xbe\xd1\x81ked. "
	                     "\xd0\xa1" "all 1-888-555-0175 n\xd0\xbew";
	const tsg_verdict *v = run(plain, strlen(plain), TSG_CHANNEL_SMS, NULL);
	tsg_class want = v->cls;
	size_t want_reasons = v->n_reasons;
	assert_true(v->n_brands >= 1);
	v = run(tricky, strlen(tricky), TSG_CHANNEL_SMS, NULL);
	assert_true(v->n_brands >= 1);
	assert_string_equal(v->brands[0], "amazon");
	assert_int_equal(v->cls, want);
	assert_int_equal(v->n_reasons, want_reasons);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_email_edge_cases),
		cmocka_unit_test(test_email_qp_base64_html),
		cmocka_unit_test(test_email_limits),
		cmocka_unit_test(test_web),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_call_forms),
		cmocka_unit_test(test_spoken),
		cmocka_unit_test(test_sms_sender),
		cmocka_unit_test(test_sms_homoglyphs),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
