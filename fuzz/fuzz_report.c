/*
 * fuzz_report - report JSONL lines as `tsguard ingest` reads them
 * (src/intel/report.c), then the link keys of every indicator the engine
 * extracts from the content (src/intel/hubs.c).  Seeds: fuzz/corpus/report.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/engine_int.h"
#include "../src/intel/intel.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static tsgi_hubs *hubs;
	static tsg_scan *scan;
	tsg_engine *e = fuzz_engine();
	if (!hubs) {
		char err[512];
		if (tsgi_hubs_load_engine(e, &hubs, err, sizeof err) != TSG_OK) {
			fprintf(stderr, "fuzz_report: %s\n", err);
			abort();
		}
		scan = tsg_scan_new(e);
	}
	tsgi_report_in r;
	char err[512];
	if (tsgi_report_parse((const char *)data, size, 1700000000LL, &r, err,
	                      sizeof err) == TSG_OK) {
		tsg_input in = {.data = r.content, .len = strlen(r.content),
		                .channel = r.ch, .region = r.country};
		const tsg_indicator *ind;
		size_t n;
		if (tsg_scan_extract(scan, &in, &ind, &n) == TSG_OK)
			for (size_t i = 0; i < n; i++) {
				tsgi_sind d = {.kind = (int)ind[i].kind, .value = ind[i].value,
				               .detail = ind[i].detail, .host = ind[i].host,
				               .domain = ind[i].domain, .flags = ind[i].flags};
				char key[4096];
				tsgi_link_key(hubs, e->brands, &d, key, sizeof key);
			}
		long long t;
		tsgi_parse_time(r.received_at, strlen(r.received_at), &t);
	}
	tsgi_report_in_free(&r);
	return 0;
}
