#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/core/arena.h"

static void test_budget(void **state)
{
	(void)state;
	tsgi_arena *a = tsgi_arena_new(1000);
	assert_non_null(a);
	assert_non_null(tsgi_arena_alloc(a, 500));
	assert_null(tsgi_arena_alloc(a, 600));
	assert_true(tsgi_arena_exhausted(a));
	tsgi_arena_reset(a);
	assert_false(tsgi_arena_exhausted(a));
	assert_non_null(tsgi_arena_alloc(a, 600));
	tsgi_arena_free(a);
	tsgi_arena_free(NULL);
}

static void test_alignment_and_big(void **state)
{
	(void)state;
	tsgi_arena *a = tsgi_arena_new(64u << 20);
	for (int i = 1; i < 100; i++) {
		void *p = tsgi_arena_alloc(a, (size_t)i);
		assert_int_equal((uintptr_t)p % 16, 0);
	}
	char *big = tsgi_arena_alloc(a, 1u << 20);
	assert_non_null(big);
	memset(big, 'x', 1u << 20);
	char *s = tsgi_arena_strndup(a, "hello world", 5);
	assert_string_equal(s, "hello");
	assert_string_equal(tsgi_arena_printf(a, "%d-%s", 42, "x"), "42-x");
	int *v = NULL;
	size_t cap = 0;
	for (int i = 0; i < 1000; i++) {
		assert_true(tsgi_arena_grow(a, (void **)&v, &cap, sizeof *v, (size_t)i + 1));
		v[i] = i;
	}
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i);
	tsgi_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_alignment_and_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
