/*
 * ind_check.h - table-driven checks of indicator extraction, shared by the
 * indicator unit tests (url, email, remote, payments, money).
 *
 * Each case is a text, a kind, and the value expected for that kind (or
 * NULL: no indicator of the kind at all).  Optional fields are compared
 * when set.  Every failing case prints file:line, the text, what was
 * expected and every indicator found; the test fails at the end when any
 * case failed.
 */
#ifndef IND_CHECK_H
#define IND_CHECK_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tsguard.h"

typedef struct ind_case {
	int line;
	const char *text;
	tsg_indicator_kind kind;
	const char *value;  /* NULL: expect no indicator of `kind`            */
	const char *detail; /* when set: "" means detail must be NULL          */
	unsigned flags;     /* bits that must be set                           */
	const char *host;   /* when set                                        */
	const char *domain; /* when set                                        */
	unsigned noflags;   /* bits that must be clear                         */
} ind_case;

/* CASE(text, kind, value, ...optional fields in order).  Trailing fields
 * left out are zero, which is what the tables rely on. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define CASE(...) {__LINE__, __VA_ARGS__}

static tsg_engine *g_engine;
static tsg_scan *g_scan;

static int ind_setup(void **state)
{
	(void)state;
	tsg_engine_config cfg = {.data_dir = getenv("TSGUARD_SRC"), .model_path = ""};
	if (tsg_engine_open(&cfg, &g_engine) != TSG_OK) {
		fprintf(stderr, "engine: %s\n", tsg_engine_errmsg(g_engine));
		return -1;
	}
	g_scan = tsg_scan_new(g_engine);
	return g_scan ? 0 : -1;
}

static int ind_teardown(void **state)
{
	(void)state;
	tsg_scan_free(g_scan);
	tsg_engine_unref(g_engine);
	return 0;
}

static const char *or_null(const char *s)
{
	return s ? s : "(null)";
}

static void dump(const tsg_indicator *ind, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "    found %s %s detail=%s host=%s domain=%s flags=%#x [%zu,%zu)\n",
		        tsg_indicator_kind_name(ind[i].kind), ind[i].value,
		        or_null(ind[i].detail), or_null(ind[i].host),
		        or_null(ind[i].domain), ind[i].flags, ind[i].start, ind[i].end);
}

static bool check_one(const char *file, const ind_case *c)
{
	tsg_input in = {.data = c->text, .len = strlen(c->text),
	                .channel = TSG_CHANNEL_TEXT, .region = "US"};
	const tsg_indicator *ind;
	size_t n;
	if (tsg_scan_extract(g_scan, &in, &ind, &n) != TSG_OK) {
		fprintf(stderr, "%s:%d: extract failed: %s\n", file, c->line,
		        tsg_scan_errmsg(g_scan));
		return false;
	}
	const tsg_indicator *hit = NULL;
	for (size_t i = 0; i < n; i++) {
		if (ind[i].kind != c->kind)
			continue;
		if (!c->value) {
			fprintf(stderr, "%s:%d: \"%s\": expected no %s\n", file, c->line,
			        c->text, tsg_indicator_kind_name(c->kind));
			dump(ind, n);
			return false;
		}
		if (!strcmp(ind[i].value, c->value))
			hit = &ind[i];
		/* offsets must lie inside the input */
		if (ind[i].start > ind[i].end || ind[i].end > in.len) {
			fprintf(stderr, "%s:%d: bad span [%zu,%zu)\n", file, c->line,
			        ind[i].start, ind[i].end);
			return false;
		}
	}
	if (!c->value)
		return true;
	const char *why = NULL;
	if (!hit)
		why = "value not found";
	else if (c->detail && (c->detail[0] ? !hit->detail || strcmp(hit->detail, c->detail)
	                                    : hit->detail != NULL))
		why = "detail differs";
	else if ((hit->flags & c->flags) != c->flags)
		why = "flag missing";
	else if (hit->flags & c->noflags)
		why = "unexpected flag";
	else if (c->host && (!hit->host || strcmp(hit->host, c->host)))
		why = "host differs";
	else if (c->domain && (!hit->domain || strcmp(hit->domain, c->domain)))
		why = "domain differs";
	if (!why)
		return true;
	fprintf(stderr, "%s:%d: \"%s\": %s: expected %s %s detail=%s host=%s domain=%s flags=%#x\n",
	        file, c->line, c->text, why, tsg_indicator_kind_name(c->kind), c->value,
	        or_null(c->detail), or_null(c->host), or_null(c->domain), c->flags);
	dump(ind, n);
	return false;
}

static void run_cases(const char *file, const ind_case *cases, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += !check_one(file, &cases[i]);
	if (bad)
		fprintf(stderr, "%zu of %zu cases failed\n", bad, n);
	assert_int_equal(bad, 0);
}

#define RUN_CASES(cases) run_cases(__FILE__, cases, sizeof cases / sizeof *cases)

#endif
