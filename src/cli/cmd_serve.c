/*
 * cmd_serve.c - `tsguard serve`: options in, tsgi_http_run() out.  The
 * service itself lives in src/server.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../server/server.h"
#include "cli.h"
#include "tsguard_limits.h"

static void serve_usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: tsguard serve [--listen HOST:PORT] [--db URL] "
	    "[--token-file F] [OPTIONS]\n\n"
	    "  --listen HOST:PORT     numeric address to bind (default "
	    "127.0.0.1:8080; port 0 picks one)\n"
	    "  --threads N            worker threads (default: CPUs, at most "
	    "%u)\n"
	    "  --db URL               report store for reports, lookups and "
	    "campaigns\n"
	    "  --token-file F         bearer token for POST /v1/reports "
	    "(first line)\n"
	    "  --max-body BYTES       largest /v1/scan body (default %u)\n"
	    "  --max-batch-body BYTES largest /v1/scan/batch body (default "
	    "%u)\n"
	    "  --request-timeout S    seconds to send a whole request (default "
	    "%u)\n"
	    "  --idle-timeout S       seconds of silence before a drop "
	    "(default %u)\n"
	    "  --max-connections N    connections in all (default %u)\n"
	    "  --max-per-ip N         connections per client address (default "
	    "%u)\n"
	    "  --drain-timeout S      seconds SIGTERM waits for requests "
	    "(default %u)\n"
	    "  --data DIR, --rules PATH, --model FILE   as for scan\n\n"
	    "Signals: SIGHUP reloads rules, brands and model; SIGTERM drains "
	    "and exits.\n",
	    TSG_MAX_THREADS, TSG_SRV_MAX_BODY, TSG_SRV_MAX_BATCH_BODY,
	    TSG_SRV_REQUEST_TIMEOUT, TSG_SRV_IDLE_TIMEOUT,
	    TSG_SRV_MAX_CONNECTIONS, TSG_SRV_MAX_PER_IP, TSG_SRV_DRAIN_TIMEOUT);
}

/* Parses a decimal in [lo, hi]. */
static bool parse_num(const char *s, unsigned long lo, unsigned long hi,
		      unsigned long *out)
{
	if (!s || *s < '0' || *s > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Splits "HOST:PORT" or "[V6]:PORT" into host (written to `host`) and port. */
static bool parse_listen(const char *s, char *host, size_t hostlen,
			 uint16_t *port)
{
	const char *colon;
	const char *h = s;
	size_t hn;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':')
			return false;
		h = s + 1;
		hn = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return false;
		hn = (size_t)(colon - s);
	}
	if (hn == 0 || hn >= hostlen)
		return false;
	unsigned long p;
	if (!parse_num(colon + 1, 0, 65535, &p))
		return false;
	memcpy(host, h, hn);
	host[hn] = '\0';
	*port = (uint16_t)p;
	return true;
}

int tsgi_cmd_serve(int argc, char **argv)
{
	tsgi_engine_opts eo = {0};
	char host[256] = "127.0.0.1";
	const char *token_file = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	tsgi_http_cfg cfg = {
	    .host = host,
	    .port = 8080,
	    .threads = ncpu > 0 ? (unsigned)ncpu : 2,
	    .max_body = TSG_SRV_MAX_BODY,
	    .max_batch_body = TSG_SRV_MAX_BATCH_BODY,
	    .request_timeout = TSG_SRV_REQUEST_TIMEOUT,
	    .idle_timeout = TSG_SRV_IDLE_TIMEOUT,
	    .max_conns = TSG_SRV_MAX_CONNECTIONS,
	    .max_per_ip = TSG_SRV_MAX_PER_IP,
	    .drain_timeout = TSG_SRV_DRAIN_TIMEOUT,
	};
	if (cfg.threads > TSG_MAX_THREADS)
		cfg.threads = TSG_MAX_THREADS;
	bool bad = false;
	for (int i = 1; i < argc && !bad; i++) {
		const char *a = argv[i];
		if (tsgi_cli_engine_opt(argc, argv, &i, &eo, &bad))
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			serve_usage(stdout);
			return 0;
		}
		if (a[0] != '-' || i + 1 >= argc) {
			tsgi_cli_err("serve",
				     a[0] == '-' ? "%s needs a value"
						 : "unexpected argument '%s'",
				     a);
			serve_usage(stderr);
			return TSGI_EXIT_ERROR;
		}
		const char *v = argv[++i];
		unsigned long n = 0;
		bool ok = true;
		if (!strcmp(a, "--listen"))
			ok = parse_listen(v, host, sizeof host, &cfg.port);
		else if (!strcmp(a, "--db"))
			cfg.db = v;
		else if (!strcmp(a, "--token-file"))
			token_file = v;
		else if (!strcmp(a, "--threads") &&
			 (ok = parse_num(v, 1, TSG_MAX_THREADS, &n)))
			cfg.threads = (unsigned)n;
		else if (!strcmp(a, "--max-body") &&
			 (ok = parse_num(v, 1, TSG_SRV_MAX_BODY, &n)))
			cfg.max_body = n;
		else if (!strcmp(a, "--max-batch-body") &&
			 (ok = parse_num(v, 1, TSG_SRV_MAX_BATCH_BODY, &n)))
			cfg.max_batch_body = n;
		else if (!strcmp(a, "--request-timeout") &&
			 (ok = parse_num(v, 1, 3600, &n)))
			cfg.request_timeout = (unsigned)n;
		else if (!strcmp(a, "--idle-timeout") &&
			 (ok = parse_num(v, 1, 3600, &n)))
			cfg.idle_timeout = (unsigned)n;
		else if (!strcmp(a, "--max-connections") &&
			 (ok = parse_num(v, 1, 65536, &n)))
			cfg.max_conns = (unsigned)n;
		else if (!strcmp(a, "--max-per-ip") &&
			 (ok = parse_num(v, 1, 65536, &n)))
			cfg.max_per_ip = (unsigned)n;
		else if (!strcmp(a, "--drain-timeout") &&
			 (ok = parse_num(v, 0, 3600, &n)))
			cfg.drain_timeout = (unsigned)n;
		else if (ok) {
			tsgi_cli_err("serve", "unknown option '%s'", a);
			serve_usage(stderr);
			return TSGI_EXIT_ERROR;
		}
		if (!ok) {
			tsgi_cli_err("serve", "bad value '%s' for %s", v, a);
			return TSGI_EXIT_ERROR;
		}
	}
	if (bad)
		return TSGI_EXIT_ERROR;

	char *token = NULL;
	if (token_file) {
		char err[512];
		token = tsgi_token_load(token_file, err, sizeof err);
		if (!token) {
			tsgi_cli_err("serve", "--token-file: %s", err);
			return TSGI_EXIT_ERROR;
		}
		cfg.token = token;
	}

	if (tsgi_slot_init(&eo) != TSG_OK) {
		free(token);
		return TSGI_EXIT_ERROR;
	}
	int rc = tsgi_http_run(&cfg);
	tsgi_intel_shutdown();
	tsgi_slot_shutdown();
	free(token);
	return rc;
}
