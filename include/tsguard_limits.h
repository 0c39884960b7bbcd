/*
 * tsguard_limits.h - every size limit of tsguard, in one place.
 *
 * Hostile input is the normal case.  Each limit below bounds memory or time;
 * when input exceeds one, the analysis goes on with what fits and the
 * verdict reports which limit was hit (tsg_verdict.limits_hit), or, where
 * nothing sensible can be done, the call fails with TSG_ELIMIT and a message
 * naming the limit.  Change a value here and rebuild; nothing else defines a
 * limit.
 */
#ifndef TSGUARD_LIMITS_H
#define TSGUARD_LIMITS_H

/* Bytes of one message that are analysed; the rest is ignored. */
#define TSG_MAX_INPUT (16u * 1024u * 1024u)

/* Bytes of one JSONL line (a batch record).  Longer lines are rejected with
 * an error record and the batch goes on. */
#define TSG_MAX_LINE (24u * 1024u * 1024u)

/* Compiled rule databases kept in the cache folder (docs/rules.md; two per
 * rule set: the database and its prefilter); the
 * least recently used beyond this are deleted when a new one is stored. */
#define TSG_HS_CACHE_KEEP 16

/* Members of a record the flat JSON reader takes (src/core/record.c); a
 * record with more goes through the general JSON parser, with the same
 * result. */
#define TSG_RECORD_FLAT_KEYS 64

/* Bytes a single scan may allocate from its arena. */
#define TSG_MAX_ARENA (512u * 1024u * 1024u)

/* Matches kept per pattern per message; further matches are counted only. */
#define TSG_MAX_MATCHES_PER_PATTERN 64u

/* Matches kept per message across all patterns. */
#define TSG_MAX_MATCHES 8192u

/* Evidence spans quoted per reason. */
#define TSG_MAX_EVIDENCE 4u

/* Bytes quoted per evidence span (longer quotes are cut at a character). */
#define TSG_MAX_QUOTE 240u

/* Indicators kept per message. */
#define TSG_MAX_INDICATORS 512u

/* Brands reported per message. */
#define TSG_MAX_BRANDS 8u

/* Rules: files, rules, patterns per rule, bytes per line, nesting depth of
 * composite expressions. */
#define TSG_MAX_RULE_FILES 256u
#define TSG_MAX_RULES 4096u
#define TSG_MAX_PATTERNS_PER_RULE 64u
#define TSG_MAX_RULE_LINE 4096u
#define TSG_MAX_EXPR_DEPTH 32u
#define TSG_MAX_PROXIMITY_WORDS 200u

/* Data files (brand registry, config): bytes. */
#define TSG_MAX_DATA_FILE (8u * 1024u * 1024u)

/* Email: nesting depth of multiparts and message/rfc822, number of parts,
 * bytes of PDF text taken per attachment. */
#define TSG_MAX_MIME_DEPTH 16u
#define TSG_MAX_MIME_PARTS 256u
#define TSG_MAX_PDF_TEXT (1024u * 1024u)
#define TSG_MAX_PDF_BYTES (8u * 1024u * 1024u)
/* Email: Content-Type headers read before the message is cut ahead of
 * GMime, whose parser recurses once per nesting level. */
#define TSG_MAX_MIME_HEADERS (4u * TSG_MAX_MIME_PARTS)
/* Email: PDF attachments whose text is extracted per message. */
#define TSG_MAX_PDF_ATTACHMENTS 4u
/* Email: pages of one PDF attachment whose text is extracted. */
#define TSG_MAX_PDF_PAGES 64u

/* Web: nesting depth and elements walked in an HTML document. */
#define TSG_MAX_HTML_DEPTH 256u
#define TSG_MAX_HTML_NODES 2000000u
/* Web: estimated open (unclosed) tags before the document is cut ahead of
 * the HTML parser, whose tree is freed recursively. */
#define TSG_MAX_HTML_OPEN_TAGS 4096u
/* Web evidence: a start tag behind a markup signal is kept up to this many
 * bytes; a script statement is quoted up to this many bytes each side of
 * the construct found. */
#define TSG_MAX_TAG_QUOTE 300u
/* HTML (pages and mail parts): bytes of link targets (href, form action,
 * iframe src) kept for indicator extraction, per document, and bytes of
 * one target. */
#define TSG_MAX_HTML_LINKS (256u * 1024u)
#define TSG_MAX_HTML_LINK 2048u

/* Payment-app handles: longest handle read ($cashtag, @venmo-name). */
#define TSG_MAX_PAY_HANDLE 32u
#define TSG_MAX_STATEMENT_SIDE 100u

/* Call transcripts: turns per call, bytes per turn. */
#define TSG_MAX_TURNS 4096u
#define TSG_MAX_TURN_BYTES (256u * 1024u)

/* Phone numbers: digits in a candidate; spoken words in a spelled number. */
#define TSG_MAX_PHONE_DIGITS 15u
#define TSG_MAX_SPOKEN_WORDS 40u
/* Phone numbers: digit groups (or spoken number chunks) read as one run of
 * number-like text; a longer run is cut and read in pieces. */
#define TSG_MAX_PHONE_GROUPS 24u

/* Indicators other than phones: bytes of a host name (RFC 1035), of a URL
 * value (longer URLs are cut), of an email local part (RFC 5321) and of a
 * display name, and query parameters examined per URL for phone numbers. */
#define TSG_MAX_HOST 253u
#define TSG_MAX_URL 2048u
#define TSG_MAX_EMAIL_LOCAL 64u
#define TSG_MAX_DISPLAY_NAME 128u
#define TSG_MAX_URL_PARAMS 64u

/* Threads for batch scanning. */
#define TSG_MAX_THREADS 64u

/* Intelligence store (src/store, src/intel): reports per ingest
 * transaction (a report is acknowledged once its batch commits), bytes of
 * a --db URL, reports the clustering loads, indicators kept per report, and
 * reports quoted as sample narratives in a case file. */
#define TSG_MAX_INGEST_BATCH 5000u
#define TSG_MAX_DB_URL 4096u
#define TSG_MAX_STORE_REPORTS 50000000u
#define TSG_MAX_REPORT_INDICATORS TSG_MAX_INDICATORS
#define TSG_MAX_CASE_SAMPLES 12u

/* Model file bytes and hashed feature buckets. */
#define TSG_MAX_MODEL_FILE (256u * 1024u * 1024u)
#define TSG_MODEL_MIN_BITS 8u
#define TSG_MODEL_MAX_BITS 24u

/* Bytes of normalised text that feed the model's word and character
 * features (the rules still read all of it). */
#define TSG_MAX_MODEL_TEXT (64u * 1024u)

/* Bytes of a model file's provenance text. */
#define TSG_MAX_MODEL_INFO 4096u

/* Service (`tsguard serve`, src/server): bytes of a /v1/scan or
 * /v1/reports body (room for a TSG_MAX_INPUT message in base64), bytes
 * and records of a /v1/scan/batch body, bytes of a batch answer, bytes a
 * connection may spend on its request line and headers (a header flood
 * gets 431), connections in total and per client address, and the
 * defaults (and, for the threads, the maximum) the options start from. */
#define TSG_SRV_MAX_BODY (24u * 1024u * 1024u)
#define TSG_SRV_MAX_BATCH_BODY (64u * 1024u * 1024u)
#define TSG_SRV_MAX_BATCH_RECORDS 10000u
#define TSG_SRV_MAX_RESPONSE (256u * 1024u * 1024u)
#define TSG_SRV_CONN_MEMORY (64u * 1024u)
#define TSG_SRV_MAX_CONNECTIONS 1024u
#define TSG_SRV_MAX_PER_IP 256u
/* Seconds: to send a whole request (slow clients are dropped with 408),
 * of silence on a connection, and that SIGTERM waits for requests. */
#define TSG_SRV_REQUEST_TIMEOUT 30u
#define TSG_SRV_IDLE_TIMEOUT 15u
#define TSG_SRV_DRAIN_TIMEOUT 30u
/* Seconds the clustered campaign view of the server may be stale. */
#define TSG_SRV_CAMPAIGN_TTL 10u
/* Bytes of a value in GET /v1/lookup, and of a campaign id in a path. */
#define TSG_SRV_MAX_LOOKUP_VALUE 2048u
#define TSG_SRV_MAX_ID 128u

/* Milter (`tsguard milter`): message bytes kept for the scan (the rest of
 * a longer message passes unread and the verdict says so). */
#define TSG_MILTER_MAX_MESSAGE TSG_MAX_INPUT

#endif /* TSGUARD_LIMITS_H */
