/* fuzz_model.c - the model file loader (src/model/model_file.c): any bytes
 * are either a model or refused with TSG_EMODEL, never a crash.  Seeds in
 * fuzz/corpus/model are small models made by `tsguard train --bits 8`. */
#include <stdint.h>
#include <stdlib.h>

#include "../src/model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tsgi_model *m = NULL;
	char err[256];
	tsg_status st = tsgi_model_load_mem(data, size, &m, err, sizeof err);
	if ((st == TSG_OK) != (m != NULL))
		abort(); /* the contract: a model exactly on success */
	tsgi_model_free(m);
	return 0;
}
