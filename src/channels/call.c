/* call.c - placeholder: scans the input as plain text until the parser lands. */
#include <stdio.h>

#include "channel.h"

tsg_status tsgi_call_parse(tsgi_arena *a, const tsg_input *in, tsgi_doc *doc,
                         char *err, size_t errlen)
{
	if (!tsgi_doc_alias(a, doc, in->data, in->len, "body")) {
		snprintf(err, errlen, "out of memory");
		return TSG_ENOMEM;
	}
	return TSG_OK;
}
