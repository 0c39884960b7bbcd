/*
 * cmd_stream.c - `tsguard scan --stream --channel call`: live call
 * screening.  Owner: channels.
 *
 * Protocol (docs/channels.md has an example):
 *   input   one turn per line on the file or stdin: plain text, or a JSON
 *           object {"speaker": "...", "text": "..."}; blank lines are
 *           ignored; a line longer than TSG_MAX_TURN_BYTES is cut.
 *   output  after each turn the call so far is scanned again as a JSON
 *           transcript (channel call), and
 *             STAGE k turn N: MESSAGE        the first time stage k is heard
 *             ALERT turn N score S: MESSAGE  the first time the verdict is scam
 *             FINAL CLASS score S turns T [alert at turn N]   at end of input
 *           With --json each is one JSON object per line with "event":
 *           "stage", "alert" or "final" (final carries the whole verdict).
 *           stdout is flushed after every line so a screening app sees an
 *           alert while the call is still going on.
 *   exit    0 clean, 1 suspicious or scam, 2 error.
 * Rescanning the whole call per turn costs O(turns^2) bytes scanned, which
 * TSG_MAX_TURNS bounds; a call of 200 turns rescans in milliseconds.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/engine_int.h"
#include "cli.h"
#include "tsguard_limits.h"

/* Reads one line (without the newline) into `b`, keeping at most
 * TSG_MAX_TURN_BYTES.  Returns false at end of input with nothing read. */
static bool read_turn(FILE *f, tsgi_buf *b)
{
	tsgi_buf_reset(b);
	int c;
	bool any = false;
	while ((c = getc(f)) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (b->len < TSG_MAX_TURN_BYTES)
			tsgi_buf_addc(b, (char)c);
	}
	if (b->len && b->s[b->len - 1] == '\r')
		b->s[--b->len] = '\0';
	return any;
}

static int rule_stage(const tsg_engine *e, const char *id)
{
	size_t n = tsgi_ruleset_count(e->rules);
	for (size_t i = 0; i < n; i++) {
		const tsgi_rule *r = tsgi_ruleset_rule(e->rules, i);
		if (!strcmp(r->id, id))
			return r->stage;
	}
	return 0;
}

static void emit_json(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);
	if (s) {
		puts(s);
		free(s);
	}
	json_decref(o);
}

/* Appends the turn in `line` to the transcript array text in `tr`. */
static void add_turn(tsgi_buf *tr, const char *line, size_t len, size_t n)
{
	json_t *obj = NULL;
	if (len && line[0] == '{') {
		json_t *j = json_loadb(line, len, 0, NULL);
		if (json_is_object(j) && json_is_string(json_object_get(j, "text")))
			obj = j;
		else
			json_decref(j);
	}
	if (!obj) {
		obj = json_object();
		json_object_set_new(obj, "text", json_stringn(line, len));
	}
	char *s = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (n)
		tsgi_buf_addc(tr, ',');
	if (s) {
		tsgi_buf_adds(tr, s);
		free(s);
	}
}

int tsgi_scan_stream(tsg_engine *e, tsg_contact contact, const char *lang,
                     const char *region, const char *path, bool json)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		tsgi_cli_err("scan", "%s: %s", path, strerror(errno));
		return TSGI_EXIT_ERROR;
	}
	tsg_scan *s = tsg_scan_new(e);
	tsgi_buf line, tr;
	tsgi_buf_init(&line, TSG_MAX_TURN_BYTES + 1);
	tsgi_buf_init(&tr, TSG_MAX_INPUT);
	tsgi_buf_addc(&tr, '[');
	int rc = TSGI_EXIT_CLEAN;
	size_t turns = 0;
	long alert_turn = -1;
	bool seen_stage[5] = {false};
	const tsg_verdict *v = NULL;
	if (!s) {
		tsgi_cli_err("scan", "out of memory");
		rc = TSGI_EXIT_ERROR;
		goto out;
	}
	while (read_turn(f, &line)) {
		const char *p = line.s ? line.s : "";
		size_t n = line.len;
		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (!n)
			continue;
		if (turns >= TSG_MAX_TURNS) {
			if (turns == TSG_MAX_TURNS)
				tsgi_cli_err("scan", "more than %u turns (TSG_MAX_TURNS); "
				             "later turns are not analysed", TSG_MAX_TURNS);
			turns++;
			continue;
		}
		add_turn(&tr, p, n, turns);
		turns++;
		if (tr.failed) {
			tsgi_cli_err("scan", "call longer than TSG_MAX_INPUT; stopping");
			break;
		}
		tsgi_buf_addc(&tr, ']');
		tsg_input in = {.data = tr.s, .len = tr.len, .channel = TSG_CHANNEL_CALL,
		                .contact = contact, .lang = lang, .region = region,
		                .id = "stream"};
		tsg_status st = tsg_scan_run(s, &in, &v);
		tr.s[--tr.len] = '\0';
		if (st != TSG_OK) {
			tsgi_cli_err("scan", "turn %zu: %s", turns - 1, tsg_scan_errmsg(s));
			rc = TSGI_EXIT_ERROR;
			v = NULL;
			continue;
		}
		/* Stages in the order they were first heard. */
		for (size_t i = 0; i < v->n_reasons; i++) {
			const tsg_reason *r = &v->reasons[i];
			int stg = rule_stage(e, r->rule_id);
			if (stg < 1 || stg > 4 || seen_stage[stg])
				continue;
			seen_stage[stg] = true;
			int t = r->turn >= 0 ? r->turn : (int)turns - 1;
			if (json) {
				json_t *o = json_object();
				json_object_set_new(o, "event", json_string("stage"));
				json_object_set_new(o, "stage", json_integer(stg));
				json_object_set_new(o, "turn", json_integer(t));
				json_object_set_new(o, "rule", json_string(r->rule_id));
				json_object_set_new(o, "message", json_string(r->message));
				emit_json(o);
			} else {
				printf("STAGE %d turn %d: %s [%s]\n", stg, t, r->message,
				       r->rule_id);
			}
		}
		if (alert_turn < 0 && v->cls == TSG_SCAM) {
			alert_turn = (long)turns - 1;
			const char *msg = v->n_reasons ? v->reasons[0].message : "";
			if (json) {
				json_t *o = json_object();
				json_object_set_new(o, "event", json_string("alert"));
				json_object_set_new(o, "turn", json_integer(alert_turn));
				json_object_set_new(o, "score", json_real(v->score));
				json_object_set_new(o, "category", json_string(v->category));
				json_object_set_new(o, "message", json_string(msg));
				emit_json(o);
			} else {
				printf("ALERT turn %ld score %.2f: %s\n", alert_turn,
				       tsgi_cli_score2(v->score), msg);
			}
		}
		fflush(stdout);
	}
	if (v) {
		if (json) {
			char *vj = tsg_verdict_json(v, TSG_JSON_COMPACT);
			json_t *o = json_object();
			json_object_set_new(o, "event", json_string("final"));
			json_object_set_new(o, "turns", json_integer((json_int_t)turns));
			json_object_set_new(o, "alert_turn", alert_turn >= 0
			                                         ? json_integer(alert_turn)
			                                         : json_null());
			json_t *vo = vj ? json_loads(vj, 0, NULL) : NULL;
			json_object_set_new(o, "verdict", vo ? vo : json_null());
			free(vj);
			emit_json(o);
		} else {
			printf("FINAL %s score %.2f turns %zu", tsg_class_name(v->cls),
			       tsgi_cli_score2(v->score), turns);
			if (alert_turn >= 0)
				printf(" (alert at turn %ld)", alert_turn);
			putchar('\n');
		}
		if (v->cls != TSG_CLEAN && rc == TSGI_EXIT_CLEAN)
			rc = TSGI_EXIT_FOUND;
	} else if (rc == TSGI_EXIT_CLEAN) {
		if (json)
			puts("{\"event\":\"final\",\"turns\":0,\"alert_turn\":null,"
			     "\"verdict\":null}");
		else
			puts("FINAL clean score 0.00 turns 0");
	}
	if (fflush(stdout) != 0)
		rc = TSGI_EXIT_ERROR;
out:
	tsg_scan_free(s);
	tsgi_buf_free(&line);
	tsgi_buf_free(&tr);
	if (f != stdin)
		fclose(f);
	return rc;
}
