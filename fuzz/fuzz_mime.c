/*
 * fuzz_mime.c - libFuzzer target for the email (GMime, charsets, PDF via poppler) parser: the whole scan with
 * the channel fixed, so the parser's output also goes through
 * normalisation, extraction and rules.  Seeds: fuzz/corpus/mime/.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tsg_scan *s;
	if (!s)
		s = tsg_scan_new(fuzz_engine());
	if (!s)
		abort();
	tsg_input in = {.data = (const char *)data, .len = size,
	                .channel = TSG_CHANNEL_EMAIL};
	const tsg_verdict *v;
	if (tsg_scan_run(s, &in, &v) == TSG_OK && v->score > 1.0)
		abort(); /* a score is always in [0,1] */
	return 0;
}
