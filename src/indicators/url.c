/* url.c - placeholder until the extractor lands. */
#include "indicators.h"

void tsgi_extract_urls(tsgi_extract *x) { (void)x; }
