/*
 * milter.c - `tsguard milter`: the mail filter on libmilter.
 *
 * The MTA streams each message to us in pieces (envelope, headers, body
 * chunks).  We rebuild the raw RFC 5322 message, up to TSG_MILTER_MAX_MESSAGE
 * bytes, scan it as an email at end-of-message and answer with headers:
 *
 *   X-Tsguard-Verdict: scam | suspicious | clean   (plus " (category)")
 *   X-Tsguard-Score:   0.00 .. 1.00
 *   X-Tsguard-Reasons: rule ids, strongest first, comma-separated
 *
 * Headers of those names that arrived with the message are deleted first,
 * so a sender cannot pre-label its own mail.  With --action reject or
 * quarantine, verdicts at or above --at (default scam) are rejected with
 * 550 5.7.1 or put in the MTA's quarantine.  A scan that fails lets the mail
 * through with "X-Tsguard-Verdict: error" (fail open: a filter must never
 * lose mail).
 *
 * libmilter runs one thread per SMTP connection; each scans with its own
 * tsg_scan from the engine slot.  libmilter owns SIGHUP, SIGINT and SIGTERM
 * (all three stop it), so SIGUSR1 reloads the engine here.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libmilter/mfapi.h>

#include "server.h"
#include "tsguard_limits.h"

static const tsgi_milter_cfg *g_cfg;

static const char *const k_our_headers[] = {
    "X-Tsguard-Verdict", "X-Tsguard-Score", "X-Tsguard-Reasons"};
#define N_OUR (sizeof k_our_headers / sizeof *k_our_headers)

struct msg {
	tsgi_buf raw;
	bool truncated;
	int forged[N_OUR]; /* how many of each of our headers arrived */
};

static struct msg *msg_of(SMFICTX *ctx)
{
	struct msg *m = smfi_getpriv(ctx);
	if (!m) {
		m = calloc(1, sizeof *m);
		if (!m)
			return NULL;
		tsgi_buf_init(&m->raw, TSG_MILTER_MAX_MESSAGE);
		smfi_setpriv(ctx, m);
	}
	return m;
}

static void msg_reset(struct msg *m)
{
	tsgi_buf_free(&m->raw);
	tsgi_buf_init(&m->raw, TSG_MILTER_MAX_MESSAGE);
	m->truncated = false;
	memset(m->forged, 0, sizeof m->forged);
}

/* Appends to the message; past the limit the rest is dropped and noted. */
static void msg_add(struct msg *m, const void *p, size_t n)
{
	if (m->truncated)
		return;
	size_t room = m->raw.max - m->raw.len;
	if (n > room) {
		tsgi_buf_add(&m->raw, p, room);
		m->truncated = true;
		return;
	}
	if (!tsgi_buf_add(&m->raw, p, n))
		m->truncated = true;
}

static sfsistat on_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
	(void)host;
	(void)addr;
	return msg_of(ctx) ? SMFIS_CONTINUE : SMFIS_TEMPFAIL;
}

static sfsistat on_envfrom(SMFICTX *ctx, char **argv)
{
	(void)argv;
	struct msg *m = msg_of(ctx);
	if (!m)
		return SMFIS_TEMPFAIL;
	msg_reset(m);
	return SMFIS_CONTINUE;
}

/* HELO and RCPT need no answer from us; they are registered because some
 * MTA-side tools (miltertest) send every step whatever was negotiated. */
static sfsistat on_helo(SMFICTX *ctx, char *name)
{
	(void)ctx;
	(void)name;
	return SMFIS_CONTINUE;
}

static sfsistat on_envrcpt(SMFICTX *ctx, char **argv)
{
	(void)ctx;
	(void)argv;
	return SMFIS_CONTINUE;
}

static sfsistat on_header(SMFICTX *ctx, char *name, char *value)
{
	struct msg *m = msg_of(ctx);
	if (!m)
		return SMFIS_TEMPFAIL;
	for (size_t i = 0; i < N_OUR; i++)
		if (!strcasecmp(name, k_our_headers[i]))
			m->forged[i]++;
	msg_add(m, name, strlen(name));
	msg_add(m, ": ", 2);
	msg_add(m, value, strlen(value));
	msg_add(m, "\r\n", 2);
	return SMFIS_CONTINUE;
}

static sfsistat on_eoh(SMFICTX *ctx)
{
	struct msg *m = msg_of(ctx);
	if (!m)
		return SMFIS_TEMPFAIL;
	msg_add(m, "\r\n", 2);
	return SMFIS_CONTINUE;
}

static sfsistat on_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct msg *m = msg_of(ctx);
	if (!m)
		return SMFIS_TEMPFAIL;
	msg_add(m, chunk, len);
	return SMFIS_CONTINUE;
}

/* Rule ids, comma-separated, cut to fit one header line. */
static void reasons_value(const tsg_verdict *v, char *out, size_t outlen)
{
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < v->n_reasons; i++) {
		const char *id = v->reasons[i].rule_id;
		size_t n = strlen(id);
		if (k + n + 3 >= outlen)
			break;
		if (k) {
			out[k++] = ',';
			out[k++] = ' ';
		}
		memcpy(out + k, id, n);
		k += n;
		out[k] = '\0';
	}
	if (!k)
		snprintf(out, outlen, "none");
}

static sfsistat on_eom(SMFICTX *ctx)
{
	struct msg *m = msg_of(ctx);
	if (!m)
		return SMFIS_TEMPFAIL;
	/* Delete forged copies of our headers, last index first. */
	for (size_t i = 0; i < N_OUR; i++)
		for (int idx = m->forged[i]; idx >= 1; idx--)
			smfi_chgheader(ctx, (char *)k_our_headers[i], idx,
				       NULL);

	tsg_scan *s = tsgi_slot_scan();
	tsg_input in = {
	    .data = m->raw.s ? m->raw.s : "",
	    .len = m->raw.len,
	    .channel = TSG_CHANNEL_EMAIL,
	    .contact = TSG_CONTACT_UNSOLICITED,
	};
	const tsg_verdict *v = NULL;
	if (!s || tsg_scan_run(s, &in, &v) != TSG_OK) {
		fprintf(stderr, "tsguard milter: scan failed: %s\n",
			s ? tsg_scan_errmsg(s) : "out of memory");
		smfi_addheader(ctx, "X-Tsguard-Verdict", "error");
		msg_reset(m);
		return SMFIS_CONTINUE;
	}
	char verdict[128], score[16], reasons[900];
	if (v->cls == TSG_CLEAN)
		snprintf(verdict, sizeof verdict, "%s", tsg_class_name(v->cls));
	else
		snprintf(verdict, sizeof verdict, "%s (%s)",
			 tsg_class_name(v->cls), v->category);
	if (m->truncated || v->limits_hit)
		strncat(verdict, "; partial",
			sizeof verdict - strlen(verdict) - 1);
	snprintf(score, sizeof score, "%.2f", v->score);
	reasons_value(v, reasons, sizeof reasons);
	tsg_class cls = v->cls;

	sfsistat rc = SMFIS_CONTINUE;
	if (g_cfg->action == TSGI_MILTER_REJECT && cls >= g_cfg->action_at) {
		smfi_setreply(ctx, "550", "5.7.1",
			      "Message refused: it reads as a tech-support or "
			      "impersonation scam (tsguard)");
		rc = SMFIS_REJECT;
	} else {
		smfi_addheader(ctx, "X-Tsguard-Verdict", verdict);
		smfi_addheader(ctx, "X-Tsguard-Score", score);
		smfi_addheader(ctx, "X-Tsguard-Reasons", reasons);
		if (g_cfg->action == TSGI_MILTER_QUARANTINE &&
		    cls >= g_cfg->action_at) {
			char why[160];
			snprintf(why, sizeof why, "tsguard: %s, score %s",
				 verdict, score);
			smfi_quarantine(ctx, why);
		}
	}
	msg_reset(m);
	return rc;
}

static sfsistat on_abort(SMFICTX *ctx)
{
	struct msg *m = smfi_getpriv(ctx);
	if (m)
		msg_reset(m);
	return SMFIS_CONTINUE;
}

static sfsistat on_close(SMFICTX *ctx)
{
	struct msg *m = smfi_getpriv(ctx);
	if (m) {
		tsgi_buf_free(&m->raw);
		free(m);
		smfi_setpriv(ctx, NULL);
	}
	return SMFIS_CONTINUE;
}

static void *reload_thread(void *arg)
{
	sigset_t *set = arg;
	for (;;) {
		int sig;
		if (sigwait(set, &sig) != 0)
			continue;
		if (sig == SIGUSR2)
			break; /* our own stop request */
		fprintf(stderr, "tsguard milter: SIGUSR1: reloading\n");
		tsgi_slot_reload();
	}
	return NULL;
}

int tsgi_milter_run(const tsgi_milter_cfg *cfg)
{
	g_cfg = cfg;
	struct smfiDesc desc = {
	    .xxfi_name = "tsguard",
	    .xxfi_version = SMFI_VERSION,
	    .xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE,
	    .xxfi_connect = on_connect,
	    .xxfi_helo = on_helo,
	    .xxfi_envfrom = on_envfrom,
	    .xxfi_envrcpt = on_envrcpt,
	    .xxfi_header = on_header,
	    .xxfi_eoh = on_eoh,
	    .xxfi_body = on_body,
	    .xxfi_eom = on_eom,
	    .xxfi_abort = on_abort,
	    .xxfi_close = on_close,
	};
	char *conn = strdup(cfg->socket);
	if (!conn || smfi_setconn(conn) != MI_SUCCESS) {
		fprintf(stderr, "tsguard milter: bad socket '%s'\n",
			cfg->socket);
		free(conn);
		return 2;
	}
	if (smfi_settimeout((int)cfg->timeout) != MI_SUCCESS ||
	    smfi_register(desc) != MI_SUCCESS) {
		fprintf(stderr, "tsguard milter: cannot register the filter\n");
		free(conn);
		return 2;
	}
	if (smfi_opensocket(true) != MI_SUCCESS) {
		fprintf(stderr, "tsguard milter: cannot open socket %s\n",
			cfg->socket);
		free(conn);
		return 2;
	}
	/* SIGUSR1 (reload) and SIGUSR2 (internal stop) go to our thread only.
	 * libmilter's signal thread waits for SIGHUP, SIGINT and SIGTERM; they
	 * must be blocked in every other thread, ours included, or the default
	 * action would kill the process instead of stopping it. */
	static sigset_t set;
	sigset_t all;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	all = set;
	sigaddset(&all, SIGHUP);
	sigaddset(&all, SIGINT);
	sigaddset(&all, SIGTERM);
	sigaddset(&all, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_t tid;
	bool reloader = pthread_create(&tid, NULL, reload_thread, &set) == 0;
	fprintf(stderr,
		"tsguard milter: listening on %s (engine generation %u)\n",
		cfg->socket, tsgi_slot_generation());
	int rc = smfi_main();
	if (reloader) {
		pthread_kill(tid, SIGUSR2);
		pthread_join(tid, NULL);
	}
	fprintf(stderr, "tsguard milter: stopped\n");
	free(conn);
	return rc == MI_SUCCESS ? 0 : 2;
}
