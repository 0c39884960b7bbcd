/* fuzz_scan.c - normalisation, indicator extraction and every rule, on
 * arbitrary bytes; the first byte picks the channel and contact. */
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tsg_scan *s;
	if (!s)
		s = tsg_scan_new(fuzz_engine());
	if (!size)
		return 0;
	tsg_input in = {
		.data = (const char *)data + 1,
		.len = size - 1,
		.channel = (tsg_channel)(data[0] % TSG_CHANNEL__COUNT),
		.contact = (tsg_contact)((data[0] >> 4) % 3),
	};
	const tsg_verdict *v;
	if (tsg_scan_run(s, &in, &v) == TSG_OK) {
		char *js = tsg_verdict_json(v, TSG_JSON_COMPACT);
		free(js);
	}
	return 0;
}
