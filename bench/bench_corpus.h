/* bench_corpus.h - texts the benchmark programs take from the corpus. */
#ifndef TSG_BENCH_CORPUS_H
#define TSG_BENCH_CORPUS_H

#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "tsguard_limits.h"

/* Appends the `content` of a call or documentation ("text") record, with a
 * newline, to the long text `buf` (capacity TSG_MAX_INPUT) while it fits:
 * the benchmarks' "long text", all transcripts and documentation texts
 * joined.  `ch` is the record's channel, `c` its content. */
static inline void bench_long_add(char *buf, size_t *len, const char *ch,
                                  const json_t *c)
{
	if (!ch || !json_is_string(c) ||
	    (strcmp(ch, "call") && strcmp(ch, "text")))
		return;
	size_t cl = json_string_length(c);
	if (*len + cl + 1 >= TSG_MAX_INPUT)
		return;
	memcpy(buf + *len, json_string_value(c), cl);
	*len += cl;
	buf[(*len)++] = '\n';
}

#endif
