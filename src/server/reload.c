/*
 * reload.c - the current engine and the per-thread scan contexts.
 *
 * The engine is immutable and reference-counted, so a reload is: build a new
 * engine off to the side, then swap the slot's pointer under a mutex and
 * bump the generation.  The old engine lives on while any scan context
 * still holds it; scans running during the swap finish on it unharmed.
 *
 * The hot path takes no lock: each thread keeps its tsg_scan and the
 * generation it was built for, and compares that with the atomic generation
 * before each scan.  Only when they differ does it lock, take a reference
 * to the new engine and build a new context.  A pthread key frees the
 * context when the thread exits (the HTTP pool and libmilter threads both
 * exit through pthread_exit or return).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static struct {
	pthread_mutex_t mu; /* guards e */
	tsg_engine *e;
	atomic_uint gen;
	tsgi_engine_opts src;
	pthread_key_t key;
	pthread_once_t once;
} g_slot = {
    .mu = PTHREAD_MUTEX_INITIALIZER,
    .once = PTHREAD_ONCE_INIT,
};

struct thread_scan {
	tsg_scan *scan;
	unsigned gen;
};

static void thread_scan_free(void *p)
{
	struct thread_scan *ts = p;
	if (ts) {
		tsg_scan_free(ts->scan);
		free(ts);
	}
}

static void make_key(void)
{
	if (pthread_key_create(&g_slot.key, thread_scan_free) != 0) {
		fprintf(stderr, "tsguard: pthread_key_create failed\n");
		abort(); /* the process cannot serve without it; not library
			    code */
	}
}

static tsg_status open_engine(tsg_engine **out)
{
	return tsgi_cli_engine_open(&g_slot.src, out);
}

tsg_status tsgi_slot_init(const tsgi_engine_opts *src)
{
	pthread_once(&g_slot.once, make_key);
	g_slot.src = *src;
	if (g_slot.src.nrules > 16)
		g_slot.src.nrules = 16;
	tsg_engine *e;
	tsg_status st = open_engine(&e);
	if (st != TSG_OK)
		return st;
	pthread_mutex_lock(&g_slot.mu);
	tsg_engine *old = g_slot.e;
	g_slot.e = e;
	atomic_fetch_add(&g_slot.gen, 1);
	pthread_mutex_unlock(&g_slot.mu);
	tsg_engine_unref(old);
	return TSG_OK;
}

tsg_status tsgi_slot_reload(void)
{
	tsg_engine *e;
	tsg_status st = open_engine(&e);
	if (st != TSG_OK) {
		fprintf(stderr,
			"tsguard: reload failed; keeping the engine of "
			"generation %u\n",
			atomic_load(&g_slot.gen));
		tsgi_metrics_reload(false);
		return st;
	}
	pthread_mutex_lock(&g_slot.mu);
	tsg_engine *old = g_slot.e;
	g_slot.e = e;
	unsigned gen = atomic_fetch_add(&g_slot.gen, 1) + 1;
	pthread_mutex_unlock(&g_slot.mu);
	tsg_engine_unref(old);
	tsgi_metrics_reload(true);
	fprintf(stderr, "tsguard: reloaded: generation %u, %zu rules\n", gen,
		tsg_engine_rule_count(e));
	return TSG_OK;
}

tsg_engine *tsgi_slot_engine(void)
{
	pthread_mutex_lock(&g_slot.mu);
	tsg_engine *e = g_slot.e ? tsg_engine_ref(g_slot.e) : NULL;
	pthread_mutex_unlock(&g_slot.mu);
	return e;
}

unsigned tsgi_slot_generation(void)
{
	return atomic_load(&g_slot.gen);
}

tsg_scan *tsgi_slot_scan(void)
{
	pthread_once(&g_slot.once, make_key);
	struct thread_scan *ts = pthread_getspecific(g_slot.key);
	unsigned gen = atomic_load_explicit(&g_slot.gen, memory_order_acquire);
	if (ts && ts->scan && ts->gen == gen)
		return ts->scan;
	if (!ts) {
		ts = calloc(1, sizeof *ts);
		if (!ts)
			return NULL;
		if (pthread_setspecific(g_slot.key, ts) != 0) {
			free(ts);
			return NULL;
		}
	}
	/* Read the engine and its generation together, so the context is
	 * labelled with the generation it really belongs to. */
	pthread_mutex_lock(&g_slot.mu);
	tsg_engine *e = g_slot.e ? tsg_engine_ref(g_slot.e) : NULL;
	gen = atomic_load(&g_slot.gen);
	pthread_mutex_unlock(&g_slot.mu);
	if (!e)
		return NULL;
	tsg_scan *s = tsg_scan_new(e); /* holds its own reference */
	tsg_engine_unref(e);
	if (!s)
		return NULL;
	tsg_scan_free(ts->scan);
	ts->scan = s;
	ts->gen = gen;
	return s;
}

void tsgi_slot_shutdown(void)
{
	/* The calling thread's context goes now; pool threads freed theirs when
	 * they exited. */
	pthread_once(&g_slot.once, make_key);
	struct thread_scan *ts = pthread_getspecific(g_slot.key);
	if (ts) {
		pthread_setspecific(g_slot.key, NULL);
		thread_scan_free(ts);
	}
	pthread_mutex_lock(&g_slot.mu);
	tsg_engine *e = g_slot.e;
	g_slot.e = NULL;
	pthread_mutex_unlock(&g_slot.mu);
	tsg_engine_unref(e);
}
