/* phone.c - placeholder until the extractor lands. */
#include "indicators.h"

void tsgi_extract_phones(tsgi_extract *x) { (void)x; }
