/*
 * routes.c - the endpoints of `tsguard serve`, one handler each, and the
 * JSON error document.
 *
 * Handlers get a complete request (tsgi_request) and fill a tsgi_reply;
 * they never touch sockets.  Scans use the calling thread's tsg_scan from
 * the engine slot (reload.c), so a reload between two requests is invisible
 * here.  The store-backed endpoints live in intel.c.
 *
 * Error codes are part of the API (docs/api.md lists them); never rename
 * one, add new ones instead.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "../core/record.h"
#include "server.h"
#include "tsguard_limits.h"

/* ---- errors ----------------------------------------------------------------
 */

static void error_doc(tsgi_buf *b, const char *code, const char *msg)
{
	tsgi_jw w;
	tsgi_jw_init(&w, b, false);
	tsgi_jw_obj(&w);
	tsgi_jw_key(&w, "error");
	tsgi_jw_obj(&w);
	tsgi_jw_key(&w, "code");
	tsgi_jw_str(&w, code);
	tsgi_jw_key(&w, "message");
	tsgi_jw_str(&w, msg);
	tsgi_jw_obj_end(&w);
	tsgi_jw_obj_end(&w);
	tsgi_buf_addc(b, '\n');
}

void tsgi_reply_error(tsgi_reply *out, int status, const char *code,
		      const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tsgi_buf b;
	tsgi_buf_init(&b, 4096);
	error_doc(&b, code, msg);
	size_t len = b.len;
	out->status = status;
	out->content_type = "application/json";
	out->body = tsgi_buf_take(&b);
	out->len = out->body ? len : 0;
	if (!out->body) {
		static const char oom[] = "{\"error\":{\"code\":\"internal\","
					  "\"message\":\"out of memory\"}}\n";
		out->status = 500;
		out->static_body = oom;
		out->len = sizeof oom - 1;
	}
}

void tsgi_reply_json(tsgi_reply *out, int status, tsgi_buf *b)
{
	size_t len = b->len;
	char *s = tsgi_buf_take(b);
	if (!s) {
		tsgi_reply_error(out, 500, "internal",
				 "the answer exceeded its limit or memory");
		return;
	}
	out->status = status;
	out->content_type = "application/json";
	out->body = s;
	out->len = len;
}

/* ---- the route table ----------------------------------------------------- */

enum { BODY_NONE = 0, BODY_JSON, BODY_JSONL };

static const struct route {
	tsgi_route id;
	const char *allow; /* methods, as in an Allow header */
	int body;	   /* what POST takes */
} k_routes[TSGI_ROUTE__COUNT] = {
    {TSGI_ROUTE_INDEX, "GET, HEAD", BODY_NONE},
    {TSGI_ROUTE_SCAN, "POST", BODY_JSON},
    {TSGI_ROUTE_BATCH, "POST", BODY_JSONL},
    {TSGI_ROUTE_REPORTS, "POST", BODY_JSON},
    {TSGI_ROUTE_LOOKUP, "GET, HEAD", BODY_NONE},
    {TSGI_ROUTE_CAMPAIGNS, "GET, HEAD", BODY_NONE},
    {TSGI_ROUTE_CAMPAIGN, "GET, HEAD", BODY_NONE},
    {TSGI_ROUTE_STIX, "GET, HEAD", BODY_NONE},
    {TSGI_ROUTE_HEALTHZ, "GET, HEAD", BODY_NONE},
    {TSGI_ROUTE_METRICS, "GET, HEAD", BODY_NONE},
    {TSGI_ROUTE_OTHER, NULL, BODY_NONE},
};

/* Campaign ids are printable tokens; anything else cannot name one. */
static bool valid_id(const char *s, size_t n)
{
	if (n == 0 || n > TSG_SRV_MAX_ID)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.' || c == ':'))
			return false;
	}
	return true;
}

static tsgi_route match_path(const char *p)
{
	static const char camp[] = "/v1/campaigns/";
	if (!strcmp(p, "/"))
		return TSGI_ROUTE_INDEX;
	if (!strcmp(p, "/v1/scan"))
		return TSGI_ROUTE_SCAN;
	if (!strcmp(p, "/v1/scan/batch"))
		return TSGI_ROUTE_BATCH;
	if (!strcmp(p, "/v1/reports"))
		return TSGI_ROUTE_REPORTS;
	if (!strcmp(p, "/v1/lookup"))
		return TSGI_ROUTE_LOOKUP;
	if (!strcmp(p, "/v1/campaigns"))
		return TSGI_ROUTE_CAMPAIGNS;
	if (!strcmp(p, "/healthz"))
		return TSGI_ROUTE_HEALTHZ;
	if (!strcmp(p, "/metrics"))
		return TSGI_ROUTE_METRICS;
	if (!strncmp(p, camp, sizeof camp - 1)) {
		const char *id = p + sizeof camp - 1;
		const char *slash = strchr(id, '/');
		if (!slash)
			return valid_id(id, strlen(id)) ? TSGI_ROUTE_CAMPAIGN
							: TSGI_ROUTE_OTHER;
		if (!strcmp(slash, "/stix") &&
		    valid_id(id, (size_t)(slash - id)))
			return TSGI_ROUTE_STIX;
	}
	return TSGI_ROUTE_OTHER;
}

tsgi_route tsgi_route_find(const char *method, const char *path, bool *allowed,
			   bool *takes_body, bool *batch)
{
	tsgi_route r = match_path(path ? path : "");
	const struct route *rt = &k_routes[r];
	*takes_body = false;
	*batch = false;
	if (r == TSGI_ROUTE_OTHER) {
		*allowed = true; /* answered with 404 */
		return r;
	}
	if (rt->body != BODY_NONE) {
		*allowed = !strcmp(method, "POST");
		*takes_body = *allowed;
		*batch = rt->body == BODY_JSONL;
	} else {
		*allowed = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	}
	return r;
}

const char *tsgi_route_allow(tsgi_route r)
{
	return (unsigned)r < TSGI_ROUTE__COUNT ? k_routes[r].allow : NULL;
}

const char *tsgi_route_ctype(tsgi_route r)
{
	if ((unsigned)r >= TSGI_ROUTE__COUNT || k_routes[r].body == BODY_NONE)
		return "no body";
	return k_routes[r].body == BODY_JSONL
		   ? "application/x-ndjson (or application/jsonl)"
		   : "application/json";
}

/* Compares the media type of a Content-Type value (parameters ignored). */
static bool media_is(const char *ct, const char *want)
{
	while (*ct == ' ' || *ct == '\t')
		ct++;
	size_t n = strcspn(ct, "; \t");
	return n == strlen(want) && !strncasecmp(ct, want, n);
}

bool tsgi_route_ctype_ok(tsgi_route r, const char *ct)
{
	if ((unsigned)r >= TSGI_ROUTE__COUNT || k_routes[r].body == BODY_NONE)
		return true;
	if (!ct)
		return false;
	if (k_routes[r].body == BODY_JSON)
		return media_is(ct, "application/json");
	return media_is(ct, "application/x-ndjson") ||
	       media_is(ct, "application/jsonl") ||
	       media_is(ct, "application/json-lines") ||
	       media_is(ct, "application/json");
}

/* ---- scanning
 * ---------------------------------------------------------------- */

/* Maps a record parse failure to (status, code). */
static void record_error(tsgi_reply *out, tsg_status st, const char *msg)
{
	if (st == TSG_EPARSE)
		tsgi_reply_error(out, 400, "invalid_json", "%s", msg);
	else if (st == TSG_ELIMIT)
		tsgi_reply_error(out, 413, "body_too_large", "%s", msg);
	else if (st == TSG_ENOMEM)
		tsgi_reply_error(out, 500, "internal", "out of memory");
	else
		tsgi_reply_error(out, 400, "invalid_record", "%s", msg);
}

static const char *record_code(tsg_status st)
{
	switch (st) {
	case TSG_EPARSE:
		return "invalid_json";
	case TSG_ELIMIT:
		return "body_too_large";
	case TSG_ENOMEM:
		return "internal";
	default:
		return "invalid_record";
	}
}

static void route_scan(const tsgi_request *rq, tsgi_reply *out)
{
	tsgi_record r;
	char err[512];
	tsg_status st = tsgi_record_read(rq->body, rq->body_len, NULL, &r, err,
					  sizeof err);
	if (st != TSG_OK) {
		record_error(out, st, err);
		goto out;
	}
	tsg_scan *s = tsgi_slot_scan();
	if (!s) {
		tsgi_reply_error(out, 500, "internal",
				 "no scan context (out of memory)");
		goto out;
	}
	const tsg_verdict *v;
	st = tsg_scan_run(s, &r.in, &v);
	if (st != TSG_OK) {
		tsgi_reply_error(out, 500, "scan_failed", "%s",
				 tsg_scan_errmsg(s));
		goto out;
	}
	tsgi_metrics_verdict(v->cls);
	char *js = tsg_verdict_json(v, TSG_JSON_COMPACT);
	size_t len = js ? strlen(js) : 0;
	char *nl = js ? realloc(js, len + 2) : NULL;
	if (!nl) {
		free(js);
		tsgi_reply_error(out, 500, "internal", "out of memory");
		goto out;
	}
	nl[len] = '\n';
	nl[len + 1] = '\0';
	out->status = 200;
	out->content_type = "application/json";
	out->body = nl;
	out->len = len + 1;
out:
	tsgi_record_free(&r);
}

static void batch_error(tsgi_buf *o, const char *id, size_t lineno,
			const char *code, const char *msg)
{
	tsgi_jw w;
	tsgi_jw_init(&w, o, false);
	tsgi_jw_obj(&w);
	tsgi_jw_key(&w, "id");
	tsgi_jw_str(&w, id);
	tsgi_jw_key(&w, "line");
	tsgi_jw_int(&w, (long long)lineno);
	tsgi_jw_key(&w, "error");
	tsgi_jw_obj(&w);
	tsgi_jw_key(&w, "code");
	tsgi_jw_str(&w, code);
	tsgi_jw_key(&w, "message");
	tsgi_jw_str(&w, msg);
	tsgi_jw_obj_end(&w);
	tsgi_jw_obj_end(&w);
	tsgi_buf_addc(o, '\n');
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* JSONL in, JSONL out: one answer line per non-blank input line, in order;
 * a bad line gets an error line and the batch goes on. */
static void route_batch(const tsgi_request *rq, tsgi_reply *out)
{
	const char *p = rq->body, *end = rq->body + rq->body_len;
	size_t records = 0;
	for (const char *q = p; q < end;) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		size_t n = nl ? (size_t)(nl - q) : (size_t)(end - q);
		if (!blank(q, n))
			records++;
		q = nl ? nl + 1 : end;
	}
	if (records > TSG_SRV_MAX_BATCH_RECORDS) {
		tsgi_reply_error(out, 413, "batch_too_large",
				 "%zu records; a batch takes at most %u",
				 records, TSG_SRV_MAX_BATCH_RECORDS);
		return;
	}
	tsg_scan *s = tsgi_slot_scan();
	if (!s) {
		tsgi_reply_error(out, 500, "internal",
				 "no scan context (out of memory)");
		return;
	}
	tsgi_buf o;
	tsgi_buf_init(&o, TSG_SRV_MAX_RESPONSE);
	size_t lineno = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *line = p;
		p = nl ? nl + 1 : end;
		lineno++;
		if (blank(line, n))
			continue;
		tsgi_record r;
		char err[512];
		tsg_status st =
		    tsgi_record_read(line, n, NULL, &r, err, sizeof err);
		if (st != TSG_OK) {
			batch_error(&o, r.id, lineno, record_code(st), err);
			tsgi_record_free(&r);
			continue;
		}
		const tsg_verdict *v;
		st = tsg_scan_run(s, &r.in, &v);
		if (st != TSG_OK) {
			batch_error(&o, r.id, lineno, "scan_failed",
				    tsg_scan_errmsg(s));
		} else {
			tsgi_metrics_verdict(v->cls);
			char *js = tsg_verdict_json(v, TSG_JSON_COMPACT);
			if (!js) {
				batch_error(&o, r.id, lineno, "internal",
					    "out of memory");
			} else {
				tsgi_buf_adds(&o, js);
				tsgi_buf_addc(&o, '\n');
				free(js);
			}
		}
		tsgi_record_free(&r);
		if (o.failed)
			break;
	}
	if (o.failed) {
		tsgi_buf_free(&o);
		tsgi_reply_error(
		    out, 413, "response_too_large",
		    "the answers exceed %u bytes; send smaller batches",
		    TSG_SRV_MAX_RESPONSE);
		return;
	}
	size_t len = o.len;
	out->body = tsgi_buf_take(&o);
	if (!out->body) {
		tsgi_reply_error(out, 500, "internal", "out of memory");
		return;
	}
	out->status = 200;
	out->content_type = "application/x-ndjson";
	out->len = len;
}

/* ---- service endpoints ------------------------------------------------------
 */

static void route_healthz(const tsgi_request *rq, tsgi_reply *out)
{
	tsgi_buf b;
	tsgi_buf_init(&b, 4096);
	tsgi_jw w;
	tsgi_jw_init(&w, &b, false);
	tsg_engine *e = tsgi_slot_engine();
	tsgi_jw_obj(&w);
	tsgi_jw_key(&w, "status");
	tsgi_jw_str(&w, e ? "ok" : "no_engine");
	tsgi_jw_key(&w, "version");
	tsgi_jw_str(&w, tsg_version());
	tsgi_jw_key(&w, "engine_generation");
	tsgi_jw_int(&w, tsgi_slot_generation());
	tsgi_jw_key(&w, "rules");
	tsgi_jw_int(&w, (long long)tsg_engine_rule_count(e));
	tsgi_jw_key(&w, "store");
	tsgi_jw_str(&w, tsgi_intel_state(rq->cfg));
	tsgi_jw_obj_end(&w);
	tsgi_buf_addc(&b, '\n');
	tsg_engine_unref(e);
	tsgi_reply_json(out, e ? 200 : 503, &b);
}

static void route_metrics(const tsgi_request *rq, tsgi_reply *out)
{
	(void)rq;
	tsgi_buf b;
	tsgi_buf_init(&b, 1u << 20);
	tsgi_metrics_render(&b);
	size_t len = b.len;
	char *s = tsgi_buf_take(&b);
	if (!s) {
		tsgi_reply_error(out, 500, "internal", "out of memory");
		return;
	}
	out->status = 200;
	out->content_type = "text/plain; version=0.0.4; charset=utf-8";
	out->body = s;
	out->len = len;
}

static void route_index(const tsgi_request *rq, tsgi_reply *out)
{
	(void)rq;
	out->status = 200;
	out->content_type = "text/html; charset=utf-8";
	out->static_body = tsgi_webui_html;
	out->len = tsgi_webui_html_len;
}

void tsgi_route_handle(tsgi_route r, const tsgi_request *rq, tsgi_reply *out)
{
	switch (r) {
	case TSGI_ROUTE_INDEX:
		route_index(rq, out);
		break;
	case TSGI_ROUTE_SCAN:
		route_scan(rq, out);
		break;
	case TSGI_ROUTE_BATCH:
		route_batch(rq, out);
		break;
	case TSGI_ROUTE_HEALTHZ:
		route_healthz(rq, out);
		break;
	case TSGI_ROUTE_METRICS:
		route_metrics(rq, out);
		break;
	case TSGI_ROUTE_REPORTS:
		tsgi_intel_reports(rq, out);
		break;
	case TSGI_ROUTE_LOOKUP:
		tsgi_intel_lookup(rq, out);
		break;
	case TSGI_ROUTE_CAMPAIGNS:
		tsgi_intel_campaigns(rq, out);
		break;
	case TSGI_ROUTE_CAMPAIGN:
		tsgi_intel_campaign(rq, out, false);
		break;
	case TSGI_ROUTE_STIX:
		tsgi_intel_campaign(rq, out, true);
		break;
	default:
		tsgi_reply_error(out, 404, "not_found", "no endpoint at %s",
				 rq->path);
		break;
	}
}
