/* email_addr.c - placeholder until the extractor lands. */
#include "indicators.h"

void tsgi_extract_emails(tsgi_extract *x) { (void)x; }
