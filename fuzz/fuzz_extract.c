/* fuzz_extract.c - indicator extraction alone, as plain text. */
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tsg_scan *s;
	if (!s)
		s = tsg_scan_new(fuzz_engine());
	tsg_input in = {.data = (const char *)data, .len = size,
	                .channel = TSG_CHANNEL_TEXT};
	const tsg_indicator *ind;
	size_t n;
	if (tsg_scan_extract(s, &in, &ind, &n) == TSG_OK) {
		char *js = tsg_indicators_json(ind, n, TSG_JSON_COMPACT);
		free(js);
	}
	return 0;
}
