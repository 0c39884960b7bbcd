/*
 * intel.c - the store-backed endpoints: report intake, lookups, campaigns
 * and their STIX bundles.  A thin shell over src/store and src/intel.
 *
 * Store handles are one per thread (store.h), kept in a pthread key and
 * opened on first use.  When an operation fails because the backend is
 * gone (PostgreSQL stopped, disk error), the handle is closed and the
 * answer is 503 store_unavailable; the next request opens a new handle, so
 * intake recovers by itself when the backend returns.  Scans never touch
 * the store and keep working meanwhile.
 *
 * POST /v1/reports answers 201 only after the report's transaction has
 * committed: an acknowledged report survives kill -9.
 *
 * Campaigns come from clustering the whole store, which is too costly per
 * request, so one clustered view is cached and rebuilt when it is older
 * than TSG_SRV_CAMPAIGN_TTL seconds and the report count has changed.  The
 * view is read-only: assignments are saved by `tsguard campaigns`, never
 * by the server.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "../core/engine_int.h"
#include "../intel/intel.h"
#include "../store/store.h"
#include "server.h"
#include "tsguard_limits.h"

static const char *db_url(const tsgi_http_cfg *cfg)
{
	if (cfg->db && *cfg->db)
		return cfg->db;
	const char *env = getenv("TSGUARD_DB");
	return env && *env ? env : NULL;
}

/* ---- per-thread store handles ------------------------------------------- */

static pthread_key_t g_store_key;
static pthread_once_t g_store_once = PTHREAD_ONCE_INIT;

static void close_store(void *p)
{
	tsgi_store_close(p);
}

static void make_store_key(void)
{
	if (pthread_key_create(&g_store_key, close_store) != 0)
		abort(); /* cannot happen with free keys; not library code */
}

/* The calling thread's store handle, or NULL with *st and err set. */
static tsgi_store *thread_store(const char *url, tsg_status *st, char *err,
				size_t errlen)
{
	pthread_once(&g_store_once, make_store_key);
	tsgi_store *s = pthread_getspecific(g_store_key);
	if (s)
		return s;
	*st = tsgi_store_open(url, &s, err, errlen);
	if (*st != TSG_OK)
		return NULL;
	pthread_setspecific(g_store_key, s);
	return s;
}

/* Forgets the calling thread's handle after a failure. */
static void drop_store(void)
{
	tsgi_store *s = pthread_getspecific(g_store_key);
	pthread_setspecific(g_store_key, NULL);
	tsgi_store_close(s);
}

static void store_error(tsgi_reply *out, tsg_status st, const char *msg)
{
	if (st == TSG_ENOMEM)
		tsgi_reply_error(out, 500, "internal", "out of memory");
	else if (st == TSG_EINVAL || st == TSG_ELIMIT)
		tsgi_reply_error(out, 500, "store_misconfigured", "%s", msg);
	else
		tsgi_reply_error(out, 503, "store_unavailable", "%s", msg);
}

/* Opens the store or fills `out` with the error; NULL then. */
static tsgi_store *need_store(const tsgi_request *rq, tsgi_reply *out)
{
	const char *url = db_url(rq->cfg);
	if (!url) {
		tsgi_reply_error(out, 503, "store_unavailable",
				 "no report store: start the server with --db");
		return NULL;
	}
	char err[512];
	tsg_status st = TSG_ESTORE;
	tsgi_store *s = thread_store(url, &st, err, sizeof err);
	if (!s)
		store_error(out, st, err);
	return s;
}

/* Renders what a FILE writer produces into a reply body. */
typedef struct memout {
	char *buf;
	size_t len;
	FILE *f;
} memout;

static bool memout_open(memout *m)
{
	memset(m, 0, sizeof *m);
	m->f = open_memstream(&m->buf, &m->len);
	return m->f != NULL;
}

static bool memout_close(memout *m)
{
	bool ok = fclose(m->f) == 0 && m->buf;
	m->f = NULL;
	return ok;
}

static void reply_mem(tsgi_reply *out, int status, const char *ctype, memout *m)
{
	if (!memout_close(m)) {
		free(m->buf);
		tsgi_reply_error(out, 500, "internal", "out of memory");
		return;
	}
	out->status = status;
	out->content_type = ctype;
	out->body = m->buf;
	out->len = m->len;
}

const char *tsgi_intel_state(const tsgi_http_cfg *cfg)
{
	if (!db_url(cfg))
		return "none";
	char err[256];
	tsg_status st = TSG_ESTORE;
	tsgi_store *s = thread_store(db_url(cfg), &st, err, sizeof err);
	long long n;
	if (!s)
		return "unavailable";
	if (tsgi_store_count(s, &n) != TSG_OK) {
		drop_store();
		return "unavailable";
	}
	return "ok";
}

/* ---- POST /v1/reports ------------------------------------------------------
 */

static char *join_brands(const tsg_verdict *v)
{
	size_t n = 1;
	for (size_t i = 0; i < v->n_brands; i++)
		n += strlen(v->brands[i]) + 1;
	if (!v->n_brands)
		return NULL;
	char *s = malloc(n), *p = s;
	if (!s)
		return NULL;
	for (size_t i = 0; i < v->n_brands; i++) {
		size_t k = strlen(v->brands[i]);
		if (i)
			*p++ = ',';
		memcpy(p, v->brands[i], k);
		p += k;
	}
	*p = '\0';
	return s;
}

void tsgi_intel_reports(const tsgi_request *rq, tsgi_reply *out)
{
	const char *auth = MHD_lookup_connection_value(
	    rq->conn, MHD_HEADER_KIND, "Authorization");
	if (!rq->cfg->token) {
		tsgi_reply_error(out, 503, "intake_disabled",
				 "report intake needs the server started with "
				 "--token-file");
		return;
	}
	if (!tsgi_token_check(rq->cfg->token, auth)) {
		tsgi_reply_error(out, 401, "unauthorized",
				 "a valid bearer token is required");
		out->www_authenticate = "Bearer realm=\"tsguard\"";
		return;
	}
	tsgi_report_in in;
	char err[512];
	tsg_status st =
	    tsgi_report_parse(rq->body, rq->body_len, (long long)time(NULL),
			      &in, err, sizeof err);
	tsgi_sind *inds = NULL;
	char *brands = NULL;
	if (st != TSG_OK) {
		if (st == TSG_EPARSE)
			tsgi_reply_error(out, 400, "invalid_json", "%s", err);
		else if (st == TSG_ENOMEM)
			tsgi_reply_error(out, 500, "internal", "out of memory");
		else
			tsgi_reply_error(out, 400, "invalid_report", "%s", err);
		goto out;
	}
	tsgi_store *s = need_store(rq, out);
	if (!s)
		goto out;
	tsg_scan *scan = tsgi_slot_scan();
	if (!scan) {
		tsgi_reply_error(out, 500, "internal", "no scan context");
		goto out;
	}
	tsg_input input = {
	    .data = in.content,
	    .len = strlen(in.content),
	    .channel = in.ch,
	    .contact = in.ct,
	    .id = in.id,
	    .sender = in.sender,
	    .lang = in.lang,
	    .region = in.country,
	};
	const tsg_verdict *v = NULL;
	st = tsg_scan_run(scan, &input, &v);
	if (st != TSG_OK) {
		tsgi_reply_error(out, 500, "scan_failed", "%s",
				 tsg_scan_errmsg(scan));
		goto out;
	}
	size_t n = v->n_indicators < TSG_MAX_REPORT_INDICATORS
		       ? v->n_indicators
		       : TSG_MAX_REPORT_INDICATORS;
	inds = calloc(n ? n : 1, sizeof *inds);
	brands = join_brands(v);
	if (!inds || (v->n_brands && !brands)) {
		tsgi_reply_error(out, 500, "internal", "out of memory");
		goto out;
	}
	bool one_segment = v->n_segments <= 1;
	for (size_t i = 0; i < n; i++) {
		const tsg_indicator *x = &v->indicators[i];
		bool span =
		    one_segment && x->segment == 0 && x->end <= input.len;
		inds[i] = (tsgi_sind){
		    .kind = (int)x->kind,
		    .value = x->value,
		    .detail = x->detail,
		    .host = x->host,
		    .domain = x->domain,
		    .brand = x->brand,
		    .flags = x->flags,
		    .start = span ? (long long)x->start : -1,
		    .end = span ? (long long)x->end : -1,
		};
	}
	tsgi_sreport r = in.r;
	r.inds = inds;
	r.n_inds = n;
	r.brands = brands;
	r.category = v->category;
	r.score = v->score;
	size_t added = 0;
	st = tsgi_store_add(s, &r, 1, &added);
	if (st != TSG_OK) {
		char msg[512];
		snprintf(msg, sizeof msg, "the report was not stored: %s",
			 tsgi_store_errmsg(s));
		drop_store();
		store_error(out, st == TSG_ESTORE ? TSG_EUNAVAIL : st, msg);
		goto out;
	}
	tsgi_metrics_verdict(v->cls);
	tsgi_buf b;
	tsgi_buf_init(&b, 1u << 16);
	tsgi_jw w;
	tsgi_jw_init(&w, &b, false);
	tsgi_jw_obj(&w);
	tsgi_jw_key(&w, "id");
	tsgi_jw_str(&w, in.id);
	tsgi_jw_key(&w, "stored");
	tsgi_jw_bool(&w, added == 1);
	tsgi_jw_key(&w, "duplicate");
	tsgi_jw_bool(&w, added == 0);
	tsgi_jw_key(&w, "verdict");
	tsgi_jw_str(&w, tsg_class_name(v->cls));
	tsgi_jw_key(&w, "score");
	tsgi_jw_num(&w, v->score);
	tsgi_jw_key(&w, "indicators");
	tsgi_jw_int(&w, (long long)n);
	tsgi_jw_obj_end(&w);
	tsgi_buf_addc(&b, '\n');
	tsgi_reply_json(out, added == 1 ? 201 : 200, &b);
out:
	free(inds);
	free(brands);
	tsgi_report_in_free(&in);
}

/* ---- GET /v1/lookup
 * ---------------------------------------------------------- */

void tsgi_intel_lookup(const tsgi_request *rq, tsgi_reply *out)
{
	const char *value = MHD_lookup_connection_value(
	    rq->conn, MHD_GET_ARGUMENT_KIND, "value");
	const char *region = MHD_lookup_connection_value(
	    rq->conn, MHD_GET_ARGUMENT_KIND, "region");
	if (!value || !*value) {
		tsgi_reply_error(
		    out, 400, "missing_value",
		    "give the value to look up: /v1/lookup?value=...");
		return;
	}
	if (strlen(value) > TSG_SRV_MAX_LOOKUP_VALUE) {
		tsgi_reply_error(out, 400, "value_too_long",
				 "a lookup value has at most %u bytes",
				 TSG_SRV_MAX_LOOKUP_VALUE);
		return;
	}
	if (region && (strlen(region) != 2)) {
		tsgi_reply_error(out, 400, "invalid_region",
				 "region is a two-letter country code");
		return;
	}
	tsgi_store *s = need_store(rq, out);
	if (!s)
		return;
	tsgi_lookup_result res;
	tsg_status st = tsgi_lookup(s, value, region, &res);
	if (st == TSG_EINVAL) {
		tsgi_reply_error(out, 400, "invalid_value",
				 "nothing to look up in '%s'", value);
		return;
	}
	if (st != TSG_OK) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", tsgi_store_errmsg(s));
		drop_store();
		store_error(out, st, msg);
		return;
	}
	memout m;
	if (!memout_open(&m)) {
		tsgi_reply_error(out, 500, "internal", "out of memory");
		return;
	}
	tsgi_lookup_json(&res, m.f);
	reply_mem(out, 200, "application/json", &m);
}

/* ---- campaigns
 * ------------------------------------------------------------------- */

static struct {
	pthread_mutex_t mu; /* held while building or reading the view */
	tsg_engine *engine; /* owns the brand registry the view borrows */
	tsgi_hubs *hubs;
	tsgi_dataset *ds;
	long long nreports;
	time_t built;
} g_view = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void view_free(void)
{
	tsgi_ds_free(g_view.ds);
	tsgi_hubs_free(g_view.hubs);
	tsg_engine_unref(g_view.engine);
	g_view.ds = NULL;
	g_view.hubs = NULL;
	g_view.engine = NULL;
}

/* Makes g_view current; call with g_view.mu held.  False with `out` set. */
static bool view_fresh(const tsgi_request *rq, tsgi_reply *out)
{
	tsgi_store *s = need_store(rq, out);
	if (!s)
		return false;
	time_t now = time(NULL);
	if (g_view.ds && now - g_view.built < (time_t)TSG_SRV_CAMPAIGN_TTL)
		return true;
	long long n = 0;
	tsg_status st = tsgi_store_count(s, &n);
	if (st != TSG_OK) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", tsgi_store_errmsg(s));
		drop_store();
		store_error(out, st, msg);
		return false;
	}
	if (g_view.ds && n == g_view.nreports) {
		g_view.built = now;
		return true;
	}
	view_free();
	char err[1024] = "";
	g_view.engine = tsgi_slot_engine();
	if (!g_view.engine) {
		tsgi_reply_error(out, 503, "no_engine", "no engine loaded");
		return false;
	}
	st =
	    tsgi_hubs_load_engine(g_view.engine, &g_view.hubs, err, sizeof err);
	if (st == TSG_OK) {
		g_view.ds = tsgi_ds_new(g_view.hubs, g_view.engine->brands);
		st = g_view.ds ? tsgi_ds_load(g_view.ds, s, err, sizeof err)
			       : TSG_ENOMEM;
	}
	if (st == TSG_OK)
		st = tsgi_ds_cluster(g_view.ds, false, NULL);
	if (st != TSG_OK) {
		view_free();
		if (st == TSG_EUNAVAIL || st == TSG_ESTORE)
			drop_store();
		store_error(out, st, *err ? err : tsg_strerror(st));
		return false;
	}
	g_view.nreports = n;
	g_view.built = now;
	return true;
}

void tsgi_intel_campaigns(const tsgi_request *rq, tsgi_reply *out)
{
	const char *mr = MHD_lookup_connection_value(
	    rq->conn, MHD_GET_ARGUMENT_KIND, "min_reports");
	size_t min_reports = 2;
	if (mr) {
		char *end;
		unsigned long v = strtoul(mr, &end, 10);
		if (!*mr || *end || v > 1000000) {
			tsgi_reply_error(out, 400, "invalid_parameter",
					 "min_reports takes a number");
			return;
		}
		min_reports = v;
	}
	pthread_mutex_lock(&g_view.mu);
	if (view_fresh(rq, out)) {
		memout m;
		if (memout_open(&m)) {
			fputs("{\"campaigns\":", m.f);
			tsgi_campaigns_json(g_view.ds, min_reports, m.f);
			fputs("}\n", m.f);
			reply_mem(out, 200, "application/json", &m);
		} else {
			tsgi_reply_error(out, 500, "internal", "out of memory");
		}
	}
	pthread_mutex_unlock(&g_view.mu);
}

/* The one campaign `id` from the rendered list (the intel module renders
 * campaigns as a list only). */
static void one_campaign(const char *id, tsgi_reply *out)
{
	memout m;
	if (!memout_open(&m)) {
		tsgi_reply_error(out, 500, "internal", "out of memory");
		return;
	}
	tsgi_campaigns_json(g_view.ds, 0, m.f);
	if (!memout_close(&m)) {
		free(m.buf);
		tsgi_reply_error(out, 500, "internal", "out of memory");
		return;
	}
	json_error_t je;
	json_t *all = json_loadb(m.buf, m.len, 0, &je);
	free(m.buf);
	json_t *hit = NULL, *c;
	size_t i;
	json_array_foreach(all, i, c)
	{
		const char *cid = json_string_value(json_object_get(c, "id"));
		if (cid && !strcmp(cid, id)) {
			hit = c;
			break;
		}
	}
	char *s = hit ? json_dumps(hit, JSON_COMPACT) : NULL;
	json_decref(all);
	if (!s) {
		tsgi_reply_error(out, 404, "campaign_not_found",
				 "no campaign %s", id);
		return;
	}
	tsgi_buf b;
	tsgi_buf_init(&b, TSG_SRV_MAX_RESPONSE);
	tsgi_buf_adds(&b, s);
	tsgi_buf_addc(&b, '\n');
	free(s);
	tsgi_reply_json(out, 200, &b);
}

void tsgi_intel_campaign(const tsgi_request *rq, tsgi_reply *out, bool stix)
{
	static const char pfx[] = "/v1/campaigns/";
	char id[TSG_SRV_MAX_ID + 1];
	const char *p = rq->path + sizeof pfx - 1;
	size_t n = strcspn(p, "/");
	if (n > TSG_SRV_MAX_ID)
		n = TSG_SRV_MAX_ID; /* routes.c has checked the id already */
	memcpy(id, p, n);
	id[n] = '\0';
	pthread_mutex_lock(&g_view.mu);
	if (!view_fresh(rq, out))
		goto out;
	if (!tsgi_ds_campaign_find(g_view.ds, id)) {
		tsgi_reply_error(out, 404, "campaign_not_found",
				 "no campaign %s", id);
		goto out;
	}
	if (!stix) {
		one_campaign(id, out);
		goto out;
	}
	memout m;
	if (!memout_open(&m)) {
		tsgi_reply_error(out, 500, "internal", "out of memory");
		goto out;
	}
	tsgi_export_sel sel = {
	    .campaign = id, .min_reports = 0, .now = (long long)time(NULL)};
	tsg_status st = tsgi_export_stix(g_view.ds, &sel, m.f);
	if (st != TSG_OK) {
		memout_close(&m);
		free(m.buf);
		if (st == TSG_ENOTFOUND)
			tsgi_reply_error(out, 404, "campaign_not_found",
					 "no campaign %s", id);
		else
			tsgi_reply_error(out, 500, "internal", "%s",
					 tsg_strerror(st));
		goto out;
	}
	reply_mem(out, 200, "application/stix+json;version=2.1", &m);
out:
	pthread_mutex_unlock(&g_view.mu);
}

void tsgi_intel_shutdown(void)
{
	pthread_mutex_lock(&g_view.mu);
	view_free();
	pthread_mutex_unlock(&g_view.mu);
	pthread_once(&g_store_once, make_store_key);
	drop_store();
}
