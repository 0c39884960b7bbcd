/*
 * config.h - data/tsguard.conf: thresholds, weights and advice text that
 * people tune without touching C.
 *
 * Format: "key = value" lines; '#' starts a comment; keys are dotted names;
 * values run to the end of the line.  A key given twice is an error.
 */
#ifndef TSGI_CONFIG_H
#define TSGI_CONFIG_H

#include <stddef.h>

#include "../rules/rules.h"

typedef struct tsgi_config tsgi_config;

/* Loads `path`; errors go to `errs` as file:line.  *out is set unless memory
 * failed.  Returns the number of errors. */
size_t tsgi_config_load(const char *path, tsgi_config **out, tsgi_errors *errs);
void tsgi_config_free(tsgi_config *c);

/* The value of `key`, or `dflt` when absent. */
const char *tsgi_config_str(const tsgi_config *c, const char *key,
                            const char *dflt);
/* The number at `key`, or `dflt` when absent or not a number. */
double tsgi_config_num(const tsgi_config *c, const char *key, double dflt);

/* "key.LANG" falling back to "key.en". */
const char *tsgi_config_text(const tsgi_config *c, const char *key,
                             const char *lang);

#endif
