/*
 * fuzz_transcript.c - libFuzzer target for the call transcripts (JSON turns, Whisper segments) parser.
 * Seeds: fuzz/corpus/transcript/.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan_channel(data, size, TSG_CHANNEL_CALL);
	return 0;
}
