/*
 * test_rules.c - the rule format: errors with file:line, and the semantics
 * of composite expressions through a real engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

#include <glib.h>

#include <cmocka.h>

#include "../../src/core/scan_int.h"
#include "../../src/rules/rules.h"
#include "tsguard.h"
#include "tsguard_limits.h"

/* ---- parse errors ------------------------------------------------------ */

struct ecase {
	int line;
	const char *text;
	const char *want; /* substring of the first error, with file:line */
};

#define E(text, want) {__LINE__, text, want}

static const struct ecase k_errors[] = {
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /x/\nend\n"
	  "rule a\n category other\n weight 0.5\n message m\n pattern p /y/\nend\n",
	  "t.rules:7: duplicate rule id 'a'"),
	E("rule a\n category nope\n weight 0.5\n message m\n pattern p /x/\nend\n",
	  "t.rules:2: unknown category 'nope'"),
	E("rule a\n category other\n weight 1.5\n message m\n pattern p /x/\nend\n",
	  "t.rules:3: weight must be a number in [0,1]"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /X/\nend\n",
	  "t.rules:5: pattern has upper-case 'X'"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /caf\xC3\xA9/\nend\n",
	  "t.rules:5: pattern has a non-ASCII character"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /x/\n match p and q\nend\n",
	  "t.rules:6: 'q' is not a pattern of this rule"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /x/\n match near(p, p)\nend\n",
	  "t.rules:6: expected ', N' in near(a, b, N)"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /x/\n match (p or p\nend\n",
	  "t.rules:6: expected ')'"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /x/\n match before(p, p, 3, words)\nend\n",
	  "t.rules:6: expected 'sentence' as the fourth argument of before(a, b, N, sentence)"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /x/\n match rule:zzz\nend\n",
	  "t.rules:6: rule 'zzz' is not defined before this rule"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /x/\n",
	  "t.rules:1: rule 'a' has no 'end'"),
	E("category other\n", "t.rules:1: 'category' outside a rule"),
	E("rule a\n category other\n weight 0.5\n pattern p /x/\nend\n",
	  "t.rules:1: rule 'a' has no message"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p x\nend\n",
	  "t.rules:5: pattern needs a name and a /regex/"),
	E("rule a\n category other\n weight 0.5\n message m\n colour blue\nend\n",
	  "t.rules:5: unknown field 'colour'"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /x/\n match indicator:fax\nend\n",
	  "t.rules:6: unknown indicator kind 'fax'"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /x/\n match p\n"
	  " expect [contact=maybe] hello\nend\n",
	  "t.rules:7: unknown contact 'maybe'"),
	E("rule a\n category other\n weight 0.5\n message m\n message.it m\n pattern p /x/\nend\n",
	  "t.rules:5: 'message.it': messages are in es, de or fr"),
	E("rule a\n category other\n weight 0.5\n message m\n message.fr m\n message.fr n\n pattern p /x/\nend\n",
	  "t.rules:6: a second message in fr"),
	E("rule a\n category other\n weight 0\n message.de m\n pattern p /x/\nend\n",
	  "t.rules:1: rule 'a' has a message in de but none in English"),
	E("rule a\n category other\n weight 0.5\n message m\n pattern p /x/\n match not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not p\nend\n",
	  "t.rules:6: expression nested deeper than"),
};

static void test_parse_errors(void **state)
{
	(void)state;
	int failed = 0;
	for (size_t i = 0; i < sizeof k_errors / sizeof *k_errors; i++) {
		const struct ecase *c = &k_errors[i];
		tsgi_ruleset *rs = tsgi_ruleset_new();
		tsgi_errors errs = {0};
		size_t n = tsgi_ruleset_parse(rs, "t.rules", c->text, strlen(c->text),
		                              &errs);
		bool found = false;
		for (size_t k = 0; k < errs.n; k++)
			if (strstr(errs.v[k], c->want))
				found = true;
		if (n == 0 || !found) {
			fprintf(stderr, "%s:%d: want error \"%s\", got %zu error(s):\n",
			        __FILE__, c->line, c->want, n);
			for (size_t k = 0; k < errs.n; k++)
				fprintf(stderr, "    %s\n", errs.v[k]);
			failed++;
		}
		tsgi_errors_free(&errs);
		tsgi_ruleset_free(rs);
	}
	assert_int_equal(failed, 0);
}

static void test_compile_error_names_pattern(void **state)
{
	(void)state;
	const char *text =
		"rule good\n category other\n weight 0.5\n message m\n pattern p /ok/\nend\n"
		"rule bad\n category other\n weight 0.5\n message m\n"
		" pattern fine /x/\n pattern broken /(unclosed/\n match fine or broken\nend\n";
	tsgi_ruleset *rs = tsgi_ruleset_new();
	tsgi_errors errs = {0};
	assert_int_equal(tsgi_ruleset_parse(rs, "c.rules", text, strlen(text), &errs), 0);
	assert_int_equal(tsgi_ruleset_compile(rs, &errs), 1);
	assert_non_null(strstr(errs.v[errs.n - 1], "c.rules:12: pattern 'broken' of rule 'bad'"));
	tsgi_errors_free(&errs);
	tsgi_ruleset_free(rs);
}

/* The database cache keeps the most recently used entries and deletes the
 * rest when it stores a new one. */
static void test_cache_pruned(void **state)
{
	(void)state;
	char dir[] = "/tmp/tsg-cache-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *old = getenv("TSGUARD_CACHE") ? strdup(getenv("TSGUARD_CACHE")) : NULL;
	setenv("TSGUARD_CACHE", dir, 1);
	char path[256];
	int stale = TSG_HS_CACHE_KEEP + 4;
	for (int i = 0; i < stale; i++) {
		snprintf(path, sizeof path, "%s/old%02d.hsdb", dir, i);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs("not a database", f);
		fclose(f);
		/* old00 is the oldest */
		struct utimbuf t = {.actime = 1000000 + i, .modtime = 1000000 + i};
		assert_int_equal(utime(path, &t), 0);
	}
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	const char *text = "rule c\n category other\n weight 0.5\n message m\n"
	                   " pattern p /cache prune test/\nend\n";
	tsgi_ruleset *rs = tsgi_ruleset_new();
	tsgi_errors errs = {0};
	assert_int_equal(tsgi_ruleset_parse(rs, "c.rules", text, strlen(text), &errs), 0);
	assert_int_equal(tsgi_ruleset_compile(rs, &errs), 0);
	assert_true(tsgi_ruleset_prefilter(rs));
	tsgi_ruleset_free(rs);
	tsgi_errors_free(&errs);
	/* kept: the two new entries (the database and its prefilter) and the
	 * newest KEEP-2 old ones; not .hsdb: kept */
	int kept = 0, oldest_kept = stale;
	GDir *d = g_dir_open(dir, 0, NULL);
	assert_non_null(d);
	for (const char *name; (name = g_dir_read_name(d));) {
		int k;
		if (sscanf(name, "old%02d.hsdb", &k) == 1 && k < oldest_kept)
			oldest_kept = k;
		kept += g_str_has_suffix(name, ".hsdb");
		snprintf(path, sizeof path, "%s/%s", dir, name);
		unlink(path);
	}
	g_dir_close(d);
	rmdir(dir);
	if (old) {
		setenv("TSGUARD_CACHE", old, 1);
		free(old);
	} else {
		unsetenv("TSGUARD_CACHE");
	}
	assert_int_equal(kept, TSG_HS_CACHE_KEEP);
	assert_int_equal(oldest_kept, stale - (TSG_HS_CACHE_KEEP - 2));
}

/* ---- semantics through an engine -------------------------------------- */

static const char k_sem_rules[] =
	"rule t.near\n category other\n weight 0.5\n message near\n"
	" pattern call /\\bcall\\b/\n pattern sup /\\bsupport\\b/\n"
	" match near(call, sup, 2)\nend\n"
	"rule t.before\n category other\n weight 0.5\n message before\n"
	" pattern a /\\balpha\\b/\n pattern b /\\bbeta\\b/\n match before(a, b, 3)\nend\n"
	"rule t.sentence\n category other\n weight 0.5\n message sentence\n"
	" pattern a /\\balpha\\b/\n pattern b /\\bbeta\\b/\n"
	" match before(a, b, 4, sentence)\nend\n"
	"rule t.not\n category other\n weight 0.5\n message not\n"
	" pattern gift /\\bgift cards?\\b/\n pattern birthday /\\bbirthday\\b/\n"
	" match gift and not birthday\nend\n"
	"rule t.helper\n category any\n weight 0\n pattern h /\\bhelper\\b/\nend\n"
	"rule t.uses\n category other\n weight 0.5\n message uses\n"
	" pattern u /\\busing\\b/\n match rule:t.helper and u\nend\n"
	"rule t.contact\n category other\n weight 0.5\n message contact\n"
	" pattern s /\\bsupport\\b/\n match s and contact:unsolicited\nend\n"
	"rule t.channel\n category other\n weight 0.5\n message channel\n"
	" pattern z /\\bzebra\\b/\n match z and channel:sms\nend\n"
	"rule t.brand\n category tech_support\n weight 0.5\n message {brand} claim\n"
	" message.fr {brand} se fait passer pour le support\n"
	" pattern sup /\\bsupport\\b/\n match near(brand, sup, 1)\nend\n"
	/* Gating (rules_gate.c): rules skipped on messages without an atom of
	 * their gate, and rules without a gate, must still hold when they
	 * should. */
	"rule t.ind\n category other\n weight 0.5\n message ind\n"
	" match indicator:phone\nend\n"
	"rule t.ind_and\n category other\n weight 0.5\n message ind and\n"
	" match rule:t.ind and contact:unsolicited\nend\n"
	"rule t.notonly\n category other\n weight 0.5\n message not only\n"
	" pattern x /\\bxylophone\\b/\n match not x\nend\n"
	"rule t.either\n category other\n weight 0.5\n message either\n"
	" pattern y /\\byak\\b/\n match y or rule:t.ind or not rule:t.helper\nend\n"
	"rule t.refbrand\n category other\n weight 0.5\n message ref brand\n"
	" match rule:t.brand and channel:chat\nend\n";

struct scase {
	int line;
	const char *text;
	tsg_channel channel;
	tsg_contact contact;
	const char *rule;
	bool want;
};

#define S(text, rule, want) {__LINE__, text, TSG_CHANNEL_TEXT, TSG_CONTACT_UNKNOWN, rule, want}

static const struct scase k_sem[] = {
	S("please call our support line", "t.near", true),
	S("please call our friendly helpful support line", "t.near", false),
	S("support: call", "t.near", true),
	S("alpha then beta", "t.before", true),
	S("beta then alpha", "t.before", false),
	S("alpha one two three four beta", "t.before", false),
	S("alpha then beta", "t.sentence", true),
	S("alpha at bit.ly beta", "t.sentence", true),
	S("alpha at bit.ly, beta", "t.sentence", true),
	S("alpha 3.5 beta", "t.sentence", true),
	S("alpha. Then beta", "t.sentence", false),
	S("alpha! beta", "t.sentence", false),
	S("alpha? beta", "t.sentence", false),
	S("alpha beta. And more", "t.sentence", true),
	S("buy gift cards now", "t.not", true),
	S("a birthday gift card", "t.not", false),
	S("using the helper", "t.uses", true),
	S("using nothing", "t.uses", false),
	S("helper only", "t.helper", true),
	S("contact support", "t.contact", false),
	{__LINE__, "contact support", TSG_CHANNEL_TEXT, TSG_CONTACT_UNSOLICITED, "t.contact", true},
	S("a zebra", "t.channel", false),
	{__LINE__, "a zebra", TSG_CHANNEL_SMS, TSG_CONTACT_UNKNOWN, "t.channel", true},
	S("Microsoft support", "t.brand", true),
	S("Microsoft has great products and support", "t.brand", false),
	/* brand names written with look-alike digits, in words of 5 letters
	 * or more only */
	S("Micros0ft support", "t.brand", true),
	S("PayPa1 support", "t.brand", true),
	S("N0rt0n support", "t.brand", true),
	S("B3st Buy support", "t.brand", false),
	S("call 1-888-555-0199", "t.ind", true),
	S("call me later", "t.ind", false),
	S("call 1-888-555-0199", "t.ind_and", false),
	{__LINE__, "call 1-888-555-0199", TSG_CHANNEL_TEXT, TSG_CONTACT_UNSOLICITED, "t.ind_and", true},
	S("nothing at all", "t.notonly", true),
	S("a xylophone", "t.notonly", false),
	S("", "t.notonly", true),
	S("nothing at all", "t.either", true),
	S("the helper", "t.either", false),
	S("the helper and a yak", "t.either", true),
	S("the helper at 1-888-555-0199", "t.either", true),
	{__LINE__, "Microsoft support", TSG_CHANNEL_CHAT, TSG_CONTACT_UNKNOWN, "t.refbrand", true},
	S("Microsoft support", "t.refbrand", false),
	{__LINE__, "support", TSG_CHANNEL_CHAT, TSG_CONTACT_UNKNOWN, "t.refbrand", false},
};

/* The reason of rule `id` in v, or NULL. */
static const tsg_reason *reason_of(const tsg_verdict *v, const char *id)
{
	for (size_t i = 0; i < v->n_reasons; i++)
		if (!strcmp(v->reasons[i].rule_id, id))
			return &v->reasons[i];
	return NULL;
}

static void test_semantics(void **state)
{
	(void)state;
	char path[] = "/tmp/tsg-rules-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, k_sem_rules, sizeof k_sem_rules - 1),
	                 (ssize_t)(sizeof k_sem_rules - 1));
	close(fd);
	const char *paths[] = {path, NULL};
	tsg_engine_config cfg = {.rule_paths = paths, .model_path = ""};
	tsg_engine *e = NULL;
	tsg_status st = tsg_engine_open(&cfg, &e);
	if (st != TSG_OK)
		fprintf(stderr, "engine: %s\n", tsg_engine_errmsg(e));
	assert_int_equal(st, TSG_OK);
	tsg_scan *s = tsg_scan_new(e);
	int failed = 0;
	for (size_t i = 0; i < sizeof k_sem / sizeof *k_sem; i++) {
		const struct scase *c = &k_sem[i];
		tsg_input in = {.data = c->text, .len = strlen(c->text),
		                .channel = c->channel, .contact = c->contact};
		const tsg_verdict *v;
		assert_int_equal(tsg_scan_run(s, &in, &v), TSG_OK);
		if (tsgi_scan_rule_hit(s, c->rule) != c->want) {
			fprintf(stderr, "%s:%d: rule %s on \"%s\": want %s\n", __FILE__,
			        c->line, c->rule, c->text, c->want ? "hit" : "no hit");
			failed++;
		}
	}
	/* {brand} is replaced by the display name; evidence quotes the source. */
	const char *msg = "Call Microsoft support now";
	tsg_input in = {.data = msg, .len = strlen(msg)};
	const tsg_verdict *v;
	assert_int_equal(tsg_scan_run(s, &in, &v), TSG_OK);
	const tsg_reason *r = reason_of(v, "t.brand");
	assert_non_null(r);
	assert_string_equal(r->message, "Microsoft claim");
	assert_int_equal(r->n_evidence, 1);
	assert_string_equal(r->evidence[0].text, "Microsoft support");
	assert_int_equal(r->evidence[0].start, 5);
	assert_int_equal(r->evidence[0].end, 22);
	/* A reason is given in the message's language, else in English. */
	static const struct {
		const char *lang, *want;
	} k_lang[] = {{"fr", "Microsoft se fait passer pour le support"},
	              {"de", "Microsoft claim"}};
	for (size_t k = 0; k < 2; k++) {
		in.lang = k_lang[k].lang;
		assert_int_equal(tsg_scan_run(s, &in, &v), TSG_OK);
		r = reason_of(v, "t.brand");
		assert_non_null(r);
		assert_string_equal(r->message, k_lang[k].want);
	}
	tsg_scan_free(s);
	tsg_engine_unref(e);
	unlink(path);
	assert_int_equal(failed, 0);
}

/* A broken rule file fails the engine with every error, as file:line. */
static void test_engine_reports_rule_errors(void **state)
{
	(void)state;
	char path[] = "/tmp/tsg-bad-XXXXXX";
	int fd = mkstemp(path);
	const char bad[] = "rule x\n category other\n weight 2\n message m\n pattern p /a/\nend\n"
	                   "rule y\n category other\n weight 0.1\n message m\n pattern p /(/\nend\n";
	assert_int_equal(write(fd, bad, sizeof bad - 1), (ssize_t)(sizeof bad - 1));
	close(fd);
	const char *paths[] = {path, NULL};
	tsg_engine_config cfg = {.rule_paths = paths, .model_path = ""};
	tsg_engine *e = NULL;
	assert_int_equal(tsg_engine_open(&cfg, &e), TSG_ERULES);
	assert_non_null(e);
	char want[256];
	snprintf(want, sizeof want, "%s:3: weight must be", path);
	assert_non_null(strstr(tsg_engine_errmsg(e), want));
	assert_null(tsg_scan_new(e));
	tsg_engine_unref(e);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_compile_error_names_pattern),
		cmocka_unit_test(test_cache_pruned),
		cmocka_unit_test(test_semantics),
		cmocka_unit_test(test_engine_reports_rule_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
