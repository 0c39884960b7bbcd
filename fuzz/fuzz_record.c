/* fuzz_record.c - JSONL input records (scan --jsonl, the HTTP API). */
#include <stdint.h>

#include "../src/core/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tsgi_record r;
	char err[256];
	tsgi_record_parse((const char *)data, size, NULL, &r, err, sizeof err);
	tsgi_record_free(&r);
	return 0;
}
