/* crypto.c - placeholder until the extractor lands. */
#include "indicators.h"

void tsgi_extract_crypto(tsgi_extract *x) { (void)x; }
