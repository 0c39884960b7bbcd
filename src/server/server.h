/*
 * server.h - the service shells around libtsguard: `tsguard serve` (HTTP on
 * libmicrohttpd) and `tsguard milter` (libmilter).
 *
 * The server is a thin shell.  It turns requests into tsg_input and
 * verdicts into bytes; everything it decides about a message comes from the
 * library.  The pieces, one file each:
 *
 *   reload.c   the current engine, its generation, SIGHUP reloads, and the
 *              per-thread tsg_scan that follows the generation
 *   metrics.c  lock-free counters and the Prometheus text rendering
 *   auth.c     the bearer token file and its constant-time comparison
 *   http.c     the libmicrohttpd daemon: limits, bodies, deadlines, drain
 *   routes.c   one handler per endpoint, and the JSON error format
 *   webui.html the page served at `/` (embed.c compiles it in)
 *   milter.c   the mail filter
 *
 * Threads: the HTTP daemon runs a pool of epoll threads; every handler runs
 * on one of them and scans with that thread's own tsg_scan.  The main thread
 * only waits for signals (SIGHUP reloads, SIGTERM/SIGINT drain and stop).
 */
#ifndef TSGI_SERVER_H
#define TSGI_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../cli/cli.h" /* tsgi_engine_opts: how the shells build engines */
#include "../core/buf.h"
#include "tsguard.h"

/* ---- reload.c: the engine slot ---------------------------------------- */


/*
 * Opens the first engine from `src` and makes it current.  Returns TSG_OK,
 * or the engine's status with the reason printed to stderr.  `src` is
 * copied.  Call once before any scan; tsgi_slot_shutdown() releases it.
 */
tsg_status tsgi_slot_init(const tsgi_engine_opts *src);

/*
 * Builds a new engine from the same source and swaps it in.  Scans already
 * running finish on the old engine (they hold a reference); the next scan on
 * each thread picks up the new one.  On failure the current engine stays and
 * the reason goes to stderr; returns the status.  Call from one thread at a
 * time (the signal loop).
 */
tsg_status tsgi_slot_reload(void);

/*
 * The calling thread's scan context for the current engine: created on first
 * use, rebuilt when the generation changed, freed when the thread exits.
 * Returns NULL when memory is exhausted.  Borrowed: valid until the calling
 * thread's next tsgi_slot_scan() call.
 */
tsg_scan *tsgi_slot_scan(void);

/* A new reference to the current engine; release with tsg_engine_unref(). */
tsg_engine *tsgi_slot_engine(void);

/* Generation of the current engine (1 for the first, +1 per reload). */
unsigned tsgi_slot_generation(void);

/* Drops the slot's engine.  Threads' scans go when the threads exit. */
void tsgi_slot_shutdown(void);

/* ---- metrics.c -------------------------------------------------------- */

/* Routes, as labelled in the metrics.  Never renumber: the order is the
 * order of k_route_names in metrics.c. */
typedef enum tsgi_route {
	TSGI_ROUTE_INDEX = 0,
	TSGI_ROUTE_SCAN,
	TSGI_ROUTE_BATCH,
	TSGI_ROUTE_REPORTS,
	TSGI_ROUTE_LOOKUP,
	TSGI_ROUTE_CAMPAIGNS,
	TSGI_ROUTE_CAMPAIGN,
	TSGI_ROUTE_STIX,
	TSGI_ROUTE_HEALTHZ,
	TSGI_ROUTE_METRICS,
	TSGI_ROUTE_OTHER, /* unknown paths, and requests MHD refused itself */
	TSGI_ROUTE__COUNT
} tsgi_route;

const char *tsgi_route_name(tsgi_route r);

/* Counts one finished request.  Thread-safe, lock-free. */
void tsgi_metrics_request(tsgi_route r, int status, double seconds);
/* Counts one verdict by class. */
void tsgi_metrics_verdict(tsg_class c);
/* Counts a reload attempt. */
void tsgi_metrics_reload(bool ok);
/* Counts a connection dropped for being too slow. */
void tsgi_metrics_slow_drop(void);
/* Requests being handled right now (gauge). */
void tsgi_metrics_inflight(int delta);
long tsgi_metrics_inflight_now(void);

/* Appends the Prometheus text exposition (version 0.0.4) to `b`. */
void tsgi_metrics_render(tsgi_buf *b);

/* ---- auth.c ----------------------------------------------------------- */

/*
 * Reads the token from the first line of `path` (whitespace trimmed).
 * Returns a malloc'ed string, or NULL with the reason in `err`.
 */
char *tsgi_token_load(const char *path, char *err, size_t errlen);

/*
 * True when the Authorization header value `hdr` is "Bearer <token>" with
 * exactly `token`.  The comparison takes the same time whatever the bytes
 * and however long a prefix matches.  NULL `hdr` or `token` is false.
 */
bool tsgi_token_check(const char *token, const char *hdr);

/* ---- http.c ----------------------------------------------------------- */

typedef struct tsgi_http_cfg {
	const char *host; /* numeric address to bind, "127.0.0.1"      */
	uint16_t port;
	unsigned threads;      /* worker threads (epoll pool)               */
	size_t max_body;       /* bytes of a /v1/scan or /v1/reports body   */
	size_t max_batch_body; /* bytes of a /v1/scan/batch body            */
	unsigned request_timeout; /* seconds to receive a whole request */
	unsigned idle_timeout; /* seconds of silence before a drop          */
	unsigned max_conns;
	unsigned max_per_ip;
	unsigned drain_timeout; /* seconds SIGTERM waits for requests        */
	const char *token;	/* bearer token for /v1/reports, or NULL     */
	const char *db;		/* report store location (--db), or NULL     */
} tsgi_http_cfg;

/*
 * Runs the HTTP service until SIGTERM or SIGINT, reloading on SIGHUP.  The
 * engine slot must be initialised.  Blocks the signals in every thread and
 * waits for them on the calling thread.  Returns 0 after a clean drain,
 * 2 when the daemon could not start (reason on stderr).
 */
int tsgi_http_run(const tsgi_http_cfg *cfg);

/* ---- routes.c --------------------------------------------------------- */

/* One request as a handler sees it.  `body` holds the complete body. */
typedef struct tsgi_request {
	void *conn; /* struct MHD_Connection *, for headers/args */
	const char *method;
	const char *path; /* without the query string                  */
	const char *content_type; /* or NULL */
	const char *body;
	size_t body_len;
	const tsgi_http_cfg *cfg;
} tsgi_request;

/* What a handler answers.  `body` is malloc'ed and becomes the response's;
 * `static_body` is used instead when set (never freed). */
typedef struct tsgi_reply {
	int status;
	const char *content_type;
	char *body;
	const char *static_body;
	size_t len;
	const char *allow;	      /* Allow header for 405 */
	const char *www_authenticate; /* WWW-Authenticate header for 401 */
} tsgi_reply;

/* Finds the route for a method and path; sets *allowed=false when the path
 * exists but not for this method.  Body-taking routes set *takes_body and
 * *batch (for the batch body limit). */
tsgi_route tsgi_route_find(const char *method, const char *path, bool *allowed,
			   bool *takes_body, bool *batch);

/* The Allow header value of a route, and the media type its body takes
 * (for messages); static storage. */
const char *tsgi_route_allow(tsgi_route r);
const char *tsgi_route_ctype(tsgi_route r);

/* True when Content-Type `ct` (may be NULL) suits the body of route `r`. */
bool tsgi_route_ctype_ok(tsgi_route r, const char *ct);

/* Runs the handler of `r`.  Always fills `out` (errors as JSON). */
void tsgi_route_handle(tsgi_route r, const tsgi_request *rq, tsgi_reply *out);

/*
 * Fills `out` with the error document
 *   {"error":{"code":"<code>","message":"<message>"}}
 * The codes are stable and listed in docs/api.md.
 */
void tsgi_reply_error(tsgi_reply *out, int status, const char *code,
		      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fills `out` with status and the JSON in `b`, which it consumes. */
void tsgi_reply_json(tsgi_reply *out, int status, tsgi_buf *b);

/* ---- intel.c: the store-backed endpoints ----------------------------- */

/* Releases what the intel endpoints opened (store handles).  Call after
 * the daemon stopped. */
void tsgi_intel_shutdown(void);

/* "ok", "unavailable" (configured but unreachable) or "none". */
const char *tsgi_intel_state(const tsgi_http_cfg *cfg);
void tsgi_intel_reports(const tsgi_request *rq, tsgi_reply *out);
void tsgi_intel_lookup(const tsgi_request *rq, tsgi_reply *out);
void tsgi_intel_campaigns(const tsgi_request *rq, tsgi_reply *out);
/* GET /v1/campaigns/{id}, or its STIX bundle when `stix`. */
void tsgi_intel_campaign(const tsgi_request *rq, tsgi_reply *out, bool stix);

/* ---- webui.html (compiled in by embed.c) ---------------------------- */

/* The page served at `/`: HTML with inline CSS and JS; static storage. */
extern const char tsgi_webui_html[];
extern const size_t tsgi_webui_html_len;

/* ---- milter.c --------------------------------------------------------- */

typedef enum tsgi_milter_action {
	TSGI_MILTER_TAG = 0,	/* add headers only                          */
	TSGI_MILTER_QUARANTINE, /* add headers and quarantine at the verdict */
	TSGI_MILTER_REJECT,	/* reject (550 5.7.1) at the verdict          */
} tsgi_milter_action;

typedef struct tsgi_milter_cfg {
	const char *socket; /* "unix:/path" or "inet:PORT@127.0.0.1"    */
	tsgi_milter_action action;
	tsg_class action_at; /* act on verdicts at or above this class   */
	unsigned timeout;    /* seconds libmilter waits on the MTA       */
} tsgi_milter_cfg;

/* Runs the milter until SIGTERM/SIGINT.  The engine slot must be
 * initialised.  SIGUSR1 reloads the engine (libmilter owns SIGHUP).
 * Returns 0, or 2 when the socket could not be opened. */
int tsgi_milter_run(const tsgi_milter_cfg *cfg);

#endif
