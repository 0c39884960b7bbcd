/*
 * arena.c - bump allocator with a byte budget.
 *
 * Blocks form a singly linked list, newest first.  Large requests get a block
 * of their own so that a 16 MB message does not waste a 16 MB tail.  Reset
 * keeps only the oldest block (the one sized for typical messages), which
 * makes per-message reuse allocation-free in the common case.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64u * 1024u)
#define ALIGN 16u

struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct tsgi_arena {
	struct block *head;
	size_t budget, handed;
	bool exhausted;
};

static struct block *block_new(size_t size)
{
	struct block *b = malloc(sizeof *b + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

tsgi_arena *tsgi_arena_new(size_t budget)
{
	tsgi_arena *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->budget = budget;
	return a;
}

void tsgi_arena_free(tsgi_arena *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *n = b->next;
		free(b);
		b = n;
	}
	free(a);
}

void tsgi_arena_reset(tsgi_arena *a)
{
	struct block *b = a->head, *keep = NULL;
	while (b) {
		struct block *n = b->next;
		if (!n && b->size == BLOCK_SIZE)
			keep = b; /* the oldest standard block */
		else
			free(b);
		b = n;
	}
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->head = keep;
	a->handed = 0;
	a->exhausted = false;
}

void *tsgi_arena_alloc(tsgi_arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	size_t rounded = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (rounded < n || a->handed + rounded > a->budget ||
	    a->handed + rounded < a->handed) {
		a->exhausted = true;
		return NULL;
	}
	struct block *b = a->head;
	if (!b || b->size - b->used < rounded) {
		if (rounded > BLOCK_SIZE / 4) {
			/* Dedicated block, linked behind the head so the head's
			 * free tail stays usable. */
			struct block *big = block_new(rounded);
			if (!big)
				return NULL;
			big->used = rounded;
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				a->head = big;
			}
			a->handed += rounded;
			return big->data;
		}
		b = block_new(BLOCK_SIZE);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += rounded;
	a->handed += rounded;
	return p;
}

void *tsgi_arena_calloc(tsgi_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = tsgi_arena_alloc(a, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

char *tsgi_arena_strndup(tsgi_arena *a, const char *s, size_t len)
{
	char *p = tsgi_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *tsgi_arena_strdup(tsgi_arena *a, const char *s)
{
	return s ? tsgi_arena_strndup(a, s, strlen(s)) : NULL;
}

char *tsgi_arena_printf(tsgi_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = tsgi_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

bool tsgi_arena_grow(tsgi_arena *a, void **v, size_t *cap, size_t elem,
                     size_t need)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	if (elem && ncap > SIZE_MAX / elem)
		return false;
	void *nv = tsgi_arena_alloc(a, ncap * elem);
	if (!nv)
		return false;
	if (*v && *cap)
		memcpy(nv, *v, *cap * elem);
	*v = nv;
	*cap = ncap;
	return true;
}

bool tsgi_arena_exhausted(const tsgi_arena *a) { return a->exhausted; }

size_t tsgi_arena_used(const tsgi_arena *a) { return a->handed; }
