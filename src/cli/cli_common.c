/*
 * cli_common.c - option and file helpers shared by the subcommands.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tsguard_limits.h"

void tsgi_cli_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "tsguard %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool tsgi_cli_engine_opt(int argc, char **argv, int *i, tsgi_engine_opts *o,
                         bool *bad)
{
	const char *a = argv[*i];
	const char **slot = NULL;
	if (!strcmp(a, "--data"))
		slot = &o->data_dir;
	else if (!strcmp(a, "--model"))
		slot = &o->model;
	else if (!strcmp(a, "--rules")) {
		if (o->nrules >= sizeof o->rules / sizeof *o->rules - 1) {
			fprintf(stderr, "tsguard: too many --rules\n");
			*bad = true;
			return true;
		}
		slot = &o->rules[o->nrules];
	} else
		return false;
	if (*i + 1 >= argc) {
		fprintf(stderr, "tsguard: %s needs a value\n", a);
		*bad = true;
		return true;
	}
	*slot = argv[++*i];
	if (!strcmp(a, "--rules"))
		o->nrules++;
	return true;
}

tsg_status tsgi_cli_engine_open(const tsgi_engine_opts *o, tsg_engine **out)
{
	tsg_engine_config cfg = {0};
	cfg.data_dir = o->data_dir;
	cfg.model_path = o->model;
	const char *paths[17];
	if (o->nrules) {
		for (size_t i = 0; i < o->nrules; i++)
			paths[i] = o->rules[i];
		paths[o->nrules] = NULL;
		cfg.rule_paths = paths;
	}
	tsg_engine *e = NULL;
	tsg_status st = tsg_engine_open(&cfg, &e);
	if (st != TSG_OK) {
		fprintf(stderr, "tsguard: cannot load engine: %s\n",
		        e ? tsg_engine_errmsg(e) : tsg_strerror(st));
		tsg_engine_unref(e);
		e = NULL;
	}
	*out = e;
	return st;
}

tsg_engine *tsgi_cli_engine(const tsgi_engine_opts *o)
{
	tsg_engine *e;
	return tsgi_cli_engine_open(o, &e) == TSG_OK ? e : NULL;
}

char *tsgi_cli_read(const char *path, size_t max, size_t *len, bool *truncated)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	*len = 0;
	*truncated = false;
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			if (cap >= max)
				break;
			size_t ncap = cap * 2 > max ? max : cap * 2;
			char *nb = realloc(buf, ncap + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				errno = ENOMEM;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				int saved = errno;
				free(buf);
				buf = NULL;
				errno = saved ? saved : EIO;
			}
			break;
		}
	}
	if (buf && n == cap && cap >= max) {
		int c = fgetc(f);
		if (c != EOF)
			*truncated = true;
	}
	if (f != stdin)
		fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	*len = n;
	return buf;
}

int tsgi_cli_read_line(FILE *f, char **line, size_t *len, size_t *consumed)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	bool too_long = false;
	int c = EOF;
	*line = NULL;
	*len = 0;
	if (!buf)
		return 0;
	while ((c = getc_unlocked(f)) != EOF) {
		if (consumed)
			(*consumed)++;
		if (c == '\n')
			break;
		if (too_long)
			continue;
		if (n + 1 >= cap) {
			if (cap >= TSG_MAX_LINE) {
				too_long = true;
				continue;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				too_long = true;
				continue;
			}
			buf = nb;
			cap *= 2;
		}
		buf[n++] = (char)c;
	}
	if (c == EOF && n == 0 && !too_long) {
		free(buf);
		return 0;
	}
	if (too_long) {
		free(buf);
		return 2;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	*line = buf;
	*len = n;
	return 1;
}

double tsgi_cli_score2(double score)
{
	return floor(score * 100.0 + 1e-9) / 100.0;
}
