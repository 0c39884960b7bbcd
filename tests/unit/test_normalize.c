/*
 * test_normalize.c - table-driven tests of the normalised text and its map
 * back to the source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/text/lang.h"
#include "../../src/text/normalize.h"

struct ncase {
	int line;
	const char *in;
	size_t len; /* 0: strlen */
	const char *want;
};

#define C(in, want) {__LINE__, in, 0, want}
#define CN(in, len, want) {__LINE__, in, len, want}

static const struct ncase k_cases[] = {
	C("Hello   World", "hello world"),
	C("  leading and trailing  ", "leading and trailing"),
	C("tab\tnew\nline\r\nend", "tab new line end"),
	C("\xEF\xBC\xAD\xEF\xBD\x89\xEF\xBD\x83\xEF\xBD\x92\xEF\xBD\x8F", "micro"), /* full-width */
	C("M\xD1\x96\x63rosoft", "microsoft"),          /* Cyrillic i */
	C("Micr\xD0\xBEsoft", "microsoft"),             /* Cyrillic o */
	C("\xCE\x91pple", "apple"),                     /* Greek Alpha */
	C("Mi\xE2\x80\x8B\x63ro\xE2\x80\x8Dsoft", "microsoft"), /* ZWSP, ZWJ */
	C("soft\xC2\xADware", "software"),              /* soft hyphen */
	C("\xEF\xBB\xBFhello", "hello"),                /* BOM */
	C("caf\xC3\xA9", "cafe"),                       /* é */
	C("cafe\xCC\x81", "cafe"),                      /* e + combining acute */
	C("Stra\xC3\x9F\x65", "strasse"),               /* ß */
	C("\xC3\x9C\x62\x65rweisung", "uberweisung"),  /* Ü */
	C("se\xC3\xB1or", "senor"),                     /* ñ */
	C("\xEF\xAC\x81le", "file"),                    /* fi ligature */
	C("1-8OO-555-Ol99", "1-800-555-0199"),          /* letters among digits */
	C("1\xE2\x80\x91" "888\xE2\x80\x93" "555\xE2\x88\x92" "0199",
	  "1-888-555-0199"),                            /* U+2011, en dash, minus */
	C("now \xE2\x80\x94 call", "now - call"),          /* em dash */
	C("call l-800 now", "call l-800 now"),          /* lone l stays */
	C("oil 2old", "oil 2old"),                      /* words with other letters */
	C("\xD9\xA3\xD9\xA4", "34"),                    /* Arabic-Indic digits */
	C("\xEF\xBC\x91\xEF\xBC\x98\xEF\xBC\x90\xEF\xBC\x90", "1800"), /* full-width */
	C("bad\xFF\xFE" "bytes", "bad\xEF\xBF\xBD\xEF\xBF\xBD" "bytes"),
	C("trunc\xE2\x82", "trunc\xEF\xBF\xBD"),
	CN("nul\0byte", 8, "nul byte"),
	C("", ""),
	C("   ", ""),
	C("\xE2\x80\x8B\xE2\x80\x8B", ""),
	C("A\xC2\xA0" "B", "a b"),                      /* no-break space */
	C("x\xE2\x80\xA8y", "x y"),                     /* line separator */
};

static void test_table(void **state)
{
	(void)state;
	tsgi_arena *a = tsgi_arena_new(1u << 24);
	int failed = 0;
	for (size_t i = 0; i < sizeof k_cases / sizeof *k_cases; i++) {
		const struct ncase *c = &k_cases[i];
		size_t len = c->len ? c->len : strlen(c->in);
		tsgi_text t;
		assert_int_equal(tsgi_normalize(a, c->in, len, &t), TSG_OK);
		if (t.len != strlen(c->want) || memcmp(t.s, c->want, t.len)) {
			fprintf(stderr, "%s:%d: normalise gave \"%s\", want \"%s\"\n",
			        __FILE__, c->line, t.s, c->want);
			failed++;
		}
		/* The map is monotonic and inside the source. */
		for (size_t k = 0; k < t.len; k++) {
			if (t.map[k] > len || (k && t.map[k] < t.map[k - 1])) {
				fprintf(stderr, "%s:%d: bad map at %zu\n", __FILE__, c->line, k);
				failed++;
				break;
			}
		}
		assert_int_equal(t.map[t.len], len);
		tsgi_arena_reset(a);
	}
	tsgi_arena_free(a);
	assert_int_equal(failed, 0);
}

/* Evidence found in the normalised text maps back to the exact source. */
static void test_map_spans(void **state)
{
	(void)state;
	tsgi_arena *a = tsgi_arena_new(1u << 20);
	const char *src = "Call  M\xD1\x96\x63rosoft\xE2\x80\x8B  now";
	tsgi_text t;
	assert_int_equal(tsgi_normalize(a, src, strlen(src), &t), TSG_OK);
	assert_string_equal(t.s, "call microsoft now");
	const char *hit = strstr(t.s, "microsoft");
	size_t rs, re;
	tsgi_text_raw_span(&t, (size_t)(hit - t.s), (size_t)(hit - t.s) + 9, &rs, &re);
	assert_int_equal(rs, 6);
	assert_memory_equal(src + rs, "M\xD1\x96\x63rosoft", re - rs);
	tsgi_arena_free(a);
}

static void test_words(void **state)
{
	(void)state;
	tsgi_arena *a = tsgi_arena_new(1u << 20);
	tsgi_text t;
	assert_int_equal(tsgi_normalize(a, "one two  three four", 19, &t), TSG_OK);
	assert_int_equal(tsgi_text_index_words(a, &t), TSG_OK);
	assert_int_equal(t.nwords, 4);
	assert_int_equal(tsgi_text_word_at(&t, 0), 0);
	assert_int_equal(tsgi_text_word_at(&t, 4), 1);
	assert_int_equal(tsgi_text_word_at(&t, 9), 2);
	assert_int_equal(tsgi_text_word_at(&t, 15), 3);
	tsgi_arena_free(a);
}

static void test_lang(void **state)
{
	(void)state;
	static const struct {
		const char *text, *lang;
	} cases[] = {
		{"Your computer is blocked, please call the support number", "en"},
		{"Su ordenador ha sido bloqueado, llame al soporte de Microsoft", "es"},
		{"Ihr Computer wurde gesperrt, bitte rufen Sie den Support an", "de"},
		{"Votre ordinateur est bloqué, appelez le support pour le débloquer", "fr"},
	};
	tsgi_arena *a = tsgi_arena_new(1u << 20);
	for (size_t i = 0; i < 4; i++) {
		tsgi_text t;
		assert_int_equal(tsgi_normalize(a, cases[i].text, strlen(cases[i].text), &t),
		                 TSG_OK);
		assert_string_equal(tsgi_lang_detect(&t), cases[i].lang);
	}
	tsgi_arena_free(a);
}

static void test_skeleton(void **state)
{
	(void)state;
	char *a = tsgi_skeleton("paypal");
	char *b = tsgi_skeleton("p\xD0\xB0yp\xD0\xB0l"); /* Cyrillic a */
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),    cmocka_unit_test(test_map_spans),
		cmocka_unit_test(test_words),    cmocka_unit_test(test_lang),
		cmocka_unit_test(test_skeleton),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
