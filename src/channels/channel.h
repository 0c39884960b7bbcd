/*
 * channel.h - turning what arrived into a tsgi_doc.
 *
 * Each parser owns one channel and one file.  A parser never fails on bad
 * input: it degrades to best-effort text and reports limits in
 * doc->limits_hit.  It returns an error only for memory exhaustion, with a
 * message in `err`.
 */
#ifndef TSGI_CHANNEL_H
#define TSGI_CHANNEL_H

#include <stddef.h>

#include "../core/arena.h"
#include "../core/doc.h"
#include "tsguard.h"

/* Guesses the channel from the first bytes: email headers, HTML, JSON
 * transcript, else TSG_CHANNEL_TEXT. */
tsg_channel tsgi_channel_detect(const char *data, size_t len);

/* Parses `in` as channel `ch` (never AUTO) into `doc`. */
tsg_status tsgi_channel_parse(tsgi_arena *a, const tsg_input *in,
                              tsg_channel ch, tsgi_doc *doc, char *err,
                              size_t errlen);

/* Per-channel parsers (email.c, web.c, call.c, sms.c). */
tsg_status tsgi_email_parse(tsgi_arena *a, const tsg_input *in, tsgi_doc *doc,
                            char *err, size_t errlen);
tsg_status tsgi_web_parse(tsgi_arena *a, const tsg_input *in, tsgi_doc *doc,
                          char *err, size_t errlen);
tsg_status tsgi_call_parse(tsgi_arena *a, const tsg_input *in, tsgi_doc *doc,
                           char *err, size_t errlen);
tsg_status tsgi_sms_parse(tsgi_arena *a, const tsg_input *in, tsgi_doc *doc,
                          char *err, size_t errlen);

#endif
