/*
 * tsguard.h - public interface of libtsguard.
 *
 * libtsguard reads a message (email, SMS, chat, call transcript, web page or
 * plain text) and says whether it is a tech-support or impersonation scam,
 * why, and what to do instead.  It also pulls out the scammers' phone
 * numbers, hosts, remote-access IDs and payment handles.
 *
 * The library has three objects, in the order a program meets them:
 *
 *   tsg_engine   compiled once from the rules, the brand registry, the
 *                configuration and (when present) the model.  Immutable,
 *                reference-counted, safe to share between any number of
 *                threads.  A reload builds a new engine and swaps pointers.
 *   tsg_scan     a cheap per-message context owned by one thread.  It holds
 *                an arena; everything a scan produces lives there and is
 *                released by the next tsg_scan_run() or by tsg_scan_free().
 *   tsg_verdict  the result of one scan: a read-only view into the scan's
 *                arena.
 *
 * Ownership in one sentence: whatever a function returns through a `const`
 * pointer is borrowed from the handle it came from and lives until that
 * handle is reset or destroyed; whatever it returns through a non-const
 * pointer belongs to the caller, who releases it with the named function.
 *
 * Every function that can fail returns a tsg_status.  The numbers are stable
 * and never reused.  A detailed message, with file:line for rule and data
 * errors, is available from tsg_engine_errmsg() or tsg_scan_errmsg().
 *
 * Offsets are byte offsets into the caller's input, half-open [start, end).
 * Text handed back is always valid UTF-8 (invalid input bytes appear as
 * U+FFFD in quotes; the offsets still point at the original bytes).
 */
#ifndef TSGUARD_H
#define TSGUARD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TSG_VERSION_MAJOR 0
#define TSG_VERSION_MINOR 3
#define TSG_VERSION_PATCH 0
#define TSG_VERSION_STRING "0.3.0"

/* Returns the library version as "MAJOR.MINOR.PATCH"; static storage. */
const char *tsg_version(void);

/* ------------------------------------------------------------------------
 * Status codes.  Never renumbered; new codes are appended.
 * ---------------------------------------------------------------------- */
typedef enum tsg_status {
	TSG_OK = 0,
	TSG_ENOMEM = 1,     /* an allocation failed                          */
	TSG_EINVAL = 2,     /* a caller passed an invalid argument           */
	TSG_EIO = 3,        /* a file could not be read or written           */
	TSG_ERULES = 4,     /* a rule file has an error (see errmsg)         */
	TSG_EDATA = 5,      /* a data file (brands, config, model) is bad    */
	TSG_ELIMIT = 6,     /* input exceeds a limit in tsguard_limits.h     */
	TSG_EPARSE = 7,     /* input could not be parsed (JSON, MIME, ...)   */
	TSG_EENGINE = 8,    /* the matching engine failed at run time        */
	TSG_ENOTFOUND = 9,  /* the requested object does not exist           */
	TSG_ESTORE = 10,    /* the report store failed                       */
	TSG_EUNAVAIL = 11,  /* a backing service is unavailable (retry)      */
	TSG_EMODEL = 12,    /* the model file is damaged or mismatched       */
} tsg_status;

/* Returns a short English description of `st`; static storage, never NULL. */
const char *tsg_strerror(tsg_status st);

/* ------------------------------------------------------------------------
 * Enumerations used in inputs and verdicts.
 * ---------------------------------------------------------------------- */
typedef enum tsg_channel {
	TSG_CHANNEL_AUTO = 0, /* detect from the content                     */
	TSG_CHANNEL_TEXT,     /* plain text of unknown origin                */
	TSG_CHANNEL_SMS,
	TSG_CHANNEL_CHAT,
	TSG_CHANNEL_EMAIL,    /* a raw RFC 5322 message                      */
	TSG_CHANNEL_CALL,     /* a call transcript, plain or JSON turns      */
	TSG_CHANNEL_WEB,      /* an HTML page                                */
	TSG_CHANNEL__COUNT
} tsg_channel;

/* Who opened the contact.  UNSOLICITED is what makes a "support" message a
 * scam: the real support desks in the brand registry never call first. */
typedef enum tsg_contact {
	TSG_CONTACT_UNKNOWN = 0,
	TSG_CONTACT_UNSOLICITED,
	TSG_CONTACT_REQUESTED,
} tsg_contact;

typedef enum tsg_class {
	TSG_CLEAN = 0,
	TSG_SUSPICIOUS = 1,
	TSG_SCAM = 2,
} tsg_class;

/* Parses "email", "sms", ...; returns TSG_EINVAL for an unknown name. */
tsg_status tsg_channel_parse(const char *name, tsg_channel *out);
const char *tsg_channel_name(tsg_channel ch);
tsg_status tsg_contact_parse(const char *name, tsg_contact *out);
const char *tsg_contact_name(tsg_contact c);
const char *tsg_class_name(tsg_class c);

/* ------------------------------------------------------------------------
 * Engine.
 * ---------------------------------------------------------------------- */
typedef struct tsg_engine tsg_engine;

typedef struct tsg_engine_config {
	/* Folder holding rules/ *.rules, data/brands.json and data/tsguard.conf.
	 * NULL means the installed data folder (or $TSGUARD_DATA when set). */
	const char *data_dir;
	/* Rule files or folders to load instead of <data_dir>/rules; NULL-ended.
	 * NULL means the default. */
	const char *const *rule_paths;
	/* Model file; NULL means <data_dir>/data/model.tsgm if it exists,
	 * "" means no model. */
	const char *model_path;
} tsg_engine_config;

/*
 * Compiles an engine.  On success *out is a new engine with one reference.
 * On failure *out is still set when memory allowed it: an engine in the
 * failed state whose tsg_engine_errmsg() explains the error (with file:line
 * for rule and data errors); release it with tsg_engine_unref().  `cfg` may
 * be NULL for the defaults; it is not retained.
 */
tsg_status tsg_engine_open(const tsg_engine_config *cfg, tsg_engine **out);

/* Adds a reference and returns `e`.  Thread-safe. */
tsg_engine *tsg_engine_ref(tsg_engine *e);

/* Drops a reference; frees the engine with the last one.  NULL is a no-op.
 * Thread-safe. */
void tsg_engine_unref(tsg_engine *e);

/* The last error message for `e`, or "" when there is none. Borrowed. */
const char *tsg_engine_errmsg(const tsg_engine *e);

/* Number of compiled rules; 0 for a failed engine. */
size_t tsg_engine_rule_count(const tsg_engine *e);

/* ------------------------------------------------------------------------
 * Inputs.
 * ---------------------------------------------------------------------- */
typedef struct tsg_input {
	const char *data;    /* the message bytes; need not be NUL-terminated */
	size_t len;
	tsg_channel channel; /* TSG_CHANNEL_AUTO to detect                     */
	tsg_contact contact;
	const char *id;      /* optional, copied into the verdict              */
	const char *sender;  /* optional: SMS sender ID, caller number, From   */
	const char *lang;    /* optional ISO 639-1 code; NULL to detect        */
	const char *region;  /* optional ISO 3166 country for phone numbers    */
} tsg_input;

/* ------------------------------------------------------------------------
 * Indicators: the scammers' infrastructure.
 * ---------------------------------------------------------------------- */
typedef enum tsg_indicator_kind {
	TSG_IND_PHONE = 0,  /* value: E.164 "+18885550199"                     */
	TSG_IND_URL,        /* value: normalised URL; host/domain set          */
	TSG_IND_DOMAIN,     /* value: bare host name (punycode, lower case)    */
	TSG_IND_EMAIL,      /* value: lower-case address; detail: display name */
	TSG_IND_REMOTE,     /* value: ID or code; detail: tool ("anydesk")     */
	TSG_IND_BTC,        /* value: address as written; detail: "p2pkh",...  */
	TSG_IND_ETH,        /* value: EIP-55 checksummed address               */
	TSG_IND_TRON,       /* value: base58 address                           */
	TSG_IND_IBAN,       /* value: IBAN without spaces, upper case          */
	TSG_IND_GIFTCARD,   /* value: brand ("google_play"); detail: code      */
	TSG_IND_MONEY,      /* value: "499.99"; detail: ISO 4217 currency      */
	TSG_IND_PAYMENT,    /* value: "cashapp:$tag", "venmo:@handle",
	                     * "paypal:handle", "zelle:<address or number>";
	                     * detail: the service                            */
	TSG_IND__COUNT
} tsg_indicator_kind;

/* Flags on an indicator. */
#define TSG_IND_F_TOLL_FREE 0x01u /* a toll-free or premium number          */
#define TSG_IND_F_OFFICIAL 0x02u  /* listed as official in the registry     */
#define TSG_IND_F_SPOKEN 0x04u    /* read from spelled-out words            */
#define TSG_IND_F_DEFANGED 0x08u  /* written as hxxp, [.] or (dot)          */
#define TSG_IND_F_SHORTENER 0x10u /* a link shortener host                  */

typedef struct tsg_indicator {
	tsg_indicator_kind kind;
	const char *value;  /* canonical form, never NULL                       */
	const char *detail; /* kind-specific, see above; may be NULL            */
	const char *host;   /* URL/EMAIL/DOMAIN: full host; else NULL           */
	const char *domain; /* URL/EMAIL/DOMAIN: registrable domain (eTLD+1)    */
	const char *region; /* PHONE: ISO 3166 country, or NULL                 */
	const char *brand;  /* brand id when TSG_IND_F_OFFICIAL, else NULL      */
	size_t start, end;  /* bytes in the scanned text (see tsg_evidence)     */
	int segment;        /* which segment of the input (see tsg_evidence)    */
	unsigned flags;
} tsg_indicator;

const char *tsg_indicator_kind_name(tsg_indicator_kind k);
/* The kind tsg_indicator_kind_name() calls `name` ("phone"), or -1. */
int tsg_indicator_kind_parse(const char *name);

/* ------------------------------------------------------------------------
 * Verdict.
 * ---------------------------------------------------------------------- */

/* A span of evidence.  For text, SMS, chat and plain call transcripts the
 * input is one segment and [start,end) are bytes of the caller's input.
 * Channels that decode their input (email parts, HTML, JSON transcripts)
 * split it into segments; `segment` indexes tsg_verdict.segments and the
 * offsets are bytes of that segment's decoded text. */
typedef struct tsg_evidence {
	size_t start, end;
	int segment;
	const char *text; /* the quoted text, valid UTF-8 */
} tsg_evidence;

typedef struct tsg_segment {
	const char *label; /* "body", "subject", "part 2 text/html", "turn 3" */
	int turn;          /* call transcripts: turn index from 0, else -1    */
} tsg_segment;

typedef struct tsg_reason {
	const char *rule_id;  /* "alert.infected", "policy.unsolicited", ...   */
	const char *category; /* tech_support, refund, account_alert, ...      */
	const char *message;  /* the sentence a person reads                   */
	double weight;
	int turn;             /* call transcripts: turn it fired on, else -1   */
	const tsg_evidence *evidence;
	size_t n_evidence;
} tsg_reason;

/* Bits of tsg_verdict.limits_hit: which limit truncated the analysis. */
#define TSG_LIMIT_INPUT_SIZE 0x01u
#define TSG_LIMIT_MATCHES 0x02u
#define TSG_LIMIT_INDICATORS 0x04u
#define TSG_LIMIT_MIME_DEPTH 0x08u
#define TSG_LIMIT_MIME_PARTS 0x10u
#define TSG_LIMIT_HTML 0x20u
#define TSG_LIMIT_TURNS 0x40u
#define TSG_LIMIT_ARENA 0x80u

typedef struct tsg_verdict {
	const char *id;       /* copied from tsg_input.id, or NULL             */
	tsg_class cls;
	double score;         /* in [0,1]                                      */
	const char *category; /* tech_support, refund, account_alert,
	                         government, other; "none" when clean          */
	tsg_channel channel;  /* the channel actually used                     */
	const char *lang;     /* given or detected: en, es, de, fr             */
	const char *const *brands; /* brand ids claimed by the message         */
	size_t n_brands;
	const tsg_reason *reasons; /* strongest first                          */
	size_t n_reasons;
	const tsg_indicator *indicators;
	size_t n_indicators;
	const tsg_segment *segments;
	size_t n_segments;
	const char *advice;   /* what to do instead, in `lang`; never NULL     */
	unsigned limits_hit;  /* TSG_LIMIT_* bits                              */
	double model_score;   /* model probability, or -1 without a model      */
} tsg_verdict;

/* ------------------------------------------------------------------------
 * Scanning.
 * ---------------------------------------------------------------------- */
typedef struct tsg_scan tsg_scan;

/* Creates a scan context that holds a reference to `e` for its lifetime.
 * Returns NULL when memory is exhausted.  One context per thread. */
tsg_scan *tsg_scan_new(tsg_engine *e);

/* Frees the context, everything it produced, and its engine reference.
 * NULL is a no-op. */
void tsg_scan_free(tsg_scan *s);

/*
 * Scans one input.  On TSG_OK *out points at a verdict that lives in the
 * scan's arena until the next tsg_scan_run() or tsg_scan_free().  The input
 * bytes are not retained.  Bad bytes never fail a scan: invalid UTF-8 is
 * replaced, NUL bytes are treated as spaces, and an input longer than
 * TSG_MAX_INPUT is scanned up to the limit with TSG_LIMIT_INPUT_SIZE set.
 * On failure *out is NULL and tsg_scan_errmsg() says why.
 */
tsg_status tsg_scan_run(tsg_scan *s, const tsg_input *in,
                        const tsg_verdict **out);

/* Extracts indicators only (no rules, no verdict).  Same ownership as
 * tsg_scan_run(); *out and *n describe an array in the scan's arena. */
tsg_status tsg_scan_extract(tsg_scan *s, const tsg_input *in,
                            const tsg_indicator **out, size_t *n);

/* The last error message for `s`, or "". Borrowed. */
const char *tsg_scan_errmsg(const tsg_scan *s);

/* Flags for tsg_verdict_json(). */
#define TSG_JSON_COMPACT 0x01u    /* one line, as for JSONL              */
#define TSG_JSON_NO_INDICATORS 0x02u

/* Renders a verdict as JSON (schema in docs/output.md).  Returns a
 * malloc'ed NUL-terminated string the caller frees with free(), or NULL
 * when memory is exhausted. */
char *tsg_verdict_json(const tsg_verdict *v, unsigned flags);

/* Renders indicators as a JSON array; caller frees with free(). */
char *tsg_indicators_json(const tsg_indicator *ind, size_t n, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif /* TSGUARD_H */
