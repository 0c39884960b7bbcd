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

/* Web: nesting depth and elements walked in an HTML document. */
#define TSG_MAX_HTML_DEPTH 256u
#define TSG_MAX_HTML_NODES 2000000u

/* Call transcripts: turns per call, bytes per turn. */
#define TSG_MAX_TURNS 4096u
#define TSG_MAX_TURN_BYTES (256u * 1024u)

/* Phone numbers: digits in a candidate; spoken words in a spelled number. */
#define TSG_MAX_PHONE_DIGITS 15u
#define TSG_MAX_SPOKEN_WORDS 40u

/* Threads for batch scanning. */
#define TSG_MAX_THREADS 64u

/* Model file bytes and hashed feature buckets. */
#define TSG_MAX_MODEL_FILE (256u * 1024u * 1024u)

#endif /* TSGUARD_LIMITS_H */
