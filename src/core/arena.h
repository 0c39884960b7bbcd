/*
 * arena.h - the per-scan bump allocator.
 *
 * Everything a scan allocates comes from one arena and is released in one
 * call.  An arena has a byte budget (TSG_MAX_ARENA by default); an
 * allocation beyond it returns NULL exactly like an out-of-memory
 * condition, and tsgi_arena_exhausted() tells the two apart.
 */
#ifndef TSGI_ARENA_H
#define TSGI_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct tsgi_arena tsgi_arena;

/* Creates an arena that may hand out at most `budget` bytes. NULL on ENOMEM. */
tsgi_arena *tsgi_arena_new(size_t budget);

/* Frees the arena and all it handed out. NULL is a no-op. */
void tsgi_arena_free(tsgi_arena *a);

/* Releases all allocations but keeps the first block for reuse. */
void tsgi_arena_reset(tsgi_arena *a);

/* Returns `n` bytes aligned to 16, uninitialised; NULL on ENOMEM or budget. */
void *tsgi_arena_alloc(tsgi_arena *a, size_t n);

/* As tsgi_arena_alloc() but zeroed; n*size overflow returns NULL. */
void *tsgi_arena_calloc(tsgi_arena *a, size_t n, size_t size);

/* Copies `len` bytes of `s` and appends a NUL. NULL on failure. */
char *tsgi_arena_strndup(tsgi_arena *a, const char *s, size_t len);
char *tsgi_arena_strdup(tsgi_arena *a, const char *s);

/* printf into the arena. NULL on failure. */
char *tsgi_arena_printf(tsgi_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Grows the array *v (of elements of `elem` bytes, capacity *cap) so that it
 * holds at least `need` elements, copying the old contents.  Returns false
 * on failure, leaving *v untouched.
 */
bool tsgi_arena_grow(tsgi_arena *a, void **v, size_t *cap, size_t elem,
                     size_t need);

/* True once an allocation failed because the budget was spent. */
bool tsgi_arena_exhausted(const tsgi_arena *a);

/* Bytes handed out since the last reset. */
size_t tsgi_arena_used(const tsgi_arena *a);

#endif
