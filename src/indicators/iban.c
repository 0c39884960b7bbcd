/* iban.c - placeholder until the extractor lands. */
#include "indicators.h"

void tsgi_extract_iban(tsgi_extract *x) { (void)x; }
