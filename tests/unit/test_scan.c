/*
 * test_scan.c - verdicts through the public API, on a fixed rule set.
 */
#include <jansson.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tsguard.h"

static tsg_engine *open_core(void)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/core.rules", getenv("TSGUARD_SRC") ? getenv("TSGUARD_SRC") : ".");
	const char *paths[] = {path, NULL};
	tsg_engine_config cfg = {.rule_paths = paths, .model_path = ""};
	tsg_engine *e = NULL;
	tsg_status st = tsg_engine_open(&cfg, &e);
	if (st != TSG_OK)
		fprintf(stderr, "engine: %s\n", tsg_engine_errmsg(e));
	assert_int_equal(st, TSG_OK);
	return e;
}

struct vcase {
	int line;
	const char *text;
	tsg_class cls;
	const char *category;
	const char *rules; /* space-separated, in weight order */
};

static const struct vcase k_cases[] = {
	{__LINE__, "Your PC is infected! Call Microsoft support", TSG_SCAM,
	 "tech_support", "core.alert core.call"},
	{__LINE__, "Your PC is infected", TSG_SUSPICIOUS, "tech_support", "core.alert"},
	{__LINE__, "pay with gift cards", TSG_CLEAN, "none", "core.gift"},
	{__LINE__, "See you at lunch", TSG_CLEAN, "none", ""},
	{__LINE__, "", TSG_CLEAN, "none", ""},
};

static void test_verdicts(void **state)
{
	(void)state;
	tsg_engine *e = open_core();
	tsg_scan *s = tsg_scan_new(e);
	int failed = 0;
	for (size_t i = 0; i < sizeof k_cases / sizeof *k_cases; i++) {
		const struct vcase *c = &k_cases[i];
		tsg_input in = {.data = c->text, .len = strlen(c->text), .id = "x"};
		const tsg_verdict *v;
		assert_int_equal(tsg_scan_run(s, &in, &v), TSG_OK);
		char got[256] = "";
		for (size_t r = 0; r < v->n_reasons; r++) {
			if (r)
				strcat(got, " ");
			strncat(got, v->reasons[r].rule_id, sizeof got - strlen(got) - 2);
		}
		if (v->cls != c->cls || strcmp(v->category, c->category) ||
		    strcmp(got, c->rules)) {
			fprintf(stderr, "%s:%d: got %s/%s [%s], want %s/%s [%s]\n", __FILE__,
			        c->line, tsg_class_name(v->cls), v->category, got,
			        tsg_class_name(c->cls), c->category, c->rules);
			failed++;
		}
		/* The JSON is valid and carries the id. */
		char *js = tsg_verdict_json(v, TSG_JSON_COMPACT);
		json_error_t err;
		json_t *o = json_loads(js, 0, &err);
		assert_non_null(o);
		assert_string_equal(json_string_value(json_object_get(o, "id")), "x");
		assert_string_equal(json_string_value(json_object_get(o, "verdict")),
		                    tsg_class_name(v->cls));
		json_decref(o);
		free(js);
	}
	tsg_scan_free(s);
	tsg_engine_unref(e);
	assert_int_equal(failed, 0);
}

/* Evidence offsets point into the caller's bytes even when the text had
 * homoglyphs and invisible characters. */
static void test_evidence_offsets(void **state)
{
	(void)state;
	tsg_engine *e = open_core();
	tsg_scan *s = tsg_scan_new(e);
	const char *msg = "Hi. Your \xE2\x80\x8BP\xD0\xA1 is  infected.";
	tsg_input in = {.data = msg, .len = strlen(msg)};
	const tsg_verdict *v;
	assert_int_equal(tsg_scan_run(s, &in, &v), TSG_OK);
	assert_int_equal(v->n_reasons, 1);
	const tsg_evidence *ev = &v->reasons[0].evidence[0];
	assert_int_equal(ev->start, 12); /* after the zero-width space */
	assert_memory_equal(msg + ev->start, "P\xD0\xA1 is  infected", ev->end - ev->start);
	assert_string_equal(ev->text, "P\xD0\xA1 is  infected");
	tsg_scan_free(s);
	tsg_engine_unref(e);
}

struct thr {
	tsg_engine *e;
	int bad;
};

static void *thread_main(void *arg)
{
	struct thr *t = arg;
	tsg_scan *s = tsg_scan_new(t->e);
	const char *msg = "Your PC is infected! Call Microsoft support";
	for (int i = 0; i < 2000; i++) {
		tsg_input in = {.data = msg, .len = strlen(msg)};
		const tsg_verdict *v;
		if (tsg_scan_run(s, &in, &v) != TSG_OK || v->cls != TSG_SCAM)
			t->bad++;
	}
	tsg_scan_free(s);
	return NULL;
}

/* One engine shared by threads; the engine outlives its creator's ref. */
static void test_threads(void **state)
{
	(void)state;
	tsg_engine *e = open_core();
	struct thr t[4];
	pthread_t tid[4];
	for (int i = 0; i < 4; i++) {
		t[i] = (struct thr){.e = e};
		assert_int_equal(pthread_create(&tid[i], NULL, thread_main, &t[i]), 0);
	}
	tsg_scan *keep = tsg_scan_new(e);
	tsg_engine_unref(e); /* the scans hold references */
	for (int i = 0; i < 4; i++) {
		pthread_join(tid[i], NULL);
		assert_int_equal(t[i].bad, 0);
	}
	tsg_scan_free(keep);
}

static void test_names(void **state)
{
	(void)state;
	tsg_channel ch;
	assert_int_equal(tsg_channel_parse("email", &ch), TSG_OK);
	assert_int_equal(ch, TSG_CHANNEL_EMAIL);
	assert_int_equal(tsg_channel_parse("fax", &ch), TSG_EINVAL);
	assert_string_equal(tsg_strerror(TSG_ERULES), "error in rule files");
	assert_string_equal(tsg_strerror((tsg_status)999), "unknown status");
	assert_string_equal(tsg_version(), TSG_VERSION_STRING);
	tsg_engine_unref(NULL);
	tsg_scan_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_evidence_offsets),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
