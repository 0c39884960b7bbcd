/*
 * test_badinput.c - hostile input gives a clear result, never a crash.
 * Each case runs under ASan and UBSan in `make check`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tsguard.h"
#include "tsguard_limits.h"

static tsg_engine *g_engine;
static tsg_scan *g_scan;

static int setup(void **state)
{
	(void)state;
	static char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/core.rules",
	         getenv("TSGUARD_SRC") ? getenv("TSGUARD_SRC") : ".");
	const char *paths[] = {path, NULL};
	tsg_engine_config cfg = {.rule_paths = paths, .model_path = ""};
	if (tsg_engine_open(&cfg, &g_engine) != TSG_OK) {
		fprintf(stderr, "engine: %s\n", tsg_engine_errmsg(g_engine));
		return -1;
	}
	g_scan = tsg_scan_new(g_engine);
	return g_scan ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	tsg_scan_free(g_scan);
	tsg_engine_unref(g_engine);
	return 0;
}

static const tsg_verdict *scan(const char *data, size_t len, tsg_channel ch)
{
	tsg_input in = {.data = data, .len = len, .channel = ch};
	const tsg_verdict *v = NULL;
	assert_int_equal(tsg_scan_run(g_scan, &in, &v), TSG_OK);
	char *js = tsg_verdict_json(v, TSG_JSON_COMPACT);
	assert_non_null(js);
	free(js);
	return v;
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	const char msg[] = "Your PC is \xC0\xAF\xFF infected? PC is infected\xED\xA0\x80!";
	for (int ch = 0; ch < TSG_CHANNEL__COUNT; ch++) {
		const tsg_verdict *v = scan(msg, sizeof msg - 1, (tsg_channel)ch);
		if (ch == TSG_CHANNEL_TEXT) {
			assert_int_equal(v->cls, TSG_SUSPICIOUS);
			/* Quotes are valid UTF-8 even when the input is not. */
			assert_string_equal(v->reasons[0].evidence[0].text, "PC is infected");
		}
	}
}

static void test_nul_bytes(void **state)
{
	(void)state;
	const char msg[] = "Your\0PC\0is\0infected\0\0\0";
	const tsg_verdict *v = scan(msg, sizeof msg - 1, TSG_CHANNEL_TEXT);
	assert_int_equal(v->cls, TSG_SUSPICIOUS);
	assert_int_equal(v->reasons[0].evidence[0].start, 5);
	for (int ch = 0; ch < TSG_CHANNEL__COUNT; ch++)
		scan(msg, sizeof msg - 1, (tsg_channel)ch);
}

static void test_empty(void **state)
{
	(void)state;
	for (int ch = 0; ch < TSG_CHANNEL__COUNT; ch++) {
		const tsg_verdict *v = scan("", 0, (tsg_channel)ch);
		assert_int_equal(v->cls, TSG_CLEAN);
		assert_int_equal(v->n_reasons, 0);
	}
	const tsg_verdict *v = scan(NULL, 0, TSG_CHANNEL_TEXT);
	assert_int_equal(v->cls, TSG_CLEAN);
	tsg_input bad = {.data = NULL, .len = 5};
	const tsg_verdict *out = (const tsg_verdict *)1;
	assert_int_equal(tsg_scan_run(g_scan, &bad, &out), TSG_EINVAL);
	assert_null(out);
	assert_non_null(strstr(tsg_scan_errmsg(g_scan), "input"));
}

/* More than TSG_MAX_INPUT: analysed up to the limit, and the verdict says so. */
static void test_oversize(void **state)
{
	(void)state;
	size_t n = TSG_MAX_INPUT + 4096;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, 'a', n);
	memcpy(big, "Your PC is infected ", 20);
	const tsg_verdict *v = scan(big, n, TSG_CHANNEL_TEXT);
	assert_true(v->limits_hit & TSG_LIMIT_INPUT_SIZE);
	assert_int_equal(v->cls, TSG_SUSPICIOUS);
	free(big);
}

/* Deeply repeated patterns: matches are capped and reported. */
static void test_repeated(void **state)
{
	(void)state;
	const char unit[] = "Your PC is infected. Call Microsoft support! gift card ";
	size_t reps = 200000, ul = sizeof unit - 1;
	char *buf = malloc(reps * ul);
	assert_non_null(buf);
	for (size_t i = 0; i < reps; i++)
		memcpy(buf + i * ul, unit, ul);
	const tsg_verdict *v = scan(buf, reps * ul, TSG_CHANNEL_TEXT);
	assert_int_equal(v->cls, TSG_SCAM);
	assert_true(v->limits_hit & TSG_LIMIT_MATCHES);
	for (size_t i = 0; i < v->n_reasons; i++)
		assert_true(v->reasons[i].n_evidence <= TSG_MAX_EVIDENCE);
	/* Pathological nesting-like input for the channel parsers. */
	memset(buf, '<', reps * ul / 2);
	memset(buf + reps * ul / 2, '{', reps * ul / 2);
	for (int ch = 0; ch < TSG_CHANNEL__COUNT; ch++)
		scan(buf, reps * ul, (tsg_channel)ch);
	free(buf);
}

/* The same context scans many messages; nothing leaks between them. */
static void test_reuse(void **state)
{
	(void)state;
	const tsg_verdict *v = scan("Your PC is infected", 19, TSG_CHANNEL_TEXT);
	assert_int_equal(v->cls, TSG_SUSPICIOUS);
	v = scan("hello", 5, TSG_CHANNEL_TEXT);
	assert_int_equal(v->cls, TSG_CLEAN);
	assert_int_equal(v->n_reasons, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_utf8), cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_empty),        cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_repeated),     cmocka_unit_test(test_reuse),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
