/*
 * http.c - the libmicrohttpd daemon behind `tsguard serve`.
 *
 * This file owns the plumbing between sockets and handlers: the daemon and
 * its limits, request bodies, the per-request deadline, the signal loop
 * (SIGHUP reload, SIGTERM drain) and the response headers.  What a request
 * means is routes.c's business.
 *
 * Limits, and who enforces them:
 *   connections in total and per IP    MHD (CONNECTION_LIMIT, PER_IP_...)
 *   header bytes (header floods)       MHD (CONNECTION_MEMORY_LIMIT), 431
 *   silence on a connection            MHD (CONNECTION_TIMEOUT)
 *   a whole request, headers and body  the reaper below: a client that has
 *     not finished sending a request     request_timeout seconds after its
 *                                        connection opened, or after its
 *                                        previous response, gets a 408 and
 *                                        is shut down; this is what drops
 *                                        slowloris clients that trickle
 *                                        just fast enough to never be idle
 *   body bytes                         here: 413 at once from Content-Length,
 *                                      or after the body for chunked ones
 *
 * Connection records (struct conn) are created and freed by MHD's connect
 * and close notifications under g_conns.mu.  MHD closes a socket only after
 * its close notification returns, so the reaper, which holds the same mutex
 * while it shuts a socket down, never touches a descriptor that has been
 * reused.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server.h"
#include "tsguard_limits.h"

#define NEVER INT64_MAX

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- connections and the reaper ---------------------------------------- */

struct conn {
	int fd;
	_Atomic int64_t
	    deadline; /* ns, CLOCK_MONOTONIC; NEVER while answering */
	struct conn *prev, *next;
};

static struct {
	pthread_mutex_t mu;
	struct conn head; /* circular list sentinel */
	atomic_bool stop;
	atomic_bool draining;
	int64_t request_ns;
} g_conns = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void on_connection(void *cls, struct MHD_Connection *c,
			  void **socket_ctx,
			  enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn *k = calloc(1, sizeof *k);
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		    c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!k || !ci) {
			free(k);
			*socket_ctx = NULL;
			return;
		}
		k->fd = ci->connect_fd;
		atomic_store(&k->deadline, now_ns() + g_conns.request_ns);
		pthread_mutex_lock(&g_conns.mu);
		k->next = g_conns.head.next;
		k->prev = &g_conns.head;
		g_conns.head.next->prev = k;
		g_conns.head.next = k;
		pthread_mutex_unlock(&g_conns.mu);
		*socket_ctx = k;
	} else {
		struct conn *k = *socket_ctx;
		if (!k)
			return;
		pthread_mutex_lock(&g_conns.mu);
		k->prev->next = k->next;
		k->next->prev = k->prev;
		pthread_mutex_unlock(&g_conns.mu);
		free(k);
		*socket_ctx = NULL;
	}
}

static struct conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* The 408 the reaper sends; built once (the length must be exact). */
static char g_timeout_reply[320];
static size_t g_timeout_reply_len;

static void build_timeout_reply(void)
{
	static const char body[] =
	    "{\"error\":{\"code\":\"request_timeout\",\"message\":\"the "
	    "request was not sent in time\"}}\n";
	int n = snprintf(g_timeout_reply, sizeof g_timeout_reply,
			 "HTTP/1.1 408 Request Timeout\r\n"
			 "Content-Type: application/json\r\n"
			 "Connection: close\r\n"
			 "Content-Length: %zu\r\n\r\n%s",
			 sizeof body - 1, body);
	g_timeout_reply_len =
	    n > 0 && (size_t)n < sizeof g_timeout_reply ? (size_t)n : 0;
}

static void *reaper(void *arg)
{
	(void)arg;
	while (!atomic_load(&g_conns.stop)) {
		struct timespec pause = {0, 200 * 1000 * 1000};
		nanosleep(&pause, NULL);
		int64_t now = now_ns();
		pthread_mutex_lock(&g_conns.mu);
		for (struct conn *k = g_conns.head.next; k != &g_conns.head;
		     k = k->next) {
			if (atomic_load(&k->deadline) > now)
				continue;
			atomic_store(&k->deadline, NEVER);
			/* The client is still sending, so MHD is not writing: a
			 * short 408 cannot interleave with a response. */
			ssize_t w =
			    send(k->fd, g_timeout_reply, g_timeout_reply_len,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
			(void)w;
			shutdown(k->fd, SHUT_RDWR);
			tsgi_metrics_slow_drop();
		}
		pthread_mutex_unlock(&g_conns.mu);
	}
	return NULL;
}

/* ---- requests ------------------------------------------------------------ */

struct req {
	tsgi_route route;
	bool allowed, takes_body, batch, too_large, answered;
	int status;
	int64_t t0;
	size_t limit;
	tsgi_buf body;
	struct conn *conn;
};

static enum MHD_Result send_reply(struct MHD_Connection *c, struct req *rq,
				  tsgi_reply *out)
{
	struct MHD_Response *resp;
	if (out->static_body)
		resp = MHD_create_response_from_buffer(
		    out->len, (void *)out->static_body, MHD_RESPMEM_PERSISTENT);
	else
		resp = MHD_create_response_from_buffer(out->len, out->body,
						       MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(out->body);
		return MHD_NO;
	}
	out->body = NULL; /* the response owns it now */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				out->content_type ? out->content_type
						  : "application/json");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				"no-store");
	if (out->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
					out->allow);
	if (out->www_authenticate)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					out->www_authenticate);
	if (atomic_load(&g_conns.draining))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
					"close");
	if (rq->conn)
		atomic_store(&rq->conn->deadline, NEVER);
	rq->status = out->status;
	rq->answered = true;
	enum MHD_Result r = MHD_queue_response(c, (unsigned)out->status, resp);
	MHD_destroy_response(resp);
	return r;
}

static bool parse_size(const char *s, unsigned long long *out)
{
	if (!s || *s < '0' || *s > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req_ctx)
{
	const tsgi_http_cfg *cfg = cls;
	struct req *rq = *req_ctx;
	tsgi_reply out = {0};
	(void)version;

	if (!rq) {
		/* First call: headers are complete, no body bytes yet. */
		rq = calloc(1, sizeof *rq);
		if (!rq)
			return MHD_NO;
		*req_ctx = rq;
		rq->t0 = now_ns();
		rq->conn = conn_of(c);
		tsgi_metrics_inflight(1);
		rq->route = tsgi_route_find(method, url, &rq->allowed,
					    &rq->takes_body, &rq->batch);
		rq->limit = rq->batch ? cfg->max_batch_body : cfg->max_body;
		tsgi_buf_init(&rq->body, rq->limit);
		if (!rq->allowed || !rq->takes_body)
			return MHD_YES; /* answered once any stray body is read
					 */
		unsigned long long declared;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     "Content-Length");
		if (cl && parse_size(cl, &declared) && declared > rq->limit) {
			tsgi_reply_error(
			    &out, 413, "body_too_large",
			    "the body has %llu bytes; the limit is %zu",
			    declared, rq->limit);
			return send_reply(c, rq, &out);
		}
		const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     "Content-Type");
		if (!tsgi_route_ctype_ok(rq->route, ct)) {
			tsgi_reply_error(&out, 415, "unsupported_media_type",
					 "%s takes %s, not %s", url,
					 tsgi_route_ctype(rq->route),
					 ct ? ct : "no type");
			return send_reply(c, rq, &out);
		}
		return MHD_YES;
	}

	if (*upload_size) {
		/* Body bytes.  Over the limit, keep reading and discarding so
		 * the client gets its 413 (the reaper bounds how long that may
		 * take). */
		if (!rq->answered && !rq->too_large &&
		    !tsgi_buf_add(&rq->body, upload, *upload_size)) {
			rq->too_large = true;
			tsgi_buf_free(&rq->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}

	if (rq->answered)
		return MHD_YES;
	/* The whole request is in: from here on the time is ours, not the
	 * client's. */
	if (rq->conn)
		atomic_store(&rq->conn->deadline, NEVER);
	if (rq->too_large) {
		tsgi_reply_error(&out, 413, "body_too_large",
				 "the body exceeds the limit of %zu bytes",
				 rq->limit);
		return send_reply(c, rq, &out);
	}
	if (!rq->allowed) {
		tsgi_reply_error(&out, 405, "method_not_allowed",
				 "%s does not take %s", url, method);
		out.allow = tsgi_route_allow(rq->route);
		return send_reply(c, rq, &out);
	}
	if (rq->body.failed) {
		tsgi_reply_error(&out, 500, "internal", "out of memory");
		return send_reply(c, rq, &out);
	}
	tsgi_request r = {
	    .conn = c,
	    .method = method,
	    .path = url,
	    .content_type =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type"),
	    .body = rq->body.s ? rq->body.s : "",
	    .body_len = rq->body.len,
	    .cfg = cfg,
	};
	tsgi_route_handle(rq->route, &r, &out);
	tsgi_buf_free(&rq->body);
	return send_reply(c, rq, &out);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_ctx,
			 enum MHD_RequestTerminationCode toe)
{
	const tsgi_http_cfg *cfg = cls;
	struct req *rq = *req_ctx;
	(void)toe;
	if (!rq)
		return;
	double secs = (double)(now_ns() - rq->t0) / 1e9;
	tsgi_metrics_request(rq->route, rq->answered ? rq->status : 0, secs);
	tsgi_metrics_inflight(-1);
	/* The next request on a kept-alive connection has its own time. */
	struct conn *k = rq->conn ? rq->conn : conn_of(c);
	if (k)
		atomic_store(&k->deadline,
			     now_ns() +
				 (int64_t)cfg->request_timeout * 1000000000);
	tsgi_buf_free(&rq->body);
	free(rq);
	*req_ctx = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("tsguard serve: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* ---- the service ----------------------------------------------------------
 */

int tsgi_http_run(const tsgi_http_cfg *cfg)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	unsigned flags =
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL;
	char port[8];
	snprintf(port, sizeof port, "%u", (unsigned)cfg->port);
	int gai = getaddrinfo(cfg->host, port, &hints, &ai);
	if (gai != 0 || !ai) {
		fprintf(stderr, "tsguard serve: bad listen address '%s': %s\n",
			cfg->host, gai_strerror(gai));
		return 2;
	}
	memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	freeaddrinfo(ai);

	g_conns.head.next = g_conns.head.prev = &g_conns.head;
	build_timeout_reply();
	g_conns.request_ns = (int64_t)cfg->request_timeout * 1000000000;
	atomic_store(&g_conns.stop, false);
	atomic_store(&g_conns.draining, false);

	/* Block the signals before any thread starts, so only the sigwait
	 * below sees them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, (void *)cfg, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
	    MHD_OPTION_CONNECTION_LIMIT, cfg->max_conns,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)TSG_SRV_CONN_MEMORY,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, (void *)cfg, MHD_OPTION_NOTIFY_CONNECTION,
	    on_connection, NULL, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	    MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "tsguard serve: cannot listen on %s:%u: %s\n",
			cfg->host, (unsigned)cfg->port, strerror(errno));
		return 2;
	}
	const union MHD_DaemonInfo *di =
	    MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned bound = di ? di->port : cfg->port;
	fprintf(stderr,
		"tsguard serve: listening on http://%s%s%s:%u/ (%u threads, "
		"engine generation %u)\n",
		flags & MHD_USE_IPv6 ? "[" : "", cfg->host,
		flags & MHD_USE_IPv6 ? "]" : "", bound, cfg->threads,
		tsgi_slot_generation());

	pthread_t reaper_tid;
	bool reaper_up = pthread_create(&reaper_tid, NULL, reaper, NULL) == 0;

	for (;;) {
		int sig = 0;
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			fprintf(stderr, "tsguard serve: SIGHUP: reloading\n");
			tsgi_slot_reload();
			continue;
		}
		if (sig == SIGPIPE)
			continue;
		break;
	}

	/* Drain: stop accepting, let requests in flight finish, then stop. */
	fprintf(stderr, "tsguard serve: draining %ld request(s)\n",
		tsgi_metrics_inflight_now());
	atomic_store(&g_conns.draining, true);
	MHD_socket lfd = MHD_quiesce_daemon(d);
	int64_t until = now_ns() + (int64_t)cfg->drain_timeout * 1000000000;
	while (tsgi_metrics_inflight_now() > 0 && now_ns() < until) {
		struct timespec pause = {0, 20 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	long left = tsgi_metrics_inflight_now();
	MHD_stop_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	atomic_store(&g_conns.stop, true);
	if (reaper_up)
		pthread_join(reaper_tid, NULL);
	if (left > 0)
		fprintf(stderr,
			"tsguard serve: stopped with %ld request(s) unfinished "
			"after %us\n",
			left, cfg->drain_timeout);
	else
		fprintf(stderr, "tsguard serve: stopped\n");
	return 0;
}
