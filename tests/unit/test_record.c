/*
 * test_record.c - JSONL input records: the flat reader and the tree reader
 * give the same record, status and error on every line of the table, and
 * the values are the expected ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/core/record.h"

struct rcase {
	int line;
	const char *json;
	size_t len; /* 0: strlen(json) */
	tsg_status st;
	const char *id;      /* expected id, NULL for none            */
	const char *content; /* expected content, NULL: not checked   */
	size_t content_len;  /* 0: strlen(content)                    */
	const char *err;     /* substring of the error, NULL: none    */
};

#define C(...) {__LINE__, __VA_ARGS__}

static const struct rcase k_cases[] = {
	C("{\"id\":\"a\",\"content\":\"hello\"}", 0, TSG_OK, "a", "hello", 0, NULL),
	C("  {\"content\" : \"x\" , \"id\" : 7 }  \n", 0, TSG_OK, "7", "x", 0, NULL),
	C("{\"id\":-12,\"content\":\"\"}", 0, TSG_OK, "-12", "", 0, NULL),
	C("{\"id\":1.5,\"content\":\"x\"}", 0, TSG_OK, NULL, "x", 0, NULL),
	C("{\"content\":\"a\\nb\\t\\\"q\\\"\\\\\\/\"}", 0, TSG_OK, NULL,
	  "a\nb\t\"q\"\\/", 0, NULL),
	C("{\"content\":\"caf\\u00e9 \\u20ac \\ud83d\\ude00\"}", 0, TSG_OK, NULL,
	  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0, NULL),
	C("{\"content\":\"nul\\u0000byte\"}", 0, TSG_OK, NULL, "nul\0byte", 8, NULL),
	C(("{\"content\":\"M\xc3\xad" "crosoft\"}"), 0, TSG_OK, NULL, ("M\xc3\xad" "crosoft"),
	  0, NULL),
	C("{\"label\":\"scam\",\"year\":2022,\"ok\":true,\"no\":false,\"n\":null,"
	  "\"r\":0.25,\"content\":\"x\"}",
	  0, TSG_OK, NULL, "x", 0, NULL),
	C("{\"victim\":{\"country\":\"US\",\"loss\":{\"amount\":500}},\"content\":\"x\"}",
	  0, TSG_OK, NULL, "x", 0, NULL),
	C("{\"channel\":null,\"contact\":null,\"content\":\"x\"}", 0, TSG_OK, NULL,
	  "x", 0, NULL),
	C("{\"content_base64\":\"aGk=\"}", 0, TSG_OK, NULL, "hi", 0, NULL),
	C("{\"id\":123456789012345678901234,\"content\":\"x\"}", 0, TSG_EPARSE, NULL,
	  NULL, 0, "invalid JSON"),
	C("{\"id\":\"a\",\"id\":\"b\",\"content\":\"x\"}", 0, TSG_EPARSE, NULL, NULL, 0,
	  "duplicate"),
	C("{\"content\":\"bad \xc0\xaf utf8\"}", 0, TSG_EPARSE, NULL, NULL, 0,
	  "invalid JSON"),
	C("{\"content\":\"surrogate \xed\xa0\x80\"}", 0, TSG_EPARSE, NULL, NULL, 0,
	  "invalid JSON"),
	C("{\"content\":\"lone \\ud800 x\"}", 0, TSG_EPARSE, NULL, NULL, 0,
	  "invalid JSON"),
	C("{\"content\":\"lone \\udc00\"}", 0, TSG_EPARSE, NULL, NULL, 0,
	  "invalid JSON"),
	C("{\"content\":\"tab\tinside\"}", 0, TSG_EPARSE, NULL, NULL, 0,
	  "invalid JSON"),
	C("{\"content\":\"x\"} trailing", 0, TSG_EPARSE, NULL, NULL, 0,
	  "invalid JSON"),
	C("{\"content\":\"x\",}", 0, TSG_EPARSE, NULL, NULL, 0, "invalid JSON"),
	C("{\"n\":01,\"content\":\"x\"}", 0, TSG_EPARSE, NULL, NULL, 0,
	  "invalid JSON"),
	C("{\"content\":\"x\"", 0, TSG_EPARSE, NULL, NULL, 0, "invalid JSON"),
	C("{\"content\":\"x\"}\0{}", 18, TSG_EPARSE, NULL, NULL, 0, "invalid JSON"),
	C("[\"content\"]", 0, TSG_EPARSE, NULL, NULL, 0, "not a JSON object"),
	C("", 0, TSG_EPARSE, NULL, NULL, 0, "invalid JSON"),
	C("{}", 0, TSG_EINVAL, NULL, NULL, 0, "has no \"content\""),
	C("{\"id\":\"k\",\"channel\":\"fax\",\"content\":\"x\"}", 0, TSG_EINVAL, "k",
	  NULL, 0, "unknown \"channel\""),
	C("{\"contact\":5,\"content\":\"x\"}", 0, TSG_EINVAL, NULL, NULL, 0,
	  "unknown \"contact\""),
	C("{\"content\":5}", 0, TSG_EINVAL, NULL, NULL, 0, "must be a string"),
	C("{\"content\":\"x\",\"path\":\"y\"}", 0, TSG_EINVAL, NULL, NULL, 0,
	  "give only one"),
	C("{\"path\":\"y\"}", 0, TSG_EINVAL, NULL, NULL, 0, "not accepted here"),
	C("{\"content_base64\":\"a b\"}", 0, TSG_EINVAL, NULL, NULL, 0,
	  "not base64"),
};

static void check_one(const struct rcase *c, bool flat)
{
	size_t len = c->len ? c->len : strlen(c->json);
	tsgi_record r;
	char err[256] = "";
	tsg_status st = flat ? tsgi_record_read(c->json, len, NULL, &r, err, sizeof err)
	                     : tsgi_record_parse(c->json, len, NULL, &r, err, sizeof err);
	if (st != c->st)
		fail_msg("line %d (%s): status %d, expected %d (%s)", c->line,
		         flat ? "flat" : "tree", st, c->st, err);
	if (c->err && !strstr(err, c->err))
		fail_msg("line %d (%s): error '%s' lacks '%s'", c->line,
		         flat ? "flat" : "tree", err, c->err);
	if (c->id && (!r.id || strcmp(r.id, c->id)))
		fail_msg("line %d: id '%s', expected '%s'", c->line,
		         r.id ? r.id : "(none)", c->id);
	if (!c->id && st == TSG_OK && r.id)
		fail_msg("line %d: unexpected id '%s'", c->line, r.id);
	if (c->content) {
		size_t n = c->content_len ? c->content_len : strlen(c->content);
		if (r.in.len != n || memcmp(r.in.data, c->content, n))
			fail_msg("line %d (%s): content differs (%zu bytes, expected %zu)",
			         c->line, flat ? "flat" : "tree", r.in.len, n);
	}
	tsgi_record_free(&r);
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof k_cases / sizeof *k_cases; i++) {
		check_one(&k_cases[i], false);
		check_one(&k_cases[i], true);
	}
}

/* The error text is the same whichever reader saw the line. */
static void test_same_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof k_cases / sizeof *k_cases; i++) {
		const struct rcase *c = &k_cases[i];
		size_t len = c->len ? c->len : strlen(c->json);
		tsgi_record a, b;
		char ea[256] = "", eb[256] = "";
		tsgi_record_parse(c->json, len, NULL, &a, ea, sizeof ea);
		tsgi_record_read(c->json, len, NULL, &b, eb, sizeof eb);
		if (strcmp(ea, eb))
			fail_msg("line %d: '%s' vs '%s'", c->line, ea, eb);
		tsgi_record_free(&a);
		tsgi_record_free(&b);
	}
}

/* A flat record keeps no tree; one the flat reader leaves to Jansson
 * (nested value) does. */
static void test_tree_kept(void **state)
{
	(void)state;
	tsgi_record r;
	char err[256];
	const char *flat = "{\"content\":\"x\"}";
	assert_int_equal(tsgi_record_read(flat, strlen(flat), NULL, &r, err, sizeof err),
	                 TSG_OK);
	assert_null(r.json);
	tsgi_record_free(&r);
	assert_int_equal(tsgi_record_parse(flat, strlen(flat), NULL, &r, err, sizeof err),
	                 TSG_OK);
	assert_non_null(r.json);
	tsgi_record_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_same_errors),
		cmocka_unit_test(test_tree_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
