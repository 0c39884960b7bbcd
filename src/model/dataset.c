/*
 * dataset.c - reading labelled JSONL corpus files (see dataset.h).
 */
#include "dataset.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "tsguard_limits.h"

const char *tsgi_label_name(tsgi_label l)
{
	return l == TSGI_LABEL_SCAM ? "scam" : l == TSGI_LABEL_SPAM ? "spam" : "ham";
}

static const char *get_str(void *json, const char *key)
{
	json_t *v = json_object_get((json_t *)json, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The folder part of `path` ("." when there is none), malloc'ed. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, path, n);
		d[n] = '\0';
	}
	return d;
}

tsg_status tsgi_jsonl_each(const char *path, tsgi_labelled_fn fn, void *ctx,
                           FILE *log, size_t *skipped, char *err,
                           size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return TSG_EIO;
	}
	char *base = dir_of(path);
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t got;
	tsg_status st = TSG_OK;
	if (!base) {
		snprintf(err, errlen, "out of memory");
		fclose(f);
		return TSG_ENOMEM;
	}
	while ((got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		size_t n = (size_t)got;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		size_t sp = 0;
		while (sp < n && (line[sp] == ' ' || line[sp] == '\t'))
			sp++;
		if (sp == n)
			continue;
		char msg[512] = "";
		tsgi_labelled r = {.file = path, .lineno = lineno};
		tsg_status rs = TSG_OK;
		if (n > TSG_MAX_LINE) {
			snprintf(msg, sizeof msg, "line longer than TSG_MAX_LINE");
			rs = TSG_ELIMIT;
		} else {
			rs = tsgi_record_parse(line, n, base, &r.rec, msg, sizeof msg);
		}
		if (rs == TSG_OK) {
			const char *label = get_str(r.rec.json, "label");
			if (label && !strcmp(label, "scam"))
				r.label = TSGI_LABEL_SCAM;
			else if (label && !strcmp(label, "spam"))
				r.label = TSGI_LABEL_SPAM;
			else if (label && !strcmp(label, "ham"))
				r.label = TSGI_LABEL_HAM;
			else {
				snprintf(msg, sizeof msg,
				         "\"label\" must be \"scam\", \"spam\" or \"ham\"");
				rs = TSG_EINVAL;
			}
			r.category = get_str(r.rec.json, "category");
			r.lang = get_str(r.rec.json, "lang");
			r.group = get_str(r.rec.json, "group");
		}
		if (rs != TSG_OK) {
			if (log)
				fprintf(log, "%s:%zu: %s%s%s, skipped\n", path, lineno,
				        r.rec.id ? r.rec.id : "", r.rec.id ? ": " : "", msg);
			if (skipped)
				(*skipped)++;
			tsgi_record_free(&r.rec);
			if (rs == TSG_ENOMEM) {
				snprintf(err, errlen, "out of memory");
				st = TSG_ENOMEM;
				break;
			}
			continue;
		}
		int stop = fn(ctx, &r);
		tsgi_record_free(&r.rec);
		if (stop)
			break;
	}
	free(line);
	free(base);
	fclose(f);
	return st;
}
