/*
 * fuzz_html.c - libFuzzer target for the web pages (Gumbo, behaviour signals) parser.
 * Seeds: fuzz/corpus/html/.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan_channel(data, size, TSG_CHANNEL_WEB);
	return 0;
}
