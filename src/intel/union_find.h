/*
 * union_find.h - disjoint sets over 0..n-1 (union by size, path halving).
 * Near-constant time per operation; the clustering of a million reports is
 * a few million of these.
 */
#ifndef TSGI_UNION_FIND_H
#define TSGI_UNION_FIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tsgi_uf {
	uint32_t *parent;
	uint32_t *size;
	size_t n;
} tsgi_uf;

/* Makes n singletons.  False on ENOMEM (uf is then empty but freeable). */
bool tsgi_uf_init(tsgi_uf *uf, size_t n);
void tsgi_uf_free(tsgi_uf *uf);
/* Back to n singletons. */
void tsgi_uf_reset(tsgi_uf *uf);
uint32_t tsgi_uf_find(tsgi_uf *uf, uint32_t x);
/* Joins the sets of a and b; true when they were apart. */
bool tsgi_uf_union(tsgi_uf *uf, uint32_t a, uint32_t b);
/* Size of x's set. */
uint32_t tsgi_uf_size(tsgi_uf *uf, uint32_t x);

#endif
