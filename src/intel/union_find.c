/*
 * union_find.c - disjoint sets (see union_find.h).
 */
#include "union_find.h"

#include <stdlib.h>

bool tsgi_uf_init(tsgi_uf *uf, size_t n)
{
	uf->n = n;
	uf->parent = malloc((n ? n : 1) * sizeof *uf->parent);
	uf->size = malloc((n ? n : 1) * sizeof *uf->size);
	if (!uf->parent || !uf->size) {
		tsgi_uf_free(uf);
		return false;
	}
	tsgi_uf_reset(uf);
	return true;
}

void tsgi_uf_free(tsgi_uf *uf)
{
	free(uf->parent);
	free(uf->size);
	uf->parent = uf->size = NULL;
	uf->n = 0;
}

void tsgi_uf_reset(tsgi_uf *uf)
{
	for (size_t i = 0; i < uf->n; i++) {
		uf->parent[i] = (uint32_t)i;
		uf->size[i] = 1;
	}
}

uint32_t tsgi_uf_find(tsgi_uf *uf, uint32_t x)
{
	while (uf->parent[x] != x) {
		uf->parent[x] = uf->parent[uf->parent[x]];
		x = uf->parent[x];
	}
	return x;
}

bool tsgi_uf_union(tsgi_uf *uf, uint32_t a, uint32_t b)
{
	a = tsgi_uf_find(uf, a);
	b = tsgi_uf_find(uf, b);
	if (a == b)
		return false;
	/* Ties go to the lower index so that results do not depend on the
	 * order of the calls more than necessary. */
	if (uf->size[a] < uf->size[b] || (uf->size[a] == uf->size[b] && b < a)) {
		uint32_t t = a;
		a = b;
		b = t;
	}
	uf->parent[b] = a;
	uf->size[a] += uf->size[b];
	return true;
}

uint32_t tsgi_uf_size(tsgi_uf *uf, uint32_t x)
{
	return uf->size[tsgi_uf_find(uf, x)];
}
