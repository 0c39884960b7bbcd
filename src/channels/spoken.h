/*
 * spoken.h - web and mail addresses as speech recognition writes them.
 *
 * A caller who says "go to w w w dot any desk dot com" or "write to
 * support at micro soft help dot com" reaches a transcript as words.  This
 * rewrites the address forms back into the written ones the URL and email
 * extractors read:
 *
 *   "w w w"                        -> "www"
 *   "dotcom", "dot-com"            -> " dot com"
 *   WORD dash|hyphen WORD dot      -> WORD-WORD dot
 *   WORD dot WORD [dot WORD...]    -> WORD.WORD...   when the last is a TLD
 *   WORD at DOMAIN                 -> WORD@DOMAIN    when DOMAIN has a TLD
 *   WORD at the rate [of] DOMAIN   -> WORD@DOMAIN
 *
 * Spelled-out digits are left to the phone extractor.  Everything else is
 * copied byte for byte.  Owner: channels.
 */
#ifndef TSGI_SPOKEN_H
#define TSGI_SPOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"

/* Appends the rewritten form of `len` bytes of `text` to `out`.  Returns
 * true when anything was rewritten (out then differs from the input).  On
 * a full buffer out->failed is set. */
bool tsgi_spoken_addresses(const char *text, size_t len, tsgi_buf *out);

#endif
