/*
 * fuzz_record.c - JSONL input records (scan --jsonl, the HTTP API).
 *
 * Differential: the flat reader (tsgi_record_read) must give exactly what
 * the tree reader (tsgi_record_parse, Jansson) gives, status, error text
 * and every field, on any input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tsgi_record a, b;
	char ea[256] = "", eb[256] = "";
	tsg_status sa = tsgi_record_parse((const char *)data, size, NULL, &a, ea,
	                                  sizeof ea);
	tsg_status sb = tsgi_record_read((const char *)data, size, NULL, &b, eb,
	                                 sizeof eb);
	if (sa != sb || strcmp(ea, eb) || !same_str(a.id, b.id) ||
	    !same_str(a.sender, b.sender) || !same_str(a.lang, b.lang) ||
	    !same_str(a.region, b.region) || a.in.channel != b.in.channel ||
	    a.in.contact != b.in.contact || a.in.len != b.in.len ||
	    (a.data == NULL) != (b.data == NULL) ||
	    (a.data && memcmp(a.data, b.data, a.in.len)))
		abort();
	tsgi_record_free(&a);
	tsgi_record_free(&b);
	return 0;
}
