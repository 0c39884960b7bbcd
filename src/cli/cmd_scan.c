/*
 * cmd_scan.c - `tsguard scan`: files, or a JSONL batch in order on N threads.
 */
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/record.h"
#include "cli.h"
#include "tsguard_limits.h"

struct scan_opts {
	bool json, jsonl, compact;
	tsg_channel channel;
	tsg_contact contact;
	const char *lang, *region, *sender;
	unsigned threads;
	bool stream;
};

static void scan_usage(FILE *f)
{
	fprintf(f,
	        "usage: tsguard scan [--json] [--channel CH] [--contact C] FILE...|-\n"
	        "       tsguard scan --jsonl [--threads N] FILE|-\n\n"
	        "  --json            print the verdict as JSON\n"
	        "  --jsonl           read one JSON record per line, write one verdict "
	        "per line\n"
	        "  --channel CH      email, sms, call, web, chat or text (default: "
	        "detect)\n"
	        "  --contact C       unsolicited, requested or unknown\n"
	        "  --lang L          en, es, de or fr (default: detect)\n"
	        "  --region CC       default country for phone numbers (default US;\n"
	        "                    without it, es/de/fr messages: ES/DE/FR first)\n"
	        "  --sender S        sender ID, caller number or address\n"
	        "  --threads N       threads for --jsonl (output stays in order)\n"
	        "  --data DIR        folder with rules/ and data/\n"
	        "  --rules PATH      rule file or folder instead of the default\n"
	        "  --model FILE      model file ('' for none)\n\n"
	        "Exit status: 0 all clean, 1 scam or suspicious found, 2 error.\n");
}

/* ---- human output ----------------------------------------------------- */

static void print_human(FILE *f, const char *name, const tsg_verdict *v)
{
	static const char *const upper[] = {"CLEAN", "SUSPICIOUS", "SCAM"};
	fprintf(f, "%s: %s (score %.2f", name, upper[v->cls],
	        tsgi_cli_score2(v->score));
	if (v->cls != TSG_CLEAN)
		fprintf(f, ", %s", v->category);
	if (v->n_brands) {
		fprintf(f, v->cls == TSG_CLEAN ? ", mentions " : ", claims ");
		for (size_t i = 0; i < v->n_brands; i++)
			fprintf(f, "%s%s", i ? "," : "", v->brands[i]);
	}
	fprintf(f, ", %s, %s)\n", tsg_channel_name(v->channel), v->lang);
	/* A clean verdict can carry weak reasons ("names Microsoft's security
	 * team"); say they did not add up to a warning. */
	if (v->cls == TSG_CLEAN && v->n_reasons)
		fprintf(f, "  noted, not enough for a warning:\n");
	for (size_t i = 0; i < v->n_reasons; i++) {
		const tsg_reason *r = &v->reasons[i];
		fprintf(f, "  - %s [%s]", r->message, r->rule_id);
		if (r->turn >= 0)
			fprintf(f, " (turn %d)", r->turn);
		fputc('\n', f);
		for (size_t j = 0; j < r->n_evidence; j++) {
			const tsg_evidence *e = &r->evidence[j];
			fprintf(f, "      \"%s\"", e->text);
			if (v->n_segments > 1)
				fprintf(f, " in %s", v->segments[e->segment].label);
			fprintf(f, " @%zu-%zu\n", e->start, e->end);
		}
	}
	if (v->n_indicators) {
		fprintf(f, "  indicators:");
		for (size_t i = 0; i < v->n_indicators && i < 12; i++)
			fprintf(f, " %s:%s", tsg_indicator_kind_name(v->indicators[i].kind),
			        v->indicators[i].value);
		if (v->n_indicators > 12)
			fprintf(f, " ... (%zu more)", v->n_indicators - 12);
		fputc('\n', f);
	}
	if (v->advice && *v->advice)
		fprintf(f, "  advice: %s\n", v->advice);
	if (v->limits_hit)
		fprintf(f, "  note: the message exceeded a limit and was analysed in "
		           "part\n");
}

/* ---- files ------------------------------------------------------------ */

static int scan_files(tsg_engine *e, const struct scan_opts *o, int n,
                      char **files)
{
	tsg_scan *s = tsg_scan_new(e);
	if (!s) {
		tsgi_cli_err("scan", "out of memory");
		return TSGI_EXIT_ERROR;
	}
	int rc = TSGI_EXIT_CLEAN;
	bool had_error = false;
	for (int i = 0; i < n; i++) {
		size_t len;
		bool trunc;
		char *data = tsgi_cli_read(files[i], TSG_MAX_INPUT, &len, &trunc);
		if (!data) {
			tsgi_cli_err("scan", "%s: %s", files[i], strerror(errno));
			had_error = true;
			continue;
		}
		tsg_input in = {
			.data = data,
			.len = len,
			.channel = o->channel,
			.contact = o->contact,
			.id = strcmp(files[i], "-") ? files[i] : "stdin",
			.lang = o->lang,
			.region = o->region,
			.sender = o->sender,
		};
		const tsg_verdict *v;
		tsg_status st = tsg_scan_run(s, &in, &v);
		if (st != TSG_OK) {
			tsgi_cli_err("scan", "%s: %s", files[i], tsg_scan_errmsg(s));
			had_error = true;
			free(data);
			continue;
		}
		if (trunc)
			((tsg_verdict *)v)->limits_hit |= TSG_LIMIT_INPUT_SIZE;
		if (o->json) {
			char *js = tsg_verdict_json(v, 0);
			if (js) {
				puts(js);
				free(js);
			}
		} else {
			print_human(stdout, in.id, v);
		}
		if (v->cls != TSG_CLEAN)
			rc = TSGI_EXIT_FOUND;
		free(data);
	}
	tsg_scan_free(s);
	return had_error ? TSGI_EXIT_ERROR : rc;
}

/* ---- JSONL batch ------------------------------------------------------ */

#define BATCH 512

struct slot {
	char *line;     /* the record (owned); NULL for a too-long line */
	size_t len;
	size_t lineno;
	char *out;      /* the verdict or error line (owned)           */
	int cls;        /* -1 error, else tsg_class                     */
};

struct batch {
	tsg_engine *e;
	const struct scan_opts *o;
	const char *base_dir;
	struct slot *slots;
	size_t n;
	atomic_size_t next;
};

static char *error_line(const char *id, size_t lineno, const char *msg)
{
	tsgi_buf b;
	tsgi_buf_init(&b, 1u << 20);
	tsgi_jw w;
	tsgi_jw_init(&w, &b, false);
	tsgi_jw_obj(&w);
	tsgi_jw_key(&w, "id");
	tsgi_jw_str(&w, id);
	tsgi_jw_key(&w, "line");
	tsgi_jw_int(&w, (long long)lineno);
	tsgi_jw_key(&w, "error");
	tsgi_jw_str(&w, msg);
	tsgi_jw_obj_end(&w);
	return tsgi_buf_take(&b);
}

static void process(struct batch *b, tsg_scan *s, struct slot *sl)
{
	if (!sl->line) {
		char msg[128];
		snprintf(msg, sizeof msg, "line longer than %u bytes (TSG_MAX_LINE)",
		         TSG_MAX_LINE);
		sl->out = error_line(NULL, sl->lineno, msg);
		sl->cls = -1;
		return;
	}
	tsgi_record r;
	char err[512];
	tsg_status st =
		tsgi_record_read(sl->line, sl->len, b->base_dir, &r, err, sizeof err);
	if (st == TSG_OK) {
		if (b->o->contact != TSG_CONTACT_UNKNOWN &&
		    r.in.contact == TSG_CONTACT_UNKNOWN)
			r.in.contact = b->o->contact;
		if (b->o->channel != TSG_CHANNEL_AUTO && r.in.channel == TSG_CHANNEL_AUTO)
			r.in.channel = b->o->channel;
		if (!r.in.region)
			r.in.region = b->o->region;
		const tsg_verdict *v;
		st = tsg_scan_run(s, &r.in, &v);
		if (st == TSG_OK) {
			sl->out = tsg_verdict_json(v, TSG_JSON_COMPACT);
			sl->cls = (int)v->cls;
		} else {
			snprintf(err, sizeof err, "%s", tsg_scan_errmsg(s));
		}
	}
	if (st != TSG_OK) {
		sl->out = error_line(r.id, sl->lineno, err);
		sl->cls = -1;
	}
	tsgi_record_free(&r);
}

static void *worker(void *arg)
{
	struct batch *b = arg;
	tsg_scan *s = tsg_scan_new(b->e);
	for (;;) {
		size_t i = atomic_fetch_add(&b->next, 1);
		if (i >= b->n)
			break;
		if (!s) {
			b->slots[i].out = error_line(NULL, b->slots[i].lineno, "out of memory");
			b->slots[i].cls = -1;
			continue;
		}
		process(b, s, &b->slots[i]);
	}
	tsg_scan_free(s);
	return NULL;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

static int scan_jsonl(tsg_engine *e, const struct scan_opts *o, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		tsgi_cli_err("scan", "%s: %s", path, strerror(errno));
		return TSGI_EXIT_ERROR;
	}
	char *pathcopy = strdup(path);
	const char *base = strcmp(path, "-") && pathcopy ? dirname(pathcopy) : ".";
	struct batch b = {.e = e, .o = o, .base_dir = base};
	b.slots = calloc(BATCH, sizeof *b.slots);
	unsigned nthreads = o->threads ? o->threads : 1;
	pthread_t tids[TSG_MAX_THREADS];
	int rc = TSGI_EXIT_CLEAN;
	bool had_error = false, eof = false;
	size_t lineno = 0;
	if (!b.slots) {
		tsgi_cli_err("scan", "out of memory");
		free(pathcopy);
		return TSGI_EXIT_ERROR;
	}
	while (!eof) {
		b.n = 0;
		atomic_store(&b.next, 0);
		while (b.n < BATCH) {
			char *line;
			size_t len;
			int r = tsgi_cli_read_line(f, &line, &len, NULL);
			if (r == 0) {
				eof = true;
				break;
			}
			lineno++;
			if (r == 1 && blank(line, len)) {
				free(line);
				continue;
			}
			b.slots[b.n++] = (struct slot){.line = line, .len = len,
			                               .lineno = lineno};
		}
		if (b.n == 0)
			break;
		unsigned started = 0;
		for (unsigned t = 1; t < nthreads && t < b.n; t++)
			if (pthread_create(&tids[started], NULL, worker, &b) == 0)
				started++;
		worker(&b);
		for (unsigned t = 0; t < started; t++)
			pthread_join(tids[t], NULL);
		for (size_t i = 0; i < b.n; i++) {
			struct slot *sl = &b.slots[i];
			if (sl->out) {
				fputs(sl->out, stdout);
				fputc('\n', stdout);
			}
			if (sl->cls < 0)
				had_error = true;
			else if (sl->cls != TSG_CLEAN)
				rc = TSGI_EXIT_FOUND;
			free(sl->line);
			free(sl->out);
		}
	}
	free(b.slots);
	free(pathcopy);
	if (f != stdin)
		fclose(f);
	if (fflush(stdout) != 0)
		had_error = true;
	return had_error ? TSGI_EXIT_ERROR : rc;
}

int tsgi_cmd_scan(int argc, char **argv)
{
	struct scan_opts o = {0};
	tsgi_engine_opts eo = {0};
	char *files[4096];
	int nfiles = 0;
	bool bad = false;
	for (int i = 1; i < argc && !bad; i++) {
		const char *a = argv[i];
		if (tsgi_cli_engine_opt(argc, argv, &i, &eo, &bad))
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			scan_usage(stdout);
			return 0;
		} else if (!strcmp(a, "--json")) {
			o.json = true;
		} else if (!strcmp(a, "--jsonl")) {
			o.jsonl = true;
		} else if (!strcmp(a, "--stream")) {
			o.stream = true;
		} else if (!strcmp(a, "--channel") || !strcmp(a, "--contact") ||
		           !strcmp(a, "--lang") || !strcmp(a, "--region") ||
		           !strcmp(a, "--sender") || !strcmp(a, "--threads")) {
			if (i + 1 >= argc) {
				tsgi_cli_err("scan", "%s needs a value", a);
				return TSGI_EXIT_ERROR;
			}
			const char *v = argv[++i];
			if (!strcmp(a, "--channel")) {
				if (tsg_channel_parse(v, &o.channel) != TSG_OK) {
					tsgi_cli_err("scan", "unknown channel '%s'", v);
					return TSGI_EXIT_ERROR;
				}
			} else if (!strcmp(a, "--contact")) {
				if (tsg_contact_parse(v, &o.contact) != TSG_OK) {
					tsgi_cli_err("scan", "unknown contact '%s'", v);
					return TSGI_EXIT_ERROR;
				}
			} else if (!strcmp(a, "--lang")) {
				o.lang = v;
			} else if (!strcmp(a, "--region")) {
				o.region = v;
			} else if (!strcmp(a, "--sender")) {
				o.sender = v;
			} else {
				char *end;
				long t = strtol(v, &end, 10);
				if (*end || t < 1 || t > (long)TSG_MAX_THREADS) {
					tsgi_cli_err("scan", "--threads must be 1..%u",
					             TSG_MAX_THREADS);
					return TSGI_EXIT_ERROR;
				}
				o.threads = (unsigned)t;
			}
		} else if (a[0] == '-' && a[1]) {
			tsgi_cli_err("scan", "unknown option '%s'", a);
			scan_usage(stderr);
			return TSGI_EXIT_ERROR;
		} else if (nfiles < (int)(sizeof files / sizeof *files)) {
			files[nfiles++] = argv[i];
		}
	}
	if (bad)
		return TSGI_EXIT_ERROR;
	if (nfiles == 0) {
		scan_usage(stderr);
		return TSGI_EXIT_ERROR;
	}
	if (o.jsonl && nfiles != 1) {
		tsgi_cli_err("scan", "--jsonl reads one file (or - for stdin)");
		return TSGI_EXIT_ERROR;
	}
	tsg_engine *e = tsgi_cli_engine(&eo);
	if (!e)
		return TSGI_EXIT_ERROR;
	int rc;
	if (o.stream)
		rc = tsgi_scan_stream(e, o.contact, o.lang, o.region, files[0],
		                      o.json);
	else if (o.jsonl)
		rc = scan_jsonl(e, &o, files[0]);
	else
		rc = scan_files(e, &o, nfiles, files);
	tsg_engine_unref(e);
	return rc;
}
