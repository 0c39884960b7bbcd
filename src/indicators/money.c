/* money.c - placeholder until the extractor lands. */
#include "indicators.h"

void tsgi_extract_money(tsgi_extract *x) { (void)x; }
