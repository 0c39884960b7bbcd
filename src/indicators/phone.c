/* phone.c - placeholder until the extractor lands. */
#include "indicators.h"

void tsgi_extract_phones(tsgi_extract *x) { (void)x; }

bool tsgi_phone_canon(const char *digits, const char *region, char *out,
                      size_t cap, unsigned *flags, const char **country)
{
	(void)digits;
	(void)region;
	(void)out;
	(void)cap;
	*flags = 0;
	*country = NULL;
	return false;
}
