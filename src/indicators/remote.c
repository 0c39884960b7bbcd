/* remote.c - placeholder until the extractor lands. */
#include "indicators.h"

void tsgi_extract_remote(tsgi_extract *x) { (void)x; }
