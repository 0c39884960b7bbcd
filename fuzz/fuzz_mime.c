/*
 * fuzz_mime.c - libFuzzer target for the email (GMime, charsets, PDF via poppler) parser.
 * Seeds: fuzz/corpus/mime/.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan_channel(data, size, TSG_CHANNEL_EMAIL);
	return 0;
}
