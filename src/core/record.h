/*
 * record.h - one JSON input record, as read by `scan --jsonl`, the HTTP API
 * and `ingest`:
 *
 *   {"id": "...", "channel": "sms", "content": "...", "contact": "unsolicited",
 *    "sender": "...", "lang": "en", "region": "US"}
 *
 * Instead of "content" a record may carry "content_base64" (raw bytes,
 * exactly) or "path" (a file relative to the JSONL file's folder).  Unknown
 * fields are ignored here (ingest keeps them).
 */
#ifndef TSGI_RECORD_H
#define TSGI_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "tsguard.h"

typedef struct tsgi_record {
	tsg_input in;   /* points into the fields below                     */
	char *id;       /* id as text (numbers are rendered), or NULL       */
	char *data;     /* owned content bytes                              */
	char *sender, *lang, *region;
	void *json;     /* the parsed object (json_t *), owned; may be NULL  */
} tsgi_record;

/*
 * Parses one JSON object of `len` bytes.  `base_dir` resolves "path" (NULL
 * refuses records with a path).  On failure returns TSG_EPARSE, TSG_EINVAL,
 * TSG_EIO or TSG_ELIMIT with a message naming the problem in `err`; r->id
 * is still set when the id could be read, so the error can carry it.
 * Release with tsgi_record_free() in every case.
 */
tsg_status tsgi_record_parse(const char *json, size_t len, const char *base_dir,
                             tsgi_record *r, char *err, size_t errlen);

/*
 * The same, for callers that need only the fields above (r->json is NULL
 * when the record was flat): the hot path of `scan --jsonl` and the HTTP
 * API.  Results and error messages are those of tsgi_record_parse().
 */
tsg_status tsgi_record_read(const char *json, size_t len, const char *base_dir,
                            tsgi_record *r, char *err, size_t errlen);
void tsgi_record_free(tsgi_record *r);

#endif
