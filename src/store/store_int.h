/*
 * store_int.h - what a backend provides: one function per operation of
 * store.h, with the same contracts.  store.c dispatches; each backend
 * lives in its own file and knows nothing of the other.
 */
#ifndef TSGI_STORE_INT_H
#define TSGI_STORE_INT_H

#include "store.h"

typedef struct tsgi_store_ops {
	const char *name;
	void (*close)(tsgi_store *s);
	tsg_status (*add)(tsgi_store *s, const tsgi_sreport *reps, size_t n,
	                  size_t *added);
	tsg_status (*count)(tsgi_store *s, long long *n);
	tsg_status (*each_report)(tsgi_store *s, unsigned flags, const char *id,
	                          const char *campaign, tsgi_report_cb cb,
	                          void *ctx);
	tsg_status (*each_indicator)(tsgi_store *s, tsgi_ind_cb cb, void *ctx);
	tsg_status (*save_assign)(tsgi_store *s, const tsgi_assign *a, size_t n,
	                          bool replace_all, const char *const *hubs,
	                          size_t n_hubs);
	tsg_status (*each_hub)(tsgi_store *s, tsgi_str_cb cb, void *ctx);
	tsg_status (*lookup)(tsgi_store *s, const char *const *keys, size_t n,
	                     tsgi_lookup_cb cb, void *ctx);
	tsg_status (*wipe)(tsgi_store *s);
} tsgi_store_ops;

/* Every backend's handle starts with this header. */
struct tsgi_store {
	const tsgi_store_ops *ops;
	char errmsg[1024];
};

/* Backends: open `target` (the part after "sqlite:", or the whole
 * PostgreSQL connection string).  Same contract as tsgi_store_open(). */
tsg_status tsgi_store_sqlite_open(const char *path, tsgi_store **out,
                                  char *err, size_t errlen);
tsg_status tsgi_store_pg_open(const char *conninfo, tsgi_store **out,
                              char *err, size_t errlen);

/* Sets s->errmsg (printf-style). */
void tsgi_store_seterr(tsgi_store *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The lower-case lookup key stored beside each value: base58 and other
 * case-sensitive kinds (BTC, TRON) keep their case.  Writes into out
 * (cap bytes, truncated). */
void tsgi_store_vkey(int kind, const char *value, char *out, size_t cap);

/* Schema version both backends migrate to. */
#define TSGI_STORE_SCHEMA 1

#endif
