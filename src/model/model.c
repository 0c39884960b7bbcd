/* model.c - placeholder until the model lands: no model file is accepted. */
#include "model.h"

#include <stdio.h>

tsg_status tsgi_model_load(const char *path, struct tsgi_model **out,
                           char *err, size_t errlen)
{
	(void)path;
	*out = NULL;
	snprintf(err, errlen, "models are not supported by this build");
	return TSG_EMODEL;
}

void tsgi_model_free(struct tsgi_model *m) { (void)m; }

double tsgi_model_apply(const struct tsgi_model *m, const tsgi_model_in *in,
                        tsgi_vb *vb)
{
	(void)m;
	(void)in;
	(void)vb;
	return -1;
}
